/* test_trend: the trend chart's scaling read back from its SVG: one point
 * centred, equal values in a band, the highest value at the top, x by
 * time, lines broken at gaps, outliers on the edge without squashing the
 * rest, negative and huge values, refused input, the measuring call. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/trend.h"
#include "trend_test.h"
#include "../check_util.h"

#define DAY0 20454L          /* 2026-01-01 */

/* ------------------------------------------------------------ helpers */

void
tt_chart(struct trend_chart *c, const struct trend_point *pts, size_t n)
{
	memset(c, 0, sizeof(*c));
	c->series[0].pts = pts;
	c->series[0].n = n;
	c->unit = TREND_DAYS;
	c->width = 320;
	c->height = 180;
	c->title = "Weight";
	c->unit_label = "kg";
}

char *
tt_render(const struct trend_chart *c)
{
	size_t len = 0, need = 0;
	char *svg;
	enum trend_status st;

	ck_trend(trend_svg(c, NULL, 0, &need), TREND_NO_ROOM);
	ck_assert_int_gt(need, 0);
	ck_assert_ptr_nonnull(svg = malloc(need + 1));
	st = trend_svg(c, svg, need + 1, &len);
	ck_trend(st, TREND_OK);
	ck_assert_uint_eq(len, need);
	ck_assert_uint_eq(strlen(svg), len);
	return svg;
}

/* The value of attribute name inside the element that starts at el. */
static const char *
attr_in(const char *el, const char *name)
{
	char key[64];
	const char *end = strchr(el, '>'), *p;

	snprintf(key, sizeof(key), " %s=\"", name);
	p = strstr(el, key);
	return p != NULL && end != NULL && p < end ? p + strlen(key) : NULL;
}

/* The element whose class is cls, or NULL. */
static const char *
element(const char *svg, const char *cls)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "class=\"%s\"", cls);
	if ((p = strstr(svg, key)) == NULL)
		return NULL;
	while (p > svg && *p != '<')
		p--;
	return p;
}

int
tt_path(const char *svg, const char *cls, struct tt_cmd *out, int max)
{
	const char *el = element(svg, cls), *d;
	char *end;
	int n = 0;

	if (el == NULL)
		return 0;
	ck_assert_ptr_nonnull(d = attr_in(el, "d"));
	while (*d != '"' && *d != '\0') {
		ck_assert_int_lt(n, max);
		ck_assert_msg(strchr("MLHVhvlz", *d) != NULL, "path command %c", *d);
		out[n].c = *d++;
		out[n].a = strtod(d, &end);
		d = end;
		if (*d == ' ') {
			out[n].b = strtod(d, &end);
			d = end;
		} else {
			out[n].b = 0;
		}
		if (out[n].c == 'l' || out[n].c == 'h') {   /* the arrows' "l5 9h-10z" */
			while (*d != '\0' && strchr("0123456789.- ", *d) != NULL)
				d++;
		}
		n++;
	}
	return n;
}

int
tt_markers(const char *svg, const char *cls, double *x, double *y, int max)
{
	struct tt_cmd cmd[TT_MAX];
	int n = tt_path(svg, cls, cmd, TT_MAX), m = 0;

	for (int i = 0; i + 1 < n; i += 2) {
		ck_assert_msg(cmd[i].c == 'M' && cmd[i + 1].c == 'h', "marker %d is %c %c",
		              i / 2, cmd[i].c, cmd[i + 1].c);
		ck_assert_int_lt(m, max);
		x[m] = cmd[i].a + cmd[i + 1].a / 2;       /* a dot's line is 0 long */
		y[m] = cmd[i].b;
		m++;
	}
	return m;
}

void
tt_frame(const char *svg, struct tt_frame *f)
{
	const char *el = element(svg, "trend-frame");

	ck_assert_ptr_nonnull(el);
	f->x0 = strtod(attr_in(el, "x"), NULL);
	f->y0 = strtod(attr_in(el, "y"), NULL);
	f->x1 = f->x0 + strtod(attr_in(el, "width"), NULL);
	f->y1 = f->y0 + strtod(attr_in(el, "height"), NULL);
}

