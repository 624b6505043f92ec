/* test_triagematch: the knowledge-base loader's refusals, free-text
 * matching of complaints (Spanish and English, accents, case,
 * misspellings, lay words, negation, the "sure" flag) and the case
 * reader. Part of test_triage. */
#include <check.h>

#include "../check_util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/triagefiles.h"
#include "lib/triagecase.h"
#include "lib/triagematch.h"
#include "triage_test.h"

/* ---------------------------------------------------------------- loader */

struct bad_file {
	const char *name, *text, *error;   /* error: a part of the message */
};

static const struct bad_file bad_files[] = {
	{ "findings.csv", "id,kind\n", "header" },
	{ "findings.csv", "", "no header" },
	{ "findings.csv", "id,kind,name_en,name_es,synonyms_en,synonyms_es,question_en,question_es,answer,base,source\n"
	  "Fever,symptom,F,F,,,Q,Q,yesno,0.1,s\n", "snake_case" },
	{ "findings.csv", "id,kind,name_en,name_es,synonyms_en,synonyms_es,question_en,question_es,answer,base,source\n"
	  "fever,feeling,F,F,,,Q,Q,yesno,0.1,s\n", "kind or answer" },
	{ "findings.csv", "id,kind,name_en,name_es,synonyms_en,synonyms_es,question_en,question_es,answer,base,source\n"
	  "fever,symptom,F,F,,,Q,Q,yesno,1.5,s\n", "base" },
	{ "findings.csv", "id,kind,name_en,name_es,synonyms_en,synonyms_es,question_en,question_es,answer,base,source\n"
	  "fever,symptom,F,F,,,,Q,yesno,0.1,s\n", "column 7" },
	{ "findings.csv", "id,kind,name_en,name_es,synonyms_en,synonyms_es,question_en,question_es,answer,base,source\n"
	  "fever,symptom,F,F,,,Q,Q,yesno,0.1\n", "columns" },
	{ "conditions.csv", "id,name_en,name_es,explain_en,explain_es,urgency,specialty,selfcare_en,selfcare_es,cautions_en,cautions_es,source\n"
	  "flu,Flu,Gripe,E,E,soon,family,,,,,s\n", "urgency" },
	{ "conditions.csv", "id,name_en,name_es,explain_en,explain_es,urgency,specialty,selfcare_en,selfcare_es,cautions_en,cautions_es,source\n"
	  "mi,MI,IAM,E,E,emergency,cardiology,Rest at home,Reposo,,,s\n", "self-care advice" },
	{ "priors.csv", "condition,sex,age_min,age_max,prior\nflu,any,40,20,10\n", "ages" },
	{ "priors.csv", "condition,sex,age_min,age_max,prior\nflu,other,0,200,10\n", "sex" },
	{ "evidence.csv", "condition,finding,p,source\nflu,fever,1,s\n", "p must" },
	{ "evidence.csv", "condition,finding,p,source\nflu,fever,-0.5,s\n", "p must" },
	{ "redflags.csv", "id,all_of,any_of,min_age,max_age,sex,advice_en,advice_es,crisis,source\n"
	  "rf,,,0,200,any,A,A,no,s\n", "all_of and any_of" },
	{ "redflags.csv", "id,all_of,any_of,min_age,max_age,sex,advice_en,advice_es,crisis,source\n"
	  "rf,fever||cough,,0,200,any,A,A,no,s\n", "all_of and any_of" },
	{ "redflags.csv", "id,all_of,any_of,min_age,max_age,sex,advice_en,advice_es,crisis,source\n"
	  "rf,fever,,0,200,any,A,A,maybe,s\n", "crisis" },
	{ "VERSION", "v1\n", "VERSION" },
};

START_TEST(test_loader_refuses)
{
	const struct bad_file *b = &bad_files[_i];
	struct triage_kb *kb = tkb_new();
	char err[256] = "";

	ck_assert_int_eq(tkb_add(kb, tkb_table_of(b->name), b->name, b->text, strlen(b->text), err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, b->error) != NULL, "case %d: \"%s\" does not say %s", _i, err, b->error);
	ck_assert_msg(strncmp(err, b->name, strlen(b->name)) == 0, "no file name in \"%s\"", err);
	tkb_free(kb);
}
END_TEST

