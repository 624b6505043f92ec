/* test_origin: the canonical origin compared for a POST (fcgi/lib/origin.c):
 * scheme and host in lower case, the port always written (the scheme's
 * default filled in), so that another port or scheme never equals ours,
 * and what is not an origin is refused. */
#include <check.h>

#include "../check_util.h"
#include <string.h>

#include "lib/origin.h"

static const char *
url(const char *u)
{
	static char out[ORIGIN_MAX];

	return origin_of_url(u, out, sizeof(out)) == 0 ? out : NULL;
}

static const char *
parts(const char *scheme, const char *host, const char *port)
{
	static char out[ORIGIN_MAX];

	return origin_of_parts(scheme, host, port, out, sizeof(out)) == 0 ? out : NULL;
}

START_TEST(test_canonical)
{
	ck_assert_str_eq(url("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
	ck_assert_str_eq(url("HTTP://Clinic.Example"), "http://clinic.example:80");
	ck_assert_str_eq(url("https://clinic.example"), "https://clinic.example:443");
	ck_assert_str_eq(url("https://clinic.example:443/path/x"), "https://clinic.example:443");
	ck_assert_str_eq(url("http://[::1]:8080"), "http://[::1]:8080");
	ck_assert_str_eq(parts("http", "127.0.0.1", "8080"), "http://127.0.0.1:8080");
	ck_assert_str_eq(parts("https", "Clinic.Example", "443"), "https://clinic.example:443");
	ck_assert_str_eq(parts("https", "clinic.example", NULL), "https://clinic.example:443");
	/* A port in the host wins over the server's. */
	ck_assert_str_eq(parts("http", "clinic.example:9000", "80"), "http://clinic.example:9000");
}
END_TEST

START_TEST(test_other_port_or_scheme_differs)
{
	ck_assert_str_ne(url("http://127.0.0.1:8081"), parts("http", "127.0.0.1", "8080"));
	ck_assert_str_ne(url("https://127.0.0.1:8080"), parts("http", "127.0.0.1", "8080"));
	ck_assert_str_ne(url("http://127.0.0.1"), parts("http", "127.0.0.1", "8080"));
	ck_assert_str_eq(url("http://127.0.0.1:80"), parts("http", "127.0.0.1", NULL));
}
END_TEST

START_TEST(test_refused)
{
	static const char *const bad[] = {
		"null", "", "ftp://clinic.example", "http://", "http://:80", "http://a@clinic.example",
		"http://clinic.example:0", "http://clinic.example:65536", "http://clinic.example:8o",
		"http://clinic.example:", "http://[::1", "http://[::1]x", "http://clinic.example?x",
		"http://clinic.example#x", "http://clinic example", "javascript://clinic.example",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(url(bad[i]) == NULL, "accepted %s", bad[i]);
	ck_assert_ptr_null(url(NULL));
	ck_assert_ptr_null(parts("gopher", "clinic.example", NULL));
	ck_assert_ptr_null(parts("http", "", "80"));
	ck_assert_ptr_null(parts("http", "clinic.example", "99999"));
}
END_TEST

START_TEST(test_too_small)
{
	char out[12];

	ck_assert_int_eq(origin_of_url("http://clinic.example", out, sizeof(out)), -1);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("origin");

	tcase_add_test(tc, test_canonical);
	tcase_add_test(tc, test_other_port_or_scheme_differs);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_too_small);
	return tcase_run_alone("origin", tc);
}
