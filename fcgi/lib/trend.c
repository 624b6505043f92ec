/* trend: validate the series, fit the value and time axes, then write the
 * SVG: band, grid, frame, lines, markers, labels. Every number goes out
 * through trend_fmt (integer arithmetic), so the locale never changes a '.'. */
#include "trend.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "datetime.h"
#include "trend_axis.h"

/* Layout in user units (font 11). */
#define MARGIN_TOP 24.0     /* unit label and legend above the plot */
#define MARGIN_BOTTOM 32.0  /* two lines of dates */
#define MARGIN_RIGHT 14.0   /* half of the last date label */
#define INSET 7.0           /* markers at the ends stay off the frame */
#define CHAR_W 6.2          /* a digit or letter's advance, about */
#define DOT "4"             /* dot: a zero-length line this wide, round caps */
#define SQUARE "3.6"        /* square: a line this long and wide, butt caps (square
                             * caps on a zero-length line have no direction: cairo
                             * draws nothing) */
#define SQUARE_HALF 1.8

static const char *const series_colour[2] = { "#1c5fa8", "#c4570b" };

/* The output: bytes past cap are counted, not written. */
struct writer {
	char *p;
	size_t cap, len;
};

struct plot {
	const struct trend_chart *c;
	struct trend_yaxis y;
	struct trend_xaxis x;
	double fx0, fx1, fy0, fy1;     /* the frame */
	double dx0, dx1;               /* where the first and last instants go */
	double plo, phi;               /* plausible values; beyond: off scale */
};

/* What becomes of a point: nothing, a marker, an arrow up or down. */
enum pt_kind { PT_GAP, PT_IN, PT_HIGH, PT_LOW, PT__MAX };

static void
w_mem(struct writer *w, const char *s, size_t n)
{
	if (w->cap > 0 && w->len < w->cap - 1) {
		size_t room = w->cap - 1 - w->len;
		memcpy(w->p + w->len, s, n < room ? n : room);
	}
	w->len += n;
}

static void
w_str(struct writer *w, const char *s)
{
	w_mem(w, s, strlen(s));
}

/* The strings, in order, up to a NULL. */
static void
w_strs(struct writer *w, ...)
{
	va_list ap;

	va_start(ap, w);
	for (const char *s = va_arg(ap, const char *); s != NULL; s = va_arg(ap, const char *))
		w_str(w, s);
	va_end(ap);
}

/* v with dec decimals ('.' always); trailing zeros dropped unless keep. */
static void
w_num(struct writer *w, double v, int dec, int keep)
{
	char buf[TREND_NUM_LEN];

	trend_fmt(buf, v, dec, keep);
	w_str(w, buf);
}

/* Caller text as XML character data: & < > escaped, control characters
 * (not allowed in XML 1.0, or meaningless here) become spaces. */
static void
w_text(struct writer *w, const char *s)
{
	static const char *const ent[] = { ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;" };

	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch < sizeof(ent) / sizeof(ent[0]) && ent[ch] != NULL)
			w_str(w, ent[ch]);
		else
			w_mem(w, ch < 0x20 || ch == 0x7f ? " " : s, 1);
	}
}

/* A path command and its point: "M12.5 40". */
static void
w_point(struct writer *w, const char *cmd, double x, double y)
{
	w_str(w, cmd);
	w_num(w, x, 1, 0);
	w_str(w, " ");
	w_num(w, y, 1, 0);
}

/* name="v" (one decimal), after a space. */
static void
w_attr(struct writer *w, const char *name, double v)
{
	w_strs(w, " ", name, "=\"", NULL);
	w_num(w, v, 1, 0);
	w_str(w, "\"");
}

/* x, y, width and height of a rectangle, then "/>". */
static void
w_box(struct writer *w, double x0, double y0, double x1, double y1)
{
	w_attr(w, "x", x0);
	w_attr(w, "y", y0);
	w_attr(w, "width", x1 - x0);
	w_attr(w, "height", y1 - y0);
	w_str(w, "/>");
}

/* ------------------------------------------------------------ validation */

static int
range_given(const struct trend_range *r)
{
	return isfinite(r->lo) && isfinite(r->hi) && r->lo < r->hi;
}

