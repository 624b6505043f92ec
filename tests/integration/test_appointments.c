/* test_appointments: booking through nginx against a real stack: the
 * patient flow (find a doctor, free slots, confirm, book, list, cancel),
 * idempotent resubmission, the 409 "taken" page, atomic rescheduling,
 * the cancel cutoff, reception booking/moving/cancelling for a patient,
 * authorization (404 + audit, 403), unverified patients and bad input
 * (always 4xx, never 5xx). Run by tests/integration/appointments.stack. */
#include <check.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "appt_test.h"
#include "fixtures.h"
#include "http_client.h"


/* ------------------------------------------------------------ tests */

START_TEST(test_patient_flow)
{
	struct it_jar j = { 0 };
	struct http_response r = {0};
	long long d1, d2, e, id, fam, doc_user, before;
	char key[80], needle[200], path[64];

	setup_once();
	d1 = doctor_id("T-0001");
	d2 = doctor_id("T-0002");
	fam = it_sql_int("SELECT id FROM clinic.specialties WHERE code = 'family'");
	doc_user = user_id("doctor1@clinic.test");
	it_sign_in(&j, P1_EMAIL, P1_PASS, NULL);

	it_getf(&j, &r, "/doctors");
	it_assert_status(&r, 200, "doctors");
	ck_assert_ptr_nonnull(strstr(r.body, "Medicina familiar"));
	it_getf(&j, &r, "/doctors?specialty=%lld", fam);
	ck_assert_ptr_nonnull(strstr(r.body, "Dra. Test Uno"));
	ck_assert_ptr_null(strstr(r.body, "Dr. Test Dos"));
	it_getf(&j, &r, "/doctors?q=dos");
	ck_assert_ptr_nonnull(strstr(r.body, "Dr. Test Dos"));
	ck_assert_ptr_null(strstr(r.body, "Dra. Test Uno"));

	e = slot_at(d1, 30, 0);
	it_getf(&j, &r, "/doctors/%lld", d1);
	it_assert_status(&r, 200, "slots");
	snprintf(path, sizeof(path), "/doctors/%lld", d1);
	ck_assert_msg(picker_offers(&j, path, e), "slot %lld not offered", e);

	before = it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'appointment.reminder'");
	book(&j, &r, d1, e, NULL, key);
	id = redirect_id(&r, "book");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.appointments WHERE id = %lld AND status = 'booked' "
	                            "AND starts_at = to_timestamp(%lld) AND doctor_id = %lld AND location = "
	                            "'Consulta 3' AND created_by = patient_id", id, e, d1), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.history WHERE appointment_id = %lld AND action = "
	                            "'booked'", id), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'appointment.notify' AND "
	                            "payload->>'appointment_id' = '%lld' AND payload->>'what' = 'booked' AND "
	                            "payload->>'sequence' = '0'", id), 1);
	/* 30+ hours ahead: both reminders (24 h and 2 h) are emitted. */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'appointment.reminder'")
	                 - before, 2);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE dedup_key = 'reminder:%lld:0:24' "
	                            "AND due_at = to_timestamp(%lld) - interval '24 hours'", id, e), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.notices WHERE user_id = %lld AND kind = "
	                            "'appointment_new'", doc_user), 1);
	ck_assert_int_ge(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'appointment.booked' AND "
	                            "object = 'appointment:%lld'", id), 1);
	ck_assert_int_eq(is_free(d1, e), 0);

	it_getf(&j, &r, "/appointments");
	snprintf(needle, sizeof(needle), "/appointments/%lld\"", id);
	ck_assert_ptr_nonnull(strstr(r.body, needle));
	it_getf(&j, &r, "/appointments/%lld", id);
	it_assert_status(&r, 200, "show");
	ck_assert_ptr_nonnull(strstr(r.body, "Dolor de cabeza"));
	ck_assert_ptr_nonnull(strstr(r.body, "Dra. Test Uno"));
	ck_assert_msg(!picker_offers(&j, path, e), "booked slot %lld still offered", e);
	/* English too. */
	it_getf(&j, &r, "/doctors/%lld", d2);
	it_assert_status(&r, 200, "slots d2");

	snprintf(needle, sizeof(needle), "/appointments/%lld/cancel", id);
	it_postf(&j, &r, needle, "reason=");
	it_assert_status(&r, 303, "cancel");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.appointments WHERE id = %lld AND status = "
	                            "'cancelled' AND sequence = 1 AND cancelled_by = patient_id", id), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'appointment.notify' AND "
	                            "payload->>'appointment_id' = '%lld' AND payload->>'what' = 'cancelled' AND "
	                            "payload->>'sequence' = '1'", id), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.notices WHERE user_id = %lld AND kind = "
	                            "'appointment_cancelled_by_patient'", doc_user), 1);
	ck_assert_int_eq(is_free(d1, e), 1);
	ck_assert_msg(picker_offers(&j, path, e), "cancelled slot %lld not offered again", e);
	http_response_free(&r);
}
END_TEST

