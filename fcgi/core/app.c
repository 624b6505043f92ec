/* app: the request pipeline. */
#include "app.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "arena.h"
#include "audit.h"
#include "care.h"
#include "config.h"
#include "db.h"
#include "fields.h"
#include "locale.h"
#include "log.h"
#include "password.h"
#include "request.h"
#include "response.h"
#include "router.h"
#include "pollcache.h"
#include "pollwatch.h"
#include "session.h"
#include "view.h"
#include "lib/origin.h"

static struct {
	const struct config *cfg;
	struct router *router;
} app;

int
app_init(const struct config *cfg, const struct route *routes, size_t nroutes,
         char *err, size_t errlen)
{
	char dir[700];

	app.cfg = cfg;
	if (routes == NULL) {
		snprintf(err, errlen, "no route table");
		return -1;
	}
	if ((app.router = router_new(routes, nroutes, err, errlen)) == NULL)
		return -1;
	snprintf(dir, sizeof(dir), "%s/templates", cfg->datadir);
	if (view_init(dir, err, errlen) == -1)
		return -1;
	if (cfg->common_passwords[0])
		snprintf(dir, sizeof(dir), "%s", cfg->common_passwords);
	else
		snprintf(dir, sizeof(dir), "%s/data/common-passwords.txt", cfg->datadir);
	if (password_load_common(dir) < 0) {
		snprintf(err, errlen, "cannot read the common-passwords list %s", dir);
		return -1;
	}
	if (pollwatch_init(cfg, err, errlen) == -1)
		return -1;
	snprintf(dir, sizeof(dir), "%s/sql/queries", cfg->datadir);
	if (db_init(cfg->db, cfg->clinic_timezone, dir, cfg->db_connect_timeout, err, errlen) == -1)
		return -1;
	/* Per-worker caches (db_cached_query) refill on this channel's
	 * notifications. A database that is down now is no reason to stop:
	 * the channel is LISTENed on whichever connection comes next. */
	if (db_listen(DB_CACHE_CHANNEL) == DB_ERROR) {
		snprintf(err, errlen, "cannot register the %s channel", DB_CACHE_CHANNEL);
		return -1;
	}
	return 0;
}

void
app_shutdown(void)
{
	router_free(app.router);
	app.router = NULL;
	view_shutdown();
	db_shutdown();
}

static void
make_request_id(char out[17])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[8] = { 0 };

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		memcpy(b, &ts.tv_nsec, sizeof(b) < sizeof(ts.tv_nsec) ? sizeof(b) : sizeof(ts.tv_nsec));
	}
	for (int i = 0; i < 8; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[16] = '\0';
}

void
app_error_page(struct req *r, int status)
{
	char key[64];

	r->resp.status = status;
	r->resp.body = NULL;
	r->resp.template = "errors/error.cs";
	view_set_int(r->view, status, "Page.status");
	snprintf(key, sizeof(key), "error.%d.title", status);
	view_set(r->view, view_lang(r->view, key), "Page.title");
	snprintf(key, sizeof(key), "error.%d.text", status);
	view_set(r->view, view_lang(r->view, key), "Page.error_text");
}

/* Read the body (Content-Length bytes) into the arena. 0, 400 or 413. */
static int
read_body(struct req *r, FCGX_Stream *in, const char **body, size_t *len)
{
	char *buf;
	int got;

	*body = NULL;
	*len = 0;
	if (r->content_length <= 0)
		return 0;
	if (r->content_length > req_body_limit(r))
		return HTTP_PAYLOAD_TOO_LARGE;
	if ((buf = arena_alloc(r->arena, (size_t)r->content_length + 1)) == NULL)
		return HTTP_PAYLOAD_TOO_LARGE;
	got = FCGX_GetStr(buf, (int)r->content_length, in);
	if (got != r->content_length)
		return HTTP_BAD_REQUEST;
	*body = buf;
	*len = (size_t)got;
	return 0;
}

