/* entry: the lab's order page (/lab/orders/ID): the order, its collection,
 * a value per analyte (numeric with its unit, coded, or text) validated
 * with a message per field and the form kept, flags computed by the
 * database when stored (025), and a correction of an entered value as a
 * new version with its reason. Release is release.c. */
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
#include "core/validate.h"
#include "core/view.h"

/* The form field of analyte code: prefix "_" code with '-' as '_'
 * ("v_718_7"); HDF names and ids take it as it is. Arena. */
static const char *
field_name(struct req *r, const char *prefix, const char *code)
{
	char *s = arena_printf(r->arena, "%s_%s", prefix, code);

	for (char *c = s; c && *c; c++)
		if (*c == '-')
			*c = '_';
	return s ? s : "";
}

/* "low – high unit" from the range columns ('' ends open); "" none. */
static const char *
range_text(struct req *r, struct db_result *t, size_t i)
{
	const char *lo = db_value(t, i, OT_REF_LOW), *hi = db_value(t, i, OT_REF_HIGH);

	if (!*lo && !*hi)
		return "";
	if (!*lo)
		return arena_printf(r->arena, "≤ %s", hi);
	if (!*hi)
		return arena_printf(r->arena, "≥ %s", lo);
	return arena_printf(r->arena, "%s – %s", lo, hi);
}

/* Data.tests.<i>.* from lab_order_tests; counts of entered-unreleased
 * and not-entered tests in Data.pending / Data.missing. */
static void
show_tests(struct req *r, struct db_result *t)
{
	size_t pending = 0, missing = 0;

	for (size_t i = 0; i < db_rows(t); i++) {
		struct view_row *row = view_row(r->view, "Data.tests.%zu", i);
		const char *code = db_value(t, i, OT_ANALYTE), *flag = db_value(t, i, OT_FLAG);
		const char *vf = field_name(r, "v", code), *uf = field_name(r, "u", code);
		int entered = atoi(db_value(t, i, OT_VERSION)) > 0;

		view_row_set(row, "code", code);
		view_row_set(row, "field", vf);
		view_row_set(row, "ufield", uf);
		view_row_set(row, "name", db_value(t, i, OT_NAME));
		view_row_set(row, "kind", db_value(t, i, OT_KIND));
		view_row_set(row, "unit", db_value(t, i, OT_UNIT));
		view_row_set(row, "panel", db_value(t, i, OT_PANEL));
		view_row_set(row, "version", db_value(t, i, OT_VERSION));
		view_row_set(row, "value", db_value(t, i, OT_VALUE));
		view_row_set(row, "flag", flag);
		view_row_set(row, "flag_text", labc_flag_text(r, flag));
		view_row_set(row, "range", range_text(r, t, i));
		view_row_set(row, "entered_by", db_value(t, i, OT_ENTERED_BY));
		view_row_set(row, "entered_at", db_value(t, i, OT_ENTERED_AT));
		view_row_set(row, "reason", db_value(t, i, OT_REASON));
		if (strcmp(db_value(t, i, OT_RELEASED), "t") == 0)
			view_row_set(row, "released", "1");
		else if (entered)
			pending++;
		if (!entered)
			missing++;
		/* what was typed, kept after a refusal */
		view_row_set(row, "typed", fields_get(&r->form, vf) ? fields_get(&r->form, vf) : "");
		view_row_set(row, "typed_unit", fields_get(&r->form, uf) ? fields_get(&r->form, uf) : "");
		for (int list = 0; list < 2; list++) {
			const char *s = db_value(t, i, list == 0 ? OT_CHOICES : OT_UNITS);
			size_t n = 0;
			for (const char *p = s; *p; n++) {
				size_t len = strcspn(p, ",");
				view_set(r->view, arena_printf(r->arena, "%.*s", (int)len, p), "Data.tests.%zu.%s.%zu", i,
				         list == 0 ? "choices" : "units", n);
				p += len + (p[len] == ',');
			}
		}
	}
	view_set_int(r->view, (long long)pending, "Data.pending");
	view_set_int(r->view, (long long)missing, "Data.missing");
}

