/* test_triage: the symptom checker's pages against a real stack
 * (tests/integration/triage.stack): a complaint in free text (es/en,
 * accents, misspellings, lay words) matched through the page, the pick
 * list, red flags ending the interview (the crisis line for suicidal
 * thoughts), a signed-in patient's stored interview answered, changed and
 * finished, consent making it a pre-visit summary on the next appointment
 * that the doctor reads, and who may read a stored interview (another
 * patient's by id: 404 and an audit row). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "care_test.h"
#include "fixtures.h"
#include "http_client.h"

/* Strings made for one call are kept until the test ends (it_kept_free). */
#define T it_keep

/* GET the anonymous interview for a man of 40 with complaint c. */
static long
anon(struct http_response *r, const char *lang, const char *c)
{
	struct it_jar j = { 0 };
	char *e = it_urlencode(c);
	long st;

	snprintf(j.lang, sizeof(j.lang), "%s", lang);
	st = it_getf(&j, r, "/triage/interview?age=40&sex=male&c=%s", e);
	free(e);
	return st;
}

static void
assert_location_has(const struct http_response *r, const char *want, const char *what)
{
	const char *loc = http_header(r, "Location");

	ck_assert_msg(loc && strstr(loc, want), "%s: Location %s lacks %s", what, loc ? loc : "(none)", want);
}

START_TEST(test_free_text_through_the_page)
{
	struct http_response r = { 0 };

	ck_assert_int_eq(anon(&r, "es", "dolor de garganta y fiebre"), 303);
	assert_location_has(&r, "cy.sore_throat", "es");
	assert_location_has(&r, "cy.fever", "es");
	ck_assert_int_eq(anon(&r, "en", "sore throat and a high temperature"), 303);
	assert_location_has(&r, "cy.sore_throat", "en");
	assert_location_has(&r, "cy.high_fever", "en: lay words");
	ck_assert_int_eq(anon(&r, "es", "tengo tos y fiébre"), 303);
	assert_location_has(&r, "cy.cough", "es: stray accent");
	assert_location_has(&r, "cy.fever", "es: stray accent");
	ck_assert_int_eq(anon(&r, "en", "tummy ache and diarrhoea"), 303);
	assert_location_has(&r, "cy.abdominal_pain", "en: tummy ache");
	ck_assert_int_eq(anon(&r, "es", "feverr"), 303);
	assert_location_has(&r, "cy.fever", "misspelt");
	/* Nothing recognised: the start page again, saying so, in Spanish. */
	ck_assert_int_eq(anon(&r, "es", "xyzzy qwerty"), 200);
	it_assert_has(&r, "No hemos reconocido ningún síntoma", "unknown words");
	it_assert_has(&r, "xyzzy qwerty", "what was typed is kept");
	/* Unsure: a list to pick from; the pick becomes the complaint. A
	 * hit that could mean suicidal thoughts shows the crisis line first. */
	ck_assert_int_eq(anon(&r, "en", "thinking of suicide lately"), 200);
	it_assert_has(&r, "value=\"suicidal_thoughts\"", "pick list");
	it_assert_has(&r, "Which of these do you mean?", "pick list in English");
	it_assert_has(&r, "suicide prevention line 024", "the crisis line before any tick");
	/* A pick list with nothing of the kind: no crisis line. */
	{
		static const char *const vague[] = { "dolor", "pain", "me duele", "hurts", "molestias", "swelling" };
		int lists = 0;
		for (size_t i = 0; i < sizeof(vague) / sizeof(vague[0]); i++) {
			if (anon(&r, "en", vague[i]) != 200 || strstr(r.body, "name=\"f\"") == NULL ||
			    strstr(r.body, "value=\"suicidal_thoughts\"") != NULL)
				continue;
			lists++;
			it_assert_lacks(&r, "024", vague[i]);
		}
		ck_assert_msg(lists > 0, "no vague complaint gave a pick list");
	}
	ck_assert_int_eq(it_get(NULL, &r, "/triage/interview?age=40&sex=male&c=x&f=suicidal_thoughts&none=1"), 303);
	assert_location_has(&r, "a=cy.suicidal_thoughts", "picked");
	/* Bad state in the URL: refused, not guessed. */
	ck_assert_int_eq(it_jar_get_status(NULL, "/triage/interview?age=40&sex=male&c=x&s=1&a=cy.no_such_finding"), 400);
	ck_assert_int_eq(it_jar_get_status(NULL, "/triage/interview?age=400&sex=male&c=tos"), 400);
	http_response_free(&r);
	it_kept_free();
}
END_TEST

