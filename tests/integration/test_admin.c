/* test_admin: the administrators' pages against a real stack
 * (tests/integration/admin.stack): access control and CSRF on every admin
 * route, the audit search, the capabilities table checked by the router,
 * dead letters, and the pages rendering and escaping what users typed.
 * Managing staff accounts is test_staff's. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fixtures.h"
#include "http_client.h"

/* ------------------------------------------------------ access control */

static const char *const admin_get_paths[] = {
	"/admin", "/admin/users", "/admin/users/new", "/admin/users/1", "/admin/audit",
	"/admin/outbox", NULL,
};

START_TEST(test_anonymous_is_sent_to_sign_in)
{
	struct it_jar j = { 0 };
	struct http_response r;

	it_jar_get(&j, "/admin", &r);
	it_assert_redirect_prefix(&r, "/login?next=/admin", "anonymous GET /admin");
	http_response_free(&r);
	for (size_t i = 0; admin_get_paths[i]; i++) {
		it_jar_get(&j, admin_get_paths[i], &r);
		it_assert_redirect_prefix(&r, "/login?next=", admin_get_paths[i]);
		http_response_free(&r);
	}
	it_jar_get(&j, "/notices", &r);
	it_assert_redirect_prefix(&r, "/login?next=/notices", "anonymous GET /notices");
	http_response_free(&r);
	it_jar_get(&j, "/account/security", &r);
	it_assert_redirect_prefix(&r, "/login?next=", "anonymous GET /account/security");
	http_response_free(&r);
	/* An anonymous POST never reaches a handler. */
	ck_assert_int_eq(it_jar_post_status(&j, "/admin/users/new", "email=x%40y.test"), 403);
}
END_TEST

START_TEST(test_patient_gets_403_on_every_admin_page)
{
	struct it_jar j;
	long long before, after;
	size_t n = 0;
	char *extra;

	it_sign_in(&j, P1_EMAIL, P1_PASS, NULL);
	before = it_audit_count("access.denied", P1_EMAIL, "");
	for (size_t i = 0; admin_get_paths[i]; i++, n++)
		ck_assert_msg(it_jar_get_status(&j, admin_get_paths[i]) == 403, "%s as a patient", admin_get_paths[i]);
	/* With a valid token too: the role decides. */
	ck_assert_int_eq(it_jar_post_status(&j, "/admin/users/new", "email=evil%40x.test&full_name=E&language=es&role=admin"), 403);
	ck_assert_int_eq(it_jar_post_status(&j, "/admin/users/1/grant", "role=admin"), 403);
	ck_assert_int_eq(it_jar_post_status(&j, "/admin/outbox/1/retry", ""), 403);
	n += 3;
	after = it_audit_count("access.denied", P1_EMAIL, "");
	ck_assert_int_eq(after - before, (long long)n);
	extra = it_fmt("AND e.subject_id = %lld AND e.object = 'admin_users'", it_user_id(P1_EMAIL));
	ck_assert_int_ge(it_audit_count("access.denied", P1_EMAIL, extra), 1);
	free(extra);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE email = 'evil@x.test'"), 0);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.user_roles r JOIN auth.users u ON u.id = r.user_id "
	                            "WHERE u.email = '%s' AND r.role = 'admin'", P1_EMAIL), 0);
}
END_TEST

/* --------------------------------------------------------------- CSRF */

