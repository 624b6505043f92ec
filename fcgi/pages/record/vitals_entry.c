/* vitals_entry: a doctor records a reading (POST /patients/ID/vitals),
 * and corrects one or marks it entered in error: a new version with a
 * reason (/patients/ID/vitals/ITEM), the earlier versions listed. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/record/vitals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/care.h"
#include "core/config.h"
#include "core/request.h"
#include "core/validate.h"
#include "core/view.h"

/* Columns of vitals_recent. */
enum { RC_ITEM, RC_VERSION, RC_TAKEN, RC_STATUS, RC_VALUES };
/* Columns of vitals_versions. */
enum { VV_VERSION, VV_DATE, VV_TIME, VV_STATUS, VV_VALUES, VV_BY = VV_VALUES + VF__MAX, VV_AT, VV_REASON };

static const char *const action_choices[] = { "correct", "error", NULL };

/* The value fields and the time taken; the correction form adds its own. */
#define VALUE_RULES \
	{ "taken_date", FIELD_DATE, 1, 0, 0, NULL }, \
	{ "taken_time", FIELD_TIME, 1, 0, 0, NULL }, \
	{ "systolic", FIELD_TEXT, 0, 0, 12, NULL }, \
	{ "diastolic", FIELD_TEXT, 0, 0, 12, NULL }, \
	{ "heart_rate", FIELD_TEXT, 0, 0, 12, NULL }, \
	{ "temperature", FIELD_TEXT, 0, 0, 12, NULL }, \
	{ "weight", FIELD_TEXT, 0, 0, 12, NULL }, \
	{ "height", FIELD_TEXT, 0, 0, 12, NULL }, \
	{ "spo2", FIELD_TEXT, 0, 0, 12, NULL }, \
	{ "glucose", FIELD_TEXT, 0, 0, 12, NULL }

static const struct field_rule entry_rules[] = { VALUE_RULES };
static const struct field_rule correct_rules[] = {
	VALUE_RULES,
	{ "version", FIELD_ID, 1, 0, 18, NULL },
	{ "action", FIELD_CHOICE, 1, 0, 0, action_choices },
	{ "reason", FIELD_TEXT, 1, 3, 500, NULL },
};

/* A reading is not taken in the future: the local "date time" typed
 * against the clinic's now (a few minutes of slack for clocks). */
static int
check_not_future(struct req *r)
{
	struct db_result *res;
	const char *p[3] = { form_value(r, "taken_date"), form_value(r, "taken_time"),
	                     r->cfg->clinic_timezone };
	enum db_status st;

	if (p[0] == NULL || p[1] == NULL)
		return 0;
	if ((st = db_query(&res, "vitals_future", 3, p)) != DB_OK)
		return db_http_status(st);
	if (db_rows(res) == 1 && strcmp(db_value(res, 0, 0), "t") == 0)
		form_error(r, "taken_time", "vitals.errors.future");
	return 0;
}

/* Validate the form's reading into v (values for SQL, NULL: not taken).
 * 0 when valid, -1 with the messages set, or an HTTP status. */
static int
read_form(struct req *r, const struct field_rule *rules, size_t n, const char *v[VF__MAX])
{
	int bad = form_validate(r, rules, n), st;

	bad += vitals_check_values(r, v);
	if ((st = check_not_future(r)) != 0)
		return st;
	return bad || r->form_errors ? -1 : 0;
}

/* The last readings, every value, each a link to its page (to correct
 * it); entered-in-error ones marked. */
static void
show_recent(struct req *r, struct db_result *res)
{
	for (size_t i = 0; i < db_rows(res); i++) {
		struct view_row *row = view_row(r->view, "Data.recent.%zu", i);
		view_row_set(row, "item", db_value(res, i, RC_ITEM));
		view_row_set(row, "taken", page_when(r, db_value(res, i, RC_TAKEN)));
		if (strcmp(db_value(res, i, RC_STATUS), "final") != 0)
			view_row_set(row, "error", "1");
		if (strcmp(db_value(res, i, RC_VERSION), "1") != 0)
			view_row_set(row, "corrected", "1");
		for (int f = 0; f < VF__MAX; f++)
			view_row_set(row, vital_specs[f].name,
			             vitals_display(r, db_value(res, i, RC_VALUES + f)));
	}
}

/* The entry form (keeping what was typed when re-shown after an error)
 * and the last readings. */
static int
new_render(struct req *r, int status)
{
	const char *p2[2] = { r->record.patient_id_text, r->cfg->clinic_timezone };
	struct db_batch b = { 0 };
	enum db_status st;
	int i_recent, i_now;

	if (audit_read_add(r, &b, &r->record.patient_id, 1, "record.read",
	                   care_audit_object(r, "vitals")) != 0)
		return HTTP_INTERNAL_ERROR;
	i_recent = db_batch_add(&b, "vitals_recent", 2, p2);
	i_now = db_batch_add(&b, "vitals_now", 1, p2 + 1);
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	show_recent(r, b.res[i_recent]);
	view_set(r->view, db_value(b.res[i_now], 0, 0), "Data.now_date");
	view_set(r->view, db_value(b.res[i_now], 0, 1), "Data.now_time");
	view_set(r->view, arena_printf(r->arena, "/patients/%s/vitals", r->record.patient_id_text),
	         "Data.base");
	return page_show(r, "vitals.add", "record/vitals_new.cs", status);
}

int
vitals_new(struct req *r)
{
	return new_render(r, HTTP_OK);
}

