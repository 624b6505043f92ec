/* fields: name/value pairs decoded from a query string, a form body, a
 * multipart body or a Cookie header, and the limits that bound them. */
#ifndef MEDSYS_FIELDS_H
#define MEDSYS_FIELDS_H

#include <stddef.h>

struct arena;

/* One decoded field. name and value are NUL-terminated copies in the arena.
 * Text values are valid UTF-8 without NUL bytes; a multipart file part
 * (filename != NULL) may hold any bytes, value_len says how many. */
struct field {
	const char *name;
	const char *value;
	size_t value_len;
	const char *filename;     /* multipart file parts only, else NULL */
	const char *content_type; /* multipart parts only, else NULL */
};

struct fields {
	struct field *v;
	size_t n;
	size_t cap;
};

/* The outcome of a parse. Anything but PARSE_OK is the client's fault
 * except PARSE_NOMEM; the caller maps them to 400/413 pages. */
enum parse_status {
	PARSE_OK = 0,
	PARSE_MALFORMED,        /* bad %-escape, bad multipart framing, ... */
	PARSE_TOO_MANY_FIELDS,  /* more than limits->max_fields */
	PARSE_FIELD_TOO_LARGE,  /* a name or value over its limit */
	PARSE_BAD_UTF8,         /* a text field is not valid UTF-8 or has NUL */
	PARSE_NOMEM,            /* the arena cap was reached */
	PARSE__MAX
};

/* Limits applied by every parser (documented in docs/limits.md). */
struct parse_limits {
	size_t max_fields;      /* fields per source */
	size_t max_name;        /* bytes of one name */
	size_t max_value;       /* bytes of one text value */
	size_t max_file;        /* bytes of one multipart file part */
};

/* The limits production uses. */
extern const struct parse_limits parse_limits_default;

/* s %-encoded for a query value or a path, in the arena: unreserved
 * characters (RFC 3986) and '/' stay, every other byte becomes %XX.
 * NULL when s is NULL or the arena is exhausted. */
char *form_url_encode(struct arena *a, const char *s);

/* A short stable name for a status ("malformed", ...), for logs and tests. */
const char *parse_status_name(enum parse_status st);

/* Decode application/x-www-form-urlencoded bytes (also a query string):
 * '&'-separated pairs, '+' is a space, %XX escapes; a pair without '=' has
 * an empty value; empty pairs ("a=1&&b=2") are skipped. Appends to out. */
enum parse_status form_parse_urlencoded(struct arena *a, const char *buf,
                                        size_t len,
                                        const struct parse_limits *lim,
                                        struct fields *out);

/* Decode a Cookie header ("a=1; b=2"): names and values are taken as
 * they are (no %-decoding, surrounding double quotes removed); pairs with
 * an empty or invalid name are skipped, not fatal. Appends to out. */
enum parse_status cookies_parse(struct arena *a, const char *buf, size_t len,
                                const struct parse_limits *lim,
                                struct fields *out);

/* Decode a multipart/form-data body. content_type is the whole
 * Content-Type header value, from which the boundary is taken. Parts
 * without a name are skipped; text parts are checked as UTF-8. */
enum parse_status multipart_parse(struct arena *a, const char *content_type,
                                  const char *body, size_t len,
                                  const struct parse_limits *lim,
                                  struct fields *out);

/* The parsers' shared helper: append a copy of *f to out, growing out->v
 * in the arena. max_fields counts per source, so the fields appended since
 * out->n was start are at most lim->max_fields: one more is
 * PARSE_TOO_MANY_FIELDS. PARSE_NOMEM when the arena refuses; out is
 * unchanged on failure. */
enum parse_status fields_append(struct arena *a, struct fields *out,
                                size_t start, const struct parse_limits *lim,
                                const struct field *f);

/* 1 when c is an RFC 7230 tchar (a byte of a token: letters, digits and
 * !#$%&'*+-.^_`|~), else 0. Cookie names and multipart header parameter
 * names are tokens. */
int fields_is_tchar(unsigned char c);

/* The first field called name, or NULL. */
const struct field *fields_find(const struct fields *f, const char *name);

/* The value of the first field called name, or NULL. */
const char *fields_get(const struct fields *f, const char *name);

/* 1 when buf[0..len) is valid UTF-8 (no overlongs, no surrogates, nothing
 * above U+10FFFF) and holds no NUL byte; else 0. */
int utf8_valid_text(const char *buf, size_t len);

#endif
