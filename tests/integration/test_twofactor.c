/* test_twofactor: a user's own second factor through nginx against a real
 * stack (tests/integration/twofactor.stack): TOTP enrollment with its QR
 * code and recovery codes, signing in with it, renewing the codes and
 * turning it off, enrollment only with a fresh password, and staff sent to
 * enroll before anything else. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fixtures.h"
#include "http_client.h"
#include "lib/totp.h"

/* ------------------------------------------------------------ TOTP */

/* The 6-digit code of secret for time step step. */
static void
totp_at(const char *secret, uint64_t step, char out[8])
{
	unsigned char key[64];
	long n = base32_decode(secret, key, sizeof(key));
	long c;

	ck_assert_int_gt(n, 0);
	c = totp_code_at_step(key, (size_t)n, step, TOTP_DIGITS);
	ck_assert_int_ge(c, 0);
	snprintf(out, 8, "%06ld", c % 1000000);
}

/* The current time step, waiting first when the step is about to end, so
 * that the server sees the same step. */
static uint64_t
step_now(void)
{
	while (time(NULL) % TOTP_STEP >= TOTP_STEP - 3)
		usleep(200 * 1000);
	return (uint64_t)time(NULL) / TOTP_STEP;
}

/* The secret shown on the enrollment page, without spaces. */
static void
shown_secret(const struct http_response *r, char out[64])
{
	const char *p = strstr(r->body, "<code class=\"secret\">");
	size_t o = 0;

	ck_assert_msg(p != NULL, "no secret on the page");
	for (p += strlen("<code class=\"secret\">"); *p && *p != '<' && o < 63; p++)
		if (*p != ' ')
			out[o++] = *p;
	out[o] = '\0';
}