/* References between files are checked once every file is in. */
START_TEST(test_finish_cross_file)
{
	const char *f = "id,kind,name_en,name_es,synonyms_en,synonyms_es,question_en,question_es,answer,base,source\n"
	                "fever,symptom,Fever,Fiebre,,,Q,Q,yesno,0.1,s\n";
	const char *c = "id,name_en,name_es,explain_en,explain_es,urgency,specialty,selfcare_en,selfcare_es,cautions_en,cautions_es,source\n"
	                "flu,Flu,Gripe,E,E,today,family,,,,,s\n";
	const char *p = "condition,sex,age_min,age_max,prior\nflu,any,0,200,10\n";
	const char *e_ok = "condition,finding,p,source\nflu,fever,0.8,s\n";
	const char *e_bad[] = { "condition,finding,p,source\nflu,cough,0.8,s\n",
	                        "condition,finding,p,source\nflu,fever,0.8,s\nflu,fever,0.7,s\n" };
	const char *want[] = { "unknown finding \"cough\"", "appears twice" };
	const char *f2 = "id,kind,name_en,name_es,synonyms_en,synonyms_es,question_en,question_es,answer,base,source\n"
	                 "fever,symptom,Fever,Fiebre,,,Q,Q,yesno,0.1,s\n";

	for (int i = 0; i < 4; i++) {
		struct triage_kb *kb = tkb_new();
		char err[256] = "";
		const char *ev = i < 2 ? e_bad[i] : e_ok;
		tkb_add(kb, TKB_FINDINGS, "findings.csv", f, strlen(f), err, sizeof(err));
		tkb_add(kb, TKB_CONDITIONS, "conditions.csv", c, strlen(c), err, sizeof(err));
		tkb_add(kb, TKB_PRIORS, "priors.csv", p, strlen(p), err, sizeof(err));
		tkb_add(kb, TKB_EVIDENCE, "evidence.csv", ev, strlen(ev), err, sizeof(err));
		tkb_add(kb, TKB_VERSION, "VERSION", "1\n", 2, err, sizeof(err));
		if (i == 3)   /* the same finding id in a second file */
			tkb_add(kb, TKB_FINDINGS, "findings-2.csv", f2, strlen(f2), err, sizeof(err));
		if (i == 2) {
			ck_assert_msg(tkb_finish(kb, err, sizeof(err)) == 0, "%s", err);
			ck_assert_int_eq(tkb_finding_index(kb, "fever"), 0);
			ck_assert_int_eq(tkb_finding_index(kb, "cough"), -1);
			ck_assert_int_eq(tkb_condition_index(kb, "flu"), 0);
		} else {
			ck_assert_int_eq(tkb_finish(kb, err, sizeof(err)), -1);
			ck_assert_msg(strstr(err, i == 3 ? "appears twice" : want[i]), "%d: %s", i, err);
		}
		tkb_free(kb);
	}
}
END_TEST

START_TEST(test_shipped_sizes)
{
	struct triage_kb *kb = shipped_kb();
	int urg[TKB_URGENCY__MAX] = { 0 };

	for (size_t c = 0; c < kb->nconditions; c++) {
		const struct tkb_condition *k = &kb->conditions[c];
		urg[k->urgency]++;
		ck_assert_msg(k->nevidence >= 3, "%s: %u evidence rows", k->id, k->nevidence);
		/* Self-care advice where the patient may look after themselves, with its cautions. */
		if (k->urgency <= TKB_DAYS)
			ck_assert_msg(k->selfcare[TKB_EN][0] && k->selfcare[TKB_ES][0] && k->cautions[TKB_EN][0] &&
			              k->cautions[TKB_ES][0], "%s: no self-care advice or cautions", k->id);
	}
	for (int u = 0; u < TKB_URGENCY__MAX; u++)
		ck_assert_msg(urg[u] >= 5, "%d conditions of urgency %s", urg[u], tkb_urgency_name((enum tkb_urgency)u));
	ck_assert_uint_ge(kb->nconditions, 70);
	ck_assert_uint_ge(kb->nfindings, 190);
	ck_assert_uint_ge(kb->nredflags, 15);
	tkb_free(kb);
}
END_TEST

