/* test_rx_desk: the pharmacist desk against a real stack (nginx, medsysd,
 * PostgreSQL): opening a prescription by its short code (typed loosely)
 * and by its signed token, wrong and garbage codes and tokens (refused,
 * audited, throttled, never 5xx), a photo of the QR made with qrencode,
 * partial then full dispensing with the patient's notice, 50 dispensings
 * of one item at once (exactly one wins), and who may use the desk. Run by
 * rx_desk.stack. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "care_test.h"
#include "http_client.h"
#include "lib/hex.h"
#include "lib/rxtoken.h"
#include "lib/sign.h"

#define BOUNDARY "----medsysDeskBoundary5QpR"
#define PRODUCT "rxdesk-testamoxicillin-500mg-caps"
#define RACERS 50

/* The people of one test: a patient, the prescribing doctor, two
 * pharmacists (English pages). */
struct world {
	long long patient, doctor, ph1, ph2;
	char patient_name[128];
};

/* A signed prescription: id, short code, token. */
struct rx {
	long long id;
	char code[16];
	char token[RXTOKEN_TEXT_LEN + 1];
};

/* The test signing key: made once per run, published as retired (valid
 * until tomorrow) so that it never competes with a stack's current key. */
static unsigned char test_priv[SIGN_PRIVATE_BYTES];
static char test_pub_hex[2 * SIGN_PUBLIC_BYTES + 1];
static int have_key;

static void
key_once(void)
{
	unsigned char pub[SIGN_PUBLIC_BYTES];

	if (have_key)
		return;
	ck_assert_int_eq(sign_keypair(pub, test_priv), 0);
	hex_encode(pub, sizeof(pub), test_pub_hex);
	it_sql("INSERT INTO rx.signing_keys (key_id, public_key, valid_from, valid_until) "
	       "VALUES (substring(sha256('\\x%s'::bytea) FROM 1 FOR 8), '\\x%s'::bytea, "
	       "now() - interval '400 days', now() + interval '1 day')", test_pub_hex, test_pub_hex);
	it_sql("INSERT INTO rx.products (code, atc, ingredients, classes, name_es, name_en, brands, strength, "
	       "dose_form, route, dose_unit, unit_mg, pregnancy, eml, source, active) VALUES ('" PRODUCT "', "
	       "'J01CA04', '{amoxicillin}', '{penicillins}', 'Amoxicilina 500 mg cápsulas', "
	       "'Amoxicillin 500 mg capsules', '', '500 mg', 'capsule', 'oral', 'capsule', 500, 'compatible', "
	       "true, 'test', true) ON CONFLICT DO NOTHING");
	have_key = 1;
}

static void
world_make(struct world *w)
{
	key_once();
	w->patient = care_make_user("rxpat", "patient");
	w->doctor = care_make_doctor("rxdoc", NULL);
	w->ph1 = care_make_user("rxph1", "pharmacist");
	w->ph2 = care_make_user("rxph2", "pharmacist");
	it_sql("UPDATE auth.users SET birth_date = '1961-04-09' WHERE id = %lld", w->patient);
	it_sql_str(w->patient_name, sizeof(w->patient_name), "SELECT full_name FROM auth.users WHERE id = %lld",
	           w->patient);
}

/* Sign prescription id with the test key: issued issued_ago days ago,
 * valid for valid_days. */
static void
rx_sign(struct rx *p, long long doctor, int issued_ago, int valid_days)
{
	struct rxtoken t = { .prescription_id = p->id };
	char digest[80], day[24];

	it_sql_str(digest, sizeof(digest), "SELECT encode(rx.prescription_digest(%lld), 'hex')", p->id);
	digest[2 * RXTOKEN_DIGEST_BYTES] = '\0';   /* the token carries the first 16 bytes */
	ck_assert_int_eq(hex_decode(digest, t.digest, RXTOKEN_DIGEST_BYTES), 0);
	it_sql_str(day, sizeof(day), "SELECT current_date - %d - DATE '1970-01-01'", issued_ago);
	t.issued_day = atol(day);
	t.expires_day = t.issued_day + valid_days;
	ck_assert_int_eq(rxtoken_encode(&t, test_priv, p->token, sizeof(p->token)), RXTOKEN_TEXT_LEN);
	it_sql("INSERT INTO rx.signatures (prescription_id, signed_by, issued_on, expires_on, digest, key_id, token) "
	       "VALUES (%lld, %lld, DATE '1970-01-01' + %ld, DATE '1970-01-01' + %ld, rx.prescription_digest(%lld), "
	       "substring(sha256('\\x%s'::bytea) FROM 1 FOR 8), '%s')",
	       p->id, doctor, t.issued_day, t.expires_day, p->id, test_pub_hex, p->token);
}

