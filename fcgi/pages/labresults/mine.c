/* mine: the patient's own released lab results: the list grouped by
 * order (newest first), one order, the trend of one analyte (lib/
 * trendsvg's inline SVG and a table with every value), the PDF report;
 * the helpers the doctor's pages share; the feature's route table.
 * Another patient's order or an analyte never released to this patient
 * answers 404, the read row naming what was asked on the audit trail. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/labresults/labresults.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/care.h"
#include "core/db.h"
#include "core/request.h"
#include "core/view.h"
#include "lib/trendsvg.h"

const char *
labr_range_text(struct req *r, const char *low, const char *high)
{
	if (*low && *high)
		return arena_printf(r->arena, "%s – %s", low, high);
	if (*high)
		return arena_printf(r->arena, "< %s", high);
	if (*low)
		return arena_printf(r->arena, "> %s", low);
	return "";
}

const char *
labr_flag_text(struct req *r, const char *flag)
{
	if (*flag == '\0' || strcmp(flag, "normal") == 0)
		return "";
	return view_lang(r->view, arena_printf(r->arena, "labresults.flag.%s", flag));
}

const char *
labr_code_text(struct req *r, const char *code)
{
	return strlen(code) == 10 ? arena_printf(r->arena, "%.5s-%.5s", code, code + 5) : code;
}

/* One result row i of res into row. */
static void
show_result(struct req *r, struct view_row *row, const struct db_result *res, size_t i)
{
	const char *flag = db_value(res, i, LR_FLAG);

	view_row_set(row, "analyte", db_value(res, i, LR_ANALYTE));
	view_row_set(row, "name", db_value(res, i, LR_NAME));
	view_row_set(row, "value", db_value(res, i, LR_VALUE));
	view_row_set(row, "unit", db_value(res, i, LR_UNIT));
	view_row_set(row, "flag", *flag ? flag : "none");
	view_row_set(row, "flag_text", labr_flag_text(r, flag));
	if (*flag && strcmp(flag, "normal") != 0)
		view_row_set(row, "symbol", view_lang(r->view, arena_printf(r->arena, "labresults.symbol.%s", flag)));
	view_row_set(row, "range", labr_range_text(r, db_value(res, i, LR_LOW), db_value(res, i, LR_HIGH)));
	view_row_set(row, "corrected", db_value(res, i, LR_CORRECTED)[0] == 't' ? "1" : "");
	view_row_set(row, "reason", db_value(res, i, LR_REASON));
	view_row_set(row, "trend", strcmp(db_value(res, i, LR_KIND), "numeric") == 0 ? "1" : "");
}

int
labr_show_results(struct req *r, const struct db_result *res)
{
	struct view_row *order = NULL;
	const char *current = "";
	int n = -1;
	size_t k = 0;

	for (size_t i = 0; i < db_rows(res); i++) {
		if (strcmp(current, db_value(res, i, LR_ORDER)) != 0) {
			current = db_value(res, i, LR_ORDER);
			order = view_row(r->view, "Data.orders.%d", ++n);
			view_row_set(order, "id", current);
			view_row_set(order, "code", labr_code_text(r, db_value(res, i, LR_CODE)));
			view_row_set(order, "day", db_value(res, i, LR_DAY));
			view_row_set(order, "doctor", db_value(res, i, LR_DOCTOR));
			view_row_set(order, "released", db_value(res, i, LR_RELEASED));
			k = 0;
		}
		show_result(r, view_row(r->view, "Data.orders.%d.results.%zu", n, k++), res, i);
	}
	return n + 1;
}

int
labr_read(struct req *r, const char *patient_id, const char *order_id, const char *action,
          const char *what, struct db_result **res)
{
	const char *p[4] = { patient_id, page_tz(r), r->lang, order_id };
	long long subject = strtoll(patient_id, NULL, 10);
	struct db_batch b = { 0 };
	enum db_status st;
	int l;

	if (audit_read_add(r, &b, &subject, 1, action, care_audit_object(r, what)) != 0 ||
	    (l = db_batch_add(&b, "labr_results", 4, p)) == -1)
		return HTTP_INTERNAL_ERROR;
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	*res = b.res[l];
	return 0;
}

size_t
labr_summary_flagged(struct req *r, const struct db_result *res, int symbols, const char **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < db_rows(res) && n < max; i++) {
		const char *flag = db_value(res, i, 6);
		if (db_is_null(res, i, 3))
			continue;
		out[n++] = arena_printf(r->arena, "%s %s%s%s: %s%s%s", db_value(res, i, 3), db_value(res, i, 4),
		                        *db_value(res, i, 5) ? " " : "", db_value(res, i, 5),
		                        symbols ? view_lang(r->view, arena_printf(r->arena, "labresults.symbol.%s", flag)) : "",
		                        symbols ? " " : "", labr_flag_text(r, flag));
	}
	return n;
}

