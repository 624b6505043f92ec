/* test_care: the care-relationship pages against a real stack
 * (tests/integration/care.stack): break-glass (a reason is required, the
 * grant opens the record for break_glass_minutes, ends when it expires,
 * the patient is told and sees the reason, administrators' report lists
 * it), care assignments by reception and administrators, "who viewed my
 * record" and correction requests with their answers. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "care_test.h"
#include "fixtures.h"
#include "http_client.h"

#define REASON "Paciente inconsciente en urgencias, sin historia previa: Marcador-BG"

/* ------------------------------------------------------- break-glass */

/* The grant's end as the break-glass mail must write it (in words). */
static const char *bg_until = "";

/* it_maildir_scan: 1 for the break-glass mail to the address in arg. */
static int
is_break_glass_mail(const char *name, char *text, void *arg)
{
	(void)name;
	it_qp_decode(text);
	return strstr(text, (const char *)arg) != NULL && strstr(text, "Care doctor cdnone") != NULL &&
	       strstr(text, "/record/access") != NULL && strstr(text, "Marcador-BG") == NULL &&
	       strstr(text, bg_until) != NULL;
}

START_TEST(test_break_glass_needs_a_reason)
{
	struct care_world w;
	struct it_jar d;
	struct http_response r = { 0 };

	care_world_make(&w);
	care_session(&d, w.d_none);
	/* Without a relationship: 403, with the way to break-glass. */
	ck_assert_int_eq(it_getf(&d, &r, "/patients/%lld/access", w.p1), 403);
	it_assert_has(&r, it_fmt("/patients/%lld/break-glass", w.p1), "403 page links to break-glass");
	ck_assert_int_eq(it_getf(&d, &r, "/patients/%lld/break-glass", w.p1), 200);
	it_assert_has(&r, "Care patient cp1", "the form names the patient");
	/* Too short: refused with the rule, what was typed kept, no grant. */
	ck_assert_int_eq(it_postf(&d, &r, it_fmt("/patients/%lld/break-glass", w.p1), "&reason=%s",
	                          "Urgente+M"), 200);
	it_assert_has(&r, "10 a 500 caracteres", "the rule is said");
	it_assert_has(&r, ">Urgente M</textarea>", "the reason typed is kept");
	ck_assert_int_eq(it_postf(&d, &r, it_fmt("/patients/%lld/break-glass", w.p1), "&reason="), 200);
	{
		char *longer = malloc(520);
		memset(longer, 'x', 510);
		longer[510] = '\0';
		ck_assert_int_eq(it_postf(&d, &r, it_fmt("/patients/%lld/break-glass", w.p1), "&reason=%s", longer), 200);
		free(longer);
	}
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.break_glass WHERE doctor_user_id = %lld", w.d_none), 0);
	/* Not a patient's id: 404 with an audit row. */
	ck_assert_int_eq(it_getf(&d, &r, "/patients/%lld/break-glass", w.unknown), 404);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld "
	                            "AND action = 'record.denied' AND subject_id = %lld", w.d_none, w.unknown), 1);
	/* Patients and other staff cannot ask for it. */
	care_session(&d, w.reception);
	ck_assert_int_eq(it_getf(&d, &r, "/patients/%lld/break-glass", w.p1), 403);
	http_response_free(&r);
}
END_TEST

