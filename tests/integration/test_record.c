/* test_record: the patient's record against a real stack
 * (tests/integration/record.stack): the summary for the patient and for
 * their doctor, the problem list with the ICD-10 picker (no JavaScript:
 * GET search, typed values kept), corrections with their version history,
 * entered-in-error, allergies and "no known allergies" (refused while an
 * allergy is active), validation keeping what was typed, access (another
 * patient's id: 404 and an audit row; a doctor without relationship: 403),
 * two doctors saving the same allergy list at once (one 409, nothing
 * lost), and page sizes. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "http_client.h"

#define DOCTOR2 D2_EMAIL
#define PAGE_MAX 14336

/* ------------------------------------------------------------ fixtures */

static long long p1, p2, d1, d2;

/* doctor2 (no relationship with anyone yet); a past completed visit of
 * patient1 with doctor1: their care relationship. The ICD-10 codes come
 * from the catalog every stack loads (data/icd10/primary-care.tsv). */
static void
fixtures(void)
{
	it_staff_account(DOCTOR2, "Dr. Test Dos", "doctor", "T-0002");
	p1 = it_user_id(P1_EMAIL);
	p2 = it_user_id(P2_EMAIL);
	d1 = it_user_id(D1_EMAIL);
	d2 = it_user_id(DOCTOR2);
	if (it_sql_int("SELECT count(*) FROM appt.appointments a JOIN clinic.doctors d ON d.id = a.doctor_id "
	               "WHERE d.licence_number = 'T-0001' AND a.patient_id = %lld", p1) == 0)
		it_sql("INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode, status) "
		       "SELECT id, %lld, now() - interval '30 days', now() - interval '30 days' + interval '20 minutes', "
		       "'in_person', 'completed' FROM clinic.doctors WHERE licence_number = 'T-0001'", p1);
}

/* A signed-in doctor (or patient) session made in the database. */
static void
session(struct it_jar *j, long long user)
{
	memset(j, 0, sizeof(*j));
	it_sql_session(j, user);
}

/* The hidden field name of the page r into a static buffer. */
static const char *
hidden(const struct http_response *r, const char *name)
{
	static char buf[64];

	return it_form_value(r, name, buf, sizeof(buf));
}

static void
assert_small(const struct http_response *r, const char *what)
{
	ck_assert_msg(r->body_len < PAGE_MAX, "%s is %zu bytes (limit %d)", what, r->body_len, PAGE_MAX);
}

/* POST fields (already %-encoded) with the jar's token; the status. */
static long
post(struct it_jar *j, struct http_response *r, const char *path, const char *fields)
{
	return it_postf(j, r, path, "&%s", fields);
}

/* The id of patient's newest entry of kind. */
static long long
newest_item(long long patient, const char *kind)
{
	return it_sql_int("SELECT max(id) FROM ehr.items WHERE patient_id = %lld AND kind = '%s'", patient, kind);
}

/* ------------------------------------------------------------ the tests */

/* The doctor finds a code without JavaScript, adds the problem, corrects
 * it (a reason is required, the old version stays visible), marks another
 * one entered in error; the patient sees the list, never the history. */
