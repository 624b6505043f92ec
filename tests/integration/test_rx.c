/* test_rx: writing prescriptions against a real stack (tests/integration/
 * rx.stack): a draft in an encounter, items with the plain-words preview
 * and the suggested quantity, every kind of safety warning from a table of
 * seeded conflicts, overrides (no reason refused, a severe one needs the
 * confirmation), signing (token, medication list, notice and event),
 * a signed prescription refused by the pages and by the database,
 * cancelling, the patient's list / page / PDF, another patient's id (404,
 * the attempt on the audit trail), reception and lab refused (403,
 * audited). Its catalog rows are its own ("tst" names), so it depends on
 * no shipped data. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check_util.h"
#include "care_test.h"
#include "fixtures.h"
#include "http_client.h"

#define HAS(r, s) ck_assert_msg(strstr((r)->body, (s)) != NULL, "page lacks \"%s\": %.1500s", (s), (r)->body)
#define LACKS(r, s) ck_assert_msg(strstr((r)->body, (s)) == NULL, "page has \"%s\"", (s))
#define STATUS(r, n) ck_assert_msg((r)->status == (n), "status %ld, expected %d: %.1500s", (r)->status, (n), (r)->body)
#define LAB_EMAIL "lab1@clinic.test"

/* ------------------------------------------------------------ fixture */

/* Strings made for one call (paths, SQL, audit filters), freed when the
 * test ends (T_free): a sanitizer build counts every byte. */
static char *tpool[64];
static size_t tn;

static char *
T(char *s)
{
	ck_assert_msg(tn < sizeof(tpool) / sizeof(tpool[0]), "too many temporary strings");
	return tpool[tn++] = s;
}

static void
T_free(void)
{
	while (tn)
		free(tpool[--tn]);
}


/* The test's own catalog: products, interactions, an allergy word. */
static void
catalog(void)
{
	it_sql("INSERT INTO rx.products (code, atc, ingredients, classes, name_es, name_en, strength, dose_form, route, "
	       "dose_unit, unit_mg, max_daily_mg, max_daily_mg_kg, pregnancy, source) "
	       "SELECT c, a, i::text[], k::text[], ne, nn, s, 'tablet', 'oral', u, m, x, y, p, 'test_rx' FROM (VALUES "
	       "('tst-amoxi-500','J01CA04','{tstamoxicillin}','{tst_penicillins}','Tstamoxicilina 500 mg cápsulas','Tstamoxicillin 500 mg capsules','500 mg','capsule',500,3000,90,'compatible'),"
	       "('tst-ibu-400','M01AE01','{tstibuprofen}','{tst_nsaids}','Tstibuprofeno 400 mg comprimidos','Tstibuprofen 400 mg tablets','400 mg','tablet',400,2400,30,'avoid'),"
	       "('tst-napro-500','M01AE02','{tstnaproxen}','{tst_nsaids}','Tstnaproxeno 500 mg comprimidos','Tstnaproxen 500 mg tablets','500 mg','tablet',500,1500,NULL,'avoid'),"
	       "('tst-warfa-5','B01AA03','{tstwarfarin}','{}','Tstwarfarina 5 mg comprimidos','Tstwarfarin 5 mg tablets','5 mg','tablet',5,NULL,NULL,'avoid'),"
	       "('tst-sertra-50','N06AB06','{tstsertraline}','{tst_ssri}','Tstsertralina 50 mg comprimidos','Tstsertraline 50 mg tablets','50 mg','tablet',50,200,NULL,'caution'),"
	       "('tst-phenel-15','N06AF03','{tstphenelzine}','{tst_maoi}','Tstfenelzina 15 mg comprimidos','Tstphenelzine 15 mg tablets','15 mg','tablet',15,90,NULL,'unknown'),"
	       "('tst-enala-10','C09AA02','{tstenalapril}','{tst_acei}','Tstenalapril 10 mg comprimidos','Tstenalapril 10 mg tablets','10 mg','tablet',10,40,NULL,'avoid'),"
	       "('tst-spiro-25','C03DA01','{tstspironolactone}','{tst_ksparing}','Tstespironolactona 25 mg comprimidos','Tstspironolactone 25 mg tablets','25 mg','tablet',25,400,NULL,'avoid'),"
	       "('tst-parac-500','N02BE01','{tstparacetamol}','{}','Tstparacetamol 500 mg comprimidos','Tstparacetamol 500 mg tablets','500 mg','tablet',500,4000,60,'compatible')"
	       ") v(c,a,i,k,ne,nn,s,u,m,x,y,p) ON CONFLICT DO NOTHING");
	it_sql("INSERT INTO rx.interactions (a, b, severity, effect_es, effect_en, source) VALUES "
	       "('class:tst_nsaids','tstwarfarin','major','Riesgo de hemorragia','Bleeding risk','test_rx'),"
	       "('class:tst_maoi','class:tst_ssri','contraindicated','Síndrome serotoninérgico','Serotonin syndrome','test_rx'),"
	       "('class:tst_acei','class:tst_ksparing','moderate','Hiperpotasemia','Hyperkalaemia','test_rx') "
	       "ON CONFLICT DO NOTHING");
	it_sql("INSERT INTO rx.allergy_terms (term, matches, source) VALUES ('tstpenicilina','class:tst_penicillins','test_rx') "
	       "ON CONFLICT DO NOTHING");
}

