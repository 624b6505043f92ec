/* it_browser: the integration tests' browser: a cookie jar, form bodies,
 * form tokens, sign-in and made-up users and sessions (see http_client.h). */
#include "fixtures.h"
#include "http_client.h"

#include "lib/totp.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <check.h>
#include <stdint.h>

const char *
it_form_value(const struct http_response *r, const char *name, char *out, size_t len)
{
	char needle[128];
	const char *p;

	out[0] = '\0';
	snprintf(needle, sizeof(needle), "name=\"%s\" value=\"", name);
	if (r->body != NULL && (p = strstr(r->body, needle)) != NULL) {
		p += strlen(needle);
		snprintf(out, len, "%.*s", (int)strcspn(p, "\""), p);
	}
	return out;
}

const char *
it_page_csrf(const struct http_response *r, char out[IT_CSRF_LEN])
{
	it_form_value(r, "csrf", out, IT_CSRF_LEN);
	ck_assert_msg(strlen(out) == 64, "no form token (csrf field) on the page: %.300s", r->body);
	return out;
}

const char *
it_csrf_of(struct it_jar *j, const char *path, char out[IT_CSRF_LEN])
{
	struct http_response r = { 0 };

	it_get(j, &r, path);
	it_assert_status(&r, 200, path);
	it_page_csrf(&r, out);
	http_response_free(&r);
	return out;
}

char *
it_totp_now(const char *secret)
{
	unsigned char key[64];
	long n = base32_decode(secret, key, sizeof(key));

	ck_assert_int_gt(n, 0);
	return it_fmt("%06ld", totp_code_at_step(key, (size_t)n, (uint64_t)time(NULL) / TOTP_STEP, 6));
}

/* ------------------------------------------------------------ forms */

/* body with name=value (both %-encoded) added; value NULL: unchanged. */
static char *
form_add(char *body, const char *name, const char *value)
{
	char *n, *v, *more;

	if (value == NULL)
		return body;
	n = it_urlencode(name);
	v = it_urlencode(value);
	more = it_fmt("%s%s%s=%s", body, body[0] ? "&" : "", n, v);
	free(n);
	free(v);
	free(body);
	return more;
}

char *
it_vform(const char *first, va_list ap)
{
	char *body = it_fmt("%s", "");

	for (const char *name = first; name != NULL; name = va_arg(ap, const char *))
		body = form_add(body, name, va_arg(ap, const char *));
	return body;
}

char *
it_multipart(const char *boundary, const char *file_field, const char *filename, const char *ctype,
             const char *data, size_t dlen, size_t *len, ...)
{
	char *head = it_fmt("%s", ""), *tail = it_fmt("\r\n--%s--\r\n", boundary), *b, *next;
	size_t hl, tl = strlen(tail);
	va_list ap;

	va_start(ap, len);
	for (const char *name = va_arg(ap, const char *); name != NULL; name = va_arg(ap, const char *)) {
		next = it_fmt("%s--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n", head, boundary,
		              name, va_arg(ap, const char *));
		free(head);
		head = next;
	}
	va_end(ap);
	next = it_fmt("%s--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
	              "Content-Type: %s\r\n\r\n", head, boundary, file_field, filename, ctype);
	free(head);
	head = next;
	hl = strlen(head);
	ck_assert_ptr_nonnull(b = malloc(hl + dlen + tl));
	memcpy(b, head, hl);
	memcpy(b + hl, data, dlen);
	memcpy(b + hl + dlen, tail, tl);
	*len = hl + dlen + tl;
	free(head);
	free(tail);
	return b;
}

char *
it_form(const char *first, ...)
{
	va_list ap;
	char *body;

	va_start(ap, first);
	body = it_vform(first, ap);
	va_end(ap);
	return body;
}

/* ------------------------------------------------------------ cookie jar */

