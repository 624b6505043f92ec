/* test_staff: administrators managing staff accounts against a real stack
 * (tests/integration/staff.stack): creating a doctor with the welcome mail
 * and its set-password link, the form's errors keeping what was typed,
 * roles that change on the very next request, granting doctor only with a
 * licence, and disabling that ends the person's sessions at once. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "http_client.h"

/* ---------------------------------------------------- creating staff */

START_TEST(test_admin_creates_a_doctor)
{
	struct it_jar a, d;
	struct http_response r;
	long long cardio = it_sql_int("SELECT id FROM clinic.specialties WHERE code = 'cardiology'");
	long long family = it_sql_int("SELECT id FROM clinic.specialties WHERE code = 'family'");
	char *body, *tok, *loc, *v;
	long long uid;

	it_sign_in(&a, A1_EMAIL, A1_PASS, A1_TOTP);
	ck_assert_int_eq(it_jar_get(&a, "/admin/users/new", &r), 200);
	it_assert_has(&r, "Cardiología", "new user form");
	it_assert_has(&r, "name=\"licence_number\"", "new user form");
	http_response_free(&r);

	body = it_fmt("email=New.Doctor%%40Clinic.test&full_name=Dra.+Nueva+Marcadora&language=es&role=doctor"
	              "&licence_number=LIC-NEW-1&pharmacy_name=&specialty=%lld&specialty=%lld", cardio, family);
	it_jar_post(&a, "/admin/users/new", body, &r);
	free(body);
	it_assert_redirect_prefix(&r, "/admin/users/", "create a doctor");
	loc = strdup(http_header(&r, "Location"));
	http_response_free(&r);
	uid = it_user_id("new.doctor@clinic.test");
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
	ck_assert_int_eq(it_audit_count("admin.user_created", A1_EMAIL,
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
	tok = it_mail_token("new.doctor@clinic.test", "/password/reset");
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
		it_assert_redirect_prefix(&r, "/login", "set the password from the welcome link");
		http_response_free(&r);
		memset(&d, 0, sizeof(d));
		it_jar_get(&d, "/login", &r);
		http_response_free(&r);
		it_jar_post(&d, "/login", "email=new.doctor%40clinic.test&password=Bata-Blanca-Segura-77", &r);
		it_assert_redirect_prefix(&r, "/", "the new doctor signs in");
		http_response_free(&r);
		it_jar_get(&d, "/notices", &r);
		it_assert_redirect_prefix(&r, "/account/2fa", "a new doctor must set up the second factor");
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

	it_sign_in(&a, A1_EMAIL, A1_PASS, A1_TOTP);
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
	it_assert_redirect_prefix(&r, "/admin/users/", "create a pharmacist");
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
	long long doc = it_user_id(D1_EMAIL), admin = it_user_id(A1_EMAIL);
	char *path;

	it_sign_in(&a, A1_EMAIL, A1_PASS, A1_TOTP);
	it_sign_in(&d, D1_EMAIL, D1_PASS, D1_TOTP);
	ck_assert_int_eq(it_jar_get_status(&d, "/admin"), 403);

	path = it_fmt("/admin/users/%lld/grant", doc);
	it_jar_post(&a, path, "role=admin", &r);
	it_assert_redirect_prefix(&r, it_fmt("/admin/users/%lld?msg=granted", doc), "grant admin");
	http_response_free(&r);
	free(path);
	/* The doctor's very next request, same session. */
	ck_assert_int_eq(it_jar_get_status(&d, "/admin"), 200);
	ck_assert_int_eq(it_audit_count("admin.role_granted", A1_EMAIL,
	                             it_fmt("AND e.subject_id = %lld AND e.object = 'role:admin'", doc)), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.user_roles WHERE user_id = %lld AND role = 'admin' "
	                            "AND granted_by = %lld", doc, admin), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'notice.create' "
	                            "AND payload->>'kind' = 'role_granted' AND (payload->>'user_id')::bigint = %lld", doc), 1);
	/* Granting it again changes nothing. */
	path = it_fmt("/admin/users/%lld/grant", doc);
	it_jar_post(&a, path, "role=admin", &r);
	it_assert_redirect_prefix(&r, it_fmt("/admin/users/%lld?msg=already_held", doc), "grant twice");
	http_response_free(&r);
	free(path);

	path = it_fmt("/admin/users/%lld/revoke", doc);
	it_jar_post(&a, path, "role=admin", &r);
	it_assert_redirect_prefix(&r, it_fmt("/admin/users/%lld?msg=revoked", doc), "revoke admin");
	http_response_free(&r);
	free(path);
	ck_assert_int_eq(it_jar_get_status(&d, "/admin"), 403);
	ck_assert_int_eq(it_jar_get_status(&d, "/notices"), 200);   /* still signed in, as a doctor */
	ck_assert_int_eq(it_audit_count("admin.role_revoked", A1_EMAIL,
	                             it_fmt("AND e.subject_id = %lld AND e.object = 'role:admin'", doc)), 1);

	/* An admin cannot revoke their own admin role. */
	path = it_fmt("/admin/users/%lld/revoke", admin);
	it_jar_post(&a, path, "role=admin", &r);
	it_assert_redirect_prefix(&r, it_fmt("/admin/users/%lld?msg=self_revoke", admin), "revoke own admin");
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

	it_make_user(&(struct it_user){ .email = "becomes.doctor@clinic.test", .name = "Futura Doctora" });
	uid = it_user_id("becomes.doctor@clinic.test");
	it_sign_in(&a, A1_EMAIL, A1_PASS, A1_TOTP);
	path = it_fmt("/admin/users/%lld/grant", uid);
	it_jar_post(&a, path, "role=doctor&licence_number=", &r);
	it_assert_status(&r, 200, "doctor without licence");
	it_assert_has(&r, "Escriba el número de colegiado o de licencia.", "doctor without licence");
	http_response_free(&r);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.user_roles WHERE user_id = %lld", uid), 1);
	it_jar_post(&a, path, "role=doctor&licence_number=LIC-GRANT-9", &r);
	it_assert_redirect_prefix(&r, it_fmt("/admin/users/%lld?msg=granted", uid), "grant doctor");
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

	it_make_user(&(struct it_user){ .email = "victim@clinic.test", .name = "Víctima Marcadora" });
	uid = it_user_id("victim@clinic.test");
	it_sign_in(&a, A1_EMAIL, A1_PASS, A1_TOTP);
	it_sign_in(&v, "victim@clinic.test", P1_PASS, NULL);

	/* The account page leads to a confirmation page (issue 15): what
	 * happens, whose account, and a button unlike the usual blue one. */
	ck_assert_int_eq(it_jar_get(&a, it_fmt("/admin/users/%lld", uid), &r), 200);
	it_assert_has(&r, it_fmt("<a href=\"/admin/users/%lld/disable\">", uid), "link to the confirmation");
	it_assert_lacks(&r, it_fmt("action=\"/admin/users/%lld/disable\"", uid), "no one-click disable form");
	http_response_free(&r);
	path = it_fmt("/admin/users/%lld/disable", uid);
	ck_assert_int_eq(it_jar_get(&a, path, &r), 200);
	it_assert_has(&r, "Víctima Marcadora", "confirmation names the account");
	it_assert_has(&r, "<button type=\"submit\" class=\"danger\">", "destructive button style");
	it_assert_has(&r, "name=\"confirm\" value=\"yes\"", "confirmation field");
	http_response_free(&r);
	/* A form without the confirmation only shows the confirmation page. */
	it_jar_post(&a, path, "", &r);
	it_assert_status(&r, 200, "disable without confirmation");
	it_assert_has(&r, "class=\"danger\"", "disable without confirmation: the confirmation page");
	http_response_free(&r);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE id = %lld AND disabled_at IS NULL", uid), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.sessions WHERE user_id = %lld AND revoked_at IS NULL", uid), 1);
	it_jar_post(&a, path, "confirm=yes", &r);
	it_assert_redirect_prefix(&r, it_fmt("/admin/users/%lld?msg=disabled", uid), "disable");
	http_response_free(&r);
	free(path);
	/* The victim's next request is signed out. */
	it_jar_get(&v, "/notices", &r);
	it_assert_redirect_prefix(&r, "/login?next=/notices", "the disabled user's next request");
	http_response_free(&r);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.sessions WHERE user_id = %lld AND revoked_at IS NULL", uid), 0);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE id = %lld AND disabled_at IS NOT NULL", uid), 1);
	ck_assert_int_eq(it_audit_count("admin.user_disabled", A1_EMAIL, it_fmt("AND e.subject_id = %lld", uid)), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'mail.send' "
	                            "AND payload->>'to' = 'victim@clinic.test' AND payload->>'template' = 'account_disabled' "
	                            "AND payload->'params'->>'name' = 'Víctima Marcadora'"), 1);
	/* Signing in is refused. */
	memset(&v, 0, sizeof(v));
	if (it_jar_get_status(&v, "/login") == 200) {
		it_jar_post(&v, "/login", "email=victim%40clinic.test&password=" P1_PASS, &r);
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
	it_jar_post(&a, path, "confirm=yes", &r);
	it_assert_redirect_prefix(&r, it_fmt("/admin/users/%lld?msg=already_disabled", uid), "disable twice");
	http_response_free(&r);
	free(path);
	self = it_user_id(A1_EMAIL);
	path = it_fmt("/admin/users/%lld/disable", self);
	it_jar_post(&a, path, "confirm=yes", &r);
	it_assert_redirect_prefix(&r, it_fmt("/admin/users/%lld?msg=self_disable", self), "disable oneself");
	http_response_free(&r);
	free(path);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE id = %lld AND disabled_at IS NULL", self), 1);
	ck_assert_int_eq(it_jar_get_status(&a, "/admin"), 200);

	/* Enabled again: the person can sign in. */
	path = it_fmt("/admin/users/%lld/enable", uid);
	it_jar_post(&a, path, "", &r);
	it_assert_redirect_prefix(&r, it_fmt("/admin/users/%lld?msg=enabled", uid), "enable");
	http_response_free(&r);
	free(path);
	ck_assert_int_eq(it_audit_count("admin.user_enabled", A1_EMAIL, it_fmt("AND e.subject_id = %lld", uid)), 1);
	it_sign_in(&v, "victim@clinic.test", P1_PASS, NULL);
	ck_assert_int_eq(it_jar_get_status(&v, "/notices"), 200);
}
END_TEST

int
main(void)
{
	return it_run_suites(it_suite("staff", 120, test_admin_creates_a_doctor, test_create_form_errors_keep_what_was_typed,
	                              test_roles_apply_on_the_next_request, test_granting_doctor_needs_a_licence,
	                              test_disable_ends_sessions_at_once, NULL),
	                     NULL);
}