int
tt_labels(const char *svg, const char *open, struct tt_label *out, int max)
{
	const char *p = strstr(svg, open), *end;
	int n = 0;

	ck_assert_ptr_nonnull(p);
	end = strstr(p, "</g>");
	while ((p = strstr(p + 1, "<text")) != NULL && p < end) {
		const char *t = strchr(p, '>') + 1, *stop = strstr(t, "</text>");
		ck_assert_int_lt(n, max);
		out[n].x = strtod(attr_in(p, "x"), NULL);
		out[n].y = strtod(attr_in(p, "y"), NULL);
		snprintf(out[n].text, sizeof(out[n].text), "%.*s", (int)(stop - t), t);
		n++;
	}
	return n;
}

double
tt_value_y(const char *svg, double v)
{
	struct tt_label l[32];
	int n = tt_labels(svg, "<g text-anchor=\"end\">", l, 32);
	double v0, v1;

	ck_assert_int_ge(n, 2);
	v0 = strtod(l[0].text, NULL);
	v1 = strtod(l[n - 1].text, NULL);
	return (l[0].y - 4) + (v - v0) * ((l[n - 1].y - 4) - (l[0].y - 4)) / (v1 - v0);
}

/* n points at DAY0 + days[i] with values[i], all present. */
static void
points(struct trend_point *p, const long *days, const double *values, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		p[i].t = DAY0 + days[i];
		p[i].v = values[i];
		p[i].present = 1;
	}
}

/* The chart of n readings (days after DAY0, values) as one series, with
 * its frame and every marker's centre (all n drawn). */
static char *
draw(const long *days, const double *v, size_t n, struct tt_frame *f, double *x, double *y)
{
	static struct trend_point p[16];
	struct trend_chart c;
	char *svg;

	ck_assert_uint_le(n, 16);
	points(p, days, v, n);
	tt_chart(&c, p, n);
	svg = tt_render(&c);
	tt_frame(svg, f);
	ck_assert_int_eq(tt_markers(svg, "trend-p1", x, y, (int)n), (int)n);
	return svg;
}

/* Three weekly readings from DAY0 (70, 71, 72): the chart's one series. */
static void
three_weeks(struct trend_point p[3], struct trend_chart *c)
{
	static const long days[3] = { 0, 7, 14 };
	static const double v[3] = { 70, 71, 72 };

	points(p, days, v, 3);
	tt_chart(c, p, 3);
}

/* ------------------------------------------------------------ scaling */

START_TEST(test_one_point_centred)
{
	struct trend_point p = { DAY0, 70.5, 1 };
	struct trend_chart c;
	struct tt_frame f;
	struct tt_label l[32];
	double x[4], y[4];
	char *svg;
	int n;

	tt_chart(&c, &p, 1);
	svg = tt_render(&c);
	tt_frame(svg, &f);
	ck_assert_int_eq(tt_markers(svg, "trend-p1", x, y, 4), 1);
	ck_assert_double_eq_tol(x[0], (f.x0 + f.x1) / 2, 0.1);
	ck_assert_double_gt(y[0], f.y0 + 10);        /* in the body, not on an edge */
	ck_assert_double_lt(y[0], f.y1 - 10);
	ck_assert_ptr_null(element(svg, "trend-s1"));  /* no line for one point */
	/* A sensible range around it: labels below and above, a few kg wide. */
	n = tt_labels(svg, "<g text-anchor=\"end\">", l, 32);
	ck_assert_int_ge(n, 3);
	ck_assert_double_lt(strtod(l[0].text, NULL), 70.5);
	ck_assert_double_gt(strtod(l[n - 1].text, NULL), 70.5);
	ck_assert_double_lt(strtod(l[n - 1].text, NULL) - strtod(l[0].text, NULL), 10);
	ck_assert_double_eq_tol(tt_value_y(svg, 70.5), y[0], 0.15);
	/* The date under it: its day, and the month (a number without names). */
	n = tt_labels(svg, "<g text-anchor=\"middle\">", l, 32);
	ck_assert_int_ge(n, 2);
	for (int i = 0; i < n; i++)
		if (fabs(l[i].x - x[0]) < 0.1 && l[i].y < f.y1 + 20)
			ck_assert_str_eq(l[i].text, "1");
	free(svg);
}
END_TEST

