/* test_formulary: the CSV splitter (lib/csv.c), the prescription catalog
 * line parser (lib/formulary.c), and the shipped data/formulary files:
 * every line parses, codes are unique, every ATC code is well formed,
 * every interaction pair and allergy term names an ingredient or class a
 * product has, and there are enough of them (>= 300 products, >= 100
 * pairs). */
#include <check.h>

#include "../check_util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fields.h"
#include "lib/csv.h"
#include "lib/formulary.h"

#define PRODUCT "amoxicillin-500mg-caps,J01CA04,amoxicillin,penicillins;beta_lactams," \
	"Amoxicilina 500 mg cápsula,Amoxicillin 500 mg capsule,\"Clamoxyl\",500 mg," \
	"capsule,oral,capsule,500,6000,100,compatible,yes,WHO EML 2023"

static enum fcat_status
parse(enum fcat_kind k, const char *line, struct fcat_row *row)
{
	return fcat_parse_line(k, 1, line, strlen(line), row);
}

/* line with column i (0-based) replaced by value. */
static char *
with_column(const char *line, size_t i, const char *value)
{
	static char out[FCAT_LINE_MAX];
	const char *start = line, *end;
	size_t n;

	for (size_t c = 0; c < i; c++)
		start = strchr(start, ',') + 1;
	end = strchr(start, ',');
	n = (size_t)(start - line);
	snprintf(out, sizeof(out), "%.*s%s%s", (int)n, line, value, end ? end : "");
	return out;
}

START_TEST(test_csv_split)
{
	char buf[128];
	const char *f[8];

	ck_assert_int_eq(csv_split(CSV_COMMA, "a,b,,c", 6, buf, sizeof(buf), f, 8), 4);
	ck_assert_str_eq(f[2], "");
	ck_assert_str_eq(f[3], "c");
	{
		const char *q = "\"x, y\",\"say \"\"hi\"\"\",z";
		ck_assert_int_eq(csv_split(CSV_COMMA, q, strlen(q), buf, sizeof(buf), f, 8), 3);
	}
	ck_assert_str_eq(f[0], "x, y");
	ck_assert_str_eq(f[1], "say \"hi\"");
	ck_assert_int_eq(csv_split(CSV_COMMA, "a,", 2, buf, sizeof(buf), f, 8), 2);
	ck_assert_str_eq(f[1], "");
	ck_assert_int_eq(csv_split(CSV_COMMA, "", 0, buf, sizeof(buf), f, 8), 1);
	ck_assert_int_eq(csv_split(CSV_COMMA, "\"open", 5, buf, sizeof(buf), f, 8), -1);
	ck_assert_int_eq(csv_split(CSV_COMMA, "\"a\"b,c", 6, buf, sizeof(buf), f, 8), -1);
	ck_assert_int_eq(csv_split(CSV_COMMA, "a,b,c", 5, buf, sizeof(buf), f, 2), -1);
	ck_assert_int_eq(csv_split(CSV_COMMA, "a\0b", 3, buf, sizeof(buf), f, 8), -1);
	ck_assert_int_eq(csv_split(CSV_COMMA, "abcdef", 6, buf, 4, f, 8), -1);
	/* TSV: tabs only, quotes are text */
	ck_assert_int_eq(csv_split(CSV_TAB, "\"a\tb,c", 6, buf, sizeof(buf), f, 8), 2);
	ck_assert_str_eq(f[0], "\"a");
	ck_assert_str_eq(f[1], "b,c");
}
END_TEST

START_TEST(test_product_line)
{
	struct fcat_row row;

	ck_assert_int_eq(parse(FCAT_PRODUCTS, PRODUCT, &row), FCAT_OK);
	ck_assert_uint_eq(row.nfields, 17);
	ck_assert_str_eq(row.field[0], "amoxicillin-500mg-caps");
	ck_assert_str_eq(row.field[6], "Clamoxyl");
	ck_assert_str_eq(row.field[4], "Amoxicilina 500 mg cápsula");
	/* optional numbers may be empty; a trailing '\r' is dropped */
	ck_assert_int_eq(parse(FCAT_PRODUCTS, with_column(PRODUCT, 13, ""), &row), FCAT_OK);
	ck_assert_int_eq(parse(FCAT_PRODUCTS, PRODUCT "\r", &row), FCAT_OK);
	ck_assert_str_eq(row.field[16], "WHO EML 2023");
}
END_TEST

