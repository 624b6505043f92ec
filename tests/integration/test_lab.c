/* test_lab: lab orders and results against a real stack (tests/
 * integration/lab.stack): the doctor's order from an encounter (panels
 * expanded, a search without JavaScript), the lab's worklist (urgent
 * first, by order code), collection, entry with validation that keeps the
 * form, flags computed by the server, the two-step release (explicit
 * confirmation; a second person when configured), corrections as new
 * versions that notify doctor and patient, critical values (the doctor's
 * urgent notice and mail, acknowledgement, escalation to the on-call
 * address exactly once), the specimen label (qpdf, pdftotext, zbarimg),
 * and the authorization matrix. Its catalog rows are its own (codes
 * 99900-0..99903-3, "Tst" names), so it depends on no shipped data. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check_util.h"
#include "care_test.h"
#include "fixtures.h"
#include "http_client.h"

#define HAS(r, s) ck_assert_msg(strstr((r)->body, (s)) != NULL, "page lacks \"%s\": %.3000s", (s), (r)->body)
#define LACKS(r, s) ck_assert_msg(strstr((r)->body, (s)) == NULL, "page has \"%s\"", (s))
#define LAB_EMAIL "lab1@clinic.test"
#define LAB2_EMAIL "lab2@clinic.test"
#define ONCALL "oncall@clinic.test"   /* lab_oncall_email in lab.stack */

/* Strings made for one call, kept until the test ends (it_kept_free). */
#define T it_keep

/* ------------------------------------------------------------ fixture */

/* The test's catalog: potassium-like (any sex), haemoglobin-like (by sex,
 * g/L converts), a coded urine test, and a panel of the first two. */
static void
catalog(void)
{
	it_sql("INSERT INTO lab.analytes (code, name_es, name_en, kind, unit, decimals, plausible_low, plausible_high, source) "
	       "VALUES ('99901-1','Tstpotasio','Tstpotassium','numeric','mmol/L',1,0.5,15,'test_lab'),"
	       "('99902-2','Tsthemoglobina','Tsthaemoglobin','numeric','g/dL',1,1,25,'test_lab') ON CONFLICT DO NOTHING");
	it_sql("INSERT INTO lab.analytes (code, name_es, name_en, kind, unit, decimals, choices, normal_choices, source) "
	       "VALUES ('99903-3','Tstproteína en orina','Tsturine protein','coded','',0,'{negative,trace,1+}','{negative}',"
	       "'test_lab') ON CONFLICT DO NOTHING");
	if (it_sql_int("SELECT count(*) FROM lab.ranges WHERE source = 'test_lab'") == 0)
		it_sql("INSERT INTO lab.ranges (analyte, sex, low, high, critical_low, critical_high, source) VALUES "
		       "('99901-1','any',3.5,5.1,2.5,6.5,'test_lab'),('99902-2','female',12,16,7,20,'test_lab'),"
		       "('99902-2','male',13.5,17.5,7,20,'test_lab')");
	it_sql("INSERT INTO lab.panels (code, name_es, name_en, source) VALUES ('99900-0','Tstperfil','Tstpanel','test_lab') "
	       "ON CONFLICT DO NOTHING");
	it_sql("INSERT INTO lab.panel_members VALUES ('99900-0','99901-1',1),('99900-0','99902-2',2) ON CONFLICT DO NOTHING");
	it_sql("INSERT INTO lab.unit_conversions (analyte, from_unit, to_unit, factor, source) "
	       "VALUES ('99902-2','g/L','g/dL',0.1,'test_lab') ON CONFLICT DO NOTHING");
	it_staff_account(LAB_EMAIL, "Laboratorio Uno", "lab", NULL);
	it_staff_account(LAB2_EMAIL, "Laboratorio Dos", "lab", NULL);
}

/* A patient of the test's own (female, born 1980) with a completed visit
 * of doctor 1 and its encounter. */
