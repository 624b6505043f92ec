/* test_lab_results: released lab results against a real stack
 * (tests/integration/lab_results.stack): the patient sees their own
 * released results only (a value entered but not released shows by no
 * route: list, order, trend, PDF, FHIR export), another patient's order
 * answers 404 with the attempt on the audit trail; the PDF report passes
 * qpdf, reads back with pdftotext (values, flags in words, the
 * correction) and its QR code (zbarimg) opens the verification page,
 * which says genuine, then "changed" once a result is corrected, and not
 * genuine for a tampered token; the doctor's results and inbox (critical
 * first, mark seen), lab staff refused; the patient sets their sex on the
 * profile. Its analytes are its own (codes 9990x-x), so it depends on no
 * shipped catalog. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../check_util.h"
#include "fixtures.h"
#include "http_client.h"

#define LAB_EMAIL "lab1@clinic.test"
#define HAS(r, s) it_assert_has((r), (s), "the page")
#define LACKS(r, s) it_assert_lacks((r), (s), "the page")
#define T it_keep

/* The test's analytes and ranges: a glucose (70-99, critical 40 / 400),
 * a potassium (3.7-5.2, critical 2.8 / 6.2), a coded dipstick. */
static void
catalog(void)
{
	it_sql("INSERT INTO lab.analytes (code, name_es, name_en, kind, unit, decimals, plausible_low, plausible_high, "
	       "choices, normal_choices, source) VALUES "
	       "('99901-1', 'Tstglucosa', 'Tstglucose', 'numeric', 'mg/dL', 0, 5, 2000, NULL, NULL, 'test_lab_results'),"
	       "('99902-2', 'Tstpotasio', 'Tstpotassium', 'numeric', 'mmol/L', 1, 1, 12, NULL, NULL, 'test_lab_results'),"
	       "('99903-3', 'Tstproteína', 'Tstprotein', 'coded', '', 0, NULL, NULL, '{negative,trace,1+}', '{negative}', "
	       "'test_lab_results') ON CONFLICT DO NOTHING");
	it_sql("INSERT INTO lab.ranges (analyte, sex, age_min_days, low, high, critical_low, critical_high, source) "
	       "SELECT * FROM (VALUES ('99901-1', 'any', 0, 70, 99, 40, 400, 'test_lab_results'),"
	       "('99902-2', 'any', 0, 3.7, 5.2, 2.8, 6.2, 'test_lab_results')) v(a, s, m, l, h, cl, ch, src) "
	       "WHERE NOT EXISTS (SELECT 1 FROM lab.ranges r WHERE r.analyte = v.a)");
	it_staff_account(LAB_EMAIL, "Laboratorio Uno", "lab", NULL);
}

/* A patient of their own (sex female), with a completed visit of doctor
 * 1 two days ago and its encounter (the doctor's basis of access). */
static long long
patient(const char *tag, long long *encounter, char **email)
{
	struct it_user u = { .email = *email = it_unique_email(tag), .name = "Paciente Laboratorio" };
	long long pid = it_make_user(&u);
	long long appt;

	it_sql("UPDATE auth.users SET birth_date = '1980-05-05', sex = 'female' WHERE id = %lld", pid);
	appt = it_sql_int("INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode, reason, status) "
	                  "SELECT d.id, %lld, now() - interval '2 days', now() - interval '2 days' + interval '20 minutes', "
	                  "'in_person', 'Control', 'completed' FROM clinic.doctors d WHERE d.licence_number = 'T-0001' "
	                  "RETURNING id", pid);
	*encounter = it_sql_int("INSERT INTO ehr.encounters (patient_id, doctor_id, appointment_id, kind, created_by) "
	                        "SELECT %lld, d.id, %lld, 'appointment', d.user_id FROM clinic.doctors d "
	                        "WHERE d.licence_number = 'T-0001' RETURNING id", pid, appt);
	return pid;
}

/* An order of doctor 1 for pid, collected, with values entered by the
 * lab user ("analyte=value" pairs: a number or coded text), released
 * when release is 1. Its id. */
