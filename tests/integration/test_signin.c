/* test_signin: sign-in, the second factor, sessions and sign-out through
 * nginx against a real stack (tests/integration/signin.stack), and the
 * attacks on them: CSRF, cross-site forms, session fixation and replay,
 * timeouts, disabled accounts, account enumeration, brute force
 * (throttling per account, per address and per second factor), code
 * reuse and open redirects. */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixtures.h"
#include "http_client.h"

/* Accounts made by it_make_user share patient1's password. */
#define TEST_TOTP "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
#define FREE_FAILURES 5            /* throttle_free_failures (default) */
#define WRONG_PW "wrong password number x"
#define OTHER_TOKEN "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void
reset_throttle(void)
{
	it_sql("DELETE FROM auth.throttle");
}

/* A jar holding only the session cookie token (a saved or planted one). */
static struct it_jar
jar_with_session(const char *token)
{
	struct it_jar j = { 0 };

	snprintf(j.session, sizeof(j.session), "%s", token);
	return j;
}

/* The second factor of a pending sign-in with a fresh code; the test
 * fails unless it answers 303 to location. */
static void
give_code(struct it_jar *j, const char *secret, const char *email, const char *location)
{
	struct http_response r = { 0 };
	char csrf[IT_CSRF_LEN], *code = it_totp_next(secret, email);

	it_csrf_of(j, "/login/2fa", csrf);
	it_post(j, &r, "/login/2fa", "csrf", csrf, "code", code, (char *)NULL);
	it_assert_redirect(&r, location, "second factor");
	http_response_free(&r);
	free(code);
}

/* ============================================================ CSRF */

START_TEST(test_csrf_logout)
{
	struct it_jar j = { 0 }, other = { 0 };
	struct http_response r = { 0 };
	char mine[IT_CSRF_LEN], theirs[IT_CSRF_LEN];
	long denied;

	reset_throttle();
	it_login_password(&j, &r, P1_EMAIL, P1_PASS, NULL);
	it_assert_redirect(&r, "/", "sign in");
	it_login_password(&other, &r, P2_EMAIL, P2_PASS, NULL);
	it_csrf_of(&other, "/", theirs);
	it_csrf_of(&j, "/", mine);
	ck_assert_str_ne(mine, theirs);
	denied = it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'security.csrf_rejected'");

	it_post(&j, &r, "/logout", (char *)NULL);                         /* missing */
	it_assert_status(&r, 403, "logout without token");
	it_post(&j, &r, "/logout", "csrf", OTHER_TOKEN, (char *)NULL);
	it_assert_status(&r, 403, "logout with a wrong token");
	it_post(&j, &r, "/logout", "csrf", theirs, (char *)NULL);         /* another session's */
	it_assert_status(&r, 403, "logout with another session's token");
	/* The anonymous double-submit cookie is no token for a session. */
	it_post(&j, &r, "/logout", "csrf", j.csrf_cookie, (char *)NULL);
	it_assert_status(&r, 403, "logout with the anonymous cookie's token");
	http_response_free(&r);

	ck_assert(it_signed_in(&j));
	ck_assert(it_signed_in(&other));
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'security.csrf_rejected'"), denied + 4);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'auth.logout'"
	                            " AND subject_id = (SELECT id FROM auth.users WHERE email = '" P1_EMAIL "')"
	                            " AND at > now() - interval '1 minute'"), 0);
}
END_TEST

