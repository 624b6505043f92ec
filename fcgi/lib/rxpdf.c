/* rxpdf: a prescription laid out as lib/pdfreport sections with a QR code
 * (libqrencode, level M) under them. The fixed words are tables in both
 * languages here, as rxtext's are: the document is in the patient's
 * language, whoever prints it, and the words and grammar are tested
 * together. */
#include "rxpdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "pdfreport.h"

#define LINE_LEN 1400   /* a line: an override's detail and reason, 500 each */

enum { KIND_N = 5, SEVERITY_N = 3 };

struct words {
	const char *title, *patient, *born, *prescriber, *licence, *medicines;
	const char *quantity, *refills, *overrides, *item, *whole, *reason;
	const char *validity, *issued, *until, *check, *footer, *page;
	const char *kind[KIND_N], *severity[SEVERITY_N];
};

static const char *const kind_codes[KIND_N] = { "allergy", "duplicate", "interaction", "max_dose",
	                                        "pregnancy" };
static const char *const severity_codes[SEVERITY_N] = { "moderate", "major", "contraindicated" };

static const struct words words[RX_LANG__MAX] = {
	[RX_LANG_ES] = {
		"Receta médica", "Paciente", "Fecha de nacimiento", "Médico prescriptor",
		"Nº de colegiado", "Medicamentos", "Cantidad", "Repeticiones",
		"Advertencias revisadas por el médico (para el farmacéutico)", "Línea",
		"Toda la receta", "Motivo", "Validez", "Fecha de emisión", "Válida hasta",
		"Para comprobar que es auténtica, escanee el código QR o escriba este código en la farmacia.",
		"Receta nº", "página {n} de {total}",
		{ "alergia", "duplicidad terapéutica", "interacción", "dosis máxima superada", "embarazo" },
		{ "moderada", "grave", "contraindicada" },
	},
	[RX_LANG_EN] = {
		"Prescription", "Patient", "Date of birth", "Prescriber", "Licence number", "Medicines",
		"Quantity", "Refills", "Warnings the prescriber overrode (for the pharmacist)", "Item",
		"Whole prescription", "Reason", "Validity", "Issued on", "Valid until",
		"To check it is genuine, scan the QR code or type this code at the pharmacy.",
		"Prescription no.", "page {n} of {total}",
		{ "allergy", "duplicate therapy", "interaction", "maximum dose exceeded", "pregnancy" },
		{ "moderate", "major", "contraindicated" },
	},
};

/* Every line of the document, built before it is drawn. */
struct doc {
	const struct words *w;
	enum rx_lang lang;
	char who[4][LINE_LEN];
	char item[RXPDF_ITEMS_MAX * 3][LINE_LEN];
	char over[RXPDF_OVERRIDES_MAX][LINE_LEN];
	char dates[2][LINE_LEN];
	char title[LINE_LEN], subtitle[LINE_LEN], footer[LINE_LEN], code[12];
	const char *who_p[4], *item_p[RXPDF_ITEMS_MAX * 3], *over_p[RXPDF_OVERRIDES_MAX], *dates_p[2];
	const char *caption[2];
	size_t npatient, nitem;
	struct pdf_code qr;        /* the QR code (pdf_code_qr) */
};

int
rxpdf_short_code(const char *code, char out[12])
{
	if (code == NULL || strlen(code) != 10)
		return -1;
	snprintf(out, 12, "%.5s-%.5s", code, code + 5);
	return 0;
}

/* A day in the words of the patient's language, with its year (a paper
 * is read in other years): "lunes 7 de diciembre de 2026"; a birth
 * without a weekday. */
static void
date_words(const struct rxpdf *rx, const char *iso, int birth, char *out, size_t len)
{
	if (birth)
		dt_format_pattern(iso, rx->dates->day_year, rx->dates, out, len);
	else
		dt_format_words(iso, DT_ALWAYS_YEAR, rx->dates, out, len);
}

static const char *
code_word(const char *code, const char *const *codes, const char *const *names, size_t n)
{
	for (size_t i = 0; code && i < n; i++)
		if (strcmp(code, codes[i]) == 0)
			return names[i];
	return code ? code : "";
}

static int
people_lines(struct doc *d, const struct rxpdf *rx)
{
	char date[64];

	snprintf(d->who[0], LINE_LEN, "%s", rx->patient_name);
	d->npatient = 1;
	if (rx->patient_birth && *rx->patient_birth) {
		date_words(rx, rx->patient_birth, 1, date, sizeof(date));
		snprintf(d->who[1], LINE_LEN, "%s: %s", d->w->born, date);
		d->npatient = 2;
	}
	snprintf(d->who[2], LINE_LEN, "%s", rx->prescriber_name);
	snprintf(d->who[3], LINE_LEN, "%s: %s", d->w->licence, rx->prescriber_licence);
	for (int i = 0; i < 4; i++)
		d->who_p[i] = d->who[i];
	return 0;
}

