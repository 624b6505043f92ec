/* visits: a patient's list of appointments, one appointment with its
 * history, cancelling, marking a visit completed or missed, and the
 * reception desk. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/appointments/appointments.h"
#include "pages/appointments/appt.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/json.h"
#include "core/outbox.h"
#include "core/request.h"
#include "core/validate.h"
#include "core/view.h"

/* -------------------------------------------------- list and details */

/* The appointments of patient (account id text) for the list pages, with
 * the audit row of that read in the same batch: nothing is shown unless
 * it is written. 0 or an HTTP status. */
static int
fill_list(struct req *r, const char *patient)
{
	const char *p[2] = { patient, r->cfg->clinic_timezone };
	long long subject = strtoll(patient, NULL, 10);
	struct db_batch b = { 0 };
	struct db_result *res;
	enum db_status st;
	size_t up = 0, past = 0;
	int rows;

	if (audit_read_add(r, &b, &subject, 1, "appointment.list_viewed",
	                   arena_printf(r->arena, "user:%s", patient)) == -1)
		return HTTP_INTERNAL_ERROR;
	rows = db_batch_add(&b, "appointments_list", 2, p);
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	res = b.res[rows];
	for (size_t i = 0; i < db_rows(res); i++) {
		int ahead = strcmp(db_value(res, i, 5), "t") == 0;
		struct view_row *row = view_row(r->view, "%s.%zu", ahead ? "Data.upcoming" : "Data.past",
		                                ahead ? up++ : past++);
		view_row_set(row, "id", db_value(res, i, 0));
		view_row_set(row, "doctor", db_value(res, i, 1));
		view_row_set(row, "when", page_when(r, db_value(res, i, 2)));
		view_row_set(row, "mode", appt_mode_text(r, db_value(res, i, 3)));
		view_row_set(row, "status", db_value(res, i, 4));
		view_row_set(row, "status_text", appt_status_text(r, db_value(res, i, 4)));
	}
	view_set_int(r->view, (long long)up, "Data.n_upcoming");
	view_set_int(r->view, (long long)past, "Data.n_past");
	return 0;
}

int
appt_list(struct req *r)
{
	int rc = fill_list(r, r->user.id_text);

	return rc ? rc : page_show(r, "appointments.list.title", "appointments/list.cs", HTTP_OK);
}

/* Load appointment id for the signed-in user: reception sees any (with an
 * audit row when audit_action is given), a patient only their own; anyone
 * else gets 404 (the same whether or not it exists) and an audit row.
 * 0 with *out set, or an HTTP status. */
int
appt_load_appt(struct req *r, const char *id, const char *audit_action, struct db_result **out)
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
	    (!appt_is_reception(r) && strcmp(db_value(res, 0, AG_PATIENT), r->user.id_text) != 0)) {
		long long owner = db_rows(res) ? strtoll(db_value(res, 0, AG_PATIENT), NULL, 10) : 0;
		audit_log(r, owner, "access.denied", arena_printf(r->arena, "appointment:%s", id));
		return HTTP_NOT_FOUND;
	}
	if (audit_action) {
		long long subject = strtoll(db_value(res, 0, AG_PATIENT), NULL, 10);
		int rc = audit_read(r, &subject, 1, audit_action, arena_printf(r->arena, "appointment:%s", id));
		if (rc != 0)
			return rc;
	}
	*out = res;
	return 0;
}

void
appt_fill_appt(struct req *r, const struct db_result *res)
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
	view_set(r->view, page_when(r, db_value(res, 0, AG_WHEN)), "Data.appt.when");
	view_set(r->view, appt_mode_text(r, db_value(res, 0, AG_MODE)), "Data.appt.mode");
	if (db_value(res, 0, AG_CALL)[0] == 't')
		view_set(r->view, "1", "Data.appt.call");
	view_set(r->view, appt_status_text(r, db_value(res, 0, AG_STATUS)), "Data.appt.status_text");
	if (strcmp(db_value(res, 0, AG_AHEAD), "t") == 0)
		view_set_int(r->view, 1, "Data.appt.ahead");
	/* Patients may change it until the cutoff; reception any time ahead. */
	if (strcmp(db_value(res, 0, appt_is_reception(r) ? AG_AHEAD : AG_CANCELLABLE), "t") == 0)
		view_set_int(r->view, 1, "Data.appt.changeable");
	if (strcmp(db_value(res, 0, AG_STATUS), "booked") == 0)
		view_set_int(r->view, 1, "Data.appt.booked");
	if (strcmp(db_value(res, 0, AG_STARTED), "t") == 0)
		view_set_int(r->view, 1, "Data.appt.started");
	if (appt_is_reception(r))
		view_set_int(r->view, 1, "Data.reception");
	view_set(r->view, page_duration(r, r->cfg->cancel_cutoff_hours * 60L), "Data.cutoff_words");
}

/* Data.history from the rows of appointments_history. */
static void
set_history(struct req *r, const struct db_result *res)
{
	for (size_t i = 0; i < db_rows(res); i++) {
		view_set(r->view, page_when(r, db_value(res, i, 0)), "Data.history.%zu.at", i);
		view_set(r->view, appt_status_text(r, db_value(res, i, 1)), "Data.history.%zu.action", i);
		if (*db_value(res, i, 2))
			view_set(r->view, page_when(r, db_value(res, i, 2)), "Data.history.%zu.old", i);
		view_set(r->view, page_when(r, db_value(res, i, 3)), "Data.history.%zu.new", i);
		view_set(r->view, db_value(res, i, 4), "Data.history.%zu.note", i);
		view_set(r->view, db_value(res, i, 5), "Data.history.%zu.actor", i);
	}
}