static long long
patient(const char *tag, long long *encounter)
{
	long long pid = care_patient_with_visit(tag, "Paciente Analítica", encounter);

	it_sql("UPDATE auth.users SET birth_date = '1980-05-01', sex = 'female' WHERE id = %lld", pid);
	return pid;
}

static void
lab_user(struct it_jar *j, const char *email)
{
	it_sign_in(j, email, D1_PASS, D1_TOTP);
}

/* The doctor orders through the page; the order's id. */
static long long
order(struct it_jar *j, long long pid, long long enc, const char *priority, const char *fields)
{
	struct http_response r = { 0 };
	const char *loc, *p;
	long long id;

	it_postf(j, &r, T(it_fmt("/patients/%lld/encounters/%lld/lab/new", pid, enc)),
	         "&priority=%s&note=On%%20warfarin%s", priority, fields);
	loc = http_header(&r, "Location");
	ck_assert_msg(r.status == 303 && loc && (p = strstr(loc, "created=")), "no order: %ld %.800s", r.status, r.body);
	id = atoll(p + 8);
	http_response_free(&r);
	return id;
}

static long long
result_count(long long id)
{
	return it_sql_int("SELECT count(*) FROM lab.results WHERE order_id = %lld", id);
}

/* ------------------------------------------------------------ tests */