/* A cross-site POST is refused before any handler runs; SameSite cookies
 * and CSRF tokens are the other layers. The Origin must be the site's own
 * in full (scheme, host and port, RFC 6454): the origin the request came
 * to (nginx's scheme, validated host and port) or base_url's (the public
 * address, when a proxy in front changes the port). No Origin (an old
 * client, a same-origin GET turned POST by hand) is left to the token. */
static int
origin_allowed(const struct req *r)
{
	char sent[ORIGIN_MAX], own[ORIGIN_MAX], pub[ORIGIN_MAX];

	if (r->origin == NULL)
		return 1;
	/* An Origin is scheme://host[:port] and nothing after it. */
	if (origin_of_url(r->origin, sent, sizeof(sent)) != 0 || strchr(strstr(r->origin, "://") + 3, '/'))
		return 0;
	if (origin_of_parts(r->scheme ? r->scheme : "http", r->host ? r->host : "", r->server_port,
	                    own, sizeof(own)) == 0 && strcmp(sent, own) == 0)
		return 1;
	return origin_of_url(r->cfg->base_url, pub, sizeof(pub)) == 0 && strcmp(sent, pub) == 0;
}

/* Check the head of the request: limits and decoding. 0 or a status. */
static int
check_head(struct req *r)
{
	int st;

	if (r->header_bytes > (size_t)r->cfg->max_headers)
		return HTTP_BAD_REQUEST;
	if ((st = req_parse_head(r)) != 0)
		return st;
	/* Too large is too large whatever the route: say so before routing. */
	if (r->content_length > req_body_limit(r))
		return HTTP_PAYLOAD_TOO_LARGE;
	return 0;
}

/* Send an anonymous visitor to the sign-in page, back here afterwards. */
static int
redirect_to_login(struct req *r)
{
	const char *next = r->method == METHOD_GET && r->path ? r->path : "/";
	const char *q = r->query_string && *r->query_string
	                ? arena_printf(r->arena, "%s?%s", next, r->query_string) : next;
	const char *enc = form_url_encode(r->arena, q);

	if (enc == NULL)
		return HTTP_INTERNAL_ERROR;
	resp_add_header(r, "Location", arena_printf(r->arena, "/login?next=%s", enc));
	return HTTP_SEE_OTHER;
}

static int check_policy(struct req *r);

/* 1 when a posted field may be shown again: a plain name ([a-z0-9_], as
 * every form uses) that is not a secret (passwords, codes, the token) nor
 * one of Form's own nodes (templates/form_errors.cs). */
static int
echo_field(const char *name)
{
	static const char *const never[] = { "confirm", "code", "csrf", "errors", "labels", "has_errors", NULL };
	size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_");

	if (n == 0 || n > 60 || name[n] != '\0' || strstr(name, "password") != NULL)
		return 0;
	for (int i = 0; never[i]; i++)
		if (strcmp(name, never[i]) == 0)
			return 0;
	return 1;
}

/* A form whose token no longer matches (the user signed in or out in
 * another tab, the session's token was renewed, the anonymous cookie is
 * gone): nothing it asked for is done, but what was typed is not lost.
 * When the same path has a page the visitor may GET, that page is shown
 * again with the typed values over what it filled in (Form.<name>) and
 * Page.form_expired (templates/form_errors.cs says what happened);
 * otherwise the error page says the form expired. 403 either way. */
static int
form_expired(struct req *r)
{
	size_t nheaders = r->resp.nheaders;

	r->method = METHOD_GET;
	if (router_match(app.router, r->arena, METHOD_GET, r->path, &r->match) != ROUTE_FOUND ||
	    check_policy(r) != 0 || care_decide(r) != 0 || r->match.route->handler(r) != HTTP_OK ||
	    r->resp.template == NULL) {
		r->resp.nheaders = nheaders;
		r->resp.template = NULL;
		r->resp.body = NULL;
		app_error_page(r, HTTP_FORBIDDEN);
		view_set(r->view, view_lang(r->view, "error.form_expired.title"), "Page.title");
		view_set(r->view, view_lang(r->view, "error.form_expired.text"), "Page.error_text");
		return HTTP_FORBIDDEN;
	}
	/* File parts (any bytes) are not shown: the file is chosen again. */
	for (size_t i = 0; i < r->form.n; i++)
		if (r->form.v[i].filename == NULL && echo_field(r->form.v[i].name))
			view_set(r->view, r->form.v[i].value, "Form.%s", r->form.v[i].name);
	view_set(r->view, "1", "Page.form_expired");
	return HTTP_FORBIDDEN;
}

