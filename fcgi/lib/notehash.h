/* notehash: the canonical text of a signed visit note and of an addendum
 * (docs/record.md "Visit notes" defines it; migration 015 builds the same
 * text in SQL) and its SHA-256, so a signature's hash can be recomputed
 * and checked whenever the note is shown. Pure: no I/O. */
#ifndef MEDSYS_NOTEHASH_H
#define MEDSYS_NOTEHASH_H

#include <stddef.h>

#define NOTEHASH_BYTES 32
#define NOTEHASH_HEX (2 * NOTEHASH_BYTES)
#define NOTEHASH_MAX_CODES 32

/* What a signature covers. Texts are UTF-8, never NULL, stored exactly as
 * hashed (newlines as LF: notehash_normalize_newlines). codes may be in
 * any order and hold duplicates; the canonical text sorts them. */
struct note_content {
	long long encounter_id;
	const char *subjective, *objective, *assessment, *plan;
	const char *const *codes;
	size_t ncodes;              /* at most NOTEHASH_MAX_CODES */
};

/* Write the note's canonical text into out (len bytes, NUL-terminated
 * when it fits) and return its length without the NUL, like snprintf:
 * call with len 0 to learn the size. -1 when ncodes is over the limit.
 *   medsys-note-1 LF encounter:ID LF
 *   subjective:N LF <N bytes> LF  objective:... assessment:...
 *   diagnoses:K LF <code> LF ... (K distinct codes in byte order)
 *   plan:N LF <N bytes> LF
 * (N: byte length of the text, K: count, decimal). */
long notehash_note_text(const struct note_content *n, char *out, size_t len);

/* The same for an addendum, chained to the signed note's hash (64
 * lowercase hex digits):
 *   medsys-addendum-1 LF encounter:ID LF note:<hex> LF body:N LF <N bytes> LF */
long notehash_addendum_text(long long encounter_id, const char *note_hex, const char *body,
                            char *out, size_t len);

/* SHA-256 of len bytes as 64 lowercase hex digits and a NUL. 0, or -1
 * when OpenSSL fails. */
int notehash_sha256_hex(const char *text, size_t len, char out[NOTEHASH_HEX + 1]);

/* Turn CRLF and lone CR into LF in place (browsers send CRLF from a
 * textarea): the stored and hashed text has LF only. */
void notehash_normalize_newlines(char *s);

#endif
