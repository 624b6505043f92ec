/* docstore_rows: removing a stored file no row points to, under its lock. */
#include "docstore_rows.h"

#include <errno.h>

#include "db.h"
#include "docstore.h"

int
docstore_release(const char *dir, const char *hex)
{
	const char *p[1] = { hex };
	size_t rows = 1;
	int rc = 0;

	errno = 0;
	if (db_begin() != DB_OK)
		return -1;
	if (db_run("documents_lock", 1, p) != DB_OK ||
	    db_run_rows("documents_referenced", 1, p, &rows) != DB_OK) {
		db_rollback();
		return -1;
	}
	if (rows == 0)
		rc = docstore_remove(dir, hex) == -1 ? -1 : 1;
	if (db_commit() != DB_OK)
		return -1;
	return rc;
}
