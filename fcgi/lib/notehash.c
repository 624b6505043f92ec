/* notehash: canonical text of visit notes and addenda, and its SHA-256. */
#include "notehash.h"

#include "hex.h"
#include "textsink.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
code_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

long
notehash_note_text(const struct note_content *n, char *out, size_t len)
{
	struct textsink s = { out, len, 0 };
	const char *sorted[NOTEHASH_MAX_CODES];
	size_t k = 0;
	char line[48];

	if (n->ncodes > NOTEHASH_MAX_CODES)
		return -1;
	memcpy(sorted, n->codes, n->ncodes * sizeof(*sorted));
	qsort(sorted, n->ncodes, sizeof(*sorted), code_cmp);
	/* distinct codes only: a code chosen twice is one diagnosis */
	for (size_t i = 0; i < n->ncodes; i++)
		if (k == 0 || strcmp(sorted[k - 1], sorted[i]) != 0)
			sorted[k++] = sorted[i];
	snprintf(line, sizeof(line), "medsys-note-1\nencounter:%lld\n", n->encounter_id);
	textsink_str(&s, line);
	textsink_field(&s, "subjective", n->subjective);
	textsink_field(&s, "objective", n->objective);
	textsink_field(&s, "assessment", n->assessment);
	snprintf(line, sizeof(line), "diagnoses:%zu\n", k);
	textsink_str(&s, line);
	for (size_t i = 0; i < k; i++) {
		textsink_str(&s, sorted[i]);
		textsink_bytes(&s, "\n", 1);
	}
	textsink_field(&s, "plan", n->plan);
	return textsink_end(&s);
}

long
notehash_addendum_text(long long encounter_id, const char *note_hex, const char *body,
                       char *out, size_t len)
{
	struct textsink s = { out, len, 0 };
	char line[48];

	snprintf(line, sizeof(line), "medsys-addendum-1\nencounter:%lld\n", encounter_id);
	textsink_str(&s, line);
	textsink_str(&s, "note:");
	textsink_str(&s, note_hex);
	textsink_bytes(&s, "\n", 1);
	textsink_field(&s, "body", body);
	return textsink_end(&s);
}

int
notehash_sha256_hex(const char *text, size_t len, char out[NOTEHASH_HEX + 1])
{
	unsigned char h[NOTEHASH_BYTES];
	unsigned int n = 0;

	if (EVP_Digest(text, len, h, &n, EVP_sha256(), NULL) != 1 || n != NOTEHASH_BYTES)
		return -1;
	hex_encode(h, NOTEHASH_BYTES, out);
	return 0;
}

void
notehash_normalize_newlines(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (*s == '\r') {
			*w++ = '\n';
			if (s[1] == '\n')
				s++;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}
