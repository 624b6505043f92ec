/* test_imgclean: what a photo keeps and loses before it is stored (EXIF,
 * GPS, XMP, comments, text chunks and trailing bytes gone; the image's
 * own segments and chunks byte for byte), and which files are refused. */
#include <check.h>

#include "../check_util.h"
#include <stdlib.h>
#include <string.h>

#include "lib/imgclean.h"

/* CRC-32 bit by bit (independent of the library's table). */
static unsigned long
crc(const unsigned char *p, size_t n)
{
	unsigned long c = 0xffffffffUL;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320UL & (0UL - (c & 1)));
	}
	return c ^ 0xffffffffUL;
}

/* Append a PNG chunk of type t with data d (n bytes) at b+*len. */
static void
chunk(unsigned char *b, size_t *len, const char *t, const void *d, size_t n)
{
	unsigned char *c = b + *len;
	unsigned long v;

	c[0] = (unsigned char)(n >> 24); c[1] = (unsigned char)(n >> 16);
	c[2] = (unsigned char)(n >> 8); c[3] = (unsigned char)n;
	memcpy(c + 4, t, 4);
	memcpy(c + 8, d, n);
	v = crc(c + 4, n + 4);
	c[8 + n] = (unsigned char)(v >> 24); c[9 + n] = (unsigned char)(v >> 16);
	c[10 + n] = (unsigned char)(v >> 8); c[11 + n] = (unsigned char)v;
	*len += n + 12;
}

static const unsigned char ihdr[13] = { 0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0 };
static const unsigned char idat[] = { 0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01 };

static size_t
png_start(unsigned char *b)
{
	size_t len = 8;

	memcpy(b, "\x89PNG\r\n\x1a\n", 8);
	chunk(b, &len, "IHDR", ihdr, sizeof(ihdr));
	return len;
}

START_TEST(test_png_text_and_exif_dropped)
{
	unsigned char in[512], want[512], out[512];
	size_t n, w, outn = 99;

	n = png_start(in);
	w = png_start(want);
	chunk(in, &n, "tEXt", "Author\0Dr. Who", 14);
	chunk(in, &n, "gAMA", "\0\0\xb1\x8f", 4);
	chunk(want, &w, "gAMA", "\0\0\xb1\x8f", 4);
	chunk(in, &n, "eXIf", "MM\0*GPSLatitude", 15);
	chunk(in, &n, "iTXt", "XML:com.adobe.xmp\0\0\0\0\0<x/>", 26);
	chunk(in, &n, "tIME", "\x07\xea\x0c\x07\x17\x00\x00", 7);
	chunk(in, &n, "IDAT", idat, sizeof(idat));
	chunk(want, &w, "IDAT", idat, sizeof(idat));
	chunk(in, &n, "IEND", "", 0);
	chunk(want, &w, "IEND", "", 0);
	memcpy(in + n, "<script>alert(1)</script>", 25);   /* after IEND */
	n += 25;
	ck_assert_int_eq(imgclean_png(in, n, out, &outn), IMGCLEAN_OK);
	ck_assert_uint_eq(outn, w);
	ck_assert_mem_eq(out, want, w);
	ck_assert_int_eq(imgclean_file(DOC_PNG, in, n, out, &outn), IMGCLEAN_OK);
}
END_TEST

START_TEST(test_png_refused)
{
	unsigned char in[512], out[512];
	size_t n, outn = 99;

	n = png_start(in);
	chunk(in, &n, "IDAT", idat, sizeof(idat));
	chunk(in, &n, "IEND", "", 0);
	ck_assert_int_eq(imgclean_png(in, n, out, &outn), IMGCLEAN_OK);
	for (size_t k = 0; k < n; k++)   /* truncated anywhere */
		ck_assert_int_eq(imgclean_png(in, k, out, &outn), IMGCLEAN_BAD);
	ck_assert_uint_eq(outn, 0);
	in[40] ^= 1;                     /* IDAT's data: its CRC no longer matches */
	ck_assert_int_eq(imgclean_png(in, n, out, &outn), IMGCLEAN_BAD);
	in[40] ^= 1;
	n = png_start(in);               /* no IDAT */
	chunk(in, &n, "IEND", "", 0);
	ck_assert_int_eq(imgclean_png(in, n, out, &outn), IMGCLEAN_BAD);
	n = png_start(in);               /* an unknown critical chunk */
	chunk(in, &n, "ZZZZ", "x", 1);
	chunk(in, &n, "IDAT", idat, sizeof(idat));
	chunk(in, &n, "IEND", "", 0);
	ck_assert_int_eq(imgclean_png(in, n, out, &outn), IMGCLEAN_BAD);
	n = 8;                           /* IDAT before IHDR */
	memcpy(in, "\x89PNG\r\n\x1a\n", 8);
	chunk(in, &n, "IDAT", idat, sizeof(idat));
	chunk(in, &n, "IHDR", ihdr, sizeof(ihdr));
	chunk(in, &n, "IEND", "", 0);
	ck_assert_int_eq(imgclean_png(in, n, out, &outn), IMGCLEAN_BAD);
}
END_TEST

/* A baseline JPEG's skeleton: the segments kept, in order. */
static const unsigned char jfif[] = { 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0 };
static const unsigned char dqt[] = { 0xFF, 0xDB, 0x00, 0x05, 0x00, 0x01, 0x02 };
static const unsigned char sof[] = { 0xFF, 0xC0, 0x00, 0x0B, 8, 0, 1, 0, 1, 1, 1, 0x11, 0 };
static const unsigned char sos[] = { 0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 0x3F, 0 };
/* Entropy-coded data with a stuffed 0xFF and a restart marker inside. */
static const unsigned char scan[] = { 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56 };
static const unsigned char exif[] = { 0xFF, 0xE1, 0x00, 0x13, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, '*',
                                      'G', 'P', 'S', ' ', '4', '0', 'N' };
