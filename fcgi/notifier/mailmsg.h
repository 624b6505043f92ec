/* mailmsg: one e-mail message built from a language template and its
 * parameters (placeholders, RFC 2047 header text, quoted-printable body,
 * CRLF line ends). Pure: no I/O, no clock, no globals. */
#ifndef MEDSYS_MAILMSG_H
#define MEDSYS_MAILMSG_H

#include <stddef.h>

enum mailmsg_status {
	MAILMSG_OK = 0,
	MAILMSG_BAD_HEADER,     /* CR, LF or another control character in a header value */
	MAILMSG_BAD_ADDRESS,    /* not one plain addr-spec (local@domain) */
	MAILMSG_MISSING_PARAM,  /* a {placeholder} without a value */
	MAILMSG_BAD_LINK,       /* link_path is not a path on our own site */
	MAILMSG_BAD_INPUT,      /* empty template, bad message id, ... */
	MAILMSG_NOMEM,
	MAILMSG__MAX
};

/* A short, fixed English text for st (safe to log and to store). */
const char *mailmsg_status_text(enum mailmsg_status st);

struct mailmsg_param {
	const char *name;       /* without braces: "name", "minutes", "link_path" */
	const char *value;
};

/* Everything a message is built from. Nothing here is copied or kept. */
struct mailmsg {
	const char *from;       /* "Display Name <addr>" or "addr" (mail_from) */
	const char *to;         /* one addr-spec */
	const char *subject;    /* template text, may hold {placeholders} */
	const char *body;       /* template text, LF or CRLF line ends */
	const struct mailmsg_param *params;
	size_t nparams;
	const char *base_url;   /* {link} = base_url (without a trailing /)
	                         * + the "link_path" parameter */
	long long date;         /* seconds since the epoch, for Date: (UTC) */
	const char *message_id; /* left part of Message-ID (letters, digits,
	                         * '.', '-', '_'); the domain is from's */
	const char *ics;        /* NULL: a text/plain message. Else the text
	                         * of an iCalendar attachment (invite.ics):
	                         * the message is multipart/mixed */
	const char *ics_method; /* with ics: "REQUEST", "CANCEL" or "PUBLISH" */
};

/* Replace each {name} in tpl (name: [a-z_][a-z0-9_]*) by the value of
 * the parameter of that name, and {link} by base_url + link_path. Braces
 * around anything else are copied as they are. For a header (header = 1)
 * a value holding a control character is refused (MAILMSG_BAD_HEADER);
 * in a body, CR, LF and other control characters but TAB in a value
 * become spaces (a value never adds lines). *out is malloc'd. */
enum mailmsg_status mailmsg_fill(const char *tpl, const struct mailmsg_param *params,
                                 size_t nparams, const char *base_url, int header,
                                 char **out);

/* 1 when addr is one plain addr-spec we are willing to put in a header
 * and in RCPT TO: printable ASCII, one '@', no spaces, no <>()[],;:\"
 * and no control characters, at most 254 bytes; else 0. */
int mailmsg_addr_valid(const char *addr);

/* The addr-spec inside a From value ("Name <a@b>" or "a@b") into out.
 * MAILMSG_OK, MAILMSG_BAD_ADDRESS or MAILMSG_BAD_HEADER. */
enum mailmsg_status mailmsg_from_address(const char *from, char *out, size_t outlen);

/* The value of an unstructured header (Subject) as header text: as it is
 * when it is printable ASCII and holds no "=?", else RFC 2047 encoded
 * words (=?UTF-8?B?...?=, at most 75 characters each, never splitting a
 * UTF-8 sequence) joined by CRLF SP. Control characters: MAILMSG_BAD_HEADER.
 * *out is malloc'd. */
enum mailmsg_status mailmsg_header_text(const char *text, char **out);

/* text (LF or CRLF line ends) as a quoted-printable body (RFC 2045):
 * CRLF line ends, no line longer than 76 characters, trailing blanks and
 * a line-leading '.' or "From " encoded. *out is malloc'd, *outlen its
 * length. */
enum mailmsg_status mailmsg_qp_encode(const char *text, char **out, size_t *outlen);

/* The whole message: Date, From, To, Subject, Message-ID, MIME-Version,
 * Content-Type (text/plain; charset=utf-8), Content-Transfer-Encoding
 * (quoted-printable), Auto-Submitted, a blank line and the body; every
 * line ends in CRLF. Header values with CR/LF are refused. *out is
 * malloc'd and NUL-terminated, *outlen its length.
 * With m->ics: Content-Type multipart/mixed (boundary MAILMSG_BOUNDARY),
 * first part the text/plain body as above, second part the calendar:
 * "Content-Type: text/calendar; charset=utf-8; method=<ics_method>;
 * name=\"invite.ics\"" (folded before name=, so no line passes 76),
 * base64 in lines of 76, Content-Disposition
 * attachment; filename="invite.ics". Neither quoted-printable nor base64
 * can produce "=_", so the fixed boundary never occurs inside a part. */
#define MAILMSG_BOUNDARY "=_medsys.part"

enum mailmsg_status mailmsg_build(const struct mailmsg *m, char **out, size_t *outlen);

#endif
