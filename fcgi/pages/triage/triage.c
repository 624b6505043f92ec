/* triage: the symptom checker's pages: the start form, the anonymous
 * interview (its state in the URL, nothing stored), the stored interview
 * of a signed-in patient (bot.interviews, resumable), consent to share it
 * with the next appointment's doctor, the doctor's read-only view, and
 * the way into booking. docs/triage.md "Pages". */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/triage/tri.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/care.h"
#include "core/config.h"
#include "core/fields.h"
#include "core/request.h"
#include "core/validate.h"
#include "core/view.h"

#define TRI_REASON_COOKIE "triage_reason"
#define TRI_REASON_AGE    3600     /* seconds the booking form keeps the reason */

/* The start page again with what was typed and, when error is set, why
 * it was refused. */
static int
show_start(struct req *r, const struct fields *f, const char *error, int status)
{
	static const char *const keep[] = { "age", "sex", "preg", "c" };
	const char *p[2] = { r->user.id_text, page_tz(r) };
	struct db_result *res;
	int rc;

	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		const char *v = f ? fields_get(f, keep[i]) : NULL;
		if (v)
			view_set(r->view, v, "Data.form.%s", keep[i]);
	}
	if (error)
		view_set(r->view, view_lang(r->view, error), "Data.error");
	if (r->roles & ROLE_PATIENT) {
		/* The patient's own interviews, to resume or read again. */
		if ((rc = audit_read(r, &r->user.id, 1, "record.triage_list", "triage")) != 0)
			return rc;
		if (db_query(&res, "triage_list", 2, p) == DB_OK)
			for (size_t i = 0; i < db_rows(res); i++) {
				struct view_row *row = view_row(r->view, "Data.mine.%zu", i);
				view_row_set(row, "id", db_value(res, i, 0));
				view_row_set(row, "complaint", db_value(res, i, 1));
				view_row_set(row, "status", db_value(res, i, 2));
				view_row_set(row, "level", db_value(res, i, 3));
				view_row_set(row, "when", db_value(res, i, 4));
			}
		view_set(r->view, "1", "Data.stored");
	}
	return page_show(r, "triage.start.title", "triage/start.cs", status);
}

static int
tri_start(struct req *r)
{
	return show_start(r, &r->query, NULL, HTTP_OK);
}

/* ----------------------------------------------------------- anonymous */

/* The canonical URL of an anonymous interview in s. */
static const char *
anon_url(struct req *r, const struct triage_kb *kb, const struct tri_state *s)
{
	const char *a = tri_encode(r, kb, s);

	if (a == NULL)
		return NULL;
	return arena_printf(r->arena, "/triage/interview?age=%d&sex=%s&preg=%d&c=%s&s=%d&a=%s",
	                    s->who.age, tkb_sex_name(s->who.sex), s->who.pregnant,
	                    form_url_encode(r->arena, s->complaint), s->started, a);
}

/* GET /triage/interview: everything comes with the request (age, sex,
 * preg, c, s, a) and a step (q and r, picks f, keep) answers 303 to the
 * new state's URL, so reloading or going back in the browser is safe. */
static int
tri_anon(struct req *r)
{
	const struct triage_kb *kb = tri_kb(r);
	struct tri_state *s = arena_alloc(r->arena, sizeof(*s));
	struct triage_result res;
	const struct tri_view v = { "/triage/interview", 0, 0 };
	const char *err, *a = fields_get(&r->query, "a");
	int step;

	if (kb == NULL)
		return HTTP_UNAVAILABLE;
	if (s == NULL)
		return HTTP_INTERNAL_ERROR;
	if ((err = tri_person(r, &r->query, s)) != NULL)
		return show_start(r, &r->query, err, HTTP_BAD_REQUEST);
	s->started = fields_get(&r->query, "s") && strcmp(fields_get(&r->query, "s"), "1") == 0;
	if (a && *a) {
		int n;
		if (strlen(a) > TRI_ANSWERS_TEXT ||
		    (n = triage_answers_decode(kb, a, s->ans, TRIAGE_MAX_ANSWERS)) < 0)
			return HTTP_BAD_REQUEST;
		s->n = (size_t)n;
	}
	if (!s->started && s->n == 0 && fields_get(&r->query, "f") == NULL &&
	    fields_get(&r->query, "none") == NULL) {
		if (tri_match(kb, s) == -1)
			return show_start(r, &r->query, "triage.error.unknown", HTTP_OK);
		if (s->started)
			return page_redirect(r, anon_url(r, kb, s));
		return tri_show(r, kb, s, &v, &res);
	}
	if ((step = tri_step(kb, &r->query, s)) == -1)
		return HTTP_BAD_REQUEST;
	if (step == 1)
		return page_redirect(r, anon_url(r, kb, s));
	return tri_show(r, kb, s, &v, &res);
}

