/* labcat: column and row checks for the four lab catalog files. */
#include "labcat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

/* What a column may hold; each mirrors a CHECK of 024_lab_catalog.sql so
 * that a bad value is named with its line and column instead of failing
 * the load. */
enum col_type {
	COL_LOINC = 0,      /* a LOINC code with a right check digit */
	COL_OPT_LOINC,      /* the same, or empty (a conversion for any analyte) */
	COL_TEXT,           /* text, not empty */
	COL_KIND,           /* numeric, text or coded */
	COL_OPT_UNIT,       /* a UCUM unit or empty (none) */
	COL_UNIT,           /* a UCUM unit */
	COL_DECIMALS,       /* 0 to 4 */
	COL_OPT_NUMBER,     /* a decimal number (may be negative) or empty */
	COL_FACTOR,         /* a decimal number above 0 */
	COL_CHOICES,        /* answers separated by ';', or empty */
	COL_SEX,            /* female, male or any */
	COL_DAYS,           /* a whole number of days, 0 or more */
	COL_OPT_DAYS,       /* the same above 0, or empty (no upper bound) */
	COL_MEMBERS,        /* LOINC codes separated by ';', at least one */
	COL__MAX
};

struct column {
	const char *name;
	enum col_type type;
	size_t max;         /* bytes */
};

static const struct column analytes[] = {
	{ "code", COL_LOINC, 10 }, { "name_es", COL_TEXT, 200 }, { "name_en", COL_TEXT, 200 },
	{ "kind", COL_KIND, 7 }, { "unit", COL_OPT_UNIT, 40 }, { "decimals", COL_DECIMALS, 1 },
	{ "plausible_low", COL_OPT_NUMBER, 20 }, { "plausible_high", COL_OPT_NUMBER, 20 },
	{ "choices", COL_CHOICES, 400 }, { "normal_choices", COL_CHOICES, 400 },
	{ "source", COL_TEXT, 200 },
};
static const struct column conversions[] = {
	{ "analyte", COL_OPT_LOINC, 10 }, { "from_unit", COL_UNIT, 40 }, { "to_unit", COL_UNIT, 40 },
	{ "factor", COL_FACTOR, 30 }, { "source", COL_TEXT, 200 },
};
static const struct column panels[] = {
	{ "code", COL_LOINC, 10 }, { "name_es", COL_TEXT, 200 }, { "name_en", COL_TEXT, 200 },
	{ "members", COL_MEMBERS, 1800 }, { "source", COL_TEXT, 200 },
};
static const struct column ranges[] = {
	{ "analyte", COL_LOINC, 10 }, { "sex", COL_SEX, 6 }, { "age_min_days", COL_DAYS, 6 },
	{ "age_max_days", COL_OPT_DAYS, 6 }, { "low", COL_OPT_NUMBER, 20 },
	{ "high", COL_OPT_NUMBER, 20 }, { "critical_low", COL_OPT_NUMBER, 20 },
	{ "critical_high", COL_OPT_NUMBER, 20 }, { "source", COL_TEXT, 200 },
};

static const struct {
	const struct column *cols;
	size_t n;
	const char *header, *file;
} kinds[LABCAT__MAX] = {
	[LABCAT_ANALYTES] = { analytes, sizeof(analytes) / sizeof(analytes[0]),
		"code,name_es,name_en,kind,unit,decimals,plausible_low,plausible_high,choices,"
		"normal_choices,source", "analytes.csv" },
	[LABCAT_CONVERSIONS] = { conversions, sizeof(conversions) / sizeof(conversions[0]),
		"analyte,from_unit,to_unit,factor,source", "conversions.csv" },
	[LABCAT_PANELS] = { panels, sizeof(panels) / sizeof(panels[0]),
		"code,name_es,name_en,members,source", "panels.csv" },
	[LABCAT_RANGES] = { ranges, sizeof(ranges) / sizeof(ranges[0]),
		"analyte,sex,age_min_days,age_max_days,low,high,critical_low,critical_high,source",
		"ranges.csv" },
};

