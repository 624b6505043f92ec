/* test_rxtoken: the prescription token a QR carries: encode/decode round
 * trip, signature and the verdicts a pharmacist sees (rotation keeps old
 * prescriptions genuine, a revoked key verifies nothing, expiry, a token
 * from the future), the digest's canonical text (the bytes docs and SQL
 * define, hashed as sha256sum would), the published keys JSON read
 * strictly, and the whole verification URL fitting a QR of version <= 10
 * at level M with a 60-character host (libqrencode). */
#include <check.h>
#include <qrencode.h>
#include <stddef.h>

#include "../check_util.h"
#include "rxtoken_test.h"
#include "lib/datetime.h"
#include "lib/hex.h"
#include "lib/totp.h"

void
rxfix_init(struct rxfix *f)
{
	unsigned char pub[SIGN_PUBLIC_BYTES];

	memset(f, 0, sizeof(*f));
	ck_assert_int_eq(sign_keypair(pub, f->old_priv), 0);
	ck_assert_int_eq(rxkeys_add(&f->keys, pub, DAY0 - 100, DAY0, -1), 0);
	ck_assert_int_eq(sign_keypair(pub, f->cur_priv), 0);
	ck_assert_int_eq(rxkeys_add(&f->keys, pub, DAY0, -1, -1), 0);
	ck_assert_int_eq(sign_keypair(pub, f->rev_priv), 0);
	ck_assert_int_eq(rxkeys_add(&f->keys, pub, DAY0 - 200, DAY0 - 100, DAY0 - 50), 0);
	ck_assert_int_eq(sign_keypair(pub, f->stranger_priv), 0);
}

void
rxfix_token(const unsigned char *priv, long long id, long day, char *out)
{
	struct rxtoken t = { .prescription_id = id, .issued_day = day, .expires_day = day + 10 };

	for (int i = 0; i < RXTOKEN_DIGEST_BYTES; i++)
		t.digest[i] = (unsigned char)(i * 7 + id);
	ck_assert_int_eq(rxtoken_encode(&t, priv, out, RXTOKEN_TEXT_LEN + 1), RXTOKEN_TEXT_LEN);
}

START_TEST(test_round_trip)
{
	struct rxfix f;
	struct rxtoken t = { .prescription_id = 9007199254740993LL, .issued_day = DAY0,
	                     .expires_day = DAY0 + 10 }, back;
	char text[RXTOKEN_TEXT_LEN + 1], again[RXTOKEN_TEXT_LEN + 1];

	rxfix_init(&f);
	memset(t.digest, 0xa5, sizeof(t.digest));
	ck_assert_int_eq(rxtoken_encode(&t, f.cur_priv, text, sizeof(text)), RXTOKEN_TEXT_LEN);
	ck_assert_uint_eq(strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), RXTOKEN_TEXT_LEN);
	ck_assert_int_eq(rxtoken_decode(text, &back), 0);
	ck_assert_int_eq(back.prescription_id, t.prescription_id);
	ck_assert_mem_eq(back.digest, t.digest, RXTOKEN_DIGEST_BYTES);
	ck_assert_int_eq(back.issued_day, DAY0);
	ck_assert_int_eq(back.expires_day, DAY0 + 10);
	ck_assert_mem_eq(back.key_id, f.keys.key[1].key_id, RXKEYS_ID_BYTES);
	/* Ed25519 is deterministic: the same content signs to the same text */
	ck_assert_int_eq(rxtoken_encode(&back, f.cur_priv, again, sizeof(again)), RXTOKEN_TEXT_LEN);
	ck_assert_str_eq(again, text);
	/* fields that do not fit are refused, not wrapped */
	t.expires_day = DAY0 - 1;
	ck_assert_int_eq(rxtoken_encode(&t, f.cur_priv, text, sizeof(text)), -1);
	t.expires_day = RXTOKEN_DAY_MAX + 1;
	ck_assert_int_eq(rxtoken_encode(&t, f.cur_priv, text, sizeof(text)), -1);
	t.expires_day = DAY0;
	t.prescription_id = 0;
	ck_assert_int_eq(rxtoken_encode(&t, f.cur_priv, text, sizeof(text)), -1);
	t.prescription_id = 1;
	ck_assert_int_eq(rxtoken_encode(&t, f.cur_priv, text, RXTOKEN_TEXT_LEN), -1);
}
END_TEST

