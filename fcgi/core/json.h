/* json: building small JSON values for outbox payloads. */
#ifndef MEDSYS_JSON_H
#define MEDSYS_JSON_H

#include <stddef.h>

struct arena;

/* s as a JSON string literal (quoted, escaped; invalid UTF-8 bytes become
 * U+FFFD) in the arena. NULL on exhaustion. */
char *json_string(struct arena *a, const char *s);

/* An object of string members: json_object(a, "k1", "v1", "k2", "v2",
 * NULL). A NULL value becomes null. NULL on exhaustion. */
char *json_object(struct arena *a, ...) __attribute__((sentinel));

#endif
