/* textsink: a counting append buffer for canonical texts. */
#include "textsink.h"

#include <stdio.h>
#include <string.h>

void
textsink_bytes(struct textsink *s, const char *p, size_t n)
{
	if (s->used < s->len) {
		size_t room = s->len - s->used;
		memcpy(s->buf + s->used, p, n < room ? n : room);
	}
	s->used += n;
}

void
textsink_str(struct textsink *s, const char *p)
{
	textsink_bytes(s, p, strlen(p));
}

void
textsink_field(struct textsink *s, const char *name, const char *text)
{
	char num[32];
	size_t n = strlen(text);

	snprintf(num, sizeof(num), ":%zu\n", n);
	textsink_str(s, name);
	textsink_str(s, num);
	textsink_bytes(s, text, n);
	textsink_bytes(s, "\n", 1);
}

long
textsink_end(struct textsink *s)
{
	if (s->len > 0)
		s->buf[s->used < s->len ? s->used : s->len - 1] = '\0';
	return (long)s->used;
}