static long long
order(long long pid, long long enc, int release, const char *values)
{
	long long id = it_sql_int("INSERT INTO lab.orders (patient_id, encounter_id, ordered_by) SELECT %lld, %lld, "
	                          "d.user_id FROM clinic.doctors d WHERE d.licence_number = 'T-0001' RETURNING id", pid, enc);

	it_sql("UPDATE lab.orders SET collected_at = now() - interval '1 hour' WHERE id = %lld", id);
	it_sql("WITH v AS (SELECT split_part(x, '=', 1) AS a, split_part(x, '=', 2) AS val, n "
	       "FROM unnest(string_to_array('%s', ' ')) WITH ORDINALITY u(x, n)), "
	       "t AS (INSERT INTO lab.order_tests (order_id, analyte, position) SELECT %lld, a, n FROM v RETURNING analyte) "
	       "SELECT count(*) FROM t", values, id);
	it_sql("INSERT INTO lab.results (order_id, analyte, version, value_num, value_text, entered_by) "
	       "SELECT %lld, v.a, 1, CASE WHEN v.val ~ '^[0-9.]+$' THEN v.val::numeric END, "
	       "CASE WHEN v.val !~ '^[0-9.]+$' THEN v.val END, (SELECT id FROM auth.users WHERE email = '" LAB_EMAIL "') "
	       "FROM (SELECT split_part(x, '=', 1) AS a, split_part(x, '=', 2) AS val "
	       "FROM unnest(string_to_array('%s', ' ')) x) v", id, values);
	if (release)
		it_sql("INSERT INTO lab.releases (result_id, released_by) SELECT r.id, (SELECT id FROM auth.users "
		       "WHERE email = '" LAB_EMAIL "') FROM lab.results r WHERE r.order_id = %lld", id);
	return id;
}

/* A released correction of an analyte of order id. */
static void
correct(long long id, const char *analyte, const char *value)
{
	long long res = it_sql_int(
		"INSERT INTO lab.results (order_id, analyte, version, value_num, entered_by, correction_reason) "
		"SELECT %lld, '%s', max(version) + 1, %s, (SELECT id FROM auth.users WHERE email = '" LAB_EMAIL "'), "
		"'Muestra hemolizada, repetida' FROM lab.results WHERE order_id = %lld AND analyte = '%s' RETURNING id",
		id, analyte, value, id, analyte);

	it_sql("INSERT INTO lab.releases (result_id, released_by) SELECT %lld, id FROM auth.users "
	       "WHERE email = '" LAB_EMAIL "'", res);
}

/* Write r's body into dir/name. */
static void
save(const struct http_response *r, const char *dir, const char *name)
{
	char *path = it_fmt("%s/%s", dir, name);
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(r->body, 1, r->body_len, f), r->body_len);
	fclose(f);
	free(path);
}

