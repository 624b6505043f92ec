/* check_util: small helpers for the unit and the integration tests (header
 * only: the unit tests share no source). */
#ifndef MEDSYS_CHECK_UTIL_H
#define MEDSYS_CHECK_UTIL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <check.h>

/* Add the tests (START_TEST names, then NULL) to tc; returns tc. */
static inline TCase *
tcase_list_add(TCase *tc, ...)
{
	va_list ap;

	va_start(ap, tc);
	for (const TTest *t = va_arg(ap, const TTest *); t != NULL; t = va_arg(ap, const TTest *))
		tcase_add_test(tc, t);
	va_end(ap);
	return tc;
}

/* Run tc as the only test case of a suite called name; the exit status
 * for main (EXIT_SUCCESS when every test passed). */
static inline int
tcase_run_alone(const char *name, TCase *tc)
{
	Suite *s = suite_create(name);
	SRunner *sr;
	int failed;

	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}

/* Run the shell command cmd (its standard output only: add 2>&1 to
 * capture errors too); everything it printed in *out (malloc'd, the caller
 * frees) and its exit status (-1 when it did not exit normally). */
static inline int
check_run(const char *cmd, char **out)
{
	FILE *p = popen(cmd, "r");
	size_t len = 0, cap = 1 << 14;
	char *buf = malloc(cap);
	int st;

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(buf);
	for (size_t n; (n = fread(buf + len, 1, cap - len - 1, p)) > 0;)
		if ((len += n) + 1 == cap)
			ck_assert_ptr_nonnull(buf = realloc(buf, cap *= 2));
	buf[len] = '\0';
	st = pclose(p);
	*out = buf;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* How many times needle occurs in hay (not overlapping). */
static inline int
str_count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* check_run with the command made by the format (printf-like). */
static inline int check_runf(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static inline int
check_runf(char **out, const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	ck_assert_msg(n >= 0 && (size_t)n < sizeof(cmd), "command too long: %s", fmt);
	return check_run(cmd, out);
}

/* The bytes of the file at path (at most max), malloc'd; their count in
 * *len. */
static inline unsigned char *
check_slurp(const char *path, size_t max, size_t *len)
{
	unsigned char *buf = malloc(max ? max : 1);
	FILE *f = fopen(path, "rb");

	ck_assert_ptr_nonnull(buf);
	ck_assert_msg(f != NULL, "cannot open %s", path);
	*len = fread(buf, 1, max, f);
	fclose(f);
	return buf;
}

#endif
