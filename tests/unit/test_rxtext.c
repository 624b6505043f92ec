/* test_rxtext: the instruction a patient reads on their prescription, in
 * Spanish and English, for every dose unit, route and kind of frequency
 * and duration; the refusals; and the dose arithmetic behind the quantity
 * suggestion and the maximum-dose check. */
#include <check.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../check_util.h"
#include "lib/rxtext.h"

static struct rx_instr
instr(double amount, const char *unit, const char *route, int every, int as_needed, int days,
      int until_told, const char *advice)
{
	struct rx_instr in = { amount, unit, route, every, as_needed, days, until_told, advice };
	return in;
}

static void
assert_text(const struct rx_instr *in, enum rx_lang lang, const char *want)
{
	char out[RXTEXT_LINE_MAX];
	int n = rxtext_instruction(in, lang, out, sizeof(out));

	ck_assert_msg(n >= 0, "refused, want \"%s\"", want);
	ck_assert_str_eq(out, want);
	ck_assert_int_eq(n, (int)strlen(want));
}

START_TEST(test_the_issue_examples)
{
	struct rx_instr a = instr(1, "tablet", "oral", 8, 0, 7, 0, NULL);
	struct rx_instr b = instr(2.5, "mL", "oral", 12, 1, 0, 1, "");

	assert_text(&a, RX_LANG_EN, "1 tablet by mouth every 8 hours for 7 days");
	assert_text(&a, RX_LANG_ES, "1 comprimido por vía oral cada 8 horas durante 7 días");
	assert_text(&b, RX_LANG_EN, "2.5 mL by mouth every 12 hours as needed, until told otherwise");
	assert_text(&b, RX_LANG_ES, "2,5 mL por vía oral cada 12 horas si lo necesita, hasta nueva indicación");
}
END_TEST

/* Exactly one is singular; halves and one and a half are plural. */
START_TEST(test_plurals_and_decimals)
{
	struct rx_instr in = instr(0.5, "tablet", "oral", 24, 0, 0, 0, NULL);

	assert_text(&in, RX_LANG_ES, "0,5 comprimidos por vía oral una vez al día");
	assert_text(&in, RX_LANG_EN, "0.5 tablets by mouth once a day");
	in.dose_amount = 1.5;
	assert_text(&in, RX_LANG_ES, "1,5 comprimidos por vía oral una vez al día");
	in.dose_amount = 2;
	assert_text(&in, RX_LANG_EN, "2 tablets by mouth once a day");
	in.dose_amount = 0.25;
	assert_text(&in, RX_LANG_EN, "0.25 tablets by mouth once a day");
	in.dose_amount = 1.0004;   /* past the third decimal: 1 */
	assert_text(&in, RX_LANG_ES, "1 comprimido por vía oral una vez al día");
	in.dose_amount = 0.125;
	in.dose_unit = "mL";
	assert_text(&in, RX_LANG_ES, "0,125 mL por vía oral una vez al día");
}
END_TEST

struct unit_case {
	const char *code, *es1, *es2, *en1, *en2;
};

