/* test_triage: the symptom checker's engine on a small hand-made base
 * (normalisation, the separating question first, unknown answers,
 * stopping) and on the shipped base (every red-flag rule ends the
 * interview; loader errors). Matcher and case reader: test_triagematch.c. */
#include <check.h>

#include "../check_util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/triagefiles.h"
#include "lib/triage.h"
#include "triage_test.h"

/* Two look-alike conditions A and B and an emergency E: "sep" separates
 * A from B, "same" does not, "flag" is a red-flag finding. */
static const char *const small_findings =
	"id,kind,name_en,name_es,synonyms_en,synonyms_es,question_en,question_es,answer,base,source\n"
	"# a comment line\n"
	"common,symptom,Common,Común,,,Common?,¿Común?,yesno,0.2,test\n"
	"sep,symptom,Separates,Separa,,,Sep?,¿Sep?,yesno,0.1,test\n"
	"same,symptom,Same,Igual,,,Same?,¿Igual?,yesno,0.3,test\n"
	"flag,sign,Flag,Bandera,,,Flag?,¿Bandera?,yesno,0.01,test\n"
	"girl,risk,Girl,Niña,,,Girl?,¿Niña?,yesno,0.1,test\n";
static const char *const small_conditions =
	"id,name_en,name_es,explain_en,explain_es,urgency,specialty,selfcare_en,selfcare_es,cautions_en,cautions_es,source\n"
	"cond_a,A,A,Explain,Explica,selfcare,family,Rest,Descanso,Care,Cuidado,test\n"
	"cond_b,B,B,Explain,Explica,days,family,Rest,Descanso,Care,Cuidado,test\n"
	"cond_e,E,E,Explain,Explica,emergency,family,,,,,test\n"
	"cond_f,F,F,Explain,Explica,today,gynaecology,,,,,test\n";
static const char *const small_priors =
	"condition,sex,age_min,age_max,prior\n"
	"cond_a,any,0,200,100\ncond_b,any,0,200,100\ncond_e,any,0,200,5\ncond_f,female,12,50,20\n";
static const char *const small_evidence =
	"condition,finding,p,source\n"
	"cond_a,common,0.9,t\ncond_a,sep,0.9,t\ncond_a,same,0.5,t\n"
	"cond_b,common,0.9,t\ncond_b,sep,0.05,t\ncond_b,same,0.5,t\n"
	"cond_e,flag,0.9,t\ncond_e,common,0.5,t\ncond_f,girl,0.9,t\n";
static const char *const small_redflags =
	"id,all_of,any_of,min_age,max_age,sex,advice_en,advice_es,crisis,source\n"
	"rf_flag,flag,,0,200,any,Call 112,Llame al 112,no,test\n";