START_TEST(test_totp_enrollment_and_sign_in)
{
	struct it_jar j = { 0 }, login = { 0 };
	struct http_response r = { 0 };
	char csrf[80], secret[64], stored[80], code[8], wrong[8], first_code[20], buf[200];
	char old_token[200];
	uint64_t now;
	long long u = it_make_user(&(struct it_user){ .email = "totp@profile.test", .name = "Totp Marker", .lang = "en" });

	it_sql_session(&j, u);
	it_get(&j, &r, "/account/2fa");
	it_assert_status(&r, 200, "enrollment page");
	it_assert_has(&r, "<svg xmlns=\"http://www.w3.org/2000/svg\"", "inline SVG");
	it_assert_has(&r, "<path fill=\"#000\" d=\"M", "QR modules");
	it_assert_has(&r, "aria-label=\"QR code for your authenticator app\"", "QR label");
	it_assert_has(&r, "autocomplete=\"one-time-code\"", "code field");
	shown_secret(&r, secret);
	ck_assert_uint_eq(strlen(secret), 32);                       /* 20 bytes */
	it_sql_str(stored, sizeof(stored), "SELECT totp_secret || ' ' || (totp_enabled_at IS NULL) "
	        "FROM auth.users WHERE id = %lld", u);
	ck_assert_msg(strncmp(stored, secret, 32) == 0 && strcmp(stored + 32, " true") == 0,
	              "pending secret %s, shown %s", stored, secret);
	/* A reload shows the same pending secret. */
	it_get(&j, &r, "/account/2fa");
	shown_secret(&r, stored);
	ck_assert_str_eq(stored, secret);
	it_page_csrf(&r, csrf);

	/* A wrong code: one that matches no step of the window. */
	now = step_now();
	{
		char c0[8], c1[8], c2[8];
		long w = 0;
		totp_at(secret, now - 1, c0);
		totp_at(secret, now, c1);
		totp_at(secret, now + 1, c2);
		do {
			snprintf(wrong, sizeof(wrong), "%06ld", (w++) % 1000000);
		} while (!strcmp(wrong, c0) || !strcmp(wrong, c1) || !strcmp(wrong, c2));
	}
	it_post(&j, &r, "/account/2fa/confirm", "csrf", csrf, "code", wrong, (char *)NULL);
	it_assert_status(&r, 200, "wrong code");
	it_assert_has(&r, "The code is not correct.", "wrong code message");
	it_assert_has(&r, "<svg", "QR still shown");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE id = %lld AND totp_enabled_at IS NULL", u), 1);

	/* The right code (the previous step, so the current one is left for
	 * signing in below). */
	now = step_now();
	totp_at(secret, now - 1, code);
	snprintf(old_token, sizeof(old_token), "%s", j.session);
	it_post(&j, &r, "/account/2fa/confirm", "csrf", csrf, "code", code, (char *)NULL);
	it_assert_status(&r, 200, "right code");
	ck_assert_int_eq(str_count(r.body, "<li><code>"), 10);
	it_assert_has(&r, "shown only this once", "warning");
	ck_assert_msg(strcmp(j.session, old_token) != 0, "session not rotated");
	{
		const char *p = strstr(r.body, "<li><code>") + strlen("<li><code>");
		snprintf(first_code, sizeof(first_code), "%.*s", (int)strcspn(p, "<"), p);
		ck_assert_uint_eq(strlen(first_code), 14);
	}
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE id = %lld AND totp_enabled_at IS NOT NULL "
	                            "AND totp_last_step = %llu", u, (unsigned long long)(now - 1)), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.recovery_codes WHERE user_id = %lld", u), 10);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.recovery_codes WHERE user_id = %lld AND "
	                            "code_hash = sha256(convert_to('%s', 'UTF8'))", u, first_code), 1);
	ck_assert_int_eq(it_actor_audit_count(u, "auth.mfa_enabled"), 1);
	/* The forms of that page carry the new session's token. */
	it_page_csrf(&r, csrf);
	it_get(&j, &r, "/account/2fa");
	it_assert_status(&r, 200, "status page");
	it_assert_has(&r, "Two-step verification is on.", "on");
	it_assert_lacks(&r, "<svg", "no QR once enabled");
	it_assert_lacks(&r, secret, "no secret once enabled");
	it_assert_has(&r, "<strong>10</strong>", "codes left");
	{
		char csrf2[80];
		ck_assert_str_eq(it_page_csrf(&r, csrf2), csrf);
	}

	/* Signing in now needs the second factor. */
	it_get(&login, &r, "/login");
	it_page_csrf(&r, buf);
	it_post(&login, &r, "/login", "csrf", buf, "email", "totp@profile.test",
	                                "password", P1_PASS, (char *)NULL);
	it_assert_status(&r, 303, "password step");
	ck_assert_msg(http_header(&r, "Location") && strncmp(http_header(&r, "Location"), "/login/2fa", 10) == 0,
	              "to %s", http_header(&r, "Location") ? http_header(&r, "Location") : "-");
	it_get(&login, &r, "/profile");
	it_assert_status(&r, 303, "not signed in before the second factor");
	it_get(&login, &r, "/login/2fa");
	it_assert_status(&r, 200, "second-factor form");
	it_page_csrf(&r, buf);
	totp_at(secret, now - 1, code);
	it_post(&login, &r, "/login/2fa", "csrf", buf, "code", code, (char *)NULL);
	it_assert_status(&r, 200, "the enrollment code is not accepted again");
	totp_at(secret, step_now(), code);
	it_post(&login, &r, "/login/2fa", "csrf", buf, "code", code, (char *)NULL);
	it_assert_status(&r, 303, "second factor accepted");
	it_get(&login, &r, "/profile");
	it_assert_status(&r, 200, "signed in with both factors");

	/* New recovery codes (fresh password needed). */
	it_make_stale(u);
	it_post(&j, &r, "/account/2fa/recovery-codes", "csrf", csrf, (char *)NULL);
	it_assert_redirect(&r, "/profile/reauth?next=/account/2fa", "stale renewal");
	it_sql("UPDATE auth.sessions SET reauth_at = now() WHERE user_id = %lld", u);
	it_post(&j, &r, "/account/2fa/recovery-codes", "csrf", csrf, (char *)NULL);
	it_assert_status(&r, 200, "renewed");
	ck_assert_int_eq(str_count(r.body, "<li><code>"), 10);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.recovery_codes WHERE user_id = %lld AND "
	                            "code_hash = sha256(convert_to('%s', 'UTF8'))", u, first_code), 0);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.recovery_codes WHERE user_id = %lld", u), 10);
	ck_assert_int_eq(it_actor_audit_count(u, "auth.recovery_codes_renewed"), 1);

	/* A patient may turn it off. */
	it_post(&j, &r, "/account/2fa/disable", "csrf", csrf, (char *)NULL);
	it_assert_redirect(&r, "/account/2fa?done=disabled", "disabled");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE id = %lld AND totp_secret IS NULL "
	                            "AND totp_enabled_at IS NULL", u), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.recovery_codes WHERE user_id = %lld", u), 0);
	ck_assert_int_eq(it_actor_audit_count(u, "auth.mfa_disabled"), 1);
	http_response_free(&r);
}
END_TEST

