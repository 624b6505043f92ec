/* booking: finding a doctor and a free slot, booking it (with an
 * idempotency key; 409 with alternatives when it was just taken), and
 * moving an appointment to another slot. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/appointments/appt.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/json.h"
#include "core/outbox.h"
#include "core/request.h"
#include "core/token.h"
#include "core/validate.h"
#include "core/view.h"

/* --------------------------------------------------- find a doctor */

int
appt_doctors(struct req *r)
{
	const char *spec = fields_get(&r->query, "specialty");
	const char *q = fields_get(&r->query, "q");
	const char *patient = fields_get(&r->query, "patient");
	const char *pid, *pname, *p[3];
	struct db_result *res;
	enum db_status st;
	int rc;

	if (appt_is_reception(r) && (rc = appt_acting_for(r, patient, &pid, &pname)) != 0)
		return rc == HTTP_BAD_REQUEST ? page_redirect(r, "/reception") : rc;
	if (spec && *spec == '\0')
		spec = NULL;
	if (spec && !appt_is_doctor_id(spec))
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
	view_set(r->view, appt_is_reception(r) ? arena_printf(r->arena, "?patient=%s", pid) : "", "Data.pquery");
	return page_show(r, "appointments.doctors.title", "appointments/doctors.cs", HTTP_OK);
}

/* One week of the doctor's free slots (?week=), grouped by day. */
int
appt_doctor_slots(struct req *r)
{
	const char *doctor = r->match.args[0], *patient = fields_get(&r->query, "patient");
	const char *pid = NULL, *pname;
	int rc;

	if (appt_is_reception(r)) {
		if ((rc = appt_acting_for(r, patient, &pid, &pname)) != 0)
			return rc == HTTP_BAD_REQUEST ? page_redirect(r, "/reception") : rc;
	}
	if ((rc = appt_load_doctor(r, doctor, NULL, NULL)) != 0)
		return rc;
	if ((rc = appt_week_fill(r, doctor, arena_printf(r->arena, "/doctors/%s?", doctor),
	                         pid ? pid : r->user.id_text, NULL)) != 0)
		return rc;
	view_set(r->view, appt_patient_suffix(r, pid), "Data.psuffix");
	return page_show(r, "appointments.slots.title", "appointments/slots.cs", HTTP_OK);
}

/* ------------------------------------------------------------ booking */

/* The reason the symptom checker left for the booking form (its
 * "triage_reason" cookie, "r=" and the %-encoded text; triage/triage.c),
 * or NULL. */
static const char *
triage_reason(struct req *r)
{
	const char *c = req_cookie(r, "triage_reason");
	struct fields f = { 0 };

	const char *v;

	if (c == NULL || form_parse_urlencoded(r->arena, c, strlen(c), &parse_limits_default, &f) != PARSE_OK)
		return NULL;
	v = fields_get(&f, "r");
	return v && utf8_char_count(v) <= REASON_MAX ? v : NULL;
}