START_TEST(test_problems_and_history)
{
	struct it_jar doc, pat;
	struct http_response r = { 0 };
	char path[128], lv[16], fields[512];
	long long item;

	fixtures();
	session(&doc, d1);
	/* the picker: a GET that keeps what was typed */
	it_getf(&doc, &r, "/patients/%lld/problems/new?search=1&q=asma&note=Desde+la+infancia&onset=2001-05-02"
	        "&status=active&version=0&list_version=0", p1);
	it_assert_status(&r, 200, "picker");
	it_assert_has(&r, "value=\"J45.909\"", "the match is a button that fills the code");
	it_assert_has(&r, "Asma no especificada, sin complicaciones", "match titles in the user's language");
	it_assert_has(&r, "value=\"Desde la infancia\"", "the note typed before searching is kept");
	it_assert_has(&r, "value=\"2001-05-02\"", "the onset typed before searching is kept");
	it_assert_lacks(&r, "I10", "only matching codes");
	it_getf(&doc, &r, "/patients/%lld/problems/new?pick=J45.909&q=asma&note=Desde+la+infancia&onset=2001-05-02"
	        "&status=active&version=0&list_version=0", p1);
	it_assert_has(&r, "name=\"code\" value=\"J45.909\"", "picking fills the code");
	assert_small(&r, "the problem form");

	/* an unknown code is refused, what was typed stays */
	it_getf(&doc, &r, "/patients/%lld/problems/new", p1);
	snprintf(lv, sizeof(lv), "%s", hidden(&r, "list_version"));
	snprintf(path, sizeof(path), "/patients/%lld/problems", p1);
	snprintf(fields, sizeof(fields), "version=0&list_version=%s&code=Z99.99&note=Nota+escrita&status=active", lv);
	post(&doc, &r, path, fields);
	it_assert_status(&r, 400, "unknown code");
	it_assert_has(&r, "no está en el catálogo", "the message says why");
	it_assert_has(&r, "value=\"Nota escrita\"", "the note is kept");

	/* saved; the patient's list shows it */
	snprintf(fields, sizeof(fields), "version=0&list_version=%s&code=j45909&note=Desde+la+infancia"
	         "&status=active&onset=2001-05-02", lv);
	post(&doc, &r, path, fields);
	it_assert_status(&r, 303, "problem added");
	item = newest_item(p1, "problem");
	ck_assert_int_eq(it_audit_count("record.problem_added", D1_EMAIL,
	                                it_fmt("AND e.subject_id = %lld", p1)), 1);

	/* a correction without a reason is refused and keeps the input */
	snprintf(path, sizeof(path), "/patients/%lld/problems/%lld", p1, item);
	it_get(&doc, &r, path);
	it_assert_status(&r, 200, "entry page");
	snprintf(lv, sizeof(lv), "%s", hidden(&r, "list_version"));
	snprintf(fields, sizeof(fields), "version=1&list_version=%s&code=J45.909&note=Asma+extr%%C3%%ADnseca"
	         "&status=resolved&onset=2001-05-02&resolved_on=2020-01-10&reason=", lv);
	post(&doc, &r, path, fields);
	it_assert_status(&r, 400, "a correction needs a reason");
	it_assert_has(&r, "value=\"Asma extrínseca\"", "the note typed is kept");
	/* resolved before its onset: refused */
	snprintf(fields, sizeof(fields), "version=1&list_version=%s&code=J45.909&note=x&status=resolved"
	         "&onset=2001-05-02&resolved_on=1999-01-10&reason=Fechas", lv);
	post(&doc, &r, path, fields);
	it_assert_status(&r, 400, "dates out of order");
	snprintf(fields, sizeof(fields), "version=1&list_version=%s&code=J45.909&note=Asma+extr%%C3%%ADnseca"
	         "&status=resolved&onset=2001-05-02&resolved_on=2020-01-10&reason=Sin+crisis+desde+2020", lv);
	post(&doc, &r, path, fields);
	it_assert_status(&r, 303, "corrected");
	it_get(&doc, &r, path);
	it_assert_has(&r, "Sin crisis desde 2020", "the reason is in the history");
	it_assert_has(&r, "Asma extrínseca", "the new version");
	it_assert_has(&r, "Desde la infancia", "the old version stays visible");
	it_assert_has(&r, "Dra. Test Uno", "who");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.problem_versions WHERE item_id = %lld", item), 2);

	/* the patient: the list and summary, no history */
	session(&pat, p1);
	it_get(&pat, &r, "/record");
	it_assert_status(&r, 200, "patient summary");
	it_assert_has(&r, "J45.909 Asma no especificada, sin complicaciones", "the problem on the summary (the catalog's spelling of the code typed)");
	it_assert_has(&r, "Resuelto", "its status");
	it_assert_has(&r, "2 de mayo de 2001", "its onset in words (issue 15)");
	it_assert_lacks(&r, "2001-05-02", "its onset not ISO");
	assert_small(&r, "the patient's summary");
	it_get(&pat, &r, "/record/problems");
	it_assert_status(&r, 200, "patient problems");
	it_assert_lacks(&r, "Desde la infancia", "no old versions for the patient");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.summary' "
	                            "AND actor_id = %lld AND subject_id = %lld", p1, p1), 1);
	it_getf(&pat, &r, "/patients/%lld/problems/%lld", p1, item);
	it_assert_status(&r, 403, "version history is for staff");

	/* entered in error: gone from the patient's view, kept for staff */
	it_get(&doc, &r, path);
	snprintf(lv, sizeof(lv), "%s", hidden(&r, "list_version"));
	snprintf(fields, sizeof(fields), "version=2&list_version=%s&code=J45.909&note=x&status=entered_in_error"
	         "&reason=Paciente+equivocado", lv);
	post(&doc, &r, path, fields);
	it_assert_status(&r, 303, "entered in error");
	it_get(&pat, &r, "/record/problems");
	it_assert_lacks(&r, "J45.909", "the patient no longer sees it");
	it_getf(&doc, &r, "/patients/%lld/problems", p1);
	it_assert_has(&r, "Registrado por error", "staff still see it, marked");
	http_response_free(&r);
}
END_TEST

