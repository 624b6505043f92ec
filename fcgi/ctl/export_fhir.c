/* export_fhir: medsysctl export-fhir --patient ID [--out FILE]. */
#include "export_fhir.h"

#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"

/* 1 to 18 digits: a patient id as the route patterns take it. */
static int
is_id(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n >= 1 && n <= 18 && s[n] == '\0';
}

int
export_fhir_write(const struct config *cfg, const char *patient_id, FILE *out)
{
	struct db_result *res = NULL;
	const char *p[2] = { patient_id, cfg->base_url };
	int rc = 2;

	if (!is_id(patient_id)) {
		fprintf(stderr, "medsysctl export-fhir: \"%s\" is not a patient id "
		        "(the number in the record's address, /patients/ID/record)\n", patient_id);
		return 2;
	}
	if (db_begin() != DB_OK)
		goto fail;
	if (audit_log_system(0, strtoll(patient_id, NULL, 10), "record.export",
	                     "export_fhir by=medsysctl") == -1 ||
	    db_query(&res, "export_fhir", 2, p) != DB_OK)
		goto fail;
	if (db_rows(res) != 1) {
		db_rollback();
		fprintf(stderr, "medsysctl export-fhir: no patient has the id %s\n", patient_id);
		rc = 1;
		goto out;
	}
	/* Commit (the audit row) before anything is written out. */
	if (db_commit() != DB_OK)
		goto fail;
	if (fputs(db_value(res, 0, 0), out) == EOF || fputc('\n', out) == EOF || fflush(out) == EOF) {
		fprintf(stderr, "medsysctl export-fhir: writing the bundle failed\n");
		goto out;
	}
	rc = 0;
	goto out;
fail:
	db_rollback();
	fprintf(stderr, "medsysctl export-fhir: the database failed (is it migrated? "
	        "medsysctl migrate)\n");
out:
	db_result_free(res);
	return rc;
}
