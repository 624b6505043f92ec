/* test_register: registration and e-mail verification through nginx
 * against a real stack (tests/integration/register.stack): the whole life
 * of an account (register, verify by the mailed link, sign in, add the
 * second factor, recover the password), the form's checks, an address
 * that already has an account, and every state of a verification link. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "http_client.h"

/* Accounts made by it_make_user share patient1's password. */
#define TEST_TOTP "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

/* Register through the form; the test fails unless it is accepted (the
 * same answer whether or not the address has an account). */
static void
register_account(struct it_jar *j, const char *email, const char *name, const char *pw, const char *lang)
{
	struct http_response r = { 0 };
	char csrf[IT_CSRF_LEN];

	it_csrf_of(j, "/register", csrf);
	it_post(j, &r, "/register", "csrf", csrf, "full_name", name, "birth_date", "1984-02-29",
	        "email", email, "phone", "+34 600 111 222", "password", pw, "password_confirm", pw,
	        "language", lang, (char *)NULL);
	it_assert_redirect(&r, "/register/sent", "register");
	http_response_free(&r);
}

/* The password step, then the second factor with a fresh code: the
 * session is not usable in between, and its token changes when the
 * second factor is given. */
static void
sign_in_2fa(struct it_jar *j, const char *email, const char *pw)
{
	struct http_response r = { 0 };
	char csrf[IT_CSRF_LEN], pending[sizeof(j->session)], *code;

	it_login_password(j, &r, email, pw, NULL);
	it_assert_redirect(&r, "/login/2fa", "password step");
	ck_assert(!it_signed_in(j));
	snprintf(pending, sizeof(pending), "%s", j->session);
	ck_assert_uint_eq(strlen(pending), 64);
	it_csrf_of(j, "/login/2fa", csrf);
	code = it_totp_next(TEST_TOTP, email);
	it_post(j, &r, "/login/2fa", "csrf", csrf, "code", code, (char *)NULL);
	it_assert_redirect(&r, "/", "second factor");
	http_response_free(&r);
	free(code);
	ck_assert_str_ne(pending, j->session);
	ck_assert(it_signed_in(j));
}

/* Forgotten password: ask for the mail and set pw through its link. */
static void
recover(const char *email, const char *pw)
{
	struct it_jar anon = { 0 };
	struct http_response r = { 0 };
	char csrf[IT_CSRF_LEN], *tok;

	it_csrf_of(&anon, "/password/forgot", csrf);
	it_post(&anon, &r, "/password/forgot", "csrf", csrf, "email", email, (char *)NULL);
	it_assert_redirect(&r, "/password/forgot?sent=1", "forgot");
	tok = it_mail_token(email, "/password/reset");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.tokens WHERE token_hash = sha256('%s'::bytea)"
	                            " AND purpose = 'reset_password' AND expires_at < now() + interval '31 minutes'", tok), 1);
	it_getf(&anon, &r, "/password/reset?token=%s", tok);
	it_assert_status(&r, 200, "reset form");
	it_page_csrf(&r, csrf);
	it_post(&anon, &r, "/password/reset", "csrf", csrf, "token", tok, "password", pw,
	        "password_confirm", pw, (char *)NULL);
	it_assert_redirect(&r, "/login?done=reset", "reset");
	http_response_free(&r);
	free(tok);
}

