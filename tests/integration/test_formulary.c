/* test_formulary: GET /formulary against a real stack with the shipped
 * catalog loaded (tests/harness/stack imports data/formulary): a doctor
 * finds products by generic name in either language, by brand, without
 * accents and by ATC prefix, in a small page with a plain GET form; other
 * roles are refused. Run by tests/integration/formulary.stack. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "http_client.h"

/* The formulary page for what (already %-encoded) as doctor 1; the
 * response in r (reused). */
static void
search(struct http_response *r, const char *what)
{
	struct it_jar d = { 0 };

	it_sql_session(&d, it_user_id(D1_EMAIL));
	ck_assert_int_eq(it_getf(&d, r, "/formulary?q=%s", what), 200);
}

/* How many result rows (table rows of the body) the page lists. */
static int
rows(const struct http_response *r)
{
	int n = 0;

	for (const char *p = strstr(r->body, "<tbody>"); p && (p = strstr(p + 1, "<tr>")); n++)
		;
	return n;
}

START_TEST(test_form_without_javascript)
{
	struct http_response r = { 0 };

	search(&r, "");
	ck_assert_msg(strstr(r.body, "<form method=\"get\" action=\"/formulary\"") != NULL, "a plain GET form");
	ck_assert_msg(strstr(r.body, "name=\"q\"") != NULL, "with the q field");
	/* as-you-type is an extra: one deferred file, nothing inline (the CSP) */
	ck_assert_msg(strstr(r.body, "<script src=\"/static/live-search.js\" defer></script>") != NULL &&
	              strstr(r.body, "<script>") == NULL, "only the deferred live-search script");
	ck_assert_msg(strstr(r.body, "<button type=\"submit\"") != NULL, "a submit button: works without it");
	ck_assert_msg(strstr(r.body, "<a href=\"/formulary\">") != NULL, "the doctor's menu links to it");
	ck_assert_int_eq(rows(&r), 0);
	http_response_free(&r);
}
END_TEST

/* Searching for what (%-encoded) lists a product named name (have 1) or
 * does not (have 0). */
static void
finds(const char *what, const char *name, int have, const char *why)
{
	struct http_response r = { 0 };

	search(&r, what);
	ck_assert_msg((strstr(r.body, name) != NULL) == have, "%s: \"%s\" %s \"%s\"", why, what,
	              have ? "does not list" : "lists", name);
	ck_assert_msg(r.body_len < 14 * 1024, "a small page: %zu bytes", r.body_len);
	http_response_free(&r);
}

START_TEST(test_generic_names_both_languages)
{
	finds("amoxicilina", "Amoxicilina 500 mg cápsula", 1, "a Spanish generic name");
	finds("amoxicilina", "J01CA04", 1, "with its ATC code");
	finds("hydrochlorothiazide", "Hidroclorotiazida 25 mg comprimido", 1,
	      "an English name finds the product, shown in the page's language");
	finds("amoxicilina%20500", "Amoxicilina 500 mg cápsula", 1, "two words");
	finds("amoxicilina%20500", "Amoxicilina 250 mg cápsula", 0, "every word must match");
	finds("salbutamol", "inhalada", 1, "the route in the page's language");
}
END_TEST

START_TEST(test_brand_names)
{
	finds("nolotil", "Metamizol 575 mg cápsula", 1, "a brand finds its generic");
	finds("Sintrom", "Acenocumarol 4 mg comprimido", 1, "capitals do not matter");
}
END_TEST

START_TEST(test_accents_optional)
{
	finds("ACIDO%20ACETILSALICILICO", "Ácido acetilsalicílico 500 mg comprimido", 1, "without accents");
	finds("%C3%A1cido%20acetilsalic%C3%ADlico", "Ácido acetilsalicílico 500 mg comprimido", 1, "with accents");
}
END_TEST

START_TEST(test_atc_prefix)
{
	struct http_response r = { 0 };
	const char *p;

	search(&r, "J01C");
	ck_assert_msg(strstr(r.body, "J01CA04") != NULL && strstr(r.body, "J01CE02") != NULL,
	              "the penicillins");
	ck_assert_msg(strstr(r.body, "J01DD04") == NULL, "no cephalosporin");
	for (p = strstr(r.body, "?q="); p; p = strstr(p + 3, "?q="))
		ck_assert_msg(strncmp(p + 3, "J01C", 4) == 0, "every ATC link starts with J01C: %.12s", p);
	search(&r, "J01");
	ck_assert_int_eq(rows(&r), 30);   /* the most a page lists */
	ck_assert_msg(r.body_len < 14 * 1024, "a full page stays small: %zu bytes", r.body_len);
	search(&r, "j01dd04");
	ck_assert_msg(strstr(r.body, "Ceftriaxona 1 g") != NULL, "a whole code, in lowercase");
	http_response_free(&r);
}
END_TEST

START_TEST(test_nothing_found_and_odd_input)
{
	struct http_response r = { 0 };

	search(&r, "zzqqzz");
	ck_assert_int_eq(rows(&r), 0);
	ck_assert_msg(strstr(r.body, "role=\"status\">Ningún medicamento coincide") != NULL, "says nothing matched");
	search(&r, "%25%25%25");
	ck_assert_int_eq(rows(&r), 0);
	search(&r, "am");
	ck_assert_int_eq(rows(&r), 0);
	search(&r, "%3Cscript%3Ealert(1)%3C%2Fscript%3E");
	ck_assert_msg(strstr(r.body, "<script>alert") == NULL, "what was typed is escaped");
	search(&r, it_fmt("%0200d", 7));
	ck_assert_msg(strstr(r.body, "role=\"alert\"") != NULL, "a 200-character search is refused politely");
	http_response_free(&r);
}
END_TEST

START_TEST(test_other_roles_refused)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	long st;

	it_sql_session(&j, it_user_id(P1_EMAIL));
	st = it_get(&j, &r, "/formulary?q=amoxicilina");
	ck_assert_msg(st == 403 || st == 404, "a patient: %ld", st);
	ck_assert_msg(strstr(r.body, "Amoxicilina 500") == NULL, "and sees no product");
	it_staff_account(R1_EMAIL, "Recepción Test", "reception", NULL);
	it_sql_session(&j, it_user_id(R1_EMAIL));
	st = it_get(&j, &r, "/formulary?q=amoxicilina");
	ck_assert_msg(st == 403 || st == 404, "reception: %ld", st);
	st = it_get(NULL, &r, "/formulary?q=amoxicilina");
	ck_assert_msg(st == 303 || st == 403, "signed out: %ld", st);
	ck_assert_msg(strstr(r.body, "Amoxicilina 500") == NULL, "no product signed out");
	http_response_free(&r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("formulary");
	TCase *tc = tcase_create("stack");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_form_without_javascript);
	tcase_add_test(tc, test_generic_names_both_languages);
	tcase_add_test(tc, test_brand_names);
	tcase_add_test(tc, test_accents_optional);
	tcase_add_test(tc, test_atc_prefix);
	tcase_add_test(tc, test_nothing_found_and_odd_input);
	tcase_add_test(tc, test_other_roles_refused);
	suite_add_tcase(s, tc);
	return it_run_suites(s, NULL);
}
