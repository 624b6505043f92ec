/* appointments: patients find a doctor, pick a free slot, book, see,
 * cancel and move their appointments; reception does the same for any
 * patient and marks visits completed or missed. This file holds what the
 * feature's pages share and its route table; booking.c: finding a doctor,
 * booking and moving; visits.c: the list, one appointment, cancelling,
 * completed / no-show, the reception desk.
 *
 * Never a double booking: the slot's times, mode and location always come
 * from appt.slots() (never from the client), and the exclusion constraints
 * of appt.appointments refuse a second active appointment of a doctor (or
 * of a patient) over the same time. The request that loses answers 409
 * with the nearest free alternatives. Booking forms carry an idempotency
 * key: a resubmitted form leads to the appointment it already created.
 *
 * Every change is one transaction: the appointment, its history row, the
 * notifier's events (appointment.notify, appointment.reminder), in-app
 * notices and the audit row. Times are shown in the clinic's time zone;
 * pages pass a slot around as the epoch seconds of its start. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/appointments/appt.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/request.h"
#include "core/validate.h"
#include "core/view.h"

/* ------------------------------------------------------------ helpers */

int
appt_is_reception(const struct req *r)
{
	return (r->user.roles & ROLE_RECEPTION) != 0;
}

/* A doctor id: a positive integer that fits PostgreSQL's integer. */
int
appt_is_doctor_id(const char *s)
{
	return is_positive_id(s) && strlen(s) <= 9;
}

/* A slot's start as epoch seconds: a positive number of at most 10 digits
 * (so that to_timestamp() never overflows). */
int
appt_is_epoch(const char *s)
{
	return is_positive_id(s) && strlen(s) <= 10;
}

/* An idempotency key: KEY_MIN..KEY_MAX lowercase hex characters. */
int
appt_is_key(const char *s)
{
	size_t n;

	if (s == NULL)
		return 0;
	n = strspn(s, "0123456789abcdef");
	return s[n] == '\0' && n >= KEY_MIN && n <= KEY_MAX;
}

const char *
appt_mode_text(struct req *r, const char *mode)
{
	return view_lang(r->view, strcmp(mode, "video") == 0 ? "appointments.mode.video"
	                                                     : "appointments.mode.in_person");
}

const char *
appt_status_text(struct req *r, const char *status)
{
	static const char *const known[] = { "booked", "cancelled", "completed", "no_show", "moved", NULL };

	for (size_t i = 0; known[i]; i++)
		if (strcmp(status, known[i]) == 0)
			return view_lang(r->view, arena_printf(r->arena, "appointments.status.%s", known[i]));
	return status;
}

/* "&patient=<id>" when reception works for a patient, else "". */
const char *
appt_patient_suffix(struct req *r, const char *patient)
{
	return patient ? arena_printf(r->arena, "&patient=%s", patient) : "";
}

/* The patient a page works for: the signed-in patient, or for reception
 * the patient named in the query or form (checked to be a patient).
 * Fills *id_text and *name and Data.patient.*; 0 or an HTTP status. */
int
appt_acting_for(struct req *r, const char *given, const char **id_text, const char **name)
{
	struct db_result *res;
	enum db_status st;

	if (!appt_is_reception(r)) {
		*id_text = r->user.id_text;
		*name = r->user.name;
		return 0;
	}
	if (!is_positive_id(given))
		return HTTP_BAD_REQUEST;
	if ((st = page_query_row(&res, "appointments_patient", 1, &given)) != 0)
		return st;
	*id_text = arena_strdup(r->arena, db_value(res, 0, 0));
	*name = arena_strdup(r->arena, db_value(res, 0, 1));
	view_set(r->view, *id_text, "Data.patient.id");
	view_set(r->view, *name, "Data.patient.name");
	view_set(r->view, db_value(res, 0, 2), "Data.patient.email");
	return 0;
}

/* The page asking an unverified patient to confirm their e-mail first. */
int
appt_must_verify(struct req *r)
{
	return page_show(r, "appointments.verify.title", "appointments/verify.cs", HTTP_FORBIDDEN);
}

/* Data.doctor.* for an active doctor; 0, 404 or a database status. The
 * doctor's account id goes to *user_id when asked for. */
int
appt_load_doctor(struct req *r, const char *doctor, long long *user_id, const char **name)
{
	const char *p[2] = { doctor, r->lang };
	struct db_result *res;
	enum db_status st;

	if (!appt_is_doctor_id(doctor))
		return HTTP_NOT_FOUND;
	if ((st = page_query_row(&res, "appointments_doctor", 2, p)) != 0)
		return st;
	view_set(r->view, db_value(res, 0, 0), "Data.doctor.id");
	view_set(r->view, db_value(res, 0, 1), "Data.doctor.name");
	view_set(r->view, db_value(res, 0, 3), "Data.doctor.specialties");
	if (user_id)
		*user_id = strtoll(db_value(res, 0, 2), NULL, 10);
	if (name)
		*name = arena_strdup(r->arena, db_value(res, 0, 1));
	return 0;
}

const char *
appt_weeks_text(struct req *r)
{
	return arena_printf(r->arena, "%d", r->cfg->booking_weeks > 0 ? r->cfg->booking_weeks : 8);
}

/* Data.own.* when patient's own booked visit (other than move_id) is why
 * the slot of doctor at epoch was refused. */
