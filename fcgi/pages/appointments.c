/* appointments: patients find a doctor, pick a free slot, book, see,
 * cancel and move their appointments; reception does the same for any
 * patient and marks visits completed or missed.
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
#include "pages.h"
#include "page.h"
#include "appointments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

#define REASON_MAX 500            /* characters, as the schema's CHECK */
#define KEY_MIN 16                /* hex characters of an idempotency key */
#define KEY_MAX 64

/* ------------------------------------------------------------ helpers */

static int
is_reception(const struct req *r)
{
	return (r->user.roles & ROLE_RECEPTION) != 0;
}

/* A doctor id: a positive integer that fits PostgreSQL's integer. */
static int
is_doctor_id(const char *s)
{
	return is_positive_id(s) && strlen(s) <= 9;
}

/* A slot's start as epoch seconds: a positive number of at most 10 digits
 * (so that to_timestamp() never overflows). */
static int
is_epoch(const char *s)
{
	return is_positive_id(s) && strlen(s) <= 10;
}

/* An idempotency key: KEY_MIN..KEY_MAX lowercase hex characters. */
static int
is_key(const char *s)
{
	size_t n;

	if (s == NULL)
		return 0;
	n = strspn(s, "0123456789abcdef");
	return s[n] == '\0' && n >= KEY_MIN && n <= KEY_MAX;
}

static const char *
mode_text(struct req *r, const char *mode)
{
	return view_lang(r->view, strcmp(mode, "video") == 0 ? "appointments.mode.video"
	                                                     : "appointments.mode.in_person");
}

static const char *
status_text(struct req *r, const char *status)
{
	static const char *const known[] = { "booked", "cancelled", "completed", "no_show", "moved", NULL };

	for (size_t i = 0; known[i]; i++)
		if (strcmp(status, known[i]) == 0)
			return view_lang(r->view, arena_printf(r->arena, "appointments.status.%s", known[i]));
	return status;
}

/* "&patient=<id>" when reception works for a patient, else "". */
static const char *
patient_suffix(struct req *r, const char *patient)
{
	return patient ? arena_printf(r->arena, "&patient=%s", patient) : "";
}

/* The patient a page works for: the signed-in patient, or for reception
 * the patient named in the query or form (checked to be a patient).
 * Fills *id_text and *name and Data.patient.*; 0 or an HTTP status. */
