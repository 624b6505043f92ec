/* trendsvg: a lab analyte's trend as a lib/trend chart. */
#include "trendsvg.h"

#include <math.h>
#include <string.h>

/* 1 when [lo, hi] is a range (finite, lo < hi). */
static int
is_range(double lo, double hi)
{
	return isfinite(lo) && isfinite(hi) && lo < hi;
}

void
trendsvg_summarise(const struct trendsvg *in, struct trendsvg_summary *out)
{
	const struct trendsvg_point *last;

	memset(out, 0, sizeof(*out));
	if (in == NULL || in->pts == NULL || in->n == 0)
		return;
	last = &in->pts[in->n - 1];
	out->n = in->n;
	out->first_day = in->pts[0].day;
	out->last_day = last->day;
	out->last_value = last->value;
	out->band = is_range(last->low, last->high);
	out->band_low = out->band ? last->low : 0;
	out->band_high = out->band ? last->high : 0;
	for (size_t i = 0; i < in->n; i++) {
		const struct trendsvg_point *p = &in->pts[i];
		out->outside += p->outside != 0;
		if (out->band && (p->low != last->low || p->high != last->high))
			out->band_changed = 1;
	}
}

enum trend_status
trendsvg_render(const struct trendsvg *in, char *out, size_t cap, size_t *len)
{
	static struct trend_point pts[TREND_POINTS_MAX];   /* a worker draws one at a time */
	struct trend_chart c = { 0 };
	struct trendsvg_summary s;

	if (len)
		*len = 0;
	if (in == NULL || in->pts == NULL || in->n == 0 || in->n > TREND_POINTS_MAX)
		return in && in->n == 0 ? TREND_NO_DATA : TREND_BAD_ARG;
	trendsvg_summarise(in, &s);
	for (size_t i = 0; i < in->n; i++)
		pts[i] = (struct trend_point){ in->pts[i].day, in->pts[i].value, 1 };
	c.series[0] = (struct trend_series){ pts, in->n, NULL };
	c.unit = TREND_DAYS;
	c.max_step = TRENDSVG_JOIN_DAYS;
	c.t_to = s.last_day;
	c.t_from = s.last_day - s.first_day < TRENDSVG_MIN_DAYS ? s.last_day - TRENDSVG_MIN_DAYS
	                                                        : s.first_day;
	if (is_range(in->plausible_low, in->plausible_high))
		c.plausible = (struct trend_range){ in->plausible_low, in->plausible_high };
	if (s.band)
		c.normal = (struct trend_range){ s.band_low, s.band_high };
	c.width = TRENDSVG_WIDTH;
	c.height = TRENDSVG_HEIGHT;
	c.title = in->title;
	c.desc = in->desc;
	c.unit_label = in->unit && *in->unit ? in->unit : NULL;
	memcpy(c.months, in->months, sizeof(c.months));
	return trend_svg(&c, out, cap, len);
}
