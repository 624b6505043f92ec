/* release: the second step of a result's way to the patient. Lab staff
 * release an order's entered values: the person who entered them after
 * ticking an explicit confirmation, or, when the clinic configures
 * lab_release_second_person, only someone else (recorded as verified_by).
 * The release's notices and events (results ready, corrected, critical)
 * are written by the database in the same transaction (025). Also the
 * doctor's side of critical values: the list, one value, and its
 * acknowledgement, which stops the escalation. */
#include "pages/lab/labcore.h"
#include "pages/page.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"
#include "core/fields.h"
#include "core/request.h"
#include "core/status.h"
#include "core/view.h"

/* Refuse in the open transaction: roll back, show the order page. */
static int
refuse(struct req *r, const char *id, const char *alert, int status)
{
	db_rollback();
	return labc_order_page(r, id, alert, status);
}

/* POST /lab/orders/ID/release */
int
labc_release(struct req *r)
{
	const char *id = r->match.args[0], *pl[1] = { id }, *ph[2] = { id, page_tz(r) };
	const char *confirm = fields_get(&r->form, "confirm");
	int second = r->cfg->lab_release_second_person;
	struct db_result *head, *pending, *done;
	enum db_status st;
	int rc;

	if ((rc = page_query_row(&head, "lab_order_head", 2, ph)) != 0)
		return rc;
	long long patient = strtoll(db_value(head, 0, OH_PATIENT_ID), NULL, 10);
	if (!second && (confirm == NULL || strcmp(confirm, "1") != 0)) {
		view_set(r->view, view_lang(r->view, "lab.errors.confirm"), "Form.errors.confirm");
		return labc_order_page(r, id, "lab.alert.confirm", 422);
	}
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_run("lab_lock", 1, pl)) != DB_OK || (st = db_query(&pending, "lab_release_pending", 1, pl)) != DB_OK)
		return page_tx_fail(st);
	if (db_rows(pending) == 0)
		return refuse(r, id, "lab.alert.nothing_to_release", HTTP_CONFLICT);
	for (size_t i = 0; second && i < db_rows(pending); i++)
		if (strcmp(db_value(pending, i, 1), r->user.id_text) == 0)
			return refuse(r, id, "lab.alert.second_person", HTTP_CONFLICT);
	const char *pr[3] = { id, r->user.id_text, second ? r->user.id_text : "" };
	if ((st = db_query(&done, "lab_release", 3, pr)) != DB_OK)
		return page_tx_fail(st);
	for (size_t i = 0; i < db_rows(done); i++) {
		const char *flag = db_value(done, i, 1);
		if (audit_log(r, patient, "lab.released",
		              arena_printf(r->arena, "lab_order:%s result:%s%s", id, db_value(done, i, 0),
		                           second ? " verified=second_person" : " verified=confirmed")) != 0 ||
		    (strncmp(flag, "critical", 8) == 0 &&
		     audit_log(r, patient, "lab.critical_notified",
		               arena_printf(r->arena, "result:%s", db_value(done, i, 0))) != 0))
			return page_tx_fail(DB_ERROR);
	}
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return page_redirect(r, arena_printf(r->arena, "/lab/orders/%s?done=released#results", id));
}

/* ------------------------------------------------------------ critical values */

/* GET /lab/critical: the doctor's critical values, open ones first. */
int
labc_critical_list(struct req *r)
{
	const char *p[3] = { r->user.id_text, page_tz(r), r->lang };
	struct db_result *res;
	enum db_status st;

	if ((st = db_query(&res, "lab_critical_list", 3, p)) != DB_OK)
		return db_http_status(st);
	for (size_t i = 0; i < db_rows(res); i++) {
		struct view_row *row = view_row(r->view, "Data.list.%zu", i);

		view_row_set(row, "id", db_value(res, i, 0));
		view_row_set(row, "patient", db_value(res, i, 1));
		view_row_set(row, "analyte", db_value(res, i, 2));
		view_row_set(row, "notified", db_value(res, i, 3));
		view_row_set(row, "acknowledged", db_value(res, i, 4));
		view_row_set(row, "escalated", db_value(res, i, 5));
	}
	return page_show(r, "lab.critical.title", "lab/critical_list.cs", HTTP_OK);
}

