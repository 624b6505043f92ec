/* pdfreport: a plain document of titled sections of text lines (the
 * record summary; a prescription, with its QR code), drawn with libharu
 * in base-14 fonts: A4, wrapped lines, new pages as needed, "title · page
 * N of M" in each footer. */
#ifndef MEDSYS_PDFREPORT_H
#define MEDSYS_PDFREPORT_H

#include <stddef.h>

struct pdf_section {
	const char *title;              /* UTF-8 */
	const char *const *lines;       /* UTF-8; long ones wrap */
	size_t nlines;
	const char *empty;              /* shown when nlines is 0 (NULL: nothing) */
	size_t keep;                    /* lines in groups of this many, each kept
	                                 * on one page (0 or 1: no groups) */
};

/* A square of dark and light modules (a QR code) after the sections,
 * centred, with its quiet zone of 4 light modules on every side, and
 * lines of caption centred under it: the first large and bold (a code to
 * type), the others small. */
struct pdf_code {
	const unsigned char *dark;      /* width x width, row by row from the top;
	                                 * nonzero: a dark module */
	int width;                      /* modules a side */
	float side_mm;                  /* printed side without the quiet zone */
	const char *const *caption;     /* UTF-8 */
	size_t ncaption;
};

struct pdf_report {
	const char *title;              /* first line, large; also the document title */
	const char *subtitle;           /* under it (whose record, when made) */
	const char *footer;             /* left of the page numbers */
	const char *page_fmt;           /* "page {n} of {total}" in the reader's
	                                 * language (NULL: "{n} / {total}") */
	const struct pdf_section *sections;
	size_t nsections;
	const struct pdf_code *code;    /* NULL: none */
};

#define PDF_QR_MODULE_MM 0.7f   /* smallest printed module that scans from paper */

/* The QR code of text (level M, libqrencode choosing 8-bit or
 * alphanumeric mode per segment) as a pdf_code of side side_mm, grown so
 * that a module is at least PDF_QR_MODULE_MM; code->dark is malloc'd
 * (pdf_code_free), the caption left as it was. 0, or -1 when text does
 * not fit a QR code or memory ran out. */
int pdf_code_qr(struct pdf_code *code, const char *text, float side_mm);

/* Free what pdf_code_qr allocated (code may be NULL). */
void pdf_code_free(struct pdf_code *code);

/* Draw rep; *out is a malloc'd PDF of *outlen bytes the caller frees.
 * 0, or -1 when libharu failed or memory ran out. */
int pdf_report_render(const struct pdf_report *rep, unsigned char **out, size_t *outlen);

#endif
