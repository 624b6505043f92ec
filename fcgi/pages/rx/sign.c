/* sign: what the prescriber decides on a prescription page: overriding a
 * warning (a reason; a severe one also a separate confirmation, never a
 * single click), signing (the checks again, every warning overridden, the
 * token of core/rxsign.h, the items onto the patient's medication list,
 * the patient's notice), and cancelling with a reason while nothing was
 * dispensed. Each in one transaction with its audit row. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/rx/rxcore.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"
#include "core/json.h"
#include "core/log.h"
#include "core/outbox.h"
#include "core/request.h"
#include "core/rxsign.h"
#include "core/validate.h"
#include "core/view.h"

#define REASON_MIN 5
#define REASON_MAX 500

/* ------------------------------------------------------------ overrides */

static const struct field_rule override_rules[] = {
	{ "reason", FIELD_TEXT, 1, REASON_MIN, REASON_MAX, NULL },
	{ "confirm", FIELD_TEXT, 0, 0, 1, NULL },
};

/* The override form of warning w shown again with its message (key) and
 * what was typed. */
static int
override_again(struct req *r, const char *id, const char *w, const char *key, int status)
{
	struct rxc_view v = { .id = id };
	const char *reason = fields_get(&r->form, "reason");

	view_set(r->view, view_lang(r->view, key), "Data.override_error.%s", w);
	if (reason)
		view_set(r->view, reason, "Data.override_typed.%s", w);
	return rxc_render(r, &v, status);
}

/* POST /patients/P/rx/ID/warnings/W */
int
rxc_override(struct req *r)
{
	const char *id = r->match.args[1], *w = r->match.args[2];
	const char *confirm = NULL, *ps[2] = { id, w };
	struct db_result *res;
	enum db_status st;
	int rc, line, severe;

	if (form_validate(r, override_rules, 2) != 0)
		return override_again(r, id, w, "rx.write.errors.reason", 422);
	confirm = form_value(r, "confirm");
	if ((rc = rxc_lock_draft(r, id, &line)) != 0)
		return rxc_refused(r, id, rc);
	if ((st = db_query(&res, "rx_warning_severity", 2, ps)) != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) != 1) {          /* no such warning, or overridden already */
		db_rollback();
		return override_again(r, id, w, "rx.write.errors.overridden", HTTP_CONFLICT);
	}
	severe = strcmp(db_value(res, 0, 0), "moderate") != 0;
	if (severe && !(confirm && strcmp(confirm, "1") == 0)) {
		db_rollback();
		return override_again(r, id, w, "rx.write.errors.confirm", 422);
	}
	const char *p[5] = { id, w, form_value(r, "reason"), severe ? "t" : "f", r->user.id_text };
	if ((st = db_query(&res, "rx_override", 5, p)) != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) != 1) {
		db_rollback();
		return override_again(r, id, w, "rx.write.errors.overridden", HTTP_CONFLICT);
	}
	/* the reason stays in rx.warnings (read with the prescription); the
	 * trail says who overrode what */
	return rxc_finish_change(r, id, "record.rx_override",
	                         arena_printf(r->arena, "prescription:%s warning:%s kind=%s severity=%s", id, w,
	                                      db_value(res, 0, 0), db_value(res, 0, 1)), "overridden");
}

/* ------------------------------------------------------------ signing */

/* The signed items onto the patient's medication list (with the
 * prescription's id), their instruction in plain words as the dose. */
static enum db_status
add_medications(struct req *r, const char *id, const char *encounter, const char *issued)
{
	const char *pi[4] = { r->record.patient_id_text, id, r->lang, page_tz(r) };
	struct db_result *items;
	enum db_status st;

	if ((st = db_query(&items, "rx_items", 4, pi)) != DB_OK)
		return st;
	for (size_t i = 0; i < db_rows(items); i++) {
		const char *p[9] = { r->record.patient_id_text, encounter, r->user.id_text, id,
		                     db_value(items, i, IT_NAME), rxc_instruction(r, items, i, r->lang),
		                     db_value(items, i, IT_ROUTE), issued, db_value(items, i, IT_DAYS) };
		if ((st = db_run("rx_medication_add", 9, p)) != DB_OK)
			return st;
	}
	return DB_OK;
}

/* The patient's notice and mail event (no clinical content: the mail
 * says a prescription is ready and links to it). */
static int
notify_patient(struct req *r, const char *id, const char *what)
{
	const char *ev[4] = { "rx.notify", arena_printf(r->arena, "{\"prescription_id\":%s,\"what\":\"%s\"}", id, what),
	                      NULL, NULL };

	if (ev[1] == NULL ||
	    outbox_notice(r->record.patient_id, arena_printf(r->arena, "rx_%s", what),
	                  json_object(r->arena, "doctor", r->user.name, NULL),
	                  arena_printf(r->arena, "/prescriptions/%s", id)) == -1)
		return -1;
	return db_run("outbox_emit", 4, ev) == DB_OK ? 0 : -1;
}

