/* http_client: a small libcurl and psql helper for the integration tests
 * that run against a stack started by tests/harness/with-stack. */
#ifndef MEDSYS_HTTP_CLIENT_H
#define MEDSYS_HTTP_CLIENT_H

#include <stdarg.h>
#include <stddef.h>

#include <check.h>

#include "../check_util.h"

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

/* ------------------------------------------------------------------
 * Test helpers: these fail the running check test (ck_assert) instead of
 * returning an error, so a test reads as a list of steps.
 */

/* printf into a malloc'd string. */
char *it_fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

/* Run SQL built with printf (see http_sql); the test fails when psql does. */
void it_sql(const char *f, ...) __attribute__((format(printf, 1, 2)));

/* The first line psql printed for SQL built with printf (see
 * http_sql_line), malloc'd; the test fails when psql does. */
char *it_sql_line(const char *f, ...) __attribute__((format(printf, 1, 2)));

/* it_sql_line with a va_list. */
char *it_sql_linev(const char *f, va_list ap) __attribute__((format(printf, 1, 0)));

/* That first line (see it_sql_line) into out, truncated to len - 1
 * bytes. Returns out. */
const char *it_sql_str(char *out, size_t len, const char *f, ...) __attribute__((format(printf, 3, 4)));

/* That first line read as an integer (0 when empty or not a number). */
long long it_sql_int(const char *f, ...) __attribute__((format(printf, 1, 2)));

/* Seconds on the monotonic clock. */
double it_now(void);

/* Sleep ms milliseconds (resumed after signals). */
void it_sleep_ms(long ms);

/* The value of environment variable name; the test fails when it is
 * unset or empty (the test does not run under with-stack). */
const char *it_env(const char *name);

/* Run `$MEDSYS_HARNESS cmd $MEDSYS_STACK_DIR` (output discarded);
 * its exit status, -1 when it did not exit normally. */
int it_harness(const char *cmd);

/* The whole file at path, malloc'd and NUL-terminated, or NULL when it
 * cannot be read. */
char *it_slurp(const char *path);

/* nbytes (at most 64) random bytes from /dev/urandom as 2*nbytes lower
 * case hex digits and a NUL in out. */
void it_random_hex(char *out, size_t nbytes);

/* %-encode s for a form body or a query (all but A-Z a-z 0-9 - _ . ~),
 * malloc'd. */
char *it_urlencode(const char *s);

/* ------------------------------------------------------------------
 * it_browser.c: a browser for the tests.
 */

/* The value of the first hidden input called name of a page (up to its
 * closing quote, not decoded) into out, truncated to len - 1 bytes; ""
 * when the page has none. Returns out. */
const char *it_form_value(const struct http_response *r, const char *name, char *out, size_t len);

#define IT_CSRF_LEN 80

/* The page's form token (its first hidden csrf field) into out; the test
 * fails unless there is one (64 hex digits). Returns out. */
const char *it_page_csrf(const struct http_response *r, char out[IT_CSRF_LEN]);

/* The current 6-digit TOTP code of a base32 secret (fcgi/lib/totp.h),
 * malloc'd. */
char *it_totp_now(const char *secret);

/* A form body (application/x-www-form-urlencoded, names and values
 * %-encoded) from name, value, ..., NULL; a NULL value leaves its field
 * out. malloc'd. it_vform takes the first name and the rest as a list. */
char *it_form(const char *first, ...);
char *it_vform(const char *first, va_list ap);

/* A multipart/form-data body with boundary: the text parts name, value,
 * ... (NULL-terminated, values as they are) and then one file part called
 * file_field (filename, Content-Type ctype, dlen bytes of data). malloc'd,
 * its length in *len. */
char *it_multipart(const char *boundary, const char *file_field, const char *filename, const char *ctype,
                   const char *data, size_t dlen, size_t *len, ...) __attribute__((sentinel));

/* One browser: the cookies the site set (a cookie set with Max-Age=0 is
 * emptied; an empty one is not sent), the form token (hidden csrf field)
 * of the last page that had one, and the User-Agent it sends (NULL:
 * curl's). Start from a zeroed jar. */
struct it_jar {
	char session[200];
	char csrf_cookie[100];
	char lang[16];
	char form_csrf[100];
	const char *ua;
	char triage_reason[400];   /* the symptom checker's reason for the booking form */
};

/* A request sending the jar's cookies (j NULL: a browser without any,
 * which keeps nothing); with a body (a form, sent as
 * application/x-www-form-urlencoded) also "Origin: $MEDSYS_URL". The
 * response's cookies and form token go into the jar; the test fails when
 * no response arrives. r is overwritten (not freed). Returns the status. */
long it_jar_request(struct it_jar *j, const char *method, const char *path, const char *body,
                    struct http_response *r);