START_TEST(test_idempotent_and_taken)
{
	struct it_jar p1 = { 0 }, p2 = { 0 };
	struct http_response r = {0};
	long long d1, e, id, id2;
	char key[80], key2[80], needle[80];

	setup_once();
	d1 = doctor_id("T-0001");
	it_sql_session(&p1, user_id("patient1@clinic.test"));
	it_sql_session(&p2, user_id("patient2@clinic.test"));
	e = slot_at(d1, 30, 3);

	book(&p1, &r, d1, e, NULL, key);
	id = redirect_id(&r, "first");
	/* The same form again (double click, retry): the same appointment. */
	it_postf(&p1, &r, "/appointments", "doctor=%lld&start=%lld&reason=x&key=%s", d1, e, key);
	id2 = redirect_id(&r, "resubmitted");
	ck_assert_int_eq(id, id2);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.appointments WHERE idempotency_key = '%s'", key), 1);

	/* Someone else wants it: 409, alternatives, nothing booked. */
	book(&p2, &r, d1, e, NULL, key2);
	it_assert_status(&r, 409, "taken");
	ck_assert_ptr_nonnull(strstr(r.body, "/appointments/new?doctor="));
	/* "All free times" opens the picker at the week of the time wanted. */
	snprintf(needle, sizeof(needle), "/doctors/%lld?week=", d1);
	it_sql_str(needle + strlen(needle), 16, "SELECT to_char(to_timestamp(%lld) AT TIME ZONE '" TZ "', "
	           "'YYYY-MM-DD')", e);
	it_assert_has(&r, needle, "the link to the week of the time wanted");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.appointments WHERE idempotency_key = '%s'", key2), 0);
	/* patient2 replaying patient1's key gets nothing of patient1's. */
	it_postf(&p2, &r, "/appointments", "doctor=%lld&start=%lld&reason=x&key=%s", d1, slot_at(d1, 30, 4), key);
	ck_assert_int_ge(r.status, 400);
	http_response_free(&r);
}
END_TEST

