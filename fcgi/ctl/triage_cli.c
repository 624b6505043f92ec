/* triage_cli: medsysctl triage --case, --eval and --findings. */
#include "ctl/triage_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "core/triagefiles.h"
#include "lib/triage.h"
#include "lib/triagecase.h"
#include "lib/triagematch.h"

/* --eval fails below these (issue 14). */
#define EVAL_MIN_TOP3   0.75
#define EVAL_MIN_TRIAGE 0.80

/* ---------------------------------------------------------------- cases */

struct case_run {
	struct triage_answer ans[TRIAGE_MAX_ANSWERS];
	size_t nans;
	struct triage_result res;
	int rank;                    /* 1-based rank of the expected (or an alternative); 0 none */
	enum tkb_urgency want;
	int unmatched;               /* items the matcher could not place */
	size_t asked;                /* --interview: questions asked */
};

static void
add_answer(struct case_run *cr, int f, enum triage_reply reply, enum triage_origin origin)
{
	if (f < 0 || cr->nans >= TRIAGE_MAX_ANSWERS)
		return;
	cr->ans[cr->nans].finding = (uint16_t)f;
	cr->ans[cr->nans].reply = reply;
	cr->ans[cr->nans++].origin = origin;
}

/* An item: a finding id, or free text for the matcher (its full hits;
 * a negated one the other way round). */
static void
add_item(const struct triage_kb *kb, struct case_run *cr, const char *item, enum triage_reply reply,
         enum triage_origin origin, FILE *out)
{
	struct tmatch_result m;
	int f = tkb_finding_index(kb, item), placed = 0;

	if (f >= 0) {
		add_answer(cr, f, reply, origin);
		return;
	}
	tmatch_text(kb, item, &m);
	for (size_t i = 0; i < m.n && m.hit[i].full; i++, placed++) {
		enum triage_reply r = m.hit[i].negated ? (reply == TRIAGE_YES ? TRIAGE_NO : TRIAGE_YES) : reply;
		add_answer(cr, m.hit[i].finding, r, origin);
		if (out)
			fprintf(out, "  \"%s\" -> %s (%s)\n", item, kb->findings[m.hit[i].finding].id, triage_reply_name(r));
	}
	if (!placed) {
		cr->unmatched++;
		if (out)
			fprintf(out, "  \"%s\" -> no finding (%s)\n", item, m.n ? "only partial matches" : "nothing");
	}
}

/* --interview: start from the complaint (or the first fact) and let the
 * engine ask; the case's facts answer its questions, "don't know" for
 * anything the case does not say. cr->ans ends as the interview's answers. */
static void
run_interview(const struct triage_kb *kb, const struct triage_person *who, const char *complaint,
              struct case_run *cr)
{
	struct triage_answer facts[TRIAGE_MAX_ANSWERS];
	struct tmatch_result m;
	size_t nfacts = cr->nans, n = 0;

	memcpy(facts, cr->ans, nfacts * sizeof(facts[0]));
	tmatch_text(kb, complaint, &m);
	/* The complaint's sure hits, and from its pick list what the patient
	 * would pick: the offered findings the case says are present. */
	for (size_t i = 0; i < nfacts; i++) {
		int picked = facts[i].origin == TRIAGE_FROM_COMPLAINT;
		for (size_t j = 0; j < m.n && !picked; j++)
			picked = m.hit[j].finding == facts[i].finding && facts[i].reply == TRIAGE_YES;
		if (picked)
			cr->ans[n++] = facts[i];
	}
	if (n == 0 && nfacts > 0)
		cr->ans[n++] = facts[0];
	while (triage_run(kb, who, cr->ans, n, &cr->res, NULL) == TRIAGE_ASK && n < TRIAGE_MAX_ANSWERS) {
		enum triage_reply reply = TRIAGE_UNKNOWN;
		for (size_t i = 0; i < nfacts; i++)
			if (facts[i].finding == cr->res.next)
				reply = facts[i].reply;
		cr->ans[n++] = (struct triage_answer){ cr->res.next, reply, TRIAGE_FROM_QUESTION, 0, 0 };
		cr->asked++;
	}
	cr->nans = n;
}

static void
run_case(const struct triage_kb *kb, const struct triage_case *c, struct case_run *cr, int interview, FILE *out)
{
	struct triage_person who = { c->age, tkb_sex_named(c->sex), c->pregnant };
	int want[TCASE_ALT_MAX + 1];
	size_t nwant = 0;

	memset(cr, 0, sizeof(*cr));
	if (who.sex == TKB_SEX__MAX)
		who.sex = TKB_ANY;
	if (c->complaint[0])
		add_item(kb, cr, c->complaint, TRIAGE_YES, TRIAGE_FROM_COMPLAINT, out);
	for (size_t i = 0; i < c->npresent; i++)
		add_item(kb, cr, c->present[i], TRIAGE_YES, TRIAGE_FROM_QUESTION, out);
	for (size_t i = 0; i < c->nabsent; i++)
		add_item(kb, cr, c->absent[i], TRIAGE_NO, TRIAGE_FROM_QUESTION, out);
	if (interview)
		run_interview(kb, &who, c->complaint, cr);
	else
		triage_run(kb, &who, cr->ans, cr->nans, &cr->res, NULL);
	want[nwant++] = tkb_condition_index(kb, c->expected);
	for (size_t i = 0; i < c->nalternatives; i++)
		want[nwant++] = tkb_condition_index(kb, c->alternatives[i]);
	for (size_t r = 0; r < cr->res.ntop && !cr->rank; r++)
		for (size_t w = 0; w < nwant; w++)
			if (want[w] == cr->res.top[r].condition)
				cr->rank = (int)r + 1;
	cr->want = tkb_urgency_named(c->triage);
}

