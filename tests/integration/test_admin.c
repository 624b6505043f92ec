/* test_admin: the administrators' pages, in-app notices and the security
 * activity page, against a real stack (tests/integration/admin.stack):
 * staff creation with the welcome mail, roles that change on the very next
 * request, disabling that ends sessions at once, access control and CSRF
 * on every admin route, the audit search, dead letters, notices and their
 * ownership, and a user seeing only their own security events. */
#include <check.h>
#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "http_client.h"
#include "lib/totp.h"

/* Fixture accounts (tests/harness/seed.sql). */
#define ADMIN "admin1@clinic.test"
#define ADMIN_PW "Admin-One-Pass-2026"
#define ADMIN_TOTP "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"
#define DOCTOR "doctor1@clinic.test"
#define DOCTOR_PW "Doctor-One-Pass-2026"
#define DOCTOR_TOTP "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
#define PATIENT1 "patient1@clinic.test"
#define PATIENT1_PW "Patient-One-Pass-2026"
#define PATIENT2 "patient2@clinic.test"
#define PATIENT2_PW "Patient-Two-Pass-2026"

/* ------------------------------------------------------------- helpers */

static long long
user_id(const char *email)
{
	return it_sql_int("SELECT id FROM auth.users WHERE email = '%s'", email);
}

/* ---------------------------------------------------------- assertions */

static void
assert_location(const struct http_response *r, const char *prefix, const char *what)
{
	const char *loc = http_header(r, "Location");

	ck_assert_msg(r->status == 303, "%s: status %ld, expected 303; body: %.300s", what, r->status, r->body);
	ck_assert_msg(loc && strncmp(loc, prefix, strlen(prefix)) == 0,
	              "%s: Location %s, expected %s...", what, loc ? loc : "(none)", prefix);
}

/* ------------------------------------------------------------- sign-in */

static void
sign_in_admin(struct it_jar *j)
{
	it_sign_in(j, ADMIN, ADMIN_PW, ADMIN_TOTP);
}

/* A patient of our own (the password of patient2) so that one test's
 * changes never disturb another's. */
static void
make_patient(const char *email, const char *name)
{
	it_sql("INSERT INTO auth.users (email, full_name, language, password_hash, email_verified_at) "
	       "SELECT '%s', '%s', 'es', password_hash, now() FROM auth.users WHERE email = '%s' "
	       "ON CONFLICT (email) DO NOTHING", email, name, PATIENT2);
	it_sql("INSERT INTO auth.user_roles (user_id, role) SELECT id, 'patient' FROM auth.users "
	       "WHERE email = '%s' ON CONFLICT DO NOTHING", email);
}

static long long
audit_count(const char *action, const char *actor_email, const char *extra)
{
	return it_sql_int("SELECT count(*) FROM audit.events e LEFT JOIN auth.users a ON a.id = e.actor_id "
	                  "WHERE e.action = '%s' AND %s %s", action,
	                  actor_email ? it_fmt("a.email = '%s'", actor_email) : "e.actor_id IS NULL",
	                  extra ? extra : "");
}

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
	assert_location(&r, "/login?next=/admin", "anonymous GET /admin");
	http_response_free(&r);
	for (size_t i = 0; admin_get_paths[i]; i++) {
		it_jar_get(&j, admin_get_paths[i], &r);
		assert_location(&r, "/login?next=", admin_get_paths[i]);
		http_response_free(&r);
	}
	it_jar_get(&j, "/notices", &r);
	assert_location(&r, "/login?next=/notices", "anonymous GET /notices");
	http_response_free(&r);
	it_jar_get(&j, "/account/security", &r);
	assert_location(&r, "/login?next=", "anonymous GET /account/security");
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

	it_sign_in(&j, PATIENT1, PATIENT1_PW, NULL);
	before = audit_count("access.denied", PATIENT1, "");
	for (size_t i = 0; admin_get_paths[i]; i++, n++)
		ck_assert_msg(it_jar_get_status(&j, admin_get_paths[i]) == 403, "%s as a patient", admin_get_paths[i]);
	/* With a valid token too: the role decides. */
	ck_assert_int_eq(it_jar_post_status(&j, "/admin/users/new", "email=evil%40x.test&full_name=E&language=es&role=admin"), 403);
	ck_assert_int_eq(it_jar_post_status(&j, "/admin/users/1/grant", "role=admin"), 403);
	ck_assert_int_eq(it_jar_post_status(&j, "/admin/outbox/1/retry", ""), 403);
	n += 3;
	after = audit_count("access.denied", PATIENT1, "");
	ck_assert_int_eq(after - before, (long long)n);
	extra = it_fmt("AND e.subject_id = %lld AND e.object = 'admin_users'", user_id(PATIENT1));
	ck_assert_int_ge(audit_count("access.denied", PATIENT1, extra), 1);
	free(extra);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE email = 'evil@x.test'"), 0);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.user_roles r JOIN auth.users u ON u.id = r.user_id "
	                            "WHERE u.email = '%s' AND r.role = 'admin'", PATIENT1), 0);
}
END_TEST

