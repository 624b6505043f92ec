/* audio: one chunk of a participant's microphone, uploaded during the call
 * by static/tele-rec.js, stored only when both the patient and the doctor
 * consented (docs/tele.md "Transcript"). */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/tele/transcript.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/docstore.h"
#include "core/docstore_rows.h"
#include "core/log.h"
#include "core/request.h"
#include "core/status.h"
#include "core/validate.h"
#include "lib/audiotype.h"

/* The bounds of tele.audio_chunks (migration 035). */
#define CHUNK_SEQ_MAX 100000
#define CHUNK_MS_MAX 600000

static const struct field_rule chunk_rules[] = {
	{ "seq", FIELD_DIGITS, 1, 1, 6, NULL },
	{ "offset", FIELD_DIGITS, 1, 1, 10, NULL },
	{ "duration", FIELD_DIGITS, 1, 1, 6, NULL },
};

struct chunk {
	const unsigned char *data;
	size_t len;
	enum audio_type type;
	char hex[DOCSTORE_HEX_LEN + 1];
	int created;          /* this upload wrote the file */
};

/* The "audio" part, checked: 0, or the status to answer. */
static int
take(struct req *r, struct chunk *c)
{
	const struct field *part = fields_find(&r->form, "audio");

	memset(c, 0, sizeof(*c));
	if (part == NULL || part->value_len == 0)
		return HTTP_BAD_REQUEST;
	if ((long)part->value_len > r->cfg->tele_audio_max_bytes)
		return HTTP_PAYLOAD_TOO_LARGE;
	c->data = (const unsigned char *)part->value;
	c->len = part->value_len;
	if ((c->type = audio_sniff(c->data, c->len)) == AUDIO_UNKNOWN)
		return HTTP_UNSUPPORTED_MEDIA_TYPE;
	docstore_name(c->data, c->len, c->hex);
	return 0;
}

/* After a failure or a repeated chunk: remove a file this upload wrote
 * when no row points to it (in a transaction of its own). */
static void
release(struct req *r, const struct chunk *c)
{
	if (c->created && docstore_release(r->cfg->documents_dir, c->hex) == -1 && errno != 0)
		log_msg("error", "request %s: removing the unused audio %s: %s", r->request_id, c->hex,
		        strerror(errno));
}

/* The file written durably, then its row, in one transaction under the
 * file's lock (DESIGN.md "Files"). */
static int
store(struct req *r, const struct tt_room *t, struct chunk *c)
{
	const char *lock[1] = { c->hex };
	struct db_result *res = NULL;
	char size[24];
	const char *p[8] = { t->id, r->user.id_text, form_value(r, "seq"), form_value(r, "offset"),
	                     form_value(r, "duration"), audio_media_type(c->type), size, c->hex };
	enum db_status st;

	snprintf(size, sizeof(size), "%zu", c->len);
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_run("documents_lock", 1, lock)) != DB_OK)
		return page_tx_fail(st);
	if (docstore_put(r->cfg->documents_dir, c->hex, c->data, c->len, &c->created) == -1) {
		log_msg("error", "request %s: storing audio in %s: %s", r->request_id,
		        r->cfg->documents_dir, strerror(errno));
		db_rollback();
		return HTTP_UNAVAILABLE;
	}
	if ((st = db_query(&res, "tt_chunk_add", 8, p)) != DB_OK ||
	    (db_rows(res) == 1 &&
	     audit_log(r, t->patient, "tele.audio_added",
	               arena_printf(r->arena, "room:%s chunk:%s", t->id, db_value(res, 0, 0))) != 0)) {
		page_tx_fail(st == DB_OK ? DB_ERROR : st);
		release(r, c);
		return st == DB_OK ? HTTP_INTERNAL_ERROR : db_http_status(st);
	}
	if ((st = db_commit()) != DB_OK) {
		db_rollback();
		release(r, c);
		return db_http_status(st);
	}
	if (db_rows(res) == 0)       /* that seq came already: nothing new */
		release(r, c);
	return 0;
}

int
tt_audio_post(struct req *r)
{
	struct tt_room t;
	struct chunk c;
	int st;

	if ((st = tt_room_load(r, &t)) != 0)
		return st;
	/* Without both consents (or after the call) nothing is stored. */
	if (!t.recording || !t.open) {
		if (audit_log(r, t.patient, "tele.audio_refused", arena_printf(r->arena, "room:%s", t.id)) != 0)
			return HTTP_INTERNAL_ERROR;
		return HTTP_FORBIDDEN;
	}
	if (form_validate(r, chunk_rules, 3) != 0 || atol(form_value(r, "seq")) > CHUNK_SEQ_MAX ||
	    atol(form_value(r, "duration")) < 1 || atol(form_value(r, "duration")) > CHUNK_MS_MAX)
		return HTTP_BAD_REQUEST;
	if ((st = take(r, &c)) != 0 || (st = store(r, &t, &c)) != 0)
		return st;
	r->resp.body = "";
	r->resp.body_len = 0;
	r->resp.content_type = "text/plain; charset=utf-8";
	return HTTP_NO_CONTENT;
}
