/* imgclean: structure checks for attachments, JPEG and PNG metadata removal. */
#include "imgclean.h"

#include <string.h>

/* The output so far: writes past cap are refused (cannot happen while
 * the output is a subset of the input, checked anyway). */
struct sink {
	unsigned char *p;
	size_t len, cap;
};

static int
put(struct sink *s, const unsigned char *p, size_t n)
{
	if (n > s->cap - s->len)
		return -1;
	memcpy(s->p + s->len, p, n);
	s->len += n;
	return 0;
}

static size_t
be16(const unsigned char *p)
{
	return ((size_t)p[0] << 8) | p[1];
}

static unsigned long
be32(const unsigned char *p)
{
	return ((unsigned long)p[0] << 24) | ((unsigned long)p[1] << 16) |
	       ((unsigned long)p[2] << 8) | p[3];
}

/* ---- JPEG ---- */

/* Whether segment payload q (n bytes) starts with the identifier id
 * (including its NUL). */
static int
has_id(const unsigned char *q, size_t n, const char *id, size_t idlen)
{
	return n >= idlen && memcmp(q, id, idlen) == 0;
}

/* Whether the segment of marker m with payload q (n bytes) is kept: an
 * APPn only for what decoding needs, a comment never. */
static int
jpeg_keep(unsigned char m, const unsigned char *q, size_t n)
{
	if (m == 0xFE)
		return 0;
	if (m < 0xE0 || m > 0xEF)
		return 1;
	if (m == 0xE0)
		return has_id(q, n, "JFIF", 5);
	if (m == 0xE2)
		return has_id(q, n, "ICC_PROFILE", 12);
	if (m == 0xEE)
		return has_id(q, n, "Adobe", 5);
	return 0;
}

static int
is_sof(unsigned char m)
{
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

/* The end of the entropy-coded data starting at p: the next marker that
 * is not a stuffed zero or a restart marker. n when none (truncated). */
static size_t
scan_end(const unsigned char *in, size_t p, size_t n)
{
	while (p + 1 < n) {
		if (in[p] != 0xFF) {
			p++;
			continue;
		}
		if (in[p + 1] == 0x00 || (in[p + 1] >= 0xD0 && in[p + 1] <= 0xD7)) {
			p += 2;
			continue;
		}
		return p;
	}
	return n;
}

/* One marker segment at in[p] (p at its 0xFF): copied or dropped, with a
 * scan's data after an SOS. The position after it, or 0 when bad. */
static size_t
jpeg_segment(const unsigned char *in, size_t n, size_t p, struct sink *s, int *sof, int *eoi)
{
	unsigned char m;
	size_t len, end;

	while (p < n && in[p] == 0xFF)    /* fill bytes before a marker */
		p++;
	if (p >= n || p < 1 || in[p - 1] != 0xFF)
		return 0;
	m = in[p++];
	if (m == 0xD9) {
		*eoi = 1;
		return put(s, (const unsigned char *)"\xFF\xD9", 2) == 0 ? p : 0;
	}
	if (m == 0x00 || m == 0xD8 || (m >= 0xD0 && m <= 0xD7) || p + 2 > n)
		return 0;
	len = be16(in + p);
	if (len < 2 || len > n - p)
		return 0;
	end = p + len;
	if (is_sof(m)) {
		if (len < 8)
			return 0;
		*sof = 1;
	}
	if (jpeg_keep(m, in + p + 2, len - 2) &&
	    (put(s, in + p - 2, 2) != 0 || put(s, in + p, len) != 0))
		return 0;
	if (m == 0xDA) {
		size_t e = scan_end(in, end, n);
		if (!*sof || e >= n || put(s, in + end, e - end) != 0)
			return 0;
		end = e;
	}
	return end;
}

enum imgclean_status
imgclean_jpeg(const unsigned char *in, size_t n, unsigned char *out, size_t *outn)
{
	struct sink s = { out, 0, n };
	int sof = 0, eoi = 0;
	size_t p = 2;

	*outn = 0;
	if (n < 4 || in[0] != 0xFF || in[1] != 0xD8 || put(&s, in, 2) != 0)
		return IMGCLEAN_BAD;
	while (!eoi) {
		if (p >= n || in[p] != 0xFF || (p = jpeg_segment(in, n, p, &s, &sof, &eoi)) == 0)
			return IMGCLEAN_BAD;
	}
	if (!sof)
		return IMGCLEAN_BAD;
	*outn = s.len;
	return IMGCLEAN_OK;
}

/* ---- PNG ---- */

static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

/* CRC-32 (ISO 3309, as PNG uses it), four bits at a time. */
static unsigned long
crc32_of(const unsigned char *p, size_t n)
{
	static const unsigned long t[16] = {
		0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
		0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
		0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
	};
	unsigned long c = 0xffffffffUL;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		c = (c >> 4) ^ t[c & 15];
		c = (c >> 4) ^ t[c & 15];
	}
	return c ^ 0xffffffffUL;
}

