/* copy: a doctor copies a message of a thread into the patient's record
 * (docs/chat.md "Copy into the record"): a new draft version of their
 * newest unsigned visit note with this patient, its subjective section
 * ending with who wrote it, when, the link back to the message, and the
 * text. Audited as a change of the record; nothing signed is touched. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/chat/chat.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/request.h"
#include "core/status.h"
#include "core/validate.h"
#include "core/view.h"

/* "Message from X, DATE (/messages/T#mM):" in the doctor's language, or
 * NULL when the message is not the thread's (st then says why). */
static const char *
heading(struct req *r, const struct chat_thread *t, const char *msg, int *st)
{
	const char *p[3] = { t->id, msg, r->cfg->clinic_timezone[0] ? r->cfg->clinic_timezone : "UTC" };
	struct db_result *res = NULL;
	const char *h;

	if ((*st = page_query_row(&res, "chat_message_head", 3, p)) != 0)
		return NULL;
	h = arena_printf(r->arena, "%s %s, %s (/messages/%s#m%s):", view_lang(r->view, "chat.copy.from"),
	                 db_value(res, 0, 0), db_value(res, 0, 1), t->id, msg);
	db_result_free(res);
	if (h == NULL)
		*st = HTTP_INTERNAL_ERROR;
	return h;
}

int
chat_copy(struct req *r)
{
	struct chat_thread t;
	const char *msg = fields_get(&r->form, "message"), *h, *p[4];
	struct db_result *res = NULL;
	enum db_status dst;
	int st = chat_thread_load(r, &t);

	if (st != 0)
		return st;
	if (!chat_is_doctor(r, &t) || msg == NULL || !is_positive_id(msg))
		return HTTP_NOT_FOUND;
	if ((h = heading(r, &t, msg, &st)) == NULL)
		return st;
	p[0] = t.id;
	p[1] = msg;
	p[2] = r->user.id_text;
	p[3] = h;
	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	if ((dst = db_query(&res, "chat_copy_to_note", 4, p)) != DB_OK)
		return page_tx_fail(dst);
	if (db_rows(res) != 1) {
		db_rollback();
		view_set(r->view, view_lang(r->view, "chat.copy.no_note"), "Data.copy_error");
		return chat_thread_show(r, &t, HTTP_CONFLICT);
	}
	if (audit_log(r, t.patient, "record.chat_copied",
	              arena_printf(r->arena, "chat_message:%s encounter:%s version=%s", msg,
	                           db_value(res, 0, 0), db_value(res, 0, 1))) == -1 ||
	    db_commit() != DB_OK)
		return page_tx_fail(DB_ERROR);
	return page_redirect(r, arena_printf(r->arena, "/patients/%lld/encounters/%s", t.patient,
	                                     db_value(res, 0, 0)));
}