/* A prescription for the world's patient with n items of PRODUCT (10
 * capsules each, no refill), signed unless issued_ago < 0. */
static void
rx_make(const struct world *w, struct rx *p, int nitems, int issued_ago, int valid_days)
{
	long long enc = it_sql_int("INSERT INTO ehr.encounters (patient_id, doctor_id, kind, created_by) "
	                           "SELECT %lld, d.id, 'walk_in', %lld FROM clinic.doctors d WHERE d.user_id = %lld "
	                           "RETURNING id", w->patient, w->doctor, w->doctor);

	p->id = it_sql_int("INSERT INTO rx.prescriptions (patient_id, encounter_id, prescriber_id) "
	                   "VALUES (%lld, %lld, %lld) RETURNING id", w->patient, enc, w->doctor);
	for (int i = 1; i <= nitems; i++)
		it_sql("INSERT INTO rx.items (prescription_id, line, product_code, dose_amount, dose_unit, route, "
		       "every_hours, duration_days, quantity, advice) VALUES (%lld, %d, '" PRODUCT "', 1, "
		       "'capsule', 'oral', 8, 7, %d, 'Con comida')", p->id, i, 10 * i);
	it_sql_str(p->code, sizeof(p->code), "SELECT short_code FROM rx.prescriptions WHERE id = %lld", p->id);
	if (issued_ago >= 0)
		rx_sign(p, w->doctor, issued_ago, valid_days);
}

/* A pharmacist's (or anyone's) browser, English pages, with the desk's
 * form token. */
static void
desk_jar(struct it_jar *j, long long user)
{
	care_session(j, user);
	snprintf(j->lang, sizeof(j->lang), "en");
}

static long long
audit_rows(long long actor, const char *action, const char *object_like)
{
	return it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld AND action = '%s' "
	                  "AND object LIKE '%s'", actor, action, object_like);
}

/* POST /desk/code with the desk page's form token. */
static long
post_code(struct it_jar *j, struct http_response *r, const char *code)
{
	char *enc = it_urlencode(code);
	long st;

	ck_assert_int_eq(it_get(j, r, "/desk"), 200);
	st = it_postf(j, r, "/desk/code", "&code=%s", enc);
	free(enc);
	return st;
}

/* Dispense with proof (kind "t" or "c", value) and extra fields. */
static long
dispense(struct it_jar *j, struct http_response *r, long long id, const char *kind, const char *value,
         const char *fields)
{
	return it_postf(j, r, it_fmt("/desk/rx/%lld/dispense", id), "&%s=%s&%s", kind, value, fields);
}

/* ------------------------------------------------------------ opening */

