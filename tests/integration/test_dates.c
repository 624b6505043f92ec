/* test_dates: every form field and query parameter that takes a date, a
 * time or a slot's start, sent malformed values against a real stack
 * (tests/integration/dates.stack): each answer is a 400 or the form again
 * with a message on the field and what was typed kept; never a 500, and
 * nothing is written. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "http_client.h"

/* A malformed value: as sent (already %-encoded) and as the re-shown form
 * must echo it in value="..." (NULL: the request itself is refused with
 * 400, as a NUL byte never reaches a handler). */
struct bad {
	const char *sent;
	const char *shown;
};

/* 300 dates in a row: far over every field's length. */
static char *
overlong(const char *unit)
{
	size_t n = strlen(unit), count = 300;
	char *s = malloc(n * count + 1);

	ck_assert_ptr_nonnull(s);
	for (size_t i = 0; i < count; i++)
		memcpy(s + i * n, unit, n);
	s[n * count] = '\0';
	return s;
}

static const struct bad bad_dates[] = {
	{ "2026-%2B1-01", "2026-+1-01" },      /* sscanf once took the sign */
	{ "2026-02-30", "2026-02-30" },
	{ "2026-02-29", "2026-02-29" },        /* not a leap year */
	{ "99999-01-01", "99999-01-01" },
	{ "2026-01-01T", "2026-01-01T" },
	{ "2026-01-01T10%3A00", "2026-01-01T10:00" },
	{ "2026-1-01", "2026-1-01" },
	{ "2026-13-01", "2026-13-01" },
	{ "1899-12-31", "1899-12-31" },
	{ "%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-01-01", "２０２６-01-01" },  /* fullwidth digits */
	{ "2026-01-01%00", NULL },
	{ "%00", NULL },
};

static const struct bad bad_times[] = {
	{ "24%3A00", "24:00" },
	{ "23%3A60", "23:60" },
	{ "9%3A00", "9:00" },
	{ "%2B9%3A00", "+9:00" },
	{ "09%3A00%3A00", "09:00:00" },
	{ "0900", "0900" },
	{ "%EF%BC%909%3A00", "０9:00" },
	{ "09%3A00%00", NULL },
};

#define NBAD(a) (sizeof(a) / sizeof(a[0]))

/* The answer to one malformed value of field: 400 when b->shown is NULL,
 * else the form again (200) with the field's message and the typed value
 * kept. what names the step in a failure. */
static void
expect_refused(const struct http_response *r, const char *field, const char *shown,
               const char *what)
{
	char *id, *value;

	ck_assert_msg(r->status != 500, "%s: 500", what);
	if (shown == NULL) {
		it_assert_status(r, 400, what);
		return;
	}
	it_assert_status(r, 200, what);
	id = it_fmt("id=\"%s-error\"", field);
	value = it_fmt("value=\"%s\"", shown);
	it_assert_has(r, id, what);
	it_assert_has(r, value, what);
	free(id);
	free(value);
}

/* Send each bad value (and an overlong one) as field through fn. */
static void
each_bad(const struct bad *list, size_t n, const char *unit, const char *field,
         void (*fn)(const char *field, const struct bad *b, void *arg), void *arg)
{
	char *longest = overlong(unit);
	struct bad very_long = { longest, longest };

	for (size_t i = 0; i < n; i++)
		fn(field, &list[i], arg);
	fn(field, &very_long, arg);
	free(longest);
}

/* ----------------------------------------------------- registration */

static void
register_once(const char *field, const struct bad *b, void *arg)
{
	struct it_jar *j = arg;
	struct http_response r;
	char *body, *what = it_fmt("register %s=%s", field, b->sent);

	ck_assert_int_eq(it_jar_get(j, "/register", &r), 200);
	http_response_free(&r);
	body = it_fmt("full_name=Fecha%%20Mala&birth_date=%s&email=dates%%40clinic.test"
	              "&password=a%%20fine%%20long%%20passphrase&password_confirm=a%%20fine%%20long%%20passphrase"
	              "&language=es", b->sent);
	it_jar_post(j, "/register", body, &r);
	expect_refused(&r, field, b->shown, what);
	if (b->shown)
		it_assert_has(&r, "value=\"Fecha Mala\"", what);
	http_response_free(&r);
	free(body);
	free(what);
}

START_TEST(test_register_birth_date)
{
	struct it_jar j = { .session = "" };

	each_bad(bad_dates, NBAD(bad_dates), "1990-01-31", "birth_date", register_once, &j);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE email = 'dates@clinic.test'"), 0);
}
END_TEST

/* --------------------------------------------------------- schedule */

struct sched {
	struct it_jar jar;
	const char *path;          /* /schedule/ranges or /schedule/exceptions */
	const char *pre, *post;    /* good fields before and after the bad one */
};