/* The value of a Set-Cookie header (after "name=") into dst. */
static void
jar_take(char *dst, size_t len, const char *v)
{
	size_t n = strcspn(v, ";");

	if (strstr(v, "Max-Age=0") != NULL)
		n = 0;
	if (n >= len)
		n = len - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

/* "Cookie: ..." with the jar's non-empty cookies into out; 0 when it has
 * none (a browser sends no empty cookie). */
static int
jar_cookie_header(const struct it_jar *j, char *out, size_t len)
{
	const char *names[] = { "session", "csrf", "lang", "triage_reason" };
	const char *values[] = { j->session, j->csrf_cookie, j->lang, j->triage_reason };
	size_t o = (size_t)snprintf(out, len, "Cookie:");
	int n = 0;

	for (size_t i = 0; i < 4; i++)
		if (values[i][0] && o < len)
			o += (size_t)snprintf(out + o, len - o, "%s %s=%s", n++ ? ";" : "", names[i], values[i]);
	return n;
}

static void
jar_update(struct it_jar *j, const struct http_response *r)
{
	for (size_t i = 0; i < r->nheaders; i++) {
		const char *v = r->headers[i].value;
		if (strcasecmp(r->headers[i].name, "Set-Cookie") != 0)
			continue;
		if (strncmp(v, "session=", 8) == 0)
			jar_take(j->session, sizeof(j->session), v + 8);
		else if (strncmp(v, "csrf=", 5) == 0)
			jar_take(j->csrf_cookie, sizeof(j->csrf_cookie), v + 5);
		else if (strncmp(v, "lang=", 5) == 0)
			jar_take(j->lang, sizeof(j->lang), v + 5);
		else if (strncmp(v, "triage_reason=", 14) == 0)
			jar_take(j->triage_reason, sizeof(j->triage_reason), v + 14);
	}
	if (strstr(r->body, "name=\"csrf\" value=\"") != NULL)
		it_form_value(r, "csrf", j->form_csrf, sizeof(j->form_csrf));
}

/* The request of it_jar_request and it_jar_upload: a body of len bytes of
 * type content_type when body is not NULL. */
static long
jar_send(struct it_jar *j, const char *method, const char *path, const char *body, size_t len,
         const char *content_type, struct http_response *r)
{
	char cookie[1100], origin[300], ua[300];
	const char *hdrs[4] = { NULL, NULL, NULL, NULL };
	struct http_request rq = { .method = method, .path = path, .headers = hdrs };
	int nh = 0;

	if (j && jar_cookie_header(j, cookie, sizeof(cookie)))
		hdrs[nh++] = cookie;
	if (j && j->ua) {
		snprintf(ua, sizeof(ua), "User-Agent: %s", j->ua);
		hdrs[nh++] = ua;
	}
	if (body) {
		snprintf(origin, sizeof(origin), "Origin: %s", it_env("MEDSYS_URL"));
		hdrs[nh++] = origin;
		rq.body = body;
		rq.body_len = len;
		rq.content_type = content_type;
	}
	memset(r, 0, sizeof(*r));
	ck_assert_msg(http_request(&rq, r) == 0, "%s %s: no response: %s", method ? method : "GET", path,
	              r->error);
	if (j)
		jar_update(j, r);
	return r->status;
}

long
it_jar_request(struct it_jar *j, const char *method, const char *path, const char *body,
               struct http_response *r)
{
	return jar_send(j, method, path, body, body ? strlen(body) : 0,
	                "application/x-www-form-urlencoded", r);
}

long
it_jar_upload(struct it_jar *j, const char *path, const char *body, size_t len,
              const char *content_type, struct http_response *r)
{
	return jar_send(j, "POST", path, body, len, content_type, r);
}

long
it_jar_get(struct it_jar *j, const char *path, struct http_response *r)
{
	return it_jar_request(j, "GET", path, NULL, r);
}

long
it_jar_post(struct it_jar *j, const char *path, const char *fields, struct http_response *r)
{
	char *body = it_fmt("csrf=%s%s%s", j->form_csrf, fields && *fields ? "&" : "", fields ? fields : "");
	long status = it_jar_request(j, "POST", path, body, r);

	free(body);
	return status;
}

long
it_jar_get_status(struct it_jar *j, const char *path)
{
	struct http_response r;
	long status = it_jar_get(j, path, &r);

	http_response_free(&r);
	return status;
}

long
it_jar_post_status(struct it_jar *j, const char *path, const char *fields)
{
	struct http_response r;
	long status = it_jar_post(j, path, fields, &r);

	http_response_free(&r);
	return status;
}

long
it_send(struct it_jar *j, struct http_response *r, const char *method, const char *path, const char *body)
{
	http_response_free(r);
	it_jar_request(j, method ? method : "GET", path, body, r);
	ck_assert_msg(r->status < 500, "%s %s answered %ld: %.300s", method ? method : "GET", path, r->status,
	              r->body);
	return r->status;
}

long
it_get(struct it_jar *j, struct http_response *r, const char *path)
{
	return it_send(j, r, "GET", path, NULL);
}

long
it_post(struct it_jar *j, struct http_response *r, const char *path, ...)
{
	va_list ap;
	const char *first;
	char *body;
	long status;

	va_start(ap, path);
	first = va_arg(ap, const char *);
	body = it_vform(first, ap);
	va_end(ap);
	status = it_send(j, r, "POST", path, body);
	free(body);
	return status;
}

long
it_get_inm(struct it_jar *j, struct http_response *r, const char *path, const char *etag)
{
	return it_watch_get(j->session, path, etag, r);
}

long
it_watch_get(const char *session, const char *url, const char *etag, struct http_response *r)
{
	char cookie[300], inm[120];
	const char *h[3] = { NULL, NULL, NULL };
	int n = 0;

	if (session) {
		snprintf(cookie, sizeof(cookie), "Cookie: session=%s", session);
		h[n++] = cookie;
	}
	if (etag) {
		snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
		h[n++] = inm;
	}
	http_response_free(r);
	ck_assert_int_eq(http_get(url, h, r), 0);
	return r->status;
}

const char *
it_page_watch(struct it_jar *j, const char *path)
{
	struct http_response r = { 0 };
	const char *at, *end;
	char *url, *amp;

	ck_assert_int_eq(it_get(j, &r, path), 200);
	at = strstr(r.body, "data-watch=\"");
	ck_assert_msg(at != NULL, "%s carries its poll link", path);
	at += strlen("data-watch=\"");
	end = strchr(at, '"');
	url = it_keep(it_fmt("%.*s", (int)(end - at), at));
	http_response_free(&r);
	if ((amp = strstr(url, "&amp;")) != NULL)
		memmove(amp + 1, amp + 5, strlen(amp + 5) + 1);
	return url;
}

const char *
it_watch_until(const char *session, const char *url, long long version)
{
	struct http_response r = { 0 };
	const char *tag = NULL;

	for (int i = 0; i < 100 && tag == NULL; i++) {
		if (it_watch_get(session, url, NULL, &r) == 200 && atoll(r.body) == version)
			tag = it_keep(it_fmt("%s", http_header(&r, "ETag")));
		else
			it_sleep_ms(50);
	}
	ck_assert_msg(tag != NULL, "the poll file %s reaches version %lld", url, version);
	http_response_free(&r);
	return tag;
}

long
it_getf(struct it_jar *j, struct http_response *r, const char *fmt, ...)
{
	va_list ap;
	char *path;
	long status;

	va_start(ap, fmt);
	ck_assert_int_ge(vasprintf(&path, fmt, ap), 0);
	va_end(ap);
	status = it_send(j, r, "GET", path, NULL);
	free(path);
	return status;
}

long
it_postf(struct it_jar *j, struct http_response *r, const char *path, const char *fmt, ...)
{
	va_list ap;
	char *fields, *body;
	long status;

	va_start(ap, fmt);
	ck_assert_int_ge(vasprintf(&fields, fmt, ap), 0);
	va_end(ap);
	body = it_fmt("csrf=%s%s%s", j->form_csrf, fields[0] ? "&" : "", fields);
	status = it_send(j, r, "POST", path, body);
	free(body);
	free(fields);
	return status;
}

/* ------------------------------------------------------------ sign-in */

long
it_login_password(struct it_jar *j, struct http_response *r, const char *email, const char *pw,
                  const char *next)
{
	char csrf[IT_CSRF_LEN], *enc = next ? it_urlencode(next) : NULL;
	char *path = it_fmt("/login%s%s", enc ? "?next=" : "", enc ? enc : "");
	long status;

	it_csrf_of(j, path, csrf);
	status = it_post(j, r, "/login", "csrf", csrf, "email", email, "password", pw, "next", next, (char *)NULL);
	free(path);
	free(enc);
	return status;
}

void
it_sign_in(struct it_jar *j, const char *email, const char *pw, const char *totp_secret)
{
	struct http_response r = { 0 };
	const char *loc;

	memset(j, 0, sizeof(*j));
	/* A code is accepted once per step: let the tests reuse it. */
	if (totp_secret)
		it_sql("UPDATE auth.users SET totp_last_step = 0 WHERE email = '%s'", email);
	it_login_password(j, &r, email, pw, NULL);
	loc = http_header(&r, "Location");
	ck_assert_msg(r.status == 303 && loc && loc[0] == '/', "sign in %s: status %ld, Location %s",
	              email, r.status, loc ? loc : "(none)");
	if (totp_secret) {
		char *code = it_totp_now(totp_secret), csrf[IT_CSRF_LEN];
		ck_assert_str_eq(loc, "/login/2fa");
		it_csrf_of(j, "/login/2fa", csrf);
		it_post(j, &r, "/login/2fa", "csrf", csrf, "code", code, (char *)NULL);
		free(code);
		loc = http_header(&r, "Location");
		ck_assert_msg(r.status == 303 && loc && loc[0] == '/', "2fa %s: status %ld, Location %s",
		              email, r.status, loc ? loc : "(none)");
	}
	ck_assert_int_eq(it_get(j, &r, "/notices"), 200);
	http_response_free(&r);
	ck_assert_msg(j->form_csrf[0], "no form token after signing in as %s", email);
}

int
it_signed_in(struct it_jar *j)
{
	struct http_response r = { 0 };
	int yes;

	it_get(j, &r, "/");
	it_assert_status(&r, 200, "GET / (signed in?)");
	yes = strstr(r.body, "action=\"/logout\"") != NULL;
	http_response_free(&r);
	return yes;
}

void
it_sign_out(struct it_jar *j)
{
	struct http_response r = { 0 };
	char csrf[IT_CSRF_LEN];

	it_csrf_of(j, "/", csrf);
	it_post(j, &r, "/logout", "csrf", csrf, (char *)NULL);
	it_assert_redirect(&r, "/", "sign out");
	http_response_free(&r);
}

char *
it_unique_email(const char *tag)
{
	static unsigned n;

	return it_fmt("%s-%ld-%u@clinic.test", tag, (long)getpid(), n++);
}

char *
it_totp_next(const char *secret, const char *email)
{
	unsigned char key[64];
	long n = base32_decode(secret, key, sizeof(key));
	uint64_t last = (uint64_t)it_sql_int("SELECT totp_last_step FROM auth.users WHERE email = '%s'", email);
	uint64_t step, now;

	ck_assert_int_gt(n, 0);
	for (;;) {
		now = (uint64_t)time(NULL) / TOTP_STEP;
		step = last + 1 > now - 1 ? last + 1 : now - 1;
		if (step <= now + 1)
			break;
		it_sleep_ms(1000);
	}
	return it_fmt("%06ld", totp_code_at_step(key, (size_t)n, step, TOTP_DIGITS));
}

long long
it_make_user(const struct it_user *u)
{
	const char *totp = u->totp_secret;

	return it_sql_int("WITH u AS (INSERT INTO auth.users (email, full_name, language, password_hash, "
	                  "email_verified_at, totp_secret, totp_enabled_at) SELECT '%s', '%s', '%s', password_hash, "
	                  "%s, %s%s%s, %s FROM auth.users WHERE email = 'patient1@clinic.test' RETURNING id), "
	                  "r AS (INSERT INTO auth.user_roles (user_id, role) SELECT id, '%s' FROM u) "
	                  "SELECT id FROM u", u->email, u->name ? u->name : u->email, u->lang ? u->lang : "es",
	                  u->unverified ? "NULL" : "now()", totp ? "'" : "", totp ? totp : "NULL", totp ? "'" : "",
	                  totp ? "now()" : "NULL", u->role ? u->role : "patient");
}

long long
it_user_id(const char *email)
{
	return it_sql_int("SELECT id FROM auth.users WHERE email = '%s'", email);
}

void
it_staff_account(const char *email, const char *name, const char *role, const char *licence)
{
	it_sql("INSERT INTO auth.users (email, full_name, language, password_hash, email_verified_at, "
	       "totp_secret, totp_enabled_at) SELECT '%s', '%s', 'es', password_hash, now(), totp_secret, now() "
	       "FROM auth.users WHERE email = '" D1_EMAIL "' ON CONFLICT (email) DO NOTHING", email, name);
	it_sql("INSERT INTO auth.user_roles (user_id, role) SELECT id, '%s' FROM auth.users "
	       "WHERE email = '%s' ON CONFLICT DO NOTHING", role, email);
	if (licence)
		it_sql("UPDATE clinic.doctors SET user_id = (SELECT id FROM auth.users WHERE email = '%s') "
		       "WHERE licence_number = '%s'", email, licence);
}

long long
it_audit_count(const char *action, const char *actor_email, const char *extra)
{
	char *actor = actor_email ? it_fmt("a.email = '%s'", actor_email) : it_fmt("e.actor_id IS NULL");
	long long n = it_sql_int("SELECT count(*) FROM audit.events e LEFT JOIN auth.users a ON a.id = e.actor_id "
	                         "WHERE e.action = '%s' AND %s %s", action, actor, extra ? extra : "");

	free(actor);
	return n;
}

long long
it_actor_audit_count(long long actor, const char *action)
{
	return it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld AND action = '%s'",
	                  actor, action);
}

