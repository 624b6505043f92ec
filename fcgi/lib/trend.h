/* trend: a vital sign's readings over time drawn as a small inline SVG
 * (no script, no style attribute: the CSP allows neither), for the record
 * pages. Pure: numbers and caller text in, bytes in a caller's buffer out. */
#ifndef MEDSYS_TREND_H
#define MEDSYS_TREND_H

#include <stddef.h>

/* Why no chart was drawn. */
enum trend_status {
	TREND_OK = 0,
	TREND_NO_DATA,      /* no present point in any series: show "no data" text */
	TREND_BAD_ARG,      /* NULL, size out of range, too many points, time outside the years */
	TREND_NOT_FINITE,   /* a present value is NaN or infinite */
	TREND_UNSORTED,     /* a series' times go backwards */
	TREND_NO_ROOM,      /* the buffer is too small; *len says how much is needed */
	TREND__MAX
};

/* How point times are counted. Only differences and calendar days
 * matter: TREND_SECONDS are wall-clock seconds since 1970-01-01 00:00 in
 * the clinic's zone (the caller adds the UTC offset, so days start at
 * local midnight); TREND_DAYS are day numbers as dt_date_to_days gives. */
enum trend_unit {
	TREND_SECONDS = 0,
	TREND_DAYS,
	TREND_UNIT__MAX
};

struct trend_point {
	long long t;        /* time, in the chart's unit */
	double v;           /* the value; read only when present */
	int present;        /* 0: a gap (nothing measured): the line breaks here */
};

struct trend_series {
	const struct trend_point *pts;   /* in time order (equal times allowed) */
	size_t n;
	const char *name;   /* legend text (caller, UTF-8) or NULL; shown with two series */
};

/* A range of values; "not given" when it is not lo < hi with both
 * finite (so a zeroed struct means none). */
struct trend_range {
	double lo, hi;
};

struct trend_chart {
	struct trend_series series[2];   /* series[1].n == 0: one series */
	enum trend_unit unit;
	long long max_step;  /* > 0: two present points further apart than this
	                      * (in the unit) are not joined either */
	long long t_from, t_to;          /* t_from < t_to: the time axis covers at
	                                  * least this window (e.g. the last year) */
	struct trend_range plausible;    /* values outside are off scale: drawn
	                                  * clamped to the axis with an arrow */
	struct trend_range normal;       /* the reference band, shaded */
	int width, height;               /* user units of the viewBox (px at 1:1) */
	const char *title;               /* <title>: the accessible name */
	const char *desc;                /* <desc>: what the chart shows, or NULL */
	const char *unit_label;          /* "mmHg", over the value axis, or NULL */
	const char *months[12];          /* short month names; NULL: numbers */
};

#define TREND_WIDTH_MIN 160
#define TREND_WIDTH_MAX 2000
#define TREND_HEIGHT_MIN 100
#define TREND_HEIGHT_MAX 1000
#define TREND_POINTS_MAX 5000        /* per series */
#define TREND_ABS_MAX 1e9            /* |value| beyond: off scale, whatever
                                      * the plausible range says */

/* Draw the chart into out (cap bytes, NUL-terminated when it fits) and
 * set *len to the SVG's length without the NUL, also when it does not
 * fit (then TREND_NO_ROOM: call again with *len + 1 bytes; out may be
 * NULL with cap 0 to measure). Any status but TREND_OK and TREND_NO_ROOM
 * leaves out "" (when cap > 0) and *len 0. Rules (docs/record.md):
 * - values: the axis covers the plausible values and the normal band,
 *   rounded out to 1-2-5 steps, at least 2% of the largest magnitude
 *   wide (so equal values get a band around them); off-scale values
 *   never stretch it;
 * - times: x is proportional to time; a single instant is centred;
 *   ticks fall on calendar days, weeks (Mondays), months or years;
 * - a present point whose neighbour is a gap, off scale or more than
 *   max_step away is a marker without a line to it. */
enum trend_status trend_svg(const struct trend_chart *c, char *out, size_t cap, size_t *len);

/* A short stable name of a status ("no-data", ...), for logs and tests. */
const char *trend_status_name(enum trend_status st);

#endif
