/* test_chat: messaging against a real stack (tests/integration/chat.stack,
 * docs/chat.md): who may start, read and post (foreign ids 404 with an
 * audit row, a doctor without a care relationship refused), every read
 * audited and shown to the patient, unread counts and "seen" across two
 * sessions, safe text, out-of-office and closing, the batched e-mail
 * (three messages -> one mail without content; read in time -> none),
 * the poll (304 while unchanged without a session write, 200 with only
 * the new messages, 404 for a foreign thread), and the poll file nginx
 * answers itself (304, 200 after a change, the link bound to its session
 * and its expiry). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "care_test.h"
#include "http_client.h"
#include "core/file.h"
#include "core/pollwatch.h"
#include "lib/pollsig.h"

/* Strings made for one call are kept until the test ends (it_kept_free). */
#define T it_keep

/* The clinic.doctors id of a doctor's account. */
static long long
doctor_row(long long user)
{
	return it_sql_int("SELECT id FROM clinic.doctors WHERE user_id = %lld", user);
}

/* Start a thread as j (to: "desk", a doctor row or a patient id); its id. */
static long long
start(struct it_jar *j, const char *to, const char *subject, const char *body)
{
	struct http_response r = { 0 };
	const char *loc;
	long long id;

	ck_assert_int_eq(it_postf(j, &r, "/messages/new", "&to=%s&subject=%s&body=%s", to,
	                          T(it_urlencode(subject)), T(it_urlencode(body))), 303);
	loc = http_header(&r, "Location");
	ck_assert_msg(loc && strncmp(loc, "/messages/", 10) == 0, "redirect to the thread");
	id = atoll(loc + 10);
	http_response_free(&r);
	return id;
}

static void
reply(struct it_jar *j, long long thread, const char *body)
{
	struct http_response r = { 0 };

	ck_assert_int_eq(it_postf(j, &r, T(it_fmt("/messages/%lld", thread)), "&body=%s", T(it_urlencode(body))), 303);
	http_response_free(&r);
}

/* The poll as j, with If-None-Match etag (NULL: none). */
static long
poll(struct it_jar *j, long long thread, const char *after, const char *etag, struct http_response *r)
{
	return it_get_inm(j, r, T(it_fmt("/messages/%lld/poll?after=%s", thread, after)), etag);
}

/* A care world with the first patient's and one doctor's sessions. */
struct pair {
	struct care_world w;
	struct it_jar p, d;
};

static void
pair_make(struct pair *x, int assigned)
{
	care_world_make(&x->w);
	care_session(&x->p, x->w.p1);
	care_session(&x->d, assigned ? x->w.d_asg : x->w.d_appt);
}

