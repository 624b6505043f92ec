/* triagekb: parsing the knowledge base's CSV files into struct triage_kb. */
#include "triagekb.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "triagekb_store.h"

#define TKB_FIELDS_MAX 12

static const char *const headers[TKB_TABLE__MAX] = {
	[TKB_FINDINGS] = "id,kind,name_en,name_es,synonyms_en,synonyms_es,question_en,question_es,answer,base,source",
	[TKB_CONDITIONS] = "id,name_en,name_es,explain_en,explain_es,urgency,specialty,selfcare_en,selfcare_es,cautions_en,cautions_es,source",
	[TKB_PRIORS] = "condition,sex,age_min,age_max,prior",
	[TKB_EVIDENCE] = "condition,finding,p,source",
	[TKB_REDFLAGS] = "id,all_of,any_of,min_age,max_age,sex,advice_en,advice_es,crisis,source",
	[TKB_VERSION] = NULL,
};
static const size_t ncolumns[TKB_TABLE__MAX] = { 11, 12, 5, 4, 10, 1 };
static const char *const table_names[TKB_TABLE__MAX] = {
	"findings", "conditions", "priors", "evidence", "redflags", "VERSION",
};
static const char *const kind_names[TKB_KIND__MAX] = { "symptom", "sign", "risk", "history", "exposure" };
static const char *const answer_names[TKB_ANSWER__MAX] = { "yesno", "duration", "severity", "number" };
static const char *const urgency_names[TKB_URGENCY__MAX] = { "selfcare", "days", "today", "emergency" };
static const char *const sex_names[TKB_SEX__MAX] = { "any", "female", "male" };
static const char *const specialties[] = {
	"family", "paediatrics", "cardiology", "dermatology", "gynaecology", "psychiatry", NULL,
};

/* One line being parsed: where, for messages. */
struct line_ctx {
	const char *name;
	size_t lineno;
	char *err;
	size_t errlen;
};

