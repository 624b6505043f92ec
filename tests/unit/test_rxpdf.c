/* test_rxpdf: the prescription PDF checked with the real tools a reader
 * and a pharmacist's scanner stand for: qpdf --check (structure),
 * pdftotext (the items in plain words, accents, overrides, dates),
 * pdftoppm -r 150 then zbarimg (the exact verification URL), and a copy
 * degraded like a phone photo of paper (ImageMagick: rotated 7 degrees,
 * blurred, lower contrast, JPEG quality 60) that still scans, with zbarimg
 * and with lib/qrscan. */
#include <check.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <qrencode.h>

#include "../check_util.h"
#include "date_words.h"
#include "lib/qrscan.h"
#include "lib/rxpdf.h"

/* A URL as long as a real one: https host, /rx/v/ and a 162-character
 * base32 token (rx-token's ~101 bytes). */
static char url[256];

static const struct rxpdf_item items[] = {
	{ "Ibuprofeno 600 mg comprimidos", { 1, "tablet", "oral", 8, 0, 7, 0, "Tomar después de las comidas" },
	  21, 0 },
	{ "Amoxicilina 250 mg/5 mL suspensión oral", { 2.5, "mL", "oral", 12, 1, 0, 1, NULL }, 100, 2 },
	{ "Salbutamol 100 microgramos/dosis inhalador", { 2, "puff", "inhaled", 4, 1, 0, 1, NULL }, 1, 1 },
};

static const struct rxpdf_override overrides[] = {
	{ 1, "interaction", "major", "ibuprofen + warfarin: bleeding risk", "INR controlado cada semana; dosis corta" },
};

static struct rxpdf
sample(enum rx_lang lang)
{
	struct rxpdf rx = {
		.lang = lang, .dates = lang == RX_LANG_EN ? &en_words : &es_words,
		.id = 4711, .clinic_name = "Clínica Ñandú",
		.clinic_details = "Calle Mayor 1, 28013 Madrid · 910 000 000",
		.patient_name = "Begoña Güell Pérez", .patient_birth = "1985-03-14",
		.prescriber_name = "Dra. Inés Álvarez Muñoz", .prescriber_licence = "28/2812345",
		.issued_on = "2026-12-07", .expires_on = "2027-01-06",
		.items = items, .nitems = 3, .overrides = overrides, .noverrides = 1,
		.verify_url = url, .short_code = "7K3MZQ9XPD",
	};
	return rx;
}

static void
make_url(void)
{
	static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	int n = snprintf(url, sizeof(url), "https://clinica.example.org/rx/v/");

	for (int i = 0; i < 162; i++)
		url[n + i] = b32[(i * 7 + 3) % 32];
	url[n + 162] = '\0';
}

/* Render rx into dir/rx.pdf; its size. */
static size_t
render(const struct rxpdf *rx, const char *dir)
{
	unsigned char *pdf = NULL;
	size_t len = 0;
	char path[256];
	FILE *f;

	ck_assert_int_eq(rxpdf_render(rx, &pdf, &len), RXPDF_OK);
	ck_assert_int_eq(memcmp(pdf, "%PDF-", 5), 0);
	snprintf(path, sizeof(path), "%s/rx.pdf", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "wb"));
	ck_assert_uint_eq(fwrite(pdf, 1, len, f), len);
	fclose(f);
	free(pdf);
	return len;
}