void
labr_summary_fill(struct req *r, const struct db_result *res)
{
	const char *order, *lines[LABR_SUMMARY_MAX];
	size_t n;

	if (db_rows(res) == 0)
		return;
	order = db_value(res, 0, 0);
	view_set(r->view, db_value(res, 0, 1), "Data.lab.day");
	view_set(r->view, db_value(res, 0, 2), "Data.lab.count");
	view_set(r->view, r->roles & ROLE_PATIENT && r->record.basis == CARE_SELF
	                  ? arena_printf(r->arena, "/results/%s", order)
	                  : arena_printf(r->arena, "/patients/%s/results/%s", r->record.patient_id_text, order),
	         "Data.lab.url");
	n = labr_summary_flagged(r, res, 1, lines, LABR_SUMMARY_MAX);
	for (size_t i = 0; i < n; i++)
		view_set(r->view, lines[i], "Data.lab.flagged.%zu", i);
}

/* /results */
static int
mine(struct req *r)
{
	struct db_result *res;
	int rc;

	if ((rc = labr_read(r, r->record.patient_id_text, "0", "record.lab_results", "lab_results", &res)) != 0)
		return rc;
	labr_show_results(r, res);
	return page_show(r, "labresults.mine.title", "labresults/mine.cs", HTTP_OK);
}

int
labr_show_order(struct req *r, const char *id, const char *base)
{
	struct db_result *res;
	int rc;

	if ((rc = labr_read(r, r->record.patient_id_text, id, "record.lab_results",
	                    arena_printf(r->arena, "lab_order:%s", id), &res)) != 0)
		return rc;
	if (labr_show_results(r, res) != 1)
		return HTTP_NOT_FOUND;     /* another patient's, unreleased, or none */
	if (base)
		view_set(r->view, base, "Data.base");
	return page_show(r, "labresults.one.title", "labresults/one.cs", HTTP_OK);
}

/* /results/ORDERID */
static int
mine_one(struct req *r)
{
	return labr_show_order(r, r->match.args[0], NULL);
}

/* /results/ORDERID.pdf */
static int
mine_pdf(struct req *r)
{
	return labr_send_pdf(r, r->record.patient_id_text, r->match.args[0]);
}

/* Columns of labr_trend and labr_analyte. */
enum { TR_DAY, TR_VALUE, TR_LOW, TR_HIGH, TR_OUTSIDE, TR_DATE, TR_ORDER };
enum { AN_NAME, AN_UNIT, AN_DECIMALS, AN_PLOW, AN_PHIGH };

/* The chart of the trend rows (Data.trend_svg) and its words. */
static void
draw_trend(struct req *r, const struct db_result *tr, const struct db_result *an)
{
	size_t n = db_rows(tr), len = 0;
	struct trendsvg_point *pts = arena_alloc(r->arena, (n ? n : 1) * sizeof(*pts));
	struct trendsvg in = { 0 };
	struct trendsvg_summary s;
	char *out;

	if (pts == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		pts[i].day = atol(db_value(tr, i, TR_DAY));
		pts[i].value = strtod(db_value(tr, i, TR_VALUE), NULL);
		pts[i].low = strtod(db_value(tr, i, TR_LOW), NULL);
		pts[i].high = strtod(db_value(tr, i, TR_HIGH), NULL);
		pts[i].outside = db_value(tr, i, TR_OUTSIDE)[0] == 't';
	}
	in = (struct trendsvg){ pts, n, *db_value(an, 0, AN_PLOW) ? strtod(db_value(an, 0, AN_PLOW), NULL) : 0,
	                        *db_value(an, 0, AN_PHIGH) ? strtod(db_value(an, 0, AN_PHIGH), NULL) : 0,
	                        db_value(an, 0, AN_NAME), NULL, db_value(an, 0, AN_UNIT), { NULL } };
	trendsvg_summarise(&in, &s);
	/* "5 resultados, 2 fuera del intervalo de referencia. La tabla ..." */
	in.desc = arena_printf(r->arena, "%zu %s, %zu %s. %s", s.n, view_lang(r->view, "labresults.trend.desc_results"),
	                       s.outside, view_lang(r->view, "labresults.trend.desc_outside"),
	                       view_lang(r->view, "labresults.trend.desc_table"));
	for (int m = 0; m < 12; m++)
		in.months[m] = view_lang(r->view, arena_printf(r->arena, "vitals.months.m%d", m + 1));
	view_set(r->view, arena_printf(r->arena, "%zu", s.outside), "Data.outside");
	if (s.band_changed)
		view_set(r->view, "1", "Data.band_changed");
	if (trendsvg_render(&in, NULL, 0, &len) != TREND_NO_ROOM || (out = arena_alloc(r->arena, len + 1)) == NULL)
		return;
	if (trendsvg_render(&in, out, len + 1, &len) == TREND_OK)
		view_set(r->view, out, "Data.trend_svg");
}

