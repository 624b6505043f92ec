/* mailmsg: building one text/plain e-mail message (no I/O). */
#include "mailmsg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Longest {placeholder} name; longer brace groups are copied as text. */
#define PLACEHOLDER_MAX 64
/* Bytes of UTF-8 text per RFC 2047 encoded word: base64 of 39 bytes is 52
 * characters, so "=?UTF-8?B?" + 52 + "?=" is 64, and even the first word
 * after "Subject: " stays within 76 characters. */
#define EW_BYTES 39
/* A line of quoted-printable text holds at most 76 characters, the soft
 * break '=' included. */
#define QP_LINE 76
/* Longer plain ASCII subjects are encoded (and so folded) all the same. */
#define PLAIN_HEADER_MAX 900
#define LINK_PATH_MAX 2048
#define MESSAGE_ID_MAX 200

static const char *const status_text[MAILMSG__MAX] = {
	[MAILMSG_OK] = "ok",
	[MAILMSG_BAD_HEADER] = "control character in a header value",
	[MAILMSG_BAD_ADDRESS] = "invalid e-mail address",
	[MAILMSG_MISSING_PARAM] = "a placeholder has no parameter",
	[MAILMSG_BAD_LINK] = "invalid link_path or base_url",
	[MAILMSG_BAD_INPUT] = "invalid template or message id",
	[MAILMSG_NOMEM] = "out of memory",
};

const char *
mailmsg_status_text(enum mailmsg_status st)
{
	return st >= 0 && st < MAILMSG__MAX ? status_text[st] : "unknown";
}

/* ------------------------------------------------------------ buffer */

struct buf {
	char *p;
	size_t len, cap;
	int oom;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->cap - b->len < n + 1) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;
		while (cap - b->len < n + 1)
			cap *= 2;
		if ((p = realloc(b->p, cap)) == NULL) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void
buf_char(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

/* Hand the text over (or free it on st != MAILMSG_OK). */
static enum mailmsg_status
buf_finish(struct buf *b, enum mailmsg_status st, char **out, size_t *outlen)
{
	if (st == MAILMSG_OK && !b->oom && b->p == NULL)
		buf_add(b, "", 0);
	if (st == MAILMSG_OK && b->oom)
		st = MAILMSG_NOMEM;
	if (st != MAILMSG_OK) {
		free(b->p);
		*out = NULL;
		if (outlen)
			*outlen = 0;
		return st;
	}
	*out = b->p;
	if (outlen)
		*outlen = b->len;
	return MAILMSG_OK;
}

/* ------------------------------------------------------------ checks */

static int
is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static int
has_ctl(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (is_ctl(*p))
			return 1;
	return 0;
}

static int
is_ascii_printable(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			return 0;
	return 1;
}

int
mailmsg_addr_valid(const char *addr)
{
	const char *at, *d;
	size_t len;

	if (addr == NULL || (len = strlen(addr)) < 3 || len > 254)
		return 0;
	if ((at = strchr(addr, '@')) == NULL || strchr(at + 1, '@') != NULL)
		return 0;
	if (at == addr || at - addr > 64 || addr[0] == '.' || at[-1] == '.')
		return 0;
	for (const char *p = addr; p < at; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= 0x20 || c >= 0x7f || strchr("<>()[]\\,;:\"", c) != NULL)
			return 0;
	}
	d = at + 1;
	if (*d == '\0' || *d == '.' || *d == '-' || d[strlen(d) - 1] == '.' ||
	    strstr(d, "..") != NULL)
		return 0;
	for (const char *p = d; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
			return 0;
	return 1;
}

/* Split a From value into its display name (trimmed, unquoted) and its
 * address. Both point into copies the caller frees through *store. */
static enum mailmsg_status
split_from(const char *from, char **store, const char **display, const char **addr)
{
	char *s, *lt, *gt, *d, *e;

	*store = NULL;
	if (from == NULL)
		return MAILMSG_BAD_ADDRESS;
	if (has_ctl(from))
		return MAILMSG_BAD_HEADER;
	if ((s = strdup(from)) == NULL)
		return MAILMSG_NOMEM;
	*store = s;
	if ((lt = strrchr(s, '<')) == NULL) {
		while (*s == ' ')
			s++;
		for (e = s + strlen(s); e > s && e[-1] == ' '; e--)
			e[-1] = '\0';
		*display = "";
		*addr = s;
		return mailmsg_addr_valid(s) ? MAILMSG_OK : MAILMSG_BAD_ADDRESS;
	}
	if ((gt = strchr(lt, '>')) == NULL)
		return MAILMSG_BAD_ADDRESS;
	for (const char *t = gt + 1; *t; t++)
		if (*t != ' ')
			return MAILMSG_BAD_ADDRESS;
	*gt = '\0';
	*lt = '\0';
	*addr = lt + 1;
	d = s;
	while (*d == ' ')
		d++;
	for (e = d + strlen(d); e > d && e[-1] == ' '; e--)
		e[-1] = '\0';
	if (*d == '"') {
		size_t n = strlen(d);
		if (n < 2 || d[n - 1] != '"')
			return MAILMSG_BAD_ADDRESS;
		d[n - 1] = '\0';
		d++;
		if (strpbrk(d, "\"\\") != NULL)
			return MAILMSG_BAD_ADDRESS;
	}
	*display = d;
	return mailmsg_addr_valid(*addr) ? MAILMSG_OK : MAILMSG_BAD_ADDRESS;
}

enum mailmsg_status
mailmsg_from_address(const char *from, char *out, size_t outlen)
{
	char *store;
	const char *display, *addr;
	enum mailmsg_status st = split_from(from, &store, &display, &addr);

	if (st == MAILMSG_OK && (size_t)snprintf(out, outlen, "%s", addr) >= outlen)
		st = MAILMSG_BAD_ADDRESS;
	free(store);
	return st;
}

/* ------------------------------------------------------------ placeholders */

static const char *
param_value(const struct mailmsg_param *params, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (params[i].name && strlen(params[i].name) == len &&
		    memcmp(params[i].name, name, len) == 0)
			return params[i].value ? params[i].value : "";
	return NULL;
}

/* A path on our own site: "/x...", not "//host" nor "/\host", printable
 * ASCII without spaces. */
static int
link_path_valid(const char *p)
{
	size_t n = strlen(p);

	if (n == 0 || n > LINK_PATH_MAX || p[0] != '/' || p[1] == '/' || p[1] == '\\')
		return 0;
	for (const unsigned char *c = (const unsigned char *)p; *c; c++)
		if (*c <= 0x20 || *c >= 0x7f)
			return 0;
	return 1;
}

static int
base_url_valid(const char *u)
{
	if (u == NULL || (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0))
		return 0;
	for (const unsigned char *c = (const unsigned char *)u; *c; c++)
		if (*c <= 0x20 || *c >= 0x7f)
			return 0;
	return 1;
}

/* Append a parameter value under the header or body rule. */
static enum mailmsg_status
add_value(struct buf *b, const char *v, int header)
{
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (is_ctl(*p) && *p != '\t') {
			if (header)
				return MAILMSG_BAD_HEADER;
			buf_char(b, ' ');
		} else if (*p == '\t' && header) {
			return MAILMSG_BAD_HEADER;
		} else {
			buf_char(b, (char)*p);
		}
	}
	return MAILMSG_OK;
}