/* Every unit rxtext knows, singular and plural in both languages. */
START_TEST(test_every_unit)
{
	static const struct unit_case cases[] = {
		{ "tablet", "1 comprimido", "2 comprimidos", "1 tablet", "2 tablets" },
		{ "capsule", "1 cápsula", "2 cápsulas", "1 capsule", "2 capsules" },
		{ "mL", "1 mL", "2 mL", "1 mL", "2 mL" },
		{ "puff", "1 inhalación", "2 inhalaciones", "1 puff", "2 puffs" },
		{ "drop", "1 gota", "2 gotas", "1 drop", "2 drops" },
		{ "application", "1 aplicación", "2 aplicaciones", "1 application", "2 applications" },
		{ "sachet", "1 sobre", "2 sobres", "1 sachet", "2 sachets" },
		{ "unit", "1 unidad", "2 unidades", "1 unit", "2 units" },
		{ "mg", "1 mg", "2 mg", "1 mg", "2 mg" },
		{ "g", "1 g", "2 g", "1 g", "2 g" },
		{ "mcg", "1 microgramo", "2 microgramos", "1 microgram", "2 micrograms" },
		{ "suppository", "1 supositorio", "2 supositorios", "1 suppository", "2 suppositories" },
		{ "pessary", "1 óvulo", "2 óvulos", "1 pessary", "2 pessaries" },
		{ "patch", "1 parche", "2 parches", "1 patch", "2 patches" },
		{ "ampoule", "1 ampolla", "2 ampollas", "1 ampoule", "2 ampoules" },
		{ "vial", "1 vial", "2 viales", "1 vial", "2 vials" },
		{ "spray", "1 pulverización", "2 pulverizaciones", "1 spray", "2 sprays" },
		{ "lozenge", "1 pastilla para chupar", "2 pastillas para chupar", "1 lozenge", "2 lozenges" },
		{ "dose", "1 dosis", "2 dosis", "1 dose", "2 doses" },
	};
	size_t n = sizeof(cases) / sizeof(cases[0]);
	char out[128];

	for (size_t i = 0; i < n; i++) {
		const struct unit_case *c = &cases[i];
		rxtext_quantity(1, c->code, RX_LANG_ES, out, sizeof(out));
		ck_assert_str_eq(out, c->es1);
		rxtext_quantity(2, c->code, RX_LANG_ES, out, sizeof(out));
		ck_assert_str_eq(out, c->es2);
		rxtext_quantity(1, c->code, RX_LANG_EN, out, sizeof(out));
		ck_assert_str_eq(out, c->en1);
		rxtext_quantity(2, c->code, RX_LANG_EN, out, sizeof(out));
		ck_assert_str_eq(out, c->en2);
		ck_assert_str_eq(rxtext_unit_code(i), c->code);
	}
	ck_assert_ptr_null(rxtext_unit_code(n));   /* none the test does not cover */
	/* A unit of the catalog rxtext has no words for is printed as it is. */
	rxtext_quantity(3, "IU", RX_LANG_EN, out, sizeof(out));
	ck_assert_str_eq(out, "3 IU");
	ck_assert_ptr_null(rxtext_unit_name("IU", RX_LANG_EN));
	ck_assert_str_eq(rxtext_unit_name("drop", RX_LANG_ES), "gotas");
}
END_TEST

struct route_case {
	const char *code, *es, *en;
};

START_TEST(test_every_route)
{
	static const struct route_case cases[] = {
		{ "oral", "1 dosis por vía oral una vez al día", "1 dose by mouth once a day" },
		{ "sublingual", "1 dosis debajo de la lengua una vez al día", "1 dose under the tongue once a day" },
		{ "topical", "1 dosis sobre la piel una vez al día", "1 dose on the skin once a day" },
		{ "transdermal", "1 dosis pegado sobre la piel una vez al día", "1 dose stuck on the skin once a day" },
		{ "inhaled", "1 dosis por vía inhalatoria una vez al día", "1 dose inhaled once a day" },
		{ "nasal", "1 dosis en la nariz una vez al día", "1 dose in the nose once a day" },
		{ "ophthalmic", "1 dosis en el ojo una vez al día", "1 dose in the eye once a day" },
		{ "rectal", "1 dosis por vía rectal una vez al día", "1 dose in the rectum once a day" },
		{ "vaginal", "1 dosis por vía vaginal una vez al día", "1 dose in the vagina once a day" },
		{ "subcutaneous", "1 dosis en inyección bajo la piel una vez al día",
		  "1 dose by injection under the skin once a day" },
		{ "intramuscular", "1 dosis en inyección en un músculo una vez al día",
		  "1 dose by injection into a muscle once a day" },
		{ "intravenous", "1 dosis por vía intravenosa una vez al día", "1 dose into a vein once a day" },
		{ "other", "1 dosis una vez al día", "1 dose once a day" },   /* no route words */
	};
	size_t n = sizeof(cases) / sizeof(cases[0]);

	for (size_t i = 0; i < n; i++) {
		struct rx_instr in = instr(1, "dose", cases[i].code, 24, 0, 0, 0, NULL);
		assert_text(&in, RX_LANG_ES, cases[i].es);
		assert_text(&in, RX_LANG_EN, cases[i].en);
		ck_assert_str_eq(rxtext_route_code(i), cases[i].code);
		ck_assert_ptr_nonnull(rxtext_route_name(cases[i].code, RX_LANG_ES));
	}
	ck_assert_ptr_null(rxtext_route_code(n));
	ck_assert_str_eq(rxtext_route_name("other", RX_LANG_EN), "other route");
	ck_assert_ptr_null(rxtext_route_name("otic", RX_LANG_EN));
}
END_TEST