START_TEST(test_who_may_read_and_post)
{
	struct care_world w;
	struct it_jar p, o, d, n;
	struct http_response r = { 0 };
	long long t, bad, denied;

	care_world_make(&w);
	care_session(&p, w.p1);
	care_session(&o, w.p2);
	care_session(&d, w.d_appt);
	care_session(&n, w.d_none);
	/* The patient may write to their doctor and the desk, not to others. */
	ck_assert_int_eq(it_get(&p, &r, "/messages/new"), 200);
	it_assert_has(&r, "Care doctor cdappt", "a doctor with an appointment is offered");
	it_assert_has(&r, "Care doctor cdasg", "an assigned doctor is offered");
	it_assert_lacks(&r, "Care doctor cdnone", "a doctor without a relationship is not");
	ck_assert_int_eq(it_postf(&p, &r, "/messages/new", "&to=%lld&subject=Hola&body=Texto-Prohibido",
	                          w.doc_none), 200);
	it_assert_has(&r, "No puede escribir a esta persona", "refused with a reason");
	it_assert_has(&r, "Texto-Prohibido", "the text typed is kept");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM chat.threads WHERE patient_id = %lld", w.p1), 0);
	t = start(&p, T(it_fmt("%lld", doctor_row(w.d_appt))), "Dolor de cabeza", "Desde ayer, Marcador-T1");
	/* Both sides read it. */
	ck_assert_int_eq(it_getf(&p, &r, "/messages/%lld", t), 200);
	it_assert_has(&r, "Marcador-T1", "the patient reads the thread");
	ck_assert_int_eq(it_getf(&d, &r, "/messages/%lld", t), 200);
	it_assert_has(&r, "Marcador-T1", "the doctor reads the thread");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld AND subject_id = %lld "
	                            "AND action = 'record.chat_thread' AND object LIKE 'chat_thread:%lld basis=appointment'",
	                            w.d_appt, w.p1, t), 1);
	/* The patient's "who viewed my record" shows the doctor's read. */
	ck_assert_int_eq(it_get(&p, &r, "/record/access"), 200);
	it_assert_has(&r, "una conversación de mensajes", "who viewed lists the thread read");
	/* Another patient, a doctor who is not in the thread: 404 and an audit row. */
	denied = it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.denied' AND subject_id = %lld", w.p1);
	ck_assert_int_eq(it_getf(&o, &r, "/messages/%lld", t), 404);
	it_assert_lacks(&r, "Marcador-T1", "nothing of the thread");
	ck_assert_int_eq(it_postf(&o, &r, T(it_fmt("/messages/%lld", t)), "&body=Intruso"), 404);
	ck_assert_int_eq(it_getf(&n, &r, "/messages/%lld", t), 404);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.denied' "
	                            "AND subject_id = %lld", w.p1), denied + 3);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM chat.messages WHERE thread_id = %lld", t), 1);
	/* An id that is no thread: 404 too, audited. */
	bad = t + 1000000;
	ck_assert_int_eq(it_getf(&o, &r, "/messages/%lld", bad), 404);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld "
	                            "AND action = 'record.denied' AND subject_id IS NULL", w.p2), 1);
	/* A doctor without a care relationship can neither start nor read
	 * a thread that names them (the relationship ended). */
	ck_assert_int_eq(it_postf(&n, &r, "/messages/new", "&to=%lld&subject=Hola&body=Texto", w.p1), 403);
	bad = it_sql_int("INSERT INTO chat.threads (patient_id, doctor_id, subject, started_by) "
	                 "VALUES (%lld, %lld, 'Antigua', %lld) RETURNING id", w.p1, w.doc_none, w.p1);
	ck_assert_int_eq(it_getf(&n, &r, "/messages/%lld", bad), 403);
	ck_assert_int_eq(it_postf(&n, &r, T(it_fmt("/messages/%lld", bad)), "&body=Hola"), 403);
	/* A doctor starts a thread with their own patient. */
	t = start(&d, T(it_fmt("%lld", w.p1)), "Resultados", "Ya tengo sus resultados");
	ck_assert_int_eq(it_getf(&p, &r, "/messages/%lld", t), 200);
	it_assert_has(&r, "Ya tengo sus resultados", "the patient reads the doctor's thread");
	/* The front desk: reception answers, the patient reads. */
	{
		struct it_jar rec;
		t = start(&p, "desk", "Cambiar cita", "Necesito cambiar la cita");
		care_session(&rec, w.reception);
		ck_assert_int_eq(it_getf(&rec, &r, "/messages/%lld", t), 200);
		reply(&rec, t, "Hecho, Marcador-Desk");
		ck_assert_int_eq(it_getf(&p, &r, "/messages/%lld", t), 200);
		it_assert_has(&r, "Marcador-Desk", "the desk's answer");
	}
	http_response_free(&r);
	it_kept_free();
}
END_TEST

