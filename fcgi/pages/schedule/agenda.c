/* agenda: the doctor's day and week views; cancelling a visit with a
 * reason, marking it completed or missed. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/schedule/schedule.h"
#include "pages/appointments/appointments.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/db.h"
#include "core/json.h"
#include "core/outbox.h"
#include "core/request.h"
#include "core/validate.h"
#include "core/view.h"

/* ------------------------------------------------------- the agenda */

enum { AG_ID, AG_DAY, AG_START, AG_END, AG_PATIENT, AG_REASON, AG_MODE,
       AG_LOC, AG_STATUS, AG_CANCEL_REASON, AG_DUE, AG_PATIENT_ID, AG_ENCOUNTER, AG_BY_PATIENT,
       AG_CALL };

static const char *const done_agenda[] = { "cancelled", "completed", "no_show", "stale", NULL };

/* The language's text of each status and visit mode, looked up once per
 * request rather than once per row. */
struct status_texts {
	const char *text[4];
	const char *mode[2];        /* in person, video */
};

/* Fill row (Data.appts.N, Data.days.D.appts.N or Data.appt) from row i
 * of res; 1 when it is booked and its day has come (it can be marked
 * completed or missed). Only what the templates show, and no empty values
 * (a missing node is false and prints nothing): every node is a malloc,
 * and a node of ten children or more gets a hash table. */
static int
agenda_row(struct req *r, struct db_result *res, size_t i, struct view_row *row,
           struct status_texts *texts)
{
	static const char *const known[] = { "booked", "cancelled", "completed", "no_show" };
	const char *st = db_value(res, i, AG_STATUS), *mode = db_value(res, i, AG_MODE), *v;
	size_t k = 0;
	int due, video = strcmp(mode, "video") == 0;

	while (k < 4 && strcmp(st, known[k]) != 0)
		k++;
	if (k == 4)                 /* a status this page does not know */
		k = 0;
	if (texts->text[k] == NULL)
		texts->text[k] = view_lang(r->view, arena_printf(r->arena, "schedule.status.%s", known[k]));
	if (texts->mode[video] == NULL)
		texts->mode[video] = schedule_mode_text(r, mode);
	view_row_set(row, "id", db_value(res, i, AG_ID));
	view_row_set(row, "start", db_value(res, i, AG_START));
	view_row_set(row, "end", db_value(res, i, AG_END));
	view_row_set(row, "patient", db_value(res, i, AG_PATIENT));
	view_row_set(row, "mode", texts->mode[video]);
	view_row_set(row, "status_text", texts->text[k]);
	if (*(v = db_value(res, i, AG_LOC)) != '\0')
		view_row_set(row, "location", v);
	if (*(v = db_value(res, i, AG_REASON)) != '\0')
		view_row_set(row, "reason", v);
	if (k == 1 && *(v = db_value(res, i, AG_CANCEL_REASON)) != '\0')
		view_row_set(row, "cancel_reason", v);
	if (k == 0)
		view_row_set(row, "booked", "1");
	/* The doctor sees a patient's own change where it matters. */
	if (k <= 1 && strcmp(db_value(res, i, AG_BY_PATIENT), "t") == 0)
		view_row_set(row, "by_patient", view_lang(r->view, k == 0 ? "schedule.agenda.moved_by_patient"
		                                                          : "schedule.agenda.cancelled_by_patient"));
	if ((due = k == 0 && strcmp(db_value(res, i, AG_DUE), "t") == 0))
		view_row_set(row, "due", "1");
	/* a video visit whose room is open: the way in (docs/tele.md) */
	if (strcmp(db_value(res, i, AG_CALL), "t") == 0)
		view_row_set(row, "call", "1");
	/* the visit note: open its encounter, or go to it */
	if (k != 1) {
		view_row_set(row, "patient_id", db_value(res, i, AG_PATIENT_ID));
		if (*(v = db_value(res, i, AG_ENCOUNTER)) != '\0')
			view_row_set(row, "encounter", v);
	}
	return due;
}

