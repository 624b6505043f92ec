/* test_trend_svg: the trend chart as a page gets it: well-formed XML (read
 * by xmllint, Debian libxml2-utils) with nothing the CSP blocks, the same
 * bytes under a locale whose decimal point is ',' (built with localedef,
 * Debian locales), date ticks where their dates are, and a year of blood
 * pressure readings small enough for a 14 KB page. */
#include <check.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/trend.h"
#include "trend_test.h"
#include "../check_util.h"

#define MONDAY0 20458L       /* 2026-01-05, a Monday */
#define WEEKS 52

static const char *const months_es[12] = {
	"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"
};

static struct trend_point sys_pts[WEEKS], dia_pts[WEEKS];

/* A year of weekly blood pressure readings, as the record page draws it:
 * two series, a normal band, the plausible range, Spanish labels, two
 * missed weeks and one typing error (400) off scale. */
static void
bp_chart(struct trend_chart *c)
{
	for (int i = 0; i < WEEKS; i++) {
		sys_pts[i] = (struct trend_point){ MONDAY0 + 7 * i, 118.0 + 14 * sin(i / 5.0) + i % 3, 1 };
		dia_pts[i] = (struct trend_point){ MONDAY0 + 7 * i, 78.0 + 9 * sin(i / 4.0), 1 };
	}
	sys_pts[20].present = dia_pts[20].present = 0;
	sys_pts[21].present = dia_pts[21].present = 0;
	sys_pts[40].v = 400;
	tt_chart(c, sys_pts, WEEKS);
	c->series[0].name = "Sistólica";
	c->series[1] = (struct trend_series){ dia_pts, WEEKS, "Diastólica" };
	c->plausible = (struct trend_range){ 40, 300 };
	c->normal = (struct trend_range){ 60, 120 };
	c->title = "Presión arterial, último año";
	c->desc = "Sistólica y diastólica semanales; la banda verde es el intervalo normal. "
	          "La tabla siguiente da cada lectura.";
	c->unit_label = "mmHg";
	memcpy(c->months, months_es, sizeof(months_es));
}

/* Run a shell command; its exit status (-1 when it could not run). */
static int
run(const char *cmd)
{
	int rc = system(cmd);

	return rc == -1 ? -1 : WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* svg into a temporary file; its name (static). */
static const char *
save(const char *svg)
{
	static char path[64];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/tmp/test_trend_XXXXXX");
	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	ck_assert_uint_eq(fwrite(svg, 1, strlen(svg), f), strlen(svg));
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

/* What xmllint prints for an XPath expression on file (one line). */
static void
xpath(const char *file, const char *expr, char *out, size_t size)
{
	char cmd[1024];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), "xmllint --xpath '%s' '%s' 2>&1", expr, file);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	n = fread(out, 1, size - 1, p);
	out[n] = '\0';
	pclose(p);
	while (n > 0 && out[n - 1] == '\n')
		out[--n] = '\0';
}

/* Well-formed; an <svg role="img"> whose first child is the <title>; no
 * script, event handler, style attribute or element, or foreign HTML. */
static void
check_page_safe(const char *svg)
{
	const char *file = save(svg);
	char cmd[256], got[256];

	ck_assert_msg(run("command -v xmllint >/dev/null") == 0,
	              "xmllint is not installed: Debian package libxml2-utils (script/packages.txt)");
	snprintf(cmd, sizeof(cmd), "xmllint --noout '%s'", file);
	ck_assert_msg(run(cmd) == 0, "not well-formed XML: %s", svg);
	xpath(file, "local-name(/*)", got, sizeof(got));
	ck_assert_str_eq(got, "svg");
	xpath(file, "string(/*/@role)", got, sizeof(got));
	ck_assert_str_eq(got, "img");
	xpath(file, "local-name(/*/*[1])", got, sizeof(got));
	ck_assert_str_eq(got, "title");
	xpath(file, "count(//@style | //@*[starts-with(local-name(), \"on\")] | "
	      "//*[local-name() = \"script\" or local-name() = \"style\" or "
	      "local-name() = \"foreignObject\"] | //@*[local-name() = \"href\"])", got, sizeof(got));
	ck_assert_str_eq(got, "0");
	unlink(file);
}

