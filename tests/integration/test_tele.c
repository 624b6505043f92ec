/* test_tele: the video visit's room against a real stack
 * (tests/integration/tele.stack, docs/tele.md): the window ("opens at"
 * before it), join, the waiting room, admission (the encounter made
 * once), leave and rejoin, the end (appointment completed), the note
 * panel and the chat without JavaScript, foreign patients and doctors
 * refused with 404 and an audit row on the page and the signalling
 * endpoints, signals only between the two admitted people (304 while
 * unchanged, only the new ones after N, a rate limit), stale rooms
 * closed by medsysctl tele-cleanup, and the "join" links. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "care_test.h"
#include "http_client.h"

/* Strings made for one call are kept until the test ends (it_kept_free). */
#define T it_keep

/* A video appointment of a fresh patient with a fresh doctor, starting
 * `minutes` from now (negative: already started), and both signed in. */
struct visit {
	long long patient, doctor, docrow, appt;
	struct it_jar p, d;
};

static void
visit_make(struct visit *v, int minutes)
{
	v->patient = care_make_user("tp", "patient");
	v->doctor = care_make_doctor("td", &v->docrow);
	v->appt = it_sql_int("INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode, created_by) "
	                     "VALUES (%lld, %lld, now() + make_interval(mins => %d), "
	                     "now() + make_interval(mins => %d + 30), 'video', %lld) RETURNING id",
	                     v->docrow, v->patient, minutes, minutes, v->patient);
	care_session(&v->p, v->patient);
	care_session(&v->d, v->doctor);
}

static const char *
call_path(const struct visit *v, const char *tail)
{
	return T(it_fmt("/appointments/%lld/call%s", v->appt, tail));
}

static long
post(struct it_jar *j, const struct visit *v, const char *tail, const char *fields)
{
	struct http_response r = { 0 };
	char *path = it_fmt("/appointments/%lld/call%s", v->appt, tail);
	long st = it_postf(j, &r, path, "%s", fields);

	free(path);
	http_response_free(&r);
	return st;
}

/* The signalling poll as j, with If-None-Match etag (NULL: none). */
static long
poll(struct it_jar *j, const struct visit *v, const char *query, const char *etag, struct http_response *r)
{
	return it_get_inm(j, r, call_path(v, T(it_fmt("/signals?%s", query))), etag);
}

static const char *
state_of(long long appt, long long user)
{
	return T(it_sql_line("SELECT coalesce((SELECT p.state FROM tele.participants p JOIN tele.rooms r ON r.id = p.room_id "
	                     "WHERE r.appointment_id = %lld AND p.user_id = %lld), 'none')", appt, user));
}

static long long
denied(long long patient)
{
	return it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.denied' AND subject_id = %lld",
	                  patient);
}

