/* documents_cleanup: medsysctl documents-cleanup. Each candidate file is
 * checked and removed under its name's lock (documents_lock), the lock an
 * upload holds from writing its file to committing its row. */
#include "documents_cleanup.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/db.h"
#include "core/docstore.h"

/* docstore_orphan_fn: remove hex when no version points to it. */
static int
remove_if_orphan(const char *hex, void *arg)
{
	const char *dir = arg;
	const char *p[1] = { hex };
	size_t rows = 1;
	int rc = 0;

	if (db_begin() != DB_OK)
		return -1;
	if (db_run("documents_lock", 1, p) != DB_OK ||
	    db_run_rows("documents_referenced", 1, p, &rows) != DB_OK) {
		db_rollback();
		return -1;
	}
	if (rows == 0) {
		if (docstore_remove(dir, hex) == -1) {
			fprintf(stderr, "medsysctl documents-cleanup: removing %s/%s: %s\n", dir, hex,
			        strerror(errno));
			rc = -1;
		} else {
			rc = 1;
		}
	}
	if (db_commit() != DB_OK)
		return -1;
	return rc;
}

int
documents_cleanup(const struct config *cfg)
{
	struct docstore_sweep_counts c;

	if (docstore_sweep(cfg->documents_dir, DOCUMENTS_ORPHAN_AGE, remove_if_orphan,
	                   (void *)cfg->documents_dir, &c) == -1) {
		fprintf(stderr, "medsysctl documents-cleanup: cannot read %s: %s\n", cfg->documents_dir,
		        strerror(errno));
		return 2;
	}
	printf("documents-cleanup: %zu removed, %zu kept, %zu failed (%s)\n", c.removed, c.kept,
	       c.failed, cfg->documents_dir);
	return c.failed ? 1 : 0;
}
