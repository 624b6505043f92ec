/* fuzz_datetime: libFuzzer harness for the strict date and time parser
 * (fcgi/lib/datetime.c): whatever it accepts formats back to the very
 * same bytes, and day numbers go back and forth without drift. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/datetime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A parsed date: canonical, in range, and the same day after a trip
 * through its day number; its neighbours are real days too. */
static void
check_date(const char *s, size_t len, const struct dt_date *d)
{
	char back[DT_DATE_LEN + 1];
	struct dt_date again;
	long n;

	for (size_t i = 0; i < len; i++)   /* only ASCII digits and two '-' */
		if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			abort();
	if (len != DT_DATE_LEN ||
	    d->year < DT_YEAR_MIN || d->year > DT_YEAR_MAX ||
	    d->day > dt_days_in_month(d->year, d->month))
		abort();
	if (dt_date_format(d, back) != 0 || memcmp(back, s, len) != 0)
		abort();
	n = dt_date_to_days(d);
	if (dt_date_from_days(n, &again) != 0 || again.year != d->year ||
	    again.month != d->month || again.day != d->day)
		abort();
	if (dt_weekday(n + 1) % 7 != (dt_weekday(n) + 1) % 7)
		abort();
	for (long step = -1; step <= 1; step += 2) {
		if (dt_date_from_days(n + step, &again) != 0 ||
		    dt_date_to_days(&again) != n + step ||
		    dt_date_format(&again, back) != 0)
			abort();
	}
}

static void
check_time(const char *s, size_t len, const struct dt_time *t)
{
	char back[DT_TIME_LEN + 1];
	int m = dt_time_minutes(t);

	if (len != DT_TIME_LEN || s[2] != ':' || m < 0 || m >= 24 * 60 ||
	    dt_time_format(t, back) != 0 || memcmp(back, s, len) != 0)
		abort();
}

/* Treat the first bytes as a day number: the date it names (if any)
 * formats, and parses back to that day unless outside the year range. */
static void
check_day_number(const uint8_t *data, size_t size)
{
	int32_t raw = 0;
	struct dt_date d, again;
	char s[DT_DATE_LEN + 1];
	long n;

	memcpy(&raw, data, size < sizeof(raw) ? size : sizeof(raw));
	n = (long)(raw % 4000000);     /* a little past the years 1..9999 */
	if (dt_date_from_days(n, &d) != 0)
		return;
	if (dt_date_to_days(&d) != n || dt_date_format(&d, s) != 0)
		abort();
	if (dt_date_parse(s, DT_DATE_LEN, &again) == DT_OK) {
		if (dt_date_to_days(&again) != n)
			abort();
	} else if (d.year >= DT_YEAR_MIN && d.year <= DT_YEAR_MAX) {
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct dt_date d;
	struct dt_time t;
	enum dt_status st;

	st = dt_date_parse(s, size, &d);
	if (st >= DT__MAX)
		abort();
	if (st == DT_OK)
		check_date(s, size, &d);
	st = dt_time_parse(s, size, &t);
	if (st >= DT__MAX)
		abort();
	if (st == DT_OK)
		check_time(s, size, &t);
	check_day_number(data, size);
	return 0;
}