static void
set_own_overlap(struct req *r, const char *doctor, const char *epoch, const char *move_id,
                const char *patient)
{
	const char *p[5] = { patient, doctor, epoch, r->cfg->clinic_timezone, move_id };
	struct db_result *res;

	if (db_query(&res, "appointments_patient_overlap", 5, p) != DB_OK || db_rows(res) == 0)
		return;
	view_set(r->view, db_value(res, 0, 0), "Data.own.id");
	view_set(r->view, page_when(r, db_value(res, 0, 1)), "Data.own.when");
}

int
appt_taken_page(struct req *r, const char *doctor, const char *epoch, const char *move_id,
		const char *patient, int reception)
{
	const char *p[6] = { doctor, r->cfg->clinic_timezone, appt_weeks_text(r), epoch, patient, move_id };
	struct db_result *res;

	set_own_overlap(r, doctor, epoch, move_id, patient);
	if (db_query(&res, "appointments_nearest_free", 6, p) == DB_OK) {
		for (size_t i = 0; i < db_rows(res); i++) {
			view_set(r->view, db_value(res, i, 0), "Data.alts.%zu.epoch", i);
			view_set(r->view, page_when(r, db_value(res, i, 1)), "Data.alts.%zu.when", i);
			view_set(r->view, appt_mode_text(r, db_value(res, i, 2)), "Data.alts.%zu.mode", i);
			view_set(r->view, db_value(res, i, 3), "Data.alts.%zu.location", i);
			view_set(r->view, db_value(res, i, 4), "Data.week");
		}
	}
	view_set(r->view, doctor, "Data.doctor.id");
	if (move_id)
		view_set(r->view, move_id, "Data.move_id");
	if (reception)
		view_set(r->view, patient, "Data.patient.id");
	view_set(r->view, appt_patient_suffix(r, reception ? patient : NULL), "Data.psuffix");
	return page_show(r, "appointments.taken.title", "appointments/taken.cs", HTTP_CONFLICT);
}

/* Inside the open transaction: the history row of appointment id (what
 * happened, the old start or NULL, a reason or "") and the event for its
 * notification mail, with remind also its reminders. Returns 0, or (the
 * transaction rolled back) the HTTP status to answer with. */
int
appt_log_change(struct req *r, const char *id, const char *what, const char *old_starts,
		const char *reason, int remind)
{
	const char *h[5] = { id, r->user.id_text, what, old_starts, reason };
	const char *e[2] = { id, what };
	enum db_status st;

	if ((st = db_run("appointments_history_add", 5, h)) != DB_OK)
		return page_tx_fail(st);
	if ((st = db_run("appointments_emit_notify", 2, e)) != DB_OK)
		return page_tx_fail(st);
	e[1] = r->cfg->reminder_hours;
	if (remind && (st = db_run("appointments_emit_reminders", 2, e)) != DB_OK)
		return page_tx_fail(st);
	return 0;
}

/* ------------------------------------------------------------- routes */

#define BOOKERS (ROLE_PATIENT | ROLE_RECEPTION)

const struct route appointments_routes[] = {
	/* name                method       pattern                                        handler                    roles           csrf pre_mfa */
	{ "doctors",           METHOD_GET,  "/doctors",                                    appt_doctors,              BOOKERS,        0,   0, NULL, RECORD_NONE },
	{ "doctor_slots",      METHOD_GET,  "/doctors/([1-9][0-9]{0,8})",                  appt_doctor_slots,         BOOKERS,        0,   0, NULL, RECORD_NONE },
	{ "appt_new",          METHOD_GET,  "/appointments/new",                           appt_new,                  BOOKERS,        0,   0, NULL, RECORD_NONE },
	{ "appt_create",       METHOD_POST, "/appointments",                               appt_create,               BOOKERS,        1,   0, NULL, RECORD_NONE },
	{ "appt_list",         METHOD_GET,  "/appointments",                               appt_list,                 ROLE_PATIENT,   0,   0, NULL, RECORD_NONE },
	{ "appt_show",         METHOD_GET,  "/appointments/([1-9][0-9]{0,17})",            appt_show,                 BOOKERS,        0,   0, NULL, RECORD_NONE },
	{ "appt_cancel",       METHOD_POST, "/appointments/([1-9][0-9]{0,17})/cancel",     appt_cancel,               BOOKERS,        1,   0, NULL, RECORD_NONE },
	{ "appt_reschedule",   METHOD_GET,  "/appointments/([1-9][0-9]{0,17})/reschedule", appt_reschedule,           BOOKERS,        0,   0, NULL, RECORD_NONE },
	{ "appt_reschedule_p", METHOD_POST, "/appointments/([1-9][0-9]{0,17})/reschedule", appt_reschedule_post,      BOOKERS,        1,   0, NULL, RECORD_NONE },
	{ "appt_status",       METHOD_POST, "/appointments/([1-9][0-9]{0,17})/status",     appt_status,               ROLE_RECEPTION | ROLE_DOCTOR, 1, 0, NULL, RECORD_NONE },
	{ "reception",         METHOD_GET,  "/reception",                                  appt_reception,            ROLE_RECEPTION, 0,   0, NULL, RECORD_NONE },
};
const size_t appointments_routes_n = sizeof(appointments_routes) / sizeof(appointments_routes[0]);
