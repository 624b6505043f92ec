/* cookies: lenient decoding of the Cookie request header (RFC 6265). */
#include <string.h>

#include "core/arena.h"
#include "core/fields.h"

/* 1 when s[0..n) is a non-empty token. */
static int
valid_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!fields_is_tchar((unsigned char)s[i]))
			return 0;
	return 1;
}

/* 1 when s[0..n) holds no control byte and is UTF-8. */
static int
valid_value(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return utf8_valid_text(s, n);
}

/* Narrow [*p, *e) past surrounding spaces and tabs. */
static void
trim(const char **p, const char **e)
{
	while (*p < *e && (**p == ' ' || **p == '\t'))
		(*p)++;
	while (*e > *p && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
}

/* Append the pair [p, e) to out if it is a good one; a bad pair is
 * skipped (PARSE_OK). */
static enum parse_status
cookie_pair(struct arena *a, const char *p, const char *e,
            const struct parse_limits *lim, size_t start, struct fields *out)
{
	struct field f = { 0 };
	const char *eq, *ne, *vp, *ve;

	trim(&p, &e);
	if ((eq = memchr(p, '=', (size_t)(e - p))) == NULL)
		return PARSE_OK;
	ne = eq;
	vp = eq + 1;
	ve = e;
	trim(&p, &ne);
	trim(&vp, &ve);
	if (ve - vp >= 2 && *vp == '"' && ve[-1] == '"') {
		vp++;
		ve--;
	}
	if ((size_t)(ne - p) > lim->max_name || !valid_name(p, (size_t)(ne - p)))
		return PARSE_OK;
	if ((size_t)(ve - vp) > lim->max_value ||
	    !valid_value(vp, (size_t)(ve - vp)))
		return PARSE_OK;
	if (out->n - start >= lim->max_fields)
		return PARSE_TOO_MANY_FIELDS;
	if ((f.name = arena_strndup(a, p, (size_t)(ne - p))) == NULL ||
	    (f.value = arena_strndup(a, vp, (size_t)(ve - vp))) == NULL)
		return PARSE_NOMEM;
	f.value_len = (size_t)(ve - vp);
	return fields_append(a, out, start, lim, &f);
}

/*
 * Contract (see fields.h): split buf[0..len) on ';', trim spaces and tabs
 * around names and values, drop one pair of double quotes around a value.
 * Lenient by design, since browsers send whatever other sites set: a pair
 * without '=', with a name that is not an RFC 7230 token, with a name over
 * lim->max_name, a value over lim->max_value, a value holding control
 * bytes or invalid UTF-8, is skipped and never fatal. Only
 * PARSE_TOO_MANY_FIELDS (more than lim->max_fields good pairs) and
 * PARSE_NOMEM fail, and then out->n is restored. lim NULL means defaults.
 */
enum parse_status
cookies_parse(struct arena *a, const char *buf, size_t len,
              const struct parse_limits *lim, struct fields *out)
{
	enum parse_status st = PARSE_OK;
	const char *p, *semi, *end;
	size_t start = out->n;

	if (lim == NULL)
		lim = &parse_limits_default;
	if (buf == NULL || len == 0)
		goto out;
	p = buf;
	end = buf + len;
	while (p < end) {
		if ((semi = memchr(p, ';', (size_t)(end - p))) == NULL)
			semi = end;
		if ((st = cookie_pair(a, p, semi, lim, start, out)) != PARSE_OK)
			goto out;
		p = semi + 1;
	}
out:
	if (st != PARSE_OK)
		out->n = start;
	return st;
}
