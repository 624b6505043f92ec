/* test_locale: language negotiation. */
#include <check.h>
#include <stdlib.h>

#include "core/locale.h"

START_TEST(test_accept_language)
{
	ck_assert_str_eq(locale_from_accept_language("en-GB,en;q=0.9"), "en");
	ck_assert_str_eq(locale_from_accept_language("es-ES"), "es");
	ck_assert_str_eq(locale_from_accept_language("fr, es;q=0.5, en;q=0.4"), "es");
	ck_assert_str_eq(locale_from_accept_language("en;q=0.2, es;q=0.9"), "es");
	ck_assert_str_eq(locale_from_accept_language("EN-us"), "en");
	ck_assert_str_eq(locale_from_accept_language("  en  ;  q=1.0"), "en");
	/* Ties go to the earlier entry. */
	ck_assert_str_eq(locale_from_accept_language("en, es"), "en");
}
END_TEST

START_TEST(test_accept_language_nothing_supported)
{
	ck_assert_ptr_null(locale_from_accept_language("fr, de;q=0.5"));
	ck_assert_ptr_null(locale_from_accept_language(""));
	ck_assert_ptr_null(locale_from_accept_language(NULL));
	ck_assert_ptr_null(locale_from_accept_language("*"));
	/* q=0 means "not acceptable". */
	ck_assert_ptr_null(locale_from_accept_language("en;q=0"));
	/* "eng" and "esperanto" are not en/es. */
	ck_assert_ptr_null(locale_from_accept_language("eng, esperanto"));
}
END_TEST

START_TEST(test_accept_language_malformed)
{
	ck_assert_ptr_null(locale_from_accept_language("en;q=abc"));
	ck_assert_ptr_null(locale_from_accept_language("en;q=7"));
	ck_assert_str_eq(locale_from_accept_language(",,,;;;, es"), "es");
	ck_assert_str_eq(locale_from_accept_language("en;q=0.5;q=1, es;q=0.6"), "es");
}
END_TEST

START_TEST(test_pick_order)
{
	/* The user's choice beats Accept-Language, which beats the default. */
	ck_assert_str_eq(locale_pick("en", "es", "es"), "en");
	ck_assert_str_eq(locale_pick(NULL, "en", "es"), "en");
	ck_assert_str_eq(locale_pick("xx", "en", "es"), "en");
	ck_assert_str_eq(locale_pick(NULL, "fr", "es"), "es");
	ck_assert_str_eq(locale_pick(NULL, NULL, "en"), "en");
	ck_assert_str_eq(locale_pick(NULL, NULL, "zz"), "es");
	ck_assert_int_eq(locale_is_supported("es"), 1);
	ck_assert_int_eq(locale_is_supported("ES"), 0);
}
END_TEST

static Suite *
locale_suite(void)
{
	Suite *s = suite_create("locale");
	TCase *tc = tcase_create("negotiation");

	tcase_add_test(tc, test_accept_language);
	tcase_add_test(tc, test_accept_language_nothing_supported);
	tcase_add_test(tc, test_accept_language_malformed);
	tcase_add_test(tc, test_pick_order);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(locale_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