/* -------------------------------------------------------------- stored */

/* The interview named by the route's last capture, of r->record's patient,
 * into *sp (arena); *row gets its row. Another patient's: 404 and a record.denied
 * audit row about its owner; none at all: 404; shared_only (a doctor)
 * and not shared: 404 and a record.denied row. Reads are audited before
 * anything is shown. 0 or the status to answer. */
static int
load(struct req *r, int shared_only, struct tri_state **sp, struct db_result **row)
{
	struct tri_state *s = arena_alloc(r->arena, sizeof(*s));
	const char *id = r->match.args[r->match.nargs - 1];
	const char *p[3] = { id, r->record.patient_id_text, page_tz(r) };
	const struct triage_kb *kb = tri_kb(r);
	struct db_result *res;
	enum db_status st;
	int n;

	if (kb == NULL)
		return HTTP_UNAVAILABLE;
	if (s == NULL)
		return HTTP_INTERNAL_ERROR;
	if ((st = db_query(&res, "triage_get", 3, p)) != DB_OK)
		return db_http_status(st);
	if (db_rows(res) == 0) {
		long long owner = 0;
		struct db_result *o;
		if (db_query(&o, "triage_owner", 1, p) == DB_OK && db_rows(o) == 1)
			owner = atoll(db_value(o, 0, 0));
		/* Someone else's: a refusal, audited about its owner. None at
		 * all: nothing was refused (the same 404 to the visitor). */
		if (owner > 0)
			audit_log(r, owner, "record.denied", arena_printf(r->arena, "triage:%s", id));
		return HTTP_NOT_FOUND;
	}
	if (shared_only && strcmp(db_value(res, 0, 8), "t") != 0) {
		audit_log(r, r->record.patient_id, "record.denied", arena_printf(r->arena, "triage:%s not shared", id));
		return HTTP_NOT_FOUND;
	}
	if ((n = audit_read(r, &r->record.patient_id, 1, "record.triage",
	                    care_audit_object(r, arena_printf(r->arena, "triage:%s", id)))) != 0)
		return n;
	memset(s, 0, sizeof(*s));
	s->who.age = atoi(db_value(res, 0, 1));
	s->who.sex = tkb_sex_named(db_value(res, 0, 2));
	s->who.pregnant = strcmp(db_value(res, 0, 3), "t") == 0;
	s->complaint = db_value(res, 0, 4);
	s->started = strcmp(db_value(res, 0, 5), "t") == 0;
	/* A base whose findings changed since: what no longer decodes is
	 * asked again rather than lost silently into a wrong result. */
	n = *db_value(res, 0, 6) ? triage_answers_decode(kb, db_value(res, 0, 6), s->ans, TRIAGE_MAX_ANSWERS) : 0;
	s->n = n < 0 ? 0 : (size_t)n;
	*row = res;
	*sp = s;
	return 0;
}

static void
set_row(struct req *r, struct db_result *row)
{
	view_set(r->view, db_value(row, 0, 0), "Data.id");
	view_set(r->view, strcmp(db_value(row, 0, 8), "t") == 0 ? "1" : "", "Data.consented");
	view_set(r->view, db_value(row, 0, 9), "Data.appointment");
	view_set(r->view, db_value(row, 0, 10), "Data.created");
	view_set(r->view, db_value(row, 0, 11), "Data.summary");
}

