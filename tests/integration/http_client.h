/* http_client: a small libcurl and psql helper for the integration tests
 * that run against a stack started by tests/harness/with-stack. */
#ifndef MEDSYS_HTTP_CLIENT_H
#define MEDSYS_HTTP_CLIENT_H

#include <stddef.h>

/*
 * Environment read (all exported by tests/harness/with-stack):
 *   MEDSYS_URL        base URL, e.g. http://127.0.0.1:PORT (no trailing /)
 *   MEDSYS_PGHOST     PostgreSQL unix socket directory (db and user medsys)
 *   MEDSYS_STACK_DIR  the stack directory (log/medsysd.log inside)
 *   MEDSYS_PIDFILE    the medsysd parent's pid file
 * A missing variable makes the function that needs it fail (never abort).
 */

/* One request. Fields left zero mean: GET, no extra headers, no body,
 * the default timeout (HTTP_DEFAULT_TIMEOUT_MS). */
struct http_request {
	const char *method;        /* "GET" when NULL; "HEAD" reads no body */
	const char *path;          /* appended to $MEDSYS_URL as is (no
	                            * normalisation, no re-encoding); "/" when NULL */
	const char *const *headers; /* extra "Name: value" lines, NULL-terminated;
	                            * "Name:" removes a header curl would send */
	const char *body;          /* sent when non-NULL, body_len bytes */
	size_t body_len;
	const char *content_type;  /* Content-Type of the body, or NULL */
	long timeout_ms;           /* whole request; 0 = default */
};

#define HTTP_DEFAULT_TIMEOUT_MS 20000L

struct http_header {
	char *name;
	char *value;               /* trimmed, without CR LF */
};

/* A response. All memory belongs to it: release with http_response_free. */
struct http_response {
	long status;               /* HTTP status, 0 when no response arrived */
	struct http_header *headers; /* of the final response only (an interim
	                            * 100 Continue is dropped), in order */
	size_t nheaders;
	char *body;                /* malloc'd, NUL-terminated (not counted in
	                            * body_len), never NULL after http_request */
	size_t body_len;
	char error[256];           /* curl's message when status is 0 */
};

/* Perform rq against $MEDSYS_URL; redirects are never followed and no
 * cookie engine runs (send cookies with a "Cookie:" header). Fills *resp
 * (which the caller must free with http_response_free even on failure).
 * Returns 0 when a response arrived, -1 otherwise (resp->error says why). */
int http_request(const struct http_request *rq, struct http_response *resp);

/* GET path with optional extra headers (NULL-terminated, may be NULL). */
int http_get(const char *path, const char *const *headers, struct http_response *resp);

/* Release what a response holds and zero it; safe on a zeroed response. */
void http_response_free(struct http_response *resp);

/* The value of the n-th (from 0) header called name, compared
 * case-insensitively, or NULL. */
const char *http_header_nth(const struct http_response *resp, const char *name, size_t n);

/* The first value of header name, or NULL. */
const char *http_header(const struct http_response *resp, const char *name);

/* How many headers called name the response has. */
size_t http_header_count(const struct http_response *resp, const char *name);

/* Run one SQL statement (or several, ';'-separated) with psql against the
 * stack's database, stopping at the first error (errors go to stderr).
 * Runs psql as the medsys user through runuser when we are root.
 * Returns psql's exit status (0 = success), -1 when psql could not run. */
int http_sql(const char *sql);

/* Like http_sql, but return the first line psql printed (unaligned,
 * tuples only, so the first column of the first row for one column),
 * malloc'd and without its newline; "" when nothing was printed, NULL when
 * psql failed. */
char *http_sql_line(const char *sql);

/* The whole medsysd log ($MEDSYS_STACK_DIR/log/medsysd.log), malloc'd and
 * NUL-terminated, its length in *len when len is non-NULL; NULL on error. */
char *http_log_read(size_t *len);

/* Wait up to timeout_ms for a log line containing needle (medsysd writes
 * its request line just after the response, so poll for it). Returns that
 * line, malloc'd, without its newline, or NULL. */
char *http_log_wait_line(const char *needle, long timeout_ms);

/* The pid in $MEDSYS_PIDFILE (the medsysd parent), or -1. */
long http_medsysd_pid(void);

/* Release libcurl's global state; call once at the end of a program (for
 * valgrind), after which http_request initialises it again if called. */
void http_client_cleanup(void);

#endif