START_TEST(test_own_released_only)
{
	struct it_jar p, q;
	struct http_response r = { 0 };
	char *email, *email2;
	long long enc, enc2, pid, pid2, mine, unreleased, theirs, before;

	catalog();
	pid = patient("labown", &enc, &email);
	pid2 = patient("labother", &enc2, &email2);
	mine = order(pid, enc, 1, "99901-1=123 99902-2=4.0 99903-3=trace");
	unreleased = order(pid, enc, 0, "99901-1=377");
	theirs = order(pid2, enc2, 1, "99901-1=88");
	it_sign_in(&p, email, P1_PASS, NULL);
	ck_assert_int_eq(it_get(&p, &r, "/results"), 200);
	HAS(&r, T(it_fmt("/results/%lld\"", mine)));
	HAS(&r, ">123</span> mg/dL");
	HAS(&r, "▲</span> Alto");                 /* the flag in words and symbol */
	HAS(&r, "‼</span> Anormal");              /* the coded value outside its normal answers */
	HAS(&r, "70 – 99");
	LACKS(&r, ">377<");               /* as a value, not any "377" (a token may hold one) */
	LACKS(&r, T(it_fmt("/results/%lld\"", unreleased)));
	ck_assert_int_eq(it_getf(&p, &r, "/results/%lld", mine), 200);
	HAS(&r, "Tstpotasio");
	/* the unreleased order, by id, PDF, trend and export */
	ck_assert_int_eq(it_getf(&p, &r, "/results/%lld", unreleased), 404);
	ck_assert_int_eq(it_getf(&p, &r, "/results/%lld.pdf", unreleased), 404);
	ck_assert_int_eq(it_get(&p, &r, "/results/analyte/99901-1"), 200);
	HAS(&r, "<svg");
	HAS(&r, "<title>Tstglucosa</title>");
	HAS(&r, "<td>123");
	LACKS(&r, "<td>377");
	ck_assert_int_eq(it_get(&p, &r, "/record/export.json"), 200);
	HAS(&r, "\"code\": \"99901-1\"");
	HAS(&r, "\"DiagnosticReport\"");
	HAS(&r, "\"value\": 123");
	LACKS(&r, "\"value\": 377");
	LACKS(&r, "\"value\": 88");
	/* the record summary and its PDF: the newest order's flagged values */
	ck_assert_int_eq(it_get(&p, &r, "/record"), 200);
	HAS(&r, "Tstglucosa 123 mg/dL: ▲ Alto");
	LACKS(&r, "Tstglucosa 377");
	ck_assert_int_eq(it_get(&p, &r, "/record/summary.pdf"), 200);
	{
		char dir[] = "/tmp/medsys-labsum-XXXXXX", *out;
		ck_assert_ptr_nonnull(mkdtemp(dir));
		save(&r, dir, "s.pdf");
		ck_assert_int_eq(check_runf(&out, "pdftotext -raw -enc UTF-8 '%s/s.pdf' - 2>&1; rm -rf '%s'", dir, dir), 0);
		ck_assert_msg(strstr(out, "Resultados de laboratorio") && strstr(out, "Tstglucosa 123 mg/dL: Alto") &&
		              !strstr(out, "377"), "the summary PDF's lab section: %s", out);
		free(out);
	}
	/* the other patient's order: 404 everywhere, each attempt audited */
	char *asked = T(it_fmt("AND e.object = 'lab_order:%lld basis=self' AND e.subject_id = %lld", theirs, pid));
	before = it_audit_count("record.lab_results", email, asked);
	ck_assert_int_eq(it_getf(&p, &r, "/results/%lld", theirs), 404);
	LACKS(&r, ">88<");
	ck_assert_int_eq(it_audit_count("record.lab_results", email, asked), before + 1);
	ck_assert_int_eq(it_getf(&p, &r, "/results/%lld.pdf", theirs), 404);
	ck_assert_int_eq(it_audit_count("record.lab_report", email, asked), 1);
	/* an analyte never released to this patient: no trend */
	it_sign_in(&q, email2, P1_PASS, NULL);
	ck_assert_int_eq(it_get(&q, &r, "/results/analyte/99902-2"), 404);
	ck_assert_int_eq(it_get(&q, &r, "/results"), 200);
	HAS(&r, ">88</span>");
	LACKS(&r, ">123<");
	/* the patient sees the list read on their trail */
	ck_assert_int_ge(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.lab_results' "
	                            "AND subject_id = %lld AND object = 'lab_results basis=self'", pid), 1);
	http_response_free(&r);
	it_kept_free();
	free(email);
	free(email2);
}
END_TEST

/* The token's path from a QR code zbarimg read: "/lab/v/TOKEN". */
static char *
qr_path(const char *dir)
{
	char *out, *at, *path;

	ck_assert_int_eq(check_runf(&out, "pdftoppm -r 150 -png -singlefile '%s/r.pdf' '%s/page' 2>&1 && "
	                                  "zbarimg -q '%s/page.png' 2>/dev/null", dir, dir, dir), 0);
	ck_assert_ptr_nonnull(at = strstr(out, "/lab/v/"));
	at[strcspn(at, "\r\n")] = '\0';
	path = strdup(at);
	free(out);
	return path;
}

