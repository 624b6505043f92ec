/* fuzz_hl7: libFuzzer harness for the HL7 v2 reader (fcgi/lib/hl7.c): a
 * file of any bytes is read message by message to the end; every value
 * of every segment is decoded at a few positions; what is decoded fits
 * the buffer and holds no NUL; the reader always advances and ends. The
 * first byte of the input is used as an HL7 time for hl7_time_iso too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hl7.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_values(const struct hl7_message *m)
{
	char out[64];

	for (size_t s = 0; s < m->nsegments; s++) {
		unsigned nf = hl7_fields(m, s);
		if (m->seg[s].len < 3 || strlen(m->seg[s].id) != 3)
			abort();
		for (unsigned f = 1; f <= nf + 1 && f <= 30; f++) {
			unsigned reps = hl7_repetitions(m, s, f);
			for (unsigned r = 1; r <= reps + 1 && r <= 4; r++) {
				for (unsigned c = 1; c <= 3; c++) {
					long n = hl7_get(m, s, f, r, c, 1 + (c == 2), out, sizeof(out));
					if (n < -1 || n >= (long)sizeof(out) || (n >= 0 && strlen(out) != (size_t)n))
						abort();
				}
			}
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hl7_message m;
	struct hl7_reader r;
	enum hl7_status st;
	size_t messages = 0, last_pos = 0;
	char iso[40], t[24];

	hl7_reader_init(&r, (const char *)data, size);
	while ((st = hl7_read(&r, &m)) != HL7_END) {
		if (st >= HL7__STATUS_MAX || m.number != ++messages || (messages > 1 && r.pos <= last_pos &&
		                                                       r.pos < size))
			abort();
		last_pos = r.pos;
		if (st == HL7_OK) {
			if (m.nsegments == 0 || strcmp(m.seg[0].id, "MSH") != 0)
				abort();
			check_values(&m);
		} else if (m.bad_segment == 0 || m.bad_line == 0 || hl7_status_text(st)[0] == '\0') {
			abort();
		}
		if (messages > size + 1)
			abort();                /* more messages than bytes: the reader is stuck */
	}
	if (r.pos != size)
		abort();
	memcpy(t, data, size < sizeof(t) - 1 ? size : sizeof(t) - 1);
	t[size < sizeof(t) - 1 ? size : sizeof(t) - 1] = '\0';
	if (hl7_time_iso(t, iso, sizeof(iso)) == 0 && strlen(iso) < 19)
		abort();
	return 0;
}
