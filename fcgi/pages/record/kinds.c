/* kinds: the record's kinds of entries described as data (fields, choices,
 * statements), and the one way entries are shown, put in a form and
 * checked, whatever their kind. */
#include "pages/page.h"
#include "pages/record/record.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/request.h"
#include "core/validate.h"
#include "core/view.h"

/* Choices as the schema (sql/migrations/012_ehr_record.sql) lists them;
 * the first is what a new entry's form proposes. */
static const char *const problem_status[] = { "active", "resolved", "entered_in_error", NULL };
static const char *const allergy_type[] = { "allergy", "intolerance", NULL };
static const char *const allergy_category[] = { "medication", "food", "environment", "biologic", "other", NULL };
static const char *const allergy_severity[] = { "unknown", "mild", "moderate", "severe", NULL };
static const char *const allergy_status[] = { "active", "inactive", "resolved", "entered_in_error", NULL };
static const char *const med_route[] = { "oral", "topical", "inhaled", "subcutaneous", "intramuscular",
	"intravenous", "ophthalmic", "nasal", "rectal", "vaginal", "transdermal", "sublingual", "other", NULL };
static const char *const med_status[] = { "active", "completed", "stopped", "entered_in_error", NULL };
static const char *const imm_status[] = { "completed", "entered_in_error", NULL };
static const char *const relation[] = { "mother", "father", "sibling", "child", "grandparent", "other", NULL };
static const char *const family_status[] = { "recorded", "entered_in_error", NULL };
static const char *const smoking[] = { "never", "former", "current", "unknown", NULL };
static const char *const alcohol[] = { "none", "occasional", "regular", "heavy", "unknown", NULL };

static const struct rec_field problem_fields[] = {
	{ "code", RF_CODE, 1, 8, NULL, 0, 0 },
	{ "note", RF_TEXT, 0, 500, NULL, 0, 0 },
	{ "status", RF_CHOICE, 1, 0, problem_status, 0, 0 },
	{ "onset", RF_DATE, 0, 10, NULL, 0, 0 },
	{ "resolved_on", RF_DATE, 0, 10, NULL, 0, 0 },
};
static const struct rec_field allergy_fields[] = {
	{ "substance", RF_TEXT, 1, 200, NULL, 0, 0 },
	{ "type", RF_CHOICE, 1, 0, allergy_type, 0, 0 },
	{ "category", RF_CHOICE, 1, 0, allergy_category, 0, 0 },
	{ "reaction", RF_TEXT, 0, 500, NULL, 0, 0 },
	{ "severity", RF_CHOICE, 1, 0, allergy_severity, 0, 0 },
	{ "status", RF_CHOICE, 1, 0, allergy_status, 0, 0 },
	{ "onset", RF_DATE, 0, 10, NULL, 0, 0 },
};
static const struct rec_field medication_fields[] = {
	{ "name", RF_TEXT, 1, 200, NULL, 0, 0 },
	{ "dose", RF_TEXT, 0, 200, NULL, 0, 0 },
	{ "route", RF_CHOICE, 1, 0, med_route, 0, 0 },
	{ "started_on", RF_DATE, 0, 10, NULL, 0, 0 },
	{ "ended_on", RF_DATE, 0, 10, NULL, 0, 0 },
	{ "status", RF_CHOICE, 1, 0, med_status, 0, 0 },
};
static const struct rec_field immunization_fields[] = {
	{ "vaccine", RF_TEXT, 1, 200, NULL, 0, 0 },
	{ "given_on", RF_DATE, 1, 10, NULL, 0, 0 },
	{ "dose_number", RF_NUMBER, 0, 2, NULL, 1, 20 },
	{ "lot", RF_TEXT, 0, 50, NULL, 0, 0 },
	{ "status", RF_CHOICE, 1, 0, imm_status, 0, 0 },
};
static const struct rec_field family_fields[] = {
	{ "relation", RF_CHOICE, 1, 0, relation, 0, 0 },
	{ "code", RF_CODE, 0, 8, NULL, 0, 0 },
	{ "condition", RF_TEXT, 0, 200, NULL, 0, 0 },
	{ "status", RF_CHOICE, 1, 0, family_status, 0, 0 },
};
static const struct rec_field social_fields[] = {
	{ "smoking", RF_CHOICE, 1, 0, smoking, 0, 0 },
	{ "cigarettes_day", RF_NUMBER, 0, 3, NULL, 0, 200 },
	{ "alcohol", RF_CHOICE, 1, 0, alcohol, 0, 0 },
	{ "drinks_week", RF_NUMBER, 0, 3, NULL, 0, 500 },
	{ "note", RF_TEXT, 0, 500, NULL, 0, 0 },
};