/* Talk of ending one's life, typed as the complaint in either language:
 * understood at once (no pick list), and the interview ends on the
 * crisis line. */
START_TEST(test_crisis_words_end_the_interview)
{
	static const struct { const char *lang, *text, *line; } said[] = {
		{ "en", "I want to end it all", "suicide prevention line 024" },
		{ "en", "I want to kill myself", "suicide prevention line 024" },
		{ "es", "no quiero vivir", "024" },
		{ "es", "quiero acabar con todo", "024" },
		{ "es", "quiero quitarme la vida", "024" },
		{ "es", "pienso en suicidarme", "024" },
		{ "es", "me quiero morir", "024" },
	};
	struct http_response r = { 0 };

	for (size_t i = 0; i < sizeof(said) / sizeof(said[0]); i++) {
		struct it_jar j = { 0 };
		char next[512];
		snprintf(j.lang, sizeof(j.lang), "%s", said[i].lang);
		ck_assert_msg(anon(&r, said[i].lang, said[i].text) == 303, "\"%s\": a pick list, not understood",
		              said[i].text);
		assert_location_has(&r, "cy.suicidal_thoughts", said[i].text);
		snprintf(next, sizeof(next), "%s", strstr(http_header(&r, "Location"), "/triage/"));
		ck_assert_int_eq(it_get(&j, &r, next), 200);
		it_assert_has(&r, said[i].line, said[i].text);
		it_assert_lacks(&r, "name=\"q\"", "no further question");
	}
	http_response_free(&r);
	it_kept_free();
}
END_TEST

/* Follow the anonymous interview at *loc (a Location), answering "don't
 * know", until the question is finding want; its page into r. */
static void
walk_to(struct it_jar *j, struct http_response *r, char *loc, size_t len, const char *want)
{
	char q[128];

	for (int n = 0; n < 25; n++) {
		ck_assert_int_eq(it_get(j, r, loc), 200);
		it_form_value(r, "q", q, sizeof(q));
		if (strcmp(q, want) == 0)
			return;
		ck_assert_msg(q[0] != '\0', "the interview ended before asking %s", want);
		ck_assert_int_eq(it_getf(j, r, "%s&q=%s&r=u", loc, q), 303);
		snprintf(loc, len, "%s", strstr(http_header(r, "Location"), "/triage/"));
	}
	ck_abort_msg("%s never asked", want);
}

/* Questions that want a duration, a severity or a number show their
 * choices (or a number box and its unit); the answer is kept as given,
 * shown in the thread, and counts as yes or no by the data's threshold. */
