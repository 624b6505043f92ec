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

#endif
