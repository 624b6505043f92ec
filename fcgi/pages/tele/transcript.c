/* transcript: the consultation transcript of a video visit: the doctor
 * reviews what medsys-transcriber heard, merged with the in-call chat, and
 * saves it as a new version attached to the encounter; the patient reads
 * the reviewed version (docs/tele.md "Transcript"). */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/tele/transcript.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/care.h"
#include "core/request.h"
#include "core/status.h"
#include "core/validate.h"
#include "core/view.h"

/* Characters of a reviewed transcript (ehr.transcript_versions). */
#define TRANSCRIPT_MAX 200000

enum { TL_AT, TL_NAME, TL_ROLE, TL_SOURCE, TL_BODY };
enum { TV_VERSION, TV_BODY, TV_SAVED, TV_BY };

/* "[10:02:13] Ana Ruiz (patient, voice): text", one per line: the text
 * the doctor starts from when nothing was reviewed yet (arena). */
static const char *
draft(struct req *r, struct db_result *lines)
{
	const char *out = "";

	for (size_t i = 0; i < db_rows(lines) && out; i++) {
		const char *role = view_lang(r->view, arena_printf(r->arena, "tele.transcript.role.%s",
		                                                    db_value(lines, i, TL_ROLE)));
		const char *src = view_lang(r->view, arena_printf(r->arena, "tele.transcript.source.%s",
		                                                   db_value(lines, i, TL_SOURCE)));
		out = arena_printf(r->arena, "%s[%s] %s (%s, %s): %s\n", out, db_value(lines, i, TL_AT),
		                   db_value(lines, i, TL_NAME), role, src, db_value(lines, i, TL_BODY));
	}
	return out;
}

static void
set_lines(struct req *r, struct db_result *lines)
{
	for (size_t i = 0; i < db_rows(lines); i++) {
		struct view_row *row = view_row(r->view, "Data.lines.%zu", i);
		view_row_set(row, "at", db_value(lines, i, TL_AT));
		view_row_set(row, "name", db_value(lines, i, TL_NAME));
		view_row_set(row, "role", view_lang(r->view, arena_printf(r->arena, "tele.transcript.role.%s",
		                                                           db_value(lines, i, TL_ROLE))));
		view_row_set(row, "source", db_value(lines, i, TL_SOURCE));
		view_row_set(row, "body", db_value(lines, i, TL_BODY));
	}
}

/* A reviewed version's row (tt_latest's columns) into node.version,
 * .body, .saved and .by. */
static void
set_version(struct req *r, struct db_result *v, const char *node)
{
	view_set(r->view, db_value(v, 0, TV_VERSION), "%s.version", node);
	view_set(r->view, db_value(v, 0, TV_BODY), "%s.body", node);
	view_set(r->view, page_when(r, db_value(v, 0, TV_SAVED)), "%s.saved", node);
	view_set(r->view, db_value(v, 0, TV_BY), "%s.by", node);
}

/* The newest reviewed version (may be none). */
static void
set_latest(struct req *r, struct db_result *v)
{
	view_set(r->view, db_rows(v) == 1 ? db_value(v, 0, TV_VERSION) : "0", "Form.base");
	if (db_rows(v) == 1)
		set_version(r, v, "Data.latest");
}

/* Read what the page shows in one audited batch and show it; the
 * doctor's form keeps what was typed when r->form_errors. */
static int
show(struct req *r, const struct tt_room *t, int status)
{
	const char *pl[2] = { t->id, page_tz(r) }, *pv[2] = { t->encounter, page_tz(r) };
	struct db_batch b = { 0 };
	enum db_status st;
	int lines = -1, pending = -1, latest = -1;

	if (audit_read_add(r, &b, &t->patient, 1, "record.transcript",
	                   care_audit_object(r, arena_printf(r->arena, "transcript:room:%s", t->id))) != 0)
		return HTTP_INTERNAL_ERROR;
	if (t->is_doctor) {
		lines = db_batch_add(&b, "tt_lines", 2, pl);
		pending = db_batch_add(&b, "tt_pending", 1, pl);
	}
	if (t->encounter)
		latest = db_batch_add(&b, "tt_latest", 2, pv);
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	view_set(r->view, t->appointment, "Data.appointment");
	if (t->is_doctor) {
		view_set(r->view, "1", "Data.doctor");
		set_lines(r, b.res[lines]);
		view_set(r->view, db_value(b.res[pending], 0, 0), "Data.pending");
	}
	if (t->encounter) {
		view_set(r->view, t->encounter, "Data.encounter");
		view_set_int(r->view, t->patient, "Data.patient");
		set_latest(r, b.res[latest]);
	}
	if (t->is_doctor && !r->form_errors && !r->form.n)
		view_set(r->view, latest >= 0 && db_rows(b.res[latest]) == 1
		         ? db_value(b.res[latest], 0, TV_BODY) : draft(r, b.res[lines]), "Form.body");
	if (fields_get(&r->query, "done"))
		view_set(r->view, view_lang(r->view, "tele.transcript.saved"), "Data.done");
	return page_show(r, "tele.transcript.title", "tele/transcript.cs", status);
}

int
tt_transcript_page(struct req *r)
{
	struct tt_room t;
	int st;

	if ((st = tt_room_load(r, &t)) != 0)
		return st;
	return show(r, &t, HTTP_OK);
}

static const struct field_rule save_rules[] = {
	{ "base", FIELD_DIGITS, 1, 1, 9, NULL },
	{ "body", FIELD_MULTILINE, 1, 1, TRANSCRIPT_MAX, NULL },
};

/* The edited transcript as version base + 1 of the encounter's; someone
 * else's save in between is a conflict shown on the page (409). */
int
tt_transcript_post(struct req *r)
{
	struct db_result *res = NULL;
	struct tt_room t;
	enum db_status st;
	int rc;

	if ((rc = tt_room_load(r, &t)) != 0)
		return rc;
	if (!t.is_doctor)
		return HTTP_NOT_FOUND;
	if (form_validate(r, save_rules, 2) != 0)
		return show(r, &t, HTTP_BAD_REQUEST);
	if (t.encounter == NULL) {
		form_error(r, "body", "tele.transcript.no_encounter");
		return show(r, &t, HTTP_CONFLICT);
	}
	const char *p[5] = { t.encounter, form_value(r, "base"), t.id, form_value(r, "body"), r->user.id_text };
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	st = db_query(&res, "tt_version_add", 5, p);
	if (st == DB_CONFLICT || (st == DB_OK && db_rows(res) != 1)) {
		db_rollback();
		form_error(r, "body", "tele.transcript.conflict");
		return show(r, &t, HTTP_CONFLICT);
	}
	if (st != DB_OK)
		return page_tx_fail(st);
	if (audit_log(r, t.patient, "record.transcript_saved",
	              arena_printf(r->arena, "encounter:%s version:%s", t.encounter, db_value(res, 0, 0))) != 0 ||
	    (st = db_commit()) != DB_OK)
		return page_tx_fail(st == DB_OK ? DB_ERROR : st);
	return page_redirect(r, arena_printf(r->arena, "/appointments/%s/transcript?done=saved", t.appointment));
}

void
tt_encounter_panel(struct req *r, struct db_result *res, int staff)
{
	enum { EP_APPOINTMENT = TV_BY + 1 };

	if (db_rows(res) != 1)
		return;
	set_version(r, res, "Data.transcript");
	if (staff && !db_is_null(res, 0, EP_APPOINTMENT))
		view_set(r->view, arena_printf(r->arena, "/appointments/%s/transcript",
		                               db_value(res, 0, EP_APPOINTMENT)), "Data.transcript.review");
}
