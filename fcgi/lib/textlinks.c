/* textlinks: web addresses in plain text (textlinks.h). */
#include "textlinks.h"

#include <string.h>
#include <strings.h>

/* The length of the scheme "http://" or "https://" at s, or 0. */
static size_t
scheme_at(const char *s)
{
	if (strncasecmp(s, "http://", 7) == 0)
		return 7;
	if (strncasecmp(s, "https://", 8) == 0)
		return 8;
	return 0;
}

/* Where an address that starts at s ends (its length, 0: none). */
static size_t
link_len(const char *s)
{
	size_t n = scheme_at(s), end;

	if (n == 0)
		return 0;
	end = n;
	while (s[end] && (unsigned char)s[end] > 0x20 && s[end] != 0x7f &&
	       !strchr("<>\"", s[end]))
		end++;
	/* Punctuation that ends a sentence is not part of the address. */
	while (end > n && strchr(".,;:!?')]", s[end - 1]))
		end--;
	return end > n ? end : 0;
}

static int
is_letter(unsigned char c)
{
	c |= 0x20;
	return c >= 'a' && c <= 'z';
}

size_t
textlinks_split(const char *s, struct textlinks_part *out, size_t max)
{
	size_t i = 0, text = 0, n = 0, len = strlen(s), l;

	while (i < len && n + 2 < max) {
		/* An address starts a word: "xhttp://" is text. */
		if ((i == 0 || !is_letter((unsigned char)s[i - 1])) && (l = link_len(s + i)) > 0) {
			if (i > text)
				out[n++] = (struct textlinks_part){ text, i - text, 0 };
			out[n++] = (struct textlinks_part){ i, l, 1 };
			i += l;
			text = i;
		} else {
			i++;
		}
	}
	if (len > text && n < max)
		out[n++] = (struct textlinks_part){ text, len - text, 0 };
	return n;
}
