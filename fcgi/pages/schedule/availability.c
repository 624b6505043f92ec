/* availability: a doctor's weekly ranges and date exceptions, with a
 * preview of the coming days; edited by the doctor for their own row of
 * clinic.doctors and by reception for any doctor. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/schedule/schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/request.h"
#include "core/validate.h"
#include "core/view.h"

/* -------------------------------------------------- the schedule page */

enum { RG_ID, RG_WD, RG_START, RG_END, RG_SLOT, RG_MODE, RG_LOC, RG_FROM, RG_TO };
enum { EX_ID, EX_DAY, EX_WD, EX_KIND, EX_START, EX_END, EX_SLOT, EX_MODE, EX_LOC, EX_NOTE };
enum { PV_DAY, PV_WD, PV_START, PV_END, PV_MODE, PV_LOC, PV_BOOKED };

static const char *const done_schedule[] = {
	"range_added", "range_deleted", "exception_added", "exception_deleted", NULL
};

/* Fill and render the availability page of doctor id. */
static int
schedule_render(struct req *r, const char *id, const char *name)
{
	struct db_result *res;
	enum db_status st;
	const char *tz = schedule_clinic_tz(r), *day;
	char days[8];
	int status = 0;

	if ((day = schedule_today(r, &status)) == NULL)
		return status;
	page_title(r, "schedule.title");
	view_set(r->view, id, "Data.doctor.id");
	view_set(r->view, name, "Data.doctor.name");
	view_set(r->view, day, "Data.today");
	view_set_int(r->view, PREVIEW_DAYS, "Data.preview_days");
	if (r->user.roles & ROLE_RECEPTION)
		view_set_int(r->view, 1, "Data.reception");
	for (int wd = 1; wd <= 7; wd++) {
		view_set_int(r->view, wd, "Data.weekdays.%d.n", wd);
		view_set(r->view, schedule_weekday_name(r, wd), "Data.weekdays.%d.name", wd);
	}
	schedule_set_done(r, done_schedule);

	const char *p1[1] = { id };
	if ((st = db_query(&res, "schedule_ranges", 1, p1)) != DB_OK)
		return db_http_status(st);
	for (size_t i = 0; i < db_rows(res); i++) {
		struct view_row *row = view_row(r->view, "Data.ranges.%zu", i);
		view_row_set(row, "id", db_value(res, i, RG_ID));
		view_row_set(row, "weekday", schedule_weekday_name(r, atoi(db_value(res, i, RG_WD))));
		view_row_set(row, "start", db_value(res, i, RG_START));
		view_row_set(row, "end", db_value(res, i, RG_END));
		view_row_set(row, "slot", db_value(res, i, RG_SLOT));
		view_row_set(row, "mode", schedule_mode_text(r, db_value(res, i, RG_MODE)));
		view_row_set(row, "location", db_value(res, i, RG_LOC));
		view_row_set(row, "from", page_when(r, db_value(res, i, RG_FROM)));
		if (*db_value(res, i, RG_TO))
			view_row_set(row, "to", page_when(r, db_value(res, i, RG_TO)));
	}

	const char *p2[2] = { id, tz };
	if ((st = db_query(&res, "schedule_exceptions", 2, p2)) != DB_OK)
		return db_http_status(st);
	for (size_t i = 0; i < db_rows(res); i++) {
		struct view_row *row = view_row(r->view, "Data.exceptions.%zu", i);
		view_row_set(row, "id", db_value(res, i, EX_ID));
		view_row_set(row, "day", db_value(res, i, EX_DAY));
		view_row_set(row, "label", page_when(r, db_value(res, i, EX_DAY)));
		view_row_set(row, "kind", strcmp(db_value(res, i, EX_KIND), "extra") == 0 ? "extra" : "off");
		view_row_set(row, "start", db_value(res, i, EX_START));
		view_row_set(row, "end", db_value(res, i, EX_END));
		view_row_set(row, "slot", db_value(res, i, EX_SLOT));
		view_row_set(row, "mode", schedule_mode_text(r, db_value(res, i, EX_MODE)));
		view_row_set(row, "location", db_value(res, i, EX_LOC));
		view_row_set(row, "note", db_value(res, i, EX_NOTE));
	}

	snprintf(days, sizeof(days), "%d", PREVIEW_DAYS);
	const char *p3[3] = { id, tz, days };
	if ((st = db_query(&res, "schedule_preview", 3, p3)) != DB_OK)
		return db_http_status(st);
	{
		long g = -1;
		size_t k = 0;
		const char *last = "";
		for (size_t i = 0; i < db_rows(res); i++) {
			const char *d = db_value(res, i, PV_DAY);
			if (strcmp(d, last) != 0) {
				g++;
				k = 0;
				last = d;
				view_set(r->view, d, "Data.preview.%ld.day", g);
				view_set(r->view, page_when(r, d), "Data.preview.%ld.label", g);
			}
			view_set(r->view, db_value(res, i, PV_START), "Data.preview.%ld.slots.%zu.start", g, k);
			view_set(r->view, db_value(res, i, PV_END), "Data.preview.%ld.slots.%zu.end", g, k);
			if (strcmp(db_value(res, i, PV_MODE), "video") == 0)
				view_set_int(r->view, 1, "Data.preview.%ld.slots.%zu.video", g, k);
			if (strcmp(db_value(res, i, PV_BOOKED), "t") == 0)
				view_set_int(r->view, 1, "Data.preview.%ld.slots.%zu.booked", g, k);
			k++;
		}
	}
	r->resp.template = "schedule/index.cs";
	return HTTP_OK;
}