START_TEST(test_unread_seen_and_safe_text)
{
	struct pair x;
	struct http_response r = { 0 };
	long long t;

	pair_make(&x, 1);
	t = start(&x.p, T(it_fmt("%lld", doctor_row(x.w.d_asg))), "Pregunta",
	          "<script>alert(1)</script> mire https://example.org/x?a=1&b=<b>");
	reply(&x.p, t, "Y otra cosa");
	/* The doctor's header counts two unread on every page. */
	ck_assert_int_eq(it_get(&x.d, &r, "/notices"), 200);
	it_assert_has(&r, "Mensajes <span class=\"badge\">2 ", "two unread in the header");
	ck_assert_int_eq(it_get(&x.d, &r, "/messages"), 200);
	it_assert_has(&r, "Pregunta", "the thread is listed");
	/* The patient's own messages are not unread for them; not seen yet. */
	ck_assert_int_eq(it_getf(&x.p, &r, "/messages/%lld", t), 200);
	it_assert_lacks(&r, "<span class=\"badge\">", "nothing unread for the author");
	it_assert_lacks(&r, "class=\"seen\"", "not seen yet (no mark)");
	/* The doctor reads: the count goes, the text is text. */
	ck_assert_int_eq(it_getf(&x.d, &r, "/messages/%lld", t), 200);
	it_assert_lacks(&r, "<script>alert(1)</script>", "no live HTML");
	it_assert_has(&r, "&lt;script&gt;alert(1)&lt;/script&gt;", "the text shown escaped");
	it_assert_has(&r, "<a href=\"https://example.org/x?a=1&amp;b=\" rel=\"noopener nofollow noreferrer\">"
	              "https://example.org/x?a=1&amp;b=</a>&lt;b&gt;", "the address as a safe link, the rest as text");
	ck_assert_int_eq(it_get(&x.d, &r, "/notices"), 200);
	it_assert_lacks(&r, "Mensajes <span class=\"badge\">", "nothing unread after reading");
	/* The patient sees "seen" on their messages. */
	ck_assert_int_eq(it_getf(&x.p, &r, "/messages/%lld", t), 200);
	it_assert_has(&r, "class=\"seen\">Visto<", "seen by the doctor");
	/* The doctor answers: now the patient has one unread. */
	reply(&x.d, t, "Respuesta del médico");
	ck_assert_int_eq(it_get(&x.p, &r, "/notices"), 200);
	it_assert_has(&r, "Mensajes <span class=\"badge\">1 ", "one unread for the patient");
	/* The in-app notice arrives (through the notifier). */
	ck_assert_int_eq(it_sql_wait("1", 20, "SELECT count(*) FROM outbox.notices WHERE user_id = %lld "
	                             "AND kind = 'chat_message' AND link = '/messages/%lld'", x.w.p1, t), 0);
	/* Reading the thread settles its notices, in the header at once. */
	{
		long long before = it_sql_int("SELECT count(*) FROM outbox.notices WHERE user_id = %lld "
		                              "AND read_at IS NULL", x.w.p1);
		ck_assert_int_eq(it_getf(&x.p, &r, "/messages/%lld", t), 200);
		ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.notices WHERE user_id = %lld "
		                            "AND kind = 'chat_message' AND read_at IS NULL", x.w.p1), 0);
		ck_assert_int_eq(before, 1);
		it_assert_lacks(&r, "Avisos <span class=\"badge\">", "no unread notice left in the header");
	}
	/* Too long: refused, the text kept. */
	{
		char *longer = malloc(4102);
		memset(longer, 'x', 4001);
		longer[4001] = '\0';
		ck_assert_int_eq(it_postf(&x.p, &r, T(it_fmt("/messages/%lld", t)), "&body=%s", longer), 200);
		it_assert_has(&r, "aria-invalid=\"true\"", "the field is marked");
		it_assert_has(&r, longer, "the text typed is kept");
		free(longer);
	}
	http_response_free(&r);
	it_kept_free();
}
END_TEST

