/* test_export: the FHIR R4 export of a patient's record (GET
 * /record/export.json and medsysctl export-fhir) against a real stack,
 * each bundle checked by tests/fhir/validate.mjs (the official FHIR R4
 * JSON schema with ajv): valid, complete, audited, and holding nothing of
 * another patient. Run by tests/integration/export.stack. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../check_util.h"
#include "fixtures.h"
#include "http_client.h"

/* The codes the record below uses, in case the catalog is not loaded. */
static void
icd_codes(void)
{
	it_sql("INSERT INTO ehr.icd10_codes (code, chapter, leaf, title_es, title_en, source) VALUES"
	       " ('I10', 9, true, 'Hipertensión esencial (primaria)', 'Essential (primary) hypertension', 'test'),"
	       " ('E11.9', 4, true, 'Diabetes mellitus tipo 2 sin complicaciones',"
	       "  'Type 2 diabetes mellitus without complications', 'test'),"
	       " ('J06.9', 10, true, 'Infección aguda de las vías respiratorias superiores',"
	       "  'Acute upper respiratory infection, unspecified', 'test')"
	       " ON CONFLICT (code) DO NOTHING");
}

/* One entry of kind for the patient with email, by doctor 1; its id. */
static long long
item(const char *email, const char *kind)
{
	return it_sql_int("INSERT INTO ehr.items (patient_id, kind, created_by)"
	                  " SELECT p.id, '%s', d.id FROM auth.users p, auth.users d"
	                  " WHERE p.email = '%s' AND d.email = '%s' RETURNING id",
	                  kind, email, D1_EMAIL);
}

#define BY_DOCTOR "(SELECT id FROM auth.users WHERE email = '" D1_EMAIL "')"

/* Patient 1: a record with one of everything, a signed note with an
 * addendum and a draft nobody signed. Patient 2: markers that must never
 * appear in patient 1's export. */
