/* test_pollsig: a poll link's signature is the one nginx's secure_link
 * computes (base64url MD5 of expires, URI, session, a space and the
 * secret, unpadded), checked against digests made by the openssl tool,
 * and every part of the link changes it. */
#include <check.h>

#include "../check_util.h"
#include <string.h>

#include "lib/pollsig.h"

/* printf '%s' '1700000000/poll/chat/42abc123 s3cret' | openssl md5 -binary |
 * base64 | tr '+/' '-_' | tr -d '=' */
START_TEST(test_known_vectors)
{
	char sig[POLLSIG_LEN + 1];

	ck_assert_int_eq(pollsig_sign(sig, 1700000000LL, "/poll/chat/42", "abc123", "s3cret"), 0);
	ck_assert_str_eq(sig, "thDUESuM5kWcPZxk7uB7eA");
	/* printf '%s' '1/poll/room/7x y' | ...: '-' and '_' both appear */
	ck_assert_int_eq(pollsig_sign(sig, 1, "/poll/room/7", "x", "y"), 0);
	ck_assert_str_eq(sig, "1KJn8rMt0d1V6U6gBMvi8w");
	ck_assert_uint_eq(strlen(sig), POLLSIG_LEN);
}
END_TEST

START_TEST(test_every_part_counts)
{
	char base[POLLSIG_LEN + 1], other[POLLSIG_LEN + 1];

	ck_assert_int_eq(pollsig_sign(base, 1700000000LL, "/poll/chat/42", "abc", "k"), 0);
	ck_assert_int_eq(pollsig_sign(other, 1700000001LL, "/poll/chat/42", "abc", "k"), 0);
	ck_assert_str_ne(base, other);
	ck_assert_int_eq(pollsig_sign(other, 1700000000LL, "/poll/chat/43", "abc", "k"), 0);
	ck_assert_str_ne(base, other);
	ck_assert_int_eq(pollsig_sign(other, 1700000000LL, "/poll/chat/42", "abd", "k"), 0);
	ck_assert_str_ne(base, other);
	ck_assert_int_eq(pollsig_sign(other, 1700000000LL, "/poll/chat/42", "abc", "K"), 0);
	ck_assert_str_ne(base, other);
}
END_TEST

START_TEST(test_null_refused)
{
	char sig[POLLSIG_LEN + 1];

	ck_assert_int_eq(pollsig_sign(sig, 1, NULL, "s", "k"), -1);
	ck_assert_int_eq(pollsig_sign(sig, 1, "/poll/chat/1", NULL, "k"), -1);
	ck_assert_int_eq(pollsig_sign(sig, 1, "/poll/chat/1", "s", NULL), -1);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("pollsig");

	tcase_add_test(tc, test_known_vectors);
	tcase_add_test(tc, test_every_part_counts);
	tcase_add_test(tc, test_null_refused);
	return tcase_run_alone("pollsig", tc);
}
