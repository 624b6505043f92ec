/* routes: the route table (cgit-style command table). Policy lives in the
 * rows: who may call a route, whether it needs a CSRF token, whether staff
 * may use it before setting up their second factor; the pipeline enforces
 * it before the handler runs. Each feature keeps its rows in its own file;
 * this file lists the features. */
#include "pages.h"

#include <stdlib.h>
#include <string.h>

const struct route core_routes[] = {
	/* name        method       pattern                 handler           roles          csrf pre_mfa */
	{ "home",      METHOD_GET,  "/",                    page_home,        ROLE_EVERYONE, 0,   1, NULL },
	{ "healthz",   METHOD_GET,  "/healthz",             page_healthz,     ROLE_EVERYONE, 0,   1, NULL },
	{ "language",  METHOD_GET,  "/language/(es|en)",    page_language,    ROLE_EVERYONE, 0,   1, NULL },
	/* nginx sends its own 400/413 here (error_page) to get our page. */
	{ "error",     METHOD_GET,  "/_error/(400|413)",    page_nginx_error, ROLE_EVERYONE, 0,   1, NULL },
};
const size_t core_routes_n = sizeof(core_routes) / sizeof(core_routes[0]);

static const struct {
	const struct route *rows;
	const size_t *n;
} features[] = {
	{ core_routes, &core_routes_n },
	/* FEATURES: one line per feature file (keep this marker line). */
	{ schedule_routes, &schedule_routes_n },
	{ appointments_routes, &appointments_routes_n },
	{ admin_routes, &admin_routes_n },
	{ notices_routes, &notices_routes_n },
	{ profile_routes, &profile_routes_n },
	{ account_routes, &account_routes_n },
};

const struct route *
pages_all_routes(size_t *n)
{
	static struct route *all;
	static size_t total;

	if (all == NULL) {
		size_t count = 0;
		for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++)
			count += *features[i].n;
		if ((all = calloc(count, sizeof(*all))) == NULL) {
			*n = 0;
			return NULL;
		}
		for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++) {
			memcpy(all + total, features[i].rows, *features[i].n * sizeof(*all));
			total += *features[i].n;
		}
	}
	*n = total;
	return all;
}
