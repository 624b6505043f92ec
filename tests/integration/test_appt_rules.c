/* test_appt_rules: the appointment rules of issue 15 through nginx against
 * a real stack: no slot offered that overlaps the patient's own visit and
 * a "taken" page that says it was their own; cancelled visits not under
 * "upcoming"; no-show only once the visit started; the doctor told when a
 * patient moves a visit (notice and agenda); a warning before booking
 * inside the cancellation cutoff; dates in words; searches that ignore
 * accents and case; a day off over booked visits (keep, or cancel with a
 * reason and the patients told). Run by tests/integration/appt_rules.stack. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appt_test.h"
#include "http_client.h"

/* Strings made for one call are kept until the test ends (it_kept_free). */
#define T it_keep

/* A new verified patient named name, signed in in j; the account id. */
static long long
new_patient(struct it_jar *j, const char *name)
{
	long long id = it_make_user(&(struct it_user){ .email = T(it_unique_email("rules")), .name = name,
	                                               .role = "patient" });

	it_sql_session(j, id);
	return id;
}

/* A receptionist, signed in in j. */
static void
reception(struct it_jar *j)
{
	it_sql_session(j, it_make_user(&(struct it_user){ .email = T(it_unique_email("desk")), .role = "reception",
	                                                  .totp_secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" }));
}

START_TEST(test_no_overlap_with_own_visits)
{
	struct it_jar p = { 0 }, other = { 0 };
	struct http_response r = { 0 };
	long long d1, d2, e1, e2, own;
	char key[80], path[64], needle[96];

	setup_once();
	d1 = doctor_id("T-0001");
	d2 = doctor_id("T-0002");
	new_patient(&p, "Paciente Solapes");
	new_patient(&other, "Paciente Otra");
	e2 = slot_at(d2, 50, 0);
	book(&p, &r, d2, e2, NULL, key);
	own = redirect_id(&r, "video visit with doctor 2");
	/* Doctor 1's slot that overlaps it. */
	e1 = it_sql_int("SELECT extract(epoch FROM starts_at)::bigint FROM appt.slots(%lld, current_date, "
	                "current_date + 50, '" TZ "') WHERE tstzrange(starts_at, ends_at) && "
	                "tstzrange(to_timestamp(%lld), to_timestamp(%lld) + interval '20 minutes') "
	                "ORDER BY starts_at LIMIT 1", d1, e2, e2);
	ck_assert_int_gt(e1, 0);
	snprintf(path, sizeof(path), "/doctors/%lld", d1);
	ck_assert_msg(!picker_offers(&p, path, e1), "a slot overlapping the patient's own visit is offered");
	ck_assert_msg(picker_offers(&other, path, e1), "another patient is not offered the same slot");

	/* Sent anyway (a page opened before booking the other visit): 409 that
	 * names the patient's own visit, blames nobody, and does not offer the
	 * same slot again. */
	book(&p, &r, d1, e1, NULL, key);
	it_assert_status(&r, 409, "overlapping own visit");
	it_assert_has(&r, "Usted ya tiene una cita a esa hora", "the page says it is their own visit");
	snprintf(needle, sizeof(needle), "href=\"/appointments/%lld\"", own);
	it_assert_has(&r, needle, "a link to the visit it clashes with");
	ck_assert_msg(strstr(r.body, "otra persona") == NULL, "the page blames someone else:\n%s", r.body);
	snprintf(needle, sizeof(needle), "start=%lld", e1);
	ck_assert_msg(strstr(r.body, needle) == NULL, "the failing slot is offered again");
	http_response_free(&r);
	it_kept_free();
}
END_TEST

START_TEST(test_cancelled_not_upcoming)
{
	struct it_jar p = { 0 };
	struct http_response r = { 0 };
	long long d1, id;
	char key[80], path[64], needle[64];
	const char *link, *past;

	setup_once();
	d1 = doctor_id("T-0001");
	new_patient(&p, "Paciente Cancela");
	book(&p, &r, d1, slot_at(d1, 100, 0), NULL, key);
	id = redirect_id(&r, "book");
	snprintf(path, sizeof(path), "/appointments/%lld/cancel", id);
	it_postf(&p, &r, path, "reason=");
	it_assert_status(&r, 303, "cancel");
	it_getf(&p, &r, "/appointments");
	it_assert_status(&r, 200, "list");
	snprintf(needle, sizeof(needle), "href=\"/appointments/%lld\"", id);
	link = strstr(r.body, needle);
	past = strstr(r.body, "<h2>Anteriores</h2>");
	ck_assert_ptr_nonnull(link);
	ck_assert_ptr_nonnull(past);
	ck_assert_msg(link > past, "a cancelled visit is listed under \"upcoming\"");
	it_assert_has(&r, "No tiene citas próximas.", "no upcoming visit left");
	http_response_free(&r);
	it_kept_free();
}
END_TEST

START_TEST(test_no_show_once_started)
{
	struct it_jar desk = { 0 }, p = { 0 };
	struct http_response r = { 0 };
	long long d1, pat, id;
	char key[80], extra[48];

	setup_once();
	d1 = doctor_id("T-0001");
	pat = new_patient(&p, "Paciente Ausente");
	reception(&desk);
	snprintf(extra, sizeof(extra), "&patient=%lld", pat);
	book(&desk, &r, d1, slot_at(d1, 110, 0), extra, key);
	id = redirect_id(&r, "reception books");
	it_getf(&desk, &r, "/appointments/%lld", id);
	it_assert_status(&r, 200, "visit ahead");
	ck_assert_msg(strstr(r.body, "value=\"no_show\"") == NULL, "no-show offered before the visit started");
	it_assert_has(&r, "class=\"danger\">Cancelar la cita", "cancelling is styled apart");
	it_sql_int("UPDATE appt.appointments SET starts_at = now() - interval '5 minutes', "
	           "ends_at = now() + interval '25 minutes' WHERE id = %lld RETURNING 1", id);
	it_getf(&desk, &r, "/appointments/%lld", id);
	it_assert_has(&r, "value=\"no_show\" class=\"danger\"", "no-show offered once started, styled apart");
	http_response_free(&r);
	it_kept_free();
}
END_TEST

START_TEST(test_doctor_told_of_move)
{
	struct it_jar p = { 0 }, doc = { 0 };
	struct http_response r = { 0 };
	long long d1, doc_user, id, e_new;
	char key[80], path[64], day[16];
	char *when;

	setup_once();
	d1 = doctor_id("T-0001");
	doc_user = user_id("doctor1@clinic.test");
	new_patient(&p, "Paciente Mueve");
	book(&p, &r, d1, slot_at(d1, 130, 0), NULL, key);
	id = redirect_id(&r, "book");
	e_new = slot_at(d1, 130, 3);
	snprintf(path, sizeof(path), "/appointments/%lld/reschedule", id);
	it_postf(&p, &r, path, "start=%lld", e_new);
	it_assert_status(&r, 303, "move");
	ck_assert_int_eq(it_sql_wait("1", 20, "SELECT count(*) FROM outbox.notices WHERE user_id = %lld AND kind = "
	                             "'appointment_moved_by_patient' AND params->>'patient' = 'Paciente Mueve'",
	                             doc_user), 0);
	it_sql_session(&doc, doc_user);
	it_getf(&doc, &r, "/notices");
	it_assert_status(&r, 200, "doctor's notices");
	when = it_when_es(T(it_fmt("to_timestamp(%lld)", e_new)), 1);
	it_assert_has(&r, "Paciente Mueve ha cambiado su cita", "the notice");
	it_assert_has(&r, when, "the new time in words");
	free(when);
	it_sql_str(day, sizeof(day), "SELECT to_char(to_timestamp(%lld) AT TIME ZONE '" TZ "', 'YYYY-MM-DD')", e_new);
	it_getf(&doc, &r, "/agenda?day=%s", day);
	it_assert_status(&r, 200, "agenda");
	it_assert_has(&r, "El paciente cambió la hora de esta cita", "the agenda shows the patient's change");
	http_response_free(&r);
	it_kept_free();
}
END_TEST

START_TEST(test_cutoff_warning)
{
	struct it_jar p = { 0 };
	struct http_response r = { 0 };
	long long d1, soon;

	setup_once();
	d1 = doctor_id("T-0001");
	new_patient(&p, "Paciente Prisa");
	soon = it_sql_int("SELECT extract(epoch FROM starts_at)::bigint FROM appt.free_slots(%lld, current_date, "
	                  "current_date + 3, '" TZ "') WHERE starts_at < now() + interval '23 hours' "
	                  "ORDER BY starts_at DESC LIMIT 1", d1);
	ck_assert_int_gt(soon, 0);
	it_getf(&p, &r, "/appointments/new?doctor=%lld&start=%lld", d1, soon);
	it_assert_status(&r, 200, "confirm page inside the cutoff");
	it_assert_has(&r, "esta cita empieza muy pronto", "the warning");
	it_assert_has(&r, "24 horas", "the cutoff in words");
	it_getf(&p, &r, "/appointments/new?doctor=%lld&start=%lld", d1, slot_at(d1, 200, 0));
	it_assert_status(&r, 200, "confirm page well ahead");
	ck_assert_msg(strstr(r.body, "empieza muy pronto") == NULL, "warning for a visit days ahead");
	http_response_free(&r);
	it_kept_free();
}
END_TEST

START_TEST(test_dates_in_words)
{
	struct it_jar p = { 0 };
	struct http_response r = { 0 };
	long long d1, e, id, pat;
	char key[80], iso[24];
	char *when;

	setup_once();
	d1 = doctor_id("T-0001");
	pat = new_patient(&p, "Paciente Fechas");
	e = slot_at(d1, 150, 0);
	when = it_when_es(T(it_fmt("to_timestamp(%lld)", e)), 1);
	it_sql_str(iso, sizeof(iso), "SELECT to_char(to_timestamp(%lld) AT TIME ZONE '" TZ "', 'YYYY-MM-DD HH24:MI')", e);
	it_getf(&p, &r, "/appointments/new?doctor=%lld&start=%lld", d1, e);
	it_assert_has(&r, when, "the confirm page");
	book(&p, &r, d1, e, NULL, key);
	id = redirect_id(&r, "book");
	it_getf(&p, &r, "/appointments/%lld", id);
	it_assert_has(&r, when, "the visit's page");
	ck_assert_msg(strstr(r.body, iso) == NULL, "an ISO date on the visit's page");
	it_getf(&p, &r, "/appointments");
	it_assert_has(&r, when, "the list");
	ck_assert_msg(strstr(r.body, iso) == NULL, "an ISO date in the list");
	/* medsys-notifier turns the event into the notice */
	ck_assert_int_eq(it_sql_wait("1", 20, "SELECT count(*) FROM outbox.notices WHERE user_id = %lld AND kind = "
	                             "'appointment_booked'", pat), 0);
	it_getf(&p, &r, "/notices");
	it_assert_has(&r, when, "the booking notice");
	ck_assert_msg(strstr(r.body, "UTC") == NULL, "UTC times on the notices page");
	free(when);
	http_response_free(&r);
	it_kept_free();
}
END_TEST

START_TEST(test_search_ignores_accents)
{
	struct it_jar desk = { 0 }, p = { 0 };
	struct http_response r = { 0 };
	char *email = it_unique_email("acc");

	it_make_user(&(struct it_user){ .email = email, .name = "Lucía Pérez Núñez", .role = "patient" });
	reception(&desk);
	it_getf(&desk, &r, "/reception?q=lucia");
	it_assert_has(&r, email, "\"lucia\" finds Lucía");
	it_getf(&desk, &r, "/reception?q=PEREZ");
	it_assert_has(&r, email, "\"PEREZ\" finds Pérez");
	it_getf(&desk, &r, "/reception?q=n%%C3%%BA%%C3%%B1ez");
	it_assert_has(&r, email, "\"núñez\" finds Núñez");
	it_sql("INSERT INTO clinic.doctors (display_name, licence_number) VALUES ('Dra. Begoña Ibáñez', 'T-ACC1') "
	       "ON CONFLICT DO NOTHING");
	new_patient(&p, "Paciente Busca");
	it_getf(&p, &r, "/doctors?q=begona+ibanez");
	it_assert_has(&r, "Begoña Ibáñez", "doctors: \"begona ibanez\" finds Begoña Ibáñez");
	it_getf(&p, &r, "/doctors?q=IB%%C3%%81%%C3%%91EZ");
	it_assert_has(&r, "Begoña Ibáñez", "doctors: upper case with accents");
	free(email);
	http_response_free(&r);
	it_kept_free();
}
END_TEST

/* The local date (clinic time) of epoch e into day. */
static const char *
local_day(char day[16], long long e)
{
	return it_sql_str(day, 16, "SELECT to_char(to_timestamp(%lld) AT TIME ZONE '" TZ "', 'YYYY-MM-DD')", e);
}

START_TEST(test_day_off_over_booked)
{
	struct it_jar p = { 0 }, doc = { 0 };
	struct http_response r = { 0 };
	long long d1, pat, id, kept, e;
	char key[80], day[16], day2[16];
	char *when;

	setup_once();
	d1 = doctor_id("T-0001");
	pat = new_patient(&p, "Paciente Libre");
	e = slot_at(d1, 300, 0);
	book(&p, &r, d1, e, NULL, key);
	id = redirect_id(&r, "book");
	local_day(day, e);
	when = it_when_es(T(it_fmt("to_timestamp(%lld)", e)), 1);
	it_sql_session(&doc, user_id("doctor1@clinic.test"));

	/* A day off over it: the doctor is told which visit, keeps what was typed, nothing changes. */
	it_postf(&doc, &r, "/schedule/exceptions", "x_day=%s&x_kind=off&x_note=Congreso", day);
	ck_assert_int_ne(r.status, 303);
	it_assert_has(&r, "Paciente Libre", "the affected visit's patient");
	it_assert_has(&r, when, "the affected visit's time");
	it_assert_has(&r, "value=\"Congreso\"", "what was typed");
	it_assert_has(&r, "Elija si se mantienen o se cancelan", "the question");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.exceptions WHERE doctor_id = %lld AND day = '%s'",
	                            d1, day), 0);
	/* Cancelling needs a reason. */
	it_postf(&doc, &r, "/schedule/exceptions", "x_day=%s&x_kind=off&x_note=Congreso&x_booked=cancel", day);
	ck_assert_int_ne(r.status, 303);
	it_assert_has(&r, "escriba el motivo", "a reason is required");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.appointments WHERE id = %lld AND status = 'booked'",
	                            id), 1);
	/* Cancel with a reason: the day off is saved, the visit cancelled, the patient told. */
	it_postf(&doc, &r, "/schedule/exceptions",
	         "x_day=%s&x_kind=off&x_note=Congreso&x_booked=cancel&x_cancel_reason=Congreso+m%%C3%%A9dico", day);
	it_assert_status(&r, 303, "day off, visits cancelled");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.exceptions WHERE doctor_id = %lld AND day = '%s'",
	                            d1, day), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.appointments WHERE id = %lld AND status = 'cancelled' "
	                            "AND cancel_reason = 'Congreso médico'", id), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'appointment.notify' AND "
	                            "payload->>'appointment_id' = '%lld' AND payload->>'what' = 'cancelled'", id), 1);
	ck_assert_int_eq(it_sql_wait("1", 20, "SELECT count(*) FROM outbox.notices WHERE user_id = %lld AND kind = "
	                             "'appointment_cancelled'", pat), 0);
	free(when);

	/* Keep: the day off is saved and the visit stays booked. */
	e = slot_at(d1, 330, 0);
	book(&p, &r, d1, e, NULL, key);
	kept = redirect_id(&r, "book another");
	local_day(day2, e);
	ck_assert_str_ne(day, day2);
	it_postf(&doc, &r, "/schedule/exceptions", "x_day=%s&x_kind=off&x_booked=keep", day2);
	it_assert_status(&r, 303, "day off, visits kept");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.appointments WHERE id = %lld AND status = 'booked'",
	                            kept), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.exceptions WHERE doctor_id = %lld AND day = '%s'",
	                            d1, day2), 1);
	http_response_free(&r);
	it_kept_free();
}
END_TEST

int
main(void)
{
	return it_run_suites(it_suite("appt_rules", 120, test_no_overlap_with_own_visits, test_cancelled_not_upcoming,
	                              test_no_show_once_started, test_doctor_told_of_move, test_cutoff_warning,
	                              test_dates_in_words, test_search_ignores_accents, test_day_off_over_booked,
	                              NULL),
	                     NULL);
}
