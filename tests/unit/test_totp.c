/* test_totp: RFC 6238 / RFC 4226 vectors, the verify window and replay
 * rule, base32 (RFC 4648 vectors) and the otpauth:// URI. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/totp.h"

static const unsigned char rfc_key[] = "12345678901234567890";
#define RFC_KEYLEN 20

/* A time inside step s, and the 6-digit code of step s as typed. */
#define T_OF(s) ((uint64_t)(s) * TOTP_STEP + 7)

static void
code_str(uint64_t step, char out[24])
{
	long c = totp_code_at_step(rfc_key, RFC_KEYLEN, step, TOTP_DIGITS);

	ck_assert_int_ge(c, 0);
	snprintf(out, 24, "%06ld", c);
}

START_TEST(test_rfc6238_sha1)
{
	static const struct {
		uint64_t t;
		long code;
	} v[] = {
		{ 59, 94287082 }, { 1111111109, 7081804 },
		{ 1111111111, 14050471 }, { 1234567890, 89005924 },
		{ 2000000000, 69279037 }, { 20000000000ULL, 65353130 },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		ck_assert_int_eq(totp_code_at_step(rfc_key, RFC_KEYLEN,
		                                   v[i].t / TOTP_STEP, 8),
		                 v[i].code);
}
END_TEST

START_TEST(test_rfc4226_hotp)
{
	static const long want[10] = {
		755224, 287082, 359152, 969429, 338314,
		254676, 287922, 162583, 399871, 520489,
	};
	uint64_t c;

	for (c = 0; c < 10; c++)
		ck_assert_int_eq(totp_code_at_step(rfc_key, RFC_KEYLEN, c, 6),
		                 want[c]);
}
END_TEST

START_TEST(test_code_bad_args)
{
	ck_assert_int_eq(totp_code_at_step(rfc_key, RFC_KEYLEN, 1, 5), -1);
	ck_assert_int_eq(totp_code_at_step(rfc_key, RFC_KEYLEN, 1, 9), -1);
	ck_assert_int_eq(totp_code_at_step(NULL, 4, 1, 6), -1);
	ck_assert_int_ge(totp_code_at_step(rfc_key, RFC_KEYLEN, 1, 7), 0);
}
END_TEST

START_TEST(test_verify_window)
{
	const uint64_t s = 40000000;
	uint64_t m = 0;
	char c[24];

	code_str(s, c);
	ck_assert_int_eq(totp_verify(rfc_key, RFC_KEYLEN, c, T_OF(s), 1, 0, &m), 1);
	ck_assert_uint_eq(m, s);
	code_str(s - 1, c);
	ck_assert_int_eq(totp_verify(rfc_key, RFC_KEYLEN, c, T_OF(s), 1, 0, &m), 1);
	ck_assert_uint_eq(m, s - 1);
	code_str(s + 1, c);
	ck_assert_int_eq(totp_verify(rfc_key, RFC_KEYLEN, c, T_OF(s), 1, 0, &m), 1);
	ck_assert_uint_eq(m, s + 1);
	code_str(s - 2, c);
	ck_assert_int_eq(totp_verify(rfc_key, RFC_KEYLEN, c, T_OF(s), 1, 0, &m), 0);
	code_str(s + 2, c);
	ck_assert_int_eq(totp_verify(rfc_key, RFC_KEYLEN, c, T_OF(s), 1, 0, &m), 0);
	/* Window 0: only the current step. */
	code_str(s + 1, c);
	ck_assert_int_eq(totp_verify(rfc_key, RFC_KEYLEN, c, T_OF(s), 0, 0, &m), 0);
	/* Near the epoch the window does not wrap below step 0. */
	code_str(1, c);
	ck_assert_int_eq(totp_verify(rfc_key, RFC_KEYLEN, c, 5, 1, 0, &m), 1);
	ck_assert_uint_eq(m, 1);
}
END_TEST

START_TEST(test_verify_replay)
{
	const uint64_t s = 40000000;
	uint64_t m = 0;
	char c[24];

	code_str(s, c);
	ck_assert_int_eq(totp_verify(rfc_key, RFC_KEYLEN, c, T_OF(s), 1, s, &m), 0);
	ck_assert_int_eq(totp_verify(rfc_key, RFC_KEYLEN, c, T_OF(s), 1, s + 1, &m), 0);
	ck_assert_int_eq(totp_verify(rfc_key, RFC_KEYLEN, c, T_OF(s), 1, s - 1, &m), 1);
	ck_assert_uint_eq(m, s);
	/* An older code after a newer one was used: refused. */
	code_str(s - 1, c);
	ck_assert_int_eq(totp_verify(rfc_key, RFC_KEYLEN, c, T_OF(s), 1, s, &m), 0);
}
END_TEST

START_TEST(test_verify_input_forms)
{
	const uint64_t s = 40000000;
	char c[24], typed[32];
	uint64_t m;

	code_str(s, c);
	snprintf(typed, sizeof(typed), " %.3s %.3s ", c, c + 3);
	ck_assert_int_eq(totp_verify(rfc_key, RFC_KEYLEN, typed, T_OF(s), 1, 0, &m), 1);
	snprintf(typed, sizeof(typed), "%s0", c);
	ck_assert_int_eq(totp_verify(rfc_key, RFC_KEYLEN, typed, T_OF(s), 1, 0, &m), 0);
	ck_assert_int_eq(totp_verify(rfc_key, RFC_KEYLEN, c + 1, T_OF(s), 1, 0, &m), 0);
	snprintf(typed, sizeof(typed), "%.5sx", c);
	ck_assert_int_eq(totp_verify(rfc_key, RFC_KEYLEN, typed, T_OF(s), 1, 0, &m), 0);
	snprintf(typed, sizeof(typed), "-%.5s", c);
	ck_assert_int_eq(totp_verify(rfc_key, RFC_KEYLEN, typed, T_OF(s), 1, 0, &m), 0);
	snprintf(typed, sizeof(typed), "%.3s\t%.3s", c, c + 3);
	ck_assert_int_eq(totp_verify(rfc_key, RFC_KEYLEN, typed, T_OF(s), 1, 0, &m), 0);
	ck_assert_int_eq(totp_verify(rfc_key, RFC_KEYLEN, "", T_OF(s), 1, 0, &m), 0);
	ck_assert_int_eq(totp_verify(rfc_key, RFC_KEYLEN, "      ", T_OF(s), 1, 0, &m), 0);
	ck_assert_int_eq(totp_verify(rfc_key, RFC_KEYLEN, NULL, T_OF(s), 1, 0, &m), 0);
}
END_TEST

START_TEST(test_base32_rfc4648)
{
	static const char *const v[][2] = {
		{ "", "" }, { "f", "MY" }, { "fo", "MZXQ" }, { "foo", "MZXW6" },
		{ "foob", "MZXW6YQ" }, { "fooba", "MZXW6YTB" },
		{ "foobar", "MZXW6YTBOI" },
	};
	unsigned char dec[16];
	char enc[32];
	size_t i, n;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		n = strlen(v[i][0]);
		ck_assert_uint_eq(base32_encoded_len(n), strlen(v[i][1]));
		ck_assert_uint_eq(base32_encode((const unsigned char *)v[i][0], n, enc),
		                  strlen(v[i][1]));
		ck_assert_str_eq(enc, v[i][1]);
		ck_assert_int_eq(base32_decode(v[i][1], dec, sizeof(dec)), (long)n);
		ck_assert(memcmp(dec, v[i][0], n) == 0);
	}
	/* Padding, lower case and spaces are accepted. */
	ck_assert_int_eq(base32_decode("mzxw 6ytb oi======", dec, sizeof(dec)), 6);
	ck_assert(memcmp(dec, "foobar", 6) == 0);
	ck_assert_int_eq(base32_decode("MY======", dec, sizeof(dec)), 1);
}
END_TEST