START_TEST(test_csrf_login)
{
	struct it_jar j = { 0 }, other = { 0 }, p2 = { 0 }, none = { 0 };
	struct http_response r = { 0 };
	char token[IT_CSRF_LEN], other_token[IT_CSRF_LEN], session_token[IT_CSRF_LEN];
	long sessions;

	reset_throttle();
	it_csrf_of(&j, "/login", token);
	it_csrf_of(&other, "/login", other_token);
	ck_assert_str_ne(token, other_token);
	it_login_password(&p2, &r, P2_EMAIL, P2_PASS, NULL);
	it_csrf_of(&p2, "/", session_token);
	sessions = it_sql_int("SELECT count(*) FROM auth.sessions");

	it_post(&j, &r, "/login", "email", P1_EMAIL, "password", P1_PASS, (char *)NULL);
	it_assert_status(&r, 403, "login without token");
	ck_assert_str_eq(j.session, "");
	it_post(&j, &r, "/login", "csrf", OTHER_TOKEN, "email", P1_EMAIL, "password", P1_PASS, (char *)NULL);
	it_assert_status(&r, 403, "login with a wrong token");
	it_post(&j, &r, "/login", "csrf", other_token, "email", P1_EMAIL, "password", P1_PASS, (char *)NULL);
	it_assert_status(&r, 403, "login with another visitor's token");
	it_post(&j, &r, "/login", "csrf", session_token, "email", P1_EMAIL, "password", P1_PASS, (char *)NULL);
	it_assert_status(&r, 403, "login with a session's token");
	/* Token in the field but no cookie to match it. */
	it_post(&none, &r, "/login", "csrf", token, "email", P1_EMAIL, "password", P1_PASS, (char *)NULL);
	it_assert_status(&r, 403, "login without the cookie");
	ck_assert(!it_signed_in(&j));
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.sessions"), sessions);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.throttle"), 0);
	/* The right token works. */
	it_post(&j, &r, "/login", "csrf", token, "email", P1_EMAIL, "password", P1_PASS, (char *)NULL);
	it_assert_redirect(&r, "/", "login with the right token");
	http_response_free(&r);
	ck_assert(it_signed_in(&j));
}
END_TEST

/* A cross-site Origin is refused before anything else. */
START_TEST(test_cross_origin_login)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	char token[IT_CSRF_LEN], cookie[200], *body;
	const char *headers[] = { cookie, "Origin: https://evil.example", NULL };
	struct http_request rq = { .method = "POST", .path = "/login", .headers = headers,
	                           .content_type = "application/x-www-form-urlencoded" };

	reset_throttle();
	it_csrf_of(&j, "/login", token);
	snprintf(cookie, sizeof(cookie), "Cookie: csrf=%s", j.csrf_cookie);
	body = it_form("csrf", token, "email", P1_EMAIL, "password", P1_PASS, (char *)NULL);
	rq.body = body;
	rq.body_len = strlen(body);
	ck_assert(http_request(&rq, &r) == 0);
	it_assert_status(&r, 403, "cross-site login");
	ck_assert_ptr_null(http_header(&r, "Location"));
	http_response_free(&r);
	free(body);
}
END_TEST

/* ============================================================ sessions */

START_TEST(test_token_changes_at_login)
{
	const char *planted_token = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	struct it_jar j = { 0 }, planted = jar_with_session(planted_token), d = { 0 }, stale;
	struct http_response r = { 0 };
	char first[sizeof(j.session)], pending[sizeof(j.session)], csrf[IT_CSRF_LEN];
	char *email = it_unique_email("rotate");

	reset_throttle();
	/* An existing session (fixation attempt) is replaced at sign-in. */
	it_login_password(&j, &r, P1_EMAIL, P1_PASS, NULL);
	snprintf(first, sizeof(first), "%s", j.session);
	ck_assert_uint_eq(strlen(first), 64);
	/* Signed in already (the form of another tab): the session's token. */
	it_csrf_of(&j, "/", csrf);
	it_post(&j, &r, "/login", "csrf", csrf, "email", P1_EMAIL, "password", P1_PASS, (char *)NULL);
	it_assert_redirect(&r, "/", "second sign-in");
	ck_assert_str_ne(first, j.session);
	stale = jar_with_session(first);
	ck_assert(!it_signed_in(&stale));
	/* A planted (unknown) session token is never adopted. */
	it_login_password(&planted, &r, P2_EMAIL, P2_PASS, NULL);
	it_assert_redirect(&r, "/", "sign-in with a planted cookie");
	ck_assert_str_ne(planted.session, planted_token);
	ck_assert(it_signed_in(&planted));
	/* After the second factor, too. */
	it_make_user(&(struct it_user){ .email = email, .name = "Rosa Rotación", .role = "doctor",
	                                .totp_secret = TEST_TOTP });
	it_login_password(&d, &r, email, P1_PASS, NULL);
	it_assert_redirect(&r, "/login/2fa", "doctor: password step");
	http_response_free(&r);
	snprintf(pending, sizeof(pending), "%s", d.session);
	give_code(&d, TEST_TOTP, email, "/");
	ck_assert_str_ne(pending, d.session);
	ck_assert(it_signed_in(&d));
	stale = jar_with_session(pending);
	ck_assert(!it_signed_in(&stale));
	free(email);
}
END_TEST