/* A record entry of the patient (allergy or medication) made in SQL. */
static void
allergy(long long pid, const char *substance, const char *type, const char *severity)
{
	it_sql("WITH i AS (INSERT INTO ehr.items (patient_id, kind, created_by) SELECT %lld, 'allergy', id FROM auth.users "
	       "WHERE email = '" D1_EMAIL "' RETURNING id, created_by) INSERT INTO ehr.allergy_versions (item_id, version, "
	       "substance, type, category, severity, status, recorded_by) SELECT id, 1, '%s', '%s', 'medication', '%s', "
	       "'active', created_by FROM i", pid, substance, type, severity);
}

static void
medication(long long pid, const char *name)
{
	it_sql("WITH i AS (INSERT INTO ehr.items (patient_id, kind, created_by) SELECT %lld, 'medication', id FROM auth.users "
	       "WHERE email = '" D1_EMAIL "' RETURNING id, created_by) INSERT INTO ehr.medication_versions (item_id, version, "
	       "name, status, recorded_by) SELECT id, 1, '%s', 'active', created_by FROM i", pid, name);
}

/* A patient of their own for each test (so the record's state is the
 * test's), with a completed visit of doctor 1 days ago and its encounter. */
static long long
patient(const char *tag, const char *birth, long long *encounter)
{
	long long pid = care_patient_with_visit(tag, "Paciente Receta", encounter);

	if (birth)
		it_sql("UPDATE auth.users SET birth_date = '%s' WHERE id = %lld", birth, pid);
	return pid;
}

static void
doctor(struct it_jar *j)
{
	it_sign_in(j, D1_EMAIL, D1_PASS, D1_TOTP);
}

/* A new draft through the page; its id. */
static long long
draft(struct it_jar *j, long long pid, long long enc, const char *weight, const char *pregnant)
{
	struct http_response r = { 0 };
	char *path = it_fmt("/patients/%lld/encounters/%lld/rx/new", pid, enc);
	const char *loc, *p;
	long long id;

	it_post(j, &r, path, "csrf", j->form_csrf, "weight", weight, "pregnant", pregnant, (char *)NULL);
	loc = http_header(&r, "Location");
	ck_assert_msg(r.status == 303 && loc && (p = strstr(loc, "/rx/")), "no draft: %ld %.500s", r.status, r.body);
	id = atoll(p + 4);
	http_response_free(&r);
	free(path);
	return id;
}

/* POST an item; the status. */
static long
add(struct it_jar *j, long long pid, long long id, const char *product, const char *amount, const char *every,
    const char *days, const char *qty)
{
	struct http_response r = { 0 };
	char *path = it_fmt("/patients/%lld/rx/%lld/items", pid, id);
	const char *unit = strcmp(product, "tst-amoxi-500") == 0 ? "capsule" : "tablet";
	long st = it_post(j, &r, path, "product", product, "dose_amount", amount, "dose_unit", unit, "route", "oral",
	                  "every_hours", every, "duration_days", days, "advice", "", "quantity", qty, "refills", "0",
	                  "csrf", j->form_csrf, (char *)NULL);

	http_response_free(&r);
	free(path);
	return st;
}

