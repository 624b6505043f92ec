/* care_assign: care assignments, made and ended by reception or an
 * administrator: a doctor assigned to a patient has a care relationship
 * without an appointment (ehr.care_basis). Demographics only: these pages
 * never show clinical content. Every change is audited. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/record/care_pages.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/request.h"
#include "core/status.h"
#include "core/validate.h"
#include "core/view.h"

enum { AS_ID, AS_DOCTOR, AS_SINCE, AS_BY, AS_ENDED, AS_ENDED_BY };

static const char *const assignment_msgs[] = { "assigned", "already_assigned", "ended", NULL };

/* The assignments page of r->record's patient (also after a form error). */
static int
assignments_render(struct req *r)
{
	static const char *const cols[] = {
		[AS_ID] = "id", [AS_DOCTOR] = "doctor", [AS_SINCE] = "since", [AS_BY] = "by",
		[AS_ENDED] = "ended", [AS_ENDED_BY] = "ended_by",
	};
	const char *p[2] = { r->record.patient_id_text, care_tz(r) };
	static const char *const doctor_cols[] = { "id", "name" };
	struct db_batch b = { 0 };
	int name = care_batch_read(r, &b, "assignments"), st;
	int list = db_batch_add(&b, "care_assignments", 2, p);
	int doctors = db_batch_add(&b, "care_assignable_doctors", 0, NULL);

	if (list < 0 || doctors < 0)
		return HTTP_INTERNAL_ERROR;
	if ((st = care_run_read(r, &b, name)) != 0)
		return st;
	care_show_rows(r, b.res[list], "assignments", cols, AS_ENDED_BY + 1, 200, 1u << AS_SINCE | 1u << AS_ENDED);
	care_show_rows(r, b.res[doctors], "doctors", doctor_cols, 2, 500, 0);
	care_show_message(r, assignment_msgs);
	return page_show(r, "care.assign.title", "record/care_assignments.cs", HTTP_OK);
}

int
care_assignments(struct req *r)
{
	return assignments_render(r);
}

static const struct field_rule assign_rules[] = {
	{ "doctor", FIELD_ID, 1, 0, 0, NULL },
};

static int
assignments_redirect(struct req *r, const char *msg)
{
	return page_redirect(r, arena_printf(r->arena, "/patients/%s/assignments?msg=%s",
	                                     r->record.patient_id_text, msg));
}

int
care_assign_post(struct req *r)
{
	const char *p[3] = { r->record.patient_id_text, NULL, r->user.id_text };
	struct db_result *res;
	enum db_status st;

	if (form_validate(r, assign_rules, 1) > 0)
		return assignments_render(r);
	p[1] = form_value(r, "doctor");
	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	st = db_query(&res, "care_assign", 3, p);
	if (st == DB_CONFLICT) {
		/* That doctor is already assigned (assignments_open). */
		db_rollback();
		return assignments_redirect(r, "already_assigned");
	}
	if (st != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) != 1) {
		db_rollback();
		form_error(r, "doctor", "care.assign.no_doctor");
		return assignments_render(r);
	}
	if (audit_log(r, r->record.patient_id, "record.assignment_added",
	              arena_printf(r->arena, "assignment:%s doctor:%s", db_value(res, 0, 0), p[1])) == -1)
		return page_tx_fail(DB_ERROR);
	if (db_commit() != DB_OK)
		return page_tx_fail(DB_ERROR);
	return assignments_redirect(r, "assigned");
}

int
care_assignment_end(struct req *r)
{
	const char *p[3] = { r->match.args[1], r->record.patient_id_text, r->user.id_text };
	struct db_result *res;
	enum db_status st;

	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	if ((st = db_query(&res, "care_assignment_end", 3, p)) != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) != 1) {
		db_rollback();
		return HTTP_NOT_FOUND;
	}
	if (audit_log(r, r->record.patient_id, "record.assignment_ended",
	              arena_printf(r->arena, "assignment:%s doctor:%s", p[0], db_value(res, 0, 0))) == -1)
		return page_tx_fail(DB_ERROR);
	if (db_commit() != DB_OK)
		return page_tx_fail(DB_ERROR);
	return assignments_redirect(r, "ended");
}