/* POST a body of len bytes (any bytes: a multipart/form-data upload) of
 * type content_type with the jar, like it_jar_request; r is overwritten
 * (not freed); 5xx is returned, not failed. Returns the status. */
long it_jar_upload(struct it_jar *j, const char *path, const char *body, size_t len,
                   const char *content_type, struct http_response *r);

/* GET path with the jar. */
long it_jar_get(struct it_jar *j, const char *path, struct http_response *r);

/* POST form fields (without csrf, may be NULL or "") with the jar's form
 * token added as csrf. */
long it_jar_post(struct it_jar *j, const char *path, const char *fields, struct http_response *r);

/* it_jar_get and it_jar_post returning only the status. */
long it_jar_get_status(struct it_jar *j, const char *path);
long it_jar_post_status(struct it_jar *j, const char *path, const char *fields);

/* it_jar_request for tests that reuse one response variable: r must be
 * zeroed or hold an earlier response, which is freed first. No page a
 * browser reaches may answer 5xx: the test fails on one. Returns the
 * status. it_get is a GET; it_post POSTs exactly the fields name, value,
 * ..., NULL (see it_form: add "csrf" yourself). */
long it_send(struct it_jar *j, struct http_response *r, const char *method, const char *path,
             const char *body);
long it_get(struct it_jar *j, struct http_response *r, const char *path);

/* A poll's GET as j's session alone (no other cookie, nothing followed),
 * with If-None-Match etag (NULL: none); the status (any). */
long it_get_inm(struct it_jar *j, struct http_response *r, const char *path, const char *etag);

/* GET a poll link url (nginx alone, core/pollwatch) with session (NULL:
 * no cookie) and If-None-Match etag (NULL: none); the status. */
long it_watch_get(const char *session, const char *url, const char *etag, struct http_response *r);

/* The data-watch link of the page at path as j (200 expected), its
 * "&amp;" unescaped (kept: it_kept_free). */
const char *it_page_watch(struct it_jar *j, const char *path);

/* Wait (up to 5 s) until the poll file at url, asked as session, says
 * version; its ETag (kept). The test fails when it never does. */
const char *it_watch_until(const char *session, const char *url, long long version);
long it_post(struct it_jar *j, struct http_response *r, const char *path, ...);