/* Allergies: validation keeps input; "no known allergies" is a statement
 * of its own, refused while an allergy is active. */
START_TEST(test_allergies_nka)
{
	struct it_jar doc, pat;
	struct http_response r = { 0 };
	char path[128], fields[512], lv[16];
	long long item;

	fixtures();
	session(&doc, d1);
	session(&pat, p1);
	it_get(&pat, &r, "/record");
	it_assert_has(&r, "Aún no registrado", "allergies not recorded yet");

	snprintf(path, sizeof(path), "/patients/%lld/allergies", p1);
	it_get(&doc, &r, path);
	snprintf(lv, sizeof(lv), "%s", hidden(&r, "list_version"));
	snprintf(fields, sizeof(fields), "list_version=%s", lv);
	post(&doc, &r, it_fmt("%s/none-known", path), fields);
	it_assert_status(&r, 303, "no known allergies");
	it_sql("UPDATE auth.users SET birth_date = '1985-03-14' WHERE id = %lld", p1);
	it_get(&pat, &r, "/record");
	it_assert_has(&r, "No se conocen alergias", "the statement on the summary");
	/* Dates in words (issue 15): the statement's time, the birth date. */
	it_assert_has(&r, it_when_es(it_fmt("(SELECT max(recorded_at) FROM ehr.list_versions WHERE patient_id = %lld"
	                                    " AND list = 'allergies')", p1), 1), "the statement's time in words");
	it_assert_has(&r, "nacido/a el 14 de marzo de 1985", "the date of birth in words");
	it_get(&pat, &r, "/record/allergies");
	it_assert_has(&r, "No se conocen alergias", "and on the list");

	/* an allergy without a substance: refused, the reaction kept */
	it_get(&doc, &r, path);
	snprintf(lv, sizeof(lv), "%s", hidden(&r, "list_version"));
	snprintf(fields, sizeof(fields), "version=0&list_version=%s&substance=&type=allergy&category=medication"
	         "&reaction=Urticaria+en+brazos&severity=moderate&status=active", lv);
	post(&doc, &r, path, fields);
	it_assert_status(&r, 400, "substance required");
	it_assert_has(&r, "value=\"Urticaria en brazos\"", "the reaction is kept");
	snprintf(fields, sizeof(fields), "version=0&list_version=%s&substance=Amoxicilina&type=allergy"
	         "&category=medication&reaction=Urticaria+en+brazos&severity=moderate&status=active", lv);
	post(&doc, &r, path, fields);
	it_assert_status(&r, 303, "allergy added");
	item = newest_item(p1, "allergy");
	it_get(&pat, &r, "/record");
	it_assert_has(&r, "Amoxicilina", "the allergy replaces the statement");
	it_assert_lacks(&r, "No se conocen alergias", "no longer 'none known'");

	/* "none known" while one is active: refused with a clear message */
	it_get(&doc, &r, path);
	snprintf(lv, sizeof(lv), "%s", hidden(&r, "list_version"));
	snprintf(fields, sizeof(fields), "list_version=%s", lv);
	post(&doc, &r, it_fmt("%s/none-known", path), fields);
	it_assert_status(&r, 409, "refused while an allergy is active");
	it_assert_has(&r, "mientras haya alergias activas", "it says why");

	/* resolved: then the statement may be made again */
	snprintf(fields, sizeof(fields), "version=1&list_version=%s&substance=Amoxicilina&type=allergy"
	         "&category=medication&reaction=Urticaria&severity=moderate&status=resolved&reason=Prueba+negativa", lv);
	post(&doc, &r, it_fmt("%s/%lld", path, item), fields);
	it_assert_status(&r, 303, "allergy resolved");
	it_get(&doc, &r, path);
	snprintf(lv, sizeof(lv), "%s", hidden(&r, "list_version"));
	snprintf(fields, sizeof(fields), "list_version=%s", lv);
	post(&doc, &r, it_fmt("%s/none-known", path), fields);
	it_assert_status(&r, 303, "none known once nothing is active");
	http_response_free(&r);
}
END_TEST