START_TEST(test_every_admin_post_needs_the_csrf_token)
{
	struct it_jar a;
	struct http_response r;
	long long uid, ev;
	const char *paths[6];
	char *p[6];
	long long users = it_sql_int("SELECT count(*) FROM auth.users");

	it_make_user(&(struct it_user){ .email = "csrf.target@clinic.test", .name = "Objetivo CSRF" });
	uid = it_user_id("csrf.target@clinic.test");
	ev = it_sql_int("INSERT INTO outbox.events (type, payload, status, attempts, last_error) "
	                "VALUES ('mail.send', '{}', 'dead', 5, 'csrf marker') RETURNING id");
	it_sign_in(&a, A1_EMAIL, A1_PASS, A1_TOTP);
	p[0] = it_fmt("/admin/users/new");
	p[1] = it_fmt("/admin/users/%lld/grant", uid);
	p[2] = it_fmt("/admin/users/%lld/revoke", uid);
	p[3] = it_fmt("/admin/users/%lld/disable", uid);
	p[4] = it_fmt("/admin/users/%lld/enable", uid);
	p[5] = it_fmt("/admin/outbox/%lld/retry", ev);
	for (int i = 0; i < 6; i++)
		paths[i] = p[i];
	for (int i = 0; i < 6; i++) {
		const char *body = "email=csrf.new%40clinic.test&full_name=Nuevo&language=es&role=admin";
		if (i == 1 || i == 2)
			body = i == 1 ? "role=admin" : "role=patient";
		/* No token. */
		it_jar_request(&a, "POST", paths[i], body, &r);
		it_assert_status(&r, 403, paths[i]);
		http_response_free(&r);
		/* A wrong token. */
		{
			char *wrong = it_fmt("csrf=%064d&%s", 7, body);
			it_jar_request(&a, "POST", paths[i], wrong, &r);
			it_assert_status(&r, 403, paths[i]);
			http_response_free(&r);
			free(wrong);
		}
	}
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users"), users + 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.user_roles WHERE user_id = %lld", uid), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.user_roles WHERE user_id = %lld AND role = 'patient'", uid), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE id = %lld AND disabled_at IS NULL", uid), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE id = %lld AND status = 'dead' AND attempts = 5", ev), 1);
	ck_assert_int_ge(it_audit_count("security.csrf_rejected", A1_EMAIL, ""), 12);
	/* A cross-site form is refused before anything else. */
	{
		char cookie[400];
		const char *hdrs[] = { cookie, "Origin: https://evil.example", NULL };
		char *body = it_fmt("csrf=%s&role=admin", a.form_csrf);
		struct http_request rq = { .method = "POST", .path = paths[1], .headers = hdrs,
		                           .body = body, .body_len = strlen(body),
		                           .content_type = "application/x-www-form-urlencoded" };
		snprintf(cookie, sizeof(cookie), "Cookie: session=%s", a.session);
		ck_assert_int_eq(http_request(&rq, &r), 0);
		it_assert_status(&r, 403, "cross-site grant");
		http_response_free(&r);
		free(body);
	}
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.user_roles WHERE user_id = %lld", uid), 1);
	for (int i = 0; i < 6; i++)
		free(p[i]);
}
END_TEST

/* -------------------------------------------------------- audit search */

