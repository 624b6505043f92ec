/* write: the doctor's side of prescriptions inside an encounter: the
 * encounter's prescriptions and a new draft, the patient's prescriptions
 * with their dispensing status, and the prescription page (items in plain
 * words, the add-item form with its formulary picker, the safety checks
 * run on every showing of a draft, overrides, sign and cancel forms). */
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
#include "core/validate.h"
#include "core/view.h"
#include "lib/rxpdf.h"
#include "lib/rxtext.h"

/* ------------------------------------------------------------ helpers */

const char *
rxc_path(struct req *r, const char *id)
{
	return arena_printf(r->arena, "/patients/%s/rx/%s", r->record.patient_id_text, id);
}

/* Item row i as rxtext's instruction (texts point into the result). */
static struct rx_instr
row_instr(struct db_result *items, size_t i)
{
	struct rx_instr in = {
		.dose_amount = strtod(db_value(items, i, IT_AMOUNT), NULL),
		.dose_unit = db_value(items, i, IT_UNIT),
		.route = db_value(items, i, IT_ROUTE),
		.every_hours = atoi(db_value(items, i, IT_EVERY)),
		.as_needed = strcmp(db_value(items, i, IT_PRN), "t") == 0,
		.duration_days = atoi(db_value(items, i, IT_DAYS)),
		.until_told = strcmp(db_value(items, i, IT_UNTIL), "t") == 0,
		.advice = db_value(items, i, IT_ADVICE),
	};
	return in;
}

const char *
rxc_instruction(struct req *r, struct db_result *items, size_t i, const char *lang)
{
	struct rx_instr in = row_instr(items, i);
	char *out = arena_alloc(r->arena, RXTEXT_LINE_MAX);

	if (out == NULL || rxtext_instruction(&in, rx_lang_parse(lang), out, RXTEXT_LINE_MAX) < 0)
		return "";
	return out;
}

const char *
rxc_quantity(struct req *r, struct db_result *items, size_t i, const char *lang)
{
	char *out = arena_alloc(r->arena, 128);

	if (out == NULL)
		return "";
	rxtext_quantity(strtod(db_value(items, i, IT_QTY), NULL), db_value(items, i, IT_UNIT),
	                rx_lang_parse(lang), out, 128);
	return out;
}

void
rxc_show_items(struct req *r, struct db_result *items, const char *node)
{
	for (size_t i = 0; i < db_rows(items); i++) {
		struct view_row *row = view_row(r->view, "Data.%s.%zu", node, i);

		view_row_set(row, "line", db_value(items, i, IT_LINE));
		view_row_set(row, "name", db_value(items, i, IT_NAME));
		view_row_set(row, "text", rxc_instruction(r, items, i, r->lang));
		view_row_set(row, "quantity", rxc_quantity(r, items, i, r->lang));
		view_row_set(row, "refills", db_value(items, i, IT_REFILLS));
		view_row_set(row, "allowed", db_value(items, i, IT_ALLOWED));
		view_row_set(row, "dispensed", db_value(items, i, IT_DISPENSED));
		view_row_set(row, "remaining", db_value(items, i, IT_REMAINING));
		view_row_set(row, "last_at", page_when(r, db_value(items, i, IT_LAST_AT)));
		view_row_set(row, "last_by", db_value(items, i, IT_LAST_BY));
	}
}

/* "ABCDE12345" -> "ABCDE-12345", as printed under the QR code (arena). */
static const char *
short_code(struct req *r, const char *code)
{
	char out[12];

	return rxpdf_short_code(code, out) == 0 ? arena_strdup(r->arena, out) : code;
}

