/* health: /healthz for load balancers and operators: asks PostgreSQL for
 * the applied schema and its role, times the round trip, and says what it
 * found (200) or what failed (503). */
#include "pages.h"

#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/request.h"

static double
ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* The first line is the verdict a load balancer may match ("ok" or
 * "unavailable"); the second says what the database answered, so that a
 * person reading it learns which schema and which server a pool uses. */
int
page_healthz(struct req *r)
{
	struct db_result *res = NULL;
	struct timespec t0;
	enum db_status st;
	char *body;
	int status = HTTP_UNAVAILABLE;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	st = db_query(&res, "health_ping", 0, NULL);
	if (st == DB_OK && db_rows(res) == 1) {
		status = HTTP_OK;
		body = arena_printf(r->arena, "ok\ndatabase: up, %.1f ms, schema %s, %s\n", ms_since(&t0),
		                    db_value(res, 0, 0), strcmp(db_value(res, 0, 1), "t") == 0 ? "standby" : "primary");
	} else {
		body = arena_printf(r->arena, "unavailable\ndatabase: %s (after %.1f ms)\n",
		                    st == DB_UNAVAILABLE ? "no connection" : "the check query failed", ms_since(&t0));
	}
	if (body == NULL) {
		status = HTTP_INTERNAL_ERROR;
		goto out;
	}
	r->resp.content_type = "text/plain; charset=utf-8";
	r->resp.body = body;
	r->resp.body_len = strlen(body);
out:
	return status;
}
