/* locale: language negotiation (pure functions). */
#include "locale.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

const char *const locale_supported[LOCALE_COUNT] = { "es", "en" };

int
locale_index(const char *code)
{
	for (int i = 0; i < LOCALE_COUNT; i++)
		if (code && strcmp(code, locale_supported[i]) == 0)
			return i;
	return -1;
}

int
locale_is_supported(const char *code)
{
	return locale_index(code) >= 0;
}

/* The supported code whose primary subtag is tag[0..len), or NULL. */
static const char *
supported_primary(const char *tag, size_t len)
{
	for (int i = 0; i < LOCALE_COUNT; i++) {
		size_t n = strlen(locale_supported[i]);
		if (len >= n && strncasecmp(tag, locale_supported[i], n) == 0 &&
		    (len == n || tag[n] == '-'))
			return locale_supported[i];
	}
	return NULL;
}

/* q-value in thousandths from the parameters part of one entry; 1000 when
 * absent, -1 when malformed. */
static int
parse_q(const char *p, const char *end)
{
	while (p < end) {
		while (p < end && (*p == ';' || isspace((unsigned char)*p)))
			p++;
		if (end - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
			int q = 0, digits = 0;
			p += 2;
			if (p < end && (*p == '0' || *p == '1'))
				q = (*p++ - '0') * 1000;
			else
				return -1;
			if (p < end && *p == '.') {
				int scale = 100;
				for (p++; p < end && isdigit((unsigned char)*p) && digits < 3; p++, digits++) {
					q += (*p - '0') * scale;
					scale /= 10;
				}
			}
			return q > 1000 ? -1 : q;
		}
		while (p < end && *p != ';')
			p++;
	}
	return 1000;
}

const char *
locale_from_accept_language(const char *header)
{
	const char *best = NULL;
	int best_q = 0;
	const char *p = header;

	if (header == NULL)
		return NULL;
	while (*p) {
		const char *e = strchr(p, ',');
		const char *end = e ? e : p + strlen(p);
		const char *ts = p, *te;
		const char *code;
		int q;

		while (ts < end && isspace((unsigned char)*ts))
			ts++;
		te = ts;
		while (te < end && (isalnum((unsigned char)*te) || *te == '-'))
			te++;
		q = parse_q(te, end);
		code = supported_primary(ts, (size_t)(te - ts));
		if (code && q > best_q) {
			best = code;
			best_q = q;
		}
		p = e ? e + 1 : end;
	}
	return best;
}

const char *
locale_pick(const char *cookie, const char *accept_language, const char *fallback)
{
	const char *l;

	if (locale_is_supported(cookie))
		return locale_supported[locale_index(cookie)];
	if ((l = locale_from_accept_language(accept_language)) != NULL)
		return l;
	return locale_is_supported(fallback) ? fallback : locale_supported[0];
}
