/* test_icd10: ICD-10 code normalisation and chapters, the project's TSV
 * and the CMS order file line by line, and the shipped catalog itself. */
#include <check.h>

#include "../check_util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fields.h"
#include "lib/icd10.h"

struct code_case {
	const char *in;
	const char *want;          /* NULL: refused */
};

static const struct code_case code_cases[] = {
	{ "J45.909", "J45.909" },
	{ "J45909", "J45.909" },   /* undotted, as the CMS files and hurried typists write it */
	{ "j45.9", "J45.9" },
	{ "e119", "E11.9" },
	{ "I10", "I10" },
	{ "U071", "U07.1" },
	{ "F32.A", "F32.A" },      /* a letter after the dot */
	{ "O9A.11", "O9A.11" },    /* a letter as third character */
	{ "Z3A01", "Z3A.01" },
	{ "S0003XA", "S00.03XA" }, /* seven characters: the longest */
	{ "S00.03XA", "S00.03XA" },
	{ "", NULL },
	{ "J4", NULL },            /* too short */
	{ "J45.", NULL },          /* a dot and nothing after it */
	{ "J4.59", NULL },         /* the dot in the wrong place */
	{ "J45..9", NULL },
	{ "J45.9.0", NULL },
	{ "1J45", NULL },          /* a digit first */
	{ "JJ45", NULL },          /* a letter second */
	{ "J45 9", NULL },         /* a space */
	{ " J45", NULL },
	{ "J45-9", NULL },
	{ "J459090X", NULL },      /* eight characters */
	{ "J45.90901", NULL },
	{ "\xc3\x89" "11", NULL }, /* É: not ASCII */
};

START_TEST(test_code_normalise)
{
	const struct code_case *c = &code_cases[_i];
	char out[ICD10_CODE_MAX + 1] = "-";
	int rc = icd10_code_normalise(c->in, strlen(c->in), out);

	if (c->want) {
		ck_assert_msg(rc == 0, "\"%s\" was refused", c->in);
		ck_assert_str_eq(out, c->want);
	} else {
		ck_assert_msg(rc == -1, "\"%s\" was accepted as %s", c->in, out);
		ck_assert_str_eq(out, "-");
	}
}
END_TEST

START_TEST(test_code_normalise_null_and_length)
{
	char out[ICD10_CODE_MAX + 1];

	ck_assert_int_eq(icd10_code_normalise(NULL, 3, out), -1);
	/* len counts, not the NUL: "J459" cut to three bytes is "J45" */
	ck_assert_int_eq(icd10_code_normalise("J459", 3, out), 0);
	ck_assert_str_eq(out, "J45");
}
END_TEST

