/* schedule: what the files of the schedule feature (schedule.c,
 * availability.c, agenda.c, calendar.c) share; nothing outside
 * fcgi/pages/schedule/ uses it. */
#ifndef MEDSYS_PAGES_SCHEDULE_H
#define MEDSYS_PAGES_SCHEDULE_H

#include "core/db.h"

struct req;

#define PREVIEW_DAYS 14
#define NEED_CHOOSER 1       /* schedule_resolve_doctor: reception named no doctor */


/* ------------------------------------------------------------ helpers */

const char *schedule_clinic_tz(const struct req *r);

/* "YYYY-MM-DD" of a real date -> days since the epoch in *days. */
int schedule_parse_date(const char *s, long *days);
char *schedule_format_date(struct req *r, long days);

/* ISO weekday (1 = Monday) of a day number. */
int schedule_iso_weekday(long days);

/* "HH:MM" -> minutes after midnight, or -1. */
int schedule_parse_time(const char *s);
const char *schedule_weekday_name(struct req *r, int wd);
/* The language's name of a visit mode ("video"; anything else is in
 * person). */
const char *schedule_mode_text(struct req *r, const char *mode);

/* Today in the clinic (from the database clock). NULL on failure with
 * *status set. */
const char *schedule_today(struct req *r, int *status);

/* A ?done= code of a fixed list, as a language key. */
void schedule_set_done(struct req *r, const char *const *codes);

/* The signed-in doctor's own clinic.doctors row: 0 found, 1 none, or an
 * HTTP status (>= 500). */
int schedule_own_doctor(struct req *r, const char **id, const char **name);

/* The doctor whose availability this request edits. Reception: any
 * doctor, by the requested id (NEED_CHOOSER when none was given). A
 * doctor: their own row; asking for another doctor's id is refused (404
 * + audit "access.denied"). 0 or an HTTP status / NEED_CHOOSER. */
int schedule_resolve_doctor(struct req *r, const char *requested, const char **id,
			    const char **name);

/* ------------------------------------------------------------ handlers */

/* availability.c */
int schedule_page(struct req *r);
int schedule_range_add(struct req *r);
int schedule_range_delete(struct req *r);
int schedule_exception_add(struct req *r);
int schedule_exception_delete(struct req *r);

/* agenda.c */
int agenda_day(struct req *r);
int agenda_week(struct req *r);
int agenda_appt(struct req *r);
int agenda_cancel(struct req *r);

/* Inside the open transaction: cancel doctor's booked appointment appt
 * (of patient, account id) with reason, by the signed-in user, as the
 * agenda does: history row, the patient's mail and notice, audit row.
 * 0; 1 when it is no longer booked (nothing done); -1 with *st when a
 * step failed (the caller rolls back). */
int schedule_cancel_visit(struct req *r, const char *appt, const char *doctor, const char *patient,
                          const char *reason, enum db_status *st);
int agenda_status(struct req *r);

/* calendar.c */
int calendar_page(struct req *r);
int calendar_post(struct req *r);
int calendar_feed(struct req *r);

#endif
