/* fuzz_imgclean: libFuzzer harness for attachment cleaning
 * (fcgi/lib/imgclean.c): any bytes as a JPEG, PNG or PDF stay in bounds,
 * the output is never longer than the input, and cleaning a cleaned
 * image again gives the same bytes (nothing left to drop). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/imgclean.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *out = malloc(size + 1), *again = malloc(size + 1);
	size_t n, m;

	if (out == NULL || again == NULL)
		abort();
	for (int t = DOC_UNKNOWN; t < DOC__MAX; t++) {
		if (imgclean_file((enum doc_type)t, data, size, out, &n) != IMGCLEAN_OK) {
			if (n != 0)
				abort();
			continue;
		}
		if (n > size || imgclean_file((enum doc_type)t, out, n, again, &m) != IMGCLEAN_OK ||
		    m != n || memcmp(out, again, n) != 0)
			abort();
	}
	free(out);
	free(again);
	return 0;
}