START_TEST(test_well_formed_and_csp_safe)
{
	struct trend_point one = { MONDAY0, 36.6, 1 };
	struct trend_chart c;
	char *svg;

	bp_chart(&c);
	svg = tt_render(&c);
	check_page_safe(svg);
	free(svg);
	/* Caller text with markup and control characters stays text. */
	tt_chart(&c, &one, 1);
	c.title = "<script>alert(1)</script> & \"x\" \x07";
	c.unit_label = "<b>\xc2\xb0" "C</b>";
	c.desc = "]]> <!-- -->";
	svg = tt_render(&c);
	check_page_safe(svg);
	free(svg);
}
END_TEST

START_TEST(test_year_of_readings_is_small)
{
	struct trend_chart c;
	char *svg;

	bp_chart(&c);
	svg = tt_render(&c);
	/* 52 weeks of two series, every label: under 5 KB, so the record page
	 * (summary, table and chart) stays under 14 KB. */
	ck_assert_msg(strlen(svg) < 5000, "%zu bytes", strlen(svg));
	free(svg);
	c.series[1].n = 0;
	svg = tt_render(&c);
	ck_assert_msg(strlen(svg) < 3000, "one series: %zu bytes", strlen(svg));
	free(svg);
}
END_TEST

/* Where a and b first differ (their common prefix's length). */
static size_t
first_difference(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] != '\0' && a[i] == b[i])
		i++;
	return i;
}

START_TEST(test_decimal_point_whatever_the_locale)
{
	char dir[] = "/tmp/test_trend_loc_XXXXXX", cmd[256], probe[16];
	struct trend_chart c;
	char *before, *after;

	bp_chart(&c);
	c.normal = (struct trend_range){ 36.1, 37.2 };     /* decimals everywhere */
	c.plausible = (struct trend_range){ 30, 45 };
	for (int i = 0; i < WEEKS; i++)
		sys_pts[i].v = 36.0 + 0.037 * i, dia_pts[i].v = 36.9 - 0.021 * i;
	before = tt_render(&c);
	ck_assert_ptr_nonnull(strstr(before, ".5"));
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "localedef -i es_ES -f UTF-8 '%s/es_ES.UTF-8' >/dev/null 2>&1", dir);
	ck_assert_msg(run(cmd) == 0, "localedef es_ES failed: the Debian package locales "
	              "(script/packages.txt) has the sources");
	setenv("LOCPATH", dir, 1);
	ck_assert_ptr_nonnull(setlocale(LC_ALL, "es_ES.UTF-8"));
	snprintf(probe, sizeof(probe), "%.1f", 1.5);
	ck_assert_str_eq(probe, "1,5");                /* the locale does bite */
	after = tt_render(&c);
	setlocale(LC_ALL, "C");
	ck_assert_msg(strcmp(after, before) == 0, "the locale changed the SVG from byte %zu: %.40s",
	              first_difference(after, before), after + first_difference(after, before));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	run(cmd);
	free(before);
	free(after);
}
END_TEST

/* The date labels on the first line (day, month or year), in order. */
static int
first_line(const char *svg, struct tt_label *l, int max)
{
	struct tt_label all[64];
	int n = tt_labels(svg, "<g text-anchor=\"middle\">", all, 64), m = 0;

	for (int i = 0; i < n; i++)
		if (all[i].y < all[0].y + 1) {
			ck_assert_int_lt(m, max);
			l[m++] = all[i];
		}
	return m;
}