START_TEST(test_frequencies_and_durations)
{
	struct rx_instr in = instr(2, "drop", "ophthalmic", 6, 0, 1, 0, NULL);

	assert_text(&in, RX_LANG_EN, "2 drops in the eye every 6 hours for 1 day");
	assert_text(&in, RX_LANG_ES, "2 gotas en el ojo cada 6 horas durante 1 día");
	in.every_hours = 1;
	in.duration_days = 2;
	assert_text(&in, RX_LANG_EN, "2 drops in the eye every hour for 2 days");
	assert_text(&in, RX_LANG_ES, "2 gotas en el ojo cada hora durante 2 días");
	in = instr(1, "patch", "transdermal", 72, 0, 0, 1, NULL);
	assert_text(&in, RX_LANG_EN, "1 patch stuck on the skin every 72 hours, until told otherwise");
	in = instr(1, "tablet", "oral", 168, 0, 0, 0, NULL);   /* neither: nothing said */
	assert_text(&in, RX_LANG_EN, "1 tablet by mouth once a week");
	assert_text(&in, RX_LANG_ES, "1 comprimido por vía oral una vez a la semana");
	in = instr(1, "sachet", "oral", 0, 0, 0, 0, NULL);
	assert_text(&in, RX_LANG_EN, "1 sachet by mouth as a single dose");
	assert_text(&in, RX_LANG_ES, "1 sobre por vía oral en una sola dosis");
	in.as_needed = 1;
	assert_text(&in, RX_LANG_ES, "1 sobre por vía oral en una sola dosis si lo necesita");
	in = instr(2, "puff", "inhaled", 4, 1, 5, 0, NULL);
	assert_text(&in, RX_LANG_EN, "2 puffs inhaled every 4 hours as needed for 5 days");
	assert_text(&in, RX_LANG_ES, "2 inhalaciones por vía inhalatoria cada 4 horas si lo necesita durante 5 días");
}
END_TEST

START_TEST(test_advice_is_its_own_sentence)
{
	struct rx_instr in = instr(1, "capsule", "oral", 8, 0, 7, 0, "  Tomar con comida \n");

	assert_text(&in, RX_LANG_ES, "1 cápsula por vía oral cada 8 horas durante 7 días. Tomar con comida.");
	in.advice = "Take with food!";
	assert_text(&in, RX_LANG_EN, "1 capsule by mouth every 8 hours for 7 days. Take with food!");
	in.advice = " \t ";
	assert_text(&in, RX_LANG_EN, "1 capsule by mouth every 8 hours for 7 days");
}
END_TEST