START_TEST(test_away_needs_reply_and_close)
{
	struct pair x;
	struct http_response r = { 0 };
	long long t;

	pair_make(&x, 1);
	ck_assert_int_eq(it_postf(&x.d, &r, "/messages/away", "&message=%s&until=",
	                          T(it_urlencode("De vacaciones, Marcador-Away"))), 303);
	t = start(&x.p, T(it_fmt("%lld", doctor_row(x.w.d_asg))), "Consulta", "Hola");
	reply(&x.p, t, "Otra vez");
	ck_assert_int_eq(it_getf(&x.p, &r, "/messages/%lld", t), 200);
	it_assert_has(&r, "Marcador-Away", "the out-of-office answer");
	it_assert_has(&r, "Respuesta automática", "marked as automatic");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM chat.messages WHERE thread_id = %lld AND auto_reply", t), 1);
	/* Removed: no more answers in a new thread. */
	ck_assert_int_eq(it_postf(&x.d, &r, "/messages/away", "&clear=1"), 303);
	t = start(&x.p, T(it_fmt("%lld", doctor_row(x.w.d_asg))), "Consulta 2", "Hola");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM chat.messages WHERE thread_id = %lld AND auto_reply", t), 0);
	/* Needs reply: set by the doctor, cleared by their answer. */
	ck_assert_int_eq(it_postf(&x.d, &r, T(it_fmt("/messages/%lld/needs-reply", t)), "%s", ""), 303);
	ck_assert_int_eq(it_get(&x.d, &r, "/messages"), 200);
	it_assert_has(&r, "Pendiente de respuesta", "listed as needing a reply");
	ck_assert_int_eq(it_postf(&x.p, &r, T(it_fmt("/messages/%lld/needs-reply", t)), "%s", ""), 403);
	reply(&x.d, t, "Contestado");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM chat.threads WHERE id = %lld AND needs_reply", t), 0);
	/* Closed: the patient's reply is refused, the text kept. */
	ck_assert_int_eq(it_postf(&x.d, &r, T(it_fmt("/messages/%lld/close", t)), "%s", ""), 303);
	ck_assert_int_eq(it_postf(&x.p, &r, T(it_fmt("/messages/%lld", t)), "&body=Texto-Cerrado"), 409);
	it_assert_has(&r, "Esta conversación está cerrada", "says why");
	it_assert_has(&r, "Texto-Cerrado", "the text typed is kept");
	http_response_free(&r);
	it_kept_free();
}
END_TEST

START_TEST(test_copy_into_the_visit_note)
{
	struct pair x;
	struct http_response r = { 0 };
	long long t, m, enc;

	pair_make(&x, 0);
	t = start(&x.p, T(it_fmt("%lld", doctor_row(x.w.d_appt))), "Tos", "Tos seca desde hace 3 días, Marcador-Copia");
	m = it_sql_int("SELECT min(id) FROM chat.messages WHERE thread_id = %lld", t);
	/* No unsigned visit note yet: said, nothing written. */
	ck_assert_int_eq(it_postf(&x.d, &r, T(it_fmt("/messages/%lld/copy", t)), "&message=%lld", m), 409);
	it_assert_has(&r, "No hay una nota de visita sin firmar", "says why");
	/* A walk-in visit with a draft: the copy is its next draft version. */
	enc = it_sql_int("INSERT INTO ehr.encounters (patient_id, doctor_id, kind, created_by) "
	                 "VALUES (%lld, %lld, 'walk_in', %lld) RETURNING id", x.w.p1, doctor_row(x.w.d_appt), x.w.d_appt);
	it_sql("INSERT INTO ehr.note_versions (encounter_id, version, subjective, saved_by) "
	       "VALUES (%lld, 1, 'Consulta por tos.', %lld)", enc, x.w.d_appt);
	ck_assert_int_eq(it_postf(&x.d, &r, T(it_fmt("/messages/%lld/copy", t)), "&message=%lld", m), 303);
	it_assert_redirect(&r, T(it_fmt("/patients/%lld/encounters/%lld", x.w.p1, enc)), "to the note");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.note_versions WHERE encounter_id = %lld AND version = 2 "
	                            "AND subjective LIKE 'Consulta por tos.%%Marcador-Copia' "
	                            "AND subjective LIKE '%%/messages/%lld#m%lld%%'", enc, t, m), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld AND subject_id = %lld "
	                            "AND action = 'record.chat_copied'", x.w.d_appt, x.w.p1), 1);
	/* Only the thread's doctor; only a message of the thread. */
	ck_assert_int_eq(it_postf(&x.p, &r, T(it_fmt("/messages/%lld/copy", t)), "&message=%lld", m), 403);
	ck_assert_int_eq(it_postf(&x.d, &r, T(it_fmt("/messages/%lld/copy", t)), "&message=%lld", m + 100000), 404);
	http_response_free(&r);
	it_kept_free();
}
END_TEST

