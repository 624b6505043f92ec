/* bench/triage_next: the symptom checker's time per question (lib/triage:
 * the posterior over the whole knowledge base, the red flags and the
 * choice of the next question by information gain), over simulated
 * interviews: for each condition in turn a patient of an age its priors
 * allow starts with its most typical finding and answers each question
 * at random with the knowledge base's own P(finding | condition). Also
 * prints how often the simulated condition ends first or in the top 3.
 * Usage: triage_next [KB_DIR [ROUNDS]] (default data/triage, 20 rounds). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/triagefiles.h"
#include "lib/triage.h"

static double
cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A fixed-seed generator: the same interviews on every run. */
static double
uniform(unsigned long *s)
{
	*s = *s * 6364136223846793005UL + 1442695040888963407UL;
	return (double)(*s >> 11) / 9007199254740992.0;
}

/* An age and sex the condition's priors allow (its first band). */
static void
person_for(const struct triage_kb *kb, size_t c, struct triage_person *who)
{
	for (size_t i = 0; i < kb->npriors; i++)
		if (kb->priors[i].condition == c && kb->priors[i].prior > 0) {
			const struct tkb_prior *p = &kb->priors[i];
			int hi = p->age_max > 90 ? 90 : p->age_max;
			who->age = (p->age_min + hi) / 2;
			who->sex = p->sex == TKB_ANY ? TKB_FEMALE : p->sex;
			who->pregnant = 0;
			return;
		}
}

struct totals {
	double seconds, worst;
	long calls, interviews, top1, top3;
};

static void
interview(const struct triage_kb *kb, size_t c, unsigned long *seed, struct totals *t)
{
	struct triage_answer a[TRIAGE_MAX_ANSWERS];
	struct triage_person who;
	struct triage_result r;
	const struct tkb_condition *k = &kb->conditions[c];
	size_t n = 0, best = k->first_evidence;

	person_for(kb, c, &who);
	for (size_t e = k->first_evidence; e < k->first_evidence + k->nevidence; e++)
		if (kb->evidence[e].p > kb->evidence[best].p)
			best = e;
	a[n++] = (struct triage_answer){ kb->evidence[best].finding, TRIAGE_YES, TRIAGE_FROM_COMPLAINT, 0, 0 };
	for (;;) {
		double t0 = cpu_seconds(), dt;
		enum triage_status st = triage_run(kb, &who, a, n, &r, NULL);
		dt = cpu_seconds() - t0;
		t->seconds += dt;
		t->worst = dt > t->worst ? dt : t->worst;
		t->calls++;
		if (st != TRIAGE_ASK || n >= TRIAGE_MAX_ANSWERS)
			break;
		a[n].finding = r.next;
		a[n].origin = TRIAGE_FROM_QUESTION;
		a[n].reply = uniform(seed) < kb->pmatrix[c * kb->nfindings + r.next] ? TRIAGE_YES : TRIAGE_NO;
		n++;
	}
	t->interviews++;
	t->top1 += r.ntop > 0 && r.top[0].condition == c;
	for (size_t i = 0; i < r.ntop && i < 3; i++)
		t->top3 += r.top[i].condition == c;
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "data/triage";
	int rounds = argc > 2 ? atoi(argv[2]) : 20;
	struct totals t = { 0 };
	unsigned long seed = 14;
	char err[512];
	struct triage_kb *kb = triage_kb_load(dir, err, sizeof(err));

	if (!kb || rounds <= 0) {
		fprintf(stderr, "triage_next: %s\n", kb ? "ROUNDS must be positive" : err);
		return 2;
	}
	for (int r = 0; r < rounds; r++)
		for (size_t c = 0; c < kb->nconditions; c++)
			interview(kb, c, &seed, &t);
	/* One line for bench/run: calls, mean ms, worst ms, interviews, top-1 %, top-3 %. */
	printf("%ld %.3f %.3f %ld %.1f %.1f %zu %zu\n", t.calls, 1000 * t.seconds / (double)t.calls, 1000 * t.worst,
	       t.interviews, 100.0 * (double)t.top1 / (double)t.interviews,
	       100.0 * (double)t.top3 / (double)t.interviews, kb->nconditions, kb->nfindings);
	tkb_free(kb);
	return 0;
}