START_TEST(test_equal_values_band)
{
	static const double values[] = { 70, 0, -12.5, 1e6 };
	static const long days[5] = { 0, 7, 14, 21, 28 };

	for (size_t k = 0; k < sizeof(values) / sizeof(values[0]); k++) {
		double v[5] = { values[k], values[k], values[k], values[k], values[k] }, x[5], y[5];
		struct tt_frame f;
		char *svg = draw(days, v, 5, &f, x, y);

		ck_assert_ptr_null(strstr(svg, "nan"));
		ck_assert_ptr_null(strstr(svg, "inf"));
		for (int i = 0; i < 5; i++) {
			ck_assert_double_eq_tol(y[i], y[0], 0.05);
			ck_assert_double_gt(y[i], f.y0 + 10);
			ck_assert_double_lt(y[i], f.y1 - 10);
		}
		ck_assert_double_eq_tol(tt_value_y(svg, values[k]), y[0], 0.15);
		free(svg);
	}
}
END_TEST

START_TEST(test_highest_at_top_linear)
{
	static const long days[4] = { 0, 30, 60, 90 };
	static const double v[4] = { 60, 80, 100, 90 };
	struct tt_frame f;
	double x[4], y[4];
	char *svg = draw(days, v, 4, &f, x, y);

	ck_assert_double_eq_tol(y[2], f.y0, 0.05);          /* 100 at the top */
	ck_assert_double_eq_tol(y[0], f.y1, 0.05);          /* 60 at the bottom */
	ck_assert_double_eq_tol(y[1], (f.y0 + f.y1) / 2, 0.1);
	ck_assert_double_eq_tol(y[3], f.y0 + (f.y1 - f.y0) / 4, 0.1);
	free(svg);
}
END_TEST

START_TEST(test_x_by_time_not_index)
{
	static const long days[5] = { 0, 1, 3, 10, 40 };
	static const double v[5] = { 70, 71, 72, 71, 70 };
	struct trend_point p[5];
	struct trend_chart c;
	struct tt_frame f;
	double x[5], y[5];
	char *svg = draw(days, v, 5, &f, x, y);

	ck_assert_double_gt(x[0], f.x0);
	ck_assert_double_lt(x[4], f.x1);
	for (int i = 1; i < 5; i++)
		ck_assert_double_eq_tol((x[i] - x[0]) / (x[4] - x[0]), days[i] / 40.0, 0.002);
	/* The time window widens the axis: the same points move right. */
	points(p, days, v, 5);
	tt_chart(&c, p, 5);
	c.t_from = DAY0 - 40;
	c.t_to = DAY0 + 40;
	free(svg);
	svg = tt_render(&c);
	ck_assert_int_eq(tt_markers(svg, "trend-p1", x, y, 5), 5);
	ck_assert_double_eq_tol((x[0] - f.x0) / (x[4] - f.x0), 0.5, 0.03);
	free(svg);
}
END_TEST

START_TEST(test_gaps_break_the_line)
{
	static const long days[8] = { 0, 7, 14, 21, 28, 35, 42, 49 };
	static const double v[8] = { 70, 71, 0, 72, 71, 73, 0, 74 };
	struct trend_point p[8];
	struct trend_chart c;
	struct tt_cmd cmd[TT_MAX];
	double x[8], y[8];
	char *svg;
	int n;

	points(p, days, v, 8);
	p[2].present = 0;
	p[2].v = NAN;                /* a gap's value is never read */
	p[6].present = 0;
	tt_chart(&c, p, 8);
	svg = tt_render(&c);
	ck_assert_int_eq(tt_markers(svg, "trend-p1", x, y, 8), 6);
	n = tt_path(svg, "trend-s1", cmd, TT_MAX);
	/* 0-1 joined, 3-4-5 joined; 7 alone: a marker, no line. */
	ck_assert_int_eq(n, 5);
	ck_assert_int_eq(cmd[0].c, 'M');
	ck_assert_int_eq(cmd[1].c, 'L');
	ck_assert_int_eq(cmd[2].c, 'M');
	ck_assert_int_eq(cmd[3].c, 'L');
	ck_assert_int_eq(cmd[4].c, 'L');
	ck_assert_double_eq_tol(cmd[1].a, x[1], 0.05);
	ck_assert_double_eq_tol(cmd[2].a, x[2], 0.05);     /* marker 2 is point 3 */
	ck_assert_double_eq_tol(cmd[4].a, x[4], 0.05);
	free(svg);

	/* max_step: readings 14 days apart join, 46 days apart do not. */
	for (int i = 0; i < 8; i++)
		p[i].present = 1, p[i].v = 70 + i;
	p[4].t = DAY0 + 75;
	p[5].t = DAY0 + 80, p[6].t = DAY0 + 90, p[7].t = DAY0 + 100;
	c.max_step = 14;
	svg = tt_render(&c);
	n = tt_path(svg, "trend-s1", cmd, TT_MAX);
	ck_assert_int_eq(n, 8);
	ck_assert_int_eq(cmd[4].c, 'M');                 /* day 21 -> 75: broken */
	free(svg);
}
END_TEST

