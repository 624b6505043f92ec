/* care: the care-relationship pages of the record: break-glass (a doctor
 * without a care relationship states a reason and gets access for a
 * limited time; the patient is told), the administrators' break-glass
 * report, and the route table of every care page (care_pages.h). Access
 * to the record itself is decided in core (fcgi/core/care.c). */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/record/care_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/json.h"
#include "core/outbox.h"
#include "core/request.h"
#include "core/status.h"
#include "core/validate.h"
#include "core/view.h"

/* ------------------------------------------------------------ helpers */

const char *
care_tz(const struct req *r)
{
	return r->cfg->clinic_timezone[0] ? r->cfg->clinic_timezone : "UTC";
}

int
care_batch_read(struct req *r, struct db_batch *b, const char *what)
{
	const char **p = arena_alloc(r->arena, sizeof(*p));

	if (p == NULL ||
	    audit_read_add(r, b, &r->record.patient_id, 1, arena_printf(r->arena, "record.%s", what),
	                   care_audit_object(r, what)) == -1)
		return -1;
	p[0] = r->record.patient_id_text;
	return db_batch_add(b, "care_patient", 1, p);
}

/* Data.patient.id/name from care_patient's result. */
static void
show_patient(struct req *r, struct db_result *res)
{
	view_set(r->view, r->record.patient_id_text, "Data.patient.id");
	if (db_rows(res) == 1)
		view_set(r->view, db_value(res, 0, 0), "Data.patient.name");
}

int
care_run_read(struct req *r, struct db_batch *b, int name)
{
	enum db_status st;

	if (name < 0)
		return HTTP_INTERNAL_ERROR;
	if ((st = db_batch_run(b)) != DB_OK)
		return db_http_status(st);
	show_patient(r, b->res[name]);
	return 0;
}

void
care_show_rows(struct req *r, struct db_result *res, const char *list,
               const char *const *cols, size_t ncols, size_t max, unsigned when)
{
	for (size_t i = 0; i < db_rows(res) && i < max; i++) {
		struct view_row *row = view_row(r->view, "Data.%s.%zu", list, i);
		for (size_t c = 0; c < ncols; c++) {
			const char *v = db_value(res, i, (int)c);
			if (cols[c])
				view_row_set(row, cols[c], (when >> c & 1u) && *v ? page_when(r, v) : v);
		}
	}
}

void
care_show_message(struct req *r, const char *const *codes)
{
	const char *m = fields_get(&r->query, "msg");
	char key[64];

	for (; m && *codes; codes++)
		if (strcmp(*codes, m) == 0) {
			snprintf(key, sizeof(key), "care.msg.%s", m);
			view_set(r->view, view_lang(r->view, key), "Data.msg");
			return;
		}
}

void
care_show_paging(struct req *r, struct db_result *res, const char *before)
{
	if (db_rows(res) > CARE_PAGE_ROWS)
		view_set(r->view, db_value(res, CARE_PAGE_ROWS - 1, 0), "Data.next_before");
	if (before)
		view_set(r->view, "1", "Data.paged");
}

/* ------------------------------------------------------- break-glass */

/* The patient of a break-glass route (not a record route: the doctor has
 * no access yet): r->record.patient_id from the capture, Data.patient.*.
 * An id that is no patient's: 404 with the "record.denied" row a refused
 * record route would leave. */
static int
break_glass_patient(struct req *r)
{
	const char *p[1] = { r->match.args[0] };
	struct db_result *res;
	int st;

	snprintf(r->record.patient_id_text, sizeof(r->record.patient_id_text), "%s", p[0]);
	r->record.patient_id = strtoll(p[0], NULL, 10);
	if ((st = page_query_row(&res, "care_patient", 1, p)) == HTTP_NOT_FOUND)
		audit_log(r, r->record.patient_id, "record.denied",
		          arena_printf(r->arena, "%s status=404", r->match.route->name));
	if (st != 0)
		return st;
	show_patient(r, res);
	view_set(r->view, page_duration(r, r->cfg->break_glass_minutes), "Data.duration");
	return 0;
}

static int
break_glass_form(struct req *r)
{
	int st = break_glass_patient(r);

	if (st != 0)
		return st;
	return page_show(r, "care.break_glass.title", "record/care_break_glass.cs", HTTP_OK);
}

static const struct field_rule break_glass_rules[] = {
	{ "reason", FIELD_MULTILINE, 1, 10, 500, NULL },
};

/* The grant, its audit row (the grant's id, never the reason), the
 * patient's notice and the event that mails them (break_glass.notify,
 * docs/events.md), in one transaction. */
static int
break_glass_grant(struct req *r)
{
	char minutes[16];
	const char *p[5] = { r->user.id_text, r->record.patient_id_text, form_value(r, "reason"),
	                     minutes, care_tz(r) };
	const char *grant, *until, *doctor, *ev[4] = { NULL, NULL, NULL, NULL };
	struct db_result *res;
	enum db_status st;

	snprintf(minutes, sizeof(minutes), "%d", r->cfg->break_glass_minutes);
	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	if ((st = db_query(&res, "care_break_glass_grant", 5, p)) != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) != 1) {
		db_rollback();
		return HTTP_NOT_FOUND;
	}
	grant = db_value(res, 0, 0);
	until = db_value(res, 0, 1);
	doctor = db_value(res, 0, 2);
	ev[0] = "break_glass.notify";
	ev[1] = arena_printf(r->arena, "{\"grant_id\":%s}", grant);
	if (audit_log(r, r->record.patient_id, "record.break_glass",
	              arena_printf(r->arena, "grant:%s minutes=%s", grant, minutes)) == -1 ||
	    outbox_notice(r->record.patient_id, "break_glass",
	                  json_object(r->arena, "doctor", doctor, "until", until, NULL),
	                  "/record/access") == -1 ||
	    ev[1] == NULL || (st = db_run("outbox_emit", 4, ev)) != DB_OK)
		return page_tx_fail(DB_ERROR);
	if (db_commit() != DB_OK)
		return page_tx_fail(DB_ERROR);
	return page_redirect(r, arena_printf(r->arena, "/patients/%s/record", r->record.patient_id_text));
}

