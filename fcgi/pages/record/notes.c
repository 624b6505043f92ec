/* notes: the SOAP visit note of an encounter. A doctor saves drafts (each
 * save a new version, refused with 409 "changed meanwhile" when someone
 * saved since the form was loaded, keeping what was typed), signs (who,
 * when, SHA-256 of the canonical text: lib/notehash.h), and then only
 * adds signed addenda; the database refuses drafts after the signature.
 * Every display recomputes the hashes and says whether they match. The
 * patient sees signed notes only, with their addenda. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/record/notes.h"
#include "pages/tele/transcript.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/care.h"
#include "core/db.h"
#include "core/request.h"
#include "core/validate.h"
#include "core/view.h"
#include "lib/notehash.h"

#define NOTE_TEXT_MAX 20000       /* characters, as the schema's checks */
#define CODE_MAX 8                /* "A00.0000" */

enum { EN_ID, EN_KIND, EN_STARTED, EN_DOCTOR, EN_REASON, EN_PATIENT, EN_SVERSION, EN_SIGNED_AT,
       EN_SIGNER, EN_HASH };
enum { NV_VERSION, NV_S, NV_O, NV_A, NV_P, NV_SAVED_AT, NV_SAVED_BY };
enum { DX_CODE, DX_TITLE, DX_LEAF };   /* DX_LEAF: icd10_search only */
enum { AD_ID, AD_BODY, AD_AT, AD_BY, AD_HASH };

static const char *const sections[] = { "subjective", "objective", "assessment", "plan" };
#define NSECTIONS 4

/* How one showing of a note page goes. */
struct note_view {
	const char *encounter;
	int staff;                  /* the doctor's page (drafts, forms) */
	int typed;                  /* Form.* holds what the user typed: keep it */
	const char *dx[NOTEHASH_MAX_CODES];   /* the typed diagnosis codes */
	size_t ndx;
	const char *q;              /* a diagnosis search */
	const char *alert;          /* language key of an alert, or NULL */
	int conflict;               /* someone saved meanwhile: show theirs */
	int expect_signed;          /* the database refused a draft */
	const char *previsit;       /* a shared symptom-checker interview ... */
	unsigned parts;             /* ... whose summary blocks (bits) go into the draft */
};

/* ------------------------------------------------------------ hashes */

/* The canonical text's SHA-256 (hex, arena), or NULL. */
static const char *
note_hash(struct req *r, const struct note_content *c)
{
	long n = notehash_note_text(c, NULL, 0);
	char *text, *hex;

	if (n < 0 || (text = arena_alloc(r->arena, (size_t)n + 1)) == NULL ||
	    (hex = arena_alloc(r->arena, NOTEHASH_HEX + 1)) == NULL)
		return NULL;
	notehash_note_text(c, text, (size_t)n + 1);
	return notehash_sha256_hex(text, (size_t)n, hex) == 0 ? hex : NULL;
}

static const char *
addendum_hash(struct req *r, long long encounter, const char *note_hex, const char *body)
{
	long n = notehash_addendum_text(encounter, note_hex, body, NULL, 0);
	char *text, *hex;

	if (n < 0 || (text = arena_alloc(r->arena, (size_t)n + 1)) == NULL ||
	    (hex = arena_alloc(r->arena, NOTEHASH_HEX + 1)) == NULL)
		return NULL;
	notehash_addendum_text(encounter, note_hex, body, text, (size_t)n + 1);
	return notehash_sha256_hex(text, (size_t)n, hex) == 0 ? hex : NULL;
}

/* ------------------------------------------------------------ showing */

static void
set_diagnoses(struct req *r, const char *node, struct db_result *dx)
{
	for (size_t i = 0; i < db_rows(dx); i++) {
		struct view_row *row = view_row(r->view, "%s.%zu", node, i);
		view_row_set(row, "code", db_value(dx, i, DX_CODE));
		view_row_set(row, "title", db_value(dx, i, DX_TITLE));
	}
}

/* The version row's sections under node (Data.note, Data.other). */
static void
set_sections(struct req *r, const char *node, struct db_result *ver)
{
	for (int i = 0; i < NSECTIONS; i++)
		view_set(r->view, db_value(ver, 0, NV_S + i), "%s.%s", node, sections[i]);
	view_set(r->view, db_value(ver, 0, NV_VERSION), "%s.version", node);
	view_set(r->view, page_when(r, db_value(ver, 0, NV_SAVED_AT)), "%s.saved_at", node);
	view_set(r->view, db_value(ver, 0, NV_SAVED_BY), "%s.saved_by", node);
}