START_TEST(test_decode_strict)
{
	struct rxfix f;
	struct rxtoken t;
	char text[RXTOKEN_TEXT_LEN + 2];

	rxfix_init(&f);
	rxfix_token(f.cur_priv, 42, DAY0, text);
	ck_assert_int_eq(rxtoken_decode(text, &t), 0);
	text[5] = (char)(text[5] - 'A' + 'a');   /* lower case: another spelling */
	ck_assert_int_eq(rxtoken_decode(text, &t), -1);
	ck_assert_int_eq(t.prescription_id, 0);
	rxfix_token(f.cur_priv, 42, DAY0, text);
	{   /* the last symbol's two low bits are padding: they must be zero */
		static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
		long v = strchr(b32, text[RXTOKEN_TEXT_LEN - 1]) - b32;
		ck_assert_int_eq(v & 3, 0);
		text[RXTOKEN_TEXT_LEN - 1] = b32[v | 1];
		ck_assert_int_eq(rxtoken_decode(text, &t), -1);
	}
	rxfix_token(f.cur_priv, 42, DAY0, text);
	strcat(text, "A");
	ck_assert_int_eq(rxtoken_decode(text, &t), -1);
	ck_assert_int_eq(rxtoken_decode("", &t), -1);
	ck_assert_int_eq(rxtoken_decode(NULL, &t), -1);
	ck_assert_int_eq(rxtoken_check("not a token", &f.keys, DAY0, &t), RXTOKEN_MALFORMED);
}
END_TEST

START_TEST(test_verdicts)
{
	struct rxfix f;
	struct rxtoken t;
	char text[RXTOKEN_TEXT_LEN + 1];

	rxfix_init(&f);
	/* the current key, in date from the issue day to the expiry day */
	rxfix_token(f.cur_priv, 42, DAY0 + 3, text);
	ck_assert_int_eq(rxtoken_check(text, &f.keys, DAY0 + 3, &t), RXTOKEN_OK);
	ck_assert_int_eq(t.prescription_id, 42);
	ck_assert_int_eq(rxtoken_check(text, &f.keys, DAY0 + 13, &t), RXTOKEN_OK);
	ck_assert_int_eq(rxtoken_check(text, &f.keys, DAY0 + 14, &t), RXTOKEN_EXPIRED);
	ck_assert_int_eq(rxtoken_check(text, &f.keys, DAY0 + 2, &t), RXTOKEN_NOT_YET_VALID);
	/* rotation: the old key still verifies what it signed until valid_until */
	rxfix_token(f.old_priv, 43, DAY0 - 5, text);
	ck_assert_int_eq(rxtoken_check(text, &f.keys, DAY0, &t), RXTOKEN_OK);
	rxfix_token(f.old_priv, 43, DAY0, text);
	ck_assert_int_eq(rxtoken_check(text, &f.keys, DAY0 + 1, &t), RXTOKEN_OK);
	/* ...but not what it claims to have signed after it was retired */
	rxfix_token(f.old_priv, 43, DAY0 + 1, text);
	ck_assert_int_eq(rxtoken_check(text, &f.keys, DAY0 + 1, &t), RXTOKEN_KEY_NOT_VALID);
	/* nor the new key before its start */
	rxfix_token(f.cur_priv, 44, DAY0 - 1, text);
	ck_assert_int_eq(rxtoken_check(text, &f.keys, DAY0, &t), RXTOKEN_KEY_NOT_VALID);
	/* a revoked key verifies nothing, even within its old validity */
	rxfix_token(f.rev_priv, 45, DAY0 - 150, text);
	ck_assert_int_eq(rxtoken_check(text, &f.keys, DAY0 - 149, &t), RXTOKEN_REVOKED_KEY);
	/* a key nobody published */
	rxfix_token(f.stranger_priv, 46, DAY0, text);
	ck_assert_int_eq(rxtoken_check(text, &f.keys, DAY0, &t), RXTOKEN_UNKNOWN_KEY);
	/* a changed field breaks the signature */
	rxfix_token(f.cur_priv, 47, DAY0, text);
	ck_assert_int_eq(rxtoken_decode(text, &t), 0);
	t.expires_day += 30;
	ck_assert_int_eq(rxtoken_verify(&t, &f.keys, DAY0), RXTOKEN_BAD_SIGNATURE);
	/* the split the server uses (a kept signature answer) agrees */
	ck_assert_int_eq(rxtoken_signature_ok(&t, f.keys.key[1].pub), 0);
	ck_assert_int_eq(rxtoken_verify_known(&t, &f.keys, DAY0, 0), RXTOKEN_BAD_SIGNATURE);
	t.expires_day -= 30;
	ck_assert_int_eq(rxtoken_signature_ok(&t, f.keys.key[1].pub), 1);
	ck_assert_int_eq(rxtoken_signature_ok(&t, f.keys.key[0].pub), 0);
	ck_assert_int_eq(rxtoken_verify_known(&t, &f.keys, DAY0, 1), RXTOKEN_OK);
	ck_assert_int_eq(rxtoken_verify(&t, &f.keys, DAY0), RXTOKEN_OK);
	ck_assert_int_eq(rxtoken_verify(NULL, &f.keys, DAY0), RXTOKEN_MALFORMED);
	ck_assert_str_eq(rxtoken_verdict_name(RXTOKEN_REVOKED_KEY), "revoked_key");
	ck_assert_str_eq(rxtoken_verdict_name(RXTOKEN__MAX), "malformed");
}
END_TEST

