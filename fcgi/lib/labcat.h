/* labcat: the lines of the lab catalog files (data/lab/: analytes,
 * ranges, panels, unit conversions), checked column by column and across
 * columns against what lab.analytes, lab.ranges, lab.panels and
 * lab.unit_conversions accept (sql/migrations/024_lab_catalog.sql). Pure:
 * a line in, its fields out; no I/O, no allocation. docs/catalogs.md and
 * data/lab/README.md describe the columns. */
#ifndef MEDSYS_LABCAT_H
#define MEDSYS_LABCAT_H

#include <stddef.h>

/* Bytes of one line, newline excluded. */
#define LABCAT_LINE_MAX 2000
/* The widest file's columns (analytes). */
#define LABCAT_FIELDS_MAX 11

enum labcat_kind {
	LABCAT_ANALYTES = 0,    /* analytes.csv -> lab.analytes */
	LABCAT_CONVERSIONS,     /* conversions.csv -> lab.unit_conversions */
	LABCAT_PANELS,          /* panels.csv -> lab.panels, lab.panel_members */
	LABCAT_RANGES,          /* ranges.csv -> lab.ranges */
	LABCAT__MAX             /* in the order a directory is loaded: what a
	                         * file names comes before it */
};

/* What a line held. From LABCAT_BAD_LENGTH on the line is malformed;
 * labcat_problem says how. */
enum labcat_status {
	LABCAT_OK = 0,
	LABCAT_SKIP,            /* blank line or '#' comment */
	LABCAT_HEADER,          /* the header line: the column names in order */
	LABCAT_BAD_LENGTH,      /* longer than LABCAT_LINE_MAX */
	LABCAT_BAD_HEADER,      /* a first line that is not the header */
	LABCAT_BAD_FIELDS,      /* not the number of columns, or bad quoting */
	LABCAT_BAD_VALUE,       /* a column's value (bad_column, why) */
	LABCAT__STATUS_MAX
};

struct labcat_row {
	char buf[LABCAT_LINE_MAX + LABCAT_FIELDS_MAX + 1];
	const char *field[LABCAT_FIELDS_MAX];  /* nfields of them, in column order */
	size_t nfields;
	size_t bad_column;                     /* LABCAT_BAD_VALUE: 0-based */
	const char *why;                       /* LABCAT_BAD_VALUE: what is wrong */
};

/* Parse one line (len bytes without its newline; a trailing '\r' is
 * ignored) of a file of kind k; header_seen as csv_catalog_line. OK fills
 * every field (an optional column may be ""). Checked: each column's
 * shape, and the rules between columns (a coded analyte lists its
 * choices and its normal ones among them; low < high; critical limits
 * beyond the range; an age band's end after its start; a panel lists an
 * analyte once...). Not checked: that a code named exists (the import's),
 * UTF-8 (core's utf8_valid_text). */
enum labcat_status labcat_parse_line(enum labcat_kind k, int header_seen, const char *line,
                                     size_t len, struct labcat_row *out);

/* The number of columns of kind k, the name of column i ("high"), the
 * header line (the names separated by commas). */
size_t labcat_columns(enum labcat_kind k);
const char *labcat_column_name(enum labcat_kind k, size_t i);
const char *labcat_header(enum labcat_kind k);

/* What is wrong with a line of status st ("column 6 (high) is not above
 * low"), written into buf. Returns buf. */
char *labcat_problem(enum labcat_kind k, enum labcat_status st, const struct labcat_row *row,
                     char *buf, size_t len);

/* The kind a file of this name holds ("analytes.csv" ...; any directory
 * part is ignored), or LABCAT__MAX. */
enum labcat_kind labcat_kind_of_file(const char *path);

/* The file name of kind k ("ranges.csv"). */
const char *labcat_file_name(enum labcat_kind k);

/* 1 when s is a LOINC code: 1 to 7 digits, '-', a check digit, and the
 * check digit is right (LOINC's mod 10 algorithm); else 0. */
int labcat_is_loinc(const char *s);

/* 1 when s is a UCUM unit as the catalog writes it (1 to 40 bytes of
 * letters, digits and . / * [ ] { } _ % ^ -); else 0. */
int labcat_is_unit(const char *s);

/* Item i (0-based) of a ';'-separated list copied into out (outlen
 * bytes). 1, or 0 when there is no item i or it does not fit. */
int labcat_list_item(const char *list, size_t i, char *out, size_t outlen);

#endif
