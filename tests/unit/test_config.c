/* test_config: the configuration file parser and the redaction of
 * secrets, plus the shipped sample file. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/log.h"

static int
parse(struct config *c, const char *text, char *err)
{
	config_defaults(c);
	return config_parse(c, text, strlen(text), err, 256);
}

START_TEST(test_defaults)
{
	struct config c;
	config_defaults(&c);
	ck_assert_str_eq(c.db, "dbname=medsys");
	ck_assert_int_eq(c.workers, 4);
	ck_assert_int_eq(c.max_body, 1048576);
	ck_assert_int_eq(c.cookie_secure, 1);
	ck_assert_str_eq(c.default_language, "es");
}
END_TEST

START_TEST(test_values)
{
	struct config c;
	char err[256];
	const char *text =
		"# comment\n"
		"\n"
		"  db = host=/tmp dbname=x user=y  \n"
		"workers=7\n"
		"cookie_secure = no\r\n"
		"default_language = en\n"
		"max_body = 2048\n"
		"listen = /run/m.sock";   /* no final newline */

	ck_assert_msg(parse(&c, text, err) == 0, "%s", err);
	ck_assert_str_eq(c.db, "host=/tmp dbname=x user=y");
	ck_assert_int_eq(c.workers, 7);
	ck_assert_int_eq(c.cookie_secure, 0);
	ck_assert_str_eq(c.default_language, "en");
	ck_assert_int_eq(c.max_body, 2048);
	ck_assert_str_eq(c.listen, "/run/m.sock");
}
END_TEST

START_TEST(test_errors_name_the_line)
{
	struct config c;
	char err[256];

	ck_assert_int_eq(parse(&c, "workers = 4\nbogus = 1\n", err), -1);
	ck_assert_ptr_nonnull(strstr(err, "line 2"));
	ck_assert_ptr_nonnull(strstr(err, "bogus"));
	ck_assert_int_eq(parse(&c, "workers = 0\n", err), -1);
	ck_assert_ptr_nonnull(strstr(err, "from 1 to 256"));
	ck_assert_int_eq(parse(&c, "workers = 4x\n", err), -1);
	ck_assert_int_eq(parse(&c, "workers = 99999999999999999999\n", err), -1);
	ck_assert_int_eq(parse(&c, "cookie_secure = maybe\n", err), -1);
	ck_assert_int_eq(parse(&c, "default_language = fr\n", err), -1);
	ck_assert_int_eq(parse(&c, "just words\n", err), -1);
	ck_assert_ptr_nonnull(strstr(err, "line 1"));
}
END_TEST

START_TEST(test_overlong_value)
{
	struct config c;
	char err[256], text[2000];

	memset(text, 'a', sizeof(text));
	memcpy(text, "db = ", 5);
	text[sizeof(text) - 1] = '\0';
	ck_assert_int_eq(parse(&c, text, err), -1);
}
END_TEST

START_TEST(test_redact)
{
	char out[256];

	config_redact_conninfo("host=/x password=s3cret dbname=m", out, sizeof(out));
	ck_assert_str_eq(out, "host=/x password=*** dbname=m");
	config_redact_conninfo("password = 'a b\\' c' user=u", out, sizeof(out));
	ck_assert_ptr_null(strstr(out, "a b"));
	ck_assert_ptr_nonnull(strstr(out, "user=u"));
	config_redact_conninfo("dbname=m", out, sizeof(out));
	ck_assert_str_eq(out, "dbname=m");
}
END_TEST

START_TEST(test_sample_file_parses_and_matches_defaults)
{
	/* Every key in the sample is commented out with its default value;
	 * uncommenting all of them must give exactly the defaults. */
	char path[1024], err[256], *buf, *o;
	const char *src = getenv("MEDSYS_SRCDIR");
	struct config c, d;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/medsys.conf.sample", src ? src : ".");
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	buf = calloc(1, 65536);
	n = fread(buf, 1, 65535, f);
	fclose(f);
	/* "# key = value" -> "key = value"; prose comments have no '='. */
	o = buf;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (strncmp(line, "# ", 2) == 0 && strchr(line, '=') && strchr(line, ' ') < strchr(line, '=') &&
		    strchr(line + 2, ' ') && strchr(line + 2, ' ') + 1 == strchr(line, '='))
			o += sprintf(o, "%s\n", line + 2);
	}
	(void)n;
	config_defaults(&d);
	config_defaults(&c);
	ck_assert_msg(config_parse(&c, buf, (size_t)(o - buf), err, sizeof(err)) == 0, "%s", err);
	/* datadir's default follows ./configure --prefix; the sample shows the
	 * default prefix's. */
	ck_assert_str_eq(c.datadir, "/usr/local/share/medsyspro");
	memcpy(c.datadir, d.datadir, sizeof(c.datadir));
	ck_assert_int_eq(memcmp(&c, &d, sizeof(c)), 0);
	free(buf);
}
END_TEST

START_TEST(test_log_escape)
{
	char out[64];

	ck_assert_str_eq(log_escape(out, sizeof(out), "a\r\nb"), "a\\x0d\\x0ab");
	ck_assert_str_eq(log_escape(out, sizeof(out), "\x1b[31m\""), "\\x1b[31m\\x22");
	ck_assert_str_eq(log_escape(out, sizeof(out), "ñ"), "\\xc3\\xb1");
	ck_assert_str_eq(log_escape(out, 4, "abcdef"), "abc");
	ck_assert_str_eq(log_escape(out, 6, "\n\n"), "\\x0a");
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_errors_name_the_line);
	tcase_add_test(tc, test_overlong_value);
	tcase_add_test(tc, test_redact);
	tcase_add_test(tc, test_sample_file_parses_and_matches_defaults);
	tcase_add_test(tc, test_log_escape);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(config_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
