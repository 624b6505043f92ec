/* test_datetime: the strict date and time parser against a table of good
 * and bad texts, day numbers against known dates, formatting back. */
#include <check.h>

#include "../check_util.h"
#include <stdio.h>
#include <string.h>

#include "lib/datetime.h"
#include "date_words.h"

struct date_case {
	const char *text;
	size_t len;                 /* 0: strlen(text) */
	enum dt_status want;
};

/* Each refused text names the leniency it would catch. */
static const struct date_case date_cases[] = {
	{ "2026-01-01", 0, DT_OK },
	{ "2024-02-29", 0, DT_OK },            /* leap year */
	{ "2000-02-29", 0, DT_OK },            /* divisible by 400: leap */
	{ "1900-01-01", 0, DT_OK },            /* first year */
	{ "2200-12-31", 0, DT_OK },            /* last year */
	{ "2026-04-30", 0, DT_OK },
	{ "1999-12-31", 0, DT_OK },
	{ "2026-+1-01", 0, DT_SHAPE },         /* sscanf("%2d") took the sign */
	{ "2026--1-01", 0, DT_SHAPE },
	{ "2026-01-+1", 0, DT_SHAPE },
	{ "+026-01-01", 0, DT_SHAPE },
	{ " 2026-01-01", 0, DT_SHAPE },        /* leading space */
	{ "2026-01-01 ", 0, DT_SHAPE },        /* trailing space */
	{ "2026- 1-01", 0, DT_SHAPE },
	{ "2026-1-01", 0, DT_SHAPE },          /* one-digit month */
	{ "2026-01-1", 0, DT_SHAPE },
	{ "26-01-01", 0, DT_SHAPE },
	{ "99999-01-01", 0, DT_SHAPE },        /* five-digit year */
	{ "2026-01-01T", 0, DT_SHAPE },
	{ "2026-01-01T10:00", 0, DT_SHAPE },
	{ "2026/01/01", 0, DT_SHAPE },
	{ "20260101", 0, DT_SHAPE },
	{ "2026-0a-01", 0, DT_SHAPE },
	{ "", 0, DT_SHAPE },
	{ "2026-01-01\0", 11, DT_SHAPE },      /* NUL inside the length */
	{ "2026-01\0-01", 10, DT_SHAPE },
	{ "2026-01-0\0", 10, DT_SHAPE },
	{ "2026-01-01-2026-01-01", 0, DT_SHAPE }, /* overlong */
	{ "２０２６-01-01", 0, DT_SHAPE },     /* fullwidth digits */
	{ "٢٠٢٦-01-01", 0, DT_SHAPE },         /* Arabic-Indic digits */
	{ "2026-0\xb9-01", 0, DT_SHAPE },      /* Latin-1 superscript one */
	{ "2026-13-01", 0, DT_RANGE },
	{ "2026-00-10", 0, DT_RANGE },
	{ "2026-01-00", 0, DT_RANGE },
	{ "1899-12-31", 0, DT_RANGE },
	{ "2201-01-01", 0, DT_RANGE },
	{ "0000-01-01", 0, DT_RANGE },
	{ "9999-12-31", 0, DT_RANGE },
	{ "2026-02-29", 0, DT_CALENDAR },      /* common year */
	{ "1900-02-29", 0, DT_CALENDAR },      /* divisible by 100, not 400 */
	{ "2100-02-29", 0, DT_CALENDAR },
	{ "2026-02-30", 0, DT_CALENDAR },
	{ "2026-04-31", 0, DT_CALENDAR },
	{ "2026-01-32", 0, DT_CALENDAR },
};

START_TEST(test_date_table)
{
	const struct date_case *c = &date_cases[_i];
	size_t len = c->len ? c->len : strlen(c->text);
	struct dt_date d = { -1, -1, -1 };
	enum dt_status st = dt_date_parse(c->text, len, &d);
	char back[DT_DATE_LEN + 1];

	ck_assert_msg(st == c->want, "\"%s\": %s, want %s", c->text,
	              dt_status_name(st), dt_status_name(c->want));
	if (st != DT_OK) {
		ck_assert_int_eq(d.year, -1);  /* untouched on failure */
		return;
	}
	ck_assert_int_eq(dt_date_format(&d, back), 0);
	ck_assert_str_eq(back, c->text);
}
END_TEST

