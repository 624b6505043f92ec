/* events: the audit trail search and the dead-lettered outbox events
 * (with a retry). */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/admin/admin.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/request.h"
#include "core/validate.h"
#include "core/view.h"
#include "lib/datetime.h"

/* ------------------------------------------------------- event lists */

/* One keyset page of events (the trail, the dead letters): the rows of res,
 * at most PAGE_ROWS, as Data.events.<i>.<columns[c]> for each column c
 * (columns[] ends with NULL; column 0 is the id; column time_col is the
 * event's local time, shown in words); Data.next_before, the id of the last row
 * shown, when the query found more; Data.paged when the page was asked for
 * with "before". Frees res. */
static void
show_events_page(struct req *r, struct db_result *res, const char *const *columns,
                 int time_col, const char *before)
{
	size_t n = db_rows(res);

	for (size_t i = 0; i < n && i < PAGE_ROWS; i++)
		for (int c = 0; columns[c]; c++)
			view_set(r->view, c == time_col ? page_when(r, db_value(res, i, c)) : db_value(res, i, c),
			         "Data.events.%zu.%s", i, columns[c]);
	if (n > PAGE_ROWS)
		view_set(r->view, db_value(res, PAGE_ROWS - 1, 0), "Data.next_before");
	if (before)
		view_set(r->view, "1", "Data.paged");
}

/* ------------------------------------------------------ audit search */

/* Columns of admin_audit_search. */
static const char *const audit_columns[] = {
	"id", "at", "actor", "subject", "action", "object", "addr", "request",
	"actor_id", "subject_id", NULL,
};

/* A search field from the query: trimmed, echoed into Form.<name>; NULL
 * when empty or wrong (then Form.errors.<name> says why). */
static const char *
search_field(struct req *r, const char *name, size_t max)
{
	char *v = admin_trim(r, fields_get(&r->query, name));

	if (v == NULL || *v == '\0')
		return NULL;
	view_set(r->view, v, "Form.%s", name);
	if (utf8_char_count(v) > max) {
		form_error(r, name, "validate.too_long");
		return NULL;
	}
	if (admin_has_control(v)) {
		form_error(r, name, "validate.invalid");
		return NULL;
	}
	return v;
}

/* "Hide my own views" (hide_own=1): on when the page is first opened, so
 * the trail is not filled with the reader's own searches; a search sent
 * without it (the form always sends "actor": the box was unticked) shows
 * them. Echoed as Form.hide_own. */
static int
audit_hide_own(struct req *r)
{
	const char *v = fields_get(&r->query, "hide_own");
	int on = v ? strcmp(v, "1") == 0 : fields_get(&r->query, "actor") == NULL;

	view_set(r->view, on ? "1" : "0", "Form.hide_own");
	return on;
}

int
admin_audit(struct req *r)
{
	const char *actor = search_field(r, "actor", 254);
	const char *subject = search_field(r, "subject", 254);
	const char *action = search_field(r, "action", 60);
	const char *from = search_field(r, "from", 10);
	const char *to = search_field(r, "to", 10);
	const char *before, *p[8];
	struct db_batch b = { 0 };
	struct db_result *res;
	enum db_status st;
	int rows, hide_own = audit_hide_own(r);

	if (query_optional_id(r, "before", &before) == -1)
		return HTTP_BAD_REQUEST;
	if (action && strspn(action, "abcdefghijklmnopqrstuvwxyz_.") != strlen(action)) {
		form_error(r, "action", "admin.audit.bad_action");
		action = NULL;
	}
	if (from && !dt_is_date(from)) {
		form_error(r, "from", "validate.date");
		from = NULL;
	}
	if (to && !dt_is_date(to)) {
		form_error(r, "to", "validate.date");
		to = NULL;
	}
	if (from && to && strcmp(from, to) > 0)
		form_error(r, "to", "admin.audit.bad_range");
	page_title(r, "admin.audit.title");
	r->resp.template = "admin/audit.cs";
	if (r->form_errors)
		return HTTP_OK;
	/* Looking at the trail is itself on the trail, with the filters, in
	 * the same batch as the search: no row, no results. */
	if (audit_read_add(r, &b, NULL, 0, "admin.audit_viewed",
	                   admin_utf8_cut(r, arena_printf(r->arena, "actor=%s subject=%s action=%s from=%s to=%s%s",
	                                            actor ? actor : "", subject ? subject : "",
	                                            action ? action : "", from ? from : "", to ? to : "",
	                                            hide_own ? " hide_own" : ""),
	                            200)) == -1)
		return HTTP_INTERNAL_ERROR;
	p[0] = actor; p[1] = subject; p[2] = action; p[3] = from; p[4] = to; p[5] = before;
	p[6] = hide_own ? r->user.id_text : NULL;
	p[7] = page_tz(r);
	rows = db_batch_add(&b, "admin_audit_search", 8, p);
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	res = b.res[rows];
	show_events_page(r, res, audit_columns, 1, before);
	for (size_t i = 0; i < db_rows(res) && i < PAGE_ROWS; i++)
		audit_action_view(r, db_value(res, i, 4), arena_printf(r->arena, "Data.events.%zu.words", i));
	view_set(r->view, "1", "Data.searched");
	return HTTP_OK;
}

/* ------------------------------------------------------- dead letters */

/* Columns of admin_outbox_dead. */
static const char *const outbox_columns[] = {
	"id", "type", "created", "attempts", "error", "domain", "user", NULL,
};

int
admin_outbox(struct req *r)
{
	const char *before, *p[2];
	struct db_result *res;
	enum db_status st;

	if (query_optional_id(r, "before", &before) == -1)
		return HTTP_BAD_REQUEST;
	p[0] = before;
	p[1] = page_tz(r);
	if ((st = db_query(&res, "admin_outbox_dead", 2, p)) != DB_OK)
		return db_http_status(st);
	show_events_page(r, res, outbox_columns, 2, before);
	admin_show_message(r);
	page_title(r, "admin.outbox.title");
	r->resp.template = "admin/outbox.cs";
	return HTTP_OK;
}

int
admin_outbox_retry(struct req *r)
{
	const char *id = r->match.args[0];
	const char *p[1] = { id };
	struct db_result *res;
	char type[64];

	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	if (db_query(&res, "admin_outbox_retry", 1, p) != DB_OK)
		return page_tx_fail(DB_ERROR);
	if (db_rows(res) != 1) {
		db_rollback();
		return HTTP_NOT_FOUND;
	}
	snprintf(type, sizeof(type), "%s", db_value(res, 0, 1));
	if (audit_log(r, 0, "admin.outbox_retried", arena_printf(r->arena, "event:%s %s", id, type)) == -1)
		return page_tx_fail(DB_ERROR);
	if (db_commit() != DB_OK)
		return page_tx_fail(DB_ERROR);
	return page_redirect(r, "/admin/outbox?msg=retried");
}
