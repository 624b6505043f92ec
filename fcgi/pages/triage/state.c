/* state: the symptom checker's knowledge base per worker, and an
 * interview's state read from a form and moved on by one step. */
#include "pages/triage/tri.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/fields.h"
#include "core/log.h"
#include "core/request.h"
#include "core/triagefiles.h"
#include "core/validate.h"
#include "lib/triagematch.h"

/* Read once per worker (the base is immutable, a few MB at most); a
 * failure is remembered too, so a broken install logs once, not per page. */
const struct triage_kb *
tri_kb(struct req *r)
{
	static struct triage_kb *kb;
	static int tried;
	char dir[CONFIG_STR_MAX + 16], err[256];

	if (tried)
		return kb;
	tried = 1;
	if (r->cfg->triage_kb[0])
		snprintf(dir, sizeof(dir), "%s", r->cfg->triage_kb);
	else
		snprintf(dir, sizeof(dir), "%s/data/triage", r->cfg->datadir);
	if ((kb = triage_kb_load(dir, err, sizeof(err))) == NULL)
		log_msg("error", "triage: cannot load the knowledge base %s: %s", dir, err);
	return kb;
}

enum tkb_lang
tri_lang(const struct req *r)
{
	return strcmp(r->lang, "en") == 0 ? TKB_EN : TKB_ES;
}

const char *
tri_person(struct req *r, const struct fields *f, struct tri_state *s)
{
	const char *age = fields_get(f, "age"), *sex = fields_get(f, "sex");
	const char *c = fields_get(f, "c"), *preg = fields_get(f, "preg");
	char *end;
	long a;

	memset(&s->who, 0, sizeof(s->who));
	s->complaint = NULL;
	s->started = 0;
	s->n = 0;
	if (age == NULL || *age == '\0')
		return "triage.error.age";
	a = strtol(age, &end, 10);
	if (*end != '\0' || a < 0 || a > TRIAGE_AGE_MAX || end - age > 3)
		return "triage.error.age";
	s->who.age = (int)a;
	if (sex == NULL || (strcmp(sex, "female") && strcmp(sex, "male") && strcmp(sex, "any")))
		return "triage.error.sex";
	s->who.sex = tkb_sex_named(sex);
	/* Pregnancy is asked of women of child-bearing age only. */
	s->who.pregnant = preg && strcmp(preg, "1") == 0 && s->who.sex == TKB_FEMALE &&
	                  s->who.age >= 10 && s->who.age < 60;
	while (c && (*c == ' ' || *c == '\t' || *c == '\r' || *c == '\n'))
		c++;
	if (c == NULL || *c == '\0')
		return "triage.error.complaint";
	if (utf8_char_count(c) > TRI_COMPLAINT_MAX)
		return "triage.error.complaint_long";
	s->complaint = arena_strdup(r->arena, c);
	return s->complaint ? NULL : "triage.error.complaint";
}

/* Put answer a into s, replacing an earlier answer to the same finding. */
static int
put(struct tri_state *s, struct triage_answer a)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->ans[i].finding == a.finding) {
			a.origin = s->ans[i].origin;
			s->ans[i] = a;
			return 0;
		}
	if (s->n >= TRIAGE_MAX_ANSWERS)
		return -1;
	s->ans[s->n++] = a;
	return 0;
}

int
tri_match(const struct triage_kb *kb, struct tri_state *s)
{
	struct tmatch_result m;

	if (tmatch_text(kb, s->complaint, &m) == 0)
		return -1;
	if (!m.sure)
		return 0;
	for (size_t i = 0; i < m.n; i++)
		if (m.hit[i].full)
			put(s, (struct triage_answer){ m.hit[i].finding,
			                               m.hit[i].negated ? TRIAGE_NO : TRIAGE_YES,
			                               TRIAGE_FROM_COMPLAINT, 0, 0 });
	s->started = 1;
	return 0;
}

static int
reply_of(const char *v, enum triage_reply *out)
{
	if (v == NULL || v[0] == '\0' || v[1] != '\0')
		return -1;
	switch (v[0]) {
	case 'y': *out = TRIAGE_YES; return 0;
	case 'n': *out = TRIAGE_NO; return 0;
	case 'u': *out = TRIAGE_UNKNOWN; return 0;
	default: return -1;
	}
}

/* The answer to finding k in a form: r=y|n|u, or a value v (a choice's
 * button, or a number typed with r=v) for a finding that takes one. */
static int
answer_of(const struct triage_kb *kb, size_t k, const struct fields *f, struct triage_answer *a)
{
	const char *r = fields_get(f, "r"), *v = fields_get(f, "v");

	*a = (struct triage_answer){ (uint16_t)k, TRIAGE_UNKNOWN, TRIAGE_FROM_QUESTION, 0, 0 };
	if (r && strcmp(r, "v") != 0)
		return reply_of(r, &a->reply);
	if (v == NULL || triage_value_parse(kb, k, v, &a->value) == -1)
		return -1;
	a->valued = 1;
	a->reply = triage_reply_of(kb, k, a->value);
	return 0;
}

/* The complaint's list: every f=ID picked is present. */
static int
step_picks(const struct triage_kb *kb, const struct fields *f, struct tri_state *s)
{
	for (size_t i = 0; i < f->n; i++) {
		int k;
		if (strcmp(f->v[i].name, "f") != 0)
			continue;
		if ((k = tkb_finding_index(kb, f->v[i].value)) < 0 ||
		    put(s, (struct triage_answer){ (uint16_t)k, TRIAGE_YES, TRIAGE_FROM_COMPLAINT, 0, 0 }) == -1)
			return -1;
	}
	s->started = 1;
	return 1;
}

int
tri_step(const struct triage_kb *kb, const struct fields *f, struct tri_state *s)
{
	const char *q = fields_get(f, "q"), *keep = fields_get(f, "keep");
	struct triage_answer a;
	char *end;
	int k;

	if (!s->started && (fields_get(f, "f") || fields_get(f, "none")))
		return step_picks(kb, f, s);
	if (keep) {
		long n = strtol(keep, &end, 10);
		if (*keep == '\0' || *end != '\0' || n < 0 || (size_t)n > s->n)
			return -1;
		s->n = (size_t)n;
		return 1;
	}
	if (q == NULL)
		return 0;
	if (!s->started || (k = tkb_finding_index(kb, q)) < 0 || answer_of(kb, (size_t)k, f, &a) == -1)
		return -1;
	return put(s, a) == -1 ? -1 : 1;
}

const char *
tri_encode(struct req *r, const struct triage_kb *kb, const struct tri_state *s)
{
	char *buf = arena_alloc(r->arena, TRI_ANSWERS_TEXT + 1);

	if (buf == NULL || triage_answers_encode(kb, s->ans, s->n, buf, TRI_ANSWERS_TEXT + 1) < 0)
		return NULL;
	return buf;
}