START_TEST(open_by_code_forgiving)
{
	struct world w;
	struct rx p;
	struct it_jar j;
	struct http_response r = { 0 };
	char typed[32], *loc;

	world_make(&w);
	rx_make(&w, &p, 2, -1, 0);
	it_sql("INSERT INTO rx.warnings (prescription_id, line, kind, severity, detail, override_reason, "
	       "override_confirmed, overridden_by, overridden_at) VALUES (%lld, 1, 'allergy', 'major', "
	       "'Recorded allergy to penicillins', 'Tolerated amoxicillin in 2024 without reaction', true, %lld, now())",
	       p.id, w.doctor);
	rx_sign(&p, w.doctor, 1, 30);
	it_sql("INSERT INTO ehr.items (patient_id, kind, created_by) VALUES (%lld, 'allergy', %lld)", w.patient,
	       w.doctor);
	it_sql("INSERT INTO ehr.allergy_versions (item_id, version, recorded_by, substance, type, category, "
	       "severity, status) SELECT max(id), 1, %lld, 'Sulfamidas', 'allergy', 'medication', 'severe', "
	       "'active' FROM ehr.items WHERE patient_id = %lld", w.doctor, w.patient);
	desk_jar(&j, w.ph1);
	ck_assert_int_eq(it_get(&j, &r, "/desk"), 200);
	ck_assert_ptr_nonnull(strstr(r.body, "action=\"/desk/code\""));
	ck_assert_ptr_nonnull(strstr(r.body, "enctype=\"multipart/form-data\""));
	/* Lower case, no dash, O for 0 and I/L for 1, as people type it. */
	snprintf(typed, sizeof(typed), "%s", p.code);
	for (char *c = typed; *c; c++) {
		if (*c == '0')
			*c = 'o';
		else if (*c == '1')
			*c = (c - typed) % 2 ? 'I' : 'l';
		else if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	}
	ck_assert_int_eq(post_code(&j, &r, typed), 303);
	loc = it_fmt("/desk/rx/%lld?c=%s", p.id, p.code);
	it_assert_redirect(&r, loc, "a loosely typed code opens its prescription");
	ck_assert_int_eq(it_get(&j, &r, loc), 200);
	ck_assert_ptr_nonnull(strstr(r.body, "GENUINE"));
	ck_assert_ptr_nonnull(strstr(r.body, w.patient_name));
	/* the date of birth in words (issue 15), not ISO */
	it_assert_has(&r, "9 April 1961", "date of birth in words");
	it_assert_lacks(&r, "1961-04-09", "date of birth not ISO");
	it_assert_lacks(&r, it_sql_line("SELECT to_char(issued_on, 'YYYY-MM-DD') FROM rx.signatures"
	                                " WHERE prescription_id = %lld", p.id), "validity not ISO");
	it_assert_has(&r, it_sql_line("SELECT to_char(expires_on, 'FMDD FMMonth') FROM rx.signatures"
	                              " WHERE prescription_id = %lld", p.id), "validity in words");
	ck_assert_ptr_nonnull(strstr(r.body, "Sulfamidas"));
	ck_assert_ptr_nonnull(strstr(r.body, "Allergy · Severe"));
	/* The override the doctor made, with the reason, for the pharmacist. */
	ck_assert_ptr_nonnull(strstr(r.body, "Recorded allergy to penicillins"));
	ck_assert_ptr_nonnull(strstr(r.body, "Tolerated amoxicillin in 2024 without reaction"));
	ck_assert_ptr_nonnull(strstr(r.body, "1 capsule by mouth every 8 hours for 7 days"));
	/* Patient data: never stored by a cache; a small page for a phone. */
	ck_assert_str_eq(http_header(&r, "Cache-Control"), "no-store");
	ck_assert_uint_lt(r.body_len, 14 * 1024);
	ck_assert_ptr_nonnull(strstr(r.body, "Amoxicillin 500 mg capsules"));
	ck_assert_ptr_nonnull(strstr(r.body, "Left to dispense: 20"));
	/* The read is audited about the patient, basis "presented". */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld AND subject_id = %lld "
	                            "AND action = 'record.prescription' AND object = 'prescription:%lld basis=presented'",
	                            w.ph1, w.patient, p.id), 1);
	/* With the dash, as printed, it opens too. */
	snprintf(typed, sizeof(typed), "%.5s-%.5s", p.code, p.code + 5);
	ck_assert_int_eq(post_code(&j, &r, typed), 303);
	free(loc);
	http_response_free(&r);
}
END_TEST

