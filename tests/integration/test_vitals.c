/* test_vitals: vital signs against a real stack (tests/integration/
 * vitals.stack): a doctor with a care relationship records a reading
 * (decimal comma, BMI computed from the latest height and shown, never
 * stored); implausible values refused with a message naming value, unit
 * and range, everything typed kept; a correction is a new version with a
 * reason, a stale one answers 409, entered-in-error hides the reading;
 * the patient sees their own vitals and nobody else's; a doctor without a
 * relationship gets 403, a foreign reading 404; every read audited; the
 * page of a patient with six years of weekly readings stays under 14 KB. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "http_client.h"

#define TZ "Europe/Madrid"
#define DOCTOR2 D2_EMAIL

#define HAS(r, s) ck_assert_msg(strstr((r)->body, (s)) != NULL, "page lacks \"%s\": %.3000s", (s), (r)->body)
#define LACKS(r, s) ck_assert_msg(strstr((r)->body, (s)) == NULL, "page has \"%s\"", (s))
#define STATUS(r, n) ck_assert_msg((r)->status == (n), "status %ld, expected %d: %.600s", (r)->status, (n), (r)->body)

/* ------------------------------------------------------------ helpers */

/* doctor2 (the seed's "Dr. Test Dos"), with doctor1's password and TOTP,
 * and no care relationship with anyone. */
static void
fixtures(void)
{
	it_staff_account(DOCTOR2, "Dr. Test Dos", "doctor", "T-0002");
}

/* A new patient with an upcoming appointment with doctor1 (a care
 * relationship; its time is drawn from the id, so none overlap);
 * returns the patient's id. */
static long long
new_patient(const char *tag)
{
	char *email = it_unique_email(tag);
	struct it_user u = { .email = email };
	long long id = it_make_user(&u);

	it_sql("INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode, location, reason) "
	       "SELECT d.id, %lld, date_trunc('day', now()) + interval '3 days' + make_interval(mins => %lld * 15), "
	       "date_trunc('day', now()) + interval '3 days' + make_interval(mins => %lld * 15 + 10), 'in_person', "
	       "'Consulta 1', 'Control' FROM clinic.doctors d WHERE d.licence_number = 'T-0001'",
	       id, id, id);
	free(email);
	return id;
}

/* A jar signed in as the account with that id, pages in lang. */
static void
session_as(struct it_jar *j, long long user, const char *lang)
{
	it_sql_session(j, user);
	snprintf(j->lang, sizeof(j->lang), "%s", lang);
}

static long long
readings(long long patient)
{
	return it_sql_int("SELECT count(*) FROM ehr.items WHERE patient_id = %lld AND kind = 'vitals'", patient);
}

/* POST a reading of patient p as the jar's doctor: the fields after the
 * date and time (already %-encoded); returns the status. */
static long
post_reading(struct it_jar *j, struct http_response *r, long long p, const char *when, const char *fields)
{
	char path[64];

	snprintf(path, sizeof(path), "/patients/%lld/vitals", p);
	it_getf(j, r, "%s/new", path);
	return it_postf(j, r, path, "%s&%s", when, fields);
}

/* Yesterday at 09:30 in the clinic, as form fields. */
static char *
yesterday(void)
{
	char *d = it_sql_line("SELECT to_char((now() AT TIME ZONE '" TZ "')::date - 1, 'YYYY-MM-DD')");
	char *s = it_fmt("taken_date=%s&taken_time=09%%3A30", d);
	free(d);
	return s;
}

/* ------------------------------------------------------------ tests */

/* Entry with a decimal comma, stored exactly; BMI from the height given,
 * then from the latest height, shown and never stored. */
