/* test_labpdf: the lab results report checked with the tools a reader and
 * a phone stand for: qpdf --check, pdftotext (values, units, ranges, the
 * flags in words, the correction note, accents), and pdftoppm + zbarimg:
 * the QR code gives back the verification URL whose token, decoded as a
 * lab report's, verifies with the keys (lib/rxtoken) and is refused as a
 * prescription's. */
#include <check.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../check_util.h"
#include "lib/labpdf.h"
#include "lib/rxtoken.h"

#define DAY0 20795L          /* 2026-12-08 */

static char url[256];
static struct rxkeys keys;

static const struct labpdf_words words_es = {
	"Informe de resultados de laboratorio", "Paciente", "Orden", "Resultados", "ref.",
	"corregido", "Un valor marcado «corregido» sustituye a otro publicado antes.",
	"Para comprobar que es auténtico, escanee el código QR.", "Orden", "página {n} de {total}",
};

static const struct labpdf_row rows[] = {
	{ "Glucosa", "7.1", "mmol/L", "3.9 – 5.5", "ALTO", 0 },
	{ "Hemoglobina", "6.4", "g/dL", "12 – 15.5", "CRÍTICO BAJO", 1 },
	{ "Sodio", "140", "mmol/L", "135 – 145", NULL, 0 },
	{ "Proteínas en orina", "negativo", NULL, NULL, "", 0 },
};

/* A real lab token for order 42, signed by a fresh key kept in keys
 * (run before the tests: exits on failure). */
static void
make_url(void)
{
	unsigned char pub[SIGN_PUBLIC_BYTES], priv[SIGN_PRIVATE_BYTES];
	struct rxtoken t = { .prescription_id = 42, .issued_day = DAY0, .expires_day = RXTOKEN_DAY_MAX,
	                     .kind = RXTOKEN_KIND_LAB };
	int n;

	memset(&keys, 0, sizeof(keys));
	memset(t.digest, 0x3c, sizeof(t.digest));
	n = snprintf(url, sizeof(url), "https://clinica.example.org/lab/v/");
	if (sign_keypair(pub, priv) != 0 || rxkeys_add(&keys, pub, DAY0 - 10, -1, -1) != 0 ||
	    rxtoken_encode(&t, priv, url + n, sizeof(url) - (size_t)n) != RXTOKEN_TEXT_LEN) {
		fprintf(stderr, "test_labpdf: cannot make a signed token\n");
		exit(1);
	}
}

static struct labpdf
sample(void)
{
	struct labpdf rep = {
		.w = &words_es, .clinic_name = "Clínica Ñandú", .clinic_details = "Calle Mayor 1, Madrid",
		.patient_lines = { "Begoña Güell Pérez", "Fecha de nacimiento: 14/03/1985", NULL },
		.order_lines = { "Orden 7K3MZ-Q9XPD", "Solicitada por Dra. Inés Álvarez", "Extracción: 01/12/2026",
		                 NULL },
		.order_code = "7K3MZ-Q9XPD", .rows = rows, .nrows = 4, .verify_url = url,
	};
	return rep;
}

/* Render rep into dir/lab.pdf. */
static void
render(const struct labpdf *rep, const char *dir)
{
	unsigned char *pdf = NULL;
	size_t len = 0;
	char path[256];
	FILE *f;

	ck_assert_int_eq(labpdf_render(rep, &pdf, &len), LABPDF_OK);
	ck_assert_int_eq(memcmp(pdf, "%PDF-", 5), 0);
	ck_assert_uint_lt(len, 30000);
	snprintf(path, sizeof(path), "%s/lab.pdf", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "wb"));
	ck_assert_uint_eq(fwrite(pdf, 1, len, f), len);
	fclose(f);
	free(pdf);
}

