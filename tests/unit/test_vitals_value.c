/* test_vitals_value: the numbers a doctor types into the vital-signs form
 * (fcgi/pages/record/vitals_value.c): a decimal point or comma, at most
 * the field's decimals, the plausibility ranges of ehr.vital_versions. */
#include <check.h>

#include "../check_util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages/record/vitals.h"

struct value_case {
	enum vital_field field;
	const char *text;
	enum vital_parse want;
	long hundredths;            /* checked on VP_OK and VP_RANGE */
};

static const struct value_case cases[] = {
	{ VF_TEMPERATURE, "36,6", VP_OK, 3660 },          /* Spanish decimal comma */
	{ VF_TEMPERATURE, "36.6", VP_OK, 3660 },
	{ VF_TEMPERATURE, "36,66", VP_DECIMALS, 0 },      /* one decimal kept: say so, never round */
	{ VF_TEMPERATURE, "36,60", VP_OK, 3660 },         /* a zero at the end says nothing more */
	{ VF_TEMPERATURE, "98,6", VP_RANGE, 9860 },       /* Fahrenheit */
	{ VF_TEMPERATURE, "25", VP_OK, 2500 },            /* the limits are inside */
	{ VF_TEMPERATURE, "45,0", VP_OK, 4500 },
	{ VF_TEMPERATURE, "45,1", VP_RANGE, 4510 },
	{ VF_WEIGHT, "700", VP_RANGE, 70000 },
	{ VF_WEIGHT, "70,55", VP_OK, 7055 },
	{ VF_WEIGHT, "70,500", VP_OK, 7050 },
	{ VF_WEIGHT, "70,555", VP_DECIMALS, 0 },
	{ VF_WEIGHT, "0,3", VP_OK, 30 },
	{ VF_WEIGHT, "0,29", VP_RANGE, 29 },
	{ VF_WEIGHT, "400", VP_OK, 40000 },
	{ VF_WEIGHT, "400,01", VP_RANGE, 40001 },
	{ VF_SYSTOLIC, "120", VP_OK, 12000 },
	{ VF_SYSTOLIC, "120.0", VP_OK, 12000 },
	{ VF_SYSTOLIC, "120.5", VP_DECIMALS, 0 },
	{ VF_GLUCOSE, "5,5", VP_DECIMALS, 0 },            /* mmol/L typed into mg/dL */
	{ VF_GLUCOSE, "5", VP_RANGE, 500 },
	{ VF_GLUCOSE, "1500", VP_OK, 150000 },
	{ VF_SPO2, "101", VP_RANGE, 10100 },
	{ VF_HEIGHT, "175,5", VP_OK, 17550 },
	{ VF_HEIGHT, "1,75", VP_DECIMALS, 0 },            /* metres */
	{ VF_WEIGHT, "", VP_EMPTY, 0 },
	{ VF_WEIGHT, "1.234,5", VP_NOT_NUMBER, 0 },       /* thousands separator */
	{ VF_WEIGHT, ",5", VP_NOT_NUMBER, 0 },
	{ VF_WEIGHT, "5,", VP_NOT_NUMBER, 0 },
	{ VF_WEIGHT, "70kg", VP_NOT_NUMBER, 0 },
	{ VF_WEIGHT, "70 kg", VP_NOT_NUMBER, 0 },
	{ VF_WEIGHT, "-70", VP_NOT_NUMBER, 0 },
	{ VF_WEIGHT, "+70", VP_NOT_NUMBER, 0 },
	{ VF_WEIGHT, "7e1", VP_NOT_NUMBER, 0 },
	{ VF_WEIGHT, "1234567", VP_NOT_NUMBER, 0 },       /* more digits than any range */
	{ VF_WEIGHT, "70,5,5", VP_NOT_NUMBER, 0 },
	{ VF_WEIGHT, "70,12345678", VP_DECIMALS, 0 },
};

START_TEST(test_value_table)
{
	const struct value_case *c = &cases[_i];
	long v = -1;
	enum vital_parse got = vitals_parse(c->field, c->text, &v);

	ck_assert_msg(got == c->want, "\"%s\" as %s: got %d, want %d", c->text,
	              vital_specs[c->field].name, (int)got, (int)c->want);
	if (got == VP_OK || got == VP_RANGE)
		ck_assert_msg(v == c->hundredths, "\"%s\": %ld hundredths, want %ld", c->text, v, c->hundredths);
}
END_TEST

/* The form's ranges are the CHECKs of ehr.vital_versions (migration
 * 012), read from the migration itself. */
START_TEST(test_ranges_match_the_schema)
{
	const char *src = getenv("MEDSYS_SRCDIR");
	char path[512], want[96], *sql;
	FILE *f;
	long len;

	snprintf(path, sizeof(path), "%s/sql/migrations/012_ehr_record.sql", src ? src : ".");
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	ck_assert_int_gt(len = ftell(f), 0);
	rewind(f);
	ck_assert_ptr_nonnull(sql = calloc(1, (size_t)len + 1));
	ck_assert_uint_eq(fread(sql, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	for (int i = 0; i < VF__MAX; i++) {
		const struct vital_spec *s = &vital_specs[i];
		snprintf(want, sizeof(want), "%s BETWEEN %g AND %g", s->name, s->min / 100.0, s->max / 100.0);
		ck_assert_msg(strstr(sql, want) != NULL, "012 has no \"%s\"", want);
	}
	free(sql);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_list_add(tcase_create("core"), test_ranges_match_the_schema, NULL);

	tcase_add_loop_test(tc, test_value_table, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	return tcase_run_alone("vitals_value", tc);
}
