/* rxpdf: one prescription as a PDF in the patient's language (clinic,
 * patient, prescriber, each item in plain words with its quantity and
 * refills, the warnings the prescriber overrode, the dates, and the QR
 * code of the verification URL with the short code under it), from a
 * plain struct: the caller reads the database. Pure: no I/O. */
#ifndef MEDSYS_RXPDF_H
#define MEDSYS_RXPDF_H

#include <stddef.h>

#include "datetime.h"
#include "rxtext.h"

#define RXPDF_ITEMS_MAX 20        /* rx.items.line is 1..20 */
#define RXPDF_OVERRIDES_MAX 100
#define RXPDF_QR_MM 40.0f         /* printed side of the QR code (version <= 10):
                                   * >= 0.7 mm a module, scans from paper */

struct rxpdf_item {
	const char *product;          /* name in the patient's language:
	                               * "Amoxicilina 500 mg cápsulas" */
	struct rx_instr instr;        /* put in words by rxtext_instruction */
	long quantity;                /* in instr.dose_unit units, to dispense */
	int refills;
};

/* A warning the prescriber overrode, printed for the pharmacist. */
struct rxpdf_override {
	int line;                     /* the item's line, or 0: the whole prescription */
	const char *kind;             /* rx.warnings.kind: "allergy", "duplicate",
	                               * "interaction", "max_dose", "pregnancy" */
	const char *severity;         /* "moderate", "major", "contraindicated" */
	const char *detail;           /* as stored (staff words) */
	const char *reason;           /* the prescriber's reason */
};

struct rxpdf {
	enum rx_lang lang;            /* the patient's */
	long long id;                 /* rx.prescriptions.id, in the footer */
	const char *clinic_name;
	const char *clinic_details;   /* address, telephone... (NULL: none) */
	const char *patient_name;
	const struct dt_words *dates; /* the patient's language's date words
	                               * (the caller reads them from its language
	                               * file): every date is written through
	                               * dt_format_words, with its year */
	const char *patient_birth;    /* YYYY-MM-DD, or NULL/"" when unknown */
	const char *prescriber_name;
	const char *prescriber_licence;
	const char *issued_on;        /* YYYY-MM-DD */
	const char *expires_on;       /* YYYY-MM-DD */
	const struct rxpdf_item *items;
	size_t nitems;                /* 1..RXPDF_ITEMS_MAX */
	const struct rxpdf_override *overrides;
	size_t noverrides;
	const char *verify_url;       /* the QR code's text: <public_url>/rx/v/TOKEN */
	const char *short_code;       /* 10 characters, printed XXXXX-XXXXX */
	const char *status;           /* NULL, or a word printed large under the
	                               * title ("ANULADA"): a copy of a cancelled one */
};

enum rxpdf_error {
	RXPDF_OK,
	RXPDF_BAD_INPUT,              /* a required field missing, counts out of range,
	                               * an item rxtext refuses, a short code not 10 */
	RXPDF_QR_FAILED,              /* the URL does not fit a QR code */
	RXPDF_RENDER_FAILED,          /* libharu failed, or memory ran out */
	RXPDF__MAX
};

/* Draw rx; on RXPDF_OK *out is a malloc'd PDF of *outlen bytes (about 5 KB
 * for three items) the caller frees. */
enum rxpdf_error rxpdf_render(const struct rxpdf *rx, unsigned char **out, size_t *outlen);

/* The short code as printed: "ABCDE-FGHIJ" from "ABCDEFGHIJ" (out has room
 * for 12 bytes). -1 when code is not 10 characters. */
int rxpdf_short_code(const char *code, char out[12]);

#endif
