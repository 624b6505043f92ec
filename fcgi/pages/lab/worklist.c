/* worklist: the lab's worklist (orders with tests not yet released, urgent
 * first, found by order code), the specimen label PDF (lib/labelpdf.h),
 * what the lab pages share, and the route table of lab-core's pages.
 * Lab staff have no care relationship: their pages show orders and
 * results only (RECORD_NONE routes), each read of an order on the audit
 * trail with basis "lab". */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/lab/labcore.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/care.h"
#include "core/db.h"
#include "core/fields.h"
#include "core/request.h"
#include "core/status.h"
#include "core/view.h"
#include "lib/labelpdf.h"
#include "pages/rx/desk.h"

/* ------------------------------------------------------------ shared */

const char *
labc_code(struct req *r, const char *code)
{
	if (strlen(code) != 10)
		return code;
	return arena_printf(r->arena, "%.5s-%.5s", code, code + 5);
}

const char *
labc_flag_text(struct req *r, const char *flag)
{
	if (*flag == '\0')
		return "";
	return view_lang(r->view, arena_printf(r->arena, "lab.flag.%s", flag));
}

/* ------------------------------------------------------------ worklist */

enum { WL_ID, WL_CODE, WL_PRIORITY, WL_CREATED, WL_PATIENT, WL_DOCTOR, WL_TESTS, WL_ENTERED, WL_RELEASED,
       WL_COLLECTED };

/* GET /lab[?code=XXXXX-XXXXX]: a code that names an order opens it
 * (released or not); one that names none says so over the whole list. */
int
labc_worklist(struct req *r)
{
	const char *typed = fields_get(&r->query, "code");
	char code[DESK_CODE_LEN + 1] = "";
	const char *p[2] = { page_tz(r), "" };
	struct db_batch b = { 0 };
	enum db_status st;
	int l;

	if (typed && *typed) {
		struct db_result *res;
		const char *pc[1] = { code };

		view_set(r->view, typed, "Data.code");
		if (desk_code_normalise(typed, code) == 0) {
			if ((st = db_query(&res, "lab_order_find", 1, pc)) != DB_OK)
				return db_http_status(st);
			if (db_rows(res) == 1)
				return page_redirect(r, arena_printf(r->arena, "/lab/orders/%s", db_value(res, 0, 0)));
		}
		view_set(r->view, "1", "Data.not_found");
	}
	if (audit_read_add(r, &b, NULL, 0, "lab.worklist", "worklist basis=lab") != 0)
		return HTTP_INTERNAL_ERROR;
	l = db_batch_add(&b, "lab_worklist", 2, p);
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	for (size_t i = 0; i < db_rows(b.res[l]); i++) {
		struct db_result *res = b.res[l];
		struct view_row *row = view_row(r->view, "Data.list.%zu", i);

		view_row_set(row, "id", db_value(res, i, WL_ID));
		view_row_set(row, "code", labc_code(r, db_value(res, i, WL_CODE)));
		if (strcmp(db_value(res, i, WL_PRIORITY), "urgent") == 0)
			view_row_set(row, "urgent", "1");
		view_row_set(row, "created", db_value(res, i, WL_CREATED));
		view_row_set(row, "patient", db_value(res, i, WL_PATIENT));
		view_row_set(row, "doctor", db_value(res, i, WL_DOCTOR));
		view_row_set(row, "tests", db_value(res, i, WL_TESTS));
		view_row_set(row, "entered", db_value(res, i, WL_ENTERED));
		view_row_set(row, "released", db_value(res, i, WL_RELEASED));
		view_row_set(row, "collected", db_value(res, i, WL_COLLECTED));
	}
	return page_show(r, "lab.worklist.title", "lab/worklist.cs", HTTP_OK);
}

/* ------------------------------------------------------------ label */

