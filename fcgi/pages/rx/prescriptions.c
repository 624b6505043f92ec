/* prescriptions: the patient's own prescriptions (the list with status,
 * one prescription with what was dispensed, its PDF from lib/rxpdf.h) and
 * the route table of rx-core's pages. Drafts never reach the patient;
 * another patient's id answers 404, its read row on the audit trail. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/rx/rxcore.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/care.h"
#include "core/config.h"
#include "core/db.h"
#include "core/request.h"
#include "core/view.h"
#include "lib/rxpdf.h"

/* /prescriptions */
int
rxc_mine(struct req *r)
{
	const char *p[4] = { r->record.patient_id_text, page_tz(r), r->lang, "t" };
	struct db_batch b = { 0 };
	struct db_result *res;
	enum db_status st;
	int l;

	if (audit_read_add(r, &b, &r->record.patient_id, 1, "record.prescriptions",
	                   care_audit_object(r, "prescriptions")) != 0)
		return HTTP_INTERNAL_ERROR;
	l = db_batch_add(&b, "rx_list", 4, p);
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	res = b.res[l];
	for (size_t i = 0; i < db_rows(res); i++) {
		struct view_row *row = view_row(r->view, "Data.list.%zu", i);
		char code[12];

		view_row_set(row, "id", db_value(res, i, 0));
		view_row_set(row, "code", rxpdf_short_code(db_value(res, i, 1), code) == 0 ? code : "");
		view_row_set(row, "prescriber", db_value(res, i, 3));
		view_row_set(row, "status", db_value(res, i, 4));
		view_row_set(row, "status_text", view_lang(r->view, arena_printf(r->arena, "rx.write.status.%s",
		                                                                  db_value(res, i, 4))));
		view_row_set(row, "issued", db_value(res, i, 5));
		view_row_set(row, "expires", db_value(res, i, 6));
		view_row_set(row, "products", db_value(res, i, 7));
	}
	return page_show(r, "rx.write.mine.title", "rx/mine.cs", HTTP_OK);
}

/* The patient's own signed prescription read in one audited batch: 0 with
 * head, items, warnings (and the clinic when clinic is given), or 404
 * (another patient's, a draft, no such id), the read row naming the id
 * asked for either way (like core's other own-record pages: a refusal row
 * is for the access decision's refusals). */
static int
read_mine(struct req *r, const char *id, struct db_result **head, struct db_result **items,
          struct db_result **warn, struct db_result **clinic)
{
	const char *ph[4] = { r->record.patient_id_text, id, page_tz(r), "t" };
	const char *pi[4] = { r->record.patient_id_text, id, r->lang, page_tz(r) };
	struct db_batch b = { 0 };
	enum db_status st;
	int h, it, w, c = -1;

	if (audit_read_add(r, &b, &r->record.patient_id, 1, "record.prescription",
	                   care_audit_object(r, arena_printf(r->arena, "prescription:%s", id))) != 0)
		return HTTP_INTERNAL_ERROR;
	h = db_batch_add(&b, "rx_head", 4, ph);
	it = db_batch_add(&b, "rx_items", 4, pi);
	w = db_batch_add(&b, "rx_warnings", 3, ph);
	if (clinic)
		c = db_batch_add(&b, "rx_clinic", 0, NULL);
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	/* the attempt is on the trail already: the read row above names the id */
	if (db_rows(b.res[h]) != 1 || db_rows(b.res[it]) == 0)
		return HTTP_NOT_FOUND;
	*head = b.res[h];
	*items = b.res[it];
	*warn = b.res[w];
	if (clinic)
		*clinic = b.res[c];
	return 0;
}

/* /prescriptions/ID */
int
rxc_mine_one(struct req *r)
{
	struct db_result *head, *items, *warn;
	int rc;

	if ((rc = read_mine(r, r->match.args[0], &head, &items, &warn, NULL)) != 0)
		return rc;
	rxc_show_head(r, head);
	rxc_show_items(r, items, "items");
	return page_show(r, "rx.write.mine.one_title", "rx/mine_one.cs", HTTP_OK);
}

enum { WN_LINE = 1, WN_KIND, WN_SEVERITY, WN_DETAIL, WN_REASON };

/* The PDF's overrides: the warnings overridden, from rx_warnings. */
static size_t
pdf_overrides(struct req *r, struct db_result *warn, struct rxpdf_override **out)
{
	size_t n = 0;

	*out = arena_alloc(r->arena, (db_rows(warn) + 1) * sizeof(**out));
	for (size_t i = 0; *out && i < db_rows(warn) && n < RXPDF_OVERRIDES_MAX; i++) {
		if (*db_value(warn, i, WN_REASON) == '\0')
			continue;
		(*out)[n++] = (struct rxpdf_override){
			atoi(db_value(warn, i, WN_LINE)), db_value(warn, i, WN_KIND),
			db_value(warn, i, WN_SEVERITY), db_value(warn, i, WN_DETAIL), db_value(warn, i, WN_REASON),
		};
	}
	return *out ? n : 0;
}

/* The document of a prescription read by read_mine, as the response. */
static int
send_pdf(struct req *r, struct db_result *head, struct db_result *items, struct db_result *warn,
         struct db_result *clinic)
{
	size_t n = db_rows(items), len = 0;
	struct rxpdf_item *it = arena_alloc(r->arena, n * sizeof(*it));
	struct rxpdf_override *ov = NULL;
	size_t nov = pdf_overrides(r, warn, &ov);
	unsigned char *pdf = NULL;
	int cancelled = strcmp(db_value(head, 0, HD_STATUS), "cancelled") == 0;

