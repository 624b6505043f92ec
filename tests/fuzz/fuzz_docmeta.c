/* fuzz_docmeta: libFuzzer harness for a record document's metadata
 * (fcgi/lib/docmeta.c): sniffing any bytes stays in bounds, and the
 * Content-Disposition made from any title is one header value nginx and
 * browsers read as meant: printable ASCII only (no CR, LF or NUL to split
 * the header), the quoted filename without a quote or backslash inside,
 * the extension of the type at its end. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/docmeta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_disposition(const char *v, enum doc_type t)
{
	const char *name, *end;
	char want[16];

	for (const char *c = v; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			abort();
	if (strncmp(v, "attachment; filename=\"", 22) != 0)
		abort();
	name = v + 22;
	if ((end = strchr(name, '"')) == NULL || memchr(name, '\\', (size_t)(end - name)) != NULL)
		abort();
	snprintf(want, sizeof(want), "%s\"", docmeta_extension(t));
	if ((size_t)(end + 1 - name) < strlen(want) ||
	    strncmp(end + 1 - strlen(want), want, strlen(want)) != 0)
		abort();
	if (end[1] != '\0' && strncmp(end + 1, "; filename*=UTF-8''", 19) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum doc_type t = docmeta_sniff(data, size);
	char *title = malloc(size + 1), out[2048];

	if (title == NULL)
		abort();
	if (t != DOC_UNKNOWN && docmeta_from_media_type(docmeta_media_type(t)) != t)
		abort();
	memcpy(title, data, size);
	title[size] = '\0';
	for (int k = DOC_PDF; k < DOC__MAX; k++)
		if (docmeta_disposition(title, (enum doc_type)k, out, sizeof(out)) == 0)
			check_disposition(out, (enum doc_type)k);
	free(title);
	return 0;
}