START_TEST(test_window_waiting_admit_leave_rejoin_end)
{
	struct visit v;
	struct http_response r = { 0 };
	long long enc;

	visit_make(&v, 60);
	/* An hour early: the page says when the room opens; joining does nothing. */
	ck_assert_int_eq(it_get(&v.p, &r, call_path(&v, "")), 200);
	it_assert_has(&r, "La sala de consulta se abre a las", "the opens-at page");
	it_assert_lacks(&r, "id=\"call\"", "no call yet");
	ck_assert_int_eq(post(&v.p, &v, "/join", ""), 303);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM tele.rooms WHERE appointment_id = %lld", v.appt), 0);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld AND subject_id = %lld "
	                            "AND action = 'record.tele_room' AND object = 'appointment:%lld basis=self'",
	                            v.patient, v.patient, v.appt), 1);
	/* The visit began two minutes ago: the doctor joins and is in at once. */
	it_sql("UPDATE appt.appointments SET starts_at = now() - interval '2 minutes', "
	       "ends_at = now() + interval '28 minutes' WHERE id = %lld", v.appt);
	ck_assert_int_eq(it_get(&v.d, &r, call_path(&v, "")), 200);
	it_assert_has(&r, "Entrar en la videoconsulta</button>", "a join button");
	ck_assert_int_eq(post(&v.d, &v, "/join", ""), 303);
	ck_assert_int_eq(it_get(&v.d, &r, call_path(&v, "")), 200);
	it_assert_has(&r, "data-state=\"admitted\"", "the doctor is in the call");
	it_assert_has(&r, "data-polite=\"0\"", "the doctor is the impolite side");
	it_assert_has(&r, "No espera nadie", "nobody waits yet");
	it_assert_has(&r, "<script src=\"/static/tele.js\" defer></script>", "tele.js");
	it_assert_has(&r, "La nota de la visita se abre al dar paso al paciente", "no note before the admission");
	/* The patient joins: the waiting room, reloading itself without JS. */
	ck_assert_int_eq(post(&v.p, &v, "/join", ""), 303);
	ck_assert_str_eq(state_of(v.appt, v.patient), "waiting");
	ck_assert_int_eq(it_get(&v.p, &r, call_path(&v, "")), 200);
	it_assert_has(&r, "data-state=\"waiting\"", "the waiting room");
	it_assert_has(&r, "<noscript><meta http-equiv=\"refresh\" content=\"10\"></noscript>", "reloads without JS");
	it_assert_has(&r, "Está en la sala de espera", "says so");
	ck_assert_int_eq(post(&v.p, &v, "/chat", "&body=Hola"), 409);
	/* The doctor sees them waiting and admits them: the encounter is made. */
	ck_assert_int_eq(it_get(&v.d, &r, call_path(&v, "")), 200);
	it_assert_has(&r, T(it_fmt("name=\"user\" value=\"%lld\"", v.patient)), "an Admit button for the patient");
	ck_assert_int_eq(post(&v.d, &v, "/admit", T(it_fmt("&user=%lld", v.patient))), 303);
	ck_assert_str_eq(state_of(v.appt, v.patient), "admitted");
	enc = it_sql_int("SELECT id FROM ehr.encounters WHERE appointment_id = %lld AND kind = 'appointment'", v.appt);
	ck_assert_int_eq(it_sql_int("SELECT encounter_id FROM tele.rooms WHERE appointment_id = %lld", v.appt), enc);
	ck_assert_int_eq(it_get(&v.p, &r, call_path(&v, "")), 200);
	it_assert_has(&r, "data-state=\"admitted\"", "the patient is in the call");
	it_assert_has(&r, T(it_fmt("data-peer=\"%lld\"", v.doctor)), "the doctor is the peer");
	it_assert_has(&r, "data-polite=\"1\"", "the patient is the polite side");
	it_assert_has(&r, "<video id=\"remote\" autoplay playsinline", "the remote video");
	/* The note panel: the record's own form, saved by its own route, back here. */
	ck_assert_int_eq(it_get(&v.d, &r, call_path(&v, "")), 200);
	it_assert_has(&r, T(it_fmt("action=\"/patients/%lld/encounters/%lld\"", v.patient, enc)), "the note form");
	it_assert_has(&r, T(it_fmt("name=\"back\" value=\"/appointments/%lld/call\"", v.appt)), "coming back");
	ck_assert_int_eq(it_postf(&v.d, &r, T(it_fmt("/patients/%lld/encounters/%lld", v.patient, enc)),
	                          "&base=0&subjective=Tos+seca&objective=&assessment=&plan=&op=save&back=%s",
	                          T(it_urlencode(call_path(&v, "")))), 303);
	it_assert_redirect(&r, call_path(&v, "?done=saved"), "back to the call");
	ck_assert_int_eq(it_get(&v.d, &r, call_path(&v, "?done=saved")), 200);
	it_assert_has(&r, "Borrador guardado", "saved");
	it_assert_has(&r, ">Tos seca</textarea>", "the draft in the panel");
	/* Chat without JavaScript. */
	ck_assert_int_eq(post(&v.p, &v, "/chat", "&body=Me+oye%2C+Marcador-C1%3F"), 303);
	ck_assert_int_eq(post(&v.p, &v, "/chat", "&body="), 422);
	ck_assert_int_eq(it_get(&v.d, &r, call_path(&v, "")), 200);
	it_assert_has(&r, "Me oye, Marcador-C1?", "the doctor reads the line");
	/* Leave: the page offers to join again; rejoining waits again. */
	ck_assert_int_eq(post(&v.p, &v, "/leave", ""), 303);
	ck_assert_str_eq(state_of(v.appt, v.patient), "left");
	ck_assert_int_eq(it_get(&v.p, &r, call_path(&v, "")), 200);
	it_assert_has(&r, "Entrar en la videoconsulta</button>", "join again");
	ck_assert_int_eq(post(&v.p, &v, "/join", ""), 303);
	ck_assert_str_eq(state_of(v.appt, v.patient), "waiting");
	ck_assert_int_eq(post(&v.d, &v, "/admit", T(it_fmt("&user=%lld", v.patient))), 303);
	ck_assert_str_eq(state_of(v.appt, v.patient), "admitted");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.encounters WHERE appointment_id = %lld", v.appt), 1);
	/* Only the doctor ends; then the visit is completed and the room over. */
	ck_assert_int_eq(post(&v.p, &v, "/end", ""), 403);
	ck_assert_int_eq(post(&v.d, &v, "/end", ""), 303);
	ck_assert_str_eq(T(it_sql_line("SELECT status FROM appt.appointments WHERE id = %lld", v.appt)), "completed");
	ck_assert_str_eq(T(it_sql_line("SELECT end_reason FROM tele.rooms WHERE appointment_id = %lld", v.appt)), "ended");
	ck_assert_str_eq(state_of(v.appt, v.patient), "left");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.note_signatures WHERE encounter_id = %lld", enc), 0);
	ck_assert_int_eq(it_get(&v.p, &r, call_path(&v, "")), 200);
	it_assert_has(&r, "Esta videoconsulta ha terminado", "ended");
	it_assert_has(&r, "Marcador-C1", "the chat stays readable");
	ck_assert_int_eq(post(&v.p, &v, "/join", ""), 303);
	ck_assert_str_eq(state_of(v.appt, v.patient), "left");
	ck_assert_int_eq(it_get(&v.d, &r, call_path(&v, "")), 200);
	it_assert_has(&r, ">Tos seca</textarea>", "the note stays a draft to sign");
	http_response_free(&r);
	it_kept_free();
}
END_TEST

