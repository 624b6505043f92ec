/* test_rx_verify: prescription tokens against the real stack: the keys
 * JSON is served and reads back strictly; a prescription signed by the
 * server's code (core/rxsign, as at the doctor's sign step) says genuine
 * with its dates and prescriber and no patient data; tampered, expired,
 * revoked-key, cancelled and garbage tokens each say so (never a 5xx);
 * `medsysctl rx-verify` offline on a saved copy of the keys agrees with
 * the page; the C and SQL digests agree; `medsysctl keys rotate` keeps
 * old prescriptions genuine and `keys revoke` makes them not genuine; a
 * signed-in pharmacist gets the desk link, the patient their own. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check_util.h"
#include "fixtures.h"
#include "http_client.h"
#include "core/config.h"
#include "core/db.h"
#include "core/rxsign.h"
#include "lib/hex.h"
#include "lib/rxtoken.h"

static struct config cfg;
static long long patient, doctor_user, encounter;

/* A draft prescription of two items for patient 1 by doctor 1. */
static long long
draft(void)
{
	long long id = it_sql_int("INSERT INTO rx.prescriptions (patient_id, encounter_id, prescriber_id) "
	                          "VALUES (%lld, %lld, %lld) RETURNING id", patient, encounter, doctor_user);

	it_sql("INSERT INTO rx.items (prescription_id, line, product_code, dose_amount, dose_unit, route, "
	       "every_hours, duration_days, advice, quantity, refills) VALUES "
	       "(%lld, 1, 'test-amoxicillin-500mg-caps', 1.50, 'capsule', 'oral', 8, 7, 'Con comida; ñ', 21, 0), "
	       "(%lld, 2, 'test-amoxicillin-500mg-caps', 2, 'capsule', 'oral', NULL, NULL, '', 2, 1)", id, id);
	return id;
}

/* Store a signature row for id (the test plays the sign page's part). */
static void
store(long long id, const char *issued, const char *expires, const char *digest_hex, const char *key_hex,
      const char *token)
{
	it_sql("INSERT INTO rx.signatures (prescription_id, signed_by, issued_on, expires_on, digest, key_id, token) "
	       "VALUES (%lld, %lld, '%s', '%s', decode('%s', 'hex'), decode('%s', 'hex'), '%s')",
	       id, doctor_user, issued, expires, digest_hex, key_hex, token);
}

/* A prescription signed now by rxsign_sign with the current key. */
static long long
signed_now(struct rxsign_result *out)
{
	char err[300];
	long long id = draft();

	ck_assert_msg(rxsign_sign(&cfg, id, NULL, out, err, sizeof(err)) == 0, "%s", err);
	store(id, out->issued_on, out->expires_on, out->digest_hex, out->key_id_hex, out->token);
	return id;
}

/* A key of the test's own in rx.signing_keys (valid_from/until/revoked as
 * SQL expressions); its private half in priv. */
static void
extra_key(unsigned char priv[SIGN_PRIVATE_BYTES], const char *from, const char *until, const char *revoked)
{
	unsigned char pub[SIGN_PUBLIC_BYTES];
	char pubhex[65], id[17];

	ck_assert_int_eq(sign_keypair(pub, priv), 0);
	hex_encode(pub, sizeof(pub), pubhex);
	sign_key_id(pub, id);
	it_sql("INSERT INTO rx.signing_keys (key_id, public_key, valid_from, valid_until, revoked_at, revoke_reason) "
	       "VALUES (decode('%s', 'hex'), decode('%s', 'hex'), %s, %s, %s, %s)", id, pubhex, from, until,
	       revoked, strcmp(revoked, "NULL") ? "repeat('ñ', 200)" : "NULL");   /* the longest reason */
}

