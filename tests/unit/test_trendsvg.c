/* test_trendsvg: a lab analyte's trend as the results page draws it
 * (lib/trendsvg over lib/trend): the newest result's reference range is
 * the shaded band, the counts the <desc> words, a single result still
 * gets a year's axis, results years apart are not joined, and the SVG is
 * well-formed (xmllint) with an accessible name and nothing the CSP
 * blocks. Part of the test_trend program (it reads charts with
 * trend_test.h). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "lib/trendsvg.h"
#include "../check_util.h"
#include "trend_test.h"

#define DAY2020 18262L       /* 2020-01-01 */

/* Five years of glucose (mmol/L): yearly, the last two high, the range
 * 3.9-5.5 throughout except the first (an older, wider range). */
static const struct trendsvg_point glucose[] = {
	{ DAY2020, 5.0, 3.9, 6.1, 0 },
	{ DAY2020 + 366, 5.2, 3.9, 5.5, 0 },
	{ DAY2020 + 731, 5.4, 3.9, 5.5, 0 },
	{ DAY2020 + 1096, 6.3, 3.9, 5.5, 1 },
	{ DAY2020 + 1461, 7.1, 3.9, 5.5, 1 },
};

static struct trendsvg
sample(void)
{
	struct trendsvg in = { glucose, 5, 0.5, 50, "Glucosa", "5 resultados; 2 fuera del intervalo.",
	                       "mmol/L", { NULL } };
	return in;
}

/* The SVG of in (malloc'd); the test fails unless it is drawn. */
static char *
render(const struct trendsvg *in)
{
	size_t len = 0;
	char *svg;

	ck_assert_int_eq(trendsvg_render(in, NULL, 0, &len), TREND_NO_ROOM);
	ck_assert_ptr_nonnull(svg = malloc(len + 1));
	ck_assert_int_eq(trendsvg_render(in, svg, len + 1, &len), TREND_OK);
	ck_assert_uint_eq(strlen(svg), len);
	return svg;
}

/* The value of attribute name in the element of class cls. */
static double
attr(const char *svg, const char *cls, const char *name)
{
	char pat[64];
	const char *e, *a;

	snprintf(pat, sizeof(pat), "class=\"%s\"", cls);
	ck_assert_ptr_nonnull(e = strstr(svg, pat));
	snprintf(pat, sizeof(pat), " %s=\"", name);
	ck_assert_ptr_nonnull(a = strstr(e, pat));
	return strtod(a + strlen(pat), NULL);
}

START_TEST(test_summary)
{
	struct trendsvg in = sample();
	struct trendsvg_summary s;

	trendsvg_summarise(&in, &s);
	ck_assert_uint_eq(s.n, 5);
	ck_assert_uint_eq(s.outside, 2);
	ck_assert_int_eq(s.first_day, DAY2020);
	ck_assert_int_eq(s.last_day, DAY2020 + 1461);
	ck_assert_double_eq(s.last_value, 7.1);
	ck_assert_int_eq(s.band, 1);
	ck_assert_double_eq(s.band_low, 3.9);
	ck_assert_double_eq(s.band_high, 5.5);
	ck_assert_int_eq(s.band_changed, 1);        /* the first had 3.9-6.1 */
	in.pts = glucose + 1;
	in.n = 4;
	trendsvg_summarise(&in, &s);
	ck_assert_int_eq(s.band_changed, 0);
	/* no range stored with the newest (a text-only reference): no band */
	struct trendsvg_point p[2] = { glucose[0], { DAY2020 + 10, 5.0, 0, 0, 0 } };
	in.pts = p;
	in.n = 2;
	trendsvg_summarise(&in, &s);
	ck_assert_int_eq(s.band, 0);
	in.n = 0;
	trendsvg_summarise(&in, &s);
	ck_assert_uint_eq(s.n, 0);
}
END_TEST