/* Warnings of kind and severity stored for the draft (after a showing). */
static long long
warned(long long id, const char *kind, const char *severity)
{
	return it_sql_int("SELECT count(*) FROM rx.warnings WHERE prescription_id = %lld AND kind = '%s' "
	                  "AND severity = '%s'", id, kind, severity);
}

/* ------------------------------------------------------------ tests */

/* Write: the draft page, the picker's search and pick (no JavaScript),
 * the suggested quantity, an item in plain words, removal. */
START_TEST(test_write_preview)
{
	struct it_jar j;
	struct http_response r = { 0 };
	long long enc, pid = patient("rxwrite", "1980-05-01", &enc), id;

	catalog();
	doctor(&j);
	ck_assert_int_eq(it_getf(&j, &r, "/patients/%lld/encounters/%lld/rx", pid, enc), 200);
	HAS(&r, "/rx/new");
	id = draft(&j, pid, enc, "70", "");
	ck_assert_int_eq(it_getf(&j, &r, "/patients/%lld/rx/%lld?q=tstamoxi&search=1", pid, id), 200);
	HAS(&r, "name=\"pick\" value=\"tst-amoxi-500\"");
	ck_assert_int_eq(it_getf(&j, &r, "/patients/%lld/rx/%lld?pick=tst-amoxi-500&dose_amount=1&dose_unit=capsule"
	                         "&route=oral&every_hours=8&duration_days=7", pid, id), 200);
	HAS(&r, "name=\"product\" value=\"tst-amoxi-500\"");
	HAS(&r, "<strong>21</strong>");                       /* 1 every 8 h for 7 days */
	LACKS(&r, "name=\"csrf\" value=\"\"");
	ck_assert_int_eq(add(&j, pid, id, "tst-amoxi-500", "1", "8", "7", ""), 303);   /* quantity: suggested */
	ck_assert_int_eq(it_sql_int("SELECT quantity FROM rx.items WHERE prescription_id = %lld AND line = 1", id), 21);
	ck_assert_int_eq(it_getf(&j, &r, "/patients/%lld/rx/%lld", pid, id), 200);
	HAS(&r, "1 cápsula por vía oral cada 8 horas durante 7 días");
	HAS(&r, "Sin avisos");
	/* validation keeps the input: a repeated dose needs an end */
	char *path = it_fmt("/patients/%lld/rx/%lld/items", pid, id);
	ck_assert_int_eq(it_post(&j, &r, path, "product", "tst-parac-500", "dose_amount", "1,5", "dose_unit", "tablet",
	                         "route", "oral", "every_hours", "6", "csrf", j.form_csrf, (char *)NULL), 422);
	HAS(&r, "value=\"1,5\"");
	ck_assert_int_eq(add(&j, pid, id, "tst-parac-500", "1", "6", "3", "12"), 303);
	ck_assert_int_eq(it_postf(&j, &r, T(it_fmt("/patients/%lld/rx/%lld/items/2/remove", pid, id)), "%s", ""), 303);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM rx.items WHERE prescription_id = %lld", id), 1);
	ck_assert_int_eq(it_audit_count("record.rx_item_added", D1_EMAIL, T(it_fmt("AND e.object LIKE 'prescription:%lld %%'", id))), 2);
	ck_assert_int_eq(it_audit_count("record.prescription", D1_EMAIL, T(it_fmt("AND e.subject_id = %lld", pid))) > 0, 1);
	http_response_free(&r);
	T_free();
	free(path);
}
END_TEST

/* Safety: a table of seeded conflicts, each warned with its kind and
 * severity. */