START_TEST(test_entry_decimal_comma_bmi)
{
	struct it_jar doc = { 0 };
	struct http_response r = { 0 };
	long long p = new_patient("vit-entry");
	char *when = yesterday(), *loc;

	session_as(&doc, it_user_id(D1_EMAIL), "es");
	it_getf(&doc, &r, "/patients/%lld/vitals", p);
	STATUS(&r, 200);
	HAS(&r, "Todavía no hay constantes");
	it_getf(&doc, &r, "/patients/%lld/vitals/new", p);
	STATUS(&r, 200);
	HAS(&r, "name=\"weight\"");
	ck_assert_int_eq(post_reading(&doc, &r, p, when, "systolic=135&diastolic=85&heart_rate=72"
	                              "&temperature=36%2C6&weight=72&height=175&spo2=98&glucose=95"), 303);
	it_assert_redirect_prefix(&r, "/patients/", "saved");
	loc = strdup(http_header(&r, "Location"));
	it_get(&doc, &r, loc);
	free(loc);
	HAS(&r, "Constantes guardadas");
	ck_assert_str_eq(it_sql_line("SELECT temperature || ' ' || weight || ' ' || height || ' ' || systolic "
	                             "|| '/' || diastolic FROM ehr.vital_versions v JOIN ehr.items i "
	                             "ON i.id = v.item_id WHERE i.patient_id = %lld", p),
	                 "36.6 72.00 175.0 135/85");
	/* 72 / 1.75² = 23.5; the page writes Spanish decimals. */
	it_getf(&doc, &r, "/patients/%lld/vitals?m=bmi&range=3m", p);
	STATUS(&r, 200);
	HAS(&r, "36,6");
	HAS(&r, "23,5");
	/* The reading's time in words (issue 15): the latest values and the
	 * table beside the chart; then the entry page's recent readings. */
	{
		char *taken = it_when_es(it_fmt("(SELECT max(v.taken_at) FROM ehr.vital_versions v JOIN ehr.items i "
		                                "ON i.id = v.item_id WHERE i.patient_id = %lld)", p), 1);
		ck_assert_int_ge(str_count(r.body, taken), 2);
		it_getf(&doc, &r, "/patients/%lld/vitals/new", p);
		HAS(&r, taken);
	}
	/* A weight alone: BMI from the latest height (80 / 1.75² = 26.1). */
	ck_assert_int_eq(post_reading(&doc, &r, p, "taken_date=&taken_time=", "weight=80"), 200);
	HAS(&r, "Este campo es obligatorio");   /* no date: said, 80 kept */
	HAS(&r, "value=\"80\"");
	free(when);
	when = it_sql_line("SELECT 'taken_date=' || to_char(t, 'YYYY-MM-DD') || '&taken_time=' || to_char(t, 'HH24') "
	                   "|| '%%3A' || to_char(t, 'MI') FROM (SELECT now() AT TIME ZONE '" TZ "' AS t) n");
	ck_assert_int_eq(post_reading(&doc, &r, p, when, "weight=80"), 303);
	it_getf(&doc, &r, "/patients/%lld/vitals?m=bmi&range=3m", p);
	HAS(&r, "26,1");
	HAS(&r, "23,5");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'ehr' "
	                            "AND table_name = 'vital_versions' AND column_name = 'bmi'"), 0);
	/* The summary's query: one row per measure, BMI from the latest ones. */
	ck_assert_str_eq(it_sql_line("SELECT string_agg(measure || '=' || value || ' ' || unit, ', ' ORDER BY ord) "
	                             "FROM ehr.vitals_latest(%lld)", p),
	                 "blood_pressure=135/85 mm[Hg], heart_rate=72 /min, temperature=36.6 Cel, "
	                 "weight=80 kg, height=175 cm, bmi=26.1 kg/m2, spo2=98 %, glucose=95 mg/dL");
	free(when);
	http_response_free(&r);
}
END_TEST

/* Each implausible value is refused with its message, nothing stored,
 * everything typed kept. */
