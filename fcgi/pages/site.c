/* site: the routes of the site itself (home, health, language, nginx's
 * error pages). Policy lives in the rows (cgit-style command table): who
 * may call a route, whether it needs a CSRF token, whether staff may use it
 * before setting up their second factor; the pipeline enforces it before
 * the handler runs. */
#include "pages.h"

const struct route site_routes[] = {
	/* name        method       pattern                 handler           roles          csrf pre_mfa */
	{ "home",      METHOD_GET,  "/",                    page_home,        ROLE_EVERYONE, 0,   1, NULL, RECORD_NONE },
	{ "healthz",   METHOD_GET,  "/healthz",             page_healthz,     ROLE_EVERYONE, 0,   1, NULL, RECORD_NONE },
	{ "language",  METHOD_GET,  "/language/(es|en)",    page_language,    ROLE_EVERYONE, 0,   1, NULL, RECORD_NONE },
	/* nginx sends its own 400/413 here (error_page) to get our page. */
	{ "error",     METHOD_GET,  "/_error/(400|413)",    page_nginx_error, ROLE_EVERYONE, 0,   1, NULL, RECORD_NONE },
};
const size_t site_routes_n = sizeof(site_routes) / sizeof(site_routes[0]);