static int
acting_for(struct req *r, const char *given, const char **id_text, const char **name)
{
	struct db_result *res;
	enum db_status st;

	if (!is_reception(r)) {
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
static int
must_verify(struct req *r)
{
	return page_show(r, "appointments.verify.title", "appointments/verify.cs", HTTP_FORBIDDEN);
}

/* Data.doctor.* for an active doctor; 0, 404 or a database status. The
 * doctor's account id goes to *user_id when asked for. */
static int
load_doctor(struct req *r, const char *doctor, long long *user_id, const char **name)
{
	const char *p[2] = { doctor, r->lang };
	struct db_result *res;
	enum db_status st;

	if (!is_doctor_id(doctor))
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

static const char *
weeks_text(struct req *r)
{
	return arena_printf(r->arena, "%d", r->cfg->booking_weeks > 0 ? r->cfg->booking_weeks : 8);
}

/* The 409 page: the slot was just taken (or the patient has another visit
 * then). Lists the 5 free slots of the doctor nearest to the one wanted:
 * links to the booking confirm page, or, when moving appointment move_id,
 * small forms that move it there. */
static int
taken_page(struct req *r, const char *doctor, const char *epoch, const char *move_id,
           const char *patient)
{
	const char *p[4] = { doctor, r->cfg->clinic_timezone, weeks_text(r), epoch };
	struct db_result *res;

	if (db_query(&res, "appointments_nearest_free", 4, p) == DB_OK) {
		for (size_t i = 0; i < db_rows(res); i++) {
			view_set(r->view, db_value(res, i, 0), "Data.alts.%zu.epoch", i);
			view_set(r->view, db_value(res, i, 1), "Data.alts.%zu.when", i);
			view_set(r->view, mode_text(r, db_value(res, i, 2)), "Data.alts.%zu.mode", i);
			view_set(r->view, db_value(res, i, 3), "Data.alts.%zu.location", i);
		}
	}
	view_set(r->view, doctor, "Data.doctor.id");
	if (move_id)
		view_set(r->view, move_id, "Data.move_id");
	if (patient)
		view_set(r->view, patient, "Data.patient.id");
	view_set(r->view, patient_suffix(r, patient), "Data.psuffix");
	return page_show(r, "appointments.taken.title", "appointments/taken.cs", HTTP_CONFLICT);
}

/* --------------------------------------------------- find a doctor */

static int
page_doctors(struct req *r)
{
	const char *spec = fields_get(&r->query, "specialty");
	const char *q = fields_get(&r->query, "q");
	const char *patient = fields_get(&r->query, "patient");
	const char *pid, *pname, *p[3];
	struct db_result *res;
	enum db_status st;
	int rc;

	if (is_reception(r) && (rc = acting_for(r, patient, &pid, &pname)) != 0)
		return rc == HTTP_BAD_REQUEST ? page_redirect(r, "/reception") : rc;
	if (spec && *spec == '\0')
		spec = NULL;
	if (spec && !is_doctor_id(spec))
		return HTTP_BAD_REQUEST;
	if (q) {
		while (*q == ' ')
			q++;
		if (*q == '\0')
			q = NULL;
		else if (utf8_char_count(q) > 100)
			return HTTP_BAD_REQUEST;
	}
	p[0] = r->lang;
	if ((st = db_query(&res, "appointments_specialties", 1, p)) != DB_OK)
		return db_http_status(st);
	for (size_t i = 0; i < db_rows(res); i++) {
		view_set(r->view, db_value(res, i, 0), "Data.specialties.%zu.id", i);
		view_set(r->view, db_value(res, i, 1), "Data.specialties.%zu.name", i);
		if (spec && strcmp(spec, db_value(res, i, 0)) == 0)
			view_set_int(r->view, 1, "Data.specialties.%zu.selected", i);
	}
	p[0] = spec;
	p[1] = q;
	p[2] = r->lang;
	if ((st = db_query(&res, "appointments_doctors", 3, p)) != DB_OK)
		return db_http_status(st);
	for (size_t i = 0; i < db_rows(res); i++) {
		view_set(r->view, db_value(res, i, 0), "Data.doctors.%zu.id", i);
		view_set(r->view, db_value(res, i, 1), "Data.doctors.%zu.name", i);
		view_set(r->view, db_value(res, i, 2), "Data.doctors.%zu.specialties", i);
	}
	view_set_int(r->view, (long long)db_rows(res), "Data.count");
	if (q)
		view_set(r->view, q, "Data.q");
	view_set(r->view, is_reception(r) ? arena_printf(r->arena, "?patient=%s", pid) : "", "Data.pquery");
	return page_show(r, "appointments.doctors.title", "appointments/doctors.cs", HTTP_OK);
}

/* The doctor's free slots for the next booking_weeks weeks (columns:
 * epoch, date, weekday, time, mode, location). */
static enum db_status
query_free_slots(struct req *r, const char *doctor, struct db_result **res)
{
	const char *p[3] = { doctor, r->cfg->clinic_timezone, weeks_text(r) };

	return db_query(res, "appointments_free_slots", 3, p);
}

/* The rows of query_free_slots grouped by day into Data.days.D (date,
 * weekday, slots.N.{epoch,time,mode,location}), their number into
 * Data.count. */
static void
set_free_slots(struct req *r, struct db_result *slots)
{
	long day = -1;
	size_t n = 0;

	for (size_t i = 0; i < db_rows(slots); i++) {
		const char *date = db_value(slots, i, 1);
		if (i == 0 || strcmp(date, db_value(slots, i - 1, 1)) != 0) {
			day++;
			n = 0;
			view_set(r->view, date, "Data.days.%ld.date", day);
			view_set(r->view, view_lang(r->view, arena_printf(r->arena, "appointments.weekday.d%s",
			                                                  db_value(slots, i, 2))),
			         "Data.days.%ld.weekday", day);
		}
		view_set(r->view, db_value(slots, i, 0), "Data.days.%ld.slots.%zu.epoch", day, n);
		view_set(r->view, db_value(slots, i, 3), "Data.days.%ld.slots.%zu.time", day, n);
		view_set(r->view, mode_text(r, db_value(slots, i, 4)), "Data.days.%ld.slots.%zu.mode", day, n);
		view_set(r->view, db_value(slots, i, 5), "Data.days.%ld.slots.%zu.location", day, n);
		n++;
	}
	view_set_int(r->view, (long long)db_rows(slots), "Data.count");
}

/* The doctor's free slots for the next booking_weeks weeks, grouped by day. */
static int
page_doctor_slots(struct req *r)
{
	const char *doctor = r->match.args[0], *patient = fields_get(&r->query, "patient");
	const char *pid = NULL, *pname;
	struct db_result *res;
	enum db_status st;
	int rc;

	if (is_reception(r)) {
		if ((rc = acting_for(r, patient, &pid, &pname)) != 0)
			return rc == HTTP_BAD_REQUEST ? page_redirect(r, "/reception") : rc;
	}
	if ((rc = load_doctor(r, doctor, NULL, NULL)) != 0)
		return rc;
	if ((st = query_free_slots(r, doctor, &res)) != DB_OK)
		return db_http_status(st);
	set_free_slots(r, res);
	view_set(r->view, weeks_text(r), "Data.weeks");
	view_set(r->view, patient_suffix(r, pid), "Data.psuffix");
	return page_show(r, "appointments.slots.title", "appointments/slots.cs", HTTP_OK);
}

/* ------------------------------------------------------------ booking */

/* The confirm page of one slot: reason, and a fresh idempotency key. */
static int
page_appt_new(struct req *r)
{
	const char *doctor = fields_get(&r->query, "doctor"), *start = fields_get(&r->query, "start");
	const char *patient = fields_get(&r->query, "patient");
	const char *pid, *pname, *p[4];
	struct db_result *res;
	char key[33];
	int rc;

	if ((rc = acting_for(r, patient, &pid, &pname)) != 0)
		return rc;
	if (!is_reception(r) && !r->user.email_verified)
		return must_verify(r);
	if (!is_epoch(start))
		return HTTP_BAD_REQUEST;
	if ((rc = load_doctor(r, doctor, NULL, NULL)) != 0)
		return rc;
	p[0] = doctor;
	p[1] = start;
	p[2] = r->cfg->clinic_timezone;
	p[3] = weeks_text(r);
	if ((rc = page_query_row(&res, "appointments_slot", 4, p)) != 0)
		return rc;
	view_set(r->view, db_value(res, 0, 0), "Data.slot.when");
	view_set(r->view, db_value(res, 0, 1), "Data.slot.until");
	view_set(r->view, mode_text(r, db_value(res, 0, 2)), "Data.slot.mode");
	view_set(r->view, db_value(res, 0, 3), "Data.slot.location");
	if (token_random_hex(key, 16) == -1)
		return HTTP_INTERNAL_ERROR;
	view_set(r->view, start, "Data.slot.epoch");
	view_set(r->view, key, "Data.key");
	if (is_reception(r))
		view_set(r->view, pid, "Data.patient.id");
	return page_show(r, "appointments.confirm.title", "appointments/confirm.cs", HTTP_OK);
}

/* Inside the open transaction: the history row of appointment id (what
 * happened, the old start or NULL, a reason or "") and the event for its
 * notification mail, with remind also its reminders. Returns 0, or (the
 * transaction rolled back) the HTTP status to answer with. */
static int
log_change(struct req *r, const char *id, const char *what, const char *old_starts,
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

/* Book the slot of doctor starting at epoch for patient (id and name);
 * one code path for patients and reception (created_by: the signed-in
 * user). Answers 303 to the appointment, 409 with alternatives when the
 * time was just taken, 4xx for bad input. */
static int
book(struct req *r, const char *doctor, const char *epoch, const char *patient,
     const char *patient_name, const char *reason, const char *key)
{
	const char *p[8];
	struct db_result *res;
	enum db_status st;
	long long doctor_user = 0;
	const char *doctor_name, *id, *when, *link;
	long long patient_id = strtoll(patient, NULL, 10);
	int rc;

	if (!is_epoch(epoch) || !is_key(key))
		return HTTP_BAD_REQUEST;
	if (reason == NULL)
		reason = "";
	if (utf8_char_count(reason) > REASON_MAX)
		return HTTP_BAD_REQUEST;
	if ((rc = load_doctor(r, doctor, &doctor_user, &doctor_name)) != 0)
		return rc;

	/* The same form again: the appointment it created. */
	p[0] = key;
	if ((st = db_query(&res, "appointments_by_key", 1, p)) != DB_OK)
		return db_http_status(st);
	if (db_rows(res) > 0) {
		int mine = strcmp(db_value(res, 0, 1), patient) == 0;
		link = arena_printf(r->arena, "/appointments/%s", db_value(res, 0, 0));
		return mine ? page_redirect(r, link) : HTTP_BAD_REQUEST;
	}

	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	p[0] = doctor;
	p[1] = epoch;
	p[2] = r->cfg->clinic_timezone;
	p[3] = weeks_text(r);
	p[4] = patient;
	p[5] = reason;
	p[6] = r->user.id_text;
	p[7] = key;
	st = db_query(&res, "appointments_insert", 8, p);
	if (st == DB_CONFLICT) {
		db_rollback();
		/* A concurrent resubmission of this same form won? */
		p[0] = key;
		if (db_query(&res, "appointments_by_key", 1, p) == DB_OK) {
			if (db_rows(res) > 0 && strcmp(db_value(res, 0, 1), patient) == 0) {
				link = arena_printf(r->arena, "/appointments/%s", db_value(res, 0, 0));
				return page_redirect(r, link);
			}
		}
		return taken_page(r, doctor, epoch, NULL, is_reception(r) ? patient : NULL);
	}
	if (st != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) == 0) {
		db_rollback();
		return HTTP_NOT_FOUND;           /* not an offered slot (or past) */
	}
	id = arena_strdup(r->arena, db_value(res, 0, 0));
	when = arena_strdup(r->arena, db_value(res, 0, 1));
	link = arena_printf(r->arena, "/appointments/%s", id);

	if ((rc = log_change(r, id, "booked", NULL, "", 1)) != 0)
		return rc;
	if (outbox_notice(patient_id, "appointment_booked",
	                  json_object(r->arena, "doctor", doctor_name, "when", when, NULL), link) == -1)
		return page_tx_fail(DB_ERROR);
	if (doctor_user > 0 &&
	    outbox_notice(doctor_user, "appointment_new",
	                  json_object(r->arena, "patient", patient_name, "when", when, NULL),
	                  "/agenda") == -1)
		return page_tx_fail(DB_ERROR);
	if (audit_log(r, patient_id, "appointment.booked", arena_printf(r->arena, "appointment:%s", id)) == -1)
		return page_tx_fail(DB_ERROR);
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return page_redirect(r, link);
}

static int
page_appt_create(struct req *r)
{
	const char *pid, *pname;
	int rc;

	if ((rc = acting_for(r, fields_get(&r->form, "patient"), &pid, &pname)) != 0)
		return rc;
	if (!is_reception(r) && !r->user.email_verified)
		return must_verify(r);
	return book(r, fields_get(&r->form, "doctor"), fields_get(&r->form, "start"), pid, pname,
	            fields_get(&r->form, "reason"), fields_get(&r->form, "key"));
}

/* -------------------------------------------------- list and details */

static void
fill_list(struct req *r, const char *patient)
{
	const char *p[2] = { patient, r->cfg->clinic_timezone };
	struct db_result *res;
	size_t up = 0, past = 0;

	if (db_query(&res, "appointments_list", 2, p) != DB_OK)
		return;
	for (size_t i = 0; i < db_rows(res); i++) {
		int ahead = strcmp(db_value(res, i, 5), "t") == 0;
		const char *base = ahead ? "Data.upcoming" : "Data.past";
		size_t k = ahead ? up++ : past++;
		view_set(r->view, db_value(res, i, 0), "%s.%zu.id", base, k);
		view_set(r->view, db_value(res, i, 1), "%s.%zu.doctor", base, k);
		view_set(r->view, db_value(res, i, 2), "%s.%zu.when", base, k);
		view_set(r->view, mode_text(r, db_value(res, i, 3)), "%s.%zu.mode", base, k);
		view_set(r->view, db_value(res, i, 4), "%s.%zu.status", base, k);
		view_set(r->view, status_text(r, db_value(res, i, 4)), "%s.%zu.status_text", base, k);
	}
	view_set_int(r->view, (long long)up, "Data.n_upcoming");
	view_set_int(r->view, (long long)past, "Data.n_past");
}

static int
page_appt_list(struct req *r)
{
	fill_list(r, r->user.id_text);
	return page_show(r, "appointments.list.title", "appointments/list.cs", HTTP_OK);
}

enum {
	AG_ID, AG_PATIENT, AG_PATIENT_NAME, AG_PATIENT_EMAIL, AG_DOCTOR, AG_DOCTOR_NAME,
	AG_DOCTOR_USER, AG_WHEN, AG_UNTIL, AG_MODE, AG_LOCATION, AG_REASON, AG_STATUS,
	AG_SEQUENCE, AG_AHEAD, AG_CANCELLABLE, AG_CANCEL_REASON, AG_STARTS, AG_EPOCH
};

/* Load appointment id for the signed-in user: reception sees any (with an
 * audit row when audit_action is given), a patient only their own; anyone
 * else gets 404 (the same whether or not it exists) and an audit row.
 * 0 with *out set, or an HTTP status. */
static int
load_appt(struct req *r, const char *id, const char *audit_action, struct db_result **out)
{
	const char *p[3] = { id, r->cfg->clinic_timezone, NULL };
	struct db_result *res;
	enum db_status st;

	p[2] = arena_printf(r->arena, "%d", r->cfg->cancel_cutoff_hours);
	*out = NULL;
	if (!is_positive_id(id))
		return HTTP_NOT_FOUND;
	if ((st = db_query(&res, "appointments_get", 3, p)) != DB_OK)
		return db_http_status(st);
	if (db_rows(res) == 0 ||
	    (!is_reception(r) && strcmp(db_value(res, 0, AG_PATIENT), r->user.id_text) != 0)) {
		long long owner = db_rows(res) ? strtoll(db_value(res, 0, AG_PATIENT), NULL, 10) : 0;
		audit_log(r, owner, "access.denied", arena_printf(r->arena, "appointment:%s", id));
		return HTTP_NOT_FOUND;
	}
	if (is_reception(r) && audit_action)
		audit_log(r, strtoll(db_value(res, 0, AG_PATIENT), NULL, 10), audit_action,
		          arena_printf(r->arena, "appointment:%s", id));
	*out = res;
	return 0;
}

static void
fill_appt(struct req *r, const struct db_result *res)
{
	static const struct { int col; const char *name; } cols[] = {
		{ AG_ID, "id" }, { AG_PATIENT, "patient_id" }, { AG_PATIENT_NAME, "patient" },
		{ AG_PATIENT_EMAIL, "patient_email" }, { AG_DOCTOR, "doctor_id" },
		{ AG_DOCTOR_NAME, "doctor" }, { AG_WHEN, "when" }, { AG_UNTIL, "until" },
		{ AG_LOCATION, "location" }, { AG_REASON, "reason" }, { AG_STATUS, "status" },
		{ AG_CANCEL_REASON, "cancel_reason" }, { AG_EPOCH, "epoch" },
	};

	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		view_set(r->view, db_value(res, 0, cols[i].col), "Data.appt.%s", cols[i].name);
	view_set(r->view, mode_text(r, db_value(res, 0, AG_MODE)), "Data.appt.mode");
	view_set(r->view, status_text(r, db_value(res, 0, AG_STATUS)), "Data.appt.status_text");
	if (strcmp(db_value(res, 0, AG_AHEAD), "t") == 0)
		view_set_int(r->view, 1, "Data.appt.ahead");
	/* Patients may change it until the cutoff; reception any time ahead. */
	if (strcmp(db_value(res, 0, is_reception(r) ? AG_AHEAD : AG_CANCELLABLE), "t") == 0)
		view_set_int(r->view, 1, "Data.appt.changeable");
	if (strcmp(db_value(res, 0, AG_STATUS), "booked") == 0)
		view_set_int(r->view, 1, "Data.appt.booked");
	if (is_reception(r))
		view_set_int(r->view, 1, "Data.reception");
	view_set_int(r->view, r->cfg->cancel_cutoff_hours, "Data.cutoff_hours");
}

static void
fill_history(struct req *r, const char *id)
{
	const char *p[2] = { id, r->cfg->clinic_timezone };
	struct db_result *res;

	if (db_query(&res, "appointments_history", 2, p) != DB_OK)
		return;
	for (size_t i = 0; i < db_rows(res); i++) {
		view_set(r->view, db_value(res, i, 0), "Data.history.%zu.at", i);
		view_set(r->view, status_text(r, db_value(res, i, 1)), "Data.history.%zu.action", i);
		view_set(r->view, db_value(res, i, 2), "Data.history.%zu.old", i);
		view_set(r->view, db_value(res, i, 3), "Data.history.%zu.new", i);
		view_set(r->view, db_value(res, i, 4), "Data.history.%zu.note", i);
		view_set(r->view, db_value(res, i, 5), "Data.history.%zu.actor", i);
	}
}

static int
show_appt(struct req *r, const struct db_result *res, int status)
{
	fill_appt(r, res);
	fill_history(r, db_value(res, 0, AG_ID));
	return page_show(r, "appointments.show.title", "appointments/show.cs", status);
}

static int
page_appt_show(struct req *r)
{
	struct db_result *res;
	int rc;

	if ((rc = load_appt(r, r->match.args[0], "appointment.viewed", &res)) != 0)
		return rc;
	if (fields_get(&r->query, "done"))
		view_set(r->view, "1", "Data.done");
	rc = show_appt(r, res, HTTP_OK);
	return rc;
}

/* ------------------------------------------------------------- cancel */

static const struct field_rule cancel_rules_patient[] = {
	{ "reason", FIELD_MULTILINE, 0, 0, REASON_MAX, NULL },
};
static const struct field_rule cancel_rules_reception[] = {
	{ "reason", FIELD_MULTILINE, 1, 1, REASON_MAX, NULL },
};

static int
page_appt_cancel(struct req *r)
{
	const char *id = r->match.args[0], *p[4], *reason, *when, *doctor_name, *patient_name;
	struct db_result *res;
	enum db_status st;
	long long patient, doctor_user;
	size_t rows;
	int rc, reception = is_reception(r);

	if ((rc = load_appt(r, id, NULL, &res)) != 0)
		return rc;
	if (form_validate(r, reception ? cancel_rules_reception : cancel_rules_patient, 1) > 0) {
		rc = show_appt(r, res, 422);
		return rc;
	}
	reason = form_value(r, "reason");
	if (reason == NULL)
		reason = "";
	if (strcmp(db_value(res, 0, reception ? AG_AHEAD : AG_CANCELLABLE), "t") != 0) {
		view_set(r->view, strcmp(db_value(res, 0, AG_STATUS), "booked") == 0 ? "too_late" : "not_booked",
		         "Data.error");
		rc = show_appt(r, res, HTTP_CONFLICT);
		return rc;
	}
	patient = strtoll(db_value(res, 0, AG_PATIENT), NULL, 10);
	doctor_user = strtoll(db_value(res, 0, AG_DOCTOR_USER), NULL, 10);
	when = arena_strdup(r->arena, db_value(res, 0, AG_WHEN));
	doctor_name = arena_strdup(r->arena, db_value(res, 0, AG_DOCTOR_NAME));
	patient_name = arena_strdup(r->arena, db_value(res, 0, AG_PATIENT_NAME));

	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	p[0] = id;
	p[1] = r->user.id_text;
	p[2] = reason;
	p[3] = reception ? NULL : arena_printf(r->arena, "%d", r->cfg->cancel_cutoff_hours);
	if ((st = db_run_rows("appointments_cancel", 4, p, &rows)) != DB_OK)
		return page_tx_fail(st);
	if (rows == 0) {                  /* changed meanwhile */
		db_rollback();
		view_set(r->view, "too_late", "Data.error");
		rc = show_appt(r, res, HTTP_CONFLICT);
		return rc;
	}
	if ((rc = log_change(r, id, "cancelled", NULL, reason, 0)) != 0)
		return rc;
	if (outbox_notice(patient, "appointment_cancelled",
	                  json_object(r->arena, "doctor", doctor_name, "when", when, NULL),
	                  arena_printf(r->arena, "/appointments/%s", id)) == -1)
		return page_tx_fail(DB_ERROR);
	if (doctor_user > 0 && !reception &&
	    outbox_notice(doctor_user, "appointment_cancelled_by_patient",
	                  json_object(r->arena, "patient", patient_name, "when", when, NULL),
	                  "/agenda") == -1)
		return page_tx_fail(DB_ERROR);
	if (audit_log(r, patient, "appointment.cancelled", arena_printf(r->arena, "appointment:%s", id)) == -1)
		return page_tx_fail(DB_ERROR);
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return page_redirect(r, arena_printf(r->arena, "/appointments/%s?done=cancelled", id));
}

/* --------------------------------------------------------- reschedule */

static int
page_appt_reschedule(struct req *r)
{
	const char *id = r->match.args[0];
	struct db_result *res, *slots;
	enum db_status st;
	int rc;

	if ((rc = load_appt(r, id, "appointment.viewed", &res)) != 0)
		return rc;
	fill_appt(r, res);
	if (strcmp(db_value(res, 0, is_reception(r) ? AG_AHEAD : AG_CANCELLABLE), "t") != 0) {
		view_set(r->view, strcmp(db_value(res, 0, AG_STATUS), "booked") == 0 ? "too_late" : "not_booked",
		         "Data.error");
		fill_history(r, id);
		return page_show(r, "appointments.show.title", "appointments/show.cs", HTTP_CONFLICT);
	}
	st = query_free_slots(r, db_value(res, 0, AG_DOCTOR), &slots);
	if (st != DB_OK)
		return db_http_status(st);
	set_free_slots(r, slots);
	return page_show(r, "appointments.reschedule.title", "appointments/reschedule.cs", HTTP_OK);
}

static int
page_appt_reschedule_post(struct req *r)
{
	const char *id = r->match.args[0], *epoch = fields_get(&r->form, "start");
	const char *p[6], *doctor, *doctor_name, *old_starts, *when;
	struct db_result *res, *mv;
	enum db_status st;
	long long patient;
	int rc, reception = is_reception(r);

	if ((rc = load_appt(r, id, NULL, &res)) != 0)
		return rc;
	if (!is_epoch(epoch))
		return HTTP_BAD_REQUEST;
	if (strcmp(db_value(res, 0, reception ? AG_AHEAD : AG_CANCELLABLE), "t") != 0) {
		view_set(r->view, strcmp(db_value(res, 0, AG_STATUS), "booked") == 0 ? "too_late" : "not_booked",
		         "Data.error");
		rc = show_appt(r, res, HTTP_CONFLICT);
		return rc;
	}
	patient = strtoll(db_value(res, 0, AG_PATIENT), NULL, 10);
	doctor = arena_strdup(r->arena, db_value(res, 0, AG_DOCTOR));
	doctor_name = arena_strdup(r->arena, db_value(res, 0, AG_DOCTOR_NAME));
	old_starts = arena_strdup(r->arena, db_value(res, 0, AG_STARTS));

	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	p[0] = id;
	p[1] = doctor;
	p[2] = epoch;
	p[3] = r->cfg->clinic_timezone;
	p[4] = weeks_text(r);
	p[5] = reception ? NULL : arena_printf(r->arena, "%d", r->cfg->cancel_cutoff_hours);
	st = db_query(&mv, "appointments_move", 6, p);
	if (st == DB_CONFLICT) {
		db_rollback();
		return taken_page(r, doctor, epoch, id, NULL);
	}
	if (st != DB_OK)
		return page_tx_fail(st);
	if (db_rows(mv) == 0) {           /* not an offered slot, or changed meanwhile */
		db_rollback();
		return HTTP_NOT_FOUND;
	}
	when = arena_strdup(r->arena, db_value(mv, 0, 1));
	if ((rc = log_change(r, id, "moved", old_starts, "", 1)) != 0)
		return rc;
	if (outbox_notice(patient, "appointment_moved",
	                  json_object(r->arena, "doctor", doctor_name, "when", when, NULL),
	                  arena_printf(r->arena, "/appointments/%s", id)) == -1)
		return page_tx_fail(DB_ERROR);
	if (audit_log(r, patient, "appointment.moved", arena_printf(r->arena, "appointment:%s", id)) == -1)
		return page_tx_fail(DB_ERROR);
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return page_redirect(r, arena_printf(r->arena, "/appointments/%s?done=moved", id));
}

/* ------------------------------------------------ completed / no-show */

int
appointments_set_status(struct req *r, long long appointment_id, const char *status)
{
	const char *p[4];
	struct db_result *res;
	enum db_status st;
	const char *id;
	long long patient;

	if (status == NULL || (strcmp(status, "completed") != 0 && strcmp(status, "no_show") != 0))
		return HTTP_BAD_REQUEST;
	if (!(r->user.roles & (ROLE_RECEPTION | ROLE_DOCTOR)))
		return HTTP_FORBIDDEN;
	if (appointment_id <= 0)
		return HTTP_NOT_FOUND;
	id = arena_printf(r->arena, "%lld", appointment_id);
	p[0] = id;
	p[1] = status;
	p[2] = is_reception(r) ? NULL : r->user.id_text;
	p[3] = r->cfg->clinic_timezone;
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_query(&res, "appointments_set_status", 4, p)) != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) == 0) {
		db_rollback();
		return HTTP_NOT_FOUND;
	}
	patient = strtoll(db_value(res, 0, 0), NULL, 10);
	{
		const char *h[5] = { id, r->user.id_text, status, NULL, "" };
		if ((st = db_run("appointments_history_add", 5, h)) != DB_OK)
			return page_tx_fail(st);
	}
	if (audit_log(r, patient, strcmp(status, "completed") == 0 ? "appointment.completed"
	                                                           : "appointment.no_show",
	              arena_printf(r->arena, "appointment:%s", id)) == -1)
		return page_tx_fail(DB_ERROR);
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return 0;
}