/* ---------------------------------------------------- creating staff */

/* it_maildir_scan: keep the decoded text of the first mail to `to`. */
struct mail_to {
	const char *to;
	char *text;
};

static int
take_mail_to(const char *name, char *text, void *arg)
{
	struct mail_to *m = arg;

	(void)name;
	if (strstr(it_qp_decode(text), m->to) == NULL)
		return 0;
	m->text = strdup(text);
	return 1;
}

/* The decoded text of the mail in the Maildir sent to `to`, waiting up
 * to timeout_s, or NULL. */
static char *
wait_mail(const char *to, int timeout_s)
{
	struct mail_to m = { to, NULL };

	if (getenv("MEDSYS_MAILDIR") == NULL)
		return NULL;
	for (int t = 0; t < timeout_s * 10; t++) {
		if (it_maildir_scan(take_mail_to, &m))
			return m.text;
		usleep(100000);
	}
	return NULL;
}

/* 1 when medsys-notifier runs in this stack. */
static int
notifier_running(void)
{
	const char *pidfile = getenv("MEDSYS_NOTIFIER_PIDFILE");
	FILE *f = pidfile ? fopen(pidfile, "r") : NULL;
	long pid = 0;

	if (f == NULL)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	return pid > 0 && kill((pid_t)pid, 0) == 0;
}

/* The token of the set-password link sent to `to` (malloc'd): from the
 * delivered mail when the notifier runs, else from the queued event. */
static char *
welcome_token(const char *to)
{
	char *text, *p, *tok;

	if (notifier_running()) {
		text = wait_mail(to, 20);
		ck_assert_msg(text != NULL, "no welcome mail to %s arrived in the Maildir", to);
	} else {
		text = it_sql_line("SELECT payload->'params'->>'link_path' FROM outbox.events "
		                   "WHERE type = 'mail.send' AND payload->>'to' = '%s' "
		                   "AND payload->>'template' = 'welcome_staff'", to);
	}
	p = strstr(text, "/password/reset?token=");
	ck_assert_msg(p != NULL, "the welcome mail has no set-password link: %.500s", text);
	p += strlen("/password/reset?token=");
	tok = strndup(p, strspn(p, "0123456789abcdef"));
	free(text);
	ck_assert_uint_eq(strlen(tok), 64);
	return tok;
}

