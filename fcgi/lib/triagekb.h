/* triagekb: the symptom checker's knowledge base (the CSV files of data/triage/)
 * parsed from bytes into one immutable structure: findings, conditions,
 * priors by age and sex band, evidence, red-flag rules. Pure: the caller
 * reads the files and hands their bytes over; no I/O. docs/triage.md and
 * data/triage/README.md describe the columns. */
#ifndef MEDSYS_TRIAGEKB_H
#define MEDSYS_TRIAGEKB_H

#include <stddef.h>
#include <stdint.h>

/* Documented limits: a larger base is refused with a message. */
#define TKB_MAX_FINDINGS   2000
#define TKB_MAX_CONDITIONS 1000
#define TKB_MAX_PRIORS     8000
#define TKB_MAX_EVIDENCE   30000
#define TKB_MAX_REDFLAGS   200
#define TKB_MAX_RULE_IDS   12      /* finding ids in one all_of or any_of */
#define TKB_LINE_MAX       4000    /* bytes of one CSV line */
#define TKB_AGE_NONE       200     /* age_max 200: no upper limit */

enum tkb_lang { TKB_EN = 0, TKB_ES, TKB_LANG__MAX };

enum tkb_table {
	TKB_FINDINGS = 0, TKB_CONDITIONS, TKB_PRIORS, TKB_EVIDENCE, TKB_REDFLAGS,
	TKB_VERSION, TKB_TABLE__MAX
};

enum tkb_kind { TKB_SYMPTOM = 0, TKB_SIGN, TKB_RISK, TKB_HISTORY, TKB_EXPOSURE, TKB_KIND__MAX };
enum tkb_answer_type { TKB_YESNO = 0, TKB_DURATION, TKB_SEVERITY, TKB_NUMBER, TKB_ANSWER__MAX };
/* The choices of a duration (less than a day, 1-3 days, 4-7 days, 1-3
 * weeks, more than 3 weeks) and of a severity (mild, moderate, severe);
 * a number is 0 .. TKB_NUMBER_MAX tenths. */
#define TKB_DURATION_CHOICES 5
#define TKB_SEVERITY_CHOICES 3
#define TKB_NUMBER_MAX       99999
/* Ordered from least to most urgent: comparisons mean "at least as urgent". */
enum tkb_urgency { TKB_SELFCARE = 0, TKB_DAYS, TKB_TODAY, TKB_EMERGENCY, TKB_URGENCY__MAX };
enum tkb_sex { TKB_ANY = 0, TKB_FEMALE, TKB_MALE, TKB_SEX__MAX };

struct tkb_finding {
	const char *id, *source;
	const char *name[TKB_LANG__MAX], *synonyms[TKB_LANG__MAX], *question[TKB_LANG__MAX];
	enum tkb_kind kind;
	enum tkb_answer_type answer;
	/* duration, severity, number: the answer from which the finding is
	 * present ("duration>=4" in the answer column; a number in tenths:
	 * "number>=39 °C" is 390) and the number's unit ("°C", else ""). */
	int32_t yes_from;
	const char *unit;
	double base;                 /* P(present) in primary care; the leak */
};

struct tkb_condition {
	const char *id, *specialty, *source;
	const char *name[TKB_LANG__MAX], *explain[TKB_LANG__MAX];
	const char *selfcare[TKB_LANG__MAX], *cautions[TKB_LANG__MAX];
	enum tkb_urgency urgency;
	uint32_t first_evidence, nevidence;   /* its rows in kb->evidence */
};

struct tkb_prior {
	uint16_t condition;
	enum tkb_sex sex;
	int age_min, age_max;        /* [min, max) whole years */
	double prior;                /* per 100,000 consultations */
};

struct tkb_evidence {
	uint16_t condition, finding;
	double p;                    /* P(finding present | condition) */
	const char *source;
};

struct tkb_redflag {
	const char *id, *source;
	const char *advice[TKB_LANG__MAX];
	uint16_t all_of[TKB_MAX_RULE_IDS], any_of[TKB_MAX_RULE_IDS];
	uint8_t nall, nany;
	int min_age, max_age;
	enum tkb_sex sex;
	int crisis;                  /* show the crisis line */
};

struct triage_kb {
	char version[32];
	struct tkb_finding *findings;
	struct tkb_condition *conditions;
	struct tkb_prior *priors;
	struct tkb_evidence *evidence;   /* sorted by condition after tkb_finish */
	struct tkb_redflag *redflags;
	size_t nfindings, nconditions, npriors, nevidence, nredflags;
	/* After tkb_finish: P(finding f present | condition c) for every pair,
	 * the listed p or the finding's base, at pmatrix[c * nfindings + f]. */
	double *pmatrix;
	int finished;
	/* Private: the owned text and the unresolved references. */
	struct tkb_store *store;
};

/* A new, empty base; NULL when out of memory. */
struct triage_kb *tkb_new(void);

/* The table a file name belongs to ("findings.csv", "findings-2.csv" ->
 * TKB_FINDINGS; "VERSION" -> TKB_VERSION), or TKB_TABLE__MAX for a file
 * that is not part of the base. */
enum tkb_table tkb_table_of(const char *filename);

/* Parse len bytes of one file of table t (name only for messages) into
 * kb, in any order of files. Lines starting with '#' and blank lines are
 * skipped; the first other line must be the table's header. 0, or -1 with
 * "NAME:LINE: what" in err: a malformed line, a bad value, a duplicate
 * id, a limit reached. */
int tkb_add(struct triage_kb *kb, enum tkb_table t, const char *name,
            const char *bytes, size_t len, char *err, size_t errlen);

/* Resolve the references between tables once every file is added:
 * evidence, priors and rules name known ids, every condition has a prior
 * row and evidence, and the probability matrix is built. 0, or -1 with a
 * message in err. The base must not be changed afterwards. */
int tkb_finish(struct triage_kb *kb, char *err, size_t errlen);

/* Free the base and everything it owns (NULL is fine). */
void tkb_free(struct triage_kb *kb);

/* The index of the finding or condition with this id, or -1. */
int tkb_finding_index(const struct triage_kb *kb, const char *id);
int tkb_condition_index(const struct triage_kb *kb, const char *id);

/* The prior of condition c for a person of this age and sex: the first
 * row of the most specific band (female/male before any) that holds
 * them, or 0 (impossible) when none does. */
double tkb_prior_for(const struct triage_kb *kb, size_t c, int age, enum tkb_sex sex);

/* Names of the enum values as they are written in the files. */
const char *tkb_urgency_name(enum tkb_urgency u);
const char *tkb_sex_name(enum tkb_sex s);
const char *tkb_answer_name(enum tkb_answer_type a);
/* The value called name, or the __MAX value when none is. */
enum tkb_urgency tkb_urgency_named(const char *name);
enum tkb_sex tkb_sex_named(const char *name);

#endif
