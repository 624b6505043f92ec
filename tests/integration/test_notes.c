/* test_notes: encounters and signed visit notes against a real stack
 * (tests/integration/notes.stack): the agenda's button opens one
 * encounter per appointment (a second click leads to it), a walk-in; the
 * SOAP draft saved as versions, the ICD-10 search without JavaScript,
 * signing (hash as the SQL definition computes it, "verified" on
 * display), a signed note refused by the page and by the database,
 * addenda, two sessions saving the same draft (409, nothing lost), the
 * patient's pages (signed notes only, 404 for another's), audit rows
 * without note text, the demo seed (idempotent, verified), page sizes. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../check_util.h"
#include "fixtures.h"
#include "http_client.h"

#define TZ "Europe/Madrid"
#define PAGE_MAX 14336

#define HAS(r, s) ck_assert_msg(strstr((r)->body, (s)) != NULL, "page lacks \"%s\": %.800s", (s), (r)->body)
#define LACKS(r, s) ck_assert_msg(strstr((r)->body, (s)) == NULL, "page has \"%s\"", (s))
#define STATUS(r, n) ck_assert_msg((r)->status == (n), "status %ld, expected %d: %.600s", (r)->status, (n), (r)->body)
#define SMALL(r) ck_assert_msg((r)->body_len < PAGE_MAX, "page of %zu bytes", (r)->body_len)

/* ------------------------------------------------------------ fixture */

static long long
patient(const char *email)
{
	return it_user_id(email);
}

/* A completed appointment of doctor1 with the patient, days ago (each
 * caller its own day, so none overlap). */
static long long
past_appt(const char *email, int days_ago, const char *reason)
{
	return it_sql_int("INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode, reason, status) "
	                  "SELECT d.id, u.id, date_trunc('hour', now()) - make_interval(days => %d), "
	                  "date_trunc('hour', now()) - make_interval(days => %d) + interval '20 minutes', "
	                  "'in_person', '%s', 'completed' FROM clinic.doctors d, auth.users u "
	                  "WHERE d.licence_number = 'T-0001' AND u.email = '%s' RETURNING id",
	                  days_ago, days_ago, reason, email);
}

static void
doctor(struct it_jar *j)
{
	it_sign_in(j, D1_EMAIL, D1_PASS, D1_TOTP);
}

/* The encounter id a redirect names (".../encounters/ID[?...]"). */
static long long
redirected_encounter(const struct http_response *r)
{
	const char *loc = http_header(r, "Location"), *p;

	ck_assert_msg(r->status == 303 && loc, "no redirect: %ld %.300s", r->status, r->body);
	p = strstr(loc, "/encounters/");
	ck_assert_msg(p != NULL, "redirect to %s", loc);
	return atoll(p + strlen("/encounters/"));
}

static long long
open_encounter(struct it_jar *j, long long pid, long long appt)
{
	struct http_response r = { 0 };
	char *path = it_fmt("/patients/%lld/encounters/new", pid), *id = it_fmt("%lld", appt);
	long long e;

	it_post(j, &r, path, "csrf", j->form_csrf, "appointment", id, (char *)NULL);
	e = redirected_encounter(&r);
	http_response_free(&r);
	free(path);
	free(id);
	return e;
}

/* POST the draft form: op save / sign / search. */
static long
draft(struct it_jar *j, struct http_response *r, long long pid, long long e, const char *base,
      const char *op, const char *s, const char *o, const char *a, const char *p, const char *dx)
{
	char *path = it_fmt("/patients/%lld/encounters/%lld", pid, e);
	long st = it_post(j, r, path, "csrf", j->form_csrf, "base", base, "subjective", s, "objective", o,
	                  "assessment", a, "dx", dx, "plan", p, "op", op, (char *)NULL);
	free(path);
	return st;
}

/* A note drafted and signed through the pages; its encounter id. */
static long long
signed_note(struct it_jar *j, const char *email, int days_ago, const char *assessment)
{
	struct http_response r = { 0 };
	long long pid = patient(email), e = open_encounter(j, pid, past_appt(email, days_ago, "Revisión"));

	ck_assert_int_eq(draft(j, &r, pid, e, "0", "sign", "Tose\r\ndesde el lunes", "Afebril",
	                       assessment, "Control en 1 semana", "J20.9"), 303);
	http_response_free(&r);
	return e;
}

