/* appt_fixture: what the appointment integration tests share
 * (test_appointments.c, test_appt_rules.c): the seed's doctors and
 * patients, slots, the week picker's forms and booking through the
 * confirm page. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appt_test.h"
#include "http_client.h"

long long
redirect_id(const struct http_response *r, const char *what)
{
	const char *loc = http_header(r, "Location");

	it_assert_status(r, 303, what);
	ck_assert_msg(loc && strncmp(loc, "/appointments/", 14) == 0, "%s: Location %s", what,
	              loc ? loc : "(none)");
	return strtoll(loc + 14, NULL, 10);
}

/* ------------------------------------------------------------ SQL */

long long
doctor_id(const char *licence)
{
	return it_sql_int("SELECT id FROM clinic.doctors WHERE licence_number = '%s'", licence);
}

long long
user_id(const char *email)
{
	return it_sql_int("SELECT id FROM auth.users WHERE email = '%s'", email);
}

/* The k-th offered slot of a doctor starting more than hours ahead, as
 * epoch seconds (offered: booked or not). */
long long
slot_at(long long doctor, int hours, int k)
{
	return it_sql_int("SELECT extract(epoch FROM starts_at)::bigint FROM appt.slots(%lld, current_date, "
	                  "current_date + 50, '" TZ "') WHERE starts_at > now() + interval '%d hours' "
	                  "ORDER BY starts_at OFFSET %d LIMIT 1", doctor, hours, k);
}

int
is_free(long long doctor, long long epoch)
{
	return (int)it_sql_int("SELECT count(*) FROM appt.free_slots(%lld, current_date, current_date + 50, '"
	                       TZ "') WHERE starts_at = to_timestamp(%lld)", doctor, epoch);
}

long long
audit_count(const char *action)
{
	return it_sql_int("SELECT count(*) FROM audit.events WHERE action = '%s'", action);
}

/* The Monday n weeks after this week's (clinic time), as YYYY-MM-DD. */
const char *
monday(char out[16], int n)
{
	return it_sql_str(out, 16, "SELECT to_char(d - (extract(isodow FROM d)::int - 1) + 7 * %d, 'YYYY-MM-DD') "
	                  "FROM (SELECT (now() AT TIME ZONE '" TZ "')::date AS d) t", n);
}

/* The heading of the week of monday (YYYY-MM-DD) in words, as the picker
 * shows it: "Semana del lunes 7 de diciembre". */
const char *
week_words(const char *monday_iso)
{
	return it_fmt("Semana del %s", it_when_es(it_fmt("('%s'::date + time '12:00') AT TIME ZONE 'Europe/Madrid'",
	                                                 monday_iso), 0));
}

/* The picker's form of one day (up to its </form>) in page r, malloc'd;
 * NULL when the page offers nothing that day. */
char *
day_form(const struct http_response *r, const char *day)
{
	char needle[64];
	const char *p, *end;

	snprintf(needle, sizeof(needle), "name=\"day\" value=\"%s\"", day);
	if ((p = strstr(r->body, needle)) == NULL || (end = strstr(p, "</form>")) == NULL)
		return NULL;
	return it_fmt("%.*s", (int)(end - p), p);
}

/* 1 when page r offers the time ("HH:MM") on day ("YYYY-MM-DD"). */
int
offers(const struct http_response *r, const char *day, const char *time)
{
	char *form = day_form(r, day), needle[32];
	int found;

	snprintf(needle, sizeof(needle), "<option>%s<", time);
	found = form != NULL && strstr(form, needle) != NULL;
	free(form);
	return found;
}

/* 1 when the slot picker of doctor (path: /doctors/D or a reschedule
 * page) offers the slot starting at epoch, on the page of its week. */
int
picker_offers(struct it_jar *j, const char *path, long long epoch)
{
	struct http_response r = { 0 };
	char day[16], time[8];
	int found;

	it_sql_str(day, sizeof(day), "SELECT to_char(to_timestamp(%lld) AT TIME ZONE '" TZ "', 'YYYY-MM-DD')", epoch);
	it_sql_str(time, sizeof(time), "SELECT to_char(to_timestamp(%lld) AT TIME ZONE '" TZ "', 'HH24:MI')", epoch);
	it_getf(j, &r, "%s%cweek=%s", path, strchr(path, '?') ? '&' : '?', day);
	it_assert_status(&r, 200, "slot picker");
	found = offers(&r, day, time);
	http_response_free(&r);
	return found;
}

/* Book slot epoch of doctor through the confirm page; returns the response
 * of the POST in *r and the key used in key. */
void
book(struct it_jar *j, struct http_response *r, long long doctor, long long epoch, const char *extra,
     char key[80])
{
	it_getf(j, r, "/appointments/new?doctor=%lld&start=%lld%s", doctor, epoch, extra ? extra : "");
	it_assert_status(r, 200, "confirm page");
	it_form_value(r, "key", key, 80);
	ck_assert_uint_eq(strlen(key), 32);
	it_postf(j, r, "/appointments", "doctor=%lld&start=%lld&reason=Dolor+de+cabeza&key=%s%s", doctor,
	     epoch, key, extra ? extra : "");
}

/* Every test's fixtures: weekly schedules for both doctors, every day. */
void
setup_once(void)
{
	if (it_sql_int("SELECT count(*) FROM appt.schedules") > 0)
		return;
	ck_assert_int_eq(http_sql("INSERT INTO appt.schedules (doctor_id, weekday, start_time, end_time, "
	                          "slot_minutes, mode, location, valid_from) SELECT d.id, w, '08:00', '20:00', 30, "
	                          "'in_person', 'Consulta 3', current_date - 1 FROM clinic.doctors d, "
	                          "generate_series(1, 7) w WHERE d.licence_number = 'T-0001';"
	                          "INSERT INTO appt.schedules (doctor_id, weekday, start_time, end_time, "
	                          "slot_minutes, mode, valid_from) SELECT d.id, w, '08:05', '19:00', 20, 'video', "
	                          "current_date - 1 FROM clinic.doctors d, generate_series(1, 7) w "
	                          "WHERE d.licence_number = 'T-0002'"), 0);
}

