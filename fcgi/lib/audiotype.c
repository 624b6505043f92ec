/* audiotype: WebM and Ogg audio told from their first bytes. */
#include "audiotype.h"

#include <string.h>

/* How far into the file the header's marks are looked for: the EBML
 * header of a WebM file and the first Ogg page (27 + segments) are short. */
#define HEAD_SPAN 96

/* Whether the n bytes at b hold mark (of mlen bytes) within HEAD_SPAN. */
static int
has_mark(const unsigned char *b, size_t n, const char *mark, size_t mlen)
{
	size_t span = n < HEAD_SPAN ? n : HEAD_SPAN;

	for (size_t i = 0; i + mlen <= span; i++)
		if (memcmp(b + i, mark, mlen) == 0)
			return 1;
	return 0;
}

enum audio_type
audio_sniff(const unsigned char *b, size_t n)
{
	static const unsigned char ebml[4] = { 0x1a, 0x45, 0xdf, 0xa3 };

	if (b == NULL || n < 32)
		return AUDIO_UNKNOWN;
	/* EBML magic, then the DocType element (0x4282) naming webm. */
	if (memcmp(b, ebml, 4) == 0 && has_mark(b, n, "\x42\x82", 2) && has_mark(b, n, "webm", 4))
		return AUDIO_WEBM;
	/* "OggS", version 0, and the first packet's codec header. */
	if (memcmp(b, "OggS", 4) == 0 && b[4] == 0 &&
	    (has_mark(b, n, "OpusHead", 8) || has_mark(b, n, "\x01vorbis", 7)))
		return AUDIO_OGG;
	return AUDIO_UNKNOWN;
}

const char *
audio_media_type(enum audio_type t)
{
	switch (t) {
	case AUDIO_WEBM: return "audio/webm";
	case AUDIO_OGG: return "audio/ogg";
	default: return NULL;
	}
}
