/* test_profile: the signed-in user's own account through nginx against a
 * real stack: profile edits and language, re-authentication and its
 * throttle, password change (other sessions end, this one rotates),
 * e-mail change by e-mailed link, sessions, and CSRF on every
 * state-changing form. The second factor is test_twofactor's. Run by
 * tests/integration/profile.stack. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "http_client.h"

/* Every account made here has patient1's password (it_make_user). */
#define LINK_LEN 300
#define NEW_PASSWORD "Otra-Frase-Larga-De-Prueba-42"
#define UA_FIREFOX "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

/* ------------------------------------------------------------ mail */

/* The path of the change-of-address link mailed to `to` that no earlier
 * call took (see it_mail_token). */
static void
confirm_link(const char *to, char out[LINK_LEN])
{
	char *tok = it_mail_token(to, "/profile/email/confirm");

	snprintf(out, LINK_LEN, "/profile/email/confirm?token=%s", tok);
	free(tok);
}

/* ------------------------------------------------------------ tests */

START_TEST(test_anonymous_is_sent_to_sign_in)
{
	struct http_response r = { 0 };

	it_get(NULL, &r, "/profile");
	it_assert_redirect(&r, "/login?next=/profile", "anonymous /profile");
	it_get(NULL, &r, "/account/2fa");
	it_assert_redirect(&r, "/login?next=/account/2fa", "anonymous /account/2fa");
	http_response_free(&r);
}
END_TEST

START_TEST(test_profile_edit)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	char csrf[80], buf[300];
	long long u = it_make_user(&(struct it_user){ .email = "edit@profile.test", .name = "Edit Marker" });

	it_sql_session(&j, u);
	it_get(&j, &r, "/profile");
	it_assert_status(&r, 200, "GET /profile");
	it_assert_has(&r, "<html lang=\"es\">", "profile in the account language");
	it_assert_has(&r, "edit@profile.test", "e-mail shown");
	it_assert_has(&r, "verificado", "verified shown");
	it_assert_has(&r, "href=\"/profile/password\"", "password link");
	it_assert_has(&r, "href=\"/profile/email\"", "e-mail link");
	it_assert_has(&r, "href=\"/profile/sessions\"", "sessions link");
	it_assert_has(&r, "href=\"/account/2fa\"", "2FA link");
	it_assert_has(&r, "<option value=\"Europe/Madrid\" selected>", "time zone selected");
	it_page_csrf(&r, csrf);

	/* Bad input: the form comes back with what was typed and messages. */
	it_post(&j, &r, "/profile", "csrf", csrf, "full_name", "Typed Keeper",
	                              "phone", "call me", "language", "es",
	                              "time_zone", "Mars/Olympus_Mons", (char *)NULL);
	it_assert_status(&r, 200, "invalid profile");
	it_assert_has(&r, "value=\"Typed Keeper\"", "typed name kept");
	it_assert_has(&r, "aria-invalid=\"true\" aria-describedby=\"phone-error", "phone marked");
	it_assert_has(&r, "id=\"time_zone-error\"", "time zone error");
	ck_assert_str_eq(it_sql_str(buf, sizeof(buf), "SELECT full_name FROM auth.users WHERE id = %lld", u),
	                 "Edit Marker");

	/* A good edit, with markup in the name: stored as typed, shown escaped. */
	it_post(&j, &r, "/profile", "csrf", csrf,
	                              "full_name", "Ana <b>Nueva</b> Marker", "phone", "+34 (600) 111-222",
	                              "language", "es", "time_zone", "America/Bogota", (char *)NULL);
	it_assert_redirect(&r, "/profile?done=saved", "profile saved");
	it_get(&j, &r, "/profile?done=saved");
	it_assert_status(&r, 200, "profile after saving");
	it_assert_has(&r, "<a href=\"/profile\">Ana &lt;b&gt;Nueva&lt;/b&gt; Marker</a>", "new name in the header");
	it_assert_lacks(&r, "<b>Nueva</b>", "name not raw");
	it_assert_has(&r, "value=\"+34 (600) 111-222\"", "phone shown");
	it_assert_has(&r, "<option value=\"America/Bogota\" selected>", "time zone kept");
	it_assert_has(&r, "class=\"notice-box\"", "saved message");
	ck_assert_str_eq(it_sql_str(buf, sizeof(buf), "SELECT time_zone FROM auth.users WHERE id = %lld", u),
	                 "America/Bogota");
	/* Any IANA name PostgreSQL knows is fine, even when not in the list. */
	it_post(&j, &r, "/profile", "csrf", csrf, "full_name", "Ana Marker",
	                              "phone", "", "language", "es", "time_zone", "Asia/Tokyo", (char *)NULL);
	it_assert_redirect(&r, "/profile?done=saved", "unlisted zone saved");
	it_get(&j, &r, "/profile");
	it_assert_has(&r, "<option value=\"Asia/Tokyo\" selected>", "unlisted zone offered");
	ck_assert_int_eq(it_actor_audit_count(u, "profile.updated"), 2);
	http_response_free(&r);
}
END_TEST