int
appt_fill_history(struct req *r, const char *id)
{
	const char *p[2] = { id, r->cfg->clinic_timezone };
	struct db_result *res;
	enum db_status st;

	if ((st = db_query(&res, "appointments_history", 2, p)) != DB_OK)
		return db_http_status(st);
	set_history(r, res);
	return 0;
}

/* The appointment page, whatever brought the user there (a visit, a
 * change that could not be made): the read is recorded in the same batch
 * as the change log. */
int
appt_show_appt(struct req *r, const struct db_result *res, int status)
{
	const char *id = db_value(res, 0, AG_ID);
	const char *p[2] = { id, r->cfg->clinic_timezone };
	long long subject = strtoll(db_value(res, 0, AG_PATIENT), NULL, 10);
	struct db_batch b = { 0 };
	enum db_status st;
	int history;

	if (audit_read_add(r, &b, &subject, 1, "appointment.viewed",
	                   arena_printf(r->arena, "appointment:%s", id)) == -1)
		return HTTP_INTERNAL_ERROR;
	history = db_batch_add(&b, "appointments_history", 2, p);
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	appt_fill_appt(r, res);
	set_history(r, b.res[history]);
	return page_show(r, "appointments.show.title", "appointments/show.cs", status);
}

/* Reception may change an appointment until it starts, a patient until the
 * cancellation cutoff, and only a booked one. */
int
appt_check_changeable(struct req *r, const struct db_result *res)
{
	if (strcmp(db_value(res, 0, appt_is_reception(r) ? AG_AHEAD : AG_CANCELLABLE), "t") == 0)
		return 0;
	view_set(r->view, strcmp(db_value(res, 0, AG_STATUS), "booked") == 0 ? "too_late" : "not_booked",
	         "Data.error");
	return appt_show_appt(r, res, HTTP_CONFLICT);
}

int
appt_show(struct req *r)
{
	struct db_result *res;
	int rc;

	if ((rc = appt_load_appt(r, r->match.args[0], NULL, &res)) != 0)
		return rc;
	if (fields_get(&r->query, "done"))
		view_set(r->view, "1", "Data.done");
	return appt_show_appt(r, res, HTTP_OK);
}

/* ------------------------------------------------------------- cancel */

static const struct field_rule cancel_rules_patient[] = {
	{ "reason", FIELD_MULTILINE, 0, 0, REASON_MAX, NULL },
};
static const struct field_rule cancel_rules_reception[] = {
	{ "reason", FIELD_MULTILINE, 1, 1, REASON_MAX, NULL },
};

int
appt_cancel(struct req *r)
{
	const char *id = r->match.args[0], *p[4], *reason, *when, *doctor_name, *patient_name;
	struct db_result *res;
	enum db_status st;
	long long patient, doctor_user;
	size_t rows;
	int rc, reception = appt_is_reception(r);

	if ((rc = appt_load_appt(r, id, NULL, &res)) != 0)
		return rc;
	if (form_validate(r, reception ? cancel_rules_reception : cancel_rules_patient, 1) > 0) {
		return appt_show_appt(r, res, 422);
	}
	reason = form_value(r, "reason");
	if (reason == NULL)
		reason = "";
	if ((rc = appt_check_changeable(r, res)) != 0)
		return rc;
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
		return appt_show_appt(r, res, HTTP_CONFLICT);
	}
	if ((rc = appt_log_change(r, id, "cancelled", NULL, reason, 0)) != 0)
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
	p[2] = appt_is_reception(r) ? NULL : r->user.id_text;
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

int
appt_status(struct req *r)
{
	const char *id = r->match.args[0];
	int rc;

	if (!is_positive_id(id))
		return HTTP_NOT_FOUND;
	rc = appointments_set_status(r, strtoll(id, NULL, 10), fields_get(&r->form, "status"));
	if (rc == HTTP_NOT_FOUND && appt_is_reception(r)) {
		/* Not started yet, or no longer booked: the visit's page says
		 * which instead of a bare 404. */
		struct db_result *res;
		if ((rc = appt_load_appt(r, id, NULL, &res)) != 0)
			return rc;
		view_set(r->view, strcmp(db_value(res, 0, AG_STATUS), "booked") == 0 ? "not_started" : "not_booked",
		         "Data.error");
		return appt_show_appt(r, res, HTTP_CONFLICT);
	}
	if (rc != 0)
		return rc;
	return page_redirect(r, arena_printf(r->arena, "/appointments/%s", id));
}

/* ---------------------------------------------------------- reception */

int
appt_reception(struct req *r)
{
	const char *q = fields_get(&r->query, "q"), *patient = fields_get(&r->query, "patient");
	const char *pid, *pname;
	struct db_result *res;
	enum db_status st;
	int rc;

	if (patient && *patient) {
		if ((rc = appt_acting_for(r, patient, &pid, &pname)) != 0)
			return rc == HTTP_BAD_REQUEST ? HTTP_NOT_FOUND : rc;
		if ((rc = fill_list(r, pid)) != 0)
			return rc;
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