/* ------------------------------------------------------------ tests */

/* The visit's page (linked from the agenda) has the button that opens
 * the encounter; a second click leads to the same one; the agenda then
 * links to the note. */
START_TEST(test_open_from_agenda)
{
	struct it_jar j;
	struct http_response r = { 0 };
	long long pid = patient(P1_EMAIL), appt = past_appt(P1_EMAIL, 3, "Dolor de garganta"), e, e2;
	char *day = it_sql_line("SELECT to_char((now() - interval '3 days') AT TIME ZONE '" TZ "', 'YYYY-MM-DD')");
	char *form = it_fmt("action=\"/patients/%lld/encounters/new\"", pid);
	char *hidden = it_fmt("name=\"appointment\" value=\"%lld\"", appt);

	doctor(&j);
	it_getf(&j, &r, "/agenda?day=%s", day);
	STATUS(&r, 200);
	char *visit = it_fmt("href=\"/agenda/%lld\"", appt);
	HAS(&r, visit);                        /* the compact agenda links to the visit */
	it_getf(&j, &r, "/agenda/%lld", appt);
	STATUS(&r, 200);
	HAS(&r, form);
	HAS(&r, hidden);
	HAS(&r, "Abrir el encuentro");
	e = open_encounter(&j, pid, appt);
	e2 = open_encounter(&j, pid, appt);
	ck_assert_int_eq(e, e2);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.encounters WHERE appointment_id = %lld", appt), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.encounter_opened' "
	                            "AND object = 'encounter:%lld appointment:%lld'", e, appt), 1);
	it_getf(&j, &r, "/agenda?day=%s", day);
	char *link = it_fmt("href=\"/patients/%lld/encounters/%lld\"", pid, e);
	HAS(&r, link);
	/* another patient's appointment is not opened under this patient */
	char *other = it_fmt("%lld", past_appt(P2_EMAIL, 4, "x"));
	char *path = it_fmt("/patients/%lld/encounters/new", pid);
	ck_assert_int_eq(it_post(&j, &r, path, "csrf", j.form_csrf, "appointment", other, (char *)NULL), 404);
	http_response_free(&r);
	free(day); free(form); free(hidden); free(visit); free(link); free(other); free(path);
}
END_TEST

/* Draft, search (typed text kept), save twice, sign: versions, codes,
 * the signature's hash equal to the SQL definition's, "verified". */