/* Ancillary chunks that only say how to show the pixels. */
static const char *const png_kept[] = {
	"tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "bKGD", "pHYs", NULL,
};

/* 1 keep, 0 drop, -1 refuse (an unknown critical chunk). */
static int
png_keep(const unsigned char *type)
{
	if (memcmp(type, "IHDR", 4) == 0 || memcmp(type, "PLTE", 4) == 0 ||
	    memcmp(type, "IDAT", 4) == 0 || memcmp(type, "IEND", 4) == 0)
		return 1;
	if (!(type[0] & 0x20))
		return -1;
	for (size_t i = 0; png_kept[i]; i++)
		if (memcmp(type, png_kept[i], 4) == 0)
			return 1;
	return 0;
}

static int
png_type_ok(const unsigned char *t)
{
	for (int i = 0; i < 4; i++)
		if (!((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= 'a' && t[i] <= 'z')))
			return 0;
	return 1;
}

enum imgclean_status
imgclean_png(const unsigned char *in, size_t n, unsigned char *out, size_t *outn)
{
	struct sink s = { out, 0, n };
	int chunks = 0, idat = 0, keep;
	size_t p = sizeof(png_sig);

	*outn = 0;
	if (n < sizeof(png_sig) || memcmp(in, png_sig, sizeof(png_sig)) != 0 ||
	    put(&s, in, sizeof(png_sig)) != 0)
		return IMGCLEAN_BAD;
	for (;;) {
		const unsigned char *c = in + p;
		unsigned long len;
		if (n - p < 12 || (len = be32(c)) > 0x7fffffffUL || len > n - p - 12 ||
		    !png_type_ok(c + 4) || crc32_of(c + 4, len + 4) != be32(c + 8 + len))
			return IMGCLEAN_BAD;
		if ((chunks++ == 0) != (memcmp(c + 4, "IHDR", 4) == 0) ||
		    (memcmp(c + 4, "IHDR", 4) == 0 && len != 13) || (keep = png_keep(c + 4)) < 0)
			return IMGCLEAN_BAD;
		idat |= memcmp(c + 4, "IDAT", 4) == 0;
		if (keep && put(&s, c, len + 12) != 0)
			return IMGCLEAN_BAD;
		p += len + 12;
		if (memcmp(c + 4, "IEND", 4) == 0)
			break;
	}
	if (!idat)
		return IMGCLEAN_BAD;
	*outn = s.len;
	return IMGCLEAN_OK;
}

/* ---- PDF ---- */

enum imgclean_status
imgclean_pdf(const unsigned char *in, size_t n, unsigned char *out, size_t *outn)
{
	size_t from = n > 1024 ? n - 1024 : 0;
	int found = 0;

	*outn = 0;
	if (n < 13 || memcmp(in, "%PDF-", 5) != 0 || in[5] < '0' || in[5] > '9' || in[6] != '.' ||
	    in[7] < '0' || in[7] > '9')
		return IMGCLEAN_BAD;
	for (size_t i = from; i + 5 <= n && !found; i++)
		found = memcmp(in + i, "%%EOF", 5) == 0;
	if (!found)
		return IMGCLEAN_BAD;
	memcpy(out, in, n);
	*outn = n;
	return IMGCLEAN_OK;
}

enum imgclean_status
imgclean_file(enum doc_type t, const unsigned char *in, size_t n, unsigned char *out,
              size_t *outn)
{
	*outn = 0;
	switch (t) {
	case DOC_JPEG: return imgclean_jpeg(in, n, out, outn);
	case DOC_PNG: return imgclean_png(in, n, out, outn);
	case DOC_PDF: return imgclean_pdf(in, n, out, outn);
	default: return IMGCLEAN_BAD;
	}
}