START_TEST(test_replay_after_logout)
{
	struct it_jar j = { 0 }, saved;
	struct http_response r = { 0 };
	char token[sizeof(j.session)], old_csrf[IT_CSRF_LEN];

	reset_throttle();
	it_login_password(&j, &r, P1_EMAIL, P1_PASS, NULL);
	ck_assert(it_signed_in(&j));
	it_csrf_of(&j, "/", old_csrf);   /* the sign-out form of the old session */
	saved = j;
	snprintf(token, sizeof(token), "%s", j.session);
	it_sign_out(&j);
	ck_assert_str_eq(j.session, "");
	ck_assert(!it_signed_in(&saved));
	ck_assert_str_eq(saved.session, "");   /* the server told the browser to forget it */
	snprintf(saved.session, sizeof(saved.session), "%s", token);
	/* A signed-in page sends the replayed cookie to sign in. */
	it_get(&saved, &r, "/verify/resend");
	it_assert_redirect(&r, "/login?next=/verify/resend", "replayed cookie");
	/* A form of the ended session (here: sign out again) is not obeyed and
	 * not called forbidden either: the user is asked to sign in again. */
	snprintf(saved.session, sizeof(saved.session), "%s", token);
	it_post(&saved, &r, "/logout", "csrf", old_csrf, (char *)NULL);
	it_assert_redirect(&r, "/login", "form of an ended session");
	http_response_free(&r);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.sessions WHERE token_hash = sha256('%s'::bytea)"
	                            " AND revoked_at IS NOT NULL", token), 1);
	ck_assert_int_ge(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'auth.logout'"
	                            " AND subject_id = (SELECT id FROM auth.users WHERE email = '" P1_EMAIL "')"), 1);
}
END_TEST

START_TEST(test_idle_timeout)
{
	struct it_jar j;
	struct http_response r = { 0 };

	reset_throttle();
	it_sign_in(&j, P2_EMAIL, P2_PASS, NULL);
	ck_assert(it_signed_in(&j));
	/* Just inside the idle time: still signed in. */
	it_sql("UPDATE auth.sessions SET last_seen_at = now() - make_interval(secs => idle_seconds - 60)"
	       " WHERE token_hash = sha256('%s'::bytea)", j.session);
	ck_assert(it_signed_in(&j));
	it_sql("UPDATE auth.sessions SET last_seen_at = now() - make_interval(secs => idle_seconds + 5)"
	       " WHERE token_hash = sha256('%s'::bytea)", j.session);
	it_get(&j, &r, "/verify/resend");
	it_assert_redirect(&r, "/login?next=/verify/resend", "idle session");
	http_response_free(&r);
	ck_assert(!it_signed_in(&j));
}
END_TEST