/* The other lists: a medication, an immunization, family and social
 * history, each saved and shown; a number out of range refused. */
START_TEST(test_other_lists)
{
	struct it_jar doc, pat;
	struct http_response r = { 0 };
	char fields[512], lv[16];

	fixtures();
	session(&doc, d1);
	it_getf(&doc, &r, "/patients/%lld/medications/new", p1);
	snprintf(lv, sizeof(lv), "%s", hidden(&r, "list_version"));
	snprintf(fields, sizeof(fields), "version=0&list_version=%s&name=Metformina+850+mg&dose=1+cada+12+h"
	         "&route=oral&started_on=2020-02-01&ended_on=2019-01-01&status=active", lv);
	post(&doc, &r, it_fmt("/patients/%lld/medications", p1), fields);
	it_assert_status(&r, 400, "ends before it starts");
	it_assert_has(&r, "value=\"Metformina 850 mg\"", "the name is kept");
	snprintf(fields, sizeof(fields), "version=0&list_version=%s&name=Metformina+850+mg&dose=1+cada+12+h"
	         "&route=oral&started_on=2020-02-01&status=active", lv);
	post(&doc, &r, it_fmt("/patients/%lld/medications", p1), fields);
	it_assert_status(&r, 303, "medication added");
	post(&doc, &r, it_fmt("/patients/%lld/immunizations", p1),
	     "version=0&list_version=0&vaccine=Gripe&given_on=2025-10-20&dose_number=99&status=completed");
	it_assert_status(&r, 400, "dose number out of range");
	post(&doc, &r, it_fmt("/patients/%lld/immunizations", p1),
	     "version=0&list_version=0&vaccine=Gripe&given_on=2025-10-20&dose_number=1&lot=L-77&status=completed");
	it_assert_status(&r, 303, "immunization added");
	post(&doc, &r, it_fmt("/patients/%lld/family", p1), "version=0&list_version=0&relation=mother&code=&condition=&status=recorded");
	it_assert_status(&r, 400, "family history needs a code or words");
	post(&doc, &r, it_fmt("/patients/%lld/family", p1), "version=0&list_version=0&relation=mother&code=I10&condition=&status=recorded");
	it_assert_status(&r, 303, "family history added");
	if (newest_item(p1, "social") == 0) {
		post(&doc, &r, it_fmt("/patients/%lld/social", p1),
		     "version=0&list_version=0&smoking=former&cigarettes_day=&alcohol=occasional&drinks_week=2&note=");
		it_assert_status(&r, 303, "social history added");
	}
	session(&pat, p1);
	it_get(&pat, &r, "/record");
	it_assert_has(&r, "Metformina 850 mg", "current medication on the summary");
	it_get(&pat, &r, "/record/immunizations");
	it_assert_has(&r, "L-77", "the immunization");
	it_get(&pat, &r, "/record/family");
	it_assert_has(&r, "Hipertensión esencial", "family history, coded");
	it_get(&pat, &r, "/record/social");
	it_assert_has(&r, "Exfumador", "social history");
	assert_small(&r, "social history");
	http_response_free(&r);
}
END_TEST

