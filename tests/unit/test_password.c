/* test_password: argon2id hash/verify/rehash, the password policy and
 * its common list, and the cross-process hash limiter. */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/password.h"

/* Cheap parameters for tests that are not about the default. */
static const struct password_params weak = { 1024, 1, 1 };

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static char list_path[4096];

static void
load_list(void)
{
	const char *src = getenv("MEDSYS_SRCDIR");

	snprintf(list_path, sizeof(list_path), "%s/data/common-passwords.txt",
	         src != NULL ? src : ".");
	ck_assert_int_ge(password_load_common(list_path), 1000);
}

/* ---------------------------------------------------------- hashing */

START_TEST(test_hash_roundtrip)
{
	char h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];

	ck_assert_int_eq(password_hash("correct horse battery", &weak, h1,
	                               sizeof(h1)), 0);
	ck_assert(strncmp(h1, "$argon2id$v=19$m=1024,t=1,p=1$", 30) == 0);
	ck_assert_int_eq(password_verify(h1, "correct horse battery"), 1);
	ck_assert_int_eq(password_verify(h1, "correct horse batterz"), 0);
	ck_assert_int_eq(password_verify(h1, "Correct horse battery"), 0);
	ck_assert_int_eq(password_verify(h1, ""), 0);
	ck_assert_int_eq(password_verify(h1, NULL), 0);
	/* A fresh salt each time. */
	ck_assert_int_eq(password_hash("correct horse battery", &weak, h2,
	                               sizeof(h2)), 0);
	ck_assert_str_ne(h1, h2);
	ck_assert_int_eq(password_verify(h2, "correct horse battery"), 1);
}
END_TEST

START_TEST(test_hash_args)
{
	static char longpw[PASSWORD_MAX_BYTES + 2];
	const struct password_params bad = { 1, 1, 1 };
	char h[PASSWORD_HASH_MAX];

	ck_assert_int_eq(password_hash("x", &weak, h, 20), -1);
	ck_assert_str_eq(h, "");
	ck_assert_int_eq(password_hash("x", &bad, h, sizeof(h)), -1);
	ck_assert_int_eq(password_hash(NULL, &weak, h, sizeof(h)), -1);
	ck_assert_int_eq(password_hash("x", &weak, NULL, 0), -1);
	memset(longpw, 'a', PASSWORD_MAX_BYTES + 1);
	ck_assert_int_eq(password_hash(longpw, &weak, h, sizeof(h)), -1);
	longpw[PASSWORD_MAX_BYTES] = '\0';
	ck_assert_int_eq(password_hash(longpw, &weak, h, sizeof(h)), 0);
	ck_assert_int_eq(password_verify(h, longpw), 1);
	longpw[PASSWORD_MAX_BYTES] = 'a';
	ck_assert_int_eq(password_verify(h, longpw), 0);
}
END_TEST

START_TEST(test_verify_malformed)
{
	static const char *const bad[] = {
		"",
		"garbage",
		"$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo",
		"$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0",
		"$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$",
		"$argon2id$v=19$m=1024,t=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo",
		"$argon2id$v=19$m=,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo",
		"$argon2id$v=19$m=-1,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo",
		"$argon2id$v=19$m=99999999999,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo",
		"$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo",
		"$argon2id$v=19$m=1024,t=100000,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo",
		"$argon2id$v=19$m=1024,t=1,p=1$c2Fs$aGFzaGhhc2hoYXNo",	/* salt < 8 */
		"$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$aGFz!GhhYXNo",
		"$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo$",
		"$argon2id$v=19$m=01024,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(password_verify(bad[i], "password") == -1,
		              "accepted: %s", bad[i]);
	ck_assert_int_eq(password_verify(NULL, "password"), -1);
}
END_TEST

