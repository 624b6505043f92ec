/* pages: every feature's handlers and the one route table. */
#ifndef MEDSYS_PAGES_H
#define MEDSYS_PAGES_H

#include <stddef.h>

#include "core/router.h"

extern const struct route pages_routes[];
extern const size_t pages_route_count;

/* home.c */
int page_home(struct req *r);
/* health.c */
int page_healthz(struct req *r);
/* language.c */
int page_language(struct req *r);
int page_nginx_error(struct req *r);

#endif