START_TEST(test_audit_search)
{
	struct it_jar a;
	struct http_response r;
	long long p1 = it_user_id(P1_EMAIL), admin = it_user_id(A1_EMAIL);
	long long viewed;

	it_sql("SELECT audit.append(%lld, %lld, 'admin.role_granted', 'role:markerq', '192.0.2.55', 'reqmarker1')",
	       admin, p1);
	it_sql("SELECT audit.append(NULL, %lld, 'auth.login_failed', 'password', '192.0.2.66', 'reqmarker2')", p1);
	it_sign_in(&a, A1_EMAIL, A1_PASS, A1_TOTP);
	viewed = it_audit_count("admin.audit_viewed", A1_EMAIL, "");

	ck_assert_int_eq(it_jar_get(&a, "/admin/audit?actor=admin1&action=admin.role", &r), 200);
	it_assert_has(&r, "role:markerq", "actor + action search");
	it_assert_has(&r, "192.0.2.55", "actor + action search");
	it_assert_has(&r, "reqmarker1", "actor + action search");
	it_assert_has(&r, "patient1@clinic.test", "actor + action search");
	it_assert_lacks(&r, "reqmarker2", "actor + action search");
	http_response_free(&r);
	ck_assert_int_eq(it_audit_count("admin.audit_viewed", A1_EMAIL, ""), viewed + 1);
	ck_assert_int_eq(it_audit_count("admin.audit_viewed", A1_EMAIL, "AND e.object LIKE '%action=admin.role%'"), 1);

	ck_assert_int_eq(it_jar_get(&a, "/admin/audit?subject=patient1%40clinic.test&action=auth.", &r), 200);
	it_assert_has(&r, "reqmarker2", "subject search");
	it_assert_lacks(&r, "reqmarker1", "subject search");
	/* Actions in words (issue 15), the code kept beside them. */
	it_assert_has(&r, "Intento fallido de inicio de sesión<br><code class=\"muted\">auth.login_failed</code>",
	              "action in words");
	http_response_free(&r);

	/* One's own views of the trail are hidden when the page opens and on
	 * request; unticked, they show. Another admin's views always show. */
	{
		long long other = it_make_user(&(struct it_user){ .email = "audit.other.admin@clinic.test",
		                                                  .role = "admin" });
		it_sql("SELECT audit.append(%lld, NULL, 'admin.audit_viewed', 'othermarker', '', 'reqother')", other);
		it_sql("SELECT audit.append(%lld, NULL, 'admin.audit_viewed', 'ownmarker', '', 'reqown')", admin);
	}
	ck_assert_int_eq(it_jar_get(&a, "/admin/audit", &r), 200);
	it_assert_has(&r, "name=\"hide_own\" type=\"checkbox\" value=\"1\" checked", "hidden by default");
	it_assert_lacks(&r, "ownmarker", "own view hidden by default");
	it_assert_has(&r, "othermarker", "another admin's view shown");
	it_assert_has(&r, "Consulta del registro de auditoría", "audit view in words");
	http_response_free(&r);
	ck_assert_int_eq(it_jar_get(&a, "/admin/audit?actor=&subject=&action=admin.audit&from=&to=", &r), 200);
	it_assert_has(&r, "ownmarker", "box unticked: own views shown");
	it_assert_lacks(&r, "name=\"hide_own\" type=\"checkbox\" value=\"1\" checked", "box unticked");
	http_response_free(&r);
	ck_assert_int_eq(it_jar_get(&a, "/admin/audit?actor=&subject=&action=admin.audit&from=&to=&hide_own=1", &r), 200);
	it_assert_lacks(&r, "ownmarker", "box ticked: own views hidden");
	it_assert_has(&r, "othermarker", "box ticked: another admin's view shown");
	http_response_free(&r);

	/* Dates are the clinic's days; today holds both, the year 2000 none.
	 * Times are the clinic's, in words (issue 15). */
	{
		char *today = it_sql_line("SELECT to_char(now() AT TIME ZONE 'Europe/Madrid', 'YYYY-MM-DD')");
		char *q = it_fmt("/admin/audit?subject=patient1&from=%s&to=%s", today, today);
		ck_assert_int_eq(it_jar_get(&a, q, &r), 200);
		it_assert_has(&r, "reqmarker2", "today");
		it_assert_has(&r, it_when_es("(SELECT at FROM audit.events WHERE request_id = 'reqmarker2')", 1),
		              "audit time in words, clinic time");
		http_response_free(&r);
		free(q);
	}
	ck_assert_int_eq(it_jar_get(&a, "/admin/audit?subject=patient1&from=2000-01-01&to=2000-01-02", &r), 200);
	it_assert_lacks(&r, "reqmarker2", "year 2000");
	it_assert_has(&r, "Ningún evento coincide con la búsqueda.", "year 2000");
	http_response_free(&r);

	/* Bad filters: the form says so, nothing is searched. */
	viewed = it_audit_count("admin.audit_viewed", A1_EMAIL, "");
	ck_assert_int_eq(it_jar_get(&a, "/admin/audit?from=2024-02-30&action=DROP%20TABLE", &r), 200);
	it_assert_has(&r, "id=\"from-error\"", "bad date");
	it_assert_has(&r, "id=\"action-error\"", "bad action");
	it_assert_has(&r, "value=\"DROP TABLE\"", "bad action kept");
	http_response_free(&r);
	ck_assert_int_eq(it_audit_count("admin.audit_viewed", A1_EMAIL, ""), viewed);
	ck_assert_int_eq(it_jar_get_status(&a, "/admin/audit?before=-1"), 400);
	ck_assert_int_eq(it_jar_get_status(&a, "/admin/audit?before=99999999999999999999"), 400);

	/* Paging: 51 more rows make an "older" link whose page goes on. */
	for (int i = 0; i < 55; i++)
		it_sql("SELECT audit.append(NULL, %lld, 'auth.logout', 'pagemarker', '', '')", p1);
	ck_assert_int_eq(it_jar_get(&a, "/admin/audit?subject=patient1&action=auth.logout", &r), 200);
	it_assert_has(&r, "&amp;before=", "paged search");
	{
		const char *p = strstr(r.body, "&amp;before="), *e;
		char *next;
		ck_assert_ptr_nonnull(p);
		/* Follow the link by its before= value. */
		p += strlen("&amp;before=");
		e = p + strspn(p, "0123456789");
		next = it_fmt("/admin/audit?subject=patient1&action=auth.logout&before=%.*s", (int)(e - p), p);
		http_response_free(&r);
		ck_assert_int_eq(it_jar_get(&a, next, &r), 200);
		it_assert_has(&r, "pagemarker", "second page");
		it_assert_has(&r, "Volver a los más recientes", "second page");
		free(next);
	}
	http_response_free(&r);
}
END_TEST

/* ------------------------------------------------------- capabilities */

/* Occurrences of needle in the medsysd log. */
static int
log_count(const char *needle)
{
	char *log = http_log_read(NULL);
	int n = str_count(log ? log : "", needle);

	free(log);
	return n;
}

