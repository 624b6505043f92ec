/* test_pdfreport: UTF-8 to WinAnsi, and the sectioned PDF report checked
 * with real tools: qpdf --check (structure), pdftotext (the words, accents
 * included, and the page numbers), pdfinfo (pages, title). */
#include <check.h>

#include "../check_util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/pdfreport.h"
#include "lib/winansi.h"

static void
assert_winansi(const char *in, const char *want)
{
	char out[64];
	size_t n = winansi_from_utf8(in, out, sizeof(out));

	ck_assert_uint_eq(n, strlen(want));
	ck_assert_msg(memcmp(out, want, n + 1) == 0, "\"%s\" converted wrong", in);
}

START_TEST(test_winansi_spanish_and_symbols)
{
	assert_winansi("Hipertensión", "Hipertensi\xf3n");
	assert_winansi("ÁÉÍÓÚÜÑ áéíóúüñ ¿¡", "\xc1\xc9\xcd\xd3\xda\xdc\xd1 \xe1\xe9\xed\xf3\xfa\xfc\xf1 \xbf\xa1");
	assert_winansi("€ “a” ‘b’ – — • … ™", "\x80 \x93" "a\x94 \x91" "b\x92 \x96 \x97 \x95 \x85 \x99");
	assert_winansi("Œœ Šš Žž Ÿ ƒ", "\x8c\x9c \x8a\x9a \x8e\x9e \x9f \x83");
	assert_winansi("30 °C, 5 µg", "30 \xb0" "C, 5 \xb5g");
}
END_TEST

START_TEST(test_winansi_replaces_what_it_cannot_show)
{
	assert_winansi("a\xf0\x9f\x98\x80z", "a?z");        /* emoji: outside WinAnsi */
	assert_winansi("ж", "?");                          /* Cyrillic */
	assert_winansi("a\xc3", "a?");                     /* cut short */
	assert_winansi("\xc0\xaf", "??");                  /* overlong '/' */
	assert_winansi("\xed\xa0\x80", "???");             /* a surrogate */
	assert_winansi("\xff", "?");
	assert_winansi("a\tb\nc\x7f", "a b c ");           /* controls: spaces */
}
END_TEST