START_TEST(test_language_change_switches_the_ui)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	char csrf[80];
	long long u = it_make_user(&(struct it_user){ .email = "lang@profile.test", .name = "Lang Marker" });

	it_sql_session(&j, u);
	snprintf(j.lang, sizeof(j.lang), "es");   /* chosen earlier in the footer */
	it_get(&j, &r, "/profile");
	it_assert_has(&r, "<html lang=\"es\">", "Spanish first");
	it_page_csrf(&r, csrf);
	it_post(&j, &r, "/profile", "csrf", csrf, "full_name", "Lang Marker",
	                              "phone", "", "language", "en", "time_zone", "Europe/Madrid", (char *)NULL);
	it_assert_redirect(&r, "/profile?done=saved", "language saved");
	ck_assert_msg(j.lang[0] == '\0', "the lang cookie was not cleared");
	it_get(&j, &r, "/profile?done=saved");
	it_assert_has(&r, "<html lang=\"en\">", "English after the change");
	it_assert_has(&r, "My profile", "English strings");
	it_assert_has(&r, "Your details have been saved.", "English message");
	it_post(&j, &r, "/profile", "csrf", csrf, "full_name", "Lang Marker",
	                              "phone", "", "language", "es", "time_zone", "Europe/Madrid", (char *)NULL);
	it_get(&j, &r, "/profile");
	it_assert_has(&r, "<html lang=\"es\">", "Spanish again");
	http_response_free(&r);
}
END_TEST