/* The core files (no "-2" part) load on their own: they name no id of
 * the second part, whichever branch is merged first. */
START_TEST(test_core_alone)
{
	static const char *const core[] = { "VERSION", "findings.csv", "conditions.csv", "priors.csv",
	                                    "evidence.csv", "redflags.csv" };
	const char *src = getenv("MEDSYS_SRCDIR");
	char dir[] = "/tmp/medsys-triage-XXXXXX", from[1024], to[1024], err[256] = "";
	struct triage_kb *kb;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (size_t i = 0; i < 6; i++) {
		snprintf(from, sizeof(from), "%s/data/triage/%s", src ? src : ".", core[i]);
		snprintf(to, sizeof(to), "%s/%s", dir, core[i]);
		ck_assert_int_eq(symlink(from, to), 0);
	}
	kb = triage_kb_load(dir, err, sizeof(err));
	ck_assert_msg(kb != NULL, "the core alone: %s", err);
	ck_assert_uint_ge(kb->nredflags, 15);
	tkb_free(kb);
	for (size_t i = 0; i < 6; i++) {
		snprintf(to, sizeof(to), "%s/%s", dir, core[i]);
		unlink(to);
	}
	rmdir(dir);
}
END_TEST

/* ---------------------------------------------------------------- matcher */

struct match_case {
	const char *text, *finding;
	int negated;
};

static const struct match_case match_cases[] = {
	{ "I have a fever", "fever", 0 },
	{ "tengo fiebre", "fever", 0 },
	{ "FIEBRE ALTA", "high_fever", 0 },
	{ "dolor de cabeza", "headache", 0 },
	{ "Dolor de cabesa", "headache", 0 },          /* misspelt */
	{ "headach", "headache", 0 },                   /* a letter missing */
	{ "me duele la cabeza", "headache", 0 },        /* lay words */
	{ "my tummy hurts", "abdominal_pain", 0 },
	{ "dolor de barriga", "abdominal_pain", 0 },
	{ "dolor de tripa", "abdominal_pain", 0 },
	{ "diarhea", "diarrhoea", 0 },                  /* American and misspelt */
	{ "vómitos", "vomiting", 0 },                   /* accent and plural */
	{ "VOMITOS", "vomiting", 0 },
	{ "vomiting", "vomiting", 0 },
	{ "me escuece al orinar", "burning_urination", 0 },
	{ "stinging pee", "burning_urination", 0 },
	{ "se me cae la cara de un lado", "face_drooping", 0 },
	{ "le cuesta respirar, me ahogo", "breathlessness", 0 },
	{ "short of breath", "breathlessness", 0 },
	{ "stiff neck", "stiff_neck", 0 },
	{ "rigidez de nuca", "stiff_neck", 0 },
	{ "no fever", "fever", 1 },
	{ "sin fiebre", "fever", 1 },
	{ "no tengo tos", "cough", 1 },
	{ "no puedo tragar", "difficulty_swallowing", 0 },   /* "no" belongs to the phrase */
	{ "estornudos y picor de ojos", "itchy_eyes", 0 },
	{ "quiero morirme", "suicidal_thoughts", 0 },
	{ "I want to kill myself", "suicidal_thoughts", 0 },
	{ "sangre en la orina", "blood_in_urine", 0 },
	{ "todo me da vueltas", "vertigo", 0 },
	{ "mareado", "dizziness", 0 },
	{ "palpitaciones", "palpitations", 0 },
	{ "ronchas que pican", "hives", 0 },
	{ "swollen lips", "face_lip_swelling", 0 },
};

START_TEST(test_match_case)
{
	struct triage_kb *kb = shipped_kb();
	const struct match_case *m = &match_cases[_i];
	struct tmatch_result r;
	int found = 0;

	tmatch_text(kb, m->text, &r);
	for (size_t i = 0; i < r.n && r.hit[i].full; i++)
		if (strcmp(kb->findings[r.hit[i].finding].id, m->finding) == 0) {
			found = 1;
			ck_assert_msg(r.hit[i].negated == m->negated, "\"%s\": %s negated %d", m->text, m->finding,
			              r.hit[i].negated);
		}
	ck_assert_msg(found, "\"%s\" did not find %s (first: %s)", m->text, m->finding,
	              r.n ? kb->findings[r.hit[0].finding].id : "nothing");
	tkb_free(kb);
}
END_TEST

