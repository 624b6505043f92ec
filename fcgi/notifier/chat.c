/* chat (notifier): deciding a chat.mail event at send time. */
#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "chat.h"

/* Columns of notifier_chat_mail (sql/queries/chat.sql). */
enum { CHM_EMAIL, CHM_LANG, CHM_NAME, CHM_DISABLED, CHM_UNREAD, CHM_THREAD };

enum prep_outcome
chat_prepare(const char *event_id, struct prepared_mail *out)
{
	const char *p[1] = { event_id };
	struct db_result *res = NULL;
	enum prep_outcome o = PREP_SEND;
	enum db_status st;

	memset(out, 0, sizeof(*out));
	if ((st = db_query(&res, "notifier_chat_mail", 1, p)) != DB_OK)
		return st == DB_UNAVAILABLE ? PREP_DB_GONE : prepared_outcome(out, PREP_RETRY, "cannot read the thread");
	if (db_rows(res) != 1)
		o = prepared_outcome(out, PREP_DEAD, "no such thread or account");
	else if (strcmp(db_value(res, 0, CHM_DISABLED), "t") == 0)
		o = prepared_outcome(out, PREP_SKIP, "skipped: the account is disabled");
	else if (strcmp(db_value(res, 0, CHM_UNREAD), "t") != 0)
		o = prepared_outcome(out, PREP_SKIP, "skipped: read before the mail was due");
	else {
		snprintf(out->to, sizeof(out->to), "%s", db_value(res, 0, CHM_EMAIL));
		snprintf(out->lang, sizeof(out->lang), "%s", db_value(res, 0, CHM_LANG));
		snprintf(out->tmpl, sizeof(out->tmpl), "chat_unread");
		snprintf(out->name, sizeof(out->name), "%s", db_value(res, 0, CHM_NAME));
		snprintf(out->link, sizeof(out->link), "/messages/%s", db_value(res, 0, CHM_THREAD));
	}
	db_result_free(res);
	return o;
}