START_TEST(test_draft_and_sign)
{
	struct it_jar j;
	struct http_response r = { 0 };
	long long pid = patient(P1_EMAIL), e;
	char base[16];

	doctor(&j);
	e = open_encounter(&j, pid, past_appt(P1_EMAIL, 5, "Tos"));
	it_getf(&j, &r, "/patients/%lld/encounters/%lld", pid, e);
	STATUS(&r, 200);
	HAS(&r, "Todavía no hay ningún borrador");
	/* the visit's start in words, as every page writes dates */
	HAS(&r, it_when_es(it_fmt("SELECT started_at FROM ehr.encounters WHERE id = %lld", e), 1));
	SMALL(&r);
	/* the picker without JavaScript: a GET search shows the matches */
	it_getf(&j, &r, "/patients/%lld/encounters/%lld?q=bronquitis", pid, e);
	HAS(&r, "value=\"J20.9\"");
	HAS(&r, "Bronquitis aguda");
	LACKS(&r, "value=\"I10\"");
	it_getf(&j, &r, "/patients/%lld/encounters/%lld?q=i10", pid, e);
	HAS(&r, "value=\"I10\"");
	/* a search from the form keeps what was typed and saves nothing */
	char *path = it_fmt("/patients/%lld/encounters/%lld", pid, e);
	it_post(&j, &r, path, "csrf", j.form_csrf, "base", "0", "subjective", "Tos <seca> & fiebre",
	        "q", "hipertension", "op", "search", (char *)NULL);
	STATUS(&r, 200);
	HAS(&r, "Tos &lt;seca&gt; &amp; fiebre");
	HAS(&r, "value=\"I10\"");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.note_versions WHERE encounter_id = %lld", e), 0);

	ck_assert_int_eq(draft(&j, &r, pid, e, "0", "save", "Tos seca", "", "Bronquitis", "", "J20.9"), 303);
	it_assert_redirect(&r, it_fmt("/patients/%lld/encounters/%lld?done=saved", pid, e), "saved");
	it_getf(&j, &r, "/patients/%lld/encounters/%lld?done=saved", pid, e);
	HAS(&r, "Borrador guardado");
	/* when the draft was saved, in words (issue 15) */
	HAS(&r, it_when_es(it_fmt("SELECT saved_at FROM ehr.note_versions WHERE encounter_id = %lld AND version = 1", e), 1));
	ck_assert_str_eq(it_form_value(&r, "base", base, sizeof(base)), "1");
	HAS(&r, "value=\"J20.9\" checked");
	ck_assert_int_eq(draft(&j, &r, pid, e, "1", "save", "Tos seca desde hace 5 días", "Auscultación: roncus",
	                       "Bronquitis aguda", "Reposo", "J20.9"), 303);
	ck_assert_int_eq(draft(&j, &r, pid, e, "2", "sign", "Tos seca desde hace 5 días\r\nsin fiebre",
	                       "Auscultación: roncus", "Bronquitis aguda", "Reposo e hidratación", "J20.9"), 303);
	it_assert_redirect(&r, it_fmt("/patients/%lld/encounters/%lld?done=signed", pid, e), "signed");
	ck_assert_int_eq(it_sql_int("SELECT max(version) FROM ehr.note_versions WHERE encounter_id = %lld", e), 3);
	/* CRLF stored as LF; the hash the page computed in C is the SQL one */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.note_versions WHERE encounter_id = %lld AND version = 3 "
	                            "AND subjective = E'Tos seca desde hace 5 días\\nsin fiebre'", e), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.note_signatures s WHERE s.encounter_id = %lld "
	                            "AND s.version = 3 AND s.content_hash = ehr.note_version_hash(%lld, 3) "
	                            "AND s.signed_by = (SELECT id FROM auth.users WHERE email = '" D1_EMAIL "')", e, e), 1);
	it_getf(&j, &r, "/patients/%lld/encounters/%lld?done=signed", pid, e);
	STATUS(&r, 200);
	HAS(&r, "Nota firmada");
	HAS(&r, "Firma verificada");
	/* when it was signed, in words (issue 15) */
	HAS(&r, it_when_es(it_fmt("SELECT signed_at FROM ehr.note_signatures WHERE encounter_id = %lld", e), 1));
	HAS(&r, "J20.9");
	LACKS(&r, "name=\"subjective\"");
	SMALL(&r);
	/* tampering (a superuser rewriting the signed text) shows */
	it_sql("ALTER TABLE ehr.note_versions DISABLE TRIGGER note_versions_frozen; "
	       "UPDATE ehr.note_versions SET plan = 'Antibiótico' WHERE encounter_id = %lld AND version = 3; "
	       "ALTER TABLE ehr.note_versions ENABLE TRIGGER note_versions_frozen", e);
	it_getf(&j, &r, "/patients/%lld/encounters/%lld", pid, e);
	HAS(&r, "ATENCIÓN: el contenido no coincide");
	LACKS(&r, "Firma verificada");
	/* audit: the writes, the reads, and never the note's text */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.note_saved' "
	                            "AND object LIKE 'encounter:%lld %%'", e), 2);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.note_signed' "
	                            "AND object = 'encounter:%lld version:3' AND subject_id = %lld", e, pid), 1);
	ck_assert_int_ge(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.note' "
	                            "AND object = 'note:%lld basis=appointment' AND subject_id = %lld", e, pid), 5);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE object ~* 'tos|bronquitis|reposo'"), 0);
	http_response_free(&r);
	free(path);
}
END_TEST

/* A signed note takes no draft: the page says so (409, nothing
 * inserted), the database refuses it for every role; addenda follow,
 * each signed and verified. */
