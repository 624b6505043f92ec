/* signals: the call's signalling through medsysd (docs/tele.md
 * "Signalling"). GET /appointments/ID/call/signals?after=N&chat=M is the
 * cheap poll of docs/chat.md "Polling": the ETag is the room's version
 * (moved by 034's triggers), an unchanged room answers 304 after one
 * query with no template, no audit row and no session write, and a
 * repeated poll is answered from the worker's memory (core/pollcache);
 * a change answers JSON with the signals addressed to the caller after N
 * and the chat lines after M (audited). POST delivers one offer, answer,
 * candidate or bye from an admitted participant to the other (204). */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/tele/ice.h"
#include "pages/tele/tele.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/fields.h"
#include "core/json.h"
#include "core/pollcache.h"
#include "core/request.h"
#include "core/session.h"
#include "core/status.h"
#include "core/validate.h"

/* Columns of tele_signals and tele_messages. */
enum { TS_ID, TS_FROM, TS_KIND, TS_BODY };
enum { TM_ID, TM_AUTHOR, TM_AT, TM_BODY, TM_MINE };

/* "[a,b,...]" of one JSON object per row (arena), NULL when out of memory. */
static const char *
rows_json(struct req *r, struct db_result *res, int chat)
{
	const char *out = "[";

	for (size_t i = 0; i < db_rows(res) && out; i++) {
		const char *item;
		if (chat)
			item = arena_printf(r->arena, "{\"id\":%s,\"author\":%s,\"at\":%s,\"body\":%s,\"mine\":%s}",
			                    db_value(res, i, TM_ID), json_string(r->arena, db_value(res, i, TM_AUTHOR)),
			                    json_string(r->arena, db_value(res, i, TM_AT)),
			                    json_string(r->arena, db_value(res, i, TM_BODY)),
			                    db_value(res, i, TM_MINE)[0] == 't' ? "true" : "false");
		else
			item = arena_printf(r->arena, "{\"id\":%s,\"from\":%s,\"kind\":%s,\"body\":%s}",
			                    db_value(res, i, TS_ID), db_value(res, i, TS_FROM),
			                    json_string(r->arena, db_value(res, i, TS_KIND)),
			                    json_string(r->arena, db_value(res, i, TS_BODY)));
		out = item ? arena_printf(r->arena, "%s%s%s", out, i ? "," : "", item) : NULL;
	}
	return out ? arena_printf(r->arena, "%s]", out) : NULL;
}

/* The signals for the caller after `after` and the chat lines after
 * `chat` (read with their audit row only when there are new ones). */
static int
news(struct req *r, const struct tele_room *t, const char *after, const char *chat,
     const char **signals, const char **lines)
{
	const char *ps[3] = { t->room, r->user.id_text, after };
	struct db_batch b = { 0 };
	enum db_status st;
	int sq = -1, mq = -1;

	*signals = *lines = "[]";
	if (*t->room == '\0')
		return 0;
	if (strcmp(t->state, "admitted") == 0 && (sq = db_batch_add(&b, "tele_signals", 3, ps)) < 0)
		return HTTP_INTERNAL_ERROR;
	if (strcmp(t->state, "admitted") == 0 && t->last_message > strtoll(chat, NULL, 10) &&
	    (tele_audit_add(r, &b, t) == -1 || (mq = tele_messages_add(r, &b, t, chat)) < 0))
		return HTTP_INTERNAL_ERROR;
	if (b.n == 0)
		return 0;
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	if (sq >= 0 && (*signals = rows_json(r, b.res[sq], 0)) == NULL)
		return HTTP_INTERNAL_ERROR;
	if (mq >= 0 && (*lines = rows_json(r, b.res[mq], 1)) == NULL)
		return HTTP_INTERNAL_ERROR;
	return 0;
}

/* The heartbeat, at most every 15 s (the stale-room sweep reads it). A
 * failure only costs the heartbeat. */
static void
heartbeat(struct req *r, const struct tele_room *t)
{
	const char *p[2] = { t->room, r->user.id_text };

	if (t->heartbeat_due && *t->state && strcmp(t->state, "left") != 0)
		db_run("tele_seen", 2, p);
}