static int
page_appt_status(struct req *r)
{
	const char *id = r->match.args[0];
	int rc;

	if (!is_positive_id(id))
		return HTTP_NOT_FOUND;
	rc = appointments_set_status(r, strtoll(id, NULL, 10), fields_get(&r->form, "status"));
	if (rc != 0)
		return rc;
	return page_redirect(r, arena_printf(r->arena, "/appointments/%s", id));
}

/* ---------------------------------------------------------- reception */

static int
page_reception(struct req *r)
{
	const char *q = fields_get(&r->query, "q"), *patient = fields_get(&r->query, "patient");
	const char *pid, *pname;
	struct db_result *res;
	enum db_status st;
	int rc;

	if (patient && *patient) {
		if ((rc = acting_for(r, patient, &pid, &pname)) != 0)
			return rc == HTTP_BAD_REQUEST ? HTTP_NOT_FOUND : rc;
		audit_log(r, strtoll(pid, NULL, 10), "appointment.list_viewed",
		          arena_printf(r->arena, "user:%s", pid));
		fill_list(r, pid);
		return page_show(r, "appointments.reception.title", "appointments/reception.cs", HTTP_OK);
	}
	if (q) {
		while (*q == ' ')
			q++;
		if (utf8_char_count(q) > 100)
			return HTTP_BAD_REQUEST;
	}
	if (q && utf8_char_count(q) >= 2) {
		view_set(r->view, q, "Data.q");
		if ((st = db_query(&res, "appointments_patients", 1, &q)) != DB_OK)
			return db_http_status(st);
		for (size_t i = 0; i < db_rows(res); i++) {
			view_set(r->view, db_value(res, i, 0), "Data.patients.%zu.id", i);
			view_set(r->view, db_value(res, i, 1), "Data.patients.%zu.name", i);
			view_set(r->view, db_value(res, i, 2), "Data.patients.%zu.email", i);
		}
		view_set_int(r->view, (long long)db_rows(res), "Data.count");
		view_set_int(r->view, 1, "Data.searched");
	} else if (q && *q) {
		view_set(r->view, q, "Data.q");
		view_set_int(r->view, 1, "Data.too_short");
	}
	return page_show(r, "appointments.reception.title", "appointments/reception.cs", HTTP_OK);
}