/* it_maildir_scan: 1 for a mail to the address in arg. */
static int
is_mail_to(const char *name, char *text, void *arg)
{
	(void)name;
	return strstr(text, (const char *)arg) != NULL;
}

/* it_maildir_scan: count mails to arg[0] and fail on content arg[1]. */
struct mail_count { const char *to, *secret; int n; };
static int
count_mail_to(const char *name, char *text, void *arg)
{
	struct mail_count *c = arg;

	(void)name;
	it_qp_decode(text);
	if (strstr(text, c->to)) {
		c->n++;
		ck_assert_msg(strstr(text, c->secret) == NULL, "the mail holds no message content");
		ck_assert_msg(strstr(text, "/messages/") != NULL, "the mail links to the thread");
	}
	return 0;
}

/* Make the thread's pending mail event for user due now and wait until
 * the notifier settled it. */
static void
mail_due_now(long long thread, long long user)
{
	long long ev = it_sql_int("UPDATE outbox.events SET due_at = now() WHERE type = 'chat.mail' "
	                          "AND status = 'pending' AND payload->>'thread' = '%lld' "
	                          "AND payload->>'user' = '%lld' RETURNING id", thread, user);
	ck_assert_int_gt(ev, 0);
	it_sql("SELECT pg_notify('medsys_events', '%lld')", ev);
	ck_assert_int_eq(it_sql_wait("done", 40, "SELECT status FROM outbox.events WHERE id = %lld", ev), 0);
}

START_TEST(test_mail_batched_without_content)
{
	struct care_world w;
	struct it_jar p, d;
	struct http_response r = { 0 };
	struct mail_count c = { 0 };
	char email[200];
	long long t;

	care_world_make(&w);
	care_session(&p, w.p1);
	care_session(&d, w.d_asg);
	it_sql_str(email, sizeof(email), "SELECT email FROM auth.users WHERE id = %lld", w.d_asg);
	/* Three messages within a minute: one pending mail, due in 15 min. */
	t = start(&p, T(it_fmt("%lld", doctor_row(w.d_asg))), "Asunto-Secreto", "Contenido-Secreto 1");
	reply(&p, t, "Contenido-Secreto 2");
	reply(&p, t, "Contenido-Secreto 3");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'chat.mail' "
	                            "AND payload->>'thread' = '%lld'", t), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'chat.mail' "
	                            "AND payload->>'thread' = '%lld' AND due_at BETWEEN now() + interval '14 minutes' "
	                            "AND now() + interval '15 minutes'", t), 1);
	/* The window passes unread: one mail, without content. */
	mail_due_now(t, w.d_asg);
	for (int i = 0; i < 100 && !it_maildir_scan(is_mail_to, email); i++)
		it_sleep_ms(100);
	c.to = email;
	c.secret = "Secreto";
	it_maildir_scan(count_mail_to, &c);
	ck_assert_int_eq(c.n, 1);
	/* Another message later: a new window. Read in time: no mail. */
	reply(&p, t, "Contenido-Secreto 4");
	ck_assert_int_eq(it_getf(&d, &r, "/messages/%lld", t), 200);
	mail_due_now(t, w.d_asg);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'chat.mail' "
	                            "AND payload->>'thread' = '%lld' AND last_error LIKE 'skipped: read%%'", t), 1);
	it_sleep_ms(500);
	c.n = 0;
	it_maildir_scan(count_mail_to, &c);
	ck_assert_int_eq(c.n, 1);
	http_response_free(&r);
	it_kept_free();
}
END_TEST