START_TEST(open_by_token_and_verdicts)
{
	struct world w;
	struct rx p, old, cancelled, other;
	struct it_jar j;
	struct http_response r = { 0 };

	world_make(&w);
	rx_make(&w, &p, 1, 0, 30);
	rx_make(&w, &old, 1, 60, 30);          /* expired a month ago */
	rx_make(&w, &cancelled, 1, 0, 30);
	rx_make(&w, &other, 1, 0, 30);
	it_sql("INSERT INTO rx.cancellations (prescription_id, cancelled_by, reason) VALUES (%lld, %lld, 'Wrong dose')",
	       cancelled.id, w.doctor);
	desk_jar(&j, w.ph1);
	ck_assert_int_eq(it_getf(&j, &r, "/desk/rx/%lld?t=%s", p.id, p.token), 200);
	ck_assert_ptr_nonnull(strstr(r.body, ">GENUINE<"));
	ck_assert_ptr_nonnull(strstr(r.body, "/dispense\""));
	ck_assert_int_eq(it_getf(&j, &r, "/desk/rx/%lld?t=%s", old.id, old.token), 200);
	ck_assert_ptr_nonnull(strstr(r.body, ">EXPIRED<"));
	ck_assert_ptr_null(strstr(r.body, "/dispense\""));
	ck_assert_int_eq(it_getf(&j, &r, "/desk/rx/%lld?c=%s", cancelled.id, cancelled.code), 200);
	ck_assert_ptr_nonnull(strstr(r.body, ">CANCELLED<"));
	ck_assert_ptr_nonnull(strstr(r.body, "Wrong dose"));
	ck_assert_ptr_null(strstr(r.body, "/dispense\""));
	/* Dispensing them anyway: refused (409), nothing stored. */
	ck_assert_int_eq(dispense(&j, &r, old.id, "t", old.token, "all=1"), 409);
	ck_assert_int_eq(dispense(&j, &r, cancelled.id, "c", cancelled.code, "all=1"), 409);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM rx.dispensings WHERE prescription_id IN (%lld, %lld)",
	                            old.id, cancelled.id), 0);
	/* Another prescription's genuine token is no proof for this one. */
	ck_assert_int_eq(it_getf(&j, &r, "/desk/rx/%lld?t=%s", p.id, other.token), 403);
	ck_assert_ptr_nonnull(strstr(r.body, "NOT GENUINE"));
	ck_assert_ptr_null(strstr(r.body, w.patient_name));
	ck_assert_int_eq(audit_rows(w.ph1, "record.denied", it_fmt("prescription:%lld basis=presented status=403", p.id)),
	                 1);
	http_response_free(&r);
}
END_TEST

START_TEST(tampered_and_revoked)
{
	struct world w;
	struct rx p;
	struct it_jar j;
	struct http_response r = { 0 };
	char forged[RXTOKEN_TEXT_LEN + 1];

	world_make(&w);
	rx_make(&w, &p, 1, 0, 30);
	desk_jar(&j, w.ph1);
	/* A token with one character changed is not this prescription's. */
	snprintf(forged, sizeof(forged), "%s", p.token);
	forged[40] = forged[40] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(it_getf(&j, &r, "/desk/rx/%lld?t=%s", p.id, forged), 403);
	ck_assert_ptr_nonnull(strstr(r.body, "NOT GENUINE"));
	/* Its stored signature made by a key revoked since: not genuine, no
	 * dispensing (a fresh key of its own, so other tests keep theirs). */
	{
		unsigned char pub[SIGN_PUBLIC_BYTES], priv[SIGN_PRIVATE_BYTES];
		char hex[2 * SIGN_PUBLIC_BYTES + 1];
		struct rxtoken t = { .prescription_id = 0 };
		struct rx q;
		char digest[80], day[24];

		ck_assert_int_eq(sign_keypair(pub, priv), 0);
		hex_encode(pub, sizeof(pub), hex);
		it_sql("INSERT INTO rx.signing_keys (key_id, public_key, valid_from, valid_until, revoked_at, "
		       "revoke_reason) VALUES (substring(sha256('\\x%s'::bytea) FROM 1 FOR 8), '\\x%s'::bytea, "
		       "now() - interval '5 days', now() + interval '1 day', now(), 'stolen laptop')", hex, hex);
		rx_make(&w, &q, 1, -1, 0);
		t.prescription_id = q.id;
		it_sql_str(digest, sizeof(digest), "SELECT encode(rx.prescription_digest(%lld), 'hex')", q.id);
		digest[2 * RXTOKEN_DIGEST_BYTES] = '\0';   /* the token carries the first 16 bytes */
	ck_assert_int_eq(hex_decode(digest, t.digest, RXTOKEN_DIGEST_BYTES), 0);
		it_sql_str(day, sizeof(day), "SELECT current_date - DATE '1970-01-01'");
		t.issued_day = atol(day);
		t.expires_day = t.issued_day + 30;
		ck_assert_int_eq(rxtoken_encode(&t, priv, q.token, sizeof(q.token)), RXTOKEN_TEXT_LEN);
		it_sql("INSERT INTO rx.signatures (prescription_id, signed_by, issued_on, expires_on, digest, key_id, token) "
		       "VALUES (%lld, %lld, current_date, current_date + 30, rx.prescription_digest(%lld), "
		       "substring(sha256('\\x%s'::bytea) FROM 1 FOR 8), '%s')", q.id, w.doctor, q.id, hex, q.token);
		ck_assert_int_eq(it_getf(&j, &r, "/desk/rx/%lld?t=%s", q.id, q.token), 200);
		ck_assert_ptr_nonnull(strstr(r.body, ">NOT GENUINE<"));
		ck_assert_ptr_nonnull(strstr(r.body, "revoked"));
		ck_assert_ptr_null(strstr(r.body, "/dispense\""));
		ck_assert_int_eq(dispense(&j, &r, q.id, "t", q.token, "all=1"), 409);
		ck_assert_int_eq(it_sql_int("SELECT count(*) FROM rx.dispensings WHERE prescription_id = %lld", q.id), 0);
	}
	http_response_free(&r);
}
END_TEST

