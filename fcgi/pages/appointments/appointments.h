/* appointments: what other features may call (the doctor's agenda,
 * fcgi/pages/schedule/agenda.c, marks visits completed or missed). The
 * feature's own shared declarations are in appt.h. */
#ifndef MEDSYS_PAGES_APPOINTMENTS_H
#define MEDSYS_PAGES_APPOINTMENTS_H

struct req;

/* Set a booked appointment's status to "completed" or "no_show" in its own
 * transaction, with a history row and an audit row. Reception may do it
 * for any appointment, a doctor only for their own (r->user.id is the
 * doctor's account). Returns 0 on success, else the HTTP status to answer
 * with: 400 (bad status), 403 (neither reception nor doctor), 404 (no such
 * booked appointment of theirs, or its day has not come yet), 500/503
 * (database). */
int appointments_set_status(struct req *r, long long appointment_id, const char *status);

#endif