START_TEST(test_outliers_on_the_edge)
{
	static const long days[6] = { 0, 7, 14, 21, 28, 35 };
	static const double v[6] = { 70, 72, 700, 71, -5, 73 };
	struct trend_point p[6];
	struct trend_chart c;
	struct tt_cmd cmd[TT_MAX], line[TT_MAX];
	struct tt_label with[32], without[32];
	struct tt_frame f;
	double x[6], y[6];
	char *svg, *clean;
	int n, nw;

	points(p, days, v, 6);
	tt_chart(&c, p, 6);
	c.plausible = (struct trend_range){ 2, 300 };
	svg = tt_render(&c);
	tt_frame(svg, &f);
	ck_assert_int_eq(tt_markers(svg, "trend-p1", x, y, 6), 4);
	/* The rest is not squashed: the axis is what it is without them. */
	p[2].present = p[4].present = 0;
	clean = tt_render(&c);
	n = tt_labels(svg, "<g text-anchor=\"end\">", with, 32);
	nw = tt_labels(clean, "<g text-anchor=\"end\">", without, 32);
	ck_assert_int_eq(n, nw);
	for (int i = 0; i < n; i++)
		ck_assert_str_eq(with[i].text, without[i].text);
	ck_assert_double_lt(strtod(with[n - 1].text, NULL) - strtod(with[0].text, NULL), 10);
	/* One arrow up on the top edge, one down on the bottom edge, at their times. */
	ck_assert_int_eq(tt_path(svg, "trend-off", cmd, TT_MAX), 8);
	ck_assert_int_eq(cmd[0].c, 'M');
	ck_assert_double_eq_tol(cmd[0].b, f.y0 - 4, 0.05);
	ck_assert_double_eq_tol(cmd[4].b, f.y1 + 4, 0.05);
	ck_assert_double_gt(cmd[1].b, 0);                  /* "l5 9": apex up */
	ck_assert_double_lt(cmd[5].b, 0);                  /* "l5 -9": apex down */
	ck_assert_double_eq_tol((cmd[0].a - x[0]) / (x[3] - x[0]), 14.0 / 35, 0.002);
	/* No line into or out of an outlier: 0-1 and nothing else on the left. */
	n = tt_path(svg, "trend-s1", line, TT_MAX);
	ck_assert_int_eq(n, 2);
	ck_assert_double_eq_tol(line[1].a, x[1], 0.05);
	free(svg);
	free(clean);
}
END_TEST

START_TEST(test_negative_and_huge)
{
	static const long days[4] = { 0, 1, 2, 3 };
	static const double neg[4] = { -40, -35.5, -10, -20 };
	static const double huge[4] = { 1e15, 5, 6, -1e300 };
	struct tt_cmd cmd[TT_MAX];
	struct trend_point p[4];
	struct trend_chart c;
	struct tt_label l[32];
	struct tt_frame f;
	double x[4], y[4];
	char *svg;
	int n;

	svg = draw(days, neg, 4, &f, x, y);
	n = tt_labels(svg, "<g text-anchor=\"end\">", l, 32);
	ck_assert_str_eq(l[0].text, "-40");
	ck_assert_double_ge(strtod(l[n - 1].text, NULL), -10);
	ck_assert_double_lt(strtod(l[n - 1].text, NULL), 0.001);
	ck_assert_double_eq_tol(y[0], f.y1, 0.05);
	free(svg);

	/* Beyond TREND_ABS_MAX is off scale even with no plausible range. */
	points(p, days, huge, 4);
	tt_chart(&c, p, 4);
	svg = tt_render(&c);
	ck_assert_ptr_null(strstr(svg, "nan"));
	ck_assert_ptr_null(strstr(svg, "e+"));
	ck_assert_int_eq(tt_markers(svg, "trend-p1", x, y, 4), 2);
	ck_assert_int_eq(tt_path(svg, "trend-off", cmd, TT_MAX), 8);     /* two arrows */
	n = tt_labels(svg, "<g text-anchor=\"end\">", l, 32);
	ck_assert_double_lt(strtod(l[n - 1].text, NULL), 10);
	free(svg);
}
END_TEST

