/* poll: the cheap endpoint chat.js asks every few seconds (docs/chat.md
 * "Polling"): GET /messages/ID/poll?after=MSGID with If-None-Match. The
 * ETag is the thread's version (moved by 031's triggers), so an unchanged
 * thread answers 304 after one query, with no template, no audit row and
 * no session write, and when the worker answered the same question
 * lately, before any query at all (core/pollcache); a change answers a small JSON object with only the
 * messages after MSGID (audited, and marked read like the page) and the
 * other side's read state (seen_upto: a read moves the version too). */
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
#include "core/pollwatch.h"
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
new_messages(struct req *r, struct chat_thread *t, const char *after, const char **json,
             const char **files)
{
	struct db_batch b = { 0 };
	enum db_status st;
	int q, fq, vq;

	*json = *files = "[]";
	if (strtoll(t->last_message, NULL, 10) <= strtoll(after, NULL, 10))
		return 0;
	if (chat_audit_add(r, &b, t) == -1 || (q = chat_messages_add(r, &b, t, after)) < 0 ||
	    (fq = chat_files_add(r, &b, t, after)) < 0 ||
	    chat_read_add(r, &b, t, &vq) < 0)
		return HTTP_INTERNAL_ERROR;
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	/* The reader's own mark moved the version: hand out the new one. */
	if (db_rows(b.res[vq]) == 1)
		t->version = arena_strdup(r->arena, db_value(b.res[vq], 0, 0));
	if ((*files = chat_files_json(r, b.res[fq])) == NULL)
		return HTTP_INTERNAL_ERROR;
	return (*json = messages_json(r, b.res[q])) ? 0 : HTTP_INTERNAL_ERROR;
}

/* The newest message the other side has read ("0": none), for the
 * sender's "seen" marks; only on a 200. */
static int
seen_upto(struct req *r, const struct chat_thread *t, const char **upto)
{
	const char *p[2] = { t->id, r->user.id_text };
	struct db_result *res = NULL;
	enum db_status st;

	if ((st = db_query(&res, "chat_seen_upto", 2, p)) != DB_OK)
		return db_http_status(st);
	*upto = db_rows(res) == 1 ? arena_strdup(r->arena, db_value(res, 0, 0)) : "0";
	db_result_free(res);
	return *upto ? 0 : HTTP_INTERNAL_ERROR;
}

/* The ETag header, remembered for the worker's next answer (authorized:
 * it may answer this again without the database); status, or 500. */
static int
etag_answer(struct req *r, const char *etag, unsigned long gen, int status)
{
	if (resp_add_header(r, "ETag", etag) == -1)
		return HTTP_INTERNAL_ERROR;
	pollcache_put(r, etag, gen);
	return status;
}

int
chat_poll(struct req *r)
{
	struct chat_thread t;
	const char *after, *etag, *json, *files, *watch, *seen = "0";
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
	if ((etag = arena_printf(r->arena, "\"v%s\"", t.version)) == NULL)
		return HTTP_INTERNAL_ERROR;
	if (r->if_none_match && strcmp(r->if_none_match, etag) == 0)
		return etag_answer(r, etag, gen, HTTP_NOT_MODIFIED);
	if ((st = new_messages(r, &t, after ? after : "0", &json, &files)) != 0 ||
	    (st = seen_upto(r, &t, &seen)) != 0)
		return st;
	if ((etag = arena_printf(r->arena, "\"v%s\"", t.version)) == NULL ||
	    etag_answer(r, etag, gen, HTTP_OK) != HTTP_OK)
		return HTTP_INTERNAL_ERROR;
	if ((watch = pollwatch_url(r, "chat", t.id)) == NULL ||
	    (watch = json_string(r->arena, watch)) == NULL)
		return HTTP_INTERNAL_ERROR;
	r->resp.body = arena_printf(r->arena, "{\"version\":%s,\"needs_reply\":%s,\"closed\":%s,"
	                            "\"seen_upto\":%s,\"messages\":%s,\"files\":%s,\"watch\":%s}", t.version,
	                            t.needs_reply ? "true" : "false", t.closed ? "true" : "false", seen,
	                            json, files, watch);
	if (r->resp.body == NULL)
		return HTTP_INTERNAL_ERROR;
	r->resp.body_len = strlen(r->resp.body);
	r->resp.content_type = "application/json";
	return HTTP_OK;
}