void
rxc_show_head(struct req *r, struct db_result *head)
{
	static const struct { int col; const char *name; } cols[] = {
		{ HD_ID, "id" }, { HD_ENC, "encounter" }, { HD_CREATED, "created" },
		{ HD_PRESCRIBER, "prescriber" }, { HD_LICENCE, "licence" }, { HD_STATUS, "status" },
		{ HD_SIGNED_AT, "signed_at" }, { HD_ISSUED, "issued" }, { HD_EXPIRES, "expires" },
		{ HD_CANCELLED_AT, "cancelled_at" }, { HD_CANCEL_REASON, "cancel_reason" },
		{ HD_CANCELLER, "canceller" }, { HD_WEIGHT, "weight" }, { HD_PATIENT, "patient" },
		{ HD_BIRTH, "birth" },
	};

	for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++)
		view_set(r->view, db_value(head, 0, cols[c].col), "Data.rx.%s", cols[c].name);
	/* the times a person reads, in words */
	view_set(r->view, page_when(r, db_value(head, 0, HD_CREATED)), "Data.rx.created");
	if (*db_value(head, 0, HD_SIGNED_AT))
		view_set(r->view, page_when(r, db_value(head, 0, HD_SIGNED_AT)), "Data.rx.signed_at");
	if (*db_value(head, 0, HD_CANCELLED_AT))
		view_set(r->view, page_when(r, db_value(head, 0, HD_CANCELLED_AT)), "Data.rx.cancelled_at");
	view_set(r->view, page_day(r, db_value(head, 0, HD_BIRTH)), "Data.rx.birth");
	view_set(r->view, page_when(r, db_value(head, 0, HD_ISSUED)), "Data.rx.issued");
	view_set(r->view, page_when(r, db_value(head, 0, HD_EXPIRES)), "Data.rx.expires");
	view_set(r->view, short_code(r, db_value(head, 0, HD_CODE)), "Data.rx.code");
	view_set(r->view, view_lang(r->view, arena_printf(r->arena, "rx.write.status.%s",
	                                                   db_value(head, 0, HD_STATUS))), "Data.rx.status_text");
	if (*db_value(head, 0, HD_PREGNANT))
		view_set(r->view, view_lang(r->view, strcmp(db_value(head, 0, HD_PREGNANT), "t") == 0
		                            ? "rx.write.pregnant_yes" : "rx.write.pregnant_no"), "Data.rx.pregnant");
}

/* Data.list.<i>.* from rx_list / rx_of_encounter rows: id, code, created,
 * prescriber, status (and its words), then rx_list's dates and products. */
static void
show_list(struct req *r, struct db_result *res, int full)
{
	for (size_t i = 0; i < db_rows(res); i++) {
		struct view_row *row = view_row(r->view, "Data.list.%zu", i);

		view_row_set(row, "id", db_value(res, i, 0));
		view_row_set(row, "code", short_code(r, db_value(res, i, 1)));
		view_row_set(row, "created", page_when(r, db_value(res, i, 2)));
		view_row_set(row, "prescriber", db_value(res, i, 3));
		view_row_set(row, "status", db_value(res, i, 4));
		view_row_set(row, "status_text", view_lang(r->view, arena_printf(r->arena, "rx.write.status.%s",
		                                                                  db_value(res, i, 4))));
		if (!full)
			continue;
		view_row_set(row, "issued", page_when(r, db_value(res, i, 5)));
		view_row_set(row, "expires", page_when(r, db_value(res, i, 6)));
		view_row_set(row, "products", db_value(res, i, 7));
	}
}

/* ------------------------------------------------ the encounter's page */

enum { EC_ID, EC_STARTED, EC_DOCTOR, EC_PATIENT, EC_AGE, EC_WEIGHT };

/* /patients/P/encounters/E/rx: the encounter's prescriptions and the form
 * of a new one (the weight and pregnancy the checks will use). */