static int
read_case(const char *path, struct triage_case *c)
{
	char err[256];
	size_t len = 0;
	char *json = file_read_all(path, TRIAGE_FILE_MAX, &len);
	int rc;

	if (!json) {
		fprintf(stderr, "medsysctl triage: %s: cannot read it\n", path);
		return -1;
	}
	if ((rc = triage_case_parse(json, len, c, err, sizeof(err))) != 0)
		fprintf(stderr, "medsysctl triage: %s: %s\n", path, err);
	free(json);
	return rc;
}

static void
print_result(const struct triage_kb *kb, const struct triage_case *c, const struct case_run *cr)
{
	const struct triage_result *r = &cr->res;

	for (size_t i = 0; i < r->ntop; i++) {
		const struct tkb_condition *k = &kb->conditions[r->top[i].condition];
		printf("%2zu. %5.1f %%  %-32s %-9s %s\n", i + 1, 100 * r->top[i].p, k->id,
		       tkb_urgency_name(k->urgency), k->name[TKB_EN]);
	}
	if (r->redflag >= 0)
		printf("red flag: %s: %s\n", kb->redflags[r->redflag].id, kb->redflags[r->redflag].advice[TKB_EN]);
	printf("triage: %s (expected %s); mass emergency %.3f, today %.3f, days %.3f\n",
	       tkb_urgency_name(r->level), c->triage, r->mass[TKB_EMERGENCY], r->mass[TKB_TODAY], r->mass[TKB_DAYS]);
	if (cr->rank)
		printf("expected: %s (or an alternative) at rank %d\n", c->expected, cr->rank);
	else
		printf("expected: %s, not in the top %d\n", c->expected, TRIAGE_TOP);
	if (r->status == TRIAGE_ASK)
		printf("next question: %s: %s\n", kb->findings[r->next].id, kb->findings[r->next].question[TKB_EN]);
	for (size_t i = 0; cr->asked && i < cr->nans; i++)
		printf("%s %s: %s\n", cr->ans[i].origin == TRIAGE_FROM_COMPLAINT ? "said" : "asked",
		       kb->findings[cr->ans[i].finding].id, triage_reply_name(cr->ans[i].reply));
}

static int
do_case(const struct triage_kb *kb, const char *path, int interview)
{
	struct triage_case *c = malloc(sizeof(*c));
	struct case_run *cr = malloc(sizeof(*cr));
	int rc = 2;

	if (!c || !cr || read_case(path, c) != 0)
		goto out;
	printf("case %s (knowledge base %s)\n", c->id, kb->version);
	run_case(kb, c, cr, interview, stdout);
	print_result(kb, c, cr);
	rc = 0;
out:
	free(c);
	free(cr);
	return rc;
}

/* ---------------------------------------------------------------- eval */

struct tally {
	int n, top1, top3, top5, triage_ok, unmatched;
	long asked;
	int level_n[TKB_URGENCY__MAX], level_ok[TKB_URGENCY__MAX];
	int level_under[TKB_URGENCY__MAX], level_over[TKB_URGENCY__MAX];
};

static void
count(struct tally *t, const struct case_run *cr)
{
	enum tkb_urgency got = cr->res.level, want = cr->want;

	t->n++;
	t->top1 += cr->rank == 1;
	t->top3 += cr->rank >= 1 && cr->rank <= 3;
	t->top5 += cr->rank >= 1 && cr->rank <= 5;
	t->unmatched += cr->unmatched;
	t->asked += (long)cr->asked;
	if (want >= TKB_URGENCY__MAX)
		return;
	t->level_n[want]++;
	t->level_ok[want] += got == want;
	t->level_under[want] += got < want;
	t->level_over[want] += got > want;
	t->triage_ok += got == want;
}

static double
pct(int a, int b)
{
	return b ? 100.0 * a / b : 0;
}