/* Each column refuses what the table would refuse, and says which. */
START_TEST(test_product_bad_values)
{
	static const struct { size_t col; const char *value; } bad[] = {
		{ 0, "Amoxicillin-500" }, { 0, "amox--500" }, { 0, "-amox" }, { 0, "amox-" },
		{ 1, "J01CA4" }, { 1, "j01ca04" }, { 1, "J01CA04X" }, { 1, "1J0CA04" },
		{ 2, "" }, { 2, "Amoxicillin" }, { 2, "amoxicillin;" }, { 2, "amoxicillin; clavulanic acid" },
		{ 3, "Penicillins" }, { 3, "beta-lactams" }, { 4, "" }, { 4, " Amoxicilina" },
		{ 8, "Capsule" }, { 8, "" }, { 9, "mouth" }, { 10, "" }, { 10, "ml/h" },
		{ 11, "0" }, { 11, "-5" }, { 11, "1e3" }, { 11, "5." }, { 11, ".5" }, { 12, "0.00" },
		{ 14, "safe" }, { 15, "true" }, { 16, "" },
	};
	struct fcat_row row;
	char why[600];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum fcat_status st = parse(FCAT_PRODUCTS, with_column(PRODUCT, bad[i].col, bad[i].value), &row);
		ck_assert_msg(st == FCAT_BAD_VALUE && row.bad_column == bad[i].col,
		              "column %zu \"%s\": status %d column %zu", bad[i].col, bad[i].value, st, row.bad_column);
		fcat_problem(FCAT_PRODUCTS, st, &row, why, sizeof(why));
		ck_assert_msg(strstr(why, fcat_column_name(FCAT_PRODUCTS, bad[i].col)) != NULL, "%s", why);
	}
	ck_assert_int_eq(parse(FCAT_PRODUCTS, with_column(PRODUCT, 11, "0.25"), &row), FCAT_OK);
	ck_assert_int_eq(parse(FCAT_PRODUCTS, with_column(PRODUCT, 10, "mL"), &row), FCAT_OK);
	ck_assert_int_eq(parse(FCAT_PRODUCTS, with_column(PRODUCT, 0, "salbutamol-0.1mg-inh"), &row), FCAT_OK);
}
END_TEST

START_TEST(test_lines_and_header)
{
	struct fcat_row row;
	char why[600];
	const char *h = fcat_header(FCAT_PRODUCTS);

	ck_assert_int_eq(fcat_parse_line(FCAT_PRODUCTS, 0, "", 0, &row), FCAT_SKIP);
	ck_assert_int_eq(fcat_parse_line(FCAT_PRODUCTS, 0, "# a comment", 11, &row), FCAT_SKIP);
	ck_assert_int_eq(fcat_parse_line(FCAT_PRODUCTS, 0, h, strlen(h), &row), FCAT_HEADER);
	ck_assert_int_eq(fcat_parse_line(FCAT_PRODUCTS, 0, PRODUCT, strlen(PRODUCT), &row), FCAT_BAD_HEADER);
	ck_assert_int_eq(fcat_parse_line(FCAT_INTERACTIONS, 0, h, strlen(h), &row), FCAT_BAD_HEADER);
	fcat_problem(FCAT_PRODUCTS, FCAT_BAD_HEADER, &row, why, sizeof(why));
	ck_assert_msg(strstr(why, "code,atc,ingredients") != NULL, "%s", why);
	ck_assert_int_eq(parse(FCAT_PRODUCTS, "a,b,c", &row), FCAT_BAD_FIELDS);
	ck_assert_int_eq(parse(FCAT_PRODUCTS, PRODUCT ",extra", &row), FCAT_BAD_FIELDS);
	ck_assert_int_eq(parse(FCAT_PRODUCTS, "\"unclosed," PRODUCT, &row), FCAT_BAD_FIELDS);
	{
		char *long_line = malloc(FCAT_LINE_MAX + 2);
		memset(long_line, 'a', FCAT_LINE_MAX + 1);
		long_line[FCAT_LINE_MAX + 1] = '\0';
		ck_assert_int_eq(parse(FCAT_PRODUCTS, long_line, &row), FCAT_BAD_LENGTH);
		free(long_line);
	}
	ck_assert_int_eq(fcat_kind_named("formulary"), FCAT_PRODUCTS);
	ck_assert_int_eq(fcat_kind_named("interactions"), FCAT_INTERACTIONS);
	ck_assert_int_eq(fcat_kind_named("allergy-terms"), FCAT_ALLERGY_TERMS);
	ck_assert_int_eq(fcat_kind_named("icd10"), FCAT__MAX);
	ck_assert_int_eq(fcat_kind_named(NULL), FCAT__MAX);
}
END_TEST