static int
chooser_render(struct req *r)
{
	struct db_result *res;
	enum db_status st;

	if ((st = db_query(&res, "schedule_doctors", 0, NULL)) != DB_OK)
		return db_http_status(st);
	for (size_t i = 0; i < db_rows(res); i++) {
		view_set(r->view, db_value(res, i, 0), "Data.doctors.%zu.id", i);
		view_set(r->view, db_value(res, i, 1), "Data.doctors.%zu.name", i);
		if (strcmp(db_value(res, i, 2), "t") != 0)
			view_set_int(r->view, 1, "Data.doctors.%zu.inactive", i);
	}
	return page_show(r, "schedule.choose.title", "schedule/choose.cs", HTTP_OK);
}

int
schedule_page(struct req *r)
{
	const char *id = NULL, *name = NULL;
	int rc = schedule_resolve_doctor(r, fields_get(&r->query, "doctor"), &id, &name);

	if (rc == NEED_CHOOSER)
		return chooser_render(r);
	if (rc != 0)
		return rc;
	return schedule_render(r, id, name);
}

static const char *const weekday_choices[] = { "1", "2", "3", "4", "5", "6", "7", NULL };
static const char *const mode_choices[] = { "in_person", "video", NULL };
static const char *const kind_choices[] = { "off", "extra", NULL };

static const struct field_rule range_rules[] = {
	{ "weekday", FIELD_CHOICE, 1, 0, 0, weekday_choices },
	{ "start", FIELD_TIME, 1, 5, 5, NULL },
	{ "end", FIELD_TIME, 1, 5, 5, NULL },
	{ "slot", FIELD_DIGITS, 1, 1, 3, NULL },
	{ "mode", FIELD_CHOICE, 1, 0, 0, mode_choices },
	{ "location", FIELD_TEXT, 0, 0, 200, NULL },
	{ "valid_from", FIELD_DATE, 1, 0, 0, NULL },
	{ "valid_to", FIELD_DATE, 0, 0, 0, NULL },
};

/* What to do with visits booked inside a new day off. */
static const char *const booked_choices[] = { "keep", "cancel", NULL };

static const struct field_rule exception_rules[] = {
	{ "x_day", FIELD_DATE, 1, 0, 0, NULL },
	{ "x_kind", FIELD_CHOICE, 1, 0, 0, kind_choices },
	{ "x_start", FIELD_TIME, 0, 5, 5, NULL },
	{ "x_end", FIELD_TIME, 0, 5, 5, NULL },
	{ "x_slot", FIELD_DIGITS, 0, 1, 3, NULL },
	{ "x_mode", FIELD_CHOICE, 0, 0, 0, mode_choices },
	{ "x_location", FIELD_TEXT, 0, 0, 200, NULL },
	{ "x_note", FIELD_TEXT, 0, 0, 200, NULL },
	{ "x_booked", FIELD_CHOICE, 0, 0, 0, booked_choices },
	{ "x_cancel_reason", FIELD_MULTILINE, 0, 0, 500, NULL },
};

static const char *
nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

/* Times and slot length of a range: messages on the fields. */
static void
check_times(struct req *r, const char *fs, const char *fe, const char *fslot)
{
	int s = schedule_parse_time(form_value(r, fs)), e = schedule_parse_time(form_value(r, fe));
	const char *slot = form_value(r, fslot);

	if (s >= 0 && e >= 0 && e <= s)
		form_error(r, fe, "schedule.errors.end_before_start");
	if (slot && *slot) {
		int n = atoi(slot);
		if (strlen(slot) > 3 || n < 5 || n > 240)
			form_error(r, fslot, "schedule.errors.slot_range");
		else if (s >= 0 && e > s && n > e - s)
			form_error(r, fslot, "schedule.errors.slot_too_long");
	}
}