/* SIGHUP medsysd and wait until its workers were all replaced. */
static void
reload_medsysd(void)
{
	int before = log_count("reload done");

	ck_assert_int_eq(kill((pid_t)http_medsysd_pid(), SIGHUP), 0);
	for (int i = 0; i < 200 && log_count("reload done") == before; i++)
		usleep(50 * 1000);
	ck_assert_int_gt(log_count("reload done"), before);
}

/* The router checks a route's capability against auth.role_capabilities:
 * taking audit.read away from administrators closes the audit page (403
 * and an audit row) but not the user pages, which need users.manage. */
START_TEST(test_capabilities_table_is_checked_by_the_router)
{
	struct it_jar a;
	long long denied;

	it_sign_in(&a, A1_EMAIL, A1_PASS, A1_TOTP);
	ck_assert_int_eq(it_jar_get_status(&a, "/admin/audit"), 200);
	it_sql("DELETE FROM auth.role_capabilities WHERE role = 'admin' AND capability = 'audit.read'");
	reload_medsysd();   /* fresh workers read the table at once */
	denied = it_audit_count("access.denied", A1_EMAIL, "AND e.object = 'admin_audit'");
	ck_assert_int_eq(it_jar_get_status(&a, "/admin/audit"), 403);
	ck_assert_int_eq(it_audit_count("access.denied", A1_EMAIL, "AND e.object = 'admin_audit'"), denied + 1);
	ck_assert_int_eq(it_jar_get_status(&a, "/admin/users"), 200);
	it_sql("INSERT INTO auth.role_capabilities (role, capability) VALUES ('admin', 'audit.read')");
	reload_medsysd();
	ck_assert_int_eq(it_jar_get_status(&a, "/admin/audit"), 200);
}
END_TEST

/* -------------------------------------------------------- dead letters */

START_TEST(test_dead_letters_list_and_retry)
{
	struct it_jar a;
	struct http_response r;
	long long ev, done;
	char *path;

	ev = it_sql_int("INSERT INTO outbox.events (type, payload, status, attempts, last_error) VALUES "
	                "('mail.send', '{\"to\":\"someone.secret@dead-letter.test\",\"lang\":\"es\","
	                "\"template\":\"reset_password\",\"params\":{\"name\":\"NameMarker\","
	                "\"link_path\":\"/password/reset?token=SECRETMARKER\"},\"secret\":true}', "
	                "'dead', 5, 'smtp: 550 deadmarker') RETURNING id");
	done = it_sql_int("INSERT INTO outbox.events (type, payload, status, attempts) "
	                  "VALUES ('notice.create', '{\"user_id\": 1}', 'done', 1) RETURNING id");
	it_sign_in(&a, A1_EMAIL, A1_PASS, A1_TOTP);
	ck_assert_int_eq(it_jar_get(&a, "/admin/outbox", &r), 200);
	it_assert_has(&r, "dead-letter.test", "dead letters");
	it_assert_has(&r, "smtp: 550 deadmarker", "dead letters");
	it_assert_has(&r, "mail.send", "dead letters");
	it_assert_has(&r, it_fmt("/admin/outbox/%lld/retry", ev), "dead letters");
	it_assert_lacks(&r, "SECRETMARKER", "dead letters");
	it_assert_lacks(&r, "someone.secret", "dead letters");
	it_assert_lacks(&r, "NameMarker", "dead letters");
	it_assert_lacks(&r, it_fmt("/admin/outbox/%lld/retry", done), "dead letters");
	it_assert_has(&r, it_when_es(it_fmt("(SELECT created_at FROM outbox.events WHERE id = %lld)", ev), 1),
	              "dead letter's time in words, clinic time");
	http_response_free(&r);

	path = it_fmt("/admin/outbox/%lld/retry", ev);
	it_jar_post(&a, path, "", &r);
	it_assert_redirect_prefix(&r, "/admin/outbox?msg=retried", "retry");
	http_response_free(&r);
	free(path);
	/* Requeued (the notifier, when it runs, may already have sent it). */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE id = %lld AND attempts < 5 "
	                            "AND (status = 'pending' OR status = 'done' OR attempts >= 1)", ev), 1);
	ck_assert_int_eq(it_audit_count("admin.outbox_retried", A1_EMAIL, it_fmt("AND e.object = 'event:%lld mail.send'", ev)), 1);
	ck_assert_int_eq(it_jar_get(&a, "/admin/outbox?msg=retried", &r), 200);
	it_assert_has(&r, "El envío se ha vuelto a poner en la cola.", "retried message");
	http_response_free(&r);

	/* Only dead events can be retried. */
	path = it_fmt("/admin/outbox/%lld/retry", done);
	ck_assert_int_eq(it_jar_post_status(&a, path, ""), 404);
	free(path);
	ck_assert_int_eq(it_jar_post_status(&a, "/admin/outbox/999999999/retry", ""), 404);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE id = %lld AND status = 'done'", done), 1);
	ck_assert_int_eq(it_jar_get_status(&a, "/admin/outbox?before=abc"), 400);
}
END_TEST