START_TEST(garbage_never_500)
{
	static const char *const queries[] = {
		"", "?t=", "?c=", "?t=abc", "?c=abc", "?t=%00", "?c=%FF%FE", "?t=AAAA&c=AAAAAAAAAA",
		"?t=" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"?c=UUUUU-UUUUU", "?c=%3Cscript%3E", "?t=AB%0ACD",
	};
	struct world w;
	struct rx p;
	struct it_jar j;
	struct http_response r = { 0 };

	world_make(&w);
	rx_make(&w, &p, 1, 0, 30);
	desk_jar(&j, w.ph2);
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		long st = it_getf(&j, &r, "/desk/rx/%lld%s", p.id, queries[i]);
		ck_assert_msg(st == 403 || st == 400 || st == 429, "%s: %ld", queries[i], st);
		ck_assert_ptr_null(strstr(r.body, w.patient_name));
		/* Clear the count: this test is about answers, not throttling. */
		it_sql("DELETE FROM auth.throttle WHERE key LIKE 'rxdesk%%'");
	}
	for (const char *const *c = (const char *const[]){ "", "!!!!!", "ABCDE-FGHJ", "ABCDE-FGHJKM",
	                                                    "ÁBCDE-FGHJK", "UUUUU-UUUUU", NULL }; *c; c++) {
		long st = post_code(&j, &r, *c);
		ck_assert_msg(st == 400, "code '%s': %ld", *c, st);
	}
	/* A well-formed id that is no prescription: the same refusal. */
	ck_assert_int_eq(it_getf(&j, &r, "/desk/rx/999999999999?c=%s", p.code), 403);
	http_response_free(&r);
}
END_TEST

START_TEST(wrong_codes_throttled)
{
	struct world w;
	struct rx p;
	struct it_jar j;
	struct http_response r = { 0 };
	long st = 0;
	int tries = 0;

	world_make(&w);
	rx_make(&w, &p, 1, 0, 30);
	desk_jar(&j, w.ph2);
	ck_assert_int_eq(post_code(&j, &r, "ZZZZZ-ZZZZZ"), 404);
	ck_assert_ptr_nonnull(strstr(r.body, "No prescription has this code"));
	ck_assert_int_eq(audit_rows(w.ph2, "record.denied", "desk code status=404"), 1);
	while (tries++ < 20 && (st = post_code(&j, &r, "ZZZZZ-ZZZZY")) == 404)
		;
	ck_assert_int_eq(st, 429);
	ck_assert_ptr_nonnull(http_header(&r, "Retry-After"));
	ck_assert_ptr_nonnull(strstr(r.body, "Too many wrong codes"));
	/* While blocked, even the right code waits; another pharmacist does not. */
	ck_assert_int_eq(post_code(&j, &r, p.code), 429);
	desk_jar(&j, w.ph1);
	ck_assert_int_eq(post_code(&j, &r, p.code), 303);
	http_response_free(&r);
}
END_TEST