START_TEST(test_pdf_and_verification)
{
	struct it_jar p;
	struct http_response r = { 0 };
	char dir[] = "/tmp/medsys-labres-XXXXXX", *email, *out, *path, *bad;
	long long enc, pid, id;

	catalog();
	pid = patient("labpdf", &enc, &email);
	id = order(pid, enc, 1, "99901-1=123 99902-2=6.6");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	it_sign_in(&p, email, P1_PASS, NULL);
	ck_assert_int_eq(it_getf(&p, &r, "/results/%lld.pdf", id), 200);
	ck_assert_str_eq(http_header(&r, "Content-Type"), "application/pdf");
	save(&r, dir, "r.pdf");
	ck_assert_int_eq(check_runf(&out, "qpdf --check '%s/r.pdf' 2>&1", dir), 0);
	free(out);
	ck_assert_int_eq(check_runf(&out, "pdftotext -raw -enc UTF-8 '%s/r.pdf' - 2>&1", dir), 0);
	ck_assert_msg(strstr(out, "Tstglucosa: 123 mg/dL · ref. 70 – 99 · Alto") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "Tstpotasio: 6.6 mmol/L · ref. 3.7 – 5.2 · Críticamente alto") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "Paciente Laboratorio") != NULL, "%s", out);
	free(out);
	path = qr_path(dir);
	/* the public page, signed out: genuine, no patient data, no value */
	ck_assert_int_eq(it_get(NULL, &r, path), 200);
	HAS(&r, "Informe auténtico");
	LACKS(&r, "Paciente Laboratorio");
	LACKS(&r, "123");
	/* the patient is offered their own results */
	ck_assert_int_eq(it_get(&p, &r, path), 200);
	HAS(&r, T(it_fmt("href=\"/results/%lld\"", id)));
	/* a correction since: genuine, but out of date */
	correct(id, "99902-2", "4.4");
	ck_assert_int_eq(it_get(NULL, &r, path), 200);
	HAS(&r, "Informe auténtico, pero desactualizado");
	/* a new copy is genuine again and says "corregido" */
	ck_assert_int_eq(it_getf(&p, &r, "/results/%lld.pdf", id), 200);
	save(&r, dir, "r.pdf");
	ck_assert_int_eq(check_runf(&out, "pdftotext -raw -enc UTF-8 '%s/r.pdf' - 2>&1", dir), 0);
	ck_assert_msg(strstr(out, "Tstpotasio: 4.4 mmol/L · ref. 3.7 – 5.2 · corregido") != NULL, "%s", out);
	free(out);
	free(path);
	path = qr_path(dir);
	ck_assert_int_eq(it_get(NULL, &r, path), 200);
	HAS(&r, "Informe auténtico");
	LACKS(&r, "desactualizado");
	/* altered: a letter of the signature changed; not a token: 404 */
	bad = T(strdup(path));
	bad[strlen(bad) - 20] = bad[strlen(bad) - 20] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(it_get(NULL, &r, bad), 200);
	HAS(&r, "Informe NO auténtico");
	ck_assert_int_eq(it_get(NULL, &r, "/lab/v/NOTATOKEN"), 404);
	HAS(&r, "Código no reconocido");
	free(path);
	ck_assert_int_eq(check_runf(&out, "rm -rf '%s'", dir), 0);
	free(out);
	http_response_free(&r);
	it_kept_free();
	free(email);
}
END_TEST

