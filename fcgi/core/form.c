/* form: application/x-www-form-urlencoded and query-string decoding, and
 * the encoding of a value for a URL. */
#include <string.h>

#include "core/arena.h"
#include "core/fields.h"
#include "lib/hex.h"

/* Check the %-escapes of s[0..n) and store the decoded length in *dlen,
 * without writing anything. PARSE_MALFORMED on a bad escape. */
static enum parse_status
url_measure(const char *s, size_t n, size_t *dlen)
{
	size_t i = 0, d = 0;

	while (i < n) {
		if (s[i] == '%') {
			if (n - i < 3 || hex_value((unsigned char)s[i + 1]) < 0 ||
			    hex_value((unsigned char)s[i + 2]) < 0)
				return PARSE_MALFORMED;
			i += 3;
		} else {
			i++;
		}
		d++;
	}
	*dlen = d;
	return PARSE_OK;
}

/* Decode s[0..n), already checked by url_measure, into dst. */
static void
url_decode(char *dst, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (s[i] == '%') {
			*dst++ = (char)(hex_value((unsigned char)s[i + 1]) * 16 +
			    hex_value((unsigned char)s[i + 2]));
			i += 3;
		} else {
			*dst++ = s[i] == '+' ? ' ' : s[i];
			i++;
		}
	}
}

/* Decode one name or value of at most max decoded bytes into the arena;
 * the result is NUL-terminated valid UTF-8 text. */
static enum parse_status
url_text(struct arena *a, const char *s, size_t n, size_t max,
         const char **res, size_t *rlen)
{
	enum parse_status st;
	size_t dlen;
	char *d;

	if ((st = url_measure(s, n, &dlen)) != PARSE_OK)
		return st;
	if (dlen > max)
		return PARSE_FIELD_TOO_LARGE;
	if ((d = arena_alloc(a, dlen + 1)) == NULL)
		return PARSE_NOMEM;
	url_decode(d, s, n);
	if (!utf8_valid_text(d, dlen))
		return PARSE_BAD_UTF8;
	*res = d;
	*rlen = dlen;
	return PARSE_OK;
}

/* Decode the pair p[0..n) (non-empty) and append it to out. */
static enum parse_status
form_pair(struct arena *a, const char *p, size_t n,
          const struct parse_limits *lim, size_t start, struct fields *out)
{
	struct field f = { 0 };
	const char *eq;
	size_t nlen, vlen = 0, dummy;
	enum parse_status st;

	eq = memchr(p, '=', n);
	nlen = eq == NULL ? n : (size_t)(eq - p);
	if (nlen == 0)
		return PARSE_OK;	/* "=v": no name, skipped */
	if (out->n - start >= lim->max_fields)
		return PARSE_TOO_MANY_FIELDS;
	if ((st = url_text(a, p, nlen, lim->max_name, &f.name, &dummy)) != PARSE_OK)
		return st;
	if (eq != NULL)
		vlen = n - nlen - 1;
	st = url_text(a, eq == NULL ? "" : eq + 1, vlen, lim->max_value,
	    &f.value, &f.value_len);
	if (st != PARSE_OK)
		return st;
	return fields_append(a, out, start, lim, &f);
}

/*
 * Contract (see fields.h): split buf[0..len) on '&'; empty pairs and pairs
 * with an empty name ("=v") are skipped. Names and values are %-decoded
 * ('+' is a space); a bad escape is PARSE_MALFORMED, a decoded name over
 * lim->max_name or value over lim->max_value is PARSE_FIELD_TOO_LARGE, a
 * decoded text that is not UTF-8 or holds NUL is PARSE_BAD_UTF8, more than
 * lim->max_fields pairs is PARSE_TOO_MANY_FIELDS. lim NULL means the
 * defaults. On any failure out->n is restored to its value on entry.
 */
enum parse_status
form_parse_urlencoded(struct arena *a, const char *buf, size_t len,
                      const struct parse_limits *lim, struct fields *out)
{
	enum parse_status st = PARSE_OK;
	const char *p, *amp, *end;
	size_t start = out->n;

	if (lim == NULL)
		lim = &parse_limits_default;
	if (len == 0)
		goto out;
	if (buf == NULL) {
		st = PARSE_MALFORMED;
		goto out;
	}
	p = buf;
	end = buf + len;
	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp > p &&
		    (st = form_pair(a, p, (size_t)(amp - p), lim, start, out)) !=
		    PARSE_OK)
			goto out;
		p = amp + 1;
	}
out:
	if (st != PARSE_OK)
		out->n = start;
	return st;
}

/* Each byte kept or written as %XX: at most three bytes out per byte in. */
char *
form_url_encode(struct arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out, *o;

	if (s == NULL || (out = arena_alloc(a, strlen(s) * 3 + 1)) == NULL)
		return NULL;
	o = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.' || *p == '~' || *p == '/') {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}