static char *
tmpdir(void)
{
	static char dir[64];

	strcpy(dir, "/tmp/medsys-rxpdf-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	return dir;
}

static void
rmdir_all(const char *dir)
{
	char *out;

	ck_assert_int_eq(check_runf(&out, "rm -rf '%s'", dir), 0);
	free(out);
}

static void
assert_has(const char *text, const char *want)
{
	ck_assert_msg(strstr(text, want) != NULL, "\"%s\" not in:\n%.3000s", want, text);
}

START_TEST(test_spanish_document_reads_back)
{
	struct rxpdf rx = sample(RX_LANG_ES);
	const char *dir = tmpdir();
	size_t size = render(&rx, dir);
	char *out;

	ck_assert_uint_lt(size, 20000);
	ck_assert_int_eq(check_runf(&out, "qpdf --check '%s/rx.pdf' 2>&1", dir), 0);
	assert_has(out, "No syntax or stream encoding errors");
	free(out);
	/* -raw: in drawing order, each paragraph on its own line. */
	ck_assert_int_eq(check_runf(&out, "pdftotext -raw -enc UTF-8 '%s/rx.pdf' - 2>&1", dir), 0);
	assert_has(out, "Receta médica · Clínica Ñandú");
	assert_has(out, "Begoña Güell Pérez");
	assert_has(out, "Fecha de nacimiento: 14 de marzo de 1985");
	assert_has(out, "Dra. Inés Álvarez Muñoz");
	assert_has(out, "Nº de colegiado: 28/2812345");
	assert_has(out, "1. Ibuprofeno 600 mg comprimidos");
	assert_has(out, "1 comprimido por vía oral cada 8 horas durante 7 días. Tomar después de las comidas.");
	assert_has(out, "Cantidad: 21 comprimidos · Repeticiones: 0");
	assert_has(out, "2,5 mL por vía oral cada 12 horas si lo necesita, hasta nueva indicación.");
	assert_has(out, "Cantidad: 100 mL · Repeticiones: 2");
	assert_has(out, "2 inhalaciones por vía inhalatoria cada 4 horas si lo necesita, hasta nueva indicación.");
	assert_has(out, "Cantidad: 1 inhalación · Repeticiones: 1");
	assert_has(out, "Línea 1 · interacción (grave): ibuprofen + warfarin: bleeding risk. "
	                "Motivo: INR controlado cada semana;");   /* then it wraps */
	assert_has(out, "Fecha de emisión: lunes 7 de diciembre de 2026");
	assert_has(out, "Válida hasta: miércoles 6 de enero de 2027");
	assert_has(out, "7K3MZ-Q9XPD");
	assert_has(out, "Receta nº 4711");
	assert_has(out, "página 1 de 1");
	free(out);
	rmdir_all(dir);
}
END_TEST

START_TEST(test_english_document_and_no_overrides)
{
	struct rxpdf rx = sample(RX_LANG_EN);
	const char *dir;
	char *out;

	rx.noverrides = 0;
	rx.patient_birth = NULL;
	rx.status = "CANCELLED";
	dir = tmpdir();
	render(&rx, dir);
	ck_assert_int_eq(check_runf(&out, "pdftotext -raw -enc UTF-8 '%s/rx.pdf' - 2>&1", dir), 0);
	assert_has(out, "Prescription · Clínica Ñandú");
	assert_has(out, "CANCELLED");
	assert_has(out, "1 tablet by mouth every 8 hours for 7 days. Tomar después de las comidas.");
	assert_has(out, "Quantity: 21 tablets · Refills: 0");
	assert_has(out, "2.5 mL by mouth every 12 hours as needed, until told otherwise.");
	assert_has(out, "Issued on: Monday 7 December 2026");
	assert_has(out, "Valid until: Wednesday 6 January 2027");
	assert_has(out, "page 1 of 1");
	ck_assert_ptr_null(strstr(out, "Date of birth"));
	ck_assert_ptr_null(strstr(out, "overrode"));     /* no empty warnings section */
	free(out);
	rmdir_all(dir);
}
END_TEST

/* The QR code's printed side, from the page's drawing: "m 0 0 m x y cm"
 * scales one module to m points, and the code has `width` modules. */
static double
qr_side_mm(const char *dir)
{
	QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	char *out;
	double m;

	ck_assert_ptr_nonnull(qr);
	ck_assert_int_le(qr->version, 10);
	ck_assert_int_eq(check_runf(&out, "qpdf --qdf --object-streams=disable '%s/rx.pdf' - | grep -a ' cm$'", dir), 0);
	ck_assert_int_eq(sscanf(out, "%lf", &m), 1);
	free(out);
	m = m * qr->width * 25.4 / 72;
	QRcode_free(qr);
	return m;
}

/* zbarimg's decoding of file: exactly one QR code, this URL. */
static void
assert_scans(const char *dir, const char *file)
{
	char *out, want[300];

	snprintf(want, sizeof(want), "QR-Code:%s\n", url);
	ck_assert_int_eq(check_runf(&out, "zbarimg -q '%s/%s' 2>/dev/null", dir, file), 0);
	ck_assert_str_eq(out, want);
	free(out);
}

START_TEST(test_qr_scans_from_paper_and_a_phone_photo)
{
	struct rxpdf rx = sample(RX_LANG_ES);
	const char *dir = tmpdir();
	char *out, text[QRSCAN_TEXT_MAX + 1];
	unsigned char *photo;
	char path[256];
	size_t len;

	render(&rx, dir);
	ck_assert(qr_side_mm(dir) >= 35.0);
	ck_assert_int_eq(check_runf(&out, "pdftoppm -r 150 -png -singlefile '%s/rx.pdf' '%s/page' 2>&1", dir, dir), 0);
	free(out);
	assert_scans(dir, "page.png");
	ck_assert_int_eq(check_runf(&out, "convert '%s/page.png' -background white -rotate 7 -blur 0x1 "
	                     "+level 20%%,80%% -quality 60 '%s/photo.jpg' 2>&1", dir, dir), 0);
	free(out);
	assert_scans(dir, "photo.jpg");
	snprintf(path, sizeof(path), "%s/photo.jpg", dir);
	photo = check_slurp(path, QRSCAN_MAX_BYTES, &len);
	ck_assert_int_eq(qrscan_decode(photo, len, text, sizeof(text)), QRSCAN_OK);
	ck_assert_str_eq(text, url);
	free(photo);
	rmdir_all(dir);
}
END_TEST

START_TEST(test_refuses_what_it_cannot_print)
{
	struct rxpdf rx = sample(RX_LANG_ES);
	struct rxpdf_item bad = items[0];
	unsigned char *pdf = NULL;
	size_t len = 0;
	char code[12];

	rx.short_code = "SHORT";
	ck_assert_int_eq(rxpdf_render(&rx, &pdf, &len), RXPDF_BAD_INPUT);
	rx = sample(RX_LANG_ES);
	rx.nitems = 0;
	ck_assert_int_eq(rxpdf_render(&rx, &pdf, &len), RXPDF_BAD_INPUT);
	rx.nitems = RXPDF_ITEMS_MAX + 1;
	ck_assert_int_eq(rxpdf_render(&rx, &pdf, &len), RXPDF_BAD_INPUT);
	rx = sample(RX_LANG_ES);
	rx.prescriber_licence = "";
	ck_assert_int_eq(rxpdf_render(&rx, &pdf, &len), RXPDF_BAD_INPUT);
	rx = sample(RX_LANG_ES);
	rx.dates = NULL;                   /* no words to write the dates with */
	ck_assert_int_eq(rxpdf_render(&rx, &pdf, &len), RXPDF_BAD_INPUT);
	rx = sample(RX_LANG_ES);
	bad.instr.route = "otic";          /* rxtext refuses the item */
	rx.items = &bad;
	rx.nitems = 1;
	ck_assert_int_eq(rxpdf_render(&rx, &pdf, &len), RXPDF_BAD_INPUT);
	ck_assert_ptr_null(pdf);
	ck_assert_int_eq(rxpdf_short_code("ABCDEFGHIJ", code), 0);
	ck_assert_str_eq(code, "ABCDE-FGHIJ");
	ck_assert_int_eq(rxpdf_short_code("ABCDEFGHIJK", code), -1);
}
END_TEST

/* Twenty items and a hundred long overrides: more pages, still one QR
 * code, still readable and scannable. */
START_TEST(test_long_prescription_pages)
{
	static struct rxpdf_item many[RXPDF_ITEMS_MAX];
	static struct rxpdf_override over[RXPDF_OVERRIDES_MAX];
	static char reason[501];
	struct rxpdf rx = sample(RX_LANG_EN);
	const char *dir = tmpdir();
	char *out;

	memset(reason, 'r', 500);
	for (size_t i = 0; i < RXPDF_ITEMS_MAX; i++)
		many[i] = items[i % 3];
	for (size_t i = 0; i < RXPDF_OVERRIDES_MAX; i++)
		over[i] = (struct rxpdf_override){ (int)(i % 20) + 1, "max_dose", "moderate", "over 3200 mg a day",
		                                   reason };
	rx.items = many;
	rx.nitems = RXPDF_ITEMS_MAX;
	rx.overrides = over;
	rx.noverrides = RXPDF_OVERRIDES_MAX;
	render(&rx, dir);
	ck_assert_int_eq(check_runf(&out, "qpdf --check '%s/rx.pdf' >/dev/null 2>&1", dir), 0);
	free(out);
	ck_assert_int_eq(check_runf(&out, "pdftotext -raw -enc UTF-8 '%s/rx.pdf' - 2>&1", dir), 0);
	assert_has(out, "20. Amoxicilina");
	assert_has(out, "Item 20 · maximum dose exceeded (moderate): over 3200 mg a day");
	ck_assert_int_eq(str_count(out, "7K3MZ-Q9XPD"), 1);
	/* Each item's three lines on one page: no page break (a form feed in
	 * pdftotext's output) between its name and its quantity. */
	for (int i = 1; i <= RXPDF_ITEMS_MAX; i++) {
		char head[16];
		const char *at, *qty;
		snprintf(head, sizeof(head), "%d. ", i);
		for (at = strstr(out, head); at && at > out && at[-1] != '\n' && at[-1] != '\f';)
			at = strstr(at + 1, head);   /* at a line's start */
		ck_assert_ptr_nonnull(at);
		ck_assert_ptr_nonnull(qty = strstr(at, "Quantity:"));
		ck_assert_msg(memchr(at, '\f', (size_t)(qty - at)) == NULL, "item %d split across pages", i);
	}
	ck_assert_ptr_nonnull(strstr(out, "page 1 of "));
	ck_assert_ptr_null(strstr(out, "page 1 of 1\n"));
	free(out);
	rmdir_all(dir);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("rxpdf");

	make_url();
	tcase_set_timeout(tc, 120);
	return tcase_run_alone("rxpdf", tcase_list_add(tc, test_spanish_document_reads_back,
	        test_english_document_and_no_overrides, test_qr_scans_from_paper_and_a_phone_photo,
	        test_refuses_what_it_cannot_print, test_long_prescription_pages, NULL));
}