START_TEST(test_answer_types_on_the_page)
{
	struct http_response r = { 0 };
	struct it_jar en = { 0 }, es = { 0 };
	char loc[2048];
	char *c;

	snprintf(en.lang, sizeof(en.lang), "en");
	snprintf(es.lang, sizeof(es.lang), "es");
	ck_assert_int_eq(anon(&r, "en", "tummy ache"), 303);
	snprintf(loc, sizeof(loc), "%s", strstr(http_header(&r, "Location"), "/triage/"));
	walk_to(&en, &r, loc, sizeof(loc), "abdominal_pain_severe");
	it_assert_has(&r, "name=\"v\" value=\"0\" class=\"primary\">Mild</button>", "severity choices");
	it_assert_has(&r, "name=\"v\" value=\"2\" class=\"primary\">Severe</button>", "severity choices");
	it_assert_lacks(&r, "name=\"r\" value=\"y\"", "no yes/no for a severity");
	ck_assert_int_eq(it_getf(NULL, &r, "%s&q=abdominal_pain_severe&v=2", loc), 303);
	assert_location_has(&r, "qy2.abdominal_pain_severe", "severe is present");
	ck_assert_int_eq(it_getf(NULL, &r, "%s&q=abdominal_pain_severe&v=1", loc), 303);
	assert_location_has(&r, "qn1.abdominal_pain_severe", "moderate is absent");
	snprintf(loc, sizeof(loc), "%s", strstr(http_header(&r, "Location"), "/triage/"));
	ck_assert_int_eq(it_get(&en, &r, loc), 200);
	it_assert_has(&r, "Moderate", "the thread shows the choice");
	/* Durations, in Spanish; out of range or for a yes/no finding: refused. */
	ck_assert_int_eq(it_getf(&es, &r, "%s&q=cough_long&v=4", loc), 303);
	assert_location_has(&r, "qy4.cough_long", "more than 3 weeks");
	ck_assert_int_eq(it_getf(&es, &r, "%s&q=cough_long&v=5", loc), 400);
	ck_assert_int_eq(it_getf(&es, &r, "%s&q=fever&v=1", loc), 400);
	ck_assert_int_eq(it_getf(&es, &r, "%s&q=cough_long&v=4", loc), 303);
	snprintf(loc, sizeof(loc), "%s", strstr(http_header(&r, "Location"), "/triage/"));
	ck_assert_int_eq(it_get(&es, &r, loc), 200);
	it_assert_has(&r, "Más de 3 semanas", "the thread in Spanish");
	/* A number: the box and its unit; 38,5 is under 39 °C, 39.2 is not. */
	c = it_urlencode("rash and fever");
	ck_assert_int_eq(it_getf(&en, &r, "/triage/interview?age=4&sex=female&c=%s", c), 303);
	free(c);
	snprintf(loc, sizeof(loc), "%s", strstr(http_header(&r, "Location"), "/triage/"));
	walk_to(&en, &r, loc, sizeof(loc), "high_fever");
	it_assert_has(&r, "name=\"v\" inputmode=\"decimal\"", "a number box");
	it_assert_has(&r, "°C", "its unit");
	ck_assert_int_eq(it_getf(&en, &r, "%s&q=high_fever&r=v&v=38,5", loc), 303);
	assert_location_has(&r, "qn385.high_fever", "38.5 is under 39");
	ck_assert_int_eq(it_getf(&en, &r, "%s&q=high_fever&r=v&v=39.2", loc), 303);
	assert_location_has(&r, "qy392.high_fever", "39.2 is 39 or more");
	snprintf(loc, sizeof(loc), "%s", strstr(http_header(&r, "Location"), "/triage/"));
	ck_assert_int_eq(it_get(&en, &r, loc), 200);
	it_assert_has(&r, "39.2 °C", "the thread shows the number");
	http_response_free(&r);
	it_kept_free();
}
END_TEST

/* Red flags end the interview at once with emergency advice. */
START_TEST(test_red_flags_end_the_interview)
{
	struct http_response r = { 0 };
	struct it_jar j = { 0 };

	snprintf(j.lang, sizeof(j.lang), "es");
	ck_assert_int_eq(it_get(&j, &r, "/triage/interview?age=55&sex=male&preg=0&c=x&s=1&a=cy.chest_pain-cy.sweating"), 200);
	it_assert_has(&r, "Llame a emergencias ahora (112)", "chest pain with sweating");
	it_assert_lacks(&r, "name=\"q\"", "no further question");
	it_assert_lacks(&r, "/triage/book", "no booking instead of 112");
	ck_assert_int_eq(it_get(&j, &r, "/triage/interview?age=30&sex=female&c=x&s=1&a=cy.suicidal_thoughts"), 200);
	it_assert_has(&r, "024", "the crisis line");
	snprintf(j.lang, sizeof(j.lang), "en");
	ck_assert_int_eq(it_get(&j, &r, "/triage/interview?age=30&sex=female&c=x&s=1&a=cy.suicidal_thoughts"), 200);
	it_assert_has(&r, "suicide prevention line 024", "the crisis line in English");
	http_response_free(&r);
	it_kept_free();
}
END_TEST

