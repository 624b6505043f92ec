/* triagekb_index: the knowledge base's memory (text, arrays, references),
 * resolving the ids between tables, the id hash tables and the
 * probability matrix. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triagekb.h"
#include "triagekb_store.h"

#define CHUNK_BYTES 65536

/* Reference slots per table row (see tkb_store_ref). */
enum { REF_PRIOR_COND, REF_EV_COND, REF_EV_FIND, REF_RF_ALL, REF_RF_ANY, REF__MAX };

struct tkb_store {
	char **chunks;               /* text, CHUNK_BYTES each (or one big string) */
	size_t nchunks, used;        /* bytes used in the last chunk */
	const char **refs[REF__MAX];
	size_t nrefs[REF__MAX];
	int32_t *hash[2];            /* 0 findings, 1 conditions: index + 1, 0 empty */
	size_t hashcap[2];
	int oom;
};

struct tkb_store *
tkb_store_new(void)
{
	return calloc(1, sizeof(struct tkb_store));
}

void
tkb_store_free(struct tkb_store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nchunks; i++)
		free(s->chunks[i]);
	free(s->chunks);
	for (int r = 0; r < REF__MAX; r++)
		free(s->refs[r]);
	free(s->hash[0]);
	free(s->hash[1]);
	free(s);
}

int
tkb_store_oom(const struct tkb_store *s)
{
	return s->oom;
}

void *
tkb_store_grow(struct tkb_store *s, void **arr, size_t size, size_t n)
{
	/* Capacity is 16 * 2^k: full exactly when n is 0 or a power of two >= 16. */
	if (n == 0 || (n >= 16 && (n & (n - 1)) == 0)) {
		size_t cap = n == 0 ? 16 : 2 * n;
		void *p = realloc(*arr, cap * size);
		if (!p) {
			s->oom = 1;
			return NULL;
		}
		*arr = p;
	}
	return (char *)*arr + n * size;
}

/* Room for n bytes of text, from the last chunk or a new one. */
static char *
text_room(struct tkb_store *s, size_t n)
{
	char **chunks;

	if (s->nchunks == 0 || s->used + n > CHUNK_BYTES) {
		size_t sz = n > CHUNK_BYTES ? n : CHUNK_BYTES;
		if (!(chunks = realloc(s->chunks, (s->nchunks + 1) * sizeof(*chunks))))
			return NULL;
		s->chunks = chunks;
		if (!(s->chunks[s->nchunks] = malloc(sz)))
			return NULL;
		s->nchunks++;
		s->used = 0;
	}
	s->used += n;
	return s->chunks[s->nchunks - 1] + s->used - n;
}

const char *
tkb_store_text(struct tkb_store *s, const char *text)
{
	size_t n = strlen(text) + 1;
	char *p = text_room(s, n);

	if (!p) {
		s->oom = 1;
		return "";
	}
	memcpy(p, text, n);
	return p;
}

static int
ref_slot(enum tkb_table t, int which)
{
	switch (t) {
	case TKB_PRIORS: return which == 0 ? REF_PRIOR_COND : -1;
	case TKB_EVIDENCE: return which == 0 ? REF_EV_COND : which == 1 ? REF_EV_FIND : -1;
	case TKB_REDFLAGS: return which == 0 ? REF_RF_ALL : which == 1 ? REF_RF_ANY : -1;
	default: return -1;
	}
}

int
tkb_store_ref(struct tkb_store *s, enum tkb_table t, size_t row, int which, const char *text)
{
	int r = ref_slot(t, which);
	const char **slot;

	/* Rows are added in order, so row is the count of refs so far. */
	if (r < 0 || row != s->nrefs[r])
		return -1;
	if (!(slot = tkb_store_grow(s, (void **)&s->refs[r], sizeof(*slot), row)))
		return -1;
	*slot = tkb_store_text(s, text);
	s->nrefs[r]++;
	return s->oom ? -1 : 0;
}

const char *
tkb_store_ref_get(const struct tkb_store *s, enum tkb_table t, size_t row, int which)
{
	int r = ref_slot(t, which);
	return r >= 0 && row < s->nrefs[r] ? s->refs[r][row] : "";
}

/* ---------------------------------------------------------------- ids */