static const char advice[] = "Con comida; sin alcohol.\nTomar con agua (\xc3\xb1)";

static void
sample_items(struct rx_item it[2])
{
	struct rx_item a = { 1, "amoxicillin-500mg-caps", "1.00", "capsule", "oral", 8, 0, 7, 0, 21, 0, advice };
	struct rx_item b = { 2, "ibuprofen-400mg-tab", "0.50", "tablet", "oral", -1, 1, -1, 1, 10, 1, NULL };

	it[0] = a;
	it[1] = b;
}

START_TEST(test_digest_text)
{
	/* python3: hashlib.sha256(<the text below>).hexdigest() */
	static const char want_sha[] = "8bef906202ce5f0df91dd05195a8c89535e5a41b6a0b52a5f46281e29d03165d";
	static const char want[] =
		"medsys-rx-1\npatient:7\nitems:2\n"
		"line:1\nproduct:22\namoxicillin-500mg-caps\ndose:1\nunit:7\ncapsule\nroute:4\noral\n"
		"every_hours:8\nas_needed:f\nduration_days:7\nuntil_told:f\nquantity:21\nrefills:0\n"
		"advice:44\nCon comida; sin alcohol.\nTomar con agua (\xc3\xb1)\n"
		"line:2\nproduct:19\nibuprofen-400mg-tab\ndose:0.5\nunit:6\ntablet\nroute:4\noral\n"
		"every_hours:\nas_needed:t\nduration_days:\nuntil_told:t\nquantity:10\nrefills:1\n"
		"advice:0\n\n";
	struct rx_item it[2];
	unsigned char d[RX_DIGEST_BYTES], d2[RX_DIGEST_BYTES];
	char text[1024], hex[2 * RX_DIGEST_BYTES + 1];

	sample_items(it);
	ck_assert_int_eq(rx_canonical_text(7, it, 2, NULL, 0), (long)strlen(want));
	ck_assert_int_eq(rx_canonical_text(7, it, 2, text, sizeof(text)), (long)strlen(want));
	ck_assert_str_eq(text, want);
	ck_assert_int_eq(rx_digest(7, it, 2, d), 0);
	hex_encode(d, RX_DIGEST_BYTES, hex);
	ck_assert_str_eq(hex, want_sha);
	/* every field counts: another quantity, another patient */
	it[1].quantity = 11;
	ck_assert_int_eq(rx_digest(7, it, 2, d2), 0);
	ck_assert_int_ne(memcmp(d, d2, sizeof(d)), 0);
	it[1].quantity = 10;
	ck_assert_int_eq(rx_digest(8, it, 2, d2), 0);
	ck_assert_int_ne(memcmp(d, d2, sizeof(d)), 0);
	/* the dose is compared as a number: 0.5 = 0.50 = 00.500, 10 stays 10 */
	it[1].dose_amount = "00.500";
	ck_assert_int_eq(rx_digest(7, it, 2, d2), 0);
	ck_assert_mem_eq(d, d2, sizeof(d));
	it[0].dose_amount = "10";
	ck_assert_int_eq(rx_canonical_text(7, it, 2, text, sizeof(text)) > 0, 1);
	ck_assert_ptr_nonnull(strstr(text, "\ndose:10\n"));
	/* refused: lines out of order, a dose that is no plain decimal */
	for (int k = 0; k < 5; k++) {
		static const char *const bad[] = { "1e3", "-1", ".5", "1.", "1,5" };
		sample_items(it);
		it[0].dose_amount = bad[k];
		ck_assert_int_eq(rx_digest(7, it, 2, d2), -1);
	}
	sample_items(it);
	it[1].line = 1;
	ck_assert_int_eq(rx_canonical_text(7, it, 2, text, sizeof(text)), -1);
}
END_TEST