/* A call begun in the early window and ended before the appointment's
 * start: the visit took place, so it is completed all the same (and a
 * no-show still cannot be marked before the start). */
START_TEST(test_end_before_start_completes)
{
	struct visit v;

	visit_make(&v, 8);
	ck_assert_int_eq(post(&v.p, &v, "/join", ""), 303);
	ck_assert_int_eq(post(&v.d, &v, "/join", ""), 303);
	ck_assert_int_eq(post(&v.d, &v, "/admit", T(it_fmt("&user=%lld", v.patient))), 303);
	ck_assert_str_eq(state_of(v.appt, v.patient), "admitted");
	ck_assert_int_eq(post(&v.d, &v, "/end", ""), 303);
	ck_assert_str_eq(T(it_sql_line("SELECT status FROM appt.appointments WHERE id = %lld", v.appt)), "completed");
	it_kept_free();
}
END_TEST

START_TEST(test_foreign_refused_and_audited)
{
	struct visit v;
	struct it_jar o, n;
	struct http_response r = { 0 };
	long long before, other = care_make_user("to", "patient"), doc = care_make_doctor("tn", NULL), none;

	visit_make(&v, 5);
	care_session(&o, other);
	care_session(&n, doc);
	ck_assert_int_eq(post(&v.d, &v, "/join", ""), 303);
	before = denied(v.patient);
	ck_assert_int_eq(it_get(&o, &r, call_path(&v, "")), 404);
	ck_assert_int_eq(it_get(&n, &r, call_path(&v, "")), 404);
	it_assert_lacks(&r, "id=\"call\"", "nothing of the room");
	ck_assert_int_eq(poll(&o, &v, "after=0", NULL, &r), 404);
	ck_assert_int_eq(poll(&n, &v, "after=0", NULL, &r), 404);
	ck_assert_int_eq(post(&o, &v, "/signals", T(it_fmt("&to=%lld&kind=offer&body=x", v.doctor))), 404);
	ck_assert_int_eq(post(&n, &v, "/join", ""), 404);
	ck_assert_int_eq(post(&o, &v, "/chat", "&body=Intruso"), 404);
	ck_assert_int_eq(denied(v.patient), before + 7);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM tele.participants WHERE user_id IN (%lld, %lld)", other, doc), 0);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM tele.signals s JOIN tele.rooms m ON m.id = s.room_id "
	                            "WHERE m.appointment_id = %lld", v.appt), 0);
	/* An id that is no appointment: 404, audited without a subject. */
	none = it_sql_int("SELECT max(id) + 1000 FROM appt.appointments");
	before = it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld AND action = 'record.denied' "
	                    "AND subject_id IS NULL", other);
	ck_assert_int_eq(it_getf(&o, &r, "/appointments/%lld/call", none), 404);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld AND action = 'record.denied' "
	                            "AND subject_id IS NULL", other), before + 1);
	/* An in-person visit has no room, even for its own patient. */
	it_sql("UPDATE appt.appointments SET mode = 'in_person' WHERE id = %lld", v.appt);
	ck_assert_int_eq(it_get(&v.p, &r, call_path(&v, "")), 404);
	http_response_free(&r);
	it_kept_free();
}
END_TEST