/* 1 when t (in unit) falls on a day of the years the dates cover. */
static int
time_ok(enum trend_unit unit, long long t)
{
	static const struct dt_date first = { DT_YEAR_MIN, 1, 1 }, last = { DT_YEAR_MAX, 12, 31 };
	long long len = trend_day_len(unit);

	return t >= dt_date_to_days(&first) * len && t < (dt_date_to_days(&last) + 1) * len;
}

static enum trend_status
check_series(const struct trend_chart *c, const struct trend_series *s, size_t *present)
{
	if (s->n > TREND_POINTS_MAX || (s->n > 0 && s->pts == NULL))
		return TREND_BAD_ARG;
	for (size_t i = 0; i < s->n; i++) {
		const struct trend_point *p = &s->pts[i];
		if (!time_ok(c->unit, p->t))
			return TREND_BAD_ARG;
		if (i > 0 && p->t < s->pts[i - 1].t)
			return TREND_UNSORTED;
		if (p->present && !isfinite(p->v))
			return TREND_NOT_FINITE;
		*present += p->present != 0;
	}
	return TREND_OK;
}

static enum trend_status
check_chart(const struct trend_chart *c)
{
	enum trend_status st;
	size_t present = 0;

	if (c->width < TREND_WIDTH_MIN || c->width > TREND_WIDTH_MAX ||
	    c->height < TREND_HEIGHT_MIN || c->height > TREND_HEIGHT_MAX ||
	    (unsigned)c->unit >= TREND_UNIT__MAX || c->title == NULL || *c->title == '\0')
		return TREND_BAD_ARG;
	if (c->t_from < c->t_to && (!time_ok(c->unit, c->t_from) || !time_ok(c->unit, c->t_to)))
		return TREND_BAD_ARG;
	for (int k = 0; k < 2; k++)
		if ((st = check_series(c, &c->series[k], &present)) != TREND_OK)
			return st;
	return present == 0 ? TREND_NO_DATA : TREND_OK;
}

/* ------------------------------------------------------------ scaling */

static enum pt_kind
kind_of(const struct plot *pl, const struct trend_point *p)
{
	if (!p->present)
		return PT_GAP;
	if (p->v > pl->phi)
		return PT_HIGH;
	return p->v < pl->plo ? PT_LOW : PT_IN;
}

/* The normal band cut to the plausible range into *lo, *hi: 1, or 0
 * when there is none or it lies wholly off scale. */
static int
band_of(const struct plot *pl, double *lo, double *hi)
{
	const struct trend_range *r = &pl->c->normal;

	if (!range_given(r) || r->hi < pl->plo || r->lo > pl->phi)
		return 0;
	*lo = fmax(r->lo, pl->plo);
	*hi = fmin(r->hi, pl->phi);
	return 1;
}

/* The plausible range (never wider than +-TREND_ABS_MAX); the smallest
 * and largest plausible value and the band into *lo, *hi; 0 when none. */
static int
value_extent(struct plot *pl, double *lo, double *hi)
{
	const struct trend_chart *c = pl->c;
	double blo, bhi;
	int any = 0;

	pl->plo = -TREND_ABS_MAX;
	pl->phi = TREND_ABS_MAX;
	if (range_given(&c->plausible) && c->plausible.lo < TREND_ABS_MAX &&
	    c->plausible.hi > -TREND_ABS_MAX) {
		pl->plo = fmax(c->plausible.lo, -TREND_ABS_MAX);
		pl->phi = fmin(c->plausible.hi, TREND_ABS_MAX);
	}
	*lo = INFINITY;
	*hi = -INFINITY;
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < c->series[k].n; i++)
			if (kind_of(pl, &c->series[k].pts[i]) == PT_IN) {
				*lo = fmin(*lo, c->series[k].pts[i].v);
				*hi = fmax(*hi, c->series[k].pts[i].v);
				any = 1;
			}
	if (band_of(pl, &blo, &bhi)) {
		*lo = fmin(*lo, blo);
		*hi = fmax(*hi, bhi);
		any = 1;
	}
	return any;
}

/* The earliest and latest present instants, widened to the window. */
static void
time_extent(const struct trend_chart *c, double *t0, double *t1)
{
	*t0 = INFINITY;
	*t1 = -INFINITY;
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < c->series[k].n; i++)
			if (c->series[k].pts[i].present) {
				*t0 = fmin(*t0, (double)c->series[k].pts[i].t);
				*t1 = fmax(*t1, (double)c->series[k].pts[i].t);
			}
	if (c->t_from < c->t_to) {
		*t0 = fmin(*t0, (double)c->t_from);
		*t1 = fmax(*t1, (double)c->t_to);
	}
}

