/* pollwatch: signed, expiring links to the poll files nginx serves itself
 * (docs/chat.md "Polling"), and the shared secret they are signed with. */
#ifndef MEDSYS_POLLWATCH_H
#define MEDSYS_POLLWATCH_H

#include <stddef.h>

struct config;
struct req;

/* Seconds a link stays valid; the page's script asks medsysd for a fresh
 * one when nginx answers 410. Also the longest a user who lost access to a
 * thread or room can still learn that it changed (never what changed). */
#define POLLWATCH_TTL 600

/* Read the secret from cfg->poll_key_file, the nginx snippet
 * `set $medsys_poll_secret "HEX";` (64 to 128 hex digits). An empty
 * poll_key_file turns the links off: 0. -1 with a message in err when the
 * file is set but unreadable or not of that form. */
int pollwatch_init(const struct config *cfg, char *err, size_t errlen);

/* Parse the snippet's text into secret (size bytes): 0, or -1 when it is
 * not of the form above. */
int pollwatch_parse_key(const char *text, char *secret, size_t size);

/* The link to topic's file id, "/poll/TOPIC/ID?e=EXPIRES&s=SIGNATURE",
 * bound to r's session cookie (arena). "" when links are off or r has no
 * session cookie; NULL when the arena ran out. topic and id: [a-z] words
 * and digits only (the caller's own constants and row ids). */
const char *pollwatch_url(struct req *r, const char *topic, const char *id);

#endif