/* POST /triage: a signed-in patient's new interview. */
static int
tri_create(struct req *r)
{
	const struct triage_kb *kb = tri_kb(r);
	struct tri_state *s = arena_alloc(r->arena, sizeof(*s));
	const char *err, *a, *p[8];
	char age[8];
	struct db_result *res;
	enum db_status st;

	if (kb == NULL)
		return HTTP_UNAVAILABLE;
	if (s == NULL)
		return HTTP_INTERNAL_ERROR;
	if ((err = tri_person(r, &r->form, s)) != NULL)
		return show_start(r, &r->form, err, HTTP_BAD_REQUEST);
	if (tri_match(kb, s) == -1)
		return show_start(r, &r->form, "triage.error.unknown", HTTP_OK);
	if ((a = tri_encode(r, kb, s)) == NULL)
		return HTTP_INTERNAL_ERROR;
	snprintf(age, sizeof(age), "%d", s->who.age);
	p[0] = r->user.id_text;
	p[1] = age;
	p[2] = tkb_sex_name(s->who.sex);
	p[3] = s->who.pregnant ? "true" : "false";
	p[4] = s->complaint;
	p[5] = s->started ? "true" : "false";
	p[6] = a;
	p[7] = kb->version;
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_query(&res, "triage_insert", 8, p)) != DB_OK || db_rows(res) != 1)
		return page_tx_fail(st);
	if (audit_log(r, r->user.id, "record.triage_add",
	              arena_printf(r->arena, "triage:%s", db_value(res, 0, 0))) == -1)
		return page_tx_fail(DB_ERROR);
	if ((st = db_commit()) != DB_OK)
		return db_http_status(st);
	return page_redirect(r, arena_printf(r->arena, "/triage/%s", db_value(res, 0, 0)));
}

/* GET /triage/ID: the patient's interview, where it stands. */
static int
tri_own(struct req *r)
{
	struct tri_state *s;
	struct triage_result res;
	struct db_result *row;
	struct tri_view v = { NULL, 1, 0 };
	int rc;

	if ((rc = load(r, 0, &s, &row)) != 0)
		return rc;
	set_row(r, row);
	v.self = arena_printf(r->arena, "/triage/%s", db_value(row, 0, 0));
	return tri_show(r, tri_kb(r), s, &v, &res);
}

/* POST /triage/ID: one step (an answer, picks, going back), stored with
 * the engine's status and level after it. */
static int
tri_answer(struct req *r)
{
	const struct triage_kb *kb = tri_kb(r);
	struct tri_state *s;
	struct triage_result res;
	struct db_result *row;
	const char *p[6], *id;
	enum db_status st;
	size_t ok;
	int rc;

	if ((rc = load(r, 0, &s, &row)) != 0)
		return rc;
	id = db_value(row, 0, 0);
	if (tri_step(kb, &r->form, s) != 1)
		return HTTP_BAD_REQUEST;
	triage_run(kb, &s->who, s->ans, s->n, &res, NULL);
	p[0] = id;
	p[1] = r->record.patient_id_text;
	p[2] = s->started ? "true" : "false";
	p[3] = tri_encode(r, kb, s);
	p[4] = !s->started || res.status == TRIAGE_ASK ? "open" : res.status == TRIAGE_REDFLAG ? "redflag" : "done";
	p[5] = strcmp(p[4], "open") ? tkb_urgency_name(res.level) : NULL;
	if (p[3] == NULL)
		return HTTP_BAD_REQUEST;
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_run_rows("triage_save", 6, p, &ok)) != DB_OK || ok != 1)
		return page_tx_fail(st);
	if (audit_log(r, r->record.patient_id, "record.triage_answer", arena_printf(r->arena, "triage:%s", id)) == -1)
		return page_tx_fail(DB_ERROR);
	if ((st = db_commit()) != DB_OK)
		return db_http_status(st);
	return page_redirect(r, arena_printf(r->arena, "/triage/%s", id));
}

/* POST /triage/ID/consent: the finished interview becomes a draft
 * pre-visit summary, attached to the patient's next appointment. */
static int
tri_consent(struct req *r)
{
	const struct triage_kb *kb = tri_kb(r);
	struct tri_state *s;
	struct triage_result res;
	struct db_result *row, *out;
	const char *p[3], *id;
	enum db_status st;
	int rc;

	if ((rc = load(r, 0, &s, &row)) != 0)
		return rc;
	id = db_value(row, 0, 0);
	if (!s->started || triage_run(kb, &s->who, s->ans, s->n, &res, NULL) == TRIAGE_ASK)
		return HTTP_CONFLICT;
	p[0] = id;
	p[1] = r->record.patient_id_text;
	p[2] = tri_summary(r, kb, s, &res);
	if (p[2] == NULL)
		return HTTP_INTERNAL_ERROR;
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_query(&out, "triage_consent", 3, p)) != DB_OK || db_rows(out) != 1)
		return page_tx_fail(st == DB_OK ? DB_ERROR : st);
	if (audit_log(r, r->record.patient_id, "record.triage_consent",
	              arena_printf(r->arena, "triage:%s appointment:%s", id, db_value(out, 0, 1))) == -1)
		return page_tx_fail(DB_ERROR);
	if ((st = db_commit()) != DB_OK)
		return db_http_status(st);
	return page_redirect(r, arena_printf(r->arena, "/triage/%s", id));
}