/* ------------------------------------------------------------- routes */

#define BOOKERS (ROLE_PATIENT | ROLE_RECEPTION)

const struct route appointments_routes[] = {
	/* name                method       pattern                                        handler                    roles           csrf pre_mfa */
	{ "doctors",           METHOD_GET,  "/doctors",                                    page_doctors,              BOOKERS,        0,   0, NULL },
	{ "doctor_slots",      METHOD_GET,  "/doctors/([1-9][0-9]{0,8})",                  page_doctor_slots,         BOOKERS,        0,   0, NULL },
	{ "appt_new",          METHOD_GET,  "/appointments/new",                           page_appt_new,             BOOKERS,        0,   0, NULL },
	{ "appt_create",       METHOD_POST, "/appointments",                               page_appt_create,          BOOKERS,        1,   0, NULL },
	{ "appt_list",         METHOD_GET,  "/appointments",                               page_appt_list,            ROLE_PATIENT,   0,   0, NULL },
	{ "appt_show",         METHOD_GET,  "/appointments/([1-9][0-9]{0,17})",            page_appt_show,            BOOKERS,        0,   0, NULL },
	{ "appt_cancel",       METHOD_POST, "/appointments/([1-9][0-9]{0,17})/cancel",     page_appt_cancel,          BOOKERS,        1,   0, NULL },
	{ "appt_reschedule",   METHOD_GET,  "/appointments/([1-9][0-9]{0,17})/reschedule", page_appt_reschedule,      BOOKERS,        0,   0, NULL },
	{ "appt_reschedule_p", METHOD_POST, "/appointments/([1-9][0-9]{0,17})/reschedule", page_appt_reschedule_post, BOOKERS,        1,   0, NULL },
	{ "appt_status",       METHOD_POST, "/appointments/([1-9][0-9]{0,17})/status",     page_appt_status,          ROLE_RECEPTION | ROLE_DOCTOR, 1, 0, NULL },
	{ "reception",         METHOD_GET,  "/reception",                                  page_reception,            ROLE_RECEPTION, 0,   0, NULL },
};
const size_t appointments_routes_n = sizeof(appointments_routes) / sizeof(appointments_routes[0]);
