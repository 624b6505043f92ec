/* care_test: the people of the care tests (test_care, test_access_matrix):
 * two patients and one of each kind of staff, with the care
 * relationships the access decision knows, made in the database. */
#ifndef MEDSYS_CARE_TEST_H
#define MEDSYS_CARE_TEST_H

#include "http_client.h"

/* Everyone's account id; doctors also their clinic.doctors id. */
struct care_world {
	long long p1, p2;          /* patients; relationships are with p1 */
	long long unknown;         /* an id that is no account at all */
	long long d_appt;          /* doctor with an appointment with p1 last week */
	long long d_asg;           /* doctor with an open assignment to p1 */
	long long d_none;          /* doctor without any relationship */
	long long d_bg;            /* doctor with an open break-glass grant for p1 */
	long long d_bgx;           /* doctor whose grant for p1 has expired */
	long long reception, pharmacist, lab, admin;
	long long doc_none;        /* d_none's clinic.doctors id */
	char p1_email[128];
};

/* Make the world (fresh accounts each call: tests do not share state). */
void care_world_make(struct care_world *w);

/* A doctor account with its clinic.doctors row (its id in *doctor_id
 * when not NULL); staff accounts have a second factor. */
long long care_make_doctor(const char *tag, long long *doctor_id);

/* A staff or patient account of role. */
long long care_make_user(const char *tag, const char *role);

/* A patient of the test's own (tag makes the e-mail, name the full name)
 * with a completed visit of the seed's doctor 1 (licence T-0001) two days
 * ago and that visit's encounter (its id in *encounter); the patient's
 * id. For the record's modules (test_rx, test_lab): doctor 1 may write. */
long long care_patient_with_visit(const char *tag, const char *name, long long *encounter);

/* The jar signed in as user (a session made in the database). */
void care_session(struct it_jar *j, long long user);

#endif