START_TEST(test_admin_creates_a_doctor)
{
	struct it_jar a, d;
	struct http_response r;
	long long cardio = it_sql_int("SELECT id FROM clinic.specialties WHERE code = 'cardiology'");
	long long family = it_sql_int("SELECT id FROM clinic.specialties WHERE code = 'family'");
	char *body, *tok, *loc, *v;
	long long uid;

	sign_in_admin(&a);
	ck_assert_int_eq(it_jar_get(&a, "/admin/users/new", &r), 200);
	it_assert_has(&r, "Cardiología", "new user form");
	it_assert_has(&r, "name=\"licence_number\"", "new user form");
	http_response_free(&r);

	body = it_fmt("email=New.Doctor%%40Clinic.test&full_name=Dra.+Nueva+Marcadora&language=es&role=doctor"
	              "&licence_number=LIC-NEW-1&pharmacy_name=&specialty=%lld&specialty=%lld", cardio, family);
	it_jar_post(&a, "/admin/users/new", body, &r);
	free(body);
	assert_location(&r, "/admin/users/", "create a doctor");
	loc = strdup(http_header(&r, "Location"));
	http_response_free(&r);
	uid = user_id("new.doctor@clinic.test");
	ck_assert_int_gt(uid, 0);
	ck_assert_int_eq(atoll(loc + strlen("/admin/users/")), uid);

	/* The account: no usable password, the role, the directory row. */
	v = it_sql_line("SELECT password_hash LIKE '$argon2id$%%' AND email_verified_at IS NULL AND disabled_at IS NULL "
	                "FROM auth.users WHERE id = %lld", uid);
	ck_assert_str_eq(v, "t");
	free(v);
	v = it_sql_line("SELECT string_agg(role, ',') FROM auth.user_roles WHERE user_id = %lld", uid);
	ck_assert_str_eq(v, "doctor");
	free(v);
	v = it_sql_line("SELECT display_name || '|' || licence_number || '|' || active FROM clinic.doctors WHERE user_id = %lld", uid);
	ck_assert_str_eq(v, "Dra. Nueva Marcadora|LIC-NEW-1|true");
	free(v);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM clinic.doctor_specialties ds JOIN clinic.doctors d "
	                            "ON d.id = ds.doctor_id WHERE d.user_id = %lld", uid), 2);
	ck_assert_int_eq(audit_count("admin.user_created", ADMIN,
	                             it_fmt("AND e.subject_id = %lld", uid)), 1);
	v = it_sql_line("SELECT (payload->>'secret') || '|' || (payload->>'lang') || '|' || (payload->'params'->>'name') "
	                "|| '|' || (payload->'params'->>'minutes') FROM outbox.events WHERE type = 'mail.send' "
	                "AND payload->>'to' = 'new.doctor@clinic.test' AND payload->>'template' = 'welcome_staff'");
	ck_assert_str_eq(v, "true|es|Dra. Nueva Marcadora|4320");
	free(v);

	/* The detail page. */
	ck_assert_int_eq(it_jar_get(&a, loc, &r), 200);
	it_assert_has(&r, "new.doctor@clinic.test", "doctor detail");
	it_assert_has(&r, "LIC-NEW-1", "doctor detail");
	it_assert_has(&r, "Cardiología", "doctor detail");
	http_response_free(&r);
	free(loc);

	/* The welcome link works once, for 72 hours. */
	tok = welcome_token("new.doctor@clinic.test");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.tokens WHERE token_hash = sha256(convert_to('%s', 'UTF8')) "
	                            "AND purpose = 'reset_password' AND user_id = %lld AND used_at IS NULL "
	                            "AND expires_at > now() + interval '71 hours' "
	                            "AND expires_at < now() + interval '73 hours'", tok, uid), 1);
	memset(&d, 0, sizeof(d));
	body = it_fmt("/password/reset?token=%s", tok);
	if (it_jar_get(&d, body, &r) != 404) {
		/* The account engineer's page: choose the password, sign in,
		 * and staff are sent to set up their second factor first. */
		char *form;
		it_assert_status(&r, 200, "GET the welcome link");
		http_response_free(&r);
		form = it_fmt("token=%s&password=Bata-Blanca-Segura-77&password_confirm=Bata-Blanca-Segura-77", tok);
		it_jar_post(&d, "/password/reset", form, &r);
		free(form);
		assert_location(&r, "/login", "set the password from the welcome link");
		http_response_free(&r);
		memset(&d, 0, sizeof(d));
		it_jar_get(&d, "/login", &r);
		http_response_free(&r);
		it_jar_post(&d, "/login", "email=new.doctor%40clinic.test&password=Bata-Blanca-Segura-77", &r);
		assert_location(&r, "/", "the new doctor signs in");
		http_response_free(&r);
		it_jar_get(&d, "/notices", &r);
		assert_location(&r, "/account/2fa", "a new doctor must set up the second factor");
		http_response_free(&r);
	} else {
		http_response_free(&r);
	}
	free(body);
	free(tok);
}
END_TEST

