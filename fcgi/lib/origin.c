/* origin: canonical "scheme://host:port" texts, so that an Origin header
 * is compared with the site's own origin in full (RFC 6454), never by
 * host alone. */
#include "origin.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The port text p[0..len) as a number 1..65535, or -1. */
static long
port_value(const char *p, size_t len)
{
	long v = 0;

	if (len == 0 || len > 5)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v >= 1 && v <= 65535 ? v : -1;
}

/* Write scheme://host:port with host[0..hlen) lower-cased; a port of 0
 * means the scheme's default. */
static int
write_origin(const char *scheme, const char *host, size_t hlen, long port, char *out, size_t n)
{
	char h[256];
	int w;

	if (hlen == 0 || hlen >= sizeof(h) || memchr(host, '@', hlen) != NULL)
		return -1;
	for (size_t i = 0; i < hlen; i++) {
		unsigned char c = (unsigned char)host[i];
		if (c <= 0x20 || c >= 0x7f || c == '/' || c == '?' || c == '#' || c == '\\')
			return -1;
		h[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	h[hlen] = '\0';
	if (port == 0)
		port = strcmp(scheme, "https") == 0 ? 443 : 80;
	w = snprintf(out, n, "%s://%s:%ld", scheme, h, port);
	return w > 0 && (size_t)w < n ? 0 : -1;
}

/* Split authority a[0..len) ("host" or "host:port", IPv6 in brackets)
 * and write the origin. */
static int
authority_origin(const char *scheme, const char *a, size_t len, const char *port, char *out, size_t n)
{
	const char *colon = NULL;
	long pv = 0;

	if (len > 0 && a[0] == '[') {
		const char *close = memchr(a, ']', len);
		if (close == NULL)
			return -1;
		if ((size_t)(close - a) + 1 < len)
			colon = close + 1;
		if (colon && *colon != ':')
			return -1;
	} else {
		colon = memchr(a, ':', len);
	}
	if (colon) {
		if ((pv = port_value(colon + 1, len - (size_t)(colon - a) - 1)) < 0)
			return -1;
		len = (size_t)(colon - a);
	} else if (port && *port) {
		if ((pv = port_value(port, strlen(port))) < 0)
			return -1;
	}
	return write_origin(scheme, a, len, pv, out, n);
}

/* "http" or "https" (any case) at the start of s followed by "://": the
 * canonical scheme, its length with "://" in *skip; NULL otherwise. */
static const char *
url_scheme(const char *s, size_t *skip)
{
	if (strncasecmp(s, "http://", 7) == 0) {
		*skip = 7;
		return "http";
	}
	if (strncasecmp(s, "https://", 8) == 0) {
		*skip = 8;
		return "https";
	}
	return NULL;
}

int
origin_of_url(const char *url, char *out, size_t n)
{
	const char *scheme, *a;
	size_t skip, len;

	if (url == NULL || (scheme = url_scheme(url, &skip)) == NULL)
		return -1;
	a = url + skip;
	len = strcspn(a, "/");
	if (a[len] != '\0' && a[len] != '/')
		return -1;
	if (memchr(a, '?', len) || memchr(a, '#', len))
		return -1;
	return authority_origin(scheme, a, len, NULL, out, n);
}

int
origin_of_parts(const char *scheme, const char *host, const char *port, char *out, size_t n)
{
	if (scheme == NULL || host == NULL)
		return -1;
	if (strcasecmp(scheme, "http") == 0)
		scheme = "http";
	else if (strcasecmp(scheme, "https") == 0)
		scheme = "https";
	else
		return -1;
	return authority_origin(scheme, host, strlen(host), port, out, n);
}