START_TEST(test_password_change)
{
	struct it_jar a = { 0 }, b = { 0 }, login = { 0 };
	struct http_response r = { 0 };
	char csrf[80], old_token[200], hash_before[200], hash_after[200];
	long long u = it_make_user(&(struct it_user){ .email = "pw@profile.test", .name = "Paula Marker" });

	it_sql_session(&a, u);
	it_sql_session(&b, u);
	it_make_stale(u);
	it_sql_str(hash_before, sizeof(hash_before), "SELECT password_hash FROM auth.users WHERE id = %lld", u);

	/* Stale: the password must be typed again first. */
	it_get(&a, &r, "/profile/password");
	it_assert_redirect(&r, "/profile/reauth?next=/profile/password", "stale password page");
	it_get(&a, &r, "/profile/reauth?next=/profile/password");
	it_assert_status(&r, 200, "reauth form");
	it_assert_has(&r, "name=\"next\" value=\"/profile/password\"", "next carried");
	it_assert_has(&r, "autocomplete=\"current-password\"", "current-password field");
	it_page_csrf(&r, csrf);
	it_post(&a, &r, "/profile/password", "csrf", csrf,
	                                       "new_password", NEW_PASSWORD, "confirm", NEW_PASSWORD, (char *)NULL);
	it_assert_redirect(&r, "/profile/reauth?next=/profile/password", "stale password POST");
	it_post(&a, &r, "/profile/reauth", "csrf", csrf, "next", "/profile/password",
	                                     "password", "wrong-password-123", (char *)NULL);
	it_assert_status(&r, 200, "wrong reauth");
	it_assert_has(&r, "La contraseña no es correcta.", "wrong password message");
	ck_assert_int_eq(it_actor_audit_count(u, "auth.reauth_failed"), 1);
	/* An outside next is never followed. */
	it_post(&a, &r, "/profile/reauth", "csrf", csrf, "next", "//evil.example/x",
	                                     "password", P1_PASS, (char *)NULL);
	it_assert_redirect(&r, "/profile", "reauth with a foreign next");
	it_make_stale(u);
	it_post(&a, &r, "/profile/reauth", "csrf", csrf, "next", "/profile/password",
	                                     "password", P1_PASS, (char *)NULL);
	it_assert_redirect(&r, "/profile/password", "reauth done");
	ck_assert_int_eq(it_actor_audit_count(u, "auth.reauth"), 2);

	/* Policy errors. */
	it_get(&a, &r, "/profile/password");
	it_assert_status(&r, 200, "password form");
	it_post(&a, &r, "/profile/password", "csrf", csrf,
	                                       "new_password", "corta", "confirm", "corta", (char *)NULL);
	it_assert_status(&r, 200, "short password");
	it_assert_has(&r, "al menos 10 caracteres", "too short message");
	it_post(&a, &r, "/profile/password", "csrf", csrf,
	                                       "new_password", "0123456789", "confirm", "0123456789", (char *)NULL);
	it_assert_has(&r, "demasiado común", "common message");
	it_post(&a, &r, "/profile/password", "csrf", csrf,
	                                       "new_password", "paula-marker-2026", "confirm", "paula-marker-2026", (char *)NULL);
	it_assert_has(&r, "no puede contener su nombre", "name message");
	it_post(&a, &r, "/profile/password", "csrf", csrf,
	                                       "new_password", NEW_PASSWORD, "confirm", "something-else-99", (char *)NULL);
	it_assert_has(&r, "no coinciden", "mismatch message");
	it_assert_lacks(&r, NEW_PASSWORD, "password never echoed");
	ck_assert_str_eq(it_sql_str(hash_after, sizeof(hash_after),
	                         "SELECT password_hash FROM auth.users WHERE id = %lld", u), hash_before);

	/* The change: other sessions end, this one gets a new token. */
	snprintf(old_token, sizeof(old_token), "%s", a.session);
	it_post(&a, &r, "/profile/password", "csrf", csrf,
	                                       "new_password", NEW_PASSWORD, "confirm", NEW_PASSWORD, (char *)NULL);
	it_assert_redirect(&r, "/profile?done=password", "password changed");
	ck_assert_msg(a.session[0] && strcmp(a.session, old_token) != 0,
	              "the session token was not rotated");
	it_get(&a, &r, "/profile?done=password");
	it_assert_status(&r, 200, "still signed in with the new token");
	it_assert_has(&r, "Su contraseña se ha cambiado.", "changed message");
	it_get(&b, &r, "/profile");
	it_assert_redirect(&r, "/login?next=/profile", "other session signed out");
	{
		struct it_jar old = { 0 };
		snprintf(old.session, sizeof(old.session), "%s", old_token);
		it_get(&old, &r, "/profile");
		it_assert_redirect(&r, "/login?next=/profile", "old token no longer works");
	}
	ck_assert_str_ne(it_sql_str(hash_after, sizeof(hash_after),
	                         "SELECT password_hash FROM auth.users WHERE id = %lld", u), hash_before);
	ck_assert_int_eq(it_actor_audit_count(u, "auth.password_changed"), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'mail.send' "
	                            "AND payload->>'to' = 'pw@profile.test' "
	                            "AND payload->>'template' = 'password_changed'"), 1);

	/* The new password signs in; the old one does not. */
	it_get(&login, &r, "/login");
	it_assert_status(&r, 200, "login form");
	it_page_csrf(&r, csrf);
	it_post(&login, &r, "/login", "csrf", csrf, "email", "pw@profile.test",
	                                "password", P1_PASS, (char *)NULL);
	it_assert_status(&r, 200, "old password refused");
	it_post(&login, &r, "/login", "csrf", csrf, "email", "pw@profile.test",
	                                "password", NEW_PASSWORD, (char *)NULL);
	it_assert_redirect(&r, "/", "new password accepted");
	http_response_free(&r);
}
END_TEST

START_TEST(test_reauth_is_throttled)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	char csrf[80];
	long long u = it_make_user(&(struct it_user){ .email = "throttle@profile.test", .name = "Throttle Marker", .lang = "en" });
	int i;

	it_sql_session(&j, u);
	it_make_stale(u);
	it_get(&j, &r, "/profile/reauth?next=/profile/email");
	it_page_csrf(&r, csrf);
	/* The free failures (5), then one more starts a block. */
	for (i = 0; i < 6; i++) {
		it_post(&j, &r, "/profile/reauth", "csrf", csrf, "next", "/profile/email",
		                                     "password", "not-the-password", (char *)NULL);
		it_assert_status(&r, 200, "wrong password");
		it_assert_has(&r, "The password is not correct.", "wrong message");
	}
	it_post(&j, &r, "/profile/reauth", "csrf", csrf, "next", "/profile/email",
	                                     "password", P1_PASS, (char *)NULL);
	it_assert_status(&r, 200, "blocked even with the right password");
	it_assert_has(&r, "too many failed attempts", "throttled message");
	it_get(&j, &r, "/profile/email");
	it_assert_status(&r, 303, "still not re-authenticated");
	ck_assert_int_eq(it_actor_audit_count(u, "auth.reauth_failed"), 6);
	ck_assert_int_eq(it_actor_audit_count(u, "auth.reauth_throttled"), 1);
	/* When the block is over, the right password works and clears it. */
	it_sql("UPDATE auth.throttle SET blocked_until = now() - interval '1 second' "
	       "WHERE key = 'reauth:%lld'", u);
	it_post(&j, &r, "/profile/reauth", "csrf", csrf, "next", "/profile/email",
	                                     "password", P1_PASS, (char *)NULL);
	it_assert_redirect(&r, "/profile/email", "re-authenticated after the block");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.throttle WHERE key = 'reauth:%lld'", u), 0);
	http_response_free(&r);
}
END_TEST