START_TEST(test_warning_table)
{
	static const struct {
		const char *what, *record, *items[2], *every[2], *amount[2], *kind, *severity, *birth, *weight, *pregnant;
	} cases[] = {
		{ "class allergy", "allergy:Tstpenicilina", { "tst-amoxi-500" }, { "8" }, { "1" }, "allergy", "major", NULL, NULL, NULL },
		{ "severe allergy", "severe:Tstpenicilina", { "tst-amoxi-500" }, { "8" }, { "1" }, "allergy", "contraindicated", NULL, NULL, NULL },
		{ "named intolerance", "intolerance:Tstibuprofeno", { "tst-ibu-400" }, { "8" }, { "1" }, "allergy", "moderate", NULL, NULL, NULL },
		{ "same ingredient taken", "med:Tstsertralina 50 mg", { "tst-sertra-50" }, { "24" }, { "1" }, "duplicate", "major", NULL, NULL, NULL },
		{ "same ATC group", NULL, { "tst-ibu-400", "tst-napro-500" }, { "8", "12" }, { "1", "1" }, "duplicate", "moderate", NULL, NULL, NULL },
		{ "major interaction", NULL, { "tst-ibu-400", "tst-warfa-5" }, { "8", "24" }, { "1", "1" }, "interaction", "major", NULL, NULL, NULL },
		{ "contraindicated", "med:Tstfenelzina 15 mg", { "tst-sertra-50" }, { "24" }, { "1" }, "interaction", "contraindicated", NULL, NULL, NULL },
		{ "moderate interaction", NULL, { "tst-enala-10", "tst-spiro-25" }, { "24", "24" }, { "1", "1" }, "interaction", "moderate", NULL, NULL, NULL },
		{ "adult maximum", NULL, { "tst-parac-500" }, { "4" }, { "3" }, "max_dose", "major", NULL, NULL, NULL },
		{ "child by weight", NULL, { "tst-parac-500" }, { "4" }, { "1" }, "max_dose", "major", "2019-01-01", "20", NULL },
		{ "pregnancy", NULL, { "tst-ibu-400" }, { "8" }, { "1" }, "pregnancy", "major", NULL, "", "t" },
	};
	struct it_jar j;
	struct http_response r = { 0 };

	catalog();
	doctor(&j);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		long long enc, pid = patient("rxwarn", cases[c].birth ? cases[c].birth : "1970-01-01", &enc), id;
		const char *rec = cases[c].record;

		if (rec && strncmp(rec, "allergy:", 8) == 0)
			allergy(pid, rec + 8, "allergy", "moderate");
		else if (rec && strncmp(rec, "severe:", 7) == 0)
			allergy(pid, rec + 7, "allergy", "severe");
		else if (rec && strncmp(rec, "intolerance:", 12) == 0)
			allergy(pid, rec + 12, "intolerance", "mild");
		else if (rec && strncmp(rec, "med:", 4) == 0)
			medication(pid, rec + 4);
		id = draft(&j, pid, enc, cases[c].weight ? cases[c].weight : "", cases[c].pregnant ? cases[c].pregnant : "");
		for (int i = 0; i < 2 && cases[c].items[i]; i++)
			ck_assert_msg(add(&j, pid, id, cases[c].items[i], cases[c].amount[i], cases[c].every[i], "5", "10") == 303,
			              "%s: item %d refused", cases[c].what, i);
		ck_assert_int_eq(it_getf(&j, &r, "/patients/%lld/rx/%lld", pid, id), 200);
		ck_assert_msg(warned(id, cases[c].kind, cases[c].severity) >= 1, "%s: no %s/%s warning (%s)", cases[c].what,
		              cases[c].kind, cases[c].severity,
		              T(it_sql_line("SELECT string_agg(kind || '/' || severity || ': ' || detail, '; ') FROM rx.warnings "
		                          "WHERE prescription_id = %lld", id)));
		HAS(&r, "/warnings/");
	}
	http_response_free(&r);
	T_free();
}
END_TEST

/* Overrides: without a reason refused; a severe one needs the separate
 * confirmation; signing waits for every override; overrides audited. */
