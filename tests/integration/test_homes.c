/* test_homes: the signed-in homes at GET / through nginx against a real
 * stack (tests/integration/homes.stack): what each role finds there, the
 * page never stored by a cache, the public home's booking entry, and a
 * walk-in patient registered by reception who claims the account with
 * the link mailed to them (the real SMTP sink). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "http_client.h"

/* Strings made for one call are kept until the test ends (it_kept_free). */
#define T it_keep

#define TZ "Europe/Madrid"
#define PH_EMAIL "pharmacist.home@clinic.test"
#define LAB_EMAIL "lab.home@clinic.test"

/* A visit of patient (e-mail) with doctor T-0001 today at hh:mm local
 * time, in status; its id. Minutes keep tests from overlapping. */
static long long
visit_today(const char *patient, int hh, int mm, const char *status)
{
	return it_sql_int("INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode, status)"
	                  " SELECT d.id, u.id, t, t + interval '10 minutes', 'in_person', '%s'"
	                  " FROM clinic.doctors d, auth.users u,"
	                  " (SELECT (date_trunc('day', now() AT TIME ZONE '" TZ "') + interval '%d hours %d minutes')"
	                  "         AT TIME ZONE '" TZ "' AS t) x"
	                  " WHERE d.licence_number = 'T-0001' AND u.email = '%s' RETURNING id",
	                  status, hh, mm, patient);
}

/* GET / with the jar: 200, and the signed-in home is never stored. */
static void
get_home(struct it_jar *j, struct http_response *r)
{
	const char *cc;

	ck_assert_int_eq(it_get(j, r, "/"), 200);
	cc = http_header(r, "Cache-Control");
	ck_assert_msg(cc && strcmp(cc, "no-store") == 0, "signed-in home Cache-Control: %s", cc ? cc : "(none)");
}

/* The page links (present) or does not link to href="<path><id>". */
static void
link_check(const struct http_response *r, const char *path, long long id, int present, const char *what)
{
	char *s = it_fmt("href=\"%s%lld\"", path, id);

	if (present)
		it_assert_has(r, s, what);
	else
		it_assert_lacks(r, s, what);
	free(s);
}

START_TEST(test_public_home_books)
{
	struct http_response r = { 0 };

	ck_assert_int_eq(http_get("/", NULL, &r), 0);
	it_assert_status(&r, 200, "public home");
	it_assert_has(&r, "class=\"button primary\" href=\"/doctors\"", "book an appointment entry");
	it_assert_has(&r, "class=\"doctors\"", "the doctors");
	it_assert_lacks(&r, "<details class=\"menu\"", "no signed-in menu");
	http_response_free(&r);
	it_kept_free();
}
END_TEST

/* Staff who have not set up their second factor yet: the public page,
 * but not stored either (its header carries their name). */
START_TEST(test_staff_without_second_factor)
{
	char *email = it_unique_email("nototp");
	struct it_jar j = { 0 };
	struct http_response r = { 0 };

	it_make_user(&(struct it_user){ .email = email, .name = "Recepción Sin Factor", .role = "reception" });
	it_login_password(&j, &r, email, P1_PASS, NULL);
	it_assert_status(&r, 303, "password accepted");
	get_home(&j, &r);
	it_assert_has(&r, "class=\"doctors\"", "the public page");
	it_assert_lacks(&r, "id=\"h-today\"", "not reception's home before the second factor");
	http_response_free(&r);
	free(email);
	it_kept_free();
}
END_TEST

