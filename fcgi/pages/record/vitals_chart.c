/* vitals_chart: the chosen measure's trend drawn by lib/trend as inline
 * SVG (no script), from the same rows as the data table beside it. */
#include "pages/record/vitals.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/request.h"
#include "core/view.h"
#include "lib/trend.h"

/* Columns of vitals_series used here (vitals.c has them all). */
enum { SE_T = 1 };

/* Reference bands shaded behind the line, in the measure's unit
 * (docs/record.md "Vital signs" names their sources); none for blood
 * pressure (two lines), weight and height. */
static const struct {
	const char *measure;
	struct trend_range normal;
} bands[] = {
	{ "heart_rate", { 60, 100 } },
	{ "temperature", { 36.1, 37.2 } },
	{ "bmi", { 18.5, 25 } },
	{ "spo2", { 95, 100 } },
	{ "glucose", { 70, 100 } },
};

/* Points of column col of res (a gap where it is NULL), arena. */
static struct trend_point *
points(struct req *r, struct db_result *res, int col, size_t *n)
{
	size_t rows = db_rows(res);
	struct trend_point *p = arena_alloc(r->arena, (rows ? rows : 1) * sizeof(*p));

	*n = 0;
	if (p == NULL)
		return NULL;
	for (size_t i = 0; i < rows; i++) {
		p[i].t = strtoll(db_value(res, i, SE_T), NULL, 10);
		p[i].present = !db_is_null(res, i, col);
		p[i].v = p[i].present ? strtod(db_value(res, i, col), NULL) : 0;
	}
	*n = rows;
	return p;
}

/* The chart's window (the chosen range, up to now), and the longest
 * step a line still joins: points further apart than a few periods of
 * the grouping are drawn apart, so a gap in the care shows. */
static void
window(struct trend_chart *c, const char *range, const char *unit, long long now)
{
	static const struct { const char *name; long long len; } spans[] = {
		{ "3m", 92 * 86400LL }, { "1y", 366 * 86400LL }, { "5y", 1827 * 86400LL },
	}, steps[] = {
		{ "reading", 35 * 86400LL }, { "day", 7 * 86400LL }, { "week", 35 * 86400LL },
		{ "month", 93 * 86400LL }, { "quarter", 276 * 86400LL }, { "year", 732 * 86400LL },
	};

	for (size_t i = 0; i < sizeof(spans) / sizeof(spans[0]); i++)
		if (strcmp(range, spans[i].name) == 0 && now > spans[i].len) {
			c->t_from = now - spans[i].len;
			c->t_to = now;
		}
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (strcmp(unit, steps[i].name) == 0)
			c->max_step = steps[i].len;
}

void
vitals_chart(struct req *r, struct db_result *res, int col, int col2, const char *measure,
             const char *range, const char *unit, long long now)
{
	struct trend_chart c = { 0 };
	size_t len = 0;
	char *out;

	c.unit = TREND_SECONDS;
	c.width = 360;
	c.height = 220;
	c.series[0].pts = points(r, res, col, &c.series[0].n);
	if (col2 >= 0) {
		c.series[0].name = view_lang(r->view, "vitals.f.systolic.label");
		c.series[1].pts = points(r, res, col2, &c.series[1].n);
		c.series[1].name = view_lang(r->view, "vitals.f.diastolic.label");
	}
	window(&c, range, unit, now);
	for (size_t i = 0; i < sizeof(bands) / sizeof(bands[0]); i++)
		if (strcmp(bands[i].measure, measure) == 0)
			c.normal = bands[i].normal;
	c.title = view_lang(r->view, arena_printf(r->arena, "vitals.m.%s.name", measure));
	c.desc = view_lang(r->view, "vitals.chart_desc");
	c.unit_label = view_lang(r->view, arena_printf(r->arena, "vitals.m.%s.unit", measure));
	for (int m = 0; m < 12; m++)
		c.months[m] = view_lang(r->view, arena_printf(r->arena, "vitals.months.m%d", m + 1));
	if (trend_svg(&c, NULL, 0, &len) != TREND_NO_ROOM || (out = arena_alloc(r->arena, len + 1)) == NULL)
		return;
	if (trend_svg(&c, out, len + 1, &len) == TREND_OK)
		view_set(r->view, out, "Data.trend_svg");
}
