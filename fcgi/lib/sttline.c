/* sttline: "SECONDS<TAB>TEXT" lines from a speech-to-text command. */
#include "sttline.h"

#include <stdlib.h>
#include <string.h>

/* Whether s (up to the TAB at end) is digits with at most one dot. */
static int
is_seconds(const char *s, const char *end)
{
	int digits = 0, dots = 0;

	for (; s < end; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (*s == '.' && dots++ == 0)
			continue;
		else
			return 0;
	}
	return digits > 0 && digits <= 9;
}

/* Whether the n bytes at s are UTF-8 by shape (PostgreSQL refuses
 * anything else and would fail the whole chunk: such a line is dropped). */
static int
utf8_ok(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t k = s[i] < 0x80 ? 1 : (s[i] >> 5) == 6 ? 2 : (s[i] >> 4) == 14 ? 3 : (s[i] >> 3) == 30 ? 4 : 0;
		if (k == 0 || i + k > n || (k == 2 && s[i] < 0xc2))
			return 0;
		for (size_t j = 1; j < k; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
		i += k;
	}
	return 1;
}

int
sttline_parse(char *line, double *offset, const char **text)
{
	char *tab = strchr(line, '\t'), *s = line, *e;

	*offset = 0;
	*text = "";
	if (tab && is_seconds(line, tab)) {
		*offset = strtod(line, NULL);
		s = tab + 1;
	}
	for (char *c = s; *c; c++)          /* tabs, CRs and the like: spaces */
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	while (*s == ' ')
		s++;
	e = s + strlen(s);
	while (e > s && e[-1] == ' ')
		e--;
	if ((size_t)(e - s) > STTLINE_TEXT_MAX) {
		e = s + STTLINE_TEXT_MAX;
		while (e > s && ((unsigned char)*e & 0xc0) == 0x80)
			e--;
	}
	*e = '\0';
	if (e == s || !utf8_ok((const unsigned char *)s, (size_t)(e - s)))
		return 0;
	*text = s;
	return 1;
}
