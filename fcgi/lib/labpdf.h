/* labpdf: one lab order's released results as a PDF report (lib/
 * pdfreport): clinic, patient, order, each result with its value, unit,
 * reference range and the flag in words, a note on corrected values, and
 * the QR code of the report's signed verification URL. The words come
 * from the caller (the page's language files), dates already written
 * out: this only lays them out. Pure: no I/O. */
#ifndef MEDSYS_LABPDF_H
#define MEDSYS_LABPDF_H

#include <stddef.h>

#define LABPDF_ROWS_MAX 200
#define LABPDF_QR_MM 40.0f

/* One result as printed. */
struct labpdf_row {
	const char *analyte;      /* name in the reader's language */
	const char *value;        /* as displayed, e.g. "7.1" or "negativo" */
	const char *unit;         /* UCUM, or NULL/"" */
	const char *range;        /* "3.9 – 5.5", or NULL/"" when none applies */
	const char *flag;         /* in words, e.g. "ALTO"; NULL/"" when normal */
	int corrected;            /* 1: a corrected version (marked, see words.corrected) */
};

/* The fixed words, in the reader's language (templates/lang/x/labresults.hdf). */
struct labpdf_words {
	const char *title;        /* "Informe de resultados de laboratorio" */
	const char *patient;      /* section titles ... */
	const char *order;
	const char *results;
	const char *range;        /* "ref." before a range */
	const char *corrected;    /* mark of a corrected value: "corregido" */
	const char *corrected_note;   /* sentence under the results when any is corrected */
	const char *check;        /* caption under the QR: how to verify */
	const char *footer;       /* "Orden" before the order code in the footer */
	const char *page;         /* "página {n} de {total}" */
};

struct labpdf {
	const struct labpdf_words *w;
	const char *clinic_name;
	const char *clinic_details;        /* NULL: none */
	const char *patient_lines[3];      /* name, "born ...", "sex ..." (NULL: left out) */
	const char *order_lines[4];        /* code, doctor, collected, released (NULL: left out) */
	const char *order_code;            /* printed in the footer, XXXXX-XXXXX */
	const struct labpdf_row *rows;
	size_t nrows;                      /* 1..LABPDF_ROWS_MAX */
	const char *verify_url;            /* <base_url>/lab/v/TOKEN */
};

enum labpdf_error {
	LABPDF_OK = 0,
	LABPDF_BAD_INPUT,         /* a word, the clinic, the patient's name, the
	                           * URL or a row's analyte/value missing; no rows */
	LABPDF_QR_FAILED,         /* the URL does not fit a QR code */
	LABPDF_RENDER_FAILED,     /* libharu failed, or memory ran out */
	LABPDF__MAX
};

/* One result's line: "Glucosa: 7.1 mmol/L · ref. 3.9 – 5.5 · ALTO ·
 * corregido" (parts left out when empty), into out (len bytes, cut at a
 * character boundary). Its length. */
size_t labpdf_row_line(const struct labpdf_words *w, const struct labpdf_row *r, char *out,
                       size_t len);

/* Draw rep; on LABPDF_OK *out is a malloc'd PDF of *outlen bytes the
 * caller frees. */
enum labpdf_error labpdf_render(const struct labpdf *rep, unsigned char **out, size_t *outlen);

#endif