START_TEST(test_chapters)
{
	static const struct { const char *code; int chapter; } cases[] = {
		{ "A09", 1 }, { "B99.9", 1 }, { "C50.919", 2 }, { "D49.2", 2 }, { "D50.9", 3 },
		{ "D89.9", 3 }, { "E11.9", 4 }, { "F32.A", 5 }, { "G43.909", 6 }, { "H10.9", 7 },
		{ "H59.9", 7 }, { "H60.90", 8 }, { "H95.89", 8 }, { "I10", 9 }, { "J45.909", 10 },
		{ "K21.9", 11 }, { "L20.9", 12 }, { "M54.50", 13 }, { "N39.0", 14 }, { "O80", 15 },
		{ "O9A.11", 15 }, { "P59.9", 16 }, { "Q38.1", 17 }, { "R05.9", 18 }, { "S93.401A", 19 },
		{ "T88.7XXA", 19 }, { "U07.1", 22 }, { "V00.01XA", 20 }, { "W19.XXXA", 20 },
		{ "Y93.01", 20 }, { "Z00.00", 21 }, { "Z99.89", 21 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(icd10_chapter(cases[i].code) == cases[i].chapter, "%s: chapter %d, not %d",
		              cases[i].code, icd10_chapter(cases[i].code), cases[i].chapter);
	ck_assert_int_eq(icd10_chapter(NULL), 0);
	ck_assert_int_eq(icd10_chapter("J4"), 0);
}
END_TEST

static enum icd10_status
parse(enum icd10_format f, const char *line, struct icd10_entry *e)
{
	return icd10_parse_line(f, line, strlen(line), e);
}

START_TEST(test_project_line)
{
	struct icd10_entry e;

	ck_assert_int_eq(parse(ICD10_FORMAT_PROJECT,
	                       "J45909\t1\tAsma no especificada, sin complicaciones\tAsthma, unspecified, uncomplicated", &e),
	                 ICD10_OK);
	ck_assert_str_eq(e.code, "J45.909");
	ck_assert_int_eq(e.leaf, 1);
	ck_assert_int_eq(e.chapter, 10);
	ck_assert_str_eq(e.title_es, "Asma no especificada, sin complicaciones");
	ck_assert_str_eq(e.title_en, "Asthma, unspecified, uncomplicated");
	/* a heading, a Windows line end, spaces around the titles */
	ck_assert_int_eq(parse(ICD10_FORMAT_PROJECT, "e11\t0\t Diabetes tipo 2 \tType 2 diabetes \r", &e), ICD10_OK);
	ck_assert_str_eq(e.code, "E11");
	ck_assert_int_eq(e.leaf, 0);
	ck_assert_str_eq(e.title_es, "Diabetes tipo 2");
	ck_assert_str_eq(e.title_en, "Type 2 diabetes");
}
END_TEST

START_TEST(test_project_utf8_titles_kept)
{
	struct icd10_entry e;
	const char *line = "R42\t1\tMareo y vahído: ñ, ü, ¿?\tDizziness — giddiness\n";

	ck_assert_int_eq(icd10_parse_line(ICD10_FORMAT_PROJECT, line, strlen(line) - 1, &e), ICD10_OK);
	ck_assert_str_eq(e.title_es, "Mareo y vahído: ñ, ü, ¿?");
	ck_assert_str_eq(e.title_en, "Dizziness — giddiness");
}
END_TEST

START_TEST(test_project_skipped_lines)
{
	struct icd10_entry e;

	ck_assert_int_eq(parse(ICD10_FORMAT_PROJECT, "", &e), ICD10_SKIP);
	ck_assert_int_eq(parse(ICD10_FORMAT_PROJECT, "   ", &e), ICD10_SKIP);
	ck_assert_int_eq(parse(ICD10_FORMAT_PROJECT, "\r", &e), ICD10_SKIP);
	ck_assert_int_eq(parse(ICD10_FORMAT_PROJECT, "# code\tleaf\ttitle_es\ttitle_en", &e), ICD10_SKIP);
}
END_TEST

START_TEST(test_project_malformed)
{
	static const struct { const char *line; enum icd10_status want; } cases[] = {
		{ "J45.909\t1\tAsma", ICD10_BAD_FIELDS },                       /* three fields */
		{ "J45.909\t1\tAsma\tAsthma\textra", ICD10_BAD_FIELDS },        /* five */
		{ "J45.909 1 Asma Asthma", ICD10_BAD_FIELDS },                  /* spaces, not tabs */
		{ "J45.9.09\t1\tAsma\tAsthma", ICD10_BAD_CODE },
		{ "\t1\tAsma\tAsthma", ICD10_BAD_CODE },
		{ " J45.909\t1\tAsma\tAsthma", ICD10_BAD_CODE },
		{ "J45.909\t2\tAsma\tAsthma", ICD10_BAD_LEAF },
		{ "J45.909\tyes\tAsma\tAsthma", ICD10_BAD_LEAF },
		{ "J45.909\t\tAsma\tAsthma", ICD10_BAD_LEAF },
		{ "J45.909\t1\t\tAsthma", ICD10_BAD_TITLE },                    /* no Spanish title */
		{ "J45.909\t1\tAsma\t  ", ICD10_BAD_TITLE },
		{ "J45.909\t1\tAs\x01ma\tAsthma", ICD10_BAD_TITLE },            /* a control character */
	};
	struct icd10_entry e;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(parse(ICD10_FORMAT_PROJECT, cases[i].line, &e) == cases[i].want,
		              "line %zu: %d, not %d", i, parse(ICD10_FORMAT_PROJECT, cases[i].line, &e),
		              cases[i].want);
}
END_TEST

START_TEST(test_line_too_long)
{
	static char line[ICD10_LINE_MAX + 2];
	struct icd10_entry e;

	memset(line, 'a', sizeof(line) - 1);
	memcpy(line, "J45.909\t1\t", 10);
	ck_assert_int_eq(icd10_parse_line(ICD10_FORMAT_PROJECT, line, ICD10_LINE_MAX + 1, &e),
	                 ICD10_BAD_LENGTH);
	ck_assert_int_eq(icd10_parse_line(ICD10_FORMAT_CMS_ORDER, line, ICD10_LINE_MAX + 1, &e),
	                 ICD10_BAD_LENGTH);
	ck_assert_int_eq(icd10_parse_line(ICD10_FORMAT_PROJECT, NULL, 0, &e), ICD10_BAD_LENGTH);
}
END_TEST

/* A line of the CMS order file: order number, code, header flag, short
 * title padded to 60, long title (the published column layout). */
static void
cms_line(char *buf, size_t len, int order, const char *code, char flag, const char *short_title,
         const char *long_title)
{
	snprintf(buf, len, "%05d %-7s %c %-60s %s", order, code, flag, short_title, long_title);
}

START_TEST(test_cms_line)
{
	char line[600];
	struct icd10_entry e;

	cms_line(line, sizeof(line), 4430, "E119", '1', "Type 2 diabetes mellitus without complications",
	         "Type 2 diabetes mellitus without complications");
	ck_assert_int_eq(strlen(line), 77 + strlen("Type 2 diabetes mellitus without complications"));
	ck_assert_int_eq(parse(ICD10_FORMAT_CMS_ORDER, line, &e), ICD10_OK);
	ck_assert_str_eq(e.code, "E11.9");
	ck_assert_int_eq(e.leaf, 1);
	ck_assert_int_eq(e.chapter, 4);
	ck_assert_str_eq(e.title_es, "");
	ck_assert_str_eq(e.title_en, "Type 2 diabetes mellitus without complications");
	/* a header row; the long title is the one kept, trailing blanks and CR gone */
	cms_line(line, sizeof(line), 4301, "E11", '0', "Type 2 diabetes mellitus", "Type 2 diabetes mellitus   \r");
	ck_assert_int_eq(parse(ICD10_FORMAT_CMS_ORDER, line, &e), ICD10_OK);
	ck_assert_str_eq(e.code, "E11");
	ck_assert_int_eq(e.leaf, 0);
	ck_assert_str_eq(e.title_en, "Type 2 diabetes mellitus");
	/* seven characters fill the code column */
	cms_line(line, sizeof(line), 70000, "S93401A", '1', "Sprain of unsp ligament of right ankle, init",
	         "Sprain of unspecified ligament of right ankle, initial encounter");
	ck_assert_int_eq(parse(ICD10_FORMAT_CMS_ORDER, line, &e), ICD10_OK);
	ck_assert_str_eq(e.code, "S93.401A");
	ck_assert_int_eq(e.chapter, 19);
}
END_TEST

START_TEST(test_cms_malformed)
{
	char line[900], title[700];
	struct icd10_entry e;

	cms_line(line, sizeof(line), 1, "A00", '2', "Cholera", "Cholera");
	ck_assert_int_eq(parse(ICD10_FORMAT_CMS_ORDER, line, &e), ICD10_BAD_LEAF);
	cms_line(line, sizeof(line), 1, "A00.0", '1', "Cholera", "Cholera");   /* dotted: not this format */
	ck_assert_int_eq(parse(ICD10_FORMAT_CMS_ORDER, line, &e), ICD10_BAD_CODE);
	cms_line(line, sizeof(line), 1, "0A0", '1', "Cholera", "Cholera");
	ck_assert_int_eq(parse(ICD10_FORMAT_CMS_ORDER, line, &e), ICD10_BAD_CODE);
	cms_line(line, sizeof(line), 1, "", '1', "Cholera", "Cholera");
	ck_assert_int_eq(parse(ICD10_FORMAT_CMS_ORDER, line, &e), ICD10_BAD_CODE);
	cms_line(line, sizeof(line), 1, "A00", '1', "Cholera", "");            /* no long title */
	ck_assert_int_eq(parse(ICD10_FORMAT_CMS_ORDER, line, &e), ICD10_BAD_LENGTH);
	cms_line(line, sizeof(line), 1, "A00", '1', "Cholera", "   ");
	ck_assert_int_eq(parse(ICD10_FORMAT_CMS_ORDER, line, &e), ICD10_BAD_TITLE);
	memset(title, 'x', 650);
	title[650] = '\0';
	cms_line(line, sizeof(line), 1, "A00", '1', "Cholera", title);         /* over ICD10_TITLE_MAX */
	ck_assert_int_eq(parse(ICD10_FORMAT_CMS_ORDER, line, &e), ICD10_BAD_TITLE);
	ck_assert_int_eq(parse(ICD10_FORMAT_CMS_ORDER, "00001 A00     0 Cholera", &e), ICD10_BAD_LENGTH);
	cms_line(line, sizeof(line), 1, "A00", '1', "Cholera", "Cholera");
	line[2] = 'x';                                                          /* order number */
	ck_assert_int_eq(parse(ICD10_FORMAT_CMS_ORDER, line, &e), ICD10_BAD_ORDER);
	cms_line(line, sizeof(line), 1, "A00", '1', "Cholera", "Cholera");
	memmove(line + 5, line + 6, strlen(line + 6) + 1);                      /* a column shifted */
	ck_assert_int_eq(parse(ICD10_FORMAT_CMS_ORDER, line, &e), ICD10_BAD_FIELDS);
	/* the project's TSV is not a CMS line, nor the other way round */
	ck_assert_int_ne(parse(ICD10_FORMAT_CMS_ORDER, "J45.909\t1\tAsma\tAsthma", &e), ICD10_OK);
	cms_line(line, sizeof(line), 1, "A00", '1', "Cholera", "Cholera");
	ck_assert_int_eq(parse(ICD10_FORMAT_PROJECT, line, &e), ICD10_BAD_FIELDS);
}
END_TEST

START_TEST(test_status_texts_and_formats)
{
	for (int st = ICD10_BAD_LENGTH; st < ICD10__MAX; st++)
		ck_assert_msg(strlen(icd10_status_text((enum icd10_status)st)) > 10, "status %d", st);
	ck_assert_ptr_nonnull(strstr(icd10_status_text(ICD10_BAD_CODE), "J45.909"));
	ck_assert_int_eq(icd10_format_named("project"), ICD10_FORMAT_PROJECT);
	ck_assert_int_eq(icd10_format_named("cms-order"), ICD10_FORMAT_CMS_ORDER);
	ck_assert_int_eq(icd10_format_named("claml"), ICD10_FORMAT__MAX);
	ck_assert_int_eq(icd10_format_named(NULL), ICD10_FORMAT__MAX);
}
END_TEST

/* The shipped catalog: every line parses, titles are UTF-8, codes are
 * unique, at least 500 of them, every chapter but the rare ones (16, 17:
 * perinatal, congenital) well covered. */
START_TEST(test_shipped_catalog)
{
	const char *src = getenv("MEDSYS_SRCDIR");
	char path[1024], *line = NULL, (*seen)[ICD10_CODE_MAX + 1];
	size_t cap = 0, n = 0, lineno = 0;
	int per_chapter[23] = { 0 };
	struct icd10_entry e;
	ssize_t len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/data/icd10/primary-care.tsv", src ? src : ".");
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot read %s", path);
	seen = calloc(5000, sizeof(*seen));
	ck_assert_ptr_nonnull(seen);
	while ((len = getline(&line, &cap, f)) != -1) {
		enum icd10_status st;

		lineno++;
		ck_assert_msg(len > 0 && line[len - 1] == '\n', "line %zu: no newline", lineno);
		st = icd10_parse_line(ICD10_FORMAT_PROJECT, line, (size_t)len - 1, &e);
		ck_assert_msg(st == ICD10_OK || st == ICD10_SKIP, "line %zu: %s", lineno, icd10_status_text(st));
		if (st == ICD10_SKIP)
			continue;
		ck_assert_msg(utf8_valid_text(e.title_es, strlen(e.title_es)) &&
		              utf8_valid_text(e.title_en, strlen(e.title_en)), "line %zu: not UTF-8", lineno);
		ck_assert_msg(strncmp(line, e.code, strlen(e.code)) == 0, "line %zu: not written normalised", lineno);
		for (size_t i = 0; i < n; i++)
			ck_assert_msg(strcmp(seen[i], e.code) != 0, "line %zu: %s twice", lineno, e.code);
		ck_assert_uint_lt(n, 5000);
		memcpy(seen[n++], e.code, sizeof(e.code));
		per_chapter[e.chapter]++;
	}
	fclose(f);
	free(line);
	free(seen);
	ck_assert_uint_ge(n, 500);
	for (int c = 1; c <= 22; c++)
		ck_assert_msg(per_chapter[c] >= (c == 16 || c == 17 || c == 22 ? 1 : 4),
		              "chapter %d has %d codes", c, per_chapter[c]);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("icd10");

	tcase_add_loop_test(tc, test_code_normalise, 0, (int)(sizeof(code_cases) / sizeof(code_cases[0])));
	tcase_list_add(tc, test_code_normalise_null_and_length, test_chapters, test_project_line,
	               test_project_utf8_titles_kept, test_project_skipped_lines, test_project_malformed,
	               test_line_too_long, test_cms_line, test_cms_malformed,
	               test_status_texts_and_formats, test_shipped_catalog, NULL);
	return tcase_run_alone("icd10", tc);
}