int
rxc_encounter(struct req *r)
{
	const char *p[3] = { r->record.patient_id_text, r->match.args[1], page_tz(r) };
	struct db_batch b = { 0 };
	struct db_result *enc;
	enum db_status st;
	int e, l;

	if (audit_read_add(r, &b, &r->record.patient_id, 1, "record.prescriptions",
	                   care_audit_object(r, arena_printf(r->arena, "prescriptions encounter:%s", p[1]))) != 0)
		return HTTP_INTERNAL_ERROR;
	e = db_batch_add(&b, "rx_encounter", 3, p);
	l = db_batch_add(&b, "rx_of_encounter", 3, p);
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	enc = b.res[e];
	if (db_rows(enc) != 1)
		return HTTP_NOT_FOUND;
	view_set(r->view, r->record.patient_id_text, "Data.patient.id");
	view_set(r->view, db_value(enc, 0, EC_PATIENT), "Data.patient.name");
	view_set(r->view, db_value(enc, 0, EC_AGE), "Data.patient.age");
	view_set(r->view, db_value(enc, 0, EC_ID), "Data.enc.id");
	view_set(r->view, page_when(r, db_value(enc, 0, EC_STARTED)), "Data.enc.started");
	view_set(r->view, db_value(enc, 0, EC_DOCTOR), "Data.enc.doctor");
	if (!fields_get(&r->form, "weight"))
		view_set(r->view, db_value(enc, 0, EC_WEIGHT), "Form.weight");
	show_list(r, b.res[l], 0);
	return page_show(r, "rx.write.encounter.title", "rx/encounter.cs", HTTP_OK);
}

static const char *const pregnancy_choices[] = { "", "t", "f", NULL };
static const struct field_rule new_rules[] = {
	{ "weight", FIELD_TEXT, 0, 0, 7, NULL },
	{ "pregnant", FIELD_CHOICE, 0, 0, 0, pregnancy_choices },
};

/* A weight in kg as the schema takes it ("" when none): 0.3 to 400 with
 * a point or a comma. NULL when it is not one. */
static const char *
weight_value(struct req *r, const char *w)
{
	char *t, *end;
	double kg;

	if (w == NULL || *w == '\0')
		return "";
	if ((t = arena_strdup(r->arena, w)) == NULL)
		return NULL;
	for (char *c = t; *c; c++)
		if (*c == ',')
			*c = '.';
	kg = strtod(t, &end);
	return *end == '\0' && kg >= 0.3 && kg <= 400 ? t : NULL;
}

/* POST /patients/P/encounters/E/rx/new: a new draft, then its page. */
int
rxc_new(struct req *r)
{
	const char *kg, *id;
	struct db_result *res;
	enum db_status st;

	if (form_validate(r, new_rules, 2) != 0 || (kg = weight_value(r, form_value(r, "weight"))) == NULL) {
		form_error(r, "weight", "rx.write.errors.weight");
		return rxc_encounter(r) == HTTP_OK ? 422 : HTTP_INTERNAL_ERROR;
	}
	const char *p[5] = { r->record.patient_id_text, r->match.args[1], r->user.id_text, kg,
	                     form_value(r, "pregnant") ? form_value(r, "pregnant") : "" };
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_query(&res, "rx_create", 5, p)) != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) != 1) {
		db_rollback();
		return HTTP_NOT_FOUND;
	}
	id = arena_strdup(r->arena, db_value(res, 0, 0));
	if (audit_log(r, r->record.patient_id, "record.rx_created",
	              arena_printf(r->arena, "prescription:%s encounter:%s", id, p[1])) != 0 ||
	    (st = db_commit()) != DB_OK)
		return page_tx_fail(st == DB_OK ? DB_ERROR : st);
	return page_redirect(r, rxc_path(r, id));
}