START_TEST(test_email_change)
{
	struct it_jar j = { 0 }, other = { 0 };
	struct http_response r = { 0 };
	char csrf[80], link[LINK_LEN], buf[300];
	long long u = it_make_user(&(struct it_user){ .email = "old@profile.test", .name = "Correo Marker" });

	it_sql_session(&j, u);
	it_get(&j, &r, "/profile/email");
	it_assert_status(&r, 200, "e-mail form");
	it_assert_has(&r, "old@profile.test", "current address shown");
	it_assert_has(&r, "autocomplete=\"email\"", "email autocomplete");
	it_page_csrf(&r, csrf);
	/* An address of another account: the same answer as a free one
	 * (issue 15's probe saw 200 "already used" against 303); its owner is
	 * told by mail, with nothing the requester wrote. */
	it_post(&j, &r, "/profile/email", "csrf", csrf, "email", "patient1@clinic.test", (char *)NULL);
	it_assert_redirect(&r, "/profile?done=email_sent", "address in use: the same answer");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'mail.send' "
	                            "AND payload->>'to' = 'patient1@clinic.test' "
	                            "AND payload->>'template' = 'email_in_use' "
	                            "AND payload::text NOT LIKE '%%Marker%%'"), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'profile.email_change_in_use' "
	                            "AND subject_id = %lld AND object = 'user:%lld'",
	                            it_user_id("patient1@clinic.test"), u), 1);
	{
		char *mail = it_mail_wait("patient1@clinic.test", "Alguien ha pedido usar esta direcci");
		if (mail) {
			ck_assert_msg(strstr(mail, "Correo Marker") == NULL, "the requester's name reached the owner");
			ck_assert_msg(strstr(mail, "/password/forgot") != NULL, "the owner's mail links to the reset page");
			free(mail);
		}
	}
	it_post(&j, &r, "/profile/email", "csrf", csrf, "email", "OLD@profile.test", (char *)NULL);
	it_assert_has(&r, "Esa ya es la dirección de su cuenta.", "same-address message");
	it_post(&j, &r, "/profile/email", "csrf", csrf, "email", "not an address", (char *)NULL);
	it_assert_has(&r, "id=\"email-error\"", "malformed address");
	/* The error summary links to the field, with its label (issue 15). */
	it_assert_has(&r, "<a href=\"#email\">Nueva dirección de correo: Escriba una dirección de correo válida",
	              "summary link to the field");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.tokens WHERE user_id = %lld", u), 0);

	/* Stale: re-authentication first. */
	it_make_stale(u);
	it_post(&j, &r, "/profile/email", "csrf", csrf, "email", "new@profile.test", (char *)NULL);
	it_assert_redirect(&r, "/profile/reauth?next=/profile/email", "stale e-mail change");
	it_sql("UPDATE auth.sessions SET reauth_at = now() WHERE user_id = %lld", u);

	it_post(&j, &r, "/profile/email", "csrf", csrf, "email", "New@Profile.test", (char *)NULL);
	it_assert_redirect(&r, "/profile?done=email_sent", "change requested");
	/* The requester sees the same in both cases: a notice and an audit
	 * row each time. */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'notice.create' "
	                            "AND payload->>'kind' = 'email_change_requested' "
	                            "AND (payload->>'user_id')::bigint = %lld", u), 2);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'mail.send' "
	                            "AND payload->>'to' = 'new@profile.test' AND payload->>'secret' = 'true'"), 1);
	/* The new address is not proven yet: no text the user wrote (not
	 * even the account's name) goes to it. */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'mail.send' "
	                            "AND payload->>'to' = 'new@profile.test' "
	                            "AND (payload->'params' ? 'name' OR payload::text LIKE '%%Marker%%')"), 0);
	ck_assert_int_eq(it_actor_audit_count(u, "profile.email_change_requested"), 2);
	confirm_link("new@profile.test", link);
	ck_assert_msg(strncmp(link, "/profile/email/confirm?token=", 29) == 0, "link %s", link);
	/* Only the hash is stored. */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.tokens WHERE user_id = %lld AND "
	                            "token_hash = sha256(convert_to('%s', 'UTF8'))", u, link + 29), 1);
	ck_assert_str_eq(it_sql_str(buf, sizeof(buf), "SELECT email FROM auth.users WHERE id = %lld", u),
	                 "old@profile.test");

	/* Opened in another browser, signed out: a page with a button. */
	it_get(&other, &r, link);
	it_assert_status(&r, 200, "confirmation page");
	it_assert_has(&r, "new@profile.test", "new address shown");
	ck_assert_str_eq(it_sql_str(buf, sizeof(buf), "SELECT email FROM auth.users WHERE id = %lld", u),
	                 "old@profile.test");
	it_page_csrf(&r, csrf);
	it_post(&other, &r, "/profile/email/confirm", "token", link + 29, (char *)NULL);
	it_assert_status(&r, 403, "confirmation without csrf");
	it_post(&other, &r, "/profile/email/confirm", "csrf", csrf, "token", link + 29, (char *)NULL);
	it_assert_redirect(&r, "/profile/email/confirm?done=1", "confirmed");
	it_get(&other, &r, "/profile/email/confirm?done=1");
	it_assert_has(&r, "Su dirección de correo se ha cambiado.", "done message");
	/* The old address is told, with the new one. */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'mail.send' "
	                            "AND payload->>'to' = 'old@profile.test' AND payload->>'template' = 'email_changed' "
	                            "AND payload->'params'->>'email' = 'new@profile.test'"), 1);
	{
		char *mail = it_mail_wait("old@profile.test", "se ha cambiado a new@profile.test");
		free(mail);
	}
	ck_assert_str_eq(it_sql_str(buf, sizeof(buf), "SELECT email || ' ' || (email_verified_at IS NOT NULL) "
	                         "FROM auth.users WHERE id = %lld", u), "new@profile.test true");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE subject_id = %lld "
	                            "AND action = 'profile.email_changed'", u), 1);
	/* Used: refused both ways. */
	it_get(&other, &r, link);
	it_assert_status(&r, 400, "used link");
	it_assert_has(&r, "ya se ha usado", "used message");
	it_post(&other, &r, "/profile/email/confirm", "csrf", csrf, "token", link + 29, (char *)NULL);
	it_assert_status(&r, 400, "used link posted");
	it_get(&other, &r, "/profile/email/confirm?token=zz");
	it_assert_status(&r, 400, "malformed token");
	/* The account shows the new address. */
	it_get(&j, &r, "/profile");
	it_assert_has(&r, "new@profile.test", "new address on the profile");
	http_response_free(&r);
}
END_TEST

