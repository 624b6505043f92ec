/* test_token: random hex, SHA-256 and its bytea form, constant-time
 * equality, recovery codes. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/token.h"

#define NTOKENS 1000

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

START_TEST(test_random_hex_form)
{
	char out[2 * 100 + 1];
	size_t n, i;

	for (n = 0; n <= 100; n += 1) {
		memset(out, 'Z', sizeof(out));
		ck_assert_int_eq(token_random_hex(out, n), 0);
		ck_assert_uint_eq(strlen(out), 2 * n);
		for (i = 0; i < 2 * n; i++)
			ck_assert_ptr_nonnull(strchr("0123456789abcdef", out[i]));
	}
	ck_assert_int_eq(token_random_hex(NULL, 4), -1);
}
END_TEST

START_TEST(test_random_hex_distinct)
{
	static char buf[NTOKENS][65];
	char *v[NTOKENS];
	size_t i;

	for (i = 0; i < NTOKENS; i++) {
		ck_assert_int_eq(token_random_hex(buf[i], 32), 0);
		v[i] = buf[i];
	}
	qsort(v, NTOKENS, sizeof(v[0]), cmp_str);
	for (i = 1; i < NTOKENS; i++)
		ck_assert_str_ne(v[i - 1], v[i]);
}
END_TEST

START_TEST(test_random_bytes)
{
	unsigned char a[64], b[64];
	int counts[256] = { 0 };
	unsigned char big[4096];
	size_t i;

	ck_assert_int_eq(token_random_bytes(a, sizeof(a)), 0);
	ck_assert_int_eq(token_random_bytes(b, sizeof(b)), 0);
	ck_assert(memcmp(a, b, sizeof(a)) != 0);
	ck_assert_int_eq(token_random_bytes(NULL, 0), 0);
	ck_assert_int_eq(token_random_bytes(NULL, 1), -1);
	/* Crude sanity: 4096 bytes hit most of the 256 values. */
	ck_assert_int_eq(token_random_bytes(big, sizeof(big)), 0);
	for (i = 0; i < sizeof(big); i++)
		counts[big[i]]++;
	for (i = 0; i < 256; i++)
		ck_assert_int_lt(counts[i], 64);
}
END_TEST

START_TEST(test_sha256)
{
	static const unsigned char abc[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
		0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
		0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	unsigned char md[32];
	char bytea[67];

	token_sha256("abc", md);
	ck_assert(memcmp(md, abc, 32) == 0);
	token_sha256_bytea("abc", bytea);
	ck_assert_uint_eq(strlen(bytea), 66);
	ck_assert_str_eq(bytea, "\\xba7816bf8f01cfea414140de5dae2223"
	                        "b00361a396177a9cb410ff61f20015ad");
	token_sha256_bytea("", bytea);
	ck_assert_str_eq(bytea, "\\xe3b0c44298fc1c149afbf4c8996fb924"
	                        "27ae41e4649b934ca495991b7852b855");
}
END_TEST

START_TEST(test_equal)
{
	ck_assert_int_eq(token_equal("abcdef", "abcdef"), 1);
	ck_assert_int_eq(token_equal("", ""), 1);
	ck_assert_int_eq(token_equal("abcdef", "abcdeg"), 0);
	ck_assert_int_eq(token_equal("bbcdef", "abcdef"), 0);
	ck_assert_int_eq(token_equal("abcdef", "abcde"), 0);
	ck_assert_int_eq(token_equal("abcde", "abcdef"), 0);
	ck_assert_int_eq(token_equal("", "a"), 0);
	ck_assert_int_eq(token_equal(NULL, "a"), 0);
	ck_assert_int_eq(token_equal("a", NULL), 0);
	ck_assert_int_eq(token_equal(NULL, NULL), 0);
}
END_TEST

START_TEST(test_recovery_code)
{
	const char *alphabet = "23456789abcdefghjkmnpqrstuvwxyz";
	int seen[256] = { 0 };
	char code[15];
	size_t i, k, distinct = 0;

	for (k = 0; k < 500; k++) {
		memset(code, 'Z', sizeof(code));
		ck_assert_int_eq(token_recovery_code(code), 0);
		ck_assert_uint_eq(strlen(code), 14);
		for (i = 0; i < 14; i++) {
			if (i == 4 || i == 9) {
				ck_assert_int_eq(code[i], '-');
				continue;
			}
			ck_assert_ptr_nonnull(strchr(alphabet, code[i]));
			seen[(unsigned char)code[i]]++;
		}
	}
	for (i = 0; i < 256; i++)
		distinct += seen[i] > 0;
	ck_assert_uint_eq(distinct, strlen(alphabet));
	/* None of the look-alikes ever appears. */
	ck_assert_int_eq(seen['0'] + seen['1'] + seen['o'] + seen['O'] +
	                 seen['l'] + seen['I'] + seen['i'], 0);
}
END_TEST

static Suite *
token_suite(void)
{
	Suite *s = suite_create("token");
	TCase *tc = tcase_create("token");

	tcase_add_test(tc, test_random_hex_form);
	tcase_add_test(tc, test_random_hex_distinct);
	tcase_add_test(tc, test_random_bytes);
	tcase_add_test(tc, test_sha256);
	tcase_add_test(tc, test_equal);
	tcase_add_test(tc, test_recovery_code);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(token_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
