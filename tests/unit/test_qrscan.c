/* test_qrscan: reading a QR code from the photos a pharmacist uploads,
 * made at test time with the real tools (qrencode for a clean PNG,
 * ImageMagick for phone-photo-like JPEGs: rotated, blurred, low contrast,
 * large); and the refusals: not an image, a damaged one, a decompression
 * bomb (a small file announcing a huge picture), no code, a code too long
 * for the caller's buffer. */
#include <check.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../check_util.h"
#include "lib/qrscan.h"

#define URL "https://clinica.example.org/rx/v/AEBAGBAFAYDQQCIKBMGA2DQPCAIREEYUCULBOGAZDINRYHI6D4QCAIREEYUCULBOGAZ"

static char dir[64];
static char text[QRSCAN_TEXT_MAX + 1];

static void
setup(void)
{
	strcpy(dir, "/tmp/medsys-qrscan-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	char *out;

	check_runf(&out, "rm -rf '%s'", dir);
	free(out);
}

/* Run a shell command (printf-like); it must succeed. */
#define SH(...) do { \
		char *out_; \
		int st_ = check_runf(&out_, __VA_ARGS__); \
		ck_assert_msg(st_ == 0, "exit %d: %s", st_, out_); \
		free(out_); \
	} while (0)

/* qrscan_decode over the file dir/name. */
static enum qrscan_status
scan_file(const char *name, size_t outlen)
{
	char path[128];
	size_t len;
	unsigned char *buf;
	enum qrscan_status st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	buf = check_slurp(path, QRSCAN_MAX_BYTES + 1, &len);
	st = qrscan_decode(buf, len, text, outlen);
	free(buf);
	return st;
}

static void
make_qr_png(void)
{
	SH("qrencode -l M -s 6 -m 4 -o '%s/qr.png' '%s' 2>&1", dir, URL);
}

START_TEST(test_clean_png)
{
	make_qr_png();
	ck_assert_int_eq(scan_file("qr.png", sizeof(text)), QRSCAN_OK);
	ck_assert_str_eq(text, URL);
}
END_TEST

/* Transparent where the paper is: laid on white, not on black. */
START_TEST(test_transparent_png)
{
	SH("qrencode -l M -s 6 --background=FFFFFF00 -o '%s/qr.png' '%s' 2>&1", dir, URL);
	ck_assert_int_eq(scan_file("qr.png", sizeof(text)), QRSCAN_OK);
	ck_assert_str_eq(text, URL);
}
END_TEST

START_TEST(test_phone_photo_jpeg)
{
	make_qr_png();
	SH("convert '%s/qr.png' -resize 300%% -background white -rotate 7 -blur 0x1.5 +level 20%%,80%% "
	   "-attenuate 0.3 +noise Gaussian -quality 60 '%s/photo.jpg' 2>&1", dir, dir);
	ck_assert_int_eq(scan_file("photo.jpg", sizeof(text)), QRSCAN_OK);
	ck_assert_str_eq(text, URL);
}
END_TEST

/* A CMYK JPEG, as print software writes them (Adobe, inverted). */
START_TEST(test_cmyk_jpeg)
{
	make_qr_png();
	SH("convert '%s/qr.png' -colorspace CMYK -quality 85 '%s/cmyk.jpg' 2>&1", dir, dir);
	ck_assert_int_eq(scan_file("cmyk.jpg", sizeof(text)), QRSCAN_OK);
	ck_assert_str_eq(text, URL);
}
END_TEST

/* A 12-megapixel photo with the code in the middle third: read at a
 * reduced scale (libjpeg's 1/2), and the same as a large PNG (shrunk). */
START_TEST(test_large_photos_are_scaled_down)
{
	make_qr_png();
	SH("convert -size 4000x3000 xc:'#d8d4cc' \\( '%s/qr.png' -scale 400%% \\) -gravity center "
	   "-composite -rotate 3 -quality 75 '%s/big.jpg' 2>&1", dir, dir);
	ck_assert_int_eq(scan_file("big.jpg", sizeof(text)), QRSCAN_OK);
	ck_assert_str_eq(text, URL);
	SH("convert '%s/big.jpg' -crop 3000x3000+500+0 +repage '%s/big.png' 2>&1", dir, dir);
	ck_assert_int_eq(scan_file("big.png", sizeof(text)), QRSCAN_OK);
	ck_assert_str_eq(text, URL);
}
END_TEST

START_TEST(test_not_an_image)
{
	static const unsigned char gif[] = "GIF89a\x01\x00\x01\x00\x00\x00\x00;";
	static const unsigned char pdf[] = "%PDF-1.4\n";

	ck_assert_int_eq(qrscan_decode(gif, sizeof(gif) - 1, text, sizeof(text)), QRSCAN_NOT_IMAGE);
	ck_assert_int_eq(qrscan_decode(pdf, sizeof(pdf) - 1, text, sizeof(text)), QRSCAN_NOT_IMAGE);
	ck_assert_int_eq(qrscan_decode(pdf, 0, text, sizeof(text)), QRSCAN_NOT_IMAGE);
	ck_assert_int_eq(qrscan_decode(NULL, 0, text, sizeof(text)), QRSCAN_NOT_IMAGE);
	ck_assert_str_eq(text, "");
}
END_TEST

