/* formulary: column checks for the three prescription catalog files. */
#include "formulary.h"

#include <stdio.h>
#include <string.h>

#include "csv.h"

/* What a column may hold; each mirrors a CHECK of 018_rx_catalog.sql so
 * that a bad value is named with its line instead of failing the load. */
enum col_type {
	COL_CODE = 0,       /* a product code: [a-z0-9]+ then -[a-z0-9.]+ parts */
	COL_ATC,            /* a 7-character ATC code */
	COL_INGREDIENTS,    /* INNs separated by ';', at least one */
	COL_CLASSES,        /* class names separated by ';', may be empty */
	COL_TEXT,           /* text, not empty */
	COL_OPT_TEXT,       /* text, may be empty */
	COL_TERM,           /* text without '|' (the import's key separator) */
	COL_WORD,           /* a lowercase word with '_' (a dose form) */
	COL_ROUTE,          /* one of routes[] */
	COL_UNIT,           /* letters and '_' (a dose unit: "tablet", "mL") */
	COL_NUMBER,         /* a positive decimal number, or empty */
	COL_PREGNANCY,      /* one of pregnancy[] */
	COL_YESNO,          /* "yes" or "no" */
	COL_REF,            /* a drug reference (fcat_is_drug_ref) */
	COL_SEVERITY,       /* one of severities[] */
	COL__MAX
};

struct column {
	const char *name;
	enum col_type type;
	size_t max;         /* bytes */
};

static const struct column products[] = {
	{ "code", COL_CODE, 80 }, { "atc", COL_ATC, 7 },
	{ "ingredients", COL_INGREDIENTS, 400 }, { "classes", COL_CLASSES, 400 },
	{ "name_es", COL_TEXT, 200 }, { "name_en", COL_TEXT, 200 },
	{ "brands", COL_OPT_TEXT, 400 }, { "strength", COL_TEXT, 80 },
	{ "dose_form", COL_WORD, 40 }, { "route", COL_ROUTE, 20 }, { "dose_unit", COL_UNIT, 20 },
	{ "unit_mg", COL_NUMBER, 12 }, { "max_daily_mg", COL_NUMBER, 12 },
	{ "max_daily_mg_kg", COL_NUMBER, 12 }, { "pregnancy", COL_PREGNANCY, 12 },
	{ "eml", COL_YESNO, 3 }, { "source", COL_TEXT, 200 },
};
static const struct column interactions[] = {
	{ "a", COL_REF, 80 }, { "b", COL_REF, 80 }, { "severity", COL_SEVERITY, 20 },
	{ "effect_es", COL_TEXT, 300 }, { "effect_en", COL_TEXT, 300 }, { "source", COL_TEXT, 200 },
};
static const struct column allergy_terms[] = {
	{ "term", COL_TERM, 80 }, { "matches", COL_REF, 80 }, { "source", COL_TEXT, 200 },
};

static const struct {
	const struct column *cols;
	size_t n;
	const char *header;
	const char *name;
} kinds[FCAT__MAX] = {
	[FCAT_PRODUCTS] = { products, sizeof(products) / sizeof(products[0]),
		"code,atc,ingredients,classes,name_es,name_en,brands,strength,dose_form,route,"
		"dose_unit,unit_mg,max_daily_mg,max_daily_mg_kg,pregnancy,eml,source", "formulary" },
	[FCAT_INTERACTIONS] = { interactions, sizeof(interactions) / sizeof(interactions[0]),
		"a,b,severity,effect_es,effect_en,source", "interactions" },
	[FCAT_ALLERGY_TERMS] = { allergy_terms, sizeof(allergy_terms) / sizeof(allergy_terms[0]),
		"term,matches,source", "allergy-terms" },
};

/* The values of ehr.medication_versions.route (012_ehr_record.sql). */
static const char *const routes[] = {
	"oral", "topical", "inhaled", "subcutaneous", "intramuscular", "intravenous",
	"ophthalmic", "nasal", "rectal", "vaginal", "transdermal", "sublingual", "other", NULL
};
static const char *const pregnancy[] = { "avoid", "caution", "compatible", "unknown", NULL };
static const char *const severities[] = { "contraindicated", "major", "moderate", NULL };
static const char *const yesno[] = { "yes", "no", NULL };