static int fail(const struct line_ctx *lc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
fail(const struct line_ctx *lc, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(lc->err, lc->errlen, "%s:%zu: %s", lc->name, lc->lineno, msg);
	return -1;
}

static int
named(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

const char *
tkb_urgency_name(enum tkb_urgency u)
{
	return u < TKB_URGENCY__MAX ? urgency_names[u] : "?";
}

const char *
tkb_answer_name(enum tkb_answer_type a)
{
	return a < TKB_ANSWER__MAX ? answer_names[a] : "?";
}

const char *
tkb_sex_name(enum tkb_sex s)
{
	return s < TKB_SEX__MAX ? sex_names[s] : "?";
}

enum tkb_urgency
tkb_urgency_named(const char *name)
{
	int i = named(urgency_names, TKB_URGENCY__MAX, name);
	return i < 0 ? TKB_URGENCY__MAX : (enum tkb_urgency)i;
}

enum tkb_sex
tkb_sex_named(const char *name)
{
	int i = named(sex_names, TKB_SEX__MAX, name);
	return i < 0 ? TKB_SEX__MAX : (enum tkb_sex)i;
}

enum tkb_table
tkb_table_of(const char *filename)
{
	size_t n, len = strlen(filename);

	if (strcmp(filename, "VERSION") == 0)
		return TKB_VERSION;
	if (len < 5 || strcmp(filename + len - 4, ".csv") != 0)
		return TKB_TABLE__MAX;
	for (int t = 0; t < TKB_VERSION; t++) {
		n = strlen(table_names[t]);
		/* "NAME.csv" or "NAME-anything.csv" */
		if (strncmp(filename, table_names[t], n) == 0 &&
		    (filename[n] == '.' ? len == n + 4 : filename[n] == '-'))
			return (enum tkb_table)t;
	}
	return TKB_TABLE__MAX;
}

/* 1 when s is a snake_case id: [a-z0-9_], starting with a letter, 1..63. */
static int
is_id(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 63 || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* 1 when s holds no control byte and no space at either end. */
static int
is_text(const char *s, int may_be_empty)
{
	size_t n = strlen(s);

	if (n == 0)
		return may_be_empty;
	if (s[0] == ' ' || s[n - 1] == ' ')
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

/* A number in [lo, hi] written in plain decimal; 0 or -1. */
static int
number(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	if (*s == '\0' || strspn(s, "0123456789.") != strlen(s))
		return -1;
	v = strtod(s, &end);
	if (*end != '\0' || !(v >= lo && v <= hi))
		return -1;
	*out = v;
	return 0;
}

static int
age(const char *s, int *out)
{
	double v;

	if (strchr(s, '.') || number(s, 0, TKB_AGE_NONE, &v) != 0)
		return -1;
	*out = (int)v;
	return 0;
}

/* The answer column: "yesno", or "duration>=K" / "severity>=K" (K a
 * choice from 1, the finding present from that choice on) or
 * "number>=X UNIT" (X with at most one decimal, the unit optional). */
static int
answer_of(const char *s, struct tkb_finding *x, const char **unit)
{
	static const int32_t choices[TKB_ANSWER__MAX] = { 0, TKB_DURATION_CHOICES, TKB_SEVERITY_CHOICES, 0 };
	const char *ge = strstr(s, ">=");
	char type[16];
	double v;
	char *end;

	*unit = "";
	if (ge == NULL) {
		x->answer = TKB_YESNO;
		x->yes_from = 0;
		return strcmp(s, "yesno") == 0 ? 0 : -1;
	}
	if ((size_t)(ge - s) >= sizeof(type))
		return -1;
	memcpy(type, s, (size_t)(ge - s));
	type[ge - s] = '\0';
	if (named(answer_names, TKB_ANSWER__MAX, type) <= 0)
		return -1;
	x->answer = (enum tkb_answer_type)named(answer_names, TKB_ANSWER__MAX, type);
	v = strtod(ge + 2, &end);
	if (end == ge + 2 || (*end != '\0' && *end != ' ') || !(v >= 0 && v * 10 <= TKB_NUMBER_MAX))
		return -1;
	if (x->answer == TKB_NUMBER) {
		x->yes_from = (int32_t)(v * 10 + 0.5);
		*unit = *end == ' ' ? end + 1 : "";
		return x->yes_from - v * 10 < 1e-6 && v * 10 - x->yes_from < 1e-6 ? 0 : -1;   /* one decimal */
	}
	x->yes_from = (int32_t)v;
	return *end == '\0' && v == x->yes_from && v >= 1 && v < choices[x->answer] ? 0 : -1;
}

static int
add_finding(struct triage_kb *kb, const char **f, const struct line_ctx *lc)
{
	struct tkb_finding *x;
	int kind = named(kind_names, TKB_KIND__MAX, f[1]);
	struct tkb_finding a;
	const char *unit;
	double base;

	if (!is_id(f[0]))
		return fail(lc, "id \"%s\" is not snake_case", f[0]);
	if (kind < 0 || answer_of(f[8], &a, &unit) != 0)
		return fail(lc, "kind or answer is not one of the listed values (answer: yesno, duration>=1..4, "
		            "severity>=1..2, number>=X UNIT)");
	if (number(f[9], 0, 1, &base) != 0)
		return fail(lc, "base must be a number from 0 to 1");
	for (int i = 2; i <= 10; i++)
		if (!is_text(f[i], i == 4 || i == 5))
			return fail(lc, "column %d is empty or holds control characters", i + 1);
	if (kb->nfindings >= TKB_MAX_FINDINGS)
		return fail(lc, "more than %d findings", TKB_MAX_FINDINGS);
	if (!(x = tkb_store_grow(kb->store, (void **)&kb->findings, sizeof(*x), kb->nfindings)))
		return fail(lc, "out of memory");
	x->id = tkb_store_text(kb->store, f[0]);
	x->kind = (enum tkb_kind)kind;
	x->answer = a.answer;
	x->yes_from = a.yes_from;
	x->unit = tkb_store_text(kb->store, unit);
	x->base = base;
	for (int l = 0; l < TKB_LANG__MAX; l++) {
		x->name[l] = tkb_store_text(kb->store, f[2 + l]);
		x->synonyms[l] = tkb_store_text(kb->store, f[4 + l]);
		x->question[l] = tkb_store_text(kb->store, f[6 + l]);
	}
	x->source = tkb_store_text(kb->store, f[10]);
	kb->nfindings++;
	return 0;
}

static int
is_specialty(const char *s)
{
	for (size_t i = 0; specialties[i]; i++)
		if (strcmp(specialties[i], s) == 0)
			return 1;
	return 0;
}

static int
add_condition(struct triage_kb *kb, const char **f, const struct line_ctx *lc)
{
	struct tkb_condition *x;
	enum tkb_urgency u = tkb_urgency_named(f[5]);

	if (!is_id(f[0]))
		return fail(lc, "id \"%s\" is not snake_case", f[0]);
	if (u == TKB_URGENCY__MAX || !is_specialty(f[6]))
		return fail(lc, "urgency or specialty is not one of the listed values");
	for (int i = 1; i <= 11; i++)
		if (!is_text(f[i], i >= 7 && i <= 10))
			return fail(lc, "column %d is empty or holds control characters", i + 1);
	/* Advice is for the conditions a patient may look after at home. */
	if (u >= TKB_TODAY && (f[7][0] || f[8][0] || f[9][0] || f[10][0]))
		return fail(lc, "self-care advice on a condition of urgency %s", f[5]);
	if (kb->nconditions >= TKB_MAX_CONDITIONS)
		return fail(lc, "more than %d conditions", TKB_MAX_CONDITIONS);
	if (!(x = tkb_store_grow(kb->store, (void **)&kb->conditions, sizeof(*x), kb->nconditions)))
		return fail(lc, "out of memory");
	memset(x, 0, sizeof(*x));
	x->id = tkb_store_text(kb->store, f[0]);
	x->urgency = u;
	x->specialty = tkb_store_text(kb->store, f[6]);
	for (int l = 0; l < TKB_LANG__MAX; l++) {
		x->name[l] = tkb_store_text(kb->store, f[1 + l]);
		x->explain[l] = tkb_store_text(kb->store, f[3 + l]);
		x->selfcare[l] = tkb_store_text(kb->store, f[7 + l]);
		x->cautions[l] = tkb_store_text(kb->store, f[9 + l]);
	}
	x->source = tkb_store_text(kb->store, f[11]);
	kb->nconditions++;
	return 0;
}

static int
add_prior(struct triage_kb *kb, const char **f, const struct line_ctx *lc)
{
	struct tkb_prior *x;
	enum tkb_sex sex = tkb_sex_named(f[1]);
	int lo, hi;
	double prior;

	if (!is_id(f[0]) || sex == TKB_SEX__MAX)
		return fail(lc, "condition id or sex is not valid");
	if (age(f[2], &lo) != 0 || age(f[3], &hi) != 0 || lo >= hi)
		return fail(lc, "ages must be whole years with age_min < age_max <= %d", TKB_AGE_NONE);
	if (number(f[4], 0, 100000, &prior) != 0)
		return fail(lc, "prior must be a number from 0 to 100000");
	if (kb->npriors >= TKB_MAX_PRIORS)
		return fail(lc, "more than %d prior rows", TKB_MAX_PRIORS);
	if (!(x = tkb_store_grow(kb->store, (void **)&kb->priors, sizeof(*x), kb->npriors)) ||
	    tkb_store_ref(kb->store, TKB_PRIORS, kb->npriors, 0, f[0]) != 0)
		return fail(lc, "out of memory");
	x->sex = sex;
	x->age_min = lo;
	x->age_max = hi;
	x->prior = prior;
	kb->npriors++;
	return 0;
}

static int
add_evidence(struct triage_kb *kb, const char **f, const struct line_ctx *lc)
{
	struct tkb_evidence *x;
	double p;

	if (!is_id(f[0]) || !is_id(f[1]))
		return fail(lc, "condition or finding id is not valid");
	if (number(f[2], 0.01, 0.99, &p) != 0)
		return fail(lc, "p must be a number from 0.01 to 0.99");
	if (!is_text(f[3], 0))
		return fail(lc, "source is empty or holds control characters");
	if (kb->nevidence >= TKB_MAX_EVIDENCE)
		return fail(lc, "more than %d evidence rows", TKB_MAX_EVIDENCE);
	if (!(x = tkb_store_grow(kb->store, (void **)&kb->evidence, sizeof(*x), kb->nevidence)) ||
	    tkb_store_ref(kb->store, TKB_EVIDENCE, kb->nevidence, 0, f[0]) != 0 ||
	    tkb_store_ref(kb->store, TKB_EVIDENCE, kb->nevidence, 1, f[1]) != 0)
		return fail(lc, "out of memory");
	x->p = p;
	x->source = tkb_store_text(kb->store, f[3]);
	kb->nevidence++;
	return 0;
}

/* Count the '|'-separated ids of s, each snake_case; -1 when one is not. */
static int
id_list(const char *s)
{
	char buf[TKB_LINE_MAX + 1];
	int n = 0;

	if (*s == '\0')
		return 0;
	snprintf(buf, sizeof(buf), "%s", s);
	for (char *save = NULL, *tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save), n++)
		if (!is_id(tok))
			return -1;
	/* "a||b" or a trailing '|' leaves an empty id: refuse it. */
	return strstr(s, "||") || s[0] == '|' || s[strlen(s) - 1] == '|' ? -1 : n;
}

static int
add_redflag(struct triage_kb *kb, const char **f, const struct line_ctx *lc)
{
	struct tkb_redflag *x;
	enum tkb_sex sex = tkb_sex_named(f[5]);
	int nall = id_list(f[1]), nany = id_list(f[2]), lo, hi;

	if (!is_id(f[0]) || sex == TKB_SEX__MAX)
		return fail(lc, "id or sex is not valid");
	if (nall < 0 || nany < 0 || nall + nany == 0 || nall > TKB_MAX_RULE_IDS || nany > TKB_MAX_RULE_IDS)
		return fail(lc, "all_of and any_of must be 1 to %d finding ids between them, each at most %d",
		            2 * TKB_MAX_RULE_IDS, TKB_MAX_RULE_IDS);
	if (age(f[3], &lo) != 0 || age(f[4], &hi) != 0 || lo >= hi)
		return fail(lc, "ages must be whole years with min_age < max_age <= %d", TKB_AGE_NONE);
	if (strcmp(f[8], "yes") != 0 && strcmp(f[8], "no") != 0)
		return fail(lc, "crisis must be yes or no");
	if (!is_text(f[6], 0) || !is_text(f[7], 0) || !is_text(f[9], 0))
		return fail(lc, "advice or source is empty or holds control characters");
	if (kb->nredflags >= TKB_MAX_REDFLAGS)
		return fail(lc, "more than %d red-flag rules", TKB_MAX_REDFLAGS);
	if (!(x = tkb_store_grow(kb->store, (void **)&kb->redflags, sizeof(*x), kb->nredflags)) ||
	    tkb_store_ref(kb->store, TKB_REDFLAGS, kb->nredflags, 0, f[1]) != 0 ||
	    tkb_store_ref(kb->store, TKB_REDFLAGS, kb->nredflags, 1, f[2]) != 0)
		return fail(lc, "out of memory");
	memset(x, 0, sizeof(*x));
	x->id = tkb_store_text(kb->store, f[0]);
	x->sex = sex;
	x->min_age = lo;
	x->max_age = hi;
	x->crisis = f[8][0] == 'y';
	x->advice[TKB_EN] = tkb_store_text(kb->store, f[6]);
	x->advice[TKB_ES] = tkb_store_text(kb->store, f[7]);
	x->source = tkb_store_text(kb->store, f[9]);
	kb->nredflags++;
	return 0;
}

static int
add_version(struct triage_kb *kb, const char **f, const struct line_ctx *lc)
{
	size_t n = strlen(f[0]);

	if (n == 0 || n >= sizeof(kb->version) || strspn(f[0], "0123456789.") != n)
		return fail(lc, "VERSION must be digits and dots, e.g. 2026.12.1");
	if (kb->version[0] && strcmp(kb->version, f[0]) != 0)
		return fail(lc, "a second, different VERSION");
	memcpy(kb->version, f[0], n + 1);
	return 0;
}

typedef int (*row_fn)(struct triage_kb *, const char **, const struct line_ctx *);
static const row_fn row_fns[TKB_TABLE__MAX] = {
	add_finding, add_condition, add_prior, add_evidence, add_redflag, add_version,
};

/* One line (no newline; a trailing '\r' dropped). */
static int
add_line(struct triage_kb *kb, enum tkb_table t, const char *line, size_t len,
         int *header_seen, const struct line_ctx *lc)
{
	char buf[TKB_LINE_MAX + TKB_FIELDS_MAX + 1];
	const char *field[TKB_FIELDS_MAX];
	int n;

	if (len && line[len - 1] == '\r')
		len--;
	if (len == 0 || line[0] == '#')
		return 0;
	if (len > TKB_LINE_MAX)
		return fail(lc, "line longer than %d bytes", TKB_LINE_MAX);
	if (!*header_seen && t != TKB_VERSION) {
		*header_seen = 1;
		if (len != strlen(headers[t]) || memcmp(line, headers[t], len) != 0)
			return fail(lc, "the first line must be the header %s", headers[t]);
		return 0;
	}
	n = csv_split(t == TKB_VERSION ? CSV_TAB : CSV_COMMA, line, len, buf, sizeof(buf), field, TKB_FIELDS_MAX);
	if (n != (int)ncolumns[t])
		return fail(lc, "%d columns where %zu are expected (or bad quoting)", n, ncolumns[t]);
	return row_fns[t](kb, field, lc);
}

int
tkb_add(struct triage_kb *kb, enum tkb_table t, const char *name,
        const char *bytes, size_t len, char *err, size_t errlen)
{
	struct line_ctx lc = { name, 0, err, errlen };
	int header_seen = 0;
	size_t at = 0;

	if (t >= TKB_TABLE__MAX || kb->finished) {
		snprintf(err, errlen, "%s: not a table of the base, or the base is finished", name);
		return -1;
	}
	while (at < len) {
		const char *nl = memchr(bytes + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - bytes) : len;

		lc.lineno++;
		if (add_line(kb, t, bytes + at, end - at, &header_seen, &lc) != 0)
			return -1;
		at = end + 1;
	}
	if (!header_seen && t != TKB_VERSION) {
		lc.lineno++;
		return fail(&lc, "no header line");
	}
	return 0;
}