/* A signed note, its signature checked again, and its addenda. */
static int
set_signed(struct req *r, struct db_result *enc, struct db_result *ver, struct db_result *dx,
           struct db_result *add)
{
	const char *codes[NOTEHASH_MAX_CODES];
	const char *stored = db_value(enc, 0, EN_HASH), *hash;
	long long eid = strtoll(db_value(enc, 0, EN_ID), NULL, 10);

	if (db_rows(ver) != 1 || db_rows(dx) > NOTEHASH_MAX_CODES)
		return HTTP_INTERNAL_ERROR;
	for (size_t i = 0; i < db_rows(dx); i++)
		codes[i] = db_value(dx, i, DX_CODE);
	struct note_content c = { eid, db_value(ver, 0, NV_S), db_value(ver, 0, NV_O),
	                          db_value(ver, 0, NV_A), db_value(ver, 0, NV_P), codes, db_rows(dx) };
	if ((hash = note_hash(r, &c)) == NULL)
		return HTTP_INTERNAL_ERROR;
	set_sections(r, "Data.note", ver);
	set_diagnoses(r, "Data.note.dx", dx);
	view_set(r->view, "1", "Data.note.signed");
	view_set(r->view, page_when(r, db_value(enc, 0, EN_SIGNED_AT)), "Data.note.signed_at");
	view_set(r->view, db_value(enc, 0, EN_SIGNER), "Data.note.signer");
	view_set(r->view, stored, "Data.note.hash");
	view_set(r->view, strcmp(hash, stored) == 0 ? "1" : "0", "Data.note.verified");
	for (size_t i = 0; i < db_rows(add); i++) {
		struct view_row *row = view_row(r->view, "Data.addenda.%zu", i);
		const char *h = addendum_hash(r, eid, stored, db_value(add, i, AD_BODY));

		if (h == NULL)
			return HTTP_INTERNAL_ERROR;
		view_row_set(row, "id", db_value(add, i, AD_ID));
		view_row_set(row, "body", db_value(add, i, AD_BODY));
		view_row_set(row, "at", page_when(r, db_value(add, i, AD_AT)));
		view_row_set(row, "by", db_value(add, i, AD_BY));
		view_row_set(row, "hash", db_value(add, i, AD_HASH));
		view_row_set(row, "verified", strcmp(h, db_value(add, i, AD_HASH)) == 0 ? "1" : "0");
	}
	return 0;
}

/* Row n of the picker's boxes. */
static void
add_choice(struct req *r, size_t n, const char *code, const char *title, int checked)
{
	struct view_row *row = view_row(r->view, "Data.dx.%zu", n);
	view_row_set(row, "code", code);
	view_row_set(row, "title", title);
	if (checked)
		view_row_set(row, "checked", "1");
}

static int
listed(const char *const *codes, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(codes[i], code) == 0)
			return 1;
	return 0;
}

/* The draft form: what was typed or the newest draft, the chosen codes
 * (checked) and a search's matches (unchecked) as one list of boxes; on a
 * conflict, the other person's version beside it. */
static void
set_draft(struct req *r, struct note_view *v, struct db_result *ver, struct db_result *dx,
          struct db_result *titles, struct db_result *matches)
{
	const char *shown[NOTEHASH_MAX_CODES + 16];
	size_t n = 0;
	int have = db_rows(ver) == 1;

	if (have)
		set_sections(r, v->conflict ? "Data.other" : "Data.draft", ver);
	if (v->conflict)
		set_diagnoses(r, "Data.other.dx", dx);
	if (!v->typed || v->conflict)
		view_set(r->view, have ? db_value(ver, 0, NV_VERSION) : "0", "Form.base");
	if (!v->typed) {
		for (int i = 0; i < NSECTIONS && have; i++)
			view_set(r->view, db_value(ver, 0, NV_S + i), "Form.%s", sections[i]);
		for (size_t i = 0; i < db_rows(dx) && n < NOTEHASH_MAX_CODES; i++, n++)
			add_choice(r, n, shown[n] = db_value(dx, i, DX_CODE), db_value(dx, i, DX_TITLE), 1);
	} else if (titles) {
		for (size_t i = 0; i < db_rows(titles) && n < NOTEHASH_MAX_CODES; i++, n++)
			add_choice(r, n, shown[n] = db_value(titles, i, DX_CODE), db_value(titles, i, DX_TITLE), 1);
	}
	if (matches == NULL)
		return;
	size_t found = 0;
	for (size_t i = 0; i < db_rows(matches) && n < NOTEHASH_MAX_CODES + 16; i++) {
		const char *code = db_value(matches, i, DX_CODE);
		/* a heading ("J45") is no diagnosis to record: its codes are */
		if (strcmp(db_value(matches, i, DX_LEAF), "t") != 0)
			continue;
		found++;
		if (!listed(shown, n, code)) {
			add_choice(r, n, code, db_value(matches, i, DX_TITLE), 0);
			shown[n++] = code;
		}
	}
	view_set(r->view, "1", "Data.searched");
	view_set_int(r->view, (long long)found, "Data.matches");
}

