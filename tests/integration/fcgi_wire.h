/* fcgi_wire: a FastCGI client that talks to medsysd's socket directly,
 * for the tests that must control when each byte of a request arrives. */
#ifndef MEDSYS_FCGI_WIRE_H
#define MEDSYS_FCGI_WIRE_H

#include <stddef.h>

#define FCGI_WIRE_MAX 2048

/* Connect to the unix socket at path. Returns the descriptor, or -1. */
int fcgi_wire_connect(const char *path);

/* Encode a GET of uri (responder role, request id 1, as nginx sends it:
 * BEGIN_REQUEST, one PARAMS record, the empty PARAMS and STDIN records)
 * into buf (FCGI_WIRE_MAX bytes). *params_end is the offset just after the
 * first PARAMS record, where a request can be cut so that the receiver
 * still waits for the rest of its parameters. Returns the length. */
size_t fcgi_wire_get(unsigned char buf[FCGI_WIRE_MAX], const char *uri, size_t *params_end);

/* Write the n bytes at p. Returns 0, or -1 with errno (EPIPE when the
 * other side has closed the connection). */
int fcgi_wire_send(int fd, const void *p, size_t n);

/* Read the response records until END_REQUEST, at most timeout_ms. Returns
 * the HTTP status of the response's "Status:" line (200 when there is
 * none), or -1 when the connection ended or the time ran out first. */
long fcgi_wire_status(int fd, long timeout_ms);

#endif