START_TEST(test_signals)
{
	struct visit v;
	struct http_response r = { 0 };
	char etag[64], etag2[64];
	long long s1;
	int i, st = 0;

	visit_make(&v, 5);
	ck_assert_int_eq(post(&v.d, &v, "/join", ""), 303);
	ck_assert_int_eq(post(&v.p, &v, "/join", ""), 303);
	/* Waiting: no signal may leave the waiting room. */
	ck_assert_int_eq(post(&v.p, &v, "/signals", T(it_fmt("&to=%lld&kind=offer&body=v%%3D0", v.doctor))), 403);
	ck_assert_int_eq(poll(&v.p, &v, "after=0", NULL, &r), 200);
	it_assert_has(&r, "\"state\":\"waiting\",\"peer\":null", "the waiting patient has no peer");
	ck_assert_int_eq(post(&v.d, &v, "/admit", T(it_fmt("&user=%lld", v.patient))), 303);
	/* The doctor's poll: 200, then 304 while nothing changes. */
	ck_assert_int_eq(poll(&v.d, &v, "after=0", NULL, &r), 200);
	ck_assert_str_eq(http_header(&r, "Content-Type"), "application/json");
	it_assert_has(&r, T(it_fmt("\"state\":\"admitted\",\"peer\":%lld", v.patient)), "in the call with the patient");
	/* A fresh TURN credential for the doctor rides on every 200 (tele.js
	 * takes it before an ICE restart): "username":"EXPIRY:USERID", the
	 * expiry ahead. */
	{
		const char *u = strstr(r.body, "\"ice\":[");
		char *end;
		long long expiry;

		ck_assert_msg(u != NULL && (u = strstr(u, "\"username\":\"")) != NULL, "TURN servers in the poll");
		expiry = strtoll(u + strlen("\"username\":\""), &end, 10);
		ck_assert_int_eq(*end, ':');
		ck_assert_int_eq(strtoll(end + 1, NULL, 10), v.doctor);
		ck_assert_int_gt(expiry, (long long)time(NULL) + 60);
	}
	snprintf(etag, sizeof(etag), "%s", http_header(&r, "ETag"));
	ck_assert_int_eq(poll(&v.d, &v, "after=0", etag, &r), 304);
	ck_assert_int_eq(r.body_len, 0);
	/* The patient's offer reaches the doctor, and only the doctor. */
	ck_assert_int_eq(post(&v.p, &v, "/signals",
	                      T(it_fmt("&to=%lld&kind=offer&body=%s", v.doctor, T(it_urlencode("v=0\r\no=- Marcador-SDP"))))), 204);
	ck_assert_int_eq(poll(&v.d, &v, "after=0", etag, &r), 200);
	/* (control characters as \u00XX: the CRLF of the SDP comes through) */
	it_assert_has(&r, "\"kind\":\"offer\",\"body\":\"v=0\\u000d\\u000ao=- Marcador-SDP\"", "the offer");
	it_assert_has(&r, T(it_fmt("\"from\":%lld", v.patient)), "from the patient");
	snprintf(etag2, sizeof(etag2), "%s", http_header(&r, "ETag"));
	ck_assert_str_ne(etag, etag2);
	s1 = it_sql_int("SELECT max(s.id) FROM tele.signals s JOIN tele.rooms m ON m.id = s.room_id "
	                "WHERE m.appointment_id = %lld", v.appt);
	ck_assert_int_eq(poll(&v.p, &v, "after=0", NULL, &r), 200);
	it_assert_has(&r, "\"signals\":[]", "the sender does not get its own offer");
	ck_assert_int_eq(post(&v.d, &v, "/signals", T(it_fmt("&to=%lld&kind=answer&body=Marcador-Answer", v.patient))), 204);
	ck_assert_int_eq(post(&v.p, &v, "/signals", T(it_fmt("&to=%lld&kind=candidate&body=Marcador-Cand", v.doctor))), 204);
	ck_assert_int_eq(poll(&v.d, &v, T(it_fmt("after=%lld", s1)), NULL, &r), 200);
	it_assert_has(&r, "Marcador-Cand", "the new candidate");
	it_assert_lacks(&r, "Marcador-SDP", "not the offer before N");
	it_assert_lacks(&r, "Marcador-Answer", "not the doctor's own answer");
	/* Only to the other participant, only known kinds. */
	ck_assert_int_eq(post(&v.p, &v, "/signals", T(it_fmt("&to=%lld&kind=offer&body=x", v.patient))), 403);
	ck_assert_int_eq(post(&v.p, &v, "/signals", T(it_fmt("&to=%lld&kind=hello&body=x", v.doctor))), 400);
	/* The heartbeat moves while polling... */
	it_sql("UPDATE tele.participants p SET last_seen_at = now() - interval '1 hour' FROM tele.rooms m "
	       "WHERE m.id = p.room_id AND m.appointment_id = %lld", v.appt);
	ck_assert_int_eq(poll(&v.p, &v, "after=0&chat=0", NULL, &r), 200);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM tele.participants p JOIN tele.rooms m ON m.id = p.room_id "
	                            "WHERE m.appointment_id = %lld AND p.user_id = %lld "
	                            "AND p.last_seen_at > now() - interval '1 minute'", v.appt, v.patient), 1);
	/* ... and while showing the page (a call without JavaScript). */
	ck_assert_int_eq(it_get(&v.d, &r, call_path(&v, "")), 200);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM tele.participants p JOIN tele.rooms m ON m.id = p.room_id "
	                            "WHERE m.appointment_id = %lld AND p.user_id = %lld "
	                            "AND p.last_seen_at > now() - interval '1 minute'", v.appt, v.doctor), 1);
	/* The chat comes with the poll, mine marked. */
	ck_assert_int_eq(post(&v.d, &v, "/chat", "&body=Marcador-Poll-Chat"), 303);
	ck_assert_int_eq(poll(&v.p, &v, "after=0&chat=0", NULL, &r), 200);
	it_assert_has(&r, "\"body\":\"Marcador-Poll-Chat\",\"mine\":false", "the chat line");
	/* The rate limit: 100 a minute, then 429. */
	for (i = 0; i < 110; i++) {
		char fields[80];
		snprintf(fields, sizeof(fields), "&to=%lld&kind=candidate&body=c%d", v.doctor, i);
		if ((st = (int)post(&v.p, &v, "/signals", fields)) != 204)
			break;
	}
	ck_assert_int_eq(st, 429);
	ck_assert_int_eq(i, 98);   /* two were sent before the loop */
	http_response_free(&r);
	it_kept_free();
}
END_TEST