static void
audit_change(struct req *r, const char *doctor, const char *what, const char *obj_id)
{
	audit_log(r, 0, "schedule.changed",
	          arena_printf(r->arena, "doctor:%s %s:%s", doctor, what, obj_id));
}

static int
redirect_schedule(struct req *r, const char *doctor, const char *done)
{
	return page_redirect(r, arena_printf(r->arena, "/schedule?doctor=%s&done=%s", doctor, done));
}

/* Inside the open transaction: insert a row with statement stmt (9
 * parameters), audit it as `done` with its new id, commit and go back to
 * doctor id's schedule with notice `done`. A row the database refuses
 * shows the form again with an error at field. */
static int
add_row(struct req *r, const char *id, const char *name, const char *stmt,
        const char *const ins[9], const char *field, const char *done)
{
	struct db_result *res;
	enum db_status st;

	if ((st = db_query(&res, stmt, 9, ins)) != DB_OK) {
		db_rollback();
		if (st == DB_CONFLICT || st == DB_ERROR) {
			form_error(r, field, "schedule.errors.invalid");
			return schedule_render(r, id, name);
		}
		return db_http_status(st);
	}
	const char *new_id = arena_strdup(r->arena, db_rows(res) ? db_value(res, 0, 0) : "");
	audit_change(r, id, done, new_id);
	if ((st = db_commit()) != DB_OK) {
		db_rollback();
		return db_http_status(st);
	}
	return redirect_schedule(r, id, done);
}

int
schedule_range_add(struct req *r)
{
	const char *id = NULL, *name = NULL;
	int rc = schedule_resolve_doctor(r, fields_get(&r->form, "doctor"), &id, &name);
	enum db_status st;
	struct db_result *res;
	long from = 0, to = 0;

	if (rc == NEED_CHOOSER)
		return HTTP_BAD_REQUEST;
	if (rc != 0)
		return rc;
	form_validate(r, range_rules, sizeof(range_rules) / sizeof(range_rules[0]));
	check_times(r, "start", "end", "slot");
	if (schedule_parse_date(form_value(r, "valid_from"), &from) == 0 &&
	    schedule_parse_date(form_value(r, "valid_to"), &to) == 0 && to < from)
		form_error(r, "valid_to", "schedule.errors.valid_to");
	if (r->form_errors)
		return schedule_render(r, id, name);

	const char *vt = nonempty(form_value(r, "valid_to"));
	const char *loc = form_value(r, "location") ? form_value(r, "location") : "";
	const char *lock[1] = { id };
	const char *ov[6] = { id, form_value(r, "weekday"), form_value(r, "start"),
	                      form_value(r, "end"), form_value(r, "valid_from"), vt };
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_run("schedule_doctor_lock", 1, lock)) != DB_OK ||
	    (st = db_query(&res, "schedule_range_overlap", 6, ov)) != DB_OK) {
		db_rollback();
		return db_http_status(st);
	}
	if (db_rows(res) > 0) {
		view_set(r->view, arena_printf(r->arena, "%s–%s", db_value(res, 0, 1),
		                               db_value(res, 0, 2)), "Data.overlap_with");
		db_rollback();
		form_error(r, "start", "schedule.errors.overlap");
		return schedule_render(r, id, name);
	}
	const char *ins[9] = { id, form_value(r, "weekday"), form_value(r, "start"),
	                       form_value(r, "end"), form_value(r, "slot"), form_value(r, "mode"),
	                       loc, form_value(r, "valid_from"), vt };
	return add_row(r, id, name, "schedule_range_add", ins, "start", "range_added");
}

/* Delete a range or exception (kind "range"/"exception") by path id. */
static int
delete_row(struct req *r, const char *kind)
{
	const char *row = r->match.args[0], *own = NULL, *name = NULL;
	char owner_q[40], del_q[40];
	struct db_result *res;
	enum db_status st;
	const char *doctor;
	size_t n = 0;

	if (!is_positive_id(row))
		return HTTP_NOT_FOUND;
	snprintf(owner_q, sizeof(owner_q), "schedule_%s_owner", kind);
	snprintf(del_q, sizeof(del_q), "schedule_%s_delete", kind);
	const char *p1[1] = { row };
	if ((st = db_query(&res, owner_q, 1, p1)) != DB_OK)
		return db_http_status(st);
	doctor = db_rows(res) ? arena_strdup(r->arena, db_value(res, 0, 0)) : NULL;
	if (!(r->user.roles & ROLE_RECEPTION)) {
		int rc = schedule_own_doctor(r, &own, &name);
		if (rc > 1)
			return rc;
		if (rc == 1 || doctor == NULL || strcmp(doctor, own) != 0) {
			audit_log(r, 0, "access.denied",
			          arena_printf(r->arena, "schedule:%s:%s", kind, row));
			return HTTP_NOT_FOUND;
		}
	}
	if (doctor == NULL)
		return HTTP_NOT_FOUND;
	const char *p2[2] = { row, doctor };
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_run_rows(del_q, 2, p2, &n)) != DB_OK) {
		db_rollback();
		return db_http_status(st);
	}
	if (n == 0) {
		db_rollback();
		return HTTP_NOT_FOUND;
	}
	audit_change(r, doctor, arena_printf(r->arena, "%s_deleted", kind), row);
	if ((st = db_commit()) != DB_OK) {
		db_rollback();
		return db_http_status(st);
	}
	return redirect_schedule(r, doctor, arena_printf(r->arena, "%s_deleted", kind));
}

