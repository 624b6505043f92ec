/* fuzz_icd10: libFuzzer harness for the ICD-10 catalog line parser and
 * code normaliser (fcgi/lib/icd10.c). The first byte picks the format;
 * whatever is accepted must be a normalised code in a chapter, with
 * titles a catalog can store. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/icd10.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A normalised code: shape, and normalising it again changes nothing. */
static void
check_code(const char *code)
{
	char again[ICD10_CODE_MAX + 1];
	size_t n = strlen(code);

	if (n < 3 || n > ICD10_CODE_MAX || n == 4 || (n > 3 && code[3] != '.'))
		abort();
	if (code[0] < 'A' || code[0] > 'Z' || code[1] < '0' || code[1] > '9')
		abort();
	if (icd10_code_normalise(code, n, again) != 0 || strcmp(again, code) != 0)
		abort();
	if (icd10_chapter(code) < 1 || icd10_chapter(code) > 22)
		abort();
}

/* A stored title: empty only where allowed, trimmed, no control byte. */
static void
check_title(const char *t, int may_be_empty)
{
	size_t n = strlen(t);

	if (n == 0) {
		if (!may_be_empty)
			abort();
		return;
	}
	if (n > ICD10_TITLE_MAX || t[0] == ' ' || t[n - 1] == ' ')
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct icd10_entry e;
	char code[ICD10_CODE_MAX + 1];
	enum icd10_format f;
	enum icd10_status st;

	if (size == 0)
		return 0;
	f = (enum icd10_format)(data[0] % ICD10_FORMAT__MAX);
	st = icd10_parse_line(f, (const char *)data + 1, size - 1, &e);
	if (st >= ICD10__MAX || icd10_status_text(st) == NULL)
		abort();
	if (st == ICD10_OK) {
		check_code(e.code);
		if ((e.leaf != 0 && e.leaf != 1) || e.chapter != icd10_chapter(e.code))
			abort();
		check_title(e.title_es, f == ICD10_FORMAT_CMS_ORDER);
		check_title(e.title_en, 0);
		if (f == ICD10_FORMAT_CMS_ORDER && e.title_es[0] != '\0')
			abort();
	}
	if (icd10_code_normalise((const char *)data + 1, size - 1, code) == 0)
		check_code(code);
	return 0;
}