START_TEST(test_stale_rooms_close)
{
	struct visit a, b;
	struct http_response r = { 0 };

	visit_make(&a, -5);
	visit_make(&b, -5);
	ck_assert_int_eq(post(&a.d, &a, "/join", ""), 303);
	ck_assert_int_eq(post(&a.p, &a, "/join", ""), 303);
	ck_assert_int_eq(post(&a.d, &a, "/admit", T(it_fmt("&user=%lld", a.patient))), 303);
	ck_assert_int_eq(post(&a.p, &a, "/signals", T(it_fmt("&to=%lld&kind=offer&body=x", a.doctor))), 204);
	ck_assert_int_eq(post(&b.d, &b, "/join", ""), 303);
	/* Nobody in a's room has been seen for 20 minutes; b's doctor was just here. */
	it_sql("UPDATE tele.participants p SET last_seen_at = now() - interval '20 minutes' FROM tele.rooms m "
	       "WHERE m.id = p.room_id AND m.appointment_id = %lld", a.appt);
	it_sql("UPDATE tele.rooms SET opened_at = now() - interval '30 minutes' WHERE appointment_id IN (%lld, %lld)",
	       a.appt, b.appt);
	ck_assert_int_eq(it_medsysctl("tele-cleanup"), 0);
	ck_assert_str_eq(T(it_sql_line("SELECT end_reason FROM tele.rooms WHERE appointment_id = %lld", a.appt)), "stale");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM tele.rooms WHERE appointment_id = %lld AND ended_at IS NULL",
	                            b.appt), 1);
	ck_assert_str_eq(state_of(a.appt, a.patient), "left");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'tele.stale' AND subject_id = %lld",
	                            a.patient), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM tele.signals s JOIN tele.rooms m ON m.id = s.room_id "
	                            "WHERE m.appointment_id = %lld", a.appt), 0);
	ck_assert_int_eq(it_get(&a.p, &r, call_path(&a, "")), 200);
	it_assert_has(&r, "Esta videoconsulta ha terminado", "the stale room is over");
	ck_assert_int_eq(poll(&a.p, &a, "after=0", NULL, &r), 200);
	it_assert_has(&r, "\"state\":\"ended\"", "the poll says so");
	http_response_free(&r);
	it_kept_free();
}
END_TEST