struct time_case {
	const char *text;
	size_t len;
	enum dt_status want;
	int minutes;
};

static const struct time_case time_cases[] = {
	{ "00:00", 0, DT_OK, 0 },
	{ "09:05", 0, DT_OK, 545 },
	{ "23:59", 0, DT_OK, 1439 },
	{ "12:30", 0, DT_OK, 750 },
	{ "24:00", 0, DT_RANGE, 0 },
	{ "23:60", 0, DT_RANGE, 0 },
	{ "99:99", 0, DT_RANGE, 0 },
	{ "9:05", 0, DT_SHAPE, 0 },
	{ "09:5", 0, DT_SHAPE, 0 },
	{ "+9:05", 0, DT_SHAPE, 0 },
	{ "09:+5", 0, DT_SHAPE, 0 },
	{ " 9:05", 0, DT_SHAPE, 0 },
	{ "09:05 ", 0, DT_SHAPE, 0 },
	{ "09:05:00", 0, DT_SHAPE, 0 },        /* seconds: no form sends them */
	{ "0905", 0, DT_SHAPE, 0 },
	{ "09.05", 0, DT_SHAPE, 0 },
	{ "09:0\0", 5, DT_SHAPE, 0 },
	{ "", 0, DT_SHAPE, 0 },
	{ "０9:05", 0, DT_SHAPE, 0 },
	{ "10:00am", 0, DT_SHAPE, 0 },
};

START_TEST(test_time_table)
{
	const struct time_case *c = &time_cases[_i];
	size_t len = c->len ? c->len : strlen(c->text);
	struct dt_time t = { -1, -1 };
	enum dt_status st = dt_time_parse(c->text, len, &t);
	char back[DT_TIME_LEN + 1];

	ck_assert_msg(st == c->want, "\"%s\": %s, want %s", c->text,
	              dt_status_name(st), dt_status_name(c->want));
	if (st != DT_OK) {
		ck_assert_int_eq(t.hour, -1);
		return;
	}
	ck_assert_int_eq(dt_time_minutes(&t), c->minutes);
	ck_assert_int_eq(dt_time_format(&t, back), 0);
	ck_assert_str_eq(back, c->text);
}
END_TEST

START_TEST(test_c_string_helpers)
{
	ck_assert_int_eq(dt_is_date("2024-02-29"), 1);
	ck_assert_int_eq(dt_is_date("2026-+1-01"), 0);
	ck_assert_int_eq(dt_is_date(NULL), 0);
	ck_assert_int_eq(dt_is_time("07:45"), 1);
	ck_assert_int_eq(dt_is_time("7:45"), 0);
	ck_assert_int_eq(dt_is_time(NULL), 0);
	ck_assert_int_eq(dt_date_parse(NULL, 10, NULL), DT_SHAPE);
	ck_assert_int_eq(dt_time_parse(NULL, 5, NULL), DT_SHAPE);
}
END_TEST

/* Day numbers of dates whose weekday and epoch offset are well known. */
START_TEST(test_day_numbers)
{
	static const struct { const char *text; long days; int weekday; } known[] = {
		{ "1970-01-01", 0, 4 },          /* the epoch, a Thursday */
		{ "1969-12-31", -1, 3 },
		{ "2000-03-01", 11017, 3 },
		{ "2026-03-30", 20542, 1 },      /* a Monday */
		{ "2026-04-05", 20548, 7 },      /* a Sunday */
		{ "1900-01-01", -25567, 1 },
		{ "2200-12-31", 84370, 3 },
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		struct dt_date d, back;
		char s[DT_DATE_LEN + 1];

		ck_assert_int_eq(dt_date_parse(known[i].text, DT_DATE_LEN, &d), DT_OK);
		ck_assert_msg(dt_date_to_days(&d) == known[i].days, "%s: %ld", known[i].text,
		              dt_date_to_days(&d));
		ck_assert_int_eq(dt_weekday(known[i].days), known[i].weekday);
		ck_assert_int_eq(dt_date_from_days(known[i].days, &back), 0);
		ck_assert_int_eq(dt_date_format(&back, s), 0);
		ck_assert_str_eq(s, known[i].text);
	}
}
END_TEST

