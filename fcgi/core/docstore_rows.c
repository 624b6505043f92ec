/* docstore_rows: removing a stored file no row points to, under its lock. */
#include "docstore_rows.h"

#include <errno.h>

#include "arena.h"
#include "db.h"
#include "docstore.h"
#include "request.h"
#include "status.h"

/* nginx's internal location for documents_dir (nginx/medsys.conf, nginx/dev.conf.in). */
#define ACCEL_PREFIX "/_documents/"

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

int
docstore_send(struct req *r, const char *media_type, const char *disposition, const char *hex)
{
	r->resp.content_type = media_type;
	r->resp.cache_control = "private, no-store";
	r->resp.body = "";
	r->resp.body_len = 0;
	resp_add_header(r, "Content-Disposition", arena_strdup(r->arena, disposition));
	resp_add_header(r, "X-Accel-Redirect", arena_printf(r->arena, ACCEL_PREFIX "%s", hex));
	return HTTP_OK;
}