START_TEST(test_absolute_timeout)
{
	struct it_jar j;

	reset_throttle();
	it_sign_in(&j, P2_EMAIL, P2_PASS, NULL);
	ck_assert(it_signed_in(&j));
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.sessions WHERE token_hash = sha256('%s'::bytea)"
	                            " AND expires_at BETWEEN now() + interval '11 hours' AND now() + interval '13 hours'",
	                            j.session), 1);
	it_sql("UPDATE auth.sessions SET expires_at = now() - interval '1 second', last_seen_at = now()"
	       " WHERE token_hash = sha256('%s'::bytea)", j.session);
	ck_assert(!it_signed_in(&j));
}
END_TEST

START_TEST(test_disabled_account)
{
	char *email = it_unique_email("disabled");
	struct it_jar j = { 0 }, k = { 0 }, u = { 0 };
	struct http_response r = { 0 }, wrong = { 0 };

	reset_throttle();
	it_make_user(&(struct it_user){ .email = email, .name = "Dora Desactivada" });
	it_login_password(&j, &r, email, P1_PASS, NULL);
	it_assert_redirect(&r, "/", "sign in");
	ck_assert(it_signed_in(&j));
	it_sql("UPDATE auth.users SET disabled_at = now() WHERE email = '%s'", email);
	/* The existing session stops working on the next request. */
	ck_assert(!it_signed_in(&j));
	/* A wrong password gets the generic answer: nothing says the account
	 * is disabled. Only the right password is told so (issue 15). */
	it_login_password(&k, &r, email, P1_PASS, NULL);
	it_login_password(&u, &wrong, email, "not the password at all", NULL);
	it_assert_status(&wrong, 200, "disabled account, wrong password");
	it_assert_has(&wrong, "id=\"login-failed\"", "disabled account, wrong password");
	it_assert_lacks(&wrong, "id=\"login-disabled\"", "disabled account, wrong password");
	it_assert_lacks(&wrong, "desactivada", "disabled account, wrong password");
	it_assert_status(&r, 200, "disabled account, right password");
	it_assert_has(&r, "id=\"login-disabled\"", "disabled account, right password");
	it_assert_has(&r, "Esta cuenta está desactivada", "disabled account, right password");
	it_assert_lacks(&r, "id=\"login-failed\"", "disabled account, right password");
	ck_assert_ptr_null(http_header(&r, "Location"));
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'auth.login_failed'"
	                            " AND object = 'disabled' AND subject_id = %lld", it_user_id(email)), 1);
	http_response_free(&r);
	http_response_free(&wrong);
	ck_assert(!it_signed_in(&k));
	free(email);
}
END_TEST

/* ============================================================ enumeration */

/* The body with what legitimately differs taken out: hex tokens (CSRF
 * values, request ids) and the e-mail typed. malloc'd. */
static char *
normalised(const char *body, const char *email)
{
	size_t elen = strlen(email);
	char *out = calloc(1, strlen(body) + 1), *o;

	ck_assert_ptr_nonnull(out);
	o = out;
	for (const char *p = body; *p;) {
		size_t n = 0;
		if (strncmp(p, email, elen) == 0) {
			*o++ = '@';
			p += elen;
			continue;
		}
		while (isxdigit((unsigned char)p[n]) && !isupper((unsigned char)p[n]))
			n++;
		if (n >= 16) {
			*o++ = '#';
			p += n;
			continue;
		}
		*o++ = *p++;
	}
	*o = '\0';
	return out;
}