START_TEST(test_dates_where_they_fall)
{
	struct trend_chart c;
	struct tt_label l[32];
	double x[WEEKS], y[WEEKS], x_of_day;
	char *svg;
	int n;

	bp_chart(&c);
	svg = tt_render(&c);
	ck_assert_int_eq(tt_markers(svg, "trend-p2", x, y, WEEKS), WEEKS - 2);
	n = first_line(svg, l, 32);
	ck_assert_int_ge(n, 3);
	/* Quarters: abr (day 90 after 1 January), jul, oct; each where its
	 * first day falls between the first and the last reading. */
	ck_assert_str_eq(l[0].text, "abr");
	ck_assert_str_eq(l[1].text, "jul");
	ck_assert_str_eq(l[2].text, "oct");
	x_of_day = x[0] + (20454 + 90 - MONDAY0) * (x[WEEKS - 3] - x[0]) / (7.0 * (WEEKS - 1));
	ck_assert_double_eq_tol(l[0].x, x_of_day, 0.1);
	ck_assert_ptr_nonnull(strstr(svg, ">2026</text>"));
	ck_assert_int_eq(str_count(svg, ">2026</text>"), 1);   /* only under the first */
	free(svg);

	/* Ten days: day numbers, the month under the first. */
	c.series[0].n = c.series[1].n = 2;
	sys_pts[1].t = dia_pts[1].t = MONDAY0 + 10;
	svg = tt_render(&c);
	n = first_line(svg, l, 32);
	ck_assert_int_ge(n, 5);
	ck_assert_str_eq(l[0].text, "5");
	ck_assert_ptr_nonnull(strstr(svg, ">ene</text>"));
	free(svg);

	/* Twenty years: years, increasing, evenly spread. */
	sys_pts[1].t = dia_pts[1].t = MONDAY0 + 20 * 365;
	svg = tt_render(&c);
	n = first_line(svg, l, 32);
	ck_assert_int_ge(n, 3);
	for (int i = 1; i < n; i++) {
		ck_assert_int_gt(atoi(l[i].text), atoi(l[i - 1].text));
		ck_assert_double_eq_tol(l[i].x - l[i - 1].x, l[1].x - l[0].x, 0.3);
	}
	free(svg);
}
END_TEST

START_TEST(test_seconds_same_day)
{
	/* 09:00 and 17:00 wall-clock on 2026-01-05. */
	struct trend_point p[2] = { { MONDAY0 * 86400 + 9 * 3600, 36.6, 1 },
	                            { MONDAY0 * 86400 + 17 * 3600, 38.1, 1 } };
	struct trend_chart c;
	struct tt_frame f;
	struct tt_label l[32];
	double x[2], y[2];
	char *svg;
	int n;

	tt_chart(&c, p, 2);
	c.unit = TREND_SECONDS;
	svg = tt_render(&c);
	tt_frame(svg, &f);
	ck_assert_int_eq(tt_markers(svg, "trend-p1", x, y, 2), 2);
	/* Centred, 8 hours of the 48 the axis spans apart. */
	ck_assert_double_eq_tol((x[0] + x[1]) / 2, (f.x0 + f.x1) / 2, 0.1);
	ck_assert_double_eq_tol((x[1] - x[0]) / (f.x1 - f.x0 - 14), 8.0 / 48, 0.002);
	/* The midnight starting the 5th is a tick, 9 hours left of the first. */
	n = first_line(svg, l, 32);
	for (int i = 0; i < n; i++)
		if (strcmp(l[i].text, "5") == 0)
			ck_assert_double_eq_tol(x[0] - l[i].x, 9.0 / 8 * (x[1] - x[0]), 0.1);
	ck_assert_ptr_nonnull(strstr(svg, ">5</text>"));
	free(svg);
}
END_TEST

void
trend_svg_tests(TCase *tc)
{
	tcase_list_add(tc, test_well_formed_and_csp_safe, test_year_of_readings_is_small,
	               test_decimal_point_whatever_the_locale, test_dates_where_they_fall,
	               test_seconds_same_day, NULL);
}