START_TEST(test_match_negation_scope)
{
	struct triage_kb *kb = shipped_kb();
	struct tmatch_result r;
	int fever = 0, cough = 0;

	tmatch_text(kb, "no fever but a bad cough", &r);
	for (size_t i = 0; i < r.n; i++) {
		const char *id = kb->findings[r.hit[i].finding].id;
		if (strcmp(id, "fever") == 0)
			fever = r.hit[i].negated ? -1 : 1;
		if (strcmp(id, "cough") == 0)
			cough = r.hit[i].negated ? -1 : 1;
	}
	ck_assert_int_eq(fever, -1);
	ck_assert_int_eq(cough, 1);
	/* "no puedo tragar" holds its negation: without one it does not match. */
	tmatch_text(kb, "puedo tragar bien", &r);
	for (size_t i = 0; i < r.n; i++)
		ck_assert(!r.hit[i].full || strcmp(kb->findings[r.hit[i].finding].id, "difficulty_swallowing") != 0);
	tkb_free(kb);
}
END_TEST

START_TEST(test_match_sure)
{
	struct triage_kb *kb = shipped_kb();
	struct tmatch_result r;

	tmatch_text(kb, "fiebre y dolor de garganta", &r);
	ck_assert(r.sure && r.n >= 2 && r.hit[0].full && r.hit[1].full);
	/* Words the base does not know: a list to pick from, not a guess. */
	tmatch_text(kb, "me encuentro raro con el zapato", &r);
	ck_assert(!r.sure);
	/* A misspelt single word is found but confirmed from the list. */
	tmatch_text(kb, "diarhea", &r);
	ck_assert(!r.sure && r.n > 0 && r.hit[0].full && r.hit[0].fuzzy);
	tmatch_text(kb, "diarrea", &r);
	ck_assert(r.sure && !r.hit[0].fuzzy);
	tmatch_text(kb, "qwerty zxcvb", &r);
	ck_assert(!r.sure && r.n == 0);
	tmatch_text(kb, "", &r);
	ck_assert(!r.sure && r.n == 0);
	/* Only a part of a phrase: offered, not sure. */
	tmatch_text(kb, "chest", &r);
	ck_assert(!r.sure && r.n > 0 && !r.hit[0].full);
	tkb_free(kb);
}
END_TEST

/* Talk of ending one's life, in the words people use: a sure match for
 * suicidal thoughts (the interview ends at once with the crisis line),
 * never a pick list. */
static const char *const crisis_texts[] = {
	"I want to end it all", "I want to kill myself", "I don't want to live anymore",
	"I'd be better off dead", "no quiero vivir", "quiero acabar con todo",
	"quiero quitarme la vida", "pienso en suicidarme", "me quiero morir",
	"quiero morirme", "no quiero vivir más", "pienso en matarme",
};

START_TEST(test_match_crisis_sure)
{
	struct triage_kb *kb = shipped_kb();
	struct tmatch_result r;
	int found = 0;

	tmatch_text(kb, crisis_texts[_i], &r);
	for (size_t i = 0; i < r.n && r.hit[i].full; i++)
		found |= strcmp(kb->findings[r.hit[i].finding].id, "suicidal_thoughts") == 0 && !r.hit[i].negated;
	ck_assert_msg(found, "\"%s\": no full suicidal_thoughts hit (first: %s)", crisis_texts[_i],
	              r.n ? kb->findings[r.hit[0].finding].id : "nothing");
	ck_assert_msg(r.sure, "\"%s\": not sure", crisis_texts[_i]);
	tkb_free(kb);
}
END_TEST

