/* tele_cleanup: medsysctl tele-cleanup (tele_cleanup.h). */
#include "tele_cleanup.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/audit.h"
#include "core/db.h"

/* Fail: roll back, say so, 1. */
static int
fail(const char *what)
{
	db_rollback();
	fprintf(stderr, "medsysctl tele-cleanup: %s failed\n", what);
	return 1;
}

int
tele_cleanup(int idle_minutes)
{
	char idle[16], late[16], object[48];
	const char *p[2] = { idle, late };
	struct db_result *res = NULL, *purged = NULL;
	size_t n;

	snprintf(idle, sizeof(idle), "%d", idle_minutes);
	snprintf(late, sizeof(late), "%d", TELE_LATE_HOURS);
	if (db_begin() != DB_OK)
		return fail("opening a transaction");
	if (db_query(&res, "tele_cleanup", 2, p) != DB_OK)
		return fail("closing stale rooms");
	n = db_rows(res);
	for (size_t i = 0; i < n; i++) {
		snprintf(object, sizeof(object), "room:%s", db_value(res, i, 0));
		if (audit_log_system(0, strtoll(db_value(res, i, 1), NULL, 10), "tele.stale", object) != 0) {
			db_result_free(res);
			return fail("the audit row");
		}
	}
	db_result_free(res);
	if (db_query(&purged, "tele_signals_purge", 0, NULL) != DB_OK)
		return fail("removing old signals");
	printf("tele-cleanup: %zu rooms closed, %s signals removed\n", n, db_value(purged, 0, 0));
	db_result_free(purged);
	if (db_commit() != DB_OK)
		return fail("committing");
	return 0;
}