START_TEST(test_reschedule)
{
	struct it_jar p1 = { 0 }, p2 = { 0 };
	struct http_response r = {0};
	long long d1, e1, e2, e3, id, other;
	char key[80], path[100];

	setup_once();
	d1 = doctor_id("T-0001");
	it_sql_session(&p1, user_id("patient1@clinic.test"));
	it_sql_session(&p2, user_id("patient2@clinic.test"));
	e1 = slot_at(d1, 30, 6);
	e2 = slot_at(d1, 30, 8);
	e3 = slot_at(d1, 30, 10);
	book(&p1, &r, d1, e1, NULL, key);
	id = redirect_id(&r, "book");
	snprintf(path, sizeof(path), "/appointments/%lld/reschedule", id);
	it_getf(&p1, &r, "%s", path);
	it_assert_status(&r, 200, "reschedule page");
	it_postf(&p1, &r, path, "start=%lld", e2);
	it_assert_status(&r, 303, "move");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.appointments WHERE id = %lld AND starts_at = "
	                            "to_timestamp(%lld) AND sequence = 1 AND status = 'booked'", id, e2), 1);
	ck_assert_int_eq(is_free(d1, e1), 1);
	ck_assert_int_eq(is_free(d1, e2), 0);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.history WHERE appointment_id = %lld AND action = "
	                            "'moved' AND old_starts_at = to_timestamp(%lld)", id, e1), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE dedup_key = 'reminder:%lld:1:24'", id), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'appointment.notify' AND "
	                            "payload->>'appointment_id' = '%lld' AND payload->>'what' = 'moved'", id), 1);

	/* The new slot is taken meanwhile: 409 and nothing changes. */
	book(&p2, &r, d1, e3, NULL, key);
	other = redirect_id(&r, "patient2 books e3");
	ck_assert_int_ne(other, id);
	it_postf(&p1, &r, path, "start=%lld", e3);
	it_assert_status(&r, 409, "move to a taken slot");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.appointments WHERE id = %lld AND starts_at = "
	                            "to_timestamp(%lld) AND sequence = 1 AND status = 'booked'", id, e2), 1);
	/* Not a slot, or another doctor's slot: 4xx, nothing changes. */
	it_postf(&p1, &r, path, "start=%lld", e2 + 60);
	ck_assert_int_ge(r.status, 400);
	it_postf(&p1, &r, path, "start=%lld", slot_at(doctor_id("T-0002"), 30, 1));
	ck_assert_int_ge(r.status, 400);
	ck_assert_int_eq(it_sql_int("SELECT sequence FROM appt.appointments WHERE id = %lld", id), 1);
	http_response_free(&r);
}
END_TEST

