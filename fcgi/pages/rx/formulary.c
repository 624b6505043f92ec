/* formulary: GET /formulary?q= for doctors: the prescription catalog
 * searched by generic or brand name (either language, accents optional)
 * or by the start of an ATC code. A plain GET form: it works without
 * JavaScript, and a search is a link that can be bookmarked. */
#include "pages/pages.h"
#include "pages/page.h"

#include <string.h>

#include "core/db.h"
#include "core/fields.h"
#include "core/request.h"
#include "core/status.h"
#include "core/view.h"

/* Bytes of a search (the form's maxlength): longer is not a name. */
#define FORMULARY_Q_MAX 100

/* The columns of formulary_search (sql/queries/formulary.sql). */
enum { FS_CODE, FS_NAME, FS_ATC, FS_ROUTE, FS_BRANDS, FS_EML, FS__MAX };

static const char *const fs_names[FS__MAX] = {
	[FS_CODE] = "code", [FS_NAME] = "name", [FS_ATC] = "atc", [FS_ROUTE] = "route",
	[FS_BRANDS] = "brands", [FS_EML] = "eml",
};

/* Every row as Data.results.N.<column> (eml: "t", or "" when not on the
 * WHO Model List). */
static void
results_fill(struct req *r, const struct db_result *res)
{
	for (size_t i = 0; i < db_rows(res); i++) {
		for (int c = 0; c < FS__MAX; c++)
			view_set(r->view, db_value(res, i, c), "Data.results.%zu.%s", i, fs_names[c]);
		if (strcmp(db_value(res, i, FS_EML), "t") != 0)
			view_set(r->view, "", "Data.results.%zu.eml", i);
	}
}

static int
formulary_page(struct req *r)
{
	const char *q = fields_get(&r->query, "q");
	const char *p[2] = { q, r->lang };
	struct db_result *res;
	enum db_status st;

	view_set(r->view, q ? q : "", "Data.q");
	if (q == NULL || q[strspn(q, " ")] == '\0')
		return page_show(r, "rx.formulary.title", "rx/formulary.cs", HTTP_OK);
	if (strlen(q) > FORMULARY_Q_MAX) {
		view_set(r->view, "1", "Data.too_long");
		return page_show(r, "rx.formulary.title", "rx/formulary.cs", HTTP_OK);
	}
	if ((st = db_query(&res, "formulary_search", 2, p)) != DB_OK)
		return db_http_status(st);
	view_set(r->view, "1", "Data.searched");
	view_set_int(r->view, (long long)db_rows(res), "Data.count");
	results_fill(r, res);
	db_result_free(res);
	return page_show(r, "rx.formulary.title", "rx/formulary.cs", HTTP_OK);
}

const struct route formulary_routes[] = {
	/* name        method      pattern       handler         roles        csrf pre_mfa */
	{ "formulary", METHOD_GET, "/formulary", formulary_page, ROLE_DOCTOR, 0,   0, NULL, RECORD_NONE },
};
const size_t formulary_routes_n = sizeof(formulary_routes) / sizeof(formulary_routes[0]);
