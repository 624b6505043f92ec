/* response: writing a response head and body to the FastCGI stream, with
 * the security headers every response carries. */
#ifndef MEDSYS_RESPONSE_H
#define MEDSYS_RESPONSE_H

#include <stddef.h>

#include <fcgiapp.h>

struct req;

/* The Content-Security-Policy every page is served with: no inline
 * script, no framing, nothing from other origins. */
extern const char resp_csp[];

/* Write status line, headers and (unless HEAD) body. -1 when the client
 * went away. */
int resp_write(FCGX_Stream *out, const struct req *r, const char *body,
               size_t len);

#endif