int
labc_order_page(struct req *r, const char *id, const char *alert, int status)
{
	const char *p[2] = { id, page_tz(r) }, *pt[3] = { id, r->lang, page_tz(r) };
	struct db_result *head, *tests;
	struct db_batch b = { 0 };
	enum db_status st;
	long long patient;
	int rc, t;

	if ((rc = page_query_row(&head, "lab_order_head", 2, p)) != 0)
		return rc;
	patient = strtoll(db_value(head, 0, OH_PATIENT_ID), NULL, 10);
	if (audit_read_add(r, &b, &patient, 1, "lab.order", arena_printf(r->arena, "lab_order:%s basis=lab", id)) != 0)
		return HTTP_INTERNAL_ERROR;
	t = db_batch_add(&b, "lab_order_tests", 3, pt);
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	tests = b.res[t];
	static const struct { int col; const char *name; } cols[] = {
		{ OH_ID, "id" }, { OH_NOTE, "note" }, { OH_CREATED, "created" }, { OH_PATIENT, "patient" },
		{ OH_BIRTH, "birth" }, { OH_DOCTOR, "doctor" }, { OH_COLLECTED, "collected" },
		{ OH_COLLECTOR, "collector" }, { OH_PRIORITY, "priority" },
	};
	for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++)
		view_set(r->view, db_value(head, 0, cols[c].col), "Data.order.%s", cols[c].name);
	view_set(r->view, labc_code(r, db_value(head, 0, OH_CODE)), "Data.order.code");
	view_set(r->view, view_lang(r->view, arena_printf(r->arena, "lab.priority.%s", db_value(head, 0, OH_PRIORITY))),
	         "Data.order.priority_text");
	view_set(r->view, view_lang(r->view, arena_printf(r->arena, "lab.sex.%s",
	                                                   *db_value(head, 0, OH_SEX) ? db_value(head, 0, OH_SEX)
	                                                                              : "unknown")),
	         "Data.order.sex");
	if (r->cfg->lab_release_second_person)
		view_set(r->view, "1", "Data.second_person");
	if (alert)
		view_set(r->view, view_lang(r->view, alert), "Data.alert");
	show_tests(r, tests);
	return page_show(r, "lab.entry.title", "lab/order.cs", status);
}

/* GET /lab/orders/ID[?done=...] */
int
labc_order(struct req *r)
{
	const char *done = fields_get(&r->query, "done");
	static const char *const known[] = { "collected", "entered", "corrected", "released", NULL };

	for (size_t i = 0; done && known[i]; i++)
		if (strcmp(done, known[i]) == 0)
			view_set(r->view, view_lang(r->view, arena_printf(r->arena, "lab.done.%s", done)), "Data.done");
	return labc_order_page(r, r->match.args[0], NULL, HTTP_OK);
}

/* POST /lab/orders/ID/collect: the specimen taken now, once. */
int
labc_collect(struct req *r)
{
	const char *id = r->match.args[0], *p[2] = { id, r->user.id_text }, *ph[2] = { id, page_tz(r) };
	struct db_result *head, *res;
	enum db_status st;
	int rc;

	if ((rc = page_query_row(&head, "lab_order_head", 2, ph)) != 0)
		return rc;
	long long patient = strtoll(db_value(head, 0, OH_PATIENT_ID), NULL, 10);
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_query(&res, "lab_collect", 2, p)) != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) != 1) {
		db_rollback();
		return labc_order_page(r, id, "lab.alert.collected_already", HTTP_CONFLICT);
	}
	if (audit_log(r, patient, "lab.collected", arena_printf(r->arena, "lab_order:%s", id)) != 0 ||
	    (st = db_commit()) != DB_OK)
		return page_tx_fail(st == DB_OK ? DB_ERROR : st);
	return page_redirect(r, arena_printf(r->arena, "/lab/orders/%s?done=collected", id));
}

/* ------------------------------------------------------------ values */

/* A number as typed ("5,4", "-1.25"): the text numeric() takes (arena),
 * or NULL when it is not one or has more than decimals digits after the
 * point. */
static const char *
number_text(struct req *r, const char *typed, int decimals)
{
	char *s = arena_strdup(r->arena, typed), *dot = NULL;
	size_t i = 0, digits = 0;

	if (s == NULL)
		return NULL;
	if (s[0] == '-')
		i = 1;
	for (; s[i]; i++) {
		if (s[i] == ',' || s[i] == '.') {
			if (dot)
				return NULL;
			s[i] = '.';
			dot = s + i;
		} else if (s[i] >= '0' && s[i] <= '9') {
			digits++;
		} else {
			return NULL;
		}
	}
	if (digits == 0 || digits > 15 || (dot && dot[1] == '\0') || (dot && (int)strlen(dot + 1) > decimals))
		return NULL;
	return s;
}

