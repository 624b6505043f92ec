/* items: adding an item to a draft prescription (a product picked with
 * the formulary's plain search, a structured instruction checked by
 * lib/rxtext.h, a quantity with a suggested value, refills) and removing
 * one. Each change re-runs the safety checks in its own transaction. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/rx/rxcore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/db.h"
#include "core/request.h"
#include "core/validate.h"
#include "core/view.h"
#include "lib/rxtext.h"

/* Days of treatment a quantity is suggested for when the instruction has
 * no end ("until told"). */
#define SUGGEST_OPEN_DAYS 30
#define MAX_LINES 20

static const char *const item_fields[] = {
	"product", "q", "dose_amount", "dose_unit", "route", "every_hours", "as_needed",
	"duration_days", "until_told", "advice", "quantity", "refills", NULL
};

static const struct field_rule item_rules[] = {
	{ "product", FIELD_TEXT, 1, 1, 80, NULL },
	{ "q", FIELD_TEXT, 0, 0, 100, NULL },
	{ "dose_amount", FIELD_TEXT, 1, 1, 12, NULL },
	{ "dose_unit", FIELD_TEXT, 1, 1, 20, NULL },
	{ "route", FIELD_TEXT, 1, 1, 20, NULL },
	{ "every_hours", FIELD_DIGITS, 0, 0, 3, NULL },
	{ "as_needed", FIELD_TEXT, 0, 0, 1, NULL },
	{ "duration_days", FIELD_DIGITS, 0, 0, 3, NULL },
	{ "until_told", FIELD_TEXT, 0, 0, 1, NULL },
	{ "advice", FIELD_TEXT, 0, 0, RXTEXT_ADVICE_MAX, NULL },
	{ "quantity", FIELD_DIGITS, 0, 0, 5, NULL },
	{ "refills", FIELD_DIGITS, 0, 0, 2, NULL },
};
#define NRULES (sizeof(item_rules) / sizeof(item_rules[0]))

/* A dose amount with a point or a comma ("2,5"), as numeric text; NULL
 * when it is not a number. */
static const char *
amount_text(struct req *r, const char *s)
{
	char *t, *end;

	if (s == NULL || *s == '\0' || (t = arena_strdup(r->arena, s)) == NULL)
		return NULL;
	for (char *c = t; *c; c++)
		if (*c == ',')
			*c = '.';
	strtod(t, &end);
	return *end == '\0' ? t : NULL;
}

/* The instruction the fields f describe (texts point into f). */
static struct rx_instr
fields_instr(struct req *r, const struct fields *f)
{
	const char *amount = amount_text(r, fields_get(f, "dose_amount"));
	const char *every = fields_get(f, "every_hours"), *days = fields_get(f, "duration_days");
	const char *prn = fields_get(f, "as_needed"), *until = fields_get(f, "until_told");
	struct rx_instr in = {
		.dose_amount = amount ? strtod(amount, NULL) : 0,
		.dose_unit = fields_get(f, "dose_unit"),
		.route = fields_get(f, "route"),
		.every_hours = every ? atoi(every) : 0,
		.as_needed = prn && *prn,
		.duration_days = days ? atoi(days) : 0,
		.until_told = until && *until,
		.advice = fields_get(f, "advice"),
	};
	return in;
}

/* The quantity to suggest for in (dose units), or -1 when it cannot be
 * counted: for the duration, or SUGGEST_OPEN_DAYS when there is no end. */
static long
suggested(const struct rx_instr *in)
{
	struct rx_instr open = *in;

	if (rxtext_check(in) != RXTEXT_OK)
		return -1;
	if (in->every_hours > 0 && in->duration_days == 0) {
		open.until_told = 0;
		open.duration_days = SUGGEST_OPEN_DAYS;
		return rxtext_total_units(&open);
	}
	return rxtext_total_units(in);
}