/* /results/analyte/CODE */
static int
mine_trend(struct req *r)
{
	const char *code = r->match.args[0];
	const char *pt[3] = { r->record.patient_id_text, code, page_tz(r) }, *pa[2] = { code, r->lang };
	struct db_batch b = { 0 };
	struct db_result *tr, *an;
	enum db_status st;
	int t, a;

	if (audit_read_add(r, &b, &r->record.patient_id, 1, "record.lab_results",
	                   care_audit_object(r, arena_printf(r->arena, "lab_trend:%s", code))) != 0 ||
	    (t = db_batch_add(&b, "labr_trend", 3, pt)) == -1 || (a = db_batch_add(&b, "labr_analyte", 2, pa)) == -1)
		return HTTP_INTERNAL_ERROR;
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	tr = b.res[t];
	an = b.res[a];
	if (db_rows(tr) == 0 || db_rows(an) != 1)
		return HTTP_NOT_FOUND;
	view_set(r->view, code, "Data.analyte");
	view_set(r->view, db_value(an, 0, AN_NAME), "Data.name");
	view_set(r->view, db_value(an, 0, AN_UNIT), "Data.unit");
	for (size_t i = db_rows(tr); i-- > 0;) {     /* the table: newest first */
		struct view_row *row = view_row(r->view, "Data.rows.%zu", db_rows(tr) - 1 - i);
		view_row_set(row, "day", db_value(tr, i, TR_DATE));
		view_row_set(row, "value", db_value(tr, i, TR_VALUE));
		view_row_set(row, "range", labr_range_text(r, db_value(tr, i, TR_LOW), db_value(tr, i, TR_HIGH)));
		view_row_set(row, "outside", db_value(tr, i, TR_OUTSIDE)[0] == 't' ? "1" : "");
		view_row_set(row, "order", db_value(tr, i, TR_ORDER));
	}
	draw_trend(r, tr, an);
	return page_show(r, "labresults.trend.title", "labresults/trend.cs", HTTP_OK);
}

/* ------------------------------------------------------------ routes */

#define ID "([1-9][0-9]{0,17})"
#define PATIENT "/patients/([0-9]{1,18})"
#define LOINC "([0-9-]{1,10})"   /* a LOINC code: digits, a dash and a check digit */

const struct route labresults_routes[] = {
	/* name               method       pattern                          handler          roles         csrf pre_mfa cap   record */
	{ "labr_mine",        METHOD_GET,  "/results",                      mine,            ROLE_PATIENT, 0,   0,      NULL, RECORD_OWN },
	{ "labr_mine_one",    METHOD_GET,  "/results/" ID,                  mine_one,        ROLE_PATIENT, 0,   0,      NULL, RECORD_OWN },
	{ "labr_mine_pdf",    METHOD_GET,  "/results/" ID "\\.pdf",         mine_pdf,        ROLE_PATIENT, 0,   0,      NULL, RECORD_OWN },
	{ "labr_mine_trend",  METHOD_GET,  "/results/analyte/" LOINC,       mine_trend,      ROLE_PATIENT, 0,   0,      NULL, RECORD_OWN },
	{ "labr_inbox",       METHOD_GET,  "/results/inbox",                labr_inbox,      ROLE_DOCTOR,  0,   0,      NULL, RECORD_NONE },
	{ "labr_inbox_seen",  METHOD_POST, "/results/inbox/" ID "/seen",    labr_inbox_seen, ROLE_DOCTOR,  1,   0,      NULL, RECORD_NONE },
	{ "labr_patient",     METHOD_GET,  PATIENT "/results",              labr_patient,    ROLE_DOCTOR,  0,   0,      NULL, RECORD_CLINICAL },
	{ "labr_patient_one", METHOD_GET,  PATIENT "/results/" ID,          labr_patient_one, ROLE_DOCTOR, 0,   0,      NULL, RECORD_CLINICAL },
	{ "labr_patient_pdf", METHOD_GET,  PATIENT "/results/" ID "\\.pdf", labr_patient_pdf, ROLE_DOCTOR, 0,   0,      NULL, RECORD_CLINICAL },
};
const size_t labresults_routes_n = sizeof(labresults_routes) / sizeof(labresults_routes[0]);