/* ------------------------------------------------------------ photo */

static long
upload(struct it_jar *j, struct http_response *r, const char *ctype, const char *data, size_t dlen)
{
	size_t len;
	char *body;
	long st;

	ck_assert_int_eq(it_get(j, r, "/desk"), 200);
	body = it_multipart(BOUNDARY, "photo", "qr.png", ctype, data, dlen, &len, "csrf", j->form_csrf, NULL);
	http_response_free(r);
	st = it_jar_upload(j, "/desk/photo", body, len, "multipart/form-data; boundary=" BOUNDARY, r);
	free(body);
	return st;
}

/* A PNG of a QR code holding text, made by qrencode; malloc'd. */
static char *
qr_png(const char *text, size_t *len)
{
	char path[] = "/tmp/rxdesk-qr-XXXXXX";
	int fd = mkstemp(path);
	char *cmd, *data;
	FILE *f;
	long n;

	ck_assert_int_ge(fd, 0);
	close(fd);
	cmd = it_fmt("qrencode -l M -s 6 -o %s '%s'", path, text);
	ck_assert_msg(system(cmd) == 0, "qrencode failed (package qrencode)");
	ck_assert_ptr_nonnull(f = fopen(path, "rb"));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	data = malloc((size_t)n);
	ck_assert_int_eq(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	unlink(path);
	free(cmd);
	*len = (size_t)n;
	return data;
}

START_TEST(photo_upload)
{
	struct world w;
	struct rx p;
	struct it_jar j;
	struct http_response r = { 0 };
	char *url, *png, *big, *loc;
	size_t n;

	world_make(&w);
	rx_make(&w, &p, 1, 0, 30);
	desk_jar(&j, w.ph1);
	url = it_fmt("%s/rx/v/%s", it_env("MEDSYS_URL"), p.token);
	png = qr_png(url, &n);
	ck_assert_int_eq(upload(&j, &r, "image/png", png, n), 303);
	loc = it_fmt("/desk/rx/%lld?t=%s", p.id, p.token);
	it_assert_redirect(&r, loc, "the photo's QR opens its prescription");
	ck_assert_int_eq(it_get(&j, &r, loc), 200);
	ck_assert_ptr_nonnull(strstr(r.body, ">GENUINE<"));
	free(png);
	/* A QR that is not a prescription's; a file that is no image; a body
	 * larger than the desk takes. */
	png = qr_png("https://example.org/not-a-prescription", &n);
	ck_assert_int_eq(upload(&j, &r, "image/png", png, n), 400);
	ck_assert_ptr_nonnull(strstr(r.body, "not a prescription of this clinic"));
	ck_assert_int_eq(upload(&j, &r, "image/png", "just some text, not a picture", 29), 415);
	ck_assert_ptr_nonnull(strstr(r.body, "not a JPEG or PNG"));
	n = 13L * 1024 * 1024;
	big = malloc(n);
	memset(big, 'x', n);
	memcpy(big, "\x89PNG\r\n\x1a\n", 8);
	ck_assert_int_eq(upload(&j, &r, "image/png", big, n), 413);
	free(big);
	free(png);
	free(url);
	free(loc);
	http_response_free(&r);
}
END_TEST

/* ------------------------------------------------------------ dispensing */

START_TEST(partial_then_full)
{
	struct world w;
	struct rx p;
	struct it_jar j;
	struct http_response r = { 0 };
	long long events0;

	world_make(&w);
	rx_make(&w, &p, 2, 0, 30);          /* line 1: 10 capsules, line 2: 20 */
	desk_jar(&j, w.ph1);
	ck_assert_int_eq(it_getf(&j, &r, "/desk/rx/%lld?c=%s", p.id, p.code), 200);
	events0 = it_sql_int("SELECT count(*) FROM outbox.events WHERE payload->>'kind' = 'rx_dispensed' "
	                     "AND (payload->>'user_id')::bigint = %lld", w.patient);
	/* Part: 4 of line 1, nothing of line 2. */
	ck_assert_int_eq(dispense(&j, &r, p.id, "c", p.code, "qty_1=4&qty_2=0"), 303);
	it_assert_redirect_prefix(&r, it_fmt("/desk/rx/%lld?c=%s&done=1", p.id, p.code), "after dispensing");
	ck_assert_int_eq(it_getf(&j, &r, "/desk/rx/%lld?c=%s&done=1", p.id, p.code), 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Dispensed. The patient has been notified."));
	ck_assert_ptr_nonnull(strstr(r.body, "Left to dispense: 6"));
	ck_assert_ptr_nonnull(strstr(r.body, "Left to dispense: 20"));
	ck_assert_ptr_nonnull(strstr(r.body, "Part of it has been dispensed"));
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE payload->>'kind' = 'rx_dispensed' "
	                            "AND (payload->>'user_id')::bigint = %lld", w.patient), events0 + 1);
	ck_assert_int_eq(audit_rows(w.ph1, "rx.dispensed", it_fmt("prescription:%lld lines=1:4", p.id)), 1);
	/* The mail's event: which prescription, nothing of what it holds. */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'rx.notify' AND payload = "
	                            "'{\"prescription_id\": %lld, \"what\": \"dispensed\"}'::jsonb", p.id), 1);
	/* More than is left: refused whole, nothing kept. */
	ck_assert_int_eq(dispense(&j, &r, p.id, "c", p.code, "qty_1=7"), 409);
	ck_assert_ptr_nonnull(strstr(r.body, "Already dispensed by"));
	ck_assert_int_eq(it_sql_int("SELECT sum(quantity) FROM rx.dispensings WHERE prescription_id = %lld", p.id), 4);
	/* Nothing asked: 400. Then everything left. */
	ck_assert_int_eq(dispense(&j, &r, p.id, "c", p.code, "qty_1=0"), 400);
	ck_assert_int_eq(dispense(&j, &r, p.id, "c", p.code, "all=1"), 303);
	ck_assert_int_eq(it_getf(&j, &r, "/desk/rx/%lld?c=%s", p.id, p.code), 200);
	ck_assert_ptr_nonnull(strstr(r.body, ">FULLY DISPENSED<"));
	ck_assert_ptr_null(strstr(r.body, "/dispense\""));
	ck_assert_int_eq(it_sql_int("SELECT sum(quantity) FROM rx.dispensings WHERE prescription_id = %lld", p.id), 30);
	/* Once more: 409, nothing more. */
	ck_assert_int_eq(dispense(&j, &r, p.id, "c", p.code, "all=1"), 409);
	ck_assert_int_eq(it_sql_int("SELECT sum(quantity) FROM rx.dispensings WHERE prescription_id = %lld", p.id), 30);
	/* Without the form token: refused by the pipeline. */
	ck_assert_int_eq(it_send(&j, &r, "POST", it_fmt("/desk/rx/%lld/dispense", p.id),
	                         it_fmt("c=%s&all=1", p.code)), 403);
	http_response_free(&r);
}
END_TEST