/* Answer every question of the stored interview at path "no" (the first
 * one "yes", then changed back to "no": going back); the number of
 * questions answered. */
static int
answer_all(struct it_jar *p, const char *path)
{
	struct http_response r = { 0 };
	char q[128], first[128] = "";
	int n = 0;

	for (;;) {
		ck_assert_int_eq(it_get(p, &r, path), 200);
		it_form_value(&r, "q", q, sizeof(q));
		if (q[0] == '\0')
			break;
		ck_assert_msg(n < 40, "the interview does not end");
		if (n == 0) {
			snprintf(first, sizeof(first), "%s", q);
			ck_assert_int_eq(it_postf(p, &r, path, "&q=%s&r=y", q), 303);
			/* The thread shows it, with the way back; keep=0 drops it. */
			ck_assert_int_eq(it_get(p, &r, path), 200);
			it_assert_has(&r, "name=\"keep\"", "the thread's change button");
			ck_assert_int_eq(it_postf(p, &r, path, "&keep=%lld",
			                          it_sql_int("SELECT length(answers) - length(replace(answers, '-', '')) "
			                                     "FROM bot.interviews WHERE id = %s", strrchr(path, '/') + 1)), 303);
			ck_assert_int_eq(it_get(p, &r, path), 200);
			it_form_value(&r, "q", q, sizeof(q));
			ck_assert_str_eq(q, first);
		}
		ck_assert_int_eq(it_postf(p, &r, path, "&q=%s&r=n", q), 303);
		n++;
	}
	http_response_free(&r);
	return n;
}

