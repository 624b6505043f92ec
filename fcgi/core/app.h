/* app: the request pipeline every request goes through: limits, parsing,
 * locale, routing (404/405), roles (403), handler, rendering, error pages,
 * the log line. Knows no feature: the program hands it the route table
 * (medsysd's is assembled in fcgi/routes.c). */
#ifndef MEDSYS_APP_H
#define MEDSYS_APP_H

#include <stddef.h>

#include <fcgiapp.h>

struct config;
struct req;
struct route;

/* Per worker: compile the nroutes rows of routes (which must outlive the
 * pipeline), load templates and language files, load the named
 * statements (connecting happens on first use). -1 with a message. */
int app_init(const struct config *cfg, const struct route *routes, size_t nroutes,
             char *err, size_t errlen);
void app_shutdown(void);

/* Serve one accepted FastCGI request completely. */
void app_handle(FCGX_Request *fr);

/* Fill r->resp so that the standard error page for status is shown
 * (handlers return a status; the pipeline calls this for them). */
void app_error_page(struct req *r, int status);

#endif