static const char *const value_texts[COL__MAX] = {
	[COL_LOINC] = "is not a LOINC code (digits, '-', the check digit: 718-7)",
	[COL_OPT_LOINC] = "is not a LOINC code (digits, '-', the check digit: 718-7) or empty",
	[COL_TEXT] = "is empty, too long, or holds a control character or surrounding spaces",
	[COL_KIND] = "is not numeric, text or coded",
	[COL_OPT_UNIT] = "is not a UCUM unit (such as g/dL, 10*3/uL, mmol/L) or empty",
	[COL_UNIT] = "is not a UCUM unit (such as g/dL, 10*3/uL, mmol/L)",
	[COL_DECIMALS] = "is not a number of decimals from 0 to 4",
	[COL_OPT_NUMBER] = "is not a number (digits, a '.' for decimals, '-' before a negative one) or empty",
	[COL_FACTOR] = "is not a number above 0 (digits, a '.' for decimals)",
	[COL_CHOICES] = "is not a list of 1 to 20 answers separated by ';' (letters, digits, spaces, + - . /)",
	[COL_SEX] = "is not female, male or any",
	[COL_DAYS] = "is not a whole number of days (0 to 999999)",
	[COL_OPT_DAYS] = "is not a whole number of days above 0 or empty",
	[COL_MEMBERS] = "is not a list of LOINC codes separated by ';' (such as 718-7;789-8)",
};

static const char *const kinds_of_result[] = { "numeric", "text", "coded", NULL };
static const char *const sexes[] = { "female", "male", "any", NULL };

int
labcat_is_loinc(const char *s)
{
	size_t digits = strspn(s, "0123456789");
	int sum = 0;

	if (digits < 1 || digits > 7 || s[digits] != '-' || s[digits + 1] < '0' || s[digits + 1] > '9' ||
	    s[digits + 2] != '\0')
		return 0;
	/* mod 10 (Luhn): from the right, every other digit doubled */
	for (size_t i = 0; i < digits; i++) {
		int d = s[digits - 1 - i] - '0';
		if (i % 2 == 0)
			d = d * 2 > 9 ? d * 2 - 9 : d * 2;
		sum += d;
	}
	return (10 - sum % 10) % 10 == s[digits + 1] - '0';
}