/* Another patient's id: 404 and an audit row; a doctor without a
 * relationship: 403; the doctor with one: 200, audited, small. */
START_TEST(test_access)
{
	struct it_jar doc, other, pat;
	struct http_response r = { 0 };
	long long before;

	fixtures();
	session(&pat, p2);
	before = it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.denied' AND actor_id = %lld", p2);
	it_getf(&pat, &r, "/patients/%lld/record", p1);
	it_assert_status(&r, 404, "another patient's record");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.denied' "
	                            "AND actor_id = %lld AND subject_id = %lld", p2, p1), before + 1);
	it_getf(&pat, &r, "/patients/%lld/allergies", p1);
	it_assert_status(&r, 404, "another patient's list");

	session(&other, d2);
	it_getf(&other, &r, "/patients/%lld/record", p1);
	it_assert_status(&r, 403, "a doctor without relationship");
	post(&other, &r, it_fmt("/patients/%lld/allergies/none-known", p1), "list_version=0");
	it_assert_status(&r, 403, "nor may they write");

	session(&doc, d1);
	it_getf(&doc, &r, "/patients/%lld/record", p1);
	it_assert_status(&r, 200, "the doctor with a relationship");
	it_assert_has(&r, "Paciente Uno", "the demographics line");
	assert_small(&r, "the doctor's summary");
	ck_assert_int_ge(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.summary' "
	                            "AND actor_id = %lld AND subject_id = %lld AND object LIKE 'summary%%appointment%%'",
	                            d1, p1), 1);
	/* an entry of another patient under this patient's id: 404 */
	http_response_free(&r);
}
END_TEST

/* Two doctors save the same allergy list at once: one wins, the other
 * gets 409 "changed meanwhile" with the other's entry shown and their own
 * input kept; nothing is lost or overwritten. */
struct racer {
	struct it_jar jar;
	const char *path;
	char *fields;
	struct http_response r;
	pthread_barrier_t *go;
};

static void *
race(void *arg)
{
	struct racer *x = arg;

	pthread_barrier_wait(x->go);
	post(&x->jar, &x->r, x->path, x->fields);
	return NULL;
}