/* Day (week = 0) or week view starting at day number first. */
static int
agenda_render(struct req *r, const char *doctor, long first, int week)
{
	int ndays = week ? 7 : 1;
	const char *from = schedule_format_date(r, first), *to = schedule_format_date(r, first + ndays);
	const char *p[10] = { doctor, from, to, schedule_clinic_tz(r) };
	const char *q[5] = { doctor, from, to, schedule_clinic_tz(r), NULL };
	struct status_texts texts = { { NULL }, { NULL } };
	struct db_batch b = { 0 };
	struct db_result *res;
	enum db_status st;
	size_t counts[7] = { 0 };
	int rows;

	if (from == NULL || to == NULL)
		return HTTP_INTERNAL_ERROR;
	/* Reading the agenda is access to the records of every patient on it:
	 * one audit row per patient, in the same round trip and transaction
	 * as the rows themselves, so no audit row means no agenda. */
	audit_read_params(r, "agenda.viewed", arena_printf(r->arena, "%s:%s", week ? "week" : "day", from),
	                  p + 4);
	db_batch_add(&b, "schedule_agenda_audit", 10, p);
	rows = db_batch_add(&b, "schedule_agenda", 5, q);
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	res = b.res[rows];
	view_set(r->view, from, "Data.day");
	view_set(r->view, page_when(r, from), "Data.day_label");
	view_set(r->view, page_when(r, schedule_format_date(r, first + 6)), "Data.last_label");
	view_set(r->view, schedule_format_date(r, first - ndays), "Data.prev");
	view_set(r->view, schedule_format_date(r, first + ndays), "Data.next");
	view_set(r->view, schedule_format_date(r, first + 6), "Data.last");
	schedule_set_done(r, done_agenda);
	if (!week) {
		struct view_row *list = view_row(r->view, "Data.appts");
		int due = 0;
		for (size_t i = 0; i < db_rows(res); i++)
			due |= agenda_row(r, res, i, view_row_at(list, i), &texts);
		if (due)            /* the list's buttons share one form */
			view_set(r->view, "1", "Data.due");
		/* the Monday of this day's week, for the week link */
		view_set(r->view, schedule_format_date(r, first - (schedule_iso_weekday(first) - 1)), "Data.monday");
	} else {
		for (int d = 0; d < 7; d++) {
			view_set(r->view, schedule_format_date(r, first + d), "Data.days.%d.day", d);
			view_set(r->view, page_when(r, schedule_format_date(r, first + d)), "Data.days.%d.label", d);
		}
		for (size_t i = 0; i < db_rows(res); i++) {
			long dn;
			if (schedule_parse_date(db_value(res, i, AG_DAY), &dn) != 0 || dn < first || dn >= first + 7)
				continue;
			int d = (int)(dn - first);
			agenda_row(r, res, i, view_row(r->view, "Data.days.%d.appts.%zu", d, counts[d]++), &texts);
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
		if ((s = schedule_today(r, status)) == NULL)
			return -2;
	}
	if (schedule_parse_date(s, day) != 0) {
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
	int rc = schedule_own_doctor(r, &doc, NULL), status = 0;
	long day;

	if (rc != 0)
		return rc == 1 ? HTTP_NOT_FOUND : rc;
	if (query_day(r, week ? "week" : "day", &day, &status) != 0)
		return status;
	return agenda_render(r, doc, week ? day - (schedule_iso_weekday(day) - 1) : day, week);
}

int
agenda_day(struct req *r)
{
	return agenda_show(r, 0);
}

int
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

	if ((rc = schedule_own_doctor(r, doctor, NULL)) != 0)
		return rc == 1 ? HTTP_NOT_FOUND : rc;
	if (!is_positive_id(appt))
		return HTTP_NOT_FOUND;
	const char *p[2] = { appt, schedule_clinic_tz(r) };
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

/* The doctor's page of their appointment of the path (own_appointment's
 * doctor, patient and day): what the agenda lists, the form to cancel it
 * with a reason and, once its day has come, to mark it completed or
 * missed. An audited read of the patient's appointment. */
static int
appt_page(struct req *r, const char *doctor, const char *patient, const char *day, int status)
{
	const char *appt = r->match.args[0], *next;
	long long subject = atoll(patient);
	struct status_texts texts = { { NULL }, { NULL } };
	struct db_batch b = { 0 };
	struct db_result *res;
	enum db_status st;
	long dn;
	int rows;

	if (schedule_parse_date(day, &dn) != 0 || (next = schedule_format_date(r, dn + 1)) == NULL)
		return HTTP_INTERNAL_ERROR;
	const char *q[5] = { doctor, day, next, schedule_clinic_tz(r), appt };
	if (audit_read_add(r, &b, &subject, 1, "appointment.viewed",
	                   arena_printf(r->arena, "appointment:%s", appt)) != 0 ||
	    (rows = db_batch_add(&b, "schedule_agenda", 5, q)) == -1)
		return HTTP_INTERNAL_ERROR;
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	res = b.res[rows];
	if (db_rows(res) != 1)
		return HTTP_NOT_FOUND;
	agenda_row(r, res, 0, view_row(r->view, "Data.appt"), &texts);
	view_set(r->view, day, "Data.day");
	view_set(r->view, page_when(r, day), "Data.day_label");
	return page_show(r, "schedule.agenda.appt_title", "schedule/appt.cs", status);
}

int
agenda_appt(struct req *r)
{
	const char *doctor, *patient, *day;
	int rc = own_appointment(r, &doctor, &patient, &day);

	return rc != 0 ? rc : appt_page(r, doctor, patient, day, HTTP_OK);
}

static int
redirect_agenda(struct req *r, const char *day, const char *done)
{
	return page_redirect(r, arena_printf(r->arena, "/agenda?day=%s&done=%s", day, done));
}

static const struct field_rule cancel_rules[] = {
	{ "reason", FIELD_MULTILINE, 1, 1, 500, NULL },
};

int
schedule_cancel_visit(struct req *r, const char *appt, const char *doctor, const char *patient,
                      const char *reason, enum db_status *st)
{
	const char *p[5] = { appt, doctor, r->user.id_text, reason, schedule_clinic_tz(r) };
	struct db_result *res;

	if ((*st = db_query(&res, "schedule_appt_cancel", 5, p)) != DB_OK)
		return -1;
	if (db_rows(res) != 1)
		return 1;
	const char *seq = arena_strdup(r->arena, db_value(res, 0, 1));
	const char *old = arena_strdup(r->arena, db_value(res, 0, 2));
	const char *dname = arena_strdup(r->arena, db_value(res, 0, 3));
	const char *when = arena_strdup(r->arena, db_value(res, 0, 4));
	const char *hist[5] = { appt, r->user.id_text, "cancelled", old, reason };
	const char *payload = arena_printf(r->arena,
		"{\"appointment_id\": %s, \"what\": \"cancelled\", \"sequence\": %s}", appt, seq);
	const char *ev[4] = { "appointment.notify", payload, NULL, NULL };
	const char *params = json_object(r->arena, "doctor", dname, "when", when, NULL);
	*st = DB_ERROR;
	if ((*st = db_run("schedule_history_add", 5, hist)) != DB_OK ||
	    (*st = db_run("outbox_emit", 4, ev)) != DB_OK || params == NULL ||
	    outbox_notice(atoll(patient), "appointment_cancelled", params, "/appointments") != 0 ||
	    audit_log(r, atoll(patient), "appointment.cancelled",
	              arena_printf(r->arena, "appointment:%s", appt)) != 0) {
		if (*st == DB_OK)
			*st = DB_ERROR;
		return -1;
	}
	return 0;
}

int
agenda_cancel(struct req *r)
{
	const char *doctor, *patient, *day, *appt = r->match.args[0];
	enum db_status st;
	int rc = own_appointment(r, &doctor, &patient, &day);

	if (rc != 0)
		return rc;
	if (form_validate(r, cancel_rules, 1) != 0)
		return appt_page(r, doctor, patient, day, 422);
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	rc = schedule_cancel_visit(r, appt, doctor, patient, form_value(r, "reason"), &st);
	if (rc == 1) {
		db_rollback();
		return redirect_agenda(r, day, "stale");
	}
	if (rc != 0 || (st = db_commit()) != DB_OK) {
		db_rollback();
		return st == DB_UNAVAILABLE ? HTTP_UNAVAILABLE : HTTP_INTERNAL_ERROR;
	}
	return redirect_agenda(r, day, "cancelled");
}

static const char *const status_choices[] = { "completed", "no_show", NULL };
static const struct field_rule status_rules[] = {
	{ "status", FIELD_CHOICE, 1, 0, 0, status_choices },
};

int
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