START_TEST(test_fold_and_distance)
{
	char out[64];

	tmatch_fold("¿Dolor de CABEZA? Ñandú, Ü, çà", out, sizeof(out));
	ck_assert_str_eq(out, "dolor de cabeza nandu u ca");
	tmatch_fold("  a--b  ", out, sizeof(out));
	ck_assert_str_eq(out, "a b");
	tmatch_fold("abcdef", out, 4);
	ck_assert_str_eq(out, "abc");
	ck_assert_int_eq(tmatch_distance("fever", "fever", 2), 0);
	ck_assert_int_eq(tmatch_distance("fever", "fevr", 2), 1);
	ck_assert_int_eq(tmatch_distance("fever", "fveer", 2), 1);     /* swapped neighbours */
	ck_assert_int_eq(tmatch_distance("diarrhoea", "diarhea", 2), 2);
	ck_assert_int_eq(tmatch_distance("fever", "cough", 2), 3);
	ck_assert_int_eq(tmatch_distance("a", "abcdef", 2), 3);
}
END_TEST

/* ---------------------------------------------------------------- cases */

START_TEST(test_case_reader)
{
	const char *json =
		"{\"id\": \"001-x\", \"source\": \"NICE\", \"age\": 34, \"sex\": \"female\", \"pregnant\": false,\n"
		" \"complaint\": \"dolor de garganta \\u00e1 \\ud83d\\ude00\", \"present\": [\"fever\", \"sore throat\"],\n"
		" \"absent\": [], \"extra\": {\"nested\": [1, 2.5, null, true]}, \"expected\": \"viral_sore_throat\",\n"
		" \"alternatives\": [\"common_cold\"], \"triage\": \"selfcare\"}\n";
	struct triage_case *c = malloc(sizeof(*c));
	char err[128] = "";

	ck_assert_msg(triage_case_parse(json, strlen(json), c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(c->id, "001-x");
	ck_assert_int_eq(c->age, 34);
	ck_assert_str_eq(c->complaint, "dolor de garganta \xc3\xa1 \xf0\x9f\x98\x80");
	ck_assert_uint_eq(c->npresent, 2);
	ck_assert_str_eq(c->present[1], "sore throat");
	ck_assert_uint_eq(c->nabsent, 0);
	ck_assert_str_eq(c->alternatives[0], "common_cold");
	ck_assert_str_eq(c->triage, "selfcare");
	ck_assert(!c->pregnant);
	free(c);
}
END_TEST

START_TEST(test_case_reader_refuses)
{
	static const char *const bad[] = {
		"[]", "{\"age\": 30}", "{\"age\": 300, \"expected\": \"x\", \"triage\": \"days\"}",
		"{\"age\": 30, \"expected\": \"x\", \"triage\": \"days\"} trailing",
		"{\"age\": \"thirty\", \"expected\": \"x\", \"triage\": \"days\"}",
		"{\"age\": 30, \"expected\": \"x\", \"triage\": \"days\", \"present\": \"fever\"}",
		"{\"age\": 30, \"expected\": \"x\\u0000\", \"triage\": \"days\"}",
		"{\"age\": 30, \"expected\": \"x\", \"triage\": \"days\"", "{\"age\": 30, \"expected\": \"x",
	};
	struct triage_case *c = malloc(sizeof(*c));
	char err[128];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(triage_case_parse(bad[i], strlen(bad[i]), c, err, sizeof(err)) == -1, "accepted %s", bad[i]);
	free(c);
}
END_TEST

void
triage_add_loader_tests(TCase *tc)
{
	tcase_add_loop_test(tc, test_loader_refuses, 0, (int)(sizeof(bad_files) / sizeof(bad_files[0])));
	tcase_list_add(tc, test_finish_cross_file, test_shipped_sizes, test_core_alone, NULL);
}

void
triage_add_match_tests(TCase *tc)
{
	tcase_add_loop_test(tc, test_match_case, 0, (int)(sizeof(match_cases) / sizeof(match_cases[0])));
	tcase_add_loop_test(tc, test_match_crisis_sure, 0, (int)(sizeof(crisis_texts) / sizeof(crisis_texts[0])));
	tcase_list_add(tc, test_match_negation_scope, test_match_sure, test_fold_and_distance, test_case_reader,
	               test_case_reader_refuses, NULL);
}