START_TEST(test_stored_interview_consent_and_access)
{
	struct care_world w;
	struct it_jar p, other, doc, stranger;
	struct http_response r = { 0 };
	long long id, doctor_row, appt, denied;
	char *path;
	int n;

	care_world_make(&w);
	doctor_row = it_sql_int("SELECT id FROM clinic.doctors WHERE user_id = %lld", w.d_appt);
	appt = it_sql_int("INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode) "
	                  "VALUES (%lld, %lld, now() + interval '2 days', now() + interval '2 days 20 minutes', "
	                  "'in_person') RETURNING id", doctor_row, w.p1);
	care_session(&p, w.p1);
	snprintf(p.lang, sizeof(p.lang), "en");
	ck_assert_int_eq(it_get(&p, &r, "/triage"), 200);
	it_assert_has(&r, "action=\"/triage\"", "a signed-in patient's form posts");
	ck_assert_int_eq(it_postf(&p, &r, "/triage", "&age=34&sex=female&c=%s", "sore%20throat%20and%20fever"), 303);
	it_assert_redirect_prefix(&r, "/triage/", "created");
	id = atoll(http_header(&r, "Location") + strlen("/triage/"));
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM bot.interviews WHERE id = %lld AND patient_id = %lld "
	                            "AND started AND answers LIKE '%%cy.fever%%' AND answers LIKE '%%cy.sore_throat%%'", id, w.p1), 1);
	path = it_fmt("/triage/%lld", id);
	n = answer_all(&p, path);
	ck_assert_msg(n >= 1 && n <= 20, "%d questions", n);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM bot.interviews WHERE id = %lld AND status = 'done' "
	                            "AND level IS NOT NULL", id), 1);
	ck_assert_int_eq(it_get(&p, &r, path), 200);
	it_assert_has(&r, "Your result", "result");
	it_assert_has(&r, "What this tool is and is not", "what it is");
	it_assert_has(&r, "Speaks for it:", "findings for");
	it_assert_has(&r, "/triage/book?specialty=", "booking");
	it_assert_has(&r, T(it_fmt("%s/consent", path)), "consent form");
	/* Resumable: the start page lists it. */
	ck_assert_int_eq(it_get(&p, &r, "/triage"), 200);
	it_assert_has(&r, T(it_fmt("href=\"%s\"", path)), "listed to resume");

	/* Another patient, by id: 404, an audit row about its owner. */
	care_session(&other, w.p2);
	denied = it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.denied' AND actor_id = %lld "
	                    "AND subject_id = %lld AND object = 'triage:%lld'", w.p2, w.p1, id);
	ck_assert_int_eq(it_get(&other, &r, path), 404);
	it_assert_lacks(&r, "sore throat", "nothing shown");
	ck_assert_int_eq(it_postf(&other, &r, path, "&q=cough&r=y"), 404);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.denied' AND actor_id = %lld "
	                            "AND subject_id = %lld AND object = 'triage:%lld'", w.p2, w.p1, id), denied + 2);
	/* The doctor: nothing until the patient shares it. */
	care_session(&doc, w.d_appt);
	ck_assert_int_eq(it_getf(&doc, &r, "/patients/%lld/triage/%lld", w.p1, id), 404);

	/* Consent: the summary goes with the next appointment. */
	ck_assert_int_eq(it_postf(&p, &r, T(it_fmt("%s/consent", path)), "%s", ""), 303);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM bot.interviews WHERE id = %lld AND consent_at IS NOT NULL "
	                            "AND appointment_id = %lld AND summary LIKE '%%Sore throat: Yes%%'", id, appt), 1);
	ck_assert_int_eq(it_get(&p, &r, path), 200);
	it_assert_has(&r, "You have shared this check with your doctor.", "consent shown");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.triage_consent' "
	                            "AND subject_id = %lld", w.p1), 1);
	ck_assert_int_eq(it_getf(&doc, &r, "/patients/%lld/triage/%lld", w.p1, id), 200);
	it_assert_has(&r, "Sore throat", "the doctor reads the summary");
	it_assert_lacks(&r, "name=\"q\"", "read only");
	ck_assert_int_ge(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.triage' AND actor_id = %lld "
	                            "AND subject_id = %lld", w.d_appt, w.p1), 1);
	/* In the encounter: the shared summary is linked, and the parts the
	 * doctor ticks go into the draft's subjective section. */
	{
		long long enc;
		ck_assert_int_eq(it_postf(&doc, &r, T(it_fmt("/patients/%lld/encounters/new", w.p1)), "&appointment="), 303);
		enc = atoll(strrchr(http_header(&r, "Location"), '/') + 1);
		ck_assert_int_eq(it_getf(&doc, &r, "/patients/%lld/encounters/%lld", w.p1, enc), 200);
		it_assert_has(&r, T(it_fmt("/patients/%lld/triage/%lld?encounter=%lld", w.p1, id, enc)), "linked from the encounter");
		ck_assert_int_eq(it_getf(&doc, &r, "/patients/%lld/triage/%lld?encounter=%lld", w.p1, id, enc), 200);
		it_assert_has(&r, T(it_fmt("action=\"/patients/%lld/encounters/%lld\"", w.p1, enc)), "the accept form");
		it_assert_has(&r, "name=\"part\" value=\"1\"", "the parts to accept");
		ck_assert_int_eq(it_getf(&doc, &r, "/patients/%lld/encounters/%lld?previsit=%lld&part=0", w.p1, enc, id), 200);
		it_assert_has(&r, "Main problem: sore throat and fever", "the accepted part is in the draft");
		it_assert_lacks(&r, "Answers:", "a part not ticked is not");
		/* Another patient's summary cannot be pulled into this note. */
		ck_assert_int_eq(it_getf(&doc, &r, "/patients/%lld/encounters/%lld?previsit=%lld&part=0", w.p1, enc,
		                         id + 100000), 200);
		it_assert_lacks(&r, "Main problem:", "no summary for a foreign id");
	}
	/* A doctor without a care relationship: refused by the access check. */
	care_session(&stranger, w.d_none);
	ck_assert_int_eq(it_getf(&stranger, &r, "/patients/%lld/triage/%lld", w.p1, id), 403);
	/* Under a patient the doctor does not care for: refused too. */
	ck_assert_int_eq(it_getf(&doc, &r, "/patients/%lld/triage/%lld", w.p2, id), 403);
	http_response_free(&r);
	free(path);
	it_kept_free();
}
END_TEST

