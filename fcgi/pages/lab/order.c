/* order: the doctor's lab order from an encounter: panels (expanded into
 * their tests when ordered) and single tests found with a search that
 * works without JavaScript, a clinical note for the lab and the priority.
 * The access decision is core/care's (RECORD_CLINICAL); the order and
 * its tests are one statement (lab_order_create). */
#include "pages/lab/labcore.h"
#include "pages/page.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/care.h"
#include "core/config.h"
#include "core/db.h"
#include "core/fields.h"
#include "core/request.h"
#include "core/status.h"
#include "core/validate.h"
#include "core/view.h"

/* At most this many panels or single tests in one order. */
#define ORDER_CODES_MAX 40

/* A LOINC code's shape ("718-7"): digits, a dash, the check digit. */
static int
loinc_shape(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n >= 1 && n <= 7 && s[n] == '-' && s[n + 1] >= '0' && s[n + 1] <= '9' && s[n + 2] == '\0';
}

/* The values of every field called name in f, comma-joined (arena), ""
 * for none; NULL when one is not a LOINC code or there are too many. */
static const char *
codes_of(struct req *r, const struct fields *f, const char *name)
{
	const char *out = "";
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++) {
		if (strcmp(f->v[i].name, name) != 0 || *f->v[i].value == '\0')
			continue;
		if (!loinc_shape(f->v[i].value) || ++n > ORDER_CODES_MAX)
			return NULL;
		out = arena_printf(r->arena, "%s%s%s", out, *out ? "," : "", f->v[i].value);
		if (out == NULL)
			return NULL;
	}
	return out;
}