static int
break_glass_post(struct req *r)
{
	int st = break_glass_patient(r);

	if (st != 0)
		return st;
	if (form_validate(r, break_glass_rules, 1) > 0) {
		/* Say what is expected rather than only "too short". */
		form_error(r, "reason", "care.break_glass.reason_rule");
		return page_show(r, "care.break_glass.title", "record/care_break_glass.cs", HTTP_OK);
	}
	return break_glass_grant(r);
}

/* ---------------------------------------------- the administrators' report */

enum { BR_ID, BR_DOCTOR, BR_DOCTOR_ID, BR_PATIENT, BR_PATIENT_ID, BR_STARTED, BR_UNTIL,
       BR_REASON, BR_ACTIVE };

static int
break_glass_report(struct req *r)
{
	static const char *const cols[] = {
		[BR_ID] = "id", [BR_DOCTOR] = "doctor", [BR_DOCTOR_ID] = "doctor_id",
		[BR_PATIENT] = "patient", [BR_PATIENT_ID] = "patient_id", [BR_STARTED] = "started",
		[BR_UNTIL] = "until", [BR_REASON] = "reason",
	};
	struct db_batch b = { 0 };
	struct db_result *res;
	const char *before, *p[2];
	enum db_status st;
	int q;

	if (query_optional_id(r, "before", &before) == -1)
		return HTTP_BAD_REQUEST;
	/* The report shows reasons: reading it is on the trail too. */
	if (audit_read_add(r, &b, NULL, 0, "admin.break_glass_report",
	                   arena_printf(r->arena, "before=%s", before ? before : "")) == -1)
		return HTTP_INTERNAL_ERROR;
	p[0] = before;
	p[1] = care_tz(r);
	q = db_batch_add(&b, "care_break_glass_report", 2, p);
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	res = b.res[q];
	care_show_rows(r, res, "grants", cols, BR_ACTIVE, CARE_PAGE_ROWS, 1u << BR_STARTED | 1u << BR_UNTIL);
	for (size_t i = 0; i < db_rows(res) && i < CARE_PAGE_ROWS; i++)
		if (strcmp(db_value(res, i, BR_ACTIVE), "t") == 0)
			view_set(r->view, "1", "Data.grants.%zu.active", i);
	care_show_paging(r, res, before);
	view_set(r->view, "/admin/break-glass", "Data.base");
	return page_show(r, "care.report.title", "record/care_report.cs", HTTP_OK);
}

/* ------------------------------------------------------------- routes */

#define ID "([1-9][0-9]{0,17})"
#define PATIENT "/patients/([0-9]{1,18})"
#define DESK (ROLE_RECEPTION | ROLE_ADMIN)

const struct route care_routes[] = {
	/* name                    method       pattern                                  handler                  roles           csrf pre_mfa capability record */
	{ "care_break_glass",      METHOD_GET,  PATIENT "/break-glass",                  break_glass_form,        ROLE_DOCTOR,    0, 0, NULL, RECORD_NONE },
	{ "care_break_glass_post", METHOD_POST, PATIENT "/break-glass",                  break_glass_post,        ROLE_DOCTOR,    1, 0, NULL, RECORD_NONE },
	{ "care_report",           METHOD_GET,  "/admin/break-glass",                    break_glass_report,      ROLE_ADMIN,     0, 0, "audit.read", RECORD_NONE },
	{ "care_assignments",      METHOD_GET,  PATIENT "/assignments",                  care_assignments,        DESK,           0, 0, NULL, RECORD_DEMOGRAPHICS },
	{ "care_assign",           METHOD_POST, PATIENT "/assignments",                  care_assign_post,        DESK,           1, 0, NULL, RECORD_DEMOGRAPHICS },
	{ "care_assignment_end",   METHOD_POST, PATIENT "/assignments/" ID "/end",       care_assignment_end,     DESK,           1, 0, NULL, RECORD_DEMOGRAPHICS },
	{ "care_access_own",       METHOD_GET,  "/record/access",                        care_access_log,         ROLE_PATIENT,   0, 0, NULL, RECORD_OWN },
	{ "care_access_staff",     METHOD_GET,  PATIENT "/access",                       care_access_log,         ROLE_DOCTOR,    0, 0, NULL, RECORD_CLINICAL },
	{ "care_corrections_own",  METHOD_GET,  "/record/corrections",                   care_corrections_own,    ROLE_PATIENT,   0, 0, NULL, RECORD_OWN },
	{ "care_correction_new",   METHOD_POST, "/record/corrections",                   care_correction_request, ROLE_PATIENT,   1, 0, NULL, RECORD_OWN },
	{ "care_corrections",      METHOD_GET,  PATIENT "/corrections",                  care_corrections_staff,  ROLE_DOCTOR,    0, 0, NULL, RECORD_CLINICAL },
	{ "care_correction_answer", METHOD_POST, PATIENT "/corrections/" ID "/answer",   care_correction_answer,  ROLE_DOCTOR,    1, 0, NULL, RECORD_CLINICAL },
};
const size_t care_routes_n = sizeof(care_routes) / sizeof(care_routes[0]);