/* Order, worklist, collect, enter (refusals keep the form), release. */
START_TEST(test_order_enter_release)
{
	struct it_jar d, l;
	struct http_response r = { 0 };
	long long enc, pid = patient("labflow", &enc), id, urgent;
	char code[16];

	catalog();
	it_sign_in(&d, D1_EMAIL, D1_PASS, D1_TOTP);
	/* the form: panels listed; the search finds a single test, no JavaScript */
	ck_assert_int_eq(it_getf(&d, &r, "/patients/%lld/encounters/%lld/lab/new?q=tstprote", pid, enc), 200);
	HAS(&r, "value=\"99900-0\"");
	HAS(&r, "Tstproteína en orina");
	/* nothing chosen: refused, the note kept */
	ck_assert_int_eq(it_postf(&d, &r, T(it_fmt("/patients/%lld/encounters/%lld/lab/new", pid, enc)),
	                          "&priority=routine&note=Keep%%20me"), 422);
	HAS(&r, "Elija al menos un perfil o una prueba");
	HAS(&r, "Keep me");
	id = order(&d, pid, enc, "routine", "&panel=99900-0&test=99903-3&test=99901-1");
	urgent = order(&d, pid, enc, "urgent", "&test=99903-3");
	/* the panel expanded, the test in both once */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM lab.order_tests WHERE order_id = %lld", id), 3);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM lab.order_tests WHERE order_id = %lld AND panel = '99900-0'", id), 2);
	ck_assert_int_eq(it_audit_count("lab.order_created", D1_EMAIL, T(it_fmt("AND e.subject_id = %lld", pid))), 2);
	it_sql_str(code, sizeof(code), "SELECT order_code FROM lab.orders WHERE id = %lld", id);

	lab_user(&l, LAB_EMAIL);
	/* the worklist: urgent first */
	ck_assert_int_eq(it_get(&l, &r, "/lab"), 200);
	const char *u = strstr(r.body, T(it_fmt("/lab/orders/%lld\"", urgent))), *o = strstr(r.body, T(it_fmt("/lab/orders/%lld\"", id)));
	ck_assert_msg(u && o && u < o, "the urgent order is not listed before the routine one");
	/* found by its code as printed, lower case with a dash */
	char typed[16];
	snprintf(typed, sizeof(typed), "%.5s-%.5s", code, code + 5);
	for (char *c = typed; *c; c++)
		*c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
	ck_assert_int_eq(it_getf(&l, &r, "/lab?code=%s", typed), 303);
	it_assert_redirect(&r, T(it_fmt("/lab/orders/%lld", id)), "worklist code search");
	ck_assert_int_eq(it_get(&l, &r, "/lab?code=ZZZZZ-ZZZZZ"), 200);
	HAS(&r, "Ninguna petición tiene ese código");
	/* not collected: no entry */
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/results", id)), "&v_99901_1=4.0"), 409);
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/collect", id)), "%s", ""), 303);
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/collect", id)), "%s", ""), 409);
	/* refusals: nothing stored, each field's message, the typed values kept */
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/results", id)),
	                          "&v_99901_1=4%%2C25&v_99902_2=140&v_99903_3=lots"), 422);
	HAS(&r, "como mucho este número de decimales: 1");
	HAS(&r, "no puede ser una medida real. Los valores plausibles son 1 – 25 g/dL");
	HAS(&r, "Elija una de las respuestas de la lista");
	HAS(&r, "value=\"4,25\"");
	HAS(&r, "value=\"140\"");
	ck_assert_int_eq(result_count(id), 0);
	/* a unit that does not convert */
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/results", id)), "&v_99902_2=14&u_99902_2=mg%%2FdL"), 422);
	HAS(&r, "no se puede convertir desde la unidad mg/dL");
	ck_assert_int_eq(result_count(id), 0);
	/* accepted: 140 g/L is 14.0 g/dL; flags by the server */
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/results", id)),
	                          "&v_99901_1=5%%2C2&v_99902_2=140&u_99902_2=g%%2FL&v_99903_3=trace&flag=normal"), 303);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM lab.results WHERE order_id = %lld AND analyte = '99902-2' "
	                            "AND value_num = 14.0 AND flag = 'normal' AND ref_low = 12", id), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM lab.results WHERE order_id = %lld AND analyte = '99901-1' "
	                            "AND flag = 'high'", id), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM lab.results WHERE order_id = %lld AND analyte = '99903-3' "
	                            "AND flag = 'abnormal'", id), 1);
	ck_assert_int_eq(it_audit_count("lab.result_entered", LAB_EMAIL, T(it_fmt("AND e.subject_id = %lld", pid))), 3);
	ck_assert_int_eq(it_getf(&l, &r, "/lab/orders/%lld", id), 200);
	HAS(&r, "▲ Alto");
	HAS(&r, "‼ Anormal");
	HAS(&r, "Introducido, sin publicar");
	/* nothing released: the patient's view and every export read none */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM lab.released_results WHERE order_id = %lld", id), 0);
	/* release: the confirmation is explicit */
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/release", id)), "%s", ""), 422);
	HAS(&r, "marque antes la confirmación");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM lab.releases s JOIN lab.results x ON x.id = s.result_id "
	                            "WHERE x.order_id = %lld", id), 0);
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/release", id)), "&confirm=1"), 303);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM lab.released_results WHERE order_id = %lld AND NOT corrected", id), 3);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM lab.releases s JOIN lab.results x ON x.id = s.result_id "
	                            "WHERE x.order_id = %lld AND s.verified_by IS NULL", id), 3);
	ck_assert_int_eq(it_audit_count("lab.released", LAB_EMAIL, T(it_fmt("AND e.subject_id = %lld", pid))), 3);
	/* the patient is told once per order, with no clinical content */
	ck_assert_msg(it_sql_wait("1", 30, "SELECT count(*) FROM outbox.notices WHERE user_id = %lld AND kind = 'lab_ready' "
	                          "AND link = '/results/%lld'", pid, id) == 0, "the patient's notice did not arrive");
	ck_assert_msg(it_sql_wait("done", 30, "SELECT status FROM outbox.events WHERE type = 'lab.results_ready' "
	                          "AND payload->>'order_id' = '%lld'", id) == 0, "the results-ready mail was not sent");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type LIKE 'lab.%%' AND payload::text ILIKE '%%tst%%'"), 0);
	/* released: out of the worklist, nothing more to release */
	ck_assert_int_eq(it_get(&l, &r, "/lab"), 200);
	LACKS(&r, T(it_fmt("/lab/orders/%lld\"", id)));
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/release", id)), "&confirm=1"), 409);
	/* results are never changed in place, by anyone */
	ck_assert_int_ne(http_sql(T(it_fmt("UPDATE lab.results SET value_num = 1 WHERE order_id = %lld", id))), 0);
	ck_assert_int_ne(http_sql(T(it_fmt("DELETE FROM lab.releases WHERE result_id IN (SELECT id FROM lab.results "
	                                   "WHERE order_id = %lld)", id))), 0);
	http_response_free(&r);
	it_kept_free();
}
END_TEST