START_TEST(test_cancel_cutoff)
{
	struct it_jar p1 = { 0 }, rc = { 0 };
	struct http_response r = {0};
	long long d1, e, id;
	char key[80], path[100];

	setup_once();
	d1 = doctor_id("T-0001");
	it_sql_session(&p1, user_id("patient1@clinic.test"));
	/* A slot within the next 24 hours (the schedule covers 08-20 daily). */
	e = it_sql_int("SELECT extract(epoch FROM starts_at)::bigint FROM appt.free_slots(%lld, current_date, "
	               "current_date + 3, '" TZ "') WHERE starts_at < now() + interval '23 hours' "
	               "ORDER BY starts_at DESC LIMIT 1", d1);
	ck_assert_int_gt(e, 0);
	book(&p1, &r, d1, e, NULL, key);
	id = redirect_id(&r, "book soon");
	snprintf(path, sizeof(path), "/appointments/%lld/cancel", id);
	it_postf(&p1, &r, path, "reason=");
	it_assert_status(&r, 409, "cancel after cutoff");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.appointments WHERE id = %lld AND status = 'booked'", id), 1);
	snprintf(path, sizeof(path), "/appointments/%lld/reschedule", id);
	it_postf(&p1, &r, path, "start=%lld", slot_at(d1, 30, 20));
	it_assert_status(&r, 409, "move after cutoff");

	/* Reception has no cutoff, but must give a reason. */
	it_sql_session(&rc, it_make_user(&(struct it_user){ .email = "reception-cutoff@clinic.test", .role = "reception", .totp_secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" }));
	snprintf(path, sizeof(path), "/appointments/%lld/cancel", id);
	it_postf(&rc, &r, path, "reason=");
	it_assert_status(&r, 422, "reception cancel without reason");
	it_postf(&rc, &r, path, "reason=Llam%%C3%%B3+el+paciente");
	it_assert_status(&r, 303, "reception cancel");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.appointments WHERE id = %lld AND status = "
	                            "'cancelled' AND cancel_reason = 'Llamó el paciente'", id), 1);
	http_response_free(&r);
}
END_TEST

START_TEST(test_reception)
{
	struct it_jar rc = { 0 }, p1 = { 0 };
	struct http_response r = {0};
	long long d1, p2, recep, e, id, before;
	char key[80], extra[60], path[100], needle[100], week[16];

	setup_once();
	d1 = doctor_id("T-0001");
	p2 = user_id("patient2@clinic.test");
	recep = it_make_user(&(struct it_user){ .email = "reception1@clinic.test", .role = "reception", .totp_secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" });
	it_sql_session(&rc, recep);

	it_getf(&rc, &r, "/reception?q=paciente");
	it_assert_status(&r, 200, "reception search");
	ck_assert_ptr_nonnull(strstr(r.body, "patient1@clinic.test"));
	ck_assert_ptr_nonnull(strstr(r.body, "patient2@clinic.test"));
	ck_assert_ptr_null(strstr(r.body, "doctor1@clinic.test"));
	before = audit_count("appointment.list_viewed");
	it_getf(&rc, &r, "/reception?patient=%lld", p2);
	it_assert_status(&r, 200, "patient page");
	ck_assert_int_eq(audit_count("appointment.list_viewed"), before + 1);
	it_getf(&rc, &r, "/doctors?patient=%lld", p2);
	it_assert_status(&r, 200, "doctors for patient");
	snprintf(extra, sizeof(extra), "&patient=%lld", p2);
	it_getf(&rc, &r, "/doctors/%lld?patient=%lld", d1, p2);
	it_assert_status(&r, 200, "slots for patient");
	/* (next week's page: this week's may have no time left) */
	it_getf(&rc, &r, "/doctors/%lld?patient=%lld&week=%s", d1, p2, monday(week, 1));
	it_assert_status(&r, 200, "next week's slots for patient");
	snprintf(needle, sizeof(needle), "&amp;patient=%lld\" rel=\"next\"", p2);
	it_assert_has(&r, needle, "the next week keeps the patient");
	snprintf(needle, sizeof(needle), "name=\"patient\" value=\"%lld\"", p2);
	it_assert_has(&r, needle, "the day forms book for the patient");

	e = slot_at(d1, 30, 12);
	book(&rc, &r, d1, e, extra, key);
	id = redirect_id(&r, "reception books");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.appointments WHERE id = %lld AND patient_id = %lld "
	                            "AND created_by = %lld", id, p2, recep), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.notices WHERE user_id = %lld AND kind = "
	                            "'appointment_booked' AND link = '/appointments/%lld'", p2, id), 1);
	before = audit_count("appointment.viewed");
	it_getf(&rc, &r, "/appointments/%lld", id);
	it_assert_status(&r, 200, "reception views");
	ck_assert_int_eq(audit_count("appointment.viewed"), before + 1);
	snprintf(path, sizeof(path), "/appointments/%lld/reschedule", id);
	it_postf(&rc, &r, path, "start=%lld", slot_at(d1, 30, 14));
	it_assert_status(&r, 303, "reception moves");
	snprintf(path, sizeof(path), "/appointments/%lld/cancel", id);
	it_postf(&rc, &r, path, "reason=Baja");
	it_assert_status(&r, 303, "reception cancels");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.appointments WHERE id = %lld AND status = "
	                            "'cancelled' AND cancelled_by = %lld AND sequence = 2", id, recep), 1);

	/* Completed / no-show: reception (a patient may not). */
	book(&rc, &r, d1, slot_at(d1, 30, 16), extra, key);
	id = redirect_id(&r, "second booking");
	it_sql_session(&p1, user_id("patient1@clinic.test"));
	snprintf(path, sizeof(path), "/appointments/%lld/status", id);
	it_postf(&p1, &r, path, "status=completed");
	it_assert_status(&r, 403, "patient marks");
	it_postf(&rc, &r, path, "status=bogus");
	it_assert_status(&r, 400, "bad status");
	it_postf(&rc, &r, path, "status=no_show");
	it_assert_status(&r, 409, "a visit that has not started cannot be missed yet");
	it_assert_has(&r, "todavía no ha empezado", "the page says why");
	/* Started five minutes ago. */
	it_sql_int("UPDATE appt.appointments SET starts_at = now() - interval '5 minutes', "
	           "ends_at = now() + interval '25 minutes' WHERE id = %lld RETURNING 1", id);
	it_postf(&rc, &r, path, "status=no_show");
	it_assert_status(&r, 303, "reception marks no-show");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.history WHERE appointment_id = %lld AND action = "
	                            "'no_show'", id), 1);
	snprintf(needle, sizeof(needle), "/reception?patient=%lld", p2);
	it_getf(&rc, &r, "%s", needle);
	it_assert_status(&r, 200, "patient page again");
	/* Reception must name a patient to book. */
	it_postf(&rc, &r, "/appointments", "doctor=%lld&start=%lld&reason=&key=%s", d1, slot_at(d1, 30, 18),
	     "0123456789abcdef0123456789abcdef");
	it_assert_status(&r, 400, "reception without patient");
	http_response_free(&r);
}
END_TEST