START_TEST(test_break_glass_grants_notifies_and_expires)
{
	struct care_world w;
	struct it_jar d, p, a;
	struct http_response r = { 0 };
	long long grant, minutes;
	char *enc = it_urlencode(REASON);

	care_world_make(&w);
	care_session(&d, w.d_none);
	ck_assert_int_eq(it_postf(&d, &r, it_fmt("/patients/%lld/break-glass", w.p1), "&reason=%s", enc), 303);
	it_assert_redirect(&r, it_fmt("/patients/%lld/record", w.p1), "lands on the record");
	grant = it_sql_int("SELECT id FROM ehr.break_glass WHERE doctor_user_id = %lld AND patient_id = %lld",
	                   w.d_none, w.p1);
	ck_assert_int_gt(grant, 0);
	/* break_glass_minutes from now (care.stack sets 5). */
	minutes = it_sql_int("SELECT round(extract(epoch FROM expires_at - started_at) / 60) FROM ehr.break_glass "
	                     "WHERE id = %lld", grant);
	ck_assert_int_eq(minutes, atoi(it_env("MEDSYS_BREAK_GLASS_MINUTES")));
	/* The audit row names the grant, never the reason. */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld AND subject_id = %lld "
	                            "AND action = 'record.break_glass' AND object = 'grant:%lld minutes=%lld'",
	                            w.d_none, w.p1, grant, minutes), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE object LIKE '%%Marcador-BG%%'"), 0);
	/* The patient is told: an in-app notice and an e-mail. */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'notice.create' "
	                            "AND payload->>'user_id' = '%lld' AND payload->>'kind' = 'break_glass'", w.p1), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'break_glass.notify' "
	                            "AND payload = jsonb_build_object('grant_id', %lld)", grant), 1);
	/* Delivered when the notifier runs: the mail (never with the reason)
	 * and the notice. */
	if (it_notifier_running()) {
		int found = 0;
		bg_until = it_when_es(it_fmt("SELECT expires_at FROM ehr.break_glass WHERE id = %lld", grant), 1);
		for (int i = 0; i < 200 && !found; i++) {
			found = it_maildir_scan(is_break_glass_mail, w.p1_email);
			if (!found)
				it_sleep_ms(100);
		}
		ck_assert_msg(found, "the break-glass mail reached the patient");
		ck_assert_int_eq(it_sql_wait("1", 20, "SELECT count(*) FROM outbox.notices WHERE user_id = %lld "
		                             "AND kind = 'break_glass'", w.p1), 0);
	}
	/* Access now rests on the grant, and the read says so. */
	ck_assert_int_eq(it_getf(&d, &r, "/patients/%lld/access", w.p1), 200);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld AND subject_id = %lld "
	                            "AND action = 'record.access_log' AND object = 'access_log basis=break_glass:%lld'",
	                            w.d_none, w.p1, grant), 1);
	/* The patient sees who, and why. */
	care_session(&p, w.p1);
	ck_assert_int_eq(it_get(&p, &r, "/record/access"), 200);
	it_assert_has(&r, "Care doctor cdnone", "who viewed: the doctor");
	it_assert_has(&r, "Marcador-BG", "who viewed: the reason");
	it_assert_has(&r, "abrió un acceso de urgencia", "who viewed: the grant itself, readable");
	it_assert_has(&r, it_when_es(it_fmt("SELECT expires_at FROM ehr.break_glass WHERE id = %lld", grant), 1),
	              "the grant's end in words");
	it_assert_lacks(&r, "record.", "no raw action codes");
	/* The administrators' report. */
	care_session(&a, w.admin);
	ck_assert_int_eq(it_get(&a, &r, "/admin/break-glass"), 200);
	it_assert_has(&r, "Care doctor cdnone", "report: who");
	it_assert_has(&r, "Care patient cp1", "report: whose record");
	it_assert_has(&r, "Marcador-BG", "report: the reason");
	it_assert_has(&r, it_when_es(it_fmt("SELECT started_at FROM ehr.break_glass WHERE id = %lld", grant), 1),
	              "report: when, in words (issue 15)");
	ck_assert_int_eq(it_get(&d, &r, "/admin/break-glass"), 403);
	/* The grant expires (moved into the past as the migration role: the
	 * table refuses every change, so its trigger is set aside for it). */
	it_sql("BEGIN; ALTER TABLE ehr.break_glass DISABLE TRIGGER break_glass_frozen; "
	       "UPDATE ehr.break_glass SET started_at = started_at - interval '6 minutes', "
	       "expires_at = expires_at - interval '6 minutes' WHERE id = %lld; "
	       "ALTER TABLE ehr.break_glass ENABLE TRIGGER break_glass_frozen; COMMIT", grant);
	ck_assert_int_eq(it_getf(&d, &r, "/patients/%lld/access", w.p1), 403);
	http_response_free(&r);
	free(enc);
}
END_TEST

/* The notifier's side of break_glass.notify: a grant that does not exist
 * is dead at once; a disabled patient gets no mail (done, skipped). */