START_TEST(test_create_form_errors_keep_what_was_typed)
{
	struct it_jar a;
	struct http_response r;
	long long users = it_sql_int("SELECT count(*) FROM auth.users");

	sign_in_admin(&a);
	/* An e-mail already in use. */
	it_jar_post(&a, "/admin/users/new", "email=patient1%40clinic.test&full_name=Marcador+Repetido+%3Cb%3E"
	            "&language=en&role=lab", &r);
	it_assert_status(&r, 200, "duplicate e-mail");
	it_assert_has(&r, "Ya existe una cuenta con esta dirección de correo.", "duplicate e-mail");
	it_assert_has(&r, "value=\"Marcador Repetido &lt;b&gt;\"", "duplicate e-mail keeps the name");
	it_assert_has(&r, "aria-invalid=\"true\" aria-describedby=\"email-error\"", "duplicate e-mail");
	http_response_free(&r);
	/* A doctor needs a licence number; a pharmacist a pharmacy too. */
	it_jar_post(&a, "/admin/users/new", "email=nolicence%40clinic.test&full_name=Sin+Licencia&language=es"
	            "&role=doctor&licence_number=", &r);
	it_assert_status(&r, 200, "doctor without licence");
	it_assert_has(&r, "Escriba el número de colegiado o de licencia.", "doctor without licence");
	http_response_free(&r);
	it_jar_post(&a, "/admin/users/new", "email=nopharmacy%40clinic.test&full_name=Sin+Farmacia&language=es"
	            "&role=pharmacist&licence_number=PH-1&pharmacy_name=", &r);
	it_assert_status(&r, 200, "pharmacist without pharmacy");
	it_assert_has(&r, "Escriba el nombre de la farmacia.", "pharmacist without pharmacy");
	http_response_free(&r);
	/* A licence number of another doctor account. */
	it_jar_post(&a, "/admin/users/new", "email=stolen%40clinic.test&full_name=Licencia+Ajena&language=es"
	            "&role=doctor&licence_number=T-0001", &r);
	it_assert_status(&r, 200, "licence of another account");
	it_assert_has(&r, "Este número de licencia ya pertenece a otra cuenta.", "licence of another account");
	http_response_free(&r);
	/* Not a staff role, not an e-mail. */
	it_jar_post(&a, "/admin/users/new", "email=not-an-email&full_name=X&language=es&role=patient", &r);
	it_assert_status(&r, 200, "bad role and e-mail");
	it_assert_has(&r, "class=\"error\" id=\"email-error\"", "bad e-mail");
	it_assert_has(&r, "class=\"error\" id=\"role-error\"", "bad role");
	http_response_free(&r);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users"), users);

	/* A pharmacist with everything. */
	it_jar_post(&a, "/admin/users/new", "email=pharma%40clinic.test&full_name=Farmac%C3%A9utica+Marcadora"
	            "&language=en&role=pharmacist&licence_number=PH-77&pharmacy_name=Farmacia+Central", &r);
	assert_location(&r, "/admin/users/", "create a pharmacist");
	http_response_free(&r);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.pharmacists p JOIN auth.users u ON u.id = p.user_id "
	                            "WHERE u.email = 'pharma@clinic.test' AND p.pharmacy_name = 'Farmacia Central' "
	                            "AND p.licence_number = 'PH-77'"), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE payload->>'to' = 'pharma@clinic.test' "
	                            "AND payload->>'lang' = 'en' AND payload->>'template' = 'welcome_staff'"), 1);
}
END_TEST

/* ------------------------------------------------------------- roles */