START_TEST(test_authorization)
{
	struct it_jar p1 = { 0 }, p2 = { 0 }, anon = { 0 };
	struct http_response r = {0};
	long long d1, id, before;
	char key[80], path[100];

	setup_once();
	d1 = doctor_id("T-0001");
	it_sql_session(&p1, user_id("patient1@clinic.test"));
	it_sql_session(&p2, user_id("patient2@clinic.test"));
	book(&p1, &r, d1, slot_at(d1, 30, 22), NULL, key);
	id = redirect_id(&r, "book");

	before = audit_count("access.denied");
	it_getf(&p2, &r, "/appointments/%lld", id);
	it_assert_status(&r, 404, "other's appointment");
	snprintf(path, sizeof(path), "/appointments/%lld/cancel", id);
	it_postf(&p2, &r, path, "reason=");
	it_assert_status(&r, 404, "cancel other's");
	snprintf(path, sizeof(path), "/appointments/%lld/reschedule", id);
	it_postf(&p2, &r, path, "start=%lld", slot_at(d1, 30, 24));
	it_assert_status(&r, 404, "move other's");
	ck_assert_int_eq(audit_count("access.denied"), before + 3);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.appointments WHERE id = %lld AND status = 'booked' "
	                            "AND sequence = 0", id), 1);
	/* The same answer for one that does not exist. */
	it_getf(&p2, &r, "/appointments/%lld", id + 100000);
	it_assert_status(&r, 404, "missing appointment");

	it_getf(&p1, &r, "/reception");
	it_assert_status(&r, 403, "patient at reception");
	it_getf(&anon, &r, "/appointments");
	it_assert_status(&r, 303, "anonymous");
	/* No CSRF token: refused. */
	snprintf(path, sizeof(path), "/appointments/%lld/cancel", id);
	it_send(&p1, &r, "POST", path, "reason=");
	it_assert_status(&r, 403, "no csrf");
	http_response_free(&r);
}
END_TEST

START_TEST(test_unverified)
{
	struct it_jar u = { 0 };
	struct http_response r = {0};
	long long d1, e, uid;

	setup_once();
	d1 = doctor_id("T-0001");
	uid = it_make_user(&(struct it_user){ .email = "unverified1@clinic.test", .unverified = 1 });
	it_sql_session(&u, uid);
	e = slot_at(d1, 30, 26);
	it_getf(&u, &r, "/appointments/new?doctor=%lld&start=%lld", d1, e);
	it_assert_status(&r, 403, "unverified confirm page");
	ck_assert_ptr_nonnull(strstr(r.body, "/verify/resend"));
	it_postf(&u, &r, "/appointments", "doctor=%lld&start=%lld&reason=&key=%s", d1, e,
	     "00112233445566778899aabbccddeeff");
	it_assert_status(&r, 403, "unverified books");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.appointments WHERE patient_id = %lld", uid), 0);
	http_response_free(&r);
}
END_TEST