/* /patients/P/rx: the patient's prescriptions with their status. */
int
rxc_patient_list(struct req *r)
{
	const char *p[4] = { r->record.patient_id_text, page_tz(r), r->lang, "f" };
	const char *pn[1] = { r->record.patient_id_text };
	struct db_batch b = { 0 };
	enum db_status st;
	int n, l;

	if (audit_read_add(r, &b, &r->record.patient_id, 1, "record.prescriptions",
	                   care_audit_object(r, "prescriptions")) != 0)
		return HTTP_INTERNAL_ERROR;
	n = db_batch_add(&b, "notes_patient_name", 1, pn);
	l = db_batch_add(&b, "rx_list", 4, p);
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	view_set(r->view, r->record.patient_id_text, "Data.patient.id");
	if (db_rows(b.res[n]) == 1)
		view_set(r->view, db_value(b.res[n], 0, 0), "Data.patient.name");
	show_list(r, b.res[l], 1);
	return page_show(r, "rx.write.patient_list.title", "rx/patient_list.cs", HTTP_OK);
}

/* ------------------------------------------------ the prescription page */

enum { WN_ID, WN_LINE, WN_KIND, WN_SEVERITY, WN_DETAIL, WN_REASON, WN_CONFIRMED, WN_BY, WN_AT };

/* Data.warnings.<i>.*, and Data.open: how many still wait for an override. */
static void
show_warnings(struct req *r, struct db_result *w)
{
	size_t open = 0;

	for (size_t i = 0; i < db_rows(w); i++) {
		struct view_row *row = view_row(r->view, "Data.warnings.%zu", i);
		const char *sev = db_value(w, i, WN_SEVERITY);

		view_row_set(row, "id", db_value(w, i, WN_ID));
		view_row_set(row, "line", db_value(w, i, WN_LINE));
		view_row_set(row, "kind", view_lang(r->view, arena_printf(r->arena, "rx.write.kind.%s",
		                                                           db_value(w, i, WN_KIND))));
		view_row_set(row, "severity", sev);
		view_row_set(row, "severity_text", view_lang(r->view, arena_printf(r->arena, "rx.write.severity.%s", sev)));
		view_row_set(row, "detail", db_value(w, i, WN_DETAIL));
		if (strcmp(sev, "moderate") != 0)
			view_row_set(row, "severe", "1");
		if (*db_value(w, i, WN_REASON)) {
			view_row_set(row, "reason", db_value(w, i, WN_REASON));
			view_row_set(row, "by", db_value(w, i, WN_BY));
			view_row_set(row, "at", page_when(r, db_value(w, i, WN_AT)));
		} else {
			open++;
		}
	}
	view_set_int(r->view, (long long)open, "Data.open");
}

/* The picker's matches (Data.matches) and the chosen product (Data.product). */
static void
show_picker(struct req *r, struct db_result *matches, struct db_result *product)
{
	if (matches) {
		for (size_t i = 0; i < db_rows(matches); i++) {
			struct view_row *row = view_row(r->view, "Data.matches.%zu", i);
			view_row_set(row, "code", db_value(matches, i, 0));
			view_row_set(row, "name", db_value(matches, i, 1));
		}
		view_set(r->view, db_rows(matches) ? "1" : "0", "Data.searched");
	}
	if (product && db_rows(product) == 1) {
		view_set(r->view, db_value(product, 0, 0), "Data.product.code");
		view_set(r->view, db_value(product, 0, 1), "Data.product.name");
		view_set(r->view, db_value(product, 0, 2), "Data.product.unit");
		view_set(r->view, rxtext_unit_name(db_value(product, 0, 2), rx_lang_parse(r->lang)),
		         "Data.product.unit_name");
		if (!fields_get(&r->query, "route") && !fields_get(&r->form, "route"))
			view_set(r->view, db_value(product, 0, 3), "Form.route");
	}
}