static const char *const value_texts[COL__MAX] = {
	[COL_CODE] = "is not a product code (lowercase letters and digits in parts joined by '-', "
	             "such as amoxicillin-500mg-caps)",
	[COL_ATC] = "is not a 7-character ATC code (such as J01CA04)",
	[COL_INGREDIENTS] = "is not a list of ingredients (lowercase INN names separated by ';')",
	[COL_CLASSES] = "is not a list of classes (lowercase words with '_', separated by ';')",
	[COL_TEXT] = "is empty, too long, or holds a control character or surrounding spaces",
	[COL_OPT_TEXT] = "is too long, or holds a control character or surrounding spaces",
	[COL_TERM] = "is empty, too long, or holds '|', a control character or surrounding spaces",
	[COL_WORD] = "is not a lowercase word (letters and '_', such as tablet or oral_solution)",
	[COL_ROUTE] = "is not a route (oral, topical, inhaled, subcutaneous, intramuscular, intravenous, "
	              "ophthalmic, nasal, rectal, vaginal, transdermal, sublingual or other)",
	[COL_UNIT] = "is not a dose unit (letters and '_', such as tablet, mL or puff)",
	[COL_NUMBER] = "is not a positive number (digits, a '.' for decimals) or empty",
	[COL_PREGNANCY] = "is not avoid, caution, compatible or unknown",
	[COL_YESNO] = "is not yes or no",
	[COL_REF] = "is not an ingredient (lowercase INN), class:NAME or atc:PREFIX",
	[COL_SEVERITY] = "is not contraindicated, major or moderate",
};

static int
is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* An INN as the catalogs spell it: lowercase words joined by a space or
 * '-' ("valproic acid", "co-trimoxazole"), ending in a letter or digit. */
static int
is_inn(const char *s, size_t len)
{
	if (len == 0 || !is_lower(s[0]))
		return 0;
	for (size_t i = 1; i < len; i++)
		if (!is_lower(s[i]) && !is_digit(s[i]) && s[i] != ' ' && s[i] != '-')
			return 0;
	return is_lower(s[len - 1]) || is_digit(s[len - 1]);
}

static int
is_class_name(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!is_lower(s[i]) && !is_digit(s[i]) && s[i] != '_')
			return 0;
	return 1;
}

/* A ';'-separated list whose every item passes item(); empty allowed
 * only when may_be_empty. */
static int
is_list(const char *s, int (*item)(const char *, size_t), int may_be_empty)
{
	if (*s == '\0')
		return may_be_empty;
	for (;;) {
		const char *end = strchr(s, ';');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		if (!item(s, n))
			return 0;
		if (end == NULL)
			return 1;
		s = end + 1;
	}
}

int
fcat_is_atc(const char *s)
{
	static const char shape[] = "LDDLLDD";   /* letter or digit at each place */

	if (s == NULL || strlen(s) != 7)
		return 0;
	for (size_t i = 0; i < 7; i++)
		if (shape[i] == 'L' ? !(s[i] >= 'A' && s[i] <= 'Z') : !is_digit(s[i]))
			return 0;
	return 1;
}

int
fcat_is_drug_ref(const char *s)
{
	size_t len;

	if (s == NULL || (len = strlen(s)) == 0 || len > 80)
		return 0;
	if (strncmp(s, "class:", 6) == 0)
		return is_class_name(s + 6, len - 6);
	if (strncmp(s, "atc:", 4) == 0) {
		if (len < 5 || len > 11 || !(s[4] >= 'A' && s[4] <= 'Z'))
			return 0;
		for (size_t i = 5; i < len; i++)
			if (!(s[i] >= 'A' && s[i] <= 'Z') && !is_digit(s[i]))
				return 0;
		return 1;
	}
	return is_inn(s, len);
}

static int
is_code(const char *s)
{
	int part_start = 1;

	if (!is_lower(*s) && !is_digit(*s))
		return 0;
	for (; *s; s++) {
		if (*s == '-') {
			if (part_start)
				return 0;
			part_start = 1;
			continue;
		}
		if (!is_lower(*s) && !is_digit(*s) && !(*s == '.' && !part_start))
			return 0;
		part_start = 0;
	}
	return !part_start;
}

static int
is_number(const char *s)
{
	size_t digits = strspn(s, "0123456789");
	int nonzero = 0;

	if (*s == '\0')
		return 1;                 /* empty: no value */
	if (digits == 0)
		return 0;
	if (s[digits] == '.' && strspn(s + digits + 1, "0123456789") > 0)
		digits += 1 + strspn(s + digits + 1, "0123456789");
	for (size_t i = 0; i < digits; i++)
		nonzero |= s[i] >= '1' && s[i] <= '9';
	return s[digits] == '\0' && nonzero;
}

static int
is_word(const char *s, int allow_upper)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!is_lower(*s) && *s != '_' && !(allow_upper && *s >= 'A' && *s <= 'Z'))
			return 0;
	return 1;
}