void
it_make_stale(long long user)
{
	it_sql("UPDATE auth.sessions SET reauth_at = now() - interval '1 hour' WHERE user_id = %lld", user);
}

long long
it_sql_session(struct it_jar *j, long long user)
{
	char token[65];
	const char *ua = j->ua;

	memset(j, 0, sizeof(*j));
	j->ua = ua;
	it_random_hex(token, 32);
	it_random_hex(j->form_csrf, 32);
	snprintf(j->session, sizeof(j->session), "%s", token);
	return it_sql_int("INSERT INTO auth.sessions (user_id, token_hash, csrf_token, idle_seconds, "
	                  "expires_at, client_addr, user_agent) VALUES (%lld, sha256(convert_to('%s', 'UTF8')), "
	                  "'%s', 1800, now() + interval '12 hours', '192.0.2.7', '%s') RETURNING id",
	                  user, token, j->form_csrf, j->ua ? j->ua : "");
}

/* ------------------------------------------------------------ assertions */

void
it_assert_status(const struct http_response *r, long status, const char *what)
{
	ck_assert_msg(r->status == status, "%s: status %ld, expected %ld; body: %.1000s", what,
	              r->status, status, r->body ? r->body : "");
}

void
it_assert_has(const struct http_response *r, const char *needle, const char *what)
{
	ck_assert_msg(strstr(r->body, needle) != NULL, "%s: the page lacks \"%s\"", what, needle);
}

