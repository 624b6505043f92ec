/* ics: iCalendar writer (see ics.h). */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L  /* gmtime_r when built on its own */
#endif
#include "ics.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ICS_LINE_MAX 75

struct sbuf {
	char *p;
	size_t len, cap;
	int failed;
};

static void
sb_addn(struct sbuf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (b->len + n + 1 > cap)
			cap *= 2;
		char *np = realloc(b->p, cap);
		if (np == NULL) {
			b->failed = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
sb_add(struct sbuf *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

static char *
sb_finish(struct sbuf *b)
{
	if (b->failed) {
		free(b->p);
		return NULL;
	}
	if (b->p == NULL)
		sb_addn(b, "", 0);
	if (b->failed) {
		free(b->p);
		return NULL;
	}
	return b->p;
}

char *
ics_escape_text(const char *s)
{
	struct sbuf b = { 0 };

	sb_addn(&b, "", 0);
	for (; s != NULL && *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '\\': sb_add(&b, "\\\\"); break;
		case ';':  sb_add(&b, "\\;"); break;
		case ',':  sb_add(&b, "\\,"); break;
		case '\r':
			if (s[1] == '\n')
				s++;
			sb_add(&b, "\\n");
			break;
		case '\n': sb_add(&b, "\\n"); break;
		case '\t': sb_add(&b, "\t"); break;
		default:
			if (c < 0x20 || c == 0x7f)
				break;
			sb_addn(&b, (const char *)&c, 1);
		}
	}
	return sb_finish(&b);
}

/* Add one content line, folded, with CRLF. */
static void
sb_line(struct sbuf *b, const char *line)
{
	size_t len = strlen(line), pos = 0, width = ICS_LINE_MAX;

	for (;;) {
		size_t take = len - pos;
		if (take > width) {
			take = width;
			/* never cut before a UTF-8 continuation byte */
			while (take > 0 &&
			       ((unsigned char)line[pos + take] & 0xC0) == 0x80)
				take--;
			if (take == 0)
				take = width; /* not UTF-8 at all: cut anyway */
		}
		sb_addn(b, line + pos, take);
		sb_add(b, "\r\n");
		pos += take;
		if (pos >= len)
			break;
		sb_add(b, " ");
		width = ICS_LINE_MAX - 1; /* the leading space counts */
	}
}

char *
ics_fold(const char *line)
{
	struct sbuf b = { 0 };

	sb_line(&b, line ? line : "");
	return sb_finish(&b);
}

static void sb_linef(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
sb_linef(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	char *line;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || (line = malloc((size_t)len + 1)) == NULL) {
		b->failed = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(line, (size_t)len + 1, fmt, ap);
	va_end(ap);
	sb_line(b, line);
	free(line);
}

/* NAME:escaped-text, skipped when value is NULL or empty. */
static void
sb_text(struct sbuf *b, const char *name, const char *value)
{
	char *esc;

	if (value == NULL || *value == '\0')
		return;
	if ((esc = ics_escape_text(value)) == NULL) {
		b->failed = 1;
		return;
	}
	sb_linef(b, "%s:%s", name, esc);
	free(esc);
}

static int
has_ctl(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* A parameter value: quoted, with DQUOTE and control characters dropped
 * (RFC 5545 3.1: param values cannot carry DQUOTE). */
static char *
param_value(const char *s)
{
	struct sbuf b = { 0 };

	sb_add(&b, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c < 0x20 || c == 0x7f)
			continue;
		sb_addn(&b, (const char *)&c, 1);
	}
	sb_add(&b, "\"");
	return sb_finish(&b);
}

static void
sb_address(struct sbuf *b, const char *prop, const char *name,
           const char *email, const char *extra)
{
	char *cn = NULL;

	if (email == NULL || *email == '\0')
		return;
	if (name != NULL && *name != '\0' && (cn = param_value(name)) == NULL) {
		b->failed = 1;
		return;
	}
	sb_linef(b, "%s%s%s%s:mailto:%s", prop, cn ? ";CN=" : "", cn ? cn : "",
	         extra ? extra : "", email);
	free(cn);
}

static int
utc_stamp(time_t t, char out[17])
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		return -1;
	if (strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm) != 16)
		return -1;
	return 0;
}

static int
valid_status(const char *s)
{
	return s == NULL || strcmp(s, "CONFIRMED") == 0 ||
	       strcmp(s, "CANCELLED") == 0 || strcmp(s, "TENTATIVE") == 0;
}

char *
ics_calendar(const struct ics_event *ev, size_t n, const char *method)
{
	struct sbuf b = { 0 };
	int cancel = 0;

	if (method != NULL) {
		if (strcmp(method, "CANCEL") == 0)
			cancel = 1;
		else if (strcmp(method, "REQUEST") != 0 &&
		         strcmp(method, "PUBLISH") != 0)
			return NULL;
	}
	if (n > 0 && ev == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (ev[i].uid == NULL || ev[i].uid[0] == '\0' ||
		    ev[i].dtend <= ev[i].dtstart || ev[i].sequence < 0 ||
		    !valid_status(ev[i].status) ||
		    has_ctl(ev[i].organizer_email) ||
		    has_ctl(ev[i].attendee_email) || has_ctl(ev[i].url) ||
		    (ev[i].organizer_email && strpbrk(ev[i].organizer_email, ";:\"")) ||
		    (ev[i].attendee_email && strpbrk(ev[i].attendee_email, ";:\"")))
			return NULL;
	}

	sb_line(&b, "BEGIN:VCALENDAR");
	sb_line(&b, "VERSION:2.0");
	sb_line(&b, "PRODID:" ICS_PRODID);
	sb_line(&b, "CALSCALE:GREGORIAN");
	if (method != NULL)
		sb_linef(&b, "METHOD:%s", method);
	for (size_t i = 0; i < n; i++) {
		const struct ics_event *e = &ev[i];
		char st[17], en[17], ds[17];
		const char *status = cancel ? "CANCELLED" : e->status;

		if (utc_stamp(e->dtstart, st) < 0 || utc_stamp(e->dtend, en) < 0 ||
		    utc_stamp(e->dtstamp ? e->dtstamp : time(NULL), ds) < 0) {
			b.failed = 1;
			break;
		}
		sb_line(&b, "BEGIN:VEVENT");
		sb_text(&b, "UID", e->uid);
		sb_linef(&b, "SEQUENCE:%d", e->sequence);
		sb_linef(&b, "DTSTAMP:%s", ds);
		sb_linef(&b, "DTSTART:%s", st);
		sb_linef(&b, "DTEND:%s", en);
		sb_text(&b, "SUMMARY", e->summary);
		sb_text(&b, "DESCRIPTION", e->description);
		sb_text(&b, "LOCATION", e->location);
		if (status != NULL)
			sb_linef(&b, "STATUS:%s", status);
		sb_address(&b, "ORGANIZER", e->organizer_name, e->organizer_email,
		           NULL);
		sb_address(&b, "ATTENDEE", e->attendee_name, e->attendee_email,
		           cancel ? NULL : ";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED");
		if (e->url != NULL && *e->url != '\0')
			sb_linef(&b, "URL:%s", e->url);
		sb_line(&b, "TRANSP:OPAQUE");
		sb_line(&b, "END:VEVENT");
	}
	sb_line(&b, "END:VCALENDAR");
	return sb_finish(&b);
}