/* A prescription signed with priv, issued days_ago, valid n days. */
static long long
signed_with(const unsigned char priv[SIGN_PRIVATE_BYTES], int days_ago, int n, char token[RXTOKEN_TEXT_LEN + 1])
{
	long long id = draft();
	long today = it_sql_int("SELECT current_date - date '1970-01-01'");
	struct rxtoken t = { .prescription_id = id, .issued_day = today - days_ago,
	                     .expires_day = today - days_ago + n - 1 };
	unsigned char pub[SIGN_PUBLIC_BYTES], full[RX_DIGEST_BYTES];
	char digest[65], keyid[17], issued[11], expires[11];

	it_sql_str(digest, sizeof(digest), "SELECT encode(rx.prescription_digest(%lld), 'hex')", id);
	ck_assert_int_eq(hex_decode(digest, full, RX_DIGEST_BYTES), 0);
	memcpy(t.digest, full, RXTOKEN_DIGEST_BYTES);
	ck_assert_int_eq(rxtoken_encode(&t, priv, token, RXTOKEN_TEXT_LEN + 1), RXTOKEN_TEXT_LEN);
	sign_public_of(priv, pub);
	sign_key_id(pub, keyid);
	it_sql_str(issued, sizeof(issued), "SELECT current_date - %d", days_ago);
	it_sql_str(expires, sizeof(expires), "SELECT current_date - %d + %d", days_ago, n - 1);
	store(id, issued, expires, digest, keyid, token);
	return id;
}

/* GET /rx/v/token anonymously: the status; the body in r. */
static long
page(struct http_response *r, const char *token)
{
	return it_getf(NULL, r, "/rx/v/%s", token);
}

/* medsysctl rx-verify on a saved copy of the published keys: exit status,
 * output in *out. */
static int
offline(const char *token, char **out)
{
	struct http_response r = { 0 };
	char path[] = "/tmp/medsys-rx-keys-XXXXXX";
	int fd, st;
	FILE *f;

	ck_assert_int_eq(it_get(NULL, &r, "/.well-known/medsys-rx-keys.json"), 200);
	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	fwrite(r.body, 1, r.body_len, f);
	fclose(f);
	st = check_run(it_fmt("'%s/medsysctl' --config '%s' rx-verify '%s' --keys '%s' 2>&1",
	                      it_env("MEDSYS_BUILDDIR"), it_env("MEDSYS_CONF"), token, path), out);
	unlink(path);
	http_response_free(&r);
	return st;
}

START_TEST(test_keys_json)
{
	struct http_response r = { 0 };
	struct rxkeys ks;
	char err[200];

	ck_assert_int_eq(it_get(NULL, &r, "/.well-known/medsys-rx-keys.json"), 200);
	ck_assert_str_eq(http_header(&r, "Content-Type"), "application/json");
	ck_assert_ptr_nonnull(strstr(http_header(&r, "Cache-Control"), "max-age="));
	ck_assert_msg(rxkeys_parse_json(r.body, r.body_len, &ks, err, sizeof(err)) == 0, "%s: %s", err, r.body);
	ck_assert_int_eq(ks.n, it_sql_int("SELECT count(*) FROM rx.signing_keys"));
	ck_assert_int_ge(ks.n, 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM rx.signing_keys WHERE valid_until IS NULL "
	                            "AND revoked_at IS NULL"), 1);
	http_response_free(&r);
}
END_TEST

