/* log: single-line, escaped log records on stderr. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char *
log_escape(char *dst, size_t dstlen, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (dstlen == 0)
		return dst;
	for (const unsigned char *p = (const unsigned char *)(src ? src : ""); *p; p++) {
		if (*p >= 0x20 && *p < 0x7f && *p != '\\' && *p != '"') {
			if (o + 1 >= dstlen)
				break;
			dst[o++] = (char)*p;
		} else {
			if (o + 4 >= dstlen)
				break;
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[*p >> 4];
			dst[o++] = hex[*p & 15];
		}
	}
	dst[o] = '\0';
	return dst;
}

void
log_msg(const char *level, const char *fmt, ...)
{
	char raw[1024], clean[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	log_escape(clean, sizeof(clean), raw);
	fprintf(stderr, "%s pid=%ld %s\n", level, (long)getpid(), clean);
	fflush(stderr);
}

void
log_request(const char *request_id, const char *method, const char *path,
            const char *route, int status, double duration_ms)
{
	char m[32], p[512], r[64];

	fprintf(stderr, "request id=%s method=%s path=\"%s\" route=%s status=%d ms=%.2f\n",
	        request_id, log_escape(m, sizeof(m), method),
	        log_escape(p, sizeof(p), path), log_escape(r, sizeof(r), route),
	        status, duration_ms);
	fflush(stderr);
}