/* A correction: a new version with a reason, the old one kept; released
 * again it is marked corrected and doctor and patient are told. */
START_TEST(test_correction)
{
	struct it_jar d, l;
	struct http_response r = { 0 };
	long long enc, pid = patient("labcorr", &enc), id;

	catalog();
	it_sign_in(&d, D1_EMAIL, D1_PASS, D1_TOTP);
	id = order(&d, pid, enc, "routine", "&test=99902-2");
	lab_user(&l, LAB_EMAIL);
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/collect", id)), "%s", ""), 303);
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/results", id)), "&v_99902_2=11.0"), 303);
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/release", id)), "&confirm=1"), 303);
	/* no reason: refused, the value kept */
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/correct", id)), "&analyte=99902-2&value=13.2&reason="), 422);
	HAS(&r, "value=\"13.2\"");
	ck_assert_int_eq(result_count(id), 1);
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/correct", id)),
	                          "&analyte=99902-2&value=13.2&reason=Transcription%%20error"), 303);
	/* until released again the patient still reads version 1 */
	ck_assert_int_eq(it_sql_int("SELECT version FROM lab.released_results WHERE order_id = %lld", id), 1);
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/release", id)), "&confirm=1"), 303);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM lab.released_results WHERE order_id = %lld AND version = 2 "
	                            "AND corrected AND value_num = 13.2 AND flag = 'normal'", id), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM lab.results WHERE order_id = %lld AND version = 1 "
	                            "AND value_num = 11.0 AND flag = 'low'", id), 1);
	ck_assert_int_eq(it_audit_count("lab.result_corrected", LAB_EMAIL, T(it_fmt("AND e.subject_id = %lld", pid))), 1);
	ck_assert_msg(it_sql_wait("1", 30, "SELECT count(*) FROM outbox.notices WHERE user_id = %lld AND kind = 'lab_corrected'",
	                          pid) == 0, "the patient was not told");
	ck_assert_msg(it_sql_wait("1", 30, "SELECT count(*) FROM outbox.notices n JOIN auth.users u ON u.id = n.user_id "
	                          "WHERE u.email = '" D1_EMAIL "' AND n.kind = 'lab_corrected_doctor' "
	                          "AND n.link = '/patients/%lld/results'", pid) == 0, "the doctor was not told");
	ck_assert_msg(it_sql_wait("2", 30, "SELECT count(*) FROM outbox.events WHERE type = 'lab.result_corrected' "
	                          "AND payload->>'order_id' = '%lld' AND status = 'done'", id) == 0,
	              "the correction mails were not sent");
	http_response_free(&r);
	it_kept_free();
}
END_TEST

/* SIGHUP medsysd and wait until its log says every worker was replaced. */
static void
reload(void)
{
	char *log = it_fmt("%s/log/medsysd.log", it_env("MEDSYS_STACK_DIR")), *text = it_slurp(log);
	size_t before = text ? str_count(text, "reload done") : 0, now = before;

	free(text);
	ck_assert_int_eq(it_harness("reload"), 0);
	for (int i = 0; i < 300 && now == before; i++) {
		it_sleep_ms(50);
		text = it_slurp(log);
		now = text ? str_count(text, "reload done") : 0;
		free(text);
	}
	free(log);
	ck_assert_msg(now > before, "medsysd did not finish reloading");
}