static char *
tmpdir(void)
{
	static char dir[64];

	strcpy(dir, "/tmp/medsys-labpdf-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	return dir;
}

static void
assert_has(const char *text, const char *want)
{
	ck_assert_msg(strstr(text, want) != NULL, "\"%s\" not in:\n%.3000s", want, text);
}

START_TEST(test_reads_back)
{
	struct labpdf rep = sample();
	const char *dir = tmpdir();
	char *out;

	render(&rep, dir);
	ck_assert_int_eq(check_runf(&out, "qpdf --check '%s/lab.pdf' 2>&1", dir), 0);
	assert_has(out, "No syntax or stream encoding errors");
	free(out);
	ck_assert_int_eq(check_runf(&out, "pdftotext -raw -enc UTF-8 '%s/lab.pdf' - 2>&1", dir), 0);
	assert_has(out, "Informe de resultados de laboratorio · Clínica Ñandú");
	assert_has(out, "Begoña Güell Pérez");
	assert_has(out, "Fecha de nacimiento: 14/03/1985");
	assert_has(out, "Solicitada por Dra. Inés Álvarez");
	assert_has(out, "Glucosa: 7.1 mmol/L · ref. 3.9 – 5.5 · ALTO");
	assert_has(out, "Hemoglobina: 6.4 g/dL · ref. 12 – 15.5 · CRÍTICO BAJO · corregido");
	assert_has(out, "Sodio: 140 mmol/L · ref. 135 – 145\n");
	assert_has(out, "Proteínas en orina: negativo\n");
	assert_has(out, "Un valor marcado «corregido» sustituye");
	/* the untitled note section repeats nothing (pdfreport once drew
	 * the tail of the line before it) */
	ck_assert_int_eq(str_count(out, "negativo\n"), 1);
	assert_has(out, "Orden 7K3MZ-Q9XPD · Clínica Ñandú");
	assert_has(out, "página 1 de 1");
	free(out);
	/* no correction: no note */
	rep.nrows = 1;
	render(&rep, dir);
	ck_assert_int_eq(check_runf(&out, "pdftotext -raw -enc UTF-8 '%s/lab.pdf' - 2>&1", dir), 0);
	ck_assert_ptr_null(strstr(out, "sustituye"));
	free(out);
	ck_assert_int_eq(check_runf(&out, "rm -rf '%s'", dir), 0);
	free(out);
}
END_TEST

START_TEST(test_qr_token_verifies)
{
	struct labpdf rep = sample();
	const char *dir = tmpdir();
	struct rxtoken t;
	char *out, want[300];
	const char *tok;

	render(&rep, dir);
	ck_assert_int_eq(check_runf(&out, "pdftoppm -r 150 -png -singlefile '%s/lab.pdf' '%s/page' 2>&1", dir, dir), 0);
	free(out);
	snprintf(want, sizeof(want), "QR-Code:%s\n", url);
	ck_assert_int_eq(check_runf(&out, "zbarimg -q '%s/page.png' 2>/dev/null", dir), 0);
	ck_assert_str_eq(out, want);
	ck_assert_ptr_nonnull(tok = strstr(out, "/lab/v/"));
	tok += strlen("/lab/v/");
	out[strlen(out) - 1] = '\0';
	ck_assert_int_eq(rxtoken_decode_kind(tok, RXTOKEN_KIND_LAB, &t), 0);
	ck_assert_int_eq(t.prescription_id, 42);
	ck_assert_int_eq(rxtoken_verify(&t, &keys, DAY0 + 400), RXTOKEN_OK);
	ck_assert_int_eq(rxtoken_decode(tok, &t), -1);    /* not a prescription */
	free(out);
	ck_assert_int_eq(check_runf(&out, "rm -rf '%s'", dir), 0);
	free(out);
}
END_TEST

START_TEST(test_refused_and_line)
{
	struct labpdf rep = sample();
	struct labpdf_row bad = rows[0];
	unsigned char *pdf = NULL;
	size_t len = 0;
	char line[32];

	rep.nrows = 0;
	ck_assert_int_eq(labpdf_render(&rep, &pdf, &len), LABPDF_BAD_INPUT);
	rep = sample();
	rep.nrows = LABPDF_ROWS_MAX + 1;
	ck_assert_int_eq(labpdf_render(&rep, &pdf, &len), LABPDF_BAD_INPUT);
	rep = sample();
	rep.verify_url = "";
	ck_assert_int_eq(labpdf_render(&rep, &pdf, &len), LABPDF_BAD_INPUT);
	rep = sample();
	bad.value = NULL;
	rep.rows = &bad;
	rep.nrows = 1;
	ck_assert_int_eq(labpdf_render(&rep, &pdf, &len), LABPDF_BAD_INPUT);
	ck_assert_ptr_null(pdf);
	/* a line too long for the buffer keeps whole parts only */
	ck_assert_uint_eq(labpdf_row_line(&words_es, &rows[1], line, sizeof(line)), strlen(line));
	ck_assert_str_eq(line, "Hemoglobina: 6.4 g/dL · ref. ");
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("labpdf");

	make_url();
	tcase_set_timeout(tc, 120);
	return tcase_run_alone("labpdf", tcase_list_add(tc, test_reads_back, test_qr_token_verifies,
	        test_refused_and_line, NULL));
}
