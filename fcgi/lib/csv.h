/* csv: one line of a delimited catalog file split into fields: RFC 4180
 * CSV (commas, "quoted, fields" with "" for a quote) or plain TSV (tabs,
 * no quoting). Pure: no I/O, no allocation. A record is one line: a
 * quoted field cannot hold a line break. */
#ifndef MEDSYS_CSV_H
#define MEDSYS_CSV_H

#include <stddef.h>

enum csv_dialect {
	CSV_COMMA = 0,      /* ',' separates; '"' quotes a field */
	CSV_TAB,            /* '\t' separates; quotes are ordinary bytes */
	CSV__MAX
};

/* Split len bytes of line into at most max fields. Each field is written,
 * unquoted and NUL-terminated, into buf (buflen bytes: len + max is always
 * enough) and field[i] points at it. Returns the number of fields (an
 * empty line is one empty field), or -1: more than max fields, buf too
 * small, a NUL byte, or (CSV_COMMA) a quote that is not closed, or text after a
 * closing quote. */
int csv_split(enum csv_dialect d, const char *line, size_t len, char *buf, size_t buflen,
              const char **field, size_t max);

/* What a line of a catalog file with a header line is, before its fields
 * are read (the formulary and lab catalog files share the rules). */
enum csv_line {
	CSV_LINE_ROW = 0,       /* a record to split and check */
	CSV_LINE_SKIP,          /* blank, or a '#' comment */
	CSV_LINE_HEADER,        /* the header line */
	CSV_LINE_BAD_LENGTH,    /* longer than max bytes */
	CSV_LINE_BAD_HEADER,    /* the first other line is not the header */
	CSV_LINE_BAD_FIELDS,    /* (csv_line_problem only) not the header's columns */
	CSV_LINE__MAX
};

/* Classify line (*len bytes, no newline; a trailing '\r' is dropped from
 * *len). header_seen: 0 until the header has been read; the first line
 * that is not blank or a comment must be exactly header. */
enum csv_line csv_catalog_line(const char *line, size_t *len, size_t max, int header_seen,
                               const char *header);

/* What is wrong with a line of status st (BAD_LENGTH, BAD_HEADER or
 * BAD_FIELDS) of a file whose lines are at most max bytes and whose header
 * has ncols columns, into buf. Returns buf. */
char *csv_line_problem(enum csv_line st, size_t max, size_t ncols, const char *header, char *buf,
                       size_t len);

/* 1 when s (len bytes) is text as a catalog keeps it: no control
 * character, no space at either end (a stray space would make two rows
 * look different); else 0. Empty text is clean. */
int csv_clean_text(const char *s, size_t len);

/* 1 when s is one of the NULL-terminated list's words (a catalog column
 * of fixed values: routes, severities, sexes...), else 0. */
int csv_one_of(const char *s, const char *const *list);

#endif
