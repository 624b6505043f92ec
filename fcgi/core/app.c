/* app: the request pipeline. */
#include "app.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "locale.h"
#include "log.h"
#include "request.h"
#include "response.h"
#include "router.h"
#include "view.h"
#include "pages/pages.h"

static struct {
	const struct config *cfg;
	struct router *router;
} app;

int
app_init(const struct config *cfg, char *err, size_t errlen)
{
	char dir[700];

	app.cfg = cfg;
	if ((app.router = router_new(pages_routes, pages_route_count, err, errlen)) == NULL)
		return -1;
	snprintf(dir, sizeof(dir), "%s/templates", cfg->datadir);
	if (view_init(dir, err, errlen) == -1)
		return -1;
	snprintf(dir, sizeof(dir), "%s/sql/queries", cfg->datadir);
	return db_init(cfg->db, dir, cfg->db_connect_timeout, err, errlen);
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
	if (r->content_length > r->cfg->max_body)
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

/* A cross-site POST (Origin naming another host) is refused before any
 * handler runs; SameSite cookies and CSRF tokens are the other layers. */
static int
origin_allowed(const struct req *r)
{
	const char *o = r->origin, *host;

	if (o == NULL || r->host == NULL)
		return 1;
	if (strncmp(o, "http://", 7) == 0)
		host = o + 7;
	else if (strncmp(o, "https://", 8) == 0)
		host = o + 8;
	else
		return 0;
	/* nginx passes $host without the port; compare the host part only. */
	size_t n = strcspn(host, ":/");
	return strlen(r->host) == n && strncmp(host, r->host, n) == 0;
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
	if (r->content_length > r->cfg->max_body)
		return HTTP_PAYLOAD_TOO_LARGE;
	return 0;
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
	if (!(r->match.route->roles & r->roles))
		return HTTP_FORBIDDEN;
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
	view_set(r->view, r->path ? r->path : "/", "Page.path");
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
	int st;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	a = arena_new((size_t)app.cfg->max_body * 4 + 4 * 1024 * 1024);
	req_init(&r, a, app.cfg, fr->envp);
	make_request_id(r.request_id);
	if (a == NULL) {
		r.resp.status = HTTP_UNAVAILABLE;
		resp_write(fr->out, &r, "", 0);
		return;
	}
	st = check_head(&r);
	r.lang = locale_pick(req_cookie(&r, "lang"), r.accept_language, app.cfg->default_language);
	r.view = view_begin(r.lang);
	if (st == 0)
		st = dispatch(&r, fr->in);
	if (st >= 400 && r.resp.template == NULL && r.resp.body == NULL)
		app_error_page(&r, st);
	r.resp.status = st;
	if (st == HTTP_UNAVAILABLE)
		resp_add_header(&r, "Retry-After", arena_printf(a, "%d", app.cfg->retry_after));
	render(&r, &out, &len);
	resp_write(fr->out, &r, out, len);
	drain_input(fr->in);
	log_request(r.request_id, r.method_name, r.path ? r.path : "",
	            r.match.route ? r.match.route->name : "-", r.resp.status, elapsed_ms(&t0));
	view_end(r.view);
	arena_free(a);
}
