/* show: one symptom-checker page from an interview's state: the list to
 * pick from when the complaint was not understood for sure, the next
 * question under the thread of earlier answers, or the result (triage
 * advice first, up to five conditions with the answers for and against,
 * self-care with its cautions, booking, what the tool is not). */
#include "pages/triage/tri.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/fields.h"
#include "core/request.h"
#include "core/view.h"
#include "lib/triagematch.h"
#include "pages/page.h"

#define TRI_SHOWN_CONDITIONS 5
#define TRI_WEIGHT_SHOWN 0.1      /* log10 LR: answers weaker than this are not named */

static const char *const reply_code[TRIAGE_REPLY__MAX] = { "n", "y", "u" };

/* An answer in words: "Yes", "4-7 days", "Severe", "38.5 °C". */
static const char *
reply_label(struct req *r, const struct triage_kb *kb, const struct triage_answer *a)
{
	const struct tkb_finding *f = &kb->findings[a->finding];
	char key[48];

	if (a->valued && f->answer == TKB_NUMBER)
		return arena_printf(r->arena, "%d.%d %s", (int)(a->value / 10), (int)(a->value % 10), f->unit);
	if (a->valued)
		snprintf(key, sizeof(key), "triage.%s.%d", tkb_answer_name(f->answer), (int)a->value);
	else
		snprintf(key, sizeof(key), "triage.reply.%s", reply_code[a->reply]);
	return view_lang(r->view, key);
}

/* The hidden fields that carry an anonymous interview from page to page. */
static void
set_carry(struct req *r, const struct triage_kb *kb, const struct tri_state *s)
{
	const char *a = tri_encode(r, kb, s);

	view_set_int(r->view, s->who.age, "Data.carry.age");
	view_set(r->view, tkb_sex_name(s->who.sex), "Data.carry.sex");
	view_set(r->view, s->who.pregnant ? "1" : "", "Data.carry.preg");
	view_set(r->view, s->complaint, "Data.carry.c");
	view_set(r->view, a ? a : "", "Data.carry.a");
	view_set(r->view, s->started ? "1" : "", "Data.carry.s");
}

/* The anonymous interview's URL with only the first keep answers. */
static const char *
anon_link(struct req *r, const struct triage_kb *kb, const struct tri_state *s, size_t keep)
{
	struct tri_state *t = arena_alloc(r->arena, sizeof(*t));
	const char *a;

	if (t == NULL)
		return NULL;
	memcpy(t, s, sizeof(*t));
	t->n = keep;
	if ((a = tri_encode(r, kb, t)) == NULL)
		return NULL;
	return arena_printf(r->arena, "/triage/interview?age=%d&sex=%s&preg=%d&c=%s&s=1&a=%s",
	                    s->who.age, tkb_sex_name(s->who.sex), s->who.pregnant,
	                    form_url_encode(r->arena, s->complaint), a);
}

/* What the patient told so far: the complaint's findings, then each
 * question with its answer and the way back to it. */
static void
set_thread(struct req *r, const struct triage_kb *kb, const struct tri_state *s, const struct tri_view *v)
{
	enum tkb_lang L = tri_lang(r);
	size_t nq = 0, nc = 0;

	for (size_t i = 0; i < s->n; i++) {
		const struct tkb_finding *f = &kb->findings[s->ans[i].finding];
		struct view_row *row;
		if (s->ans[i].origin == TRIAGE_FROM_COMPLAINT) {
			row = view_row(r->view, "Data.told.%zu", nc++);
			view_row_set(row, "name", f->name[L]);
			view_row_set(row, "absent", s->ans[i].reply == TRIAGE_NO ? "1" : "");
			continue;
		}
		row = view_row(r->view, "Data.thread.%zu", nq++);
		view_row_set(row, "question", f->question[L]);
		view_row_set(row, "reply", reply_label(r, kb, &s->ans[i]));
		view_row_set(row, "keep", arena_printf(r->arena, "%zu", i));
		if (!v->stored && !v->readonly)
			view_row_set(row, "href", anon_link(r, kb, s, i));
	}
}

