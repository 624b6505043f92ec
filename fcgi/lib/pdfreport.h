/* pdfreport: a plain document of titled sections of text lines (the
 * record summary), drawn with libharu in base-14 fonts: A4, wrapped
 * lines, new pages as needed, "title · page N of M" in each footer. */
#ifndef MEDSYS_PDFREPORT_H
#define MEDSYS_PDFREPORT_H

#include <stddef.h>

struct pdf_section {
	const char *title;              /* UTF-8 */
	const char *const *lines;       /* UTF-8; long ones wrap */
	size_t nlines;
	const char *empty;              /* shown when nlines is 0 (NULL: nothing) */
};

struct pdf_report {
	const char *title;              /* first line, large; also the document title */
	const char *subtitle;           /* under it (whose record, when made) */
	const char *footer;             /* left of the page numbers */
	const char *page_fmt;           /* "page {n} of {total}" in the reader's
	                                 * language (NULL: "{n} / {total}") */
	const struct pdf_section *sections;
	size_t nsections;
};

/* Draw rep; *out is a malloc'd PDF of *outlen bytes the caller frees.
 * 0, or -1 when libharu failed or memory ran out. */
int pdf_report_render(const struct pdf_report *rep, unsigned char **out, size_t *outlen);

#endif
