/* fuzz_rxtext: libFuzzer harness for the instruction text and the dose
 * arithmetic (fcgi/lib/rxtext.c). The bytes make a struct rx_instr: a
 * dose, a unit and a route (a known one or any bytes), the frequency and
 * duration, then advice. What it checks: words only when rxtext_check
 * accepts; the reported length is what a big buffer receives, and a
 * small buffer gets its prefix; numbers that the arithmetic returns are
 * consistent with each other (never NaN, a positive quantity only when
 * there is an end to count to). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rxtext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEAD 12   /* bytes of fixed fields before the texts */

/* A code: the table's n-th when pick is below 64, else the given bytes. */
static const char *
code(unsigned pick, const char *(*table)(size_t), const char *bytes)
{
	const char *known = table(pick % 32);

	return pick < 64 && known ? known : bytes;
}

static void
check_words(const struct rx_instr *in, enum rx_lang lang)
{
	char out[RXTEXT_LINE_MAX + RXTEXT_ADVICE_MAX], small[16];
	int n = rxtext_instruction(in, lang, out, sizeof(out));
	int m = rxtext_instruction(in, lang, small, sizeof(small));

	if ((n < 0) != (rxtext_check(in) != RXTEXT_OK) || m != n)
		abort();
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(out) || strlen(out) != (size_t)n || n == 0)
		abort();
	if (strncmp(small, out, sizeof(small) - 1) != 0 || strlen(small) > sizeof(small) - 1)
		abort();
}

static void
check_numbers(const struct rx_instr *in)
{
	double per_day = rxtext_doses_per_day(in), mg = rxtext_mg_per_day(in, 250);
	long total = rxtext_total_units(in);
	int ok = rxtext_check(in) == RXTEXT_OK;

	if (isnan(per_day) || isnan(mg) || per_day < 0 || per_day > 24)
		abort();
	if (!ok && (per_day != 0 || total != -1 || mg != -1))
		abort();
	if (ok && (per_day <= 0 || mg <= 0))
		abort();
	/* A quantity exists only for a single dose or a duration, and covers
	 * at least one dose. */
	if (total >= 0 && (!ok || (in->every_hours > 0 && in->duration_days == 0) ||
	                   total < (long)floor(in->dose_amount)))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *texts;
	const char *unit, *route, *advice;
	struct rx_instr in;
	uint32_t amount;

	if (size < HEAD)
		return 0;
	if ((texts = malloc(size - HEAD + 3)) == NULL)
		abort();
	/* Three NUL-separated texts from the rest: unit, route, advice. */
	memcpy(texts, data + HEAD, size - HEAD);
	texts[size - HEAD] = texts[size - HEAD + 1] = texts[size - HEAD + 2] = '\0';
	unit = texts;
	route = unit + strlen(unit) + 1;
	advice = route < texts + size - HEAD ? route + strlen(route) + 1 : route;
	memcpy(&amount, data, 4);
	in.dose_amount = (data[11] & 1) ? amount / 1000.0 : (double)(int32_t)amount / 7.0;
	in.dose_unit = code(data[4], rxtext_unit_code, unit);
	in.route = code(data[5], rxtext_route_code, route);
	in.every_hours = (int16_t)(data[6] | data[7] << 8);
	in.as_needed = data[8] & 1;
	in.until_told = data[8] >> 1 & 1;
	in.duration_days = (int16_t)(data[9] | data[10] << 8);
	in.advice = (data[8] & 4) ? NULL : advice;
	check_words(&in, RX_LANG_ES);
	check_words(&in, RX_LANG_EN);
	check_numbers(&in);
	free(texts);
	return 0;
}
