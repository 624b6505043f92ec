/* multipart: multipart/form-data body decoding (RFC 7578, RFC 2046). */
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/fields.h"

#define MP_BOUNDARY_MAX 70	/* RFC 2046 */
#define MP_HEADER_MAX 8192	/* one part's header block, final CRLFCRLF included */

/* A read position in a header value. */
struct cur {
	const char *p;
	const char *end;
};

/* One "; name=value" parameter; val is a decoded NUL-terminated copy. */
struct param {
	const char *name;
	size_t nlen;
	char *val;
	size_t vlen;
};

/* What a part's headers said. */
struct part {
	char *name;
	size_t nlen;
	char *filename;
	size_t flen;
	char *ctype;
	int have_cd;
};

/* One parse: the body, the delimiter "\r\n--boundary", where fields go. */
struct mp {
	struct arena *a;
	const struct parse_limits *lim;
	struct fields *out;
	size_t start;
	const char *body;
	size_t len;
	char delim[4 + MP_BOUNDARY_MAX];
	size_t dlen;
};

/*
 * The first n[0..nlen) in h[0..hlen), or NULL: memchr to the needle's
 * first byte, then memcmp. Linear for the needles used here, which start
 * with CR: a delimiter "\r\n--boundary" has no other CR (a boundary holds
 * none), so a partial match of k bytes lets the next memchr skip k bytes;
 * "\r\n\r\n" and "\r\n" are short. Not memmem: some implementations and
 * sanitizer interceptors of memmem are not linear.
 */
static const char *
mp_find(const char *h, size_t hlen, const char *n, size_t nlen)
{
	const char *p = h, *end = h + hlen;

	while ((size_t)(end - p) >= nlen &&
	    (p = memchr(p, n[0], (size_t)(end - p) - nlen + 1)) != NULL) {
		if (memcmp(p, n, nlen) == 0)
			return p;
		p++;
	}
	return NULL;
}

/* 1 for a byte that may appear in a boundary (RFC 2046 bchars). */
static int
is_bchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("'()+_,-./:=? ", c) != NULL;
}

/* 1 for a byte allowed in an unquoted parameter value. */
static int
is_bare(unsigned char c)
{
	if (c <= 0x20 || c == 0x7f)
		return 0;
	return c != ';' && c != '"' && c != '\\';
}

static void
skip_ows(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

/* A non-empty run of tchars at c into [*s, *s + *n); 0 when none. */
static int
lex_token(struct cur *c, const char **s, size_t *n)
{
	const char *p = c->p;

	while (c->p < c->end && fields_is_tchar((unsigned char)*c->p))
		c->p++;
	*s = p;
	*n = (size_t)(c->p - p);
	return *n != 0;
}

/* The decoded length of the quoted-string at c (at the opening quote) and
 * where its closing quote is; PARSE_MALFORMED for a control byte or a
 * missing closing quote. */
static enum parse_status
quoted_span(const struct cur *c, size_t *n, const char **close)
{
	const char *p;

	*n = 0;
	for (p = c->p + 1; p < c->end && *p != '"'; p++) {
		if (*p == '\\' && ++p == c->end)
			break;
		if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f)
			return PARSE_MALFORMED;
		(*n)++;
	}
	if (p >= c->end)
		return PARSE_MALFORMED;
	*close = p;
	return PARSE_OK;
}

/* A quoted-string (c at the opening quote) with backslash escapes,
 * decoded into the arena. */
static enum parse_status
lex_quoted(struct arena *a, struct cur *c, char **val, size_t *vlen)
{
	const char *p, *close;
	enum parse_status st;
	size_t n = 0;
	char *d;

	if ((st = quoted_span(c, vlen, &close)) != PARSE_OK)
		return st;
	if ((d = arena_alloc(a, *vlen + 1)) == NULL)
		return PARSE_NOMEM;
	for (p = c->p + 1; p < close; p++) {
		if (*p == '\\')
			p++;
		d[n++] = *p;
	}
	c->p = close + 1;
	*val = d;
	return PARSE_OK;
}

