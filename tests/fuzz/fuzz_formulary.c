/* fuzz_formulary: libFuzzer harness for the prescription catalog line
 * parser (fcgi/lib/formulary.c) and the CSV splitter under it (lib/csv.c).
 * The first byte picks the file kind and whether the header was seen;
 * whatever is accepted must hold exactly the kind's columns, each one
 * something its table column can store. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/csv.h"
#include "lib/formulary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* No control byte in a field, and no space at either end. */
static void
check_text(const char *t)
{
	size_t n = strlen(t);

	if (n > 0 && (t[0] == ' ' || t[n - 1] == ' '))
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
			abort();
}

static void
check_row(enum fcat_kind k, const struct fcat_row *row)
{
	if (row->nfields != fcat_columns(k))
		abort();
	for (size_t i = 0; i < row->nfields; i++)
		check_text(row->field[i]);
	if (k == FCAT_PRODUCTS && !fcat_is_atc(row->field[1]))
		abort();
	if (k == FCAT_INTERACTIONS && (!fcat_is_drug_ref(row->field[0]) || !fcat_is_drug_ref(row->field[1]) ||
	                               strcmp(row->field[0], row->field[1]) == 0))
		abort();
	if (k == FCAT_ALLERGY_TERMS && (!fcat_is_drug_ref(row->field[1]) || strchr(row->field[0], '|')))
		abort();
}

/* The splitter alone: fields within the buffer, never more than asked. */
static void
check_split(enum csv_dialect d, const char *line, size_t len)
{
	char buf[256];
	const char *f[6];
	int n = csv_split(d, line, len, buf, sizeof(buf), f, 6);

	if (n < -1 || n > 6)
		abort();
	for (int i = 0; i < n; i++)
		if (f[i] < buf || f[i] + strlen(f[i]) >= buf + sizeof(buf))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fcat_row row;
	char why[600];
	enum fcat_kind k;
	enum fcat_status st;
	int header_seen;

	if (size == 0)
		return 0;
	k = (enum fcat_kind)(data[0] % FCAT__MAX);
	header_seen = (data[0] / FCAT__MAX) % 2;
	st = fcat_parse_line(k, header_seen, (const char *)data + 1, size - 1, &row);
	if (st >= FCAT__STATUS_MAX)
		abort();
	fcat_problem(k, st, &row, why, sizeof(why));
	if (strlen(why) == 0)
		abort();
	if (st == FCAT_HEADER && header_seen)
		abort();
	if (st == FCAT_OK)
		check_row(k, &row);
	check_split(data[0] & 1 ? CSV_TAB : CSV_COMMA, (const char *)data + 1, size - 1);
	return 0;
}