START_TEST(test_break_glass_mail_edge_cases)
{
	struct care_world w;
	long long grant, bad, off;

	if (!it_notifier_running())
		return;   /* the notifier is built separately */
	care_world_make(&w);
	grant = it_sql_int("SELECT id FROM ehr.break_glass WHERE doctor_user_id = %lld", w.d_bg);
	bad = it_sql_int("INSERT INTO outbox.events (type, payload) VALUES ('break_glass.notify', "
	                 "'{\"grant_id\": \"x1\"}') RETURNING id");
	it_sql("UPDATE auth.users SET disabled_at = now() WHERE id = %lld", w.p1);
	off = it_sql_int("INSERT INTO outbox.events (type, payload) VALUES ('break_glass.notify', "
	                 "jsonb_build_object('grant_id', %lld)) RETURNING id", grant);
	ck_assert_int_eq(it_sql_wait("dead|no such grant", 20, "SELECT status || '|' || last_error "
	                             "FROM outbox.events WHERE id = %lld", bad), 0);
	ck_assert_int_eq(it_sql_wait("done|skipped: the patient's account is disabled", 20,
	                             "SELECT status || '|' || last_error FROM outbox.events WHERE id = %lld",
	                             off), 0);
}
END_TEST

/* The report pages by 50, newest first. */
START_TEST(test_break_glass_report_pages)
{
	struct care_world w;
	struct it_jar a;
	struct http_response r = { 0 };
	char next[64];
	const char *n, *newest, *oldest;

	care_world_make(&w);
	it_sql("INSERT INTO ehr.break_glass (doctor_user_id, patient_id, reason, expires_at) "
	       "SELECT %lld, %lld, 'Informe paginado ' || g || ' Marcador-P', now() + interval '1 hour' "
	       "FROM generate_series(1, 55) g", w.d_none, w.p2);
	care_session(&a, w.admin);
	ck_assert_int_eq(it_get(&a, &r, "/admin/break-glass"), 200);
	newest = strstr(r.body, "Informe paginado 55 ");
	oldest = strstr(r.body, "Informe paginado 54 ");
	ck_assert_msg(newest && oldest && newest < oldest, "newest first");
	n = strstr(r.body, "/admin/break-glass?before=");
	ck_assert_msg(n != NULL, "a link to older grants");
	snprintf(next, sizeof(next), "%.*s", (int)strcspn(n, "\""), n);
	ck_assert_int_eq(it_get(&a, &r, next), 200);
	it_assert_has(&r, "Informe paginado 1 ", "the oldest on the next page");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld "
	                            "AND action = 'admin.break_glass_report'", w.admin), 2);
	http_response_free(&r);
}
END_TEST

/* ------------------------------------------------------- assignments */

