/* winansi: UTF-8 to Windows-1252 for the PDF base-14 fonts. */
#include "winansi.h"

/* The code points of 0x80-0x9F in Windows-1252 (0: unassigned there). */
static const unsigned short cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/* Decode one UTF-8 character at s: its code point, and in *len the bytes
 * it takes (1 for a malformed byte, whose code point is -1). Overlong
 * forms, surrogates and values above U+10FFFF are malformed. */
static long
decode(const unsigned char *s, size_t *len)
{
	unsigned char c = s[0];
	size_t n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
	         : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
	long cp;

	*len = 1;
	if (n == 0)
		return -1;
	if (n == 1)
		return c;
	cp = c & (0x7F >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return -1;
	*len = n;
	return cp;
}

static unsigned char
to_cp1252(long cp)
{
	if (cp < 0)
		return '?';
	if (cp < 0x20 || cp == 0x7F)
		return ' ';
	if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF))
		return (unsigned char)cp;
	for (int i = 0; i < 32; i++)
		if (cp1252_high[i] == cp)
			return (unsigned char)(0x80 + i);
	return '?';
}

size_t
winansi_from_utf8(const char *in, char *out, size_t outlen)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t need = 0, len;

	while (*s) {
		unsigned char b = to_cp1252(decode(s, &len));
		if (need + 1 < outlen)
			out[need] = (char)b;
		need++;
		s += len;
	}
	if (outlen > 0)
		out[need < outlen ? need : outlen - 1] = '\0';
	return need;
}