START_TEST(test_patient_home)
{
	struct it_jar j;
	struct http_response r = { 0 };
	long long rx, next, gone;
	char *s;

	next = it_sql_int("INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode, status)"
	                  " SELECT d.id, u.id, now() + interval '3 days 7 minutes', now() + interval '3 days 27 minutes',"
	                  " 'video', 'booked' FROM clinic.doctors d, auth.users u"
	                  " WHERE d.licence_number = 'T-0001' AND u.email = '" P1_EMAIL "' RETURNING id");
	gone = it_sql_int("INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode, status)"
	                  " SELECT d.id, u.id, now() + interval '4 days', now() + interval '4 days 20 minutes',"
	                  " 'in_person', 'cancelled' FROM clinic.doctors d, auth.users u"
	                  " WHERE d.licence_number = 'T-0001' AND u.email = '" P1_EMAIL "' RETURNING id");
	it_sign_in(&j, P1_EMAIL, P1_PASS, NULL);
	get_home(&j, &r);
	it_assert_has(&r, "href=\"/doctors\"", "book an appointment");
	link_check(&r, "/appointments/", next, 1, "the next appointment");
	link_check(&r, "/appointments/", gone, 0, "a cancelled visit is not upcoming");
	it_assert_has(&r, "Videoconsulta", "the visit's mode in words");
	/* The date in words ("martes 8 de diciembre, 13:30"), never ISO. */
	s = it_sql_line("SELECT to_char(now() AT TIME ZONE '" TZ "' + interval '3 days', 'YYYY-MM-DD')");
	it_assert_lacks(&r, s, "no ISO date");
	free(s);
	s = it_sql_line("SELECT (ARRAY['enero','febrero','marzo','abril','mayo','junio','julio','agosto','septiembre',"
	                "'octubre','noviembre','diciembre'])[extract(month FROM now() AT TIME ZONE '" TZ "' + interval '3 days')]");
	it_assert_has(&r, s, "the month in words");
	free(s);
	it_assert_has(&r, "Sus recetas activas", "the prescriptions section");
	it_assert_lacks(&r, "Visitas de hoy", "no doctor's section");
	it_assert_has(&r, "href=\"/prescriptions\"", "the menu's prescriptions line");
	/* A signed prescription that can still be dispensed shows up. */
	rx = it_sql_int("WITH e AS (INSERT INTO ehr.encounters (patient_id, doctor_id, kind, created_by)"
	                " SELECT p.id, d.id, 'walk_in', d.user_id FROM auth.users p, clinic.doctors d"
	                " WHERE p.email = '" P1_EMAIL "' AND d.licence_number = 'T-0001' RETURNING id, patient_id, created_by)"
	                " INSERT INTO rx.prescriptions (patient_id, encounter_id, prescriber_id)"
	                " SELECT patient_id, id, created_by FROM e RETURNING id");
	it_sql("INSERT INTO rx.products (code, atc, ingredients, classes, name_es, name_en, brands, strength, dose_form,"
	       " route, dose_unit, unit_mg, pregnancy, eml, source, active) VALUES ('home-test-ibuprofen', 'M01AE01',"
	       " '{ibuprofen}', '{nsaids}', 'Ibuprofeno de prueba', 'Test ibuprofen', '', '400 mg', 'tablet', 'oral',"
	       " 'tablet', 400, 'avoid', true, 'test', true) ON CONFLICT DO NOTHING");
	it_sql("INSERT INTO rx.items (prescription_id, line, product_code, dose_amount, dose_unit, route, every_hours,"
	       " duration_days, quantity) VALUES (%lld, 1, 'home-test-ibuprofen', 1, 'tablet', 'oral', 8, 5, 10)", rx);
	/* A signature row of a key of the test's own (the page shows the status only). */
	it_sql("INSERT INTO rx.signing_keys (key_id, public_key, valid_until)"
	       " SELECT substring(sha256(k) FROM 1 FOR 8), k, now() + interval '1 day'"
	       " FROM (SELECT sha256('home-test-key'::bytea) AS k) x");
	it_sql("INSERT INTO rx.signatures (prescription_id, signed_by, issued_on, expires_on, digest, key_id, token)"
	       " SELECT %lld, prescriber_id, current_date, current_date + 10, sha256('x'::bytea),"
	       " substring(sha256(sha256('home-test-key'::bytea)) FROM 1 FOR 8), 'HOMETESTTOKENAAAAAAAAAAAA'"
	       " FROM rx.prescriptions WHERE id = %lld", rx, rx);
	get_home(&j, &r);
	link_check(&r, "/prescriptions/", rx, 1, "an active prescription");
	http_response_free(&r);
	it_kept_free();
}
END_TEST

START_TEST(test_doctor_home)
{
	struct it_jar j;
	struct http_response r = { 0 };
	long long today = visit_today(P2_EMAIL, 12, 3, "booked");
	long long off = visit_today(P2_EMAIL, 13, 7, "cancelled");

	it_sql("WITH e AS (INSERT INTO ehr.encounters (patient_id, doctor_id, kind, created_by)"
	       " SELECT p.id, d.id, 'walk_in', d.user_id FROM auth.users p, clinic.doctors d"
	       " WHERE p.email = '" P2_EMAIL "' AND d.licence_number = 'T-0001' RETURNING id, created_by)"
	       " INSERT INTO ehr.note_versions (encounter_id, version, subjective, saved_by)"
	       " SELECT id, 1, 'borrador', created_by FROM e");
	it_sign_in(&j, D1_EMAIL, D1_PASS, D1_TOTP);
	get_home(&j, &r);
	link_check(&r, "/agenda/", today, 1, "today's visit");
	link_check(&r, "/agenda/", off, 0, "a cancelled visit");
	it_assert_has(&r, "Paciente Dos", "the patient's name");
	it_assert_has(&r, "Notas de visita sin firmar", "an unsigned note waits");
	it_assert_lacks(&r, "Pedir cita", "no booking button for a doctor");
	it_assert_has(&r, "href=\"/agenda\"", "the menu's agenda line");
	http_response_free(&r);
	it_kept_free();
}
END_TEST

