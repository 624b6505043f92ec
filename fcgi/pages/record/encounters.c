/* encounters: a patient's encounters for staff (the list, a walk-in, the
 * encounter of an appointment, one per appointment), the patient's own
 * list of signed notes, and the visit notes feature's route table. The
 * note itself is notes.c's. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/record/notes.h"

#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/care.h"
#include "core/config.h"
#include "core/db.h"
#include "core/request.h"
#include "core/validate.h"
#include "core/view.h"

const char *
notes_tz(const struct req *r)
{
	return page_tz(r);
}

const char *
notes_encounter_path(struct req *r, const char *encounter)
{
	return arena_printf(r->arena, "/patients/%s/encounters/%s", r->record.patient_id_text, encounter);
}

/* A staff page's batch: the read's audit row first, then the patient's
 * name (p[0]: the patient's id); the name's index, or -1. */
static int
patient_batch(struct req *r, struct db_batch *b, const char *what, const char *const *p)
{
	if (audit_read_add(r, b, &r->record.patient_id, 1, "record.encounters",
	                   care_audit_object(r, what)) != 0)
		return -1;
	return db_batch_add(b, "notes_patient_name", 1, p);
}

/* The patient's name on staff pages, read in the page's batch. */
static void
set_patient(struct req *r, struct db_result *res)
{
	view_set(r->view, r->record.patient_id_text, "Data.patient.id");
	if (db_rows(res) == 1)
		view_set(r->view, db_value(res, 0, 0), "Data.patient.name");
}

/* ------------------------------------------------------- staff list */

enum { EL_ID, EL_STARTED, EL_KIND, EL_DOCTOR, EL_SIGNED, EL_DRAFTS, EL_ADDENDA };

int
enc_list(struct req *r)
{
	const char *p[2] = { r->record.patient_id_text, notes_tz(r) };
	struct db_batch b = { 0 };
	struct db_result *res;
	enum db_status st;
	int name, rows;

	if ((name = patient_batch(r, &b, "encounters", p)) < 0)
		return HTTP_INTERNAL_ERROR;
	rows = db_batch_add(&b, "notes_encounters", 2, p);
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	set_patient(r, b.res[name]);
	res = b.res[rows];
	for (size_t i = 0; i < db_rows(res); i++) {
		struct view_row *row = view_row(r->view, "Data.encounters.%zu", i);
		int signed_ = strcmp(db_value(res, i, EL_SIGNED), "t") == 0;
		const char *state = signed_ ? "signed" : strcmp(db_value(res, i, EL_DRAFTS), "0") ? "draft" : "empty";

		view_row_set(row, "id", db_value(res, i, EL_ID));
		view_row_set(row, "started", page_when(r, db_value(res, i, EL_STARTED)));
		view_row_set(row, "kind", view_lang(r->view, strcmp(db_value(res, i, EL_KIND), "walk_in") == 0
		                                     ? "notes.kind.walk_in" : "notes.kind.appointment"));
		view_row_set(row, "doctor", db_value(res, i, EL_DOCTOR));
		view_row_set(row, "state", view_lang(r->view, arena_printf(r->arena, "notes.state.%s", state)));
		if (strcmp(db_value(res, i, EL_ADDENDA), "0") != 0)
			view_row_set(row, "addenda", db_value(res, i, EL_ADDENDA));
	}
	return page_show(r, "notes.list.title", "record/encounters.cs", HTTP_OK);
}

/* ------------------------------------------------- opening encounters */

/* The walk-in form: one button (the patient's name is the only data). */
int
enc_new(struct req *r)
{
	const char *p[1] = { r->record.patient_id_text };
	struct db_batch b = { 0 };
	enum db_status st;
	int name;

	if ((name = patient_batch(r, &b, "encounter_new", p)) < 0)
		return HTTP_INTERNAL_ERROR;
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	set_patient(r, b.res[name]);
	return page_show(r, "notes.new.title", "record/encounter_new.cs", HTTP_OK);
}

static const struct field_rule open_rules[] = {
	{ "appointment", FIELD_ID, 0, 0, 0, NULL },
};

/* The encounter of the form's appointment (opened now, or the one it
 * already has: a second click is no error), or a new walk-in; then its
 * note. 404 when the appointment is not this doctor's with this patient
 * or was cancelled. */