int
schedule_range_delete(struct req *r)
{
	return delete_row(r, "range");
}

int
schedule_exception_delete(struct req *r)
{
	return delete_row(r, "exception");
}

/* A day off (or part of one) over visits already booked, inside the open
 * transaction: the doctor must see which visits it affects and choose to
 * keep them or to cancel them with a reason (each patient gets the mail
 * and the notice). 0 to go on with the insert (none affected, kept, or
 * cancelled); otherwise the transaction is rolled back and the schedule
 * page (with the list, what was typed, and the question) or an error
 * status is returned. */
static int
off_over_booked(struct req *r, const char *doctor, const char *name, const char *xs, const char *xe)
{
	const char *p[5] = { doctor, form_value(r, "x_day"), xs, xe, schedule_clinic_tz(r) };
	const char *choice = nonempty(form_value(r, "x_booked"));
	const char *reason = nonempty(form_value(r, "x_cancel_reason"));
	struct db_result *res;
	enum db_status st;

	if ((st = db_query(&res, "schedule_off_affected", 5, p)) != DB_OK) {
		db_rollback();
		return db_http_status(st);
	}
	if (db_rows(res) == 0 || (choice && strcmp(choice, "keep") == 0))
		return 0;
	if (choice && reason) {                 /* cancel them all, with the reason */
		for (size_t i = 0; i < db_rows(res); i++) {
			if (schedule_cancel_visit(r, db_value(res, i, 0), doctor, db_value(res, i, 1), reason, &st) == -1) {
				db_rollback();
				return db_http_status(st == DB_OK ? DB_ERROR : st);
			}
		}
		return 0;
	}
	for (size_t i = 0; i < db_rows(res); i++) {
		view_set(r->view, page_when(r, db_value(res, i, 2)), "Data.affected.%zu.when", i);
		view_set(r->view, db_value(res, i, 3), "Data.affected.%zu.patient", i);
	}
	db_rollback();
	form_error(r, choice ? "x_cancel_reason" : "x_booked",
	           choice ? "schedule.errors.cancel_reason" : "schedule.errors.booked_choose");
	return schedule_render(r, doctor, name);
}

int
schedule_exception_add(struct req *r)
{
	const char *id = NULL, *name = NULL;
	int rc = schedule_resolve_doctor(r, fields_get(&r->form, "doctor"), &id, &name);
	enum db_status st;
	const char *kind, *xs, *xe, *xslot;

	if (rc == NEED_CHOOSER)
		return HTTP_BAD_REQUEST;
	if (rc != 0)
		return rc;
	form_validate(r, exception_rules, sizeof(exception_rules) / sizeof(exception_rules[0]));
	kind = form_value(r, "x_kind");
	xs = nonempty(form_value(r, "x_start"));
	xe = nonempty(form_value(r, "x_end"));
	xslot = nonempty(form_value(r, "x_slot"));
	check_times(r, "x_start", "x_end", "x_slot");
	if (kind && strcmp(kind, "extra") == 0) {
		if (!xs)
			form_error(r, "x_start", "validate.required");
		if (!xe)
			form_error(r, "x_end", "validate.required");
		if (!xslot)
			form_error(r, "x_slot", "validate.required");
	} else if ((xs == NULL) != (xe == NULL)) {
		form_error(r, xs ? "x_end" : "x_start", "schedule.errors.both_or_none");
	}
	if (r->form_errors)
		return schedule_render(r, id, name);
	int extra = strcmp(kind, "extra") == 0;
	const char *mode = nonempty(form_value(r, "x_mode"));
	const char *ins[9] = { id, form_value(r, "x_day"), kind, xs, xe,
	                       extra ? xslot : NULL, mode ? mode : "in_person",
	                       form_value(r, "x_location") ? form_value(r, "x_location") : "",
	                       form_value(r, "x_note") ? form_value(r, "x_note") : "" };
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if (!extra && (rc = off_over_booked(r, id, name, xs, xe)) != 0)
		return rc;
	return add_row(r, id, name, "schedule_exception_add", ins, "x_day", "exception_added");
}