#define FIELDS(a) a, sizeof(a) / sizeof(a[0])
#define QUERIES(k) "record_" k "_rows", "record_" k "_insert"

static const struct rec_kind kinds[] = {
	{ "problems", "problem", "problems", FIELDS(problem_fields), "onset", "resolved_on", QUERIES("problem") },
	{ "allergies", "allergy", "allergies", FIELDS(allergy_fields), NULL, NULL, QUERIES("allergy") },
	{ "medications", "medication", "medications", FIELDS(medication_fields), "started_on", "ended_on",
	  QUERIES("medication") },
	{ "immunizations", "immunization", NULL, FIELDS(immunization_fields), NULL, NULL, QUERIES("immunization") },
	{ "family", "family", NULL, FIELDS(family_fields), NULL, NULL, QUERIES("family") },
	{ "social", "social", NULL, FIELDS(social_fields), NULL, NULL, QUERIES("social") },
};

const struct rec_kind *
rec_kind_find(const char *s)
{
	for (size_t i = 0; s && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].slug, s) == 0)
			return &kinds[i];
	return NULL;
}

const struct rec_field *
rec_field_find(const struct rec_kind *k, const char *name, size_t *i)
{
	for (size_t j = 0; j < k->nf; j++)
		if (strcmp(k->fields[j].name, name) == 0) {
			if (i)
				*i = j;
			return &k->fields[j];
		}
	return NULL;
}

/* A field's value as a reader sees it: a choice in words, a code with
 * its title. */
static const char *
shown(struct req *r, const struct rec_field *f, const char *v, const char *title)
{
	if (f->type == RF_CHOICE)
		return view_lang(r->view, arena_printf(r->arena, "record.choice.%s.%s", f->name, v));
	if (f->type == RF_CODE && *v)
		return arena_printf(r->arena, "%s %s", v, title);
	if (f->type == RF_DATE && *v)
		return page_day(r, v);
	return v;
}

size_t
rec_entry_words(struct req *r, const struct rec_kind *k, const struct db_result *res, size_t i,
                struct rec_words *w)
{
	const char *title = db_value(res, i, RC_TITLE);
	size_t n = 0;

	/* The first field names the entry; the others follow as "label:
	 * value" when they say something. */
	w->title = shown(r, &k->fields[0], db_value(res, i, RC_FIELDS), title);
	w->status = "";
	for (size_t j = 1; j < k->nf; j++) {
		const struct rec_field *f = &k->fields[j];
		const char *v = db_value(res, i, RC_FIELDS + (int)j);

		if (*v == '\0')
			continue;
		if (strcmp(f->name, "status") == 0)
			w->status = v;
		w->label[n] = view_lang(r->view, arena_printf(r->arena, "record.field.%s", f->name));
		w->value[n++] = shown(r, f, v, title);
	}
	return n;
}

void
rec_rows_fill(struct req *r, const struct rec_kind *k, const struct db_result *res, const char *prefix)
{
	for (size_t i = 0; i < db_rows(res); i++) {
		struct view_row *row = view_row(r->view, "Data.%s.%zu", prefix, i);
		struct rec_words w;
		size_t n = rec_entry_words(r, k, res, i, &w);

		view_row_set(row, "id", db_value(res, i, RC_ITEM));
		view_row_set(row, "version", db_value(res, i, RC_VERSION));
		view_row_set(row, "at", page_when(r, db_value(res, i, RC_AT)));
		view_row_set(row, "by", db_value(res, i, RC_BY));
		view_row_set(row, "reason", db_value(res, i, RC_REASON));
		view_row_set(row, "title", w.title);
		if (*w.status)
			view_row_set(row, "status", w.status);
		for (size_t j = 0; j < n; j++) {
			view_set(r->view, w.label[j], "Data.%s.%zu.bits.%zu.label", prefix, i, j);
			view_set(r->view, w.value[j], "Data.%s.%zu.bits.%zu.value", prefix, i, j);
		}
	}
}