/* At most 3 requests per account in 24 hours, whether the address is free
 * or another account's (issue 15's probe sent unlimited mails); the 4th is
 * refused with a message and sends nothing. */
START_TEST(test_email_change_limit_per_day)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	char csrf[80];
	long long u = it_make_user(&(struct it_user){ .email = "limit@profile.test", .name = "Limit Marker" });
	long long mails;

	it_sql_session(&j, u);
	it_get(&j, &r, "/profile/email");
	it_page_csrf(&r, csrf);
	it_post(&j, &r, "/profile/email", "csrf", csrf, "email", "limit1@profile.test", (char *)NULL);
	it_assert_redirect(&r, "/profile?done=email_sent", "1st request");
	it_post(&j, &r, "/profile/email", "csrf", csrf, "email", "patient2@clinic.test", (char *)NULL);
	it_assert_redirect(&r, "/profile?done=email_sent", "2nd request (another account's address)");
	it_post(&j, &r, "/profile/email", "csrf", csrf, "email", "limit3@profile.test", (char *)NULL);
	it_assert_redirect(&r, "/profile?done=email_sent", "3rd request");
	mails = it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'mail.send'");
	it_post(&j, &r, "/profile/email", "csrf", csrf, "email", "limit4@profile.test", (char *)NULL);
	it_assert_status(&r, 429, "4th request");
	it_assert_has(&r, "id=\"email-error\"", "4th request: message at the field");
	it_assert_has(&r, "value=\"limit4@profile.test\"", "4th request: typed address kept");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'mail.send'"), mails);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.tokens WHERE new_email = 'limit4@profile.test'"), 0);
	ck_assert_int_eq(it_actor_audit_count(u, "profile.email_change_limited"), 1);
	/* A refused request does not count; a day later the account may ask again. */
	it_sql("UPDATE auth.email_change_requests SET requested_at = now() - interval '25 hours' WHERE user_id = %lld", u);
	it_post(&j, &r, "/profile/email", "csrf", csrf, "email", "limit4@profile.test", (char *)NULL);
	it_assert_redirect(&r, "/profile?done=email_sent", "a day later");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.email_change_requests WHERE user_id = %lld", u), 1);
	http_response_free(&r);
}
END_TEST

/* A form sent with a token that no longer matches (signed in again in
 * another tab, the anonymous cookie gone) changes nothing, and shows the
 * form again with what was typed and a message instead of "Acceso
 * denegado" (issue 15); passwords are never echoed. A form whose path has
 * no page says the form expired. */