/* The route's policy, before its handler runs: roles (an anonymous
 * visitor is sent to sign in; a signed-in user without the role gets 403
 * and an audit row), the route's capability in auth.role_capabilities,
 * staff without a second factor are sent to set one up, and state changes
 * need the CSRF token. */
static int
check_policy(struct req *r)
{
	const struct route *rt = r->match.route;

	if (!(rt->roles & r->roles)) {
		if (r->roles == ROLE_ANONYMOUS && r->method == METHOD_GET)
			return redirect_to_login(r);
		audit_log(r, r->user.id, "access.denied", rt->name);
		return HTTP_FORBIDDEN;
	}
	if (rt->capability && !sess_has_capability(r, rt->capability)) {
		audit_log(r, r->user.id, "access.denied", rt->name);
		return HTTP_FORBIDDEN;
	}
	if ((r->roles & ROLE_STAFF) && !r->user.totp_enabled && !rt->pre_mfa) {
		if (r->method != METHOD_GET)
			return HTTP_FORBIDDEN;
		resp_add_header(r, "Location", "/account/2fa");
		return HTTP_SEE_OTHER;
	}
	if (rt->csrf && r->method == METHOD_POST && !csrf_check(r)) {
		/* A form sent after the session ended (idle timeout, signed out
		 * elsewhere) carries the old session's token: send the user to
		 * sign in again rather than show "forbidden". */
		if (r->session_expired) {
			resp_add_header(r, "Location", "/login");
			return HTTP_SEE_OTHER;
		}
		audit_log(r, r->user.id, "security.csrf_rejected", rt->name);
		return form_expired(r);
	}
	return 0;
}

/* What every page of a signed-in user shows: name, CSRF token for the
 * sign-out form, unread notices (all read with the session: no query). */
static void
fill_user_view(struct req *r)
{
	if (r->user.id == 0 || r->session.mfa_pending)
		return;
	view_set(r->view, "1", "Page.user.signed_in");
	view_set(r->view, r->user.name, "Page.user.name");
	view_set(r->view, r->session.csrf, "Page.csrf");
	if (!r->user.email_verified)
		view_set(r->view, "1", "Page.user.unverified");
	for (unsigned bit = ROLE_PATIENT; bit <= ROLE_ADMIN; bit <<= 1)
		if (r->roles & bit)
			view_set(r->view, "1", "Page.user.role.%s", role_name(bit));
	view_set_int(r->view, r->user.unread_notices, "Page.user.unread");
	view_set_int(r->view, r->user.unread_messages, "Page.user.unread_messages");
}

/* Decide the route and run its handler; returns the status. */
static int
dispatch(struct req *r, FCGX_Stream *in)
{
	const char *body;
	size_t len;
	int st;
	char allow[64];

	if (r->method == METHOD__MAX) {
		resp_add_header(r, "Allow", "GET, HEAD, POST");
		return HTTP_METHOD_NOT_ALLOWED;
	}
	if (r->method == METHOD_POST && !origin_allowed(r))
		return HTTP_FORBIDDEN;
	switch (router_match(app.router, r->arena, r->method, r->path, &r->match)) {
	case ROUTE_NOT_FOUND:
		return HTTP_NOT_FOUND;
	case ROUTE_METHOD_NOT_ALLOWED:
		router_allow_header(r->match.allowed, allow, sizeof(allow));
		resp_add_header(r, "Allow", arena_strdup(r->arena, allow));
		return HTTP_METHOD_NOT_ALLOWED;
	case ROUTE_FOUND:
		break;
	}
	if ((st = read_body(r, in, &body, &len)) != 0)
		return st;
	if (r->method == METHOD_POST && (st = req_parse_body(r, body, len)) != 0)
		return st;
	if ((st = check_policy(r)) != 0)
		return st;
	if ((st = care_decide(r)) != 0)
		return st;
	return r->match.route->handler(r);
}

