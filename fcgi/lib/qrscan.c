/* qrscan: JPEG or PNG bytes -> 8-bit grey pixels (no larger than the scan
 * needs) -> libzbar, QR codes only. Every limit is checked on the header
 * before pixels are allocated; libjpeg's errors come back by longjmp and
 * its messages are kept off stderr. */
#include "qrscan.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>
#include <zbar.h>

/* libjpeg keeps a progressive file's coefficients for the whole picture
 * (about 3 bytes a pixel at 4:2:0): this caps what one file may take,
 * and a file of endless tiny scans is stopped at JPEG_MAX_SCANS. */
#define JPEG_MAX_MEMORY (200L * 1024 * 1024)
#define JPEG_MAX_SCANS 200

/* Grey pixels, one byte each, rows without padding. */
struct grey {
	unsigned char *pix;
	size_t w, h;
};

static const char *const status_names[QRSCAN__MAX] = {
	[QRSCAN_OK] = "ok",
	[QRSCAN_NOT_IMAGE] = "not_image",
	[QRSCAN_TOO_LARGE] = "too_large",
	[QRSCAN_BAD_IMAGE] = "bad_image",
	[QRSCAN_NO_CODE] = "no_code",
	[QRSCAN_TEXT_TOO_LONG] = "text_too_long",
	[QRSCAN_NO_MEMORY] = "no_memory",
};

const char *
qrscan_status_name(enum qrscan_status st)
{
	return (unsigned)st < QRSCAN__MAX ? status_names[st] : "unknown";
}

static int
size_ok(size_t w, size_t h)
{
	return w > 0 && h > 0 && w <= QRSCAN_MAX_SIDE && h <= QRSCAN_MAX_SIDE &&
	       (unsigned long long)w * h <= QRSCAN_MAX_PIXELS;
}

/* ------------------------------------------------------------ JPEG */

struct jpeg_fail {
	struct jpeg_error_mgr pub;
	jmp_buf jump;
	volatile enum qrscan_status why;   /* set before the longjmp, read after */
};

static void
jpeg_fail_exit(j_common_ptr c)
{
	struct jpeg_fail *f = (struct jpeg_fail *)c->err;

	if (f->pub.msg_code == JERR_OUT_OF_MEMORY || f->pub.msg_code == JERR_NO_BACKING_STORE)
		f->why = QRSCAN_TOO_LARGE;   /* over JPEG_MAX_MEMORY: a bomb, not a real photo */
	longjmp(f->jump, 1);
}

/* Warnings of a damaged file are expected from phones' uploads: silent. */
static void
jpeg_quiet(j_common_ptr c)
{
	(void)c;
}

static void
jpeg_scan_limit(j_common_ptr c)
{
	if (c->is_decompressor && ((j_decompress_ptr)c)->input_scan_number > JPEG_MAX_SCANS) {
		((struct jpeg_fail *)c->err)->why = QRSCAN_TOO_LARGE;
		longjmp(((struct jpeg_fail *)c->err)->jump, 1);
	}
}

/* The picture's longest side after libjpeg's cheapest scale (1/1..1/8)
 * that brings it within QRSCAN_SCAN_SIDE. */
static unsigned
jpeg_denominator(size_t w, size_t h)
{
	size_t side = w > h ? w : h;
	unsigned d = 1;

	while (d < 8 && side / d > QRSCAN_SCAN_SIDE)
		d *= 2;
	return d;
}

/* A CMYK row (print files, some scanners) as grey: ink-free shares of
 * red, green and blue, then their luma. Adobe's files store the ink-free
 * share itself ("inverted"); others store the ink. */
static void
cmyk_grey(const unsigned char *in, unsigned char *out, size_t w, int adobe)
{
	for (size_t x = 0; x < w; x++, in += 4) {
		unsigned c = in[0], m = in[1], y = in[2], k = in[3];
		if (!adobe)
			c = 255 - c, m = 255 - m, y = 255 - y, k = 255 - k;
		out[x] = (unsigned char)((77 * (c * k / 255) + 150 * (m * k / 255) + 29 * (y * k / 255)) >> 8);
	}
}

static enum qrscan_status
jpeg_grey(const unsigned char *data, size_t len, struct grey *g)
{
	struct jpeg_decompress_struct cinfo;
	struct jpeg_progress_mgr progress = { .progress_monitor = jpeg_scan_limit };
	struct jpeg_fail fail;
	struct grey *volatile out = g;   /* read after a longjmp */
	int cmyk;

	cinfo.err = jpeg_std_error(&fail.pub);
	fail.pub.error_exit = jpeg_fail_exit;
	fail.pub.output_message = jpeg_quiet;
	fail.why = QRSCAN_BAD_IMAGE;
	if (setjmp(fail.jump)) {
		free(out->pix);
		out->pix = NULL;
		jpeg_destroy_decompress(&cinfo);
		return fail.why;
	}
	jpeg_create_decompress(&cinfo);
	cinfo.mem->max_memory_to_use = JPEG_MAX_MEMORY;
	cinfo.progress = &progress;
	jpeg_mem_src(&cinfo, data, (unsigned long)len);
	jpeg_read_header(&cinfo, TRUE);
	if (!size_ok(cinfo.image_width, cinfo.image_height)) {
		jpeg_destroy_decompress(&cinfo);
		return QRSCAN_TOO_LARGE;
	}
	cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
	cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_GRAYSCALE;
	cinfo.scale_num = 1;
	cinfo.scale_denom = jpeg_denominator(cinfo.image_width, cinfo.image_height);
	jpeg_start_decompress(&cinfo);
	out->w = cinfo.output_width;
	out->h = cinfo.output_height;
	/* The grey picture, then room for one CMYK row. */
	if ((out->pix = malloc(out->w * out->h + (cmyk ? 4 * out->w : 0))) == NULL) {
		fail.why = QRSCAN_NO_MEMORY;
		longjmp(fail.jump, 1);
	}
	while (cinfo.output_scanline < cinfo.output_height) {
		unsigned char *grey = out->pix + (size_t)cinfo.output_scanline * out->w;
		JSAMPROW row = cmyk ? out->pix + out->w * out->h : grey;
		jpeg_read_scanlines(&cinfo, &row, 1);
		if (cmyk)
			cmyk_grey(row, grey, out->w, cinfo.saw_Adobe_marker);
	}
	jpeg_finish_decompress(&cinfo);
	jpeg_destroy_decompress(&cinfo);
	return QRSCAN_OK;
}

