/* care_fixture: the accounts and care relationships of the care tests
 * (care_test.h), inserted as the migration role. */
#include "care_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"

long long
care_make_user(const char *tag, const char *role)
{
	char *email = it_unique_email(tag), *name = it_fmt("Care %s %s", role, tag);
	struct it_user u = { .email = email, .name = name, .role = role };
	long long id;

	if (role[0] != 'p' || role[1] != 'a')   /* staff: not "patient" */
		u.totp_secret = D1_TOTP;
	id = it_make_user(&u);
	free(email);
	free(name);
	return id;
}

long long
care_make_doctor(const char *tag, long long *doctor_id)
{
	long long user = care_make_user(tag, "doctor");
	long long doc = it_sql_int("INSERT INTO clinic.doctors (display_name, licence_number, user_id) "
	                           "SELECT full_name, 'L-' || id, id FROM auth.users WHERE id = %lld "
	                           "RETURNING id", user);

	if (doctor_id)
		*doctor_id = doc;
	return user;
}

void
care_world_make(struct care_world *w)
{
	long long doc_appt, doc_asg;

	w->p1 = care_make_user("cp1", "patient");
	w->p2 = care_make_user("cp2", "patient");
	it_sql_str(w->p1_email, sizeof(w->p1_email), "SELECT email FROM auth.users WHERE id = %lld", w->p1);
	w->unknown = it_sql_int("SELECT max(id) + 1000000 FROM auth.users");
	w->d_appt = care_make_doctor("cdappt", &doc_appt);
	w->d_asg = care_make_doctor("cdasg", &doc_asg);
	w->d_none = care_make_doctor("cdnone", &w->doc_none);
	w->d_bg = care_make_doctor("cdbg", NULL);
	w->d_bgx = care_make_doctor("cdbgx", NULL);
	w->reception = care_make_user("crec", "reception");
	w->pharmacist = care_make_user("cpha", "pharmacist");
	w->lab = care_make_user("clab", "lab");
	w->admin = care_make_user("cadm", "admin");
	it_sql("INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode, status) "
	       "VALUES (%lld, %lld, now() - interval '7 days', now() - interval '7 days' + interval '20 minutes', "
	       "'in_person', 'completed')", doc_appt, w->p1);
	it_sql("INSERT INTO ehr.assignments (patient_id, doctor_id, assigned_by) VALUES (%lld, %lld, %lld)",
	       w->p1, doc_asg, w->admin);
	it_sql("INSERT INTO ehr.break_glass (doctor_user_id, patient_id, reason, expires_at) "
	       "VALUES (%lld, %lld, 'Fixture: unconscious in the waiting room', now() + interval '1 hour')",
	       w->d_bg, w->p1);
	it_sql("INSERT INTO ehr.break_glass (doctor_user_id, patient_id, reason, started_at, expires_at) "
	       "VALUES (%lld, %lld, 'Fixture: an old emergency, long over', now() - interval '2 hours', "
	       "now() - interval '1 hour')", w->d_bgx, w->p1);
}

long long
care_patient_with_visit(const char *tag, const char *name, long long *encounter)
{
	char *email = it_unique_email(tag);
	struct it_user u = { .email = email, .name = name };
	long long pid = it_make_user(&u), appt;

	appt = it_sql_int("INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode, reason, status) "
	                  "SELECT d.id, %lld, now() - interval '2 days', now() - interval '2 days' + interval '20 minutes', "
	                  "'in_person', 'Control', 'completed' FROM clinic.doctors d WHERE d.licence_number = 'T-0001' "
	                  "RETURNING id", pid);
	*encounter = it_sql_int("INSERT INTO ehr.encounters (patient_id, doctor_id, appointment_id, kind, created_by) "
	                        "SELECT %lld, d.id, %lld, 'appointment', d.user_id FROM clinic.doctors d "
	                        "WHERE d.licence_number = 'T-0001' RETURNING id", pid, appt);
	free(email);
	return pid;
}

void
care_session(struct it_jar *j, long long user)
{
	memset(j, 0, sizeof(*j));
	it_sql_session(j, user);
}
