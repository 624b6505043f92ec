/* request: building a request from FastCGI parameters and decoding it. */
#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "config.h"

static const char *
env_get(char **envp, const char *name)
{
	size_t n = strlen(name);

	for (char **e = envp; e && *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static size_t
header_bytes(char **envp)
{
	size_t n = 0;

	for (char **e = envp; e && *e; e++)
		if (strncmp(*e, "HTTP_", 5) == 0)
			n += strlen(*e);
	return n;
}

/* Content-Length: digits only, no sign, no overflow; -1 when absent, -2
 * when malformed. */
static long
parse_content_length(const char *s)
{
	long n = 0;

	if (s == NULL || *s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n > (1L << 40))
			return -2;
		n = n * 10 + (*s - '0');
	}
	return n;
}

void
req_init(struct req *r, struct arena *a, const struct config *cfg, char **envp)
{
	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->cfg = cfg;
	r->method_name = env_get(envp, "REQUEST_METHOD");
	r->method = http_method_parse(r->method_name);
	if (r->method_name == NULL)
		r->method_name = "";
	r->path = env_get(envp, "DOCUMENT_URI");
	r->query_string = env_get(envp, "QUERY_STRING");
	r->content_type = env_get(envp, "CONTENT_TYPE");
	r->content_length = parse_content_length(env_get(envp, "CONTENT_LENGTH"));
	r->cookie_header = env_get(envp, "HTTP_COOKIE");
	r->accept_language = env_get(envp, "HTTP_ACCEPT_LANGUAGE");
	r->origin = env_get(envp, "HTTP_ORIGIN");
	r->if_none_match = env_get(envp, "HTTP_IF_NONE_MATCH");
	r->host = env_get(envp, "HTTP_HOST");
	r->scheme = env_get(envp, "REQUEST_SCHEME");
	r->server_port = env_get(envp, "SERVER_PORT");
	r->remote_addr = env_get(envp, "REMOTE_ADDR");
	r->user_agent = env_get(envp, "HTTP_USER_AGENT");
	r->header_bytes = header_bytes(envp);
	r->roles = ROLE_ANONYMOUS;
	r->resp.status = HTTP_OK;
	r->resp.content_type = "text/html; charset=utf-8";
	r->resp.cache_control = "no-store";
}

int
req_parse_head(struct req *r)
{
	const char *qs = r->query_string ? r->query_string : "";

	/* Cookies first: even a request refused below is answered in the
	 * language the user chose. */
	if (r->cookie_header &&
	    cookies_parse(r->arena, r->cookie_header, strlen(r->cookie_header),
	                  &parse_limits_default, &r->cookies) != PARSE_OK)
		return HTTP_BAD_REQUEST;
	if (r->path == NULL || r->path[0] != '/' || !utf8_valid_text(r->path, strlen(r->path)))
		return HTTP_BAD_REQUEST;
	if (r->content_length == -2)
		return HTTP_BAD_REQUEST;
	if (form_parse_urlencoded(r->arena, qs, strlen(qs), &parse_limits_default,
	                          &r->query) != PARSE_OK)
		return HTTP_BAD_REQUEST;
	return 0;
}

/* The media type of a Content-Type value, compared case-insensitively. */
static int
media_type_is(const char *ct, const char *type)
{
	size_t n = strlen(type);

	if (ct == NULL)
		return 0;
	while (*ct == ' ')
		ct++;
	return strncasecmp(ct, type, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

long
req_body_limit(const struct req *r)
{
	long upload = r->cfg->max_upload + REQ_UPLOAD_SLACK;

	if (upload > r->cfg->max_body && media_type_is(r->content_type, "multipart/form-data"))
		return upload;
	return r->cfg->max_body;
}

int
req_parse_body(struct req *r, const char *body, size_t len)
{
	struct parse_limits lim = parse_limits_default;
	enum parse_status st;

	if (len == 0)
		return 0;
	/* The body's own limit bounds a file part; its page checks the
	 * file against max_upload and says what is allowed. */
	lim.max_file = (size_t)req_body_limit(r);
	if (media_type_is(r->content_type, "application/x-www-form-urlencoded"))
		st = form_parse_urlencoded(r->arena, body, len, &parse_limits_default, &r->form);
	else if (media_type_is(r->content_type, "multipart/form-data"))
		st = multipart_parse(r->arena, r->content_type, body, len, &lim, &r->form);
	else
		return HTTP_UNSUPPORTED_MEDIA_TYPE;
	return st == PARSE_OK ? 0 : HTTP_BAD_REQUEST;
}

int
resp_add_header(struct req *r, const char *name, const char *value)
{
	if (r->resp.nheaders == REQ_MAX_HEADERS || name == NULL || value == NULL)
		return -1;
	r->resp.headers[r->resp.nheaders].name = name;
	r->resp.headers[r->resp.nheaders].value = value;
	r->resp.nheaders++;
	return 0;
}

const char *
req_cookie_name(const struct req *r, const char *base)
{
	if (!r->cfg->cookie_secure)
		return base;
	return arena_printf(r->arena, "__Host-%s", base);
}

const char *
req_cookie(const struct req *r, const char *base)
{
	const char *name = req_cookie_name(r, base);

	return name ? fields_get(&r->cookies, name) : NULL;
}

int
resp_set_cookie(struct req *r, const char *base, const char *value, long max_age)
{
	char age[48] = "";
	const char *v;

	if (max_age >= 0)
		snprintf(age, sizeof(age), "; Max-Age=%ld", max_age);
	v = arena_printf(r->arena, "%s=%s; Path=/%s; HttpOnly; SameSite=Lax%s",
	                 req_cookie_name(r, base), value, age,
	                 r->cfg->cookie_secure ? "; Secure" : "");
	return v ? resp_add_header(r, "Set-Cookie", v) : -1;
}

int
req_is_local_path(const char *s)
{
	if (s == NULL || s[0] != '/' || s[1] == '/' || s[1] == '\\')
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == '\\')
			return 0;
	return 1;
}
