/* care: the one access decision for a patient's record: the patient
 * themself, a doctor with a care relationship (appointment in the window,
 * assignment) or a break-glass grant, reception and administrators for
 * demographics only (they manage assignments; they never see clinical
 * content).
 * Every refusal leaves an audit row here; every allowed read leaves the
 * page's audit_read row, whose object names the basis. */
#include "care.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "audit.h"
#include "config.h"
#include "db.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "status.h"
#include "view.h"

/* The staff who may see a patient's demographics (never clinical
 * content): reception, and administrators, who manage assignments. */
#define ROLE_FRONT_DESK (ROLE_RECEPTION | ROLE_ADMIN)

/* Columns of care_decide. */
enum { CD_IS_PATIENT, CD_BASIS, CD_GRANT, CD_REASON, CD_EXPIRES };

static const char *const basis_names[CARE__MAX] = {
	[CARE_NONE] = "none",
	[CARE_SELF] = "self",
	[CARE_APPOINTMENT] = "appointment",
	[CARE_ASSIGNMENT] = "assignment",
	[CARE_BREAK_GLASS] = "break_glass",
	[CARE_FRONT_DESK] = "front_desk",
};

static enum care_basis
basis_from_name(const char *s)
{
	for (int i = CARE_APPOINTMENT; i <= CARE_BREAK_GLASS; i++)
		if (s && strcmp(s, basis_names[i]) == 0)
			return (enum care_basis)i;
	return CARE_NONE;
}

/* The patient id the route names: the first capture, 1 to 18 digits
 * (the route's pattern says so). 0 when missing. */
static long long
route_patient(const struct req *r)
{
	if (r->match.nargs < 1 || r->match.args[0] == NULL)
		return 0;
	return strtoll(r->match.args[0], NULL, 10);
}

static int
refuse(struct req *r, long long patient, int status)
{
	const char *object = arena_printf(r->arena, "%s status=%d",
	                                  r->match.route->name, status);

	audit_log(r, patient, "record.denied", object ? object : r->match.route->name);
	if (status == HTTP_FORBIDDEN && (r->roles & ROLE_DOCTOR) && patient > 0)
		view_set(r->view, arena_printf(r->arena, "/patients/%lld/break-glass", patient),
		         "Page.break_glass_url");
	return status;
}

/* Ask the database about r->record's patient for a doctor (doctor_user
 * != NULL) or only whether the id is a patient's. Fills r->record. */
static int
ask(struct req *r, const char *doctor_user, int *is_patient)
{
	struct db_result *res = NULL;
	char months[16];
	const char *p[3] = { doctor_user, r->record.patient_id_text, months };
	enum db_status st;

	snprintf(months, sizeof(months), "%d", r->cfg->care_window_months);
	if ((st = db_query(&res, "care_decide", 3, p)) != DB_OK)
		return db_http_status(st);
	if (db_rows(res) != 1)
		return HTTP_INTERNAL_ERROR;
	*is_patient = strcmp(db_value(res, 0, CD_IS_PATIENT), "t") == 0;
	r->record.basis = basis_from_name(db_is_null(res, 0, CD_BASIS) ? NULL
	                                  : db_value(res, 0, CD_BASIS));
	if (r->record.basis == CARE_BREAK_GLASS) {
		r->record.grant_id = strtoll(db_value(res, 0, CD_GRANT), NULL, 10);
		r->record.grant_reason = arena_strdup(r->arena, db_value(res, 0, CD_REASON));
		r->record.grant_expires = arena_strdup(r->arena, db_value(res, 0, CD_EXPIRES));
	}
	return 0;
}

/* The decision for kind of access to patient's record (0: no such id). */
static int
decide(struct req *r, enum route_record kind, long long patient)
{
	int is_patient = 0, st;

	memset(&r->record, 0, sizeof(r->record));
	if (patient <= 0)
		return refuse(r, 0, HTTP_NOT_FOUND);
	r->record.patient_id = patient;
	snprintf(r->record.patient_id_text, sizeof(r->record.patient_id_text), "%lld", patient);
	if ((r->roles & ROLE_PATIENT) && patient == r->user.id) {
		r->record.basis = CARE_SELF;
		return 0;
	}
	if (kind == RECORD_OWN || !(r->roles & (ROLE_DOCTOR | ROLE_FRONT_DESK))) {
		/* A patient asking for another id learns nothing, not even
		 * whether it exists; other staff are refused outright. */
		return refuse(r, patient, (r->roles & ROLE_STAFF) ? HTTP_FORBIDDEN : HTTP_NOT_FOUND);
	}
	st = ask(r, (r->roles & ROLE_DOCTOR) ? r->user.id_text : NULL, &is_patient);
	if (st != 0) {
		memset(&r->record, 0, sizeof(r->record));
		return st;
	}
	if (!is_patient)
		return refuse(r, patient, HTTP_NOT_FOUND);
	if (r->record.basis != CARE_NONE)
		return 0;
	if (kind == RECORD_DEMOGRAPHICS && (r->roles & ROLE_FRONT_DESK)) {
		r->record.basis = CARE_FRONT_DESK;
		return 0;
	}
	return refuse(r, patient, HTTP_FORBIDDEN);
}

int
care_decide(struct req *r)
{
	enum route_record kind = r->match.route->record;

	if (kind == RECORD_NONE) {
		memset(&r->record, 0, sizeof(r->record));
		return 0;
	}
	return decide(r, kind, kind == RECORD_OWN ? r->user.id : route_patient(r));
}

int
care_decide_patient(struct req *r, enum route_record kind, long long patient)
{
	return decide(r, kind == RECORD_OWN ? RECORD_CLINICAL : kind, patient);
}

const char *
care_basis_text(const struct req *r)
{
	if (r->record.basis == CARE_BREAK_GLASS)
		return arena_printf(r->arena, "break_glass:%lld", r->record.grant_id);
	return basis_names[r->record.basis];
}

const char *
care_audit_object(struct req *r, const char *what)
{
	return arena_printf(r->arena, "%s basis=%s", what, care_basis_text(r));
}