START_TEST(test_implausible_refused_input_kept)
{
	static const struct { const char *field, *typed, *message; } bad[] = {
		{ "weight", "700", "A weight of 700 kg is outside 0.3–400 kg: check the value and its unit." },
		{ "systolic", "310", "A systolic pressure of 310 mmHg is outside 50–300 mmHg" },
		{ "diastolic", "15", "A diastolic pressure of 15 mmHg is outside 20–200 mmHg" },
		{ "heart_rate", "350", "A heart rate of 350 bpm is outside 20–300 bpm" },
		{ "temperature", "98.6", "A temperature of 98.6 °C is outside 25–45 °C" },
		{ "height", "5.9", "A height of 5.9 cm is outside 20–260 cm" },
		{ "spo2", "101", "An oxygen saturation of 101 % is outside 50–100 %" },
		{ "glucose", "5.5", "Write a whole number, without decimals." },
		{ "glucose", "2000", "A blood glucose of 2000 mg/dL is outside 10–1500 mg/dL" },
		{ "weight", "70kg", "Write a number, for example 36.6." },
	};
	struct it_jar doc = { 0 };
	struct http_response r = { 0 };
	long long p = new_patient("vit-bad");
	char *when = yesterday(), *fields, *kept;

	session_as(&doc, it_user_id(D1_EMAIL), "en");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *enc = it_urlencode(bad[i].typed);
		/* The other values are fine and must come back as typed. */
		fields = strcmp(bad[i].field, "heart_rate") == 0
		         ? it_fmt("heart_rate=%s&temperature=36.6&spo2=97", enc)
		         : it_fmt("%s=%s&heart_rate=71&spo2=%s", bad[i].field, enc,
		                  strcmp(bad[i].field, "spo2") == 0 ? enc : "97");
		if (strcmp(bad[i].field, "systolic") == 0 || strcmp(bad[i].field, "diastolic") == 0) {
			free(fields);
			fields = it_fmt("%s=%s&%s=%s&heart_rate=71&spo2=97", bad[i].field, enc,
			                strcmp(bad[i].field, "systolic") == 0 ? "diastolic" : "systolic",
			                strcmp(bad[i].field, "systolic") == 0 ? "80" : "120");
		}
		ck_assert_int_eq(post_reading(&doc, &r, p, when, fields), 200);
		HAS(&r, bad[i].message);
		HAS(&r, "aria-invalid=\"true\"");
		kept = it_fmt("name=\"%s\" type=\"text\" inputmode=\"decimal\" autocomplete=\"off\" maxlength=\"12\" "
		              "value=\"%s\"", bad[i].field, bad[i].typed);
		HAS(&r, kept);
		if (strcmp(bad[i].field, "heart_rate") != 0)
			HAS(&r, "value=\"71\"");
		free(kept);
		free(fields);
		free(enc);
	}
	/* In Spanish: the same message with decimal commas, "70,5" accepted. */
	snprintf(doc.lang, sizeof(doc.lang), "es");
	post_reading(&doc, &r, p, when, "weight=700&temperature=36%2C6&height=170%2C5");
	HAS(&r, "Un peso de 700 kg está fuera del intervalo 0,3–400 kg: compruebe el valor y su unidad.");
	HAS(&r, "value=\"36,6\"");
	HAS(&r, "value=\"170,5\"");
	snprintf(doc.lang, sizeof(doc.lang), "en");
	/* Pairs and order of blood pressure; nothing at all; the future. */
	post_reading(&doc, &r, p, when, "systolic=120");
	HAS(&r, "Blood pressure needs both");
	post_reading(&doc, &r, p, when, "systolic=80&diastolic=120");
	HAS(&r, "must be lower than the systolic");
	post_reading(&doc, &r, p, when, "glucose=");
	HAS(&r, "Write at least one value");
	post_reading(&doc, &r, p, "taken_date=2199-01-01&taken_time=10%3A00", "weight=70");
	HAS(&r, "cannot be later than now");
	HAS(&r, "value=\"2199-01-01\"");
	ck_assert_int_eq(readings(p), 0);
	free(when);
	http_response_free(&r);
}
END_TEST

/* A correction is version 2 with its reason, both shown to staff; a save
 * based on version 1 afterwards is a 409 keeping what was typed;
 * entered in error hides the reading from the trends. */