START_TEST(test_override_and_sign)
{
	struct it_jar j;
	struct http_response r = { 0 };
	long long enc, pid = patient("rxsign", "1975-03-03", &enc), id, w_major, w_mod;
	char *base;

	catalog();
	allergy(pid, "Tstpenicilina", "allergy", "moderate");
	doctor(&j);
	id = draft(&j, pid, enc, "", "");
	base = it_fmt("/patients/%lld/rx/%lld", pid, id);
	ck_assert_int_eq(add(&j, pid, id, "tst-amoxi-500", "1", "8", "7", "21"), 303);
	ck_assert_int_eq(add(&j, pid, id, "tst-enala-10", "1", "24", "30", "30"), 303);
	ck_assert_int_eq(add(&j, pid, id, "tst-spiro-25", "1", "24", "30", "30"), 303);
	w_major = it_sql_int("SELECT id FROM rx.warnings WHERE prescription_id = %lld AND kind = 'allergy'", id);
	w_mod = it_sql_int("SELECT id FROM rx.warnings WHERE prescription_id = %lld AND kind = 'interaction'", id);
	/* signing with warnings open: 409, nothing signed */
	ck_assert_int_eq(it_postf(&j, &r, T(it_fmt("%s/sign", base)), "%s", ""), 409);
	HAS(&r, "avisos sin justificar");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM rx.signatures WHERE prescription_id = %lld", id), 0);
	/* no reason */
	ck_assert_int_eq(it_postf(&j, &r, T(it_fmt("%s/warnings/%lld", base, w_mod)), "reason="), 422);
	/* severe without the confirmation */
	ck_assert_int_eq(it_postf(&j, &r, T(it_fmt("%s/warnings/%lld", base, w_major)), "reason=Tolerated%%20it%%20in%%202024"), 422);
	HAS(&r, "casilla de confirmación");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM rx.warnings WHERE prescription_id = %lld AND override_reason IS NOT NULL", id), 0);
	/* the database refuses it too, for any code path */
	ck_assert_int_ne(http_sql(T(it_fmt("UPDATE rx.warnings SET override_reason = 'no confirmation', overridden_by = 1, "
	                                 "overridden_at = now() WHERE id = %lld", w_major))), 0);
	ck_assert_int_eq(it_postf(&j, &r, T(it_fmt("%s/warnings/%lld", base, w_major)),
	                          "reason=Tolerated%%20it%%20in%%202024&confirm=1"), 303);
	ck_assert_int_eq(it_postf(&j, &r, T(it_fmt("%s/warnings/%lld", base, w_mod)), "reason=Potassium%%20checked%%20weekly"), 303);
	ck_assert_int_eq(it_audit_count("record.rx_override", D1_EMAIL, T(it_fmt("AND e.object LIKE 'prescription:%lld %%'", id))), 2);
	/* sign */
	ck_assert_int_eq(it_postf(&j, &r, T(it_fmt("%s/sign", base)), "%s", ""), 303);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM rx.signatures WHERE prescription_id = %lld AND length(token) = 162", id), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.medications WHERE patient_id = %lld AND prescription_id = %lld "
	                            "AND status = 'active'", pid, id), 3);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'rx.notify' "
	                            "AND payload->>'prescription_id' = '%lld'", id), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'rx.notify' AND payload::text ILIKE '%%amoxi%%'"), 0);
	/* medsys-notifier mails it (template rx_issued: who, a link; no medicine) */
	ck_assert_msg(it_sql_wait("done", 30, "SELECT status FROM outbox.events WHERE type = 'rx.notify' "
	                          "AND payload->>'prescription_id' = '%lld'", id) == 0, "the rx.notify mail was not sent");
	ck_assert_msg(it_sql_wait("1", 30, "SELECT count(*) FROM outbox.notices WHERE user_id = %lld "
	                          "AND kind = 'rx_issued' AND link = '/prescriptions/%lld'", pid, id) == 0,
	              "the patient's notice did not arrive");
	ck_assert_int_eq(it_audit_count("record.rx_signed", D1_EMAIL, T(it_fmt("AND e.object LIKE 'prescription:%lld %%'", id))), 1);
	ck_assert_int_eq(it_get(&j, &r, base), 200);
	HAS(&r, "Activa");
	HAS(&r, "Tolerated it in 2024");
	/* signed: the pages refuse changes (409) and so does the database */
	ck_assert_int_eq(add(&j, pid, id, "tst-parac-500", "1", "8", "3", "9"), 409);
	ck_assert_int_eq(it_postf(&j, &r, T(it_fmt("%s/items/1/remove", base)), "%s", ""), 409);
	ck_assert_int_ne(http_sql(T(it_fmt("DELETE FROM rx.items WHERE prescription_id = %lld", id))), 0);
	ck_assert_int_ne(http_sql(T(it_fmt("UPDATE rx.items SET quantity = 99 WHERE prescription_id = %lld", id))), 0);
	ck_assert_int_ne(http_sql(T(it_fmt("INSERT INTO rx.items (prescription_id, line, product_code, dose_amount, dose_unit, "
	                                 "route, quantity) VALUES (%lld, 9, 'tst-parac-500', 1, 'tablet', 'oral', 5)", id))), 0);
	ck_assert_int_ne(http_sql(T(it_fmt("DELETE FROM rx.signatures WHERE prescription_id = %lld", id))), 0);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM rx.items WHERE prescription_id = %lld AND quantity IN (21, 30)", id), 3);
	/* dispensing beyond what remains is refused by the database */
	ck_assert_int_ne(http_sql(T(it_fmt("INSERT INTO rx.dispensings (prescription_id, line, quantity, pharmacist_id) "
	                                 "VALUES (%lld, 1, 22, 1)", id))), 0);
	http_response_free(&r);
	T_free();
	free(base);
}
END_TEST

