/* fuzz_query: libFuzzer harness for form_parse_urlencoded on QUERY_STRING. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/fields.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Small limits, so that every limit is hit often. */
static const struct parse_limits small = { 3, 5, 7, 0 };

/* Abort unless out holds only fields a good parse may give, and the
 * first field of each name is what fields_get finds. */
static void
check(const struct fields *out, enum parse_status st,
      const struct parse_limits *lim)
{
	const struct field *f;
	size_t i, j;

	if (st >= PARSE__MAX || (st != PARSE_OK && out->n != 0) ||
	    out->n > lim->max_fields)
		abort();
	for (i = 0; i < out->n; i++) {
		f = &out->v[i];
		if (f->name == NULL || f->value == NULL ||
		    strlen(f->name) > lim->max_name ||
		    !utf8_valid_text(f->name, strlen(f->name)) ||
		    f->value_len > lim->max_value ||
		    !utf8_valid_text(f->value, f->value_len))
			abort();
		for (j = 0; j < i; j++)
			if (strcmp(out->v[j].name, f->name) == 0)
				break;
		if (fields_find(out, f->name) != &out->v[j])
			abort();
	}
}

/* The environment hands a query string over as a C string: parse a
 * NUL-terminated copy up to its first NUL, as the request code does. */
static void
one(const char *qs, const struct parse_limits *lim, size_t cap)
{
	struct arena *a = arena_new(cap);
	struct fields out = { 0 };
	enum parse_status st;

	if (a == NULL)
		abort();
	st = form_parse_urlencoded(a, qs, strlen(qs), lim, &out);
	check(&out, st, lim);
	arena_free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *qs;

	if ((qs = malloc(size + 1)) == NULL)
		return 0;
	memcpy(qs, data, size);
	qs[size] = '\0';
	one(qs, &parse_limits_default, 16u << 20);
	one(qs, &small, 16u << 20);
	one(qs, &parse_limits_default, 256);
	free(qs);
	return 0;
}