/* 1 when code is one of the comma-joined list. */
static int
listed(const char *list, const char *code)
{
	size_t n = strlen(code);

	for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (strncmp(p, code, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

enum { EC_ID, EC_STARTED, EC_DOCTOR, EC_PATIENT, EC_AGE };

/* The form with the encounter, its orders, every panel and the tests
 * chosen or found; panels and tests are the comma lists to show ticked. */
static int
show_form(struct req *r, const char *panels, const char *tests, int status)
{
	const char *q = fields_get(&r->query, "q");
	const char *pe[3] = { r->record.patient_id_text, r->match.args[1], page_tz(r) };
	const char *pl[1] = { r->lang }, *ps[2] = { q ? q : "", r->lang }, *pn[2] = { tests, r->lang };
	struct db_batch b = { 0 };
	enum db_status st;
	int e, o, p, s, c;

	if (audit_read_add(r, &b, &r->record.patient_id, 1, "record.lab_orders",
	                   care_audit_object(r, arena_printf(r->arena, "lab_orders encounter:%s", pe[1]))) != 0)
		return HTTP_INTERNAL_ERROR;
	e = db_batch_add(&b, "rx_encounter", 3, pe);
	o = db_batch_add(&b, "lab_of_encounter", 3, pe);
	p = db_batch_add(&b, "lab_catalog_panels", 1, pl);
	s = db_batch_add(&b, "lab_catalog_search", 2, ps);
	c = db_batch_add(&b, "lab_catalog_names", 2, pn);
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	if (db_rows(b.res[e]) != 1)
		return HTTP_NOT_FOUND;
	view_set(r->view, r->record.patient_id_text, "Data.patient.id");
	view_set(r->view, db_value(b.res[e], 0, EC_PATIENT), "Data.patient.name");
	view_set(r->view, db_value(b.res[e], 0, EC_ID), "Data.enc.id");
	view_set(r->view, db_value(b.res[e], 0, EC_STARTED), "Data.enc.started");
	view_set(r->view, db_value(b.res[e], 0, EC_DOCTOR), "Data.enc.doctor");
	view_set(r->view, q ? q : "", "Data.q");
	for (size_t i = 0; i < db_rows(b.res[o]); i++) {
		struct view_row *row = view_row(r->view, "Data.orders.%zu", i);

		view_row_set(row, "id", db_value(b.res[o], i, 0));
		view_row_set(row, "code", labc_code(r, db_value(b.res[o], i, 1)));
		view_row_set(row, "created", db_value(b.res[o], i, 2));
		view_row_set(row, "priority", view_lang(r->view, arena_printf(r->arena, "lab.priority.%s",
		                                                               db_value(b.res[o], i, 3))));
		view_row_set(row, "tests", db_value(b.res[o], i, 4));
		view_row_set(row, "released", db_value(b.res[o], i, 5));
	}
	for (size_t i = 0; i < db_rows(b.res[p]); i++) {
		struct view_row *row = view_row(r->view, "Data.panels.%zu", i);

		view_row_set(row, "code", db_value(b.res[p], i, 0));
		view_row_set(row, "name", db_value(b.res[p], i, 1));
		view_row_set(row, "members", db_value(b.res[p], i, 2));
		if (listed(panels, db_value(b.res[p], i, 0)))
			view_row_set(row, "checked", "1");
	}
	/* the tests chosen before (ticked), then those found (not ticked) */
	size_t n = 0;
	for (int pass = 0; pass < 2; pass++) {
		struct db_result *res = b.res[pass == 0 ? c : s];
		for (size_t i = 0; i < db_rows(res); i++) {
			if (pass == 1 && listed(tests, db_value(res, i, 0)))
				continue;
			struct view_row *row = view_row(r->view, "Data.tests.%zu", n++);
			view_row_set(row, "code", db_value(res, i, 0));
			view_row_set(row, "name", db_value(res, i, 1));
			view_row_set(row, "unit", db_value(res, i, 2));
			if (pass == 0)
				view_row_set(row, "checked", "1");
		}
	}
	if (q && *q && db_rows(b.res[s]) == 0)
		view_set(r->view, "1", "Data.none_found");
	return page_show(r, "lab.order.title", "lab/order_form.cs", status);
}

/* GET /patients/P/encounters/E/lab/new[?q=...&test=...] */
int
labc_order_form(struct req *r)
{
	const char *panels = codes_of(r, &r->query, "panel"), *tests = codes_of(r, &r->query, "test");
	const char *prio = fields_get(&r->query, "priority"), *note = fields_get(&r->query, "note");

	if (panels == NULL || tests == NULL)
		return HTTP_BAD_REQUEST;
	view_set(r->view, prio && strcmp(prio, "urgent") == 0 ? "urgent" : "routine", "Form.priority");
	view_set(r->view, note ? note : "", "Form.note");
	if (fields_get(&r->query, "created"))
		view_set(r->view, "1", "Data.created");
	return show_form(r, panels, tests, HTTP_OK);
}

static const char *const priorities[] = { "routine", "urgent", NULL };
static const struct field_rule order_rules[] = {
	{ "note", FIELD_MULTILINE, 0, 0, 1000, NULL },
	{ "priority", FIELD_CHOICE, 1, 0, 0, priorities },
};

/* POST /patients/P/encounters/E/lab/new: the order, then its number on
 * the form's page (?created=ID). Nothing chosen, or a bad field: 422
 * with the form as it was. */
int
labc_order_new(struct req *r)
{
	const char *panels = codes_of(r, &r->form, "panel"), *tests = codes_of(r, &r->form, "test");
	struct db_result *res;
	enum db_status st;
	const char *id;

	if (panels == NULL || tests == NULL)
		return HTTP_BAD_REQUEST;
	form_validate(r, order_rules, 2);
	if (*panels == '\0' && *tests == '\0')
		form_error(r, "tests", "lab.order.errors.none");
	if (r->form_errors)
		return show_form(r, panels, tests, 422);
	const char *p[7] = { r->record.patient_id_text, r->match.args[1], r->user.id_text,
	                     form_value(r, "note") ? form_value(r, "note") : "", form_value(r, "priority"),
	                     panels, tests };
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_query(&res, "lab_order_create", 7, p)) != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) != 1) {
		db_rollback();
		return HTTP_NOT_FOUND;
	}
	if (atoi(db_value(res, 0, 1)) == 0) {   /* codes of nothing orderable */
		db_rollback();
		form_error(r, "tests", "lab.order.errors.none");
		return show_form(r, panels, tests, 422);
	}
	id = arena_strdup(r->arena, db_value(res, 0, 0));
	if (audit_log(r, r->record.patient_id, "lab.order_created",
	              arena_printf(r->arena, "lab_order:%s encounter:%s tests:%s priority:%s", id, p[1],
	                           db_value(res, 0, 1), p[4])) != 0 ||
	    (st = db_commit()) != DB_OK)
		return page_tx_fail(st == DB_OK ? DB_ERROR : st);
	return page_redirect(r, arena_printf(r->arena, "/patients/%s/encounters/%s/lab/new?created=%s",
	                                     r->record.patient_id_text, p[1], id));
}
