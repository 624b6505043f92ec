/* test_labcat: the lab catalog line parser (lib/labcat.c) and the shipped
 * data/lab files: every line parses, every analyte a range, panel or
 * conversion names is in analytes.csv (ranges: a numeric one), no two
 * bands of one analyte and sex overlap, every numeric analyte has a
 * range, and the catalog is as large as issue 11 asks (>= 40 analytes,
 * the CBC, BMP, CMP, lipid, liver and urinalysis panels). */
#include <check.h>

#include "../check_util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fields.h"
#include "lib/labcat.h"

#define ANALYTE "718-7,Hemoglobina,Hemoglobin,numeric,g/dL,1,1,25,,,LOINC"
#define CODED "5804-0,Proteínas,Protein,coded,,0,,,negative;trace;1+,negative,LOINC"
#define RANGE "718-7,female,6575,,12.1,15.1,7.0,20.0,MedlinePlus"

static enum labcat_status
parse(enum labcat_kind k, const char *line, struct labcat_row *row)
{
	return labcat_parse_line(k, 1, line, strlen(line), row);
}

/* The message of a malformed line, as the import prints it. */
static const char *
problem(enum labcat_kind k, const char *line)
{
	static char why[800];
	static struct labcat_row row;
	enum labcat_status st = parse(k, line, &row);

	ck_assert_int_ge(st, LABCAT_BAD_LENGTH);
	return labcat_problem(k, st, &row, why, sizeof(why));
}

START_TEST(test_loinc_check_digit)
{
	ck_assert(labcat_is_loinc("718-7"));
	ck_assert(labcat_is_loinc("2345-7"));
	ck_assert(labcat_is_loinc("58410-2"));
	ck_assert(labcat_is_loinc("24323-8"));
	ck_assert(!labcat_is_loinc("718-8"));     /* a typing slip in the check digit */
	ck_assert(!labcat_is_loinc("781-7"));     /* two digits swapped */
	ck_assert(!labcat_is_loinc("718"));
	ck_assert(!labcat_is_loinc("-7"));
	ck_assert(!labcat_is_loinc("12345678-5"));
	ck_assert(!labcat_is_loinc("718-7 "));
	ck_assert(labcat_is_unit("10*3/uL"));
	ck_assert(labcat_is_unit("mL/min/{1.73_m2}"));
	ck_assert(!labcat_is_unit("mg dL"));
	ck_assert(!labcat_is_unit(""));
}
END_TEST

START_TEST(test_good_lines)
{
	struct labcat_row row;

	ck_assert_int_eq(parse(LABCAT_ANALYTES, ANALYTE, &row), LABCAT_OK);
	ck_assert_str_eq(row.field[4], "g/dL");
	ck_assert_int_eq(parse(LABCAT_ANALYTES, CODED, &row), LABCAT_OK);
	ck_assert_str_eq(row.field[8], "negative;trace;1+");
	ck_assert_int_eq(parse(LABCAT_RANGES, RANGE, &row), LABCAT_OK);
	ck_assert_int_eq(parse(LABCAT_RANGES, "2085-9,male,6575,,40,,,,x", &row), LABCAT_OK);
	ck_assert_int_eq(parse(LABCAT_PANELS, "24331-1,Lípidos,Lipids,2093-3;2571-8,LOINC", &row), LABCAT_OK);
	ck_assert_int_eq(parse(LABCAT_CONVERSIONS, ",g/L,g/dL,0.1,SI", &row), LABCAT_OK);
	ck_assert_int_eq(parse(LABCAT_CONVERSIONS, "2345-7,mmol/L,mg/dL,18.016,x", &row), LABCAT_OK);
	ck_assert_int_eq(labcat_parse_line(LABCAT_RANGES, 0, labcat_header(LABCAT_RANGES),
	                                   strlen(labcat_header(LABCAT_RANGES)), &row), LABCAT_HEADER);
	ck_assert_int_eq(labcat_parse_line(LABCAT_RANGES, 0, "code,x", 6, &row), LABCAT_BAD_HEADER);
	ck_assert_int_eq(parse(LABCAT_RANGES, "# comment", &row), LABCAT_SKIP);
	ck_assert_int_eq(parse(LABCAT_RANGES, RANGE "\r", &row), LABCAT_OK);
}
END_TEST

