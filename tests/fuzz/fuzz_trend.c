/* fuzz_trend: libFuzzer harness for the trend chart (fcgi/lib/trend.c):
 * random series, ranges, sizes and windows never crash it; what it draws
 * is one <svg> with balanced tags, no NaN, no style, every coordinate on
 * the canvas, the same bytes twice, and the length the measuring call
 * promised. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/trend.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PTS_MAX 300
#define OUT_MAX (256 * 1024)

/* The input, read from the front; zeros once it runs out. */
struct input {
	const uint8_t *p;
	size_t left;
};

static void
take(struct input *in, void *out, size_t n)
{
	size_t k = n < in->left ? n : in->left;

	memset(out, 0, n);
	memcpy(out, in->p, k);
	in->p += k;
	in->left -= k;
}

static uint8_t
byte(struct input *in)
{
	uint8_t b;

	take(in, &b, 1);
	return b;
}

/* A value: a raw double (NaN, infinities, denormals...) or, more often,
 * something like a reading. */
static double
value(struct input *in, int raw)
{
	double d;
	int16_t s;

	if (raw) {
		take(in, &d, sizeof(d));
		return d;
	}
	take(in, &s, sizeof(s));
	return s / 10.0;
}

static void
read_points(struct input *in, struct trend_point *p, size_t n, long long t, long long unit)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t flags = byte(in);
		int16_t step;
		take(in, &step, sizeof(step));
		t += (flags & 8) ? step : (step & 0x7fff) * unit / 4;   /* mostly forward */
		p[i].t = t;
		p[i].present = (flags & 1) == 0;
		p[i].v = value(in, (flags & 6) == 6);
	}
}

/* Every number inside an attribute value (but the namespace and colours) lies on
 * the canvas, or a little off it (arrows overhang the frame). */
static void
check_attributes(const char *svg, int width, int height)
{
	double lim = (width > height ? width : height) + 50.0;

	for (const char *p = strstr(svg, "=\""); p != NULL; p = strstr(p, "=\"")) {
		const char *end = strchr(p + 2, '"');
		if (end == NULL)
			abort();
		if (strncmp(p + 2, "http", 4) == 0 || p[2] == '#') {   /* namespace, colour */
			p = end;
			continue;
		}
		for (p += 2; p < end; ) {
			char *stop;
			double d;
			if (*p != '-' && *p != '.' && (*p < '0' || *p > '9')) {
				p++;
				continue;
			}
			d = strtod(p, &stop);
			if (stop == p) {                /* the '-' of "trend-grid" */
				p++;
				continue;
			}
			if (!(d > -lim && d < lim))
				abort();
			p = stop;
		}
		p = end;
	}
}

static void
check_svg(const char *svg, size_t len, const struct trend_chart *c)
{
	size_t lt = 0, gt = 0;

	if (strlen(svg) != len || strncmp(svg, "<svg xmlns=", 11) != 0 ||
	    len < 6 || strcmp(svg + len - 6, "</svg>") != 0)
		abort();
	for (size_t i = 0; i < len; i++) {
		lt += svg[i] == '<';
		gt += svg[i] == '>';
	}
	if (lt != gt || strstr(svg, "nan") || strstr(svg, "inf") || strstr(svg, "style") ||
	    strstr(svg, "<script") || strstr(svg + 1, "<svg"))
		abort();
	check_attributes(svg, c->width, c->height);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct trend_point pts[2][PTS_MAX];
	static char out[OUT_MAX], again[OUT_MAX];
	static const char *const months[12] = { "J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D" };
	struct input in = { data, size };
	struct trend_chart c;
	uint8_t flags = byte(&in), n0 = byte(&in), n1 = byte(&in);
	long long unit, base;
	enum trend_status st, measured;
	size_t len = 0, need = 0;
	uint16_t w, h;

	memset(&c, 0, sizeof(c));
	c.unit = (flags & 1) ? TREND_SECONDS : TREND_DAYS;
	unit = c.unit == TREND_SECONDS ? 86400 : 1;
	take(&in, &w, sizeof(w));
	take(&in, &h, sizeof(h));
	c.width = (flags & 2) ? w : TREND_WIDTH_MIN + w % 400;
	c.height = (flags & 2) ? h : TREND_HEIGHT_MIN + h % 300;
	c.title = "T";
	c.unit_label = (flags & 4) ? "u<&>" : NULL;
	if (flags & 8)
		memcpy(c.months, months, sizeof(months));
	if (flags & 16) {
		c.plausible.lo = value(&in, flags & 128);
		c.plausible.hi = value(&in, flags & 128);
		c.normal.lo = value(&in, flags & 128);
		c.normal.hi = value(&in, flags & 128);
	}
	if (flags & 32) {
		int16_t a, b;
		take(&in, &a, sizeof(a));
		take(&in, &b, sizeof(b));
		c.t_from = (20000LL + a) * unit;
		c.t_to = (20000LL + b) * unit;
	}
	if (flags & 64)
		c.max_step = (long long)byte(&in) * unit / 8;
	base = (20454LL + (int8_t)byte(&in) * 50) * unit;
	c.series[0] = (struct trend_series){ pts[0], n0 % PTS_MAX, "a" };
	c.series[1] = (struct trend_series){ pts[1], (flags & 4) ? n1 % PTS_MAX : 0, "b" };
	read_points(&in, pts[0], c.series[0].n, base, unit);
	read_points(&in, pts[1], c.series[1].n, base, unit);

	measured = trend_svg(&c, NULL, 0, &need);
	st = trend_svg(&c, out, sizeof(out), &len);
	if ((unsigned)st >= TREND__MAX || (unsigned)measured >= TREND__MAX)
		abort();
	if (st != TREND_OK) {
		/* Refused alike either way, with nothing written. */
		if (measured != st || out[0] != '\0' || len != 0 || need != 0)
			abort();
		return 0;
	}
	if (measured != TREND_NO_ROOM || need != len)
		abort();
	check_svg(out, len, &c);
	if (trend_svg(&c, again, len, &need) != TREND_NO_ROOM || again[0] != '\0' ||
	    trend_svg(&c, again, len + 1, &need) != TREND_OK || strcmp(out, again) != 0)
		abort();
	return 0;
}