/* One racer: wait for the start, POST, exit with 0 for 303, 1 for 409, 2
 * for anything else (a 409 must name who dispensed it). */
static void
racer(const char *session, const char *csrf, long long id, const char *code, int start_fd)
{
	char cookie[300], origin[300], c;
	char *body = it_fmt("csrf=%s&c=%s&qty_1=10", csrf, code), *path = it_fmt("/desk/rx/%lld/dispense", id);
	const char *hdrs[] = { cookie, origin, NULL };
	struct http_request rq = { .method = "POST", .path = path, .headers = hdrs, .body = body,
	                           .body_len = strlen(body), .content_type = "application/x-www-form-urlencoded",
	                           .timeout_ms = 60000 };
	struct http_response r = { 0 };
	int rc = 2;

	snprintf(cookie, sizeof(cookie), "Cookie: session=%s; lang=en", session);
	snprintf(origin, sizeof(origin), "Origin: %s", it_env("MEDSYS_URL"));
	if (read(start_fd, &c, 1) < 0)
		_exit(3);
	if (http_request(&rq, &r) == 0) {
		if (r.status == 303)
			rc = 0;
		else if (r.status == 409 && strstr(r.body, "Already dispensed by") != NULL)
			rc = 1;
	}
	_exit(rc);
}