START_TEST(test_full_flow)
{
	char *email = it_unique_email("flow"), *tok;
	const char *pw = "correct horse battery staple 2026";
	const char *pw2 = "a brand new passphrase for 2026";
	struct it_jar j = { 0 }, old, k = { 0 };
	struct http_response r = { 0 };

	it_sql("DELETE FROM auth.throttle");
	/* Register: the "check your mailbox" page. */
	register_account(&j, email, "Flora Flujo", pw, "en");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users u JOIN auth.user_roles r ON r.user_id = u.id"
	                            " WHERE u.email = '%s' AND r.role = 'patient' AND u.email_verified_at IS NULL"
	                            " AND u.language = 'en' AND u.phone = '+34 600 111 222'", email), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events e JOIN auth.users u ON u.id = e.subject_id"
	                            " WHERE u.email = '%s' AND e.action = 'auth.registered'", email), 1);
	it_get(&j, &r, "/register/sent");
	it_assert_status(&r, 200, "register/sent");

	/* The verification mail reaches the SMTP sink; its link verifies. */
	tok = it_mail_token(email, "/verify");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.tokens WHERE token_hash = sha256('%s'::bytea)"
	                            " AND purpose = 'verify_email' AND expires_at > now() + interval '23 hours'", tok), 1);
	it_getf(&j, &r, "/verify?token=%s", tok);
	it_assert_status(&r, 200, "verify");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE email = '%s' AND email_verified_at IS NOT NULL", email), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events e JOIN auth.users u ON u.id = e.subject_id"
	                            " WHERE u.email = '%s' AND e.action = 'auth.email_verified'", email), 1);
	free(tok);

	/* Sign in with the password; the account has no second factor yet. */
	it_login_password(&j, &r, email, pw, NULL);
	it_assert_redirect(&r, "/", "sign in");
	ck_assert(it_signed_in(&j));

	/* The second factor (enrolment is the profile page's: here by SQL). */
	it_sql("UPDATE auth.users SET totp_secret = '" TEST_TOTP "', totp_enabled_at = now() WHERE email = '%s'", email);
	it_sign_out(&j);
	ck_assert(!it_signed_in(&j));

	/* Password, then TOTP. */
	sign_in_2fa(&j, email, pw);

	/* Forgotten password: mail, reset. */
	old = j;
	recover(email, pw2);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE payload->>'to' = '%s'"
	                            " AND payload->>'template' = 'password_changed'", email), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events e JOIN auth.users u ON u.id = e.subject_id"
	                            " WHERE u.email = '%s' AND e.action = 'auth.password_reset'", email), 1);

	/* Every old session is gone: the saved cookie gets the signed-out view. */
	ck_assert(!it_signed_in(&old));
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.sessions s JOIN auth.users u ON u.id = s.user_id"
	                            " WHERE u.email = '%s' AND s.revoked_at IS NULL", email), 0);

	/* The old password no longer works; the new one needs the TOTP again. */
	it_login_password(&k, &r, email, pw, NULL);
	it_assert_status(&r, 200, "old password");
	it_assert_has(&r, "id=\"login-failed\"", "old password");
	http_response_free(&r);
	sign_in_2fa(&k, email, pw2);
	free(email);
}
END_TEST

START_TEST(test_register_existing_email)
{
	char *fresh = it_unique_email("unverified");
	struct it_jar j = { 0 };
	long users = it_sql_int("SELECT count(*) FROM auth.users");
	long mails;

	it_sql("DELETE FROM auth.throttle");
	/* A verified account: the same page, no account; the owner gets a
	 * "you already have an account" mail (issue 15) with nothing typed
	 * in the form, at most one a minute. */
	mails = it_sql_int("SELECT count(*) FROM outbox.events WHERE payload->>'to' = '" P1_EMAIL "'");
	register_account(&j, P1_EMAIL, "Someone Else", "another long passphrase 77", "es");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users"), users);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE payload->>'to' = '" P1_EMAIL "'"),
	                 mails + 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE payload->>'to' = '" P1_EMAIL "'"
	                            " AND payload->>'template' = 'account_exists'"
	                            " AND payload::text NOT LIKE '%%Someone Else%%'"), 1);
	{
		char *mail = it_mail_wait(P1_EMAIL, "Alguien ha intentado registrarse con esta direcci");
		if (mail) {
			ck_assert_msg(strstr(mail, "Someone Else") == NULL, "the typed name reached the owner");
			ck_assert_msg(strstr(mail, "/password/forgot") != NULL, "the mail links to the reset page");
			free(mail);
		}
	}
	register_account(&j, P1_EMAIL, "Someone Else", "another long passphrase 77", "es");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE payload->>'to' = '" P1_EMAIL "'"),
	                 mails + 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE email = '" P1_EMAIL "'"
	                            " AND full_name = 'Paciente Uno'"), 1);
	/* Not yet verified: a fresh verification link for the owner, once a minute. */
	it_make_user(&(struct it_user){ .email = fresh, .name = "Una Verificada", .unverified = 1 });
	register_account(&j, fresh, "Someone Else", "another long passphrase 77", "es");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE payload->>'to' = '%s'"
	                            " AND payload->>'template' = 'verify_email'", fresh), 1);
	/* The address is not proven: no name (typed by anyone) in the mail. */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE payload->>'to' = '%s'"
	                            " AND (payload->'params' ? 'name' OR payload::text LIKE '%%Verificada%%'"
	                            " OR payload::text LIKE '%%Someone%%')", fresh), 0);
	register_account(&j, fresh, "Someone Else", "another long passphrase 77", "es");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE payload->>'to' = '%s'"
	                            " AND payload->>'template' = 'verify_email'", fresh), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE email = '%s'"
	                            " AND full_name = 'Una Verificada'", fresh), 1);
	free(fresh);
}
END_TEST