enum mailmsg_status
mailmsg_fill(const char *tpl, const struct mailmsg_param *params, size_t nparams,
             const char *base_url, int header, char **out)
{
	struct buf b = { 0 };
	enum mailmsg_status st = MAILMSG_OK;

	if (tpl == NULL)
		return buf_finish(&b, MAILMSG_BAD_INPUT, out, NULL);
	for (const char *p = tpl; *p && st == MAILMSG_OK;) {
		const char *q = p + 1, *v;
		size_t len;

		if (*p != '{' || !((*q >= 'a' && *q <= 'z') || *q == '_')) {
			buf_char(&b, *p++);
			continue;
		}
		while ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '_')
			q++;
		len = (size_t)(q - (p + 1));
		if (*q != '}' || len > PLACEHOLDER_MAX) {
			buf_char(&b, *p++);
			continue;
		}
		if (len == 4 && memcmp(p + 1, "link", 4) == 0) {
			size_t blen;
			if ((v = param_value(params, nparams, "link_path", 9)) == NULL) {
				st = MAILMSG_MISSING_PARAM;
				break;
			}
			if (!link_path_valid(v) || !base_url_valid(base_url)) {
				st = MAILMSG_BAD_LINK;
				break;
			}
			blen = strlen(base_url);
			while (blen > 0 && base_url[blen - 1] == '/')
				blen--;
			buf_add(&b, base_url, blen);
			buf_str(&b, v);
		} else {
			if ((v = param_value(params, nparams, p + 1, len)) == NULL) {
				st = MAILMSG_MISSING_PARAM;
				break;
			}
			st = add_value(&b, v, header);
		}
		p = q + 1;
	}
	return buf_finish(&b, st, out, NULL);
}

/* ------------------------------------------------------------ encodings */

static void
base64_add(struct buf *b, const unsigned char *s, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16;
		char q[4];
		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		q[0] = tab[(v >> 18) & 63];
		q[1] = tab[(v >> 12) & 63];
		q[2] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? tab[v & 63] : '=';
		buf_add(b, q, 4);
	}
}

