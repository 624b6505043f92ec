/* test_lab_import: what people see of an HL7 import, over HTTP, after the
 * shell part of tests/integration/lab_import.stack imported order
 * AAAAA-11111 as entered (not released) and order EEEEE-55555 with
 * lab_import_release = yes (a critical potassium among its results): the
 * ordering doctor's notices carry the urgent critical-value notice, once,
 * linking to its acknowledgement; the patient is told results are ready
 * for the released order only, and nothing of the unreleased one. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "http_client.h"

/* The notices page of email, polled until it holds needle (the notifier
 * turns the release's events into notices a moment later); r keeps it. */
static void
notices_with(const char *email, const char *needle, struct http_response *r)
{
	struct it_jar j;

	it_sql_session(&j, it_user_id(email));
	for (int i = 0; i < 60; i++) {
		ck_assert_int_eq(it_jar_get(&j, "/notices", r), 200);
		if (strstr(r->body, needle))
			return;
		http_response_free(r);
		it_sleep_ms(250);
	}
	ck_abort_msg("%s's notices never showed \"%s\"", email, needle);
}

static long long
order_id(const char *code)
{
	return it_sql_int("SELECT id FROM lab.orders WHERE order_code = '%s'", code);
}

START_TEST(test_doctor_told_of_imported_critical_value)
{
	struct http_response r = { 0 };
	long long result = it_sql_int("SELECT id FROM lab.results WHERE order_id = %lld AND analyte = '2823-3'",
	                              order_id("EEEEE55555"));
	char *link = it_fmt("name=\"next\" value=\"/lab/critical/%lld\"", result);

	ck_assert_int_gt(result, 0);
	notices_with(D1_EMAIL, link, &r);
	it_assert_has(&r, "URGENTE: un valor de laboratorio crítico de uno de sus pacientes necesita su confirmación.",
	              "the doctor's urgent notice, in Spanish");
	it_assert_lacks(&r, "mmol/L", "no clinical value in the notice");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.notices WHERE link = '/lab/critical/%lld'", result), 1);
	http_response_free(&r);
	free(link);
}
END_TEST

START_TEST(test_patient_told_only_of_released_results)
{
	struct http_response r = { 0 };
	char *released = it_fmt("name=\"next\" value=\"/results/%lld\"", order_id("EEEEE55555"));
	char *entered = it_fmt("/results/%lld\"", order_id("AAAAA11111"));

	notices_with(P1_EMAIL, released, &r);
	it_assert_has(&r, "Sus resultados de laboratorio están listos.", "the patient's notice");
	it_assert_lacks(&r, entered, "no notice of results nobody released");
	http_response_free(&r);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'lab.results_ready' "
	                            "AND payload->>'order_id' = '%lld'", order_id("AAAAA11111")), 0);
	free(released);
	free(entered);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("lab_import");
	TCase *tc = tcase_create("stack");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_doctor_told_of_imported_critical_value);
	tcase_add_test(tc, test_patient_told_only_of_released_results);
	suite_add_tcase(s, tc);
	return it_run_suites(s, NULL);
}
