/* smtp: handing one finished message to the configured SMTP server with
 * libcurl. libcurl types and error codes stay inside smtp.c. */
#ifndef MEDSYS_SMTP_H
#define MEDSYS_SMTP_H

#include <stddef.h>

enum smtp_status {
	SMTP_OK = 0,            /* the server accepted the message (250 after DATA) */
	SMTP_TEMPORARY,         /* try again later: no connection, timeout, 4xx,
	                         * TLS or login trouble (a configuration matter) */
	SMTP_PERMANENT,         /* the server refused this message for good (5xx) */
	SMTP__MAX
};

struct smtp_server {
	const char *url;        /* smtp://host:port or smtps://host:port */
	int starttls;           /* require STARTTLS on smtp:// */
	const char *user;       /* "" or NULL: no login */
	const char *password;   /* secret: never logged nor returned in why */
	long connect_timeout;   /* seconds */
	long timeout;           /* seconds for the whole transaction */
};

/* Once per process, before any other call; -1 when libcurl cannot start. */
int smtp_global_init(void);
/* Close any kept connection and release libcurl. */
void smtp_global_cleanup(void);

/* Send msg (len bytes, CRLF line ends, headers included) from the
 * envelope address from to the envelope address to (both plain
 * addr-specs, checked by the caller). libcurl does the SMTP dot-stuffing
 * and adds the final CRLF.CRLF. The connection is kept open for the next
 * call until smtp_close(). On failure, why receives a short reason that
 * holds no secret and no address (e.g. "SMTP 550: Failed sending data to
 * the peer"). */
enum smtp_status smtp_send(const struct smtp_server *srv, const char *from,
                           const char *to, const char *msg, size_t len,
                           char *why, size_t whylen);

/* Close the kept connection (after a batch, before a configuration
 * change). */
void smtp_close(void);

/* Where an SMTP transaction stood when it failed: the last command sent. */
enum smtp_phase {
	SMTP_PHASE_SESSION = 0, /* connect, greeting, EHLO, STARTTLS, AUTH */
	SMTP_PHASE_SENDER,      /* MAIL FROM: our own address (configuration) */
	SMTP_PHASE_RECIPIENT,   /* RCPT TO: this message's recipient */
	SMTP_PHASE_DATA,        /* DATA and the message itself */
	SMTP_PHASE__MAX
};

/* The decision smtp_send takes from libcurl's result code, the last SMTP
 * reply code (0 when none arrived) and the phase: success; a 5xx reply
 * to RCPT TO or to the message is permanent; everything else (4xx, no
 * connection, timeouts, TLS, login, a 5xx to our own MAIL FROM or to the
 * session commands: a configuration matter) is temporary. */
enum smtp_status smtp_classify(int curl_code, long reply_code, enum smtp_phase phase);

#endif