/* The confirm page of one slot: reason, and a fresh idempotency key. */
int
appt_new(struct req *r)
{
	const char *doctor = fields_get(&r->query, "doctor"), *start;
	const char *patient = fields_get(&r->query, "patient");
	const char *pid, *pname, *p[5];
	struct db_result *res;
	char key[33];
	int rc;

	if ((rc = appt_acting_for(r, patient, &pid, &pname)) != 0)
		return rc;
	if (!appt_is_reception(r) && !r->user.email_verified)
		return appt_must_verify(r);
	if ((rc = appt_slot_start(r, &r->query, &start)) != 0)
		return rc;
	if ((rc = appt_load_doctor(r, doctor, NULL, NULL)) != 0)
		return rc;
	p[0] = doctor;
	p[1] = start;
	p[2] = r->cfg->clinic_timezone;
	p[3] = appt_weeks_text(r);
	p[4] = arena_printf(r->arena, "%d", r->cfg->cancel_cutoff_hours);
	if ((rc = page_query_row(&res, "appointments_slot", 5, p)) != 0)
		return rc;
	/* Warn before confirming: once booked it cannot be changed online
	 * (reception has no cutoff). */
	if (!appt_is_reception(r) && strcmp(db_value(res, 0, 4), "t") == 0)
		view_set(r->view, page_duration(r, r->cfg->cancel_cutoff_hours * 60L), "Data.slot.inside_cutoff");
	view_set(r->view, page_when(r, db_value(res, 0, 0)), "Data.slot.when");
	view_set(r->view, db_value(res, 0, 1), "Data.slot.until");
	view_set(r->view, appt_mode_text(r, db_value(res, 0, 2)), "Data.slot.mode");
	view_set(r->view, db_value(res, 0, 3), "Data.slot.location");
	if (token_random_hex(key, 16) == -1)
		return HTTP_INTERNAL_ERROR;
	view_set(r->view, start, "Data.slot.epoch");
	view_set(r->view, key, "Data.key");
	if (!appt_is_reception(r) && triage_reason(r))
		view_set(r->view, triage_reason(r), "Data.reason");
	if (appt_is_reception(r))
		view_set(r->view, pid, "Data.patient.id");
	return page_show(r, "appointments.confirm.title", "appointments/confirm.cs", HTTP_OK);
}

/* Symptom-checker summaries the patient shared in the last 7 days when
 * no appointment was booked go with this one, the first booked after
 * (issue 14: "attached to their next appointment"); an audit row each.
 * Inside book's transaction: 0, or the failed page's status. */
