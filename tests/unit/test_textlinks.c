/* test_textlinks: addresses in a message become link parts and nothing
 * else does: the scheme decides (only http and https, never javascript:
 * or data:), trailing sentence punctuation and markup characters stay out,
 * the parts cover the whole text in order, and a tiny part array keeps
 * the rest as text. */
#include <check.h>

#include "../check_util.h"
#include <string.h>

#include "lib/textlinks.h"

/* The parts of s as "T[..]L[..]" for comparison. */
static const char *
parts(const char *s, size_t max)
{
	static char buf[512];
	struct textlinks_part p[16];
	size_t n = textlinks_split(s, p, max < 16 ? max : 16), o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%c[%.*s]", p[i].link ? 'L' : 'T',
		                      (int)p[i].len, s + p[i].start);
	return buf;
}

START_TEST(test_links_found)
{
	ck_assert_str_eq(parts("mire https://example.org/x?a=1&b=2 ya", 16),
	                 "T[mire ]L[https://example.org/x?a=1&b=2]T[ ya]");
	ck_assert_str_eq(parts("HTTP://A.es.", 16), "L[HTTP://A.es]T[.]");
	ck_assert_str_eq(parts("(vea http://a.b/c), gracias", 16), "T[(vea ]L[http://a.b/c]T[), gracias]");
	ck_assert_str_eq(parts("http://a.b/<script>", 16), "L[http://a.b/]T[<script>]");
	ck_assert_str_eq(parts("dos: http://a http://b", 16), "T[dos: ]L[http://a]T[ ]L[http://b]");
}
END_TEST

START_TEST(test_no_links)
{
	ck_assert_str_eq(parts("", 16), "");
	ck_assert_str_eq(parts("sin enlaces", 16), "T[sin enlaces]");
	ck_assert_str_eq(parts("javascript:alert(1) data:text/html,x", 16), "T[javascript:alert(1) data:text/html,x]");
	ck_assert_str_eq(parts("http:// solo", 16), "T[http:// solo]");
	ck_assert_str_eq(parts("xhttp://a.b", 16), "T[xhttp://a.b]");
	ck_assert_str_eq(parts("ftp://a.b", 16), "T[ftp://a.b]");
}
END_TEST

START_TEST(test_few_parts)
{
	/* Room for 3: the first link, then the rest as text. */
	ck_assert_str_eq(parts("a http://x b http://y c", 3), "T[a ]L[http://x]T[ b http://y c]");
	ck_assert_str_eq(parts("a http://x", 1), "T[a http://x]");
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("textlinks");

	tcase_add_test(tc, test_links_found);
	tcase_add_test(tc, test_no_links);
	tcase_add_test(tc, test_few_parts);
	return tcase_run_alone("textlinks", tc);
}
