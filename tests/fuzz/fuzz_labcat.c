/* fuzz_labcat: libFuzzer harness for the lab catalog line parser
 * (fcgi/lib/labcat.c). The first byte picks the file kind and whether the
 * header was seen; whatever is accepted must hold exactly the kind's
 * columns, each one something its table column can store, and the rules
 * between columns (a LOINC code with its check digit, a range's limits in
 * order). Every status has a message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/labcat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_row(enum labcat_kind k, const struct labcat_row *row)
{
	char item[32];

	if (row->nfields != labcat_columns(k))
		abort();
	for (size_t i = 0; i < row->nfields; i++)
		for (const char *c = row->field[i]; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				abort();
	if ((k == LABCAT_ANALYTES || k == LABCAT_PANELS || k == LABCAT_RANGES) && !labcat_is_loinc(row->field[0]))
		abort();
	if (k == LABCAT_RANGES && row->field[4][0] && row->field[5][0] &&
	    strtod(row->field[4], NULL) >= strtod(row->field[5], NULL))
		abort();
	if (k == LABCAT_PANELS)
		for (size_t i = 0; labcat_list_item(row->field[3], i, item, sizeof(item)); i++)
			if (!labcat_is_loinc(item))
				abort();
	if (k == LABCAT_CONVERSIONS && (!labcat_is_unit(row->field[1]) || strcmp(row->field[1], row->field[2]) == 0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct labcat_row row;
	char why[800];
	enum labcat_kind k;
	enum labcat_status st;
	int header_seen;

	if (size == 0)
		return 0;
	k = (enum labcat_kind)(data[0] % LABCAT__MAX);
	header_seen = (data[0] / LABCAT__MAX) % 2;
	st = labcat_parse_line(k, header_seen, (const char *)data + 1, size - 1, &row);
	if (st >= LABCAT__STATUS_MAX || (st == LABCAT_HEADER && header_seen))
		abort();
	labcat_problem(k, st, &row, why, sizeof(why));
	if (strlen(why) == 0)
		abort();
	if (st == LABCAT_OK)
		check_row(k, &row);
	return 0;
}