/* A parameter value: quoted-string or a non-empty bare run. */
static enum parse_status
lex_value(struct arena *a, struct cur *c, char **val, size_t *vlen)
{
	const char *p = c->p;

	if (c->p < c->end && *c->p == '"')
		return lex_quoted(a, c, val, vlen);
	while (c->p < c->end && is_bare((unsigned char)*c->p))
		c->p++;
	if (c->p == p)
		return PARSE_MALFORMED;
	if ((*val = arena_memdup(a, p, (size_t)(c->p - p))) == NULL)
		return PARSE_NOMEM;
	*vlen = (size_t)(c->p - p);
	return PARSE_OK;
}

/* The next "; name=value" at c into *pm, *got = 1; *got = 0 at the end.
 * Empty parameters (";;", a trailing ';') are passed over. */
static enum parse_status
param_next(struct arena *a, struct cur *c, struct param *pm, int *got)
{
	*got = 0;
	for (;;) {
		skip_ows(c);
		if (c->p == c->end)
			return PARSE_OK;
		if (*c->p != ';')
			return PARSE_MALFORMED;
		c->p++;
		skip_ows(c);
		if (c->p < c->end && *c->p != ';')
			break;
	}
	if (!lex_token(c, &pm->name, &pm->nlen))
		return PARSE_MALFORMED;
	skip_ows(c);
	if (c->p == c->end || *c->p != '=')
		return PARSE_MALFORMED;
	c->p++;
	skip_ows(c);
	*got = 1;
	return lex_value(a, c, &pm->val, &pm->vlen);
}

/* 1 when s[0..n) equals the lower-case word w, ignoring case. */
static int
word_eq(const char *s, size_t n, const char *w)
{
	return n == strlen(w) && strncasecmp(s, w, n) == 0;
}

/* 1 when b[0..n) is a valid RFC 2046 boundary. */
static int
boundary_ok(const char *b, size_t n)
{
	size_t i;

	if (n == 0 || n > MP_BOUNDARY_MAX || b[n - 1] == ' ')
		return 0;
	for (i = 0; i < n; i++)
		if (!is_bchar((unsigned char)b[i]))
			return 0;
	return 1;
}

/* Check "multipart/form-data; ...; boundary=..." and build m->delim. */
static enum parse_status
mp_boundary(struct mp *m, const char *ctype)
{
	struct cur c = { ctype, ctype + strlen(ctype) };
	struct param pm;
	const char *t, *b = NULL;
	size_t tn, bn = 0;
	enum parse_status st;
	int got;

	skip_ows(&c);
	if (!lex_token(&c, &t, &tn) || !word_eq(t, tn, "multipart") ||
	    c.p == c.end || *c.p++ != '/' || !lex_token(&c, &t, &tn) ||
	    !word_eq(t, tn, "form-data"))
		return PARSE_MALFORMED;
	for (;;) {
		if ((st = param_next(m->a, &c, &pm, &got)) != PARSE_OK)
			return st;
		if (!got)
			break;
		if (!word_eq(pm.name, pm.nlen, "boundary"))
			continue;
		if (b != NULL)
			return PARSE_MALFORMED;	/* two boundaries: ambiguous */
		b = pm.val;
		bn = pm.vlen;
	}
	if (b == NULL || !boundary_ok(b, bn))
		return PARSE_MALFORMED;
	memcpy(m->delim, "\r\n--", 4);
	memcpy(m->delim + 4, b, bn);
	m->dlen = 4 + bn;
	return PARSE_OK;
}

