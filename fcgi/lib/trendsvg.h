/* trendsvg: one analyte's released lab results over the years drawn as
 * lib/trend's inline SVG (no script, no style: the CSP allows neither),
 * with the reference range shaded, and the counts the chart's <desc> and
 * the page's summary put in words. The drawing is lib/trend's: this only
 * chooses what a lab trend shows. Pure. */
#ifndef MEDSYS_TRENDSVG_H
#define MEDSYS_TRENDSVG_H

#include <stddef.h>

#include "trend.h"

/* One released result (lab.released_results), in collection order. */
struct trendsvg_point {
	long day;                 /* collection day (dt_date_to_days) */
	double value;             /* numeric value, in the analyte's canonical unit */
	double low, high;         /* its reference range as stored with it; not
	                           * low < high (e.g. 0, 0): none */
	int outside;              /* 1: its flag is not "normal" */
};

struct trendsvg {
	const struct trendsvg_point *pts;
	size_t n;                 /* 1 .. TREND_POINTS_MAX */
	double plausible_low, plausible_high;   /* the analyte's; not lo < hi: none */
	const char *title;        /* the analyte's name: <title>, the accessible name */
	const char *desc;         /* <desc> (the caller words trendsvg_summary's counts), or NULL */
	const char *unit;         /* UCUM unit over the value axis, or NULL/"" */
	const char *months[12];   /* short month names; NULL: numbers */
};

/* What the chart and the table alternative say in words. */
struct trendsvg_summary {
	size_t n;                 /* results */
	size_t outside;           /* of them flagged (not normal) */
	long first_day, last_day; /* collection days of the first and last */
	double last_value;
	int band;                 /* 1: a range is shaded (the newest result's) */
	int band_changed;         /* 1: older results had another range (an age
	                           * band or the sex changed): the table has each */
	double band_low, band_high;
};

#define TRENDSVG_WIDTH 360      /* fits a 360 px phone; the SVG scales down */
#define TRENDSVG_HEIGHT 220
#define TRENDSVG_MIN_DAYS 365   /* the time axis covers at least a year */
#define TRENDSVG_JOIN_DAYS 800  /* results further apart are not joined */

/* Count and describe in (all zero when in->n is 0). */
void trendsvg_summarise(const struct trendsvg *in, struct trendsvg_summary *out);

/* Draw in into out as lib/trend_svg does (same statuses and measuring:
 * out NULL and cap 0 give TREND_NO_ROOM and the length in *len). The
 * shaded band is the newest result's range; the time axis ends at the
 * last result and covers at least TRENDSVG_MIN_DAYS. */
enum trend_status trendsvg_render(const struct trendsvg *in, char *out, size_t cap, size_t *len);

#endif