/* Each rule names the column the import's message points to. */
START_TEST(test_bad_lines_name_the_column)
{
	ck_assert_str_eq(problem(LABCAT_ANALYTES, "718-8,a,b,numeric,g/dL,1,1,25,,,x"),
	                 "column 1 (code) is not a LOINC code (digits, '-', the check digit: 718-7)");
	ck_assert_str_eq(problem(LABCAT_ANALYTES, "718-7,a,b,number,g/dL,1,1,25,,,x"),
	                 "column 4 (kind) is not numeric, text or coded");
	ck_assert(strstr(problem(LABCAT_ANALYTES, "718-7,a,b,numeric,g dL,1,1,25,,,x"), "column 5 (unit)"));
	ck_assert(strstr(problem(LABCAT_ANALYTES, "718-7,a,b,numeric,g/dL,5,1,25,,,x"), "column 6 (decimals)"));
	ck_assert_str_eq(problem(LABCAT_ANALYTES, "718-7,a,b,numeric,g/dL,1,25,1,,,x"),
	                 "column 8 (plausible_high) is not above plausible_low");
	ck_assert(strstr(problem(LABCAT_ANALYTES, "5804-0,a,b,coded,,0,,,,,x"), "column 9 (choices)"));
	ck_assert(strstr(problem(LABCAT_ANALYTES, "5804-0,a,b,coded,,0,,,negative,negative,x"),
	                 "column 9 (choices)"));
	ck_assert_str_eq(problem(LABCAT_ANALYTES, "5804-0,a,b,coded,,0,,,negative;1+,positive,x"),
	                 "column 10 (normal_choices) names an answer that is not in choices");
	ck_assert(strstr(problem(LABCAT_ANALYTES, "5804-0,a,b,coded,,0,1,2,negative;1+,negative,x"),
	                 "column 7 (plausible_low)"));
	ck_assert(strstr(problem(LABCAT_ANALYTES, "5804-0,a,b,coded,,0,,,neg;neg,neg,x"), "column 9"));
	ck_assert_str_eq(problem(LABCAT_RANGES, "718-7,female,6575,6575,12.1,15.1,,,x"),
	                 "column 4 (age_max_days) is not above age_min_days (the band is [min, max) in days)");
	ck_assert_str_eq(problem(LABCAT_RANGES, "718-7,female,0,,15.1,12.1,,,x"),
	                 "column 6 (high) is not above low");
	ck_assert_str_eq(problem(LABCAT_RANGES, "718-7,female,0,,12.1,15.1,12.1,,x"),
	                 "column 7 (critical_low) is not below low");
	ck_assert_str_eq(problem(LABCAT_RANGES, "718-7,female,0,,12.1,15.1,,15.1,x"),
	                 "column 8 (critical_high) is not above high");
	ck_assert(strstr(problem(LABCAT_RANGES, "718-7,female,0,,,,,,x"), "column 5 (low)"));
	ck_assert_str_eq(problem(LABCAT_RANGES, "718-7,woman,0,,1,2,,,x"),
	                 "column 2 (sex) is not female, male or any");
	ck_assert(strstr(problem(LABCAT_RANGES, "718-7,any,-1,,1,2,,,x"), "column 3 (age_min_days)"));
	ck_assert(strstr(problem(LABCAT_RANGES, "718-7,any,0,,1,2,,,"), "column 9 (source)"));
	ck_assert(strstr(problem(LABCAT_PANELS, "24331-1,a,b,2093-3;2093-3,x"), "column 4 (members)"));
	ck_assert(strstr(problem(LABCAT_PANELS, "24331-1,a,b,2093-3;;2571-8,x"), "column 4 (members)"));
	ck_assert(strstr(problem(LABCAT_CONVERSIONS, ",g/L,g/dL,0,x"), "column 4 (factor)"));
	ck_assert(strstr(problem(LABCAT_CONVERSIONS, ",g/L,g/dL,-2,x"), "column 4 (factor)"));
	ck_assert_str_eq(problem(LABCAT_CONVERSIONS, ",g/L,g/L,1,x"),
	                 "column 3 (to_unit) is the same unit as from_unit");
	ck_assert(strstr(problem(LABCAT_RANGES, "718-7,any,0,1,2,x"), "does not have the 9 columns"));
}
END_TEST

START_TEST(test_file_kinds)
{
	ck_assert_int_eq(labcat_kind_of_file("data/lab/ranges.csv"), LABCAT_RANGES);
	ck_assert_int_eq(labcat_kind_of_file("analytes.csv"), LABCAT_ANALYTES);
	ck_assert_int_eq(labcat_kind_of_file("/x/my-ranges.csv"), LABCAT__MAX);
	ck_assert_str_eq(labcat_file_name(LABCAT_PANELS), "panels.csv");
}
END_TEST

/* ------------------------------------------------ the shipped files */

#define MAX_ROWS 400

struct file_rows {
	size_t n;
	char *f[MAX_ROWS][LABCAT_FIELDS_MAX];
};