/* The published JSON of f's keys (as the server writes it). */
static void
keys_json(const struct rxfix *f, char *out, size_t len)
{
	size_t o = 0;

	o += (size_t)snprintf(out + o, len - o, "{\"issuer\": \"https://clinic.example\", \"keys\": [");
	for (size_t i = 0; i < f->keys.n; i++) {
		char id[17], pub[65], from[11] = "", until[13] = "null", rev[13] = "null";
		struct dt_date d;
		const struct rxkey *k = &f->keys.key[i];
		hex_encode(k->key_id, 8, id);
		hex_encode(k->pub, 32, pub);
		dt_date_from_days(k->valid_from_day, &d);
		dt_date_format(&d, from);
		if (k->valid_until_day >= 0 && dt_date_from_days(k->valid_until_day, &d) == 0) {
			until[0] = '"';
			dt_date_format(&d, until + 1);
			strcat(until, "\"");
		}
		if (k->revoked_day >= 0 && dt_date_from_days(k->revoked_day, &d) == 0) {
			rev[0] = '"';
			dt_date_format(&d, rev + 1);
			strcat(rev, "\"");
		}
		o += (size_t)snprintf(out + o, len - o,
		                      "%s{\"key_id\":\"%s\",\"alg\":\"Ed25519\",\"public_key\":\"%s\","
		                      "\"valid_from\":\"%s\",\"valid_until\":%s,\"revoked_on\":%s,"
		                      "\"revoke_reason\":%s}", i ? "," : "", id, pub, from, until, rev,
		                      k->revoked_day >= 0 ? "\"lost laptop \\u00f1\"" : "null");
	}
	snprintf(out + o, len - o, "], \"generated_at\": [1, 2.5e3, {\"x\": true}]}\n");
}

