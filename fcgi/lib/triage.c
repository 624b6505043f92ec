/* triage: posterior, red flags, triage level and the next question. */
#include "triage.h"

#include <math.h>
#include <string.h>

#define NO_REPLY TRIAGE_REPLY__MAX

static const char *const status_names[TRIAGE_STATUS__MAX] = { "ask", "done", "redflag", "bad-input" };
static const char *const reply_names[TRIAGE_REPLY__MAX] = { "no", "yes", "unknown" };

const char *
triage_status_name(enum triage_status s)
{
	return s < TRIAGE_STATUS__MAX ? status_names[s] : "?";
}

const char *
triage_reply_name(enum triage_reply r)
{
	return r < TRIAGE_REPLY__MAX ? reply_names[r] : "?";
}

/* P(f | c) as the engine uses it: the leak floor keeps one unlisted
 * finding from ruling a condition out on its own. */
static double
pfc(const struct triage_kb *kb, size_t c, size_t f)
{
	double p = kb->pmatrix[c * kb->nfindings + f];
	return p < TRIAGE_LEAK_MIN ? TRIAGE_LEAK_MIN : p > 0.99 ? 0.99 : p;
}

/* state[f]: the last reply to f, or NO_REPLY. 0, or -1 on a bad answer. */
static int
replies_of(const struct triage_kb *kb, const struct triage_person *who,
           const struct triage_answer *answers, size_t n, uint8_t *state, size_t *questions)
{
	int preg = tkb_finding_index(kb, "pregnant");

	memset(state, NO_REPLY, kb->nfindings);
	*questions = 0;
	if (who->pregnant && preg >= 0)
		state[preg] = TRIAGE_YES;
	for (size_t i = 0; i < n; i++) {
		if (answers[i].finding >= kb->nfindings || answers[i].reply >= TRIAGE_REPLY__MAX)
			return -1;
		state[answers[i].finding] = (uint8_t)answers[i].reply;
		*questions += answers[i].origin == TRIAGE_FROM_QUESTION;
	}
	return 0;
}

/* The normalised posterior of every condition into post. */
static void
posterior(const struct triage_kb *kb, const struct triage_person *who, const uint8_t *state, double *post)
{
	double best = -INFINITY, sum = 0;

	for (size_t c = 0; c < kb->nconditions; c++) {
		double prior = tkb_prior_for(kb, c, who->age, who->sex), lp;
		if (prior <= 0) {
			post[c] = -INFINITY;
			continue;
		}
		lp = log(prior);
		for (size_t f = 0; f < kb->nfindings; f++)
			if (state[f] == TRIAGE_YES)
				lp += log(pfc(kb, c, f));
			else if (state[f] == TRIAGE_NO)
				lp += log(1 - pfc(kb, c, f));
		post[c] = lp;
		if (lp > best)
			best = lp;
	}
	/* Subtract the best log before exp so that nothing underflows to 0 at once. */
	for (size_t c = 0; c < kb->nconditions; c++) {
		post[c] = isinf(post[c]) ? 0 : exp(post[c] - best);
		sum += post[c];
	}
	for (size_t c = 0; c < kb->nconditions; c++)
		post[c] = sum > 0 ? post[c] / sum : 0;
}

/* The TRIAGE_TOP best conditions, best first (ties: the earlier row). */
static void
rank(const struct triage_kb *kb, const double *post, struct triage_result *out)
{
	out->ntop = 0;
	for (size_t c = 0; c < kb->nconditions; c++) {
		size_t i = out->ntop;
		if (post[c] <= 0 || (i == TRIAGE_TOP && post[c] <= out->top[i - 1].p))
			continue;
		if (i == TRIAGE_TOP)
			i--;
		for (; i > 0 && out->top[i - 1].p < post[c]; i--)
			out->top[i] = out->top[i - 1];
		out->top[i].condition = (uint16_t)c;
		out->top[i].p = post[c];
		if (out->ntop < TRIAGE_TOP)
			out->ntop++;
	}
}

static enum tkb_urgency
level_of(const struct triage_kb *kb, const double *post, double *mass)
{
	static const double need[TKB_URGENCY__MAX] = {
		[TKB_SELFCARE] = 0, [TKB_DAYS] = TRIAGE_MASS_DAYS,
		[TKB_TODAY] = TRIAGE_MASS_TODAY, [TKB_EMERGENCY] = TRIAGE_MASS_EMERGENCY,
	};
	enum tkb_urgency level = TKB_SELFCARE;

	memset(mass, 0, TKB_URGENCY__MAX * sizeof(double));
	for (size_t c = 0; c < kb->nconditions; c++)
		for (int u = 0; u <= (int)kb->conditions[c].urgency; u++)
			mass[u] += post[c];
	for (int u = TKB_URGENCY__MAX - 1; u > 0; u--)
		if (mass[u] >= need[u] - 1e-12) {
			level = (enum tkb_urgency)u;
			break;
		}
	return level;
}

