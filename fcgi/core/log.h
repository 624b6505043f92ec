/* log: one line per event on stderr (journald), control characters escaped.
 * Callers never pass secrets or clinical content. */
#ifndef MEDSYS_LOG_H
#define MEDSYS_LOG_H

#include <stddef.h>

/* Copy src into dst (always NUL-terminated), escaping control characters,
 * backslashes, double quotes and non-ASCII bytes as \xNN so that a value
 * can never forge a second log line. Returns dst. */
char *log_escape(char *dst, size_t dstlen, const char *src);

/* A free-form message, printf-style. The format must be a literal;
 * untrusted strings go through "%s" and are escaped. */
void log_msg(const char *level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The request line: id, method, route name, status, duration. */
void log_request(const char *request_id, const char *method, const char *path,
                 const char *route, int status, double duration_ms);

#endif
