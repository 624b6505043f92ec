/* routes: the route table (cgit-style command table). Policy lives here:
 * who may call a route and whether it needs a CSRF token; the pipeline
 * enforces it before the handler runs. */
#include "pages.h"

const struct route pages_routes[] = {
	/* name        method       pattern                 handler           roles          csrf */
	{ "home",      METHOD_GET,  "/",                    page_home,        ROLE_EVERYONE, 0 },
	{ "healthz",   METHOD_GET,  "/healthz",             page_healthz,     ROLE_EVERYONE, 0 },
	{ "language",  METHOD_GET,  "/language/(es|en)",    page_language,    ROLE_EVERYONE, 0 },
	/* nginx sends its own 400/413 here (error_page) to get our page. */
	{ "error",     METHOD_GET,  "/_error/(400|413)",    page_nginx_error, ROLE_EVERYONE, 0 },
};

const size_t pages_route_count = sizeof(pages_routes) / sizeof(pages_routes[0]);