/* Every day of the accepted range, one after the other: the day number
 * grows by one, the text parses, and the month lengths add up. */
START_TEST(test_every_day_in_range)
{
	struct dt_date first = { DT_YEAR_MIN, 1, 1 }, d;
	long n = dt_date_to_days(&first), count = 0;
	char s[DT_DATE_LEN + 1];

	for (;; n++, count++) {
		ck_assert_int_eq(dt_date_from_days(n, &d), 0);
		if (d.year > DT_YEAR_MAX)
			break;
		ck_assert_int_eq(dt_date_format(&d, s), 0);
		ck_assert_int_eq(dt_date_parse(s, DT_DATE_LEN, &d), DT_OK);
		ck_assert_int_eq(dt_date_to_days(&d), n);
	}
	/* 301 years, of which 73 are leap years (1900 and 2100 are not) */
	ck_assert_int_eq(count, 301L * 365 + 73);
	ck_assert_str_eq(s, "2200-12-31");
	ck_assert_int_eq(d.year, 2201);   /* past the end: formats, never parses */
	ck_assert_int_eq(dt_date_format(&d, s), 0);
	ck_assert_int_eq(dt_is_date(s), 0);
}
END_TEST

START_TEST(test_limits_of_day_numbers)
{
	struct dt_date d = { 1, 1, 1 }, out = { 0, 0, 0 };
	long first = dt_date_to_days(&d);
	char s[DT_DATE_LEN + 1];

	ck_assert_int_eq(dt_date_from_days(first, &out), 0);
	ck_assert_int_eq(dt_date_format(&out, s), 0);
	ck_assert_str_eq(s, "0001-01-01");
	ck_assert_int_eq(dt_date_from_days(first - 1, &out), -1);
	d = (struct dt_date){ 9999, 12, 31 };
	ck_assert_int_eq(dt_date_from_days(dt_date_to_days(&d), &out), 0);
	ck_assert_int_eq(out.day, 31);
	ck_assert_int_eq(dt_date_from_days(dt_date_to_days(&d) + 1, &out), -1);
	ck_assert_int_eq(dt_date_from_days(-2147483647L, &out), -1);
}
END_TEST

START_TEST(test_format_refuses_nonsense)
{
	char s[DT_DATE_LEN + 1] = "x", t[DT_TIME_LEN + 1] = "x";

	ck_assert_int_eq(dt_date_format(&(struct dt_date){ 2026, 2, 29 }, s), -1);
	ck_assert_str_eq(s, "");
	ck_assert_int_eq(dt_date_format(&(struct dt_date){ 10000, 1, 1 }, s), -1);
	ck_assert_int_eq(dt_date_format(&(struct dt_date){ 2026, 13, 1 }, s), -1);
	ck_assert_int_eq(dt_date_format(&(struct dt_date){ 2026, 1, 0 }, s), -1);
	ck_assert_int_eq(dt_time_format(&(struct dt_time){ 24, 0 }, t), -1);
	ck_assert_str_eq(t, "");
	ck_assert_int_eq(dt_time_format(&(struct dt_time){ 0, -1 }, t), -1);
}
END_TEST