START_TEST(test_poll)
{
	struct care_world w;
	struct it_jar p, d, o;
	struct http_response r = { 0 };
	char etag[64], seen[40];
	long long t, audits;
	const char *e;

	care_world_make(&w);
	care_session(&p, w.p1);
	care_session(&d, w.d_asg);
	care_session(&o, w.p2);
	t = start(&p, T(it_fmt("%lld", doctor_row(w.d_asg))), "Sondeo", "Primero-Marcador");
	/* No ETag yet: 200 with the messages after the one given. */
	ck_assert_int_eq(poll(&p, t, "0", NULL, &r), 200);
	ck_assert_str_eq(http_header(&r, "Content-Type"), "application/json");
	it_assert_has(&r, "Primero-Marcador", "the first message");
	e = http_header(&r, "ETag");
	ck_assert_ptr_nonnull(e);
	snprintf(etag, sizeof(etag), "%s", e);
	/* Unchanged: 304, no body, no audit row, no session write. */
	it_sql("UPDATE auth.sessions SET last_seen_at = now() - interval '1 minute' WHERE user_id = %lld", w.p1);
	it_sql_str(seen, sizeof(seen), "SELECT last_seen_at FROM auth.sessions WHERE user_id = %lld", w.p1);
	audits = it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld", w.p1);
	for (int i = 0; i < 12; i++) {
		ck_assert_int_eq(poll(&p, t, "1", etag, &r), 304);
		ck_assert_int_eq((long)r.body_len, 0);
		ck_assert_str_eq(http_header(&r, "ETag"), etag);
	}
	/* A worker that answered it already says 304 from memory, before
	 * the session lookup (logged as route=pollcache). */
	{
		char *line = http_log_wait_line("route=pollcache status=304", 3000);
		ck_assert_msg(line != NULL, "a repeated poll is answered from the worker's memory");
		free(line);
	}
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld", w.p1), audits);
	{
		char now[40];
		it_sql_str(now, sizeof(now), "SELECT last_seen_at FROM auth.sessions WHERE user_id = %lld", w.p1);
		ck_assert_str_eq(now, seen);
	}
	/* A page view does move it (the poll is the exception). */
	ck_assert_int_eq(it_get(&p, &r, "/messages"), 200);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.sessions WHERE user_id = %lld "
	                            "AND last_seen_at > now() - interval '10 seconds'", w.p1), 1);
	/* The doctor answers: 200 with only the new message. */
	reply(&d, t, "Segundo-Marcador");
	ck_assert_int_eq(poll(&p, t, T(it_fmt("%lld", it_sql_int("SELECT min(id) FROM chat.messages WHERE thread_id = %lld", t))),
	                      etag, &r), 200);
	it_assert_has(&r, "Segundo-Marcador", "the new message");
	it_assert_lacks(&r, "Primero-Marcador", "only the new ones");
	ck_assert_str_ne(http_header(&r, "ETag"), etag);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld "
	                            "AND action = 'record.chat_thread'", w.p1), 2);
	/* Signed out elsewhere: a worker may still say "unchanged" (only
	 * that) for POLLCACHE_TTL (5 s), never after. */
	e = http_header(&r, "ETag");
	ck_assert_ptr_nonnull(e);
	snprintf(etag, sizeof(etag), "%s", e);
	ck_assert_int_eq(poll(&p, t, "1", etag, &r), 304);
	it_sql("UPDATE auth.sessions SET revoked_at = now() WHERE user_id = %lld", w.p1);
	it_sleep_ms(5200);
	for (int i = 0; i < 8; i++) {
		ck_assert_int_ne(poll(&p, t, "1", etag, &r), 304);
		it_assert_lacks(&r, "Marcador", "nothing for a revoked session");
	}
	/* A foreign thread: 404, audited; signed out: no content. */
	ck_assert_int_eq(poll(&o, t, "0", NULL, &r), 404);
	it_assert_lacks(&r, "Marcador", "nothing of the thread");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld "
	                            "AND action = 'record.denied'", w.p2), 1);
	memset(&o, 0, sizeof(o));
	ck_assert_int_ne(poll(&o, t, "0", NULL, &r), 200);
	it_assert_lacks(&r, "Marcador", "nothing for an anonymous visitor");
	http_response_free(&r);
	it_kept_free();
}
END_TEST