/* Damaged files: a PNG signature on garbage; a JPEG cut inside its header. */
START_TEST(test_damaged_images)
{
	unsigned char buf[64];
	size_t len;

	memcpy(buf, "\x89PNG\r\n\x1a\n", 8);
	memset(buf + 8, 0x5a, sizeof(buf) - 8);
	ck_assert_int_eq(qrscan_decode(buf, sizeof(buf), text, sizeof(text)), QRSCAN_BAD_IMAGE);
	make_qr_png();
	SH("convert '%s/qr.png' -quality 90 '%s/qr.jpg' 2>&1", dir, dir);
	{
		char path[128];
		unsigned char *jpg;
		snprintf(path, sizeof(path), "%s/qr.jpg", dir);
		jpg = check_slurp(path, 1 << 20, &len);
		ck_assert_int_eq(qrscan_decode(jpg, 40, text, sizeof(text)), QRSCAN_BAD_IMAGE);
		ck_assert_int_eq(qrscan_decode(jpg, len, text, sizeof(text)), QRSCAN_OK);
		free(jpg);
	}
}
END_TEST

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* A PNG of 47 bytes that announces w x h grey pixels. */
static size_t
png_header(unsigned char *p, uint32_t w, uint32_t h)
{
	memcpy(p, "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
	put32(p + 16, w);
	put32(p + 20, h);
	memcpy(p + 24, "\x08\x00\x00\x00\x00", 5);            /* 8-bit grey */
	put32(p + 29, (uint32_t)crc32(0, p + 12, 17));
	memcpy(p + 33, "\0\0\0\x02IDAT\x78\x9c", 10);   /* the start of a zlib stream */
	put32(p + 43, (uint32_t)crc32(0, p + 37, 6));
	return 47;
}

/* Small files announcing huge pictures are refused before any pixel is
 * allocated: by pixels (7000 x 7000 = 49 MP) and by side (20000 x 100). */
START_TEST(test_decompression_bombs)
{
	unsigned char png[64], *jpg;
	size_t len, sof;
	char path[128];

	ck_assert_int_eq(qrscan_decode(png, png_header(png, 7000, 7000), text, sizeof(text)), QRSCAN_TOO_LARGE);
	ck_assert_int_eq(qrscan_decode(png, png_header(png, 20000, 100), text, sizeof(text)), QRSCAN_TOO_LARGE);
	ck_assert_int_eq(qrscan_decode(png, png_header(png, 6000, 6000), text, sizeof(text)), QRSCAN_BAD_IMAGE);
	/* A real JPEG whose frame header is made to say 7000 x 7000. */
	make_qr_png();
	SH("convert '%s/qr.png' -quality 90 '%s/qr.jpg' 2>&1", dir, dir);
	snprintf(path, sizeof(path), "%s/qr.jpg", dir);
	jpg = check_slurp(path, 1 << 20, &len);
	for (sof = 2; sof + 9 < len && !(jpg[sof] == 0xff && jpg[sof + 1] == 0xc0); sof++)
		;
	ck_assert_uint_lt(sof + 9, len);
	jpg[sof + 5] = jpg[sof + 7] = 7000 >> 8;
	jpg[sof + 6] = jpg[sof + 8] = 7000 & 0xff;
	ck_assert_int_eq(qrscan_decode(jpg, len, text, sizeof(text)), QRSCAN_TOO_LARGE);
	free(jpg);
	/* And a file over the byte limit, whatever it holds. */
	jpg = calloc(1, QRSCAN_MAX_BYTES + 1);
	ck_assert_ptr_nonnull(jpg);
	memcpy(jpg, "\xff\xd8\xff", 3);
	ck_assert_int_eq(qrscan_decode(jpg, QRSCAN_MAX_BYTES + 1, text, sizeof(text)), QRSCAN_TOO_LARGE);
	free(jpg);
}
END_TEST

START_TEST(test_no_code_and_too_long)
{
	SH("convert -size 640x480 xc:white -fill black -draw 'rectangle 100,100 300,300' '%s/blank.png' 2>&1", dir);
	ck_assert_int_eq(scan_file("blank.png", sizeof(text)), QRSCAN_NO_CODE);
	make_qr_png();
	ck_assert_int_eq(scan_file("qr.png", strlen(URL)), QRSCAN_TEXT_TOO_LONG);   /* no room for the NUL */
	ck_assert_str_eq(text, "");
	ck_assert_int_eq(scan_file("qr.png", strlen(URL) + 1), QRSCAN_OK);
}
END_TEST

START_TEST(test_status_names)
{
	ck_assert_str_eq(qrscan_status_name(QRSCAN_OK), "ok");
	ck_assert_str_eq(qrscan_status_name(QRSCAN_TOO_LARGE), "too_large");
	ck_assert_str_eq(qrscan_status_name(QRSCAN_NO_CODE), "no_code");
	for (int i = 0; i < QRSCAN__MAX; i++)
		ck_assert_ptr_nonnull(qrscan_status_name((enum qrscan_status)i));
	ck_assert_str_eq(qrscan_status_name(QRSCAN__MAX), "unknown");
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("qrscan");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	return tcase_run_alone("qrscan", tcase_list_add(tc, test_clean_png, test_transparent_png,
	        test_phone_photo_jpeg, test_cmyk_jpeg, test_large_photos_are_scaled_down, test_not_an_image,
	        test_damaged_images, test_decompression_bombs, test_no_code_and_too_long, test_status_names,
	        NULL));
}