/* With lab_release_second_person = yes only someone else releases. */
START_TEST(test_second_person)
{
	struct it_jar d, l, m;
	struct http_response r = { 0 };
	long long enc, pid = patient("lab2nd", &enc), id;
	char *conf = it_slurp(it_env("MEDSYS_CONF"));

	catalog();
	it_sign_in(&d, D1_EMAIL, D1_PASS, D1_TOTP);
	id = order(&d, pid, enc, "routine", "&test=99901-1");
	lab_user(&l, LAB_EMAIL);
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/collect", id)), "%s", ""), 303);
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/results", id)), "&v_99901_1=4.0"), 303);
	FILE *f = fopen(it_env("MEDSYS_CONF"), "a");
	ck_assert_ptr_nonnull(f);
	fputs("\nlab_release_second_person = yes\n", f);
	fclose(f);
	reload();
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/release", id)), "&confirm=1"), 409);
	HAS(&r, "exige que otra persona publique");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM lab.released_results WHERE order_id = %lld", id), 0);
	lab_user(&m, LAB2_EMAIL);
	ck_assert_int_eq(it_postf(&m, &r, T(it_fmt("/lab/orders/%lld/release", id)), "%s", ""), 303);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM lab.releases s JOIN lab.results x ON x.id = s.result_id "
	                            "JOIN auth.users u ON u.id = s.verified_by WHERE x.order_id = %lld AND u.email = '"
	                            LAB2_EMAIL "'", id), 1);
	/* the configuration as it was */
	f = fopen(it_env("MEDSYS_CONF"), "w");
	ck_assert_ptr_nonnull(f);
	fputs(conf, f);
	fclose(f);
	reload();
	free(conf);
	http_response_free(&r);
	it_kept_free();
}
END_TEST

/* it_maildir_scan: messages to `to` whose text has `has` (NULL: any). */
struct mail_want {
	const char *to, *has, *lacks;
	int n, bad;
};

static int
count_mail(const char *name, char *text, void *arg)
{
	struct mail_want *w = arg;
	char *to = it_mail_header(text, "To");

	(void)name;
	if (to && strstr(to, w->to) && (w->has == NULL || strstr(text, w->has))) {
		w->n++;
		if (w->lacks && strstr(text, w->lacks))
			w->bad++;
	}
	free(to);
	return 0;
}

static int
mails(const char *to, const char *has, const char *lacks, int *bad)
{
	struct mail_want w = { to, has, lacks, 0, 0 };

	it_maildir_scan(count_mail, &w);
	if (bad)
		*bad = w.bad;
	return w.n;
}

/* A critical value: the doctor's urgent notice and mail (no clinical
 * content), the escalation due after lab_critical_ack_minutes, sent once
 * to the on-call address; an acknowledged one is not escalated. */