START_TEST(test_expired_form_keeps_what_was_typed)
{
	struct it_jar j = { 0 }, anon = { 0 };
	struct http_response r = { 0 };
	char csrf[80], buf[300];
	long long u = it_make_user(&(struct it_user){ .email = "expired@profile.test", .name = "Expired Marker" });
	const char *stale = "0000000000000000000000000000000000000000000000000000000000000000";

	it_sql_session(&j, u);
	it_get(&j, &r, "/profile");
	it_page_csrf(&r, csrf);
	it_post(&j, &r, "/profile", "csrf", stale, "full_name", "Nombre Tecleado Largo",
	        "phone", "600 123 456", "language", "es", "time_zone", "Europe/Madrid", (char *)NULL);
	it_assert_status(&r, 403, "stale token");
	it_assert_lacks(&r, "Acceso denegado", "stale token: not the access-denied page");
	it_assert_has(&r, "id=\"form-expired\"", "stale token: the message");
	it_assert_has(&r, "value=\"Nombre Tecleado Largo\"", "stale token: typed name kept");
	it_assert_has(&r, "value=\"600 123 456\"", "stale token: typed phone kept");
	it_assert_has(&r, csrf, "stale token: the form carries the session's token again");
	ck_assert_str_eq(it_sql_str(buf, sizeof(buf), "SELECT full_name FROM auth.users WHERE id = %lld", u),
	                 "Expired Marker");
	/* Sent again with the page's token: saved. */
	it_page_csrf(&r, csrf);
	it_post(&j, &r, "/profile", "csrf", csrf, "full_name", "Nombre Tecleado Largo",
	        "phone", "600 123 456", "language", "es", "time_zone", "Europe/Madrid", (char *)NULL);
	it_assert_status(&r, 303, "sent again");
	ck_assert_str_eq(it_sql_str(buf, sizeof(buf), "SELECT full_name FROM auth.users WHERE id = %lld", u),
	                 "Nombre Tecleado Largo");

	/* Signed out, the sign-in form without its cookie: the form again,
	 * the address kept, the password not. */
	it_post(&anon, &r, "/login", "csrf", stale, "email", "expired@profile.test",
	        "password", "Secreto-Tecleado-123", (char *)NULL);
	it_assert_status(&r, 403, "sign-in, stale token");
	it_assert_has(&r, "id=\"form-expired\"", "sign-in, stale token: the message");
	it_assert_has(&r, "value=\"expired@profile.test\"", "sign-in: address kept");
	it_assert_lacks(&r, "Secreto-Tecleado-123", "sign-in: password not echoed");
	it_assert_has(&r, "name=\"csrf\"", "sign-in: a fresh token");

	/* No page at that path: the error page says the form expired. */
	it_post(&j, &r, "/notices/read-all", "csrf", stale, (char *)NULL);
	it_assert_status(&r, 403, "button, stale token");
	it_assert_lacks(&r, "Acceso denegado", "button, stale token");
	it_assert_has(&r, "Formulario caducado", "button, stale token: says the form expired");
	http_response_free(&r);
}
END_TEST

START_TEST(test_email_change_race_keeps_addresses_unique)
{
	struct it_jar a = { 0 }, b = { 0 }, anon = { 0 };
	struct http_response r = { 0 };
	char csrf[80], link_a[LINK_LEN], link_b[LINK_LEN];
	long long ua = it_make_user(&(struct it_user){ .email = "race-a@profile.test", .name = "Race A", .lang = "en" });
	long long ub = it_make_user(&(struct it_user){ .email = "race-b@profile.test", .name = "Race B", .lang = "en" });

	it_sql_session(&a, ua);
	it_sql_session(&b, ub);
	it_get(&a, &r, "/profile/email");
	it_page_csrf(&r, csrf);
	it_post(&a, &r, "/profile/email", "csrf", csrf, "email", "wanted@profile.test", (char *)NULL);
	it_assert_redirect(&r, "/profile?done=email_sent", "A asks");
	confirm_link("wanted@profile.test", link_a);
	it_get(&b, &r, "/profile/email");
	it_page_csrf(&r, csrf);
	it_post(&b, &r, "/profile/email", "csrf", csrf, "email", "wanted@profile.test", (char *)NULL);
	it_assert_redirect(&r, "/profile?done=email_sent", "B asks too (not yet taken)");
	/* B's link is the other mail to the same address. */
	confirm_link("wanted@profile.test", link_b);
	ck_assert_str_ne(link_a, link_b);
	it_get(&anon, &r, link_a);
	it_page_csrf(&r, csrf);
	it_post(&anon, &r, "/profile/email/confirm", "csrf", csrf, "token", link_a + 29, (char *)NULL);
	it_assert_status(&r, 303, "A confirms");
	it_get(&anon, &r, link_b);
	it_assert_status(&r, 200, "B's link still opens");
	it_post(&anon, &r, "/profile/email/confirm", "csrf", csrf, "token", link_b + 29, (char *)NULL);
	it_assert_status(&r, 400, "B's confirmation refused");
	it_assert_has(&r, "ya la usa otra cuenta", "taken message (signed out: Spanish)");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE email = 'wanted@profile.test'"), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE id = %lld AND email = 'race-b@profile.test'", ub), 1);
	http_response_free(&r);
}
END_TEST