START_TEST(test_unknown_email_same_as_wrong_password)
{
	struct it_jar a = { 0 }, b = { 0 }, c = { 0 };
	struct http_response unknown = { 0 }, wrong = { 0 }, nodomain = { 0 };
	char *x, *y, *z;
	const char *ghost = "nobody-here@clinic.test";

	reset_throttle();
	it_login_password(&a, &unknown, ghost, "some password 1234", NULL);
	it_login_password(&b, &wrong, P1_EMAIL, "some password 1234", NULL);
	it_login_password(&c, &nodomain, "ghost@unknown-domain.test", "some password 1234", NULL);
	ck_assert_int_eq(unknown.status, 200);
	ck_assert_int_eq(unknown.status, wrong.status);
	ck_assert_int_eq(unknown.status, nodomain.status);
	x = normalised(unknown.body, ghost);
	y = normalised(wrong.body, P1_EMAIL);
	z = normalised(nodomain.body, "ghost@unknown-domain.test");
	ck_assert_str_eq(x, y);
	ck_assert_str_eq(x, z);
	ck_assert_uint_eq(http_header_count(&unknown, "Set-Cookie"), http_header_count(&wrong, "Set-Cookie"));
	it_assert_has(&wrong, "id=\"login-failed\"", "wrong password");
	it_assert_lacks(&wrong, "some password 1234", "wrong password: the password is not echoed");
	/* Both failures are audited; the known account is the subject. */
	ck_assert_int_ge(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'auth.login_failed'"
	                            " AND subject_id = (SELECT id FROM auth.users WHERE email = '" P1_EMAIL "')"), 1);
	ck_assert_int_ge(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'auth.login_failed'"
	                            " AND subject_id IS NULL AND object = 'unknown'"), 2);
	free(x);
	free(y);
	free(z);
	http_response_free(&unknown);
	http_response_free(&wrong);
	http_response_free(&nodomain);
}
END_TEST

/* ============================================================ throttling */

/* A 429 sign-in page normalised (see normalised) with its wait taken out:
 * the test fails unless the page says to wait exactly its Retry-After
 * seconds, in the right number ("<strong>1 segundo</strong>",
 * "<strong>N segundos</strong>"), which becomes "<strong>~</strong>".
 * Two such pages must then be equal although their waits may differ by
 * a second (and so in plural) when the machine is slow. malloc'd. */
static char *
throttled_page(const struct http_response *r, const char *email)
{
	const char *after = http_header(r, "Retry-After");
	long secs = after ? atol(after) : 0;
	char *wait, *at, *body, *out;

	it_assert_status(r, 429, "throttled");
	ck_assert_msg(secs >= 1 && secs < 120, "Retry-After: %s", after ? after : "(none)");
	wait = it_fmt("<strong>%ld %s</strong>", secs, secs == 1 ? "segundo" : "segundos");
	at = strstr(r->body, wait);
	ck_assert_msg(at != NULL, "the 429 page does not say %s: %.600s", wait, r->body);
	body = it_fmt("%.*s<strong>~</strong>%s", (int)(at - r->body), r->body, at + strlen(wait));
	out = normalised(body, email);
	free(body);
	free(wait);
	return out;
}

