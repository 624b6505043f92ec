/* health: /healthz for load balancers: 200 when the database answers. */
#include "pages.h"

#include "core/db.h"
#include "core/request.h"

int
page_healthz(struct req *r)
{
	struct db_result *res;
	enum db_status st = db_query(&res, "health_ping", 0, NULL);
	int ok = st == DB_OK && db_rows(res) == 1;

	r->resp.content_type = "text/plain; charset=utf-8";
	r->resp.body = ok ? "ok\n" : "database unavailable\n";
	r->resp.body_len = ok ? 3 : 21;
	return ok ? HTTP_OK : HTTP_UNAVAILABLE;
}
