/* rx (notifier): deciding an rx.notify event at send time. */
#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "rx.h"

/* Columns of notifier_rx (sql/queries/rx.sql). */
enum { RXN_EMAIL, RXN_LANG, RXN_NAME, RXN_DOCTOR, RXN_WHAT, RXN_DISABLED };

enum prep_outcome
rx_prepare(const char *event_id, struct prepared_mail *out)
{
	const char *p[1] = { event_id };
	struct db_result *res = NULL;
	enum prep_outcome o = PREP_SEND;
	enum db_status st;

	memset(out, 0, sizeof(*out));
	if ((st = db_query(&res, "notifier_rx", 1, p)) != DB_OK)
		return st == DB_UNAVAILABLE ? PREP_DB_GONE : prepared_outcome(out, PREP_RETRY, "cannot read the prescription");
	if (db_rows(res) != 1)
		o = prepared_outcome(out, PREP_DEAD, "no such prescription");
	else if (strcmp(db_value(res, 0, RXN_DISABLED), "t") == 0)
		o = prepared_outcome(out, PREP_SKIP, "skipped: the patient's account is disabled");
	else {
		snprintf(out->to, sizeof(out->to), "%s", db_value(res, 0, RXN_EMAIL));
		snprintf(out->lang, sizeof(out->lang), "%s", db_value(res, 0, RXN_LANG));
		snprintf(out->tmpl, sizeof(out->tmpl), "rx_%s", db_value(res, 0, RXN_WHAT));
		snprintf(out->name, sizeof(out->name), "%s", db_value(res, 0, RXN_NAME));
		snprintf(out->doctor, sizeof(out->doctor), "%s", db_value(res, 0, RXN_DOCTOR));
		snprintf(out->link, sizeof(out->link), "/prescriptions");
	}
	db_result_free(res);
	return o;
}