/* 1 when finding f is in a red-flag rule that shows the crisis line. */
static int
in_crisis_rule(const struct triage_kb *kb, uint16_t f)
{
	for (size_t i = 0; i < kb->nredflags; i++) {
		const struct tkb_redflag *rf = &kb->redflags[i];
		for (size_t k = 0; rf->crisis && k < rf->nall; k++)
			if (rf->all_of[k] == f)
				return 1;
		for (size_t k = 0; rf->crisis && k < rf->nany; k++)
			if (rf->any_of[k] == f)
				return 1;
	}
	return 0;
}

/* The complaint's hits to pick from (the matcher was not sure). A hit
 * that could mean suicidal thoughts shows the crisis line at once: the
 * person should not have to tick a box to see it. */
static int
show_picks(struct req *r, const struct triage_kb *kb, const struct tri_state *s)
{
	struct tmatch_result m;
	size_t k = 0;

	tmatch_text(kb, s->complaint, &m);
	for (size_t i = 0; i < m.n; i++) {
		struct view_row *row = view_row(r->view, "Data.picks.%zu", k++);
		view_row_set(row, "id", kb->findings[m.hit[i].finding].id);
		view_row_set(row, "name", kb->findings[m.hit[i].finding].name[tri_lang(r)]);
		if (in_crisis_rule(kb, m.hit[i].finding))
			view_set(r->view, "1", "Data.crisis");
	}
	return page_show(r, "triage.pick.title", "triage/pick.cs", HTTP_OK);
}

/* Condition c of the result: explanation, and the answers for and against. */
static void
set_condition(struct req *r, const struct triage_kb *kb, const struct tri_state *s, size_t i,
              const struct triage_ranked *t)
{
	const struct tkb_condition *c = &kb->conditions[t->condition];
	enum tkb_lang L = tri_lang(r);
	struct view_row *row = view_row(r->view, "Data.conditions.%zu", i);
	double w[TRIAGE_MAX_ANSWERS];
	size_t nfor = 0, nagainst = 0;

	view_row_set(row, "name", c->name[L]);
	view_row_set(row, "explain", c->explain[L]);
	view_row_set(row, "urgency", tkb_urgency_name(c->urgency));
	view_row_set(row, "pct", arena_printf(r->arena, "%d", (int)(t->p * 100.0 + 0.5)));
	view_row_set(row, "selfcare", c->selfcare[L]);
	view_row_set(row, "cautions", c->cautions[L]);
	view_row_set(row, "source", c->source);
	triage_explain(kb, t->condition, s->ans, s->n, w);
	for (size_t k = 0; k < s->n; k++) {
		const char *name = kb->findings[s->ans[k].finding].name[L];
		int yes = s->ans[k].reply == TRIAGE_YES;
		if (s->ans[k].reply == TRIAGE_UNKNOWN)
			continue;
		/* "No fever" speaks through its absence: say which. */
		if (!yes)
			name = arena_printf(r->arena, "%s: %s", name, view_lang(r->view, "triage.reply.n"));
		if (w[k] >= TRI_WEIGHT_SHOWN)
			view_set(r->view, name, "Data.conditions.%zu.for.%zu", i, nfor++);
		else if (w[k] <= -TRI_WEIGHT_SHOWN)
			view_set(r->view, name, "Data.conditions.%zu.against.%zu", i, nagainst++);
	}
}

/* The specialty and reason the booking button carries. */
static void
set_booking(struct req *r, const struct triage_kb *kb, const struct tri_state *s,
            const struct triage_result *res)
{
	const char *spec = res->ntop ? kb->conditions[res->top[0].condition].specialty : "family";
	char key[48];
	const char *reason;

	snprintf(key, sizeof(key), "triage.level.%s.short", tkb_urgency_name(res->level));
	reason = arena_printf(r->arena, "%s: %s (%s)", view_lang(r->view, "triage.book.reason"),
	                      s->complaint, view_lang(r->view, key));
	view_set(r->view, spec, "Data.book.specialty");
	view_set(r->view, arena_printf(r->arena, "/triage/book?specialty=%s&reason=%s", spec,
	                               form_url_encode(r->arena, reason)), "Data.book.href");
}

