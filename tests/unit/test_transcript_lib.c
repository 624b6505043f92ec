/* test_transcript_lib: the pure parts of the consultation transcript: an
 * audio chunk's type is told from its bytes (WebM by its EBML DocType, Ogg
 * by its first page's Opus or Vorbis header; a WAV, a renamed text or a
 * Matroska video is not accepted), and a speech-to-text command's lines
 * give their offset and text ("SECONDS<TAB>TEXT" or plain text). */
#include <check.h>

#include "../check_util.h"
#include <string.h>

#include "lib/audiotype.h"
#include "lib/sttline.h"

/* A 64-byte header: prefix, then zeros, with mark placed at 40. */
static enum audio_type
sniff(const char *prefix, size_t plen, const char *mark)
{
	unsigned char b[64] = { 0 };

	memcpy(b, prefix, plen);
	if (mark)
		memcpy(b + 40, mark, strlen(mark));
	return audio_sniff(b, sizeof(b));
}

START_TEST(test_sniff)
{
	ck_assert_int_eq(sniff("\x1a\x45\xdf\xa3\x42\x82\x84webm", 12, NULL), AUDIO_WEBM);
	ck_assert_int_eq(sniff("\x1a\x45\xdf\xa3\x42\x82\x88matroska", 16, NULL), AUDIO_UNKNOWN);
	ck_assert_int_eq(sniff("OggS\0\x02", 6, "OpusHead"), AUDIO_OGG);
	ck_assert_int_eq(sniff("OggS\0\x02", 6, "\x01vorbis"), AUDIO_OGG);
	ck_assert_int_eq(sniff("OggS\0\x02", 6, "\x80theora"), AUDIO_UNKNOWN);   /* a video */
	ck_assert_int_eq(sniff("RIFF\0\0\0\0WAVEfmt ", 16, NULL), AUDIO_UNKNOWN);
	ck_assert_int_eq(sniff("webm OpusHead as text", 21, NULL), AUDIO_UNKNOWN);
	ck_assert_int_eq(audio_sniff((const unsigned char *)"OggS", 4), AUDIO_UNKNOWN);   /* too short */
	ck_assert_str_eq(audio_media_type(AUDIO_WEBM), "audio/webm");
	ck_assert_str_eq(audio_media_type(AUDIO_OGG), "audio/ogg");
	ck_assert_ptr_null(audio_media_type(AUDIO_UNKNOWN));
}
END_TEST

/* sttline_parse on a copy of s: "offset|text" or "-" for no text. */
static const char *
line(const char *s)
{
	static char buf[4096], out[4200];
	const char *text;
	double offset;

	snprintf(buf, sizeof(buf), "%s", s);
	if (!sttline_parse(buf, &offset, &text))
		return "-";
	snprintf(out, sizeof(out), "%.2f|%s", offset, text);
	return out;
}

START_TEST(test_lines)
{
	ck_assert_str_eq(line("1.760\tstarted three days ago"), "1.76|started three days ago");
	ck_assert_str_eq(line("i have a headache"), "0.00|i have a headache");
	ck_assert_str_eq(line("3 days\tof fever"), "0.00|3 days of fever");     /* not a number: text */
	ck_assert_str_eq(line("2\t  spaced out \r"), "2.00|spaced out");
	ck_assert_str_eq(line("1.2.3\tx"), "0.00|1.2.3 x");
	ck_assert_str_eq(line("4\t"), "-");
	ck_assert_str_eq(line("   "), "-");
	ck_assert_str_eq(line("0\tdolor de cabeza, fiebre"), "0.00|dolor de cabeza, fiebre");
	ck_assert_str_eq(line("0\tbad \xff byte"), "-");
}
END_TEST

START_TEST(test_long_line_cut_on_a_character)
{
	char s[STTLINE_TEXT_MAX + 40];
	size_t n = 0;
	const char *text;
	double offset;

	while (n + 2 < sizeof(s) - 1) {     /* "é" is two bytes */
		s[n++] = (char)0xc3;
		s[n++] = (char)0xa9;
	}
	s[n] = '\0';
	ck_assert_int_eq(sttline_parse(s, &offset, &text), 1);
	ck_assert_uint_le(strlen(text), STTLINE_TEXT_MAX);
	ck_assert_uint_eq(strlen(text) % 2, 0);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("transcript_lib");

	tcase_add_test(tc, test_sniff);
	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_long_line_cut_on_a_character);
	return tcase_run_alone("transcript_lib", tc);
}
