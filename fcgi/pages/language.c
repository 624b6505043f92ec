/* language: the footer's language links remember the choice in a cookie
 * and return the user to the page they were on; and the error pages nginx
 * asks us to render. */
#include "pages.h"

#include <stdlib.h>

#include "core/fields.h"
#include "core/request.h"

#define LANGUAGE_COOKIE_AGE (365L * 24 * 3600)

int
page_language(struct req *r)
{
	const char *next = fields_get(&r->query, "next");

	if (resp_set_cookie(r, "lang", r->match.args[0], LANGUAGE_COOKIE_AGE) == -1)
		return HTTP_INTERNAL_ERROR;
	/* Only local paths: never an open redirect. */
	resp_add_header(r, "Location", req_is_local_path(next) ? next : "/");
	return HTTP_SEE_OTHER;
}

int
page_nginx_error(struct req *r)
{
	return atoi(r->match.args[0]);
}