/* 1 when value is one of the comma-joined choices. */
static int
is_choice(const char *choices, const char *value)
{
	size_t n = strlen(value);

	for (const char *p = choices; *p; ) {
		size_t len = strcspn(p, ",");
		if (len == n && strncmp(p, value, n) == 0)
			return 1;
		p += len + (p[len] == ',');
	}
	return 0;
}

/* One value of test row i, checked: 0 with *num (numeric, in the
 * analyte's unit) or *text set, or -1 after a message for the row
 * (Data.tests.<i>.error; a plain words key plus the numbers it needs). */
static int
check_value(struct req *r, struct db_result *t, size_t i, const char *typed, const char *unit,
            const char **num, const char **text)
{
	const char *kind = db_value(t, i, OT_KIND), *err = NULL;

	*num = "";
	*text = "";
	if (strcmp(kind, "numeric") == 0) {
		const char *n = number_text(r, typed, atoi(db_value(t, i, OT_DECIMALS)));
		const char *pc[3] = { db_value(t, i, OT_ANALYTE), unit && *unit ? unit : db_value(t, i, OT_UNIT), n };
		struct db_result *res;

		if (n == NULL) {
			err = arena_printf(r->arena, "%s %s", view_lang(r->view, "lab.errors.number"),
			                   db_value(t, i, OT_DECIMALS));
		} else if (db_query(&res, "lab_value_check", 3, pc) != DB_OK || db_rows(res) != 1) {
			err = view_lang(r->view, "lab.errors.unit");
		} else if (*db_value(res, 0, 0) == '\0') {
			err = arena_printf(r->arena, "%s %s", view_lang(r->view, "lab.errors.unit"), pc[1]);
		} else if (strcmp(db_value(res, 0, 1), "t") != 0) {
			err = arena_printf(r->arena, "%s %s – %s %s", view_lang(r->view, "lab.errors.plausible"),
			                   db_value(t, i, OT_PLOW), db_value(t, i, OT_PHIGH), db_value(t, i, OT_UNIT));
		} else {
			*num = arena_strdup(r->arena, db_value(res, 0, 0));
		}
	} else if (strcmp(kind, "coded") == 0) {
		if (!is_choice(db_value(t, i, OT_CHOICES), typed))
			err = view_lang(r->view, "lab.errors.choice");
		*text = typed;
	} else {
		if (utf8_char_count(typed) > 500)
			err = view_lang(r->view, "lab.errors.text");
		*text = typed;
	}
	if (err == NULL)
		return 0;
	view_set(r->view, err, "Data.tests.%zu.error", i);
	r->form_errors++;
	return -1;
}

/* The order's tests for an entry or a correction; 0 with *head and
 * *tests, or the status (404). The order must be collected: 409 after
 * showing the page with its alert. */
static int
load(struct req *r, const char *id, struct db_result **head, struct db_result **tests)
{
	const char *p[2] = { id, page_tz(r) }, *pt[3] = { id, r->lang, page_tz(r) };
	enum db_status st;
	int rc;

	if ((rc = page_query_row(head, "lab_order_head", 2, p)) != 0)
		return rc;
	if (*db_value(*head, 0, OH_COLLECTED) == '\0')
		return -labc_order_page(r, id, "lab.alert.not_collected", HTTP_CONFLICT);
	if ((st = db_query(tests, "lab_order_tests", 3, pt)) != DB_OK)
		return db_http_status(st);
	return 0;
}

/* Store the checked values (rows[k] of tests, version, reason) in one
 * transaction with an audit row each; 0, or the status. */
static int
store(struct req *r, const char *id, struct db_result *head, struct db_result *tests, const size_t *rows,
      const char *const *nums, const char *const *texts, size_t n, const char *reason, const char *action)
{
	long long patient = strtoll(db_value(head, 0, OH_PATIENT_ID), NULL, 10);
	const char *pl[1] = { id };
	enum db_status st;

	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_run("lab_lock", 1, pl)) != DB_OK)
		return page_tx_fail(st);
	for (size_t k = 0; k < n; k++) {
		const char *version = arena_printf(r->arena, "%d", atoi(db_value(tests, rows[k], OT_VERSION)) + 1);
		const char *p[7] = { id, db_value(tests, rows[k], OT_ANALYTE), nums[k], texts[k], r->user.id_text,
		                     version, reason };
		if ((st = db_run("lab_result_add", 7, p)) != DB_OK) {
			if (st != DB_CONFLICT)
				return page_tx_fail(st);
			db_rollback();   /* another entry came first: show what it stored */
			return labc_order_page(r, id, "lab.alert.changed", HTTP_CONFLICT);
		}
		if (audit_log(r, patient, action, arena_printf(r->arena, "lab_order:%s analyte:%s version:%s", id,
		                                                p[1], version)) != 0)
			return page_tx_fail(DB_ERROR);
	}
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return 0;
}