static void
records(void)
{
	long long id, enc;

	/* Each test runs in its own process: the first one writes them. */
	if (it_sql_int("SELECT count(*) FROM ehr.items i JOIN auth.users u ON u.id = i.patient_id"
	               " WHERE u.email = '%s'", P1_EMAIL) > 0)
		return;
	icd_codes();
	id = item(P1_EMAIL, "problem");
	it_sql("INSERT INTO ehr.problem_versions (item_id, version, code, note, status, onset, recorded_by)"
	       " VALUES (%lld, 1, 'I10', 'Controlada con dieta & <ejercicio>', 'active', '2019-05-01', "
	       BY_DOCTOR ")", id);
	id = item(P1_EMAIL, "allergy");
	it_sql("INSERT INTO ehr.allergy_versions (item_id, version, substance, type, category, reaction,"
	       " severity, status, recorded_by) VALUES (%lld, 1, 'Penicilina', 'allergy', 'medication',"
	       " 'Urticaria', 'moderate', 'active', " BY_DOCTOR ")", id);
	id = item(P1_EMAIL, "medication");
	it_sql("INSERT INTO ehr.medication_versions (item_id, version, name, dose, route, started_on,"
	       " status, recorded_by) VALUES (%lld, 1, 'Enalapril 10 mg', '1 comprimido cada 24 h', 'oral',"
	       " '2019-05-02', 'active', " BY_DOCTOR ")", id);
	id = item(P1_EMAIL, "immunization");
	it_sql("INSERT INTO ehr.immunization_versions (item_id, version, vaccine, given_on, dose_number,"
	       " lot, status, recorded_by) VALUES (%lld, 1, 'Gripe 2025-2026', '2025-10-15', 1, 'AB12',"
	       " 'completed', " BY_DOCTOR ")", id);
	id = item(P1_EMAIL, "family");
	it_sql("INSERT INTO ehr.family_versions (item_id, version, relation, code, status, recorded_by)"
	       " VALUES (%lld, 1, 'father', 'E11.9', 'recorded', " BY_DOCTOR ")", id);
	id = item(P1_EMAIL, "social");
	it_sql("INSERT INTO ehr.social_versions (item_id, version, smoking, alcohol, recorded_by)"
	       " VALUES (%lld, 1, 'former', 'occasional', " BY_DOCTOR ")", id);
	id = item(P1_EMAIL, "vitals");
	it_sql("INSERT INTO ehr.vital_versions (item_id, version, taken_at, systolic, diastolic, heart_rate,"
	       " weight, height, spo2, status, recorded_by) VALUES (%lld, 1, now() - interval '1 day',"
	       " 135, 85, 72, 80.5, 175, 98, 'final', " BY_DOCTOR ")", id);
	id = item(P1_EMAIL, "vitals");
	it_sql("INSERT INTO ehr.vital_versions (item_id, version, taken_at, temperature, glucose, status,"
	       " recorded_by) VALUES (%lld, 1, now(), 36.6, 105, 'final', " BY_DOCTOR ")", id);
	enc = it_sql_int("INSERT INTO ehr.encounters (patient_id, doctor_id, kind, created_by)"
	                 " SELECT p.id, d.id, 'walk_in', d.user_id FROM auth.users p, clinic.doctors d"
	                 " WHERE p.email = '%s' AND d.user_id = " BY_DOCTOR " RETURNING id", P1_EMAIL);
	it_sql("INSERT INTO ehr.note_versions (encounter_id, version, subjective, objective, assessment,"
	       " plan, saved_by) VALUES (%lld, 1, 'Tos <3 días & moco', 'Afebril', 'Catarro', 'Reposo', "
	       BY_DOCTOR ")", enc);
	it_sql("INSERT INTO ehr.note_diagnoses VALUES (%lld, 1, 'J06.9')", enc);
	it_sql("INSERT INTO ehr.note_signatures (encounter_id, version, signed_by, content_hash)"
	       " VALUES (%lld, 1, " BY_DOCTOR ", sha256('test'))", enc);
	it_sql("INSERT INTO ehr.note_addenda (encounter_id, body, signed_by, content_hash)"
	       " VALUES (%lld, 'Mejoría a las 48 h', " BY_DOCTOR ", sha256('addendum'))", enc);
	enc = it_sql_int("INSERT INTO ehr.encounters (patient_id, doctor_id, kind, created_by)"
	                 " SELECT p.id, d.id, 'walk_in', d.user_id FROM auth.users p, clinic.doctors d"
	                 " WHERE p.email = '%s' AND d.user_id = " BY_DOCTOR " RETURNING id", P1_EMAIL);
	it_sql("INSERT INTO ehr.note_versions (encounter_id, version, subjective, saved_by)"
	       " VALUES (%lld, 1, 'BorradorSinFirmar', " BY_DOCTOR ")", enc);

	id = item(P2_EMAIL, "allergy");
	it_sql("INSERT INTO ehr.allergy_versions (item_id, version, substance, type, category, severity,"
	       " status, recorded_by) VALUES (%lld, 1, 'SustanciaDeOtraPaciente', 'intolerance', 'food',"
	       " 'mild', 'active', " BY_DOCTOR ")", id);
	id = item(P2_EMAIL, "problem");
	it_sql("INSERT INTO ehr.problem_versions (item_id, version, code, note, status, recorded_by)"
	       " VALUES (%lld, 1, 'E11.9', 'NotaDeOtraPaciente', 'active', " BY_DOCTOR ")", id);
}

/* tests/fhir/validate.mjs on file: its exit status (0 valid). */
static int
fhir_validate(const char *file, char **out)
{
	char *cmd = it_fmt("node %s/tests/fhir/validate.mjs %s 2>&1", it_env("MEDSYS_SRCDIR"), file);
	int st = check_run(cmd, out);

	free(cmd);
	return st;
}

