/* rxtext: a prescription item's structured instruction in plain words,
 * Spanish or English ("1 tablet by mouth every 8 hours for 7 days"), and
 * the dose arithmetic the prescribing checks need (doses a day, the
 * quantity for the duration, mg a day). Pure: no I/O, no globals written. */
#ifndef MEDSYS_RXTEXT_H
#define MEDSYS_RXTEXT_H

#include <stddef.h>

/* The language of the words: the patient's, for their document. */
enum rx_lang {
	RX_LANG_ES,
	RX_LANG_EN,
	RX_LANG__MAX
};

/* "es" or "en" (also "es-ES", "en_GB"...); anything else is Spanish, the
 * clinic's default language. */
enum rx_lang rx_lang_parse(const char *code);

/* Why an instruction cannot be put in words. */
enum rxtext_error {
	RXTEXT_OK,
	RXTEXT_BAD_AMOUNT,       /* dose not in (0, RXTEXT_AMOUNT_MAX] or below 0.001 */
	RXTEXT_BAD_UNIT,         /* dose_unit not 1..20 letters or '_' (a unit
	                          * rxtext has no name for is printed as it is) */
	RXTEXT_BAD_ROUTE,        /* route not one of rxtext_route_code()'s */
	RXTEXT_BAD_EVERY,        /* every_hours not 0 (a single dose) or 1..RXTEXT_EVERY_MAX */
	RXTEXT_BAD_DURATION,     /* duration_days not 0 (none) or 1..RXTEXT_DAYS_MAX */
	RXTEXT_DURATION_CONFLICT,/* both a duration and "until told", or a
	                          * duration or "until told" for a single dose */
	RXTEXT_ADVICE_TOO_LONG,  /* advice over RXTEXT_ADVICE_MAX bytes */
	RXTEXT__MAX
};

#define RXTEXT_AMOUNT_MAX 10000.0  /* of one dose, in its unit */
#define RXTEXT_EVERY_MAX 720       /* hours: once a month at the least */
#define RXTEXT_DAYS_MAX 366
#define RXTEXT_ADVICE_MAX 500
#define RXTEXT_LINE_MAX 1024       /* bytes enough for any instruction */

/* One item's instruction, as rx.items stores it (docs/prescriptions.md). */
struct rx_instr {
	double dose_amount;       /* of dose_unit, e.g. 2.5; at most 3 decimals count */
	const char *dose_unit;    /* "tablet", "capsule", "mL", "puff", "drop",
	                           * "application", "sachet", "unit", "mg"...
	                           * (rx.products.dose_unit) */
	const char *route;        /* ehr.medication_versions.route: "oral"... */
	int every_hours;          /* 0: a single dose */
	int as_needed;
	int duration_days;        /* 0: none given */
	int until_told;           /* "until told otherwise" */
	const char *advice;       /* free text or NULL/"": appended as a sentence */
};

/* RXTEXT_OK when in can be put in words, else the first reason why not. */
enum rxtext_error rxtext_check(const struct rx_instr *in);

/* The instruction in lang into out (len bytes, NUL-terminated when len >
 * 0): "1 tablet by mouth every 8 hours for 7 days. Take with food." The
 * length it needs (without the NUL), like snprintf, or -1 when
 * rxtext_check refuses in. */
int rxtext_instruction(const struct rx_instr *in, enum rx_lang lang, char *out, size_t len);

/* An amount as people write it in lang: "2.5" / "2,5", "0.25", "10";
 * rounded to 3 decimals, no trailing zeros. Length needed, like snprintf. */
int rxtext_amount(double amount, enum rx_lang lang, char *out, size_t len);

/* "21 tablets", "1 comprimido", "35 mL", in lang (a code rxtext does not
 * know is printed as it is). Length needed, like snprintf. */
int rxtext_quantity(double amount, const char *unit, enum rx_lang lang, char *out, size_t len);

/* The dose units and routes rxtext knows, for forms and checks: the i-th
 * code, or NULL past the end; and its name in lang (the unit's plural). */
const char *rxtext_unit_code(size_t i);
const char *rxtext_unit_name(const char *code, enum rx_lang lang);
const char *rxtext_route_code(size_t i);
const char *rxtext_route_name(const char *code, enum rx_lang lang);

/* Doses in a day at the fastest the instruction allows (an "as needed"
 * item at every chance): 24 / every_hours, or 1 for a single dose; 0 when
 * rxtext_check refuses in. */
double rxtext_doses_per_day(const struct rx_instr *in);

/* Units of dose_unit for the whole duration, rounded up to a whole number
 * (the quantity to suggest): doses = ceil(days * 24 / every_hours), times
 * the dose; a single dose is one dose. -1 when there is no end to count to
 * (until told, or no duration) or rxtext_check refuses in. */
long rxtext_total_units(const struct rx_instr *in);

/* Milligrams a day for the maximum-dose check: dose x mg per unit x doses
 * a day. unit_mg is rx.products.unit_mg (mg of the first ingredient in one
 * dose_unit); a dose in "mg", "g" or "mcg" needs none. -1 when unknown (no
 * unit_mg for a count unit) or rxtext_check refuses in. */
double rxtext_mg_per_day(const struct rx_instr *in, double unit_mg);

#endif
