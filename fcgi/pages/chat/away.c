/* away: a doctor's out-of-office message (docs/chat.md): while set (until
 * its last day, or until removed) it answers a patient's message once a
 * day per thread (chat_auto_reply, in the reply's transaction). */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/chat/chat.h"

#include <string.h>

#include "core/request.h"
#include "core/status.h"
#include "core/validate.h"
#include "core/view.h"

int
chat_away_form(struct req *r)
{
	const char *p[1] = { r->user.id_text };
	struct db_result *res = NULL;
	enum db_status st;

	if ((st = db_query(&res, "chat_away", 1, p)) != DB_OK)
		return db_http_status(st);
	if (db_rows(res) == 1 && !r->form_errors) {
		view_set(r->view, db_value(res, 0, 0), "Form.message");
		view_set(r->view, db_value(res, 0, 1), "Form.until");
		view_set(r->view, db_value(res, 0, 2)[0] == 't' ? "1" : "0", "Data.away_on");
		view_set(r->view, "1", "Data.away_set");
	}
	db_result_free(res);
	return page_show(r, "chat.away.title", "chat/away.cs", HTTP_OK);
}

static const struct field_rule away_rules[] = {
	{ "message", FIELD_MULTILINE, 1, 1, 1000, NULL },
	{ "until", FIELD_DATE, 0, 0, 10, NULL },
};

int
chat_away_post(struct req *r)
{
	const char *until, *p[3] = { r->user.id_text, NULL, NULL };
	enum db_status st;

	if (fields_get(&r->form, "clear")) {
		if ((st = db_run("chat_away_clear", 1, p)) != DB_OK)
			return db_http_status(st);
		return page_redirect(r, "/messages/away");
	}
	if (form_validate(r, away_rules, 2) > 0)
		return chat_away_form(r);
	until = form_value(r, "until");
	p[1] = form_value(r, "message");
	p[2] = until && *until ? until : NULL;
	if ((st = db_run("chat_away_set", 3, p)) != DB_OK)
		return db_http_status(st);
	return page_redirect(r, "/messages/away");
}
