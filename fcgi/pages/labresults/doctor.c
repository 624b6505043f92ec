/* doctor: the doctor's side of released lab results: a patient's results
 * (RECORD_CLINICAL routes: core decides the access and the pages write
 * the read rows), one order and its PDF, and the new-results inbox of the
 * doctor's own orders (critical, then abnormal, first) with "mark seen".
 * Entered-but-unreleased results are lab-core's pages, not these. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/labresults/labresults.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/db.h"
#include "core/request.h"
#include "core/view.h"

/* /patients/P/results */
int
labr_patient(struct req *r)
{
	struct db_result *res;
	int rc;

	if ((rc = labr_read(r, r->record.patient_id_text, "0", "record.lab_results", "lab_results", &res)) != 0)
		return rc;
	labr_show_results(r, res);
	view_set(r->view, arena_printf(r->arena, "/patients/%s/results", r->record.patient_id_text), "Data.base");
	view_set(r->view, arena_printf(r->arena, "/patients/%s", r->record.patient_id_text), "Data.back");
	return page_show(r, "labresults.doctor.title", "labresults/mine.cs", HTTP_OK);
}

/* /patients/P/results/O */
int
labr_patient_one(struct req *r)
{
	return labr_show_order(r, r->match.args[1],
	                       arena_printf(r->arena, "/patients/%s/results", r->record.patient_id_text));
}

/* /patients/P/results/O.pdf */
int
labr_patient_pdf(struct req *r)
{
	return labr_send_pdf(r, r->record.patient_id_text, r->match.args[1]);
}

/* Columns of labr_inbox. */
enum { IB_ORDER, IB_CODE, IB_PATIENT, IB_NAME, IB_DAY, IB_RELEASED, IB_NEW, IB_ABNORMAL, IB_CRITICAL,
       IB_CORRECTED };

/* /results/inbox: read first (whose results it lists is known then),
 * audited before anything is shown. */
int
labr_inbox(struct req *r)
{
	const char *p[2] = { r->user.id_text, page_tz(r) };
	struct db_result *res = NULL;
	long long *subjects;
	size_t n;
	int st;

	if ((st = db_query(&res, "labr_inbox", 2, p)) != DB_OK)
		return db_http_status(st);
	n = db_rows(res);
	if ((subjects = arena_alloc(r->arena, (n ? n : 1) * sizeof(*subjects))) == NULL)
		return HTTP_INTERNAL_ERROR;
	for (size_t i = 0; i < n; i++)
		subjects[i] = strtoll(db_value(res, i, IB_PATIENT), NULL, 10);
	if (n > 0 && (st = audit_read(r, subjects, n, "record.lab_inbox", "lab_inbox")) != 0)
		return st;
	for (size_t i = 0; i < n; i++) {
		struct view_row *row = view_row(r->view, "Data.inbox.%zu", i);
		view_row_set(row, "order", db_value(res, i, IB_ORDER));
		view_row_set(row, "code", labr_code_text(r, db_value(res, i, IB_CODE)));
		view_row_set(row, "patient", db_value(res, i, IB_PATIENT));
		view_row_set(row, "name", db_value(res, i, IB_NAME));
		view_row_set(row, "day", db_value(res, i, IB_DAY));
		view_row_set(row, "released", db_value(res, i, IB_RELEASED));
		view_row_set(row, "new", db_value(res, i, IB_NEW));
		view_row_set(row, "abnormal", strcmp(db_value(res, i, IB_ABNORMAL), "0") ? db_value(res, i, IB_ABNORMAL) : "");
		view_row_set(row, "critical", strcmp(db_value(res, i, IB_CRITICAL), "0") ? db_value(res, i, IB_CRITICAL) : "");
		view_row_set(row, "corrected", db_value(res, i, IB_CORRECTED)[0] == 't' ? "1" : "");
	}
	if (fields_get(&r->query, "done"))
		view_set(r->view, "1", "Data.done");
	return page_show(r, "labresults.inbox.title", "labresults/inbox.cs", HTTP_OK);
}

/* POST /results/inbox/O/seen: the doctor's own order only (404 else). */
int
labr_inbox_seen(struct req *r)
{
	const char *p[2] = { r->user.id_text, r->match.args[0] };
	struct db_result *res = NULL;
	enum db_status st;

	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_query(&res, "labr_seen", 2, p)) != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) != 1) {
		db_rollback();
		return HTTP_NOT_FOUND;
	}
	if (audit_log(r, strtoll(db_value(res, 0, 0), NULL, 10), "lab.results_seen",
	              arena_printf(r->arena, "lab_order:%s", r->match.args[0])) == -1)
		return page_tx_fail(DB_ERROR);
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return page_redirect(r, "/results/inbox?done=seen");
}