START_TEST(fifty_at_once)
{
	struct world w;
	struct rx p;
	struct it_jar j[2];
	int pipefd[2], wins = 0, losses = 0, other = 0;
	pid_t pids[RACERS];

	world_make(&w);
	rx_make(&w, &p, 1, 0, 30);
	desk_jar(&j[0], w.ph1);
	desk_jar(&j[1], w.ph2);
	ck_assert_int_eq(pipe(pipefd), 0);
	for (int i = 0; i < RACERS; i++) {
		ck_assert_int_ge(pids[i] = fork(), 0);
		if (pids[i] == 0) {
			close(pipefd[1]);
			racer(j[i % 2].session, j[i % 2].form_csrf, p.id, p.code, pipefd[0]);
		}
	}
	close(pipefd[0]);
	close(pipefd[1]);   /* every racer's read returns now: go */
	for (int i = 0; i < RACERS; i++) {
		int status;
		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			wins++;
		else if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
			losses++;
		else
			other++;
	}
	ck_assert_int_eq(wins, 1);
	ck_assert_int_eq(losses, RACERS - 1);
	ck_assert_int_eq(other, 0);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM rx.dispensings WHERE prescription_id = %lld", p.id), 1);
	ck_assert_int_eq(it_sql_int("SELECT sum(quantity) FROM rx.dispensings WHERE prescription_id = %lld", p.id), 10);
}
END_TEST

/* ------------------------------------------------------------ who */

START_TEST(only_pharmacists)
{
	struct world w;
	struct rx p;
	struct it_jar j;
	struct http_response r = { 0 };
	long long others[3];

	world_make(&w);
	rx_make(&w, &p, 1, 0, 30);
	others[0] = w.patient;
	others[1] = care_make_user("rxlab", "lab");
	others[2] = care_make_user("rxrec", "reception");
	for (int i = 0; i < 3; i++) {
		long long before = it_actor_audit_count(others[i], "access.denied");
		desk_jar(&j, others[i]);
		ck_assert_int_eq(it_get(&j, &r, "/desk"), 403);
		ck_assert_int_eq(it_getf(&j, &r, "/desk/rx/%lld?c=%s", p.id, p.code), 403);
		if (i > 0)   /* the patient's own name is in their page header */
			ck_assert_ptr_null(strstr(r.body, w.patient_name));
		ck_assert_int_eq(it_postf(&j, &r, "/desk/code", "&code=%s", p.code), 403);
		ck_assert_int_eq(dispense(&j, &r, p.id, "c", p.code, "all=1"), 403);
		ck_assert_int_eq(it_actor_audit_count(others[i], "access.denied"), before + 4);
	}
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM rx.dispensings WHERE prescription_id = %lld", p.id), 0);
	/* A pharmacist has no list and no search: nothing answers one. */
	desk_jar(&j, w.ph1);
	ck_assert_int_eq(it_get(&j, &r, "/desk/rx"), 404);
	ck_assert_int_eq(it_get(&j, &r, "/desk/rx/"), 404);
	ck_assert_int_eq(it_get(&j, &r, "/desk?q=a"), 200);
	ck_assert_ptr_null(strstr(r.body, w.patient_name));
	ck_assert_int_eq(it_getf(&j, &r, "/desk/rx/%lld", p.id), 403);
	ck_assert_ptr_null(strstr(r.body, w.patient_name));
	/* The patients' list of their own prescriptions is not for staff. */
	ck_assert_int_eq(it_get(&j, &r, "/prescriptions"), 403);
	ck_assert_ptr_null(strstr(r.body, w.patient_name));
	http_response_free(&r);
}
END_TEST

int
main(void)
{
	return it_run_suites(it_suite("rx_desk", 180.0, open_by_code_forgiving, open_by_token_and_verdicts,
	                              tampered_and_revoked, garbage_never_500, wrong_codes_throttled, photo_upload,
	                              partial_then_full, fifty_at_once, only_pharmacists, NULL),
	                     NULL);
}