/* The typed codes as a PostgreSQL array literal (each checked by
 * code_ok, so nothing needs quoting). */
static const char *
code_array(struct req *r, const char *const *codes, size_t n)
{
	const char *s = "{";

	for (size_t i = 0; i < n && s; i++)
		s = arena_printf(r->arena, "%s%s%s", s, i ? "," : "", codes[i]);
	return s ? arena_printf(r->arena, "%s}", s) : NULL;
}

static void
set_encounter(struct req *r, struct db_result *enc)
{
	view_set(r->view, r->record.patient_id_text, "Data.patient.id");
	view_set(r->view, db_value(enc, 0, EN_PATIENT), "Data.patient.name");
	view_set(r->view, db_value(enc, 0, EN_ID), "Data.enc.id");
	view_set(r->view, page_when(r, db_value(enc, 0, EN_STARTED)), "Data.enc.started");
	view_set(r->view, db_value(enc, 0, EN_DOCTOR), "Data.enc.doctor");
	view_set(r->view, db_value(enc, 0, EN_REASON), "Data.enc.reason");
	view_set(r->view, view_lang(r->view, strcmp(db_value(enc, 0, EN_KIND), "walk_in") == 0
	                            ? "notes.kind.walk_in" : "notes.kind.appointment"), "Data.enc.kind");
}

/* The symptom-checker summaries the patient shared (triage/triage.c),
 * linked from the encounter. */
static void
set_previsits(struct req *r, struct db_result *res)
{
	for (size_t i = 0; i < db_rows(res); i++) {
		struct view_row *row = view_row(r->view, "Data.previsit.%zu", i);
		view_row_set(row, "id", db_value(res, i, 0));
		view_row_set(row, "complaint", db_value(res, i, 1));
		view_row_set(row, "level", view_lang(r->view, arena_printf(r->arena, "triage.level.%s.short",
		                                                        db_value(res, i, 2))));
		view_row_set(row, "when", db_value(res, i, 3));
	}
}

/* The blocks of a shared summary the doctor accepted (v->parts), added to
 * the draft's subjective section in the form: saved only when the doctor
 * saves the draft. */
static void
accept_previsit(struct req *r, const struct note_view *v, struct db_result *ver, struct db_result *sum)
{
	const char *text = db_rows(ver) == 1 ? db_value(ver, 0, NV_S) : "", *s;
	unsigned k = 0;

	if (db_rows(sum) != 1)
		return;
	for (s = db_value(sum, 0, 0); *s && text; k++) {
		const char *end = strstr(s, "\n\n");
		int len = end ? (int)(end - s) : (int)strlen(s);
		if (k < 32 && (v->parts & (1u << k)))
			text = arena_printf(r->arena, "%s%s%.*s", text, *text ? "\n\n" : "", len, s);
		s += end ? len + 2 : len;
	}
	if (text)
		view_set(r->view, text, "Form.subjective");
}