	if (it == NULL || n > RXPDF_ITEMS_MAX || db_rows(clinic) != 1)
		return HTTP_INTERNAL_ERROR;
	for (size_t i = 0; i < n; i++) {
		it[i].product = db_value(items, i, IT_NAME);
		it[i].instr = (struct rx_instr){
			strtod(db_value(items, i, IT_AMOUNT), NULL), db_value(items, i, IT_UNIT),
			db_value(items, i, IT_ROUTE), atoi(db_value(items, i, IT_EVERY)),
			strcmp(db_value(items, i, IT_PRN), "t") == 0, atoi(db_value(items, i, IT_DAYS)),
			strcmp(db_value(items, i, IT_UNTIL), "t") == 0, db_value(items, i, IT_ADVICE),
		};
		it[i].quantity = atol(db_value(items, i, IT_QTY));
		it[i].refills = atoi(db_value(items, i, IT_REFILLS));
	}
	const struct rxpdf doc = {
		.lang = rx_lang_parse(r->lang), .dates = view_words(r->lang),
		.id = strtoll(db_value(head, 0, HD_ID), NULL, 10),
		.clinic_name = db_value(clinic, 0, 0), .clinic_details = db_value(clinic, 0, 1),
		.patient_name = db_value(head, 0, HD_PATIENT), .patient_birth = db_value(head, 0, HD_BIRTH),
		.prescriber_name = db_value(head, 0, HD_PRESCRIBER), .prescriber_licence = db_value(head, 0, HD_LICENCE),
		.issued_on = db_value(head, 0, HD_ISSUED), .expires_on = db_value(head, 0, HD_EXPIRES),
		.items = it, .nitems = n, .overrides = ov, .noverrides = nov,
		.verify_url = arena_printf(r->arena, "%s/rx/v/%s", r->cfg->base_url, db_value(head, 0, HD_TOKEN)),
		.short_code = db_value(head, 0, HD_CODE),
		.status = cancelled ? view_lang(r->view, "rx.write.pdf.cancelled") : NULL,
	};
	if (rxpdf_render(&doc, &pdf, &len) != RXPDF_OK)
		return HTTP_INTERNAL_ERROR;
	return page_send_pdf(r, pdf, len, arena_printf(r->arena, "prescription-%s.pdf", db_value(head, 0, HD_ID)));
}

/* /prescriptions/ID.pdf */
int
rxc_mine_pdf(struct req *r)
{
	struct db_result *head, *items, *warn, *clinic;
	int rc;

	if ((rc = read_mine(r, r->match.args[0], &head, &items, &warn, &clinic)) != 0)
		return rc;
	return send_pdf(r, head, items, warn, clinic);
}

/* ------------------------------------------------------------ routes */

#define ID "([1-9][0-9]{0,17})"
#define PATIENT "/patients/([0-9]{1,18})"
#define RX PATIENT "/rx/" ID

const struct route prescriptions_routes[] = {
	/* name               method       pattern                                   handler           roles         csrf pre_mfa capability record */
	{ "rx_encounter",     METHOD_GET,  PATIENT "/encounters/" ID "/rx",         rxc_encounter,    ROLE_DOCTOR,  0, 0, NULL, RECORD_CLINICAL },
	{ "rx_new",           METHOD_POST, PATIENT "/encounters/" ID "/rx/new",     rxc_new,          ROLE_DOCTOR,  1, 0, NULL, RECORD_CLINICAL },
	{ "rx_patient_list",  METHOD_GET,  PATIENT "/rx",                           rxc_patient_list, ROLE_DOCTOR,  0, 0, NULL, RECORD_CLINICAL },
	{ "rx_page",          METHOD_GET,  RX,                                      rxc_page,         ROLE_DOCTOR,  0, 0, NULL, RECORD_CLINICAL },
	{ "rx_item_add",      METHOD_POST, RX "/items",                             rxc_item_add,     ROLE_DOCTOR,  1, 0, NULL, RECORD_CLINICAL },
	{ "rx_item_remove",   METHOD_POST, RX "/items/([0-9]{1,2})/remove",         rxc_item_remove,  ROLE_DOCTOR,  1, 0, NULL, RECORD_CLINICAL },
	{ "rx_override",      METHOD_POST, RX "/warnings/" ID,                      rxc_override,     ROLE_DOCTOR,  1, 0, NULL, RECORD_CLINICAL },
	{ "rx_sign",          METHOD_POST, RX "/sign",                              rxc_sign,         ROLE_DOCTOR,  1, 0, NULL, RECORD_CLINICAL },
	{ "rx_cancel",        METHOD_POST, RX "/cancel",                            rxc_cancel,       ROLE_DOCTOR,  1, 0, NULL, RECORD_CLINICAL },
	{ "rx_mine",          METHOD_GET,  "/prescriptions",                        rxc_mine,         ROLE_PATIENT, 0, 0, NULL, RECORD_OWN },
	{ "rx_mine_one",      METHOD_GET,  "/prescriptions/" ID,                    rxc_mine_one,     ROLE_PATIENT, 0, 0, NULL, RECORD_OWN },
	{ "rx_mine_pdf",      METHOD_GET,  "/prescriptions/" ID "\\.pdf",           rxc_mine_pdf,     ROLE_PATIENT, 0, 0, NULL, RECORD_OWN },
};
const size_t prescriptions_routes_n = sizeof(prescriptions_routes) / sizeof(prescriptions_routes[0]);
