/* test_router: route matching, 404/405 decisions, captures, and that the
 * production route table compiles. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/router.h"
#include "routes.h"

static int dummy(struct req *r) { (void)r; return 200; }
static int other(struct req *r) { (void)r; return 201; }

static const struct route rows[] = {
	{ "home", METHOD_GET, "/", dummy, ROLE_EVERYONE, 0, 0, NULL, RECORD_NONE },
	{ "item", METHOD_GET, "/items/([0-9]{1,9})", dummy, ROLE_EVERYONE, 0, 0, NULL, RECORD_NONE },
	{ "item_save", METHOD_POST, "/items/([0-9]{1,9})", other, ROLE_PATIENT, 1, 0, NULL, RECORD_NONE },
	{ "two", METHOD_GET, "/a/([a-z]+)/b/([a-z]+)", dummy, ROLE_EVERYONE, 0, 0, NULL, RECORD_NONE },
};

static struct router *rt;
static struct arena *a;

static void
setup(void)
{
	char err[256];
	rt = router_new(rows, sizeof(rows) / sizeof(rows[0]), err, sizeof(err));
	ck_assert_msg(rt != NULL, "%s", err);
	a = arena_new(0);
}

static void
teardown(void)
{
	router_free(rt);
	arena_free(a);
}

START_TEST(test_exact_root)
{
	struct route_match m;
	ck_assert_int_eq(router_match(rt, a, METHOD_GET, "/", &m), ROUTE_FOUND);
	ck_assert_str_eq(m.route->name, "home");
	ck_assert_uint_eq(m.nargs, 0);
}
END_TEST

START_TEST(test_anchored_both_ends)
{
	struct route_match m;
	ck_assert_int_eq(router_match(rt, a, METHOD_GET, "/items/12/x", &m), ROUTE_NOT_FOUND);
	ck_assert_int_eq(router_match(rt, a, METHOD_GET, "/x/items/12", &m), ROUTE_NOT_FOUND);
	ck_assert_int_eq(router_match(rt, a, METHOD_GET, "//", &m), ROUTE_NOT_FOUND);
	ck_assert_int_eq(router_match(rt, a, METHOD_GET, "/items/1234567890", &m), ROUTE_NOT_FOUND);
	ck_assert_int_eq(router_match(rt, a, METHOD_GET, "/items/12\n", &m), ROUTE_NOT_FOUND);
}
END_TEST

START_TEST(test_captures)
{
	struct route_match m;
	ck_assert_int_eq(router_match(rt, a, METHOD_GET, "/a/foo/b/bar", &m), ROUTE_FOUND);
	ck_assert_uint_eq(m.nargs, 2);
	ck_assert_str_eq(m.args[0], "foo");
	ck_assert_str_eq(m.args[1], "bar");
}
END_TEST

START_TEST(test_method_selects_row)
{
	struct route_match m;
	ck_assert_int_eq(router_match(rt, a, METHOD_POST, "/items/7", &m), ROUTE_FOUND);
	ck_assert_str_eq(m.route->name, "item_save");
	ck_assert_int_eq(m.route->csrf, 1);
	ck_assert_str_eq(m.args[0], "7");
}
END_TEST

START_TEST(test_head_uses_get_rows)
{
	struct route_match m;
	ck_assert_int_eq(router_match(rt, a, METHOD_HEAD, "/items/7", &m), ROUTE_FOUND);
	ck_assert_str_eq(m.route->name, "item");
}
END_TEST

START_TEST(test_405_with_allow)
{
	struct route_match m;
	char allow[64];
	ck_assert_int_eq(router_match(rt, a, METHOD_POST, "/", &m), ROUTE_METHOD_NOT_ALLOWED);
	router_allow_header(m.allowed, allow, sizeof(allow));
	ck_assert_str_eq(allow, "GET, HEAD");
}
END_TEST

START_TEST(test_invalid_utf8_path_not_found)
{
	struct route_match m;
	ck_assert_int_eq(router_match(rt, a, METHOD_GET, "/items/\xff", &m), ROUTE_NOT_FOUND);
}
END_TEST

START_TEST(test_method_names)
{
	ck_assert_int_eq(http_method_parse("GET"), METHOD_GET);
	ck_assert_int_eq(http_method_parse("HEAD"), METHOD_HEAD);
	ck_assert_int_eq(http_method_parse("POST"), METHOD_POST);
	ck_assert_int_eq(http_method_parse("get"), METHOD__MAX);
	ck_assert_int_eq(http_method_parse("TRACE"), METHOD__MAX);
	ck_assert_int_eq(http_method_parse(NULL), METHOD__MAX);
}
END_TEST

START_TEST(test_bad_pattern_reported)
{
	static const struct route bad[] = { { "bad", METHOD_GET, "/(unclosed", dummy, ROLE_EVERYONE, 0, 0, NULL, RECORD_NONE } };
	char err[256] = "";
	ck_assert_ptr_null(router_new(bad, 1, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "bad"));
}
END_TEST

START_TEST(test_production_table)
{
	char err[256];
	size_t nroutes;
	const struct route *routes = routes_all(&nroutes);
	struct router *prod = router_new(routes, nroutes, err, sizeof(err));
	struct route_match m;

	ck_assert_msg(prod != NULL, "%s", err);
	ck_assert_int_eq(router_match(prod, a, METHOD_GET, "/", &m), ROUTE_FOUND);
	ck_assert_int_eq(router_match(prod, a, METHOD_GET, "/healthz", &m), ROUTE_FOUND);
	ck_assert_int_eq(router_match(prod, a, METHOD_GET, "/language/en", &m), ROUTE_FOUND);
	ck_assert_int_eq(router_match(prod, a, METHOD_GET, "/language/fr", &m), ROUTE_NOT_FOUND);
	/* Every state-changing route must require a CSRF token. */
	for (size_t i = 0; i < nroutes; i++)
		if (routes[i].method == METHOD_POST)
			ck_assert_msg(routes[i].csrf, "POST route %s has no CSRF check", routes[i].name);
	router_free(prod);
}
END_TEST

static Suite *
router_suite(void)
{
	Suite *s = suite_create("router");
	TCase *tc = tcase_create("match");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_exact_root);
	tcase_add_test(tc, test_anchored_both_ends);
	tcase_add_test(tc, test_captures);
	tcase_add_test(tc, test_method_selects_row);
	tcase_add_test(tc, test_head_uses_get_rows);
	tcase_add_test(tc, test_405_with_allow);
	tcase_add_test(tc, test_invalid_utf8_path_not_found);
	tcase_add_test(tc, test_method_names);
	tcase_add_test(tc, test_bad_pattern_reported);
	tcase_add_test(tc, test_production_table);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(router_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