START_TEST(test_needs_rehash)
{
	const struct password_params old = { 8192, 1, 1 };
	const struct password_params more_t = { 8192, 2, 1 };
	char h[PASSWORD_HASH_MAX];

	ck_assert_int_eq(password_hash("an old password", &old, h, sizeof(h)), 0);
	ck_assert(strstr(h, "$m=8192,t=1,p=1$") != NULL);
	ck_assert_int_eq(password_needs_rehash(h, NULL), 1);
	ck_assert_int_eq(password_needs_rehash(h, &password_params_default), 1);
	ck_assert_int_eq(password_needs_rehash(h, &old), 0);
	ck_assert_int_eq(password_needs_rehash(h, &more_t), 1);
	ck_assert_int_eq(password_needs_rehash(h, &weak), 0);
	/* Shapes that are not ours, or older, always rehash. */
	ck_assert_int_eq(password_needs_rehash(NULL, NULL), 1);
	ck_assert_int_eq(password_needs_rehash("", NULL), 1);
	ck_assert_int_eq(password_needs_rehash("$2b$10$abcdefghijklmnopqrstuv", NULL), 1);
	ck_assert_int_eq(password_needs_rehash("$argon2id$v=19$m=19456,t=2", NULL), 1);
	ck_assert_int_eq(password_needs_rehash(
	    "$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNo",
	    NULL), 1);
	ck_assert_int_eq(password_needs_rehash(		/* 8-byte salt */
	    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo", NULL), 1);
	ck_assert_int_eq(password_needs_rehash(
	    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNo",
	    NULL), 0);
	ck_assert_int_eq(password_needs_rehash(
	    "$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNo",
	    NULL), 0);
}
END_TEST

/* The only tests that pay for the default parameters (19 MiB, t=2). */
START_TEST(test_default_params)
{
	char h[PASSWORD_HASH_MAX];
	double t0, ms;

	t0 = now_ms();
	ck_assert_int_eq(password_hash("un paciente cualquiera", NULL, h,
	                               sizeof(h)), 0);
	ms = now_ms() - t0;
	fprintf(stderr, "default argon2id hash (m=19456,t=2,p=1): %.0f ms\n", ms);
	ck_assert(strstr(h, "$argon2id$v=19$m=19456,t=2,p=1$") == h);
	ck_assert_uint_lt(strlen(h), PASSWORD_HASH_MAX);
	ck_assert_int_eq(password_needs_rehash(h, NULL), 0);
	ck_assert_int_eq(password_verify(h, "un paciente cualquiera"), 1);
}
END_TEST

START_TEST(test_dummy_hash)
{
	const char *d = password_dummy_hash();

	ck_assert_ptr_nonnull(d);
	ck_assert(strstr(d, "$argon2id$v=19$m=19456,t=2,p=1$") == d);
	ck_assert_int_eq(password_needs_rehash(d, NULL), 0);
	/* Computed once: the same string comes back. */
	ck_assert_ptr_eq(password_dummy_hash(), d);
	ck_assert_int_eq(password_verify(d, "anything at all"), 0);
}
END_TEST

/* ----------------------------------------------------------- policy */

START_TEST(test_policy_length)
{
	char pw[PASSWORD_MAX_BYTES + 2];
	size_t i;

	/* 10 characters in 14 bytes: long enough. 9 characters: not. */
	ck_assert_int_eq(password_check("\xc3\xb1" "and\xc3\xba" "\xc3\xb1" "and\xc3\xba",
	                                NULL, NULL), PASSWORD_OK);
	ck_assert_int_eq(password_check("\xc3\xb1" "and\xc3\xba" "\xc3\xb1" "and",
	                                NULL, NULL), PASSWORD_TOO_SHORT);
	ck_assert_int_eq(password_check("9chars-xy", NULL, NULL), PASSWORD_TOO_SHORT);
	ck_assert_int_eq(password_check("10chars-xy", NULL, NULL), PASSWORD_OK);
	ck_assert_int_eq(password_check("", NULL, NULL), PASSWORD_TOO_SHORT);
	ck_assert_int_eq(password_check(NULL, NULL, NULL), PASSWORD_TOO_SHORT);
	/* 64 characters, spaces included: fine. */
	ck_assert_int_eq(password_check("the quick brown fox jumps over the lazy "
	                                "dog while it rains in sevi", NULL, NULL),
	                 PASSWORD_OK);
	for (i = 0; i < PASSWORD_MAX_BYTES; i++)
		pw[i] = (char)('a' + (i * 7) % 26);
	pw[PASSWORD_MAX_BYTES] = '\0';
	ck_assert_int_eq(password_check(pw, NULL, NULL), PASSWORD_OK);
	pw[PASSWORD_MAX_BYTES] = 'z';
	pw[PASSWORD_MAX_BYTES + 1] = '\0';
	ck_assert_int_eq(password_check(pw, NULL, NULL), PASSWORD_TOO_LONG);
}
END_TEST

START_TEST(test_policy_not_text)
{
	static const char *const bad[] = {
		"abcdefghij\xff",
		"abcdefghij\xc3",		/* truncated */
		"abcdefghij\xc0\xaf",		/* overlong '/' */
		"abcdefghij\xed\xa0\x80",	/* surrogate */
		"abcde\tfghijk",
		"abcdefghijk\n",
		"abcde\x7f" "fghijk",
		"abcde\xc2\x85" "fghijk",	/* U+0085, a C1 control */
		"\x1b[31mabcdefghijk",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(password_check(bad[i], NULL, NULL) == PASSWORD_NOT_TEXT,
		              "accepted #%zu", i);
	/* U+00A0 and other non-ASCII text are fine. */
	ck_assert_int_eq(password_check("abcde\xc2\xa0" "fghijk", NULL, NULL),
	                 PASSWORD_OK);
}
END_TEST

START_TEST(test_policy_common)
{
	ck_assert_uint_ge(password_common_count(), 1000);
	ck_assert_int_eq(password_check("password123", NULL, NULL), PASSWORD_COMMON);
	ck_assert_int_eq(password_check("PassWord123", NULL, NULL), PASSWORD_COMMON);
	ck_assert_int_eq(password_check("QWERTYUIOP", NULL, NULL), PASSWORD_COMMON);
	ck_assert_int_eq(password_check("1234567890", NULL, NULL), PASSWORD_COMMON);
	ck_assert_int_eq(password_check("contrase\xc3\xb1" "a1", NULL, NULL),
	                 PASSWORD_COMMON);
	ck_assert_int_eq(password_check("CONTRASE\xc3\x91" "A1", NULL, NULL),
	                 PASSWORD_COMMON);
	/* Only whole entries count. */
	ck_assert_int_eq(password_check("password123 and more", NULL, NULL),
	                 PASSWORD_OK);
	ck_assert_int_eq(password_check("xpassword123", NULL, NULL), PASSWORD_OK);
}
END_TEST

START_TEST(test_policy_email)
{
	const char *e = "Maria.Lopez@example.com";

	ck_assert_int_eq(password_check("xxmaria.lopezyy", e, NULL), PASSWORD_HAS_EMAIL);
	ck_assert_int_eq(password_check("MARIA.LOPEZ2024!!", e, NULL), PASSWORD_HAS_EMAIL);
	ck_assert_int_eq(password_check("my maria.lopez@EXAMPLE.com", e, NULL),
	                 PASSWORD_HAS_EMAIL);
	ck_assert_int_eq(password_check("maria lopez is fine", e, NULL), PASSWORD_OK);
	/* A short local part is ignored; the whole address is not. */
	ck_assert_int_eq(password_check("jo is my best friend", "jo@x.org", NULL),
	                 PASSWORD_OK);
	ck_assert_int_eq(password_check("write to jo@x.org!", "jo@x.org", NULL),
	                 PASSWORD_HAS_EMAIL);
	ck_assert_int_eq(password_check("some long passphrase", "", NULL), PASSWORD_OK);
}
END_TEST

START_TEST(test_policy_name)
{
	const char *n = "Mar\xc3\xad" "a-Jos\xc3\xa9 O'Ng";

	ck_assert_int_eq(password_check("soymar\xc3\xad" "a2024x", NULL, n),
	                 PASSWORD_HAS_NAME);
	ck_assert_int_eq(password_check("SOYMAR\xc3\x8d" "A2024X", NULL, n),
	                 PASSWORD_HAS_NAME);
	ck_assert_int_eq(password_check("1990jos\xc3\xa9" "abcd", NULL, n),
	                 PASSWORD_HAS_NAME);
	/* "O" and "Ng" are under 3 characters; "maria" without the accent
	 * is another word. */
	ck_assert_int_eq(password_check("ng o ng o ng o", NULL, n), PASSWORD_OK);
	ck_assert_int_eq(password_check("mariamariamaria", NULL, n), PASSWORD_OK);
	ck_assert_int_eq(password_check("an ordinary passphrase", NULL, "   "),
	                 PASSWORD_OK);
	ck_assert_int_eq(password_check("garcia para siempre", NULL,
	                                "Ana Garc\xc3\xad" "a"), PASSWORD_OK);
	ck_assert_int_eq(password_check("ana para siempre", NULL, "Ana Garcia"),
	                 PASSWORD_HAS_NAME);
}
END_TEST

START_TEST(test_problem_keys)
{
	ck_assert_str_eq(password_problem_key(PASSWORD_OK), "ok");
	ck_assert_str_eq(password_problem_key(PASSWORD_TOO_SHORT), "too_short");
	ck_assert_str_eq(password_problem_key(PASSWORD_TOO_LONG), "too_long");
	ck_assert_str_eq(password_problem_key(PASSWORD_NOT_TEXT), "not_text");
	ck_assert_str_eq(password_problem_key(PASSWORD_COMMON), "common");
	ck_assert_str_eq(password_problem_key(PASSWORD_HAS_EMAIL), "has_email");
	ck_assert_str_eq(password_problem_key(PASSWORD_HAS_NAME), "has_name");
	ck_assert_str_eq(password_problem_key(PASSWORD__MAX), "unknown");
	ck_assert_str_eq(password_problem_key((enum password_problem)-1), "unknown");
}
END_TEST

START_TEST(test_load_common)
{
	char path[] = "/tmp/test_password_XXXXXX";
	const char body[] = "# comment\r\nAlphaBravo1\r\n\r\nalphabravo1\n"
	                    "charlie-delta\nbad\xff-utf8-line\nlast-no-newline";
	size_t before = password_common_count();
	int fd;

	ck_assert_uint_ge(before, 1000);
	ck_assert_int_eq(password_load_common("/nonexistent/list.txt"), -1);
	ck_assert_uint_eq(password_common_count(), before);
	ck_assert_int_eq(password_check("password123", NULL, NULL), PASSWORD_COMMON);

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, body, sizeof(body) - 1), (ssize_t)sizeof(body) - 1);
	close(fd);
	ck_assert_int_eq(password_load_common(path), 3);
	unlink(path);
	ck_assert_uint_eq(password_common_count(), 3);
	ck_assert_int_eq(password_check("ALPHABRAVO1", NULL, NULL), PASSWORD_COMMON);
	ck_assert_int_eq(password_check("last-no-newline", NULL, NULL), PASSWORD_COMMON);
	ck_assert_int_eq(password_check("password123", NULL, NULL), PASSWORD_OK);
	ck_assert_int_ge(password_load_common(list_path), 1000);
}
END_TEST

/* --------------------------------------------------------- hash limit */

START_TEST(test_hashlimit_without_init)
{
	double t0 = now_ms();

	ck_assert_int_eq(hashlimit_acquire(0), 0);
	ck_assert_int_eq(hashlimit_acquire(100), 0);
	ck_assert_int_eq(hashlimit_acquire(100), 0);
	ck_assert(now_ms() - t0 < 50);
	hashlimit_release();
}
END_TEST

START_TEST(test_hashlimit_timeout)
{
	double t0, ms;

	ck_assert_int_eq(hashlimit_init(0), -1);
	ck_assert_int_eq(hashlimit_init(1), 0);
	ck_assert_int_eq(hashlimit_acquire(1000), 0);
	t0 = now_ms();
	ck_assert_int_eq(hashlimit_acquire(100), -1);
	ms = now_ms() - t0;
	ck_assert_msg(ms >= 95 && ms < 1000, "waited %.1f ms", ms);
	ck_assert_int_eq(hashlimit_acquire(0), -1);
	hashlimit_release();
	ck_assert_int_eq(hashlimit_acquire(100), 0);
	hashlimit_release();
	/* Two permits: two holders, the third waits in vain. */
	ck_assert_int_eq(hashlimit_init(2), 0);
	ck_assert_int_eq(hashlimit_acquire(100), 0);
	ck_assert_int_eq(hashlimit_acquire(100), 0);
	ck_assert_int_eq(hashlimit_acquire(50), -1);
	hashlimit_release();
	hashlimit_release();
}
END_TEST

/* In a child: exit 0 when acquire(timeout_ms) returns want. */
static int
child_acquire(int timeout_ms, int want)
{
	pid_t pid;
	int st = 0, r;

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		r = hashlimit_acquire(timeout_ms);
		if (r == 0)
			hashlimit_release();
		_exit(r == want ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A worker killed while hashing must not take its permit to the grave:
 * the parent gives it back when it reaps the worker. */
START_TEST(test_hashlimit_reap_dead_holder)
{
	pid_t pid;
	int status;

	ck_assert_int_eq(hashlimit_init(1), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0)
		_exit(hashlimit_acquire(1000) == 0 ? 0 : 1);   /* dies holding it */
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_int_eq(hashlimit_acquire(100), -1);      /* lost... */
	ck_assert_int_eq(hashlimit_reap(pid), 1);           /* ...until reaped */
	ck_assert_int_eq(hashlimit_reap(pid), 0);
	ck_assert_int_eq(hashlimit_acquire(100), 0);
	hashlimit_release();
	ck_assert_int_eq(hashlimit_acquire(0), 0);          /* released for real */
	hashlimit_release();
}
END_TEST

START_TEST(test_hashlimit_across_fork)
{
	ck_assert_int_eq(hashlimit_init(1), 0);
	ck_assert_int_eq(hashlimit_acquire(100), 0);
	/* The child sees the permit the parent holds... */
	ck_assert_int_eq(child_acquire(50, -1), 0);
	hashlimit_release();
	/* ...and gets it once the parent gives it back. */
	ck_assert_int_eq(child_acquire(1000, 0), 0);
	ck_assert_int_eq(hashlimit_acquire(100), 0);
	hashlimit_release();
}
END_TEST

static void
on_alarm(int sig)
{
	(void)sig;
}

START_TEST(test_hashlimit_signal)
{
	struct sigaction sa, old;
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } }, off = { { 0, 0 }, { 0, 0 } };
	double t0, ms;
	int r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: waits see EINTR */
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGALRM, &sa, &old), 0);
	ck_assert_int_eq(hashlimit_init(1), 0);
	ck_assert_int_eq(hashlimit_acquire(100), 0);
	ck_assert_int_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
	t0 = now_ms();
	r = hashlimit_acquire(200);
	ms = now_ms() - t0;
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old, NULL);
	ck_assert_int_eq(r, -1);
	ck_assert_msg(ms >= 190, "signals cut the wait to %.1f ms", ms);
	hashlimit_release();
}
END_TEST

