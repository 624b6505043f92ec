/* fuzz_qrscan: libFuzzer harness for reading a QR code from uploaded
 * bytes (fcgi/lib/qrscan.c: libjpeg, libpng, libzbar). Any bytes give a
 * status in range without reading out of bounds, leaking, or running out
 * of memory; the text is NUL-terminated within the buffer, non-empty and
 * without a NUL only on success, and "" otherwise. Seeds: small real QR
 * images (PNG and JPEG) to mutate. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/qrscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[QRSCAN_TEXT_MAX + 1], small[8];
	enum qrscan_status st = qrscan_decode(data, size, out, sizeof(out));

	if ((unsigned)st >= QRSCAN__MAX)
		abort();
	if (st == QRSCAN_OK ? (out[0] == '\0' || strlen(out) > QRSCAN_TEXT_MAX) : out[0] != '\0')
		abort();
	/* A small buffer: never written past, and never a cut text. */
	st = qrscan_decode(data, size, small, sizeof(small));
	if (st == QRSCAN_OK ? strlen(small) >= sizeof(small) : small[0] != '\0')
		abort();
	return 0;
}
