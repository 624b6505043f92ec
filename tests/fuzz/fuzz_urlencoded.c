/* fuzz_urlencoded: libFuzzer harness for form_parse_urlencoded on bodies. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/fields.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Small limits, so that every limit is hit often. */
static const struct parse_limits small = { 4, 8, 16, 32 };

/* Abort unless out[start..] holds only fields a good parse may give. */
static void
check(const struct fields *out, size_t start, enum parse_status st,
      const struct parse_limits *lim)
{
	const struct field *f;
	size_t i;

	if (st >= PARSE__MAX || (st != PARSE_OK && out->n != start) ||
	    out->n - start > lim->max_fields)
		abort();
	for (i = start; i < out->n; i++) {
		f = &out->v[i];
		if (f->name == NULL || f->value == NULL || f->filename ||
		    f->content_type || f->name[0] == '\0' ||
		    strlen(f->name) > lim->max_name ||
		    !utf8_valid_text(f->name, strlen(f->name)) ||
		    f->value_len > lim->max_value ||
		    strlen(f->value) != f->value_len ||
		    !utf8_valid_text(f->value, f->value_len) ||
		    fields_find(out, f->name) == NULL)
			abort();
	}
}

/* Append s %-encoded (every byte but alnum) to d; returns the new end. */
static char *
encode(char *d, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;

	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9')) {
			*d++ = (char)c;
		} else {
			*d++ = '%';
			*d++ = hex[c >> 4];
			*d++ = hex[c & 15];
		}
	}
	return d;
}

/* Re-encode what was parsed, parse that again: the same fields. */
static void
roundtrip(const struct fields *out, const struct parse_limits *lim)
{
	struct arena *a = arena_new(0);
	struct fields again = { 0 };
	size_t i, need = 1;
	char *buf, *p;

	if (a == NULL)
		return;
	for (i = 0; i < out->n; i++)
		need += 3 * (strlen(out->v[i].name) + out->v[i].value_len) + 2;
	if ((buf = arena_alloc(a, need)) == NULL)
		goto out;
	for (p = buf, i = 0; i < out->n; i++) {
		if (i > 0)
			*p++ = '&';
		p = encode(p, out->v[i].name);
		*p++ = '=';
		p = encode(p, out->v[i].value);
	}
	if (form_parse_urlencoded(a, buf, (size_t)(p - buf), lim, &again) !=
	    PARSE_OK || again.n != out->n)
		abort();
	for (i = 0; i < out->n; i++)
		if (strcmp(again.v[i].name, out->v[i].name) != 0 ||
		    again.v[i].value_len != out->v[i].value_len ||
		    memcmp(again.v[i].value, out->v[i].value,
		    out->v[i].value_len) != 0)
			abort();
out:
	arena_free(a);
}

/* Parse once with lim in an arena of cap bytes and check the result. */
static void
one(const uint8_t *data, size_t size, const struct parse_limits *lim,
    size_t cap)
{
	struct arena *a = arena_new(cap);
	struct fields out = { 0 };
	enum parse_status st;

	if (a == NULL)
		abort();
	st = form_parse_urlencoded(a, (const char *)data, size, lim, &out);
	check(&out, 0, st, lim);
	if (st == PARSE_OK)
		roundtrip(&out, lim);
	arena_free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, &parse_limits_default, 16u << 20);
	one(data, size, &small, 16u << 20);
	one(data, size, &parse_limits_default, 512);	/* runs out often */
	return 0;
}
