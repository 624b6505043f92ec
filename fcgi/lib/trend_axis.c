/* trend_axis: round value ticks, calendar ticks, locale-free numbers. */
#include "trend_axis.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "datetime.h"

#define Y_UNITS_PER_TICK 28.0
#define Y_INTERVALS_MIN 2
#define Y_INTERVALS_MAX 8
#define DEC_MAX 9

void
trend_fmt(char out[TREND_NUM_LEN], double v, int dec, int keep)
{
	unsigned long long u, scale = 1, ip, fp;
	double scaled;
	size_t n;

	dec = dec < 0 ? 0 : dec > DEC_MAX ? DEC_MAX : dec;
	for (int i = 0; i < dec; i++)
		scale *= 10;
	scaled = nearbyint(v * (double)scale);
	if (!(fabs(scaled) < 9e18))
		scaled = 0;
	u = (unsigned long long)fabs(scaled);
	ip = u / scale;
	fp = u % scale;
	n = (size_t)snprintf(out, TREND_NUM_LEN, "%s%llu", scaled < 0 ? "-" : "", ip);
	if (dec == 0 || (fp == 0 && !keep))
		return;
	out[n++] = '.';
	for (unsigned long long d = scale / 10; d > 0; d /= 10)
		out[n++] = (char)('0' + fp / d % 10);
	out[n] = '\0';
	while (!keep && out[n - 1] == '0')
		out[--n] = '\0';
}

/* raw (> 0) rounded to the nearest 1, 2 or 5 times a power of ten (so
 * the tick count lands between 2/3 and 3/2 of the wish); its exponent
 * into *e. */
static double
nice_step(double raw, int *e)
{
	double p, f;

	*e = (int)floor(log10(raw));
	p = pow(10.0, *e);
	f = raw / p;
	if (f >= 7.0) {
		(*e)++;
		return p * 10.0;
	}
	return p * (f >= 3.0 ? 5.0 : f >= 1.5 ? 2.0 : 1.0);
}

void
trend_yaxis_fit(struct trend_yaxis *y, double lo, double hi, double height)
{
	double min_span = fmax(0.02 * fmax(fabs(lo), fabs(hi)), 0.01);
	int want = (int)(height / Y_UNITS_PER_TICK), e;

	want = want < Y_INTERVALS_MIN ? Y_INTERVALS_MIN : want > Y_INTERVALS_MAX ? Y_INTERVALS_MAX : want;
	if (hi - lo < min_span) {
		double mid = lo / 2 + hi / 2;
		lo = mid - min_span / 2;
		hi = mid + min_span / 2;
	}
	y->step = nice_step((hi - lo) / want, &e);
	/* The tolerance keeps 0.3 / 0.1 = 2.9999... on its tick. */
	y->lo = floor(lo / y->step + 1e-9) * y->step;
	y->hi = ceil(hi / y->step - 1e-9) * y->step;
	y->n = (int)lround((y->hi - y->lo) / y->step) + 1;
	y->dec = e < 0 ? -e : 0;
}

double
trend_yaxis_tick(const struct trend_yaxis *y, int i)
{
	return y->lo + (double)i * y->step;
}

int
trend_yaxis_label_chars(const struct trend_yaxis *y)
{
	char buf[TREND_NUM_LEN];
	size_t most = 1;

	for (int i = 0; i < y->n; i++) {
		trend_fmt(buf, trend_yaxis_tick(y, i), y->dec, 1);
		if (strlen(buf) > most)
			most = strlen(buf);
	}
	return (int)most;
}

/* ------------------------------------------------------------ time */

long
trend_day_len(enum trend_unit unit)
{
	return unit == TREND_DAYS ? 1 : 86400;
}

struct xstep {
	enum trend_xkind kind;
	int step;           /* days, months or years */
	double days;        /* its length, about */
};