START_TEST(test_genuine)
{
	struct http_response r = { 0 };
	struct rxsign_result s;
	char *out, sqldigest[65];
	long long id = signed_now(&s);

	/* the digest C signed is the one SQL computes from the stored rows */
	it_sql_str(sqldigest, sizeof(sqldigest), "SELECT encode(rx.prescription_digest(%lld), 'hex')", id);
	ck_assert_str_eq(s.digest_hex, sqldigest);
	ck_assert_int_eq(page(&r, s.token), 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Receta auténtica"));
	/* the days in words (issue 15), not ISO */
	it_assert_has(&r, it_when_es(it_fmt("('%s'::date + time '12:00') AT TIME ZONE 'Europe/Madrid'", s.issued_on), 0),
	              "issued in words");
	it_assert_has(&r, it_when_es(it_fmt("('%s'::date + time '12:00') AT TIME ZONE 'Europe/Madrid'", s.expires_on), 0),
	              "expires in words");
	it_assert_lacks(&r, s.issued_on, "issued not ISO");
	ck_assert_ptr_nonnull(strstr(r.body, "T-0001"));
	ck_assert_ptr_null(strstr(r.body, "Paciente Uno"));   /* no patient data */
	ck_assert_ptr_null(strstr(r.body, "/desk/rx/"));
	ck_assert_str_eq(http_header(&r, "Cache-Control"), "no-store");
	ck_assert_int_eq(offline(s.token, &out), 0);
	ck_assert_ptr_nonnull(strstr(out, "verdict        genuine"));
	ck_assert_ptr_nonnull(strstr(out, it_fmt("prescription   %lld", id)));
	free(out);
	/* the default validity: 10 days counting the issue day */
	ck_assert_int_eq(it_sql_int("SELECT expires_on - issued_on FROM rx.signatures WHERE prescription_id = %lld",
	                            id), 9);
	http_response_free(&r);
}
END_TEST

START_TEST(test_tampered)
{
	struct http_response r = { 0 };
	struct rxsign_result s;
	char *out, bad[RXTOKEN_TEXT_LEN + 1];

	signed_now(&s);
	strcpy(bad, s.token);
	bad[30] = bad[30] == 'Q' ? 'R' : 'Q';    /* inside the items digest */
	ck_assert_int_eq(page(&r, bad), 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Receta NO auténtica"));
	ck_assert_ptr_nonnull(strstr(r.body, "alterado"));
	ck_assert_ptr_null(strstr(r.body, "T-0001"));
	ck_assert_int_eq(offline(bad, &out), 1);
	ck_assert_ptr_nonnull(strstr(out, "bad_signature"));
	free(out);
	/* genuinely signed, but its items are not the stored ones: a token
	 * signed for prescription A shown with B's id is already caught by
	 * the signature; one with a digest the rows do not give is not genuine */
	{
		unsigned char priv[SIGN_PRIVATE_BYTES];
		char tok[RXTOKEN_TEXT_LEN + 1];
		long long id = draft();
		long today = it_sql_int("SELECT current_date - date '1970-01-01'");
		struct rxtoken t = { .prescription_id = id, .issued_day = today, .expires_day = today + 5 };
		extra_key(priv, "now() - interval '1 day'", "now()", "NULL");
		memset(t.digest, 0x5a, sizeof(t.digest));
		ck_assert_int_eq(rxtoken_encode(&t, priv, tok, sizeof(tok)), RXTOKEN_TEXT_LEN);
		ck_assert_int_eq(page(&r, tok), 200);
		ck_assert_ptr_nonnull(strstr(r.body, "Receta NO auténtica"));
		ck_assert_ptr_nonnull(strstr(r.body, "ninguna receta guardada"));
	}
	http_response_free(&r);
}
END_TEST

START_TEST(test_expired_and_revoked)
{
	struct http_response r = { 0 };
	unsigned char old[SIGN_PRIVATE_BYTES], lost[SIGN_PRIVATE_BYTES];
	char tok[RXTOKEN_TEXT_LEN + 1], *out;

	/* a retired key: what it signed while current stays genuine, now expired */
	extra_key(old, "now() - interval '90 days'", "now() - interval '20 days'", "NULL");
	signed_with(old, 30, 10, tok);
	ck_assert_int_eq(page(&r, tok), 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Receta caducada"));
	ck_assert_int_eq(offline(tok, &out), 1);
	ck_assert_ptr_nonnull(strstr(out, "verdict        expired"));
	free(out);
	/* the stack's key was made with --valid-from 2020-01-01 (demo data
	 * is signed as of past days): a back-dated signature by the server's
	 * code (rxsign_sign_days, as medsysctl rx-sign-pending) is genuine,
	 * and expired by now */
	{
		struct rxsign_result s;
		char err[300], issued[11], expires[11];
		long long id = draft();
		it_sql_str(issued, sizeof(issued), "SELECT current_date - 40");
		it_sql_str(expires, sizeof(expires), "SELECT current_date - 31");
		ck_assert_msg(rxsign_sign_days(&cfg, id, issued, expires, &s, err, sizeof(err)) == 0, "%s", err);
		store(id, s.issued_on, s.expires_on, s.digest_hex, s.key_id_hex, s.token);
		ck_assert_int_eq(page(&r, s.token), 200);
		ck_assert_ptr_nonnull(strstr(r.body, "Receta caducada"));
		it_assert_has(&r, it_when_es(it_fmt("('%s'::date + time '12:00') AT TIME ZONE 'Europe/Madrid'", issued), 0),
		              "the issue day in words");
	}
	/* a revoked key verifies nothing */
	extra_key(lost, "now() - interval '5 days'", "now() - interval '1 day'", "now()");
	signed_with(lost, 3, 10, tok);
	ck_assert_int_eq(page(&r, tok), 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Receta NO auténtica"));
	ck_assert_ptr_nonnull(strstr(r.body, "revocada"));
	ck_assert_int_eq(offline(tok, &out), 1);
	ck_assert_ptr_nonnull(strstr(out, "revoked_key"));
	free(out);
	http_response_free(&r);
}
END_TEST

START_TEST(test_cancelled)
{
	struct http_response r = { 0 };
	struct rxsign_result s;
	long long id = signed_now(&s);

	/* Every worker has read it (and keeps its answer a few seconds): the
	 * cancellation must still show at once, whichever worker answers. */
	for (int i = 0; i < 12; i++) {
		ck_assert_int_eq(page(&r, s.token), 200);
		ck_assert_ptr_nonnull(strstr(r.body, "Receta auténtica"));
		http_response_free(&r);
	}
	it_sql("INSERT INTO rx.cancellations (prescription_id, cancelled_by, reason) "
	       "VALUES (%lld, %lld, 'wrong patient weight')", id, doctor_user);
	for (int i = 0; i < 12; i++) {
		ck_assert_int_eq(page(&r, s.token), 200);
		ck_assert_msg(strstr(r.body, "Receta anulada") != NULL, "view %d after the cancellation", i);
		http_response_free(&r);
	}
}
END_TEST

START_TEST(test_garbage)
{
	static const char *const junk[] = {
		"x", "hello%20world", "AAAAAAAA", "..%2F..%2Fetc%2Fpasswd", "%00", "%C3%B1",
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	};
	struct http_response r = { 0 };
	char longer[600];
	long st;

	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		st = page(&r, junk[i]);
		ck_assert_msg(st == 404 || st == 400, "%s: %ld", junk[i], st);
		/* the page's own answer, unless the path is no longer /rx/v/...
		 * once decoded (the traversal) */
		if (st == 404 && !strstr(junk[i], "%2F"))
			ck_assert_msg(strstr(r.body, "Código no reconocido") != NULL, "%s: %s", junk[i], r.body);
	}
	memset(longer, 'B', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	ck_assert_int_eq(page(&r, longer), 404);
	http_response_free(&r);
}
END_TEST

START_TEST(test_links)
{
	struct http_response r = { 0 };
	struct rxsign_result s;
	struct it_jar ph = { 0 }, pa = { 0 };
	long long id = signed_now(&s);

	it_staff_account("pharmacist1@clinic.test", "Farmacia Uno", "pharmacist", NULL);
	it_sign_in(&ph, "pharmacist1@clinic.test", D1_PASS, D1_TOTP);
	ck_assert_int_eq(it_getf(&ph, &r, "/rx/v/%s", s.token), 200);
	ck_assert_ptr_nonnull(strstr(r.body, it_fmt("/desk/rx/%lld?t=%s", id, s.token)));
	it_sign_in(&pa, P1_EMAIL, P1_PASS, NULL);
	ck_assert_int_eq(it_getf(&pa, &r, "/rx/v/%s", s.token), 200);
	ck_assert_ptr_nonnull(strstr(r.body, it_fmt("/prescriptions/%lld", id)));
	ck_assert_ptr_null(strstr(r.body, "/desk/rx/"));
	http_response_free(&r);
}
END_TEST

/* Last: changes the current key. */
START_TEST(test_rotate_and_revoke)
{
	struct http_response r = { 0 };
	struct rxsign_result before, after;
	char *out, oldkey[17];

	signed_now(&before);
	snprintf(oldkey, sizeof(oldkey), "%s", before.key_id_hex);
	ck_assert_int_eq(check_run(it_fmt("'%s/medsysctl' --config '%s' keys rotate 2>&1", it_env("MEDSYS_BUILDDIR"),
	                                  it_env("MEDSYS_CONF")), &out), 0);
	ck_assert_ptr_nonnull(strstr(out, it_fmt("key %s retired", oldkey)));
	free(out);
	/* key changes are audited events */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'rx.key_rotated' "
	                            "AND object LIKE '%%previous=%s by=medsysctl'", oldkey), 1);
	ck_assert_int_eq(check_run(it_fmt("stat -c %%a '%s'/*.key | sort -u", it_env("MEDSYS_RX_KEY_DIR")), &out), 0);
	ck_assert_str_eq(out, "600\n");
	free(out);
	signed_now(&after);
	ck_assert_str_ne(after.key_id_hex, oldkey);
	/* the old key still verifies what it signed */
	ck_assert_int_eq(page(&r, before.token), 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Receta auténtica"));
	ck_assert_int_eq(offline(before.token, &out), 0);
	free(out);
	/* revoked: nothing it signed verifies, online or offline */
	ck_assert_int_eq(check_run(it_fmt("'%s/medsysctl' --config '%s' keys revoke %s --reason 'test: laptop stolen' 2>&1",
	                                  it_env("MEDSYS_BUILDDIR"), it_env("MEDSYS_CONF"), oldkey), &out), 0);
	free(out);
	ck_assert_int_eq(page(&r, before.token), 200);
	ck_assert_ptr_nonnull(strstr(r.body, "revocada"));
	ck_assert_int_eq(offline(before.token, &out), 1);
	ck_assert_ptr_nonnull(strstr(out, "revoked_key"));
	free(out);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'rx.key_revoked' "
	                            "AND object = 'key=%s reason=test: laptop stolen by=medsysctl'", oldkey), 1);
	ck_assert_int_eq(check_run(it_fmt("'%s/medsysctl' --config '%s' keys revoke %s --reason 'again' 2>&1",
	                                  it_env("MEDSYS_BUILDDIR"), it_env("MEDSYS_CONF"), oldkey), &out), 1);
	ck_assert_ptr_nonnull(strstr(out, "already revoked"));
	free(out);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'rx.key_revoked' "
	                            "AND object LIKE 'key=%s %%'", oldkey), 1);
	/* the new key signs on */
	ck_assert_int_eq(page(&r, after.token), 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Receta auténtica"));
	http_response_free(&r);
}
END_TEST