/* Every row of data/lab/<file>, each field copied. */
static void
read_rows(enum labcat_kind k, struct file_rows *out)
{
	const char *src = getenv("MEDSYS_SRCDIR");
	char path[1024], *line = NULL, why[800];
	size_t cap = 0, lineno = 0;
	struct labcat_row *r = malloc(sizeof(*r));
	int header = 0;
	ssize_t len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/data/lab/%s", src ? src : ".", labcat_file_name(k));
	ck_assert_msg((f = fopen(path, "r")) != NULL, "cannot read %s", path);
	out->n = 0;
	while ((len = getline(&line, &cap, f)) != -1) {
		enum labcat_status st;

		lineno++;
		ck_assert_msg(len > 0 && line[len - 1] == '\n', "%s line %zu: no newline", path, lineno);
		st = labcat_parse_line(k, header, line, (size_t)len - 1, r);
		ck_assert_msg(st <= LABCAT_HEADER, "%s line %zu: %s", path, lineno,
		              labcat_problem(k, st, r, why, sizeof(why)));
		header |= st == LABCAT_HEADER;
		if (st != LABCAT_OK)
			continue;
		ck_assert(out->n < MAX_ROWS);
		for (size_t i = 0; i < r->nfields; i++) {
			ck_assert_msg(utf8_valid_text(r->field[i], strlen(r->field[i])), "%s line %zu", path, lineno);
			out->f[out->n][i] = strdup(r->field[i]);
		}
		out->n++;
	}
	free(line);
	free(r);
	fclose(f);
}

static void
free_rows(struct file_rows *rows)
{
	for (size_t i = 0; i < rows->n; i++)
		for (size_t j = 0; j < LABCAT_FIELDS_MAX; j++)
			free(rows->f[i][j]);
}

/* The analytes row of code, or -1. */
static long
analyte_row(const struct file_rows *a, const char *code)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->f[i][0], code) == 0)
			return (long)i;
	return -1;
}

START_TEST(test_shipped_files)
{
	static struct file_rows a, r, p, c;
	static const char *const panels_wanted[] = {
		"58410-2", "51990-0", "24323-8", "24331-1", "24325-3", "24357-6", NULL
	};
	static const char *const analytes_wanted[] = {
		"718-7", "4548-4", "3016-3", "3024-7", "1988-5", "6301-6", "1742-6", "5804-0", NULL
	};
	size_t numeric = 0;

	read_rows(LABCAT_ANALYTES, &a);
	read_rows(LABCAT_RANGES, &r);
	read_rows(LABCAT_PANELS, &p);
	read_rows(LABCAT_CONVERSIONS, &c);
	ck_assert_uint_ge(a.n, 40);
	for (size_t i = 0; i < a.n; i++) {
		int has_range = 0;
		ck_assert_msg(analyte_row(&a, a.f[i][0]) == (long)i, "%s twice", a.f[i][0]);
		for (size_t j = 0; j < r.n; j++)
			has_range |= strcmp(r.f[j][0], a.f[i][0]) == 0;
		if (strcmp(a.f[i][3], "numeric") == 0) {
			numeric++;
			ck_assert_msg(has_range, "numeric analyte %s has no range", a.f[i][0]);
		}
	}
	ck_assert_uint_ge(numeric, 40);
	for (size_t j = 0; j < r.n; j++) {
		long ai = analyte_row(&a, r.f[j][0]);
		ck_assert_msg(ai >= 0 && strcmp(a.f[ai][3], "numeric") == 0, "range of %s", r.f[j][0]);
		for (size_t k = 0; k < j; k++) {
			long min1 = atol(r.f[j][2]), max1 = r.f[j][3][0] ? atol(r.f[j][3]) : 1L << 30;
			long min2 = atol(r.f[k][2]), max2 = r.f[k][3][0] ? atol(r.f[k][3]) : 1L << 30;
			ck_assert_msg(strcmp(r.f[j][0], r.f[k][0]) || strcmp(r.f[j][1], r.f[k][1]) ||
			              max1 <= min2 || max2 <= min1, "bands of %s overlap", r.f[j][0]);
		}
	}
	for (size_t i = 0; i < p.n; i++) {
		char code[16];
		for (size_t m = 0; labcat_list_item(p.f[i][3], m, code, sizeof(code)); m++)
			ck_assert_msg(analyte_row(&a, code) >= 0, "panel %s: %s", p.f[i][0], code);
	}
	for (size_t w = 0; panels_wanted[w]; w++) {
		int found = 0;
		for (size_t i = 0; i < p.n; i++)
			found |= strcmp(p.f[i][0], panels_wanted[w]) == 0;
		ck_assert_msg(found, "panel %s missing", panels_wanted[w]);
	}
	for (size_t w = 0; analytes_wanted[w]; w++)
		ck_assert_msg(analyte_row(&a, analytes_wanted[w]) >= 0, "%s missing", analytes_wanted[w]);
	for (size_t i = 0; i < c.n; i++)
		ck_assert_msg(c.f[i][0][0] == '\0' || analyte_row(&a, c.f[i][0]) >= 0, "conversion of %s",
		              c.f[i][0]);
	free_rows(&a);
	free_rows(&r);
	free_rows(&p);
	free_rows(&c);
}
END_TEST

int
main(void)
{
	return tcase_run_alone("labcat", tcase_list_add(tcase_create("parse"), test_loinc_check_digit,
	                       test_good_lines, test_bad_lines_name_the_column, test_file_kinds,
	                       test_shipped_files, NULL));
}