START_TEST(test_bad_input)
{
	struct it_jar p1 = { 0 };
	struct http_response r = {0};
	long long d1, d2, e;
	char long_reason[1300];
	static const char *const paths[] = {
		"/doctors/0", "/doctors/abc", "/doctors/999999", "/doctors/99999999999",
		"/appointments/0", "/appointments/abc", "/appointments/99999999999999999999",
		"/appointments/new", "/appointments/new?doctor=abc&start=1",
		"/appointments/new?doctor=1&start=abc", "/appointments/new?doctor=1&start=99999999999",
		"/appointments/new?doctor=99999999999&start=1", "/doctors?specialty=abc",
		"/doctors?specialty=99999999999", "/doctors?q=%25_%5C",
	};

	setup_once();
	d1 = doctor_id("T-0001");
	d2 = doctor_id("T-0002");
	it_sql_session(&p1, user_id("patient1@clinic.test"));
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		it_getf(&p1, &r, "%s", paths[i]);
		ck_assert_msg(r.status == 200 || (r.status >= 400 && r.status < 500), "%s: %ld", paths[i], r.status);
	}
	e = slot_at(d1, 30, 28);
	/* Not a slot start, a past one, another doctor's slot. */
	it_getf(&p1, &r, "/appointments/new?doctor=%lld&start=%lld", d1, e + 60);
	it_assert_status(&r, 404, "not a slot");
	it_getf(&p1, &r, "/appointments/new?doctor=%lld&start=%lld", d1, slot_at(d2, 30, 0));
	ck_assert_int_ge(r.status, 400);
	it_postf(&p1, &r, "/appointments", "doctor=%lld&start=%lld&reason=&key=%s", d1, e + 60,
	     "aaaabbbbccccddddaaaabbbbccccdddd");
	it_assert_status(&r, 404, "POST not a slot");
	it_postf(&p1, &r, "/appointments", "doctor=%lld&start=%lld&reason=&key=%s", d1, slot_at(d2, 30, 0),
	     "aaaabbbbccccddddaaaabbbbccccddde");
	ck_assert_int_ge(r.status, 400);
	it_postf(&p1, &r, "/appointments", "doctor=%lld&start=1000&reason=&key=%s", d1,
	     "aaaabbbbccccddddaaaabbbbccccdddf");
	ck_assert_int_ge(r.status, 400);
	it_postf(&p1, &r, "/appointments", "doctor=%lld&start=%lld&reason=&key=NOT-HEX", d1, e);
	it_assert_status(&r, 400, "bad key");
	it_postf(&p1, &r, "/appointments", "doctor=abc&start=%lld&reason=&key=%s", e,
	     "aaaabbbbccccddddaaaabbbbccccddd0");
	ck_assert_int_ge(r.status, 400);
	it_postf(&p1, &r, "/appointments", "doctor=%lld&start=99999999999999&reason=&key=%s", d1,
	     "aaaabbbbccccddddaaaabbbbccccddd1");
	it_assert_status(&r, 400, "huge start");
	memset(long_reason, 'a', 600);
	long_reason[600] = '\0';
	it_postf(&p1, &r, "/appointments", "doctor=%lld&start=%lld&reason=%s&key=%s", d1, e, long_reason,
	     "aaaabbbbccccddddaaaabbbbccccddd2");
	it_assert_status(&r, 400, "long reason");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.appointments WHERE idempotency_key LIKE "
	                            "'aaaabbbbccccdddd%%'"), 0);
	it_postf(&p1, &r, "/appointments/99999999/status", "status=completed");
	it_assert_status(&r, 403, "patient status");
	http_response_free(&r);
}
END_TEST

/* ------------------------------------------------- one week per page */

#define PAGE_BUDGET (14 * 1024)   /* bytes of uncompressed HTML */

/* A doctor with long hours (08:00-20:00 every day, 10-minute slots: 504 a
 * week): every week's page stays under PAGE_BUDGET with all of its slots,
 * the pages link to each other from this week up to the last bookable one
 * and no further, and a time picked on a later page books (and moves to)
 * exactly that time. */
