/* http_test: what test_http.c and test_http_battery.c (one program, run
 * by tests/integration/http.stack) share. */
#ifndef MEDSYS_HTTP_TEST_H
#define MEDSYS_HTTP_TEST_H

#include <stddef.h>

#include <check.h>

#include "http_client.h"

/* A NULL-terminated list of extra request headers. */
#define HDRS(...) ((const char *const[]){ __VA_ARGS__, NULL })

#define MARKER_DOCTOR "Dra. Marcadora Ñúñez"
#define MARKER_SPECIALTY_ES "Neumología"
#define MARKER_SPECIALTY_EN "Pulmonology"
#define EVIL_DOCTOR "<script>alert(1)</script>\"'&"

/* Up to 80 bytes of s, for messages (paths may be 100 KB long); the
 * result lives until the next call. */
const char *ht_brief(const char *s);

/* "Origin: $MEDSYS_URL": what a browser sends with a same-origin form;
 * the result lives until the next call. */
const char *ht_same_origin(void);

/* Perform a request; fail the test when no response arrives at all. */
void ht_fetch(struct http_response *r, const char *method, const char *path,
              const char *const *headers, const char *body, size_t len, const char *ctype);

/* ht_fetch of a GET. */
void ht_get(struct http_response *r, const char *path, const char *const *headers);

/* The security headers every response must carry, medsysd's or nginx's;
 * the test fails without one. */
void ht_assert_security_headers(const struct http_response *r, const char *what);

/* The X-Request-Id of r after checking its form (16 hex digits). */
const char *ht_request_id(const struct http_response *r, const char *what);

/* medsysd's log line for request id (waits for it), malloc'd. */
char *ht_log_line_for(const char *id, const char *what);

/* Our own doctors: one with a specialty of our own (names differ per
 * language) and one whose name is an XSS attempt. Idempotent (a checked
 * fixture). */
void ht_setup_data(void);

/* A test case whose tests each start with ht_setup_data. */
TCase *ht_tcase(const char *name);

/* The error-page and database-error test cases (test_http_errors.c). */
void ht_add_error_tcases(Suite *s);

/* The hostile-input test case (test_http_battery.c). */
TCase *ht_battery_tcase(void);

#endif
