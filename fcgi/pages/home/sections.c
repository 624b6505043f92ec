/* sections: the signed-in homes. Each role's home is a list of sections;
 * a section is one row below (who sees it, one named query, the names of
 * its columns) and one template included by templates/home/mine.cs. A
 * module that lands adds its section with one row here, one statement in
 * sql/queries/home.sql and one include line (docs/homes.md). */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/home/home.h"

#include <string.h>

#include "core/db.h"
#include "core/request.h"
#include "core/view.h"

#define SECTION_COLS 6

/* One section. params names the statement's parameters in order, one
 * letter each: u the user's id, t the clinic time zone, l the language.
 * Its rows land in Home.<name>.rows.<i>.<col> and Home.<name>.shown is set
 * (an empty section still shows its empty state). words: a bit per
 * column that holds a clinic-local date ("YYYY-MM-DD[ HH:MM]"), shown in
 * the page's words (page_when) like every date. */
struct home_section {
	const char *name;
	unsigned roles;
	const char *query;
	const char *params;
	const char *cols[SECTION_COLS];
	unsigned words;
};

#define WORDS(col) (1u << (col))

static const struct home_section sections[] = {
	/* name            roles            statement                     params columns, dates in words */
	{ "appointments",  ROLE_PATIENT,    "home_patient_appointments",  "ut", { "id", "when", "doctor", "mode", "location", "call" }, WORDS(1) },
	{ "prescriptions", ROLE_PATIENT,    "home_patient_prescriptions", "ul", { "id", "code", "expires", "products" }, WORDS(2) },
	{ "agenda",        ROLE_DOCTOR,     "home_doctor_today",          "ut", { "id", "start", "end", "patient", "mode", "status" }, 0 },
	{ "waiting",       ROLE_DOCTOR,     "home_doctor_waiting",        "u",  { "notes", "rx_drafts" }, 0 },
	{ "today",         ROLE_RECEPTION,  "home_reception_today",       "t",  { "id", "start", "doctor", "patient", "mode", "status" }, 0 },
	{ "dispensed",     ROLE_PHARMACIST, "home_pharmacist_today",      "ut", { "id", "code", "time", "lines" }, 0 },
	{ "health",        ROLE_ADMIN,      "home_admin_health",          "",   { "users", "disabled", "pending", "late", "dead" }, 0 },
	/* SECTIONS: one line per section (keep this marker line). */
};

/* The value of parameter letter c for r. */
static const char *
section_param(struct req *r, char c)
{
	switch (c) {
	case 'u': return r->user.id_text;
	case 't': return page_tz(r);
	case 'l': return r->lang;
	default:  return NULL;
	}
}

/* Run one section's statement and put its rows in the dataset. */
static int
section_fill(struct req *r, const struct home_section *s)
{
	const char *p[4] = { 0 };
	int n = (int)strlen(s->params);
	struct db_result *res;
	struct view_row *list, *row;
	enum db_status st;

	for (int i = 0; i < n && i < 4; i++)
		p[i] = section_param(r, s->params[i]);
	if ((st = db_query(&res, s->query, n, p)) != DB_OK)
		return db_http_status(st);
	view_set(r->view, "1", "Home.%s.shown", s->name);
	list = view_row(r->view, "Home.%s.rows", s->name);
	for (size_t i = 0; i < db_rows(res); i++) {
		row = view_row_at(list, i);
		for (int c = 0; c < SECTION_COLS && s->cols[c]; c++) {
			const char *v = db_value(res, i, c);
			view_row_set(row, s->cols[c], (s->words & WORDS(c)) && *v ? page_when(r, v) : v);
		}
	}
	return 0;
}

int
home_signed_in(struct req *r)
{
	int st;

	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if ((r->roles & sections[i].roles) && (st = section_fill(r, &sections[i])) != 0)
			return st;
	r->resp.cache_control = "no-store";
	return page_show(r, "home.mine.title", "home/mine.cs", HTTP_OK);
}