static char *
save(const char *name, const char *body)
{
	char *path = it_fmt("%s/%s", it_env("MEDSYS_STACK_DIR"), name);
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(body, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

static void
assert_valid(const char *path, const char *what)
{
	char *out;
	int st = fhir_validate(path, &out);

	ck_assert_msg(st == 0, "%s: the FHIR R4 schema refuses the bundle (%d): %s", what, st, out);
	free(out);
}

static void
assert_only_patient_one(const char *body, const char *what)
{
	const char *theirs[] = { "SustanciaDeOtraPaciente", "NotaDeOtraPaciente", P2_EMAIL };

	for (size_t i = 0; i < sizeof(theirs) / sizeof(theirs[0]); i++)
		ck_assert_msg(strstr(body, theirs[i]) == NULL, "%s holds another patient's \"%s\"",
		              what, theirs[i]);
	ck_assert_msg(strstr(body, "BorradorSinFirmar") == NULL, "%s holds an unsigned draft", what);
}

static long long
export_audit_rows(const char *email)
{
	return it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.export'"
	                  " AND subject_id = (SELECT id FROM auth.users WHERE email = '%s')", email);
}

START_TEST(test_patient_downloads_a_valid_bundle)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	long long before = export_audit_rows(P1_EMAIL);
	const char *want[] = {
		"\"resourceType\": \"Patient\"", P1_EMAIL, "\"I10\"", "Penicilina", "Enalapril 10 mg",
		"Gripe 2025-2026", "\"8480-6\"", "\"8462-4\"", "\"29463-7\"", "\"39156-5\"",
		"\"8310-5\"", "\"2339-0\"", "\"mm[Hg]\"", "\"Composition\"", "Mejoría a las 48 h",
		"\"J06.9\"", "\"FamilyMemberHistory\"", "Controlada con dieta & <ejercicio>",
		"Tos &lt;3 días &amp; moco", "\"Encounter\"",
	};
	char *path;

	records();

	it_sign_in(&j, P1_EMAIL, P1_PASS, NULL);
	ck_assert_int_eq(it_jar_get(&j, "/record/export.json", &r), 200);
	ck_assert_str_eq(http_header(&r, "Content-Type"), "application/fhir+json; charset=utf-8");
	ck_assert_ptr_nonnull(strstr(http_header(&r, "Content-Disposition"), "attachment"));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		it_assert_has(&r, want[i], "the patient's export");
	assert_only_patient_one(r.body, "the patient's export");
	path = save("export-p1.json", r.body);
	assert_valid(path, "the patient's export");
	ck_assert_int_eq(export_audit_rows(P1_EMAIL), before + 1);
	http_response_free(&r);
	free(path);
}
END_TEST

/* The validator is no formality: a bundle it must refuse is refused. */
START_TEST(test_validator_refuses_an_invalid_bundle)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	char *bad, *at, *path, *out;

	records();

	it_sign_in(&j, P1_EMAIL, P1_PASS, NULL);
	ck_assert_int_eq(it_jar_get(&j, "/record/export.json", &r), 200);
	bad = strdup(r.body);
	ck_assert_ptr_nonnull(at = strstr(bad, "\"status\": \"final\""));
	memcpy(at, "\"status\": \"fina!\"", strlen("\"status\": \"fina!\""));
	path = save("export-bad.json", bad);
	ck_assert_int_eq(fhir_validate(path, &out), 1);
	ck_assert_ptr_nonnull(strstr(out, "INVALID"));
	free(out);
	free(path);
	free(bad);
	http_response_free(&r);
}
END_TEST

START_TEST(test_other_patient_gets_only_their_own)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	char *path;

	records();

	it_sign_in(&j, P2_EMAIL, P2_PASS, NULL);
	ck_assert_int_eq(it_jar_get(&j, "/record/export.json", &r), 200);
	it_assert_has(&r, "SustanciaDeOtraPaciente", "patient 2's export");
	it_assert_lacks(&r, "Penicilina", "patient 2's export");
	it_assert_lacks(&r, P1_EMAIL, "patient 2's export");
	path = save("export-p2.json", r.body);
	assert_valid(path, "patient 2's export");
	free(path);
	http_response_free(&r);
}
END_TEST