struct triage_kb *
small_kb(void)
{
	struct triage_kb *kb = tkb_new();
	const char *files[][2] = {
		{ "conditions.csv", small_conditions }, { "findings.csv", small_findings },
		{ "priors.csv", small_priors }, { "evidence.csv", small_evidence },
		{ "redflags.csv", small_redflags }, { "VERSION", "1.0\n" },
	};
	char err[256] = "";

	ck_assert_ptr_nonnull(kb);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		ck_assert_msg(tkb_add(kb, tkb_table_of(files[i][0]), files[i][0], files[i][1], strlen(files[i][1]),
		                      err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(tkb_finish(kb, err, sizeof(err)) == 0, "%s", err);
	return kb;
}

struct triage_kb *
shipped_kb(void)
{
	const char *src = getenv("MEDSYS_SRCDIR");
	char dir[1024], err[256] = "";
	struct triage_kb *kb;

	snprintf(dir, sizeof(dir), "%s/data/triage", src ? src : ".");
	kb = triage_kb_load(dir, err, sizeof(err));
	ck_assert_msg(kb != NULL, "shipped base: %s", err);
	return kb;
}

static struct triage_answer
ans(const struct triage_kb *kb, const char *id, enum triage_reply r)
{
	struct triage_answer a = { 0, r, TRIAGE_FROM_QUESTION, 0, 0 };
	int f = tkb_finding_index(kb, id);

	ck_assert_msg(f >= 0, "no finding %s", id);
	a.finding = (uint16_t)f;
	return a;
}

START_TEST(test_file_names)
{
	ck_assert_int_eq(tkb_table_of("findings.csv"), TKB_FINDINGS);
	ck_assert_int_eq(tkb_table_of("findings-2.csv"), TKB_FINDINGS);
	ck_assert_int_eq(tkb_table_of("evidence-paediatrics.csv"), TKB_EVIDENCE);
	ck_assert_int_eq(tkb_table_of("VERSION"), TKB_VERSION);
	ck_assert_int_eq(tkb_table_of("README.md"), TKB_TABLE__MAX);
	ck_assert_int_eq(tkb_table_of("findingsx.csv"), TKB_TABLE__MAX);
	ck_assert_int_eq(tkb_table_of("findings.csv~"), TKB_TABLE__MAX);
}
END_TEST

START_TEST(test_posterior_normalised)
{
	struct triage_kb *kb = shipped_kb();
	struct triage_person who[] = { { 30, TKB_FEMALE, 0 }, { 70, TKB_MALE, 0 }, { 4, TKB_ANY, 0 }, { 25, TKB_FEMALE, 1 } };
	struct triage_answer a[] = { ans(kb, "fever", TRIAGE_YES), ans(kb, "cough", TRIAGE_YES),
	                             ans(kb, "headache", TRIAGE_NO), ans(kb, "diarrhoea", TRIAGE_UNKNOWN) };
	double *post = calloc(kb->nconditions, sizeof(double));
	struct triage_result r;

	for (size_t w = 0; w < sizeof(who) / sizeof(who[0]); w++)
		for (size_t n = 0; n <= 4; n++) {
			double sum = 0, top = 0;
			triage_run(kb, &who[w], a, n, &r, post);
			for (size_t c = 0; c < kb->nconditions; c++) {
				ck_assert(post[c] >= 0 && post[c] <= 1);
				sum += post[c];
			}
			ck_assert_msg(fabs(sum - 1) < 1e-9, "person %zu, %zu answers: sum %.12f", w, n, sum);
			for (size_t i = 0; i < r.ntop; i++)
				top += r.top[i].p;
			ck_assert(top <= 1 + 1e-9 && r.ntop > 0);
			for (size_t i = 1; i < r.ntop; i++)
				ck_assert(r.top[i - 1].p >= r.top[i].p);
			ck_assert(fabs(r.mass[TKB_SELFCARE] - 1) < 1e-9);
		}
	free(post);
	tkb_free(kb);
}
END_TEST

START_TEST(test_separating_question_first)
{
	struct triage_kb *kb = small_kb();
	struct triage_person who = { 30, TKB_MALE, 0 };
	struct triage_answer a[] = { ans(kb, "flag", TRIAGE_NO), ans(kb, "common", TRIAGE_YES) };
	struct triage_result r;

	/* A and B lead together; "same" and "common" cannot tell them apart.
	 * (The emergency E is out of play: its red-flag finding is absent.) */
	ck_assert_int_eq(triage_run(kb, &who, a, 2, &r, NULL), TRIAGE_ASK);
	ck_assert_str_eq(kb->findings[r.next].id, "sep");
	ck_assert(fabs(r.top[0].p - r.top[1].p) < 1e-9);
	tkb_free(kb);
}
END_TEST

/* With an emergency still in play, its red-flag finding is asked first,
 * even though it hardly separates the two leaders. */
START_TEST(test_redflag_screened_first)
{
	struct triage_kb *kb = small_kb();
	struct triage_person who = { 30, TKB_MALE, 0 };
	struct triage_answer a[] = { ans(kb, "common", TRIAGE_YES), ans(kb, "flag", TRIAGE_NO) };
	struct triage_result r;

	ck_assert_int_eq(triage_run(kb, &who, a, 1, &r, NULL), TRIAGE_ASK);
	ck_assert_str_eq(kb->findings[r.next].id, "flag");
	ck_assert_int_eq(triage_run(kb, &who, a, 2, &r, NULL), TRIAGE_ASK);
	ck_assert_str_eq(kb->findings[r.next].id, "sep");
	tkb_free(kb);
}
END_TEST

START_TEST(test_unknown_changes_nothing)
{
	struct triage_kb *kb = shipped_kb();
	struct triage_person who = { 45, TKB_FEMALE, 0 };
	struct triage_answer a[8] = { ans(kb, "abdominal_pain", TRIAGE_YES), ans(kb, "nausea", TRIAGE_YES),
	                              ans(kb, "fever", TRIAGE_NO) };
	const char *unknown[] = { "pain_right_upper", "jaundice", "vomiting", "diarrhoea", "back_pain" };
	double *p1 = calloc(kb->nconditions, sizeof(double)), *p2 = calloc(kb->nconditions, sizeof(double));
	struct triage_result r1, r2;

	for (size_t i = 0; i < 5; i++)
		a[3 + i] = ans(kb, unknown[i], TRIAGE_UNKNOWN);
	triage_run(kb, &who, a, 3, &r1, p1);
	triage_run(kb, &who, a, 8, &r2, p2);
	ck_assert(memcmp(p1, p2, kb->nconditions * sizeof(double)) == 0);
	ck_assert_int_eq(r1.level, r2.level);
	ck_assert_int_eq(r1.top[0].condition, r2.top[0].condition);
	/* Asked once, an unknown finding is not asked again. */
	for (size_t i = 0; i < 5; i++)
		ck_assert(r2.status != TRIAGE_ASK || r2.next != a[3 + i].finding);
	free(p1);
	free(p2);
	tkb_free(kb);
}
END_TEST

START_TEST(test_later_answer_replaces)
{
	struct triage_kb *kb = small_kb();
	struct triage_person who = { 30, TKB_MALE, 0 };
	struct triage_answer once[] = { ans(kb, "sep", TRIAGE_NO) };
	struct triage_answer changed[] = { ans(kb, "sep", TRIAGE_YES), ans(kb, "sep", TRIAGE_NO) };
	struct triage_result r1, r2;

	triage_run(kb, &who, once, 1, &r1, NULL);
	triage_run(kb, &who, changed, 2, &r2, NULL);
	ck_assert(r1.top[0].p == r2.top[0].p);
	ck_assert_str_eq(kb->conditions[r2.top[0].condition].id, "cond_b");
	tkb_free(kb);
}
END_TEST

START_TEST(test_stops_when_clear_or_spent)
{
	struct triage_kb *kb = small_kb();
	struct triage_person who = { 30, TKB_MALE, 0 };
	struct triage_answer a[TRIAGE_MAX_QUESTIONS + 1];
	struct triage_result r;

	a[0] = ans(kb, "common", TRIAGE_YES);
	a[1] = ans(kb, "sep", TRIAGE_YES);
	a[2] = ans(kb, "flag", TRIAGE_NO);
	ck_assert_int_eq(triage_run(kb, &who, a, 3, &r, NULL), TRIAGE_DONE);
	ck_assert_str_eq(kb->conditions[r.top[0].condition].id, "cond_a");
	ck_assert(r.top[0].p >= TRIAGE_STOP_P);
	/* The budget: twenty answered questions end the interview. */
	for (size_t i = 0; i < TRIAGE_MAX_QUESTIONS; i++)
		a[i] = ans(kb, "same", TRIAGE_UNKNOWN);
	ck_assert_int_eq(triage_run(kb, &who, a, TRIAGE_MAX_QUESTIONS - 1, &r, NULL), TRIAGE_ASK);
	ck_assert_int_eq(triage_run(kb, &who, a, TRIAGE_MAX_QUESTIONS, &r, NULL), TRIAGE_DONE);
	tkb_free(kb);
}
END_TEST

START_TEST(test_priors_by_band)
{
	struct triage_kb *kb = small_kb();
	int f = tkb_condition_index(kb, "cond_f");
	struct triage_person man = { 30, TKB_MALE, 0 }, girl = { 8, TKB_FEMALE, 0 }, woman = { 30, TKB_FEMALE, 0 };
	struct triage_answer a[] = { ans(kb, "girl", TRIAGE_YES) };
	double post[8];
	struct triage_result r;

	ck_assert(tkb_prior_for(kb, (size_t)f, 30, TKB_FEMALE) == 20);
	ck_assert(tkb_prior_for(kb, (size_t)f, 50, TKB_FEMALE) == 0);   /* max is exclusive */
	ck_assert(tkb_prior_for(kb, (size_t)f, 30, TKB_MALE) == 0);
	triage_run(kb, &man, a, 1, &r, post);
	ck_assert(post[f] == 0);
	triage_run(kb, &girl, a, 1, &r, post);
	ck_assert(post[f] == 0);
	triage_run(kb, &woman, a, 1, &r, post);
	ck_assert(post[f] > 0.3);
	tkb_free(kb);
}
END_TEST

START_TEST(test_bad_input)
{
	struct triage_kb *kb = small_kb();
	struct triage_person who = { 30, TKB_MALE, 0 };
	struct triage_answer a = { 999, TRIAGE_YES, TRIAGE_FROM_QUESTION, 0, 0 };
	struct triage_result r;

	ck_assert_int_eq(triage_run(kb, &who, &a, 1, &r, NULL), TRIAGE_BAD_INPUT);
	a.finding = 0;
	a.reply = TRIAGE_REPLY__MAX;
	ck_assert_int_eq(triage_run(kb, &who, &a, 1, &r, NULL), TRIAGE_BAD_INPUT);
	ck_assert_int_eq(triage_run(kb, &who, &a, TRIAGE_MAX_ANSWERS + 1, &r, NULL), TRIAGE_BAD_INPUT);
	/* No age, or one no condition allows: no advice rather than "self-care". */
	who.age = -1;
	ck_assert_int_eq(triage_run(kb, &who, NULL, 0, &r, NULL), TRIAGE_BAD_INPUT);
	who.age = 131;
	ck_assert_int_eq(triage_run(kb, &who, NULL, 0, &r, NULL), TRIAGE_BAD_INPUT);
	tkb_free(kb);
}
END_TEST

/* Each rule of the shipped base, given just its findings by a person it
 * applies to, ends the interview with emergency advice; the crisis rule
 * says so. */
START_TEST(test_every_redflag_fires)
{
	struct triage_kb *kb = shipped_kb();
	int crisis = 0;

	ck_assert_uint_ge(kb->nredflags, 15);
	for (size_t i = 0; i < kb->nredflags; i++) {
		const struct tkb_redflag *rf = &kb->redflags[i];
		struct triage_person who = { rf->min_age, rf->sex == TKB_ANY ? TKB_FEMALE : rf->sex, 0 };
		struct triage_answer a[2 * TKB_MAX_RULE_IDS];
		size_t n = 0;
		struct triage_result r;

		for (size_t j = 0; j < rf->nall; j++)
			a[n++] = (struct triage_answer){ rf->all_of[j], TRIAGE_YES, TRIAGE_FROM_COMPLAINT, 0, 0 };
		/* Any one of any_of will do: try the last, not only the first. */
		if (rf->nany)
			a[n++] = (struct triage_answer){ rf->any_of[rf->nany - 1], TRIAGE_YES, TRIAGE_FROM_QUESTION, 0, 0 };
		ck_assert_msg(triage_run(kb, &who, a, n, &r, NULL) == TRIAGE_REDFLAG, "rule %s did not fire", rf->id);
		ck_assert_int_eq(r.level, TKB_EMERGENCY);
		ck_assert(r.redflag >= 0 && kb->redflags[r.redflag].advice[TKB_ES][0]);
		if (rf->crisis) {
			crisis++;
			ck_assert_msg(kb->redflags[r.redflag].crisis, "rule %s: crisis line lost", rf->id);
		}
		/* Half a rule does not fire it on its own. */
		if (rf->nall && rf->nany) {
			uint8_t *present = calloc(kb->nfindings, 1);
			for (size_t j = 0; j < rf->nall; j++)
				present[rf->all_of[j]] = 1;
			ck_assert_msg(triage_redflag(kb, &who, present) != (int)i, "rule %s fired without any_of", rf->id);
			free(present);
		}
	}
	ck_assert_int_ge(crisis, 1);
	tkb_free(kb);
}
END_TEST

START_TEST(test_redflag_band)
{
	struct triage_kb *kb = shipped_kb();
	struct triage_answer a[] = { ans(kb, "testicle_pain_sudden", TRIAGE_YES) };
	struct triage_person man = { 15, TKB_MALE, 0 }, woman = { 15, TKB_FEMALE, 0 };
	struct triage_result r;

	ck_assert_int_eq(triage_run(kb, &man, a, 1, &r, NULL), TRIAGE_REDFLAG);
	ck_assert_int_ne(triage_run(kb, &woman, a, 1, &r, NULL), TRIAGE_REDFLAG);
	tkb_free(kb);
}
END_TEST

START_TEST(test_cautious_triage)
{
	struct triage_kb *kb = small_kb();
	struct triage_person who = { 30, TKB_MALE, 0 };
	struct triage_answer a[] = { ans(kb, "common", TRIAGE_NO) };
	double post[8];
	struct triage_result r;

	/* Little emergency mass: E has a prior of 5 in 205. */
	triage_run(kb, &who, NULL, 0, &r, post);
	ck_assert(r.mass[TKB_EMERGENCY] < TRIAGE_MASS_EMERGENCY);
	ck_assert_int_eq(r.level, TKB_DAYS);   /* B holds half the mass */
	/* "common" absent favours E (p 0.5) over A and B (0.9): its mass passes 10 %. */
	triage_run(kb, &who, a, 1, &r, post);
	ck_assert(r.mass[TKB_EMERGENCY] >= TRIAGE_MASS_EMERGENCY);
	ck_assert_int_eq(r.level, TKB_EMERGENCY);
	ck_assert(r.top[0].condition != (uint16_t)tkb_condition_index(kb, "cond_e"));
	tkb_free(kb);
}
END_TEST

START_TEST(test_explain)
{
	struct triage_kb *kb = small_kb();
	struct triage_answer a[] = { ans(kb, "sep", TRIAGE_YES), ans(kb, "same", TRIAGE_UNKNOWN),
	                             ans(kb, "common", TRIAGE_NO) };
	double w[3];

	triage_explain(kb, (size_t)tkb_condition_index(kb, "cond_a"), a, 3, w);
	ck_assert(w[0] > 0);      /* 0.9 against a base of 0.1 */
	ck_assert(w[1] == 0);
	ck_assert(w[2] < 0);      /* absent, though A has it 9 times in 10 */
	tkb_free(kb);
}
END_TEST

/* A clear leader does not end the interview while an emergency keeps a
 * few per cent: first the question that tells it apart. */
START_TEST(test_doubt_before_stopping)
{
	struct triage_kb *kb = small_kb();
	struct triage_person who = { 30, TKB_MALE, 0 };
	struct triage_answer a[] = { ans(kb, "common", TRIAGE_NO), ans(kb, "sep", TRIAGE_YES), ans(kb, "flag", TRIAGE_NO) };
	struct triage_result r;

	ck_assert_int_eq(triage_run(kb, &who, a, 2, &r, NULL), TRIAGE_ASK);
	ck_assert(r.top[0].p >= TRIAGE_STOP_P && r.top[0].p - r.top[1].p >= TRIAGE_STOP_MARGIN);
	ck_assert(r.mass[TKB_EMERGENCY] >= TRIAGE_DOUBT_EMERGENCY && r.mass[TKB_EMERGENCY] < TRIAGE_MASS_EMERGENCY);
	ck_assert_str_eq(kb->findings[r.next].id, "flag");
	ck_assert_int_eq(triage_run(kb, &who, a, 3, &r, NULL), TRIAGE_DONE);
	ck_assert(r.mass[TKB_EMERGENCY] < TRIAGE_DOUBT_EMERGENCY);
	tkb_free(kb);
}
END_TEST

/* A page keeps the answers as text between requests: the round trip is
 * exact and anything else is refused. */
START_TEST(test_answers_text)
{
	struct triage_kb *kb = small_kb();
	struct triage_answer a[] = { { 0, TRIAGE_YES, TRIAGE_FROM_COMPLAINT, 0, 0 }, ans(kb, "sep", TRIAGE_NO),
	                             ans(kb, "same", TRIAGE_UNKNOWN) }, back[4];
	static const char *const bad[] = { "cy.nothing", "xy.sep", "cx.sep", "cy-sep", "cy.", "cy.sep-",
	                                   "cy.sep--qn.same", "c", "cysep" };
	char text[128], tiny[8];

	ck_assert_int_eq(triage_answers_encode(kb, a, 3, text, sizeof(text)), (int)strlen("cy.common-qn.sep-qu.same"));
	ck_assert_str_eq(text, "cy.common-qn.sep-qu.same");
	ck_assert_int_eq(triage_answers_decode(kb, text, back, 4), 3);
	for (size_t i = 0; i < 3; i++)
		ck_assert(a[i].finding == back[i].finding && a[i].reply == back[i].reply && a[i].origin == back[i].origin);
	ck_assert_int_eq(triage_answers_decode(kb, "", back, 4), 0);
	ck_assert_int_eq(triage_answers_decode(kb, text, back, 2), -1);    /* more than max */
	ck_assert_int_eq(triage_answers_encode(kb, a, 3, tiny, sizeof(tiny)), -1);
	ck_assert_str_eq(tiny, "");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(triage_answers_decode(kb, bad[i], back, 4) == -1, "accepted %s", bad[i]);
	tkb_free(kb);
}
END_TEST

/* Findings asked as a duration, a severity or a number: the data says
 * from which answer the finding is present; the value parses, maps to
 * yes or no, travels in the answers' text, and the engine reads the
 * reply it maps to. Texts from before answer types still read. */
START_TEST(test_answer_types)
{
	struct triage_kb *kb = shipped_kb();
	int fever = tkb_finding_index(kb, "high_fever"), cough = tkb_finding_index(kb, "cough_long");
	int pain = tkb_finding_index(kb, "abdominal_pain_severe"), plain = tkb_finding_index(kb, "fever");
	struct triage_answer back[4], by_value[2], by_reply[2];
	struct triage_result r1, r2;
	double p1[TKB_MAX_CONDITIONS], p2[TKB_MAX_CONDITIONS];
	char text[128];
	int32_t v;

	ck_assert(fever >= 0 && cough >= 0 && pain >= 0 && plain >= 0);
	ck_assert_int_eq(kb->findings[fever].answer, TKB_NUMBER);
	ck_assert_int_eq(kb->findings[fever].yes_from, 390);
	ck_assert_str_eq(kb->findings[fever].unit, "°C");
	ck_assert_int_eq(kb->findings[cough].answer, TKB_DURATION);
	ck_assert_int_eq(kb->findings[pain].answer, TKB_SEVERITY);
	/* Values: parsed, mapped, refused out of range. */
	ck_assert_int_eq(triage_value_parse(kb, (size_t)fever, "38,5", &v), 0);
	ck_assert_int_eq(v, 385);
	ck_assert_int_eq(triage_reply_of(kb, (size_t)fever, v), TRIAGE_NO);
	ck_assert_int_eq(triage_value_parse(kb, (size_t)fever, "39.2", &v), 0);
	ck_assert_int_eq(triage_reply_of(kb, (size_t)fever, v), TRIAGE_YES);
	ck_assert_int_eq(triage_value_parse(kb, (size_t)fever, "39", &v), 0);
	ck_assert_int_eq(triage_reply_of(kb, (size_t)fever, v), TRIAGE_YES);
	ck_assert_int_eq(triage_reply_of(kb, (size_t)cough, 3), TRIAGE_NO);    /* 1-3 weeks */
	ck_assert_int_eq(triage_reply_of(kb, (size_t)cough, 4), TRIAGE_YES);   /* more than 3 weeks */
	ck_assert_int_eq(triage_reply_of(kb, (size_t)pain, 1), TRIAGE_NO);
	ck_assert_int_eq(triage_reply_of(kb, (size_t)pain, 2), TRIAGE_YES);
	{
		static const char *const bad[] = { "", "abc", "39.25", "-1", "39.", "1e3", "999999" };
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			ck_assert_msg(triage_value_parse(kb, (size_t)fever, bad[i], &v) == -1, "accepted %s", bad[i]);
	}
	ck_assert_int_eq(triage_value_parse(kb, (size_t)cough, "5", &v), -1);
	ck_assert_int_eq(triage_value_parse(kb, (size_t)pain, "3", &v), -1);
	ck_assert_int_eq(triage_value_parse(kb, (size_t)plain, "1", &v), -1);  /* a yes/no finding */
	/* The text: values kept; the reply recomputed from the value. */
	by_value[0] = (struct triage_answer){ (uint16_t)fever, TRIAGE_YES, TRIAGE_FROM_QUESTION, 1, 392 };
	by_value[1] = (struct triage_answer){ (uint16_t)cough, TRIAGE_NO, TRIAGE_FROM_QUESTION, 1, 2 };
	ck_assert_int_gt(triage_answers_encode(kb, by_value, 2, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "qy392.high_fever-qn2.cough_long");
	ck_assert_int_eq(triage_answers_decode(kb, text, back, 4), 2);
	ck_assert(back[0].valued && back[0].value == 392 && back[0].reply == TRIAGE_YES);
	ck_assert(back[1].valued && back[1].value == 2 && back[1].reply == TRIAGE_NO);
	ck_assert_int_eq(triage_answers_decode(kb, "qn392.high_fever", back, 4), 1);
	ck_assert_int_eq(back[0].reply, TRIAGE_YES);
	ck_assert_int_eq(triage_answers_decode(kb, "cy.high_fever-qn.cough_long", back, 4), 2);   /* old text */
	ck_assert(!back[0].valued && back[0].reply == TRIAGE_YES && !back[1].valued && back[1].reply == TRIAGE_NO);
	{
		static const char *const bad[] = { "qy5.cough_long", "qy1.fever", "qy123456.high_fever", "qy3cough_long" };
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			ck_assert_msg(triage_answers_decode(kb, bad[i], back, 4) == -1, "accepted %s", bad[i]);
	}
	by_value[0].reply = TRIAGE_NO;     /* a reply that contradicts the value is not written */
	ck_assert_int_eq(triage_answers_encode(kb, by_value, 2, text, sizeof(text)), -1);
	/* The engine: a value counts as the reply it maps to. */
	by_value[0].reply = TRIAGE_YES;
	by_reply[0] = ans(kb, "high_fever", TRIAGE_YES);
	by_reply[1] = ans(kb, "cough_long", TRIAGE_NO);
	struct triage_person who = { 40, TKB_MALE, 0 };
	triage_run(kb, &who, by_value, 2, &r1, p1);
	triage_run(kb, &who, by_reply, 2, &r2, p2);
	for (size_t c = 0; c < kb->nconditions; c++)
		ck_assert(p1[c] == p2[c]);
	by_reply[0].reply = TRIAGE_NO;
	triage_run(kb, &who, by_reply, 2, &r2, p2);
	ck_assert(p1[r1.top[0].condition] != p2[r1.top[0].condition]);
	tkb_free(kb);
}
END_TEST

/* The answer column's forms: refused when out of range. */
START_TEST(test_answer_column)
{
	static const struct { const char *col; int ok; } cols[] = {
		{ "yesno", 1 }, { "duration>=4", 1 }, { "severity>=2", 1 }, { "number>=39 °C", 1 },
		{ "number>=37.5", 1 }, { "duration", 0 }, { "duration>=5", 0 }, { "duration>=0", 0 },
		{ "severity>=3", 0 }, { "number>=37.55", 0 }, { "number>=-1", 0 }, { "yesno>=1", 0 },
		{ "duration>=2.5", 0 }, { "number>=x", 0 },
	};
	char csv[512], err[256];

	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		struct triage_kb *kb = tkb_new();
		snprintf(csv, sizeof(csv), "id,kind,name_en,name_es,synonyms_en,synonyms_es,question_en,question_es,"
		         "answer,base,source\nt,sign,T,T,,,Q,Q,%s,0.1,s\n", cols[i].col);
		err[0] = '\0';
		ck_assert_msg((tkb_add(kb, TKB_FINDINGS, "findings.csv", csv, strlen(csv), err, sizeof(err)) == 0) ==
		              cols[i].ok, "%s: %s", cols[i].col, err);
		if (i == 4)
			ck_assert_int_eq(kb->findings[0].yes_from, 375);
		tkb_free(kb);
	}
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("triage");

	tcase_set_timeout(tc, 60);
	tcase_list_add(tc, test_file_names, test_posterior_normalised, test_separating_question_first,
	               test_redflag_screened_first, test_redflag_screened_first,
	               test_unknown_changes_nothing, test_later_answer_replaces, test_stops_when_clear_or_spent,
	               test_priors_by_band, test_bad_input, test_every_redflag_fires, test_redflag_band,
	               test_cautious_triage, test_explain, test_answers_text, test_doubt_before_stopping,
	               test_answer_types, test_answer_column, NULL);
	triage_add_loader_tests(tc);
	triage_add_match_tests(tc);
	return tcase_run_alone("triage", tc);
}
