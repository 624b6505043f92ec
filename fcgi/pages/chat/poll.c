/* poll: the cheap endpoint chat.js asks every few seconds (docs/chat.md
 * "Polling"): GET /messages/ID/poll?after=MSGID with If-None-Match. The
 * ETag is the thread's version (moved by 031's triggers), so an unchanged
 * thread answers 304 after one query, with no template, no audit row and
 * no session write, and when the worker answered the same question
 * lately, before any query at all (core/pollcache); a change answers a small JSON object with only the
 * messages after MSGID (audited, and marked read like the page). */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/chat/chat.h"
#include "pages/chat/files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/json.h"
#include "core/pollcache.h"
#include "core/request.h"
#include "core/status.h"
#include "core/validate.h"

/* One message as a JSON object (arena), NULL when the arena ran out. */
static char *
message_json(struct req *r, struct db_result *res, size_t i)
{
	const char *author = json_string(r->arena, db_value(res, i, CM_AUTHOR));
	const char *at = json_string(r->arena, db_value(res, i, CM_AT));
	const char *body = json_string(r->arena, db_value(res, i, CM_BODY));

	if (author == NULL || at == NULL || body == NULL)
		return NULL;
	return arena_printf(r->arena, "{\"id\":%s,\"author\":%s,\"at\":%s,\"body\":%s,"
	                    "\"mine\":%s,\"auto\":%s,\"seen\":%s}",
	                    db_value(res, i, CM_ID), author, at, body,
	                    db_value(res, i, CM_MINE)[0] == 't' ? "true" : "false",
	                    db_value(res, i, CM_AUTO)[0] == 't' ? "true" : "false",
	                    db_value(res, i, CM_SEEN)[0] == 't' ? "true" : "false");
}

/* "[m1,m2,...]" of the rows (arena), NULL when the arena ran out. */
static char *
messages_json(struct req *r, struct db_result *res)
{
	size_t n = db_rows(res), total = 2, at = 0;
	char **parts = arena_alloc(r->arena, (n ? n : 1) * sizeof(*parts)), *out;

	if (parts == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if ((parts[i] = message_json(r, res, i)) == NULL)
			return NULL;
		total += strlen(parts[i]) + 1;
	}
	if ((out = arena_alloc(r->arena, total + 1)) == NULL)
		return NULL;
	out[at++] = '[';
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(parts[i]);
		if (i)
			out[at++] = ',';
		memcpy(out + at, parts[i], len);
		at += len;
	}
	out[at++] = ']';
	out[at] = '\0';
	return out;
}

/* The new messages after `after`, when there are any (audited and
 * marked read), else "[]" without touching the database. */
static int
new_messages(struct req *r, const struct chat_thread *t, const char *after, const char **json,
             const char **files)
{
	struct db_batch b = { 0 };
	const char *mark[2] = { t->id, r->user.id_text };
	enum db_status st;
	int q, fq;

	*json = *files = "[]";
	if (strtoll(t->last_message, NULL, 10) <= strtoll(after, NULL, 10))
		return 0;
	if (chat_audit_add(r, &b, t) == -1 || (q = chat_messages_add(r, &b, t, after)) < 0 ||
	    (fq = chat_files_add(r, &b, t, after)) < 0 ||
	    db_batch_add(&b, "chat_mark_read", 2, mark) < 0)
		return HTTP_INTERNAL_ERROR;
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	if ((*files = chat_files_json(r, b.res[fq])) == NULL)
		return HTTP_INTERNAL_ERROR;
	return (*json = messages_json(r, b.res[q])) ? 0 : HTTP_INTERNAL_ERROR;
}

int
chat_poll(struct req *r)
{
	struct chat_thread t;
	const char *after, *etag, *json, *files;
	unsigned long gen = db_generation();
	int st;

	/* Polling is not activity: it writes no session and keeps no idle
	 * session alive. */
	r->session.touch_due = 0;
	/* after=0: everything (a page that showed no message yet). */
	after = fields_get(&r->query, "after");
	if (after && strcmp(after, "0") != 0 && query_optional_id(r, "after", &after) == -1)
		return HTTP_BAD_REQUEST;
	if ((st = chat_thread_load(r, &t)) != 0)
		return st;
	etag = arena_printf(r->arena, "\"v%s\"", t.version);
	if (etag == NULL || resp_add_header(r, "ETag", etag) == -1)
		return HTTP_INTERNAL_ERROR;
	/* Authorized: the worker may answer this again without the database. */
	pollcache_put(r, etag, gen);
	if (r->if_none_match && strcmp(r->if_none_match, etag) == 0)
		return HTTP_NOT_MODIFIED;
	if ((st = new_messages(r, &t, after ? after : "0", &json, &files)) != 0)
		return st;
	r->resp.body = arena_printf(r->arena, "{\"version\":%s,\"needs_reply\":%s,\"closed\":%s,"
	                            "\"messages\":%s,\"files\":%s}", t.version,
	                            t.needs_reply ? "true" : "false", t.closed ? "true" : "false", json,
	                            files);
	if (r->resp.body == NULL)
		return HTTP_INTERNAL_ERROR;
	r->resp.body_len = strlen(r->resp.body);
	r->resp.content_type = "application/json";
	return HTTP_OK;
}