START_TEST(test_band_is_newest_range)
{
	struct trendsvg in = sample();
	char *svg = render(&in);

	/* the band spans 5.5 down to 3.9 (the newest range, not 6.1) */
	ck_assert_double_eq_tol(attr(svg, "trend-band", "y"), tt_value_y(svg, 5.5), 0.1);
	ck_assert_double_eq_tol(attr(svg, "trend-band", "height"),
	                        tt_value_y(svg, 3.9) - tt_value_y(svg, 5.5), 0.15);
	/* the highest value is drawn highest (smaller y) */
	ck_assert_double_lt(tt_value_y(svg, 7.1), tt_value_y(svg, 5.0));
	ck_assert_ptr_nonnull(strstr(svg, "role=\"img\""));
	ck_assert_ptr_nonnull(strstr(svg, "<title>Glucosa</title>"));
	ck_assert_ptr_nonnull(strstr(svg, "<desc>5 resultados; 2 fuera del intervalo.</desc>"));
	ck_assert_ptr_nonnull(strstr(svg, "mmol/L"));
	ck_assert_ptr_null(strstr(svg, "<script"));
	ck_assert_ptr_null(strstr(svg, "style="));
	free(svg);
}
END_TEST

START_TEST(test_single_result_and_gaps)
{
	struct trendsvg in = sample();
	struct tt_frame f;
	struct tt_cmd cmd[16];
	double x[8], y[8];
	char *svg;

	/* yearly results are joined: one line through the five */
	svg = render(&in);
	ck_assert_int_eq(tt_path(svg, "trend-s1", cmd, 16), 5);
	ck_assert_int_eq(tt_markers(svg, "trend-p1", x, y, 8), 5);
	free(svg);
	/* one result: drawn at the right end of a year-long axis */
	in.pts = glucose + 4;
	in.n = 1;
	svg = render(&in);
	tt_frame(svg, &f);
	ck_assert_int_eq(tt_markers(svg, "trend-p1", x, y, 8), 1);
	ck_assert_double_gt(x[0], (f.x0 + f.x1) / 2);
	free(svg);
	/* two results 3 years apart: two markers, no line between them */
	struct trendsvg_point far[2] = { glucose[0], glucose[3] };
	in.pts = far;
	in.n = 2;
	svg = render(&in);
	ck_assert_int_eq(tt_markers(svg, "trend-p1", x, y, 8), 2);
	ck_assert_int_eq(tt_path(svg, "trend-s1", cmd, 16), 0);
	free(svg);
}
END_TEST

START_TEST(test_refused)
{
	struct trendsvg in = sample();
	struct trendsvg_point back[2] = { glucose[1], glucose[0] };
	size_t len = 7;

	in.n = 0;
	ck_assert_int_eq(trendsvg_render(&in, NULL, 0, &len), TREND_NO_DATA);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(trendsvg_render(NULL, NULL, 0, &len), TREND_BAD_ARG);
	in.n = TREND_POINTS_MAX + 1;
	ck_assert_int_eq(trendsvg_render(&in, NULL, 0, &len), TREND_BAD_ARG);
	in.pts = back;                   /* out of order */
	in.n = 2;
	ck_assert_int_eq(trendsvg_render(&in, NULL, 0, &len), TREND_UNSORTED);
	in = sample();
	in.title = "";                   /* no accessible name: refused */
	ck_assert_int_eq(trendsvg_render(&in, NULL, 0, &len), TREND_BAD_ARG);
}
END_TEST

START_TEST(test_well_formed)
{
	struct trendsvg in = sample();
	char *svg, path[] = "/tmp/trendsvgXXXXXX", cmd[128];
	FILE *f;
	int fd;

	in.title = "Glucosa <ayunas> & \"basal\"";
	svg = render(&in);
	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	fputs(svg, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "xmllint --noout %s", path);
	ck_assert_int_eq(system(cmd), 0);
	unlink(path);
	free(svg);
}
END_TEST

void
trendsvg_tests(TCase *tc)
{
	tcase_list_add(tc, test_summary, test_band_is_newest_range, test_single_result_and_gaps,
	               test_refused, test_well_formed, NULL);
}