/* Data.suggested and Data.preview: what the typed instruction comes to. */
static void
show_typed(struct req *r, const struct fields *f)
{
	struct rx_instr in = fields_instr(r, f);
	char text[RXTEXT_LINE_MAX];
	long n;

	if (in.dose_unit == NULL || in.route == NULL)
		return;
	if ((n = suggested(&in)) > 0)
		view_set_int(r->view, n, "Data.suggested");
	if (rxtext_instruction(&in, rx_lang_parse(r->lang), text, sizeof(text)) > 0)
		view_set(r->view, text, "Data.typed_text");
}

void
rxc_item_form_from_query(struct req *r)
{
	for (size_t i = 0; item_fields[i]; i++) {
		const char *v = fields_get(&r->query, item_fields[i]);
		if (v)
			view_set(r->view, v, "Form.%s", item_fields[i]);
	}
	if (fields_get(&r->query, "pick"))
		view_set(r->view, fields_get(&r->query, "pick"), "Form.product");
	show_typed(r, &r->query);
}

/* The form field an rxtext refusal is about, and its message key. */
static void
instr_error(struct req *r, enum rxtext_error e)
{
	static const struct { const char *field, *key; } errs[RXTEXT__MAX] = {
		[RXTEXT_BAD_AMOUNT] = { "dose_amount", "rx.write.errors.amount" },
		[RXTEXT_BAD_UNIT] = { "dose_unit", "rx.write.errors.unit" },
		[RXTEXT_BAD_ROUTE] = { "route", "rx.write.errors.route" },
		[RXTEXT_BAD_EVERY] = { "every_hours", "rx.write.errors.every" },
		[RXTEXT_BAD_DURATION] = { "duration_days", "rx.write.errors.duration" },
		[RXTEXT_DURATION_CONFLICT] = { "duration_days", "rx.write.errors.duration_conflict" },
		[RXTEXT_ADVICE_TOO_LONG] = { "advice", "rx.write.errors.advice" },
	};

	if (e > RXTEXT_OK && e < RXTEXT__MAX && errs[e].field)
		form_error(r, errs[e].field, errs[e].key);
}

/* The posted item checked beyond the field rules: the instruction, the
 * unit (the product's own, or mg/g/mcg), quantity and refills. Statement
 * parameters in p (13, rx_item_add's order from $3). 0, or the number of
 * fields in error. */
static int
item_check(struct req *r, const char *unit, const char **p)
{
	struct rx_instr in = fields_instr(r, &r->form);
	const char *qty = form_value(r, "quantity"), *ref = form_value(r, "refills");
	enum rxtext_error e = rxtext_check(&in);
	/* a repeated dose says for how long (the schema's rule too) */
	if (e == RXTEXT_OK && in.every_hours > 0 && in.duration_days == 0 && !in.until_told)
		e = RXTEXT_DURATION_CONFLICT;
	long n = qty && *qty ? atol(qty) : suggested(&in);
	int refills = ref && *ref ? atoi(ref) : 0;
	int errors = 0;

	if (e != RXTEXT_OK) {
		instr_error(r, e);
		errors++;
	}
	if (unit == NULL || (strcmp(in.dose_unit, unit) != 0 && strcmp(in.dose_unit, "mg") != 0 &&
	                     strcmp(in.dose_unit, "g") != 0 && strcmp(in.dose_unit, "mcg") != 0)) {
		form_error(r, "dose_unit", "rx.write.errors.unit");
		errors++;
	}
	if (n < 1 || n > 10000) {
		form_error(r, "quantity", "rx.write.errors.quantity");
		errors++;
	}
	if (refills > 12) {
		form_error(r, "refills", "rx.write.errors.refills");
		errors++;
	}
	if (errors)
		return errors;
	p[0] = form_value(r, "product");
	p[1] = amount_text(r, form_value(r, "dose_amount"));
	p[2] = in.dose_unit;
	p[3] = in.route;
	p[4] = in.every_hours > 0 ? arena_printf(r->arena, "%d", in.every_hours) : "";
	p[5] = in.as_needed ? "t" : "f";
	p[6] = in.duration_days > 0 ? arena_printf(r->arena, "%d", in.duration_days) : "";
	p[7] = in.until_told ? "t" : "f";
	p[8] = in.advice ? in.advice : "";
	p[9] = arena_printf(r->arena, "%ld", n);
	p[10] = arena_printf(r->arena, "%d", refills);
	return 0;
}