START_TEST(test_throttle_account)
{
	char *email = it_unique_email("throttle"), *x, *y;
	const char *ghost_email = "ghost-throttle@clinic.test";
	struct it_jar j = { 0 };
	struct http_response r = { 0 }, ghost = { 0 };

	reset_throttle();
	it_make_user(&(struct it_user){ .email = email, .name = "Tomás Throttle" });
	for (int i = 0; i < FREE_FAILURES; i++) {
		it_login_password(&j, &r, email, WRONG_PW, NULL);
		it_assert_status(&r, 200, "a failure");
		it_assert_has(&r, "id=\"login-failed\"", "a failure");
	}
	/* Only the account should be blocked now: forget the address's count. */
	it_sql("DELETE FROM auth.throttle WHERE key LIKE 'addr:%%'");
	it_login_password(&j, &r, email, P1_PASS, NULL);        /* even the right password */
	it_assert_status(&r, 429, "account throttled");
	ck_assert_ptr_nonnull(http_header(&r, "Retry-After"));
	ck_assert_int_gt(atoi(http_header(&r, "Retry-After")), 0);
	ck_assert(!it_signed_in(&j));
	/* Another account from the same address is not affected. */
	it_login_password(&j, &r, P2_EMAIL, P2_PASS, NULL);
	it_assert_redirect(&r, "/", "other account");
	it_sign_out(&j);
	/* An unknown address is throttled the same way, with the same page. */
	reset_throttle();
	for (int i = 0; i < FREE_FAILURES; i++) {
		it_login_password(&j, &r, ghost_email, WRONG_PW, NULL);
		it_login_password(&j, &r, email, WRONG_PW, NULL);
		it_sql("DELETE FROM auth.throttle WHERE key LIKE 'addr:%%'");
	}
	it_login_password(&j, &ghost, ghost_email, WRONG_PW, NULL);
	it_login_password(&j, &r, email, WRONG_PW, NULL);
	x = throttled_page(&ghost, ghost_email);
	y = throttled_page(&r, email);
	ck_assert_str_eq(x, y);
	ck_assert_uint_eq(http_header_count(&ghost, "Set-Cookie"), http_header_count(&r, "Set-Cookie"));
	http_response_free(&ghost);
	free(x);
	free(y);
	/* The delay grows: after it ends, one more failure blocks for longer. */
	sleep(3);
	it_login_password(&j, &r, email, WRONG_PW, NULL);
	it_assert_status(&r, 200, "after the block");
	ck_assert_int_ge(it_sql_int("SELECT ceil(extract(epoch FROM blocked_until - now()))::int FROM auth.throttle"
	                            " WHERE key = 'acct:%s'", email), 3);
	/* A success resets the account's count. */
	reset_throttle();
	for (int i = 0; i < FREE_FAILURES - 1; i++)
		it_login_password(&j, &r, email, WRONG_PW, NULL);
	it_login_password(&j, &r, email, P1_PASS, NULL);
	it_assert_redirect(&r, "/", "success before the limit");
	http_response_free(&r);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.throttle WHERE key = 'acct:%s'", email), 0);
	free(email);
}
END_TEST

START_TEST(test_throttle_address)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };

	reset_throttle();
	for (int i = 0; i < FREE_FAILURES; i++) {
		char *e = it_unique_email("spray");
		it_login_password(&j, &r, e, "wrong password number y", NULL);
		it_assert_status(&r, 200, "one failure per account");
		free(e);
	}
	/* A fresh account with the right password, from the same address. */
	it_login_password(&j, &r, P2_EMAIL, P2_PASS, NULL);
	it_assert_status(&r, 429, "address throttled");
	ck_assert(!it_signed_in(&j));
	ck_assert_int_ge(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'auth.login_throttled'"), 1);
	reset_throttle();
	it_login_password(&j, &r, P2_EMAIL, P2_PASS, NULL);
	it_assert_redirect(&r, "/", "after the block");
	http_response_free(&r);
}
END_TEST

/* ============================================================ second factor */

START_TEST(test_totp_single_use)
{
	struct it_jar j = { 0 }, k = { 0 };
	struct http_response r = { 0 };
	char csrf[IT_CSRF_LEN], spaced[8], *code;

	reset_throttle();
	it_login_password(&j, &r, D1_EMAIL, D1_PASS, NULL);
	it_assert_redirect(&r, "/login/2fa", "password step");
	/* Pending: no signed-in page yet. */
	it_get(&j, &r, "/verify/resend");
	it_assert_redirect(&r, "/login?next=/verify/resend", "pending session is not signed in");
	it_csrf_of(&j, "/login/2fa", csrf);
	code = it_totp_next(D1_TOTP, D1_EMAIL);
	it_post(&j, &r, "/login/2fa", "csrf", csrf, "code", code, (char *)NULL);
	it_assert_redirect(&r, "/", "first use");
	/* The same code again, in another browser: refused. */
	it_login_password(&k, &r, D1_EMAIL, D1_PASS, NULL);
	it_assert_redirect(&r, "/login/2fa", "password step again");
	it_csrf_of(&k, "/login/2fa", csrf);
	it_post(&k, &r, "/login/2fa", "csrf", csrf, "code", code, (char *)NULL);
	it_assert_status(&r, 200, "second use");
	it_assert_has(&r, "id=\"code-error\"", "second use");
	ck_assert(!it_signed_in(&k));
	ck_assert_int_ge(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'auth.mfa_failed'"
	                            " AND subject_id = (SELECT id FROM auth.users WHERE email = '" D1_EMAIL "')"), 1);
	free(code);
	/* A fresh code works; "123 456"-style spacing is accepted. */
	code = it_totp_next(D1_TOTP, D1_EMAIL);
	snprintf(spaced, sizeof(spaced), "%.3s %.3s", code, code + 3);
	it_post(&k, &r, "/login/2fa", "csrf", csrf, "code", spaced, (char *)NULL);
	it_assert_redirect(&r, "/", "fresh code");
	http_response_free(&r);
	ck_assert(it_signed_in(&k));
	ck_assert_int_ge(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'auth.mfa_ok'"
	                            " AND subject_id = (SELECT id FROM auth.users WHERE email = '" D1_EMAIL "')"), 2);
	free(code);
}
END_TEST