START_TEST(test_signed_is_immutable)
{
	struct it_jar j;
	struct http_response r = { 0 };
	long long pid = patient(P1_EMAIL), e;

	doctor(&j);
	e = signed_note(&j, P1_EMAIL, 7, "Faringitis");
	ck_assert_int_eq(draft(&j, &r, pid, e, "1", "save", "Otro texto", "", "", "", NULL), 409);
	HAS(&r, "Esta nota ya está firmada y no se puede modificar");
	HAS(&r, "Añadir un anexo");
	ck_assert_int_eq(draft(&j, &r, pid, e, "5", "sign", "Otro texto", "", "", "", NULL), 409);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.note_versions WHERE encounter_id = %lld", e), 1);
	/* the database: as the application's role and as the owner */
	ck_assert_int_ne(http_sql(it_fmt("SET ROLE medsys_app; INSERT INTO ehr.note_versions (encounter_id, version, "
	                                 "subjective, saved_by) SELECT %lld, 2, 'x', user_id FROM clinic.doctors "
	                                 "WHERE licence_number = 'T-0001'", e)), 0);
	ck_assert_int_ne(http_sql(it_fmt("INSERT INTO ehr.note_versions (encounter_id, version, subjective, saved_by) "
	                                 "SELECT %lld, 2, 'x', user_id FROM clinic.doctors WHERE licence_number = 'T-0001'", e)), 0);
	ck_assert_int_ne(http_sql(it_fmt("UPDATE ehr.note_versions SET plan = 'x' WHERE encounter_id = %lld", e)), 0);
	ck_assert_int_ne(http_sql(it_fmt("INSERT INTO ehr.note_diagnoses VALUES (%lld, 1, 'I10')", e)), 0);

	/* an addendum, signed and chained to the note's hash */
	char *path = it_fmt("/patients/%lld/encounters/%lld/addenda", pid, e);
	ck_assert_int_eq(it_post(&j, &r, path, "csrf", j.form_csrf, "body", "", (char *)NULL), 422);
	ck_assert_int_eq(it_post(&j, &r, path, "csrf", j.form_csrf, "body", "Cultivo faríngeo negativo.\r\nSin cambios.",
	                         (char *)NULL), 303);
	it_assert_redirect(&r, it_fmt("/patients/%lld/encounters/%lld?done=addendum", pid, e), "addendum");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.note_addenda a JOIN ehr.note_signatures s USING (encounter_id) "
	                            "WHERE a.encounter_id = %lld AND a.body = E'Cultivo faríngeo negativo.\\nSin cambios.' "
	                            "AND a.content_hash = ehr.addendum_hash(a.encounter_id, s.content_hash, a.body)", e), 1);
	it_getf(&j, &r, "/patients/%lld/encounters/%lld?done=addendum", pid, e);
	HAS(&r, "Anexo firmado.");
	HAS(&r, "Cultivo faríngeo negativo.\nSin cambios.");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.addendum_signed' "
	                            "AND object LIKE 'encounter:%lld addendum:%%'", e), 1);
	/* no addendum to an unsigned note */
	long long u = open_encounter(&j, pid, past_appt(P1_EMAIL, 8, "x"));
	char *upath = it_fmt("/patients/%lld/encounters/%lld/addenda", pid, u);
	ck_assert_int_eq(it_post(&j, &r, upath, "csrf", j.form_csrf, "body", "Algo", (char *)NULL), 409);
	HAS(&r, "La nota aún no está firmada");
	http_response_free(&r);
	free(path);
	free(upath);
}
END_TEST

/* Two sessions on the same draft version: the second save is refused
 * with both versions on the page and nothing overwritten; saving again
 * from there works. */