static int
show_result(struct req *r, const struct triage_kb *kb, const struct tri_state *s,
            const struct triage_result *res)
{
	enum tkb_lang L = tri_lang(r);

	static const char *const part[] = { "title", "text", "next" };
	char key[48];

	view_set(r->view, tkb_urgency_name(res->level), "Data.level");
	for (size_t i = 0; i < sizeof(part) / sizeof(part[0]); i++) {
		snprintf(key, sizeof(key), "triage.level.%s.%s", tkb_urgency_name(res->level), part[i]);
		view_set(r->view, view_lang(r->view, key), "Data.level_%s", part[i]);
	}
	if (res->status == TRIAGE_REDFLAG && res->redflag >= 0) {
		const struct tkb_redflag *rf = &kb->redflags[res->redflag];
		view_set(r->view, rf->advice[L], "Data.redflag.advice");
		view_set(r->view, rf->crisis ? "1" : "", "Data.redflag.crisis");
	} else {
		for (size_t i = 0; i < res->ntop && i < TRI_SHOWN_CONDITIONS; i++)
			set_condition(r, kb, s, i, &res->top[i]);
	}
	set_booking(r, kb, s, res);
	view_set(r->view, kb->version, "Data.kb_version");
	return page_show(r, "triage.result.title", "triage/result.cs", HTTP_OK);
}

int
tri_show(struct req *r, const struct triage_kb *kb, const struct tri_state *s,
         const struct tri_view *v, struct triage_result *out)
{
	enum triage_status st;

	memset(out, 0, sizeof(*out));
	out->status = TRIAGE_ASK;
	view_set(r->view, v->self, "Data.self");
	view_set(r->view, v->stored ? "1" : "", "Data.stored");
	view_set(r->view, v->readonly ? "1" : "", "Data.readonly");
	view_set(r->view, s->complaint, "Data.complaint");
	if (!v->stored)
		set_carry(r, kb, s);
	if (!s->started)
		return v->readonly ? HTTP_NOT_FOUND : show_picks(r, kb, s);
	st = triage_run(kb, &s->who, s->ans, s->n, out, NULL);
	if (st == TRIAGE_BAD_INPUT)
		return HTTP_BAD_REQUEST;
	set_thread(r, kb, s, v);
	if (st == TRIAGE_ASK && !v->readonly) {
		const struct tkb_finding *f = &kb->findings[out->next];
		view_set(r->view, f->id, "Data.q.id");
		view_set(r->view, f->question[tri_lang(r)], "Data.q.text");
		/* How to answer: yes/no, the choices of a duration or severity, a number and its unit. */
		view_set(r->view, tkb_answer_name(f->answer), "Data.q.answer");
		view_set(r->view, f->unit, "Data.q.unit");
		view_set_int(r->view, (long long)out->questions + 1, "Data.q.number");
		view_set_int(r->view, TRIAGE_MAX_QUESTIONS, "Data.q.max");
		return page_show(r, "triage.ask.title", "triage/ask.cs", HTTP_OK);
	}
	return show_result(r, kb, s, out);
}

const char *
tri_summary(struct req *r, const struct triage_kb *kb, const struct tri_state *s,
            const struct triage_result *res)
{
	enum tkb_lang L = tri_lang(r);
	int flag = res->status == TRIAGE_REDFLAG && res->redflag >= 0;
	char key[48];
	const char *t;

	/* Blocks apart by a blank line: the doctor accepts them one by one
	 * into the note (record/notes.c). */
	snprintf(key, sizeof(key), "triage.level.%s.short", tkb_urgency_name(res->level));
	t = arena_printf(r->arena, "%s: %s\n%s: %s\n\n%s:\n", view_lang(r->view, "triage.summary.complaint"),
	                 s->complaint, view_lang(r->view, "triage.summary.level"), view_lang(r->view, key),
	                 view_lang(r->view, "triage.summary.answers"));
	for (size_t i = 0; t && i < s->n; i++)
		t = arena_printf(r->arena, "%s- %s: %s\n", t, kb->findings[s->ans[i].finding].name[L],
		                 reply_label(r, kb, &s->ans[i]));
	if (t && flag)
		return arena_printf(r->arena, "%s\n%s\n", t, kb->redflags[res->redflag].advice[L]);
	if (t && res->ntop)
		t = arena_printf(r->arena, "%s\n%s:\n", t, view_lang(r->view, "triage.summary.possible"));
	for (size_t i = 0; t && i < res->ntop && i < TRI_SHOWN_CONDITIONS; i++)
		t = arena_printf(r->arena, "%s- %s (%d %%)\n", t, kb->conditions[res->top[i].condition].name[L],
		                 (int)(res->top[i].p * 100.0 + 0.5));
	return t;
}