/* Render the chosen template, falling back to the 500 page and then to
 * plain text, so that a template error never leaves the client hanging. */
static void
render(struct req *r, const char **out, size_t *len)
{
	char err[256];

	*out = r->resp.body;
	*len = r->resp.body ? r->resp.body_len : 0;
	if (r->resp.template == NULL)
		return;
	view_set(r->view, r->request_id, "Page.request_id");
	/* Where the footer's language link returns to: this page with its
	 * query (a reset link's token must survive a language switch). */
	view_set(r->view, r->method == METHOD_GET && r->query_string && *r->query_string
	                  ? arena_printf(r->arena, "%s?%s", r->path, r->query_string)
	                  : r->path ? r->path : "/", "Page.path");
	if (view_render(r->view, r->resp.template, out, len, err, sizeof(err)) == 0)
		return;
	log_msg("error", "request %s: template %s: %s", r->request_id, r->resp.template, err);
	app_error_page(r, HTTP_INTERNAL_ERROR);
	view_set(r->view, r->request_id, "Page.request_id");
	if (view_render(r->view, r->resp.template, out, len, err, sizeof(err)) == 0)
		return;
	r->resp.content_type = "text/plain; charset=utf-8";
	*out = "Internal error\n";
	*len = strlen(*out);
}

/* Throw away whatever the client sent that the handler did not read, so
 * that a kept-alive connection stays in step. */
static void
drain_input(FCGX_Stream *in)
{
	char scratch[8192];

	while (FCGX_GetStr(scratch, sizeof(scratch), in) > 0)
		;
}

static double
elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

void
app_handle(FCGX_Request *fr)
{
	struct timespec t0;
	struct arena *a;
	struct req r;
	const char *out;
	size_t len;
	int st, cached;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* The arena grows on demand up to this cap: room for the largest
	 * body (an upload's, when larger) and its decoded copy. */
	a = arena_new((size_t)(app.cfg->max_body > app.cfg->max_upload + REQ_UPLOAD_SLACK
	                       ? app.cfg->max_body : app.cfg->max_upload + REQ_UPLOAD_SLACK) * 4
	              + 4 * 1024 * 1024);
	req_init(&r, a, app.cfg, fr->envp);
	make_request_id(r.request_id);
	if (a == NULL) {
		r.resp.status = HTTP_UNAVAILABLE;
		resp_write(fr->out, &r, "", 0);
		return;
	}
	/* Every result of this request is released with its arena. */
	db_set_arena(a);
	st = check_head(&r);
	/* A poll repeated within seconds, nothing announced since: 304
	 * without the session lookup (core/pollcache.h). */
	cached = st == 0 && pollcache_hit(&r);
	if (cached)
		st = HTTP_NOT_MODIFIED;
	if (st == 0)
		st = sess_load(&r);
	/* The visitor's choice (cookie), then the account's language, then
	 * the browser's, then the clinic's default. */
	r.lang = locale_pick(req_cookie(&r, "lang"),
	                     r.user.lang[0] ? r.user.lang : r.accept_language,
	                     app.cfg->default_language);
	r.view = cached ? NULL : view_begin(r.lang);   /* a 304 renders nothing */
	if (st == 0) {
		fill_user_view(&r);
		st = dispatch(&r, fr->in);
		sess_touch(&r);
	}
	if (st >= 400 && r.resp.template == NULL && r.resp.body == NULL)
		app_error_page(&r, st);
	r.resp.status = st;
	if (st == HTTP_UNAVAILABLE)
		resp_add_header(&r, "Retry-After", arena_printf(a, "%d", app.cfg->retry_after));
	render(&r, &out, &len);
	resp_write(fr->out, &r, out, len);
	drain_input(fr->in);
	log_request(r.request_id, r.method_name, r.path ? r.path : "",
	            r.match.route ? r.match.route->name : cached ? "pollcache" : "-", r.resp.status,
	            elapsed_ms(&t0));
	view_end(r.view);
	db_set_arena(NULL);
	arena_free(a);
}
