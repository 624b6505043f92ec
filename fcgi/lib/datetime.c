/* datetime: strict dates and times; day numbers by counting, not libc. */
#include "datetime.h"

#include <stdio.h>
#include <string.h>

/* Days before the first of each month in a common year. */
static const int days_before_month[12] = {
	0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334
};

/* The value of n ASCII digits at s, or -1 when one is not a digit. Only
 * '0'..'9' count: no sign, no space, no other script's digits (isdigit
 * would depend on the locale). */
int
dt_digits(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
dt_is_leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
dt_days_in_month(int year, int month)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month < 1 || month > 12)
		return 0;
	return len[month - 1] + (month == 2 && dt_is_leap_year(year));
}

enum dt_status
dt_date_parse(const char *s, size_t len, struct dt_date *out)
{
	int y, m, d;

	if (s == NULL || len != DT_DATE_LEN || s[4] != '-' || s[7] != '-')
		return DT_SHAPE;
	if ((y = dt_digits(s, 4)) < 0 || (m = dt_digits(s + 5, 2)) < 0 || (d = dt_digits(s + 8, 2)) < 0)
		return DT_SHAPE;
	if (y < DT_YEAR_MIN || y > DT_YEAR_MAX || m < 1 || m > 12 || d < 1)
		return DT_RANGE;
	if (d > dt_days_in_month(y, m))
		return DT_CALENDAR;
	out->year = y;
	out->month = m;
	out->day = d;
	return DT_OK;
}

enum dt_status
dt_time_parse(const char *s, size_t len, struct dt_time *out)
{
	int h, m;

	if (s == NULL || len != DT_TIME_LEN || s[2] != ':')
		return DT_SHAPE;
	if ((h = dt_digits(s, 2)) < 0 || (m = dt_digits(s + 3, 2)) < 0)
		return DT_SHAPE;
	/* 24:00 is ISO's end of day, but a slot that starts or ends there
	 * would need a next-day date: refused like any other hour > 23. */
	if (h > 23 || m > 59)
		return DT_RANGE;
	out->hour = h;
	out->minute = m;
	return DT_OK;
}

int
dt_is_date(const char *s)
{
	struct dt_date d;

	return s != NULL && dt_date_parse(s, strlen(s), &d) == DT_OK;
}

int
dt_is_time(const char *s)
{
	struct dt_time t;

	return s != NULL && dt_time_parse(s, strlen(s), &t) == DT_OK;
}

/* Leap years in [1, year) for year >= 1. */
static long
leap_years_before(long year)
{
	year--;
	return year / 4 - year / 100 + year / 400;
}

/* Days from 0001-01-01 to January 1st of year (>= 1). */
static long
days_to_year(long year)
{
	return (year - 1) * 365 + leap_years_before(year);
}

/* 1970-01-01 counted from 0001-01-01. */
#define EPOCH_DAYS 719162L

long
dt_date_to_days(const struct dt_date *d)
{
	long n = days_to_year(d->year) + days_before_month[d->month - 1] + (d->day - 1);

	if (d->month > 2 && dt_is_leap_year(d->year))
		n++;
	return n - EPOCH_DAYS;
}

int
dt_date_from_days(long days, struct dt_date *out)
{
	long n, year;
	int month = 1;

	if (days < -EPOCH_DAYS || days >= days_to_year(10000) - EPOCH_DAYS)
		return -1;
	n = days + EPOCH_DAYS;
	/* An estimate at most one year high (a year has at least 365 days),
	 * then step down to the year that holds day n. */
	year = n / 365 + 1;
	while (days_to_year(year) > n)
		year--;
	n -= days_to_year(year);
	while (month < 12 && n >= days_before_month[month] +
	       (month >= 2 && dt_is_leap_year((int)year)))
		month++;
	n -= days_before_month[month - 1] + (month > 2 && dt_is_leap_year((int)year));
	out->year = (int)year;
	out->month = month;
	out->day = (int)n + 1;
	return 0;
}

int
dt_weekday(long days)
{
	/* 1970-01-01 was a Thursday (4) */
	return (int)(((days % 7) + 7 + 3) % 7) + 1;
}