START_TEST(test_interaction_and_term_lines)
{
	struct fcat_row row;

	ck_assert_int_eq(parse(FCAT_INTERACTIONS, "warfarin,class:nsaids,major,\"Hemorragia, INR\",Bleeding,SmPC", &row), FCAT_OK);
	ck_assert_str_eq(row.field[3], "Hemorragia, INR");
	ck_assert_int_eq(parse(FCAT_INTERACTIONS, "atc:J01C,valproic acid,moderate,a,b,c", &row), FCAT_OK);
	ck_assert_int_eq(parse(FCAT_INTERACTIONS, "warfarin,warfarin,major,a,b,c", &row), FCAT_BAD_PAIR);
	ck_assert_int_eq(parse(FCAT_INTERACTIONS, "warfarin,class:NSAIDs,major,a,b,c", &row), FCAT_BAD_VALUE);
	ck_assert_uint_eq(row.bad_column, 1);
	ck_assert_int_eq(parse(FCAT_INTERACTIONS, "warfarin,aspirin,severe,a,b,c", &row), FCAT_BAD_VALUE);
	ck_assert_uint_eq(row.bad_column, 2);
	ck_assert_int_eq(parse(FCAT_INTERACTIONS, "warfarin,aspirin,major,,b,c", &row), FCAT_BAD_VALUE);
	ck_assert_int_eq(parse(FCAT_ALLERGY_TERMS, "Penicilina,class:penicillins,x", &row), FCAT_OK);
	ck_assert_int_eq(parse(FCAT_ALLERGY_TERMS, "a|b,class:penicillins,x", &row), FCAT_BAD_VALUE);
	ck_assert_int_eq(parse(FCAT_ALLERGY_TERMS, "p,class:penicillins,x", &row), FCAT_BAD_VALUE);
	ck_assert_int_eq(fcat_is_drug_ref("valproic acid"), 1);
	ck_assert_int_eq(fcat_is_drug_ref("atc:J"), 1);
	ck_assert_int_eq(fcat_is_drug_ref("atc:"), 0);
	ck_assert_int_eq(fcat_is_drug_ref("atc:j01"), 0);
	ck_assert_int_eq(fcat_is_drug_ref("class:"), 0);
	ck_assert_int_eq(fcat_is_drug_ref("warfarin "), 0);
	ck_assert_int_eq(fcat_is_drug_ref("Warfarin"), 0);
	ck_assert_int_eq(fcat_is_atc("J01CA04"), 1);
	ck_assert_int_eq(fcat_is_atc("J01CA0"), 0);
}
END_TEST

/* ------------------------------------------------ the shipped files */

/* What the shipped formulary has: product codes, ingredients, classes. */
struct names {
	char **v;
	size_t n, cap;
};

static void
names_add(struct names *s, const char *name, size_t len)
{
	for (size_t i = 0; i < s->n; i++)
		if (strlen(s->v[i]) == len && strncmp(s->v[i], name, len) == 0)
			return;
	if (s->n == s->cap) {
		s->cap = s->cap * 2 + 64;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		ck_assert_ptr_nonnull(s->v);
	}
	s->v[s->n++] = strndup(name, len);
}

static int
names_has(const struct names *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], name) == 0)
			return 1;
	return 0;
}

/* Add every item of a ';' list. */
static void
names_add_list(struct names *s, const char *list)
{
	while (*list) {
		size_t n = strcspn(list, ";");
		names_add(s, list, n);
		list += n + (list[n] == ';');
	}
}

/* Every row of data/formulary/<file> (the header first, then rows) to
 * row(), which gets the line number; returns the number of rows. */
static size_t
each_row(const char *file, enum fcat_kind k, void (*row)(const struct fcat_row *, size_t, void *), void *ctx)
{
	const char *src = getenv("MEDSYS_SRCDIR");
	char path[1024], *line = NULL;
	size_t cap = 0, lineno = 0, rows = 0;
	struct fcat_row *r = malloc(sizeof(*r));
	int header = 0;
	ssize_t len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/data/formulary/%s", src ? src : ".", file);
	ck_assert_msg((f = fopen(path, "r")) != NULL, "cannot read %s", path);
	while ((len = getline(&line, &cap, f)) != -1) {
		enum fcat_status st;
		char why[600];

		lineno++;
		ck_assert_msg(len > 0 && line[len - 1] == '\n', "%s line %zu: no newline", file, lineno);
		st = fcat_parse_line(k, header, line, (size_t)len - 1, r);
		ck_assert_msg(st <= FCAT_HEADER, "%s line %zu: %s", file, lineno,
		              fcat_problem(k, st, r, why, sizeof(why)));
		header |= st == FCAT_HEADER;
		if (st != FCAT_OK)
			continue;
		for (size_t i = 0; i < r->nfields; i++)
			ck_assert_msg(utf8_valid_text(r->field[i], strlen(r->field[i])), "%s line %zu: not UTF-8", file, lineno);
		row(r, lineno, ctx);
		rows++;
	}
	free(line);
	free(r);
	fclose(f);
	return rows;
}