/* Sign in the open transaction (the draft locked): 0, or the status;
 * a 409 or 422 with *alert, the page's message. */
static int
sign_locked(struct req *r, const char *id, const char *encounter, const char **alert)
{
	const char *pc[3] = { id, r->lang, r->record.patient_id_text }, *po[1] = { id };
	struct rxsign_result s;
	struct db_result *res;
	enum db_status st;
	char err[256];
	int rc;

	if ((st = db_run("rx_check", 3, pc)) != DB_OK || (st = db_query(&res, "rx_open_warnings", 1, po)) != DB_OK)
		return page_tx_fail(st);
	if (strcmp(db_value(res, 0, 0), "0") != 0) {
		db_rollback();
		*alert = "rx.write.errors.open_warnings";
		return HTTP_CONFLICT;
	}
	if ((rc = rxsign_sign(r->cfg, strtoll(id, NULL, 10), NULL, &s, err, sizeof(err))) != 0) {
		db_rollback();
		log_msg("error", "prescription %s: %s", id, err);
		*alert = "rx.write.errors.no_items";
		return rc == 409 ? 422 : rc;
	}
	const char *ps[8] = { id, r->user.id_text, s.issued_on, s.expires_on, s.digest_hex, s.key_id_hex,
	                      s.token, "" };
	if ((st = db_run("rx_signature_add", 8, ps)) != DB_OK || (st = add_medications(r, id, encounter, s.issued_on)) != DB_OK) {
		if (st != DB_CONFLICT)
			return page_tx_fail(st);
		/* the medication list moved meanwhile (its next version taken) */
		db_rollback();
		*alert = "rx.write.errors.list_changed";
		return HTTP_CONFLICT;
	}
	if (notify_patient(r, id, "issued") != 0 ||
	    audit_log(r, r->record.patient_id, "record.rx_signed",
	              arena_printf(r->arena, "prescription:%s key:%s", id, s.key_id_hex)) != 0)
		return page_tx_fail(DB_ERROR);
	return (st = db_commit()) == DB_OK ? 0 : page_tx_fail(st);
}

/* POST /patients/P/rx/ID/sign */
int
rxc_sign(struct req *r)
{
	const char *id = r->match.args[1];
	const char *ph[4] = { r->record.patient_id_text, id, page_tz(r), "f" };
	struct rxc_view v = { .id = id };
	struct db_result *head;
	int rc, line;

	if ((rc = page_query_row(&head, "rx_head", 4, ph)) != 0)
		return rc;
	const char *encounter = db_value(head, 0, HD_ENC);
	if ((rc = rxc_lock_draft(r, id, &line)) != 0)
		return rxc_refused(r, id, rc);
	if (line == 1) {
		db_rollback();
		v.alert = "rx.write.errors.no_items";
		return rxc_render(r, &v, 422);
	}
	if ((rc = sign_locked(r, id, encounter, &v.alert)) == HTTP_CONFLICT || rc == 422)
		return rxc_render(r, &v, rc);
	if (rc != 0)
		return rc;
	return page_redirect(r, arena_printf(r->arena, "%s?done=signed", rxc_path(r, id)));
}

/* ------------------------------------------------------------ cancelling */

static const struct field_rule cancel_rules[] = {
	{ "reason", FIELD_TEXT, 1, REASON_MIN, REASON_MAX, NULL },
};

/* POST /patients/P/rx/ID/cancel: by its prescriber, while nothing was
 * dispensed (the database decides under the prescription's lock). */
int
rxc_cancel(struct req *r)
{
	const char *id = r->match.args[1];
	const char *ph[4] = { r->record.patient_id_text, id, page_tz(r), "f" };
	struct rxc_view v = { .id = id, .typed = 1 };
	struct db_result *head, *res;
	enum db_status st;
	int rc, was_signed;

	if ((rc = page_query_row(&head, "rx_head", 4, ph)) != 0)
		return rc;
	was_signed = *db_value(head, 0, HD_SIGNED_AT) != '\0';
	if (form_validate(r, cancel_rules, 1) != 0)
		return rxc_render(r, &v, 422);
	const char *p[4] = { r->record.patient_id_text, id, r->user.id_text, form_value(r, "reason") };
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_query(&res, "rx_cancel", 4, p)) != DB_OK || db_rows(res) != 1) {
		/* already cancelled, dispensed (perhaps just now), or not theirs */
		db_rollback();
		if (st == DB_UNAVAILABLE)
			return HTTP_UNAVAILABLE;
		v.alert = "rx.write.errors.cannot_cancel";
		return rxc_render(r, &v, HTTP_CONFLICT);
	}
	if ((was_signed && notify_patient(r, id, "cancelled") != 0) ||
	    audit_log(r, r->record.patient_id, "record.rx_cancelled", arena_printf(r->arena, "prescription:%s", id)) != 0)
		return page_tx_fail(DB_ERROR);
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return page_redirect(r, arena_printf(r->arena, "%s?done=cancelled", rxc_path(r, id)));
}