START_TEST(test_register_validation)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	char csrf[IT_CSRF_LEN];
	char *email = it_unique_email("valid"), *local, *pw;
	long users = it_sql_int("SELECT count(*) FROM auth.users");

	it_sql("DELETE FROM auth.throttle");
	it_csrf_of(&j, "/register", csrf);
	/* Too short; typed values kept, passwords not. */
	it_post(&j, &r, "/register", "csrf", csrf, "full_name", "Valeria <Válida>", "birth_date", "1990-01-31",
	        "email", email, "phone", "", "password", "short1", "password_confirm", "short1",
	        "language", "es", (char *)NULL);
	it_assert_status(&r, 200, "short password");
	it_assert_has(&r, "La contraseña es demasiado corta", "short password");
	it_assert_has(&r, "value=\"Valeria &lt;Válida&gt;\"", "name kept (escaped)");
	it_assert_has(&r, email, "e-mail kept");
	it_assert_has(&r, "value=\"1990-01-31\"", "date kept");
	it_assert_lacks(&r, "short1", "password not echoed");
	it_assert_has(&r, "aria-invalid=\"true\" aria-describedby=\"password-error", "error tied to the field");
	it_assert_has(&r, "<li><a href=\"#password\">", "the error summary links to the field");
	/* Common. */
	it_post(&j, &r, "/register", "csrf", csrf, "full_name", "Valeria", "birth_date", "1990-01-31",
	        "email", email, "password", "password123", "password_confirm", "password123", "language", "es",
	        (char *)NULL);
	it_assert_status(&r, 200, "common password");
	it_assert_has(&r, "demasiado común", "common password");
	/* Contains the e-mail's local part. */
	local = strndup(email, (size_t)(strchr(email, '@') - email));
	pw = it_fmt("xx%sxx-long-enough", local);
	it_post(&j, &r, "/register", "csrf", csrf, "full_name", "Valeria", "birth_date", "1990-01-31",
	        "email", email, "password", pw, "password_confirm", pw, "language", "es", (char *)NULL);
	it_assert_status(&r, 200, "password with the e-mail");
	it_assert_has(&r, "no debe contener su dirección de correo", "password with the e-mail");
	free(pw);
	free(local);
	/* Contains the name. */
	it_post(&j, &r, "/register", "csrf", csrf, "full_name", "Valeria Montesinos", "birth_date", "1990-01-31",
	        "email", email, "password", "montesinos-rules-forever", "password_confirm", "montesinos-rules-forever",
	        "language", "en", (char *)NULL);
	it_assert_has(&r, "no debe contener su nombre", "password with the name");
	it_assert_has(&r, "<option value=\"en\" lang=\"en\" selected>", "language kept");
	/* Mismatch, bad date, bad e-mail, future birth date. */
	it_post(&j, &r, "/register", "csrf", csrf, "full_name", "", "birth_date", "2999-01-01",
	        "email", "not-an-email", "password", "a fine long passphrase", "password_confirm", "a different one",
	        "language", "xx", (char *)NULL);
	it_assert_status(&r, 200, "several errors");
	it_assert_has(&r, "id=\"full_name-error\"", "name required");
	it_assert_has(&r, "id=\"email-error\"", "bad e-mail");
	it_assert_has(&r, "id=\"birth_date-error\"", "future date");
	it_assert_has(&r, "id=\"language-error\"", "bad language");
	it_post(&j, &r, "/register", "csrf", csrf, "full_name", "Valeria", "birth_date", "1990-01-31",
	        "email", email, "password", "a fine long passphrase", "password_confirm", "a different one",
	        "language", "es", (char *)NULL);
	it_assert_has(&r, "Las dos contraseñas no coinciden", "mismatch");
	/* An address no mail server may take. */
	it_post(&j, &r, "/register", "csrf", csrf, "full_name", "Valeria", "birth_date", "1990-01-31",
	        "email", "ñandú@clinic.test", "password", "a fine long passphrase",
	        "password_confirm", "a fine long passphrase", "language", "es", (char *)NULL);
	it_assert_status(&r, 200, "non-ASCII address");
	it_assert_has(&r, "id=\"email-error\"", "non-ASCII address");
	it_assert_has(&r, "value=\"ñandú@clinic.test\"", "non-ASCII address kept");
	http_response_free(&r);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users"), users);
	free(email);
}
END_TEST

