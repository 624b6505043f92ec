/* vitals_value: the measures of a vital-signs reading, their plausibility
 * ranges and the numbers users type ("36,6" or "36.6"). */
#include "pages/record/vitals.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/request.h"
#include "core/validate.h"
#include "core/view.h"

/* The ranges are the CHECKs of ehr.vital_versions (012_ehr_record.sql),
 * checked here first so that the form can say which value is wrong and
 * why; docs/record.md "Vital signs" names their sources. */
const struct vital_spec vital_specs[VF__MAX] = {
	[VF_SYSTOLIC]    = { "systolic",    0,  5000,  30000 },
	[VF_DIASTOLIC]   = { "diastolic",   0,  2000,  20000 },
	[VF_HEART_RATE]  = { "heart_rate",  0,  2000,  30000 },
	[VF_TEMPERATURE] = { "temperature", 1,  2500,   4500 },
	[VF_WEIGHT]      = { "weight",      2,    30,  40000 },
	[VF_HEIGHT]      = { "height",      1,  2000,  26000 },
	[VF_SPO2]        = { "spo2",        0,  5000,  10000 },
	[VF_GLUCOSE]     = { "glucose",     0,  1000, 150000 },
};

enum vital_parse
vitals_parse(enum vital_field f, const char *s, long *hundredths)
{
	char fd[8];
	long whole = 0, frac = 0;
	int ndig = 0, nfrac = 0;
	const char *p = s;

	if (s == NULL || *s == '\0')
		return VP_EMPTY;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (++ndig > 6)
			return VP_NOT_NUMBER;
		whole = whole * 10 + (*p - '0');
	}
	if (ndig == 0)
		return VP_NOT_NUMBER;
	if (*p == '.' || *p == ',') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (nfrac == (int)sizeof(fd))
				return VP_DECIMALS;
			fd[nfrac++] = *p;
		}
		if (nfrac == 0)
			return VP_NOT_NUMBER;
	}
	if (*p != '\0')
		return VP_NOT_NUMBER;
	/* "70,50" is 70.5: zeros at the end say nothing more. */
	while (nfrac > vital_specs[f].decimals && fd[nfrac - 1] == '0')
		nfrac--;
	if (nfrac > vital_specs[f].decimals)
		return VP_DECIMALS;
	for (int i = 0; i < 2; i++)
		frac = frac * 10 + (i < nfrac ? fd[i] - '0' : 0);
	*hundredths = whole * 100 + frac;
	if (*hundredths < vital_specs[f].min || *hundredths > vital_specs[f].max)
		return VP_RANGE;
	return VP_OK;
}

/* The decimal separator of a language. */
static char
decimal_mark(const char *lang)
{
	return lang && strcmp(lang, "en") == 0 ? '.' : ',';
}

const char *
vitals_format(struct req *r, long hundredths, const char *lang)
{
	long whole = hundredths / 100, frac = hundredths % 100;

	if (frac == 0)
		return arena_printf(r->arena, "%ld", whole);
	if (frac % 10 == 0)
		return arena_printf(r->arena, "%ld%c%ld", whole, decimal_mark(lang), frac / 10);
	return arena_printf(r->arena, "%ld%c%02ld", whole, decimal_mark(lang), frac);
}

const char *
vitals_display(struct req *r, const char *db_number)
{
	char *s = arena_strdup(r->arena, db_number ? db_number : "");
	char *dot;

	if (s == NULL || (dot = strchr(s, '.')) == NULL)
		return s ? s : "";
	for (char *e = s + strlen(s) - 1; e > dot && *e == '0'; e--)
		*e = '\0';
	if (dot[1] == '\0')
		*dot = '\0';
	else
		*dot = decimal_mark(r->lang);
	return s;
}

/* Replace each "{name}" of text by its value (names[i], values[i]). */
static const char *
fill(struct req *r, const char *text, const char *const *names, const char *const *values, size_t n)
{
	const char *out = text;

	for (size_t i = 0; i < n && out; i++) {
		const char *at;
		while (out && (at = strstr(out, names[i])) != NULL)
			out = arena_printf(r->arena, "%.*s%s%s", (int)(at - out), out, values[i],
			                   at + strlen(names[i]));
	}
	return out ? out : text;
}

/* The message of a value outside its range: "A weight of 700 kg is
 * outside 0.3–400 kg: check the value and its unit." */
static void
range_error(struct req *r, enum vital_field f, const char *typed)
{
	const struct vital_spec *sp = &vital_specs[f];
	const char *names[] = { "{what}", "{value}", "{unit}", "{min}", "{max}" };
	const char *values[] = {
		view_lang(r->view, arena_printf(r->arena, "vitals.f.%s.what", sp->name)),
		typed,
		view_lang(r->view, arena_printf(r->arena, "vitals.f.%s.unit", sp->name)),
		vitals_format(r, sp->min, r->lang),
		vitals_format(r, sp->max, r->lang),
	};

	form_error(r, sp->name, "vitals.errors.range");
	view_set(r->view, fill(r, view_lang(r->view, "vitals.errors.range"), names, values, 5),
	         "Form.errors.%s", sp->name);
}

int
vitals_check_values(struct req *r, const char *out[VF__MAX])
{
	long v[VF__MAX];
	int errors = 0, given = 0;

	for (int f = 0; f < VF__MAX; f++) {
		const char *typed = form_value(r, vital_specs[f].name);
		enum vital_parse st = vitals_parse((enum vital_field)f, typed, &v[f]);

		out[f] = NULL;
		if (st == VP_OK) {
			out[f] = vitals_format(r, v[f], "en");
			given++;
		} else if (st == VP_RANGE) {
			range_error(r, (enum vital_field)f, typed);
			errors++;
		} else if (st != VP_EMPTY) {
			form_error(r, vital_specs[f].name, st == VP_DECIMALS
			           ? arena_printf(r->arena, "vitals.errors.decimals%d", vital_specs[f].decimals)
			           : "vitals.errors.number");
			errors++;
		}
	}
	/* Blood pressure is one measurement: both numbers, the first higher. */
	if (errors == 0 && (out[VF_SYSTOLIC] == NULL) != (out[VF_DIASTOLIC] == NULL)) {
		form_error(r, out[VF_SYSTOLIC] ? "diastolic" : "systolic", "vitals.errors.bp_pair");
		errors++;
	} else if (errors == 0 && out[VF_SYSTOLIC] && v[VF_SYSTOLIC] <= v[VF_DIASTOLIC]) {
		form_error(r, "diastolic", "vitals.errors.bp_order");
		errors++;
	}
	if (errors == 0 && given == 0) {
		form_error(r, "systolic", "vitals.errors.none");
		errors++;
	}
	return errors;
}