START_TEST(test_refusals)
{
	static const struct {
		struct rx_instr in;
		enum rxtext_error want;
	} cases[] = {
		{ { 0, "tablet", "oral", 8, 0, 7, 0, NULL }, RXTEXT_BAD_AMOUNT },
		{ { -1, "tablet", "oral", 8, 0, 7, 0, NULL }, RXTEXT_BAD_AMOUNT },
		{ { 0.0004, "tablet", "oral", 8, 0, 7, 0, NULL }, RXTEXT_BAD_AMOUNT },
		{ { 10001, "tablet", "oral", 8, 0, 7, 0, NULL }, RXTEXT_BAD_AMOUNT },
		{ { NAN, "tablet", "oral", 8, 0, 7, 0, NULL }, RXTEXT_BAD_AMOUNT },
		{ { 1, "", "oral", 8, 0, 7, 0, NULL }, RXTEXT_BAD_UNIT },
		{ { 1, NULL, "oral", 8, 0, 7, 0, NULL }, RXTEXT_BAD_UNIT },
		{ { 1, "tab let", "oral", 8, 0, 7, 0, NULL }, RXTEXT_BAD_UNIT },
		{ { 1, "tablet", "otic", 8, 0, 7, 0, NULL }, RXTEXT_BAD_ROUTE },
		{ { 1, "tablet", NULL, 8, 0, 7, 0, NULL }, RXTEXT_BAD_ROUTE },
		{ { 1, "tablet", "oral", -8, 0, 7, 0, NULL }, RXTEXT_BAD_EVERY },
		{ { 1, "tablet", "oral", 721, 0, 7, 0, NULL }, RXTEXT_BAD_EVERY },
		{ { 1, "tablet", "oral", 8, 0, 367, 0, NULL }, RXTEXT_BAD_DURATION },
		{ { 1, "tablet", "oral", 8, 0, 7, 1, NULL }, RXTEXT_DURATION_CONFLICT },
		{ { 1, "tablet", "oral", 0, 0, 7, 0, NULL }, RXTEXT_DURATION_CONFLICT },
		{ { 1, "tablet", "oral", 0, 0, 0, 1, NULL }, RXTEXT_DURATION_CONFLICT },
	};
	char out[64] = "x";

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(rxtext_check(&cases[i].in), cases[i].want);
		ck_assert_int_eq(rxtext_instruction(&cases[i].in, RX_LANG_EN, out, sizeof(out)), -1);
		ck_assert_str_eq(out, "");
		ck_assert_int_eq(rxtext_total_units(&cases[i].in), -1);
		ck_assert(rxtext_mg_per_day(&cases[i].in, 500) < 0);
	}
	{
		char advice[RXTEXT_ADVICE_MAX + 2];
		struct rx_instr in = instr(1, "tablet", "oral", 8, 0, 7, 0, advice);
		memset(advice, 'a', sizeof(advice) - 1);
		advice[sizeof(advice) - 1] = '\0';
		ck_assert_int_eq(rxtext_check(&in), RXTEXT_ADVICE_TOO_LONG);
		advice[RXTEXT_ADVICE_MAX] = '\0';
		ck_assert_int_eq(rxtext_check(&in), RXTEXT_OK);
	}
}
END_TEST

/* Like snprintf: the length it needs, and a cut copy still ends in NUL. */
START_TEST(test_lengths_like_snprintf)
{
	struct rx_instr in = instr(1, "tablet", "oral", 8, 0, 7, 0, NULL);
	char small[8];
	int n = rxtext_instruction(&in, RX_LANG_EN, NULL, 0);

	ck_assert_int_eq(n, (int)strlen("1 tablet by mouth every 8 hours for 7 days"));
	ck_assert_int_eq(rxtext_instruction(&in, RX_LANG_EN, small, sizeof(small)), n);
	ck_assert_str_eq(small, "1 table");
	ck_assert_int_eq(rxtext_amount(1234.5, RX_LANG_ES, small, sizeof(small)), 6);
	ck_assert_str_eq(small, "1234,5");
	ck_assert_int_eq(rxtext_amount(-0.75, RX_LANG_EN, small, sizeof(small)), 5);
	ck_assert_str_eq(small, "-0.75");
}
END_TEST

