/* lab (notifier): the lab events; contract in docs/events.md and
 * docs/lab.md. The escalation of a critical value is an event of its own,
 * scheduled when the doctor's mail is prepared (due after config
 * lab_critical_ack_minutes, once per result by its dedup key); when it is
 * due it mails the on-call address only if the value is still not
 * acknowledged, and records the escalation once. */
#include "lab.h"

#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/db.h"

/* Columns of notifier_lab (sql/queries/lab.sql). */
enum { L_EMAIL, L_LANG, L_NAME, L_DOCTOR, L_DISABLED, L_WHAT, L_ID, L_ACKED };

int
lab_event_type(const char *type)
{
	return strncmp(type, "lab.", 4) == 0;
}

/* The escalation of result id, due in the configured minutes. */
static enum db_status
schedule(const struct config *cfg, const char *id)
{
	char minutes[16];
	const char *p[2] = { id, minutes };

	snprintf(minutes, sizeof(minutes), "%d", cfg->lab_critical_ack_minutes);
	return db_run("notifier_lab_schedule", 2, p);
}

/* The on-call mail of an escalation, or the decision not to send one. */
static enum prep_outcome
escalation(struct db_result *res, const struct config *cfg, struct prepared_mail *out)
{
	if (strcmp(db_value(res, 0, L_ACKED), "t") == 0)
		return prepared_outcome(out, PREP_SKIP, "skipped: acknowledged in time");
	const char *p[1] = { db_value(res, 0, L_ID) };

	/* Recorded when first attempted (once, with its audit row: 025), so
	 * the doctor's page says it was escalated even with nobody to mail;
	 * a retried delivery records nothing more. */
	if (db_run("notifier_lab_escalated", 1, p) != DB_OK)
		return prepared_outcome(out, PREP_RETRY, "cannot record the escalation");
	if (cfg->lab_oncall_email[0] == '\0')
		return prepared_outcome(out, PREP_SKIP, "skipped: no lab_oncall_email configured");
	snprintf(out->to, sizeof(out->to), "%s", cfg->lab_oncall_email);
	snprintf(out->lang, sizeof(out->lang), "%s", cfg->default_language);
	return PREP_SEND;
}

enum prep_outcome
lab_prepare(const char *event_id, const struct config *cfg, struct prepared_mail *out)
{
	const char *p[1] = { event_id };
	struct db_result *res = NULL;
	enum prep_outcome o = PREP_SEND;
	enum db_status st;
	const char *what;

	memset(out, 0, sizeof(*out));
	if ((st = db_query(&res, "notifier_lab", 1, p)) != DB_OK)
		return st == DB_UNAVAILABLE ? PREP_DB_GONE : prepared_outcome(out, PREP_RETRY, "cannot read the lab event");
	if (db_rows(res) != 1) {
		db_result_free(res);
		return prepared_outcome(out, PREP_DEAD, "no such lab order or result");
	}
	what = db_value(res, 0, L_WHAT);
	snprintf(out->tmpl, sizeof(out->tmpl), "lab_%s", what);
	snprintf(out->name, sizeof(out->name), "%s", db_value(res, 0, L_NAME));
	snprintf(out->doctor, sizeof(out->doctor), "%s", db_value(res, 0, L_DOCTOR));
	snprintf(out->to, sizeof(out->to), "%s", db_value(res, 0, L_EMAIL));
	snprintf(out->lang, sizeof(out->lang), "%s", db_value(res, 0, L_LANG));
	if (strcmp(what, "critical") == 0 || strcmp(what, "escalate") == 0)
		snprintf(out->link, sizeof(out->link), "/lab/critical/%s", db_value(res, 0, L_ID));
	else if (strcmp(what, "corrected_doctor") == 0)
		snprintf(out->link, sizeof(out->link), "/results/inbox");
	else
		snprintf(out->link, sizeof(out->link), "/results/%s", db_value(res, 0, L_ID));
	if (strcmp(what, "critical") == 0 && (st = schedule(cfg, db_value(res, 0, L_ID))) != DB_OK)
		o = st == DB_UNAVAILABLE ? PREP_DB_GONE : prepared_outcome(out, PREP_RETRY, "cannot schedule the escalation");
	else if (strcmp(what, "escalate") == 0)
		o = escalation(res, cfg, out);
	else if (strcmp(db_value(res, 0, L_DISABLED), "t") == 0)
		o = prepared_outcome(out, PREP_SKIP, "skipped: the addressee's account is disabled");
	db_result_free(res);
	return o;
}