/* The booking button: the specialty chosen, the reason waiting in the
 * booking form. */
START_TEST(test_booking_carries_the_reason)
{
	struct it_jar p;
	struct http_response r = { 0 };
	long long doctor, spec, epoch, me, appt, shared[3];
	char *reason = it_urlencode("Symptom checker: sore throat (self-care)");
	char key[80];

	it_sign_in(&p, P1_EMAIL, P1_PASS, NULL);
	spec = it_sql_int("SELECT id FROM clinic.specialties WHERE code = 'family'");
	ck_assert_int_eq(it_getf(&p, &r, "/triage/book?specialty=family&reason=%s", reason), 303);
	it_assert_redirect(&r, T(it_fmt("/doctors?specialty=%lld", spec)), "to the doctors of the specialty");
	doctor = it_sql_int("SELECT id FROM clinic.doctors WHERE licence_number = 'T-0001'");
	if (it_sql_int("SELECT count(*) FROM appt.schedules WHERE doctor_id = %lld", doctor) == 0)
		it_sql("INSERT INTO appt.schedules (doctor_id, weekday, start_time, end_time, slot_minutes, mode, "
		       "valid_from) SELECT %lld, w, '08:00', '20:00', 30, 'in_person', current_date - 1 "
		       "FROM generate_series(1, 7) w", doctor);
	epoch = it_sql_int("SELECT extract(epoch FROM ((current_date + 3) + time '11:30') "
	                   "AT TIME ZONE 'Europe/Madrid')::bigint");
	ck_assert_int_eq(it_getf(&p, &r, "/appointments/new?doctor=%lld&start=%lld", doctor, epoch), 200);
	it_assert_has(&r, "Symptom checker: sore throat (self-care)</textarea>", "reason pre-filled");
	/* Shared with no appointment booked: the summary goes with the one
	 * booked now; one shared 8 days ago, or never shared, does not. */
	me = it_user_id(P1_EMAIL);
	for (int i = 0; i < 3; i++)
		shared[i] = it_sql_int("INSERT INTO bot.interviews (patient_id, age, sex, complaint, started, answers, "
		                       "kb_version, status, level, consent_at, summary) VALUES (%lld, 34, 'female', "
		                       "'sore throat', true, 'cy.sore_throat', 'x', 'done', 'selfcare', %s, 'Main problem: "
		                       "sore throat') RETURNING id", me,
		                       i == 0 ? "now() - interval '1 day'" : i == 1 ? "now() - interval '8 days'" : "NULL");
	it_form_value(&r, "key", key, sizeof(key));
	ck_assert_int_eq(it_postf(&p, &r, "/appointments", "doctor=%lld&start=%lld&reason=%s&key=%s", doctor, epoch,
	                          reason, key), 303);
	it_assert_redirect_prefix(&r, "/appointments/", "booked");
	appt = atoll(http_header(&r, "Location") + strlen("/appointments/"));
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM bot.interviews WHERE id = %lld AND appointment_id = %lld",
	                            shared[0], appt), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM bot.interviews WHERE id IN (%lld, %lld) "
	                            "AND appointment_id IS NULL", shared[1], shared[2]), 2);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.triage_attach' "
	                            "AND subject_id = %lld AND object = 'triage:%lld appointment:%lld'", me, shared[0],
	                            appt), 1);
	ck_assert_int_eq(it_jar_get_status(&p, "/triage/book?specialty=nope&reason=x"), 404);
	http_response_free(&r);
	free(reason);
	it_kept_free();
}
END_TEST

int
main(void)
{
	return it_run_suites(it_suite("triage", 180, test_free_text_through_the_page, test_red_flags_end_the_interview,
	                              test_crisis_words_end_the_interview, test_answer_types_on_the_page,
	                              test_stored_interview_consent_and_access, test_booking_carries_the_reason, NULL),
	                     NULL);
}