START_TEST(test_leap_years_and_month_lengths)
{
	ck_assert_int_eq(dt_is_leap_year(2024), 1);
	ck_assert_int_eq(dt_is_leap_year(2026), 0);
	ck_assert_int_eq(dt_is_leap_year(1900), 0);
	ck_assert_int_eq(dt_is_leap_year(2000), 1);
	ck_assert_int_eq(dt_days_in_month(2024, 2), 29);
	ck_assert_int_eq(dt_days_in_month(2026, 2), 28);
	ck_assert_int_eq(dt_days_in_month(2026, 9), 30);
	ck_assert_int_eq(dt_days_in_month(2026, 12), 31);
	ck_assert_int_eq(dt_days_in_month(2026, 0), 0);
	ck_assert_int_eq(dt_days_in_month(2026, 13), 0);
	ck_assert_str_eq(dt_status_name(DT_CALENDAR), "calendar");
	ck_assert_str_eq(dt_status_name(DT__MAX), "unknown");
}
END_TEST

START_TEST(test_words)
{
	char out[64], tiny[8];

	ck_assert_int_eq(dt_format_words("2026-12-08 13:30", 2026, &es_words, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "martes 8 de diciembre, 13:30");
	ck_assert_int_eq(dt_format_words("2027-01-03 08:05", 2026, &es_words, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "domingo 3 de enero de 2027, 08:05");
	ck_assert_int_eq(dt_format_words("2026-12-07", 2026, &es_words, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "lunes 7 de diciembre");
	ck_assert_int_eq(dt_format_words("2024-02-29", 2026, &es_words, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "jueves 29 de febrero de 2024");
	/* Not a local date: shown as it came, never a wrong date. */
	ck_assert_int_eq(dt_format_words("2026-12-08T13:30", 2026, &es_words, out, sizeof(out)), -1);
	ck_assert_str_eq(out, "2026-12-08T13:30");
	ck_assert_int_eq(dt_format_words("2026-02-30 10:00", 2026, &es_words, out, sizeof(out)), -1);
	ck_assert_int_eq(dt_format_words(NULL, 2026, &es_words, out, sizeof(out)), -1);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(dt_format_words("2026-12-08 13:30", 2026, &es_words, tiny, sizeof(tiny)), -1);
	ck_assert_int_eq(dt_duration_words(1440, &es_words, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "24 horas");
	ck_assert_int_eq(dt_duration_words(60, &es_words, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "1 hora");
	ck_assert_int_eq(dt_duration_words(30, &es_words, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "30 minutos");
	ck_assert_int_eq(dt_duration_words(1, &es_words, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "1 minuto");
	ck_assert_int_eq(dt_duration_words(-5, &es_words, out, sizeof(out)), -1);
	/* Always the year when asked (a printed document). */
	ck_assert_int_eq(dt_format_words("2026-12-07", DT_ALWAYS_YEAR, &es_words, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "lunes 7 de diciembre de 2026");
	/* A date of birth: no weekday, always the year, even this year's. */
	ck_assert_int_eq(dt_format_pattern("1985-03-14", es_words.day_year, &es_words, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "14 de marzo de 1985");
	ck_assert_int_eq(dt_format_pattern("2026-01-02", en_words.day_year, &en_words, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "2 January 2026");
	ck_assert_int_eq(dt_format_pattern("2026-12-01", es_words.month_year, &es_words, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "diciembre de 2026");
	ck_assert_int_eq(dt_format_pattern("1985-03-14 10:00", es_words.day_year, &es_words, out, sizeof(out)), -1);
	ck_assert_str_eq(out, "1985-03-14 10:00");
	ck_assert_int_eq(dt_format_pattern("", es_words.day_year, &es_words, out, sizeof(out)), -1);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(dt_format_pattern("1985-02-30", es_words.day_year, &es_words, out, sizeof(out)), -1);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_list_add(tcase_create("core"), test_c_string_helpers, test_day_numbers,
	                           test_every_day_in_range, test_limits_of_day_numbers,
	                           test_format_refuses_nonsense, test_leap_years_and_month_lengths, test_words,
	                           NULL);

	tcase_add_loop_test(tc, test_date_table, 0, (int)(sizeof(date_cases) / sizeof(date_cases[0])));
	tcase_add_loop_test(tc, test_time_table, 0, (int)(sizeof(time_cases) / sizeof(time_cases[0])));
	return tcase_run_alone("datetime", tc);
}
