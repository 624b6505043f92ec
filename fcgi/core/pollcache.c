/* pollcache: per-worker answers to repeated conditional GETs (pollcache.h).
 * Direct-mapped by the session token and the path: a slot holds one
 * (token, path, ETag); a collision only costs a database round trip. */
#include "pollcache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "request.h"
#include "session.h"

#define POLLCACHE_SLOTS 256

static struct {
	char token[80];
	char path[96];
	char etag[40];
	unsigned long generation;
	time_t at;
} slots[POLLCACHE_SLOTS];

/* The slot of (token, path): session tokens are random hex, so their first
 * 8 digits spread well; the path's length and last bytes tell apart the
 * threads one session polls. */
static unsigned
slot_of(const char *token, const char *path)
{
	char head[9];
	size_t n = strlen(path);
	unsigned long h;

	snprintf(head, sizeof(head), "%s", token);
	h = strtoul(head, NULL, 16);
	for (size_t i = n > 8 ? n - 8 : 0; i < n; i++)
		h = h * 31u + (unsigned char)path[i];
	return (unsigned)(h % POLLCACHE_SLOTS);
}

/* The path with its query, as the key (NULL when too long to keep). */
static const char *
full_path(const struct req *r, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s?%s", r->path ? r->path : "",
	                 r->query_string ? r->query_string : "");

	return n > 0 && (size_t)n < len ? buf : NULL;
}

int
pollcache_hit(struct req *r)
{
	const char *token, *path;
	char buf[96];
	unsigned i;
	time_t now;

	if (r->method != METHOD_GET || r->if_none_match == NULL ||
	    (token = req_cookie(r, SESSION_COOKIE)) == NULL || *token == '\0' ||
	    (path = full_path(r, buf, sizeof(buf))) == NULL)
		return 0;
	i = slot_of(token, path);
	now = time(NULL);
	if (strcmp(slots[i].token, token) != 0 || strcmp(slots[i].path, path) != 0 ||
	    strcmp(slots[i].etag, r->if_none_match) != 0 ||
	    now < slots[i].at || now - slots[i].at >= POLLCACHE_TTL ||
	    slots[i].generation != db_generation())
		return 0;
	return resp_add_header(r, "ETag", r->if_none_match) == 0;
}

void
pollcache_put(const struct req *r, const char *etag, unsigned long gen)
{
	const char *token = req_cookie(r, SESSION_COOKIE), *path;
	char buf[96];
	unsigned i;

	if (token == NULL || strlen(token) >= sizeof(slots[0].token) || strlen(etag) >= sizeof(slots[0].etag) ||
	    (path = full_path(r, buf, sizeof(buf))) == NULL || gen == 0)
		return;
	i = slot_of(token, path);
	snprintf(slots[i].token, sizeof(slots[i].token), "%s", token);
	snprintf(slots[i].path, sizeof(slots[i].path), "%s", path);
	snprintf(slots[i].etag, sizeof(slots[i].etag), "%s", etag);
	slots[i].generation = gen;
	slots[i].at = time(NULL);
}
