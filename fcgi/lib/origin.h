/* origin: the web origin (scheme, host, port) of an Origin header, a
 * configured URL or a request, in one canonical text form to compare. */
#ifndef MEDSYS_ORIGIN_H
#define MEDSYS_ORIGIN_H

#include <stddef.h>

#define ORIGIN_MAX 300

/* Write the canonical origin of url ("http" or "https", "://", a host,
 * an optional ":port", then nothing or a path starting with '/') into out
 * as "scheme://host:port": scheme and host lower case, the port always
 * written (80 or 443 when absent). Returns 0, or -1 when url is NULL, has
 * another scheme, an empty host, userinfo, a port that is not 1..65535, or
 * does not fit n bytes. */
int origin_of_url(const char *url, char *out, size_t n);

/* The same from a request's parts: scheme ("http"/"https"), host (may
 * carry ":port", which then wins over port) and port (decimal text, NULL
 * or "" for the scheme's default). Returns 0 or -1 like origin_of_url. */
int origin_of_parts(const char *scheme, const char *host, const char *port, char *out, size_t n);

#endif
