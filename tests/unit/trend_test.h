/* trend_test: what test_trend.c and test_trend_svg.c (one program) share:
 * a usual chart and a reader of the SVG's paths, frame and labels. */
#ifndef MEDSYS_TREND_TEST_H
#define MEDSYS_TREND_TEST_H

#include <stddef.h>

#include <check.h>

#include "lib/trend.h"

#define TT_MAX 512

/* A path command and its first two numbers (0 when absent). */
struct tt_cmd {
	char c;
	double a, b;
};

struct tt_label {
	double x, y;
	char text[64];
};

struct tt_frame {
	double x0, y0, x1, y1;
};

/* One series of n points, 320 x 180, in days, titled "Weight", no
 * ranges: what a test then changes. */
void tt_chart(struct trend_chart *c, const struct trend_point *pts, size_t n);

/* The SVG of c (malloc'd); the test fails unless trend_svg says OK. */
char *tt_render(const struct trend_chart *c);

/* The commands of the d attribute of the path of class cls: how many
 * (0 when there is no such path). */
int tt_path(const char *svg, const char *cls, struct tt_cmd *out, int max);

/* The centres of the markers of the path of class cls: dots ("Mx yh0")
 * or squares (a line as long as it is wide: "Mx yh3.6"). */
int tt_markers(const char *svg, const char *cls, double *x, double *y, int max);

/* The plot frame (the rect of class trend-frame); the test fails without. */
void tt_frame(const char *svg, struct tt_frame *f);

/* The <text> elements of the first group that starts with open, e.g.
 * "<g text-anchor=\"end\">" (value labels) or "<g text-anchor=\"middle\">"
 * (date labels). */
int tt_labels(const char *svg, const char *open, struct tt_label *out, int max);

/* The y a value has, read from the value labels (baseline 4 under the
 * grid line). */
double tt_value_y(const char *svg, double v);

/* Add the tests that need outside programs (xmllint, localedef), of the
 * dates and of the size bound (test_trend_svg.c) to tc. */
void trend_svg_tests(TCase *tc);

/* Add the lab trend's tests (test_trendsvg.c, lib/trendsvg) to tc. */
void trendsvg_tests(TCase *tc);

#define ck_trend(got, want) \
	ck_assert_str_eq(trend_status_name(got), trend_status_name(want))

#endif