START_TEST(test_normal_band)
{
	struct trend_point p[3];
	struct trend_chart c;
	struct tt_label l[32];
	const char *band;
	char *svg;
	int n;

	three_weeks(p, &c);
	c.normal = (struct trend_range){ 60, 80 };
	svg = tt_render(&c);
	/* The axis takes the band in; the shading spans 80 down to 60. */
	n = tt_labels(svg, "<g text-anchor=\"end\">", l, 32);
	ck_assert_double_le(strtod(l[0].text, NULL), 60);
	ck_assert_double_ge(strtod(l[n - 1].text, NULL), 80);
	ck_assert_ptr_nonnull(band = element(svg, "trend-band"));
	ck_assert_double_eq_tol(strtod(attr_in(band, "y"), NULL), tt_value_y(svg, 80), 0.1);
	ck_assert_double_eq_tol(strtod(attr_in(band, "height"), NULL),
	                        tt_value_y(svg, 60) - tt_value_y(svg, 80), 0.15);
	free(svg);
	/* A band wholly off scale is not drawn and does not move the axis. */
	c.plausible = (struct trend_range){ 2, 300 };
	c.normal = (struct trend_range){ 500, 600 };
	svg = tt_render(&c);
	ck_assert_ptr_null(element(svg, "trend-band"));
	n = tt_labels(svg, "<g text-anchor=\"end\">", l, 32);
	ck_assert_double_lt(strtod(l[n - 1].text, NULL), 80);
	free(svg);
}
END_TEST

/* What trend_svg says of c given 64 bytes: ACCEPTED (no chart fits in
 * 64 bytes) or why it refused, in which case out is left empty. */
#define ACCEPTED TREND_NO_ROOM

static enum trend_status
refuse(const struct trend_chart *c)
{
	char out[64] = "junk";
	size_t len = 99;
	enum trend_status st = trend_svg(c, out, sizeof(out), &len);

	if (st != TREND_OK && st != TREND_NO_ROOM) {
		ck_assert_str_eq(out, "");
		ck_assert_uint_eq(len, 0);
	}
	return st;
}

START_TEST(test_refused_input)
{
	struct trend_point p[3];
	struct trend_chart c;
	char out[16];
	size_t len;

	three_weeks(p, &c);
	p[1].v = NAN;
	ck_trend(refuse(&c), TREND_NOT_FINITE);
	p[1].v = INFINITY;
	ck_trend(refuse(&c), TREND_NOT_FINITE);
	p[1].v = -INFINITY;
	ck_trend(refuse(&c), TREND_NOT_FINITE);
	p[1].present = 0;                           /* a gap may hold anything */
	ck_trend(refuse(&c), ACCEPTED);
	p[1].present = 1, p[1].v = 71;
	p[1].t = DAY0 + 20;                         /* 0, 20, 14 */
	ck_trend(refuse(&c), TREND_UNSORTED);
	p[1].t = DAY0 + 14;                         /* equal times are fine */
	ck_trend(refuse(&c), ACCEPTED);
	p[1].t = DAY0 + 7;
	p[2].t = -30000;                            /* 1887: before the years dates cover */
	ck_trend(refuse(&c), TREND_BAD_ARG);
	p[2].t = DAY0 + 14;
	c.t_from = 0, c.t_to = 9000000;             /* a window far past 2200 */
	ck_trend(refuse(&c), TREND_BAD_ARG);
	c.t_from = c.t_to = 0;
	c.title = "";
	ck_trend(refuse(&c), TREND_BAD_ARG);
	c.title = "Weight";
	c.width = TREND_WIDTH_MIN - 1;
	ck_trend(refuse(&c), TREND_BAD_ARG);
	c.width = 320, c.height = TREND_HEIGHT_MAX + 1;
	ck_trend(refuse(&c), TREND_BAD_ARG);
	c.height = 180, c.unit = TREND_UNIT__MAX;
	ck_trend(refuse(&c), TREND_BAD_ARG);
	c.unit = TREND_DAYS, c.series[1].n = 2;     /* n without points */
	ck_trend(refuse(&c), TREND_BAD_ARG);
	c.series[1].n = 0, c.series[0].n = TREND_POINTS_MAX + 1;
	ck_trend(refuse(&c), TREND_BAD_ARG);
	ck_trend(trend_svg(NULL, out, sizeof(out), &len), TREND_BAD_ARG);
	ck_trend(trend_svg(&c, NULL, 10, &len), TREND_BAD_ARG);
	/* No data: nothing, or only gaps, in either series. */
	c.series[0].n = 0;
	ck_trend(refuse(&c), TREND_NO_DATA);
	c.series[0].n = 3;
	p[0].present = p[1].present = p[2].present = 0;
	ck_trend(refuse(&c), TREND_NO_DATA);
	ck_assert_str_eq(trend_status_name(TREND_NO_DATA), "no-data");
	ck_assert_str_eq(trend_status_name(TREND__MAX), "unknown");
}
END_TEST

