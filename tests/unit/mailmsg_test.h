/* mailmsg_test: what test_mailmsg.c and test_mailmsg_ics.c (one program)
 * share: strict decoders of built messages and a standard message. */
#ifndef MEDSYS_MAILMSG_TEST_H
#define MEDSYS_MAILMSG_TEST_H

#include <stddef.h>

#include <check.h>

#include "notifier/mailmsg.h"

/* Quoted-printable back to text with "\n" line ends; NULL when the input
 * breaks a rule (a line over 76 characters, a bare CR or LF, bad =XX,
 * a blank before a hard line end). */
char *mt_qp_decode(const char *s, size_t len);

/* Base64 s (n characters, up to a "=") decoded into out; the bytes
 * written. The test fails on a character outside the alphabet. */
size_t mt_b64_decode(const char *s, size_t n, char *out);

/* Where the body of a built message starts (after its blank line). */
const char *mt_body_of(const char *msg);

/* mailmsg_build that must succeed, with every line checked (CRLF, at
 * most 998 or, in the body, 76 characters); the message, malloc'd, its
 * length in *len when len is not NULL. */
char *mt_build_ok(const struct mailmsg *m, size_t *len);

/* A message with a non-ASCII name, a link and a fixed date and id. */
struct mailmsg mt_std_message(void);

/* Take m's subject and body from the mail template name of the language
 * files (view_init first); the test fails when either is missing. */
void mt_use_template(struct mailmsg *m, const char *lang, const char *name);

/* The attachment and template test case (test_mailmsg_ics.c). */
TCase *mt_attachment_tcase(void);

#endif