static uint32_t
fnv1a(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static const char *
id_at(const struct triage_kb *kb, int which, size_t i)
{
	return which == 0 ? kb->findings[i].id : kb->conditions[i].id;
}

static int
lookup(const struct triage_kb *kb, int which, const char *id)
{
	const struct tkb_store *s = kb->store;
	size_t mask = s->hashcap[which] - 1;

	if (!s->hash[which])
		return -1;
	for (size_t h = fnv1a(id) & mask;; h = (h + 1) & mask) {
		int32_t v = s->hash[which][h];
		if (v == 0)
			return -1;
		if (strcmp(id_at(kb, which, (size_t)v - 1), id) == 0)
			return v - 1;
	}
}

/* Build one id table; -1 with the duplicate's id in err. */
static int
build_hash(struct triage_kb *kb, int which, size_t n, char *err, size_t errlen)
{
	struct tkb_store *s = kb->store;
	size_t cap = 16, mask;

	while (cap < 2 * n)
		cap *= 2;
	if (!(s->hash[which] = calloc(cap, sizeof(int32_t)))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->hashcap[which] = cap;
	mask = cap - 1;
	for (size_t i = 0; i < n; i++) {
		const char *id = id_at(kb, which, i);
		size_t h = fnv1a(id) & mask;
		for (; s->hash[which][h]; h = (h + 1) & mask)
			if (strcmp(id_at(kb, which, (size_t)s->hash[which][h] - 1), id) == 0) {
				snprintf(err, errlen, "%s id \"%s\" appears twice", which ? "condition" : "finding", id);
				return -1;
			}
		s->hash[which][h] = (int32_t)i + 1;
	}
	return 0;
}

int
tkb_finding_index(const struct triage_kb *kb, const char *id)
{
	return lookup(kb, 0, id);
}

int
tkb_condition_index(const struct triage_kb *kb, const char *id)
{
	return lookup(kb, 1, id);
}

/* ---------------------------------------------------------------- finish */

static int
resolve_priors(struct triage_kb *kb, char *err, size_t errlen)
{
	for (size_t i = 0; i < kb->npriors; i++) {
		const char *id = tkb_store_ref_get(kb->store, TKB_PRIORS, i, 0);
		int c = tkb_condition_index(kb, id);
		if (c < 0) {
			snprintf(err, errlen, "priors: unknown condition \"%s\"", id);
			return -1;
		}
		kb->priors[i].condition = (uint16_t)c;
	}
	return 0;
}

static int
evidence_order(const void *a, const void *b)
{
	const struct tkb_evidence *x = a, *y = b;

	if (x->condition != y->condition)
		return x->condition < y->condition ? -1 : 1;
	return x->finding < y->finding ? -1 : x->finding > y->finding;
}

static int
resolve_evidence(struct triage_kb *kb, char *err, size_t errlen)
{
	for (size_t i = 0; i < kb->nevidence; i++) {
		const char *cid = tkb_store_ref_get(kb->store, TKB_EVIDENCE, i, 0);
		const char *fid = tkb_store_ref_get(kb->store, TKB_EVIDENCE, i, 1);
		int c = tkb_condition_index(kb, cid), f = tkb_finding_index(kb, fid);
		if (c < 0 || f < 0) {
			snprintf(err, errlen, "evidence: unknown %s \"%s\"", c < 0 ? "condition" : "finding",
			         c < 0 ? cid : fid);
			return -1;
		}
		kb->evidence[i].condition = (uint16_t)c;
		kb->evidence[i].finding = (uint16_t)f;
	}
	if (kb->nevidence)
		qsort(kb->evidence, kb->nevidence, sizeof(*kb->evidence), evidence_order);
	for (size_t i = 0; i < kb->nevidence; i++) {
		struct tkb_evidence *e = &kb->evidence[i];
		struct tkb_condition *c = &kb->conditions[e->condition];
		if (i && e->condition == e[-1].condition && e->finding == e[-1].finding) {
			snprintf(err, errlen, "evidence: %s,%s appears twice", c->id, kb->findings[e->finding].id);
			return -1;
		}
		if (c->nevidence++ == 0)
			c->first_evidence = (uint32_t)i;
	}
	return 0;
}

/* Resolve one '|' list into ids[]; its count, or -1 with err set. */
static int
resolve_list(const struct triage_kb *kb, const char *rule, const char *list, uint16_t *ids,
             char *err, size_t errlen)
{
	char buf[TKB_LINE_MAX + 1];
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", list);
	for (char *save = NULL, *tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
		int f = tkb_finding_index(kb, tok);
		if (f < 0 || n >= TKB_MAX_RULE_IDS) {
			snprintf(err, errlen, "redflags: rule %s names unknown finding \"%s\"", rule, tok);
			return -1;
		}
		ids[n++] = (uint16_t)f;
	}
	return n;
}

static int
resolve_redflags(struct triage_kb *kb, char *err, size_t errlen)
{
	for (size_t i = 0; i < kb->nredflags; i++) {
		struct tkb_redflag *r = &kb->redflags[i];
		int a = resolve_list(kb, r->id, tkb_store_ref_get(kb->store, TKB_REDFLAGS, i, 0), r->all_of, err, errlen);
		int b = a < 0 ? -1 : resolve_list(kb, r->id, tkb_store_ref_get(kb->store, TKB_REDFLAGS, i, 1),
		                                  r->any_of, err, errlen);
		if (b < 0)
			return -1;
		r->nall = (uint8_t)a;
		r->nany = (uint8_t)b;
		for (size_t j = 0; j < i; j++)
			if (strcmp(kb->redflags[j].id, r->id) == 0) {
				snprintf(err, errlen, "redflags: rule id \"%s\" appears twice", r->id);
				return -1;
			}
	}
	return 0;
}

/* Every condition is possible somewhere and has evidence. */
static int
check_conditions(const struct triage_kb *kb, char *err, size_t errlen)
{
	for (size_t c = 0; c < kb->nconditions; c++) {
		int has_prior = 0;
		for (size_t i = 0; i < kb->npriors && !has_prior; i++)
			has_prior = kb->priors[i].condition == c && kb->priors[i].prior > 0;
		if (!has_prior || kb->conditions[c].nevidence == 0) {
			snprintf(err, errlen, "condition \"%s\" has no %s", kb->conditions[c].id,
			         has_prior ? "evidence" : "prior above 0");
			return -1;
		}
	}
	return 0;
}

static int
build_matrix(struct triage_kb *kb, char *err, size_t errlen)
{
	size_t nf = kb->nfindings;

	if (!(kb->pmatrix = malloc(kb->nconditions * nf * sizeof(double) + 1))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t c = 0; c < kb->nconditions; c++)
		for (size_t f = 0; f < nf; f++)
			kb->pmatrix[c * nf + f] = kb->findings[f].base;
	for (size_t i = 0; i < kb->nevidence; i++)
		kb->pmatrix[kb->evidence[i].condition * nf + kb->evidence[i].finding] = kb->evidence[i].p;
	return 0;
}

int
tkb_finish(struct triage_kb *kb, char *err, size_t errlen)
{
	if (kb->finished) {
		snprintf(err, errlen, "the base is already finished");
		return -1;
	}
	if (tkb_store_oom(kb->store)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (!kb->version[0] || !kb->nfindings || !kb->nconditions) {
		snprintf(err, errlen, "no VERSION, findings or conditions");
		return -1;
	}
	if (build_hash(kb, 0, kb->nfindings, err, errlen) || build_hash(kb, 1, kb->nconditions, err, errlen) ||
	    resolve_priors(kb, err, errlen) || resolve_evidence(kb, err, errlen) ||
	    resolve_redflags(kb, err, errlen) || check_conditions(kb, err, errlen) ||
	    build_matrix(kb, err, errlen))
		return -1;
	kb->finished = 1;
	return 0;
}

struct triage_kb *
tkb_new(void)
{
	struct triage_kb *kb = calloc(1, sizeof(*kb));

	if (kb && !(kb->store = tkb_store_new())) {
		free(kb);
		return NULL;
	}
	return kb;
}

void
tkb_free(struct triage_kb *kb)
{
	if (!kb)
		return;
	free(kb->findings);
	free(kb->conditions);
	free(kb->priors);
	free(kb->evidence);
	free(kb->redflags);
	free(kb->pmatrix);
	tkb_store_free(kb->store);
	free(kb);
}

double
tkb_prior_for(const struct triage_kb *kb, size_t c, int age, enum tkb_sex sex)
{
	double any = -1;

	for (size_t i = 0; i < kb->npriors; i++) {
		const struct tkb_prior *p = &kb->priors[i];
		if (p->condition != c || age < p->age_min || age >= p->age_max)
			continue;
		if (p->sex != TKB_ANY && p->sex == sex)
			return p->prior;
		if (p->sex == TKB_ANY && any < 0)
			any = p->prior;
	}
	return any < 0 ? 0 : any;
}