START_TEST(test_join_links)
{
	struct visit soon, later;
	struct http_response r = { 0 };

	visit_make(&soon, 5);
	ck_assert_int_eq(it_get(&soon.p, &r, "/"), 200);
	it_assert_has(&r, T(it_fmt("href=\"/appointments/%lld/call\">Entrar en la videoconsulta</a>", soon.appt)),
	              "the home's join link inside the window");
	ck_assert_int_eq(it_getf(&soon.p, &r, "/appointments/%lld", soon.appt), 200);
	it_assert_has(&r, T(it_fmt("href=\"/appointments/%lld/call\"", soon.appt)), "the appointment page's link");
	/* The doctor's way in: the agenda and its appointment page. */
	ck_assert_int_eq(it_getf(&soon.d, &r, "/agenda/%lld", soon.appt), 200);
	it_assert_has(&r, T(it_fmt("href=\"/appointments/%lld/call\"", soon.appt)), "the doctor's appointment page");
	ck_assert_int_eq(it_getf(&soon.d, &r, "/agenda?day=%s",
	                         T(it_sql_line("SELECT to_char(starts_at AT TIME ZONE 'Europe/Madrid', 'YYYY-MM-DD') "
	                                       "FROM appt.appointments WHERE id = %lld", soon.appt))), 200);
	it_assert_has(&r, T(it_fmt("href=\"/appointments/%lld/call\">Entrar en la videoconsulta", soon.appt)),
	              "the doctor's agenda");
	visit_make(&later, 120);
	ck_assert_int_eq(it_get(&later.p, &r, "/"), 200);
	it_assert_lacks(&r, T(it_fmt("/appointments/%lld/call", later.appt)), "no link two hours before");
	ck_assert_int_eq(it_getf(&later.p, &r, "/appointments/%lld", later.appt), 200);
	it_assert_lacks(&r, "/call\"", "nor on its page");
	http_response_free(&r);
	it_kept_free();
}
END_TEST