int
rxc_lock_draft(struct req *r, const char *id, int *line)
{
	const char *p[3] = { r->record.patient_id_text, id, r->user.id_text };
	const char *ph[4] = { r->record.patient_id_text, id, page_tz(r), "f" };
	struct db_result *res;
	enum db_status st;

	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_query(&res, "rx_draft_lock", 3, p)) != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) == 1) {
		*line = atoi(db_value(res, 0, 1));
		return 0;
	}
	db_rollback();
	if ((st = db_query(&res, "rx_head", 4, ph)) != DB_OK)
		return db_http_status(st);
	return db_rows(res) == 1 ? HTTP_CONFLICT : HTTP_NOT_FOUND;
}

int
rxc_finish_change(struct req *r, const char *id, const char *action, const char *object, const char *done)
{
	const char *pc[3] = { id, r->lang, r->record.patient_id_text };
	enum db_status st;

	if ((st = db_run("rx_check", 3, pc)) != DB_OK)
		return page_tx_fail(st);
	if (audit_log(r, r->record.patient_id, action, object) != 0 || (st = db_commit()) != DB_OK)
		return page_tx_fail(st == DB_OK ? DB_ERROR : st);
	return page_redirect(r, arena_printf(r->arena, "%s?done=%s", rxc_path(r, id), done));
}

int
rxc_refused(struct req *r, const char *id, int status)
{
	struct rxc_view v = { .id = id, .alert = "rx.write.errors.not_draft" };

	return status == HTTP_CONFLICT ? rxc_render(r, &v, HTTP_CONFLICT) : status;
}

/* POST /patients/P/rx/ID/items */
int
rxc_item_add(struct req *r)
{
	struct rxc_view v = { .id = r->match.args[1], .typed = 1 };
	const char *p[13] = { 0 }, *pp[2];
	struct db_result *prod;
	enum db_status st;
	int rc, line, errors;

	errors = form_validate(r, item_rules, NRULES);
	show_typed(r, &r->form);
	pp[0] = form_value(r, "product");
	pp[1] = r->lang;
	if (pp[0] == NULL)
		return rxc_render(r, &v, 422);
	if ((st = db_query(&prod, "rx_product", 2, pp)) != DB_OK)
		return db_http_status(st);
	if (db_rows(prod) != 1) {
		form_error(r, "product", "rx.write.errors.product");
		return rxc_render(r, &v, 422);
	}
	if (errors || item_check(r, db_value(prod, 0, 2), p + 2) != 0)
		return rxc_render(r, &v, 422);
	if ((rc = rxc_lock_draft(r, v.id, &line)) != 0)
		return rxc_refused(r, v.id, rc);
	if (line > MAX_LINES) {
		db_rollback();
		v.alert = "rx.write.errors.too_many";
		return rxc_render(r, &v, 422);
	}
	p[0] = v.id;
	p[1] = arena_printf(r->arena, "%d", line);
	if ((st = db_run("rx_item_add", 13, p)) != DB_OK)
		return page_tx_fail(st);
	return rxc_finish_change(r, v.id, "record.rx_item_added",
	                     arena_printf(r->arena, "prescription:%s line:%d product:%s", v.id, line, p[2]), "added");
}

/* POST /patients/P/rx/ID/items/L/remove */
int
rxc_item_remove(struct req *r)
{
	const char *id = r->match.args[1], *line = r->match.args[2];
	const char *p[2] = { id, line };
	enum db_status st;
	size_t rows;
	int rc, next;

	if ((rc = rxc_lock_draft(r, id, &next)) != 0)
		return rxc_refused(r, id, rc);
	if ((st = db_run_rows("rx_item_remove", 2, p, &rows)) != DB_OK)
		return page_tx_fail(st);
	if (rows != 1) {
		db_rollback();
		return HTTP_NOT_FOUND;
	}
	return rxc_finish_change(r, id, "record.rx_item_removed",
	                     arena_printf(r->arena, "prescription:%s line:%s", id, line), "removed");
}
