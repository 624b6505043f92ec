/* care_corrections: a patient's requests to correct their record and the
 * answers. The patient asks (/record/corrections: what it is about and
 * the text) and reads the answers; a doctor with access to the record
 * answers (/patients/ID/corrections): accepted with a note (the change
 * itself is made on the record's own edit pages, as a new version) or
 * refused with a reason. Audited; the patient gets a notice. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/record/care_pages.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/json.h"
#include "core/outbox.h"
#include "core/request.h"
#include "core/status.h"
#include "core/validate.h"
#include "core/view.h"

enum { CO_ID, CO_ABOUT, CO_BODY, CO_AT, CO_STATUS, CO_ANSWER, CO_ANSWERED, CO_BY };

static const char *const correction_msgs[] = { "requested", "answered", "already_answered", NULL };

/* The correction page of r->record's patient: template tmpl, title key. */
static int
corrections_render(struct req *r, const char *title, const char *tmpl)
{
	static const char *const cols[] = {
		[CO_ID] = "id", [CO_ABOUT] = "about", [CO_BODY] = "body", [CO_AT] = "at",
		[CO_STATUS] = "status", [CO_ANSWER] = "answer", [CO_ANSWERED] = "answered",
		[CO_BY] = "by",
	};
	const char *p[2] = { r->record.patient_id_text, care_tz(r) };
	struct db_batch b = { 0 };
	int name = care_batch_read(r, &b, "corrections"), st;
	int list = db_batch_add(&b, "care_corrections", 2, p);

	if (list < 0)
		return HTTP_INTERNAL_ERROR;
	if ((st = care_run_read(r, &b, name)) != 0)
		return st;
	care_show_rows(r, b.res[list], "corrections", cols, CO_BY + 1, 100, 1u << CO_AT | 1u << CO_ANSWERED);
	care_show_message(r, correction_msgs);
	return page_show(r, title, tmpl, HTTP_OK);
}

int
care_corrections_own(struct req *r)
{
	return corrections_render(r, "care.corrections.title", "record/correction_own.cs");
}

int
care_corrections_staff(struct req *r)
{
	view_set(r->view, "1", "Data.staff_answer");
	return corrections_render(r, "care.corrections.staff_title", "record/correction_staff.cs");
}

static const struct field_rule request_rules[] = {
	{ "about", FIELD_TEXT, 1, 1, 200, NULL },
	{ "body", FIELD_MULTILINE, 1, 1, 2000, NULL },
};

int
care_correction_request(struct req *r)
{
	const char *p[3] = { r->record.patient_id_text, NULL, NULL };
	struct db_result *res;
	enum db_status st;

	if (form_validate(r, request_rules, 2) > 0)
		return care_corrections_own(r);
	p[1] = form_value(r, "about");
	p[2] = form_value(r, "body");
	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	if ((st = db_query(&res, "care_correction_request", 3, p)) != DB_OK || db_rows(res) != 1)
		return page_tx_fail(st);
	if (audit_log(r, r->record.patient_id, "record.correction_requested",
	              arena_printf(r->arena, "correction:%s", db_value(res, 0, 0))) == -1)
		return page_tx_fail(DB_ERROR);
	if (db_commit() != DB_OK)
		return page_tx_fail(DB_ERROR);
	return page_redirect(r, "/record/corrections?msg=requested");
}

static const char *const decisions[] = { "accepted", "refused", NULL };

static const struct field_rule answer_rules[] = {
	{ "decision", FIELD_CHOICE, 1, 0, 0, decisions },
	{ "answer", FIELD_MULTILINE, 0, 0, 2000, NULL },
};

/* After an answer that changed no row: already answered (a redirect that
 * says so) or not this patient's request (404). */
static int
answer_missed(struct req *r, const char *id)
{
	const char *p[2] = { id, r->record.patient_id_text };
	struct db_result *res;
	int st;

	if ((st = page_query_row(&res, "care_correction_status", 2, p)) != 0)
		return st;
	return page_redirect(r, arena_printf(r->arena, "/patients/%s/corrections?msg=already_answered",
	                                     r->record.patient_id_text));
}

int
care_correction_answer(struct req *r)
{
	const char *id = r->match.args[1];
	const char *p[5] = { id, r->record.patient_id_text, NULL, NULL, r->user.id_text };
	struct db_result *res;
	enum db_status st;

	form_validate(r, answer_rules, 2);
	p[2] = form_value(r, "decision");
	p[3] = form_value(r, "answer");
	if (p[2] && strcmp(p[2], "refused") == 0 && (p[3] == NULL || *p[3] == '\0'))
		form_error(r, "answer", "care.corrections.reason_required");
	if (r->form_errors) {
		view_set(r->view, id, "Form.id");
		return care_corrections_staff(r);
	}
	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	if ((st = db_query(&res, "care_correction_answer", 5, p)) != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) != 1) {
		db_rollback();
		return answer_missed(r, id);
	}
	if (audit_log(r, r->record.patient_id, "record.correction_answered",
	              care_audit_object(r, arena_printf(r->arena, "correction:%s %s", id, p[2]))) == -1 ||
	    outbox_notice(r->record.patient_id, "correction_answered",
	                  "{}", "/record/corrections") == -1)
		return page_tx_fail(DB_ERROR);
	if (db_commit() != DB_OK)
		return page_tx_fail(DB_ERROR);
	return page_redirect(r, arena_printf(r->arena, "/patients/%s/corrections?msg=answered",
	                                     r->record.patient_id_text));
}
