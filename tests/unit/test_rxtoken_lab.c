/* test_rxtoken_lab: the lab report's token (issue 11): signed with the
 * prescription keys and judged by the same verdicts, yet never taken for
 * a prescription's (nor the other way round), and the digest of a
 * report's released results pinned to the bytes docs/lab-results.md
 * defines. */
#include <check.h>
#include <stddef.h>

#include "../check_util.h"
#include "rxtoken_test.h"
#include "lib/hex.h"

static const struct lab_digest_row rows[] = {
	{ 100, "2345-7", "5.4", "mmol/L", "high" },
	{ 103, "5811-5", "negativo", "", NULL },
};

/* A lab token for order id issued on day, signed by priv. */
static void
lab_token(const unsigned char *priv, long long id, long day, char *out)
{
	struct rxtoken t = { .prescription_id = id, .issued_day = day, .expires_day = RXTOKEN_DAY_MAX,
	                     .kind = RXTOKEN_KIND_LAB };

	memset(t.digest, 0x5a, sizeof(t.digest));
	ck_assert_int_eq(rxtoken_encode(&t, priv, out, RXTOKEN_TEXT_LEN + 1), RXTOKEN_TEXT_LEN);
}

START_TEST(test_lab_round_trip)
{
	struct rxfix f;
	struct rxtoken t;
	char text[RXTOKEN_TEXT_LEN + 1];

	rxfix_init(&f);
	lab_token(f.cur_priv, 42, DAY0, text);
	ck_assert_int_eq(rxtoken_decode_kind(text, RXTOKEN_KIND_LAB, &t), 0);
	ck_assert_int_eq(t.kind, RXTOKEN_KIND_LAB);
	ck_assert_int_eq(t.prescription_id, 42);
	ck_assert_int_eq(t.expires_day, RXTOKEN_DAY_MAX);
	/* the same verdicts as a prescription's, with the same keys */
	ck_assert_int_eq(rxtoken_verify(&t, &f.keys, DAY0 + 3000), RXTOKEN_OK);
	ck_assert_int_eq(rxtoken_verify(&t, &f.keys, DAY0 - 1), RXTOKEN_NOT_YET_VALID);
	lab_token(f.old_priv, 42, DAY0 - 5, text);          /* rotated since: still genuine */
	ck_assert_int_eq(rxtoken_decode_kind(text, RXTOKEN_KIND_LAB, &t), 0);
	ck_assert_int_eq(rxtoken_verify(&t, &f.keys, DAY0 + 1), RXTOKEN_OK);
	lab_token(f.rev_priv, 42, DAY0 - 150, text);        /* revoked: nothing */
	ck_assert_int_eq(rxtoken_decode_kind(text, RXTOKEN_KIND_LAB, &t), 0);
	ck_assert_int_eq(rxtoken_verify(&t, &f.keys, DAY0), RXTOKEN_REVOKED_KEY);
	lab_token(f.stranger_priv, 42, DAY0, text);
	ck_assert_int_eq(rxtoken_decode_kind(text, RXTOKEN_KIND_LAB, &t), 0);
	ck_assert_int_eq(rxtoken_verify(&t, &f.keys, DAY0), RXTOKEN_UNKNOWN_KEY);
}
END_TEST

START_TEST(test_kinds_apart)
{
	struct rxfix f;
	struct rxtoken t;
	char lab[RXTOKEN_TEXT_LEN + 1], rx[RXTOKEN_TEXT_LEN + 1];

	rxfix_init(&f);
	lab_token(f.cur_priv, 42, DAY0, lab);
	rxfix_token(f.cur_priv, 42, DAY0, rx);
	/* each text decodes only as its own kind */
	ck_assert_int_eq(rxtoken_decode(lab, &t), -1);
	ck_assert_int_eq(rxtoken_check(lab, &f.keys, DAY0, &t), RXTOKEN_MALFORMED);
	ck_assert_int_eq(rxtoken_decode_kind(rx, RXTOKEN_KIND_LAB, &t), -1);
	ck_assert_int_eq(rxtoken_decode_kind(rx, RXTOKEN_KIND__MAX, &t), -1);
	/* a prescription's signature relabelled as a lab report's (same
	 * bytes, version byte and kind changed) does not verify: the signed
	 * text names the kind */
	ck_assert_int_eq(rxtoken_decode(rx, &t), 0);
	t.kind = RXTOKEN_KIND_LAB;
	ck_assert_int_eq(rxtoken_verify(&t, &f.keys, DAY0), RXTOKEN_BAD_SIGNATURE);
	ck_assert_int_eq(rxtoken_decode_kind(lab, RXTOKEN_KIND_LAB, &t), 0);
	t.kind = RXTOKEN_KIND_RX;
	ck_assert_int_eq(rxtoken_verify(&t, &f.keys, DAY0), RXTOKEN_BAD_SIGNATURE);
}
END_TEST

START_TEST(test_lab_digest_text)
{
	/* python3: hashlib.sha256(<the text below>).hexdigest() */
	static const char want_sha[] = "54f62a8a4923658ca1b0ed486355c8feca38658496660b33998cbb7dbc827804";
	static const char want[] =
		"medsys-lab-1\npatient:7\norder:42\nresults:2\n"
		"result:100\nanalyte:6\n2345-7\nvalue:3\n5.4\nunit:6\nmmol/L\nflag:4\nhigh\n"
		"result:103\nanalyte:6\n5811-5\nvalue:8\nnegativo\nunit:0\n\nflag:0\n\n";
	struct lab_digest_row r[2] = { rows[0], rows[1] };
	unsigned char d[RX_DIGEST_BYTES], d2[RX_DIGEST_BYTES];
	char text[512], hex[2 * RX_DIGEST_BYTES + 1];

	ck_assert_int_eq(lab_canonical_text(7, 42, r, 2, text, sizeof(text)), (long)strlen(want));
	ck_assert_str_eq(text, want);
	ck_assert_int_eq(lab_digest(7, 42, r, 2, d), 0);
	hex_encode(d, RX_DIGEST_BYTES, hex);
	ck_assert_str_eq(hex, want_sha);
	/* a correction is another result row: the digest changes */
	r[0].result_id = 104;
	ck_assert_int_eq(lab_digest(7, 42, r, 2, d2), -1);     /* ids must increase */
	r[0] = rows[1];
	r[1] = rows[0];
	r[1].result_id = 104;
	ck_assert_int_eq(lab_digest(7, 42, r, 2, d2), 0);
	ck_assert_int_ne(memcmp(d, d2, sizeof(d)), 0);
	/* another order or patient, the same rows: another digest */
	ck_assert_int_eq(lab_digest(7, 43, rows, 2, d2), 0);
	ck_assert_int_ne(memcmp(d, d2, sizeof(d)), 0);
	ck_assert_int_eq(lab_digest(8, 42, rows, 2, d2), 0);
	ck_assert_int_ne(memcmp(d, d2, sizeof(d)), 0);
}
END_TEST

TCase *
rxtoken_lab_tcase(void)
{
	TCase *tc = tcase_create("rxtoken_lab");

	tcase_list_add(tc, test_lab_round_trip, test_kinds_apart, test_lab_digest_text, NULL);
	return tc;
}
