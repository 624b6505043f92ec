/* winansi: UTF-8 text to the single-byte WinAnsi encoding (Windows-1252)
 * of the PDF base-14 fonts, which covers Spanish and English. */
#ifndef MEDSYS_WINANSI_H
#define MEDSYS_WINANSI_H

#include <stddef.h>

/* Convert the NUL-terminated UTF-8 string in into out (outlen bytes,
 * always NUL-terminated when outlen > 0). A character WinAnsi lacks, and
 * each byte of a malformed sequence, becomes '?'; control characters
 * become spaces. Returns the length the whole conversion needs (without
 * the NUL): when it is >= outlen the output was cut short. */
size_t winansi_from_utf8(const char *in, char *out, size_t outlen);

#endif
