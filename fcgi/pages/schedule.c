/* schedule: a doctor's availability (weekly ranges and date exceptions,
 * edited by the doctor for their own row of clinic.doctors and by
 * reception for any doctor), the doctor's agenda (day and week views,
 * cancel with a reason, completed / no-show), and each user's secret
 * calendar feed.
 *
 * The feed (GET /calendar/<token>.ics) is read by phone calendars without
 * a session: the 256-bit token is the credential and only its SHA-256 is
 * stored. A phone calendar is less protected than the site, so a feed
 * carries no clinical detail: no reason for the visit, and for doctors
 * the patient appears only by initials ("Cita: P.U."); patients see the
 * doctor's name, which they chose themselves. */
#include "pages.h"
#include "page.h"
#include "appointments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"
#include "core/fields.h"
#include "core/json.h"
#include "core/outbox.h"
#include "core/request.h"
#include "core/token.h"
#include "core/validate.h"
#include "core/view.h"
#include "lib/datetime.h"
#include "lib/ics.h"

#define PREVIEW_DAYS 14

static const char *
clinic_tz(const struct req *r)
{
	return r->cfg->clinic_timezone[0] ? r->cfg->clinic_timezone : "Europe/Madrid";
}

/* ------------------------------------------------------------ dates */

/* A date (lib/datetime.h) -> days since the epoch in *days; -1 if bad. */
static int
parse_date(const char *s, long *days)
{
	struct dt_date d;

	if (s == NULL || dt_date_parse(s, strlen(s), &d) != DT_OK)
		return -1;
	*days = dt_date_to_days(&d);
	return 0;
}

static char *
format_date(struct req *r, long days)
{
	struct dt_date d;
	char buf[DT_DATE_LEN + 1];

	if (dt_date_from_days(days, &d) != 0 || dt_date_format(&d, buf) != 0)
		return NULL;
	return arena_strdup(r->arena, buf);
}

/* ISO weekday (1 = Monday) of a day number. */
static int
iso_weekday(long days)
{
	return dt_weekday(days);
}

/* "HH:MM" (checked by FIELD_TIME) -> minutes after midnight, or -1. */
static int
parse_time(const char *s)
{
	struct dt_time t;

	if (s == NULL || dt_time_parse(s, strlen(s), &t) != DT_OK)
		return -1;
	return dt_time_minutes(&t);
}

static const char *
weekday_name(struct req *r, int wd)
{
	return view_lang(r->view, arena_printf(r->arena, "schedule.weekdays.d%d", wd));
}

/* Today in the clinic (from the database clock). NULL on failure with
 * *status set. */
static const char *
today(struct req *r, int *status)
{
	struct db_result *res;
	const char *p[1] = { clinic_tz(r) };
	enum db_status st;
	char *s;

	if ((st = db_query(&res, "schedule_today", 1, p)) != DB_OK) {
		*status = db_http_status(st);
		return NULL;
	}
	s = arena_strdup(r->arena, db_rows(res) ? db_value(res, 0, 0) : "");
	return s;
}

/* A ?done= code of a fixed list, as a language key. */
static void
set_done(struct req *r, const char *const *codes)
{
	const char *done = fields_get(&r->query, "done");

	for (size_t i = 0; done && codes[i]; i++)
		if (strcmp(done, codes[i]) == 0)
			view_set(r->view, view_lang(r->view,
			         arena_printf(r->arena, "schedule.done.%s", codes[i])),
			         "Data.done");
}

/* ----------------------------------------------------- which doctor */

/* The signed-in doctor's own clinic.doctors row: 0 found, 1 none, or an
 * HTTP status (>= 500). */
static int
own_doctor(struct req *r, const char **id, const char **name)
{
	struct db_result *res;
	const char *p[1] = { r->user.id_text };
	enum db_status st;
	int rc = 1;

	if ((st = db_query(&res, "schedule_own_doctor", 1, p)) != DB_OK)
		return db_http_status(st);
	if (db_rows(res) == 1) {
		*id = arena_strdup(r->arena, db_value(res, 0, 0));
		if (name)
			*name = arena_strdup(r->arena, db_value(res, 0, 1));
		rc = 0;
	}
	return rc;
}

#define NEED_CHOOSER 1