/* Read everything the page shows in one audited batch into the view. */
static int
note_fill(struct req *r, struct note_view *v)
{
	const char *only = v->staff ? "f" : "t";
	const char *p[4] = { r->record.patient_id_text, v->encounter, notes_tz(r), only };
	const char *pd[4] = { r->record.patient_id_text, v->encounter, r->lang, only };
	const char *pq[2] = { v->q, r->lang };
	const char *pt[2] = { code_array(r, v->dx, v->ndx), r->lang };
	struct db_batch b = { 0 };
	enum db_status st;
	const char *pp[2] = { r->record.patient_id_text, v->previsit };
	int enc, ver, dx, add, ic = -1, ti = -1, pv = -1, ps = -1, tr, rc;

	if (pt[0] == NULL || audit_read_add(r, &b, &r->record.patient_id, 1, "record.note",
	                   care_audit_object(r, arena_printf(r->arena, "note:%s", v->encounter))) != 0)
		return HTTP_INTERNAL_ERROR;
	enc = db_batch_add(&b, "notes_encounter", 4, p);
	ver = db_batch_add(&b, "notes_version", 4, p);
	dx = db_batch_add(&b, "notes_diagnoses", 4, pd);
	add = db_batch_add(&b, "notes_addenda", 3, p);
	if (v->staff && v->q && *v->q)
		ic = db_batch_add(&b, "icd10_search", 2, pq);
	if (v->staff && v->typed && v->ndx > 0)
		ti = db_batch_add(&b, "notes_codes", 2, pt);
	if (v->staff)
		pv = db_batch_add(&b, "triage_for_doctor", 1, p);
	if (v->staff && v->previsit)
		ps = db_batch_add(&b, "triage_shared_summary", 2, pp);
	tr = db_batch_add(&b, "tt_of_encounter", 3, p);    /* the consultation transcript */
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	if (db_rows(b.res[enc]) != 1)
		return HTTP_NOT_FOUND;
	set_encounter(r, b.res[enc]);
	if (!db_is_null(b.res[enc], 0, EN_SVERSION)) {
		if ((rc = set_signed(r, b.res[enc], b.res[ver], b.res[dx], b.res[add])) != 0)
			return rc;
	} else if (v->expect_signed) {
		return HTTP_INTERNAL_ERROR;   /* refused for another reason */
	} else {
		set_draft(r, v, b.res[ver], b.res[dx], ti >= 0 ? b.res[ti] : NULL, ic >= 0 ? b.res[ic] : NULL);
		if (ps >= 0 && !v->typed)
			accept_previsit(r, v, b.res[ver], b.res[ps]);
	}
	if (pv >= 0)
		set_previsits(r, b.res[pv]);
	tt_encounter_panel(r, b.res[tr], v->staff);
	if (v->q)
		view_set(r->view, v->q, "Form.q");
	if (v->alert)
		view_set(r->view, view_lang(r->view, v->alert), "Data.alert");
	if (v->conflict)
		view_set(r->view, "1", "Data.conflict");
	return 0;
}

static int
note_render(struct req *r, struct note_view *v, int status)
{
	int rc = note_fill(r, v);

	if (rc != 0)
		return rc;
	return page_show(r, "notes.note.title", v->staff ? "record/note.cs" : "record/note_show.cs", status);
}

static void set_done(struct req *r);

int
note_panel(struct req *r, const char *encounter, const char *back)
{
	struct note_view v = { .encounter = encounter, .staff = 1 };

	view_set(r->view, back, "Data.note_back");
	set_done(r);
	return note_fill(r, &v);
}

/* Where a save goes back to: the form's "back" when it is a call page
 * (/appointments/N/call, the side panel of docs/tele.md), else NULL. */
static const char *
note_back(const struct req *r)
{
	const char *b = fields_get(&r->form, "back");
	size_t n;

	if (b == NULL || strncmp(b, "/appointments/", 14) != 0)
		return NULL;
	n = strspn(b + 14, "0123456789");
	return n > 0 && n <= 18 && strcmp(b + 14 + n, "/call") == 0 ? b : NULL;
}

/* ?done= after a save, a signature, an addendum. */
static void
set_done(struct req *r)
{
	static const char *const codes[] = { "saved", "signed", "addendum", NULL };
	const char *done = fields_get(&r->query, "done");

	for (size_t i = 0; done && codes[i]; i++)
		if (strcmp(done, codes[i]) == 0)
			view_set(r->view, view_lang(r->view, arena_printf(r->arena, "notes.done.%s", codes[i])),
			         "Data.done");
}

int
note_page(struct req *r)
{
	struct note_view v = { .encounter = r->match.args[1], .staff = 1, .q = fields_get(&r->query, "q") };

	if (v.q && (utf8_char_count(v.q) > 100 || *v.q == '\0'))
		v.q = NULL;
	/* ?previsit=I&part=K...: blocks of a shared symptom-checker summary. */
	v.previsit = fields_get(&r->query, "previsit");
	if (v.previsit && !is_positive_id(v.previsit))
		return HTTP_BAD_REQUEST;
	for (size_t i = 0; v.previsit && i < r->query.n; i++)
		if (strcmp(r->query.v[i].name, "part") == 0 && atoi(r->query.v[i].value) >= 0 &&
		    atoi(r->query.v[i].value) < 32)
			v.parts |= 1u << atoi(r->query.v[i].value);
	set_done(r);
	return note_render(r, &v, HTTP_OK);
}

