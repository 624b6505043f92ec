/* fuzz_winansi: libFuzzer harness for the UTF-8 to WinAnsi conversion
 * (fcgi/lib/winansi.c): any bytes convert without reading or writing out
 * of bounds, one output byte per character, never a NUL or a control
 * character in the output, and the length reported is the length a big
 * enough buffer receives. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/winansi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1), *out = malloc(size + 1), small[8];
	size_t n, m;

	if (in == NULL || out == NULL)
		abort();
	memcpy(in, data, size);
	in[size] = '\0';
	n = winansi_from_utf8(in, out, size + 1);
	if (n > strlen(in) || strlen(out) != n)
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7F)
			abort();
	m = winansi_from_utf8(in, small, sizeof(small));
	if (m != n || strlen(small) != (n < sizeof(small) ? n : sizeof(small) - 1) ||
	    memcmp(small, out, strlen(small)) != 0)
		abort();
	free(in);
	free(out);
	return 0;
}
