/* care: the one access decision for a patient's record (DESIGN.md
 * "Clinical modules"), made by the pipeline before a record route's
 * handler runs; handlers read its outcome in r->record. */
#ifndef MEDSYS_CARE_H
#define MEDSYS_CARE_H

struct req;

/* What a route shows of whose record (struct route's record field). */
enum route_record {
	RECORD_NONE = 0,        /* no patient's record */
	RECORD_OWN,             /* the signed-in patient's own (/record/...) */
	RECORD_CLINICAL,        /* clinical content of the patient whose id is
	                         * the route's first capture */
	RECORD_DEMOGRAPHICS,    /* that patient's details, appointments and care
	                         * assignments: reception and administrators may
	                         * see them, not clinical content */
	RECORD__MAX
};

/* Why the user may see the record. */
enum care_basis {
	CARE_NONE = 0,
	CARE_SELF,              /* the patient's own */
	CARE_APPOINTMENT,       /* a doctor with an appointment in the window */
	CARE_ASSIGNMENT,        /* a doctor assigned by reception or an admin */
	CARE_BREAK_GLASS,       /* a doctor's unexpired break-glass grant */
	CARE_FRONT_DESK,        /* reception or an administrator,
	                         * demographics only */
	CARE__MAX
};

struct record_access {
	long long patient_id;        /* 0: the route shows no record */
	char patient_id_text[24];
	enum care_basis basis;
	long long grant_id;          /* CARE_BREAK_GLASS: the grant */
	const char *grant_reason;    /* its reason (arena), else NULL */
	const char *grant_expires;   /* its end, ISO 8601 (arena), else NULL */
};

/* Decide r's access to the record its route names, before the handler.
 * Fills r->record and returns 0 when allowed. Otherwise returns the
 * status to answer (404 for a patient asking for another id or for an id
 * that is no patient, 403 for staff without a relationship, 503 when the
 * database is down) after writing the "record.denied" audit row; a doctor
 * refused for want of a relationship finds the break-glass link on the
 * 403 page. Allowed reads are audited by the page's own audit_read rows,
 * which carry care_audit_object()'s basis. */
int care_decide(struct req *r);

/* The same decision for a patient a page found itself (a chat thread's
 * patient: the route names the thread, not the patient), kind
 * RECORD_CLINICAL or RECORD_DEMOGRAPHICS; patient 0 (no such thing)
 * answers 404 with the "record.denied" row. */
int care_decide_patient(struct req *r, enum route_record kind, long long patient);

/* "basis" or "break_glass:ID": what an allowed read's audit object says
 * about the basis of access (who-viewed-my-record shows it). Arena. */
const char *care_basis_text(const struct req *r);

/* The audit object of a record read: "what basis=..." (arena). */
const char *care_audit_object(struct req *r, const char *what);

#endif