/* Cancel: with a reason while nothing was dispensed; not after. */
START_TEST(test_cancel)
{
	struct it_jar j;
	struct http_response r = { 0 };
	long long enc, pid = patient("rxcancel", "1975-03-03", &enc), a, b;

	catalog();
	doctor(&j);
	a = draft(&j, pid, enc, "", "");
	b = draft(&j, pid, enc, "", "");
	ck_assert_int_eq(add(&j, pid, a, "tst-parac-500", "1", "8", "3", "9"), 303);
	ck_assert_int_eq(add(&j, pid, b, "tst-enala-10", "1", "8", "3", "9"), 303);
	ck_assert_int_eq(it_postf(&j, &r, T(it_fmt("/patients/%lld/rx/%lld/sign", pid, a)), "%s", ""), 303);
	ck_assert_int_eq(it_postf(&j, &r, T(it_fmt("/patients/%lld/rx/%lld/sign", pid, b)), "%s", ""), 303);
	ck_assert_int_eq(it_postf(&j, &r, T(it_fmt("/patients/%lld/rx/%lld/cancel", pid, a)), "reason=ab"), 422);
	ck_assert_int_eq(it_postf(&j, &r, T(it_fmt("/patients/%lld/rx/%lld/cancel", pid, a)), "reason=Wrong%%20medicine"), 303);
	ck_assert_str_eq(T(it_sql_line("SELECT status FROM rx.prescription_status WHERE prescription_id = %lld", a)), "cancelled");
	it_sql("INSERT INTO rx.dispensings (prescription_id, line, quantity, pharmacist_id) VALUES (%lld, 1, 4, 1)", b);
	ck_assert_str_eq(T(it_sql_line("SELECT status FROM rx.prescription_status WHERE prescription_id = %lld", b)),
	                 "partly_dispensed");
	ck_assert_int_eq(it_postf(&j, &r, T(it_fmt("/patients/%lld/rx/%lld/cancel", pid, b)), "reason=Too%%20late%%20now"), 409);
	ck_assert_int_eq(it_getf(&j, &r, "/patients/%lld/rx/%lld", pid, b), 200);   /* the doctor sees dispensing */
	HAS(&r, "Dispensado 4 de 9");
	ck_assert_int_eq(it_getf(&j, &r, "/patients/%lld/rx", pid), 200);
	HAS(&r, "Anulada");
	HAS(&r, "Dispensada en parte");
	http_response_free(&r);
	T_free();
}
END_TEST

/* The patient: the list with status, the page, the PDF; another
 * patient's id is 404 and audited; drafts never show. */