/* Read the Content-Disposition value v[0..n) into *pt. */
static enum parse_status
mp_disposition(struct mp *m, const char *v, size_t n, struct part *pt)
{
	struct cur c = { v, v + n };
	struct param pm;
	const char *t;
	size_t tn;
	enum parse_status st;
	int got;

	if (pt->have_cd)
		return PARSE_MALFORMED;
	pt->have_cd = 1;
	if (!lex_token(&c, &t, &tn) || !word_eq(t, tn, "form-data"))
		return PARSE_MALFORMED;
	for (;;) {
		if ((st = param_next(m->a, &c, &pm, &got)) != PARSE_OK)
			return st;
		if (!got)
			return PARSE_OK;
		if (word_eq(pm.name, pm.nlen, "name")) {
			if (pt->name != NULL)
				return PARSE_MALFORMED;
			pt->name = pm.val;
			pt->nlen = pm.vlen;
		} else if (word_eq(pm.name, pm.nlen, "filename")) {
			if (pt->filename != NULL)
				return PARSE_MALFORMED;
			pt->filename = pm.val;
			pt->flen = pm.vlen;
		}
	}
}

/* One header line l[0..n) (no CRLF) of a part. */
static enum parse_status
mp_header(struct mp *m, const char *l, size_t n, struct part *pt)
{
	struct cur c = { l, l + n };
	const char *name, *v, *ve;
	size_t i, nn;

	for (i = 0; i < n; i++)
		if (((unsigned char)l[i] < 0x20 && l[i] != '\t') || l[i] == 0x7f)
			return PARSE_MALFORMED;
	if (!lex_token(&c, &name, &nn) || c.p == c.end || *c.p != ':')
		return PARSE_MALFORMED;
	c.p++;
	skip_ows(&c);
	v = c.p;
	ve = c.end;
	while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
		ve--;
	if (word_eq(name, nn, "content-disposition"))
		return mp_disposition(m, v, (size_t)(ve - v), pt);
	if (word_eq(name, nn, "content-type")) {
		if (pt->ctype != NULL)
			return PARSE_MALFORMED;
		if (!utf8_valid_text(v, (size_t)(ve - v)))
			return PARSE_BAD_UTF8;
		if ((pt->ctype = arena_memdup(m->a, v, (size_t)(ve - v))) == NULL)
			return PARSE_NOMEM;
	}
	return PARSE_OK;
}

/* Read the header block starting at *pos into *pt; on return *pos is the
 * first content byte. The block must end in CRLFCRLF within MP_HEADER_MAX. */
static enum parse_status
mp_headers(struct mp *m, size_t *pos, struct part *pt)
{
	const char *p = m->body + *pos, *hend, *eol;
	size_t win = m->len - *pos;
	enum parse_status st;

	if (win >= 2 && p[0] == '\r' && p[1] == '\n') {
		*pos += 2;	/* no headers at all */
		return PARSE_OK;
	}
	if (win > MP_HEADER_MAX)
		win = MP_HEADER_MAX;
	if ((hend = mp_find(p, win, "\r\n\r\n", 4)) == NULL)
		return PARSE_MALFORMED;
	hend += 2;	/* keep the last line's CRLF */
	while (p < hend) {
		eol = mp_find(p, (size_t)(hend - p), "\r\n", 2);
		if (*p == ' ' || *p == '\t')
			return PARSE_MALFORMED;	/* obsolete line folding */
		if ((st = mp_header(m, p, (size_t)(eol - p), pt)) != PARSE_OK)
			return st;
		p = eol + 2;
	}
	*pos = (size_t)(hend + 2 - m->body);
	return PARSE_OK;
}

/* Turn the part with content c[0..n) into a field (or skip it). */
static enum parse_status
mp_field(struct mp *m, const struct part *pt, const char *c, size_t n)
{
	struct field f = { 0 };
	int file = pt->filename != NULL;

	if (pt->name == NULL || pt->nlen == 0)
		return PARSE_OK;
	if (m->out->n - m->start >= m->lim->max_fields)
		return PARSE_TOO_MANY_FIELDS;
	if (pt->nlen > m->lim->max_name ||
	    (file && pt->flen > m->lim->max_name) ||
	    n > (file ? m->lim->max_file : m->lim->max_value))
		return PARSE_FIELD_TOO_LARGE;
	if (!utf8_valid_text(pt->name, pt->nlen) ||
	    (file && !utf8_valid_text(pt->filename, pt->flen)) ||
	    (!file && !utf8_valid_text(c, n)))
		return PARSE_BAD_UTF8;
	if ((f.value = arena_memdup(m->a, c, n)) == NULL)
		return PARSE_NOMEM;
	f.name = pt->name;
	f.value_len = n;
	f.filename = pt->filename;
	f.content_type = pt->ctype;
	return fields_append(m->a, m->out, m->start, m->lim, &f);
}