START_TEST(test_buffer_sizes)
{
	struct trend_point p[3];
	struct trend_chart c;
	size_t need, len;
	char *buf;

	three_weeks(p, &c);
	ck_trend(trend_svg(&c, NULL, 0, &need), TREND_NO_ROOM);
	ck_assert_ptr_nonnull(buf = malloc(need + 1));
	memset(buf, 'x', need + 1);
	ck_trend(trend_svg(&c, buf, need, &len), TREND_NO_ROOM);   /* no room for the NUL */
	ck_assert_uint_eq(len, need);
	ck_assert_str_eq(buf, "");
	ck_trend(trend_svg(&c, buf, need + 1, &len), TREND_OK);
	ck_assert_uint_eq(strlen(buf), need);
	ck_assert_str_eq(buf + need - 6, "</svg>");
	free(buf);
}
END_TEST

START_TEST(test_text_escaped)
{
	struct trend_point p[2] = { { DAY0, 120, 1 }, { DAY0 + 7, 125, 1 } },
	                   q[2] = { { DAY0, 80, 1 }, { DAY0 + 7, 82, 1 } };
	static const char *const want[] = {
		"<title>BP &lt;b&gt;&amp;amp; </title>", "<desc>a &lt; b &gt; c</desc>",
		">mm&amp;Hg</text>", ">Sys&lt;</text>", ">Dia&gt;</text>",
	};
	struct trend_chart c;
	char *svg;

	tt_chart(&c, p, 2);
	c.title = "BP <b>&amp;\x01";
	c.desc = "a < b > c";
	c.unit_label = "mm&Hg";
	c.series[0].name = "Sys<";
	c.series[1] = (struct trend_series){ q, 2, "Dia>" };
	svg = tt_render(&c);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_msg(strstr(svg, want[i]) != NULL, "no %s in %s", want[i], svg);
	/* Two series: two lines, dots and squares, a legend key each. */
	ck_assert_ptr_nonnull(element(svg, "trend-s2"));
	ck_assert_ptr_nonnull(strstr(element(svg, "trend-p1"), "stroke-linecap=\"round\""));
	ck_assert_ptr_nonnull(strstr(element(svg, "trend-p2"), "stroke-width=\"3.6\""));
	ck_assert_ptr_nonnull(strstr(element(svg, "trend-p2"), "h3.6M"));
	ck_assert_int_eq(str_count(svg, "class=\"trend-key\""), 2);
	free(svg);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("trend");

	tcase_set_timeout(tc, 60);
	tcase_list_add(tc, test_one_point_centred, test_equal_values_band,
	               test_highest_at_top_linear, test_x_by_time_not_index,
	               test_gaps_break_the_line, test_outliers_on_the_edge,
	               test_negative_and_huge, test_normal_band, test_refused_input, test_buffer_sizes,
	               test_text_escaped, NULL);
	trend_svg_tests(tc);
	trendsvg_tests(tc);
	return tcase_run_alone("trend", tc);
}