static int
report(const struct tally *t)
{
	int fail;

	printf("\n%d cases; top-1 %.1f %%, top-3 %.1f %%, top-5 %.1f %%, triage %.1f %%; %d items unmatched\n",
	       t->n, pct(t->top1, t->n), pct(t->top3, t->n), pct(t->top5, t->n), pct(t->triage_ok, t->n),
	       t->unmatched);
	if (t->asked)
		printf("interviews: %.1f questions asked on average\n", t->n ? (double)t->asked / t->n : 0);
	printf("%-10s %5s %8s %8s %8s\n", "expected", "cases", "right", "under", "over");
	for (int u = TKB_URGENCY__MAX - 1; u >= 0; u--)
		printf("%-10s %5d %7.1f%% %7.1f%% %7.1f%%\n", tkb_urgency_name((enum tkb_urgency)u), t->level_n[u],
		       pct(t->level_ok[u], t->level_n[u]), pct(t->level_under[u], t->level_n[u]),
		       pct(t->level_over[u], t->level_n[u]));
	fail = t->n == 0 || t->top3 < EVAL_MIN_TOP3 * t->n || t->triage_ok < EVAL_MIN_TRIAGE * t->n ||
	       t->level_under[TKB_EMERGENCY] > 0;
	printf("%s: top-3 >= %.0f %%, triage >= %.0f %%, no emergency under-triaged\n",
	       fail ? "FAIL" : "PASS", 100 * EVAL_MIN_TOP3, 100 * EVAL_MIN_TRIAGE);
	return fail ? 1 : 0;
}

static int
do_eval(const struct triage_kb *kb, const char *dir, int verbose, int interview)
{
	struct triage_case *c = malloc(sizeof(*c));
	struct case_run *cr = malloc(sizeof(*cr));
	struct tally t;
	char **names = NULL, path[1024];
	int n = triage_dir_names(dir, ".json", &names), rc = 2;

	memset(&t, 0, sizeof(t));
	if (!c || !cr || n < 0) {
		fprintf(stderr, "medsysctl triage: %s: cannot list the cases\n", dir);
		goto out;
	}
	printf("knowledge base %s: %zu conditions, %zu findings, %zu red-flag rules\n", kb->version,
	       kb->nconditions, kb->nfindings, kb->nredflags);
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (read_case(path, c) != 0)
			goto out;
		run_case(kb, c, cr, interview, verbose ? stdout : NULL);
		count(&t, cr);
		if (tkb_condition_index(kb, c->expected) < 0)
			printf("%-40s unknown expected condition %s\n", names[i], c->expected);
		if (verbose || cr->rank != 1 || cr->res.level != cr->want)
			printf("%-40s rank %s%d  triage %-9s want %-9s got %s\n", names[i], cr->rank ? "" : ">",
			       cr->rank ? cr->rank : TRIAGE_TOP, tkb_urgency_name(cr->res.level), c->triage,
			       cr->res.ntop ? kb->conditions[cr->res.top[0].condition].id : "-");
	}
	rc = report(&t);
out:
	triage_names_free(names, n);
	free(c);
	free(cr);
	return rc;
}

static int
do_findings(const struct triage_kb *kb)
{
	printf("# knowledge base %s: id, kind, name_en, name_es, synonyms_en, synonyms_es\n", kb->version);
	for (size_t i = 0; i < kb->nfindings; i++) {
		const struct tkb_finding *f = &kb->findings[i];
		static const char *const kinds[] = { "symptom", "sign", "risk", "history", "exposure" };
		printf("%s\t%s\t%s\t%s\t%s\t%s\n", f->id, kinds[f->kind], f->name[TKB_EN], f->name[TKB_ES],
		       f->synonyms[TKB_EN], f->synonyms[TKB_ES]);
	}
	return 0;
}

static int
usage(void)
{
	fprintf(stderr, "usage: medsysctl triage --case FILE.json | --eval DIR [--verbose] [--interview] | --findings"
	                " [--kb DIR]\n");
	return 2;
}

int
triage_cli(const struct config *cfg, int argc, char **argv)
{
	const char *mode = NULL, *arg = NULL, *kbdir = NULL;
	char defdir[1024], err[512];
	struct triage_kb *kb;
	int verbose = 0, interview = 0, rc;

	for (int i = 1; i < argc; i++) {
		if ((strcmp(argv[i], "--case") == 0 || strcmp(argv[i], "--eval") == 0) && i + 1 < argc && !mode) {
			mode = argv[i];
			arg = argv[++i];
		} else if (strcmp(argv[i], "--findings") == 0 && !mode) {
			mode = argv[i];
		} else if (strcmp(argv[i], "--kb") == 0 && i + 1 < argc) {
			kbdir = argv[++i];
		} else if (strcmp(argv[i], "--verbose") == 0) {
			verbose = 1;
		} else if (strcmp(argv[i], "--interview") == 0) {
			interview = 1;
		} else {
			return usage();
		}
	}
	if (!mode)
		return usage();
	snprintf(defdir, sizeof(defdir), "%s/data/triage", cfg->datadir);
	if (!(kb = triage_kb_load(kbdir ? kbdir : defdir, err, sizeof(err)))) {
		fprintf(stderr, "medsysctl triage: %s\n", err);
		return 2;
	}
	rc = strcmp(mode, "--case") == 0 ? do_case(kb, arg, interview)
	   : strcmp(mode, "--eval") == 0 ? do_eval(kb, arg, verbose, interview)
	   : do_findings(kb);
	tkb_free(kb);
	return rc;
}