/* After "--boundary" at *pos: 1 for the close delimiter "--", 0 for a
 * delimiter line (transport padding then CRLF, *pos moved past it),
 * -1 for anything else. */
static int
mp_after_delim(const struct mp *m, size_t *pos)
{
	const char *b = m->body;
	size_t i = *pos;

	if (m->len - i >= 2 && b[i] == '-' && b[i + 1] == '-')
		return 1;
	while (i < m->len && (b[i] == ' ' || b[i] == '\t'))
		i++;
	if (m->len - i < 2 || b[i] != '\r' || b[i + 1] != '\n')
		return -1;
	*pos = i + 2;
	return 0;
}

/* Walk the parts: pos is just past the first "--boundary". */
static enum parse_status
mp_parts(struct mp *m, size_t pos)
{
	struct part pt;
	const char *end;
	enum parse_status st;
	int r;

	for (;;) {
		if ((r = mp_after_delim(m, &pos)) != 0)
			return r > 0 ? PARSE_OK : PARSE_MALFORMED;
		memset(&pt, 0, sizeof(pt));
		if ((st = mp_headers(m, &pos, &pt)) != PARSE_OK)
			return st;
		end = mp_find(m->body + pos, m->len - pos, m->delim, m->dlen);
		if (end == NULL)
			return PARSE_MALFORMED;	/* no closing boundary */
		st = mp_field(m, &pt, m->body + pos, (size_t)(end - m->body) - pos);
		if (st != PARSE_OK)
			return st;
		pos = (size_t)(end - m->body) + m->dlen;
	}
}

/* Find the first delimiter (at the very start, or after CRLF in the
 * preamble) and walk the parts. */
static enum parse_status
mp_body(struct mp *m)
{
	const char *d;

	if (m->len >= m->dlen - 2 &&
	    memcmp(m->body, m->delim + 2, m->dlen - 2) == 0)
		return mp_parts(m, m->dlen - 2);
	if (m->len == 0 ||
	    (d = mp_find(m->body, m->len, m->delim, m->dlen)) == NULL)
		return PARSE_MALFORMED;
	return mp_parts(m, (size_t)(d - m->body) + m->dlen);
}

/*
 * Contract (see fields.h): content_type must be multipart/form-data with
 * one boundary parameter (quoted or not, 1..70 RFC 2046 characters), else
 * PARSE_MALFORMED. Preamble and epilogue are ignored; lines end in CRLF;
 * a part's header block is at most 8 KiB; a missing close delimiter, bad
 * framing or a bad header is PARSE_MALFORMED. Content-Disposition must be
 * form-data with name= and optional filename= (quoted-strings take
 * backslash escapes); parts with no or an empty name are skipped. Names
 * and filenames are UTF-8 of at most lim->max_name bytes, text values
 * UTF-8 of at most lim->max_value, file values any bytes up to
 * lim->max_file. lim NULL means defaults; on failure out->n is restored.
 */
enum parse_status
multipart_parse(struct arena *a, const char *content_type, const char *body,
                size_t len, const struct parse_limits *lim,
                struct fields *out)
{
	struct mp m = { 0 };
	enum parse_status st;

	m.a = a;
	m.lim = lim == NULL ? &parse_limits_default : lim;
	m.out = out;
	m.start = out->n;
	m.body = body;
	m.len = len;
	if (content_type == NULL || (body == NULL && len != 0)) {
		st = PARSE_MALFORMED;
		goto out;
	}
	if ((st = mp_boundary(&m, content_type)) != PARSE_OK)
		goto out;
	if (body == NULL) {
		st = PARSE_MALFORMED;
		goto out;
	}
	st = mp_body(&m);
out:
	if (st != PARSE_OK)
		out->n = m.start;
	return st;
}