START_TEST(test_enrollment_needs_a_fresh_password)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	long long u = it_make_user(&(struct it_user){ .email = "stale2fa@profile.test", .name = "Stale Marker", .lang = "en" });

	it_sql_session(&j, u);
	it_make_stale(u);
	it_get(&j, &r, "/account/2fa");
	it_assert_redirect(&r, "/profile/reauth?next=/account/2fa", "stale enrollment");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE id = %lld AND totp_secret IS NULL", u), 1);
	http_response_free(&r);
}
END_TEST

START_TEST(test_staff_must_enroll)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	char csrf[80], secret[64], code[8];
	long long u = it_make_user(&(struct it_user){ .email = "doctor-new@profile.test", .name = "Dr. Nuevo Marker", .role = "doctor" });

	it_sql_session(&j, u);
	it_get(&j, &r, "/profile");
	it_assert_redirect(&r, "/account/2fa", "staff without a factor");
	it_get(&j, &r, "/profile/sessions");
	it_assert_redirect(&r, "/account/2fa", "staff without a factor (sessions)");
	it_get(&j, &r, "/account/2fa");
	it_assert_status(&r, 200, "staff enrollment page");
	it_assert_has(&r, "exige la verificación en dos pasos", "staff told why");
	it_assert_has(&r, "<svg", "QR");
	it_page_csrf(&r, csrf);
	it_post(&j, &r, "/profile", "csrf", csrf, "full_name", "X", "phone", "",
	                              "language", "es", "time_zone", "UTC", (char *)NULL);
	it_assert_status(&r, 403, "staff POST before enrolling");
	it_get(&j, &r, "/account/2fa");
	shown_secret(&r, secret);
	totp_at(secret, step_now(), code);
	it_post(&j, &r, "/account/2fa/confirm", "csrf", csrf, "code", code, (char *)NULL);
	it_assert_status(&r, 200, "staff enrolled");
	ck_assert_int_eq(str_count(r.body, "<li><code>"), 10);
	it_page_csrf(&r, csrf);
	it_get(&j, &r, "/profile");
	it_assert_status(&r, 200, "staff profile after enrolling");
	it_get(&j, &r, "/account/2fa");
	it_assert_lacks(&r, "action=\"/account/2fa/disable\"", "no turn-off form for staff");
	it_post(&j, &r, "/account/2fa/disable", "csrf", csrf, (char *)NULL);
	it_assert_status(&r, 403, "staff cannot turn it off");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE id = %lld AND totp_enabled_at IS NOT NULL", u), 1);
	ck_assert_int_eq(it_actor_audit_count(u, "access.denied"), 1);
	http_response_free(&r);
}
END_TEST

/* The administrators' pages exist (admin.c): a patient gets the 403
 * page for each, never their content, and each refusal is audited. */
int
main(void)
{
	return it_run_suites(it_suite("twofactor", 120, test_totp_enrollment_and_sign_in,
	                              test_enrollment_needs_a_fresh_password, test_staff_must_enroll, NULL),
	                     NULL);
}