START_TEST(test_reception_home)
{
	struct it_jar j;
	struct http_response r = { 0 };
	long long today = visit_today(P1_EMAIL, 9, 11, "booked");

	it_staff_account(R1_EMAIL, "Recepción Uno", "reception", NULL);
	it_sign_in(&j, R1_EMAIL, D1_PASS, D1_TOTP);
	get_home(&j, &r);
	link_check(&r, "/appointments/", today, 1, "today's appointment across doctors");
	it_assert_has(&r, "Dra. Test Uno", "the doctor's name");
	it_assert_has(&r, "action=\"/reception\"", "patient search");
	it_assert_has(&r, "href=\"/reception/walk-in\"", "register a walk-in");
	http_response_free(&r);
	it_kept_free();
}
END_TEST

START_TEST(test_pharmacist_lab_admin_homes)
{
	struct it_jar j;
	struct http_response r = { 0 };

	it_staff_account(PH_EMAIL, "Farmacia Inicio", "pharmacist", NULL);
	it_sign_in(&j, PH_EMAIL, D1_PASS, D1_TOTP);
	get_home(&j, &r);
	it_assert_has(&r, "href=\"/desk\"", "the desk");
	it_assert_has(&r, "Aquí aparecerán las recetas que dispense hoy", "the empty state says what will appear");

	it_staff_account(LAB_EMAIL, "Laboratorio Inicio", "lab", NULL);
	it_sign_in(&j, LAB_EMAIL, D1_PASS, D1_TOTP);
	get_home(&j, &r);
	it_assert_has(&r, "href=\"/lab\"", "the lab");
	it_assert_has(&r, "Aquí aparecerán los análisis pendientes", "the lab's empty state");
	it_assert_has(&r, "action=\"/logout\"", "a menu (sign out)");

	it_sql("INSERT INTO outbox.events (type, payload, status, attempts, last_error)"
	       " VALUES ('mail.send', '{}', 'dead', 5, 'test')");
	it_sign_in(&j, A1_EMAIL, A1_PASS, A1_TOTP);
	get_home(&j, &r);
	it_assert_has(&r, "href=\"/admin/users\"", "users");
	it_assert_has(&r, "href=\"/admin/audit\"", "audit");
	it_assert_has(&r, "href=\"/admin/outbox\"", "outbox");
	it_assert_has(&r, "Requiere atención", "a dead event needs attention");
	http_response_free(&r);
	it_kept_free();
}
END_TEST

/* The claim mail to `to`: its text must not carry `name`. */
struct mail_check {
	const char *to, *name;
	int found, has_name;
};

static int
check_mail(const char *file, char *text, void *arg)
{
	struct mail_check *m = arg;

	(void)file;
	it_qp_decode(text);
	if (strcasestr(text, m->to) == NULL || strstr(text, "/claim?token=") == NULL)
		return 0;
	m->found = 1;
	m->has_name = strstr(text, m->name) != NULL;
	return 1;
}

