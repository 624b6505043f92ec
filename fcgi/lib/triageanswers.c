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
		w = snprintf(out + used, outlen - used, "%s%c%c.%s", i ? "-" : "", origin_code[a->origin],
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

int
triage_answers_decode(const struct triage_kb *kb, const char *s, struct triage_answer *answers, size_t max)
{
	char id[64];
	size_t n = 0;

	while (*s) {
		int o = code_of(origin_code, TRIAGE_ORIGIN__MAX, s[0]);
		int r = o < 0 || !s[1] ? -1 : code_of(reply_code, TRIAGE_REPLY__MAX, s[1]);
		size_t len;
		int f;
		if (r < 0 || s[2] != '.' || n >= max)
			return -1;
		s += 3;
		len = strcspn(s, "-");
		if (len == 0 || len >= sizeof(id))
			return -1;
		memcpy(id, s, len);
		id[len] = '\0';
		if ((f = tkb_finding_index(kb, id)) < 0)
			return -1;
		answers[n++] = (struct triage_answer){ (uint16_t)f, (enum triage_reply)r, (enum triage_origin)o };
		s += len;
		if (*s == '-' && *++s == '\0')
			return -1;     /* a trailing '-' */
	}
	return (int)n;
}