/* Fit both axes and place the frame; the left margin fits the widest
 * value label. */
static void
layout(struct plot *pl)
{
	const struct trend_chart *c = pl->c;
	double lo, hi, t0, t1;

	pl->fy0 = MARGIN_TOP;
	pl->fy1 = c->height - MARGIN_BOTTOM;
	if (!value_extent(pl, &lo, &hi)) {      /* every value off scale */
		lo = pl->plo;
		hi = pl->phi;
	}
	trend_yaxis_fit(&pl->y, lo, hi, pl->fy1 - pl->fy0);
	pl->fx0 = 8.0 + CHAR_W * (double)trend_yaxis_label_chars(&pl->y);
	pl->fx1 = c->width - MARGIN_RIGHT;
	pl->dx0 = pl->fx0 + INSET;
	pl->dx1 = pl->fx1 - INSET;
	time_extent(c, &t0, &t1);
	trend_xaxis_fit(&pl->x, c->unit, t0, t1, (int)((pl->dx1 - pl->dx0) / 44.0));
}

static double
x_of(const struct plot *pl, double t)
{
	return pl->dx0 + (t - pl->x.t0) / (pl->x.t1 - pl->x.t0) * (pl->dx1 - pl->dx0);
}

static double
y_of(const struct plot *pl, double v)
{
	return pl->fy1 - (v - pl->y.lo) / (pl->y.hi - pl->y.lo) * (pl->fy1 - pl->fy0);
}

/* ------------------------------------------------------------ drawing */

static void
draw_band(struct writer *w, const struct plot *pl)
{
	double lo, hi, top, bottom;

	if (!band_of(pl, &lo, &hi))
		return;
	top = y_of(pl, fmin(hi, pl->y.hi));
	bottom = y_of(pl, fmax(lo, pl->y.lo));
	if (bottom - top < 0.05)
		return;
	w_str(w, "<rect class=\"trend-band\" fill=\"#e3f1e6\"");
	w_box(w, pl->fx0, top, pl->fx1, bottom);
}

/* Horizontal lines at the value ticks, short marks at the date ticks,
 * then the frame over them. */
static void
draw_grid(struct writer *w, const struct plot *pl)
{
	w_str(w, "<path class=\"trend-grid\" fill=\"none\" stroke=\"#d5d9dd\" d=\"");
	for (int i = 0; i < pl->y.n; i++) {
		w_point(w, "M", pl->fx0, y_of(pl, trend_yaxis_tick(&pl->y, i)));
		w_str(w, "H");
		w_num(w, pl->fx1, 1, 0);
	}
	for (int i = 0; i < pl->x.n; i++) {
		w_point(w, "M", x_of(pl, pl->x.ticks[i].t), pl->fy1);
		w_str(w, "v4");
	}
	w_str(w, "\"/><rect class=\"trend-frame\" fill=\"none\" stroke=\"#8c959f\"");
	w_box(w, pl->fx0, pl->fy0, pl->fx1, pl->fy1);
}

/* 1 when point i of s is joined to point i - 1: both drawn on scale, and
 * not further apart than max_step. */
static int
joined(const struct plot *pl, const struct trend_series *s, size_t i)
{
	long long step = pl->c->max_step;

	if (i == 0 || i >= s->n || kind_of(pl, &s->pts[i]) != PT_IN ||
	    kind_of(pl, &s->pts[i - 1]) != PT_IN)
		return 0;
	return step <= 0 || s->pts[i].t - s->pts[i - 1].t <= step;
}

/* One path per series; a run of joined points is one subpath. */
static void
draw_line(struct writer *w, const struct plot *pl, int k)
{
	const struct trend_series *s = &pl->c->series[k];
	size_t i, runs = 0;

	for (i = 1; i < s->n; i++)
		runs += (size_t)joined(pl, s, i);
	if (runs == 0)
		return;
	w_strs(w, "<path class=\"trend-s", k == 0 ? "1" : "2",
	       "\" fill=\"none\" stroke-width=\"2\" stroke-linejoin=\"round\" stroke=\"",
	       series_colour[k], "\" d=\"", NULL);
	for (i = 0; i < s->n; i++) {
		const char *cmd = joined(pl, s, i) ? "L" : joined(pl, s, i + 1) ? "M" : NULL;
		if (cmd != NULL)
			w_point(w, cmd, x_of(pl, (double)s->pts[i].t), y_of(pl, s->pts[i].v));
	}
	w_str(w, "\"/>");
}

