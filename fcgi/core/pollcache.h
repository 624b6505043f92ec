/* pollcache: each worker's memory of the conditional GETs it answered
 * lately (the chat poll, docs/chat.md "Polling"), so that asking again with
 * the same session, path and ETag is answered 304 before the session is
 * even looked up: no database round trip at all. */
#ifndef MEDSYS_POLLCACHE_H
#define MEDSYS_POLLCACHE_H

struct req;

/* Seconds an answer is trusted without asking the database: a revoked
 * session or an ended care relationship still gets "304, unchanged" (and
 * nothing else) for at most this long. */
#define POLLCACHE_TTL 5

/* 1 when r (a GET with If-None-Match and a session cookie) repeats a
 * request answered with that same ETag by this worker within
 * POLLCACHE_TTL seconds and no change was announced since (db_generation:
 * 031_chat.sql notifies on every thread change); then r's answer is 304
 * with that ETag and nothing else runs. 0 otherwise. */
int pollcache_hit(struct req *r);

/* Remember that r's session may see r's path (with its query) and that
 * its current ETag is etag: call only after authorizing the request.
 * generation: db_generation() read before the ETag was, so that a change
 * announced meanwhile leaves the entry stale rather than wrong. */
void pollcache_put(const struct req *r, const char *etag, unsigned long generation);

#endif