static void
schedule_once(const char *field, const struct bad *b, void *arg)
{
	struct sched *s = arg;
	struct http_response r;
	char *what = it_fmt("%s %s=%s", s->path, field, b->sent);
	char *body = it_fmt("%s%s=%s%s", s->pre, field, b->sent, s->post);

	it_jar_post(&s->jar, s->path, body, &r);
	expect_refused(&r, field, b->shown, what);
	if (b->shown)
		it_assert_has(&r, "value=\"Sala Fechas\"", what);
	http_response_free(&r);
	free(body);
	free(what);
}

START_TEST(test_schedule_ranges_and_exceptions)
{
	struct sched s;
	long long doctor = it_sql_int("SELECT id FROM clinic.doctors WHERE user_id = "
	                              "(SELECT id FROM auth.users WHERE email = '" D1_EMAIL "')");
	long long before = it_sql_int("SELECT count(*) FROM appt.schedules WHERE doctor_id = %lld", doctor);
	long long xbefore = it_sql_int("SELECT count(*) FROM appt.exceptions WHERE doctor_id = %lld",
	                               doctor);

	memset(&s, 0, sizeof(s));
	it_sign_in(&s.jar, D1_EMAIL, D1_PASS, D1_TOTP);
	s.path = "/schedule/ranges";
	s.pre = "weekday=2&slot=30&mode=in_person&location=Sala%20Fechas&";
	s.post = "&start=09:00&end=11:00";
	each_bad(bad_dates, NBAD(bad_dates), "2026-01-01", "valid_from", schedule_once, &s);
	s.post = "&start=09:00&end=11:00&valid_from=2030-01-07";
	each_bad(bad_dates, NBAD(bad_dates), "2026-01-01", "valid_to", schedule_once, &s);
	s.post = "&end=11:00&valid_from=2030-01-07";
	each_bad(bad_times, NBAD(bad_times), "09:00", "start", schedule_once, &s);
	s.post = "&start=09:00&valid_from=2030-01-07";
	each_bad(bad_times, NBAD(bad_times), "11:00", "end", schedule_once, &s);

	s.path = "/schedule/exceptions";
	s.pre = "x_kind=off&x_location=Sala%20Fechas&";
	s.post = "";
	each_bad(bad_dates, NBAD(bad_dates), "2026-01-01", "x_day", schedule_once, &s);
	s.pre = "x_day=2030-01-08&x_kind=extra&x_slot=15&x_location=Sala%20Fechas&";
	s.post = "&x_end=18:00";
	each_bad(bad_times, NBAD(bad_times), "16:00", "x_start", schedule_once, &s);
	s.post = "&x_start=16:00";
	each_bad(bad_times, NBAD(bad_times), "18:00", "x_end", schedule_once, &s);

	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.schedules WHERE doctor_id = %lld", doctor),
	                 before);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.exceptions WHERE doctor_id = %lld",
	                            doctor), xbefore);
}
END_TEST

/* ------------------------------------------------ query parameters */

/* GET path?name=<bad> for each of the n values of list and one overlong
 * repetition of unit: 400 for each, or (form) the page with the field's
 * message and the value kept. */
static void
query_each(struct it_jar *j, const char *path, const char *name, int form, const struct bad *list,
           size_t n, const char *unit)
{
	char *longest = overlong(unit);

	for (size_t i = 0; i <= n; i++) {
		const char *sent = i < n ? list[i].sent : longest;
		const char *shown = i < n ? list[i].shown : longest;
		struct http_response r;
		char *url = it_fmt("%s%c%s=%s", path, strchr(path, '?') ? '&' : '?', name, sent);

		it_jar_get(j, url, &r);
		if (form)
			expect_refused(&r, name, shown, url);
		else
			expect_refused(&r, name, NULL, url);
		http_response_free(&r);
		free(url);
	}
	free(longest);
}

/* query_each with every malformed date. */
static void
query_all(struct it_jar *j, const char *path, const char *name, int form)
{
	query_each(j, path, name, form, bad_dates, NBAD(bad_dates), "2026-01-01");
}

START_TEST(test_agenda_day_and_week)
{
	struct it_jar j = { .session = "" };

	it_sign_in(&j, D1_EMAIL, D1_PASS, D1_TOTP);
	query_all(&j, "/agenda", "day", 0);
	query_all(&j, "/agenda/week", "week", 0);
	/* the edges of the range still work */
	ck_assert_int_eq(it_jar_get_status(&j, "/agenda?day=2200-12-31"), 200);
	ck_assert_int_eq(it_jar_get_status(&j, "/agenda/week?week=1900-01-01"), 200);
	ck_assert_int_eq(it_jar_get_status(&j, "/agenda?day=2024-02-29"), 200);
}
END_TEST

START_TEST(test_admin_audit_filters)
{
	struct it_jar j = { .session = "" };

	it_sign_in(&j, A1_EMAIL, A1_PASS, A1_TOTP);
	query_all(&j, "/admin/audit?action=auth.", "from", 1);
	query_all(&j, "/admin/audit?action=auth.", "to", 1);
}
END_TEST