/* Write v as n decimal digits (v < 10^n) at out. */
static void
put_digits(char *out, int v, size_t n)
{
	while (n-- > 0) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

int
dt_date_format(const struct dt_date *d, char out[DT_DATE_LEN + 1])
{
	out[0] = '\0';
	if (d->year < 1 || d->year > 9999 || d->day < 1 ||
	    d->day > dt_days_in_month(d->year, d->month))
		return -1;
	put_digits(out, d->year, 4);
	out[4] = '-';
	put_digits(out + 5, d->month, 2);
	out[7] = '-';
	put_digits(out + 8, d->day, 2);
	out[DT_DATE_LEN] = '\0';
	return 0;
}

int
dt_time_format(const struct dt_time *t, char out[DT_TIME_LEN + 1])
{
	out[0] = '\0';
	if (t->hour < 0 || t->hour > 23 || t->minute < 0 || t->minute > 59)
		return -1;
	put_digits(out, t->hour, 2);
	out[2] = ':';
	put_digits(out + 3, t->minute, 2);
	out[DT_TIME_LEN] = '\0';
	return 0;
}

int
dt_time_minutes(const struct dt_time *t)
{
	return t->hour * 60 + t->minute;
}

const char *
dt_status_name(enum dt_status st)
{
	static const char *const names[DT__MAX] = { "ok", "shape", "range", "calendar" };

	return (unsigned)st < DT__MAX ? names[st] : "unknown";
}

/* ------------------------------------------------------------- words */

/* Append n bytes of s at *at in out (outlen), keeping room for the NUL:
 * 0, or -1 when it does not fit. */
static int
put(char *out, size_t outlen, size_t *at, const char *s, size_t n)
{
	if (n >= outlen - *at)
		return -1;
	memcpy(out + *at, s, n);
	*at += n;
	out[*at] = '\0';
	return 0;
}

/* The value of placeholder name (len bytes) among the nparts parts. */
static const char *
part_value(const char *name, size_t len, const char *const parts[][2], size_t nparts)
{
	for (size_t i = 0; i < nparts; i++)
		if (strlen(parts[i][0]) == len && memcmp(parts[i][0], name, len) == 0)
			return parts[i][1] ? parts[i][1] : "";
	return NULL;
}

/* pattern with each {name} replaced by its part; an unknown {name} is
 * copied as it is. 0, or -1 when out is too small. */
static int
fill_pattern(const char *pattern, const char *const parts[][2], size_t nparts,
             char *out, size_t outlen)
{
	size_t at = 0;

	out[0] = '\0';
	for (const char *p = pattern ? pattern : ""; *p; ) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		const char *v = close ? part_value(p + 1, (size_t)(close - p - 1), parts, nparts) : NULL;

		if (v != NULL) {
			if (put(out, outlen, &at, v, strlen(v)) == -1)
				return -1;
			p = close + 1;
		} else if (put(out, outlen, &at, p++, 1) == -1) {
			return -1;
		}
	}
	return 0;
}

int
dt_format_words(const char *local, int this_year, const struct dt_words *w,
                char *out, size_t outlen)
{
	struct dt_date d;
	struct dt_time t;
	size_t len = local ? strlen(local) : 0;
	int has_time = len == DT_DATE_LEN + 1 + DT_TIME_LEN;
	char day[4], year[8], time[DT_TIME_LEN + 1];
	const char *pattern;

	if (outlen == 0)
		return -1;
	if ((len != DT_DATE_LEN && !has_time) || dt_date_parse(local, DT_DATE_LEN, &d) != DT_OK ||
	    (has_time && (local[DT_DATE_LEN] != ' ' ||
	                  dt_time_parse(local + DT_DATE_LEN + 1, DT_TIME_LEN, &t) != DT_OK))) {
		snprintf(out, outlen, "%s", local ? local : "");
		return -1;
	}
	snprintf(day, sizeof(day), "%d", d.day);
	snprintf(year, sizeof(year), "%d", d.year);
	if (has_time)
		dt_time_format(&t, time);
	else
		time[0] = '\0';
	if (has_time)
		pattern = d.year == this_year ? w->date_time : w->date_time_year;
	else
		pattern = d.year == this_year ? w->date : w->date_year;
	{
		const char *const parts[][2] = {
			{ "weekday", w->weekday[dt_weekday(dt_date_to_days(&d)) - 1] },
			{ "day", day }, { "month", w->month[d.month - 1] }, { "year", year },
			{ "time", time },
		};
		return fill_pattern(pattern, parts, sizeof(parts) / sizeof(parts[0]), out, outlen);
	}
}

int
dt_format_pattern(const char *local, const char *pattern, const struct dt_words *w,
                  char *out, size_t outlen)
{
	struct dt_words b = *w;

	/* A day without a time, written as of another year: the date_year
	 * pattern is the only one used. */
	b.date_year = pattern;
	if (local && strlen(local) != DT_DATE_LEN) {
		if (outlen)
			snprintf(out, outlen, "%s", local);
		return -1;
	}
	return dt_format_words(local, DT_ALWAYS_YEAR, &b, out, outlen);
}

int
dt_duration_words(long minutes, const struct dt_words *w, char *out, size_t outlen)
{
	char n[24];
	int hours = minutes > 0 && minutes % 60 == 0;
	long v = hours ? minutes / 60 : minutes;
	const char *const parts[][2] = { { "n", n } };

	if (outlen == 0 || minutes < 0)
		return -1;
	snprintf(n, sizeof(n), "%ld", v);
	return fill_pattern(hours ? (v == 1 ? w->hour_one : w->hours) : (v == 1 ? w->minute_one : w->minutes),
	                    parts, 1, out, outlen);
}