START_TEST(test_concurrent_drafts)
{
	struct it_jar a, b;
	struct http_response r = { 0 };
	long long pid = patient(P1_EMAIL), e;
	char base[16];

	doctor(&a);
	it_sign_in(&b, D1_EMAIL, D1_PASS, D1_TOTP);
	e = open_encounter(&a, pid, past_appt(P1_EMAIL, 9, "Cefalea"));
	ck_assert_int_eq(draft(&a, &r, pid, e, "0", "save", "Cefalea", "", "", "", NULL), 303);
	/* both load version 1 */
	it_getf(&b, &r, "/patients/%lld/encounters/%lld", pid, e);
	ck_assert_str_eq(it_form_value(&r, "base", base, sizeof(base)), "1");
	ck_assert_int_eq(draft(&a, &r, pid, e, "1", "save", "Cefalea tensional de A", "", "", "", NULL), 303);
	ck_assert_int_eq(draft(&b, &r, pid, e, "1", "save", "Migraña según B", "", "Migraña", "", "R05.9"), 409);
	HAS(&r, "Otra persona ha guardado esta nota mientras tanto");
	HAS(&r, "Cefalea tensional de A");        /* theirs */
	HAS(&r, ">Migraña según B</textarea>");   /* mine, still in the form */
	HAS(&r, "value=\"R05.9\" checked");
	ck_assert_str_eq(it_form_value(&r, "base", base, sizeof(base)), "2");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.note_versions WHERE encounter_id = %lld", e), 2);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.note_versions WHERE encounter_id = %lld AND version = 2 "
	                            "AND subjective = 'Cefalea tensional de A'", e), 1);
	/* B decides, having seen A's version */
	ck_assert_int_eq(draft(&b, &r, pid, e, base, "save", "Migraña según B", "", "Migraña", "", "R05.9"), 303);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.note_versions WHERE encounter_id = %lld AND version = 3 "
	                            "AND subjective = 'Migraña según B'", e), 1);
	http_response_free(&r);
}
END_TEST

/* The same draft version saved by two sessions at the same moment, a few
 * rounds: each time exactly one is stored and the other is answered 409
 * with its text still in the form. */
START_TEST(test_simultaneous_saves)
{
	struct it_jar a, b;
	struct http_response r = { 0 };
	long long pid = patient(P1_EMAIL), e;

	doctor(&a);
	it_sign_in(&b, D1_EMAIL, D1_PASS, D1_TOTP);
	e = open_encounter(&a, pid, past_appt(P1_EMAIL, 15, "Mareo"));
	for (int round = 0; round < 3; round++) {
		char base[16], mine[64], theirs[64];
		int wstatus, child_won, parent_won;
		pid_t child;

		snprintf(base, sizeof(base), "%d", round);
		snprintf(mine, sizeof(mine), "Texto de A, ronda %d", round);
		snprintf(theirs, sizeof(theirs), "Texto de B, ronda %d", round);
		child = fork();
		ck_assert_int_ge(child, 0);
		if (child == 0) {
			long st = draft(&b, &r, pid, e, base, "save", theirs, "", "", "", NULL);
			/* 0: stored; 1: refused with the text kept; 2: anything else */
			_exit(st == 303 ? 0 : st == 409 && strstr(r.body, theirs) &&
			      strstr(r.body, "Otra persona ha guardado") ? 1 : 2);
		}
		long st = draft(&a, &r, pid, e, base, "save", mine, "", "", "", NULL);
		ck_assert_int_eq(waitpid(child, &wstatus, 0), child);
		ck_assert(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) < 2);
		child_won = WEXITSTATUS(wstatus) == 0;
		parent_won = st == 303;
		ck_assert_msg(child_won != parent_won, "round %d: parent %ld, child %d", round, st, WEXITSTATUS(wstatus));
		if (!parent_won) {
			STATUS(&r, 409);
			HAS(&r, mine);
		}
		ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.note_versions WHERE encounter_id = %lld "
		                            "AND version = %d AND subjective = '%s'", e, round + 1,
		                            parent_won ? mine : theirs), 1);
	}
	http_response_free(&r);
}
END_TEST

/* The patient reads signed notes only; drafts and other patients'
 * notes are 404 (and the read is audited); staff URLs are not theirs. */
