/* summary: the record's first page, for the patient (/record) and for
 * their doctor (/patients/ID/record): who, problems (active first),
 * allergies or the list's statement, current medications, the latest
 * vital signs and the recent visits, read in one batch whose first
 * statement is the read's audit row. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/record/record.h"
#include "pages/labresults/labresults.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/request.h"
#include "core/view.h"
#include "lib/datetime.h"
#include "lib/pdfreport.h"

void
rec_lists_fill(struct req *r, const struct db_result *res)
{
	for (size_t i = 0; i < db_rows(res); i++) {
		const char *list = db_value(res, i, 0);
		view_set(r->view, db_value(res, i, 1), "Data.lists.%s.version", list);
		view_set(r->view, db_value(res, i, 2), "Data.lists.%s.assertion", list);
		view_set(r->view, page_when(r, db_value(res, i, 3)), "Data.lists.%s.at", list);
		view_set(r->view, db_value(res, i, 4), "Data.lists.%s.by", list);
	}
}

/* One measure of vitals_latest_local (sql/queries/vitals.sql) as words:
 * "Peso: 72.5 kg (lunes 30 de noviembre, 10:15)". */
static const char *
vital_text(struct req *r, const struct db_result *res, size_t i)
{
	const char *m = db_value(res, i, 0);

	return arena_printf(r->arena, "%s: %s %s (%s)",
	                    view_lang(r->view, arena_printf(r->arena, "vitals.m.%s.name", m)),
	                    db_value(res, i, 1),
	                    view_lang(r->view, arena_printf(r->arena, "vitals.m.%s.unit", m)),
	                    page_when(r, db_value(res, i, 3)));
}

static void
vitals_fill(struct req *r, const struct db_result *res)
{
	for (size_t i = 0; i < db_rows(res); i++)
		view_set(r->view, vital_text(r, res, i), "Data.vitals.%zu", i);
}

static void
visits_fill(struct req *r, const struct db_result *res)
{
	for (size_t i = 0; i < db_rows(res); i++) {
		struct view_row *row = view_row(r->view, "Data.visits.%zu", i);
		view_row_set(row, "id", db_value(res, i, 0));
		view_row_set(row, "at", page_when(r, db_value(res, i, 1)));
		view_row_set(row, "doctor", db_value(res, i, 2));
		if (strcmp(db_value(res, i, 3), "true") == 0)
			view_row_set(row, "signed", "1");
	}
}

/* Only the current medications belong on the summary. */
static size_t
active_only(struct req *r, const struct rec_kind *k, const struct db_result *res, const char *prefix)
{
	size_t n = 0;

	rec_rows_fill(r, k, res, prefix);
	for (size_t i = 0; i < db_rows(res); i++)
		if (strcmp(db_value(res, i, RC_FIELDS + 5), "active") == 0)
			n++;
	return n;
}

/* The results of the summary's batch. */
struct summary {
	struct db_batch b;
	const char *pt[2], *pl[5], *lt[3];   /* the statements' parameters: live until the batch ran */
	int who, prob, allg, med, lists, vit, vis, lab;
};

/* Read the summary in one batch whose first statement is the read's
 * audit row (what says what was read: "summary" or "summary_pdf"). 0, or
 * the status to answer. */
static int
summary_read(struct req *r, const char *what, struct summary *s)
{
	const struct rec_kind *problems = rec_kind_find("problems"), *allergies = rec_kind_find("allergies");
	const struct rec_kind *meds = rec_kind_find("medications");
	enum db_status st;

	memset(s, 0, sizeof(*s));
	s->pt[0] = s->pl[0] = r->record.patient_id_text;
	s->pt[1] = s->pl[3] = r->cfg->clinic_timezone;
	s->pl[1] = NULL;
	s->pl[2] = r->lang;
	s->pl[4] = "f";
	s->lt[0] = r->record.patient_id_text;
	s->lt[1] = r->cfg->clinic_timezone;
	s->lt[2] = r->lang;
	if (audit_read_add(r, &s->b, &r->record.patient_id, 1, "record.summary",
	                   care_audit_object(r, what)) == -1)
		return HTTP_INTERNAL_ERROR;
	s->who = db_batch_add(&s->b, "record_patient", 2, s->pt);
	s->prob = db_batch_add(&s->b, problems->q_rows, 5, s->pl);
	s->allg = db_batch_add(&s->b, allergies->q_rows, 5, s->pl);
	s->med = db_batch_add(&s->b, meds->q_rows, 5, s->pl);
	s->lists = db_batch_add(&s->b, "record_lists", 2, s->pt);
	s->vit = db_batch_add(&s->b, "vitals_latest_local", 2, s->pt);
	s->vis = db_batch_add(&s->b, "record_encounters_recent", 2, s->pt);
	s->lab = db_batch_add(&s->b, "labr_summary", 3, s->lt);
	if (s->vis == -1 || s->lab == -1)
		return HTTP_INTERNAL_ERROR;
	if ((st = db_batch_run(&s->b)) != DB_OK)
		return db_http_status(st);
	if (db_rows(s->b.res[s->who]) == 0)
		return HTTP_NOT_FOUND;
	return 0;
}