START_TEST(test_assignments_by_reception_and_admin)
{
	struct care_world w;
	struct it_jar d, s;
	struct http_response r = { 0 };
	long long asg;

	care_world_make(&w);
	care_session(&d, w.d_none);
	ck_assert_int_eq(it_getf(&d, &r, "/patients/%lld/access", w.p2), 403);
	care_session(&s, w.reception);
	ck_assert_int_eq(it_getf(&s, &r, "/patients/%lld/assignments", w.p2), 200);
	it_assert_has(&r, "Care patient cp2", "assignments: the patient");
	ck_assert_int_eq(it_postf(&s, &r, it_fmt("/patients/%lld/assignments", w.p2), "&doctor=%lld", w.doc_none), 303);
	it_assert_redirect(&r, it_fmt("/patients/%lld/assignments?msg=assigned", w.p2), "assigned");
	asg = it_sql_int("SELECT id FROM ehr.assignments WHERE patient_id = %lld AND ended_at IS NULL", w.p2);
	ck_assert_int_gt(asg, 0);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld AND subject_id = %lld "
	                            "AND action = 'record.assignment_added'", w.reception, w.p2), 1);
	/* The assigned doctor now has access. */
	ck_assert_int_eq(it_getf(&d, &r, "/patients/%lld/access", w.p2), 200);
	/* Twice: said, not a second row. */
	ck_assert_int_eq(it_postf(&s, &r, it_fmt("/patients/%lld/assignments", w.p2), "&doctor=%lld", w.doc_none), 303);
	it_assert_redirect(&r, it_fmt("/patients/%lld/assignments?msg=already_assigned", w.p2), "twice");
	/* An administrator ends it (and sees no clinical page). */
	care_session(&s, w.admin);
	ck_assert_int_eq(it_getf(&s, &r, "/patients/%lld/assignments", w.p2), 200);
	it_assert_has(&r, "Care doctor cdnone", "the assignment is listed");
	it_assert_has(&r, it_when_es(it_fmt("SELECT assigned_at FROM ehr.assignments WHERE id = %lld", asg), 1),
	              "since when, in words (issue 15)");
	ck_assert_int_eq(it_getf(&s, &r, "/patients/%lld/access", w.p2), 403);
	ck_assert_int_eq(it_postf(&s, &r, it_fmt("/patients/%lld/assignments/%lld/end", w.p2, asg), "%s", ""), 303);
	ck_assert_int_eq(it_postf(&s, &r, it_fmt("/patients/%lld/assignments/%lld/end", w.p2, asg), "%s", ""), 404);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld AND subject_id = %lld "
	                            "AND action = 'record.assignment_ended'", w.admin, w.p2), 1);
	ck_assert_int_eq(it_getf(&d, &r, "/patients/%lld/access", w.p2), 403);
	/* A bad doctor id: the form says so. */
	ck_assert_int_eq(it_postf(&s, &r, it_fmt("/patients/%lld/assignments", w.p2), "&doctor=999999999"), 200);
	it_assert_has(&r, "Elija un médico en activo", "no such doctor");
	/* Other staff: refused. */
	care_session(&s, w.pharmacist);
	ck_assert_int_eq(it_getf(&s, &r, "/patients/%lld/assignments", w.p2), 403);
	http_response_free(&r);
}
END_TEST

/* ---------------------------------------------------- who viewed */

START_TEST(test_who_viewed_lists_others_with_refusals)
{
	struct care_world w;
	struct it_jar d, p;
	struct http_response r = { 0 };

	care_world_make(&w);
	care_session(&d, w.d_appt);
	ck_assert_int_eq(it_getf(&d, &r, "/patients/%lld/corrections", w.p1), 200);
	care_session(&d, w.d_none);
	ck_assert_int_eq(it_getf(&d, &r, "/patients/%lld/corrections", w.p1), 403);
	care_session(&p, w.p1);
	ck_assert_int_eq(it_get(&p, &r, "/record/access"), 200);
	it_assert_has(&r, "Care doctor cdappt", "the doctor with an appointment");
	it_assert_has(&r, "las solicitudes de corrección", "what was looked at, readable");
	it_assert_has(&r, "Care doctor cdnone", "the refused doctor");
	it_assert_has(&r, "acceso denegado", "the refusal is marked");
	it_assert_has(&r, "médico", "the role");
	/* The patient's own visits are left out (the page itself was read). */
	ck_assert_int_eq(it_get(&p, &r, "/record/access"), 200);
	it_assert_lacks(&r, "(paciente)", "own reads not listed");
	/* Another patient's list is their own: nothing of p1's. */
	care_session(&p, w.p2);
	ck_assert_int_eq(it_get(&p, &r, "/record/access"), 200);
	it_assert_lacks(&r, "Care doctor cdappt", "p2 sees none of p1's");
	http_response_free(&r);
}
END_TEST

START_TEST(test_who_viewed_pages)
{
	struct care_world w;
	struct it_jar p;
	struct http_response r = { 0 };
	char next[64];
	const char *n;

	care_world_make(&w);
	/* 55 reads by the doctor: two pages, newest first. */
	for (int i = 0; i < 55; i++)
		it_sql("SELECT audit.append(%lld, %lld, 'record.summary', 'summary basis=appointment', '', 'seed%02d')",
		       w.d_appt, w.p1, i);
	care_session(&p, w.p1);
	ck_assert_int_eq(it_get(&p, &r, "/record/access"), 200);
	n = strstr(r.body, "/record/access?before=");
	ck_assert_msg(n != NULL, "a link to older entries");
	snprintf(next, sizeof(next), "%.*s", (int)strcspn(n, "\""), n);
	ck_assert_int_eq(it_get(&p, &r, next), 200);
	it_assert_has(&r, "el resumen de la historia", "older page");
	it_assert_lacks(&r, "?before=", "the last page");
	ck_assert_int_eq(it_get(&p, &r, "/record/access?before=x"), 400);
	http_response_free(&r);
}
END_TEST