static int
value_ok(const struct column *c, const char *v)
{
	size_t len = strlen(v);

	if (len > c->max)
		return 0;
	switch (c->type) {
	case COL_CODE: return is_code(v);
	case COL_ATC: return fcat_is_atc(v);
	case COL_INGREDIENTS: return is_list(v, is_inn, 0);
	case COL_CLASSES: return is_list(v, is_class_name, 1);
	case COL_TEXT: return len > 0 && csv_clean_text(v, len);
	case COL_OPT_TEXT: return csv_clean_text(v, len);
	case COL_TERM: return len > 1 && csv_clean_text(v, len) && strchr(v, '|') == NULL;
	case COL_WORD: return is_word(v, 0);
	case COL_ROUTE: return csv_one_of(v, routes);
	case COL_UNIT: return is_word(v, 1);
	case COL_NUMBER: return is_number(v);
	case COL_PREGNANCY: return csv_one_of(v, pregnancy);
	case COL_YESNO: return csv_one_of(v, yesno);
	case COL_REF: return fcat_is_drug_ref(v);
	case COL_SEVERITY: return csv_one_of(v, severities);
	default: return 0;
	}
}

enum fcat_status
fcat_parse_line(enum fcat_kind k, int header_seen, const char *line, size_t len,
                struct fcat_row *out)
{
	const struct column *cols;
	int nf;

	if (line == NULL || out == NULL || (unsigned)k >= FCAT__MAX)
		return FCAT_BAD_FIELDS;
	switch (csv_catalog_line(line, &len, FCAT_LINE_MAX, header_seen, kinds[k].header)) {
	case CSV_LINE_BAD_LENGTH: return FCAT_BAD_LENGTH;
	case CSV_LINE_SKIP: return FCAT_SKIP;
	case CSV_LINE_HEADER: return FCAT_HEADER;
	case CSV_LINE_BAD_HEADER: return FCAT_BAD_HEADER;
	default: break;
	}
	cols = kinds[k].cols;
	nf = csv_split(CSV_COMMA, line, len, out->buf, sizeof(out->buf), out->field, FCAT_FIELDS_MAX);
	if (nf < 0 || (size_t)nf != kinds[k].n)
		return FCAT_BAD_FIELDS;
	out->nfields = (size_t)nf;
	for (size_t i = 0; i < out->nfields; i++) {
		if (!value_ok(&cols[i], out->field[i])) {
			out->bad_column = i;
			return FCAT_BAD_VALUE;
		}
	}
	if (k == FCAT_INTERACTIONS && strcmp(out->field[0], out->field[1]) == 0)
		return FCAT_BAD_PAIR;
	return FCAT_OK;
}

size_t
fcat_columns(enum fcat_kind k)
{
	return (unsigned)k < FCAT__MAX ? kinds[k].n : 0;
}

const char *
fcat_column_name(enum fcat_kind k, size_t i)
{
	return (unsigned)k < FCAT__MAX && i < kinds[k].n ? kinds[k].cols[i].name : "";
}

const char *
fcat_header(enum fcat_kind k)
{
	return (unsigned)k < FCAT__MAX ? kinds[k].header : "";
}

char *
fcat_problem(enum fcat_kind k, enum fcat_status st, const struct fcat_row *row,
             char *buf, size_t len)
{
	const char *h = fcat_header(k);

	switch (st) {
	case FCAT_OK: snprintf(buf, len, "the line is valid"); break;
	case FCAT_SKIP: snprintf(buf, len, "the line is blank or a comment"); break;
	case FCAT_HEADER: snprintf(buf, len, "the line is the header"); break;
	case FCAT_BAD_LENGTH:
		csv_line_problem(CSV_LINE_BAD_LENGTH, FCAT_LINE_MAX, 0, "", buf, len);
		break;
	case FCAT_BAD_HEADER:
		csv_line_problem(CSV_LINE_BAD_HEADER, 0, 0, h, buf, len);
		break;
	case FCAT_BAD_FIELDS:
		csv_line_problem(CSV_LINE_BAD_FIELDS, 0, fcat_columns(k), h, buf, len);
		break;
	case FCAT_BAD_VALUE:
		if (row && row->bad_column < fcat_columns(k)) {
			const struct column *c = &kinds[k].cols[row->bad_column];
			snprintf(buf, len, "column %zu (%s) %s", row->bad_column + 1, c->name,
			         value_texts[c->type]);
		} else {
			snprintf(buf, len, "a value is not what its column may hold");
		}
		break;
	case FCAT_BAD_PAIR: snprintf(buf, len, "a and b name the same drug"); break;
	default: snprintf(buf, len, "unknown status"); break;
	}
	return buf;
}

enum fcat_kind
fcat_kind_named(const char *name)
{
	for (int k = 0; name && k < FCAT__MAX; k++)
		if (strcmp(name, kinds[k].name) == 0)
			return (enum fcat_kind)k;
	return FCAT__MAX;
}