enum { CR_ID, CR_PATIENT_ID, CR_PATIENT, CR_ORDER, CR_CODE, CR_ANALYTE, CR_VALUE, CR_UNIT, CR_FLAG, CR_LOW,
       CR_HIGH, CR_NOTIFIED, CR_ACKED, CR_ESCALATED };

/* One critical value of the signed-in doctor's, read and audited: 0 with
 * *res, or the status (404 for another doctor's or no such result). */
static int
read_one(struct req *r, const char *id, struct db_result **res)
{
	const char *p[4] = { id, r->user.id_text, page_tz(r), r->lang };
	long long patient;
	int rc;

	if ((rc = page_query_row(res, "lab_critical_one", 4, p)) != 0) {
		if (rc == HTTP_NOT_FOUND)
			audit_log(r, 0, "record.denied", arena_printf(r->arena, "lab_critical:%s status=404", id));
		return rc;
	}
	patient = strtoll(db_value(*res, 0, CR_PATIENT_ID), NULL, 10);
	return audit_read(r, &patient, 1, "lab.critical", arena_printf(r->arena, "result:%s basis=ordered", id));
}

/* GET /lab/critical/RID */
int
labc_critical_one(struct req *r)
{
	static const struct { int col; const char *name; } cols[] = {
		{ CR_ID, "id" }, { CR_PATIENT_ID, "patient_id" }, { CR_PATIENT, "patient" }, { CR_ANALYTE, "analyte" },
		{ CR_VALUE, "value" }, { CR_UNIT, "unit" }, { CR_LOW, "critical_low" }, { CR_HIGH, "critical_high" },
		{ CR_NOTIFIED, "notified" }, { CR_ACKED, "acknowledged" }, { CR_ESCALATED, "escalated" },
	};
	struct db_result *res;
	int rc;

	if ((rc = read_one(r, r->match.args[0], &res)) != 0)
		return rc;
	for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++)
		view_set(r->view, db_value(res, 0, cols[c].col), "Data.alert.%s", cols[c].name);
	view_set(r->view, labc_code(r, db_value(res, 0, CR_CODE)), "Data.alert.code");
	view_set(r->view, labc_flag_text(r, db_value(res, 0, CR_FLAG)), "Data.alert.flag_text");
	if (fields_get(&r->query, "done"))
		view_set(r->view, view_lang(r->view, "lab.critical.done"), "Data.done");
	return page_show(r, "lab.critical.one_title", "lab/critical.cs", HTTP_OK);
}

/* POST /lab/critical/RID/ack: acknowledged once; the escalation then does
 * nothing (the notifier reads the row when it is due). */
int
labc_critical_ack(struct req *r)
{
	const char *id = r->match.args[0], *p[2] = { id, r->user.id_text };
	struct db_result *res;
	enum db_status st;
	int rc;

	if ((rc = read_one(r, id, &res)) != 0)
		return rc;
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_query(&res, "lab_critical_ack", 2, p)) != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) != 1) {    /* acknowledged already: the page says when */
		db_rollback();
		return page_redirect(r, arena_printf(r->arena, "/lab/critical/%s", id));
	}
	if (audit_log(r, strtoll(db_value(res, 0, 0), NULL, 10), "lab.critical_ack",
	              arena_printf(r->arena, "result:%s", id)) != 0 ||
	    (st = db_commit()) != DB_OK)
		return page_tx_fail(st == DB_OK ? DB_ERROR : st);
	return page_redirect(r, arena_printf(r->arena, "/lab/critical/%s?done=1", id));
}
