/* triage: the symptom checker's engine over a finished knowledge base
 * (triagekb.h). Naive Bayes over present / absent / unknown findings with
 * priors by age and sex band; the next question by expected information
 * gain among the findings that separate the leading conditions; red-flag
 * rules after every answer; a four-level triage that errs towards
 * caution. Stateless: a page keeps the list of answers and calls
 * triage_run with all of them on every request. Pure: no I/O, no
 * allocation. docs/triage.md explains the model and the thresholds. */
#ifndef MEDSYS_TRIAGE_H
#define MEDSYS_TRIAGE_H

#include <stddef.h>
#include <stdint.h>

#include "triagekb.h"

/* Thresholds (docs/triage.md "Thresholds"). */
#define TRIAGE_MAX_QUESTIONS 20      /* question budget of one interview */
#define TRIAGE_STOP_P        0.70    /* stop when the leader has this much ... */
#define TRIAGE_STOP_MARGIN   0.40    /* ... and is this far ahead of the second */
#define TRIAGE_LEADERS       8       /* top-k conditions the next question separates */
#define TRIAGE_SEPARATES     0.15    /* max - min P(f | leader) for a finding to separate */
#define TRIAGE_MIN_GAIN      0.005   /* bits: below this no question is worth asking */
#define TRIAGE_LEAK_MIN      0.005    /* floor of P(f | c) for a finding c does not list */
/* Red-flag screening before the other questions: at most this many
 * questions on red-flag findings, for emergencies with this much posterior. */
#define TRIAGE_SCREEN_MAX    6
#define TRIAGE_SCREEN_FLOOR  0.001
/* Doubt bands: while the mass of emergencies (of "today or worse") is
 * at least this but under its threshold, the interview first asks what
 * best tells that level from the less urgent ones, before it may stop. */
#define TRIAGE_DOUBT_EMERGENCY 0.01
#define TRIAGE_DOUBT_TODAY     0.05
/* Cautious triage: the most urgent level whose probability mass (the sum
 * of the posteriors of conditions at that level or more urgent) reaches
 * its threshold. */
#define TRIAGE_MASS_EMERGENCY 0.10
#define TRIAGE_MASS_TODAY     0.25
#define TRIAGE_MASS_DAYS      0.35
#define TRIAGE_TOP           10      /* conditions kept ranked in a result */
#define TRIAGE_MAX_ANSWERS   200
#define TRIAGE_AGE_MAX       130

enum triage_reply { TRIAGE_NO = 0, TRIAGE_YES, TRIAGE_UNKNOWN, TRIAGE_REPLY__MAX };
enum triage_origin { TRIAGE_FROM_COMPLAINT = 0, TRIAGE_FROM_QUESTION, TRIAGE_ORIGIN__MAX };

/* Who is asking: age in whole years, sex (TKB_ANY when not given). */
struct triage_person {
	int age;
	enum tkb_sex sex;
	int pregnant;        /* 1: the finding "pregnant", when the base has it, is present */
};

/* An answer. To a finding whose answer type is duration, severity or
 * number the person may give the value itself (valued 1: a choice index,
 * or a number in tenths); reply is then triage_reply_of(value), and the
 * engine reads only reply: the value is kept to show and encode it. */
struct triage_answer {
	uint16_t finding;
	enum triage_reply reply;
	enum triage_origin origin;   /* questions count against the budget */
	int valued;
	int32_t value;
};

enum triage_status {
	TRIAGE_ASK = 0,      /* ask result.next */
	TRIAGE_DONE,         /* the leader is clear, the budget is spent or nothing is left to ask */
	TRIAGE_REDFLAG,      /* a red-flag rule fired: emergency advice, the interview ends */
	TRIAGE_BAD_INPUT,    /* an unknown finding, too many answers, an age outside 0..130,
	                      * no condition possible for the person, an unfinished base */
	TRIAGE_STATUS__MAX
};

struct triage_ranked {
	uint16_t condition;
	double p;
};

struct triage_result {
	enum triage_status status;
	uint16_t next;                        /* TRIAGE_ASK: the finding to ask */
	int redflag;                          /* TRIAGE_REDFLAG: rule index, else -1 */
	enum tkb_urgency level;               /* the triage advice */
	double mass[TKB_URGENCY__MAX];        /* mass at each level or more urgent */
	struct triage_ranked top[TRIAGE_TOP]; /* the leading conditions, best first */
	size_t ntop;
	size_t questions;                     /* answers of origin TRIAGE_FROM_QUESTION */
	double entropy;                       /* bits, over the leaders */
};

/* Run the interview so far: the posterior over every condition given the
 * person and the answers (a later answer to the same finding replaces an
 * earlier one; unknown ones change nothing), then the red-flag rules, the
 * triage level and what to do next. post, when not NULL, receives the
 * posterior of every condition (kb->nconditions entries, summing to 1).
 * Returns out->status. */
enum triage_status triage_run(const struct triage_kb *kb, const struct triage_person *who,
                              const struct triage_answer *answers, size_t n,
                              struct triage_result *out, double *post);

/* The first red-flag rule that fires for the person when the findings
 * marked 1 in present[] (kb->nfindings entries) are present; -1 when none. */
int triage_redflag(const struct triage_kb *kb, const struct triage_person *who, const uint8_t *present);

/* Why condition c: the weight of evidence (log10 of the likelihood ratio
 * of c against the base rate) of each answered finding, into
 * weight[i] for answers[i] (0 for unknown). Positive speaks for c,
 * negative against. */
void triage_explain(const struct triage_kb *kb, size_t c, const struct triage_answer *answers,
                    size_t n, double *weight);

/* The answers as one URL-safe text a page can keep in a hidden field or
 * a row: "cy.fever-qn.cough-qu.rash" (origin c complaint / q question,
 * reply y / n / u, the finding's id: ids stay stable across versions of
 * the base); a valued answer has its value's digits after the reply:
 * "qy4.cough_long", "qy392.high_fever" (texts without values, from
 * before answer types, read as they always did). Returns the length written into out (outlen bytes, always
 * terminated), or -1 when it does not fit or an answer is out of range. */
int triage_answers_encode(const struct triage_kb *kb, const struct triage_answer *answers, size_t n,
                          char *out, size_t outlen);

/* The reverse: at most max answers from s into answers. Their count, or
 * -1 when s is malformed or names a finding the base does not have. A
 * valued answer's reply is recomputed from its value (triage_reply_of):
 * a value out of range, or one for a yes/no finding, is malformed. */
int triage_answers_decode(const struct triage_kb *kb, const char *s, struct triage_answer *answers, size_t max);

/* The reply a value for finding f stands for: yes from the finding's
 * yes_from on, else no; TRIAGE_REPLY__MAX when f takes no value (yes/no)
 * or the value is out of its range. */
enum triage_reply triage_reply_of(const struct triage_kb *kb, size_t f, int32_t value);

/* A typed value for finding f into *value: a choice index ("0".."4" for
 * a duration, "0".."2" for a severity) or a number with at most one
 * decimal, point or comma ("38,5" -> 385). 0, or -1 when it is not one. */
int triage_value_parse(const struct triage_kb *kb, size_t f, const char *text, int32_t *value);

/* The name of a status or reply ("ask", "yes", ...). */
const char *triage_status_name(enum triage_status s);
const char *triage_reply_name(enum triage_reply r);

#endif