/* The doctor whose availability this request edits. Reception: any
 * doctor, by the requested id (NEED_CHOOSER when none was given). A
 * doctor: their own row; asking for another doctor's id is refused (404
 * + audit "access.denied"). 0 or an HTTP status / NEED_CHOOSER. */
static int
resolve_doctor(struct req *r, const char *requested, const char **id,
               const char **name)
{
	struct db_result *res;
	enum db_status st;
	int rc;

	if (requested && *requested == '\0')
		requested = NULL;
	if (r->user.roles & ROLE_RECEPTION) {
		if (requested == NULL)
			return NEED_CHOOSER;
		if (!is_positive_id(requested) || strlen(requested) > 9)
			return HTTP_NOT_FOUND;
		const char *p[1] = { requested };
		if ((st = db_query(&res, "schedule_doctor", 1, p)) != DB_OK)
			return db_http_status(st);
		rc = HTTP_NOT_FOUND;
		if (db_rows(res) == 1) {
			*id = arena_strdup(r->arena, db_value(res, 0, 0));
			*name = arena_strdup(r->arena, db_value(res, 0, 1));
			rc = 0;
		}
		return rc;
	}
	if ((rc = own_doctor(r, id, name)) != 0)
		return rc == 1 ? HTTP_NOT_FOUND : rc;
	if (requested && strcmp(requested, *id) != 0) {
		audit_log(r, 0, "access.denied",
		          arena_printf(r->arena, "schedule:doctor:%.20s", requested));
		return HTTP_NOT_FOUND;
	}
	return 0;
}

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
	const char *tz = clinic_tz(r), *day;
	char days[8];
	int status = 0;

	if ((day = today(r, &status)) == NULL)
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
		view_set(r->view, weekday_name(r, wd), "Data.weekdays.%d.name", wd);
	}
	set_done(r, done_schedule);

	const char *p1[1] = { id };
	if ((st = db_query(&res, "schedule_ranges", 1, p1)) != DB_OK)
		return db_http_status(st);
	for (size_t i = 0; i < db_rows(res); i++) {
		view_set(r->view, db_value(res, i, RG_ID), "Data.ranges.%zu.id", i);
		view_set(r->view, weekday_name(r, atoi(db_value(res, i, RG_WD))),
		         "Data.ranges.%zu.weekday", i);
		view_set(r->view, db_value(res, i, RG_START), "Data.ranges.%zu.start", i);
		view_set(r->view, db_value(res, i, RG_END), "Data.ranges.%zu.end", i);
		view_set(r->view, db_value(res, i, RG_SLOT), "Data.ranges.%zu.slot", i);
		view_set(r->view, view_lang(r->view, arena_printf(r->arena, "schedule.modes.%s",
		         strcmp(db_value(res, i, RG_MODE), "video") == 0 ? "video" : "in_person")),
		         "Data.ranges.%zu.mode", i);
		view_set(r->view, db_value(res, i, RG_LOC), "Data.ranges.%zu.location", i);
		view_set(r->view, db_value(res, i, RG_FROM), "Data.ranges.%zu.from", i);
		view_set(r->view, db_value(res, i, RG_TO), "Data.ranges.%zu.to", i);
	}

	const char *p2[2] = { id, tz };
	if ((st = db_query(&res, "schedule_exceptions", 2, p2)) != DB_OK)
		return db_http_status(st);
	for (size_t i = 0; i < db_rows(res); i++) {
		view_set(r->view, db_value(res, i, EX_ID), "Data.exceptions.%zu.id", i);
		view_set(r->view, db_value(res, i, EX_DAY), "Data.exceptions.%zu.day", i);
		view_set(r->view, weekday_name(r, atoi(db_value(res, i, EX_WD))),
		         "Data.exceptions.%zu.weekday", i);
		view_set(r->view, strcmp(db_value(res, i, EX_KIND), "extra") == 0 ? "extra" : "off",
		         "Data.exceptions.%zu.kind", i);
		view_set(r->view, db_value(res, i, EX_START), "Data.exceptions.%zu.start", i);
		view_set(r->view, db_value(res, i, EX_END), "Data.exceptions.%zu.end", i);
		view_set(r->view, db_value(res, i, EX_SLOT), "Data.exceptions.%zu.slot", i);
		view_set(r->view, view_lang(r->view, arena_printf(r->arena, "schedule.modes.%s",
		         strcmp(db_value(res, i, EX_MODE), "video") == 0 ? "video" : "in_person")),
		         "Data.exceptions.%zu.mode", i);
		view_set(r->view, db_value(res, i, EX_LOC), "Data.exceptions.%zu.location", i);
		view_set(r->view, db_value(res, i, EX_NOTE), "Data.exceptions.%zu.note", i);
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
				view_set(r->view, weekday_name(r, atoi(db_value(res, i, PV_WD))),
				         "Data.preview.%ld.weekday", g);
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

static int
schedule_page(struct req *r)
{
	const char *id = NULL, *name = NULL;
	int rc = resolve_doctor(r, fields_get(&r->query, "doctor"), &id, &name);

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

static const struct field_rule exception_rules[] = {
	{ "x_day", FIELD_DATE, 1, 0, 0, NULL },
	{ "x_kind", FIELD_CHOICE, 1, 0, 0, kind_choices },
	{ "x_start", FIELD_TIME, 0, 5, 5, NULL },
	{ "x_end", FIELD_TIME, 0, 5, 5, NULL },
	{ "x_slot", FIELD_DIGITS, 0, 1, 3, NULL },
	{ "x_mode", FIELD_CHOICE, 0, 0, 0, mode_choices },
	{ "x_location", FIELD_TEXT, 0, 0, 200, NULL },
	{ "x_note", FIELD_TEXT, 0, 0, 200, NULL },
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
	int s = parse_time(form_value(r, fs)), e = parse_time(form_value(r, fe));
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

static int
range_add(struct req *r)
{
	const char *id = NULL, *name = NULL;
	int rc = resolve_doctor(r, fields_get(&r->form, "doctor"), &id, &name);
	enum db_status st;
	struct db_result *res;
	long from = 0, to = 0;

	if (rc == NEED_CHOOSER)
		return HTTP_BAD_REQUEST;
	if (rc != 0)
		return rc;
	form_validate(r, range_rules, sizeof(range_rules) / sizeof(range_rules[0]));
	check_times(r, "start", "end", "slot");
	if (parse_date(form_value(r, "valid_from"), &from) == 0 &&
	    parse_date(form_value(r, "valid_to"), &to) == 0 && to < from)
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
		int rc = own_doctor(r, &own, &name);
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

static int
range_delete(struct req *r)
{
	return delete_row(r, "range");
}

static int
exception_delete(struct req *r)
{
	return delete_row(r, "exception");
}

static int
exception_add(struct req *r)
{
	const char *id = NULL, *name = NULL;
	int rc = resolve_doctor(r, fields_get(&r->form, "doctor"), &id, &name);
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
	return add_row(r, id, name, "schedule_exception_add", ins, "x_day", "exception_added");
}

/* ------------------------------------------------------- the agenda */

enum { AG_ID, AG_DAY, AG_WD, AG_START, AG_END, AG_PATIENT, AG_REASON, AG_MODE,
       AG_LOC, AG_STATUS, AG_CANCEL_REASON, AG_DUE };

static const char *const done_agenda[] = { "cancelled", "completed", "no_show", "stale", NULL };

static const char *
status_code(const char *s)
{
	static const char *const known[] = { "booked", "cancelled", "completed", "no_show", NULL };

	for (size_t i = 0; known[i]; i++)
		if (strcmp(s, known[i]) == 0)
			return known[i];
	return "booked";
}

/* Set Data.<prefix>.* for appointment row i of res. */
static void
agenda_row(struct req *r, struct db_result *res, size_t i, const char *prefix)
{
	const char *st = status_code(db_value(res, i, AG_STATUS));

	view_set(r->view, db_value(res, i, AG_ID), "%s.id", prefix);
	view_set(r->view, db_value(res, i, AG_START), "%s.start", prefix);
	view_set(r->view, db_value(res, i, AG_END), "%s.end", prefix);
	view_set(r->view, db_value(res, i, AG_PATIENT), "%s.patient", prefix);
	view_set(r->view, db_value(res, i, AG_REASON), "%s.reason", prefix);
	view_set(r->view, view_lang(r->view, arena_printf(r->arena, "schedule.modes.%s",
	         strcmp(db_value(res, i, AG_MODE), "video") == 0 ? "video" : "in_person")),
	         "%s.mode", prefix);
	view_set(r->view, db_value(res, i, AG_LOC), "%s.location", prefix);
	view_set(r->view, st, "%s.status", prefix);
	view_set(r->view, view_lang(r->view, arena_printf(r->arena, "schedule.status.%s", st)),
	         "%s.status_text", prefix);
	view_set(r->view, db_value(res, i, AG_CANCEL_REASON), "%s.cancel_reason", prefix);
	if (strcmp(db_value(res, i, AG_DUE), "t") == 0)
		view_set_int(r->view, 1, "%s.due", prefix);
}

/* Day (week = 0) or week view starting at day number first. */
static int
agenda_render(struct req *r, const char *doctor, long first, int week)
{
	int ndays = week ? 7 : 1;
	const char *from = format_date(r, first), *to = format_date(r, first + ndays);
	const char *p[4] = { doctor, from, to, clinic_tz(r) };
	struct db_result *res;
	enum db_status st;
	size_t counts[7] = { 0 };

	if (from == NULL || to == NULL)
		return HTTP_INTERNAL_ERROR;
	/* Reading the agenda is access to clinical data: one audit row per
	 * view, written before anything is shown. */
	if (audit_log(r, 0, "agenda.viewed",
	              arena_printf(r->arena, "%s:%s", week ? "week" : "day", from)) != 0)
		return HTTP_UNAVAILABLE;
	if ((st = db_query(&res, "schedule_agenda", 4, p)) != DB_OK)
		return db_http_status(st);
	view_set(r->view, from, "Data.day");
	view_set(r->view, weekday_name(r, iso_weekday(first)), "Data.weekday");
	view_set(r->view, format_date(r, first - ndays), "Data.prev");
	view_set(r->view, format_date(r, first + ndays), "Data.next");
	view_set(r->view, format_date(r, first + 6), "Data.last");
	set_done(r, done_agenda);
	if (!week) {
		for (size_t i = 0; i < db_rows(res); i++)
			agenda_row(r, res, i, arena_printf(r->arena, "Data.appts.%zu", i));
		/* the Monday of this day's week, for the week link */
		view_set(r->view, format_date(r, first - (iso_weekday(first) - 1)), "Data.monday");
	} else {
		for (int d = 0; d < 7; d++) {
			view_set(r->view, format_date(r, first + d), "Data.days.%d.day", d);
			view_set(r->view, weekday_name(r, iso_weekday(first + d)), "Data.days.%d.weekday", d);
		}
		for (size_t i = 0; i < db_rows(res); i++) {
			long dn;
			if (parse_date(db_value(res, i, AG_DAY), &dn) != 0 || dn < first || dn >= first + 7)
				continue;
			int d = (int)(dn - first);
			agenda_row(r, res, i, arena_printf(r->arena, "Data.days.%d.appts.%zu", d, counts[d]++));
		}
	}
	return page_show(r, week ? "schedule.agenda.week_title" : "schedule.agenda.title",
	                 week ? "schedule/week.cs" : "schedule/agenda.cs", HTTP_OK);
}

/* The day asked for in query field name, or today. -1 on a bad date. */
static int
query_day(struct req *r, const char *name, long *day, int *status)
{
	const char *s = fields_get(&r->query, name);

	if (s == NULL || *s == '\0') {
		if ((s = today(r, status)) == NULL)
			return -2;
	}
	if (parse_date(s, day) != 0) {
		*status = HTTP_BAD_REQUEST;
		return -1;
	}
	return 0;
}

/* The signed-in doctor's agenda: the day of ?day=, or with week the
 * week (from Monday) of ?week=. */
static int
agenda_show(struct req *r, int week)
{
	const char *doc = NULL;
	int rc = own_doctor(r, &doc, NULL), status = 0;
	long day;

	if (rc != 0)
		return rc == 1 ? HTTP_NOT_FOUND : rc;
	if (query_day(r, week ? "week" : "day", &day, &status) != 0)
		return status;
	return agenda_render(r, doc, week ? day - (iso_weekday(day) - 1) : day, week);
}

static int
agenda_day(struct req *r)
{
	return agenda_show(r, 0);
}

static int
agenda_week(struct req *r)
{
	return agenda_show(r, 1);
}

/* The doctor's own appointment of the path: 0 with its patient and local
 * day, or 404 (+ audit "access.denied" when it is not theirs). */
static int
own_appointment(struct req *r, const char **doctor, const char **patient,
                const char **day)
{
	const char *appt = r->match.args[0];
	struct db_result *res;
	enum db_status st;
	int rc;

	if ((rc = own_doctor(r, doctor, NULL)) != 0)
		return rc == 1 ? HTTP_NOT_FOUND : rc;
	if (!is_positive_id(appt))
		return HTTP_NOT_FOUND;
	const char *p[2] = { appt, clinic_tz(r) };
	if ((st = db_query(&res, "schedule_appt_owner", 2, p)) != DB_OK)
		return db_http_status(st);
	if (db_rows(res) != 1 || strcmp(db_value(res, 0, 0), *doctor) != 0) {
		long long subject = db_rows(res) == 1 ? atoll(db_value(res, 0, 1)) : 0;
		audit_log(r, subject, "access.denied",
		          arena_printf(r->arena, "appointment:%s", appt));
		return HTTP_NOT_FOUND;
	}
	*patient = arena_strdup(r->arena, db_value(res, 0, 1));
	*day = arena_strdup(r->arena, db_value(res, 0, 3));
	return 0;
}

static int
redirect_agenda(struct req *r, const char *day, const char *done)
{
	return page_redirect(r, arena_printf(r->arena, "/agenda?day=%s&done=%s", day, done));
}

static const struct field_rule cancel_rules[] = {
	{ "reason", FIELD_MULTILINE, 1, 1, 500, NULL },
};

static int
agenda_cancel(struct req *r)
{
	const char *doctor, *patient, *day, *appt = r->match.args[0];
	struct db_result *res;
	enum db_status st;
	int rc = own_appointment(r, &doctor, &patient, &day);
	long dn;

	if (rc != 0)
		return rc;
	if (form_validate(r, cancel_rules, 1) != 0) {
		view_set(r->view, appt, "Form.appt");
		if (parse_date(day, &dn) != 0)
			return HTTP_INTERNAL_ERROR;
		return agenda_render(r, doctor, dn, 0);
	}
	const char *p[5] = { appt, doctor, r->user.id_text, form_value(r, "reason"), clinic_tz(r) };
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_query(&res, "schedule_appt_cancel", 5, p)) != DB_OK) {
		db_rollback();
		return db_http_status(st);
	}
	if (db_rows(res) != 1) {
		db_rollback();
		return redirect_agenda(r, day, "stale");
	}
	const char *seq = arena_strdup(r->arena, db_value(res, 0, 1));
	const char *old = arena_strdup(r->arena, db_value(res, 0, 2));
	const char *dname = arena_strdup(r->arena, db_value(res, 0, 3));
	const char *when = arena_strdup(r->arena, db_value(res, 0, 4));
	const char *hist[5] = { appt, r->user.id_text, "cancelled", old, form_value(r, "reason") };
	const char *payload = arena_printf(r->arena,
		"{\"appointment_id\": %s, \"what\": \"cancelled\", \"sequence\": %s}", appt, seq);
	const char *ev[4] = { "appointment.notify", payload, NULL, NULL };
	const char *params = json_object(r->arena, "doctor", dname, "when", when, NULL);
	if ((st = db_run("schedule_history_add", 5, hist)) != DB_OK ||
	    (st = db_run("outbox_emit", 4, ev)) != DB_OK || params == NULL ||
	    outbox_notice(atoll(patient), "appointment_cancelled", params, "/appointments") != 0 ||
	    audit_log(r, atoll(patient), "appointment.cancelled",
	              arena_printf(r->arena, "appointment:%s", appt)) != 0 ||
	    (st = db_commit()) != DB_OK) {
		db_rollback();
		return st == DB_UNAVAILABLE ? HTTP_UNAVAILABLE : HTTP_INTERNAL_ERROR;
	}
	return redirect_agenda(r, day, "cancelled");
}

static const char *const status_choices[] = { "completed", "no_show", NULL };
static const struct field_rule status_rules[] = {
	{ "status", FIELD_CHOICE, 1, 0, 0, status_choices },
};

static int
agenda_status(struct req *r)
{
	const char *doctor, *patient, *day;
	int rc = own_appointment(r, &doctor, &patient, &day);

	if (rc != 0)
		return rc;
	if (form_validate(r, status_rules, 1) != 0)
		return HTTP_BAD_REQUEST;
	rc = appointments_set_status(r, strtoll(r->match.args[0], NULL, 10), form_value(r, "status"));
	if (rc == HTTP_NOT_FOUND)   /* no longer booked, or its day has not come */
		return redirect_agenda(r, day, "stale");
	if (rc != 0)
		return rc;
	return redirect_agenda(r, day, form_value(r, "status"));
}

/* ---------------------------------------------------- calendar feed */

static int
calendar_render(struct req *r, const char *new_url)
{
	struct db_result *res;
	enum db_status st;
	const char *p[1] = { r->user.id_text };

	if ((st = db_query(&res, "schedule_feed_get", 1, p)) != DB_OK)
		return db_http_status(st);
	if (db_rows(res) == 1)
		view_set(r->view, db_value(res, 0, 0), "Data.feed.created");
	if (new_url) {
		view_set(r->view, new_url, "Data.feed.url");
		/* the URL is shown once: keep the page out of every cache */
		r->resp.cache_control = "no-store";
	}
	set_done(r, (const char *const[]){ "revoked", NULL });
	return page_show(r, "schedule.calendar.title", "schedule/calendar.cs", HTTP_OK);
}

static int
calendar_page(struct req *r)
{
	return calendar_render(r, NULL);
}

static const char *const feed_actions[] = { "create", "revoke", NULL };
static const struct field_rule feed_rules[] = {
	{ "action", FIELD_CHOICE, 1, 0, 0, feed_actions },
};

static int
calendar_post(struct req *r)
{
	enum db_status st;
	const char *p[2] = { r->user.id_text, NULL };
	size_t n = 0;

	if (form_validate(r, feed_rules, 1) != 0)
		return HTTP_BAD_REQUEST;
	if (strcmp(form_value(r, "action"), "revoke") == 0) {
		if ((st = db_begin()) != DB_OK)
			return db_http_status(st);
		if ((st = db_run_rows("schedule_feed_delete", 1, p, &n)) != DB_OK ||
		    (n > 0 && audit_log(r, r->user.id, "calendar.feed_revoked", "") != 0) ||
		    (st = db_commit()) != DB_OK) {
			db_rollback();
			return st == DB_UNAVAILABLE ? HTTP_UNAVAILABLE : HTTP_INTERNAL_ERROR;
		}
		return page_redirect(r, "/calendar?done=revoked");
	}
	/* create, or regenerate: a new token replaces the old one at once */
	char token[65], hash[67];
	if (token_random_hex(token, 32) != 0)
		return HTTP_INTERNAL_ERROR;
	token_sha256_bytea(token, hash);
	p[1] = hash;
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_run("schedule_feed_set", 2, p)) != DB_OK ||
	    audit_log(r, r->user.id, "calendar.feed_created", "") != 0 ||
	    (st = db_commit()) != DB_OK) {
		db_rollback();
		return st == DB_UNAVAILABLE ? HTTP_UNAVAILABLE : HTTP_INTERNAL_ERROR;
	}
	return calendar_render(r, arena_printf(r->arena, "%s/calendar/%s.ics",
	                                       r->cfg->base_url, token));
}

