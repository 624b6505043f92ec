/* imgclean: an accepted attachment's bytes checked for the structure of
 * their type and photos rewritten without their metadata (EXIF, GPS,
 * XMP, comments, text chunks) before they are stored. Pure. */
#ifndef MEDSYS_IMGCLEAN_H
#define MEDSYS_IMGCLEAN_H

#include <stddef.h>

#include "lib/docmeta.h"

enum imgclean_status {
	IMGCLEAN_OK = 0,
	IMGCLEAN_BAD,       /* not a whole file of the type: refused */
	IMGCLEAN__MAX
};

/* Copy the JPEG in[0..n) to out (room for n bytes; never more is
 * written) segment by segment, keeping what decoding needs (frame,
 * tables, scans, restart intervals, the JFIF header, an ICC profile and
 * Adobe's color transform) and dropping every other APPn segment (EXIF
 * and its GPS tags, XMP, Photoshop IRB), comments and anything after the
 * end of image. *outn gets the length written. IMGCLEAN_BAD unless it
 * starts with SOI, has a frame header before its first scan and ends
 * with EOI within n. */
enum imgclean_status imgclean_jpeg(const unsigned char *in, size_t n, unsigned char *out,
                                   size_t *outn);

/* The same for a PNG: chunks whose CRC matches, IHDR first, IDAT, IEND;
 * critical chunks and the colour ancillaries (tRNS, gAMA, cHRM, sRGB,
 * iCCP, sBIT, bKGD, pHYs) kept, every other ancillary chunk (tEXt,
 * zTXt, iTXt, eXIf, tIME, animation, private ones) dropped, and bytes
 * after IEND dropped. IMGCLEAN_BAD for a bad CRC, an unknown critical
 * chunk, a missing IHDR/IDAT/IEND or a truncated chunk. */
enum imgclean_status imgclean_png(const unsigned char *in, size_t n, unsigned char *out,
                                  size_t *outn);

/* A PDF's outline: "%PDF-d.d" at its start and "%%EOF" within its last
 * 1024 bytes (a truncated upload or something else named .pdf fails).
 * Copied unchanged to out (room for n bytes). */
enum imgclean_status imgclean_pdf(const unsigned char *in, size_t n, unsigned char *out,
                                  size_t *outn);

/* The function above for type t (DOC_UNKNOWN: IMGCLEAN_BAD). */
enum imgclean_status imgclean_file(enum doc_type t, const unsigned char *in, size_t n,
                                   unsigned char *out, size_t *outn);

#endif
