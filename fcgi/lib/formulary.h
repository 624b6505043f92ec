/* formulary: the lines of the prescription catalog files (data/formulary/:
 * products, interaction pairs, allergy terms), checked column by column
 * against what rx.products, rx.interactions and rx.allergy_terms accept
 * (sql/migrations/018_rx_catalog.sql). Pure: a line in, its fields out;
 * no I/O, no allocation. docs/catalogs.md and data/formulary/README.md
 * describe the columns. */
#ifndef MEDSYS_FORMULARY_H
#define MEDSYS_FORMULARY_H

#include <stddef.h>

/* Bytes of one line, newline excluded. */
#define FCAT_LINE_MAX 4000
/* The widest file's columns (products). */
#define FCAT_FIELDS_MAX 17

enum fcat_kind {
	FCAT_PRODUCTS = 0,      /* formulary.csv -> rx.products */
	FCAT_INTERACTIONS,      /* interactions.csv -> rx.interactions */
	FCAT_ALLERGY_TERMS,     /* allergy_terms.csv -> rx.allergy_terms */
	FCAT__MAX
};

/* What a line held. From FCAT_BAD_LENGTH on the line is malformed;
 * fcat_problem says how. */
enum fcat_status {
	FCAT_OK = 0,
	FCAT_SKIP,              /* blank line or '#' comment */
	FCAT_HEADER,            /* the header line: the column names in order */
	FCAT_BAD_LENGTH,        /* longer than FCAT_LINE_MAX */
	FCAT_BAD_HEADER,        /* a first line that is not the header */
	FCAT_BAD_FIELDS,        /* not the number of columns, or bad quoting */
	FCAT_BAD_VALUE,         /* one column's value is not what it may hold */
	FCAT_BAD_PAIR,          /* an interaction of a drug with itself */
	FCAT__STATUS_MAX
};

struct fcat_row {
	char buf[FCAT_LINE_MAX + FCAT_FIELDS_MAX + 1];
	const char *field[FCAT_FIELDS_MAX];  /* nfields of them, in column order */
	size_t nfields;
	size_t bad_column;                   /* FCAT_BAD_VALUE: the column (0-based) */
};

/* Parse one line (len bytes without its newline; a trailing '\r' is
 * ignored) of a file of kind k. header_seen: 0 until the header line has
 * been read, the first line that is not blank or a comment must be it
 * (FCAT_HEADER, else FCAT_BAD_HEADER). FCAT_OK fills every field of *out
 * (an optional column may be ""); the other statuses leave the fields
 * unspecified but set bad_column for FCAT_BAD_VALUE. Text is checked for
 * control characters, not for UTF-8 (the caller's: core's utf8_valid_text). */
enum fcat_status fcat_parse_line(enum fcat_kind k, int header_seen, const char *line, size_t len,
                                 struct fcat_row *out);

/* The number of columns of kind k, and the name of column i ("atc"). */
size_t fcat_columns(enum fcat_kind k);
const char *fcat_column_name(enum fcat_kind k, size_t i);

/* What is wrong with a line of status st (for FCAT_BAD_VALUE, with the
 * column row->bad_column named), written into buf as a message to end
 * with a line number. Returns buf. */
char *fcat_problem(enum fcat_kind k, enum fcat_status st, const struct fcat_row *row,
                   char *buf, size_t len);

/* The header line of kind k: the column names separated by commas. */
const char *fcat_header(enum fcat_kind k);

/* The kind called name ("formulary", "interactions", "allergy-terms"), or
 * FCAT__MAX. */
enum fcat_kind fcat_kind_named(const char *name);

/* 1 when s (NUL-terminated) is a drug reference of the interaction and
 * allergy files: an ingredient (INN in lowercase: "warfarin", "valproic
 * acid"), "class:NAME" (lowercase, digits, '_') or "atc:PREFIX" (the start
 * of an ATC code, "atc:J01C"); else 0. */
int fcat_is_drug_ref(const char *s);

/* 1 when s is a well-formed 7-character ATC code (J01CA04); else 0. */
int fcat_is_atc(const char *s);

#endif