/* The patient's own signed note (/record/notes/E): 404 for a draft, for
 * another patient's note and for no note at all. */
int
note_mine(struct req *r)
{
	struct note_view v = { .encounter = r->match.args[0], .staff = 0 };

	return note_render(r, &v, HTTP_OK);
}

/* ------------------------------------------------------------ drafts */

static const char *const ops[] = { "save", "sign", "search", NULL };
static const struct field_rule draft_rules[] = {
	{ "base", FIELD_DIGITS, 1, 1, 9, NULL },
	{ "subjective", FIELD_MULTILINE, 0, 0, NOTE_TEXT_MAX, NULL },
	{ "objective", FIELD_MULTILINE, 0, 0, NOTE_TEXT_MAX, NULL },
	{ "assessment", FIELD_MULTILINE, 0, 0, NOTE_TEXT_MAX, NULL },
	{ "plan", FIELD_MULTILINE, 0, 0, NOTE_TEXT_MAX, NULL },
	{ "q", FIELD_TEXT, 0, 0, 100, NULL },
	{ "op", FIELD_CHOICE, 1, 0, 0, ops },
};

/* An ICD-10 code's shape (the catalog's CHECK says it exactly). */
static int
code_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 3 || n > CODE_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || (s[i] == '.' && i == 3)))
			return 0;
	return 1;
}

/* The checked boxes (name "dx"), distinct; -1 when one is malformed. */
static int
typed_codes(struct req *r, struct note_view *v)
{
	for (size_t i = 0; i < r->form.n; i++) {
		const char *c = r->form.v[i].value;
		if (strcmp(r->form.v[i].name, "dx") != 0)
			continue;
		if (!code_ok(c))
			return -1;
		if (listed(v->dx, v->ndx, c))
			continue;
		if (v->ndx == NOTEHASH_MAX_CODES) {
			form_error(r, "dx", "notes.errors.too_many");
			return 0;
		}
		v->dx[v->ndx++] = c;
	}
	return 0;
}

/* A typed section, with the browser's CRLF turned into LF (arena). */
static const char *
section(struct req *r, const char *name)
{
	const char *s = form_value(r, name);
	char *t = arena_strdup(r->arena, s ? s : "");

	if (t)
		notehash_normalize_newlines(t);
	return t;
}

/* Insert the draft (and sign it): 0 committed, else the status, with
 * v->conflict / v->expect_signed / a form error set for a re-showing. */
static int
draft_write(struct req *r, struct note_view *v, int sign, const char *const text[NSECTIONS])
{
	const char *version = arena_printf(r->arena, "%ld", strtol(form_value(r, "base"), NULL, 10) + 1);
	const char *p[8] = { r->record.patient_id_text, v->encounter, version, text[0], text[1],
	                     text[2], text[3], r->user.id_text };
	struct db_result *res;
	enum db_status st;

	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_query(&res, "notes_draft_add", 8, p)) != DB_OK) {
		db_rollback();
		if (st == DB_UNAVAILABLE)
			return HTTP_UNAVAILABLE;
		/* a unique violation: someone saved this version meanwhile;
		 * anything else: the trigger refusing a signed note's draft */
		if (st == DB_CONFLICT)
			v->conflict = 1;
		else
			v->expect_signed = 1;
		v->alert = st == DB_CONFLICT ? "notes.errors.changed" : "notes.errors.signed";
		return HTTP_CONFLICT;
	}
	if (db_rows(res) != 1) {
		db_rollback();
		return HTTP_NOT_FOUND;
	}
	if (v->ndx > 0) {
		const char *pd[3] = { v->encounter, version, code_array(r, v->dx, v->ndx) };
		if ((st = db_query(&res, "notes_diagnoses_add", 3, pd)) != DB_OK)
			return page_tx_fail(st);
		if (strtoul(db_value(res, 0, 0), NULL, 10) != v->ndx) {
			db_rollback();
			form_error(r, "dx", "notes.errors.unknown_code");
			return 422;
		}
	}
	if (sign) {
		struct note_content c = { strtoll(v->encounter, NULL, 10), text[0], text[1], text[2], text[3],
		                          v->dx, v->ndx };
		const char *ps[4] = { v->encounter, version, r->user.id_text, note_hash(r, &c) };
		if (ps[3] == NULL || (st = db_run("notes_sign", 4, ps)) != DB_OK)
			return page_tx_fail(ps[3] ? st : DB_ERROR);
	}
	if (audit_log(r, r->record.patient_id, sign ? "record.note_signed" : "record.note_saved",
	              arena_printf(r->arena, "encounter:%s version:%s", v->encounter, version)) != 0)
		return page_tx_fail(DB_ERROR);
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return 0;
}