START_TEST(test_keys_json)
{
	struct rxfix f;
	struct rxkeys ks;
	char json[8192], bad[8192], err[128], text[RXTOKEN_TEXT_LEN + 1];
	struct rxtoken t;

	rxfix_init(&f);
	keys_json(&f, json, sizeof(json));
	ck_assert_msg(rxkeys_parse_json(json, strlen(json), &ks, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(ks.n, 3);
	ck_assert_mem_eq(&ks.key[0], &f.keys.key[0], offsetof(struct rxkey, revoke_reason));
	ck_assert_int_eq(ks.key[1].valid_until_day, -1);
	ck_assert_int_eq(ks.key[2].revoked_day, DAY0 - 50);
	ck_assert_str_eq(ks.key[2].revoke_reason, "lost laptop \xc3\xb1");
	/* the parsed set verifies like the original one */
	rxfix_token(f.old_priv, 5, DAY0 - 1, text);
	ck_assert_int_eq(rxtoken_check(text, &ks, DAY0, &t), RXTOKEN_OK);
	rxfix_token(f.rev_priv, 5, DAY0 - 150, text);
	ck_assert_int_eq(rxtoken_check(text, &ks, DAY0 - 140, &t), RXTOKEN_REVOKED_KEY);
	/* each of these edits makes the document unacceptable */
	static const struct { const char *from, *to; } edits[] = {
		{ "\"alg\":\"Ed25519\"", "\"alg\":\"RSA\"" },
		{ "\"valid_from\":\"", "\"valid_from\":\"x" },
		{ "\"key_id\":\"", "\"key_id\":\"0" },
		{ "\"key_id\":\"", "\"kid\":\"" },
		{ "\"alg\":\"Ed25519\",", "\"alg\":\"Ed25519\",\"alg\":\"Ed25519\"," },
		{ "\"revoked_on\":null", "\"revoked_on\":null," },
		{ "]}\n", "]} x" },
		{ "\"keys\"", "\"kees\"" },
		{ "lost laptop", "lost\x01laptop" },
		{ "lost laptop", "lost \xc3laptop" },
		{ "2.5e3", "2.5e" },
		{ "{\"x\": true}", "[[[[[[[[[[]]]]]]]]]]" },
	};
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		char *at = strstr(json, edits[i].from);
		ck_assert_ptr_nonnull(at);
		snprintf(bad, sizeof(bad), "%.*s%s%s", (int)(at - json), json, edits[i].to,
		         at + strlen(edits[i].from));
		ck_assert_msg(rxkeys_parse_json(bad, strlen(bad), &ks, err, sizeof(err)) == -1,
		              "edit %zu accepted", i);
		ck_assert_uint_eq(ks.n, 0);
	}
	/* a key twice, uppercase hex */
	ck_assert_int_eq(rxkeys_add(&f.keys, f.keys.key[0].pub, DAY0, -1, -1), -1);
	ck_assert_int_eq(rxkeys_parse_json("{}", 2, &ks, err, sizeof(err)), -1);
	ck_assert_int_eq(rxkeys_parse_json("{\"keys\":[]}", 11, &ks, err, sizeof(err)), 0);
	ck_assert_uint_eq(ks.n, 0);
}
END_TEST

START_TEST(test_qr_capacity)
{
	struct rxfix f;
	char token[RXTOKEN_TEXT_LEN + 1], url[512], host[61];
	QRcode *qr;

	rxfix_init(&f);
	rxfix_token(f.cur_priv, 9223372036854775807LL, DAY0, token);
	memset(host, 'a', 60);
	memcpy(host + 50, ".clinic.es", 10);
	host[60] = '\0';
	snprintf(url, sizeof(url), "https://%s/rx/v/%s", host, token);
	ck_assert_uint_eq(strlen(url), 8 + 60 + 6 + RXTOKEN_TEXT_LEN);
	/* case-sensitive, mode chosen per segment: the token's upper-case
	 * base32 goes in alphanumeric mode, the rest in 8-bit mode */
	qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	ck_assert_ptr_nonnull(qr);
	ck_assert_int_le(qr->version, 10);
	QRcode_free(qr);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("rxtoken");

	tcase_list_add(tc, test_round_trip, test_decode_strict, test_verdicts, test_digest_text,
	               test_keys_json, test_qr_capacity, NULL);
	return tcase_run_alone("rxtoken", tc) || tcase_run_alone("rxtoken_mutate", rxtoken_mutate_tcase()) ||
	       tcase_run_alone("rxtoken_lab", rxtoken_lab_tcase());
}