START_TEST(test_patient_pages)
{
	struct it_jar d, p;
	struct http_response r = { 0 };
	long long pid = patient(P1_EMAIL), s1, s2, draft_e;

	doctor(&d);
	s1 = signed_note(&d, P1_EMAIL, 20, "Hipertensión controlada");
	s2 = signed_note(&d, P1_EMAIL, 12, "Bronquitis resuelta");
	draft_e = open_encounter(&d, pid, past_appt(P1_EMAIL, 10, "x"));
	ck_assert_int_eq(draft(&d, &r, pid, draft_e, "0", "save", "BORRADOR SECRETO", "", "", "", NULL), 303);
	char *path = it_fmt("/patients/%lld/encounters/%lld/addenda", pid, s1);
	ck_assert_int_eq(it_post(&d, &r, path, "csrf", d.form_csrf, "body", "Anexo para la paciente", (char *)NULL), 303);

	it_sign_in(&p, P1_EMAIL, P1_PASS, NULL);
	ck_assert_int_eq(it_get(&p, &r, "/record/notes"), 200);
	SMALL(&r);
	char *l1 = it_fmt("/record/notes/%lld\"", s1), *l2 = it_fmt("/record/notes/%lld\"", s2);
	char *ld = it_fmt("/record/notes/%lld\"", draft_e);
	HAS(&r, l1);
	HAS(&r, l2);
	LACKS(&r, ld);
	ck_assert_msg(strstr(r.body, l2) < strstr(r.body, l1), "newest first");
	ck_assert_int_eq(it_getf(&p, &r, "/record/notes/%lld", s1), 200);
	SMALL(&r);
	HAS(&r, "Hipertensión controlada");
	HAS(&r, "Anexo para la paciente");
	HAS(&r, "Firma verificada");
	LACKS(&r, "<textarea");
	ck_assert_int_eq(it_getf(&p, &r, "/record/notes/%lld", draft_e), 404);
	LACKS(&r, "BORRADOR SECRETO");
	ck_assert_int_ge(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.notes' AND subject_id = %lld "
	                            "AND actor_id = %lld", pid, pid), 1);

	/* patient2: the same ids are not theirs */
	struct it_jar q;
	long long p2 = patient(P2_EMAIL);
	it_sign_in(&q, P2_EMAIL, P2_PASS, NULL);
	ck_assert_int_eq(it_getf(&q, &r, "/record/notes/%lld", s1), 404);
	LACKS(&r, "Hipertensión controlada");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.note' AND actor_id = %lld "
	                            "AND subject_id = %lld AND object LIKE 'note:%lld %%'", p2, p2, s1), 1);
	ck_assert_int_eq(it_get(&q, &r, "/record/notes"), 200);
	LACKS(&r, l1);
	/* staff pages are not for patients */
	ck_assert_int_eq(it_getf(&p, &r, "/patients/%lld/encounters/%lld", pid, s1), 403);
	http_response_free(&r);
	free(path); free(l1); free(l2); free(ld);
}
END_TEST

/* A walk-in encounter from the patient's encounter list. */
START_TEST(test_walk_in)
{
	struct it_jar j;
	struct http_response r = { 0 };
	long long pid = patient(P1_EMAIL), e;

	doctor(&j);
	past_appt(P1_EMAIL, 30, "Relación de cuidado");
	it_getf(&j, &r, "/patients/%lld/encounters/new", pid);
	STATUS(&r, 200);
	char *path = it_fmt("/patients/%lld/encounters/new", pid);
	it_post(&j, &r, path, "csrf", j.form_csrf, (char *)NULL);
	e = redirected_encounter(&r);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.encounters WHERE id = %lld AND kind = 'walk_in' "
	                            "AND appointment_id IS NULL AND patient_id = %lld", e, pid), 1);
	it_getf(&j, &r, "/patients/%lld/encounters", pid);
	STATUS(&r, 200);
	SMALL(&r);
	char *link = it_fmt("/patients/%lld/encounters/%lld\"", pid, e);
	HAS(&r, link);
	HAS(&r, "Sin cita");
	ck_assert_int_ge(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.encounters' "
	                            "AND subject_id = %lld", pid), 1);
	http_response_free(&r);
	free(path);
	free(link);
}
END_TEST

/* The demo notes: loaded twice (idempotent), every signature's hash the
 * SQL definition's, shown as verified to the doctor and the patient. */