START_TEST(test_base32_roundtrip)
{
	unsigned char in[TOTP_SECRET_BYTES + 7], out[sizeof(in)];
	char enc[64];
	size_t n, i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 37 + 11);
	for (n = 0; n <= sizeof(in); n++) {
		ck_assert_uint_eq(base32_encode(in, n, enc), base32_encoded_len(n));
		ck_assert_int_eq(base32_decode(enc, out, sizeof(out)), (long)n);
		ck_assert(memcmp(in, out, n) == 0);
	}
	ck_assert_uint_eq(base32_encoded_len(TOTP_SECRET_BYTES), 32);
}
END_TEST

START_TEST(test_base32_malformed)
{
	unsigned char out[16];

	ck_assert_int_eq(base32_decode("MZXW1", out, sizeof(out)), -1);  /* '1' */
	ck_assert_int_eq(base32_decode("MZ-XW", out, sizeof(out)), -1);
	ck_assert_int_eq(base32_decode("M", out, sizeof(out)), -1);      /* 1 left */
	ck_assert_int_eq(base32_decode("MZX", out, sizeof(out)), -1);    /* 3 left */
	ck_assert_int_eq(base32_decode("MZXW6Y", out, sizeof(out)), -1); /* 6 left */
	ck_assert_int_eq(base32_decode("MZ", out, sizeof(out)), -1);     /* bits set */
	ck_assert_int_eq(base32_decode("MZXW6YTBOI", out, 5), -1);       /* too small */
	ck_assert_int_eq(base32_decode(NULL, out, sizeof(out)), -1);
	ck_assert_int_eq(base32_decode("MZXW\xc3\xa9", out, sizeof(out)), -1);
}
END_TEST