/* An optional id parameter, "0" when absent; NULL when malformed. */
static const char *
query_id(struct req *r, const char *name)
{
	const char *v = fields_get(&r->query, name);

	if (v == NULL || strcmp(v, "0") == 0 || *v == '\0')
		return "0";
	return is_positive_id(v) ? v : NULL;
}

int
tele_signals_get(struct req *r)
{
	struct tele_room t;
	const char *after = query_id(r, "after"), *chat = query_id(r, "chat"), *etag, *signals, *lines, *watch, *ice;
	unsigned long gen = db_generation();
	int st;

	/* Polling is not activity: it writes no session. */
	r->session.touch_due = 0;
	if (after == NULL || chat == NULL)
		return HTTP_BAD_REQUEST;
	if ((st = tele_room_load(r, &t)) != 0)
		return st;
	heartbeat(r, &t);
	if ((etag = arena_printf(r->arena, "\"r%s\"", t.version)) == NULL ||
	    resp_add_header(r, "ETag", etag) == -1)
		return HTTP_INTERNAL_ERROR;
	pollcache_put(r, etag, gen);
	if (r->if_none_match && strcmp(r->if_none_match, etag) == 0)
		return HTTP_NOT_MODIFIED;
	if ((st = news(r, &t, after, chat, &signals, &lines)) != 0)
		return st;
	if ((watch = tele_watch(r, &t)) == NULL || (watch = json_string(r->arena, watch)) == NULL)
		return HTTP_INTERNAL_ERROR;
	/* Fresh TURN credentials (they last turn_ttl_seconds): tele.js takes
	 * them before an ICE restart, which may come hours into a call. */
	if ((ice = tele_ice_json(r)) == NULL)
		ice = "[]";
	r->resp.body = arena_printf(r->arena, "{\"version\":%s,\"state\":\"%s\",\"peer\":%s,\"watch\":%s,"
	                            "\"signals\":%s,\"chat\":%s,\"ice\":%s}", t.version, tele_state(&t),
	                            *t.peer ? t.peer : "null", watch, signals, lines, ice);
	if (r->resp.body == NULL)
		return HTTP_INTERNAL_ERROR;
	r->resp.body_len = strlen(r->resp.body);
	r->resp.content_type = "application/json";
	r->resp.cache_control = "no-cache";
	return HTTP_OK;
}

static const char *const kinds[] = { "offer", "answer", "candidate", "bye", NULL };

/* 1 when kind is one of kinds[]. */
static int
known_kind(const char *kind)
{
	for (size_t i = 0; kind && kinds[i]; i++)
		if (strcmp(kind, kinds[i]) == 0)
			return 1;
	return 0;
}

int
tele_signals_post(struct req *r)
{
	struct tele_room t;
	const char *to = fields_get(&r->form, "to"), *kind = fields_get(&r->form, "kind");
	const char *body = fields_get(&r->form, "body"), *p[6];
	char limit[16];
	size_t rows = 0;
	enum db_status st;
	int rc;

	if ((rc = tele_room_load(r, &t)) != 0)
		return rc;
	if (!is_positive_id(to) || !known_kind(kind) || body == NULL)
		return HTTP_BAD_REQUEST;
	if (strlen(body) > TELE_SIGNAL_MAX)
		return HTTP_PAYLOAD_TOO_LARGE;
	/* Only between the two people in the call, while both are in it. */
	if (strcmp(tele_state(&t), "admitted") != 0 || strcmp(to, t.peer) != 0)
		return HTTP_FORBIDDEN;
	snprintf(limit, sizeof(limit), "%d", TELE_SIGNALS_PER_MINUTE);
	p[0] = t.room;
	p[1] = r->user.id_text;
	p[2] = to;
	p[3] = kind;
	p[4] = body;
	p[5] = limit;
	if ((st = db_run_rows("tele_signal_add", 6, p, &rows)) != DB_OK)
		return db_http_status(st);
	if (rows != 1) {
		resp_add_header(r, "Retry-After", "60");
		return 429;
	}
	return HTTP_NO_CONTENT;
}
