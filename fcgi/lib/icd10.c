/* icd10: code normalisation, chapters, and the two catalog line formats. */
#include "icd10.h"

#include "csv.h"

#include <string.h>

/* The CMS order file's columns (0-based byte offsets; the file layout
 * published with each release counts from 1): order number 0..4, code
 * 6..12 (left-justified, padded with spaces), header flag 14, short
 * title 16..75 (padded), long title from 77 to the end of the line. */
enum {
	CMS_ORDER_AT = 0, CMS_ORDER_LEN = 5,
	CMS_CODE_AT = 6, CMS_CODE_LEN = 7,
	CMS_FLAG_AT = 14,
	CMS_SHORT_AT = 16,
	CMS_LONG_AT = 77
};

/* The first category of each chapter, in code order (U, chapter 22,
 * sorts between T and V). */
static const struct {
	char first[4];
	int chapter;
} chapter_starts[] = {
	{ "A00", 1 }, { "C00", 2 }, { "D50", 3 }, { "E00", 4 }, { "F00", 5 },
	{ "G00", 6 }, { "H00", 7 }, { "H60", 8 }, { "I00", 9 }, { "J00", 10 },
	{ "K00", 11 }, { "L00", 12 }, { "M00", 13 }, { "N00", 14 }, { "O00", 15 },
	{ "P00", 16 }, { "Q00", 17 }, { "R00", 18 }, { "S00", 19 }, { "U00", 22 },
	{ "V00", 20 }, { "Z00", 21 },
};

static const char *const status_texts[ICD10__MAX] = {
	[ICD10_OK] = "the line is valid",
	[ICD10_SKIP] = "the line is blank or a comment",
	[ICD10_BAD_LENGTH] = "the line is too long, or too short for the format",
	[ICD10_BAD_FIELDS] = "the line does not have the fields of the format",
	[ICD10_BAD_ORDER] = "the order number is not five digits",
	/* one literal: clang reads two adjacent ones here as a missing comma */
	[ICD10_BAD_CODE] = "the code is not an ICD-10 code (such as J45.909, or J45909 without the dot)",
	[ICD10_BAD_LEAF] = "the leaf (header) flag is not 0 or 1",
	[ICD10_BAD_TITLE] = "a title is empty, too long or holds a control character (a tab?)",
};

static int
is_upper_alnum(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static char
upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

int
icd10_code_normalise(const char *s, size_t len, char out[ICD10_CODE_MAX + 1])
{
	char buf[ICD10_CODE_MAX + 2];   /* eight undotted characters get a dot: 9 */
	size_t n = 0;

	if (s == NULL || len < 3 || len > ICD10_CODE_MAX)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = upper(s[i]);
		if (c == '.' && i == 3 && len > 4) {
			buf[n++] = '.';
			continue;
		}
		if (!is_upper_alnum(c) || (i == 0 && !(c >= 'A' && c <= 'Z')) ||
		    (i == 1 && !(c >= '0' && c <= '9')))
			return -1;
		if (n == 3)           /* undotted: the dot goes after the category */
			buf[n++] = '.';
		buf[n++] = c;
	}
	if (n > ICD10_CODE_MAX)   /* seven characters and a dot at most */
		return -1;
	buf[n] = '\0';
	memcpy(out, buf, n + 1);
	return 0;
}

int
icd10_chapter(const char *code)
{
	int chapter = 0;

	if (code == NULL || strlen(code) < 3)
		return 0;
	for (size_t i = 0; i < sizeof(chapter_starts) / sizeof(chapter_starts[0]); i++)
		if (strncmp(code, chapter_starts[i].first, 3) >= 0)
			chapter = chapter_starts[i].chapter;
	return chapter;
}

/* Copy s[0..len) without surrounding spaces into out as a title: not
 * empty, at most ICD10_TITLE_MAX bytes, no control character. */
