/* vitals: what the vital-signs files share (fcgi/pages/record/vitals.c:
 * the pages and routes; vitals_entry.c: entry and correction;
 * vitals_value.c: the measures, their units and ranges, numbers typed
 * with a decimal point or comma). */
#ifndef MEDSYS_PAGES_VITALS_H
#define MEDSYS_PAGES_VITALS_H

#include <stddef.h>

struct db_result;
struct req;

/* The values a reading may hold, in the order of the form and of the
 * columns of ehr.vital_versions. */
enum vital_field {
	VF_SYSTOLIC = 0,
	VF_DIASTOLIC,
	VF_HEART_RATE,
	VF_TEMPERATURE,
	VF_WEIGHT,
	VF_HEIGHT,
	VF_SPO2,
	VF_GLUCOSE,
	VF__MAX
};

/* A field: its form name, the decimals it takes and its plausibility
 * range in hundredths (the CHECKs of ehr.vital_versions, migration 012). */
struct vital_spec {
	const char *name;        /* form field and language key (vitals.f.<name>) */
	int decimals;            /* 0, 1 or 2 */
	long min, max;           /* hundredths of the unit */
};

extern const struct vital_spec vital_specs[VF__MAX];

/* What vitals_parse found in a typed value. */
enum vital_parse {
	VP_OK = 0,
	VP_EMPTY,                /* nothing typed: not taken */
	VP_NOT_NUMBER,           /* not digits with one optional '.' or ',' */
	VP_DECIMALS,             /* more decimals than the field keeps */
	VP_RANGE,                /* a number outside the plausibility range */
	VP__MAX
};

/* Parse s (trimmed) as a value of field f: digits, optionally one '.'
 * or ',' and up to the field's decimals ("36,6" and "36.6" alike). On
 * VP_OK and VP_RANGE *hundredths holds the value. */
enum vital_parse vitals_parse(enum vital_field f, const char *s, long *hundredths);

/* hundredths as a number with the field's decimals at most, trailing
 * zeros dropped, with the decimal separator of lang ("0,3" in es);
 * arena string. */
const char *vitals_format(struct req *r, long hundredths, const char *lang);

/* A database number ("36.6", "70.50", "") for display in r's language:
 * the decimal point as lang writes it, trailing zeros after it dropped.
 * "" stays "". Arena string. */
const char *vitals_display(struct req *r, const char *db_number);

/* Check every value field of r's form (after form_validate stored them)
 * and put each parsed value, as text with '.' for SQL (NULL: not taken),
 * into out. Problems become messages on the fields, the range one
 * naming value, unit and range. Returns the number of fields in error. */
int vitals_check_values(struct req *r, const char *out[VF__MAX]);

/* The chart of the chosen measure as inline SVG in Data.trend_svg (nothing
 * when there is nothing to draw): res holds vitals_series' rows for
 * range, grouped by unit ("reading", "day", "week"...), col the measure's column, col2 a second one (diastolic) or -1;
 * now is the clinic's local time in seconds since 1970 (the window's end). */
void vitals_chart(struct req *r, struct db_result *res, int col, int col2, const char *measure,
                  const char *range, const char *unit, long long now);

/* Handlers. */
int vitals_page(struct req *r);
int vitals_new(struct req *r);
int vitals_add(struct req *r);
int vitals_reading(struct req *r);
int vitals_reading_post(struct req *r);

#endif
