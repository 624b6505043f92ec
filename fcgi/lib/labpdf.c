/* labpdf: a lab order's results laid out as lib/pdfreport sections with
 * the verification QR code under them. */
#include "labpdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdfreport.h"

#define LINE_LEN 600

struct doc {
	char line[LABPDF_ROWS_MAX][LINE_LEN];
	const char *line_p[LABPDF_ROWS_MAX];
	const char *patient_p[3], *order_p[4], *note_p[1], *caption[2];
	size_t npatient, norder, nnote;
	char title[LINE_LEN], footer[LINE_LEN];
	struct pdf_code qr;
};

/* Append s to out at *o when it fits whole (a line is never cut inside a
 * character: parts that do not fit are left out). */
static void
put(char *out, size_t len, size_t *o, const char *s)
{
	size_t n = strlen(s);

	if (*o + n < len) {
		memcpy(out + *o, s, n + 1);
		*o += n;
	}
}

static int
empty(const char *s)
{
	return s == NULL || *s == '\0';
}

size_t
labpdf_row_line(const struct labpdf_words *w, const struct labpdf_row *r, char *out, size_t len)
{
	size_t o = 0;

	if (len == 0)
		return 0;
	out[0] = '\0';
	put(out, len, &o, r->analyte ? r->analyte : "");
	put(out, len, &o, ": ");
	put(out, len, &o, r->value ? r->value : "");
	if (!empty(r->unit)) {
		put(out, len, &o, " ");
		put(out, len, &o, r->unit);
	}
	if (!empty(r->range)) {
		put(out, len, &o, " · ");
		put(out, len, &o, w->range);
		put(out, len, &o, " ");
		put(out, len, &o, r->range);
	}
	if (!empty(r->flag)) {
		put(out, len, &o, " · ");
		put(out, len, &o, r->flag);
	}
	if (r->corrected) {
		put(out, len, &o, " · ");
		put(out, len, &o, w->corrected);
	}
	return o;
}

static int
input_ok(const struct labpdf *rep)
{
	const struct labpdf_words *w = rep->w;

	if (w == NULL || empty(w->title) || empty(w->patient) || empty(w->order) ||
	    empty(w->results) || empty(w->range) || empty(w->corrected) || empty(w->check) ||
	    empty(w->footer) || empty(rep->clinic_name) || empty(rep->patient_lines[0]) ||
	    empty(rep->verify_url) || rep->rows == NULL || rep->nrows == 0 ||
	    rep->nrows > LABPDF_ROWS_MAX)
		return 0;
	for (size_t i = 0; i < rep->nrows; i++)
		if (empty(rep->rows[i].analyte) || empty(rep->rows[i].value))
			return 0;
	return 1;
}

/* The non-empty strings of in (n of them) into out; how many. */
static size_t
present(const char *const *in, size_t n, const char **out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (!empty(in[i]))
			out[k++] = in[i];
	return k;
}

static void
lines(struct doc *d, const struct labpdf *rep)
{
	int any_corrected = 0;

	d->npatient = present(rep->patient_lines, 3, d->patient_p);
	d->norder = present(rep->order_lines, 4, d->order_p);
	for (size_t i = 0; i < rep->nrows; i++) {
		labpdf_row_line(rep->w, &rep->rows[i], d->line[i], LINE_LEN);
		d->line_p[i] = d->line[i];
		any_corrected |= rep->rows[i].corrected;
	}
	if (any_corrected && !empty(rep->w->corrected_note))
		d->note_p[d->nnote++] = rep->w->corrected_note;
	snprintf(d->title, LINE_LEN, "%s · %s", rep->w->title, rep->clinic_name);
	snprintf(d->footer, LINE_LEN, "%s %s · %s", rep->w->footer,
	         rep->order_code ? rep->order_code : "", rep->clinic_name);
}

enum labpdf_error
labpdf_render(const struct labpdf *rep, unsigned char **out, size_t *outlen)
{
	struct doc *d = NULL;
	enum labpdf_error err = LABPDF_BAD_INPUT;

	if (rep == NULL || !input_ok(rep) || (d = calloc(1, sizeof(*d))) == NULL)
		goto out;
	lines(d, rep);
	err = LABPDF_QR_FAILED;
	if (pdf_code_qr(&d->qr, rep->verify_url, LABPDF_QR_MM) == -1)
		goto out;
	/* the order code large (to quote it), then how to verify */
	d->qr.ncaption = present((const char *const[]){ rep->order_code, rep->w->check }, 2, d->caption);
	d->qr.caption = d->caption;
	{
		const struct pdf_section secs[] = {
			{ rep->w->patient, d->patient_p, d->npatient, NULL, 0 },
			{ rep->w->order, d->order_p, d->norder, NULL, 0 },
			{ rep->w->results, d->line_p, rep->nrows, NULL, 0 },
			{ "", d->note_p, d->nnote, NULL, 0 },
		};
		const struct pdf_report r = { d->title, rep->clinic_details, d->footer, rep->w->page,
		                              secs, d->nnote ? 4 : 3, &d->qr };
		err = pdf_report_render(&r, out, outlen) == 0 ? LABPDF_OK : LABPDF_RENDER_FAILED;
	}
out:
	if (d)
		pdf_code_free(&d->qr);
	free(d);
	return err;
}
