/* csv: splitting one catalog line into fields (CSV or TSV). */
#include "csv.h"

#include <stdio.h>
#include <string.h>

/* Copy one field starting at line[*at] into buf[*used..]; *at ends on the
 * separator after it (or len). 0, or -1 for bad quoting or no room. */
static int
take_field(enum csv_dialect d, const char *line, size_t len, size_t *at,
           char *buf, size_t buflen, size_t *used)
{
	char sep = d == CSV_TAB ? '\t' : ',';
	size_t i = *at, n = *used;
	int quoted = d == CSV_COMMA && i < len && line[i] == '"';

	if (quoted)
		i++;
	for (; i < len; i++) {
		char c = line[i];
		if (c == '\0')
			return -1;            /* a field is a C string */
		if (quoted && c == '"') {
			if (i + 1 < len && line[i + 1] == '"') {
				i++;              /* "" is one quote */
			} else {
				quoted = -1;      /* closed: the separator must follow */
				i++;
				break;
			}
		} else if (!quoted && c == sep) {
			break;
		}
		if (n + 1 >= buflen)
			return -1;
		buf[n++] = c;
	}
	if (quoted == 1 || (quoted == -1 && i < len && line[i] != sep))
		return -1;
	if (n >= buflen)
		return -1;
	buf[n++] = '\0';
	*at = i;
	*used = n;
	return 0;
}

int
csv_split(enum csv_dialect d, const char *line, size_t len, char *buf, size_t buflen,
          const char **field, size_t max)
{
	size_t at = 0, used = 0, nf = 0;

	if (line == NULL || buf == NULL || field == NULL || (unsigned)d >= CSV__MAX)
		return -1;
	for (;;) {
		size_t start = used;
		if (nf == max || take_field(d, line, len, &at, buf, buflen, &used) == -1)
			return -1;
		field[nf++] = buf + start;
		if (at >= len)
			break;
		at++;                         /* the separator */
		if (at == len) {              /* a trailing separator: one empty field more */
			if (nf == max || used >= buflen)
				return -1;
			buf[used] = '\0';
			field[nf++] = buf + used++;
			break;
		}
	}
	return (int)nf;
}

enum csv_line
csv_catalog_line(const char *line, size_t *len, size_t max, int header_seen, const char *header)
{
	size_t n = *len, blank = 0;

	if (n > 0 && line[n - 1] == '\r')
		n--;
	*len = n;
	if (n > max)
		return CSV_LINE_BAD_LENGTH;
	while (blank < n && line[blank] == ' ')
		blank++;
	if (blank == n || line[0] == '#')
		return CSV_LINE_SKIP;
	if (!header_seen) {
		size_t hl = strlen(header);
		return hl == n && memcmp(header, line, n) == 0 ? CSV_LINE_HEADER : CSV_LINE_BAD_HEADER;
	}
	return CSV_LINE_ROW;
}

int
csv_clean_text(const char *s, size_t len)
{
	if (len > 0 && (s[0] == ' ' || s[len - 1] == ' '))
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

char *
csv_line_problem(enum csv_line st, size_t max, size_t ncols, const char *header, char *buf, size_t len)
{
	switch (st) {
	case CSV_LINE_BAD_LENGTH: snprintf(buf, len, "the line is longer than %zu bytes", max); break;
	case CSV_LINE_BAD_HEADER: snprintf(buf, len, "the first line must be the header \"%s\"", header); break;
	case CSV_LINE_BAD_FIELDS:
		snprintf(buf, len, "the line does not have the %zu columns of the header \"%s\" "
		         "(a comma inside a value needs the value in double quotes)", ncols, header);
		break;
	default: snprintf(buf, len, "the line is not malformed"); break;
	}
	return buf;
}

int
csv_one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}
