/* triageanswers: an interview's answers to and from one URL-safe text. */
#include <stdio.h>
#include <string.h>

#include "triage.h"

static const char origin_code[TRIAGE_ORIGIN__MAX] = { 'c', 'q' };
static const char reply_code[TRIAGE_REPLY__MAX] = { 'n', 'y', 'u' };

int
triage_answers_encode(const struct triage_kb *kb, const struct triage_answer *answers, size_t n,
                      char *out, size_t outlen)
{
	size_t used = 0;

	if (outlen == 0)
		return -1;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const struct triage_answer *a = &answers[i];
		int w;
		if (a->finding >= kb->nfindings || a->origin >= TRIAGE_ORIGIN__MAX || a->reply >= TRIAGE_REPLY__MAX)
			return -1;
		if (a->valued && triage_reply_of(kb, a->finding, a->value) != a->reply)
			return -1;
		w = a->valued ? snprintf(out + used, outlen - used, "%s%c%c%d.%s", i ? "-" : "", origin_code[a->origin],
		                         reply_code[a->reply], (int)a->value, kb->findings[a->finding].id)
		              : snprintf(out + used, outlen - used, "%s%c%c.%s", i ? "-" : "", origin_code[a->origin],
		                         reply_code[a->reply], kb->findings[a->finding].id);
		if (w < 0 || (size_t)w >= outlen - used) {
			out[0] = '\0';
			return -1;
		}
		used += (size_t)w;
	}
	return (int)used;
}

static int
code_of(const char *codes, size_t n, char c)
{
	for (size_t i = 0; i < n; i++)
		if (codes[i] == c)
			return (int)i;
	return -1;
}

/* Digits at *s (at most 5: TKB_NUMBER_MAX) into *value; moves *s on.
 * 1 when there were some, 0 when none, -1 when too many. */
static int
digits(const char **s, int32_t *value)
{
	size_t k = 0;

	*value = 0;
	for (; (*s)[k] >= '0' && (*s)[k] <= '9'; k++) {
		if (k == 5)
			return -1;
		*value = *value * 10 + ((*s)[k] - '0');
	}
	*s += k;
	return k > 0;
}

int
triage_answers_decode(const struct triage_kb *kb, const char *s, struct triage_answer *answers, size_t max)
{
	char id[64];
	size_t n = 0;

	while (*s) {
		int o = code_of(origin_code, TRIAGE_ORIGIN__MAX, s[0]);
		int r = o < 0 || !s[1] ? -1 : code_of(reply_code, TRIAGE_REPLY__MAX, s[1]);
		struct triage_answer a = { 0 };
		size_t len;
		int f;
		if (r < 0 || n >= max)
			return -1;
		s += 2;
		if ((a.valued = digits(&s, &a.value)) < 0 || *s != '.')
			return -1;
		s++;
		len = strcspn(s, "-");
		if (len == 0 || len >= sizeof(id))
			return -1;
		memcpy(id, s, len);
		id[len] = '\0';
		if ((f = tkb_finding_index(kb, id)) < 0)
			return -1;
		a.finding = (uint16_t)f;
		a.origin = (enum triage_origin)o;
		a.reply = a.valued ? triage_reply_of(kb, (size_t)f, a.value) : (enum triage_reply)r;
		if (a.reply >= TRIAGE_REPLY__MAX)
			return -1;
		answers[n++] = a;
		s += len;
		if (*s == '-' && *++s == '\0')
			return -1;     /* a trailing '-' */
	}
	return (int)n;
}

enum triage_reply
triage_reply_of(const struct triage_kb *kb, size_t f, int32_t value)
{
	static const int32_t limit[TKB_ANSWER__MAX] = { 0, TKB_DURATION_CHOICES, TKB_SEVERITY_CHOICES,
	                                                TKB_NUMBER_MAX + 1 };
	const struct tkb_finding *x;

	if (f >= kb->nfindings)
		return TRIAGE_REPLY__MAX;
	x = &kb->findings[f];
	if (value < 0 || value >= limit[x->answer])
		return TRIAGE_REPLY__MAX;
	return value >= x->yes_from ? TRIAGE_YES : TRIAGE_NO;
}

int
triage_value_parse(const struct triage_kb *kb, size_t f, const char *text, int32_t *value)
{
	const char *s = text;
	int32_t whole, tenth = 0;

	if (f >= kb->nfindings || digits(&s, &whole) != 1)
		return -1;
	if (kb->findings[f].answer == TKB_NUMBER) {
		if ((*s == '.' || *s == ',') && s[1] >= '0' && s[1] <= '9') {
			tenth = s[1] - '0';
			s += 2;
		}
		whole = whole * 10 + tenth;
	}
	if (*s != '\0' || triage_reply_of(kb, f, whole) == TRIAGE_REPLY__MAX)
		return -1;
	*value = whole;
	return 0;
}
