/* test_notices: a signed-in user's in-app notices (listed, read, owned:
 * another user's notice is refused and audited) and the security activity
 * page showing only the user's own events, against a real stack
 * (tests/integration/notices.stack). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "http_client.h"

/* ------------------------------------------------------------- notices */

static long long
add_notice(const char *email, const char *kind, const char *params, const char *link)
{
	return it_sql_int("INSERT INTO outbox.notices (user_id, kind, params, link) "
	                  "SELECT id, '%s', '%s', '%s' FROM auth.users WHERE email = '%s' RETURNING id",
	                  kind, params, link, email);
}

START_TEST(test_notices_list_read_and_ownership)
{
	struct it_jar p;
	struct http_response r;
	long long n1, n2, n3, n4, n5, other;
	long long denied;
	char *path;

	it_make_user(&(struct it_user){ .email = "notices.reader@clinic.test", .name = "Lectora de Avisos" });
	n1 = add_notice("notices.reader@clinic.test", "password_changed", "{}", "");
	n2 = add_notice("notices.reader@clinic.test", "email_change_requested",
	                "{\"email\": \"nuevo<b>@x.test\"}", "/account/security");
	n3 = add_notice("notices.reader@clinic.test", "role_granted", "{\"role\": \"doctor\"}", "");
	n4 = add_notice("notices.reader@clinic.test", "mystery_kind", "{\"x\": \"y\"}", "");
	n5 = add_notice("notices.reader@clinic.test", "generic", "{}", "");
	other = add_notice(P2_EMAIL, "password_changed", "{\"marker\": \"OTHERS\"}", "");

	it_sign_in(&p, "notices.reader@clinic.test", P1_PASS, NULL);
	ck_assert_int_eq(it_jar_get(&p, "/notices", &r), 200);
	it_assert_has(&r, "La contraseña de su cuenta se ha cambiado.", "notices es");
	it_assert_has(&r, "a nuevo&lt;b&gt;@x.test.", "notices es: parameter filled and escaped");
	it_assert_lacks(&r, "nuevo<b>", "notices es");
	it_assert_has(&r, "Se le ha concedido el rol de médico/a.", "notices es: role by its name");
	it_assert_has(&r, "Tiene un aviso nuevo de la clínica.", "notices es: unknown kind");
	it_assert_has(&r, "Sin leer", "notices es: unread marked");
	it_assert_has(&r, "class=\"notice-box\"", "notices es: unread highlighted");
	it_assert_has(&r, it_fmt("/notices/%lld/read", n2), "notices es");
	it_assert_has(&r, "name=\"next\" value=\"/account/security\"", "notices es: link");
	it_assert_lacks(&r, it_fmt("/notices/%lld/read", other), "notices es");
	/* The newest first. */
	{
		const char *newest = strstr(r.body, it_fmt("/notices/%lld/read", n5));
		const char *oldest = strstr(r.body, it_fmt("/notices/%lld/read", n1));
		ck_assert_msg(newest && oldest && newest < oldest, "notices are not newest first");
	}
	/* The header's unread count. */
	it_assert_has(&r, "class=\"badge\">5 ", "unread count");
	http_response_free(&r);

	snprintf(p.lang, sizeof(p.lang), "en");
	ck_assert_int_eq(it_jar_get(&p, "/notices", &r), 200);
	it_assert_has(&r, "Your account&#39;s password was changed.", "notices en");
	it_assert_has(&r, "to nuevo&lt;b&gt;@x.test was requested.", "notices en");
	it_assert_has(&r, "You have been granted the doctor role.", "notices en");
	it_assert_has(&r, "You have a new notice from the clinic.", "notices en");
	it_assert_has(&r, "Unread", "notices en");
	http_response_free(&r);
	p.lang[0] = '\0';

	/* One read, going to its link; a foreign next is ignored. */
	path = it_fmt("/notices/%lld/read", n2);
	it_jar_post(&p, path, "next=%2Faccount%2Fsecurity", &r);
	it_assert_redirect_prefix(&r, "/account/security", "open a notice");
	http_response_free(&r);
	free(path);
	path = it_fmt("/notices/%lld/read", n3);
	it_jar_post(&p, path, "next=%2F%2Fevil.example%2F", &r);
	ck_assert_str_eq(http_header(&r, "Location"), "/notices");
	http_response_free(&r);
	free(path);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.notices WHERE id IN (%lld, %lld) AND read_at IS NOT NULL", n2, n3), 2);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.notices WHERE id IN (%lld, %lld, %lld) AND read_at IS NULL", n1, n4, n5), 3);

	/* Another user's notice: 404, an audit row, nothing changed. */
	denied = it_audit_count("access.denied", "notices.reader@clinic.test", "");
	path = it_fmt("/notices/%lld/read", other);
	it_jar_post(&p, path, "", &r);
	it_assert_status(&r, 404, "another user's notice");
	it_assert_lacks(&r, "OTHERS", "another user's notice");
	http_response_free(&r);
	free(path);
	ck_assert_int_eq(it_audit_count("access.denied", "notices.reader@clinic.test",
	                             it_fmt("AND e.object = 'notice:%lld' AND e.subject_id = %lld", other, it_user_id(P2_EMAIL))), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.notices WHERE id = %lld AND read_at IS NULL", other), 1);
	/* A notice that does not exist: the same answer. */
	ck_assert_int_eq(it_jar_post_status(&p, "/notices/999999999/read", ""), 404);
	ck_assert_int_eq(it_audit_count("access.denied", "notices.reader@clinic.test", ""), denied + 2);

	/* All read. */
	it_jar_post(&p, "/notices/read-all", "", &r);
	it_assert_redirect_prefix(&r, "/notices", "read all");
	http_response_free(&r);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.notices n JOIN auth.users u ON u.id = n.user_id "
	                            "WHERE u.email = 'notices.reader@clinic.test' AND read_at IS NULL"), 0);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.notices WHERE id = %lld AND read_at IS NULL", other), 1);
	ck_assert_int_eq(it_jar_get(&p, "/notices", &r), 200);
	it_assert_lacks(&r, "Sin leer", "after read all");
	it_assert_lacks(&r, "class=\"badge\"", "after read all");
	http_response_free(&r);
	/* No token: refused. */
	it_jar_request(&p, "POST", "/notices/read-all", "x=1", &r);
	it_assert_status(&r, 403, "read-all without token");
	http_response_free(&r);
	ck_assert_int_eq(it_jar_get_status(&p, "/notices?before=x"), 400);
}
END_TEST