/* POST of the draft form: op=save (a new version), op=sign (a new
 * version, signed), op=search (show codes matching q; nothing saved). */
int
note_post(struct req *r)
{
	struct note_view v = { .encounter = r->match.args[1], .staff = 1, .typed = 1 };
	const char *text[NSECTIONS], *op;
	int errors, rc;

	form_validate(r, draft_rules, sizeof(draft_rules) / sizeof(draft_rules[0]));
	if (typed_codes(r, &v) != 0)
		return HTTP_BAD_REQUEST;
	errors = r->form_errors;
	v.q = form_value(r, "q");
	if (v.q && *v.q == '\0')
		v.q = NULL;
	op = form_value(r, "op");
	if (op == NULL)
		return HTTP_BAD_REQUEST;
	if (strcmp(op, "search") == 0)
		return note_render(r, &v, errors ? 422 : HTTP_OK);
	for (int i = 0; i < NSECTIONS; i++)
		if ((text[i] = section(r, sections[i])) == NULL)
			return HTTP_INTERNAL_ERROR;
	if (strcmp(op, "sign") == 0 && !*text[0] && !*text[1] && !*text[2] && !*text[3]) {
		form_error(r, "assessment", "notes.errors.empty");
		errors++;
	}
	if (errors)
		return note_render(r, &v, 422);
	if ((rc = draft_write(r, &v, strcmp(op, "sign") == 0, text)) != 0)
		return rc >= 500 || rc == HTTP_NOT_FOUND ? rc : note_render(r, &v, rc);
	return page_redirect(r, arena_printf(r->arena, "%s?done=%s", note_back(r) ? note_back(r)
	                                     : notes_encounter_path(r, v.encounter),
	                                     strcmp(op, "sign") == 0 ? "signed" : "saved"));
}

/* ------------------------------------------------------------ addenda */

static const struct field_rule addendum_rules[] = {
	{ "body", FIELD_MULTILINE, 1, 1, NOTE_TEXT_MAX, NULL },
};

/* A signed addendum to a signed note; 409 before the note is signed. */
int
note_addendum(struct req *r)
{
	struct note_view v = { .encounter = r->match.args[1], .staff = 1 };
	const char *p[4] = { r->record.patient_id_text, v.encounter, notes_tz(r), "f" };
	const char *body, *hash, *id;
	struct db_result *res;
	enum db_status st;
	int rc;

	if (form_validate(r, addendum_rules, 1) != 0)
		return note_render(r, &v, 422);
	if ((rc = page_query_row(&res, "notes_encounter", 4, p)) != 0)
		return rc;
	if (db_is_null(res, 0, EN_SVERSION)) {
		v.alert = "notes.errors.unsigned";
		return note_render(r, &v, HTTP_CONFLICT);
	}
	if ((body = section(r, "body")) == NULL ||
	    (hash = addendum_hash(r, strtoll(v.encounter, NULL, 10), db_value(res, 0, EN_HASH), body)) == NULL)
		return HTTP_INTERNAL_ERROR;
	const char *pa[5] = { r->record.patient_id_text, v.encounter, body, r->user.id_text, hash };
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_query(&res, "notes_addendum_add", 5, pa)) != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) != 1) {
		db_rollback();
		return HTTP_NOT_FOUND;
	}
	id = arena_strdup(r->arena, db_value(res, 0, 0));
	if (audit_log(r, r->record.patient_id, "record.addendum_signed",
	              arena_printf(r->arena, "encounter:%s addendum:%s", v.encounter, id)) != 0)
		return page_tx_fail(DB_ERROR);
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return page_redirect(r, arena_printf(r->arena, "%s?done=addendum", notes_encounter_path(r, v.encounter)));
}
