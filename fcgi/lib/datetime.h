/* datetime: the one strict parser and formatter of calendar dates
 * (YYYY-MM-DD) and wall-clock times (HH:MM) that forms, query strings and
 * database rows use. Pure: bytes in, struct out; no locale, no time zone,
 * no I/O. Every accepted text formats back to exactly the same bytes. */
#ifndef MEDSYS_DATETIME_H
#define MEDSYS_DATETIME_H

#include <stddef.h>

/* Years accepted by the parser: wide enough for any date of birth or
 * appointment, narrow enough that PostgreSQL's date and timestamptz and
 * a 32-bit day number hold every one. */
#define DT_YEAR_MIN 1900
#define DT_YEAR_MAX 2200

#define DT_DATE_LEN 10          /* "YYYY-MM-DD" */
#define DT_TIME_LEN 5           /* "HH:MM" */

struct dt_date {
	int year;                   /* DT_YEAR_MIN..DT_YEAR_MAX when parsed */
	int month;                  /* 1..12 */
	int day;                    /* 1..28/29/30/31 */
};

struct dt_time {
	int hour;                   /* 0..23 */
	int minute;                 /* 0..59 */
};

/* Why a text was refused; tests and logs may tell them apart, users get
 * one message per field. */
enum dt_status {
	DT_OK = 0,
	DT_SHAPE,       /* not exactly the pattern: length, separators, ASCII digits */
	DT_RANGE,       /* year outside DT_YEAR_MIN..MAX, month 0 or > 12, hour > 23, minute > 59 */
	DT_CALENDAR,    /* no such day in that month (04-31, 02-30, 02-29 of a common year) */
	DT__MAX
};

/* Parse len bytes of s (NUL not required, any NUL byte refuses) as
 * exactly four, two and two ASCII digits separated by '-', naming a real
 * day of the proleptic Gregorian calendar within the year range. No sign,
 * no space, no other length. *out is written only on DT_OK. s may be NULL
 * (then DT_SHAPE). */
enum dt_status dt_date_parse(const char *s, size_t len, struct dt_date *out);

/* Parse len bytes of s as exactly "HH:MM" (ASCII digits), 00:00..23:59.
 * *out is written only on DT_OK; s may be NULL (then DT_SHAPE). */
enum dt_status dt_time_parse(const char *s, size_t len, struct dt_time *out);

/* 1 when the NUL-terminated s is a date dt_date_parse accepts, else 0
 * (also for NULL): the check a form or query field needs. */
int dt_is_date(const char *s);

/* 1 when the NUL-terminated s is a time dt_time_parse accepts, else 0. */
int dt_is_time(const char *s);

/* 1 for a leap year of the Gregorian calendar. */
int dt_is_leap_year(int year);

/* The value of n ASCII digits at s, or -1 when one is not a digit ('0'
 * to '9' only: no sign, no space, whatever the locale). */
int dt_digits(const char *s, size_t n);

/* Days in month (1..12) of year; 0 for another month. */
int dt_days_in_month(int year, int month);

/* Days since 1970-01-01 (negative before) of a date with year 1..9999
 * and a valid month and day (callers pass parsed dates). */
long dt_date_to_days(const struct dt_date *d);

/* The date of a day number (as dt_date_to_days gives): 0, or -1 when it
 * falls outside the years 1..9999 (*out untouched). Day arithmetic
 * (next day, week start) may step past DT_YEAR_MAX: such a date still
 * formats, but does not parse again. */
int dt_date_from_days(long days, struct dt_date *out);

/* ISO weekday of a day number: 1 = Monday .. 7 = Sunday. */
int dt_weekday(long days);

/* Write d as "YYYY-MM-DD" and a NUL into out: 0, or -1 (out = "") when
 * the year is outside 1..9999 or the month or day is not valid. */
int dt_date_format(const struct dt_date *d, char out[DT_DATE_LEN + 1]);

/* Write t as "HH:MM" and a NUL into out: 0, or -1 (out = "") when it is
 * not a time of day. */
int dt_time_format(const struct dt_time *t, char out[DT_TIME_LEN + 1]);

/* Minutes after midnight of a valid time (0..1439). */
int dt_time_minutes(const struct dt_time *t);

/* The words a language uses for dates and durations, read from its
 * language file by the caller (lib/ has no strings of its own). Patterns
 * name parts in braces: {weekday} {day} {month} {year} {time}; {n} in
 * the duration words. */
struct dt_words {
	const char *month[12];          /* "diciembre", January first */
	const char *weekday[7];         /* "martes", Monday first */
	const char *date_time;          /* "{weekday} {day} de {month}, {time}" */
	const char *date_time_year;     /* the same with {year}, another year */
	const char *date;               /* "{weekday} {day} de {month}" */
	const char *date_year;
	const char *minute_one, *minutes;   /* "{n} minuto", "{n} minutos" */
	const char *hour_one, *hours;       /* "{n} hora", "{n} horas" */
	const char *day_year;           /* "{day} de {month} de {year}": a day as a
	                                 * fact (a birth, an onset): no weekday,
	                                 * always the year */
	const char *month_year;         /* "{month} de {year}": a whole month */
};

/* this_year for dt_format_words when the year must always be written (a
 * printed document is read in another year): no date falls in year 0. */
#define DT_ALWAYS_YEAR 0

/* THE way a date or a date and time reaches a person, in pages and
 * mails: local ("YYYY-MM-DD" or "YYYY-MM-DD HH:MM", already in the
 * clinic's time zone) in the words of w: "martes 8 de diciembre, 13:30".
 * The year is written only when it is not this_year. 0, or -1 when local
 * is not one of those shapes or out is too small (out = local copied as
 * far as it fits, so a page still shows something true). */
int dt_format_words(const char *local, int this_year, const struct dt_words *w,
                    char *out, size_t outlen);

/* A day ("YYYY-MM-DD") written with one of w's patterns other than the
 * four above, always as it says: w->day_year ("14 de marzo de 1985") or
 * w->month_year ("marzo de 1985"), through dt_format_words. Same answers
 * as dt_format_words; -1 also for a date with a time. */
int dt_format_pattern(const char *local, const char *pattern, const struct dt_words *w,
                      char *out, size_t outlen);

/* A length of time in words: whole hours as hours ("24 horas", never
 * "1440 minutos"), anything else as minutes. 0, or -1 when out is too
 * small or minutes < 0. */
int dt_duration_words(long minutes, const struct dt_words *w, char *out, size_t outlen);

/* A short stable name for a status ("shape", ...), for tests and logs. */
const char *dt_status_name(enum dt_status st);

#endif