START_TEST(test_recovery_code_and_cancel)
{
	char *email = it_unique_email("recovery");
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	char csrf[IT_CSRF_LEN], pending[sizeof(j.session)];

	reset_throttle();
	it_make_user(&(struct it_user){ .email = email, .name = "Rita Recuperación", .role = "doctor",
	                                .totp_secret = TEST_TOTP });
	it_sql("INSERT INTO auth.recovery_codes (user_id, code_hash)"
	       " SELECT id, sha256('abcd-efgh-jkmn'::bytea) FROM auth.users WHERE email = '%s'", email);
	it_login_password(&j, &r, email, P1_PASS, "/profile");
	it_assert_redirect(&r, "/login/2fa?next=/profile", "password step keeps next");
	it_csrf_of(&j, "/login/2fa?next=/profile", csrf);
	it_post(&j, &r, "/login/2fa", "csrf", csrf, "code", "ABCD EFGH JKMN", "next", "/profile", (char *)NULL);
	it_assert_redirect(&r, "/profile", "recovery code");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.recovery_codes r JOIN auth.users u ON u.id = r.user_id"
	                            " WHERE u.email = '%s' AND r.used_at IS NOT NULL", email), 1);
	it_sign_out(&j);
	/* Used up. Then cancel the pending sign-in. */
	it_login_password(&j, &r, email, P1_PASS, NULL);
	it_csrf_of(&j, "/login/2fa", csrf);
	it_post(&j, &r, "/login/2fa", "csrf", csrf, "code", "abcdefghjkmn", (char *)NULL);
	it_assert_status(&r, 200, "used recovery code");
	it_assert_has(&r, "id=\"code-error\"", "used recovery code");
	snprintf(pending, sizeof(pending), "%s", j.session);
	it_post(&j, &r, "/logout", "csrf", csrf, (char *)NULL);
	it_assert_redirect(&r, "/", "cancel");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.sessions WHERE token_hash = sha256('%s'::bytea)"
	                            " AND revoked_at IS NOT NULL", pending), 1);
	it_get(&j, &r, "/login/2fa");
	it_assert_redirect(&r, "/login", "no pending sign-in");
	http_response_free(&r);
	free(email);
}
END_TEST

