/* response: response head with security headers, then the body. */
#include "response.h"

#include <stdio.h>

#include "request.h"

const char resp_csp[] =
	"default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; "
	"img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

const char *
http_status_reason(enum http_status st)
{
	switch ((int)st) {
	case 200: return "OK";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

/* libfcgi's own printf knows no %zu and truncates silently: format here. */
static int
put_line(FCGX_Stream *out, const char *name, const char *value)
{
	return FCGX_PutS(name, out) < 0 || FCGX_PutS(": ", out) < 0 ||
	       FCGX_PutS(value, out) < 0 || FCGX_PutS("\r\n", out) < 0 ? -1 : 0;
}

int
resp_write(FCGX_Stream *out, const struct req *r, const char *body, size_t len)
{
	char status[64], length[32];
	int rc = 0;

	snprintf(status, sizeof(status), "%d %s", r->resp.status,
	         http_status_reason((enum http_status)r->resp.status));
	snprintf(length, sizeof(length), "%zu", len);
	rc |= put_line(out, "Status", status);
	/* A 304 or a 204 has no body: no type or length of one (RFC 9110
	 * 15.4.5, 8.6). */
	if (r->resp.status != HTTP_NOT_MODIFIED && r->resp.status != HTTP_NO_CONTENT) {
		rc |= put_line(out, "Content-Type", r->resp.content_type);
		rc |= put_line(out, "Content-Length", length);
	}
	rc |= put_line(out, "Cache-Control", r->resp.cache_control);
	rc |= put_line(out, "Content-Security-Policy", resp_csp);
	rc |= put_line(out, "X-Content-Type-Options", "nosniff");
	rc |= put_line(out, "X-Frame-Options", "DENY");
	rc |= put_line(out, "Referrer-Policy", "same-origin");
	rc |= put_line(out, "Cross-Origin-Opener-Policy", "same-origin");
	rc |= put_line(out, "X-Request-Id", r->request_id);
	if (r->lang) {
		rc |= put_line(out, "Content-Language", r->lang);
		rc |= put_line(out, "Vary", "Accept-Language, Cookie");
	}
	for (size_t i = 0; i < r->resp.nheaders; i++)
		rc |= put_line(out, r->resp.headers[i].name, r->resp.headers[i].value);
	rc |= FCGX_PutS("\r\n", out) < 0;
	if (r->method != METHOD_HEAD && len > 0)
		rc |= FCGX_PutStr(body, (int)len, out) < 0;
	return rc ? -1 : 0;
}