static const struct xstep xsteps[] = {
	{ TREND_X_DAY, 1, 1 }, { TREND_X_DAY, 2, 2 }, { TREND_X_DAY, 7, 7 }, { TREND_X_DAY, 14, 14 },
	{ TREND_X_MONTH, 1, 30.44 }, { TREND_X_MONTH, 2, 60.88 }, { TREND_X_MONTH, 3, 91.31 },
	{ TREND_X_MONTH, 6, 182.62 },
	{ TREND_X_YEAR, 1, 365.25 }, { TREND_X_YEAR, 2, 730.5 }, { TREND_X_YEAR, 5, 1826.2 },
	{ TREND_X_YEAR, 10, 3652.5 }, { TREND_X_YEAR, 20, 7305 }, { TREND_X_YEAR, 50, 18262 },
	{ TREND_X_YEAR, 100, 36525 },
};

static long
floor_div(long a, long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static long
days_of(int year, int month, int day)
{
	struct dt_date d = { year, month, day };

	return dt_date_to_days(&d);
}

static void
add_tick(struct trend_xaxis *x, long day, long len)
{
	struct dt_date d;

	if (x->n >= TREND_XTICKS_MAX || dt_date_from_days(day, &d) != 0)
		return;
	x->ticks[x->n].t = (double)day * (double)len;
	x->ticks[x->n].year = d.year;
	x->ticks[x->n].month = d.month;
	x->ticks[x->n].day = d.day;
	x->n++;
}

/* Every step days from the first day >= day0 on the step's grid (even
 * days; Mondays; every other Monday counted from 1970-01-05). */
static void
day_ticks(struct trend_xaxis *x, int step, long day0, long day1, long len)
{
	long d = day0;

	if (step >= 7) {
		while (dt_weekday(d) != 1 || floor_div(d - 4, 7) % (step / 7) != 0)
			d++;
	} else {
		while (floor_div(d, step) * step != d)
			d++;
	}
	for (; d <= day1; d += step)
		add_tick(x, d, len);
}

/* The first of every step-th month (January, and each step months on)
 * from day0 to day1; with years, every step-th first of January. */
static void
calendar_ticks(struct trend_xaxis *x, const struct xstep *s, long day0, long day1, long len)
{
	struct dt_date d;
	int months = s->kind == TREND_X_YEAR ? 12 * s->step : s->step;
	long m;

	if (dt_date_from_days(day0, &d) != 0)
		return;
	/* Months counted from year 0, so the grid is the same every year. */
	m = (long)d.year * 12 + (d.month - 1) + (d.day > 1);
	m += (months - m % months) % months;
	for (; x->n < TREND_XTICKS_MAX; m += months) {
		long day = days_of((int)(m / 12), (int)(m % 12) + 1, 1);
		if (day > day1)
			break;
		add_tick(x, day, len);
	}
}

void
trend_xaxis_fit(struct trend_xaxis *x, enum trend_unit unit, double t0, double t1, int max_ticks)
{
	long len = trend_day_len(unit);
	const struct xstep *s = &xsteps[sizeof(xsteps) / sizeof(xsteps[0]) - 1];
	double span;

	if (t1 - t0 < 2.0 * (double)len) {
		double mid = t0 / 2 + t1 / 2;
		t0 = mid - (double)len;
		t1 = mid + (double)len;
	}
	x->t0 = t0;
	x->t1 = t1;
	x->n = 0;
	span = (t1 - t0) / (double)len;
	max_ticks = max_ticks < 2 ? 2 : max_ticks > TREND_XTICKS_MAX ? TREND_XTICKS_MAX : max_ticks;
	for (size_t i = 0; i < sizeof(xsteps) / sizeof(xsteps[0]); i++)
		if (span / xsteps[i].days + 1.0 <= (double)max_ticks) {
			s = &xsteps[i];
			break;
		}
	x->kind = s->kind;
	if (s->kind == TREND_X_DAY)
		day_ticks(x, s->step, (long)ceil(t0 / (double)len), (long)floor(t1 / (double)len), len);
	else
		calendar_ticks(x, s, (long)ceil(t0 / (double)len), (long)floor(t1 / (double)len), len);
}