int
vitals_add(struct req *r)
{
	const char *v[VF__MAX];
	const char *p[13] = { r->record.patient_id_text, r->user.id_text };
	struct db_result *res;
	enum db_status st;
	int rc = read_form(r, entry_rules, sizeof(entry_rules) / sizeof(entry_rules[0]), v);

	if (rc > 0)
		return rc;
	if (rc < 0)
		return new_render(r, HTTP_OK);
	p[2] = form_value(r, "taken_date");
	p[3] = form_value(r, "taken_time");
	p[4] = r->cfg->clinic_timezone;
	for (int f = 0; f < VF__MAX; f++)
		p[5 + f] = v[f];
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_query(&res, "vitals_insert", 13, p)) != DB_OK || db_rows(res) != 1)
		return page_tx_fail(st);
	if (audit_log(r, r->record.patient_id, "record.create",
	              arena_printf(r->arena, "vitals:%s basis=%s", db_value(res, 0, 0),
	                           care_basis_text(r))) != 0)
		return page_tx_fail(DB_ERROR);
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return page_redirect(r, arena_printf(r->arena, "/patients/%s/vitals?done=saved",
	                                     r->record.patient_id_text));
}

/* The reading's page: its versions, newest first, and the correction
 * form (prefilled with the current version unless re-shown). */
static int
reading_render(struct req *r, int status, int prefill)
{
	const char *item = r->match.args[1];
	const char *p[3] = { r->record.patient_id_text, item, r->cfg->clinic_timezone };
	struct db_batch b = { 0 };
	struct db_result *res;
	enum db_status st;
	int i;

	if (audit_read_add(r, &b, &r->record.patient_id, 1, "record.read",
	                   care_audit_object(r, arena_printf(r->arena, "vitals:%s", item))) != 0)
		return HTTP_INTERNAL_ERROR;
	i = db_batch_add(&b, "vitals_versions", 3, p);
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	res = b.res[i];
	if (db_rows(res) == 0)
		return HTTP_NOT_FOUND;
	for (size_t k = 0; k < db_rows(res); k++) {
		struct view_row *row = view_row(r->view, "Data.versions.%zu", k);
		view_row_set(row, "version", db_value(res, k, VV_VERSION));
		view_row_set(row, "taken", page_when(r, arena_printf(r->arena, "%s %s", db_value(res, k, VV_DATE),
		                                                     db_value(res, k, VV_TIME))));
		if (strcmp(db_value(res, k, VV_STATUS), "final") != 0)
			view_row_set(row, "error", "1");
		for (int f = 0; f < VF__MAX; f++)
			view_row_set(row, vital_specs[f].name, vitals_display(r, db_value(res, k, VV_VALUES + f)));
		view_row_set(row, "by", db_value(res, k, VV_BY));
		view_row_set(row, "at", page_when(r, db_value(res, k, VV_AT)));
		view_row_set(row, "reason", db_value(res, k, VV_REASON));
	}
	view_set(r->view, db_value(res, 0, VV_VERSION), "Data.version");
	view_set(r->view, item, "Data.item");
	view_set(r->view, arena_printf(r->arena, "/patients/%s/vitals", r->record.patient_id_text),
	         "Data.base");
	if (prefill) {
		view_set(r->view, db_value(res, 0, VV_DATE), "Form.taken_date");
		view_set(r->view, db_value(res, 0, VV_TIME), "Form.taken_time");
		for (int f = 0; f < VF__MAX; f++)
			view_set(r->view, vitals_display(r, db_value(res, 0, VV_VALUES + f)),
			         "Form.%s", vital_specs[f].name);
	}
	return page_show(r, "vitals.reading.title", "record/vitals_reading.cs", status);
}

int
vitals_reading(struct req *r)
{
	return reading_render(r, HTTP_OK, 1);
}

/* A correction (new values) or "entered in error" (the same values, the
 * status changed): version N+1 with the reason, N being the version the
 * form was based on; someone else's save in between is a 409 showing
 * their version and keeping what this user typed. */
int
vitals_reading_post(struct req *r)
{
	const char *v[VF__MAX];
	const char *p[17];
	struct db_result *res;
	enum db_status st;
	int rc = read_form(r, correct_rules, sizeof(correct_rules) / sizeof(correct_rules[0]), v);
	int in_error = form_value(r, "action") && strcmp(form_value(r, "action"), "error") == 0;

	if (rc > 0)
		return rc;
	if (rc < 0)
		return reading_render(r, HTTP_OK, 0);
	p[0] = r->record.patient_id_text;
	p[1] = r->match.args[1];
	p[2] = form_value(r, "version");
	p[3] = r->user.id_text;
	p[4] = form_value(r, "taken_date");
	p[5] = form_value(r, "taken_time");
	p[6] = r->cfg->clinic_timezone;
	for (int f = 0; f < VF__MAX; f++)
		p[7 + f] = v[f];
	p[15] = in_error ? "entered_in_error" : "final";
	p[16] = form_value(r, "reason");
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_query(&res, "vitals_correct", 17, p)) != DB_OK) {
		db_rollback();
		if (st != DB_CONFLICT)
			return db_http_status(st);
		view_set(r->view, "1", "Data.conflict");
		return reading_render(r, HTTP_CONFLICT, 0);
	}
	if (db_rows(res) != 1) {
		db_rollback();
		return HTTP_NOT_FOUND;
	}
	if (audit_log(r, r->record.patient_id, in_error ? "record.entered_in_error" : "record.correct",
	              arena_printf(r->arena, "vitals:%s version=%s basis=%s", p[1],
	                           db_value(res, 0, 0), care_basis_text(r))) != 0)
		return page_tx_fail(DB_ERROR);
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return page_redirect(r, arena_printf(r->arena, "/patients/%s/vitals?done=corrected",
	                                     r->record.patient_id_text));
}
