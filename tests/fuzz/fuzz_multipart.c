/* fuzz_multipart: libFuzzer harness for multipart_parse; the first input
 * line is the Content-Type header value, the rest is the body. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/fields.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Small limits, so that every limit is hit often. */
static const struct parse_limits small = { 3, 6, 10, 24 };

/* Abort unless out holds only fields a good parse may give. */
static void
check(const struct fields *out, enum parse_status st,
      const struct parse_limits *lim, size_t body_len)
{
	const struct field *f;
	size_t i, nl;

	if (st >= PARSE__MAX || (st != PARSE_OK && out->n != 0) ||
	    out->n > lim->max_fields)
		abort();
	for (i = 0; i < out->n; i++) {
		f = &out->v[i];
		nl = f->name == NULL ? 0 : strlen(f->name);
		if (nl == 0 || nl > lim->max_name ||
		    !utf8_valid_text(f->name, nl) || f->value == NULL ||
		    f->value[f->value_len] != '\0' || f->value_len > body_len ||
		    fields_find(out, f->name) == NULL)
			abort();
		if (f->content_type != NULL &&
		    !utf8_valid_text(f->content_type, strlen(f->content_type)))
			abort();
		if (f->filename == NULL ?
		    (f->value_len > lim->max_value ||
		     !utf8_valid_text(f->value, f->value_len)) :
		    (f->value_len > lim->max_file ||
		     strlen(f->filename) > lim->max_name ||
		     !utf8_valid_text(f->filename, strlen(f->filename))))
			abort();
	}
}

static void
one(const char *ct, const char *body, size_t len,
    const struct parse_limits *lim, size_t cap)
{
	struct arena *a = arena_new(cap);
	struct fields out = { 0 };
	enum parse_status st;

	if (a == NULL)
		abort();
	st = multipart_parse(a, ct, body, len, lim, &out);
	check(&out, st, lim, len);
	arena_free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl;
	size_t ctlen, blen;
	char *ct, *body;

	nl = memchr(data, '\n', size);
	ctlen = nl == NULL ? size : (size_t)(nl - data);
	blen = nl == NULL ? 0 : size - ctlen - 1;
	/* Exact-size copies, so that any over-read is caught. */
	ct = malloc(ctlen + 1);
	body = malloc(blen == 0 ? 1 : blen);
	if (ct == NULL || body == NULL)
		goto out;
	memcpy(ct, data, ctlen);
	ct[ctlen] = '\0';
	if (ctlen > 0 && ct[ctlen - 1] == '\r')
		ct[ctlen - 1] = '\0';
	if (blen > 0)
		memcpy(body, nl + 1, blen);
	one(ct, body, blen, &parse_limits_default, 16u << 20);
	one(ct, body, blen, &small, 16u << 20);
	one(ct, body, blen, &parse_limits_default, 1024);
out:
	free(ct);
	free(body);
	return 0;
}
