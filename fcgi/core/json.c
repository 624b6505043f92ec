/* json: escaping strings and building flat objects for outbox payloads. */
#include "json.h"

#include <stdarg.h>
#include <string.h>

#include "arena.h"

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when invalid. */
static size_t
utf8_seq(const unsigned char *p)
{
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf && (p[1] & 0xc0) == 0x80)
		return 2;
	if (p[0] >= 0xe0 && p[0] <= 0xef && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80 &&
	    !(p[0] == 0xe0 && p[1] < 0xa0) && !(p[0] == 0xed && p[1] > 0x9f))
		return 3;
	if (p[0] >= 0xf0 && p[0] <= 0xf4 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80 &&
	    (p[3] & 0xc0) == 0x80 && !(p[0] == 0xf0 && p[1] < 0x90) && !(p[0] == 0xf4 && p[1] > 0x8f))
		return 4;
	return 0;
}

char *
json_string(struct arena *a, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t len = s ? strlen(s) : 0;
	char *out = arena_alloc(a, len * 6 + 3), *o = out;   /* worst case \u00XX each */
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	if (out == NULL)
		return NULL;
	*o++ = '"';
	while (*p) {
		size_t n = utf8_seq(p);
		if (n == 0) {              /* invalid byte: U+FFFD */
			memcpy(o, "\\ufffd", 6);
			o += 6;
			p++;
		} else if (n > 1) {
			memcpy(o, p, n);
			o += n;
			p += n;
		} else if (*p == '"' || *p == '\\') {
			*o++ = '\\';
			*o++ = (char)*p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			memcpy(o, "\\u00", 4);
			o[4] = hex[*p >> 4];
			o[5] = hex[*p & 15];
			o += 6;
			p++;
		} else {
			*o++ = (char)*p++;
		}
	}
	*o++ = '"';
	*o = '\0';
	return out;
}

char *
json_object(struct arena *a, ...)
{
	va_list ap;
	const char *key;
	char *out = arena_strdup(a, "{");
	int first = 1;

	va_start(ap, a);
	while (out && (key = va_arg(ap, const char *)) != NULL) {
		const char *value = va_arg(ap, const char *);
		char *k = json_string(a, key), *v = value ? json_string(a, value) : "null";
		out = (k && v) ? arena_printf(a, "%s%s%s:%s", out, first ? "" : ",", k, v) : NULL;
		first = 0;
	}
	va_end(ap);
	return out ? arena_printf(a, "%s}", out) : NULL;
}