/* The per-patient list functions the export reads (022) return exactly
 * what the views of 012 hold for that patient (other patients' rows
 * present). Which index the plan uses is the planner's choice on tables
 * this small, so it is not asserted. */
START_TEST(test_patient_lists_match_the_views)
{
	static const char *const lists[] = { "problems", "allergies", "medications", "immunizations",
		                              "family", "social" };
	long long p1 = it_sql_int("SELECT id FROM auth.users WHERE email = '%s'", P1_EMAIL);

	records();
	ck_assert_int_gt(it_sql_int("SELECT count(*) FROM ehr.allergies WHERE patient_id <> %lld", p1), 0);
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		ck_assert_msg(it_sql_int("SELECT count(*) FROM ((SELECT * FROM ehr.%s WHERE patient_id = %lld "
		                         "EXCEPT ALL SELECT * FROM ehr.patient_%s(%lld)) UNION ALL "
		                         "(SELECT * FROM ehr.patient_%s(%lld) EXCEPT ALL "
		                         "SELECT * FROM ehr.%s WHERE patient_id = %lld)) d",
		                         lists[i], p1, lists[i], p1, lists[i], p1, lists[i], p1) == 0,
		              "ehr.patient_%s differs from the view", lists[i]);
	}
	ck_assert_int_gt(it_sql_int("SELECT count(*) FROM ehr.patient_allergies(%lld)", p1), 0);
}
END_TEST

/* Staff export through medsysctl, not through a patient's address. */
START_TEST(test_staff_cannot_use_the_patient_download)
{
	struct it_jar j = { 0 };

	it_sign_in(&j, D1_EMAIL, D1_PASS, D1_TOTP);
	ck_assert_int_eq(it_jar_get_status(&j, "/record/export.json"), 403);
}
END_TEST

/* medsysctl export-fhir args, its standard output into the file path,
 * what it says on standard error in *err. Its exit status. */
static int
medsysctl_export(const char *args, const char *path, char **err)
{
	char *cmd = it_fmt("(%s %s/medsysctl --config %s export-fhir %s >%s) 2>&1",
	                   geteuid() == 0 ? "runuser -u medsys --" : "", it_env("MEDSYS_BUILDDIR"),
	                   it_env("MEDSYS_CONF"), args, path);
	int st = check_run(cmd, err);

	free(cmd);
	return st;
}

START_TEST(test_medsysctl_exports_the_same_bundle)
{
	long long p1 = it_sql_int("SELECT id FROM auth.users WHERE email = '%s'", P1_EMAIL);
	long long before = export_audit_rows(P1_EMAIL);
	char *args = it_fmt("--patient %lld", p1), *out, *err;
	char *path = it_fmt("%s/export-ctl.json", it_env("MEDSYS_STACK_DIR"));

	records();

	ck_assert_msg(medsysctl_export(args, path, &err) == 0, "medsysctl export-fhir: %s", err);
	free(err);
	out = it_slurp(path);
	ck_assert_ptr_nonnull(strstr(out, "\"Composition\""));
	assert_only_patient_one(out, "medsysctl's export");
	assert_valid(path, "medsysctl's export");
	ck_assert_int_eq(export_audit_rows(P1_EMAIL), before + 1);
	free(out);
	free(args);

	ck_assert_int_eq(medsysctl_export("--patient 999999999", path, &err), 1);
	ck_assert_ptr_nonnull(strstr(err, "no patient has the id 999999999"));
	free(err);
	ck_assert_int_eq(medsysctl_export("--patient 12abc", path, &err), 2);
	ck_assert_ptr_nonnull(strstr(err, "is not a patient id"));
	free(err);
	ck_assert_int_eq(medsysctl_export("", path, &err), 2);
	ck_assert_ptr_nonnull(strstr(err, "usage:"));
	free(err);
	free(path);
}
END_TEST

