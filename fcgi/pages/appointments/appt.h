/* appt: what the files of the appointments feature (appointments.c,
 * booking.c, visits.c, week.c) share; nothing outside fcgi/pages/appointments/
 * uses it (other features use appointments.h). */
#ifndef MEDSYS_PAGES_APPT_H
#define MEDSYS_PAGES_APPT_H

#include "core/db.h"

struct req;

#define REASON_MAX 500            /* characters, as the schema's CHECK */
#define KEY_MIN 16                /* hex characters of an idempotency key */
#define KEY_MAX 64

/* Columns of appointments_get (appt_load_appt). */
enum {
	AG_ID, AG_PATIENT, AG_PATIENT_NAME, AG_PATIENT_EMAIL, AG_DOCTOR, AG_DOCTOR_NAME,
	AG_DOCTOR_USER, AG_WHEN, AG_UNTIL, AG_MODE, AG_LOCATION, AG_REASON, AG_STATUS,
	AG_SEQUENCE, AG_AHEAD, AG_CANCELLABLE, AG_CANCEL_REASON, AG_STARTS, AG_EPOCH,
	AG_STARTED,     /* booked and its time has come: completed / no-show allowed */
	AG_CALL         /* a video visit whose room is open now (docs/tele.md) */
};


/* helpers (appointments.c) */

int appt_is_reception(const struct req *r);

/* A doctor id: a positive integer that fits PostgreSQL's integer. */
int appt_is_doctor_id(const char *s);

/* A slot's start as epoch seconds: a positive number of at most 10 digits
 * (so that to_timestamp() never overflows). */
int appt_is_epoch(const char *s);

/* An idempotency key: KEY_MIN..KEY_MAX lowercase hex characters. */
int appt_is_key(const char *s);
const char *appt_mode_text(struct req *r, const char *mode);
const char *appt_status_text(struct req *r, const char *status);

/* "&patient=<id>" when reception works for a patient, else "". */
const char *appt_patient_suffix(struct req *r, const char *patient);

/* The patient a page works for: the signed-in patient, or for reception
 * the patient named in the query or form (checked to be a patient).
 * Fills *id_text and *name and Data.patient.*; 0 or an HTTP status. */
int appt_acting_for(struct req *r, const char *given, const char **id_text, const char **name);

/* The page asking an unverified patient to confirm their e-mail first. */
int appt_must_verify(struct req *r);

/* Data.doctor.* for an active doctor; 0, 404 or a database status. The
 * doctor's account id goes to *user_id when asked for. */
int appt_load_doctor(struct req *r, const char *doctor, long long *user_id, const char **name);
const char *appt_weeks_text(struct req *r);

/* The 409 page: the slot was just taken by someone else, or the patient
 * (account id) has another booked visit then (the page says which, with a
 * link to it). Lists the 5 free slots of the doctor nearest to the one
 * wanted, never that one nor one overlapping the patient's visits: links
 * to the booking confirm page, or, when moving appointment move_id, small
 * forms that move it there. reception: the patient's id travels on. */
int appt_taken_page(struct req *r, const char *doctor, const char *epoch, const char *move_id,
		    const char *patient, int reception);

/* Inside the open transaction: the history row of appointment id (what
 * happened, the old start or NULL, a reason or "") and the event for its
 * notification mail, with remind also its reminders. Returns 0, or (the
 * transaction rolled back) the HTTP status to answer with. */
int appt_log_change(struct req *r, const char *id, const char *what, const char *old_starts,
		    const char *reason, int remind);

/* week.c */

/* Data.week.* and Data.days for the week of ?week= (a date; absent: this
 * week) of doctor's free slots; link is the page's own path with the
 * start of its query ("/doctors/3?"), for the previous / next links. A
 * malformed date answers 400; a date before this week or past the
 * bookable weeks shows the first or the last bookable week. Returns 0 or
 * an HTTP status. */
/* Only slots that overlap none of patient's (account id) other booked
 * visits are offered; except: the appointment being moved, or NULL. */
int appt_week_fill(struct req *r, const char *doctor, const char *link, const char *patient,
                   const char *except);

struct fields;

/* The slot a request names in fields f: start=EPOCH (links, the confirm
 * form), or day=YYYY-MM-DD and time=HH:MM in clinic time (the week
 * picker). 0 with *epoch set; 400 when malformed or missing; 404 when
 * that local time does not exist (skipped by a clock change); else the
 * database's status. Whether it is an offered, free slot is for the
 * statement that uses it to decide. */
int appt_slot_start(struct req *r, const struct fields *f, const char **epoch);

/* visits.c */

/* Load appointment id for the signed-in user: reception sees any, a
 * patient only their own; anyone else gets 404 (the same whether or not
 * it exists) and an audit row. With audit_action (a page that shows it)
 * the read is recorded (audit_read) before it returns: no row, no page.
 * 0 with *out set, or an HTTP status. */
int appt_load_appt(struct req *r, const char *id, const char *audit_action, struct db_result **out);
void appt_fill_appt(struct req *r, const struct db_result *res);
/* The appointment's change log into Data.history; 0 or an HTTP status. */
int appt_fill_history(struct req *r, const char *id);
int appt_show_appt(struct req *r, const struct db_result *res, int status);

/* The loaded appointment res may still be cancelled or moved by this
 * user: 0, or the 409 page saying it is too late or no longer booked. */
int appt_check_changeable(struct req *r, const struct db_result *res);

/* ------------------------------------------------------------ handlers */

/* booking.c */
int appt_doctors(struct req *r);

/* One week of the doctor's free slots (?week=), grouped by day. */
int appt_doctor_slots(struct req *r);

/* The confirm page of one slot: reason, and a fresh idempotency key. */
int appt_new(struct req *r);
int appt_create(struct req *r);
int appt_reschedule(struct req *r);
int appt_reschedule_post(struct req *r);

/* visits.c */
int appt_list(struct req *r);
int appt_show(struct req *r);
int appt_cancel(struct req *r);
int appt_status(struct req *r);
int appt_reception(struct req *r);

#endif