START_TEST(test_week_pages)
{
	struct it_jar p = { 0 }, rc = { 0 };
	struct http_response r = { 0 };
	long long doc, patient, id, pages, n = 0;
	char path[80], want[16], week2[16], week3[16], key[80], needle[160];
	const char *s;

	doc = it_sql_int("INSERT INTO clinic.doctors (display_name, licence_number) VALUES "
	                 "('Dr. Horario Largo', 'T-LONG') RETURNING id");
	it_sql("INSERT INTO appt.schedules (doctor_id, weekday, start_time, end_time, slot_minutes, mode, "
	       "location, valid_from) SELECT %lld, w, '08:00', '20:00', 10, 'in_person', 'Consulta 7', "
	       "current_date - 1 FROM generate_series(1, 7) w", doc);
	patient = it_make_user(&(struct it_user){ .email = "long-hours@clinic.test" });
	it_sql_session(&p, patient);
	/* Pages: this week's up to the one holding today + 7 * 8 - 1. */
	pages = it_sql_int("SELECT (l - (extract(isodow FROM l)::int - 1) - (t - (extract(isodow FROM t)::int - 1))) / 7 + 1 "
	                   "FROM (SELECT t, t + 7 * 8 - 1 AS l FROM (SELECT (now() AT TIME ZONE '" TZ "')::date AS t) x) y");

	/* Walk the pages by their "next" links: each under the budget. */
	snprintf(path, sizeof(path), "/doctors/%lld", doc);
	for (;;) {
		it_getf(&p, &r, "%s", path);
		it_assert_status(&r, 200, path);
		ck_assert_msg(r.body_len < PAGE_BUDGET, "%s: %zu bytes", path, r.body_len);
		ck_assert_msg((n == 0) == (strstr(r.body, "rel=\"prev\"") == NULL), "%s: previous link", path);
		monday(want, (int)n);
		ck_assert_msg(strstr(r.body, week_words(want)) != NULL, "%s: not the week of %s", path, want);
		n++;
		if ((s = strstr(r.body, "\" rel=\"next\"")) == NULL)
			break;
		snprintf(path, sizeof(path), "/doctors/%lld?week=%.*s", doc, DT_LEN, s - DT_LEN);
		ck_assert_int_le(n, pages);
	}
	ck_assert_int_eq(n, pages);

	/* Page 2 is a whole week ahead: all 504 slots, one option each. */
	monday(week2, 1);
	it_getf(&p, &r, "/doctors/%lld?week=%s", doc, week2);
	for (n = 0, s = r.body; (s = strstr(s, "<option>")) != NULL; s++)
		n++;
	ck_assert_int_eq(n, 7 * 72);
	ck_assert_msg(r.body_len < PAGE_BUDGET, "page 2: %zu bytes", r.body_len);
	it_assert_has(&r, "Consulta 7", "the location is shown");
	/* Any day of a week shows that week; outside the bookable weeks, the
	 * first or the last one; a malformed date is refused. */
	it_getf(&p, &r, "/doctors/%lld?week=%s", doc, it_sql_str(want, sizeof(want), "SELECT to_char('%s'::date + 6, "
	        "'YYYY-MM-DD')", week2));
	snprintf(needle, sizeof(needle), "name=\"day\" value=\"%s\"", week2);
	it_assert_has(&r, needle, "a Sunday shows its week from Monday");
	it_getf(&p, &r, "/doctors/%lld?week=1900-01-01", doc);
	it_assert_status(&r, 200, "a week long gone");
	ck_assert_ptr_null(strstr(r.body, "rel=\"prev\""));
	it_assert_has(&r, week_words(monday(want, 0)), "the first week");
	it_getf(&p, &r, "/doctors/%lld?week=2200-12-31", doc);
	it_assert_status(&r, 200, "a week far ahead");
	ck_assert_ptr_null(strstr(r.body, "rel=\"next\""));
	it_assert_has(&r, week_words(monday(want, (int)pages - 1)), "the last week");
	it_getf(&p, &r, "/doctors/%lld?week=2026-02-30", doc);
	it_assert_status(&r, 400, "no such date");

	/* Tuesday 10:20 of page 2, picked there: the confirm page, then booked. */
	it_sql_str(want, sizeof(want), "SELECT to_char('%s'::date + 1, 'YYYY-MM-DD')", week2);
	it_getf(&p, &r, "/doctors/%lld?week=%s", doc, week2);
	ck_assert(offers(&r, want, "10:20"));
	it_getf(&p, &r, "/appointments/new?doctor=%lld&day=%s&time=10:20", doc, want);
	it_assert_status(&r, 200, "confirm page of a picked time");
	it_assert_has(&r, it_when_es(it_fmt("('%s'::date + time '10:20') AT TIME ZONE '" TZ "'", want), 1),
	              "the confirm page names the time picked");
	it_form_value(&r, "key", key, sizeof(key));
	it_form_value(&r, "start", needle, sizeof(needle));
	it_postf(&p, &r, "/appointments", "doctor=%lld&start=%s&reason=&key=%s", doc, needle, key);
	id = redirect_id(&r, "book from page 2");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.appointments WHERE id = %lld AND starts_at = "
	                            "('%s'::date + time '10:20') AT TIME ZONE '" TZ "'", id, want), 1);
	it_getf(&p, &r, "/doctors/%lld?week=%s", doc, week2);
	ck_assert(!offers(&r, want, "10:20"));
	ck_assert(offers(&r, want, "10:30"));
	it_getf(&p, &r, "/appointments/new?doctor=%lld&day=%s&time=10:25", doc, want);
	it_assert_status(&r, 404, "not a slot's time");

	/* Moving it from page 3 of its reschedule page: that very time. */
	monday(week3, 2);
	it_getf(&p, &r, "/appointments/%lld/reschedule?week=%s", id, week3);
	it_assert_status(&r, 200, "reschedule page 3");
	ck_assert_msg(r.body_len < PAGE_BUDGET, "reschedule page: %zu bytes", r.body_len);
	snprintf(needle, sizeof(needle), "/appointments/%lld/reschedule?week=%s\" rel=\"prev\"", id, week2);
	it_assert_has(&r, needle, "the previous week of the reschedule page");
	ck_assert(offers(&r, week3, "19:50"));
	snprintf(path, sizeof(path), "/appointments/%lld/reschedule", id);
	it_postf(&p, &r, path, "day=%s&time=19:50", week3);
	it_assert_status(&r, 303, "move from page 3");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.appointments WHERE id = %lld AND starts_at = "
	                            "('%s'::date + time '19:50') AT TIME ZONE '" TZ "'", id, week3), 1);
	it_postf(&p, &r, path, "day=%s&time=19:55", week3);
	it_assert_status(&r, 404, "move to a time that is not a slot");
	it_postf(&p, &r, path, "day=%s&time=25:00", week3);
	it_assert_status(&r, 400, "move to a malformed time");

	/* Reception: the week links keep the patient. */
	it_sql_session(&rc, it_make_user(&(struct it_user){ .email = "reception-weeks@clinic.test",
	               .role = "reception", .totp_secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" }));
	it_getf(&rc, &r, "/doctors/%lld?patient=%lld&week=%s", doc, patient, week2);
	it_assert_status(&r, 200, "reception, page 2");
	snprintf(needle, sizeof(needle), "/doctors/%lld?week=%s&amp;patient=%lld\" rel=\"next\"", doc, week3, patient);
	it_assert_has(&r, needle, "next week for the patient");
	http_response_free(&r);
}
END_TEST

static Suite *
appointments_suite(void)
{
	Suite *s = suite_create("appointments");
	TCase *tc = tcase_create("flows");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_patient_flow);
	tcase_add_test(tc, test_idempotent_and_taken);
	tcase_add_test(tc, test_reschedule);
	tcase_add_test(tc, test_cancel_cutoff);
	tcase_add_test(tc, test_reception);
	tcase_add_test(tc, test_authorization);
	tcase_add_test(tc, test_unverified);
	tcase_add_test(tc, test_bad_input);
	tcase_add_test(tc, test_week_pages);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(appointments_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	http_client_cleanup();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