void
it_assert_lacks(const struct http_response *r, const char *needle, const char *what)
{
	ck_assert_msg(strstr(r->body, needle) == NULL, "%s: the page contains \"%s\"", what, needle);
}

void
it_assert_redirect_prefix(const struct http_response *r, const char *prefix, const char *what)
{
	const char *loc = http_header(r, "Location");

	it_assert_status(r, 303, what);
	ck_assert_msg(loc && strncmp(loc, prefix, strlen(prefix)) == 0, "%s: Location %s, expected %s...",
	              what, loc ? loc : "(none)", prefix);
}

void
it_assert_redirect(const struct http_response *r, const char *location, const char *what)
{
	const char *loc = http_header(r, "Location");

	it_assert_status(r, 303, what);
	ck_assert_msg(loc && strcmp(loc, location) == 0, "%s: Location %s, expected %s", what,
	              loc ? loc : "(none)", location);
}

/* ------------------------------------------------------------ temporaries */

static char *kept[64];
static size_t nkept;

char *
it_keep(char *s)
{
	ck_assert_msg(nkept < sizeof(kept) / sizeof(kept[0]), "too many kept strings in one test");
	return kept[nkept++] = s;
}

void
it_kept_free(void)
{
	while (nkept)
		free(kept[--nkept]);
}