/* ---------------------------------------------------- security activity */

START_TEST(test_security_page_shows_only_own_events)
{
	struct it_jar p;
	struct http_response r;
	long long me, other;

	it_make_user(&(struct it_user){ .email = "security.reader@clinic.test", .name = "Lector de Seguridad" });
	me = it_user_id("security.reader@clinic.test");
	other = it_user_id(P2_EMAIL);
	it_sql("SELECT audit.append(NULL, %lld, 'auth.login_failed', 'password', '203.0.113.7', 'rq-own')", me);
	it_sql("SELECT audit.append(NULL, %lld, 'auth.login_failed', 'password', '198.51.100.99', 'rq-other')", other);
	it_sql("SELECT audit.append(NULL, %lld, 'weird.unknown_action', '', '203.0.113.8', '')", me);
	/* Done by the reader (address shown), by reception and by another
	 * patient (who and when, never their address: issue 15's probe). */
	it_sql("SELECT audit.append(%lld, %lld, 'auth.reauth', 'user:%lld', '203.0.113.5', 'rq-self')", me, me, me);
	it_sql("SELECT audit.append(%lld, %lld, 'record.summary', 'summary', '198.51.100.20', 'rq-reception')",
	       it_make_user(&(struct it_user){ .email = "security.reception@clinic.test", .name = "Rosa Mostrador",
	                                       .role = "reception" }), me);
	it_sql("SELECT audit.append(%lld, %lld, 'access.denied', 'record', '198.51.100.30', 'rq-patient')",
	       other, me);
	it_sign_in(&p, "security.reader@clinic.test", P1_PASS, NULL);
	ck_assert_int_eq(it_jar_get(&p, "/account/security", &r), 200);
	it_assert_has(&r, "203.0.113.5", "own action's address");
	it_assert_has(&r, it_when_es("(SELECT at FROM audit.events WHERE request_id = 'rq-self')", 1),
	              "the time in words, clinic time (issue 15)");
	it_assert_has(&r, "<td>Usted</td>", "own action: who");
	it_assert_has(&r, "Intento fallido de inicio de sesión", "own event translated");
	it_assert_has(&r, "<td>Alguien sin sesión iniciada</td>", "failed sign-in: who");
	it_assert_lacks(&r, "203.0.113.7", "a failed sign-in's address (someone else's)");
	it_assert_has(&r, "<td>Rosa Mostrador (recepción)</td>", "reception's view: who");
	it_assert_lacks(&r, "198.51.100.20", "reception's address");
	it_assert_has(&r, "<td>Otro usuario</td>", "another patient: no name");
	it_assert_lacks(&r, "198.51.100.30", "another patient's address");
	it_assert_has(&r, "Otro evento", "unknown action");
	it_assert_has(&r, "weird.unknown_action", "unknown action code");
	it_assert_lacks(&r, "198.51.100.99", "another user's event");
	if (it_sql_int("SELECT count(*) FROM audit.events WHERE subject_id = %lld AND action = 'auth.login'", me) > 0)
		it_assert_has(&r, "Contraseña correcta al iniciar sesión", "the sign-in itself");
	http_response_free(&r);
	snprintf(p.lang, sizeof(p.lang), "en");
	ck_assert_int_eq(it_jar_get(&p, "/account/security", &r), 200);
	it_assert_has(&r, "Failed sign-in attempt", "own event in English");
	it_assert_lacks(&r, "198.51.100.99", "another user's event");
	it_assert_lacks(&r, "198.51.100.20", "reception's address (en)");
	http_response_free(&r);
	ck_assert_int_eq(it_jar_get_status(&p, "/account/security?before=0"), 400);
}
END_TEST

int
main(void)
{
	return it_run_suites(it_suite("notices", 120, test_notices_list_read_and_ownership,
	                              test_security_page_shows_only_own_events, NULL),
	                     NULL);
}