static void
setup_once(void)
{
	char err[600], dir[700];

	ck_assert_msg(config_load(&cfg, it_env("MEDSYS_CONF"), err, sizeof(err)) == 0, "%s", err);
	snprintf(dir, sizeof(dir), "%s/sql/queries", cfg.datadir);
	ck_assert_msg(db_init(config_admin_conninfo(&cfg), cfg.clinic_timezone, dir, 5, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(db_ensure(), DB_OK);
	patient = it_user_id(P1_EMAIL);
	doctor_user = it_user_id(D1_EMAIL);
	it_sql("INSERT INTO rx.products (code, atc, ingredients, name_es, name_en, strength, dose_form, route, "
	       "dose_unit, source) VALUES ('test-amoxicillin-500mg-caps', 'J01CA04', '{amoxicillin}', "
	       "'Amoxicilina 500 mg cápsulas', 'Amoxicillin 500 mg capsules', '500 mg', 'capsule', 'oral', "
	       "'capsule', 'test') ON CONFLICT DO NOTHING");
	encounter = it_sql_int("INSERT INTO ehr.encounters (patient_id, doctor_id, kind, created_by) "
	                       "SELECT %lld, d.id, 'walk_in', %lld FROM clinic.doctors d WHERE d.user_id = %lld "
	                       "RETURNING id", patient, doctor_user, doctor_user);
}

int
main(void)
{
	TCase *tc = tcase_create("rx_verify");
	int rc;

	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup_once, NULL);
	tcase_list_add(tc, test_keys_json, test_genuine, test_tampered, test_expired_and_revoked,
	               test_cancelled, test_garbage, test_links, test_rotate_and_revoke, NULL);
	rc = tcase_run_alone("rx_verify", tc);
	http_client_cleanup();
	return rc;
}
