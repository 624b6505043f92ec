/* textlinks: the web addresses in a message's plain text (docs/chat.md
 * "Text"), so that a page can show them as links while everything else
 * stays text. Pure: no I/O, no allocation. */
#ifndef MEDSYS_TEXTLINKS_H
#define MEDSYS_TEXTLINKS_H

#include <stddef.h>

/* One piece of the text: [start, start + len), a link or plain text. */
struct textlinks_part {
	size_t start, len;
	int link;
};

/* Split s into at most max parts, in order, covering all of s: "http://"
 * and "https://" addresses (case-insensitive scheme, at least one
 * character after it, up to the first space, control character, '<',
 * '>' or '"', without trailing . , ; : ! ? ' ) ] that end a sentence) are
 * links; the rest is text. Beyond max parts the rest of s is one text
 * part. The number of parts (0 for ""). */
size_t textlinks_split(const char *s, struct textlinks_part *out, size_t max);

#endif