START_TEST(test_critical)
{
	struct it_jar d, l;
	struct http_response r = { 0 };
	long long enc, pid = patient("labcrit", &enc), id, rid, rid2;
	int bad = 0;

	catalog();
	it_sign_in(&d, D1_EMAIL, D1_PASS, D1_TOTP);
	id = order(&d, pid, enc, "urgent", "&test=99901-1&test=99902-2");
	lab_user(&l, LAB_EMAIL);
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/collect", id)), "%s", ""), 303);
	/* the boundaries: 6.5 is critical (>= critical_high), 20 too */
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/results", id)), "&v_99901_1=6.5&v_99902_2=20"), 303);
	rid = it_sql_int("SELECT id FROM lab.results WHERE order_id = %lld AND analyte = '99901-1'", id);
	rid2 = it_sql_int("SELECT id FROM lab.results WHERE order_id = %lld AND analyte = '99902-2'", id);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM lab.results WHERE order_id = %lld AND flag = 'critical_high'", id), 2);
	/* entered, not released: nobody is told yet */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM lab.critical_alerts WHERE result_id IN (%lld, %lld)", rid, rid2), 0);
	int before = mails(ONCALL, NULL, NULL, NULL);
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/release", id)), "&confirm=1"), 303);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM lab.critical_alerts c JOIN auth.users u ON u.id = c.doctor_user "
	                            "WHERE c.result_id IN (%lld, %lld) AND u.email = '" D1_EMAIL "'", rid, rid2), 2);
	ck_assert_int_eq(it_audit_count("lab.critical_notified", LAB_EMAIL, T(it_fmt("AND e.subject_id = %lld", pid))), 2);
	ck_assert_msg(it_sql_wait("2", 30, "SELECT count(*) FROM outbox.notices n JOIN auth.users u ON u.id = n.user_id "
	                          "WHERE u.email = '" D1_EMAIL "' AND n.kind = 'lab_critical' AND n.link IN "
	                          "('/lab/critical/%lld', '/lab/critical/%lld')", rid, rid2) == 0, "no urgent notice");
	ck_assert_msg(it_sql_wait("2", 30, "SELECT count(*) FROM outbox.events WHERE type = 'lab.critical' AND status = 'done' "
	                          "AND payload->>'result_id' IN ('%lld', '%lld')", rid, rid2) == 0, "no critical mail");
	ck_assert_int_eq(mails("doctor1@clinic.test", T(it_fmt("/lab/critical/%lld", rid)), "Tst", &bad), 1);
	ck_assert_int_eq(bad, 0);
	/* the escalations are scheduled once each, after the configured 30 minutes */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'lab.critical_escalate' "
	                            "AND payload->>'result_id' IN ('%lld', '%lld') AND status = 'pending' "
	                            "AND due_at - created_at BETWEEN interval '29 minutes' AND interval '31 minutes'",
	                            rid, rid2), 2);
	/* the doctor acknowledges the second one on its page */
	ck_assert_int_eq(it_getf(&d, &r, "/lab/critical/%lld", rid2), 200);
	HAS(&r, "‼ ▲ Críticamente alto");
	HAS(&r, "20.0");
	ck_assert_int_eq(it_postf(&d, &r, T(it_fmt("/lab/critical/%lld/ack", rid2)), "%s", ""), 303);
	ck_assert_int_eq(it_postf(&d, &r, T(it_fmt("/lab/critical/%lld/ack", rid2)), "%s", ""), 303);   /* a second click */
	ck_assert_int_eq(it_audit_count("lab.critical_ack", D1_EMAIL, T(it_fmt("AND e.object = 'result:%lld'", rid2))), 1);
	/* the time passes: both escalations fall due */
	it_sql("UPDATE outbox.events SET due_at = now() WHERE type = 'lab.critical_escalate' "
	       "AND payload->>'result_id' IN ('%lld', '%lld')", rid, rid2);
	it_sql("SELECT pg_notify('medsys_events', '0')");
	ck_assert_msg(it_sql_wait("2", 30, "SELECT count(*) FROM outbox.events WHERE type = 'lab.critical_escalate' "
	                          "AND status = 'done' AND payload->>'result_id' IN ('%lld', '%lld')", rid, rid2) == 0,
	              "the escalations were not processed");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM lab.critical_alerts WHERE result_id = %lld AND escalated_at IS NOT NULL", rid), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM lab.critical_alerts WHERE result_id = %lld AND escalated_at IS NULL", rid2), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'lab.critical_escalated' "
	                            "AND object = 'result:%lld'", rid), 1);
	/* exactly once: one mail to the on-call address, none for the acknowledged one */
	for (int i = 0; i < 100 && mails(ONCALL, NULL, NULL, NULL) < before + 1; i++)
		it_sleep_ms(100);
	it_sleep_ms(500);
	ck_assert_int_eq(mails(ONCALL, NULL, NULL, NULL), before + 1);
	ck_assert_int_eq(mails(ONCALL, T(it_fmt("/lab/critical/%lld", rid)), "Tst", &bad), 1);
	ck_assert_int_eq(bad, 0);
	/* a repeated event is refused by its key; the escalation is never set twice */
	it_sql("INSERT INTO outbox.events (type, payload, dedup_key) VALUES ('lab.critical_escalate', "
	       "jsonb_build_object('result_id', %lld), 'lab.critical_escalate:%lld') ON CONFLICT (dedup_key) DO NOTHING", rid, rid);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE dedup_key = 'lab.critical_escalate:%lld'", rid), 1);
	ck_assert_int_ne(http_sql(T(it_fmt("UPDATE lab.critical_alerts SET escalated_at = now() + interval '1 hour' "
	                                   "WHERE result_id = %lld", rid))), 0);
	ck_assert_int_eq(it_getf(&d, &r, "/lab/critical"), 200);
	HAS(&r, "Tstpotasio");
	http_response_free(&r);
	it_kept_free();
}
END_TEST