/* The summary as a PDF: a real PDF (qpdf), the words and accents right
 * (pdftotext), nothing of another patient, audited; a doctor gets it only
 * with a care relationship. */
static char *
pdf_text(const char *path)
{
	char *cmd = it_fmt("(qpdf --check %s >/dev/null && pdftotext -enc UTF-8 %s -) 2>&1", path, path), *out;
	int st = check_run(cmd, &out);

	free(cmd);
	ck_assert_msg(st == 0, "the PDF does not check or read: %s", out);
	return out;
}

START_TEST(test_summary_pdf)
{
	struct it_jar j = { 0 }, d = { 0 };
	struct http_response r = { 0 };
	long long p1 = it_sql_int("SELECT id FROM auth.users WHERE email = '%s'", P1_EMAIL);
	long long before;
	char *path, *text, *url;

	records();
	before = it_sql_int("SELECT count(*) FROM audit.events WHERE subject_id = %lld"
	                    " AND action = 'record.summary' AND object LIKE 'summary_pdf %%'", p1);
	it_sign_in(&j, P1_EMAIL, P1_PASS, NULL);
	ck_assert_int_eq(it_jar_get(&j, "/record/summary.pdf", &r), 200);
	ck_assert_str_eq(http_header(&r, "Content-Type"), "application/pdf");
	ck_assert_ptr_nonnull(strstr(http_header(&r, "Content-Disposition"), "attachment"));
	ck_assert_uint_lt(r.body_len, 30000);
	path = it_fmt("%s/summary.pdf", it_env("MEDSYS_STACK_DIR"));
	{
		FILE *f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		ck_assert_uint_eq(fwrite(r.body, 1, r.body_len, f), r.body_len);
		ck_assert_int_eq(fclose(f), 0);
	}
	text = pdf_text(path);
	ck_assert_msg(strstr(text, "Hipertensión esencial") || strstr(text, "Essential (primary) hypertension"),
	              "the PDF lacks the problem: %s", text);
	ck_assert_msg(strstr(text, "Penicilina") && strstr(text, "Enalapril 10 mg"),
	              "the PDF lacks the allergy or the medication: %s", text);
	ck_assert_msg(strstr(text, "1 / 1") || strstr(text, "de 1") || strstr(text, "of 1"),
	              "the PDF has no page numbers: %s", text);
	ck_assert_msg(strstr(text, "SustanciaDeOtraPaciente") == NULL, "another patient's data in the PDF");
	/* When it was made, in words with its year (issue 15): "generado el
	 * martes 8 de diciembre de 2026, 13:30". */
	{
		char *made = it_fmt("generado el %s de %s, ", it_when_es("now()", 0),
		                    it_sql_line("SELECT extract(year FROM now() AT TIME ZONE 'Europe/Madrid')"));
		ck_assert_msg(strstr(text, made), "the PDF lacks \"%s\": %s", made, text);
		free(made);
	}
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE subject_id = %lld"
	                            " AND action = 'record.summary' AND object LIKE 'summary_pdf %%'", p1),
	                 before + 1);
	free(text);
	free(path);
	http_response_free(&r);

	/* The doctor: refused without a relationship, served with one. */
	it_sql("UPDATE ehr.assignments SET ended_at = now(), ended_by = assigned_by"
	       " WHERE patient_id = %lld AND ended_at IS NULL", p1);
	it_sql("DELETE FROM appt.appointments WHERE patient_id = %lld", p1);
	url = it_fmt("/patients/%lld/summary.pdf", p1);
	it_sign_in(&d, D1_EMAIL, D1_PASS, D1_TOTP);
	ck_assert_int_eq(it_jar_get_status(&d, url), 403);
	it_sql("INSERT INTO ehr.assignments (patient_id, doctor_id, assigned_by)"
	       " SELECT %lld, d.id, d.user_id FROM clinic.doctors d"
	       " WHERE d.user_id = " BY_DOCTOR, p1);
	ck_assert_int_eq(it_jar_get(&d, url, &r), 200);
	ck_assert_str_eq(http_header(&r, "Content-Type"), "application/pdf");
	http_response_free(&r);
	free(url);
}
END_TEST

