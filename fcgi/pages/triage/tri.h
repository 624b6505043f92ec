/* tri: what the symptom checker's pages share: the knowledge base of this
 * worker, an interview's state (the person, the complaint, the answers)
 * read from a form or a row and moved on by one step, and the page that
 * shows it (docs/triage.md "Pages"). */
#ifndef MEDSYS_PAGES_TRI_H
#define MEDSYS_PAGES_TRI_H

#include <stddef.h>

#include "lib/triage.h"

struct req;
struct fields;

#define TRI_COMPLAINT_MAX 300    /* characters of the complaint */
#define TRI_ANSWERS_TEXT  8000   /* bytes of the encoded answers (URL or row) */

struct tri_state {
	struct triage_person who;
	const char *complaint;       /* arena */
	int started;                 /* the complaint was matched or its list answered */
	struct triage_answer ans[TRIAGE_MAX_ANSWERS];
	size_t n;
};

/* How a page shows the interview: its own path, whether it is stored (forms
 * post there with a CSRF token) or anonymous (GET forms carrying the state),
 * and whether it may be changed (a doctor only reads). */
struct tri_view {
	const char *self;
	int stored;
	int readonly;
};

/* This worker's knowledge base, read on the first call from config
 * triage_kb (or datadir/data/triage); NULL when it cannot be read (the
 * page answers 503; the reason is logged once). */
const struct triage_kb *tri_kb(struct req *r);

/* The knowledge base's language for the request's. */
enum tkb_lang tri_lang(const struct req *r);

/* The person and complaint from fields f (age, sex, preg, c) into s.
 * 0, or the language key of what is wrong (the start page shows it). */
const char *tri_person(struct req *r, const struct fields *f, struct tri_state *s);

/* Match s->complaint: when the matcher is sure its full hits become the
 * complaint's answers and s->started is set. 0, or -1 when nothing at all
 * was recognised (the start page asks for other words). */
int tri_match(const struct triage_kb *kb, struct tri_state *s);

/* One step from the fields of a form: picks from the complaint's list
 * (f=ID, several; none=1), an answer (q=ID, r=y|n|u, replacing an
 * earlier answer to it) or going back (keep=K: only the first K answers
 * stay). 1 when s changed, 0 when f held no step, -1 for a bad value. */
int tri_step(const struct triage_kb *kb, const struct fields *f, struct tri_state *s);

/* The answers as text (arena), NULL when they do not fit. */
const char *tri_encode(struct req *r, const struct triage_kb *kb, const struct tri_state *s);

/* Show the interview in s: the complaint's list to pick from, the next
 * question with the thread of earlier ones, or the result. *out receives
 * the engine's result (status, level) for the caller to store. Returns
 * the page's status. */
int tri_show(struct req *r, const struct triage_kb *kb, const struct tri_state *s,
             const struct tri_view *v, struct triage_result *out);

/* The finished interview in s as plain text in the request's language:
 * the draft pre-visit summary a doctor reads (arena). */
const char *tri_summary(struct req *r, const struct triage_kb *kb, const struct tri_state *s,
                        const struct triage_result *res);

#endif