/* s in base64 (RFC 2045): lines of 76 characters, each ending in CRLF. */
static void
base64_lines(struct buf *b, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i += 57) {
		base64_add(b, s + i, n - i < 57 ? n - i : 57);
		buf_str(b, "\r\n");
	}
}

/* RFC 2047 encoded words for s, joined by CRLF SP. */
static void
encoded_words(struct buf *b, const char *s)
{
	size_t len = strlen(s), i = 0;

	while (i < len) {
		size_t n = len - i < EW_BYTES ? len - i : EW_BYTES;
		/* Never cut a UTF-8 sequence: end before a continuation byte. */
		if (i + n < len) {
			size_t k = n;
			while (k > 0 && ((unsigned char)s[i + k] & 0xC0) == 0x80)
				k--;
			if (k > 0)
				n = k;
		}
		if (i > 0)
			buf_str(b, "\r\n ");
		buf_str(b, "=?UTF-8?B?");
		base64_add(b, (const unsigned char *)s + i, n);
		buf_str(b, "?=");
		i += n;
	}
}

enum mailmsg_status
mailmsg_header_text(const char *text, char **out)
{
	struct buf b = { 0 };

	if (text == NULL)
		return buf_finish(&b, MAILMSG_BAD_INPUT, out, NULL);
	if (has_ctl(text))
		return buf_finish(&b, MAILMSG_BAD_HEADER, out, NULL);
	if (is_ascii_printable(text) && strstr(text, "=?") == NULL &&
	    strlen(text) <= PLAIN_HEADER_MAX)
		buf_str(&b, text);
	else
		encoded_words(&b, text);
	return buf_finish(&b, MAILMSG_OK, out, NULL);
}

/* The display name as a phrase: atoms as they are, other ASCII quoted,
 * anything else in encoded words. */
static void
display_phrase(struct buf *b, const char *d)
{
	if (!is_ascii_printable(d) || strstr(d, "=?") != NULL) {
		encoded_words(b, d);
		return;
	}
	if (strpbrk(d, "()<>[]:;@\\,.\"") == NULL) {
		buf_str(b, d);
		return;
	}
	buf_char(b, '"');
	buf_str(b, d);      /* split_from refused '"' and '\\' inside */
	buf_char(b, '"');
}

static void
qp_hex(struct buf *b, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";
	char t[3] = { '=', hex[c >> 4], hex[c & 15] };

	buf_add(b, t, 3);
}

/* Whether byte i of the line s[0..n) may stay literal at column col. */
static int
qp_literal(const char *s, size_t n, size_t i, size_t col)
{
	unsigned char c = (unsigned char)s[i];

	/* A '.' opening a line (SMTP) or "From " (mbox) is encoded: the
	 * message does not depend on anyone else's escaping. */
	if (col == 0 && (c == '.' || (n - i >= 5 && memcmp(s + i, "From ", 5) == 0)))
		return 0;
	if (c == ' ' || c == '\t')
		return i + 1 < n;       /* trailing blanks are encoded */
	return c >= 33 && c <= 126 && c != '=';
}

/* One line (without its line end) as quoted-printable, then CRLF. */
static void
qp_line(struct buf *b, const char *s, size_t n)
{
	size_t col = 0;

	for (size_t i = 0; i < n; i++) {
		size_t len = qp_literal(s, n, i, col) ? 1 : 3;
		/* Leave room for the soft break '=' unless this is the last byte. */
		size_t limit = i + 1 == n ? QP_LINE : QP_LINE - 1;

		if (col + len > limit) {
			buf_str(b, "=\r\n");
			col = 0;
			len = qp_literal(s, n, i, col) ? 1 : 3;
		}
		if (len == 1)
			buf_char(b, s[i]);
		else
			qp_hex(b, (unsigned char)s[i]);
		col += len;
	}
	buf_str(b, "\r\n");
}

enum mailmsg_status
mailmsg_qp_encode(const char *text, char **out, size_t *outlen)
{
	struct buf b = { 0 };
	const char *p;

	if (text == NULL)
		return buf_finish(&b, MAILMSG_BAD_INPUT, out, outlen);
	p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		size_t m = n;
		if (m > 0 && p[m - 1] == '\r')
			m--;
		qp_line(&b, p, m);
		p += n + (nl ? 1 : 0);
	}
	return buf_finish(&b, MAILMSG_OK, out, outlen);
}

/* ------------------------------------------------------------ message */

static void
add_date(struct buf *b, long long when)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t t = (time_t)when;
	struct tm tm;
	char s[64];

	if (gmtime_r(&t, &tm) == NULL) {
		t = 0;
		gmtime_r(&t, &tm);
	}
	snprintf(s, sizeof(s), "%s, %02d %s %04d %02d:%02d:%02d +0000",
	         days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
	         tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	buf_str(b, s);
}