START_TEST(test_seed)
{
	struct it_jar d, p;
	struct http_response r = { 0 };
	char *sql = it_slurp(it_fmt("%s/sql/seed/record_3_notes.sql", it_env("MEDSYS_SRCDIR")));
	long long pid, n, e;

	if (it_user_id("paciente@demo.medsys") == 0) {
		it_sql("INSERT INTO auth.users (email, full_name, language, password_hash, email_verified_at) "
		       "SELECT 'paciente@demo.medsys', 'Ana Pérez Demo', 'es', password_hash, now() FROM auth.users "
		       "WHERE email = '" P1_EMAIL "'");
		it_sql("INSERT INTO auth.user_roles (user_id, role) SELECT id, 'patient' FROM auth.users "
		       "WHERE email = 'paciente@demo.medsys'");
	}
	pid = patient("paciente@demo.medsys");
	/* four visits of no named condition, three about chronic ones */
	static const char *const reasons[] = { "Revisión", "Control de tensión y diabetes", "Revisión",
	                                       "Control de EPOC", "Revisión", "Revisión de tiroides", "Revisión" };
	for (int k = 0; k < 7; k++)
		past_appt("paciente@demo.medsys", 40 + 30 * k, reasons[k]);
	ck_assert_int_eq(http_sql(sql), 0);
	n = it_sql_int("SELECT count(*) FROM ehr.note_signatures s JOIN ehr.encounters e ON e.id = s.encounter_id "
	               "WHERE e.patient_id = %lld", pid);
	ck_assert_int_eq(n, 7);
	ck_assert_int_eq(http_sql(sql), 0);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.encounters WHERE patient_id = %lld", pid), 7);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.note_signatures s JOIN ehr.encounters e ON e.id = s.encounter_id "
	                            "WHERE e.patient_id = %lld AND s.content_hash = ehr.note_version_hash(s.encounter_id, s.version)",
	                            pid), 7);
	ck_assert_int_ge(it_sql_int("SELECT count(*) FROM ehr.note_addenda a JOIN ehr.encounters e ON e.id = a.encounter_id "
	                            "WHERE e.patient_id = %lld", pid), 2);
	/* a note about what the visit was for */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.encounters e JOIN appt.appointments a ON a.id = e.appointment_id "
	                            "JOIN ehr.note_diagnoses d ON d.encounter_id = e.id WHERE e.patient_id = %lld "
	                            "AND a.reason = 'Control de EPOC' AND d.code LIKE 'J44.%%'", pid), 1);
	/* every seeded note is coded (its codes are the catalog's) */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.note_signatures s JOIN ehr.encounters e ON e.id = s.encounter_id "
	                            "WHERE e.patient_id = %lld AND NOT EXISTS (SELECT 1 FROM ehr.note_diagnoses d "
	                            "WHERE d.encounter_id = s.encounter_id AND d.version = s.version)", pid), 0);
	e = it_sql_int("SELECT a.encounter_id FROM ehr.note_addenda a JOIN ehr.encounters e ON e.id = a.encounter_id "
	               "WHERE e.patient_id = %lld ORDER BY a.id LIMIT 1", pid);

	doctor(&d);
	ck_assert_int_eq(it_getf(&d, &r, "/patients/%lld/encounters/%lld", pid, e), 200);
	HAS(&r, "Firma verificada");
	LACKS(&r, "ATENCIÓN");
	SMALL(&r);
	it_sign_in(&p, "paciente@demo.medsys", P1_PASS, NULL);
	ck_assert_int_eq(it_getf(&p, &r, "/record/notes/%lld", e), 200);
	HAS(&r, "Firma verificada");
	LACKS(&r, "ATENCIÓN");
	ck_assert_int_eq(it_get(&p, &r, "/record/notes"), 200);
	SMALL(&r);
	http_response_free(&r);
	free(sql);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("notes");
	int rc;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_open_from_agenda);
	tcase_add_test(tc, test_draft_and_sign);
	tcase_add_test(tc, test_signed_is_immutable);
	tcase_add_test(tc, test_concurrent_drafts);
	tcase_add_test(tc, test_simultaneous_saves);
	tcase_add_test(tc, test_patient_pages);
	tcase_add_test(tc, test_walk_in);
	tcase_add_test(tc, test_seed);
	rc = tcase_run_alone("notes", tc);
	http_client_cleanup();
	return rc;
}
