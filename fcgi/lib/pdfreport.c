/* pdfreport: titled sections of wrapped lines on A4 pages (libharu,
 * base-14 Helvetica in WinAnsi: a few KB per page, accents right), and
 * optionally a QR code drawn as vector modules under them. */
#include "pdfreport.h"

#include <hpdf.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "winansi.h"

#define PAGE_W 595.0f        /* A4 in points */
#define PAGE_H 842.0f
#define MARGIN 50.0f
#define BOTTOM 60.0f         /* text stops above the footer */
#define TEXT_SIZE 10.0f
#define LEADING 13.5f
#define LINE_MAX 4096        /* bytes of one line after conversion */
#define PAGES_MAX 200

struct layout {
	HPDF_Doc pdf;
	HPDF_Font regular, bold;
	HPDF_Page pages[PAGES_MAX];
	int npages;
	float y;                 /* baseline of the next line */
	int failed;
};

/* libharu reports errors here; the drawing goes on harmlessly and the
 * result is refused at the end. */
static void
on_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
	(void)error;
	(void)detail;
	((struct layout *)user)->failed = 1;
}

static HPDF_Page
current(struct layout *l)
{
	return l->pages[l->npages - 1];
}

static int
new_page(struct layout *l)
{
	HPDF_Page p;

	if (l->npages == PAGES_MAX || (p = HPDF_AddPage(l->pdf)) == NULL)
		return l->failed = 1, -1;
	HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	l->pages[l->npages++] = p;
	l->y = PAGE_H - MARGIN;
	return 0;
}

/* Room for height points more on this page, or a new page. */
static int
need(struct layout *l, float height)
{
	if (l->y - height < BOTTOM)
		return new_page(l);
	return 0;
}

static void
text_at(struct layout *l, HPDF_Font font, float size, float x, float y, const char *s)
{
	HPDF_Page p = current(l);

	HPDF_Page_BeginText(p);
	HPDF_Page_SetFontAndSize(p, font, size);
	HPDF_Page_TextOut(p, x, y, s);
	HPDF_Page_EndText(p);
}

/* One paragraph (UTF-8), wrapped at word boundaries to the text width;
 * indent for the lines after the first. */
static void
paragraph(struct layout *l, HPDF_Font font, float size, float leading, const char *utf8)
{
	static char buf[LINE_MAX], piece[LINE_MAX];
	float width = PAGE_W - 2 * MARGIN;
	const char *s = buf;

	winansi_from_utf8(utf8 ? utf8 : "", buf, sizeof(buf));
	if (*s == '\0')   /* nothing to draw (an untitled section): the loop
	                    * below would step past the end of the text */
		return;
	do {
		HPDF_UINT n;
		if (need(l, leading) == -1)
			return;
		HPDF_Page_SetFontAndSize(current(l), font, size);
		n = HPDF_Page_MeasureText(current(l), s, width, HPDF_TRUE, NULL);
		if (n == 0)   /* one word wider than the page: cut it */
			n = HPDF_Page_MeasureText(current(l), s, width, HPDF_FALSE, NULL);
		if (n == 0)
			n = 1;
		memcpy(piece, s, n);
		piece[n] = '\0';
		l->y -= leading;
		text_at(l, font, size, MARGIN, l->y, piece);
		s += n;
		while (*s == ' ')
			s++;
	} while (*s);
}

static void
section(struct layout *l, const struct pdf_section *sec)
{
	/* Keep a heading with its first line. */
	if (need(l, 10.0f + 2 * LEADING) == -1)
		return;
	l->y -= 10.0f;
	paragraph(l, l->bold, 12.0f, 16.0f, sec->title);
	for (size_t i = 0; i < sec->nlines; i++) {
		if (sec->keep > 1 && i % sec->keep == 0 && need(l, (float)sec->keep * LEADING) == -1)
			return;
		paragraph(l, l->regular, TEXT_SIZE, LEADING, sec->lines[i]);
	}
	if (sec->nlines == 0 && sec->empty)
		paragraph(l, l->regular, TEXT_SIZE, LEADING, sec->empty);
}

/* One caption line centred under the code. */
static void
centred(struct layout *l, HPDF_Font font, float size, float leading, const char *utf8)
{
	char buf[512];
	float w;

	winansi_from_utf8(utf8 ? utf8 : "", buf, sizeof(buf));
	HPDF_Page_SetFontAndSize(current(l), font, size);
	w = HPDF_Page_TextWidth(current(l), buf);
	l->y -= leading;
	text_at(l, font, size, w < PAGE_W ? (PAGE_W - w) / 2 : MARGIN, l->y, buf);
}

int
pdf_code_qr(struct pdf_code *code, const char *text, float side_mm)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	unsigned char *dark = NULL;
	size_t n;

	if (qr == NULL)
		return -1;
	n = (size_t)qr->width * (size_t)qr->width;
	if ((dark = malloc(n)) != NULL) {
		for (size_t i = 0; i < n; i++)
			dark[i] = qr->data[i] & 1;
		code->dark = dark;
		code->width = qr->width;
		code->side_mm = side_mm;
		if ((float)qr->width * PDF_QR_MODULE_MM > side_mm)
			code->side_mm = (float)qr->width * PDF_QR_MODULE_MM;
	}
	QRcode_free(qr);
	return dark ? 0 : -1;
}

void
pdf_code_free(struct pdf_code *code)
{
	if (code == NULL)
		return;
	free((void *)code->dark);
	code->dark = NULL;
}

