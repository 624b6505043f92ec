/* icd10: ICD-10 codes and the lines of the catalog files that carry them
 * (the project's own TSV and the CMS ICD-10-CM order file). Pure: a line
 * in, an entry out; no I/O, no allocation, no locale. docs/catalogs.md
 * describes both formats. */
#ifndef MEDSYS_ICD10_H
#define MEDSYS_ICD10_H

#include <stddef.h>

/* "S52.521A": three characters, a dot, at most four more. */
#define ICD10_CODE_MAX 8
/* Bytes of one title (UTF-8). The CMS long titles stay under 330. */
#define ICD10_TITLE_MAX 600
/* Bytes of one line, newline excluded. */
#define ICD10_LINE_MAX 2000

enum icd10_format {
	ICD10_FORMAT_PROJECT = 0,   /* data/icd10/ TSV: code, leaf, title_es, title_en */
	ICD10_FORMAT_CMS_ORDER,     /* icd10cm_order_YYYY.txt, fixed columns */
	ICD10_FORMAT__MAX
};

/* What a line held. Everything from ICD10_BAD_* on is a malformed line;
 * icd10_status_text says what is wrong with it. */
enum icd10_status {
	ICD10_OK = 0,
	ICD10_SKIP,             /* blank line or '#' comment (project format) */
	ICD10_BAD_LENGTH,       /* longer than ICD10_LINE_MAX, or a CMS line too short */
	ICD10_BAD_FIELDS,       /* not the number or layout of fields the format has */
	ICD10_BAD_ORDER,        /* CMS: the order number is not five digits */
	ICD10_BAD_CODE,         /* not an ICD-10 code */
	ICD10_BAD_LEAF,         /* the leaf / header flag is not 0 or 1 */
	ICD10_BAD_TITLE,        /* a title empty, too long, or with a control character */
	ICD10__MAX
};

struct icd10_entry {
	char code[ICD10_CODE_MAX + 1];      /* normalised: "J45.909", "E11", "U07.1" */
	int leaf;                           /* 1: a code to record; 0: a heading with subdivisions */
	int chapter;                        /* 1..22 (icd10_chapter) */
	char title_es[ICD10_TITLE_MAX + 1]; /* "" when the format has no Spanish title */
	char title_en[ICD10_TITLE_MAX + 1];
};

/* Normalise len bytes of s (dotted or not, any case: "j459", "J45.9",
 * " E11.9 " is refused: no spaces) into out: uppercase, a dot after the
 * third character when there are more. A code is a letter, a digit, a
 * letter or digit (O9A, M1A, Z3A), then up to four letters or digits.
 * 0, or -1 (out untouched) when s is not such a code. */
int icd10_code_normalise(const char *s, size_t len, char out[ICD10_CODE_MAX + 1]);

/* The chapter (1..22) of a normalised code, from its three-character
 * category: the chapter ranges of ICD-10-CM, which contain WHO ICD-10's
 * (A00-B99 is 1, ..., Z00-Z99 is 21, U00-U85 is 22). */
int icd10_chapter(const char *code);

/* Parse one line (len bytes, without its newline; a trailing '\r' is
 * ignored) of format f into *out. ICD10_OK fills every field of *out;
 * ICD10_SKIP and the ICD10_BAD_* statuses leave *out in an unspecified
 * state. Titles are copied as bytes: checking that they are UTF-8 is the
 * caller's (core's utf8_valid_text). */
enum icd10_status icd10_parse_line(enum icd10_format f, const char *line, size_t len,
                                   struct icd10_entry *out);

/* What is wrong with a line of that status, for a message ending in a
 * line number ("the code is not an ICD-10 code ..."). */
const char *icd10_status_text(enum icd10_status st);

/* The format called name ("project", "cms-order"), or ICD10_FORMAT__MAX. */
enum icd10_format icd10_format_named(const char *name);

#endif
