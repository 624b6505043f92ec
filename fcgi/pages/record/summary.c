/* summary: the record's first page, for the patient (/record) and for
 * their doctor (/patients/ID/record): who, problems (active first),
 * allergies or the list's statement, current medications, the latest
 * vital signs and the recent visits, read in one batch whose first
 * statement is the read's audit row. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/record/record.h"

#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/request.h"
#include "core/view.h"

void
rec_lists_fill(struct req *r, const struct db_result *res)
{
	for (size_t i = 0; i < db_rows(res); i++) {
		const char *list = db_value(res, i, 0);
		view_set(r->view, db_value(res, i, 1), "Data.lists.%s.version", list);
		view_set(r->view, db_value(res, i, 2), "Data.lists.%s.assertion", list);
		view_set(r->view, db_value(res, i, 3), "Data.lists.%s.at", list);
		view_set(r->view, db_value(res, i, 4), "Data.lists.%s.by", list);
	}
}

static void
vitals_fill(struct req *r, const struct db_result *res)
{
	static const char *const names[] = { "at", "systolic", "diastolic", "heart_rate", "temperature",
	                                      "weight", "height", "spo2", "glucose", "bmi" };

	if (db_rows(res) == 0)
		return;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		view_set(r->view, db_value(res, 0, (int)i), "Data.vitals.%s", names[i]);
}

static void
visits_fill(struct req *r, const struct db_result *res)
{
	for (size_t i = 0; i < db_rows(res); i++) {
		struct view_row *row = view_row(r->view, "Data.visits.%zu", i);
		view_row_set(row, "id", db_value(res, i, 0));
		view_row_set(row, "at", db_value(res, i, 1));
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

int
rec_summary(struct req *r)
{
	const char *pp[1] = { r->record.patient_id_text };
	const char *pt[2] = { r->record.patient_id_text, r->cfg->clinic_timezone };
	const char *pl[5] = { r->record.patient_id_text, NULL, r->lang, r->cfg->clinic_timezone, "f" };
	const struct rec_kind *problems = rec_kind_find("problems"), *allergies = rec_kind_find("allergies");
	const struct rec_kind *meds = rec_kind_find("medications");
	struct db_batch b = { 0 };
	enum db_status st;
	int who, prob, allg, med, lists, vit, vis;

	if (audit_read_add(r, &b, &r->record.patient_id, 1, "record.summary",
	                   care_audit_object(r, "summary")) == -1)
		return HTTP_INTERNAL_ERROR;
	who = db_batch_add(&b, "record_patient", 1, pp);
	prob = db_batch_add(&b, problems->q_rows, 5, pl);
	allg = db_batch_add(&b, allergies->q_rows, 5, pl);
	med = db_batch_add(&b, meds->q_rows, 5, pl);
	lists = db_batch_add(&b, "record_lists", 2, pt);
	vit = db_batch_add(&b, "record_vitals_latest", 2, pt);
	vis = db_batch_add(&b, "record_encounters_recent", 2, pt);
	if (vis == -1)
		return HTTP_INTERNAL_ERROR;
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	if (db_rows(b.res[who]) == 0)
		return HTTP_NOT_FOUND;
	view_set(r->view, db_value(b.res[who], 0, 0), "Data.patient.name");
	view_set(r->view, db_value(b.res[who], 0, 1), "Data.patient.birth");
	view_set(r->view, db_value(b.res[who], 0, 2), "Data.patient.age");
	view_set(r->view, rec_base(r), "Data.base");
	if (rec_is_staff(r))
		view_set(r->view, "1", "Data.staff");
	rec_rows_fill(r, problems, b.res[prob], "problems");
	rec_rows_fill(r, allergies, b.res[allg], "allergies");
	view_set_int(r->view, (long long)active_only(r, meds, b.res[med], "meds"), "Data.n_meds");
	rec_lists_fill(r, b.res[lists]);
	vitals_fill(r, b.res[vit]);
	visits_fill(r, b.res[vis]);
	return page_show(r, "record.summary.title", "record/summary.cs", HTTP_OK);
}