START_TEST(test_roles_apply_on_the_next_request)
{
	struct it_jar a, d;
	struct http_response r;
	long long doc = user_id(DOCTOR), admin = user_id(ADMIN);
	char *path;

	sign_in_admin(&a);
	it_sign_in(&d, DOCTOR, DOCTOR_PW, DOCTOR_TOTP);
	ck_assert_int_eq(it_jar_get_status(&d, "/admin"), 403);

	path = it_fmt("/admin/users/%lld/grant", doc);
	it_jar_post(&a, path, "role=admin", &r);
	assert_location(&r, it_fmt("/admin/users/%lld?msg=granted", doc), "grant admin");
	http_response_free(&r);
	free(path);
	/* The doctor's very next request, same session. */
	ck_assert_int_eq(it_jar_get_status(&d, "/admin"), 200);
	ck_assert_int_eq(audit_count("admin.role_granted", ADMIN,
	                             it_fmt("AND e.subject_id = %lld AND e.object = 'role:admin'", doc)), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.user_roles WHERE user_id = %lld AND role = 'admin' "
	                            "AND granted_by = %lld", doc, admin), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'notice.create' "
	                            "AND payload->>'kind' = 'role_granted' AND (payload->>'user_id')::bigint = %lld", doc), 1);
	/* Granting it again changes nothing. */
	path = it_fmt("/admin/users/%lld/grant", doc);
	it_jar_post(&a, path, "role=admin", &r);
	assert_location(&r, it_fmt("/admin/users/%lld?msg=already_held", doc), "grant twice");
	http_response_free(&r);
	free(path);

	path = it_fmt("/admin/users/%lld/revoke", doc);
	it_jar_post(&a, path, "role=admin", &r);
	assert_location(&r, it_fmt("/admin/users/%lld?msg=revoked", doc), "revoke admin");
	http_response_free(&r);
	free(path);
	ck_assert_int_eq(it_jar_get_status(&d, "/admin"), 403);
	ck_assert_int_eq(it_jar_get_status(&d, "/notices"), 200);   /* still signed in, as a doctor */
	ck_assert_int_eq(audit_count("admin.role_revoked", ADMIN,
	                             it_fmt("AND e.subject_id = %lld AND e.object = 'role:admin'", doc)), 1);

	/* An admin cannot revoke their own admin role. */
	path = it_fmt("/admin/users/%lld/revoke", admin);
	it_jar_post(&a, path, "role=admin", &r);
	assert_location(&r, it_fmt("/admin/users/%lld?msg=self_revoke", admin), "revoke own admin");
	http_response_free(&r);
	free(path);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.user_roles WHERE user_id = %lld AND role = 'admin'", admin), 1);
	path = it_fmt("/admin/users/%lld?msg=self_revoke", admin);
	ck_assert_int_eq(it_jar_get(&a, path, &r), 200);
	it_assert_has(&r, "No puede retirarse a sí mismo el rol de administración.", "self revoke message");
	http_response_free(&r);
	free(path);

	/* Unknown role, unknown user. */
	path = it_fmt("/admin/users/%lld/grant", doc);
	it_jar_post(&a, path, "role=superuser", &r);
	it_assert_status(&r, 200, "grant an unknown role");
	it_assert_has(&r, "class=\"error\" id=\"role-error\"", "grant an unknown role");
	http_response_free(&r);
	free(path);
	ck_assert_int_eq(it_jar_post_status(&a, "/admin/users/999999999/grant", "role=lab"), 404);
	ck_assert_int_eq(it_jar_post_status(&a, "/admin/users/999999999/revoke", "role=lab"), 404);
}
END_TEST

START_TEST(test_granting_doctor_needs_a_licence)
{
	struct it_jar a;
	struct http_response r;
	long long uid;
	char *path;

	make_patient("becomes.doctor@clinic.test", "Futura Doctora");
	uid = user_id("becomes.doctor@clinic.test");
	sign_in_admin(&a);
	path = it_fmt("/admin/users/%lld/grant", uid);
	it_jar_post(&a, path, "role=doctor&licence_number=", &r);
	it_assert_status(&r, 200, "doctor without licence");
	it_assert_has(&r, "Escriba el número de colegiado o de licencia.", "doctor without licence");
	http_response_free(&r);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.user_roles WHERE user_id = %lld", uid), 1);
	it_jar_post(&a, path, "role=doctor&licence_number=LIC-GRANT-9", &r);
	assert_location(&r, it_fmt("/admin/users/%lld?msg=granted", uid), "grant doctor");
	http_response_free(&r);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM clinic.doctors WHERE user_id = %lld AND active "
	                            "AND licence_number = 'LIC-GRANT-9' AND display_name = 'Futura Doctora'", uid), 1);
	free(path);
	/* Revoked: out of the public directory. */
	path = it_fmt("/admin/users/%lld/revoke", uid);
	ck_assert_int_eq(it_jar_post_status(&a, path, "role=doctor"), 303);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM clinic.doctors WHERE user_id = %lld AND NOT active", uid), 1);
	free(path);
}
END_TEST

/* ---------------------------------------------------------- disabling */

