/* request: one HTTP request as the pipeline and handlers see it, built
 * from the FastCGI parameters, plus the response being prepared. */
#ifndef MEDSYS_REQUEST_H
#define MEDSYS_REQUEST_H

#include <stddef.h>

#include "fields.h"
#include "router.h"
#include "session.h"
#include "status.h"

struct arena;
struct config;
struct view_data;

#define REQ_MAX_HEADERS 16

struct resp_header {
	const char *name;
	const char *value;
};

struct resp {
	int status;
	const char *template;       /* page template to render, or NULL */
	const char *body;           /* raw body when no template */
	size_t body_len;
	const char *content_type;
	const char *cache_control;
	struct resp_header headers[REQ_MAX_HEADERS];
	size_t nheaders;
};

struct req {
	struct arena *arena;
	const struct config *cfg;
	char request_id[17];

	enum http_method method;      /* METHOD__MAX when not supported */
	const char *method_name;
	const char *path;             /* DOCUMENT_URI: decoded, no query */
	const char *query_string;
	const char *content_type;
	long content_length;          /* -1 when absent */
	const char *cookie_header;
	const char *accept_language;
	const char *origin;
	const char *if_none_match;    /* a conditional GET's ETag (chat poll) */
	const char *host;
	const char *scheme;           /* REQUEST_SCHEME: http or https */
	const char *server_port;      /* SERVER_PORT: where the client connected */
	const char *remote_addr;
	const char *user_agent;
	size_t header_bytes;          /* all HTTP_* parameters together */

	struct fields query;
	struct fields form;
	struct fields cookies;
	struct fields checked;        /* values that passed form_validate */
	int form_errors;              /* fields in error (validate.h) */

	const char *lang;             /* "es" or "en" */
	unsigned roles;               /* enum role_bit of the user */
	struct user user;             /* filled by sess_load */
	struct session session;
	const char *anon_csrf;        /* anonymous double-submit token, once made */
	int session_expired;          /* a session cookie came, its session had ended */
	struct route_match match;
	struct record_access record;  /* filled by care_decide */
	struct view_data *view;
	struct resp resp;
};

/* Reset r and fill it from a FastCGI environment (NAME=value strings,
 * NULL-terminated). Pure: copies nothing, points into envp. */
void req_init(struct req *r, struct arena *a, const struct config *cfg,
              char **envp);

/* Validate the request line and headers, decode the query string and
 * cookies. Returns 0 or an HTTP status (400) for a bad request. */
int req_parse_head(struct req *r);

/* Room a multipart/form-data body has beyond cfg->max_upload: the form's
 * other fields, and a file somewhat too large still arrives, so that its
 * page can say so with the form filled in (not only a 413 page). */
#define REQ_UPLOAD_SLACK (1024L * 1024)

/* The largest body r may carry: max_body, or for a multipart/form-data
 * body (a file upload) max_upload + REQ_UPLOAD_SLACK when that is larger.
 * nginx lets only upload routes send that much (docs/limits.md). */
long req_body_limit(const struct req *r);

/* Decode a body of len bytes according to Content-Type. Returns 0, 400
 * (malformed) or 415 (a type we do not take). */
int req_parse_body(struct req *r, const char *body, size_t len);

/* Add a response header; both strings must outlive the request (arena). */
int resp_add_header(struct req *r, const char *name, const char *value);

/* A cookie's value from the request, or NULL. */
const char *req_cookie(const struct req *r, const char *name);

/* The name of a cookie: "__Host-" + base when cookies are Secure. */
const char *req_cookie_name(const struct req *r, const char *base);

/* Add a Set-Cookie header with the project's attributes (Path=/,
 * HttpOnly, SameSite=Lax, Secure when configured). max_age < 0: session
 * cookie. */
int resp_set_cookie(struct req *r, const char *base, const char *value,
                    long max_age);

/* 1 when s is a safe local redirect target: starts with a single '/',
 * no "//" or "/\" prefix, no control characters. */
int req_is_local_path(const char *s);

#endif