/* POST /lab/orders/ID/results: the values typed for tests with none yet.
 * A refusal stores nothing and shows every field's message (422). */
int
labc_enter(struct req *r)
{
	const char *id = r->match.args[0];
	struct db_result *head, *tests;
	size_t n = 0, *rows;
	const char **nums, **texts;
	int rc;

	if ((rc = load(r, id, &head, &tests)) != 0)
		return rc < 0 ? -rc : rc;
	rows = arena_alloc(r->arena, (db_rows(tests) + 1) * sizeof(*rows));
	nums = arena_alloc(r->arena, (db_rows(tests) + 1) * sizeof(*nums));
	texts = arena_alloc(r->arena, (db_rows(tests) + 1) * sizeof(*texts));
	if (!rows || !nums || !texts)
		return HTTP_INTERNAL_ERROR;
	for (size_t i = 0; i < db_rows(tests); i++) {
		const char *code = db_value(tests, i, OT_ANALYTE);
		const char *typed = fields_get(&r->form, field_name(r, "v", code));
		const char *unit = fields_get(&r->form, field_name(r, "u", code));

		if (atoi(db_value(tests, i, OT_VERSION)) > 0 || typed == NULL || *typed == '\0')
			continue;
		if (check_value(r, tests, i, typed, unit, &nums[n], &texts[n]) == 0)
			rows[n++] = i;
	}
	if (r->form_errors)
		return labc_order_page(r, id, "lab.alert.fix", 422);
	if (n == 0)
		return labc_order_page(r, id, "lab.alert.nothing", 422);
	if ((rc = store(r, id, head, tests, rows, nums, texts, n, "", "lab.result_entered")) != 0)
		return rc;
	return page_redirect(r, arena_printf(r->arena, "/lab/orders/%s?done=entered#results", id));
}

static const struct field_rule correct_rules[] = {
	{ "analyte", FIELD_TEXT, 1, 3, 10, NULL },
	{ "value", FIELD_TEXT, 1, 1, 500, NULL },
	{ "unit", FIELD_TEXT, 0, 0, 40, NULL },
	{ "reason", FIELD_MULTILINE, 1, 5, 500, NULL },
};

/* POST /lab/orders/ID/correct: a new version of an entered value (before
 * or after release) with its reason; released again by release.c. */
int
labc_correct(struct req *r)
{
	const char *id = r->match.args[0], *code;
	struct db_result *head, *tests;
	const char *num, *text;
	size_t row = 0;
	int rc, found = 0;

	if ((rc = load(r, id, &head, &tests)) != 0)
		return rc < 0 ? -rc : rc;
	form_validate(r, correct_rules, sizeof(correct_rules) / sizeof(correct_rules[0]));
	code = form_value(r, "analyte") ? form_value(r, "analyte") : "";
	for (size_t i = 0; i < db_rows(tests) && !found; i++)
		if (strcmp(db_value(tests, i, OT_ANALYTE), code) == 0 && atoi(db_value(tests, i, OT_VERSION)) > 0)
			row = i, found = 1;
	if (!found)
		return HTTP_NOT_FOUND;
	view_set(r->view, code, "Form.analyte");
	if (form_value(r, "value") &&
	    check_value(r, tests, row, form_value(r, "value"), form_value(r, "unit"), &num, &text) != 0)
		view_set(r->view, view_lang(r->view, "lab.errors.correction"), "Form.errors.value");
	if (r->form_errors)
		return labc_order_page(r, id, "lab.alert.fix", 422);
	if ((rc = store(r, id, head, tests, &row, &num, &text, 1, form_value(r, "reason"),
	                "lab.result_corrected")) != 0)
		return rc;
	return page_redirect(r, arena_printf(r->arena, "/lab/orders/%s?done=corrected#results", id));
}