START_TEST(test_walkin_register_and_claim)
{
	char *email = it_unique_email("walkin"), *later = it_unique_email("walkin-later"), *tok, *path;
	struct it_jar rc, pj = { 0 };
	struct http_response r = { 0 };
	struct mail_check m = { 0 };
	char csrf[IT_CSRF_LEN], loc[64];
	long long id, id2;

	it_staff_account(R1_EMAIL, "Recepción Uno", "reception", NULL);
	it_sign_in(&rc, R1_EMAIL, D1_PASS, D1_TOTP);
	/* Demographics only; the address is optional. */
	ck_assert_int_eq(it_get(&rc, &r, "/reception/walk-in"), 200);
	it_postf(&rc, &r, "/reception/walk-in", "full_name=Walter+Presencial&birth_date=1950-02-03&language=es"
	         "&email=%s", email);
	it_assert_redirect_prefix(&r, "/reception?patient=", "registered");
	id = it_sql_int("SELECT id FROM auth.users WHERE full_name = 'Walter Presencial'");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE id = %lld AND email IS NULL"
	                            " AND password_hash IS NULL AND registered_by = %lld", id, it_user_id(R1_EMAIL)), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.user_roles WHERE user_id = %lld AND role = 'patient'", id), 1);
	ck_assert_int_eq(it_audit_count("auth.walkin_registered", R1_EMAIL, ""), 1);
	/* Reception finds them and can book for them. */
	it_get(&rc, &r, "/reception?q=Walter");
	snprintf(loc, sizeof(loc), "/reception?patient=%lld", id);
	it_assert_has(&r, loc, "found by reception");
	it_get(&rc, &r, loc);
	it_assert_has(&r, "todavía sin cuenta", "shown as without an account");
	/* The mail: a claim link, and not the name reception typed. */
	m.to = email;
	m.name = "Walter";
	tok = it_mail_token(email, "/claim");
	if (it_notifier_running()) {
		ck_assert_int_eq(it_maildir_scan(check_mail, &m), 1);
		ck_assert_msg(m.found && !m.has_name, "the claim mail carries the name");
	}
	path = T(it_fmt("/claim?token=%s", tok));
	ck_assert_int_eq(it_get(&pj, &r, path), 200);
	it_assert_has(&r, email, "the address the account will use");
	it_page_csrf(&r, csrf);
	/* Policy applies; then the account is made and the link is used up. */
	it_post(&pj, &r, "/claim", "csrf", csrf, "token", tok, "password", "short", "password_confirm", "short",
	        (char *)NULL);
	it_assert_status(&r, 200, "weak password refused");
	it_post(&pj, &r, "/claim", "csrf", csrf, "token", tok, "password", "sol de invierno 2026 x",
	        "password_confirm", "sol de invierno 2026 x", (char *)NULL);
	it_assert_redirect(&r, "/login?done=reset", "claimed");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE id = %lld AND email = '%s'"
	                            " AND email_verified_at IS NOT NULL", id, email), 1);
	ck_assert_int_eq(it_get(&pj, &r, path), 410);
	it_sign_in(&pj, email, "sol de invierno 2026 x", NULL);
	get_home(&pj, &r);
	it_assert_has(&r, "Walter Presencial", "the patient's own home");

	/* Without an address now, the link later; an address with an account is refused. */
	it_postf(&rc, &r, "/reception/walk-in", "full_name=Wanda+Sin+Correo&birth_date=1961-07-08&language=en&email=");
	it_assert_redirect_prefix(&r, "/reception?patient=", "registered without an address");
	id2 = it_sql_int("SELECT id FROM auth.users WHERE full_name = 'Wanda Sin Correo'");
	path = it_fmt("/reception/walk-in/%lld/claim", id2);
	ck_assert_int_eq(it_get(&rc, &r, path), 200);
	it_assert_has(&r, "(8 de julio de 1961)", "the date of birth in words (issue 15)");
	it_postf(&rc, &r, path, "email=%s", P2_EMAIL);
	it_assert_status(&r, 200, "an address with an account");
	it_assert_has(&r, "ya pertenece a una cuenta", "said so to reception");
	it_postf(&rc, &r, path, "email=%s", later);
	it_assert_redirect_prefix(&r, path, "link sent");
	free(it_mail_token(later, "/claim"));
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.tokens WHERE user_id = %lld AND purpose = 'claim_account'"
	                            " AND new_email = '%s'", id2, later), 1);
	ck_assert_int_eq(it_get(&rc, &r, "/reception/walk-in/999999999/claim"), 404);
	/* A walk-in's appointment mails nobody: the notifier skips it, no failed event. */
	if (it_notifier_running()) {
		long long appt = it_sql_int("INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode)"
		                            " SELECT d.id, %lld, now() + interval '6 days', now() + interval '6 days 10 minutes',"
		                            " 'in_person' FROM clinic.doctors d WHERE d.licence_number = 'T-0001' RETURNING id", id2);
		long long ev = it_sql_int("INSERT INTO outbox.events (type, payload) VALUES ('appointment.notify',"
		                          " jsonb_build_object('appointment_id', %lld, 'what', 'booked', 'sequence', 0))"
		                          " RETURNING id", appt);
		double end = it_now() + 30;
		while (it_sql_int("SELECT count(*) FROM outbox.events WHERE id = %lld AND status = 'pending'", ev) == 1) {
			ck_assert_msg(it_now() < end, "the walk-in's appointment event is still pending");
			it_sleep_ms(100);
		}
		ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE id = %lld AND status = 'done'"
		                            " AND last_error LIKE 'skipped:%%'", ev), 1);
	}
	http_response_free(&r);
	free(path);
	free(tok);
	free(email);
	free(later);
	it_kept_free();
}
END_TEST

int
main(void)
{
	return it_run_suites(it_suite("homes", 180, test_public_home_books, test_staff_without_second_factor,
	                              test_patient_home, test_doctor_home, test_reception_home, test_pharmacist_lab_admin_homes,
	                              test_walkin_register_and_claim, NULL),
	                     NULL);
}