/* The code's dark modules as one path of a rectangle per run of a row, in
 * module units (the matrix scales them: a few bytes each), filled once so
 * that a renderer leaves no seam between neighbours. */
static void
code_block(struct layout *l, const struct pdf_code *c)
{
	float module, side, quiet;
	HPDF_Page p;

	if (c->dark == NULL || c->width <= 0 || c->side_mm <= 0)
		return;
	side = c->side_mm * 72.0f / 25.4f;
	module = side / (float)c->width;
	quiet = 4 * module;
	if (need(l, side + 2 * quiet + 24.0f + (float)c->ncaption * LEADING) == -1)
		return;
	p = current(l);
	HPDF_Page_GSave(p);
	HPDF_Page_Concat(p, module, 0, 0, module, (PAGE_W - side) / 2, l->y - quiet - side);
	HPDF_Page_SetGrayFill(p, 0);
	for (int y = 0; y < c->width; y++) {
		const unsigned char *row = c->dark + (size_t)y * (size_t)c->width;
		for (int x = 0; x < c->width;) {
			int run = 0;
			while (x + run < c->width && row[x + run])
				run++;
			if (run > 0)
				HPDF_Page_Rectangle(p, (float)x, (float)(c->width - 1 - y), (float)run, 1);
			x += run > 0 ? run : 1;
		}
	}
	HPDF_Page_Fill(p);
	HPDF_Page_GRestore(p);
	l->y -= side + quiet;
	for (size_t i = 0; i < c->ncaption; i++)
		if (i == 0)
			centred(l, l->bold, 16.0f, 24.0f, c->caption[i]);
		else
			centred(l, l->regular, 8.5f, LEADING, c->caption[i]);
}

/* fmt with {n} and {total} replaced (a format from a language file is
 * never handed to printf). */
static void
page_number(char *out, size_t len, const char *fmt, int n, int total)
{
	size_t o = 0;

	for (const char *s = fmt; *s && o + 12 < len; s++) {
		if (strncmp(s, "{n}", 3) == 0) {
			o += (size_t)snprintf(out + o, len - o, "%d", n);
			s += 2;
		} else if (strncmp(s, "{total}", 7) == 0) {
			o += (size_t)snprintf(out + o, len - o, "%d", total);
			s += 6;
		} else
			out[o++] = *s;
	}
	out[o] = '\0';
}

static void
footers(struct layout *l, const struct pdf_report *rep)
{
	char left[512], right[128];
	float w;

	winansi_from_utf8(rep->footer ? rep->footer : "", left, sizeof(left));
	for (int i = 0; i < l->npages; i++) {
		char num[128];
		page_number(num, sizeof(num), rep->page_fmt ? rep->page_fmt : "{n} / {total}",
		            i + 1, l->npages);
		winansi_from_utf8(num, right, sizeof(right));
		HPDF_Page_SetFontAndSize(l->pages[i], l->regular, 8.0f);
		w = HPDF_Page_TextWidth(l->pages[i], right);
		HPDF_Page_BeginText(l->pages[i]);
		HPDF_Page_SetFontAndSize(l->pages[i], l->regular, 8.0f);
		HPDF_Page_TextOut(l->pages[i], MARGIN, 30.0f, left);
		HPDF_Page_TextOut(l->pages[i], PAGE_W - MARGIN - w, 30.0f, right);
		HPDF_Page_EndText(l->pages[i]);
	}
}

static int
save(struct layout *l, unsigned char **out, size_t *outlen)
{
	HPDF_UINT32 size;
	unsigned char *buf;

	if (l->failed || HPDF_SaveToStream(l->pdf) != HPDF_OK)
		return -1;
	size = HPDF_GetStreamSize(l->pdf);
	if (size == 0 || (buf = malloc(size)) == NULL)
		return -1;
	if (HPDF_ReadFromStream(l->pdf, buf, &size) != HPDF_OK || l->failed) {
		free(buf);
		return -1;
	}
	*out = buf;
	*outlen = size;
	return 0;
}

int
pdf_report_render(const struct pdf_report *rep, unsigned char **out, size_t *outlen)
{
	static char title[512];
	struct layout *l = calloc(1, sizeof(*l));
	int rc = -1;

	if (l == NULL || (l->pdf = HPDF_New(on_error, l)) == NULL)
		goto out;
	HPDF_SetCompressionMode(l->pdf, HPDF_COMP_ALL);
	l->regular = HPDF_GetFont(l->pdf, "Helvetica", "WinAnsiEncoding");
	l->bold = HPDF_GetFont(l->pdf, "Helvetica-Bold", "WinAnsiEncoding");
	winansi_from_utf8(rep->title ? rep->title : "", title, sizeof(title));
	HPDF_SetInfoAttr(l->pdf, HPDF_INFO_TITLE, title);
	HPDF_SetInfoAttr(l->pdf, HPDF_INFO_CREATOR, "MedSysPro");
	if (l->failed || new_page(l) == -1)
		goto out;
	paragraph(l, l->bold, 16.0f, 20.0f, rep->title);
	if (rep->subtitle)
		paragraph(l, l->regular, TEXT_SIZE, LEADING, rep->subtitle);
	for (size_t i = 0; i < rep->nsections; i++)
		section(l, &rep->sections[i]);
	if (rep->code)
		code_block(l, rep->code);
	footers(l, rep);
	rc = save(l, out, outlen);
out:
	if (l && l->pdf)
		HPDF_Free(l->pdf);
	free(l);
	return rc;
}
