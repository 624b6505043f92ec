/* triagecase: a minimal JSON reader for evaluation cases. */
#include "triagecase.h"

#include <stdio.h>
#include <string.h>

struct reader {
	const char *s;
	size_t len, at;
	char *err;
	size_t errlen;
};

static int
bad(struct reader *r, const char *what)
{
	snprintf(r->err, r->errlen, "byte %zu: %s", r->at, what);
	return -1;
}

static void
blank(struct reader *r)
{
	while (r->at < r->len && strchr(" \t\r\n", r->s[r->at]) && r->s[r->at])
		r->at++;
}

static int
peek(struct reader *r)
{
	blank(r);
	return r->at < r->len ? (unsigned char)r->s[r->at] : -1;
}

static int
hex4(struct reader *r, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++, r->at++) {
		char c = r->at < r->len ? r->s[r->at] : 0;
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
		      : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		*v = *v * 16 + (unsigned)d;
	}
	return 0;
}

/* Append code point u as UTF-8; -1 when out of room. */
static int
put_utf8(char *out, size_t cap, size_t *n, unsigned u)
{
	char b[4];
	size_t k;

	if (u < 0x80) { b[0] = (char)u; k = 1; }
	else if (u < 0x800) { b[0] = (char)(0xC0 | u >> 6); b[1] = (char)(0x80 | (u & 0x3F)); k = 2; }
	else if (u < 0x10000) { b[0] = (char)(0xE0 | u >> 12); b[1] = (char)(0x80 | ((u >> 6) & 0x3F));
		b[2] = (char)(0x80 | (u & 0x3F)); k = 3; }
	else { b[0] = (char)(0xF0 | u >> 18); b[1] = (char)(0x80 | ((u >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((u >> 6) & 0x3F)); b[3] = (char)(0x80 | (u & 0x3F)); k = 4; }
	if (*n + k >= cap)
		return -1;
	memcpy(out + *n, b, k);
	*n += k;
	return 0;
}

/* A \u escape (r->at after the 'u'), with a surrogate pair joined. */
static int
unicode_escape(struct reader *r, unsigned *u)
{
	unsigned lo;

	if (hex4(r, u) != 0)
		return -1;
	if (*u >= 0xDC00 && *u <= 0xDFFF)
		return -1;
	if (*u >= 0xD800 && *u <= 0xDBFF) {
		if (r->at + 2 > r->len || r->s[r->at] != '\\' || r->s[r->at + 1] != 'u')
			return -1;
		r->at += 2;
		if (hex4(r, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF)
			return -1;
		*u = 0x10000 + ((*u - 0xD800) << 10) + (lo - 0xDC00);
	}
	return *u == 0 ? -1 : 0;    /* no NUL inside a C string */
}

/* A string into out (cap bytes; NULL: skip it). */
static int
string(struct reader *r, char *out, size_t cap)
{
	char skip[8];
	size_t n = 0;

	if (!out) {
		out = skip;
		cap = 0;
	}
	if (peek(r) != '"')
		return bad(r, "a string was expected");
	for (r->at++; r->at < r->len; r->at++) {
		unsigned char c = (unsigned char)r->s[r->at];
		unsigned u = c;
		if (c == '"') {
			r->at++;
			if (cap)
				out[n] = '\0';
			return 0;
		}
		if (c < 0x20)
			return bad(r, "a control character in a string");
		if (c == '\\') {
			char e = ++r->at < r->len ? r->s[r->at] : 0;
			const char *esc = strchr("\"\\/bfnrt", e);
			if (e == 'u') {
				r->at++;
				if (unicode_escape(r, &u) != 0)
					return bad(r, "a bad \\u escape");
				r->at--;
			} else if (e && esc) {
				u = (unsigned char)"\"\\/\b\f\n\r\t"[esc - "\"\\/bfnrt"];
			} else {
				return bad(r, "a bad escape");
			}
		}
		if (cap && (u < 0x80 || c == '\\' ? put_utf8(out, cap, &n, u) : (n + 1 < cap ? (out[n++] = (char)c, 0) : -1)) != 0)
			return bad(r, "a string too long");
	}
	return bad(r, "a string that does not end");
}

static int
literal(struct reader *r, const char *word)
{
	size_t n = strlen(word);

	if (r->len - r->at < n || memcmp(r->s + r->at, word, n) != 0)
		return bad(r, "an unknown word");
	r->at += n;
	return 0;
}

static int
number(struct reader *r, double *v)
{
	char buf[32];
	size_t n = 0;
	double sign = 1, x = 0, scale = 0;

	peek(r);
	while (r->at < r->len && n + 1 < sizeof(buf) && strchr("+-0123456789.eE", r->s[r->at]) && r->s[r->at])
		buf[n++] = r->s[r->at++];
	buf[n] = '\0';
	/* Plain decimals only (no exponent): ages, not physics. */
	for (size_t i = 0; i < n; i++) {
		if (i == 0 && buf[i] == '-')
			sign = -1;
		else if (buf[i] == '.' && scale == 0)
			scale = 1;
		else if (buf[i] >= '0' && buf[i] <= '9')
			x = scale ? x + (buf[i] - '0') * (scale /= 10) : x * 10 + (buf[i] - '0');
		else
			return bad(r, "a number was expected");
	}
	if (n == 0 || (n == 1 && sign < 0) || x > 1e9)
		return bad(r, "a number was expected");
	*v = sign * x;
	return 0;
}

static int skip_value(struct reader *r, int depth);

/* At the start of a list (r->at on open): 1 when it is empty (and
 * consumed), 0 when items follow, -1 when it is not that kind of list. */
static int
list_open(struct reader *r, char open, char close, const char *what)
{
	if (peek(r) != open)
		return bad(r, what);
	r->at++;
	if (peek(r) != close)
		return 0;
	r->at++;
	return 1;
}

/* After an item: 1 at the end of the list (close consumed), 0 after a
 * comma, -1 otherwise. */
static int
list_next(struct reader *r, char close)
{
	if (peek(r) == close) {
		r->at++;
		return 1;
	}
	if (peek(r) != ',')
		return bad(r, "',' was expected");
	r->at++;
	return 0;
}

static int
skip_list(struct reader *r, int depth, char open)
{
	char close = open == '{' ? '}' : ']';
	int rc = list_open(r, open, close, "a list was expected");

	while (rc == 0) {
		if (open == '{') {
			if (string(r, NULL, 0) != 0)
				return -1;
			if (peek(r) != ':')
				return bad(r, "':' was expected");
			r->at++;
		}
		if (skip_value(r, depth + 1) != 0)
			return -1;
		rc = list_next(r, close);
	}
	return rc < 0 ? -1 : 0;
}

static int
skip_value(struct reader *r, int depth)
{
	double v;
	int c = peek(r);

	if (depth > TCASE_DEPTH_MAX)
		return bad(r, "nested too deep");
	switch (c) {
	case '"': return string(r, NULL, 0);
	case '{': case '[': return skip_list(r, depth, (char)c);
	case 't': return literal(r, "true");
	case 'f': return literal(r, "false");
	case 'n': return literal(r, "null");
	default: return number(r, &v);
	}
}

/* An array of strings into rows of width w; *n set. */
static int
string_array(struct reader *r, char *rows, size_t w, size_t max, size_t *n)
{
	int rc = list_open(r, '[', ']', "a list of strings was expected");

	*n = 0;
	while (rc == 0) {
		if (*n >= max)
			return bad(r, "a list too long");
		if (string(r, rows + *n * w, w) != 0)
			return -1;
		(*n)++;
		rc = list_next(r, ']');
	}
	return rc < 0 ? -1 : 0;
}

static int
member(struct reader *r, const char *key, struct triage_case *c)
{
	double v;

	if (strcmp(key, "id") == 0) return string(r, c->id, sizeof(c->id));
	if (strcmp(key, "source") == 0) return string(r, c->source, sizeof(c->source));
	if (strcmp(key, "complaint") == 0) return string(r, c->complaint, sizeof(c->complaint));
	if (strcmp(key, "sex") == 0) return string(r, c->sex, sizeof(c->sex));
	if (strcmp(key, "expected") == 0) return string(r, c->expected, sizeof(c->expected));
	if (strcmp(key, "triage") == 0) return string(r, c->triage, sizeof(c->triage));
	if (strcmp(key, "present") == 0)
		return string_array(r, c->present[0], TCASE_TEXT_MAX, TCASE_ITEMS_MAX, &c->npresent);
	if (strcmp(key, "absent") == 0)
		return string_array(r, c->absent[0], TCASE_TEXT_MAX, TCASE_ITEMS_MAX, &c->nabsent);
	if (strcmp(key, "alternatives") == 0)
		return string_array(r, c->alternatives[0], TCASE_ID_MAX, TCASE_ALT_MAX, &c->nalternatives);
	if (strcmp(key, "pregnant") == 0) {
		c->pregnant = peek(r) == 't';
		return literal(r, c->pregnant ? "true" : peek(r) == 'n' ? "null" : "false");
	}
	if (strcmp(key, "age") == 0) {
		if (number(r, &v) != 0 || v < 0 || v > 130)
			return bad(r, "age must be a number from 0 to 130");
		c->age = (int)v;
		return 0;
	}
	return skip_value(r, 1);
}

int
triage_case_parse(const char *json, size_t len, struct triage_case *c, char *err, size_t errlen)
{
	struct reader r = { json, len, 0, err, errlen };
	char key[64];
	int rc;

	memset(c, 0, sizeof(*c));
	c->age = -1;
	rc = list_open(&r, '{', '}', "a JSON object was expected");
	while (rc == 0) {
		if (string(&r, key, sizeof(key)) != 0)
			return -1;
		if (peek(&r) != ':')
			return bad(&r, "':' was expected");
		r.at++;
		if (member(&r, key, c) != 0)
			return -1;
		rc = list_next(&r, '}');
	}
	if (rc < 0)
		return -1;
	if (peek(&r) != -1)
		return bad(&r, "text after the object");
	if (!c->expected[0] || !c->triage[0] || c->age < 0)
		return bad(&r, "age, expected and triage are required");
	return 0;
}
