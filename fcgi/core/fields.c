/* fields: parser limits, status names, and the decoded field array. */
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/fields.h"

const struct parse_limits parse_limits_default = {
	.max_fields = 256,
	.max_name = 256,
	.max_value = 64 * 1024,
	.max_file = 8 * 1024 * 1024,
};

static const char *const status_names[PARSE__MAX] = {
	[PARSE_OK] = "ok",
	[PARSE_MALFORMED] = "malformed",
	[PARSE_TOO_MANY_FIELDS] = "too_many_fields",
	[PARSE_FIELD_TOO_LARGE] = "field_too_large",
	[PARSE_BAD_UTF8] = "bad_utf8",
	[PARSE_NOMEM] = "nomem",
};

/* "unknown" for anything outside the enum. */
const char *
parse_status_name(enum parse_status st)
{
	if ((unsigned)st >= PARSE__MAX || status_names[st] == NULL)
		return "unknown";
	return status_names[st];
}

/* Make room for one more field: double out->cap (8 at first). */
static enum parse_status
fields_grow(struct arena *a, struct fields *out)
{
	struct field *v;
	size_t ncap;

	if (out->n < out->cap)
		return PARSE_OK;
	if (out->cap > SIZE_MAX / 2 / sizeof(*v))
		return PARSE_NOMEM;
	ncap = out->cap == 0 ? 8 : out->cap * 2;
	v = arena_realloc_array(a, out->v, out->n, ncap, sizeof(*v));
	if (v == NULL)
		return PARSE_NOMEM;
	out->v = v;
	out->cap = ncap;
	return PARSE_OK;
}

/* Append *f unless the source already gave lim->max_fields fields. */
enum parse_status
fields_append(struct arena *a, struct fields *out, size_t start,
              const struct parse_limits *lim, const struct field *f)
{
	enum parse_status st;

	if (lim == NULL)
		lim = &parse_limits_default;
	if (out->n < start || out->n - start >= lim->max_fields)
		return PARSE_TOO_MANY_FIELDS;
	if ((st = fields_grow(a, out)) != PARSE_OK)
		return st;
	out->v[out->n++] = *f;
	return PARSE_OK;
}

int
fields_is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Linear search; NULL arguments find nothing. */
const struct field *
fields_find(const struct fields *f, const char *name)
{
	size_t i;

	if (f == NULL || name == NULL || f->v == NULL)
		return NULL;
	for (i = 0; i < f->n; i++)
		if (f->v[i].name != NULL && strcmp(f->v[i].name, name) == 0)
			return &f->v[i];
	return NULL;
}

/* The first match's value (possibly binary for a file part). */
const char *
fields_get(const struct fields *f, const char *name)
{
	const struct field *fl;

	fl = fields_find(f, name);
	return fl == NULL ? NULL : fl->value;
}