static int
take_title(const char *s, size_t len, char out[ICD10_TITLE_MAX + 1])
{
	while (len > 0 && s[0] == ' ')
		s++, len--;
	while (len > 0 && s[len - 1] == ' ')
		len--;
	if (len == 0 || len > ICD10_TITLE_MAX)
		return -1;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return -1;
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

static enum icd10_status
take_leaf(const char *s, size_t len, int *leaf)
{
	if (len != 1 || (s[0] != '0' && s[0] != '1'))
		return ICD10_BAD_LEAF;
	*leaf = s[0] == '1';
	return ICD10_OK;
}

/* code TAB leaf TAB title_es TAB title_en; '#' starts a comment line. */
static enum icd10_status
parse_project(const char *line, size_t len, struct icd10_entry *out)
{
	char buf[ICD10_LINE_MAX + 8];
	const char *field[4];
	size_t blank = 0;
	enum icd10_status st;

	while (blank < len && line[blank] == ' ')
		blank++;
	if (blank == len || line[0] == '#')
		return ICD10_SKIP;
	if (csv_split(CSV_TAB, line, len, buf, sizeof(buf), field, 4) != 4)
		return ICD10_BAD_FIELDS;
	if (icd10_code_normalise(field[0], strlen(field[0]), out->code) == -1)
		return ICD10_BAD_CODE;
	if ((st = take_leaf(field[1], strlen(field[1]), &out->leaf)) != ICD10_OK)
		return st;
	if (take_title(field[2], strlen(field[2]), out->title_es) == -1 ||
	    take_title(field[3], strlen(field[3]), out->title_en) == -1)
		return ICD10_BAD_TITLE;
	return ICD10_OK;
}

/* The fixed columns of the CMS order file; English titles only. */
static enum icd10_status
parse_cms_order(const char *line, size_t len, struct icd10_entry *out)
{
	size_t code_len = CMS_CODE_LEN;
	enum icd10_status st;

	if (len <= CMS_LONG_AT)
		return ICD10_BAD_LENGTH;
	for (size_t i = CMS_ORDER_AT; i < CMS_ORDER_AT + CMS_ORDER_LEN; i++)
		if (line[i] < '0' || line[i] > '9')
			return ICD10_BAD_ORDER;
	if (line[CMS_CODE_AT - 1] != ' ' || line[CMS_FLAG_AT - 1] != ' ' ||
	    line[CMS_SHORT_AT - 1] != ' ' || line[CMS_LONG_AT - 1] != ' ')
		return ICD10_BAD_FIELDS;
	while (code_len > 0 && line[CMS_CODE_AT + code_len - 1] == ' ')
		code_len--;
	if (memchr(line + CMS_CODE_AT, '.', code_len) != NULL ||   /* the file has no dots */
	    icd10_code_normalise(line + CMS_CODE_AT, code_len, out->code) == -1)
		return ICD10_BAD_CODE;
	if ((st = take_leaf(line + CMS_FLAG_AT, 1, &out->leaf)) != ICD10_OK)
		return st;
	if (take_title(line + CMS_LONG_AT, len - CMS_LONG_AT, out->title_en) == -1)
		return ICD10_BAD_TITLE;
	out->title_es[0] = '\0';
	return ICD10_OK;
}

enum icd10_status
icd10_parse_line(enum icd10_format f, const char *line, size_t len, struct icd10_entry *out)
{
	enum icd10_status st;

	if (line == NULL)
		return ICD10_BAD_LENGTH;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len > ICD10_LINE_MAX)
		return ICD10_BAD_LENGTH;
	switch (f) {
	case ICD10_FORMAT_PROJECT: st = parse_project(line, len, out); break;
	case ICD10_FORMAT_CMS_ORDER: st = parse_cms_order(line, len, out); break;
	default: return ICD10_BAD_FIELDS;
	}
	if (st == ICD10_OK)
		out->chapter = icd10_chapter(out->code);
	return st;
}

const char *
icd10_status_text(enum icd10_status st)
{
	return (unsigned)st < ICD10__MAX ? status_texts[st] : "unknown status";
}

enum icd10_format
icd10_format_named(const char *name)
{
	if (name && strcmp(name, "project") == 0)
		return ICD10_FORMAT_PROJECT;
	if (name && strcmp(name, "cms-order") == 0)
		return ICD10_FORMAT_CMS_ORDER;
	return ICD10_FORMAT__MAX;
}