static const unsigned char com[] = { 0xFF, 0xFE, 0x00, 0x10, '<', 'h', 't', 'm', 'l', '>', '<', 's', 'c',
                                     'r', 'i', 'p', 't', '>' };
static const unsigned char xmp[] = { 0xFF, 0xE1, 0x00, 0x0A, 'h', 't', 't', 'p', ':', '/', '/', 'n' };

static void
add(unsigned char *b, size_t *n, const unsigned char *p, size_t len)
{
	memcpy(b + *n, p, len);
	*n += len;
}

START_TEST(test_jpeg_metadata_dropped)
{
	unsigned char in[512], want[512], out[512];
	size_t n = 0, w = 0, outn = 0;

	add(in, &n, (const unsigned char *)"\xFF\xD8", 2);
	add(want, &w, (const unsigned char *)"\xFF\xD8", 2);
	add(in, &n, jfif, sizeof(jfif));
	add(want, &w, jfif, sizeof(jfif));
	add(in, &n, exif, sizeof(exif));
	add(in, &n, xmp, sizeof(xmp));
	add(in, &n, com, sizeof(com));
	add(in, &n, dqt, sizeof(dqt));
	add(want, &w, dqt, sizeof(dqt));
	add(in, &n, (const unsigned char *)"\xFF\xFF", 2);   /* fill bytes before a marker */
	add(in, &n, sof, sizeof(sof));
	add(want, &w, sof, sizeof(sof));
	add(in, &n, sos, sizeof(sos));
	add(want, &w, sos, sizeof(sos));
	add(in, &n, scan, sizeof(scan));
	add(want, &w, scan, sizeof(scan));
	add(in, &n, (const unsigned char *)"\xFF\xD9<html>polyglot</html>", 23);
	add(want, &w, (const unsigned char *)"\xFF\xD9", 2);
	ck_assert_int_eq(imgclean_jpeg(in, n, out, &outn), IMGCLEAN_OK);
	ck_assert_uint_eq(outn, w);
	ck_assert_mem_eq(out, want, w);
	ck_assert_ptr_null(memmem(out, outn, "GPS", 3));
	ck_assert_ptr_null(memmem(out, outn, "<html>", 6));
}
END_TEST

START_TEST(test_jpeg_refused)
{
	unsigned char in[512], out[512];
	size_t n = 0, outn = 7;

	add(in, &n, (const unsigned char *)"\xFF\xD8", 2);
	add(in, &n, sof, sizeof(sof));
	add(in, &n, sos, sizeof(sos));
	add(in, &n, scan, sizeof(scan));
	add(in, &n, (const unsigned char *)"\xFF\xD9", 2);
	ck_assert_int_eq(imgclean_jpeg(in, n, out, &outn), IMGCLEAN_OK);
	ck_assert_uint_eq(outn, n);
	for (size_t k = 0; k < n; k++)   /* truncated anywhere: no EOI */
		ck_assert_int_eq(imgclean_jpeg(in, k, out, &outn), IMGCLEAN_BAD);
	n = 0;                           /* a scan without a frame header */
	add(in, &n, (const unsigned char *)"\xFF\xD8", 2);
	add(in, &n, sos, sizeof(sos));
	add(in, &n, scan, sizeof(scan));
	add(in, &n, (const unsigned char *)"\xFF\xD9", 2);
	ck_assert_int_eq(imgclean_jpeg(in, n, out, &outn), IMGCLEAN_BAD);
	/* HTML after a JPEG's magic number only */
	ck_assert_int_eq(imgclean_jpeg((const unsigned char *)"\xFF\xD8\xFF<html>", 9, out, &outn),
	                 IMGCLEAN_BAD);
	in[0] = 0xFF; in[1] = 0xD8; in[2] = 0xFF; in[3] = 0xE1; in[4] = 0xFF; in[5] = 0xFF;
	ck_assert_int_eq(imgclean_jpeg(in, 6, out, &outn), IMGCLEAN_BAD);   /* length past the end */
}
END_TEST

START_TEST(test_pdf_outline)
{
	const char ok[] = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";
	unsigned char out[128];
	size_t outn = 0;

	ck_assert_int_eq(imgclean_pdf((const unsigned char *)ok, strlen(ok), out, &outn), IMGCLEAN_OK);
	ck_assert_uint_eq(outn, strlen(ok));
	ck_assert_mem_eq(out, ok, outn);
	ck_assert_int_eq(imgclean_pdf((const unsigned char *)ok, strlen(ok) - 4, out, &outn),
	                 IMGCLEAN_BAD);   /* truncated */
	ck_assert_int_eq(imgclean_pdf((const unsigned char *)"%PDF-x.4 <html> %%EOF", 21, out, &outn),
	                 IMGCLEAN_BAD);
	ck_assert_int_eq(imgclean_file(DOC_UNKNOWN, (const unsigned char *)ok, strlen(ok), out, &outn),
	                 IMGCLEAN_BAD);
}
END_TEST

int
main(void)
{
	return tcase_run_alone("imgclean", tcase_list_add(tcase_create("core"), test_png_text_and_exif_dropped,
	                                                  test_png_refused, test_jpeg_metadata_dropped,
	                                                  test_jpeg_refused, test_pdf_outline, NULL));
}