START_TEST(test_verify_token_states)
{
	char *email = it_unique_email("verify");
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	char csrf[IT_CSRF_LEN];
	const char *expired = "1111111111111111111111111111111111111111111111111111111111111111";
	const char *valid = "2222222222222222222222222222222222222222222222222222222222222222";

	it_sql("DELETE FROM auth.throttle");
	it_make_user(&(struct it_user){ .email = email, .name = "Vera Verifica", .unverified = 1 });
	it_sql("INSERT INTO auth.tokens (user_id, purpose, token_hash, expires_at)"
	       " SELECT id, 'verify_email', sha256('%s'::bytea), now() - interval '1 minute' FROM auth.users WHERE email = '%s';"
	       "INSERT INTO auth.tokens (user_id, purpose, token_hash, expires_at)"
	       " SELECT id, 'verify_email', sha256('%s'::bytea), now() + interval '1 hour' FROM auth.users WHERE email = '%s'",
	       expired, email, valid, email);
	it_getf(&j, &r, "/verify?token=%s", expired);
	it_assert_status(&r, 410, "expired verification link");
	it_assert_has(&r, "class=\"alert-box\"", "expired verification link");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE email = '%s' AND email_verified_at IS NULL", email), 1);
	it_get(&j, &r, "/verify?token=abc");
	it_assert_status(&r, 400, "malformed verification link");
	it_get(&j, &r, "/verify");
	it_assert_status(&r, 400, "no token");
	/* A reset token is no verification token. */
	it_getf(&j, &r, "/password/reset?token=%s", valid);
	it_assert_status(&r, 400, "token of another purpose");
	/* Unverified: signed in, with the reminder on every page (layout.cs,
	 * Page.user.unverified); resend limited. */
	it_login_password(&j, &r, email, P1_PASS, NULL);
	it_assert_redirect(&r, "/", "unverified sign-in");
	it_get(&j, &r, "/");
	it_assert_has(&r, "href=\"/verify/resend\"", "the reminder in the layout");
	it_get(&j, &r, "/verify/resend");
	it_assert_status(&r, 200, "reminder");
	it_assert_has(&r, "action=\"/verify/resend\"", "reminder");
	it_page_csrf(&r, csrf);
	it_post(&j, &r, "/verify/resend", "csrf", csrf, (char *)NULL);
	it_assert_redirect(&r, "/verify/resend?status=sent", "resend");
	it_post(&j, &r, "/verify/resend", "csrf", csrf, (char *)NULL);
	it_assert_redirect(&r, "/verify/resend?status=wait", "resend again at once");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE payload->>'to' = '%s'"
	                            " AND payload->>'template' = 'verify_email'", email), 1);
	/* The valid one works (signed in), then is used; a HEAD (link
	 * checkers) does not use it up. */
	{
		char *p = it_fmt("/verify?token=%s", valid);
		it_send(&j, &r, "HEAD", p, NULL);
		it_assert_status(&r, 200, "HEAD of a valid link");
		ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE email = '%s' AND email_verified_at IS NULL", email), 1);
		it_get(&j, &r, p);
		it_assert_status(&r, 200, "valid link");
		it_get(&j, &r, p);
		it_assert_status(&r, 410, "used link");
		free(p);
	}
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE email = '%s' AND email_verified_at IS NOT NULL", email), 1);
	/* Verifying ended the other verification link (the resent one). */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.tokens t JOIN auth.users u ON u.id = t.user_id"
	                            " WHERE u.email = '%s' AND t.used_at IS NULL AND t.expires_at > now()", email), 0);
	it_get(&j, &r, "/");
	it_assert_lacks(&r, "href=\"/verify/resend\"", "no reminder once verified");
	it_get(&j, &r, "/verify/resend");
	it_assert_has(&r, "class=\"notice-box\"", "already verified");
	it_assert_lacks(&r, "action=\"/verify/resend\"", "already verified");
	http_response_free(&r);
	free(email);
}
END_TEST

/* The pages in English when the visitor chose it. */
START_TEST(test_english)
{
	struct it_jar j = { .lang = "en" };
	struct http_response r = { 0 };

	it_get(&j, &r, "/login");
	it_assert_status(&r, 200, "login in English");
	it_assert_has(&r, "<html lang=\"en\">", "login in English");
	it_assert_has(&r, "I forgot my password", "login in English");
	it_assert_has(&r, "autocomplete=\"current-password\"", "login form");
	it_get(&j, &r, "/register");
	it_assert_has(&r, "Create an account", "register in English");
	it_assert_has(&r, "autocomplete=\"new-password\"", "register form");
	http_response_free(&r);
}
END_TEST

int
main(void)
{
	return it_run_suites(it_suite("register", 120, test_full_flow, test_register_existing_email,
	                              test_register_validation, test_verify_token_states, test_english, NULL),
	                     NULL);
}