/* The label: a small PDF with the patient and the order code, as text
 * and as a QR code that scans back to the code. */
START_TEST(test_label)
{
	struct it_jar d, l;
	struct http_response r = { 0 };
	long long enc, pid = patient("lablabel", &enc), id;
	char code[16], *out = NULL;
	char dir[] = "/tmp/medsys-lab-XXXXXX";

	catalog();
	it_sign_in(&d, D1_EMAIL, D1_PASS, D1_TOTP);
	id = order(&d, pid, enc, "urgent", "&test=99901-1");
	it_sql_str(code, sizeof(code), "SELECT order_code FROM lab.orders WHERE id = %lld", id);
	lab_user(&l, LAB_EMAIL);
	ck_assert_int_eq(it_getf(&l, &r, "/lab/orders/%lld/label.pdf", id), 200);
	ck_assert_int_eq(memcmp(r.body, "%PDF", 4), 0);
	ck_assert_uint_lt(r.body_len, 20000);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	FILE *f = fopen(T(it_fmt("%s/label.pdf", dir)), "w");
	ck_assert_ptr_nonnull(f);
	fwrite(r.body, 1, r.body_len, f);
	fclose(f);
	ck_assert_int_eq(check_runf(&out, "qpdf --check '%s/label.pdf' 2>&1", dir), 0);
	free(out);
	ck_assert_int_eq(check_runf(&out, "pdftotext -raw -enc UTF-8 '%s/label.pdf' - 2>&1", dir), 0);
	ck_assert_msg(strstr(out, "Paciente Analítica") && strstr(out, "Nac. 1980-05-01") && strstr(out, "URGENTE") &&
	              strstr(out, T(it_fmt("%.5s-%.5s", code, code + 5))), "label text: %s", out);
	free(out);
	ck_assert_int_eq(check_runf(&out, "pdftoppm -r 300 -png '%s/label.pdf' '%s/label' && zbarimg --raw -q '%s'/label*.png",
	                            dir, dir, dir), 0);
	ck_assert_msg(strncmp(out, code, 10) == 0, "the QR reads \"%s\", not %s", out, code);
	free(out);
	ck_assert_int_eq(it_audit_count("lab.label", LAB_EMAIL, T(it_fmt("AND e.subject_id = %lld", pid))), 1);
	check_runf(&out, "rm -rf '%s'", dir);
	free(out);
	http_response_free(&r);
	it_kept_free();
}
END_TEST

/* Who sees what: lab staff the lab pages and no other clinical record;
 * a doctor only their patients' orders; a patient none of the lab's
 * pages (their results are lab.released_results only). */
