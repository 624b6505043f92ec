/* test_labelpdf: the specimen label (lib/labelpdf.h) checked with real
 * tools: qpdf --check, pdfinfo (one page of 62 x 40 mm), pdftotext (the
 * patient, accents included, the code as text, URGENTE), and zbarimg on a
 * 300 dpi render (the QR is the order code); missing fields refused. */
#include <check.h>

#include "../check_util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/labelpdf.h"

static const struct labelpdf sample = {
	.code = "K7M2Q9XH4T", .code_printed = "K7M2Q-9XH4T", .patient_name = "Begoña Güell Pérez",
	.birth = "Nac. 1985-03-14", .priority = "URGENTE", .ordered = "2026-12-07 09:30",
};

START_TEST(test_label_reads_back)
{
	char dir[] = "/tmp/medsys-labelpdf-XXXXXX", *out = NULL;
	unsigned char *pdf = NULL;
	size_t len = 0;
	FILE *f;

	ck_assert_int_eq(labelpdf_render(&sample, &pdf, &len), 0);
	ck_assert_uint_lt(len, 10000);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *path = NULL;
	ck_assert_int_ge(asprintf(&path, "%s/label.pdf", dir), 0);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	ck_assert_uint_eq(fwrite(pdf, 1, len, f), len);
	fclose(f);
	free(pdf);
	ck_assert_int_eq(check_runf(&out, "qpdf --check '%s' 2>&1", path), 0);
	ck_assert_msg(strstr(out, "No syntax or stream encoding errors"), "%s", out);
	free(out);
	ck_assert_int_eq(check_runf(&out, "pdfinfo '%s' 2>&1", path), 0);
	ck_assert_msg(strstr(out, "Pages:           1") && strstr(out, "175.748 x 113.386 pts"), "%s", out);
	free(out);
	ck_assert_int_eq(check_runf(&out, "pdftotext -raw -enc UTF-8 '%s' - 2>&1", path), 0);
	ck_assert_msg(strstr(out, "Begoña Güell Pérez") && strstr(out, "Nac. 1985-03-14") && strstr(out, "URGENTE") &&
	              strstr(out, "K7M2Q-9XH4T") && strstr(out, "2026-12-07 09:30"), "%s", out);
	free(out);
	ck_assert_int_eq(check_runf(&out, "pdftoppm -r 300 -png '%s' '%s/label' && zbarimg --raw -q '%s'/label*.png",
	                            path, dir, dir), 0);
	ck_assert_msg(strncmp(out, "K7M2Q9XH4T\n", 11) == 0, "the QR reads \"%s\"", out);
	free(out);
	check_runf(&out, "rm -rf '%s'", dir);
	free(out);
	free(path);
}
END_TEST

START_TEST(test_label_refuses_missing_fields)
{
	unsigned char *pdf = (unsigned char *)"x";
	size_t len = 1;
	struct labelpdf l = sample;

	l.code = "K7M2Q9XH4";                     /* nine characters */
	ck_assert_int_eq(labelpdf_render(&l, &pdf, &len), -1);
	ck_assert_ptr_null(pdf);
	ck_assert_uint_eq(len, 0);
	l = sample;
	l.patient_name = "";
	ck_assert_int_eq(labelpdf_render(&l, &pdf, &len), -1);
	l = sample;
	l.code_printed = NULL;
	ck_assert_int_eq(labelpdf_render(&l, &pdf, &len), -1);
	/* optional lines may be missing */
	l = sample;
	l.birth = NULL;
	l.priority = NULL;
	l.ordered = NULL;
	ck_assert_int_eq(labelpdf_render(&l, &pdf, &len), 0);
	ck_assert_int_eq(memcmp(pdf, "%PDF", 4), 0);
	free(pdf);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("labelpdf");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_label_reads_back);
	tcase_add_test(tc, test_label_refuses_missing_fields);
	return tcase_run_alone("labelpdf", tc);
}