/* it_get of a path made with printf. */
long it_getf(struct it_jar *j, struct http_response *r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* it_send of a POST whose body is the jar's form token as csrf followed
 * by the fields made with printf (already %-encoded, "" for none). */
long it_postf(struct it_jar *j, struct http_response *r, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* GET path (200) with the jar and its form token into out. */
const char *it_csrf_of(struct it_jar *j, const char *path, char out[IT_CSRF_LEN]);

/* The password step of signing in: GET /login (with ?next= when next is
 * not NULL) for its form token, then POST /login; the answer is in r
 * (reused as with it_send). Returns its status. */
long it_login_password(struct it_jar *j, struct http_response *r, const char *email, const char *pw,
                       const char *next);

/* Sign in with a fresh jar: it_login_password (303); with a TOTP secret
 * also /login/2fa with the current code (its last used step is reset
 * first, so tests can sign in twice in one step); then GET /notices so
 * the jar holds the session's form token. The test fails on any other
 * outcome. */
void it_sign_in(struct it_jar *j, const char *email, const char *pw, const char *totp_secret);

/* A made-up account with patient1's password (its hash is copied from the
 * seed). Fields left zero: name = email, role patient, language es,
 * e-mail verified, no second factor. */
struct it_user {
	const char *email, *name, *role, *lang;
	int unverified;
	const char *totp_secret;   /* base32, enrolled when set */
};

/* Insert u; returns the account's id. */
long long it_make_user(const struct it_user *u);

/* The id of the account with that e-mail, 0 when there is none. */
long long it_user_id(const char *email);
/* A staff account email (name, role) with doctor 1's password and TOTP
 * secret; with licence, the seed's doctor of that licence becomes its
 * doctor row. Does nothing when the account exists. */
void it_staff_account(const char *email, const char *name, const char *role, const char *licence);

/* How many audit rows record action by the account actor_email (NULL:
 * with no actor) and match extra, more SQL conditions starting with AND
 * on e (audit.events) or "". */
long long it_audit_count(const char *action, const char *actor_email, const char *extra);

/* How many audit rows record action by the account with id actor. */
long long it_actor_audit_count(long long actor, const char *action);

/* Make every session of user older than the re-authentication window, so
 * that the next sensitive change asks for the password again. */
void it_make_stale(long long user);

/* A signed-in session for user made straight in the database (as sign-in
 * would make it, the password just typed, from 192.0.2.7 with the jar's
 * User-Agent): the jar is emptied (its User-Agent kept) and gets the
 * session's cookie and form token. Returns the session's id. */
long long it_sql_session(struct it_jar *j, long long user);

/* Fail the test unless r is a 303 to exactly location
 * (it_assert_redirect) or to a Location starting with prefix. */
void it_assert_redirect(const struct http_response *r, const char *location, const char *what);
void it_assert_redirect_prefix(const struct http_response *r, const char *prefix, const char *what);

/* 1 when the jar is fully signed in as far as the home page tells (it
 * has the sign-out form; a sign-in waiting for its second factor has
 * not), 0 otherwise. */
int it_signed_in(struct it_jar *j);

/* Sign out with the session's own form token (the home page's sign-out
 * form); the test fails unless that answers 303 to /. */
void it_sign_out(struct it_jar *j);

/* An e-mail address no other test of this run uses (tag-PID-N@clinic.test),
 * malloc'd. */
char *it_unique_email(const char *tag);

/* A TOTP code of secret that the server takes now for the account email,
 * whose last accepted step is in the database: the first step after that
 * one within a step of now (waiting for the clock when needed), so an
 * account can give its second factor twice in one step. malloc'd. */
char *it_totp_next(const char *secret, const char *email);

/* A suite called name of one test case with the tests (a NULL-terminated
 * list of START_TEST names), each allowed timeout seconds. */
Suite *it_suite(const char *name, double timeout, ...);

/* Run the suites (NULL-terminated) and release libcurl; the exit status
 * for main: EXIT_SUCCESS when every test passed. */
int it_run_suites(Suite *first, ...);

/* Poll (every 50 ms) until the first line of SQL built with printf is
 * want; 0, or -1 when timeout seconds passed first. */
int it_sql_wait(const char *want, double timeout, const char *f, ...) __attribute__((format(printf, 3, 4)));

/* Fail the test (what names the step) unless the response has status;
 * the start of the body goes into the message. */
void it_assert_status(const struct http_response *r, long status, const char *what);

/* Fail the test unless the body has (lacks) needle. */
void it_assert_has(const struct http_response *r, const char *needle, const char *what);
void it_assert_lacks(const struct http_response *r, const char *needle, const char *what);

/* Keep s (malloc'd: a path, an SQL condition made for one call) until
 * it_kept_free, which a test calls at its end (a sanitizer build counts
 * every byte); returns s. */
char *it_keep(char *s);
void it_kept_free(void);

/* ------------------------------------------------------------------
 * it_mail.c: the mail the stack sends.
 */

/* Decode quoted-printable text in place: soft line breaks (=CRLF, =LF)
 * removed, =XX escapes decoded, everything else (CR LF too) kept.
 * Returns s. */
char *it_qp_decode(char *s);

/* Read each mail file in $MEDSYS_MAILDIR/new (dot files skipped) and call
 * fn with its file name, its whole raw text (malloc'd, freed after fn
 * returns; fn may change it) and arg. Stops at the first nonzero fn
 * result and returns it; 0 when fn never returned nonzero or the
 * directory cannot be read yet. The test fails when MEDSYS_MAILDIR is
 * not set. */
int it_maildir_scan(int (*fn)(const char *name, char *text, void *arg), void *arg);

/* The value of header name (compared case-insensitively) in a mail's
 * header block head, continuation lines unfolded, malloc'd; NULL when
 * head has no such header. */
char *it_mail_header(const char *head, const char *name);

/* 1 when medsys-notifier runs in this stack ($MEDSYS_NOTIFIER_PIDFILE
 * names a live process), so mail reaches the Maildir. */
int it_notifier_running(void);

/* The 64-hex-digit token of a "<path>?token=" link mailed to `to`,
 * malloc'd: from the first mail in the Maildir that no earlier call took
 * (waiting up to 20 s) when the notifier runs, else from the newest
 * queued mail event (the notifier is built separately). The test fails
 * when there is none. */
char *it_mail_token(const char *to, const char *path);

/* What a Spanish page or mail must show for the instant that the SQL
 * expression instant gives (clinic time, Europe/Madrid), written
 * independently of medsysd (from SQL arrays): "martes 8 de diciembre,
 * 13:30", the year only when it is not this year; with_time 0: the date
 * alone. Malloc'd. */
char *it_when_es(const char *instant, int with_time);
/* The whole text (quoted-printable decoded, malloc'd) of the first mail
 * to `to` that no earlier call took whose text contains needle (a phrase
 * of its body: the subject may be MIME-encoded), waiting up to 20 s; the
 * test fails when none comes. NULL when the notifier does not run in this
 * stack (check the outbox instead). */
char *it_mail_wait(const char *to, const char *needle);
/* medsysctl COMMAND (no arguments) on the stack's configuration, as
 * the service's user when run as root, its output dropped; the exit
 * status as system() gives it. */
int it_medsysctl(const char *command);

#endif
