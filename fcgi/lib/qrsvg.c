/* qrsvg: a QR code (libqrencode, level M, 8-bit, case-sensitive) as a
 * small SVG: one <path> whose dark modules are merged into one rectangle
 * per run in each row, on a white square that includes the 4-module quiet
 * zone. Pure: no I/O, no globals. */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "lib/qrsvg.h"

#define QUIET_ZONE 4          /* modules of light margin on every side */
#define MODULE_MAX 64         /* user units per module: far more than needed */

/* A growing output buffer; on any failure p is freed and set to NULL and
 * every later append is a no-op. */
struct buf {
	char *p;
	size_t len, cap;
};

static void
buf_fail(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

static void
buf_reserve(struct buf *b, size_t extra)
{
	size_t cap;
	char *np;

	if (b->p == NULL)
		return;
	if (extra > SIZE_MAX / 2 - b->len) {
		buf_fail(b);
		return;
	}
	if (b->cap - b->len > extra)
		return;
	cap = b->cap;
	while (cap - b->len <= extra)
		cap *= 2;
	if ((np = realloc(b->p, cap)) == NULL) {
		buf_fail(b);
		return;
	}
	b->p = np;
	b->cap = cap;
}

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	if (b->p == NULL)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
buf_printf(struct buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		buf_fail(b);
		return;
	}
	buf_add(b, tmp, (size_t)n);
}

/* label as the value of an XML attribute: & < > " ' become entities;
 * control characters (not allowed in XML 1.0) are dropped. */
static void
buf_add_escaped(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '&': buf_add(b, "&amp;", 5); break;
		case '<': buf_add(b, "&lt;", 4); break;
		case '>': buf_add(b, "&gt;", 4); break;
		case '"': buf_add(b, "&quot;", 6); break;
		case '\'': buf_add(b, "&#39;", 5); break;
		default:
			if (c >= 0x20 && c != 0x7f)
				buf_add(b, s, 1);
			break;
		}
	}
}

char *
qrsvg_make(const char *text, int module, const char *label)
{
	QRcode *qr;
	struct buf b = { NULL, 0, 0 };
	int size, side;

	if (text == NULL || *text == '\0' || module < 1 || module > MODULE_MAX)
		return NULL;
	if ((qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1)) == NULL)
		return NULL;
	size = qr->width;
	side = size + 2 * QUIET_ZONE;
	if ((b.p = malloc(4096)) == NULL) {
		QRcode_free(qr);
		return NULL;
	}
	b.cap = 4096;
	b.p[0] = '\0';
	buf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	           "width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\" role=\"img\" "
	           "aria-label=\"", side, side, side * module, side * module);
	buf_add_escaped(&b, label);
	buf_printf(&b, "\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
	           side, side);
	/* Each row: every run of dark modules is one rectangle one module high. */
	for (int y = 0; y < size; y++) {
		const unsigned char *row = qr->data + (size_t)y * (size_t)size;
		for (int x = 0; x < size; ) {
			int run;
			if (!(row[x] & 1)) {
				x++;
				continue;
			}
			for (run = 1; x + run < size && (row[x + run] & 1); run++)
				;
			buf_printf(&b, "M%d %dh%dv1h-%dz", x + QUIET_ZONE, y + QUIET_ZONE, run, run);
			x += run;
		}
	}
	buf_add(&b, "\"/></svg>", 9);
	QRcode_free(qr);
	return b.p;
}
