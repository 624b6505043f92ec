/* fuzz_triagekb: libFuzzer harness for the symptom checker's knowledge
 * base loader (fcgi/lib/triagekb.c): the first byte picks the table of
 * the fuzzed file, added to a small valid base; whatever finishes must
 * give finite posteriors that sum to 1. The same bytes also go through
 * the matcher and the answers' text (decoded, they encode back the same)
 * on the valid base, and through the case reader. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/triage.h"
#include "lib/triagecase.h"
#include "lib/triagekb.h"
#include "lib/triagematch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const base[][2] = {
	{ "findings.csv", "id,kind,name_en,name_es,synonyms_en,synonyms_es,question_en,question_es,answer,base,source\n"
	  "fever,symptom,Fever,Fiebre,temperature|hot,calentura,Fever?,¿Fiebre?,yesno,0.1,s\n"
	  "cough,symptom,Cough,Tos,,tos seca,Cough?,¿Tos?,yesno,0.2,s\n" },
	{ "conditions.csv", "id,name_en,name_es,explain_en,explain_es,urgency,specialty,selfcare_en,selfcare_es,cautions_en,cautions_es,source\n"
	  "flu,Flu,Gripe,E,E,selfcare,family,Rest,Reposo,Care,Cuidado,s\n"
	  "pneumonia,Pneumonia,Neumonía,E,E,today,family,,,,,s\n" },
	{ "priors.csv", "condition,sex,age_min,age_max,prior\nflu,any,0,200,100\npneumonia,any,0,200,10\n" },
	{ "evidence.csv", "condition,finding,p,source\nflu,fever,0.8,s\npneumonia,cough,0.9,s\n" },
	{ "redflags.csv", "id,all_of,any_of,min_age,max_age,sex,advice_en,advice_es,crisis,source\n"
	  "rf,fever|cough,,0,200,any,Call,Llame,no,s\n" },
	{ "VERSION", "1.0\n" },
};
static const char *const names[TKB_TABLE__MAX] = {
	"findings-2.csv", "conditions-2.csv", "priors-2.csv", "evidence-2.csv", "redflags-2.csv", "VERSION",
};

static void
exercise(const struct triage_kb *kb, const char *text)
{
	struct triage_answer a[4];
	struct triage_result r;
	struct tmatch_result m;
	double post[TKB_MAX_CONDITIONS], sum = 0;
	size_t n = 0;

	/* The answers' text: what decodes encodes back to the same bytes. */
	{
		struct triage_answer d[8];
		char again[1024];
		int k = triage_answers_decode(kb, text, d, 8);
		if (k >= 0 && (triage_answers_encode(kb, d, (size_t)k, again, sizeof(again)) < 0 ||
		               (strcmp(again, text) != 0 && strlen(text) < sizeof(again))))
			abort();
	}
	tmatch_text(kb, text, &m);
	for (size_t i = 0; i < m.n; i++) {
		if (m.hit[i].finding >= kb->nfindings || !(m.hit[i].score > 0))
			abort();
		if (n < 4)
			a[n++] = (struct triage_answer){ m.hit[i].finding, m.hit[i].negated ? TRIAGE_NO : TRIAGE_YES,
			                                 TRIAGE_FROM_COMPLAINT, 0, 0 };
	}
	for (int age = 0; age <= 100; age += 50) {
		struct triage_person who = { age, (enum tkb_sex)(age / 50), 0 };
		/* Refused only when no condition is possible for this person. */
		if (triage_run(kb, &who, a, n, &r, post) == TRIAGE_BAD_INPUT) {
			if (r.ntop != 0)
				abort();
			continue;
		}
		sum = 0;
		for (size_t c = 0; c < kb->nconditions; c++) {
			if (!isfinite(post[c]) || post[c] < 0)
				abort();
			sum += post[c];
		}
		/* All zero only when no condition is possible for this person. */
		if (fabs(sum - 1) > 1e-6 && !(sum == 0 && r.ntop == 0))
			abort();
		if (r.status == TRIAGE_ASK && r.next >= kb->nfindings)
			abort();
	}
}

/* A new base of the valid files, plus the fuzzed one when t is a table. */
static struct triage_kb *
load(enum tkb_table t, const uint8_t *data, size_t size)
{
	struct triage_kb *kb = tkb_new();
	char err[256];
	int ok = kb != NULL;

	for (size_t i = 0; ok && i < sizeof(base) / sizeof(base[0]); i++)
		ok = tkb_add(kb, tkb_table_of(base[i][0]), base[i][0], base[i][1], strlen(base[i][1]), err, sizeof(err)) == 0;
	if (kb && !ok)
		abort();   /* the valid base must load */
	if (ok && t < TKB_TABLE__MAX)
		ok = tkb_add(kb, t, names[t], (const char *)data, size, err, sizeof(err)) == 0;
	if (ok && tkb_finish(kb, err, sizeof(err)) == 0)
		return kb;
	tkb_free(kb);
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct triage_kb *valid;
	static struct triage_case c;
	struct triage_kb *kb;
	char err[256], *text;

	if (size == 0 || !(text = malloc(size)))
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (!valid && !(valid = load(TKB_TABLE__MAX, NULL, 0)))
		abort();
	/* The bytes as a complaint and as an answers' text for the valid base. */
	exercise(valid, text);
	/* The bytes as one more file of the base. */
	if ((kb = load((enum tkb_table)(data[0] % TKB_TABLE__MAX), data + 1, size - 1))) {
		exercise(kb, text);
		tkb_free(kb);
	}
	free(text);
	triage_case_parse((const char *)data, size, &c, err, sizeof(err));
	return 0;
}