/* The opening of a path of markers in series k's colour: dots for the
 * first series, squares for the second, so they differ by shape, not
 * only by colour. */
static void
w_marker_open(struct writer *w, const char *cls, int k)
{
	w_strs(w, "<path class=\"", cls, "\" fill=\"none\" stroke-width=\"",
	       k == 0 ? DOT "\" stroke-linecap=\"round" : SQUARE,
	       "\" stroke=\"", series_colour[k], "\" d=\"", NULL);
}

/* Series k's marker centred on (x, y). */
static void
w_marker(struct writer *w, int k, double x, double y)
{
	w_point(w, "M", k == 0 ? x : x - SQUARE_HALF, y);
	w_str(w, k == 0 ? "h0" : "h" SQUARE);
}

/* A marker per point on scale; an arrow on the frame's edge per point
 * off scale. */
static void
draw_markers(struct writer *w, const struct plot *pl, int k)
{
	const struct trend_series *s = &pl->c->series[k];
	size_t i, in = 0, off = 0;

	for (i = 0; i < s->n; i++) {
		enum pt_kind kind = kind_of(pl, &s->pts[i]);
		in += kind == PT_IN;
		off += kind == PT_HIGH || kind == PT_LOW;
	}
	if (in > 0) {
		w_marker_open(w, k == 0 ? "trend-p1" : "trend-p2", k);
		for (i = 0; i < s->n; i++)
			if (kind_of(pl, &s->pts[i]) == PT_IN)
				w_marker(w, k, x_of(pl, (double)s->pts[i].t), y_of(pl, s->pts[i].v));
		w_str(w, "\"/>");
	}
	if (off == 0)
		return;
	w_strs(w, "<path class=\"trend-off\" fill=\"", series_colour[k], "\" d=\"", NULL);
	for (i = 0; i < s->n; i++) {
		enum pt_kind kind = kind_of(pl, &s->pts[i]);
		double x = x_of(pl, (double)s->pts[i].t);
		if (kind == PT_HIGH) {          /* apex above the frame, pointing up */
			w_point(w, "M", x, pl->fy0 - 4.0);
			w_str(w, "l5 9h-10z");
		} else if (kind == PT_LOW) {    /* apex below the frame, pointing down */
			w_point(w, "M", x, pl->fy1 + 4.0);
			w_str(w, "l5 -9h-10z");
		}
	}
	w_str(w, "\"/>");
}

/* <text x y>s</text> */
static void
w_label(struct writer *w, double x, double y, const char *s)
{
	w_str(w, "<text");
	w_attr(w, "x", x);
	w_attr(w, "y", y);
	w_str(w, ">");
	w_text(w, s);
	w_str(w, "</text>");
}

/* Characters (UTF-8 code points) in s, for the legend's layout. */
static double
text_width(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return CHAR_W * (double)n;
}

/* With two series, each name after its marker, right-aligned at the top. */
static void
draw_legend(struct writer *w, const struct plot *pl)
{
	const struct trend_chart *c = pl->c;
	double x = c->width - 4.0, at[2];

	if (c->series[1].n == 0 || c->series[0].n == 0)
		return;
	for (int k = 1; k >= 0; k--) {
		x -= text_width(c->series[k].name);
		at[k] = x;
		x -= 20.0;
	}
	for (int k = 0; k < 2; k++) {
		w_marker_open(w, "trend-key", k);
		w_marker(w, k, at[k] - 8.0, 8.0);
		w_str(w, "\"/>");
	}
	w_str(w, "<g class=\"trend-text\" font-size=\"11\" fill=\"#3d444d\">");
	for (int k = 0; k < 2; k++)
		w_label(w, at[k], 12.0, c->series[k].name);
	w_str(w, "</g>");
}

/* The month of a tick: the caller's name, or its number. */
static const char *
month_text(const struct trend_chart *c, int month, char num[TREND_NUM_LEN])
{
	if (c->months[month - 1] != NULL)
		return c->months[month - 1];
	trend_fmt(num, month, 0, 0);
	return num;
}

/* The two lines under date tick i: day and month, month and year, or
 * year; the second line only where it changes (and at the first tick). */