/* ------------------------------------------------------ pages render */

START_TEST(test_admin_pages_render_and_escape)
{
	struct it_jar a;
	struct http_response r;
	long long evil;
	char *path;

	it_make_user(&(struct it_user){ .email = "evil.name@clinic.test", .name = "<script>alert(1)</script>\"''&" });   /* SQL literal */
	evil = it_user_id("evil.name@clinic.test");
	it_sign_in(&a, A1_EMAIL, A1_PASS, A1_TOTP);
	ck_assert_int_eq(it_jar_get(&a, "/admin", &r), 200);
	it_assert_has(&r, "href=\"/admin/users\"", "admin index");
	it_assert_has(&r, "href=\"/admin/audit\"", "admin index");
	it_assert_has(&r, "href=\"/admin/outbox\"", "admin index");
	http_response_free(&r);

	ck_assert_int_eq(it_jar_get(&a, "/admin/users?q=evil.name", &r), 200);
	it_assert_has(&r, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;", "user list escapes");
	it_assert_lacks(&r, "<script>alert", "user list escapes");
	it_assert_has(&r, it_fmt("/admin/users/%lld\"", evil), "user list link");
	http_response_free(&r);
	ck_assert_int_eq(it_jar_get(&a, "/admin/users?q=clinic.test&role=admin", &r), 200);
	it_assert_has(&r, A1_EMAIL, "role filter");
	it_assert_lacks(&r, P1_EMAIL, "role filter");
	http_response_free(&r);
	ck_assert_int_eq(it_jar_get(&a, "/admin/users?q=zz-nobody-zz", &r), 200);
	it_assert_has(&r, "No hay usuarios que coincidan con la búsqueda.", "empty search");
	http_response_free(&r);
	ck_assert_int_eq(it_jar_get_status(&a, "/admin/users?page=abc"), 400);
	ck_assert_int_eq(it_jar_get_status(&a, "/admin/users?page=-1"), 400);
	ck_assert_int_eq(it_jar_get_status(&a, "/admin/users?page=1e9"), 400);
	ck_assert_int_eq(it_jar_get_status(&a, "/admin/users?role=root"), 400);
	ck_assert_int_eq(it_jar_get_status(&a, "/admin/users?page=2"), 200);

	path = it_fmt("/admin/users/%lld", evil);
	ck_assert_int_eq(it_jar_get(&a, path, &r), 200);
	it_assert_lacks(&r, "<script>alert", "user detail escapes");
	it_assert_has(&r, "Paciente", "user detail role");
	it_assert_has(&r, "/disable\"", "user detail");
	it_assert_has(&r, "audit?subject=evil.name%40clinic.test", "user detail audit link");
	it_assert_has(&r, it_when_es(it_fmt("(SELECT created_at FROM auth.users WHERE id = %lld)", evil), 1),
	              "user detail: created in words, clinic time");
	it_assert_has(&r, it_when_es(it_fmt("(SELECT granted_at FROM auth.user_roles WHERE user_id = %lld "
	                                    "AND role = 'patient')", evil), 1),
	              "user detail: role granted in words, clinic time");
	http_response_free(&r);
	free(path);
	ck_assert_int_eq(it_jar_get_status(&a, "/admin/users/999999999"), 404);
	ck_assert_int_eq(it_jar_get_status(&a, "/admin/users/0"), 404);
	ck_assert_int_eq(it_jar_get_status(&a, "/admin/users/9223372036854775807999"), 404);
	ck_assert_int_eq(it_jar_get_status(&a, "/admin/users/1?msg=%3Cscript%3E"), 200);

	snprintf(a.lang, sizeof(a.lang), "en");
	ck_assert_int_eq(it_jar_get(&a, "/admin/users/new", &r), 200);
	it_assert_has(&r, "Create a staff account", "new user form in English");
	it_assert_has(&r, "Cardiology", "new user form in English");
	http_response_free(&r);
}
END_TEST

int
main(void)
{
	return it_run_suites(it_suite("admin", 120, test_anonymous_is_sent_to_sign_in,
	                              test_patient_gets_403_on_every_admin_page,
	                              test_every_admin_post_needs_the_csrf_token, test_audit_search,
	                              test_capabilities_table_is_checked_by_the_router,
	                              test_dead_letters_list_and_retry, test_admin_pages_render_and_escape, NULL),
	                     NULL);
}
