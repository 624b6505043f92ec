/* vitals: a patient's vital signs page, the patient's own (/record/vitals)
 * and the care team's (/patients/ID/vitals, with the entry form): the
 * latest value of each measure, and for the chosen measure a trend over a
 * chosen range (chart and data table), plus the feature's routes. */
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

/* Columns of vitals_series. */
enum { SE_LABEL, SE_T, SE_N, SE_ITEM, SE_SYS, SE_DIA, SE_HR, SE_TEMP, SE_WEIGHT, SE_HEIGHT,
       SE_SPO2, SE_GLUCOSE, SE_BMI, SE_UNIT };

/* The measures a trend shows: name (as vitals_latest names it), the
 * series column, and the second column of a two-number measure. */
static const struct {
	const char *name;
	int col, col2;
} measures[] = {
	{ "blood_pressure", SE_SYS, SE_DIA },
	{ "heart_rate", SE_HR, -1 },
	{ "temperature", SE_TEMP, -1 },
	{ "weight", SE_WEIGHT, -1 },
	{ "height", SE_HEIGHT, -1 },
	{ "bmi", SE_BMI, -1 },
	{ "spo2", SE_SPO2, -1 },
	{ "glucose", SE_GLUCOSE, -1 },
};
#define N_MEASURES (sizeof(measures) / sizeof(measures[0]))

static const char *const ranges[] = { "3m", "1y", "5y", "all", NULL };

/* The chosen measure's index (?m=), or -1 when none or unknown. */
static int
chosen_measure(const struct req *r)
{
	const char *m = fields_get(&r->query, "m");

	for (size_t i = 0; m && i < N_MEASURES; i++)
		if (strcmp(m, measures[i].name) == 0)
			return (int)i;
	return -1;
}

/* The chosen range (?range=), "1y" by default. */
static const char *
chosen_range(const struct req *r)
{
	const char *g = fields_get(&r->query, "range");

	for (size_t i = 0; g && ranges[i]; i++)
		if (strcmp(g, ranges[i]) == 0)
			return ranges[i];
	return "1y";
}

/* A measure's language string: "name", "unit". */
static const char *
measure_text(struct req *r, const char *measure, const char *what)
{
	return view_lang(r->view, arena_printf(r->arena, "vitals.m.%s.%s", measure, what));
}

/* The latest values: one line per measure, each a link to its trend. The
 * chosen measure defaults to the first one measured. */
static int
show_latest(struct req *r, struct db_result *res, int m, const char *base, const char *range)
{
	for (size_t i = 0; i < db_rows(res); i++) {
		struct view_row *row = view_row(r->view, "Data.latest.%zu", i);
		const char *name = db_value(res, i, 0), *v = db_value(res, i, 1);
		view_row_set(row, "m", name);
		view_row_set(row, "name", measure_text(r, name, "name"));
		view_row_set(row, "unit", measure_text(r, name, "unit"));
		view_row_set(row, "href", arena_printf(r->arena, "%s?m=%s&range=%s", base, name, range));
		view_row_set(row, "value", strchr(v, '/') ? v : vitals_display(r, v));
		view_row_set(row, "taken", page_when(r, db_value(res, i, 3)));
		for (size_t k = 0; m < 0 && k < N_MEASURES; k++)
			if (strcmp(measures[k].name, name) == 0)
				m = (int)k;
	}
	return m < 0 ? 0 : m;
}

/* The chosen measure's points: the data table (and the chart). Staff
 * reach a single reading from its row (relative link: the rows are
 * many and the page must stay small). */
/* A row's period (vitals_series' label) in words: a reading's date and
 * time, a day, the Monday of a week, a month; quarters ("2026-Q4") and
 * years as they come. */
static const char *
period_label(struct req *r, const char *unit, const char *label)
{
	if (strcmp(unit, "month") == 0)
		return page_month(r, arena_printf(r->arena, "%s-01", label));
	if (strcmp(unit, "reading") == 0 || strcmp(unit, "day") == 0 || strcmp(unit, "week") == 0)
		return page_when(r, label);
	return label;
}

static void
show_series(struct req *r, struct db_result *res, int m, int staff, const char *range,
            long long now)
{
	int c = measures[m].col, c2 = measures[m].col2;
	const char *unit = db_rows(res) ? db_value(res, 0, SE_UNIT) : "reading";
	size_t k = 0;

	for (size_t i = 0; i < db_rows(res); i++) {
		if (db_is_null(res, i, c))
			continue;
		struct view_row *row = view_row(r->view, "Data.rows.%zu", k++);
		view_row_set(row, "label", period_label(r, unit, db_value(res, i, SE_LABEL)));
		view_row_set(row, "value", c2 < 0 ? vitals_display(r, db_value(res, i, c))
		             : arena_printf(r->arena, "%s/%s", db_value(res, i, c), db_value(res, i, c2)));
		if (staff && *db_value(res, i, SE_ITEM))
			view_row_set(row, "href", arena_printf(r->arena, "vitals/%s", db_value(res, i, SE_ITEM)));
	}
	view_set(r->view, view_lang(r->view, arena_printf(r->arena, "vitals.period.%s", unit)),
	         "Data.period");
	if (strcmp(unit, "reading") != 0)
		view_set(r->view, view_lang(r->view, arena_printf(r->arena, "vitals.means.%s", unit)),
		         "Data.means");
	if (k > 0)
		vitals_chart(r, res, c, c2, measures[m].name, range, unit, now);
}