int
triage_redflag(const struct triage_kb *kb, const struct triage_person *who, const uint8_t *present)
{
	for (size_t i = 0; i < kb->nredflags; i++) {
		const struct tkb_redflag *r = &kb->redflags[i];
		int ok = who->age >= r->min_age && who->age < r->max_age &&
		         (r->sex == TKB_ANY || r->sex == who->sex);
		int any = r->nany == 0;

		for (size_t j = 0; ok && j < r->nall; j++)
			ok = present[r->all_of[j]];
		for (size_t j = 0; ok && !any && j < r->nany; j++)
			any = present[r->any_of[j]];
		if (ok && any)
			return (int)i;
	}
	return -1;
}

static double
entropy(const double *p, size_t n)
{
	double h = 0;

	for (size_t i = 0; i < n; i++)
		if (p[i] > 0)
			h -= p[i] * log2(p[i]);
	return h;
}

/* The expected information gain (bits) of asking f, over the leaders'
 * renormalised posterior pi; 0 when f does not separate them. */
static double
gain_of(const struct triage_kb *kb, size_t f, const struct triage_result *r, const double *pi, double h)
{
	double p[TRIAGE_TOP], yes[TRIAGE_TOP], no[TRIAGE_TOP], lo = 1, hi = 0, py = 0;

	for (size_t i = 0; i < r->ntop; i++) {
		p[i] = pfc(kb, r->top[i].condition, f);
		lo = p[i] < lo ? p[i] : lo;
		hi = p[i] > hi ? p[i] : hi;
		py += pi[i] * p[i];
	}
	if (hi - lo < TRIAGE_SEPARATES)
		return 0;
	for (size_t i = 0; i < r->ntop; i++) {
		yes[i] = pi[i] * p[i] / py;
		no[i] = pi[i] * (1 - p[i]) / (1 - py);
	}
	return h - py * entropy(yes, r->ntop) - (1 - py) * entropy(no, r->ntop);
}

/* The unasked finding with the largest gain, or -1 when none reaches
 * TRIAGE_MIN_GAIN. Sets r->entropy. */
static int
next_question(const struct triage_kb *kb, const uint8_t *state, struct triage_result *r)
{
	double pi[TRIAGE_TOP], sum = 0, best = TRIAGE_MIN_GAIN;
	size_t k = r->ntop < TRIAGE_LEADERS ? r->ntop : TRIAGE_LEADERS, saved = r->ntop;
	int pick = -1;

	for (size_t i = 0; i < k; i++)
		sum += r->top[i].p;
	for (size_t i = 0; i < k; i++)
		pi[i] = r->top[i].p / sum;
	r->ntop = k;
	r->entropy = entropy(pi, k);
	for (size_t f = 0; k > 1 && f < kb->nfindings; f++) {
		double g;
		if (state[f] != NO_REPLY)
			continue;
		g = gain_of(kb, f, r, pi, r->entropy);
		if (g > best) {
			best = g;
			pick = (int)f;
		}
	}
	r->ntop = saved;
	return pick;
}

/* Red-flag screening: the unanswered finding of a red-flag rule that an
 * emergency condition still in play (posterior >= TRIAGE_SCREEN_FLOOR)
 * links to what is present (P(f | c) >= 0.5 for a present f, P(g | c) >=
 * 0.3 for the rule's finding g), most probable first; -1 when there is
 * none or TRIAGE_SCREEN_MAX questions on red-flag findings were asked. */
static int
screen_question(const struct triage_kb *kb, const uint8_t *state, const double *post,
                const struct triage_answer *answers, size_t n)
{
	uint8_t isrf[TKB_MAX_FINDINGS] = { 0 };
	size_t asked = 0;
	double best = 0;
	int pick = -1;

	for (size_t i = 0; i < kb->nredflags; i++) {
		const struct tkb_redflag *r = &kb->redflags[i];
		for (size_t j = 0; j < r->nall; j++)
			isrf[r->all_of[j]] = 1;
		for (size_t j = 0; j < r->nany; j++)
			isrf[r->any_of[j]] = 1;
	}
	for (size_t i = 0; i < n; i++)
		asked += answers[i].origin == TRIAGE_FROM_QUESTION && isrf[answers[i].finding];
	if (asked >= TRIAGE_SCREEN_MAX)
		return -1;
	for (size_t c = 0; c < kb->nconditions; c++) {
		int linked = 0;
		if (kb->conditions[c].urgency != TKB_EMERGENCY || post[c] < TRIAGE_SCREEN_FLOOR)
			continue;
		for (size_t f = 0; f < kb->nfindings && !linked; f++)
			linked = state[f] == TRIAGE_YES && kb->pmatrix[c * kb->nfindings + f] >= 0.5;
		for (size_t g = 0; linked && g < kb->nfindings; g++) {
			double score = post[c] * kb->pmatrix[c * kb->nfindings + g];
			if (isrf[g] && state[g] == NO_REPLY && kb->pmatrix[c * kb->nfindings + g] >= 0.3 && score > best) {
				best = score;
				pick = (int)g;
			}
		}
	}
	return pick;
}

static double
h2(double m)
{
	return m <= 0 || m >= 1 ? 0 : -m * log2(m) - (1 - m) * log2(1 - m);
}