static int
message_id_valid(const char *id)
{
	size_t n = id ? strlen(id) : 0;

	if (n == 0 || n > MESSAGE_ID_MAX || id[0] == '.' || id[n - 1] == '.')
		return 0;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_'))
			return 0;
	return 1;
}

enum mailmsg_status
mailmsg_build(const struct mailmsg *m, char **out, size_t *outlen)
{
	struct buf b = { 0 };
	enum mailmsg_status st;
	char *store = NULL, *subject = NULL, *subject_hdr = NULL, *body = NULL, *qp = NULL;
	const char *display, *addr;
	size_t qplen;

	if (!mailmsg_addr_valid(m->to)) {
		st = m->to && has_ctl(m->to) ? MAILMSG_BAD_HEADER : MAILMSG_BAD_ADDRESS;
		goto out;
	}
	if ((st = split_from(m->from, &store, &display, &addr)) != MAILMSG_OK)
		goto out;
	if (!message_id_valid(m->message_id) || m->subject == NULL || m->body == NULL ||
	    *m->subject == '\0' || *m->body == '\0') {
		st = MAILMSG_BAD_INPUT;
		goto out;
	}
	if (m->ics != NULL && (*m->ics == '\0' || m->ics_method == NULL ||
	                       (strcmp(m->ics_method, "REQUEST") != 0 &&
	                        strcmp(m->ics_method, "CANCEL") != 0 &&
	                        strcmp(m->ics_method, "PUBLISH") != 0))) {
		st = MAILMSG_BAD_INPUT;
		goto out;
	}
	if ((st = mailmsg_fill(m->subject, m->params, m->nparams, m->base_url, 1, &subject)) != MAILMSG_OK ||
	    (st = mailmsg_header_text(subject, &subject_hdr)) != MAILMSG_OK ||
	    (st = mailmsg_fill(m->body, m->params, m->nparams, m->base_url, 0, &body)) != MAILMSG_OK ||
	    (st = mailmsg_qp_encode(body, &qp, &qplen)) != MAILMSG_OK)
		goto out;

	buf_str(&b, "Date: ");
	add_date(&b, m->date);
	buf_str(&b, "\r\nFrom: ");
	if (*display) {
		display_phrase(&b, display);
		buf_str(&b, " <");
		buf_str(&b, addr);
		buf_str(&b, ">");
	} else {
		buf_str(&b, addr);
	}
	buf_str(&b, "\r\nTo: ");
	buf_str(&b, m->to);
	buf_str(&b, "\r\nSubject: ");
	buf_str(&b, subject_hdr);
	buf_str(&b, "\r\nMessage-ID: <");
	buf_str(&b, m->message_id);
	buf_char(&b, '@');
	buf_str(&b, strchr(addr, '@') + 1);
	buf_str(&b, ">\r\nMIME-Version: 1.0\r\n");
	if (m->ics == NULL) {
		buf_str(&b, "Content-Type: text/plain; charset=utf-8\r\n"
		            "Content-Transfer-Encoding: quoted-printable\r\n"
		            "Auto-Submitted: auto-generated\r\n"
		            "\r\n");
		buf_add(&b, qp, qplen);
		goto out;
	}
	buf_str(&b, "Content-Type: multipart/mixed; boundary=\"" MAILMSG_BOUNDARY "\"\r\n"
	            "Auto-Submitted: auto-generated\r\n"
	            "\r\n"
	            "This is a MIME message.\r\n"
	            "\r\n--" MAILMSG_BOUNDARY "\r\n"
	            "Content-Type: text/plain; charset=utf-8\r\n"
	            "Content-Transfer-Encoding: quoted-printable\r\n"
	            "\r\n");
	buf_add(&b, qp, qplen);
	buf_str(&b, "\r\n--" MAILMSG_BOUNDARY "\r\n"
	            "Content-Type: text/calendar; charset=utf-8; method=");
	buf_str(&b, m->ics_method);
	buf_str(&b, ";\r\n name=\"invite.ics\"\r\n"
	            "Content-Transfer-Encoding: base64\r\n"
	            "Content-Disposition: attachment; filename=\"invite.ics\"\r\n"
	            "\r\n");
	base64_lines(&b, (const unsigned char *)m->ics, strlen(m->ics));
	buf_str(&b, "\r\n--" MAILMSG_BOUNDARY "--\r\n");
out:
	free(store);
	free(subject);
	free(subject_hdr);
	free(body);
	free(qp);
	return buf_finish(&b, st, out, outlen);
}