START_TEST(test_disable_ends_sessions_at_once)
{
	struct it_jar a, v;
	struct http_response r;
	long long uid, self;
	char *path;

	make_patient("victim@clinic.test", "Víctima Marcadora");
	uid = user_id("victim@clinic.test");
	sign_in_admin(&a);
	it_sign_in(&v, "victim@clinic.test", PATIENT2_PW, NULL);

	path = it_fmt("/admin/users/%lld/disable", uid);
	it_jar_post(&a, path, "", &r);
	assert_location(&r, it_fmt("/admin/users/%lld?msg=disabled", uid), "disable");
	http_response_free(&r);
	free(path);
	/* The victim's next request is signed out. */
	it_jar_get(&v, "/notices", &r);
	assert_location(&r, "/login?next=/notices", "the disabled user's next request");
	http_response_free(&r);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.sessions WHERE user_id = %lld AND revoked_at IS NULL", uid), 0);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE id = %lld AND disabled_at IS NOT NULL", uid), 1);
	ck_assert_int_eq(audit_count("admin.user_disabled", ADMIN, it_fmt("AND e.subject_id = %lld", uid)), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'mail.send' "
	                            "AND payload->>'to' = 'victim@clinic.test' AND payload->>'template' = 'account_disabled' "
	                            "AND payload->'params'->>'name' = 'Víctima Marcadora'"), 1);
	/* Signing in is refused. */
	memset(&v, 0, sizeof(v));
	if (it_jar_get_status(&v, "/login") == 200) {
		it_jar_post(&v, "/login", "email=victim%40clinic.test&password=" PATIENT2_PW, &r);
		ck_assert_msg(r.status != 303, "a disabled account signed in");
		http_response_free(&r);
		ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.sessions WHERE user_id = %lld AND revoked_at IS NULL", uid), 0);
		it_sql("DELETE FROM auth.throttle");
	}
	ck_assert_int_eq(it_jar_get(&a, it_fmt("/admin/users/%lld", uid), &r), 200);
	it_assert_has(&r, "/enable\"", "detail of a disabled account");
	http_response_free(&r);

	/* Disabling twice; disabling oneself. */
	path = it_fmt("/admin/users/%lld/disable", uid);
	it_jar_post(&a, path, "", &r);
	assert_location(&r, it_fmt("/admin/users/%lld?msg=already_disabled", uid), "disable twice");
	http_response_free(&r);
	free(path);
	self = user_id(ADMIN);
	path = it_fmt("/admin/users/%lld/disable", self);
	it_jar_post(&a, path, "", &r);
	assert_location(&r, it_fmt("/admin/users/%lld?msg=self_disable", self), "disable oneself");
	http_response_free(&r);
	free(path);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE id = %lld AND disabled_at IS NULL", self), 1);
	ck_assert_int_eq(it_jar_get_status(&a, "/admin"), 200);

	/* Enabled again: the person can sign in. */
	path = it_fmt("/admin/users/%lld/enable", uid);
	it_jar_post(&a, path, "", &r);
	assert_location(&r, it_fmt("/admin/users/%lld?msg=enabled", uid), "enable");
	http_response_free(&r);
	free(path);
	ck_assert_int_eq(audit_count("admin.user_enabled", ADMIN, it_fmt("AND e.subject_id = %lld", uid)), 1);
	it_sign_in(&v, "victim@clinic.test", PATIENT2_PW, NULL);
	ck_assert_int_eq(it_jar_get_status(&v, "/notices"), 200);
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

	make_patient("csrf.target@clinic.test", "Objetivo CSRF");
	uid = user_id("csrf.target@clinic.test");
	ev = it_sql_int("INSERT INTO outbox.events (type, payload, status, attempts, last_error) "
	                "VALUES ('mail.send', '{}', 'dead', 5, 'csrf marker') RETURNING id");
	sign_in_admin(&a);
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
	ck_assert_int_ge(audit_count("security.csrf_rejected", ADMIN, ""), 12);
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
	long long p1 = user_id(PATIENT1), admin = user_id(ADMIN);
	long long viewed;

	it_sql("SELECT audit.append(%lld, %lld, 'admin.role_granted', 'role:markerq', '192.0.2.55', 'reqmarker1')",
	       admin, p1);
	it_sql("SELECT audit.append(NULL, %lld, 'auth.login_failed', 'password', '192.0.2.66', 'reqmarker2')", p1);
	sign_in_admin(&a);
	viewed = audit_count("admin.audit_viewed", ADMIN, "");

	ck_assert_int_eq(it_jar_get(&a, "/admin/audit?actor=admin1&action=admin.role", &r), 200);
	it_assert_has(&r, "role:markerq", "actor + action search");
	it_assert_has(&r, "192.0.2.55", "actor + action search");
	it_assert_has(&r, "reqmarker1", "actor + action search");
	it_assert_has(&r, "patient1@clinic.test", "actor + action search");
	it_assert_lacks(&r, "reqmarker2", "actor + action search");
	http_response_free(&r);
	ck_assert_int_eq(audit_count("admin.audit_viewed", ADMIN, ""), viewed + 1);
	ck_assert_int_eq(audit_count("admin.audit_viewed", ADMIN, "AND e.object LIKE '%action=admin.role%'"), 1);

	ck_assert_int_eq(it_jar_get(&a, "/admin/audit?subject=patient1%40clinic.test&action=auth.", &r), 200);
	it_assert_has(&r, "reqmarker2", "subject search");
	it_assert_lacks(&r, "reqmarker1", "subject search");
	http_response_free(&r);

	/* Dates are UTC days; today holds both, the year 2000 none. */
	{
		char today[11], *q;
		time_t t = time(NULL);
		strftime(today, sizeof(today), "%Y-%m-%d", gmtime(&t));
		q = it_fmt("/admin/audit?subject=patient1&from=%s&to=%s", today, today);
		ck_assert_int_eq(it_jar_get(&a, q, &r), 200);
		it_assert_has(&r, "reqmarker2", "today");
		http_response_free(&r);
		free(q);
	}
	ck_assert_int_eq(it_jar_get(&a, "/admin/audit?subject=patient1&from=2000-01-01&to=2000-01-02", &r), 200);
	it_assert_lacks(&r, "reqmarker2", "year 2000");
	it_assert_has(&r, "Ningún evento coincide con la búsqueda.", "year 2000");
	http_response_free(&r);

	/* Bad filters: the form says so, nothing is searched. */
	viewed = audit_count("admin.audit_viewed", ADMIN, "");
	ck_assert_int_eq(it_jar_get(&a, "/admin/audit?from=2024-02-30&action=DROP%20TABLE", &r), 200);
	it_assert_has(&r, "id=\"from-error\"", "bad date");
	it_assert_has(&r, "id=\"action-error\"", "bad action");
	it_assert_has(&r, "value=\"DROP TABLE\"", "bad action kept");
	http_response_free(&r);
	ck_assert_int_eq(audit_count("admin.audit_viewed", ADMIN, ""), viewed);
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
	size_t len;
	char *log = http_log_read(&len);
	int n = 0;

	for (const char *p = log ? log : ""; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
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

	sign_in_admin(&a);
	ck_assert_int_eq(it_jar_get_status(&a, "/admin/audit"), 200);
	it_sql("DELETE FROM auth.role_capabilities WHERE role = 'admin' AND capability = 'audit.read'");
	reload_medsysd();   /* fresh workers read the table at once */
	denied = audit_count("access.denied", ADMIN, "AND e.object = 'admin_audit'");
	ck_assert_int_eq(it_jar_get_status(&a, "/admin/audit"), 403);
	ck_assert_int_eq(audit_count("access.denied", ADMIN, "AND e.object = 'admin_audit'"), denied + 1);
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
	sign_in_admin(&a);
	ck_assert_int_eq(it_jar_get(&a, "/admin/outbox", &r), 200);
	it_assert_has(&r, "dead-letter.test", "dead letters");
	it_assert_has(&r, "smtp: 550 deadmarker", "dead letters");
	it_assert_has(&r, "mail.send", "dead letters");
	it_assert_has(&r, it_fmt("/admin/outbox/%lld/retry", ev), "dead letters");
	it_assert_lacks(&r, "SECRETMARKER", "dead letters");
	it_assert_lacks(&r, "someone.secret", "dead letters");
	it_assert_lacks(&r, "NameMarker", "dead letters");
	it_assert_lacks(&r, it_fmt("/admin/outbox/%lld/retry", done), "dead letters");
	http_response_free(&r);

	path = it_fmt("/admin/outbox/%lld/retry", ev);
	it_jar_post(&a, path, "", &r);
	assert_location(&r, "/admin/outbox?msg=retried", "retry");
	http_response_free(&r);
	free(path);
	/* Requeued (the notifier, when it runs, may already have sent it). */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE id = %lld AND attempts < 5 "
	                            "AND (status = 'pending' OR status = 'done' OR attempts >= 1)", ev), 1);
	ck_assert_int_eq(audit_count("admin.outbox_retried", ADMIN, it_fmt("AND e.object = 'event:%lld mail.send'", ev)), 1);
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

	make_patient("notices.reader@clinic.test", "Lectora de Avisos");
	n1 = add_notice("notices.reader@clinic.test", "password_changed", "{}", "");
	n2 = add_notice("notices.reader@clinic.test", "email_change_requested",
	                "{\"email\": \"nuevo<b>@x.test\"}", "/account/security");
	n3 = add_notice("notices.reader@clinic.test", "role_granted", "{\"role\": \"doctor\"}", "");
	n4 = add_notice("notices.reader@clinic.test", "mystery_kind", "{\"x\": \"y\"}", "");
	n5 = add_notice("notices.reader@clinic.test", "generic", "{}", "");
	other = add_notice(PATIENT2, "password_changed", "{\"marker\": \"OTHERS\"}", "");

	it_sign_in(&p, "notices.reader@clinic.test", PATIENT2_PW, NULL);
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
	assert_location(&r, "/account/security", "open a notice");
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
	denied = audit_count("access.denied", "notices.reader@clinic.test", "");
	path = it_fmt("/notices/%lld/read", other);
	it_jar_post(&p, path, "", &r);
	it_assert_status(&r, 404, "another user's notice");
	it_assert_lacks(&r, "OTHERS", "another user's notice");
	http_response_free(&r);
	free(path);
	ck_assert_int_eq(audit_count("access.denied", "notices.reader@clinic.test",
	                             it_fmt("AND e.object = 'notice:%lld' AND e.subject_id = %lld", other, user_id(PATIENT2))), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.notices WHERE id = %lld AND read_at IS NULL", other), 1);
	/* A notice that does not exist: the same answer. */
	ck_assert_int_eq(it_jar_post_status(&p, "/notices/999999999/read", ""), 404);
	ck_assert_int_eq(audit_count("access.denied", "notices.reader@clinic.test", ""), denied + 2);

	/* All read. */
	it_jar_post(&p, "/notices/read-all", "", &r);
	assert_location(&r, "/notices", "read all");
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

	make_patient("security.reader@clinic.test", "Lector de Seguridad");
	me = user_id("security.reader@clinic.test");
	other = user_id(PATIENT2);
	it_sql("SELECT audit.append(NULL, %lld, 'auth.login_failed', 'password', '203.0.113.7', 'rq-own')", me);
	it_sql("SELECT audit.append(NULL, %lld, 'auth.login_failed', 'password', '198.51.100.99', 'rq-other')", other);
	it_sql("SELECT audit.append(NULL, %lld, 'weird.unknown_action', '', '203.0.113.8', '')", me);
	it_sign_in(&p, "security.reader@clinic.test", PATIENT2_PW, NULL);
	ck_assert_int_eq(it_jar_get(&p, "/account/security", &r), 200);
	it_assert_has(&r, "203.0.113.7", "own event");
	it_assert_has(&r, "Intento fallido de inicio de sesión", "own event translated");
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
	http_response_free(&r);
	ck_assert_int_eq(it_jar_get_status(&p, "/account/security?before=0"), 400);
}
END_TEST