/* ------------------------------------------------------------ PNG */

static enum qrscan_status
png_grey(const unsigned char *data, size_t len, struct grey *g)
{
	png_image img;
	png_color white = { 255, 255, 255 };   /* under transparent parts: paper */
	enum qrscan_status st = QRSCAN_BAD_IMAGE;

	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&img, data, len))
		goto out;
	if (!size_ok(img.width, img.height)) {
		st = QRSCAN_TOO_LARGE;
		goto out;
	}
	img.format = PNG_FORMAT_GRAY;
	g->w = img.width;
	g->h = img.height;
	if ((g->pix = malloc(PNG_IMAGE_SIZE(img))) == NULL) {
		st = QRSCAN_NO_MEMORY;
		goto out;
	}
	if (!png_image_finish_read(&img, &white, g->pix, 0, NULL)) {
		free(g->pix);
		g->pix = NULL;
		goto out;
	}
	st = QRSCAN_OK;
out:
	png_image_free(&img);
	return st;
}

/* ------------------------------------------------------------ scan */

/* Shrink g in place by the smallest whole factor that brings its longer
 * side within QRSCAN_SCAN_SIDE, each new pixel the mean of a k x k box. */
static void
shrink(struct grey *g)
{
	size_t side = g->w > g->h ? g->w : g->h;
	size_t k = (side + QRSCAN_SCAN_SIDE - 1) / QRSCAN_SCAN_SIDE;
	size_t w = g->w / k, h = g->h / k;

	if (k <= 1)
		return;
	for (size_t y = 0; y < h; y++)
		for (size_t x = 0; x < w; x++) {
			unsigned long sum = 0;
			for (size_t dy = 0; dy < k; dy++)
				for (size_t dx = 0; dx < k; dx++)
					sum += g->pix[(y * k + dy) * g->w + x * k + dx];
			g->pix[y * w + x] = (unsigned char)(sum / (k * k));   /* before its sources: safe */
		}
	g->w = w;
	g->h = h;
}

static enum qrscan_status
zbar_first_qr(const struct grey *g, char *out, size_t outlen)
{
	zbar_image_scanner_t *sc = zbar_image_scanner_create();
	zbar_image_t *im = zbar_image_create();
	enum qrscan_status st = QRSCAN_NO_MEMORY;

	if (sc == NULL || im == NULL)
		goto out;
	zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_set_format(im, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(im, (unsigned)g->w, (unsigned)g->h);
	zbar_image_set_data(im, g->pix, g->w * g->h, NULL);
	st = QRSCAN_NO_CODE;
	if (zbar_scan_image(sc, im) <= 0)
		goto out;
	for (const zbar_symbol_t *s = zbar_image_first_symbol(im); s; s = zbar_symbol_next(s)) {
		const char *text = zbar_symbol_get_data(s);
		size_t n = zbar_symbol_get_data_length(s);
		if (zbar_symbol_get_type(s) != ZBAR_QRCODE || text == NULL || memchr(text, '\0', n))
			continue;
		if (n >= outlen || n > QRSCAN_TEXT_MAX) {
			st = QRSCAN_TEXT_TOO_LONG;
			goto out;
		}
		memcpy(out, text, n);
		out[n] = '\0';
		st = QRSCAN_OK;
		break;
	}
out:
	if (im)
		zbar_image_destroy(im);   /* the pixels are ours: no cleanup handler set */
	if (sc)
		zbar_image_scanner_destroy(sc);
	return st;
}

enum qrscan_status
qrscan_decode(const unsigned char *data, size_t len, char *out, size_t outlen)
{
	static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	struct grey g = { NULL, 0, 0 };
	enum qrscan_status st;

	if (outlen > 0)
		out[0] = '\0';
	if (data == NULL || outlen == 0)
		return QRSCAN_NOT_IMAGE;
	if (len > QRSCAN_MAX_BYTES)
		return QRSCAN_TOO_LARGE;
	if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
		st = jpeg_grey(data, len, &g);
	else if (len >= 8 && memcmp(data, png_sig, 8) == 0)
		st = png_grey(data, len, &g);
	else
		return QRSCAN_NOT_IMAGE;
	if (st == QRSCAN_OK) {
		shrink(&g);
		st = zbar_first_qr(&g, out, outlen);
	}
	free(g.pix);
	if (st != QRSCAN_OK)
		out[0] = '\0';
	return st;
}