static Suite *
password_suite(void)
{
	Suite *s = suite_create("password");
	TCase *tc;

	/* First, before any test initialises the limiter. */
	tc = tcase_create("limit_uninitialised");
	tcase_add_test(tc, test_hashlimit_without_init);
	suite_add_tcase(s, tc);

	tc = tcase_create("hash");
	tcase_add_test(tc, test_hash_roundtrip);
	tcase_add_test(tc, test_hash_args);
	tcase_add_test(tc, test_verify_malformed);
	tcase_add_test(tc, test_needs_rehash);
	suite_add_tcase(s, tc);

	tc = tcase_create("default_params");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_default_params);
	tcase_add_test(tc, test_dummy_hash);
	suite_add_tcase(s, tc);

	tc = tcase_create("policy");
	tcase_add_unchecked_fixture(tc, load_list, NULL);
	tcase_add_test(tc, test_policy_length);
	tcase_add_test(tc, test_policy_not_text);
	tcase_add_test(tc, test_policy_common);
	tcase_add_test(tc, test_policy_email);
	tcase_add_test(tc, test_policy_name);
	tcase_add_test(tc, test_problem_keys);
	tcase_add_test(tc, test_load_common);
	suite_add_tcase(s, tc);

	tc = tcase_create("limit");
	tcase_add_test(tc, test_hashlimit_timeout);
	tcase_add_test(tc, test_hashlimit_across_fork);
	tcase_add_test(tc, test_hashlimit_reap_dead_holder);
	tcase_add_test(tc, test_hashlimit_signal);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(password_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