void
rec_form_fill(struct req *r, const struct rec_kind *k, const char *const *vals)
{
	for (size_t i = 0; i < k->nf; i++) {
		static const char *const types[RF__MAX] = { "text", "date", "choice", "code", "number" };
		const struct rec_field *f = &k->fields[i];
		struct view_row *row = view_row(r->view, "Data.f.%zu", i);
		const char *v = vals[i] ? vals[i] : "";

		view_row_set(row, "name", f->name);
		view_row_set(row, "type", types[f->type]);
		view_row_set(row, "label", view_lang(r->view, arena_printf(r->arena, "record.field.%s", f->name)));
		view_row_set(row, "value", v);
		if (f->required)
			view_row_set(row, "required", "1");
		if (f->type == RF_TEXT)
			view_row_set(row, "max", arena_printf(r->arena, "%zu", f->max));
		if (f->type == RF_NUMBER) {
			view_row_set(row, "lo", arena_printf(r->arena, "%d", f->lo));
			view_row_set(row, "hi", arena_printf(r->arena, "%d", f->hi));
		}
		for (size_t c = 0; f->type == RF_CHOICE && f->choices[c]; c++) {
			view_set(r->view, f->choices[c], "Data.f.%zu.opts.%zu.value", i, c);
			view_set(r->view, shown(r, f, f->choices[c], ""), "Data.f.%zu.opts.%zu.label", i, c);
			if (strcmp(f->choices[c], *v ? v : f->choices[0]) == 0)
				view_set(r->view, "1", "Data.f.%zu.opts.%zu.sel", i, c);
		}
	}
}

/* A whole number within the field's range. */
static int
number_ok(const struct rec_field *f, const char *v)
{
	char *end;
	long n;

	if (*v == '\0')
		return 1;
	n = strtol(v, &end, 10);
	return *end == '\0' && n >= f->lo && n <= f->hi;
}

/* The rules form_validate checks for field f. */
static struct field_rule
rule_of(const struct rec_field *f)
{
	static const enum field_kind kinds_of[RF__MAX] = { FIELD_TEXT, FIELD_DATE, FIELD_CHOICE, FIELD_TEXT,
	                                                   FIELD_DIGITS };
	struct field_rule rule = { f->name, kinds_of[f->type], f->required, 0, f->max, f->choices };

	return rule;
}

/* The catalog's spelling of code ("j459" -> "J45.9") when it is an active
 * code of the catalog (sql/queries/icd10.sql), else NULL. */
static const char *
code_known(struct req *r, const char *code)
{
	struct db_result *res;

	if (db_query(&res, "icd10_get", 1, &code) != DB_OK || db_rows(res) != 1 ||
	    strcmp(db_value(res, 0, 6), "t") != 0)
		return NULL;
	return arena_strdup(r->arena, db_value(res, 0, 0));
}

const char *
rec_code_title(const struct req *r, const struct db_result *res)
{
	const char *es = db_value(res, 0, 1);

	return strcmp(r->lang, "es") == 0 && *es ? es : db_value(res, 0, 2);
}

int
rec_form_check(struct req *r, const struct rec_kind *k, int correcting, const char **vals)
{
	struct field_rule rules[REC_FIELDS_MAX + 1];
	struct field_rule reason = { "reason", FIELD_TEXT, correcting, 0, 500, NULL };
	int errors;

	for (size_t i = 0; i < k->nf; i++)
		rules[i] = rule_of(&k->fields[i]);
	rules[k->nf] = reason;
	errors = form_validate(r, rules, k->nf + 1);
	for (size_t i = 0; i < k->nf; i++) {
		const struct rec_field *f = &k->fields[i];
		const char *v = form_value(r, f->name);

		vals[i] = v ? v : "";
		if (v == NULL || *v == '\0')
			continue;
		if (f->type == RF_NUMBER && !number_ok(f, v)) {
			form_error(r, f->name, "record.error.range");
			errors++;
		} else if (f->type == RF_CODE && (vals[i] = code_known(r, v)) == NULL) {
			vals[i] = v;
			form_error(r, f->name, "record.error.code_unknown");
			errors++;
		}
	}
	if (k->date_from && errors == 0) {
		size_t a = 0, b = 0;
		rec_field_find(k, k->date_from, &a);
		rec_field_find(k, k->date_to, &b);
		if (*vals[a] && *vals[b] && strcmp(vals[a], vals[b]) > 0) {
			form_error(r, k->date_to, "record.error.date_order");
			errors++;
		}
	}
	/* Family history: a code, or at least words. */
	if (rec_field_find(k, "condition", NULL) && errors == 0) {
		size_t c = 0, t = 0;
		rec_field_find(k, "code", &c);
		rec_field_find(k, "condition", &t);
		if (*vals[c] == '\0' && *vals[t] == '\0') {
			form_error(r, "condition", "record.error.code_or_text");
			errors++;
		}
	}
	return errors;
}
