/* audiotype: the kind of an uploaded audio chunk, told from its bytes
 * (never from the name or the type the browser claims). Pure. */
#ifndef MEDSYS_LIB_AUDIOTYPE_H
#define MEDSYS_LIB_AUDIOTYPE_H

#include <stddef.h>

enum audio_type {
	AUDIO_UNKNOWN = 0,
	AUDIO_WEBM,        /* EBML with DocType "webm" (Chromium's MediaRecorder) */
	AUDIO_OGG,         /* an Ogg page holding an Opus or Vorbis header (Firefox) */
	AUDIO__MAX
};

/* The type of the n bytes at b, from their header. */
enum audio_type audio_sniff(const unsigned char *b, size_t n);

/* "audio/webm", "audio/ogg", or NULL for AUDIO_UNKNOWN. */
const char *audio_media_type(enum audio_type t);

#endif
