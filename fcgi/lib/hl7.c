/* hl7: reading HL7 v2 messages in place and decoding their values. */
#include "hl7.h"

#include <stdio.h>
#include <string.h>

#include "datetime.h"
#include "hex.h"

/* The batch envelope's segments: read, never part of a message. */
static int
is_batch_segment(const char *t, size_t n)
{
	return n >= 3 && (memcmp(t, "FHS", 3) == 0 || memcmp(t, "BHS", 3) == 0 ||
	                  memcmp(t, "BTS", 3) == 0 || memcmp(t, "FTS", 3) == 0);
}

static int
is_msh(const char *t, size_t n)
{
	return n >= 3 && memcmp(t, "MSH", 3) == 0;
}

void
hl7_reader_init(struct hl7_reader *r, const char *buf, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->buf = buf;
	r->len = buf ? len : 0;
	r->line = 1;
}

/* The next line (segment) of the file: its start, length and line
 * number; CR, LF and CRLF each end one. 0 at the end of the file. */
static int
next_line(struct hl7_reader *r, const char **t, size_t *n, size_t *line)
{
	size_t end = r->pos;

	if (r->pos >= r->len)
		return 0;
	while (end < r->len && r->buf[end] != '\r' && r->buf[end] != '\n')
		end++;
	*t = r->buf + r->pos;
	*n = end - r->pos;
	*line = r->line++;
	if (end + 1 < r->len && r->buf[end] == '\r' && r->buf[end + 1] == '\n')
		end++;
	r->pos = end < r->len ? end + 1 : end;
	return 1;
}

/* After a malformed message: on to the next MSH or batch segment (not
 * read), so that the next call starts there. */
static void
skip_message(struct hl7_reader *r)
{
	for (;;) {
		size_t pos = r->pos, line = r->line, n;
		const char *t;
		if (!next_line(r, &t, &n, &line))
			return;
		if (is_msh(t, n) || is_batch_segment(t, n)) {
			r->pos = pos;
			r->line = line;
			return;
		}
	}
}

/* BTS-1, the batch's message count, when the segment gives one. */
static void
note_batch_count(struct hl7_reader *r, const char *t, size_t n)
{
	size_t count = 0, i = 4, digits = 0;

	if (n < 5)
		return;
	for (; i < n && t[i] >= '0' && t[i] <= '9' && digits < 9; i++, digits++)
		count = count * 10 + (size_t)(t[i] - '0');
	if (digits > 0 && (i == n || t[i] == t[3])) {
		r->batch_count = count;
		r->batch_count_seen = 1;
	}
}

static int
is_delim_char(char c)
{
	return c > ' ' && c < 0x7f && !(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z') &&
	       !(c >= 'a' && c <= 'z');
}

/* MSH-1 and MSH-2: five different printable, non-alphanumeric characters
 * (a fifth encoding character, v2.7's truncation, is allowed and
 * ignored). 0, or -1. */
static int
parse_delims(const char *t, size_t n, struct hl7_delims *d)
{
	size_t enc = 0;
	char c[6];

	if (n < 8)
		return -1;
	c[0] = t[3];
	while (4 + enc < n && t[4 + enc] != t[3] && enc < 5)
		enc++;
	if (enc < 4 || (4 + enc < n && t[4 + enc] != t[3]))
		return -1;
	memcpy(c + 1, t + 4, 4);
	for (int i = 0; i < 5; i++) {
		if (!is_delim_char(c[i]))
			return -1;
		for (int j = 0; j < i; j++)
			if (c[i] == c[j])
				return -1;
	}
	d->field = c[0];
	d->component = c[1];
	d->repetition = c[2];
	d->escape = c[3];
	d->subcomponent = c[4];
	return 0;
}

/* A segment of the message: its id and bytes checked. */
static enum hl7_status
check_segment(const struct hl7_message *m, const char *t, size_t n)
{
	if (n > HL7_SEGMENT_MAX)
		return HL7_TOO_LONG;
	if (n < 3 || (n > 3 && t[3] != m->d.field))
		return HL7_BAD_SEGMENT;
	for (int i = 0; i < 3; i++)
		if (!((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= '0' && t[i] <= '9')))
			return HL7_BAD_SEGMENT;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)t[i] < 0x20 && t[i] != '\t') || t[i] == 0x7f)
			return HL7_BAD_BYTE;
	if (m->nsegments == HL7_SEGMENTS_MAX)
		return HL7_TOO_MANY_SEGMENTS;
	return HL7_OK;
}

/* A malformed message: where, and on to the next one. */
static enum hl7_status
refuse(struct hl7_reader *r, struct hl7_message *m, enum hl7_status st, size_t line)
{
	m->bad_segment = m->nsegments + 1;
	m->bad_line = line;
	skip_message(r);
	return st;
}