START_TEST(test_languages)
{
	ck_assert_int_eq(rx_lang_parse("en"), RX_LANG_EN);
	ck_assert_int_eq(rx_lang_parse("en-GB"), RX_LANG_EN);
	ck_assert_int_eq(rx_lang_parse("es"), RX_LANG_ES);
	ck_assert_int_eq(rx_lang_parse("eng"), RX_LANG_ES);
	ck_assert_int_eq(rx_lang_parse(NULL), RX_LANG_ES);
}
END_TEST

START_TEST(test_doses_and_quantity)
{
	struct rx_instr in = instr(1, "tablet", "oral", 8, 0, 7, 0, NULL);

	ck_assert_double_eq(rxtext_doses_per_day(&in), 3.0);
	ck_assert_int_eq(rxtext_total_units(&in), 21);
	in = instr(2.5, "mL", "oral", 12, 0, 5, 0, NULL);
	ck_assert_int_eq(rxtext_total_units(&in), 25);
	in = instr(0.5, "tablet", "oral", 24, 0, 7, 0, NULL);   /* 3.5 tablets: 4 to hand out */
	ck_assert_int_eq(rxtext_total_units(&in), 4);
	in = instr(0.1, "mL", "oral", 8, 0, 10, 0, NULL);       /* exactly 3, not 3.0000001 -> 4 */
	ck_assert_int_eq(rxtext_total_units(&in), 3);
	in = instr(1, "patch", "transdermal", 72, 0, 7, 0, NULL);  /* at 0, 72 and 144 hours */
	ck_assert_int_eq(rxtext_total_units(&in), 3);
	ck_assert_double_eq_tol(rxtext_doses_per_day(&in), 1.0 / 3, 1e-9);
	in = instr(2, "tablet", "oral", 0, 0, 0, 0, NULL);
	ck_assert_int_eq(rxtext_total_units(&in), 2);
	ck_assert_double_eq(rxtext_doses_per_day(&in), 1.0);
	in = instr(1, "tablet", "oral", 8, 1, 0, 1, NULL);      /* until told: no end */
	ck_assert_int_eq(rxtext_total_units(&in), -1);
	in.until_told = 0;                                       /* no duration either */
	ck_assert_int_eq(rxtext_total_units(&in), -1);
}
END_TEST

START_TEST(test_mg_per_day)
{
	struct rx_instr in = instr(1, "tablet", "oral", 8, 0, 7, 0, NULL);

	ck_assert_double_eq(rxtext_mg_per_day(&in, 500), 1500);
	ck_assert(rxtext_mg_per_day(&in, 0) < 0);                /* a tablet of unknown mg */
	in = instr(2, "tablet", "oral", 6, 1, 0, 0, NULL);       /* as needed: at most */
	ck_assert_double_eq(rxtext_mg_per_day(&in, 500), 4000);
	in = instr(400, "mg", "oral", 6, 0, 5, 0, NULL);
	ck_assert_double_eq(rxtext_mg_per_day(&in, 0), 1600);
	in = instr(1, "g", "intravenous", 8, 0, 5, 0, NULL);
	ck_assert_double_eq(rxtext_mg_per_day(&in, 0), 3000);
	in = instr(100, "mcg", "inhaled", 12, 0, 0, 1, NULL);
	ck_assert_double_eq_tol(rxtext_mg_per_day(&in, 0), 0.2, 1e-12);
	in = instr(5, "mL", "oral", 8, 0, 5, 0, NULL);           /* 250 mg / 5 mL */
	ck_assert_double_eq(rxtext_mg_per_day(&in, 50), 750);
}
END_TEST

int
main(void)
{
	return tcase_run_alone("rxtext", tcase_list_add(tcase_create("rxtext"),
	        test_the_issue_examples, test_plurals_and_decimals, test_every_unit, test_every_route,
	        test_frequencies_and_durations, test_advice_is_its_own_sentence, test_refusals,
	        test_lengths_like_snprintf, test_languages, test_doses_and_quantity, test_mg_per_day,
	        NULL));
}