/* Three lines an item: "1. name", the instruction, quantity and refills. */
static int
item_lines(struct doc *d, const struct rxpdf *rx)
{
	char what[RXTEXT_LINE_MAX], qty[128];

	for (size_t i = 0; i < rx->nitems; i++) {
		const struct rxpdf_item *it = &rx->items[i];
		if (it->product == NULL || it->quantity < 0 || it->refills < 0 ||
		    rxtext_instruction(&it->instr, d->lang, what, sizeof(what)) < 0)
			return -1;
		rxtext_quantity((double)it->quantity, it->instr.dose_unit, d->lang, qty, sizeof(qty));
		snprintf(d->item[d->nitem++], LINE_LEN, "%zu. %s", i + 1, it->product);
		/* A sentence: rxtext's ends in a stop only when advice follows. */
		snprintf(d->item[d->nitem++], LINE_LEN, "%s%s", what,
		         strchr(".!?", what[strlen(what) - 1]) ? "" : ".");
		snprintf(d->item[d->nitem++], LINE_LEN, "%s: %s · %s: %d", d->w->quantity, qty,
		         d->w->refills, it->refills);
	}
	for (size_t i = 0; i < d->nitem; i++)
		d->item_p[i] = d->item[i];
	return 0;
}

static void
override_lines(struct doc *d, const struct rxpdf *rx)
{
	for (size_t i = 0; i < rx->noverrides; i++) {
		const struct rxpdf_override *o = &rx->overrides[i];
		char where[64];
		if (o->line > 0)
			snprintf(where, sizeof(where), "%s %d", d->w->item, o->line);
		else
			snprintf(where, sizeof(where), "%s", d->w->whole);
		snprintf(d->over[i], LINE_LEN, "%s · %s (%s): %.500s. %s: %.500s", where,
		         code_word(o->kind, kind_codes, d->w->kind, KIND_N),
		         code_word(o->severity, severity_codes, d->w->severity, SEVERITY_N),
		         o->detail ? o->detail : "", d->w->reason, o->reason ? o->reason : "");
		d->over_p[i] = d->over[i];
	}
}

static void
date_lines(struct doc *d, const struct rxpdf *rx)
{
	char date[64];

	date_words(rx, rx->issued_on, 0, date, sizeof(date));
	snprintf(d->dates[0], LINE_LEN, "%s: %s", d->w->issued, date);
	date_words(rx, rx->expires_on, 0, date, sizeof(date));
	snprintf(d->dates[1], LINE_LEN, "%s: %s", d->w->until, date);
	d->dates_p[0] = d->dates[0];
	d->dates_p[1] = d->dates[1];
}

static int
input_ok(const struct rxpdf *rx)
{
	const char *need[] = { rx->clinic_name, rx->patient_name, rx->prescriber_name,
	                       rx->prescriber_licence, rx->issued_on, rx->expires_on, rx->verify_url };

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (need[i] == NULL || *need[i] == '\0')
			return 0;
	return rx->dates && rx->items && rx->nitems >= 1 && rx->nitems <= RXPDF_ITEMS_MAX &&
	       rx->noverrides <= RXPDF_OVERRIDES_MAX && (rx->noverrides == 0 || rx->overrides);
}

static enum rxpdf_error
draw(struct doc *d, const struct rxpdf *rx, unsigned char **out, size_t *outlen)
{
	const struct pdf_section secs[] = {
		{ rx->status ? rx->status : "", NULL, 0, NULL, 0 },
		{ d->w->patient, d->who_p, d->npatient, NULL, 0 },
		{ d->w->prescriber, d->who_p + 2, 2, NULL, 0 },
		{ d->w->medicines, d->item_p, d->nitem, NULL, 3 },   /* an item on one page */
		{ d->w->overrides, d->over_p, rx->noverrides, NULL, 0 },
		{ d->w->validity, d->dates_p, 2, NULL, 0 },
	};
	size_t first = rx->status ? 0 : 1;
	struct pdf_section shown[6];
	size_t n = 0;

	for (size_t i = first; i < sizeof(secs) / sizeof(secs[0]); i++)
		if (i != 4 || rx->noverrides > 0)
			shown[n++] = secs[i];
	{
		const struct pdf_report rep = { d->title, *d->subtitle ? d->subtitle : NULL, d->footer,
		                                d->w->page, shown, n, &d->qr };
		return pdf_report_render(&rep, out, outlen) == 0 ? RXPDF_OK : RXPDF_RENDER_FAILED;
	}
}

enum rxpdf_error
rxpdf_render(const struct rxpdf *rx, unsigned char **out, size_t *outlen)
{
	struct doc *d = NULL;
	enum rxpdf_error err = RXPDF_BAD_INPUT;

	if (!input_ok(rx) || (d = calloc(1, sizeof(*d))) == NULL)
		goto out;
	d->lang = (unsigned)rx->lang < RX_LANG__MAX ? rx->lang : RX_LANG_ES;
	d->w = &words[d->lang];
	if (rxpdf_short_code(rx->short_code, d->code) == -1 || item_lines(d, rx) == -1)
		goto out;
	people_lines(d, rx);
	override_lines(d, rx);
	date_lines(d, rx);
	snprintf(d->title, LINE_LEN, "%s · %s", d->w->title, rx->clinic_name);
	snprintf(d->subtitle, LINE_LEN, "%s", rx->clinic_details ? rx->clinic_details : "");
	snprintf(d->footer, LINE_LEN, "%s %lld · %s", d->w->footer, rx->id, rx->clinic_name);
	d->caption[0] = d->code;
	d->caption[1] = d->w->check;
	d->qr.caption = d->caption;
	d->qr.ncaption = 2;
	err = RXPDF_QR_FAILED;
	if (pdf_code_qr(&d->qr, rx->verify_url, RXPDF_QR_MM) == -1)
		goto out;
	err = draw(d, rx, out, outlen);
out:
	if (d)
		pdf_code_free(&d->qr);
	free(d);
	return err;
}
