/* export: the patient's own record as a FHIR R4 Bundle to download
 * (GET /record/export.json). PostgreSQL builds the JSON (export_fhir in
 * sql/queries/export.sql); medsysctl export-fhir runs the same statement. */
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/care.h"
#include "core/config.h"
#include "core/db.h"
#include "core/request.h"
#include "core/status.h"
#include "pages/pages.h"

/* The Bundle, audited in the same batch: no audit row, no download. */
static int
export_fhir_page(struct req *r)
{
	struct db_batch b = { 0 };
	const char *p[2] = { r->record.patient_id_text, r->cfg->base_url };
	enum db_status st;
	int i;

	if (audit_read_add(r, &b, &r->record.patient_id, 1, "record.export",
	                   care_audit_object(r, "export_fhir")) == -1 ||
	    (i = db_batch_add(&b, "export_fhir", 2, p)) == -1)
		return HTTP_INTERNAL_ERROR;
	if ((st = db_batch_run(&b)) != DB_OK)
		return db_http_status(st);
	if (db_rows(b.res[i]) != 1)
		return HTTP_NOT_FOUND;
	r->resp.body = db_value(b.res[i], 0, 0);
	r->resp.body_len = strlen(r->resp.body);
	r->resp.content_type = "application/fhir+json; charset=utf-8";
	r->resp.cache_control = "no-store";
	resp_add_header(r, "Content-Disposition", "attachment; filename=\"medsys-record.json\"");
	return HTTP_OK;
}

const struct route export_routes[] = {
	/* name           method      pattern               handler           roles         csrf pre_mfa cap   record */
	{ "record_export", METHOD_GET, "/record/export.json", export_fhir_page, ROLE_PATIENT, 0,   0,      NULL, RECORD_OWN },
};
const size_t export_routes_n = sizeof(export_routes) / sizeof(export_routes[0]);