static void
draw_date(struct writer *w, const struct plot *pl, int i)
{
	const struct trend_xtick *t = &pl->x.ticks[i], *prev = i > 0 ? t - 1 : NULL;
	double x = x_of(pl, t->t), y1 = pl->fy1 + 15.0, y2 = pl->fy1 + 28.0;
	char a[TREND_NUM_LEN], b[TREND_NUM_LEN];

	switch (pl->x.kind) {
	case TREND_X_DAY:
		trend_fmt(a, t->day, 0, 0);
		w_label(w, x, y1, a);
		if (prev == NULL || prev->month != t->month)
			w_label(w, x, y2, month_text(pl->c, t->month, b));
		break;
	case TREND_X_MONTH:
		w_label(w, x, y1, month_text(pl->c, t->month, a));
		trend_fmt(b, t->year, 0, 0);
		if (prev == NULL || prev->year != t->year)
			w_label(w, x, y2, b);
		break;
	default:
		trend_fmt(a, t->year, 0, 0);
		w_label(w, x, y1, a);
		break;
	}
}

/* The unit over the value axis, the value labels, the date labels. */
static void
draw_labels(struct writer *w, const struct plot *pl)
{
	char num[TREND_NUM_LEN];

	w_str(w, "<g class=\"trend-text\" font-size=\"11\" fill=\"#3d444d\">");
	if (pl->c->unit_label != NULL && *pl->c->unit_label != '\0')
		w_label(w, 4.0, 12.0, pl->c->unit_label);
	w_str(w, "<g text-anchor=\"end\">");
	for (int i = 0; i < pl->y.n; i++) {
		double v = trend_yaxis_tick(&pl->y, i);
		trend_fmt(num, v, pl->y.dec, 1);
		w_label(w, pl->fx0 - 4.0, y_of(pl, v) + 4.0, num);
	}
	w_str(w, "</g><g text-anchor=\"middle\">");
	for (int i = 0; i < pl->x.n; i++)
		draw_date(w, pl, i);
	w_str(w, "</g></g>");
}

static void
draw_chart(struct writer *w, const struct plot *pl)
{
	const struct trend_chart *c = pl->c;
	char wide[TREND_NUM_LEN], high[TREND_NUM_LEN];

	trend_fmt(wide, c->width, 0, 0);
	trend_fmt(high, c->height, 0, 0);
	w_strs(w, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"trend\" role=\"img\" "
	       "font-family=\"sans-serif\" viewBox=\"0 0 ", wide, " ", high, "\" width=\"", wide,
	       "\" height=\"", high, "\"><title>", NULL);
	w_text(w, c->title);
	w_str(w, "</title>");
	if (c->desc != NULL && *c->desc != '\0') {
		w_str(w, "<desc>");
		w_text(w, c->desc);
		w_str(w, "</desc>");
	}
	draw_band(w, pl);
	draw_grid(w, pl);
	for (int k = 0; k < 2; k++) {
		draw_line(w, pl, k);
		draw_markers(w, pl, k);
	}
	draw_legend(w, pl);
	draw_labels(w, pl);
	w_str(w, "</svg>");
}

enum trend_status
trend_svg(const struct trend_chart *c, char *out, size_t cap, size_t *len)
{
	struct writer w = { out, cap, 0 };
	struct plot pl;
	enum trend_status st = TREND_BAD_ARG;

	if (out != NULL && cap > 0)
		out[0] = '\0';
	if (len != NULL)
		*len = 0;
	if (c == NULL || len == NULL || (out == NULL && cap > 0))
		goto out;
	if ((st = check_chart(c)) != TREND_OK)
		goto out;
	memset(&pl, 0, sizeof(pl));
	pl.c = c;
	layout(&pl);
	draw_chart(&w, &pl);
	*len = w.len;
	if (w.len >= cap) {
		st = TREND_NO_ROOM;
		if (cap > 0)
			out[0] = '\0';
	} else {
		out[w.len] = '\0';
	}
out:
	return st;
}

const char *
trend_status_name(enum trend_status st)
{
	static const char *const names[TREND__MAX] = {
		[TREND_OK] = "ok", [TREND_NO_DATA] = "no-data", [TREND_BAD_ARG] = "bad-argument",
		[TREND_NOT_FINITE] = "not-finite", [TREND_UNSORTED] = "unsorted",
		[TREND_NO_ROOM] = "no-room",
	};

	return (unsigned)st < TREND__MAX ? names[st] : "unknown";
}