/* ------------------------------------------------------ pages render */

START_TEST(test_admin_pages_render_and_escape)
{
	struct it_jar a;
	struct http_response r;
	long long evil;
	char *path;

	make_patient("evil.name@clinic.test", "<script>alert(1)</script>\"''&");   /* SQL literal */
	evil = user_id("evil.name@clinic.test");
	sign_in_admin(&a);
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
	it_assert_has(&r, ADMIN, "role filter");
	it_assert_lacks(&r, PATIENT1, "role filter");
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

static Suite *
admin_suite(void)
{
	Suite *s = suite_create("admin");
	TCase *tc = tcase_create("stack");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_anonymous_is_sent_to_sign_in);
	tcase_add_test(tc, test_patient_gets_403_on_every_admin_page);
	tcase_add_test(tc, test_admin_creates_a_doctor);
	tcase_add_test(tc, test_create_form_errors_keep_what_was_typed);
	tcase_add_test(tc, test_roles_apply_on_the_next_request);
	tcase_add_test(tc, test_granting_doctor_needs_a_licence);
	tcase_add_test(tc, test_disable_ends_sessions_at_once);
	tcase_add_test(tc, test_every_admin_post_needs_the_csrf_token);
	tcase_add_test(tc, test_audit_search);
	tcase_add_test(tc, test_capabilities_table_is_checked_by_the_router);
	tcase_add_test(tc, test_dead_letters_list_and_retry);
	tcase_add_test(tc, test_notices_list_read_and_ownership);
	tcase_add_test(tc, test_security_page_shows_only_own_events);
	tcase_add_test(tc, test_admin_pages_render_and_escape);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(admin_suite());
	int failed;

	srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	http_client_cleanup();
	return failed == 0 ? 0 : 1;
}