enum { FE_UID, FE_SEQ, FE_START, FE_END, FE_MODE, FE_LOC, FE_AS_DOCTOR, FE_WHO };

static int
calendar_feed(struct req *r)
{
	const char *token = r->match.args[0];
	char hash[67];
	struct db_result *res;
	enum db_status st;
	struct ics_event *ev;
	size_t n;
	char *ics;
	int rc;

	if (!is_hex_token(token, 64))
		return HTTP_NOT_FOUND;
	token_sha256_bytea(token, hash);
	const char *p[1] = { hash };
	if ((rc = page_query_row(&res, "schedule_feed_user", 1, p)) != 0)
		return rc;
	const char *user = arena_strdup(r->arena, db_value(res, 0, 0));
	const char *lang = strcmp(db_value(res, 0, 1), "en") == 0 ? "en" : "es";

	const char *pu[1] = { user };
	if ((st = db_query(&res, "schedule_feed_events", 1, pu)) != DB_OK)
		return db_http_status(st);
	n = db_rows(res);
	ev = arena_alloc(r->arena, (n ? n : 1) * sizeof(*ev));
	if (ev == NULL)
		return HTTP_INTERNAL_ERROR;
	const char *video = view_string(lang, "schedule.feed.video");
	const char *cita = view_string(lang, "schedule.feed.summary");
	for (size_t i = 0; i < n; i++) {
		int as_doctor = strcmp(db_value(res, i, FE_AS_DOCTOR), "t") == 0;
		memset(&ev[i], 0, sizeof(ev[i]));
		ev[i].uid = arena_strdup(r->arena, db_value(res, i, FE_UID));
		ev[i].sequence = atoi(db_value(res, i, FE_SEQ));
		ev[i].dtstart = (time_t)atoll(db_value(res, i, FE_START));
		ev[i].dtend = (time_t)atoll(db_value(res, i, FE_END));
		ev[i].summary = arena_printf(r->arena, "%s %s", cita, db_value(res, i, FE_WHO));
		ev[i].location = strcmp(db_value(res, i, FE_MODE), "video") == 0 ? video
		                 : arena_strdup(r->arena, db_value(res, i, FE_LOC));
		ev[i].status = "CONFIRMED";
		ev[i].url = arena_printf(r->arena, "%s%s", r->cfg->base_url,
		                         as_doctor ? "/agenda" : "/appointments");
	}
	if ((ics = ics_calendar(ev, n, "PUBLISH")) == NULL)
		return HTTP_INTERNAL_ERROR;
	r->resp.body = arena_strdup(r->arena, ics);
	r->resp.body_len = strlen(ics);
	free(ics);
	if (r->resp.body == NULL)
		return HTTP_INTERNAL_ERROR;
	r->resp.content_type = "text/calendar; charset=utf-8";
	r->resp.cache_control = "no-store";
	resp_add_header(r, "Content-Disposition", "inline; filename=\"medsyspro.ics\"");
	audit_log(r, atoll(user), "calendar.feed_read", "");
	return HTTP_OK;
}