START_TEST(test_correction_versions)
{
	struct it_jar doc = { 0 }, pat = { 0 };
	struct http_response r = { 0 };
	long long p = new_patient("vit-corr"), item;
	char *when = yesterday(), path[96];

	session_as(&doc, it_user_id(D1_EMAIL), "en");
	ck_assert_int_eq(post_reading(&doc, &r, p, when, "weight=91.4"), 303);
	item = it_sql_int("SELECT id FROM ehr.items WHERE patient_id = %lld", p);
	snprintf(path, sizeof(path), "/patients/%lld/vitals/%lld", p, item);
	it_getf(&doc, &r, "%s", path);
	STATUS(&r, 200);
	HAS(&r, "name=\"version\" value=\"1\"");
	HAS(&r, "value=\"91.4\"");
	/* Without a reason: refused, typed values kept. */
	it_postf(&doc, &r, path, "%s&weight=81.4&version=1&action=correct&reason=", when);
	STATUS(&r, 200);
	HAS(&r, "value=\"81.4\"");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.vital_versions WHERE item_id = %lld", item), 1);
	it_getf(&doc, &r, "%s", path);
	ck_assert_int_eq(it_postf(&doc, &r, path, "%s&weight=81.4&version=1&action=correct"
	                          "&reason=Typed+91+for+81", when), 303);
	ck_assert_str_eq(it_sql_line("SELECT string_agg(version || ':' || weight || ':' || status || ':' || reason, "
	                             "'|' ORDER BY version) FROM ehr.vital_versions WHERE item_id = %lld", item),
	                 "1:91.40:final:|2:81.40:final:Typed 91 for 81");
	it_getf(&doc, &r, "%s", path);
	HAS(&r, "91.4");
	HAS(&r, "81.4");
	HAS(&r, "Typed 91 for 81");
	/* The summary's latest values (ehr.vitals_current, kept by a trigger)
	 * follow the correction. */
	ck_assert_str_eq(it_sql_line("SELECT value FROM ehr.vitals_latest(%lld) WHERE measure = 'weight'", p), "81.4");
	/* Someone saved version 2 meanwhile: this save (based on 1) is refused. */
	ck_assert_int_eq(it_postf(&doc, &r, path, "%s&weight=82&version=1&action=correct&reason=Again", when), 409);
	HAS(&r, "Someone else saved a version");
	HAS(&r, "value=\"82\"");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.vital_versions WHERE item_id = %lld", item), 2);
	/* Entered in error: version 3; the patient no longer sees the weight. */
	it_getf(&doc, &r, "%s", path);
	ck_assert_int_eq(it_postf(&doc, &r, path, "%s&weight=81.4&version=2&action=error"
	                          "&reason=Wrong+patient", when), 303);
	ck_assert_str_eq(it_sql_line("SELECT status FROM ehr.vitals WHERE item_id = %lld", item), "entered_in_error");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE subject_id = %lld AND action IN "
	                            "('record.create', 'record.correct', 'record.entered_in_error')", p), 3);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM ehr.vitals_latest(%lld)", p), 0);
	/* What is kept equals what the readings say, for every patient. */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM (SELECT DISTINCT patient_id FROM ehr.items "
	                            "WHERE kind = 'vitals') i WHERE EXISTS (("
	                            "SELECT ord, measure, value, unit, taken_at FROM ehr.vitals_latest(i.patient_id) "
	                            "EXCEPT SELECT * FROM ehr.vitals_latest_compute(i.patient_id)) UNION ALL ("
	                            "SELECT * FROM ehr.vitals_latest_compute(i.patient_id) EXCEPT "
	                            "SELECT ord, measure, value, unit, taken_at FROM ehr.vitals_latest(i.patient_id)))"), 0);
	session_as(&pat, p, "en");
	it_get(&pat, &r, "/record");
	STATUS(&r, 200);
	LACKS(&r, "81.4");
	it_get(&pat, &r, "/record/vitals?m=weight&range=3m");
	STATUS(&r, 200);
	LACKS(&r, "81.4");
	LACKS(&r, "91.4");
	HAS(&r, "No vital signs recorded yet");
	it_getf(&doc, &r, "/patients/%lld/vitals/new", p);
	HAS(&r, "(entered in error)");
	free(when);
	http_response_free(&r);
}
END_TEST

/* The patient sees their own readings and nobody else's; staff routes
 * refuse a patient; a reading of another patient is 404; a doctor
 * without a relationship 403; every read and refusal audited. */
START_TEST(test_access_and_audit)
{
	struct it_jar doc = { 0 }, doc2 = { 0 }, pat = { 0 }, other = { 0 };
	struct http_response r = { 0 };
	long long p = new_patient("vit-own"), q = new_patient("vit-other"), qitem;
	char *when = yesterday();

	fixtures();
	session_as(&doc, it_user_id(D1_EMAIL), "en");
	ck_assert_int_eq(post_reading(&doc, &r, p, when, "systolic=142&diastolic=91&heart_rate=77"), 303);
	ck_assert_int_eq(post_reading(&doc, &r, q, when, "systolic=118&diastolic=76&heart_rate=64"), 303);
	qitem = it_sql_int("SELECT id FROM ehr.items WHERE patient_id = %lld", q);

	long long before = it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.read' "
	                              "AND subject_id = %lld AND object = 'vitals basis=self'", p);
	session_as(&pat, p, "en");
	it_get(&pat, &r, "/record/vitals");
	STATUS(&r, 200);
	HAS(&r, "142/91");
	LACKS(&r, "118/76");
	LACKS(&r, "name=\"weight\"");   /* no entry form for patients */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.read' "
	                            "AND subject_id = %lld AND object = 'vitals basis=self'", p), before + 1);
	session_as(&other, q, "en");
	it_get(&other, &r, "/record/vitals");
	HAS(&r, "118/76");
	LACKS(&r, "142/91");
	/* A patient on the staff pages: refused, nothing shown. */
	ck_assert_int_ge(it_getf(&pat, &r, "/patients/%lld/vitals", q), 403);
	LACKS(&r, "118/76");
	/* The doctor asking for q's reading under p's record: 404. */
	ck_assert_int_eq(it_getf(&doc, &r, "/patients/%lld/vitals/%lld", p, qitem), 404);
	LACKS(&r, "118");
	/* An id that is no patient's: 404 and a refusal row. */
	ck_assert_int_eq(it_getf(&doc, &r, "/patients/%lld/vitals", it_user_id(A1_EMAIL)), 404);
	/* doctor2 has no relationship with p: 403 for reads and writes. */
	session_as(&doc2, it_user_id(DOCTOR2), "en");
	long long denied = it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.denied' "
	                              "AND subject_id = %lld", p);
	ck_assert_int_eq(it_getf(&doc2, &r, "/patients/%lld/vitals", p), 403);
	LACKS(&r, "142/91");
	ck_assert_int_eq(it_postf(&doc2, &r, it_fmt("/patients/%lld/vitals", p), "%s&weight=70", when), 403);
	ck_assert_int_eq(readings(p), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.denied' "
	                            "AND subject_id = %lld", p), denied + 2);
	/* The doctor's reads are audited with their basis. */
	before = it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.read' AND subject_id = %lld "
	                    "AND object = 'vitals basis=appointment'", p);
	it_getf(&doc, &r, "/patients/%lld/vitals", p);
	STATUS(&r, 200);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'record.read' AND subject_id = %lld "
	                            "AND object = 'vitals basis=appointment'", p), before + 1);
	free(when);
	http_response_free(&r);
}
END_TEST