int
labcat_is_unit(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= 40 &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./*[]{}_%^-") == n;
}

/* A decimal number: -?digits(.digits)?; its value in *v. */
static int
is_number(const char *s, double *v)
{
	const char *p = s + (*s == '-');
	size_t digits = strspn(p, "0123456789");

	if (digits == 0)
		return 0;
	p += digits;
	if (*p == '.') {
		if ((digits = strspn(p + 1, "0123456789")) == 0)
			return 0;
		p += 1 + digits;
	}
	if (*p != '\0' || p - s > 20)
		return 0;
	*v = strtod(s, NULL);
	return 1;
}

static int
is_days(const char *s, int above_zero)
{
	size_t n = strspn(s, "0123456789");

	return n >= 1 && n <= 6 && s[n] == '\0' && !(above_zero && atol(s) == 0);
}

int
labcat_list_item(const char *list, size_t i, char *out, size_t outlen)
{
	const char *start = list, *end;
	size_t n;

	for (size_t k = 0; k < i; k++) {
		if ((start = strchr(start, ';')) == NULL)
			return 0;
		start++;
	}
	end = strchr(start, ';');
	n = end ? (size_t)(end - start) : strlen(start);
	if (n >= outlen)
		return 0;
	memcpy(out, start, n);
	out[n] = '\0';
	return 1;
}

/* One answer of a coded analyte: 1 to 40 bytes of lowercase letters,
 * digits, spaces (not at either end), '+', '-', '.', '/'. */
static int
is_choice(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= 40 && csv_clean_text(s, n) &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789 +-./") == n;
}

/* A ';'-separated list of 1 to max items, each passing item(), none twice. */
static int
is_item_list(const char *s, int (*item)(const char *), size_t max)
{
	char a[48], b[48];
	size_t n = 0, expected = 1;

	while (labcat_list_item(s, n, a, sizeof(a))) {
		if (!item(a))
			return 0;
		for (size_t j = 0; j < n; j++)
			if (labcat_list_item(s, j, b, sizeof(b)) && strcmp(a, b) == 0)
				return 0;
		n++;
	}
	/* an item too long to copy ends the walk early: then n is short of
	 * the separators + 1 */
	for (const char *c = s; *c; c++)
		expected += *c == ';';
	return n == expected && n <= max;
}

static int
is_loinc_item(const char *s)
{
	return labcat_is_loinc(s);
}

static int
value_ok(const struct column *c, const char *v)
{
	size_t len = strlen(v);
	double x;

	if (len > c->max)
		return 0;
	switch (c->type) {
	case COL_LOINC: return labcat_is_loinc(v);
	case COL_OPT_LOINC: return len == 0 || labcat_is_loinc(v);
	case COL_TEXT: return len > 0 && csv_clean_text(v, len);
	case COL_KIND: return csv_one_of(v, kinds_of_result);
	case COL_OPT_UNIT: return len == 0 || labcat_is_unit(v);
	case COL_UNIT: return labcat_is_unit(v);
	case COL_DECIMALS: return len == 1 && v[0] >= '0' && v[0] <= '4';
	case COL_OPT_NUMBER: return len == 0 || is_number(v, &x);
	case COL_FACTOR: return v[0] != '-' && is_number(v, &x) && x > 0;
	case COL_CHOICES: return len == 0 || is_item_list(v, is_choice, 20);
	case COL_SEX: return csv_one_of(v, sexes);
	case COL_DAYS: return is_days(v, 0);
	case COL_OPT_DAYS: return len == 0 || is_days(v, 1);
	case COL_MEMBERS: return is_item_list(v, is_loinc_item, 200);
	default: return 0;
	}
}

/* The line is malformed at column col: why. */
static enum labcat_status
bad(struct labcat_row *row, size_t col, const char *why)
{
	row->bad_column = col;
	row->why = why;
	return LABCAT_BAD_VALUE;
}

/* A number column's value; 0 when empty. */
static int
num(const struct labcat_row *row, size_t col, double *v)
{
	return row->field[col][0] != '\0' && is_number(row->field[col], v);
}

/* An analyte: a coded one lists its answers (2 or more) and its normal
 * ones among them; only a numeric one has plausible limits, in order. */
static enum labcat_status
analyte_rules(struct labcat_row *row)
{
	const char *const *f = row->field;
	int coded = strcmp(f[3], "coded") == 0, numeric = strcmp(f[3], "numeric") == 0;
	char a[48];
	double lo, hi;

	if (coded != (f[8][0] != '\0') || (coded && !labcat_list_item(f[8], 1, a, sizeof(a))))
		return bad(row, 8, "must list two answers or more for a coded analyte, and none for another");
	if (numeric && f[9][0] != '\0')
		return bad(row, 9, "must be empty for a numeric analyte (its ranges say what is normal)");
	for (size_t i = 0; f[9][0] && labcat_list_item(f[9], i, a, sizeof(a)); i++) {
		char c[48];
		int found = !coded;
		for (size_t j = 0; coded && labcat_list_item(f[8], j, c, sizeof(c)); j++)
			found |= strcmp(a, c) == 0;
		if (!found)
			return bad(row, 9, "names an answer that is not in choices");
	}
	if (!numeric && (f[6][0] || f[7][0]))
		return bad(row, f[6][0] ? 6 : 7, "must be empty for an analyte that is not numeric");
	if (num(row, 6, &lo) && num(row, 7, &hi) && lo >= hi)
		return bad(row, 7, "is not above plausible_low");
	return LABCAT_OK;
}

/* A range: an age band that ends after it starts; low below high; the
 * critical limits beyond the range and in order; a limit at least. */
static enum labcat_status
range_rules(struct labcat_row *row)
{
	double lo = 0, hi = 0, clo = 0, chi = 0;
	int has_lo = num(row, 4, &lo), has_hi = num(row, 5, &hi);
	int has_clo = num(row, 6, &clo), has_chi = num(row, 7, &chi);

	if (row->field[3][0] && atol(row->field[3]) <= atol(row->field[2]))
		return bad(row, 3, "is not above age_min_days (the band is [min, max) in days)");
	if (!has_lo && !has_hi)
		return bad(row, 4, "and high are both empty: a range needs one limit at least");
	if (has_lo && has_hi && lo >= hi)
		return bad(row, 5, "is not above low");
	if (has_clo && has_lo && clo >= lo)
		return bad(row, 6, "is not below low");
	if (has_chi && has_hi && chi <= hi)
		return bad(row, 7, "is not above high");
	if (has_clo && has_chi && clo >= chi)
		return bad(row, 7, "is not above critical_low");
	return LABCAT_OK;
}

enum labcat_status
labcat_parse_line(enum labcat_kind k, int header_seen, const char *line, size_t len,
                  struct labcat_row *out)
{
	int nf;

	if (line == NULL || out == NULL || (unsigned)k >= LABCAT__MAX)
		return LABCAT_BAD_FIELDS;
	switch (csv_catalog_line(line, &len, LABCAT_LINE_MAX, header_seen, kinds[k].header)) {
	case CSV_LINE_BAD_LENGTH: return LABCAT_BAD_LENGTH;
	case CSV_LINE_SKIP: return LABCAT_SKIP;
	case CSV_LINE_HEADER: return LABCAT_HEADER;
	case CSV_LINE_BAD_HEADER: return LABCAT_BAD_HEADER;
	default: break;
	}
	nf = csv_split(CSV_COMMA, line, len, out->buf, sizeof(out->buf), out->field, LABCAT_FIELDS_MAX);
	if (nf < 0 || (size_t)nf != kinds[k].n)
		return LABCAT_BAD_FIELDS;
	out->nfields = (size_t)nf;
	for (size_t i = 0; i < out->nfields; i++)
		if (!value_ok(&kinds[k].cols[i], out->field[i]))
			return bad(out, i, value_texts[kinds[k].cols[i].type]);
	if (k == LABCAT_ANALYTES)
		return analyte_rules(out);
	if (k == LABCAT_RANGES)
		return range_rules(out);
	if (k == LABCAT_CONVERSIONS && strcmp(out->field[1], out->field[2]) == 0)
		return bad(out, 2, "is the same unit as from_unit");
	return LABCAT_OK;
}

size_t
labcat_columns(enum labcat_kind k)
{
	return (unsigned)k < LABCAT__MAX ? kinds[k].n : 0;
}

const char *
labcat_column_name(enum labcat_kind k, size_t i)
{
	return (unsigned)k < LABCAT__MAX && i < kinds[k].n ? kinds[k].cols[i].name : "";
}

const char *
labcat_header(enum labcat_kind k)
{
	return (unsigned)k < LABCAT__MAX ? kinds[k].header : "";
}

const char *
labcat_file_name(enum labcat_kind k)
{
	return (unsigned)k < LABCAT__MAX ? kinds[k].file : "";
}

enum labcat_kind
labcat_kind_of_file(const char *path)
{
	const char *base = path ? strrchr(path, '/') : NULL;

	base = base ? base + 1 : path;
	for (int k = 0; base && k < LABCAT__MAX; k++)
		if (strcmp(base, kinds[k].file) == 0)
			return (enum labcat_kind)k;
	return LABCAT__MAX;
}

char *
labcat_problem(enum labcat_kind k, enum labcat_status st, const struct labcat_row *row,
               char *buf, size_t len)
{
	switch (st) {
	case LABCAT_OK: snprintf(buf, len, "the line is valid"); break;
	case LABCAT_SKIP: snprintf(buf, len, "the line is blank or a comment"); break;
	case LABCAT_HEADER: snprintf(buf, len, "the line is the header"); break;
	case LABCAT_BAD_LENGTH:
		csv_line_problem(CSV_LINE_BAD_LENGTH, LABCAT_LINE_MAX, 0, "", buf, len);
		break;
	case LABCAT_BAD_HEADER:
		csv_line_problem(CSV_LINE_BAD_HEADER, 0, 0, labcat_header(k), buf, len);
		break;
	case LABCAT_BAD_FIELDS:
		csv_line_problem(CSV_LINE_BAD_FIELDS, 0, labcat_columns(k), labcat_header(k), buf, len);
		break;
	case LABCAT_BAD_VALUE:
		if (row && row->bad_column < labcat_columns(k) && row->why)
			snprintf(buf, len, "column %zu (%s) %s", row->bad_column + 1,
			         labcat_column_name(k, row->bad_column), row->why);
		else
			snprintf(buf, len, "a value is not what its column may hold");
		break;
	default: snprintf(buf, len, "unknown status"); break;
	}
	return buf;
}
