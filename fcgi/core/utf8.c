/* utf8: strict validation of text fields (RFC 3629, Unicode table 3-7). */
#include <stddef.h>

#include "core/fields.h"

/* Bytes after lead byte c, and the allowed range of the first of them;
 * 0 when c cannot start a sequence (continuation, overlong C0/C1, >F4). */
static size_t
utf8_lead(unsigned char c, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		return 1;
	if (c >= 0xE0 && c <= 0xEF) {
		if (c == 0xE0)
			*lo = 0xA0;	/* no overlong 3-byte forms */
		else if (c == 0xED)
			*hi = 0x9F;	/* no surrogates U+D800..DFFF */
		return 2;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (c == 0xF0)
			*lo = 0x90;	/* no overlong 4-byte forms */
		else if (c == 0xF4)
			*hi = 0x8F;	/* nothing above U+10FFFF */
		return 3;
	}
	return 0;
}

/* See fields.h: 1 for valid UTF-8 text without NUL, else 0. */
int
utf8_valid_text(const char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)buf;
	unsigned char lo, hi;
	size_t i = 0, k, more;

	if (len != 0 && buf == NULL)
		return 0;
	while (i < len) {
		if (p[i] == 0)
			return 0;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((more = utf8_lead(p[i], &lo, &hi)) == 0)
			return 0;
		if (more > len - i - 1)
			return 0;	/* truncated */
		if (p[i + 1] < lo || p[i + 1] > hi)
			return 0;
		for (k = 2; k <= more; k++)
			if (p[i + k] < 0x80 || p[i + k] > 0xBF)
				return 0;
		i += more + 1;
	}
	return 1;
}
