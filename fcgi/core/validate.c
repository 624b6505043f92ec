/* validate: field rules, normalised values, per-field error messages. */
#include "validate.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/datetime.h"

#include "arena.h"
#include "fields.h"
#include "request.h"
#include "view.h"

#define DEFAULT_MAX 200

size_t
utf8_char_count(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static char *
trimmed(struct arena *a, const char *v)
{
	const char *e;

	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	e = v + strlen(v);
	while (e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		e--;
	return arena_strndup(a, v, (size_t)(e - v));
}

static int
has_control(const char *s, int allow_newlines)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c < 0x20 && !(allow_newlines && (c == '\n' || c == '\r' || c == '\t'))) || c == 0x7f)
			return 1;
	}
	return 0;
}

static int
valid_email(char *s)
{
	char *at = strchr(s, '@');

	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (at == NULL || at == s || strchr(at + 1, '@') || strchr(at, '.') == NULL ||
	    at[1] == '.' || s[strlen(s) - 1] == '.' || strpbrk(s, " ,;:<>()[]\\\"") != NULL)
		return 0;
	return 1;
}

static int
all_of(const char *s, const char *set)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s) && strchr(set, *s) == NULL)
			return 0;
	return 1;
}

/* Remove spaces (codes are often typed "123 456"). */
static void
squeeze_spaces(char *s)
{
	char *o = s;

	for (; *s; s++)
		if (*s != ' ')
			*o++ = *s;
	*o = '\0';
}

/* The problem key ("required", ...) with value v for rule, or NULL. */
static const char *
check_one(const struct field_rule *rule, char *v)
{
	size_t chars, max = rule->max ? rule->max : DEFAULT_MAX;

	if (*v == '\0')
		return rule->required ? "required" : NULL;
	if (rule->kind == FIELD_DIGITS)
		squeeze_spaces(v);
	chars = utf8_char_count(v);
	if (chars < rule->min)
		return "too_short";
	if (chars > max)
		return "too_long";
	switch (rule->kind) {
	case FIELD_MULTILINE:
		return has_control(v, 1) ? "invalid" : NULL;
	case FIELD_TEXT:
	case FIELD_PASSWORD:
		return has_control(v, 0) ? "invalid" : NULL;
	case FIELD_EMAIL:
		return valid_email(v) ? NULL : "email";
	case FIELD_DATE:
		return dt_is_date(v) ? NULL : "date";
	case FIELD_TIME:
		return dt_is_time(v) ? NULL : "time";
	case FIELD_DIGITS:
		return all_of(v, "") ? NULL : "digits";
	case FIELD_PHONE:
		return all_of(v, " +-()") ? NULL : "phone";
	case FIELD_ID:
		return is_positive_id(v) ? NULL : "invalid";
	case FIELD_CHOICE:
		for (const char *const *c = rule->choices; c && *c; c++)
			if (strcmp(*c, v) == 0)
				return NULL;
		return "choice";
	case FIELD__MAX:
		break;
	}
	return "invalid";
}

int
is_positive_id(const char *s)
{
	size_t n = 0;

	if (s == NULL || *s < '1' || *s > '9')
		return 0;
	for (; s[n]; n++)
		if (s[n] < '0' || s[n] > '9')
			return 0;
	return n <= 18;
}

int
is_hex_token(const char *s, size_t len)
{
	size_t n = 0;

	for (; s && *s; s++, n++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return n == len;
}

int
query_optional_id(const struct req *r, const char *name, const char **out)
{
	const char *v = fields_get(&r->query, name);

	*out = NULL;
	if (v == NULL || *v == '\0')
		return 0;
	if (!is_positive_id(v))
		return -1;
	*out = v;
	return 0;
}

/* Remember a checked value (v already lives in the arena). */
static void
fields_set_checked(struct req *r, const char *name, const char *v)
{
	struct field f;

	memset(&f, 0, sizeof(f));
	f.name = name;
	f.value = v;
	f.value_len = strlen(v);
	(void)fields_append(r->arena, &r->checked, 0, &parse_limits_default, &f);
}

void
form_error(struct req *r, const char *field, const char *lang_key)
{
	view_set(r->view, view_lang(r->view, lang_key), "Form.errors.%s", field);
	view_set(r->view, "1", "Form.has_errors");
	r->form_errors++;
}

int
form_validate(struct req *r, const struct field_rule *rules, size_t n)
{
	int before = r->form_errors;

	for (size_t i = 0; i < n; i++) {
		const char *raw = fields_get(&r->form, rules[i].name);
		char *v = rules[i].kind == FIELD_PASSWORD ? arena_strdup(r->arena, raw ? raw : "")
		                                           : trimmed(r->arena, raw ? raw : "");
		const char *problem;
		char key[64];

		if (v == NULL)
			return ++r->form_errors - before;
		problem = check_one(&rules[i], v);
		if (rules[i].kind != FIELD_PASSWORD)
			view_set(r->view, v, "Form.%s", rules[i].name);
		if (problem) {
			snprintf(key, sizeof(key), "validate.%s", problem);
			form_error(r, rules[i].name, key);
			continue;
		}
		fields_set_checked(r, rules[i].name, v);
	}
	return r->form_errors - before;
}

const char *
form_value(const struct req *r, const char *name)
{
	return fields_get(&r->checked, name);
}