START_TEST(test_authorization)
{
	struct it_jar d, l, p, o, x;
	struct http_response r = { 0 };
	long long enc, pid = patient("labauth", &enc), id, rid;
	char *email = it_unique_email("labauthp");
	struct it_user pu = { .email = email, .name = "Paciente Propia" };

	catalog();
	it_make_user(&pu);
	it_staff_account(D2_EMAIL, "Dr. Test Dos", "doctor", "T-0002");
	it_staff_account(R1_EMAIL, "Recepción Uno", "reception", NULL);
	it_sign_in(&d, D1_EMAIL, D1_PASS, D1_TOTP);
	id = order(&d, pid, enc, "routine", "&test=99901-1");
	lab_user(&l, LAB_EMAIL);
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/collect", id)), "%s", ""), 303);
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/results", id)), "&v_99901_1=2.0"), 303);
	rid = it_sql_int("SELECT id FROM lab.results WHERE order_id = %lld", id);
	/* lab staff: the order, not the record */
	ck_assert_int_eq(it_getf(&l, &r, "/lab/orders/%lld", id), 200);
	ck_assert_int_eq(it_getf(&l, &r, "/patients/%lld/record", pid), 403);
	ck_assert_int_eq(it_getf(&l, &r, "/patients/%lld/encounters/%lld", pid, enc), 403);
	ck_assert_int_eq(it_getf(&l, &r, "/patients/%lld/rx", pid), 403);
	ck_assert_int_eq(it_getf(&l, &r, "/patients/%lld/encounters/%lld/lab/new", pid, enc), 403);
	ck_assert_int_eq(it_getf(&l, &r, "/lab/critical"), 403);
	/* the patient: none of the lab's pages, unreleased or not */
	it_sign_in(&p, email, P1_PASS, NULL);
	ck_assert_int_eq(it_get(&p, &r, "/lab"), 403);
	ck_assert_int_eq(it_getf(&p, &r, "/lab/orders/%lld", id), 403);
	ck_assert_int_eq(it_getf(&p, &r, "/lab/orders/%lld/label.pdf", id), 403);
	ck_assert_int_eq(it_getf(&p, &r, "/lab/critical/%lld", rid), 403);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM lab.released_results WHERE order_id = %lld", id), 0);
	/* doctor 2 has no care relationship: no order form, not doctor 1's critical values */
	it_sign_in(&o, D2_EMAIL, D1_PASS, D1_TOTP);
	ck_assert_int_eq(it_postf(&o, &r, T(it_fmt("/patients/%lld/encounters/%lld/lab/new", pid, enc)),
	                          "&priority=routine&test=99901-1"), 403);
	ck_assert_int_eq(it_getf(&o, &r, "/patients/%lld/encounters/%lld/lab/new", pid, enc), 403);
	ck_assert_int_eq(it_postf(&l, &r, T(it_fmt("/lab/orders/%lld/release", id)), "&confirm=1"), 303);
	ck_assert_int_eq(it_getf(&o, &r, "/lab/critical/%lld", rid), 404);
	ck_assert_int_eq(it_postf(&o, &r, T(it_fmt("/lab/critical/%lld/ack", rid)), "%s", ""), 404);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM lab.critical_alerts WHERE result_id = %lld AND acknowledged_at IS NULL", rid), 1);
	/* doctors do not use the lab's pages; reception neither */
	ck_assert_int_eq(it_getf(&d, &r, "/lab/orders/%lld", id), 403);
	ck_assert_int_eq(it_postf(&d, &r, T(it_fmt("/lab/orders/%lld/release", id)), "&confirm=1"), 403);
	it_sign_in(&x, R1_EMAIL, D1_PASS, D1_TOTP);
	ck_assert_int_eq(it_get(&x, &r, "/lab"), 403);
	ck_assert_int_eq(it_getf(&x, &r, "/lab/orders/%lld", id), 403);
	/* an order for another patient's encounter is refused by the database */
	ck_assert_int_ne(http_sql(T(it_fmt("INSERT INTO lab.orders (patient_id, encounter_id, ordered_by) VALUES "
	                                   "(%lld, %lld, 1)", it_user_id(email), enc))), 0);
	free(email);
	http_response_free(&r);
	it_kept_free();
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("lab");
	int rc;

	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, test_order_enter_release);
	tcase_add_test(tc, test_correction);
	tcase_add_test(tc, test_second_person);
	tcase_add_test(tc, test_critical);
	tcase_add_test(tc, test_label);
	tcase_add_test(tc, test_authorization);
	rc = tcase_run_alone("lab", tc);
	http_client_cleanup();
	return rc;
}
