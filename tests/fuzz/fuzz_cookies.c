/* fuzz_cookies: libFuzzer harness for cookies_parse. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/fields.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Small limits, so that every limit is hit often. */
static const struct parse_limits small = { 3, 4, 6, 0 };

/* 1 when s[0..n) holds a byte below 0x20, DEL, or (for names) a
 * separator. */
static int
has_bad(const char *s, size_t n, const char *also)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f ||
		    strchr(also, s[i]) != NULL)
			return 1;
	return 0;
}

/* Abort unless out holds only fields a good parse may give. Lenient
 * parsing fails only for too many fields or exhaustion. */
static void
check(const struct fields *out, enum parse_status st,
      const struct parse_limits *lim)
{
	const struct field *f;
	size_t i, nl;

	if (st != PARSE_OK && st != PARSE_TOO_MANY_FIELDS && st != PARSE_NOMEM)
		abort();
	if ((st != PARSE_OK && out->n != 0) || out->n > lim->max_fields)
		abort();
	for (i = 0; i < out->n; i++) {
		f = &out->v[i];
		nl = f->name == NULL ? 0 : strlen(f->name);
		if (nl == 0 || nl > lim->max_name || f->value == NULL ||
		    has_bad(f->name, nl, " \t\"(),/:;<=>?@[\\]{}") ||
		    f->value_len > lim->max_value ||
		    strlen(f->value) != f->value_len ||
		    has_bad(f->value, f->value_len, ";") ||
		    !utf8_valid_text(f->value, f->value_len) ||
		    fields_get(out, f->name) == NULL)
			abort();
		for (nl = 0; f->name[nl] != '\0'; nl++)
			if ((unsigned char)f->name[nl] >= 0x80)
				abort();
	}
}

static void
one(const uint8_t *data, size_t size, const struct parse_limits *lim,
    size_t cap)
{
	struct arena *a = arena_new(cap);
	struct fields out = { 0 };
	enum parse_status st;

	if (a == NULL)
		abort();
	st = cookies_parse(a, (const char *)data, size, lim, &out);
	check(&out, st, lim);
	arena_free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, &parse_limits_default, 16u << 20);
	one(data, size, &small, 16u << 20);
	one(data, size, &parse_limits_default, 384);
	return 0;
}
