/* documents_cleanup: medsysctl documents-cleanup (and chat-cleanup: one
 * store). Each candidate file is
 * checked and removed under its name's lock (documents_lock), the lock an
 * upload holds from writing its file to committing its row. */
#include "documents_cleanup.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/db.h"
#include "core/docstore.h"
#include "core/docstore_rows.h"

/* docstore_orphan_fn: remove hex when no row points to it. */
static int
remove_if_orphan(const char *hex, void *arg)
{
	const char *dir = arg;
	int rc = docstore_release(dir, hex);

	if (rc == -1 && errno != 0)
		fprintf(stderr, "medsysctl documents-cleanup: removing %s/%s: %s\n", dir, hex,
		        strerror(errno));
	return rc;
}

/* Rows of chat.attachments whose file is not in dir: reported, never
 * changed (a message and its attachment are insert-only); the count. */
static long
report_missing(const char *dir)
{
	struct db_result *res;
	long missing = 0;

	if (db_query(&res, "chat_attachment_files", 0, NULL) != DB_OK)
		return -1;
	for (size_t k = 0; k < db_rows(res); k++) {
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, db_value(res, k, 0));
		if (access(path, F_OK) == 0)
			continue;
		printf("missing: %s (%s attachment rows)\n", path, db_value(res, k, 1));
		missing++;
	}
	db_result_free(res);
	return missing;
}

int
documents_cleanup(const struct config *cfg)
{
	struct docstore_sweep_counts c;
	long missing;

	if (docstore_sweep(cfg->documents_dir, DOCUMENTS_ORPHAN_AGE, remove_if_orphan,
	                   (void *)cfg->documents_dir, &c) == -1) {
		fprintf(stderr, "medsysctl documents-cleanup: cannot read %s: %s\n", cfg->documents_dir,
		        strerror(errno));
		return 2;
	}
	printf("documents-cleanup: %zu removed, %zu kept, %zu failed (%s)\n", c.removed, c.kept,
	       c.failed, cfg->documents_dir);
	if ((missing = report_missing(cfg->documents_dir)) != 0)
		printf("documents-cleanup: %ld attachment files missing or not checked\n", missing);
	return c.failed || missing ? 1 : 0;
}
