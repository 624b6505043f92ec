/* test_notehash: the canonical text of a visit note and of an addendum is
 * exactly the one docs/record.md defines (byte lengths, fixed field order,
 * distinct codes in byte order), its SHA-256 is the one sha256sum gives
 * for that text (printf ... | sha256sum), every field counts, and CRLF
 * from a browser becomes LF. */
#include <check.h>

#include "../check_util.h"
#include <stdlib.h>
#include <string.h>

#include "lib/notehash.h"

/* printf 'medsys-note-1\nencounter:42\nsubjective:28\nTos seca desde hace 5 días.\n
 * objective:0\n\nassessment:13\nBronquitis\n2.\ndiagnoses:2\nI10\nJ20.9\n
 * plan:11\nReposo.\nÑu\n' | sha256sum */
static const char note_sha[] = "3d2791ed88dd8d9de5fabf3150f8569293b1d5b8e8f75e02bbdef304d41fd6af";
/* printf 'medsys-addendum-1\nencounter:42\nnote:<note_sha>\nbody:17\nSe añade: 39 °C\n' | sha256sum */
static const char addendum_sha[] = "21ecfb1038df779d04822fd6a74a4dae1bbeea81f013db62db31e76c37ffa20b";

static const char *const codes[] = { "J20.9", "I10", "J20.9" };

static struct note_content
sample(void)
{
	struct note_content n = { 42, "Tos seca desde hace 5 d\xc3\xad" "as.", "", "Bronquitis\n2.",
	                          "Reposo.\n\xc3\x91u", codes, 3 };
	return n;
}

static void
hash_of(const struct note_content *n, char out[NOTEHASH_HEX + 1])
{
	char text[1024];
	long len = notehash_note_text(n, text, sizeof(text));

	ck_assert_int_gt(len, 0);
	ck_assert_int_lt(len, (long)sizeof(text));
	ck_assert_int_eq(notehash_sha256_hex(text, (size_t)len, out), 0);
}

START_TEST(test_note_text_exact)
{
	struct note_content n = sample();
	const char *want = "medsys-note-1\nencounter:42\nsubjective:28\nTos seca desde hace 5 d\xc3\xad" "as.\n"
	                   "objective:0\n\nassessment:13\nBronquitis\n2.\ndiagnoses:2\nI10\nJ20.9\n"
	                   "plan:11\nReposo.\n\xc3\x91u\n";
	char text[1024], hex[NOTEHASH_HEX + 1];

	/* size first, like snprintf; then the text itself */
	ck_assert_int_eq(notehash_note_text(&n, NULL, 0), (long)strlen(want));
	ck_assert_int_eq(notehash_note_text(&n, text, sizeof(text)), (long)strlen(want));
	ck_assert_str_eq(text, want);
	hash_of(&n, hex);
	ck_assert_str_eq(hex, note_sha);
	/* a buffer too small is cut and terminated, the full length returned */
	ck_assert_int_eq(notehash_note_text(&n, text, 10), (long)strlen(want));
	ck_assert_str_eq(text, "medsys-no");
}
END_TEST

/* Order and repetition of the chosen codes do not matter; each field does. */
START_TEST(test_note_fields_count)
{
	static const char *const other_order[] = { "I10", "J20.9" };
	static const char *const fewer[] = { "I10" };
	struct note_content n = sample();
	char base[NOTEHASH_HEX + 1], h[NOTEHASH_HEX + 1];

	hash_of(&n, base);
	n.codes = other_order;
	n.ncodes = 2;
	hash_of(&n, h);
	ck_assert_str_eq(h, base);
	n.codes = fewer;
	n.ncodes = 1;
	hash_of(&n, h);
	ck_assert_str_ne(h, base);
	n = sample();
	n.encounter_id = 43;
	hash_of(&n, h);
	ck_assert_str_ne(h, base);
	/* text moved from one section to the next changes the hash */
	n = sample();
	n.subjective = "Tos seca desde hace 5 d\xc3\xad" "as.\nobjective:0\n";
	n.objective = "";
	hash_of(&n, h);
	ck_assert_str_ne(h, base);
	n = sample();
	n.plan = "Reposo.\n\xc3\x91u ";
	hash_of(&n, h);
	ck_assert_str_ne(h, base);
}
END_TEST

START_TEST(test_too_many_codes)
{
	const char *many[NOTEHASH_MAX_CODES + 1];
	struct note_content n = sample();

	for (size_t i = 0; i <= NOTEHASH_MAX_CODES; i++)
		many[i] = "I10";
	n.codes = many;
	n.ncodes = NOTEHASH_MAX_CODES + 1;
	ck_assert_int_eq(notehash_note_text(&n, NULL, 0), -1);
	n.ncodes = NOTEHASH_MAX_CODES;   /* 32 times the same code: one diagnosis */
	ck_assert_int_gt(notehash_note_text(&n, NULL, 0), 0);
}
END_TEST

START_TEST(test_addendum)
{
	char text[512], hex[NOTEHASH_HEX + 1];
	long len = notehash_addendum_text(42, note_sha, "Se a\xc3\xb1" "ade: 39 \xc2\xb0" "C", text, sizeof(text));

	ck_assert_int_gt(len, 0);
	ck_assert_int_eq(notehash_sha256_hex(text, (size_t)len, hex), 0);
	ck_assert_str_eq(hex, addendum_sha);
	/* chained: another note's hash gives another addendum hash */
	len = notehash_addendum_text(42, addendum_sha, "Se a\xc3\xb1" "ade: 39 \xc2\xb0" "C", text, sizeof(text));
	ck_assert_int_eq(notehash_sha256_hex(text, (size_t)len, hex), 0);
	ck_assert_str_ne(hex, addendum_sha);
}
END_TEST

START_TEST(test_newlines)
{
	char s[] = "a\r\nb\rc\n\r\nd\r";

	notehash_normalize_newlines(s);
	ck_assert_str_eq(s, "a\nb\nc\n\nd\n");
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("notehash");

	tcase_add_test(tc, test_note_text_exact);
	tcase_add_test(tc, test_note_fields_count);
	tcase_add_test(tc, test_too_many_codes);
	tcase_add_test(tc, test_addendum);
	tcase_add_test(tc, test_newlines);
	return tcase_run_alone("notehash", tc);
}