/* While a level u is possible but not likely enough to advise it
 * (doubt_low[u] <= mass[u] < its threshold): the unasked finding that
 * tells most (bits) about "at least as urgent as u or not" over every
 * condition; -1 when none reaches TRIAGE_MIN_GAIN. */
static int
doubt_question(const struct triage_kb *kb, const uint8_t *state, const double *post,
               enum tkb_urgency u, double mass)
{
	double best = TRIAGE_MIN_GAIN;
	int pick = -1;

	for (size_t f = 0; f < kb->nfindings; f++) {
		double py = 0, puy = 0, g;
		if (state[f] != NO_REPLY)
			continue;
		for (size_t c = 0; c < kb->nconditions; c++) {
			double q = post[c] * pfc(kb, c, f);
			py += q;
			puy += kb->conditions[c].urgency >= u ? q : 0;
		}
		if (py <= 0 || py >= 1)
			continue;
		g = h2(mass) - py * h2(puy / py) - (1 - py) * h2((mass - puy) / (1 - py));
		if (g > best) {
			best = g;
			pick = (int)f;
		}
	}
	return pick;
}

/* The doubt question of the most urgent level in doubt, or -1. */
static int
doubt_questions(const struct triage_kb *kb, const uint8_t *state, const double *post, const double *mass)
{
	static const double low[TKB_URGENCY__MAX] = { [TKB_EMERGENCY] = TRIAGE_DOUBT_EMERGENCY,
	                                              [TKB_TODAY] = TRIAGE_DOUBT_TODAY };
	static const double need[TKB_URGENCY__MAX] = { [TKB_EMERGENCY] = TRIAGE_MASS_EMERGENCY,
	                                               [TKB_TODAY] = TRIAGE_MASS_TODAY };

	for (int u = TKB_EMERGENCY; u >= TKB_TODAY; u--) {
		int f;
		if (mass[u] >= need[u])
			return -1;     /* already advised: nothing more urgent in doubt */
		if (mass[u] >= low[u] && (f = doubt_question(kb, state, post, (enum tkb_urgency)u, mass[u])) >= 0)
			return f;
	}
	return -1;
}

enum triage_status
triage_run(const struct triage_kb *kb, const struct triage_person *who,
           const struct triage_answer *answers, size_t n,
           struct triage_result *out, double *post)
{
	uint8_t state[TKB_MAX_FINDINGS], present[TKB_MAX_FINDINGS];
	double local[TKB_MAX_CONDITIONS], *p = post ? post : local;
	int next;

	memset(out, 0, sizeof(*out));
	out->redflag = -1;
	out->status = TRIAGE_BAD_INPUT;
	if (!kb->finished || n > TRIAGE_MAX_ANSWERS || who->age < 0 || who->age > TRIAGE_AGE_MAX ||
	    who->sex >= TKB_SEX__MAX || replies_of(kb, who, answers, n, state, &out->questions) != 0)
		goto out;
	posterior(kb, who, state, p);
	rank(kb, p, out);
	if (out->ntop == 0)
		goto out;     /* no condition of the base is possible for this person: no advice */
	out->level = level_of(kb, p, out->mass);
	for (size_t f = 0; f < kb->nfindings; f++)
		present[f] = state[f] == TRIAGE_YES;
	if ((out->redflag = triage_redflag(kb, who, present)) >= 0) {
		out->level = TKB_EMERGENCY;
		out->status = TRIAGE_REDFLAG;
		goto out;
	}
	next = screen_question(kb, state, p, answers, n);
	if (next < 0)
		next = doubt_questions(kb, state, p, out->mass);
	if (next >= 0 && out->questions < TRIAGE_MAX_QUESTIONS) {
		out->status = TRIAGE_ASK;
		out->next = (uint16_t)next;
		next_question(kb, state, out);   /* for out->entropy */
		goto out;
	}
	next = next_question(kb, state, out);
	out->status = TRIAGE_DONE;
	if (out->ntop > 0 && out->top[0].p >= TRIAGE_STOP_P &&
	    (out->ntop == 1 || out->top[0].p - out->top[1].p >= TRIAGE_STOP_MARGIN))
		goto out;
	if (out->questions >= TRIAGE_MAX_QUESTIONS || next < 0)
		goto out;
	out->status = TRIAGE_ASK;
	out->next = (uint16_t)next;
out:
	return out->status;
}

void
triage_explain(const struct triage_kb *kb, size_t c, const struct triage_answer *answers,
               size_t n, double *weight)
{
	for (size_t i = 0; i < n; i++) {
		size_t f = answers[i].finding;
		double p, b;

		weight[i] = 0;
		if (f >= kb->nfindings || c >= kb->nconditions || answers[i].reply == TRIAGE_UNKNOWN)
			continue;
		p = pfc(kb, c, f);
		b = kb->findings[f].base;
		b = b < TRIAGE_LEAK_MIN ? TRIAGE_LEAK_MIN : b > 0.99 ? 0.99 : b;
		weight[i] = answers[i].reply == TRIAGE_YES ? log10(p / b) : log10((1 - p) / (1 - b));
	}
}