/* The room's poll file, which nginx answers itself (core/pollwatch):
 * linked from the page, 304 while unchanged, a new ETag after a signal,
 * only for the session it was signed for. */
START_TEST(test_watch)
{
	struct visit v;
	struct it_jar o;
	struct http_response r = { 0 };
	const char *url, *tag, *prev;
	long long room;

	visit_make(&v, 5);
	care_session(&o, care_make_user("tw", "patient"));
	ck_assert_int_eq(post(&v.d, &v, "/join", ""), 303);
	ck_assert_int_eq(post(&v.p, &v, "/join", ""), 303);
	ck_assert_int_eq(post(&v.d, &v, "/admit", T(it_fmt("&user=%lld", v.patient))), 303);
	room = it_sql_int("SELECT id FROM tele.rooms WHERE appointment_id = %lld", v.appt);
	url = it_page_watch(&v.d, call_path(&v, ""));
	ck_assert_msg(strncmp(url, T(it_fmt("/poll/room/%lld?e=", room)), strlen(T(it_fmt("/poll/room/%lld?e=", room)))) == 0
	              && strstr(url, "&s=") != NULL, "a signed link to the room's file: %s", url);
	tag = it_watch_until(v.d.session, url, it_sql_int("SELECT version FROM tele.rooms WHERE id = %lld", room));
	ck_assert_int_eq(it_watch_get(v.d.session, url, tag, &r), 304);
	prev = tag;
	ck_assert_int_eq(post(&v.p, &v, "/signals", T(it_fmt("&to=%lld&kind=offer&body=x", v.doctor))), 204);
	tag = it_watch_until(v.d.session, url, it_sql_int("SELECT version FROM tele.rooms WHERE id = %lld", room));
	ck_assert_str_ne(tag, prev);
	ck_assert_int_eq(it_watch_get(v.d.session, url, prev, &r), 200);
	ck_assert_int_eq(it_watch_get(o.session, url, NULL, &r), 403);
	/* The poll hands out the link too. */
	ck_assert_int_eq(poll(&v.d, &v, "after=0", NULL, &r), 200);
	it_assert_has(&r, T(it_fmt("\"watch\":\"/poll/room/%lld?e=", room)), "the link in the poll");
	http_response_free(&r);
	it_kept_free();
}
END_TEST

int
main(void)
{
	return it_run_suites(it_suite("tele", 120, test_window_waiting_admit_leave_rejoin_end, test_end_before_start_completes,
	                              test_foreign_refused_and_audited, test_signals, test_stale_rooms_close,
	                              test_join_links, test_watch, NULL),
	                     NULL);
}