/* The parts of the page a draft's prescriber gets: the forms. */
static void
show_forms(struct req *r, struct db_result *head)
{
	int mine = strcmp(db_value(head, 0, HD_PRESCRIBER_ID), r->user.id_text) == 0;
	const char *status = db_value(head, 0, HD_STATUS);

	if (mine && strcmp(status, "draft") == 0)
		view_set(r->view, "1", "Data.editable");
	/* cancelled while nothing was dispensed: a draft (abandoned) or one
	 * signed and still untouched */
	if (mine && (strcmp(status, "draft") == 0 || strcmp(status, "active") == 0 ||
	             strcmp(status, "expired") == 0))
		view_set(r->view, "1", "Data.cancellable");
	static const char *const hours[] = { "1", "2", "3", "4", "6", "8", "12", "24", "48", "72", "168", NULL };

	for (size_t i = 0; hours[i]; i++)
		view_set(r->view, hours[i], "Data.hours.%zu", i);
	for (size_t i = 0; rxtext_route_code(i); i++) {
		struct view_row *row = view_row(r->view, "Data.routes.%zu", i);
		view_row_set(row, "code", rxtext_route_code(i));
		view_row_set(row, "name", rxtext_route_name(rxtext_route_code(i), rx_lang_parse(r->lang)));
	}
}

int
rxc_render(struct req *r, const struct rxc_view *v, int status)
{
	const char *pc[3] = { v->id, r->lang, r->record.patient_id_text };
	const char *ph[4] = { r->record.patient_id_text, v->id, page_tz(r), "f" };
	const char *pi[4] = { r->record.patient_id_text, v->id, r->lang, page_tz(r) };
	const char *q = v->typed ? fields_get(&r->form, "q") : fields_get(&r->query, "q");
	const char *prod = v->typed ? fields_get(&r->form, "product") : fields_get(&r->query, "pick");
	const char *pq[2] = { q, r->lang }, *pp[2];
	struct db_batch b = { 0 };
	enum db_status st;
	int h, it, w, m = -1, pr = -1;

	if (!v->typed && prod == NULL)
		prod = fields_get(&r->query, "product");
	pp[0] = prod;
	pp[1] = r->lang;
	if (audit_read_add(r, &b, &r->record.patient_id, 1, "record.prescription",
	                   care_audit_object(r, arena_printf(r->arena, "prescription:%s", v->id))) != 0)
		return HTTP_INTERNAL_ERROR;
	/* the safety checks: a no-op once signed or cancelled */
	db_batch_add(&b, "rx_check", 3, pc);
	h = db_batch_add(&b, "rx_head", 4, ph);
	it = db_batch_add(&b, "rx_items", 4, pi);
	w = db_batch_add(&b, "rx_warnings", 3, ph);
	if (q && *q && utf8_char_count(q) <= 100)
		m = db_batch_add(&b, "formulary_pick", 2, pq);
	if (prod && *prod && strlen(prod) <= 80)
		pr = db_batch_add(&b, "rx_product", 2, pp);
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	if (db_rows(b.res[h]) != 1)
		return HTTP_NOT_FOUND;
	view_set(r->view, r->record.patient_id_text, "Data.patient.id");
	rxc_show_head(r, b.res[h]);
	rxc_show_items(r, b.res[it], "items");
	show_warnings(r, b.res[w]);
	show_forms(r, b.res[h]);
	if (!v->typed)
		rxc_item_form_from_query(r);
	show_picker(r, m >= 0 ? b.res[m] : NULL, pr >= 0 ? b.res[pr] : NULL);
	if (v->alert)
		view_set(r->view, view_lang(r->view, v->alert), "Data.alert");
	return page_show(r, "rx.write.page.title", "rx/page.cs", status);
}

/* ?done= after a change. */
static const char *
done_key(struct req *r)
{
	static const char *const codes[] = { "created", "added", "removed", "overridden", "signed",
	                                     "cancelled", NULL };
	const char *done = fields_get(&r->query, "done");

	for (size_t i = 0; done && codes[i]; i++)
		if (strcmp(done, codes[i]) == 0)
			return arena_printf(r->arena, "rx.write.done.%s", codes[i]);
	return NULL;
}

int
rxc_page(struct req *r)
{
	struct rxc_view v = { .id = r->match.args[1] };
	const char *done = done_key(r);

	if (done)
		view_set(r->view, view_lang(r->view, done), "Data.done");
	return rxc_render(r, &v, HTTP_OK);
}