int
rec_summary(struct req *r)
{
	const struct rec_kind *problems = rec_kind_find("problems"), *allergies = rec_kind_find("allergies");
	const struct rec_kind *meds = rec_kind_find("medications");
	struct summary s;
	int st;

	if ((st = summary_read(r, "summary", &s)) != 0)
		return st;
	view_set(r->view, db_value(s.b.res[s.who], 0, 0), "Data.patient.name");
	view_set(r->view, page_day(r, db_value(s.b.res[s.who], 0, 1)), "Data.patient.birth");
	view_set(r->view, db_value(s.b.res[s.who], 0, 2), "Data.patient.age");
	view_set(r->view, rec_base(r), "Data.base");
	if (rec_is_staff(r))
		view_set(r->view, "1", "Data.staff");
	rec_rows_fill(r, problems, s.b.res[s.prob], "problems");
	rec_rows_fill(r, allergies, s.b.res[s.allg], "allergies");
	view_set_int(r->view, (long long)active_only(r, meds, s.b.res[s.med], "meds"), "Data.n_meds");
	rec_lists_fill(r, s.b.res[s.lists]);
	vitals_fill(r, s.b.res[s.vit]);
	visits_fill(r, s.b.res[s.vis]);
	labr_summary_fill(r, s.b.res[s.lab]);
	return page_show(r, "record.summary.title", "record/summary.cs", HTTP_OK);
}

/* ------------------------------------------------------------ PDF */

/* Lines of the PDF are built in the arena, at most this many a section. */
#define PDF_LINES_MAX 200

struct pdf_lines {
	const char *line[PDF_LINES_MAX];
	size_t n;
};

static void
add_line(struct pdf_lines *l, const char *s)
{
	if (s && l->n < PDF_LINES_MAX)
		l->line[l->n++] = s;
}

/* Each entry of res as one line: what the page shows of it. only_active:
 * the current medications only. */
static void
entry_lines(struct req *r, const struct rec_kind *k, const struct db_result *res, int only_active,
            struct pdf_lines *l)
{
	for (size_t i = 0; i < db_rows(res); i++) {
		struct rec_words w;
		size_t n = rec_entry_words(r, k, res, i, &w);
		const char *line = w.title;

		if (only_active && strcmp(w.status, "active") != 0)
			continue;
		for (size_t j = 0; j < n; j++)
			line = arena_printf(r->arena, "%s · %s: %s", line, w.label[j], w.value[j]);
		add_line(l, line);
	}
}

/* The newest statement of list ("none_known", "recorded"), or "". */
static const char *
list_assertion(const struct db_result *lists, const char *list)
{
	for (size_t i = 0; i < db_rows(lists); i++)
		if (strcmp(db_value(lists, i, 0), list) == 0)
			return db_value(lists, i, 2);
	return "";
}

static void
vitals_lines(struct req *r, const struct db_result *res, struct pdf_lines *l)
{
	for (size_t i = 0; i < db_rows(res); i++)
		add_line(l, vital_text(r, res, i));
}

static void
visit_lines(struct req *r, const struct db_result *res, struct pdf_lines *l)
{
	for (size_t i = 0; i < db_rows(res); i++)
		add_line(l, arena_printf(r->arena, "%s – %s (%s)", page_when(r, db_value(res, i, 1)), db_value(res, i, 2),
		                         view_lang(r->view, strcmp(db_value(res, i, 3), "true") == 0
		                                   ? "record.summary.signed" : "record.summary.unsigned")));
}