START_TEST(test_uri)
{
	const char *want = "otpauth://totp/Cl%C3%ADnica%20Sur:ana%40example.com"
	                   "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	                   "&issuer=Cl%C3%ADnica%20Sur"
	                   "&algorithm=SHA1&digits=6&period=30";
	char out[256], small[40];
	char b32[64];

	base32_encode(rfc_key, RFC_KEYLEN, b32);
	ck_assert_int_eq(totp_uri(out, sizeof(out), "Cl\xc3\xadnica Sur",
	                          "ana@example.com", b32), (int)strlen(want));
	ck_assert_str_eq(out, want);
	ck_assert_int_eq(totp_uri(out, sizeof(out), "Med Sys", "a:b", "AB"),
	                 (int)strlen(out));
	ck_assert_str_eq(out, "otpauth://totp/Med%20Sys:a%3Ab?secret=AB"
	                 "&issuer=Med%20Sys&algorithm=SHA1&digits=6&period=30");
	ck_assert_int_eq(totp_uri(small, sizeof(small), "Med Sys", "ana@x", b32), -1);
	ck_assert_str_eq(small, "");
	ck_assert_int_eq(totp_uri(out, strlen(want), "Cl\xc3\xadnica Sur",
	                          "ana@example.com", b32), -1);
	ck_assert_int_eq(totp_uri(out, strlen(want) + 1, "Cl\xc3\xadnica Sur",
	                          "ana@example.com", b32), (int)strlen(want));
	ck_assert_int_eq(totp_uri(out, sizeof(out), NULL, "a", "AB"), -1);
}
END_TEST

static Suite *
totp_suite(void)
{
	Suite *s = suite_create("totp");
	TCase *tc = tcase_create("codes");

	tcase_add_test(tc, test_rfc6238_sha1);
	tcase_add_test(tc, test_rfc4226_hotp);
	tcase_add_test(tc, test_code_bad_args);
	tcase_add_test(tc, test_verify_window);
	tcase_add_test(tc, test_verify_replay);
	tcase_add_test(tc, test_verify_input_forms);
	suite_add_tcase(s, tc);
	tc = tcase_create("base32");
	tcase_add_test(tc, test_base32_rfc4648);
	tcase_add_test(tc, test_base32_roundtrip);
	tcase_add_test(tc, test_base32_malformed);
	tcase_add_test(tc, test_uri);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(totp_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