/* The links that choose the measure and the range. */
static void
show_choices(struct req *r, int m, const char *range, const char *base)
{
	for (size_t i = 0; i < N_MEASURES; i++) {
		view_set(r->view, measures[i].name, "Data.measures.%zu.m", i);
		view_set(r->view, measure_text(r, measures[i].name, "name"), "Data.measures.%zu.name", i);
		view_set(r->view, arena_printf(r->arena, "%s?m=%s&range=%s", base, measures[i].name, range),
		         "Data.measures.%zu.href", i);
	}
	for (size_t i = 0; ranges[i]; i++) {
		view_set(r->view, ranges[i], "Data.ranges.%zu.code", i);
		view_set(r->view, view_lang(r->view, arena_printf(r->arena, "vitals.ranges.r%s", ranges[i])),
		         "Data.ranges.%zu.name", i);
		view_set(r->view, arena_printf(r->arena, "%s?m=%s&range=%s", base, measures[m].name, ranges[i]),
		         "Data.ranges.%zu.href", i);
	}
	view_set(r->view, measures[m].name, "Data.m");
	view_set(r->view, measure_text(r, measures[m].name, "name"), "Data.m_name");
	view_set(r->view, measure_text(r, measures[m].name, "unit"), "Data.m_unit");
	view_set(r->view, range, "Data.range");
}

/* The page: latest values, the chosen measure's chart and table; a
 * ?done= notice after a save. */
int
vitals_page(struct req *r)
{
	int staff = r->match.route->record == RECORD_CLINICAL, m = chosen_measure(r);
	const char *range = chosen_range(r), *tz = r->cfg->clinic_timezone;
	const char *base = staff ? arena_printf(r->arena, "/patients/%s/vitals", r->record.patient_id_text)
	                         : "/record/vitals";
	const char *p2[2] = { r->record.patient_id_text, tz };
	const char *p3[3] = { r->record.patient_id_text, tz, range };
	const char *p1[1] = { tz };
	const char *done = fields_get(&r->query, "done");
	struct db_batch b = { 0 };
	int i_latest, i_series, i_now;
	enum db_status st;

	if (audit_read_add(r, &b, &r->record.patient_id, 1, "record.read",
	                   care_audit_object(r, "vitals")) != 0)
		return HTTP_INTERNAL_ERROR;
	i_latest = db_batch_add(&b, "vitals_latest_local", 2, p2);
	i_series = db_batch_add(&b, "vitals_series", 3, p3);
	i_now = db_batch_add(&b, "vitals_now", 1, p1);
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	m = show_latest(r, b.res[i_latest], m, base, range);
	show_choices(r, m, range, base);
	show_series(r, b.res[i_series], m, staff, range,
	            strtoll(db_value(b.res[i_now], 0, 2), NULL, 10));
	view_set(r->view, base, "Data.base");
	if (staff)
		view_set(r->view, "1", "Data.staff");
	if (done && (strcmp(done, "saved") == 0 || strcmp(done, "corrected") == 0))
		view_set(r->view, view_lang(r->view, arena_printf(r->arena, "vitals.done.%s", done)),
		         "Data.done");
	return page_show(r, "vitals.title", "record/vitals.cs", HTTP_OK);
}

/* ------------------------------------------------------------ routes */

#define PATIENT_VITALS "/patients/([0-9]{1,18})/vitals"

const struct route vitals_routes[] = {
	/* name                 method       pattern                               handler              roles         csrf mfa cap   record */
	{ "vitals_own",         METHOD_GET,  "/record/vitals",                     vitals_page,         ROLE_PATIENT, 0, 0, NULL, RECORD_OWN },
	{ "vitals",             METHOD_GET,  PATIENT_VITALS,                       vitals_page,         ROLE_DOCTOR,  0, 0, NULL, RECORD_CLINICAL },
	{ "vitals_add",         METHOD_POST, PATIENT_VITALS,                       vitals_add,          ROLE_DOCTOR,  1, 0, NULL, RECORD_CLINICAL },
	{ "vitals_new",         METHOD_GET,  PATIENT_VITALS "/new",                vitals_new,          ROLE_DOCTOR,  0, 0, NULL, RECORD_CLINICAL },
	{ "vitals_reading",     METHOD_GET,  PATIENT_VITALS "/([0-9]{1,18})",      vitals_reading,      ROLE_DOCTOR,  0, 0, NULL, RECORD_CLINICAL },
	{ "vitals_correct",     METHOD_POST, PATIENT_VITALS "/([0-9]{1,18})",      vitals_reading_post, ROLE_DOCTOR,  1, 0, NULL, RECORD_CLINICAL },
};
const size_t vitals_routes_n = sizeof(vitals_routes) / sizeof(vitals_routes[0]);