/* Lab results (issue 11): a released order of patient 1 exported as
 * Observations (LOINC, UCUM, interpretation, reference range) and a
 * DiagnosticReport, the bundle still valid; a value entered but not
 * released is not in it. Glucose 2345-7 of the shipped catalog (its
 * range 70-99 mg/dL). */
START_TEST(test_lab_results_exported)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	long long enc, ord, pend;
	char *path;

	records();
	enc = it_sql_int("INSERT INTO ehr.encounters (patient_id, doctor_id, kind, created_by) SELECT u.id, d.id, "
	                 "'walk_in', d.user_id FROM auth.users u, clinic.doctors d WHERE u.email = '" P1_EMAIL "' "
	                 "AND d.licence_number = 'T-0001' RETURNING id");
	ord = it_sql_int("INSERT INTO lab.orders (patient_id, encounter_id, ordered_by) SELECT e.patient_id, e.id, "
	                 "d.user_id FROM ehr.encounters e JOIN clinic.doctors d ON d.id = e.doctor_id WHERE e.id = %lld "
	                 "RETURNING id", enc);
	pend = it_sql_int("INSERT INTO lab.orders (patient_id, encounter_id, ordered_by) SELECT patient_id, "
	                  "encounter_id, ordered_by FROM lab.orders WHERE id = %lld RETURNING id", ord);
	it_sql("INSERT INTO lab.order_tests (order_id, analyte, position) VALUES (%lld, '2345-7', 1), (%lld, '2345-7', 1)",
	       ord, pend);
	it_sql("INSERT INTO lab.results (order_id, analyte, version, value_num, entered_by) SELECT o.id, '2345-7', 1, "
	       "CASE WHEN o.id = %lld THEN 131 ELSE 413 END, o.ordered_by FROM lab.orders o WHERE o.id IN (%lld, %lld)",
	       ord, ord, pend);
	it_sql("INSERT INTO lab.releases (result_id, released_by) SELECT r.id, o.ordered_by FROM lab.results r "
	       "JOIN lab.orders o ON o.id = r.order_id WHERE r.order_id = %lld", ord);
	it_sign_in(&j, P1_EMAIL, P1_PASS, NULL);
	ck_assert_int_eq(it_jar_get(&j, "/record/export.json", &r), 200);
	it_assert_has(&r, "\"DiagnosticReport\"", "the export");
	it_assert_has(&r, "\"system\": \"http://loinc.org\", \"display\": \"Glucose\"", "the export");
	it_assert_has(&r, "\"value\": 131", "the export");
	it_assert_has(&r, "\"code\": \"mg/dL\"", "the export");
	it_assert_has(&r, "\"code\": \"H\"", "the export");
	it_assert_has(&r, "\"referenceRange\": [{\"low\": {\"code\": \"mg/dL\"", "the export");
	ck_assert_msg(strstr(r.body, "\"value\": 413") == NULL, "an unreleased lab value is exported");
	path = save("export-lab.json", r.body);
	assert_valid(path, "the export with lab results");
	http_response_free(&r);
	free(path);
}
END_TEST

int
main(void)
{
	return it_run_suites(it_suite("export", 120, test_patient_downloads_a_valid_bundle,
	                              test_validator_refuses_an_invalid_bundle,
	                              test_other_patient_gets_only_their_own,
	                              test_staff_cannot_use_the_patient_download,
	                              test_medsysctl_exports_the_same_bundle, test_summary_pdf,
	                              test_patient_lists_match_the_views,
	                              test_lab_results_exported, NULL),
	                     NULL);
}