/* When the PDF was made, in words with its year whatever the year (the
 * paper is read later; the other dates on it are relative to this one). */
static const char *
made_when(struct req *r, const char *local)
{
	char buf[128];

	dt_format_words(local, DT_ALWAYS_YEAR, view_words(r->lang), buf, sizeof(buf));
	return arena_strdup(r->arena, buf);
}

/* The summary as a PDF to download: the same reading as the page, laid
 * out by lib/pdfreport (base-14 fonts, WinAnsi). */
/* The newest lab order's line and its flagged values (labr_summary). */
static void
lab_lines(struct req *r, const struct db_result *res, struct pdf_lines *l)
{
	const char *flagged[LABR_SUMMARY_MAX];
	size_t n;

	if (db_rows(res) == 0)
		return;
	add_line(l, arena_printf(r->arena, "%s: %s (%s)", view_lang(r->view, "labresults.summary.latest"),
	                         db_value(res, 0, 1), db_value(res, 0, 2)));
	n = labr_summary_flagged(r, res, 0, flagged, LABR_SUMMARY_MAX);
	for (size_t i = 0; i < n; i++)
		add_line(l, flagged[i]);
	if (n == 0)
		add_line(l, view_lang(r->view, "labresults.summary.all_normal"));
}

int
rec_summary_pdf(struct req *r)
{
	const struct rec_kind *problems = rec_kind_find("problems"), *allergies = rec_kind_find("allergies");
	const struct rec_kind *meds = rec_kind_find("medications");
	struct pdf_lines prob = { 0 }, allg = { 0 }, med = { 0 }, vit = { 0 }, vis = { 0 }, lab = { 0 };
	const struct db_result *who;
	struct summary s;
	unsigned char *pdf;
	size_t len;
	int st;

	if ((st = summary_read(r, "summary_pdf", &s)) != 0)
		return st;
	who = s.b.res[s.who];
	entry_lines(r, problems, s.b.res[s.prob], 0, &prob);
	if (strcmp(list_assertion(s.b.res[s.lists], "allergies"), "none_known") == 0)
		add_line(&allg, view_lang(r->view, "record.list.none_known"));
	else
		entry_lines(r, allergies, s.b.res[s.allg], 0, &allg);
	entry_lines(r, meds, s.b.res[s.med], 1, &med);
	vitals_lines(r, s.b.res[s.vit], &vit);
	visit_lines(r, s.b.res[s.vis], &vis);
	lab_lines(r, s.b.res[s.lab], &lab);
	{
		const char *not_recorded = view_lang(r->view, "record.list.not_recorded");
		const struct pdf_section secs[] = {
			{ view_lang(r->view, "record.kind.problems.title"), prob.line, prob.n, not_recorded, 0 },
			{ view_lang(r->view, "record.kind.allergies.title"), allg.line, allg.n, not_recorded, 0 },
			{ view_lang(r->view, "record.summary.current_meds"), med.line, med.n, not_recorded, 0 },
			{ view_lang(r->view, "record.summary.vitals"), vit.line, vit.n,
			  view_lang(r->view, "record.vitals.none"), 0 },
			{ view_lang(r->view, "record.summary.visits"), vis.line, vis.n,
			  view_lang(r->view, "record.summary.no_visits"), 0 },
			{ view_lang(r->view, "labresults.summary.title"), lab.line, lab.n,
			  view_lang(r->view, "labresults.summary.none"), 0 },
		};
		const struct pdf_report rep = {
			view_lang(r->view, "record.summary.title"),
			arena_printf(r->arena, "%s%s%s%s", db_value(who, 0, 0), *db_value(who, 0, 1) ? " · " : "",
			             *db_value(who, 0, 1) ? view_lang(r->view, "record.summary.born") : "",
			             *db_value(who, 0, 1) ? arena_printf(r->arena, " %s", page_day(r, db_value(who, 0, 1))) : ""),
			arena_printf(r->arena, "%s · %s %s", db_value(who, 0, 0), view_lang(r->view, "record.pdf.made"),
			             made_when(r, db_value(who, 0, 5))),
			view_lang(r->view, "record.pdf.page"), secs, sizeof(secs) / sizeof(secs[0]), NULL,
		};
		if (pdf_report_render(&rep, &pdf, &len) == -1)
			return HTTP_INTERNAL_ERROR;
	}
	return page_send_pdf(r, pdf, len, "medsys-record.pdf");
}