struct shipped {
	struct names codes, ingredients, classes, pairs, atcs;
	size_t eml;
};

static void
product_row(const struct fcat_row *r, size_t lineno, void *ctx)
{
	struct shipped *s = ctx;

	ck_assert_msg(!names_has(&s->codes, r->field[0]), "formulary.csv line %zu: %s twice", lineno, r->field[0]);
	names_add(&s->codes, r->field[0], strlen(r->field[0]));
	ck_assert_msg(fcat_is_atc(r->field[1]), "line %zu: ATC %s", lineno, r->field[1]);
	names_add(&s->atcs, r->field[1], strlen(r->field[1]));
	names_add_list(&s->ingredients, r->field[2]);
	names_add_list(&s->classes, r->field[3]);
	ck_assert_msg(strstr(r->field[5], r->field[7]) != NULL, "line %zu: the English name shows the strength",
	              lineno);
	s->eml += strcmp(r->field[15], "yes") == 0;
}

/* A reference names something a product has. */
static int
known(const struct shipped *s, const char *ref)
{
	if (strncmp(ref, "class:", 6) == 0)
		return names_has(&s->classes, ref + 6);
	if (strncmp(ref, "atc:", 4) == 0) {
		for (size_t i = 0; i < s->atcs.n; i++)
			if (strncmp(s->atcs.v[i], ref + 4, strlen(ref + 4)) == 0)
				return 1;
		return 0;
	}
	return names_has(&s->ingredients, ref);
}

static void
pair_row(const struct fcat_row *r, size_t lineno, void *ctx)
{
	struct shipped *s = ctx;
	char key[200];
	int swap = strcmp(r->field[0], r->field[1]) > 0;

	ck_assert_msg(known(s, r->field[0]), "interactions.csv line %zu: %s names no product", lineno, r->field[0]);
	ck_assert_msg(known(s, r->field[1]), "interactions.csv line %zu: %s names no product", lineno, r->field[1]);
	snprintf(key, sizeof(key), "%s|%s", r->field[swap], r->field[!swap]);
	ck_assert_msg(!names_has(&s->pairs, key), "interactions.csv line %zu: %s twice", lineno, key);
	names_add(&s->pairs, key, strlen(key));
}

static void
term_row(const struct fcat_row *r, size_t lineno, void *ctx)
{
	ck_assert_msg(known(ctx, r->field[1]), "allergy_terms.csv line %zu: %s names no product", lineno, r->field[1]);
}

START_TEST(test_shipped_files)
{
	struct shipped s = { 0 };
	size_t products, pairs, terms;

	products = each_row("formulary.csv", FCAT_PRODUCTS, product_row, &s);
	ck_assert_msg(products >= 300, "%zu products", products);
	ck_assert_msg(s.eml >= 250, "%zu products on the WHO Model List", s.eml);
	/* the pairs the issue names, by ingredient or class */
	ck_assert(names_has(&s.ingredients, "warfarin") && names_has(&s.classes, "nsaids"));
	pairs = each_row("interactions.csv", FCAT_INTERACTIONS, pair_row, &s);
	ck_assert_msg(pairs >= 100, "%zu pairs", pairs);
	ck_assert(names_has(&s.pairs, "class:nsaids|class:vitamin_k_antagonists"));
	ck_assert(names_has(&s.pairs, "class:ace_inhibitors|class:potassium_sparing_diuretics"));
	ck_assert(names_has(&s.pairs, "class:maoi|class:ssri"));
	ck_assert(names_has(&s.pairs, "methotrexate|trimethoprim"));
	terms = each_row("allergy_terms.csv", FCAT_ALLERGY_TERMS, term_row, &s);
	ck_assert_msg(terms >= 100, "%zu allergy terms", terms);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_csv_split);
	tcase_add_test(tc, test_product_line);
	tcase_add_test(tc, test_product_bad_values);
	tcase_add_test(tc, test_lines_and_header);
	tcase_add_test(tc, test_interaction_and_term_lines);
	tcase_add_test(tc, test_shipped_files);
	return tcase_run_alone("formulary", tc);
}