START_TEST(test_sessions)
{
	struct it_jar a = { 0 }, b = { 0 }, c = { 0 }, g = { 0 };
	struct http_response r = { 0 };
	char csrf[80], path[100];
	long long u = it_make_user(&(struct it_user){ .email = "sessions@profile.test", .name = "Sesiones Marker" });
	long long other = it_make_user(&(struct it_user){ .email = "victim@profile.test", .name = "Victim Marker" });
	long long sid_c, sid_g;

	it_sql_session(&a, u);
	b.ua = UA_FIREFOX;
	it_sql_session(&b, u);
	it_get(&a, &r, "/profile/sessions");
	it_assert_status(&r, 200, "sessions page");
	ck_assert_int_eq(str_count(r.body, "<tr>"), 2 + 1);          /* header + 2 sessions */
	ck_assert_int_eq(str_count(r.body, "Esta sesión"), 1);
	ck_assert_int_eq(str_count(r.body, "/end\""), 1);             /* only the other one */
	it_assert_has(&r, "Firefox, Linux", "short user agent");
	it_assert_has(&r, "192.0.2.7", "address");
	it_assert_lacks(&r, "Gecko/20100101", "full user agent not shown");
	it_assert_has(&r, it_when_es(it_fmt("(SELECT max(created_at) FROM auth.sessions WHERE user_id = %lld)", u), 1),
	              "sign-in time in words, clinic time (issue 15)");
	it_page_csrf(&r, csrf);

	/* Sign out everywhere else. */
	it_post(&a, &r, "/profile/sessions/others", "csrf", csrf, (char *)NULL);
	it_assert_redirect(&r, "/profile/sessions?done=others", "others ended");
	it_get(&b, &r, "/profile");
	it_assert_redirect(&r, "/login?next=/profile", "B signed out");
	it_get(&a, &r, "/profile/sessions?done=others");
	it_assert_status(&r, 200, "A still in");
	ck_assert_int_eq(str_count(r.body, "<tr>"), 1 + 1);
	ck_assert_int_eq(it_actor_audit_count(u, "auth.sessions_ended"), 1);

	/* End one session of one's own. */
	sid_c = it_sql_session(&c, u);
	snprintf(path, sizeof(path), "/profile/sessions/%lld/end", sid_c);
	it_post(&a, &r, path, "csrf", csrf, (char *)NULL);
	it_assert_redirect(&r, "/profile/sessions?done=ended", "one ended");
	it_get(&c, &r, "/profile");
	it_assert_redirect(&r, "/login?next=/profile", "C signed out");
	ck_assert_int_eq(it_actor_audit_count(u, "auth.session_ended"), 1);

	/* Someone else's session: 404, untouched, one audit row. */
	sid_g = it_sql_session(&g, other);
	snprintf(path, sizeof(path), "/profile/sessions/%lld/end", sid_g);
	it_post(&a, &r, path, "csrf", csrf, (char *)NULL);
	it_assert_status(&r, 404, "another user's session");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.sessions WHERE id = %lld AND revoked_at IS NULL", sid_g), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld AND action = "
	                            "'access.denied' AND object = 'session:%lld'", u, sid_g), 1);
	it_get(&g, &r, "/profile");
	it_assert_status(&r, 200, "victim still signed in");
	/* A session that does not exist looks the same. */
	it_post(&a, &r, "/profile/sessions/999999999/end", "csrf", csrf, (char *)NULL);
	it_assert_status(&r, 404, "no such session");
	http_response_free(&r);
}
END_TEST

START_TEST(test_patient_gets_403_on_admin)
{
	static const char *const paths[] = { "/admin", "/admin/users", "/admin/audit", "/admin/outbox" };
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	long long u = it_make_user(&(struct it_user){ .email = "noadmin@profile.test", .name = "No Admin" });

	it_sql_session(&j, u);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		it_get(&j, &r, paths[i]);
		it_assert_status(&r, 403, paths[i]);
		it_assert_has(&r, "Acceso denegado", paths[i]);
		it_assert_lacks(&r, "href=\"/admin/users/new\"", paths[i]);   /* the admin index */
		it_assert_lacks(&r, "href=\"/admin\"", paths[i]);             /* the admins' menu link */
	}
	ck_assert_int_eq(it_actor_audit_count(u, "access.denied"), 4);
	http_response_free(&r);
}
END_TEST