/* GET /lab/orders/ID/label.pdf */
int
labc_label_pdf(struct req *r)
{
	const char *p[2] = { r->match.args[0], page_tz(r) };
	struct db_result *head;
	unsigned char *pdf = NULL;
	size_t len = 0;
	long long patient;
	int rc;

	if ((rc = page_query_row(&head, "lab_order_head", 2, p)) != 0)
		return rc;
	patient = strtoll(db_value(head, 0, OH_PATIENT_ID), NULL, 10);
	if ((rc = audit_read(r, &patient, 1, "lab.label",
	                     arena_printf(r->arena, "lab_order:%s basis=lab", p[0]))) != 0)
		return rc;
	const char *birth = db_value(head, 0, OH_BIRTH);
	const struct labelpdf label = {
		.code = db_value(head, 0, OH_CODE),
		.code_printed = labc_code(r, db_value(head, 0, OH_CODE)),
		.patient_name = db_value(head, 0, OH_PATIENT),
		.birth = *birth ? arena_printf(r->arena, "%s %s", view_lang(r->view, "lab.label.born"), birth) : "",
		.priority = strcmp(db_value(head, 0, OH_PRIORITY), "urgent") == 0
		            ? view_lang(r->view, "lab.label.urgent") : "",
		.ordered = db_value(head, 0, OH_CREATED),
	};
	if (labelpdf_render(&label, &pdf, &len) != 0)
		return HTTP_INTERNAL_ERROR;
	return page_send_pdf(r, pdf, len, arena_printf(r->arena, "label-%s.pdf", db_value(head, 0, OH_CODE)));
}

/* ------------------------------------------------------------ routes */

#define ID "([1-9][0-9]{0,17})"
#define PATIENT "/patients/([0-9]{1,18})"
#define ORDER "/lab/orders/" ID

const struct route lab_routes[] = {
	/* name               method       pattern                                   handler              roles        csrf pre_mfa capability           record */
	{ "lab_order_form",   METHOD_GET,  PATIENT "/encounters/" ID "/lab/new",    labc_order_form,     ROLE_DOCTOR, 0, 0, NULL,                RECORD_CLINICAL },
	{ "lab_order_new",    METHOD_POST, PATIENT "/encounters/" ID "/lab/new",    labc_order_new,      ROLE_DOCTOR, 1, 0, NULL,                RECORD_CLINICAL },
	{ "lab_worklist",     METHOD_GET,  "/lab",                                  labc_worklist,       ROLE_LAB,    0, 0, NULL,                RECORD_NONE },
	{ "lab_order",        METHOD_GET,  ORDER,                                   labc_order,          ROLE_LAB,    0, 0, NULL,                RECORD_NONE },
	{ "lab_label",        METHOD_GET,  ORDER "/label\\.pdf",                    labc_label_pdf,      ROLE_LAB,    0, 0, NULL,                RECORD_NONE },
	{ "lab_collect",      METHOD_POST, ORDER "/collect",                        labc_collect,        ROLE_LAB,    1, 0, "lab.results_write", RECORD_NONE },
	{ "lab_enter",        METHOD_POST, ORDER "/results",                        labc_enter,          ROLE_LAB,    1, 0, "lab.results_write", RECORD_NONE },
	{ "lab_correct",      METHOD_POST, ORDER "/correct",                        labc_correct,        ROLE_LAB,    1, 0, "lab.results_write", RECORD_NONE },
	{ "lab_release",      METHOD_POST, ORDER "/release",                        labc_release,        ROLE_LAB,    1, 0, "lab.results_write", RECORD_NONE },
	{ "lab_critical",     METHOD_GET,  "/lab/critical",                         labc_critical_list,  ROLE_DOCTOR, 0, 0, NULL,                RECORD_NONE },
	{ "lab_critical_one", METHOD_GET,  "/lab/critical/" ID,                     labc_critical_one,   ROLE_DOCTOR, 0, 0, NULL,                RECORD_NONE },
	{ "lab_critical_ack", METHOD_POST, "/lab/critical/" ID "/ack",              labc_critical_ack,   ROLE_DOCTOR, 1, 0, NULL,                RECORD_NONE },
};
const size_t lab_routes_n = sizeof(lab_routes) / sizeof(lab_routes[0]);