int
enc_open(struct req *r)
{
	const char *appt, *id;
	struct db_result *res;
	enum db_status st;

	if (form_validate(r, open_rules, 1) != 0)
		return HTTP_BAD_REQUEST;
	if (r->user.doctor_id == 0)      /* a doctor account without its clinic row */
		return HTTP_FORBIDDEN;
	appt = form_value(r, "appointment");
	if (appt && *appt == '\0')
		appt = NULL;
	const char *p[4] = { r->record.patient_id_text, r->user.doctor_id_text, appt, r->user.id_text };
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_query(&res, "notes_encounter_open", 4, p)) != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) == 1) {
		id = arena_strdup(r->arena, db_value(res, 0, 0));
		if (audit_log(r, r->record.patient_id, "record.encounter_opened",
		              arena_printf(r->arena, "encounter:%s%s%s", id, appt ? " appointment:" : "",
		                           appt ? appt : "")) != 0 ||
		    (st = db_commit()) != DB_OK)
			return page_tx_fail(st == DB_OK ? DB_ERROR : st);
		return page_redirect(r, notes_encounter_path(r, id));
	}
	db_rollback();
	if (appt == NULL)
		return HTTP_INTERNAL_ERROR;
	/* the appointment has its encounter already (or is not one to open) */
	const char *q[2] = { r->record.patient_id_text, appt };
	if ((st = db_query(&res, "notes_encounter_of_appt", 2, q)) != DB_OK)
		return db_http_status(st);
	if (db_rows(res) != 1)
		return HTTP_NOT_FOUND;
	return page_redirect(r, notes_encounter_path(r, db_value(res, 0, 0)));
}

/* ----------------------------------------------- the patient's notes */

enum { SL_ID, SL_STARTED, SL_DOCTOR, SL_SIGNED, SL_CODES, SL_ADDENDA };

/* /record/notes: the signed-in patient's signed notes, newest first;
 * drafts never appear. */
int
notes_mine(struct req *r)
{
	const char *p[2] = { r->record.patient_id_text, notes_tz(r) };
	struct db_batch b = { 0 };
	struct db_result *res;
	enum db_status st;
	int rows;

	if (audit_read_add(r, &b, &r->record.patient_id, 1, "record.notes",
	                   care_audit_object(r, "notes")) != 0)
		return HTTP_INTERNAL_ERROR;
	rows = db_batch_add(&b, "notes_signed_list", 2, p);
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	res = b.res[rows];
	for (size_t i = 0; i < db_rows(res); i++) {
		struct view_row *row = view_row(r->view, "Data.notes.%zu", i);

		view_row_set(row, "id", db_value(res, i, SL_ID));
		view_row_set(row, "date", page_when(r, db_value(res, i, SL_STARTED)));
		view_row_set(row, "doctor", db_value(res, i, SL_DOCTOR));
		view_row_set(row, "codes", db_value(res, i, SL_CODES));
		if (strcmp(db_value(res, i, SL_ADDENDA), "0") != 0)
			view_row_set(row, "addenda", db_value(res, i, SL_ADDENDA));
	}
	return page_show(r, "notes.mine.title", "record/notes.cs", HTTP_OK);
}

/* ------------------------------------------------------------ routes */

#define PATIENT "/patients/([0-9]{1,18})"
#define ENC PATIENT "/encounters/([0-9]{1,18})"

const struct route notes_routes[] = {
	/* name             method       pattern                      handler        roles         csrf pre_mfa capability record */
	{ "encounters",     METHOD_GET,  PATIENT "/encounters",       enc_list,      ROLE_DOCTOR,  0, 0, NULL, RECORD_CLINICAL },
	{ "encounter_new",  METHOD_GET,  PATIENT "/encounters/new",   enc_new,       ROLE_DOCTOR,  0, 0, NULL, RECORD_CLINICAL },
	{ "encounter_open", METHOD_POST, PATIENT "/encounters/new",   enc_open,      ROLE_DOCTOR,  1, 0, NULL, RECORD_CLINICAL },
	{ "note",           METHOD_GET,  ENC,                         note_page,     ROLE_DOCTOR,  0, 0, NULL, RECORD_CLINICAL },
	{ "note_post",      METHOD_POST, ENC,                         note_post,     ROLE_DOCTOR,  1, 0, NULL, RECORD_CLINICAL },
	{ "note_addendum",  METHOD_POST, ENC "/addenda",              note_addendum, ROLE_DOCTOR,  1, 0, NULL, RECORD_CLINICAL },
	{ "notes_mine",     METHOD_GET,  "/record/notes",             notes_mine,    ROLE_PATIENT, 0, 0, NULL, RECORD_OWN },
	{ "note_mine",      METHOD_GET,  "/record/notes/([0-9]{1,18})", note_mine,   ROLE_PATIENT, 0, 0, NULL, RECORD_OWN },
};
const size_t notes_routes_n = sizeof(notes_routes) / sizeof(notes_routes[0]);