/* Six years of weekly readings: every range of every measure, for the
 * patient and for the doctor, stays under 14 KB, with a chart and a
 * table. */
START_TEST(test_page_size_years_of_readings)
{
	static const char *const measures[] = { "blood_pressure", "heart_rate", "temperature", "weight",
	                                        "height", "bmi", "spo2", "glucose" };
	static const char *const ranges[] = { "3m", "1y", "5y", "all" };
	struct it_jar doc = { 0 }, pat = { 0 };
	struct http_response r = { 0 };
	long long p = new_patient("vit-size"), d1 = it_user_id(D1_EMAIL);
	size_t largest = 0;

	it_sql("WITH w AS (SELECT g, now() - make_interval(days => 7 * g) AS t FROM generate_series(0, 311) g), "
	       "i AS (INSERT INTO ehr.items (patient_id, kind, created_by, created_at) "
	       "      SELECT %lld, 'vitals', %lld, t FROM w RETURNING id, created_at) "
	       "INSERT INTO ehr.vital_versions (item_id, version, taken_at, systolic, diastolic, heart_rate, "
	       "temperature, weight, height, spo2, glucose, status, recorded_by) "
	       "SELECT id, 1, created_at, 120 + (id %% 23), 75 + (id %% 11), 60 + (id %% 30), 36.2 + (id %% 8) / 10.0, "
	       "88.5 - (id %% 50) / 10.0, 171.5, 94 + (id %% 6), 90 + (id %% 60), 'final', %lld FROM i",
	       p, d1, d1);
	session_as(&pat, p, "es");
	session_as(&doc, d1, "es");
	for (size_t m = 0; m < sizeof(measures) / sizeof(measures[0]); m++)
		for (size_t g = 0; g < sizeof(ranges) / sizeof(ranges[0]); g++) {
			it_getf(&pat, &r, "/record/vitals?m=%s&range=%s", measures[m], ranges[g]);
			STATUS(&r, 200);
			ck_assert_msg(r.body_len < 14 * 1024, "/record/vitals?m=%s&range=%s: %zu bytes",
			              measures[m], ranges[g], r.body_len);
			HAS(&r, "<svg");
			HAS(&r, "<table");
			it_getf(&doc, &r, "/patients/%lld/vitals?m=%s&range=%s", p, measures[m], ranges[g]);
			STATUS(&r, 200);

			ck_assert_msg(r.body_len < 14 * 1024, "staff ?m=%s&range=%s: %zu bytes",
			              measures[m], ranges[g], r.body_len);
			largest = r.body_len > largest ? r.body_len : largest;
		}
	fprintf(stderr, "vitals: the largest page of six years of weekly readings: %zu bytes\n", largest);
	http_response_free(&r);
}
END_TEST

int
main(void)
{
	return it_run_suites(it_suite("vitals", 180, test_entry_decimal_comma_bmi,
	                              test_implausible_refused_input_kept, test_correction_versions,
	                              test_access_and_audit, test_page_size_years_of_readings, NULL),
	                     NULL);
}