/* "Seen" without reload: the recipient's read moves the thread's
 * version, so the sender's poll answers 200 with the read state once,
 * then 304 again; the reader's page hands out the version after its own
 * read (its first poll is a 304, not a 200 about itself). */
START_TEST(test_poll_seen)
{
	struct pair x;
	struct http_response r = { 0 };
	char etag[64];
	long long t, m;

	pair_make(&x, 1);
	t = start(&x.p, T(it_fmt("%lld", doctor_row(x.w.d_asg))), "Leido", "Hola-Visto");
	m = it_sql_int("SELECT max(id) FROM chat.messages WHERE thread_id = %lld", t);
	ck_assert_int_eq(poll(&x.p, t, "0", NULL, &r), 200);
	it_assert_has(&r, "\"seen_upto\":0,", "nothing read by the doctor yet");
	snprintf(etag, sizeof(etag), "%s", http_header(&r, "ETag"));
	ck_assert_int_eq(poll(&x.p, t, T(it_fmt("%lld", m)), etag, &r), 304);

	ck_assert_int_eq(it_getf(&x.d, &r, "/messages/%lld", t), 200);
	it_assert_has(&r, T(it_fmt("data-version=\"%lld\"", it_sql_int("SELECT version FROM chat.threads WHERE id = %lld", t))),
	              "the version after the doctor's own read");
	ck_assert_int_eq(poll(&x.d, t, T(it_fmt("%lld", m)),
	                      T(it_fmt("\"v%lld\"", it_sql_int("SELECT version FROM chat.threads WHERE id = %lld", t))), &r), 304);

	ck_assert_int_eq(poll(&x.p, t, T(it_fmt("%lld", m)), etag, &r), 200);
	it_assert_has(&r, T(it_fmt("\"seen_upto\":%lld,", m)), "the doctor's read reaches the patient's page");
	it_assert_lacks(&r, "Hola-Visto", "no message again");
	ck_assert_str_ne(http_header(&r, "ETag"), etag);
	snprintf(etag, sizeof(etag), "%s", http_header(&r, "ETag"));
	ck_assert_int_eq(poll(&x.p, t, T(it_fmt("%lld", m)), etag, &r), 304);
	http_response_free(&r);
	it_kept_free();
}
END_TEST

/* The thread page's data-watch link as j (kept). */
static const char *
page_watch(struct it_jar *j, long long thread)
{
	const char *url = it_page_watch(j, T(it_fmt("/messages/%lld", thread)));

	ck_assert_msg(strncmp(url, T(it_fmt("/poll/chat/%lld?e=", thread)), strlen(T(it_fmt("/poll/chat/%lld?e=", thread)))) == 0 &&
	              strstr(url, "&s=") != NULL, "a signed link to the thread's file: %s", url);
	return url;
}

/* The poll nginx answers (docs/chat.md "Polling"): the thread's file,
 * 304 while unchanged without reaching medsysd (no audit row, no session
 * write), a new ETag after every change even within one second, and
 * only for the session the link was signed for, until it expires. */
