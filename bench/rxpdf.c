/* bench/rxpdf: CPU time to draw one prescription PDF (lib/rxpdf: three
 * items, an override, the QR code of a real-length verification URL) and
 * its size; bench/run prints the figures under its table. Usage:
 * rxpdf [N] (default 2000 documents). Targets: under 5 ms, under 20 KB. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lib/rxpdf.h"
#include "../tests/unit/date_words.h"   /* the Spanish date words the page passes */

static double
cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	static const struct rxpdf_item items[] = {
		{ "Paracetamol 1 g comprimidos", { 1, "tablet", "oral", 8, 1, 5, 0, "No más de 3 al día" }, 15, 0 },
		{ "Omeprazol 20 mg cápsulas", { 1, "capsule", "oral", 24, 0, 28, 0, "En ayunas" }, 28, 1 },
		{ "Salbutamol 100 microgramos/dosis inhalador", { 2, "puff", "inhaled", 6, 1, 0, 1, NULL }, 1, 2 },
	};
	static const struct rxpdf_override over[] = {
		{ 1, "max_dose", "moderate", "3000 mg a day, the adult maximum is 4000 mg", "Paciente de 50 kg" },
	};
	struct rxpdf rx = {
		.lang = RX_LANG_ES, .id = 123456, .clinic_name = "Clínica MedSysPro",
		.clinic_details = "Calle de Alcalá 1, 28014 Madrid · 910 000 000",
		.patient_name = "María José Núñez Güemes", .patient_birth = "1974-05-30",
		.prescriber_name = "Dr. Andrés Peña Ibáñez", .prescriber_licence = "28/2898765",
		.issued_on = "2026-12-07", .expires_on = "2027-01-06",
		.items = items, .nitems = 3, .overrides = over, .noverrides = 1,
		.verify_url = "https://clinica.example.org/rx/v/"
		              "AEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQ"
		              "CAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAE",
		.short_code = "7K3MZQ9XPD", .dates = &es_words,
	};
	long n = argc > 1 ? atol(argv[1]) : 2000;
	size_t size = 0;
	double t0;

	if (n < 1)
		n = 1;
	t0 = cpu_seconds();
	for (long i = 0; i < n; i++) {
		unsigned char *pdf;
		if (rxpdf_render(&rx, &pdf, &size) != RXPDF_OK) {
			fprintf(stderr, "rxpdf: render failed\n");
			return 1;
		}
		free(pdf);
	}
	printf("%ld %.3f %zu\n", n, (cpu_seconds() - t0) * 1000 / (double)n, size);
	return 0;
}
