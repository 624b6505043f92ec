/* test_docmeta: document types by magic number (never by name or the
 * client's type) and the Content-Disposition a download is sent with. */
#include <check.h>

#include "../check_util.h"
#include <string.h>

#include "lib/docmeta.h"

START_TEST(test_sniff_by_magic)
{
	const unsigned char pdf[] = "%PDF-1.7\n", jpeg[] = { 0xff, 0xd8, 0xff, 0xe1, 0 };
	const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0 };
	const unsigned char exe[] = "MZ\x90", html[] = "<!DOCTYPE html>", gif[] = "GIF89a";
	const unsigned char bad_png[] = { 0x89, 'P', 'N', 'G', '\n', '\n', 0x1a, '\n', 0 };

	ck_assert_int_eq(docmeta_sniff(pdf, sizeof(pdf) - 1), DOC_PDF);
	ck_assert_int_eq(docmeta_sniff(jpeg, 4), DOC_JPEG);
	ck_assert_int_eq(docmeta_sniff(png, 8), DOC_PNG);
	ck_assert_int_eq(docmeta_sniff(exe, 3), DOC_UNKNOWN);
	ck_assert_int_eq(docmeta_sniff(html, sizeof(html) - 1), DOC_UNKNOWN);
	ck_assert_int_eq(docmeta_sniff(gif, 6), DOC_UNKNOWN);
	ck_assert_int_eq(docmeta_sniff(bad_png, 8), DOC_UNKNOWN);   /* LF-mangled in transfer */
	ck_assert_int_eq(docmeta_sniff(pdf, 4), DOC_UNKNOWN);       /* "%PDF" alone is too short */
	ck_assert_int_eq(docmeta_sniff(png, 7), DOC_UNKNOWN);
	ck_assert_int_eq(docmeta_sniff(NULL, 0), DOC_UNKNOWN);
	ck_assert_int_eq(docmeta_sniff((const unsigned char *)" %PDF-1.4", 9), DOC_UNKNOWN);
}
END_TEST

START_TEST(test_media_types_round_trip)
{
	for (int t = DOC_UNKNOWN + 1; t < DOC__MAX; t++)
		ck_assert_int_eq(docmeta_from_media_type(docmeta_media_type((enum doc_type)t)), t);
	ck_assert_ptr_null(docmeta_media_type(DOC_UNKNOWN));
	ck_assert_int_eq(docmeta_from_media_type("text/html"), DOC_UNKNOWN);
	ck_assert_int_eq(docmeta_from_media_type(NULL), DOC_UNKNOWN);
	ck_assert_str_eq(docmeta_extension(DOC_JPEG), ".jpg");
	ck_assert_str_eq(docmeta_extension(DOC__MAX), "");
}
END_TEST

START_TEST(test_disposition)
{
	char out[512];

	ck_assert_int_eq(docmeta_disposition("Informe-2026", DOC_PDF, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "attachment; filename=\"Informe-2026.pdf\"");
	/* Spaces become '_' in the ASCII name; the title goes in filename*. */
	ck_assert_int_eq(docmeta_disposition("Blood test March", DOC_PNG, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "attachment; filename=\"Blood_test_March.png\"; "
	                      "filename*=UTF-8''Blood%20test%20March.png");
	ck_assert_int_eq(docmeta_disposition("Análisis", DOC_PDF, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "attachment; filename=\"An_lisis.pdf\"; filename*=UTF-8''An%C3%A1lisis.pdf");
	/* Quotes, slashes, dots at the start, control-free but hostile. */
	ck_assert_int_eq(docmeta_disposition("../\"evil\";\\x.html", DOC_JPEG, out, sizeof(out)), 0);
	ck_assert_ptr_eq(strstr(out, "filename=\"evil_x.html.jpg\""), out + strlen("attachment; "));
	ck_assert_ptr_null(strchr(out + strlen("attachment; filename=\"evil_x.html.jpg\""), '"'));
	/* Nothing ASCII left: a neutral name. */
	ck_assert_int_eq(docmeta_disposition("日本", DOC_PNG, out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "filename=\"document.png\""));
	ck_assert_int_eq(docmeta_disposition("x", DOC_PDF, out, 10), -1);
}
END_TEST

START_TEST(test_long_titles_are_cut)
{
	char title[201], out[1024], want[80];

	memset(title, 'a', 200);
	title[200] = '\0';
	ck_assert_int_eq(docmeta_disposition(title, DOC_PDF, out, sizeof(out)), 0);
	memcpy(want, "filename=\"", 10);
	memset(want + 10, 'a', 60);
	strcpy(want + 70, ".pdf\";");
	ck_assert_ptr_nonnull(strstr(out, want));
	/* The whole title still travels in filename*. */
	ck_assert_ptr_nonnull(strstr(out, title));
}
END_TEST

int
main(void)
{
	return tcase_run_alone("docmeta", tcase_list_add(tcase_create("core"), test_sniff_by_magic,
	                                                 test_media_types_round_trip, test_disposition,
	                                                 test_long_titles_are_cut, NULL));
}