START_TEST(test_patient_pages)
{
	struct it_jar j, p, q;
	struct http_response r = { 0 };
	long long enc, pid = patient("rxpatient", "1975-03-03", &enc), id, d;
	char *email = it_sql_line("SELECT email FROM auth.users WHERE id = %lld", pid);

	catalog();
	doctor(&j);
	id = draft(&j, pid, enc, "", "");
	d = draft(&j, pid, enc, "", "");
	ck_assert_int_eq(add(&j, pid, id, "tst-amoxi-500", "1", "8", "7", "21"), 303);
	ck_assert_int_eq(it_postf(&j, &r, T(it_fmt("/patients/%lld/rx/%lld/sign", pid, id)), "%s", ""), 303);
	it_sign_in(&p, email, P1_PASS, NULL);
	ck_assert_int_eq(it_get(&p, &r, "/prescriptions"), 200);
	HAS(&r, T(it_fmt("/prescriptions/%lld", id)));
	LACKS(&r, T(it_fmt("/prescriptions/%lld\"", d)));
	HAS(&r, "Activa");
	ck_assert_int_eq(it_getf(&p, &r, "/prescriptions/%lld", id), 200);
	HAS(&r, "1 cápsula por vía oral cada 8 horas durante 7 días");
	ck_assert_int_eq(it_getf(&p, &r, "/prescriptions/%lld.pdf", id), 200);
	ck_assert_str_eq(http_header(&r, "Content-Type"), "application/pdf");
	ck_assert_int_eq(memcmp(r.body, "%PDF", 4), 0);
	ck_assert_int_eq(it_getf(&p, &r, "/prescriptions/%lld", d), 404);       /* a draft */
	/* patient 2 asking for it */
	it_sign_in(&q, P2_EMAIL, P2_PASS, NULL);
	char *asked = it_fmt("AND e.object = 'prescription:%lld basis=self'", id);
	long long before = it_audit_count("record.prescription", P2_EMAIL, asked);
	ck_assert_int_eq(it_getf(&q, &r, "/prescriptions/%lld", id), 404);
	ck_assert_int_eq(it_getf(&q, &r, "/prescriptions/%lld.pdf", id), 404);
	LACKS(&r, "Tstamoxicilina");
	ck_assert_int_eq(it_audit_count("record.prescription", P2_EMAIL, asked), before + 2);
	free(asked);
	http_response_free(&r);
	T_free();
	free(email);
}
END_TEST

/* Reception and lab cannot prescribe: 403, audited. */
START_TEST(test_roles)
{
	struct it_jar j;
	struct http_response r = { 0 };
	long long enc, pid = patient("rxroles", "1975-03-03", &enc);
	const char *who[] = { R1_EMAIL, LAB_EMAIL };

	it_staff_account(R1_EMAIL, "Recepción Uno", "reception", NULL);
	it_staff_account(LAB_EMAIL, "Laboratorio Uno", "lab", NULL);
	for (int i = 0; i < 2; i++) {
		long long before = it_audit_count("access.denied", who[i], "");
		char *path = it_fmt("/patients/%lld/encounters/%lld/rx/new", pid, enc);

		it_sign_in(&j, who[i], D1_PASS, D1_TOTP);
		ck_assert_int_eq(it_post(&j, &r, path, "csrf", j.form_csrf, "weight", "", "pregnant", "", (char *)NULL), 403);
		ck_assert_int_eq(it_getf(&j, &r, "/patients/%lld/rx", pid), 403);
		ck_assert_int_eq(it_audit_count("access.denied", who[i], ""), before + 2);
		free(path);
	}
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM rx.prescriptions WHERE patient_id = %lld", pid), 0);
	http_response_free(&r);
	T_free();
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("rx");
	int rc;

	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, test_write_preview);
	tcase_add_test(tc, test_warning_table);
	tcase_add_test(tc, test_override_and_sign);
	tcase_add_test(tc, test_cancel);
	tcase_add_test(tc, test_patient_pages);
	tcase_add_test(tc, test_roles);
	rc = tcase_run_alone("rx", tc);
	http_client_cleanup();
	return rc;
}