START_TEST(test_watch)
{
	struct pair x;
	struct it_jar o;
	struct http_response r = { 0 };
	const char *url, *tag, *prev;
	char key[200], *text, sig[POLLSIG_LEN + 1], seen[40];
	long long t, v, audits;

	pair_make(&x, 1);
	care_session(&o, x.w.p2);
	t = start(&x.p, T(it_fmt("%lld", doctor_row(x.w.d_asg))), "Vigia", "Hola-Vigia");
	url = page_watch(&x.p, t);
	v = it_sql_int("SELECT version FROM chat.threads WHERE id = %lld", t);
	tag = it_watch_until(x.p.session, url, v);
	it_sql("UPDATE auth.sessions SET last_seen_at = now() - interval '1 minute' WHERE user_id = %lld", x.w.p1);
	it_sql_str(seen, sizeof(seen), "SELECT last_seen_at FROM auth.sessions WHERE user_id = %lld", x.w.p1);
	audits = it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld", x.w.p1);
	for (int i = 0; i < 10; i++) {
		ck_assert_int_eq(it_watch_get(x.p.session, url, tag, &r), 304);
		ck_assert_str_eq(http_header(&r, "ETag"), tag);
	}
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld", x.w.p1), audits);
	{
		char now[40];
		it_sql_str(now, sizeof(now), "SELECT last_seen_at FROM auth.sessions WHERE user_id = %lld", x.w.p1);
		ck_assert_str_eq(now, seen);
	}
	/* Two replies within a second: each is a new ETag. */
	for (int i = 0; i < 2; i++) {
		prev = tag;
		reply(&x.d, t, "Otra-Vez");
		v = it_sql_int("SELECT version FROM chat.threads WHERE id = %lld", t);
		tag = it_watch_until(x.p.session, url, v);
		ck_assert_str_ne(tag, prev);
		ck_assert_int_eq(it_watch_get(x.p.session, url, prev, &r), 200);
		ck_assert_int_eq(it_watch_get(x.p.session, url, tag, &r), 304);
	}
	/* Only for the session it was signed for; a changed link is refused. */
	ck_assert_int_eq(it_watch_get(NULL, url, NULL, &r), 403);
	ck_assert_int_eq(it_watch_get(o.session, url, NULL, &r), 403);
	ck_assert_int_eq(it_watch_get(x.p.session, T(it_fmt("/poll/chat/%lld%s", t + 1, strchr(url, '?'))), NULL, &r), 403);
	/* Expired, though rightly signed (with the stack's secret): 410. */
	text = file_read_all(T(it_fmt("%s/poll-key.nginx", it_env("MEDSYS_STACK_DIR"))), 4096, NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(pollwatch_parse_key(text, key, sizeof(key)), 0);
	free(text);
	ck_assert_int_eq(pollsig_sign(sig, 1000000000LL, T(it_fmt("/poll/chat/%lld", t)), x.p.session, key), 0);
	ck_assert_int_eq(it_watch_get(x.p.session, T(it_fmt("/poll/chat/%lld?e=1000000000&s=%s", t, sig)), NULL, &r), 410);
	/* medsysd's poll hands out a fresh link too. */
	ck_assert_int_eq(poll(&x.p, t, "0", NULL, &r), 200);
	it_assert_has(&r, T(it_fmt("\"watch\":\"/poll/chat/%lld?e=", t)), "a fresh link in the poll's answer");
	http_response_free(&r);
	it_kept_free();
}
END_TEST

int
main(void)
{
	return it_run_suites(it_suite("chat", 120, test_who_may_read_and_post, test_unread_seen_and_safe_text,
	                              test_away_needs_reply_and_close, test_mail_batched_without_content,
	                              test_poll, test_poll_seen, test_watch, test_copy_into_the_visit_note, NULL),
	                     NULL);
}