/* A fingerprint of everything the profile forms could change. */
static void
state(char out[80])
{
	it_sql_str(out, 80, "SELECT md5(concat_ws('|', "
	        "(SELECT string_agg(concat_ws(',', id, email, full_name, phone, language, time_zone, "
	        " password_hash, totp_secret, totp_enabled_at, email_verified_at), ';' ORDER BY id) FROM auth.users), "
	        "(SELECT string_agg(concat_ws(',', id, token_hash, csrf_token, revoked_at, reauth_at, mfa_pending), "
	        " ';' ORDER BY id) FROM auth.sessions), "
	        "(SELECT string_agg(concat_ws(',', id, used_at), ';' ORDER BY id) FROM auth.tokens), "
	        "(SELECT count(*) FROM auth.recovery_codes), (SELECT count(*) FROM auth.throttle), "
	        "(SELECT count(*) FROM outbox.events)))");
}

START_TEST(test_every_post_needs_the_csrf_token)
{
	struct it_jar j = { 0 }, k = { 0 }, anon = { 0 };
	struct http_response r = { 0 };
	char csrf[80], their[80], before[80], after[80], path[100], link[LINK_LEN];
	long long u = it_make_user(&(struct it_user){ .email = "csrf@profile.test", .name = "Csrf Marker" });
	long long v = it_make_user(&(struct it_user){ .email = "csrf-other@profile.test", .name = "Csrf Other" });
	long long sid;
	static const char *const paths[] = {
		"/profile", "/profile/reauth", "/profile/password", "/profile/email",
		"/profile/sessions/others", NULL /* session end */, "/account/2fa/confirm",
		"/account/2fa/disable", "/account/2fa/recovery-codes", "/profile/email/confirm",
	};

	it_sql_session(&j, u);
	sid = it_sql_session(&k, u);
	/* A pending e-mail change, and another user's valid token. */
	it_get(&j, &r, "/profile/email");
	it_page_csrf(&r, csrf);
	it_post(&j, &r, "/profile/email", "csrf", csrf, "email", "csrf-new@profile.test", (char *)NULL);
	it_assert_status(&r, 303, "change requested");
	confirm_link("csrf-new@profile.test", link);
	it_get(&j, &r, "/account/2fa");        /* a pending secret exists */
	it_sql_session(&anon, v);
	it_get(&anon, &r, "/profile");
	it_page_csrf(&r, their);
	anon.session[0] = '\0';
	state(before);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		const char *p = paths[i];
		char *fields = it_form("full_name", "Changed", "phone", "1", "language", "en", "time_zone", "UTC",
		                       "password", P1_PASS, "new_password", NEW_PASSWORD, "confirm", NEW_PASSWORD,
		                       "email", "csrf-changed@profile.test", "code", "123456",
		                       "token", link + 29, "next", "/profile", (char *)NULL);
		char with[1400];
		if (p == NULL) {
			snprintf(path, sizeof(path), "/profile/sessions/%lld/end", sid);
			p = path;
		}
		it_send(&j, &r, "POST", p, fields);
		it_assert_status(&r, 403, p);
		snprintf(with, sizeof(with), "%s&csrf=%s", fields, "0000000000000000000000000000000000000000000000000000000000000000");
		it_send(&j, &r, "POST", p, with);
		it_assert_status(&r, 403, p);
		snprintf(with, sizeof(with), "%s&csrf=%s", fields, their);   /* another user's token */
		it_send(&j, &r, "POST", p, with);
		it_assert_status(&r, 403, p);
		/* Signed out (the confirmation link's case): the double-submit cookie. */
		it_send(&anon, &r, "POST", p, fields);
		ck_assert_msg(r.status == 403 || r.status == 303, "%s anonymous: %ld", p, r.status);
		free(fields);
	}
	state(after);
	ck_assert_str_eq(before, after);
	ck_assert_int_ge(it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld AND "
	                            "action = 'security.csrf_rejected'", u), 30);
	http_response_free(&r);
}
END_TEST

int
main(void)
{
	return it_run_suites(it_suite("profile", 120, test_anonymous_is_sent_to_sign_in, test_profile_edit,
	                              test_language_change_switches_the_ui, test_password_change,
	                              test_reauth_is_throttled, test_email_change, test_email_change_limit_per_day,
	                              test_expired_form_keeps_what_was_typed,
	                              test_email_change_race_keeps_addresses_unique, test_sessions,
	                              test_patient_gets_403_on_admin, test_every_post_needs_the_csrf_token, NULL),
	                     NULL);
}