enum hl7_status
hl7_read(struct hl7_reader *r, struct hl7_message *m)
{
	const char *t;
	size_t n, line;

	m->nsegments = 0;
	m->number = m->line = m->bad_segment = m->bad_line = 0;
	for (;;) {
		size_t pos = r->pos, at = r->line;
		enum hl7_status st;
		if (!next_line(r, &t, &n, &line))
			return m->nsegments ? HL7_OK : HL7_END;
		if (n == 0)
			continue;                       /* a blank line between messages */
		if ((is_batch_segment(t, n) || is_msh(t, n)) && m->nsegments) {
			r->pos = pos;                   /* the next message's: not read */
			r->line = at;
			return HL7_OK;
		}
		if (is_batch_segment(t, n)) {
			if (memcmp(t, "BTS", 3) == 0)
				note_batch_count(r, t, n);
			continue;
		}
		if (m->nsegments == 0) {
			m->number = ++r->messages;
			m->line = line;
			if (!is_msh(t, n))
				return refuse(r, m, HL7_NO_MSH, line);
			if (parse_delims(t, n, &m->d) == -1)
				return refuse(r, m, HL7_BAD_MSH, line);
		}
		if ((st = check_segment(m, t, n)) != HL7_OK)
			return refuse(r, m, st, line);
		m->seg[m->nsegments].text = t;
		m->seg[m->nsegments].len = n;
		memcpy(m->seg[m->nsegments].id, t, 3);
		m->seg[m->nsegments].id[3] = '\0';
		m->nsegments++;
	}
}

/* Piece i (0-based) of text split by c: its span; 0 when there is none. */
static int
piece(const char *text, size_t len, char c, size_t i, const char **p, size_t *n)
{
	size_t start = 0;

	for (size_t k = 0; k < i; k++) {
		const char *sep = memchr(text + start, c, len - start);
		if (sep == NULL)
			return 0;
		start = (size_t)(sep - text) + 1;
	}
	{
		const char *sep = memchr(text + start, c, len - start);
		*p = text + start;
		*n = sep ? (size_t)(sep - *p) : len - start;
	}
	return 1;
}

static size_t
count_char(const char *p, size_t n, char c)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += p[i] == c;
	return k;
}

/* The raw bytes of field f of segment s; 0 when absent. *raw is set for
 * MSH-1 and MSH-2, which are not split or decoded. */
static int
field_span(const struct hl7_message *m, size_t s, unsigned f, const char **p, size_t *n, int *raw)
{
	const struct hl7_segment *g;
	int msh;

	if (s >= m->nsegments || f == 0)
		return 0;
	g = &m->seg[s];
	msh = strcmp(g->id, "MSH") == 0;
	*raw = msh && f <= 2;
	if (msh && f == 1) {
		*p = g->text + 3;
		*n = 1;
		return 1;
	}
	return piece(g->text, g->len, m->d.field, msh ? f - 1 : f, p, n);
}

/* Append byte c to out; -1 when it does not fit (room for the NUL kept). */
static int
put(char *out, size_t outlen, size_t *w, char c)
{
	if (*w + 1 >= outlen)
		return -1;
	out[(*w)++] = c;
	return 0;
}

/* Decode one escape sequence's content (e, n bytes between the escape
 * characters) into out. 0, or -1. */