/* POST to path the fields pre followed by each of the n values of list:
 * a 400 for each. */
static void
post_each(struct it_jar *j, const char *path, const char *pre, const struct bad *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *body = it_fmt("%s%s", pre, list[i].sent);
		struct http_response r;

		it_jar_post(j, path, body, &r);
		expect_refused(&r, pre, NULL, body);
		http_response_free(&r);
		free(body);
	}
}

/* The slot pickers: the week of a doctor's free slots (booking and
 * moving) and the day and time a picker sends, to the confirm page and
 * to the move. */
START_TEST(test_slot_pickers)
{
	struct it_jar j = { .session = "" };
	long long doctor = it_sql_int("SELECT min(id) FROM clinic.doctors");
	long long id = it_sql_int("INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode) "
	                          "SELECT %lld, id, now() + interval '10 days', now() + interval '10 days 30 minutes', "
	                          "'in_person' FROM auth.users WHERE email = '" P1_EMAIL "' RETURNING id", doctor);
	char *path;

	it_sign_in(&j, P1_EMAIL, P1_PASS, NULL);
	path = it_fmt("/doctors/%lld", doctor);
	query_all(&j, path, "week", 0);
	free(path);
	path = it_fmt("/appointments/%lld/reschedule", id);
	query_all(&j, path, "week", 0);
	post_each(&j, path, "time=10:00&day=", bad_dates, NBAD(bad_dates));
	post_each(&j, path, "day=2030-01-08&time=", bad_times, NBAD(bad_times));
	free(path);
	path = it_fmt("/appointments/new?doctor=%lld&time=10:00", doctor);
	query_all(&j, path, "day", 0);
	free(path);
	path = it_fmt("/appointments/new?doctor=%lld&day=2030-01-08", doctor);
	query_each(&j, path, "time", 0, bad_times, NBAD(bad_times), "10:00");
	free(path);
	/* the edges of the range still work (shown as the first or last week) */
	path = it_fmt("/doctors/%lld?week=1900-01-01", doctor);
	ck_assert_int_eq(it_jar_get_status(&j, path), 200);
	free(path);
	path = it_fmt("/doctors/%lld?week=2200-12-31", doctor);
	ck_assert_int_eq(it_jar_get_status(&j, path), 200);
	free(path);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.appointments WHERE id = %lld AND sequence = 0 "
	                            "AND starts_at > now() + interval '9 days'", id), 1);
}
END_TEST

/* A slot travels as the epoch seconds of its start: anything else is
 * a 400 on the confirm page and on booking. */
START_TEST(test_slot_start)
{
	struct it_jar j = { .session = "" };
	long long doctor = it_sql_int("SELECT min(id) FROM clinic.doctors");
	long long before = it_sql_int("SELECT count(*) FROM appt.appointments");
	const char *starts[] = { "2026-01-01", "2026-%2B1-01", "2026-01-01T10%3A00", "-1", "0",
	                         "99999999999", "1e9", "%00", "1774857600%00", "%201774857600" };

	it_sign_in(&j, P1_EMAIL, P1_PASS, NULL);
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		struct http_response r;
		char *url = it_fmt("/appointments/new?doctor=%lld&start=%s", doctor, starts[i]);
		char *body = it_fmt("doctor=%lld&start=%s&reason=x&key=0123456789abcdef0123456789abcdef",
		                    doctor, starts[i]);

		it_jar_get(&j, url, &r);
		expect_refused(&r, "start", NULL, url);
		http_response_free(&r);
		it_jar_post(&j, "/appointments", body, &r);
		expect_refused(&r, "start", NULL, body);
		http_response_free(&r);
		free(url);
		free(body);
	}
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM appt.appointments"), before);
}
END_TEST

/* After all of the above, the log holds not one 500. */
START_TEST(test_no_500_in_the_log)
{
	char *log = http_log_read(NULL), *hit, *line;

	ck_assert_ptr_nonnull(log);
	if ((hit = strstr(log, " status=500 ")) != NULL) {
		for (line = hit; line > log && line[-1] != '\n'; line--)
			;
		ck_abort_msg("a 500 in medsysd.log: %.*s", (int)(strcspn(line, "\n")), line);
	}
	free(log);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("dates");
	TCase *tc = tcase_create("stack");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_register_birth_date);
	tcase_add_test(tc, test_schedule_ranges_and_exceptions);
	tcase_add_test(tc, test_agenda_day_and_week);
	tcase_add_test(tc, test_admin_audit_filters);
	tcase_add_test(tc, test_slot_pickers);
	tcase_add_test(tc, test_slot_start);
	tcase_add_test(tc, test_no_500_in_the_log);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	http_client_cleanup();
	return failed == 0 ? 0 : 1;
}