START_TEST(test_mfa_throttle)
{
	char *email = it_unique_email("mfathrottle"), *code;
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	char csrf[IT_CSRF_LEN];

	reset_throttle();
	it_make_user(&(struct it_user){ .email = email, .name = "Mario Factor", .totp_secret = TEST_TOTP });
	it_login_password(&j, &r, email, P1_PASS, NULL);
	it_csrf_of(&j, "/login/2fa", csrf);
	for (int i = 0; i < FREE_FAILURES; i++) {
		it_post(&j, &r, "/login/2fa", "csrf", csrf, "code", "000000", (char *)NULL);
		it_assert_status(&r, 200, "wrong code");
	}
	it_sql("DELETE FROM auth.throttle WHERE key LIKE 'addr:%%'");
	code = it_totp_next(TEST_TOTP, email);
	it_post(&j, &r, "/login/2fa", "csrf", csrf, "code", code, (char *)NULL);
	it_assert_status(&r, 429, "second factor throttled");
	/* Signing in again with the password does not reset the code count
	 * (the block is stretched so that slow machines see it too). */
	memset(&j, 0, sizeof(j));
	it_login_password(&j, &r, email, P1_PASS, NULL);
	it_assert_redirect(&r, "/login/2fa", "password again");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.throttle t JOIN auth.users u ON t.key = 'mfa:' || u.id"
	                            " WHERE u.email = '%s' AND t.failures >= %d", email, FREE_FAILURES), 1);
	it_sql("UPDATE auth.throttle SET blocked_until = now() + interval '1 minute' WHERE key LIKE 'mfa:%%'");
	it_csrf_of(&j, "/login/2fa", csrf);
	it_post(&j, &r, "/login/2fa", "csrf", csrf, "code", code, (char *)NULL);
	it_assert_status(&r, 429, "still throttled");
	http_response_free(&r);
	free(code);
	free(email);
}
END_TEST

/* ============================================================ redirects */

START_TEST(test_open_redirect)
{
	/* As the browser sends them (decoded). */
	static const char *const bad[] = {
		"//evil.example/", "https://evil.example/", "/\\evil.example", "\\\\evil.example",
		"/\t/evil.example", "http:/evil.example", "javascript:alert(1)", " //evil.example",
		"/\r\nSet-Cookie: x=1", "",
	};
	struct it_jar j;
	struct http_response r = { 0 };
	char csrf[IT_CSRF_LEN], *code, *email = it_unique_email("redirect");

	reset_throttle();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&j, 0, sizeof(j));
		it_login_password(&j, &r, P1_EMAIL, P1_PASS, bad[i]);
		it_assert_redirect(&r, "/", bad[i]);
	}
	memset(&j, 0, sizeof(j));
	it_login_password(&j, &r, P1_EMAIL, P1_PASS, "/profile?tab=1");
	it_assert_redirect(&r, "/profile?tab=1", "a local next");
	/* Signed in: /login goes straight on, with the same rules. */
	it_get(&j, &r, "/login?next=//evil.example");
	it_assert_redirect(&r, "/", "signed-in /login with a bad next");
	/* Through the second factor. */
	memset(&j, 0, sizeof(j));
	it_make_user(&(struct it_user){ .email = email, .name = "Rebeca Redirección", .totp_secret = TEST_TOTP });
	it_login_password(&j, &r, email, P1_PASS, "//evil.example");
	it_assert_redirect(&r, "/login/2fa", "bad next dropped before the second factor");
	it_csrf_of(&j, "/login/2fa", csrf);
	code = it_totp_next(TEST_TOTP, email);
	it_post(&j, &r, "/login/2fa", "csrf", csrf, "code", code, "next", "https://evil.example", (char *)NULL);
	it_assert_redirect(&r, "/", "bad next after the second factor");
	http_response_free(&r);
	free(code);
	free(email);
}
END_TEST

int
main(void)
{
	Suite *signin = it_suite("signin", 120, test_csrf_logout, test_csrf_login, test_cross_origin_login,
	                         test_token_changes_at_login, test_replay_after_logout, test_idle_timeout,
	                         test_absolute_timeout, test_disabled_account,
	                         test_unknown_email_same_as_wrong_password, test_throttle_account,
	                         test_throttle_address, test_open_redirect, NULL);
	Suite *mfa = it_suite("second factor", 120, test_totp_single_use, test_recovery_code_and_cancel,
	                      test_mfa_throttle, NULL);

	return it_run_suites(signin, mfa, NULL);
}