START_TEST(test_doctor_inbox_and_roles)
{
	struct it_jar d, l;
	struct http_response r = { 0 };
	char *email, *email2;
	long long enc, enc2, pid, pid2, normal, critical, before;
	const char *crit_at, *norm_at;

	catalog();
	pid = patient("labdoc", &enc, &email);
	pid2 = patient("labdoc2", &enc2, &email2);
	normal = order(pid, enc, 1, "99901-1=80");
	critical = order(pid2, enc2, 1, "99902-2=7.1");
	it_sign_in(&d, D1_EMAIL, D1_PASS, D1_TOTP);
	ck_assert_int_eq(it_getf(&d, &r, "/patients/%lld/results", pid), 200);
	HAS(&r, ">80</span> mg/dL");
	ck_assert_int_eq(it_getf(&d, &r, "/patients/%lld/results/%lld.pdf", pid, normal), 200);
	ck_assert_int_eq(memcmp(r.body, "%PDF", 4), 0);
	ck_assert_int_eq(it_getf(&d, &r, "/patients/%lld/results/%lld", pid, critical), 404);  /* not this patient's */
	/* the inbox: the critical order before the normal one */
	ck_assert_int_eq(it_get(&d, &r, "/results/inbox"), 200);
	crit_at = strstr(r.body, T(it_fmt("/results/inbox/%lld/seen", critical)));
	norm_at = strstr(r.body, T(it_fmt("/results/inbox/%lld/seen", normal)));
	ck_assert_ptr_nonnull(crit_at);
	ck_assert_ptr_nonnull(norm_at);
	ck_assert_msg(crit_at < norm_at, "the critical order is not listed first");
	HAS(&r, "críticos");
	ck_assert_int_ge(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.lab_inbox' "
	                            "AND subject_id = %lld", pid2), 1);
	ck_assert_int_eq(it_postf(&d, &r, T(it_fmt("/results/inbox/%lld/seen", critical)), "%s", ""), 303);
	ck_assert_int_eq(it_get(&d, &r, "/results/inbox"), 200);
	LACKS(&r, T(it_fmt("/results/inbox/%lld/seen", critical)));
	HAS(&r, T(it_fmt("/results/inbox/%lld/seen", normal)));
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'lab.results_seen' "
	                            "AND object = 'lab_order:%lld'", critical), 1);
	/* a correction after "seen" brings it back */
	correct(critical, "99902-2", "5.0");
	ck_assert_int_eq(it_get(&d, &r, "/results/inbox"), 200);
	HAS(&r, T(it_fmt("/results/inbox/%lld/seen", critical)));
	/* lab staff: no patient's results page, no inbox (403, audited) */
	it_sign_in(&l, LAB_EMAIL, D1_PASS, D1_TOTP);
	before = it_audit_count("access.denied", LAB_EMAIL, "");
	ck_assert_int_eq(it_getf(&l, &r, "/patients/%lld/results", pid), 403);
	ck_assert_int_eq(it_get(&l, &r, "/results/inbox"), 403);
	ck_assert_int_eq(it_get(&l, &r, "/results"), 403);
	ck_assert_int_eq(it_audit_count("access.denied", LAB_EMAIL, ""), before + 3);
	http_response_free(&r);
	it_kept_free();
	free(email);
	free(email2);
}
END_TEST

START_TEST(test_profile_sex)
{
	struct it_jar p;
	struct http_response r = { 0 };
	char *email;
	long long enc, pid = patient("labsex", &enc, &email);

	it_sign_in(&p, email, P1_PASS, NULL);
	ck_assert_int_eq(it_get(&p, &r, "/profile"), 200);
	HAS(&r, "<option value=\"female\" selected>");
	ck_assert_int_eq(it_postf(&p, &r, "/profile", "&full_name=Paciente+Laboratorio&phone=&language=es"
	                          "&time_zone=Europe%%2FMadrid&sex=male"), 303);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE id = %lld AND sex = 'male'", pid), 1);
	ck_assert_int_eq(it_postf(&p, &r, "/profile", "&full_name=Paciente+Laboratorio&phone=&language=es"
	                          "&time_zone=Europe%%2FMadrid&sex="), 303);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE id = %lld AND sex IS NULL", pid), 1);
	ck_assert_int_eq(it_postf(&p, &r, "/profile", "&full_name=Paciente+Laboratorio&phone=&language=es"
	                          "&time_zone=Europe%%2FMadrid&sex=other"), 200);   /* refused, form kept */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE id = %lld AND sex IS NULL", pid), 1);
	http_response_free(&r);
	free(email);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("lab_results");
	int rc;

	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, test_own_released_only);
	tcase_add_test(tc, test_pdf_and_verification);
	tcase_add_test(tc, test_doctor_inbox_and_roles);
	tcase_add_test(tc, test_profile_sex);
	rc = tcase_run_alone("lab_results", tc);
	http_client_cleanup();
	return rc;
}