START_TEST(test_winansi_reports_the_length_it_needs)
{
	char out[4];

	ck_assert_uint_eq(winansi_from_utf8("ñandú", out, sizeof(out)), 5);
	ck_assert_str_eq(out, "\xf1" "an");
	ck_assert_uint_eq(winansi_from_utf8("", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(winansi_from_utf8("abc", out, 0), 3);
}
END_TEST

/* Render rep into a temporary file; its path (static). */
static const char *
render_to_file(const struct pdf_report *rep, size_t *size)
{
	static char path[] = "/tmp/medsys-pdfreport-XXXXXX";
	unsigned char *pdf = NULL;
	size_t len = 0;
	int fd;

	strcpy(path, "/tmp/medsys-pdfreport-XXXXXX");
	ck_assert_int_eq(pdf_report_render(rep, &pdf, &len), 0);
	ck_assert_uint_gt(len, 100);
	ck_assert_int_eq(memcmp(pdf, "%PDF-", 5), 0);
	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_int_eq(write(fd, pdf, len), (ssize_t)len);
	close(fd);
	free(pdf);
	*size = len;
	return path;
}

/* Run "prog path after" (stderr too); what it printed, malloc'd. It must
 * exit with want_status. */
static char *
tool(const char *prog, const char *path, const char *after, int want_status)
{
	char cmd[512], *out;
	int st;

	snprintf(cmd, sizeof(cmd), "%s %s %s 2>&1", prog, path, after);
	st = check_run(cmd, &out);
	ck_assert_msg(st == want_status, "%s: exit %d: %s", cmd, st, out);
	return out;
}

START_TEST(test_report_reads_back_with_accents)
{
	const char *problems[] = { "I10 Hipertensión esencial (primaria) · activa desde 2019-05-01",
	                           "E11.9 Diabetes mellitus tipo 2 — sin complicaciones" };
	const char *allergies[] = { "Penicilina: urticaria (moderada)" };
	const struct pdf_section secs[] = {
		{ "Problemas", problems, 2, NULL, 0 },
		{ "Alergias", allergies, 1, NULL, 0 },
		{ "Medicación", NULL, 0, "Ninguna registrada", 0 },
	};
	const struct pdf_report rep = { "Resumen de la historia clínica", "Ana Pérez Núñez · 14/03/1985",
	                                "MedSysPro · 2026-12-07", "página {n} de {total}", secs, 3, NULL };
	size_t size;
	const char *path = render_to_file(&rep, &size);
	char *out;

	free(tool("qpdf --check", path, "", 0));
	out = tool("pdftotext -enc UTF-8", path, "-", 0);
	ck_assert_ptr_nonnull(strstr(out, "Resumen de la historia clínica"));
	ck_assert_ptr_nonnull(strstr(out, "Ana Pérez Núñez"));
	ck_assert_ptr_nonnull(strstr(out, "Hipertensión esencial"));
	ck_assert_ptr_nonnull(strstr(out, "Diabetes mellitus tipo 2 — sin complicaciones"));
	ck_assert_ptr_nonnull(strstr(out, "Medicación"));
	ck_assert_ptr_nonnull(strstr(out, "Ninguna registrada"));
	ck_assert_ptr_nonnull(strstr(out, "página 1 de 1"));
	free(out);
	out = tool("pdfinfo", path, "", 0);
	ck_assert_ptr_nonnull(strstr(out, "Pages:"));
	ck_assert_int_eq(atoi(strstr(out, "Pages:") + strlen("Pages:")), 1);
	ck_assert_ptr_nonnull(strstr(out, "Resumen de la historia cl"));
	free(out);
	ck_assert_uint_lt(size, 20000);   /* base-14 fonts: no embedded font */
	unlink(path);
}
END_TEST

START_TEST(test_long_report_wraps_and_numbers_pages)
{
	enum { N = 150 };
	static char text[N][200];
	const char *lines[N];
	const struct pdf_section sec = { "Visitas", lines, N, NULL, 0 };
	const struct pdf_report rep = { "Record summary", NULL, "MedSysPro", "page {n} of {total}", &sec, 1, NULL };
	size_t size;
	const char *path;
	char *out;

	for (int i = 0; i < N; i++) {
		/* Every tenth line is long enough to wrap. */
		snprintf(text[i], sizeof(text[i]), "Visit %03d%s", i, i % 10 ? "" :
		         " with a note long enough that it cannot fit on one line of an A4 page"
		         " in ten point Helvetica and must wrap at a space");
		lines[i] = text[i];
	}
	path = render_to_file(&rep, &size);
	free(tool("qpdf --check", path, "", 0));
	out = tool("pdftotext -layout", path, "-", 0);
	ck_assert_ptr_nonnull(strstr(out, "Visit 000"));
	ck_assert_ptr_nonnull(strstr(out, "Visit 149"));
	ck_assert_ptr_nonnull(strstr(out, "wrap at a space"));   /* wrapped, not cut off */
	ck_assert_ptr_nonnull(strstr(out, "page 1 of 4"));
	ck_assert_ptr_nonnull(strstr(out, "page 4 of 4"));
	ck_assert_ptr_null(strstr(out, "page 5 of"));
	free(out);
	unlink(path);
}
END_TEST

/* A word wider than the page is cut rather than lost or looping. */
START_TEST(test_one_huge_word_is_cut)
{
	static char word[1500];
	const char *lines[1] = { word };
	const struct pdf_section sec = { "X", lines, 1, NULL, 0 };
	const struct pdf_report rep = { "T", NULL, NULL, NULL, &sec, 1, NULL };
	size_t size;
	const char *path;
	char *out;

	memset(word, 'W', sizeof(word) - 1);
	path = render_to_file(&rep, &size);
	out = tool("pdftotext", path, "-", 0);
	ck_assert_uint_ge(strspn(strstr(out, "WWWW"), "W\n"), sizeof(word) - 1);
	free(out);
	unlink(path);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_list_add(tcase_create("core"), test_winansi_spanish_and_symbols,
	                           test_winansi_replaces_what_it_cannot_show,
	                           test_winansi_reports_the_length_it_needs,
	                           test_report_reads_back_with_accents,
	                           test_long_report_wraps_and_numbers_pages, test_one_huge_word_is_cut, NULL);

	tcase_set_timeout(tc, 60);
	return tcase_run_alone("pdfreport", tc);
}
