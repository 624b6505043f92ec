/* textsink: append bytes to a buffer that may be too small (or absent),
 * counting every byte like snprintf: the canonical texts that signatures
 * cover (notehash, rxtoken) are built with it. Pure: no I/O. */
#ifndef MEDSYS_TEXTSINK_H
#define MEDSYS_TEXTSINK_H

#include <stddef.h>

struct textsink {
	char *buf;          /* may be NULL when len is 0 */
	size_t len, used;
};

/* Count n bytes of p; copy those that fit. */
void textsink_bytes(struct textsink *s, const char *p, size_t n);

/* The same for a NUL-terminated string. */
void textsink_str(struct textsink *s, const char *p);

/* "name:N\n<text>\n", N being the byte length of text. */
void textsink_field(struct textsink *s, const char *name, const char *text);

/* NUL-terminate what fits and return the full length (without the NUL). */
long textsink_end(struct textsink *s);

#endif
