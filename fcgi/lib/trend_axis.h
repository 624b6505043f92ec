/* trend_axis: the axes of a trend chart (lib/trend.c's private half):
 * round value ticks, calendar date ticks, and numbers printed without
 * the locale. Pure. */
#ifndef MEDSYS_TREND_AXIS_H
#define MEDSYS_TREND_AXIS_H

#include "trend.h"

/* The value axis: ticks lo, lo + step, ... hi (n of them), each printed
 * with dec decimals. */
struct trend_yaxis {
	double lo, hi, step;
	int dec, n;
};

/* Round [lo, hi] out to a 1-2-5 step giving about one tick per 28 units
 * of height (2 to 8 intervals wished, up to half as many again given). A
 * span under 2% of the largest magnitude (at least 0.01) is first widened
 * around its middle, so equal values get a band. */
void trend_yaxis_fit(struct trend_yaxis *y, double lo, double hi, double height);

/* The value of tick i (0 .. n-1). */
double trend_yaxis_tick(const struct trend_yaxis *y, int i);

/* The length of the longest tick label, in characters. */
int trend_yaxis_label_chars(const struct trend_yaxis *y);

enum trend_xkind {
	TREND_X_DAY = 0,    /* labels: day of month, month under the first and at changes */
	TREND_X_MONTH,      /* labels: month, year under the first and at changes */
	TREND_X_YEAR,       /* labels: year */
	TREND_X__MAX
};

#define TREND_XTICKS_MAX 48

/* A day in the unit: 1 or 86400. */
long trend_day_len(enum trend_unit unit);

struct trend_xtick {
	double t;                   /* midnight starting the day, in the chart's unit */
	int year, month, day;
};

/* The time axis from t0 to t1 and its ticks. */
struct trend_xaxis {
	double t0, t1;
	enum trend_xkind kind;
	int n;
	struct trend_xtick ticks[TREND_XTICKS_MAX];
};

/* Fit the time axis over [t0, t1] (unit's values): spans under two days
 * are widened around their middle (so one instant is centred); ticks on
 * the first step of days (1, 2, 7 on Mondays, 14), months (1, 2, 3, 6) or
 * years (1, 2, 5 ... 100) giving at most max_ticks (at least 2). */
void trend_xaxis_fit(struct trend_xaxis *x, enum trend_unit unit, double t0, double t1, int max_ticks);

#define TREND_NUM_LEN 32

/* v rounded to dec (0..9) decimals into out, '.' as the decimal point
 * whatever the locale; trailing zeros (and a bare '.') dropped unless
 * keep. |v| * 10^dec must stay under 9e18 (else "0"). */
void trend_fmt(char out[TREND_NUM_LEN], double v, int dec, int keep);

#endif
