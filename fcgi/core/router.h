/* router: a table of (method, PCRE2 pattern, handler, roles, CSRF) rows,
 * matched against DOCUMENT_URI. 404 and 405 are decided here. */
#ifndef MEDSYS_ROUTER_H
#define MEDSYS_ROUTER_H

#include <stddef.h>

#include "care.h"

struct arena;
struct req;

enum http_method {
	METHOD_GET = 0,
	METHOD_HEAD,
	METHOD_POST,
	METHOD__MAX
};

/* Roles as bits; a route lists the roles allowed to use it. */
enum role_bit {
	ROLE_ANONYMOUS = 1u << 0,   /* nobody signed in */
	ROLE_PATIENT = 1u << 1,
	ROLE_DOCTOR = 1u << 2,
	ROLE_PHARMACIST = 1u << 3,
	ROLE_LAB = 1u << 4,
	ROLE_RECEPTION = 1u << 5,
	ROLE_ADMIN = 1u << 6,
};
#define ROLE_SIGNED_IN (ROLE_PATIENT | ROLE_DOCTOR | ROLE_PHARMACIST | \
	ROLE_LAB | ROLE_RECEPTION | ROLE_ADMIN)
#define ROLE_EVERYONE (ROLE_ANONYMOUS | ROLE_SIGNED_IN)

typedef int (*route_handler)(struct req *r);

/* One row of the table. pattern is anchored at both ends; its capture
 * groups become the handler's arguments. HEAD is served by GET rows. */
struct route {
	const char *name;          /* short name for the log ("home") */
	enum http_method method;
	const char *pattern;
	route_handler handler;
	unsigned roles;            /* enum role_bit mask allowed to use it */
	int csrf;                  /* 1: a CSRF token is required */
	int pre_mfa;               /* 1: staff may use it before setting up
	                            * their second factor (sign-out, set-up) */
	const char *capability;    /* also needed: one of the user's roles must
	                            * hold it in auth.role_capabilities (NULL: none) */
	enum route_record record;  /* whose record it shows: care_decide()
	                            * decides access before the handler */
};

enum route_result {
	ROUTE_FOUND = 0,
	ROUTE_NOT_FOUND,
	ROUTE_METHOD_NOT_ALLOWED
};

#define ROUTE_MAX_ARGS 8

struct route_match {
	const struct route *route;
	size_t nargs;
	const char *args[ROUTE_MAX_ARGS];  /* captures, copied into the arena */
	unsigned allowed;                  /* 405: bit per enum http_method */
};

struct router;

/* Compile every pattern; NULL with a message in err when one does not
 * compile (a programming error, caught at start-up and by the tests). */
struct router *router_new(const struct route *rows, size_t n,
                          char *err, size_t errlen);
void router_free(struct router *rt);

/* Match method and path. On ROUTE_FOUND fills m; on
 * ROUTE_METHOD_NOT_ALLOWED fills m->allowed. The path must be a
 * NUL-terminated string; captures are copied into a. */
enum route_result router_match(const struct router *rt, struct arena *a,
                               enum http_method method, const char *path,
                               struct route_match *m);

/* "GET" -> METHOD_GET, ...; METHOD__MAX for anything else. */
enum http_method http_method_parse(const char *s);
const char *http_method_name(enum http_method m);

/* The value of an Allow header for a mask of allowed methods, e.g.
 * "GET, HEAD, POST", written into buf. */
const char *router_allow_header(unsigned allowed, char *buf, size_t len);

#endif