/* The summary's blocks (apart by a blank line) for the doctor to accept
 * into the note of the encounter ?encounter=E (record/notes.c adds the
 * ones ticked to the draft's subjective section). */
static void
set_parts(struct req *r, const char *summary)
{
	const char *enc = fields_get(&r->query, "encounter");
	size_t k = 0;

	if (enc == NULL || !is_positive_id(enc))
		return;
	view_set(r->view, arena_printf(r->arena, "/patients/%s/encounters/%s", r->record.patient_id_text, enc),
	         "Data.note_action");
	while (*summary) {
		const char *end = strstr(summary, "\n\n");
		size_t len = end ? (size_t)(end - summary) : strlen(summary);
		char *part = arena_alloc(r->arena, len + 1);
		if (part == NULL)
			return;
		memcpy(part, summary, len);
		part[len] = '\0';
		view_set(r->view, part, "Data.parts.%zu.text", k);
		view_set_int(r->view, (long long)k, "Data.parts.%zu.k", k);
		k++;
		summary += end ? len + 2 : len;
	}
}

/* GET /patients/PID/triage/ID: a doctor in the patient's care reads an
 * interview the patient agreed to share (others: 404, audited). */
static int
tri_doctor(struct req *r)
{
	struct tri_state *s;
	struct triage_result res;
	struct db_result *row;
	struct tri_view v = { NULL, 1, 1 };
	int rc;

	if ((rc = load(r, 1, &s, &row)) != 0)
		return rc;
	set_row(r, row);
	set_parts(r, db_value(row, 0, 11));
	v.self = arena_printf(r->arena, "/patients/%s/triage/%s", r->record.patient_id_text, db_value(row, 0, 0));
	return tri_show(r, tri_kb(r), s, &v, &res);
}

/* GET /triage/book?specialty=CODE&reason=TEXT: the booking pages with the
 * specialty chosen; the reason waits in a short-lived cookie for the
 * booking form (appointments/booking.c), across signing in. */
static int
tri_book(struct req *r)
{
	const char *code = fields_get(&r->query, "specialty"), *reason = fields_get(&r->query, "reason");
	struct db_result *res;
	int rc;

	if (code == NULL || reason == NULL || utf8_char_count(reason) > 400)
		return HTTP_BAD_REQUEST;
	if ((rc = page_query_row(&res, "triage_specialty", 1, &code)) != 0)
		return rc;
	if (resp_set_cookie(r, TRI_REASON_COOKIE,
	                    arena_printf(r->arena, "r=%s", form_url_encode(r->arena, reason)), TRI_REASON_AGE) == -1)
		return HTTP_INTERNAL_ERROR;
	return page_redirect(r, arena_printf(r->arena, "/doctors?specialty=%s", db_value(res, 0, 0)));
}

#define ID "([1-9][0-9]{0,17})"

const struct route triage_routes[] = {
	/* name              method       pattern                                handler      roles          csrf pre_mfa cap   record */
	{ "triage",          METHOD_GET,  "/triage",                             tri_start,   ROLE_EVERYONE, 0,   0,      NULL, RECORD_NONE },
	{ "triage_anon",     METHOD_GET,  "/triage/interview",                   tri_anon,    ROLE_EVERYONE, 0,   0,      NULL, RECORD_NONE },
	{ "triage_book",     METHOD_GET,  "/triage/book",                        tri_book,    ROLE_EVERYONE, 0,   0,      NULL, RECORD_NONE },
	{ "triage_new",      METHOD_POST, "/triage",                             tri_create,  ROLE_PATIENT,  1,   0,      NULL, RECORD_OWN },
	{ "triage_own",      METHOD_GET,  "/triage/" ID,                         tri_own,     ROLE_PATIENT,  0,   0,      NULL, RECORD_OWN },
	{ "triage_answer",   METHOD_POST, "/triage/" ID,                         tri_answer,  ROLE_PATIENT,  1,   0,      NULL, RECORD_OWN },
	{ "triage_consent",  METHOD_POST, "/triage/" ID "/consent",              tri_consent, ROLE_PATIENT,  1,   0,      NULL, RECORD_OWN },
	{ "triage_doctor",   METHOD_GET,  "/patients/([0-9]{1,18})/triage/" ID,  tri_doctor,  ROLE_DOCTOR,   0,   0,      NULL, RECORD_CLINICAL },
};
const size_t triage_routes_n = sizeof(triage_routes) / sizeof(triage_routes[0]);