START_TEST(test_concurrent_allergy_saves)
{
	struct racer a = { 0 }, b = { 0 };
	struct http_response r = { 0 };
	pthread_barrier_t go;
	pthread_t ta, tb;
	char lv[16];
	long long versions;
	struct racer *loser;

	fixtures();
	/* doctor2 gets a relationship with patient1 too: an assignment */
	it_sql("INSERT INTO ehr.assignments (patient_id, doctor_id, assigned_by) SELECT %lld, id, %lld "
	       "FROM clinic.doctors WHERE licence_number = 'T-0002' ON CONFLICT DO NOTHING", p1, d1);
	session(&a.jar, d1);
	session(&b.jar, d2);
	it_getf(&a.jar, &r, "/patients/%lld/allergies/new", p1);
	snprintf(lv, sizeof(lv), "%s", hidden(&r, "list_version"));
	it_getf(&b.jar, &r, "/patients/%lld/allergies/new", p1);
	ck_assert_str_eq(hidden(&r, "list_version"), lv);
	versions = it_sql_int("SELECT count(*) FROM ehr.list_versions WHERE patient_id = %lld AND list = 'allergies'", p1);
	a.path = b.path = it_fmt("/patients/%lld/allergies", p1);
	a.fields = it_fmt("version=0&list_version=%s&substance=Latex&type=allergy&category=environment"
	                  "&reaction=Dermatitis&severity=mild&status=active", lv);
	b.fields = it_fmt("version=0&list_version=%s&substance=Nueces&type=allergy&category=food"
	                  "&reaction=Anafilaxia+escrita+por+B&severity=severe&status=active", lv);
	pthread_barrier_init(&go, NULL, 2);
	a.go = b.go = &go;
	pthread_create(&ta, NULL, race, &a);
	pthread_create(&tb, NULL, race, &b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	pthread_barrier_destroy(&go);

	ck_assert_msg((a.r.status == 303 && b.r.status == 409) || (a.r.status == 409 && b.r.status == 303),
	              "one save wins, the other is told: %ld / %ld", a.r.status, b.r.status);
	loser = a.r.status == 409 ? &a : &b;
	it_assert_has(&loser->r, "mientras usted editaba", "changed meanwhile");
	it_assert_has(&loser->r, loser == &a ? "Nueces" : "Latex", "the other's entry is shown");
	it_assert_has(&loser->r, loser == &a ? "value=\"Dermatitis\"" : "value=\"Anafilaxia escrita por B\"",
	              "this user's input is kept");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.list_versions WHERE patient_id = %lld "
	                            "AND list = 'allergies'", p1), versions + 1);
	/* the loser saves again on the current list: nothing was lost */
	snprintf(lv, sizeof(lv), "%s", hidden(&loser->r, "list_version"));
	post(&loser->jar, &r, loser->path, it_fmt("version=0&list_version=%s%s", lv, strstr(loser->fields, "&substance")));
	it_assert_status(&r, 303, "saved on the second try");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.allergies WHERE patient_id = %lld "
	                            "AND substance IN ('Latex', 'Nueces')", p1), 2);
	http_response_free(&a.r);
	http_response_free(&b.r);
	http_response_free(&r);
}
END_TEST

/* Two corrections of one entry from the same version: the second is told,
 * sees the first one's version in the history and keeps its own input. */
START_TEST(test_correction_conflict)
{
	struct it_jar doc;
	struct http_response r = { 0 };
	char path[128], lv[16];
	long long item;

	fixtures();
	session(&doc, d1);
	it_getf(&doc, &r, "/patients/%lld/immunizations/new", p1);
	post(&doc, &r, it_fmt("/patients/%lld/immunizations", p1),
	     "version=0&list_version=0&vaccine=Triple+v%C3%ADrica&given_on=1990-05-01&dose_number=1&status=completed");
	it_assert_status(&r, 303, "immunization added");
	item = newest_item(p1, "immunization");
	snprintf(path, sizeof(path), "/patients/%lld/immunizations/%lld", p1, item);
	it_get(&doc, &r, path);
	snprintf(lv, sizeof(lv), "%s", hidden(&r, "list_version"));
	ck_assert_str_eq(hidden(&r, "version"), "1");
	post(&doc, &r, path, it_fmt("version=1&list_version=%s&vaccine=Triple+v%%C3%%ADrica+(SRP)&given_on=1990-05-01"
	                            "&dose_number=1&status=completed&reason=Nombre+completo+primero", lv));
	it_assert_status(&r, 303, "the first correction");
	post(&doc, &r, path, it_fmt("version=1&list_version=%s&vaccine=Sarampi%%C3%%B3n&given_on=1990-05-02"
	                            "&dose_number=1&status=completed&reason=Fecha+segunda", lv));
	it_assert_status(&r, 409, "the second, based on the same version");
	it_assert_has(&r, "mientras usted editaba", "changed meanwhile");
	it_assert_has(&r, "Nombre completo primero", "the other's version is shown");
	it_assert_has(&r, "value=\"Sarampión\"", "this user's input is kept");
	it_assert_has(&r, "value=\"Fecha segunda\"", "with its reason");
	ck_assert_str_eq(hidden(&r, "version"), "2");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.immunization_versions WHERE item_id = %lld", item), 2);
	http_response_free(&r);
}
END_TEST

int
main(void)
{
	return it_run_suites(it_suite("record", 120, test_problems_and_history, test_allergies_nka,
	                              test_other_lists, test_access, test_concurrent_allergy_saves,
	                              test_correction_conflict, NULL),
	                     NULL);
}