/* ------------------------------------------------------- corrections */

START_TEST(test_corrections_requested_and_answered)
{
	struct care_world w;
	struct it_jar d, p;
	struct http_response r = { 0 };
	long long id;

	care_world_make(&w);
	care_session(&p, w.p1);
	ck_assert_int_eq(it_get(&p, &r, "/record/corrections"), 200);
	ck_assert_int_eq(it_postf(&p, &r, "/record/corrections", "&about=&body=Texto+M2"), 200);
	it_assert_has(&r, ">Texto M2</textarea>", "what was typed is kept");
	ck_assert_int_eq(it_postf(&p, &r, "/record/corrections", "&about=Alergia+M3&body=No+soy+al%%C3%%A9rgica+M4"), 303);
	id = it_sql_int("SELECT id FROM ehr.corrections WHERE patient_id = %lld", w.p1);
	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld "
	                            "AND action = 'record.correction_requested' AND object = 'correction:%lld'",
	                            w.p1, id), 1);
	/* A doctor with a relationship sees it and must give a reason to refuse. */
	care_session(&d, w.d_appt);
	ck_assert_int_eq(it_getf(&d, &r, "/patients/%lld/corrections", w.p1), 200);
	it_assert_has(&r, "Alergia M3", "the request is listed");
	it_assert_has(&r, it_when_es(it_fmt("SELECT requested_at FROM ehr.corrections WHERE id = %lld", id), 1),
	              "asked when, in words (issue 15)");
	ck_assert_int_eq(it_postf(&d, &r, it_fmt("/patients/%lld/corrections/%lld/answer", w.p1, id),
	                          "&decision=refused&answer="), 200);
	it_assert_has(&r, "Indique el motivo del rechazo", "reason required");
	ck_assert_int_eq(it_postf(&d, &r, it_fmt("/patients/%lld/corrections/%lld/answer", w.p1, id),
	                          "&decision=refused&answer=Consta+en+el+informe+M5"), 303);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld AND subject_id = %lld "
	                            "AND action = 'record.correction_answered' "
	                            "AND object = 'correction:%lld refused basis=appointment'", w.d_appt, w.p1, id), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'notice.create' "
	                            "AND payload->>'user_id' = '%lld' AND payload->>'kind' = 'correction_answered'",
	                            w.p1), 1);
	/* Answered once. */
	ck_assert_int_eq(it_postf(&d, &r, it_fmt("/patients/%lld/corrections/%lld/answer", w.p1, id),
	                          "&decision=accepted&answer="), 303);
	it_assert_redirect(&r, it_fmt("/patients/%lld/corrections?msg=already_answered", w.p1), "once");
	/* Another patient's request id under this patient: 404. */
	ck_assert_int_eq(it_postf(&d, &r, it_fmt("/patients/%lld/corrections/%lld/answer", w.p1, id + 100000),
	                          "&decision=accepted&answer="), 404);
	/* The patient reads the answer. */
	ck_assert_int_eq(it_get(&p, &r, "/record/corrections"), 200);
	it_assert_has(&r, "Rechazada", "the status");
	it_assert_has(&r, "Consta en el informe M5", "the reason");
	/* Without a relationship: refused. */
	care_session(&d, w.d_none);
	ck_assert_int_eq(it_postf(&d, &r, it_fmt("/patients/%lld/corrections/%lld/answer", w.p1, id),
	                          "&decision=accepted&answer="), 403);
	http_response_free(&r);
}
END_TEST

int
main(void)
{
	return it_run_suites(it_suite("care", 120, test_break_glass_needs_a_reason,
	                              test_break_glass_grants_notifies_and_expires, test_break_glass_mail_edge_cases,
	                              test_break_glass_report_pages,
	                              test_assignments_by_reception_and_admin,
	                              test_who_viewed_lists_others_with_refusals, test_who_viewed_pages,
	                              test_corrections_requested_and_answered, NULL),
	                     NULL);
}
