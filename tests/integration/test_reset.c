/* test_reset: password recovery through nginx against a real stack
 * (tests/integration/reset.stack): the same answer for known and unknown
 * addresses, requests limited, and a reset link that is used once, ends
 * the account's other links and refuses unknown or malformed tokens. */
#include <check.h>
#include <stdlib.h>

#include "fixtures.h"
#include "http_client.h"

#define FREE_FAILURES 5            /* throttle_free_failures (default) */
#define NOBODY "nobody-at-all@clinic.test"

START_TEST(test_forgot_same_answer)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	char csrf[IT_CSRF_LEN];
	long mails = it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'mail.send'");

	it_sql("DELETE FROM auth.throttle");
	it_csrf_of(&j, "/password/forgot", csrf);
	it_post(&j, &r, "/password/forgot", "csrf", csrf, "email", NOBODY, (char *)NULL);
	it_assert_redirect(&r, "/password/forgot?sent=1", "unknown address");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'mail.send'"), mails);
	it_post(&j, &r, "/password/forgot", "csrf", csrf, "email", P2_EMAIL, (char *)NULL);
	it_assert_redirect(&r, "/password/forgot?sent=1", "known address");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'mail.send'"
	                            " AND payload->>'to' = '" P2_EMAIL "' AND payload->>'template' = 'reset_password'"
	                            " AND (payload->>'secret')::boolean"), 1);
	it_get(&j, &r, "/password/forgot?sent=1");
	it_assert_status(&r, 200, "sent page");
	/* Requests are limited per account address and per client address. */
	it_sql("DELETE FROM auth.throttle");
	for (int i = 0; i < FREE_FAILURES; i++) {
		it_post(&j, &r, "/password/forgot", "csrf", csrf, "email", NOBODY, (char *)NULL);
		it_assert_redirect(&r, "/password/forgot?sent=1", "repeated request");
	}
	it_post(&j, &r, "/password/forgot", "csrf", csrf, "email", NOBODY, (char *)NULL);
	it_assert_status(&r, 429, "too many reset requests");
	http_response_free(&r);
}
END_TEST

START_TEST(test_reset_token_single_use)
{
	char *email = it_unique_email("reset"), *tok;
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	char csrf[IT_CSRF_LEN];

	it_sql("DELETE FROM auth.throttle");
	it_make_user(&(struct it_user){ .email = email, .name = "Raúl Reset" });
	it_csrf_of(&j, "/password/forgot", csrf);
	it_post(&j, &r, "/password/forgot", "csrf", csrf, "email", email, (char *)NULL);
	it_post(&j, &r, "/password/forgot", "csrf", csrf, "email", email, (char *)NULL);   /* a second link */
	tok = it_mail_token(email, "/password/reset");
	/* Policy applies; the token survives a rejected attempt. */
	it_post(&j, &r, "/password/reset", "csrf", csrf, "token", tok, "password", "raul reset 2026 ok",
	        "password_confirm", "raul reset 2026 ok", (char *)NULL);
	it_assert_status(&r, 200, "password with the name");
	it_assert_has(&r, "id=\"password-error\"", "password with the name");
	it_post(&j, &r, "/password/reset", "csrf", csrf, "token", tok, "password", "quite another secret 88",
	        "password_confirm", "quite another secret 88", (char *)NULL);
	it_assert_redirect(&r, "/login?done=reset", "reset");
	it_get(&j, &r, "/login?done=reset");
	it_assert_has(&r, "class=\"notice-box\"", "reset notice");
	/* Used: refused, whether followed or posted. */
	it_getf(&j, &r, "/password/reset?token=%s", tok);
	it_assert_status(&r, 410, "used token (GET)");
	it_assert_lacks(&r, "name=\"password\"", "used token (GET)");
	it_post(&j, &r, "/password/reset", "csrf", csrf, "token", tok, "password", "yet another secret 99",
	        "password_confirm", "yet another secret 99", (char *)NULL);
	it_assert_status(&r, 410, "used token (POST)");
	/* Every other reset link of the account ended with it. */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.tokens t JOIN auth.users u ON u.id = t.user_id"
	                            " WHERE u.email = '%s' AND t.used_at IS NULL", email), 0);
	it_login_password(&j, &r, email, "quite another secret 88", NULL);
	it_assert_redirect(&r, "/", "new password works");
	/* Unknown and malformed tokens. */
	it_get(&j, &r, "/password/reset?token=0000000000000000000000000000000000000000000000000000000000000000");
	it_assert_status(&r, 400, "unknown token");
	it_get(&j, &r, "/password/reset?token=%3Cscript%3E");
	it_assert_status(&r, 400, "malformed token");
	it_assert_lacks(&r, "<script>", "malformed token");
	http_response_free(&r);
	free(tok);
	free(email);
}
END_TEST

int
main(void)
{
	return it_run_suites(it_suite("reset", 120, test_forgot_same_answer, test_reset_token_single_use, NULL), NULL);
}