static int
unescape(const struct hl7_delims *d, const char *e, size_t n, char *out, size_t outlen, size_t *w)
{
	if (n == 1) {
		switch (e[0]) {
		case 'F': return put(out, outlen, w, d->field);
		case 'S': return put(out, outlen, w, d->component);
		case 'T': return put(out, outlen, w, d->subcomponent);
		case 'R': return put(out, outlen, w, d->repetition);
		case 'E': return put(out, outlen, w, d->escape);
		case 'H': case 'N': return 0;         /* highlighting on, off */
		default: return -1;
		}
	}
	if (e[0] == 'X' && n >= 3 && n % 2 == 1) {
		for (size_t i = 1; i < n; i += 2) {
			int hi = hex_value((unsigned char)e[i]), lo = hex_value((unsigned char)e[i + 1]);
			unsigned char b = (unsigned char)(hi * 16 + lo);
			if (hi < 0 || lo < 0 || (b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f)
				return -1;
			if (b != '\r' && put(out, outlen, w, (char)b) == -1)
				return -1;
		}
		return 0;
	}
	if (n == 3 && (memcmp(e, ".br", 3) == 0 || memcmp(e, ".sp", 3) == 0))
		return put(out, outlen, w, '\n');
	return e[0] == '.' ? 0 : -1;              /* other formatting commands: dropped */
}

static long
decode(const struct hl7_delims *d, const char *p, size_t n, char *out, size_t outlen)
{
	size_t w = 0;

	if (outlen == 0)
		return -1;
	if (n == 2 && p[0] == '"' && p[1] == '"')
		n = 0;                                /* HL7's explicit null */
	for (size_t i = 0; i < n; i++) {
		if (p[i] == d->escape) {
			const char *close = memchr(p + i + 1, d->escape, n - i - 1);
			if (close == NULL || close == p + i + 1 ||
			    unescape(d, p + i + 1, (size_t)(close - p) - i - 1, out, outlen, &w) == -1)
				return -1;
			i = (size_t)(close - p);
		} else if (put(out, outlen, &w, p[i]) == -1) {
			return -1;
		}
	}
	out[w] = '\0';
	return (long)w;
}

long
hl7_get(const struct hl7_message *m, size_t s, unsigned field, unsigned rep, unsigned comp,
        unsigned sub, char *out, size_t outlen)
{
	const char *p;
	size_t n;
	int raw = 0;

	if (out == NULL || outlen == 0 || rep == 0 || comp == 0 || sub == 0)
		return -1;
	out[0] = '\0';
	if (!field_span(m, s, field, &p, &n, &raw))
		return 0;
	if (raw) {
		if (rep > 1 || comp > 1 || sub > 1)
			return 0;
		if (n + 1 > outlen)
			return -1;
		memcpy(out, p, n);
		out[n] = '\0';
		return (long)n;
	}
	if (!piece(p, n, m->d.repetition, rep - 1, &p, &n) ||
	    !piece(p, n, m->d.component, comp - 1, &p, &n) ||
	    !piece(p, n, m->d.subcomponent, sub - 1, &p, &n))
		return 0;
	return decode(&m->d, p, n, out, outlen);
}

unsigned
hl7_fields(const struct hl7_message *m, size_t s)
{
	const struct hl7_segment *g;
	size_t seps;

	if (s >= m->nsegments)
		return 0;
	g = &m->seg[s];
	seps = count_char(g->text, g->len, m->d.field);
	return (unsigned)(strcmp(g->id, "MSH") == 0 ? seps + 1 : seps);
}

unsigned
hl7_repetitions(const struct hl7_message *m, size_t s, unsigned field)
{
	const char *p;
	size_t n;
	int raw = 0;

	if (!field_span(m, s, field, &p, &n, &raw) || n == 0)
		return 0;
	return raw ? 1 : (unsigned)count_char(p, n, m->d.repetition) + 1;
}

size_t
hl7_find(const struct hl7_message *m, const char *id, size_t from)
{
	for (size_t i = from; i < m->nsegments; i++)
		if (strcmp(m->seg[i].id, id) == 0)
			return i;
	return m->nsegments;
}

const char *
hl7_status_text(enum hl7_status st)
{
	static const char *const texts[HL7__STATUS_MAX] = {
		[HL7_OK] = "the message is well formed",
		[HL7_END] = "no message left",
		[HL7_NO_MSH] = "a segment before the message's MSH",
		[HL7_BAD_MSH] = "MSH does not give five different delimiters (MSH-1, MSH-2: |^~\\&)",
		[HL7_BAD_SEGMENT] = "a segment that is not a 3-character id followed by the field separator",
		[HL7_TOO_MANY_SEGMENTS] = "more segments than a message may have",
		[HL7_TOO_LONG] = "a segment longer than 65536 bytes",
		[HL7_BAD_BYTE] = "a control byte inside a segment",
	};
	return (unsigned)st < HL7__STATUS_MAX ? texts[st] : "unknown status";
}

int
hl7_time_iso(const char *s, char *out, size_t outlen)
{
	size_t len = s ? strcspn(s, "+-") : 0, frac = 0;
	int y, mo, d, h = 0, mi = 0, sec = 0, zone = 0;
	char zbuf[8] = "";

	if (s == NULL || outlen < 32 || len < 8)
		return -1;
	y = dt_digits(s, 4), mo = dt_digits(s + 4, 2), d = dt_digits(s + 6, 2);
	if (y < 1800 || mo < 1 || mo > 12 || d < 1 || d > dt_days_in_month(y, mo))
		return -1;
	if (len >= 10 && (h = dt_digits(s + 8, 2)) < 0)
		return -1;
	if (len >= 12 && (mi = dt_digits(s + 10, 2)) < 0)
		return -1;
	if (len >= 14 && (sec = dt_digits(s + 12, 2)) < 0)
		return -1;
	if (len > 14) {
		if (s[14] != '.' || (frac = strspn(s + 15, "0123456789")) == 0 || frac > 4 || 15 + frac != len)
			return -1;
	} else if (len != 8 && len != 10 && len != 12 && len != 14) {
		return -1;
	}
	if (h > 23 || mi > 59 || sec > 59)
		return -1;
	if (s[len] != '\0') {
		int zh = dt_digits(s + len + 1, 2), zm = dt_digits(s + len + 3, 2);
		if (strlen(s + len) != 5 || zh < 0 || zh > 14 || zm < 0 || zm > 59)
			return -1;
		zone = 1;
		snprintf(zbuf, sizeof(zbuf), "%c%02d%02d", s[len], zh, zm);
	}
	snprintf(out, outlen, "%04d-%02d-%02d %02d:%02d:%02d%s%.*s%s", y, mo, d, h, mi, sec,
	         frac ? "." : "", (int)frac, frac ? s + 15 : "", zone ? zbuf : "");
	return 0;
}