/* ------------------------------------------------------------ routes */

#define R_SCHED (ROLE_DOCTOR | ROLE_RECEPTION)

const struct route schedule_routes[] = {
	/* name              method       pattern                                  handler           roles           csrf pre_mfa */
	{ "schedule",        METHOD_GET,  "/schedule",                             schedule_page,    R_SCHED,        0, 0, NULL },
	{ "schedule_range",  METHOD_POST, "/schedule/ranges",                      range_add,        R_SCHED,        1, 0, NULL },
	{ "schedule_rdel",   METHOD_POST, "/schedule/ranges/([0-9]{1,18})/delete", range_delete,     R_SCHED,        1, 0, NULL },
	{ "schedule_exc",    METHOD_POST, "/schedule/exceptions",                  exception_add,    R_SCHED,        1, 0, NULL },
	{ "schedule_xdel",   METHOD_POST, "/schedule/exceptions/([0-9]{1,18})/delete", exception_delete, R_SCHED,    1, 0, NULL },
	{ "agenda",          METHOD_GET,  "/agenda",                               agenda_day,       ROLE_DOCTOR,    0, 0, NULL },
	{ "agenda_week",     METHOD_GET,  "/agenda/week",                          agenda_week,      ROLE_DOCTOR,    0, 0, NULL },
	{ "agenda_cancel",   METHOD_POST, "/agenda/([0-9]{1,18})/cancel",          agenda_cancel,    ROLE_DOCTOR,    1, 0, NULL },
	{ "agenda_status",   METHOD_POST, "/agenda/([0-9]{1,18})/status",          agenda_status,    ROLE_DOCTOR,    1, 0, NULL },
	{ "calendar",        METHOD_GET,  "/calendar",                             calendar_page,    ROLE_SIGNED_IN, 0, 0, NULL },
	{ "calendar_post",   METHOD_POST, "/calendar",                             calendar_post,    ROLE_SIGNED_IN, 1, 0, NULL },
	/* the token is the credential: no session, no CSRF (GET) */
	{ "calendar_feed",   METHOD_GET,  "/calendar/([0-9a-f]{64})\\.ics",        calendar_feed,    ROLE_EVERYONE,  0, 1, NULL },
};
const size_t schedule_routes_n = sizeof(schedule_routes) / sizeof(schedule_routes[0]);