static int
attach_triage(struct req *r, const char *appointment, const char *patient, long long patient_id)
{
	const char *p[2] = { appointment, patient };
	struct db_result *res;
	enum db_status st;

	if ((st = db_query(&res, "triage_attach", 2, p)) != DB_OK)
		return page_tx_fail(st);
	for (size_t i = 0; i < db_rows(res); i++)
		if (audit_log(r, patient_id, "record.triage_attach",
		              arena_printf(r->arena, "triage:%s appointment:%s", db_value(res, i, 0), appointment)) == -1)
			return page_tx_fail(DB_ERROR);
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

	if (!appt_is_epoch(epoch) || !appt_is_key(key))
		return HTTP_BAD_REQUEST;
	if (reason == NULL)
		reason = "";
	if (utf8_char_count(reason) > REASON_MAX)
		return HTTP_BAD_REQUEST;
	if ((rc = appt_load_doctor(r, doctor, &doctor_user, &doctor_name)) != 0)
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
	p[3] = appt_weeks_text(r);
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
		return appt_taken_page(r, doctor, epoch, NULL, patient, appt_is_reception(r));
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

	if ((rc = appt_log_change(r, id, "booked", NULL, "", 1)) != 0)
		return rc;
	if ((rc = attach_triage(r, id, patient, patient_id)) != 0)
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

int
appt_create(struct req *r)
{
	const char *pid, *pname;
	int rc;

	if ((rc = appt_acting_for(r, fields_get(&r->form, "patient"), &pid, &pname)) != 0)
		return rc;
	if (!appt_is_reception(r) && !r->user.email_verified)
		return appt_must_verify(r);
	return book(r, fields_get(&r->form, "doctor"), fields_get(&r->form, "start"), pid, pname,
	            fields_get(&r->form, "reason"), fields_get(&r->form, "key"));
}

/* --------------------------------------------------------- reschedule */

int
appt_reschedule(struct req *r)
{
	const char *id = r->match.args[0];
	struct db_result *res;
	int rc;

	if ((rc = appt_load_appt(r, id, "appointment.viewed", &res)) != 0)
		return rc;
	appt_fill_appt(r, res);
	if (strcmp(db_value(res, 0, appt_is_reception(r) ? AG_AHEAD : AG_CANCELLABLE), "t") != 0) {
		view_set(r->view, strcmp(db_value(res, 0, AG_STATUS), "booked") == 0 ? "too_late" : "not_booked",
		         "Data.error");
		if ((rc = appt_fill_history(r, id)) != 0)
			return rc;
		return page_show(r, "appointments.show.title", "appointments/show.cs", HTTP_CONFLICT);
	}
	rc = appt_week_fill(r, db_value(res, 0, AG_DOCTOR), arena_printf(r->arena, "/appointments/%s/reschedule?", id),
	                    db_value(res, 0, AG_PATIENT), id);
	if (rc != 0)
		return rc;
	return page_show(r, "appointments.reschedule.title", "appointments/reschedule.cs", HTTP_OK);
}

int
appt_reschedule_post(struct req *r)
{
	const char *id = r->match.args[0], *epoch;
	const char *p[6], *doctor, *doctor_name, *old_starts, *old_when, *when, *patient_text, *patient_name;
	struct db_result *res, *mv;
	enum db_status st;
	long long patient, doctor_user;
	int rc, reception = appt_is_reception(r);

	if ((rc = appt_load_appt(r, id, NULL, &res)) != 0)
		return rc;
	if ((rc = appt_slot_start(r, &r->form, &epoch)) != 0)
		return rc;
	if ((rc = appt_check_changeable(r, res)) != 0)
		return rc;
	patient = strtoll(db_value(res, 0, AG_PATIENT), NULL, 10);
	patient_text = arena_strdup(r->arena, db_value(res, 0, AG_PATIENT));
	patient_name = arena_strdup(r->arena, db_value(res, 0, AG_PATIENT_NAME));
	doctor_user = strtoll(db_value(res, 0, AG_DOCTOR_USER), NULL, 10);
	doctor = arena_strdup(r->arena, db_value(res, 0, AG_DOCTOR));
	doctor_name = arena_strdup(r->arena, db_value(res, 0, AG_DOCTOR_NAME));
	old_starts = arena_strdup(r->arena, db_value(res, 0, AG_STARTS));
	old_when = arena_strdup(r->arena, db_value(res, 0, AG_WHEN));

	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	p[0] = id;
	p[1] = doctor;
	p[2] = epoch;
	p[3] = r->cfg->clinic_timezone;
	p[4] = appt_weeks_text(r);
	p[5] = reception ? NULL : arena_printf(r->arena, "%d", r->cfg->cancel_cutoff_hours);
	st = db_query(&mv, "appointments_move", 6, p);
	if (st == DB_CONFLICT) {
		db_rollback();
		return appt_taken_page(r, doctor, epoch, id, patient_text, reception);
	}
	if (st != DB_OK)
		return page_tx_fail(st);
	if (db_rows(mv) == 0) {           /* not an offered slot, or changed meanwhile */
		db_rollback();
		return HTTP_NOT_FOUND;
	}
	when = arena_strdup(r->arena, db_value(mv, 0, 1));
	if ((rc = appt_log_change(r, id, "moved", old_starts, "", 1)) != 0)
		return rc;
	if (outbox_notice(patient, "appointment_moved",
	                  json_object(r->arena, "doctor", doctor_name, "when", when, NULL),
	                  arena_printf(r->arena, "/appointments/%s", id)) == -1)
		return page_tx_fail(DB_ERROR);
	/* The doctor learns of a patient's change (reception's are the
	 * clinic's own, told at the desk). */
	if (doctor_user > 0 && !reception &&
	    outbox_notice(doctor_user, "appointment_moved_by_patient",
	                  json_object(r->arena, "patient", patient_name, "old", old_when, "when", when, NULL),
	                  "/agenda") == -1)
		return page_tx_fail(DB_ERROR);
	if (audit_log(r, patient, "appointment.moved", arena_printf(r->arena, "appointment:%s", id)) == -1)
		return page_tx_fail(DB_ERROR);
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return page_redirect(r, arena_printf(r->arena, "/appointments/%s?done=moved", id));
}
