/* schedule: what the schedule pages share (dates, which doctor a request
 * is about) and the feature's route table. availability.c: a doctor's
 * weekly ranges and date exceptions, edited by the doctor for their own
 * row of clinic.doctors and by reception for any doctor; agenda.c: the
 * doctor's day and week (cancel with a reason, completed / no-show);
 * calendar.c: each user's secret calendar feed. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/schedule/schedule.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/request.h"
#include "core/validate.h"
#include "core/view.h"
#include "lib/datetime.h"

const char *
schedule_clinic_tz(const struct req *r)
{
	return r->cfg->clinic_timezone[0] ? r->cfg->clinic_timezone : "Europe/Madrid";
}

/* ------------------------------------------------------------ dates */

/* A date (lib/datetime.h) -> days since the epoch in *days; -1 if bad. */
int
schedule_parse_date(const char *s, long *days)
{
	struct dt_date d;

	if (s == NULL || dt_date_parse(s, strlen(s), &d) != DT_OK)
		return -1;
	*days = dt_date_to_days(&d);
	return 0;
}

char *
schedule_format_date(struct req *r, long days)
{
	struct dt_date d;
	char buf[DT_DATE_LEN + 1];

	if (dt_date_from_days(days, &d) != 0 || dt_date_format(&d, buf) != 0)
		return NULL;
	return arena_strdup(r->arena, buf);
}

/* ISO weekday (1 = Monday) of a day number. */
int
schedule_iso_weekday(long days)
{
	return dt_weekday(days);
}

/* "HH:MM" (checked by FIELD_TIME) -> minutes after midnight, or -1. */
int
schedule_parse_time(const char *s)
{
	struct dt_time t;

	if (s == NULL || dt_time_parse(s, strlen(s), &t) != DT_OK)
		return -1;
	return dt_time_minutes(&t);
}

const char *
schedule_mode_text(struct req *r, const char *mode)
{
	return view_lang(r->view, strcmp(mode, "video") == 0 ? "schedule.modes.video"
	                                                     : "schedule.modes.in_person");
}

const char *
schedule_weekday_name(struct req *r, int wd)
{
	return view_lang(r->view, arena_printf(r->arena, "schedule.weekdays.d%d", wd));
}

/* Today in the clinic (from the database clock). NULL on failure with
 * *status set. */
const char *
schedule_today(struct req *r, int *status)
{
	struct db_result *res;
	const char *p[1] = { schedule_clinic_tz(r) };
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
void
schedule_set_done(struct req *r, const char *const *codes)
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
int
schedule_own_doctor(struct req *r, const char **id, const char **name)
{
	struct db_result *res;
	const char *p[1] = { r->user.id_text };
	enum db_status st;
	int rc = 1;

	/* The session already read the doctor row's id (sess_load). */
	if (name == NULL) {
		*id = r->user.doctor_id_text;
		return r->user.doctor_id ? 0 : 1;
	}
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

/* The doctor whose availability this request edits. Reception: any
 * doctor, by the requested id (NEED_CHOOSER when none was given). A
 * doctor: their own row; asking for another doctor's id is refused (404
 * + audit "access.denied"). 0 or an HTTP status / NEED_CHOOSER. */
int
schedule_resolve_doctor(struct req *r, const char *requested, const char **id,
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
	if ((rc = schedule_own_doctor(r, id, name)) != 0)
		return rc == 1 ? HTTP_NOT_FOUND : rc;
	if (requested && strcmp(requested, *id) != 0) {
		audit_log(r, 0, "access.denied",
		          arena_printf(r->arena, "schedule:doctor:%.20s", requested));
		return HTTP_NOT_FOUND;
	}
	return 0;
}

/* ------------------------------------------------------------ routes */

#define R_SCHED (ROLE_DOCTOR | ROLE_RECEPTION)

const struct route schedule_routes[] = {
	/* name             method        pattern                                          handler                    roles           csrf pre_mfa */
	{ "schedule",       METHOD_GET,  "/schedule",                                      schedule_page,             R_SCHED,        0, 0, NULL, RECORD_NONE },
	{ "schedule_range", METHOD_POST, "/schedule/ranges",                               schedule_range_add,        R_SCHED,        1, 0, NULL, RECORD_NONE },
	{ "schedule_rdel",  METHOD_POST, "/schedule/ranges/([0-9]{1,18})/delete",          schedule_range_delete,     R_SCHED,        1, 0, NULL, RECORD_NONE },
	{ "schedule_exc",   METHOD_POST, "/schedule/exceptions",                           schedule_exception_add,    R_SCHED,        1, 0, NULL, RECORD_NONE },
	{ "schedule_xdel",  METHOD_POST, "/schedule/exceptions/([0-9]{1,18})/delete",      schedule_exception_delete, R_SCHED,        1, 0, NULL, RECORD_NONE },
	{ "agenda",         METHOD_GET,  "/agenda",                                        agenda_day,                ROLE_DOCTOR,    0, 0, NULL, RECORD_NONE },
	{ "agenda_week",    METHOD_GET,  "/agenda/week",                                   agenda_week,               ROLE_DOCTOR,    0, 0, NULL, RECORD_NONE },
	{ "agenda_appt",    METHOD_GET,  "/agenda/([0-9]{1,18})",                          agenda_appt,               ROLE_DOCTOR,    0, 0, NULL, RECORD_NONE },
	{ "agenda_cancel",  METHOD_POST, "/agenda/([0-9]{1,18})/cancel",                   agenda_cancel,             ROLE_DOCTOR,    1, 0, NULL, RECORD_NONE },
	{ "agenda_status",  METHOD_POST, "/agenda/([0-9]{1,18})/status",                   agenda_status,             ROLE_DOCTOR,    1, 0, NULL, RECORD_NONE },
	{ "calendar",       METHOD_GET,  "/calendar",                                      calendar_page,             ROLE_SIGNED_IN, 0, 0, NULL, RECORD_NONE },
	{ "calendar_post",  METHOD_POST, "/calendar",                                      calendar_post,             ROLE_SIGNED_IN, 1, 0, NULL, RECORD_NONE },
	/* the token is the credential: no session, no CSRF (GET) */
	{ "calendar_feed",  METHOD_GET,  "/calendar/([0-9a-f]{64})\\.ics",                 calendar_feed,             ROLE_EVERYONE,  0, 1, NULL, RECORD_NONE },
};
const size_t schedule_routes_n = sizeof(schedule_routes) / sizeof(schedule_routes[0]);
