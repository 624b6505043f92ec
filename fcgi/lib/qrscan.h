/* qrscan: the text of a QR code in a photo (JPEG or PNG bytes, as the
 * pharmacist desk receives an upload), read with libzbar from the grey
 * pixels libjpeg or libpng decode. Pure: bytes in, text out, no I/O. */
#ifndef MEDSYS_QRSCAN_H
#define MEDSYS_QRSCAN_H

#include <stddef.h>

/* Hard limits, checked before anything is decompressed, so that a small
 * file announcing a huge picture (a decompression bomb) costs nothing:
 *   QRSCAN_MAX_BYTES   the file itself (a phone photo is 2-6 MB);
 *   QRSCAN_MAX_PIXELS  width x height the file announces (48 megapixels,
 *                      the largest phone cameras; each side at most
 *                      QRSCAN_MAX_SIDE).
 * A JPEG larger than QRSCAN_SCAN_SIDE on its longer side is decoded at
 * 1/2, 1/4 or 1/8 scale (libjpeg's own, cheap) and a PNG is shrunk to it,
 * so that the scan takes a fraction of a second: at that size a QR code
 * filling a tenth of the photo's width still has several pixels per
 * module. At most QRSCAN_SCAN_SIDE^2 bytes of grey pixels are kept, plus,
 * for a PNG, its full grey picture while it is shrunk. */
#define QRSCAN_MAX_BYTES (16u * 1024 * 1024)
#define QRSCAN_MAX_PIXELS (48ull * 1000 * 1000)
#define QRSCAN_MAX_SIDE 16384u
#define QRSCAN_SCAN_SIDE 2048u

/* The longest text returned (a token URL is ~200 bytes). */
#define QRSCAN_TEXT_MAX 2048

enum qrscan_status {
	QRSCAN_OK,
	QRSCAN_NOT_IMAGE,      /* neither a JPEG nor a PNG */
	QRSCAN_TOO_LARGE,      /* over one of the limits above */
	QRSCAN_BAD_IMAGE,      /* a JPEG or PNG that cannot be decoded */
	QRSCAN_NO_CODE,        /* decoded, but no QR code was found in it */
	QRSCAN_TEXT_TOO_LONG,  /* a QR code whose text does not fit out */
	QRSCAN_NO_MEMORY,
	QRSCAN__MAX
};

/* Decode the first QR code in the image data (len bytes) into out (len
 * outlen, NUL-terminated; up to QRSCAN_TEXT_MAX is ever needed). Other
 * kinds of barcode are ignored. On anything but QRSCAN_OK, out is "". A
 * code holding a NUL byte counts as QRSCAN_NO_CODE: no URL has one. */
enum qrscan_status qrscan_decode(const unsigned char *data, size_t len, char *out, size_t outlen);

/* A short stable name of st for logs and tests ("no_code"...). */
const char *qrscan_status_name(enum qrscan_status st);

#endif
