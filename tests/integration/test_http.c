/* test_http: the site as a browser sees it, through nginx against a real
 * stack: languages, escaping, security headers, error pages, request
 * logging and hostile input. Run by tests/integration/http.stack. */
#include <check.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_client.h"

/* A NULL-terminated list of extra request headers. */
#define HDRS(...) ((const char *const[]){ __VA_ARGS__, NULL })

#define MARKER_DOCTOR "Dra. Marcadora Ñúñez"
#define MARKER_SPECIALTY_ES "Neumología"
#define MARKER_SPECIALTY_EN "Pulmonology"
#define EVIL_DOCTOR "<script>alert(1)</script>\"'&"

/* Up to 80 bytes of s, for messages (paths may be 100 KB long). */
static const char *
brief(const char *s)
{
	static char buf[100];

	snprintf(buf, sizeof(buf), "%.80s%s", s ? s : "(null)", s && strlen(s) > 80 ? "..." : "");
	return buf;
}

/* "Origin: $MEDSYS_URL": what a browser sends with a same-origin form. */
static const char *
same_origin(void)
{
	static char buf[300];
	const char *url = getenv("MEDSYS_URL");

	snprintf(buf, sizeof(buf), "Origin: %s", url ? url : "");
	return buf;
}

/* Perform a request; fail the test when no response arrives at all. */
static void
fetch(struct http_response *r, const char *method, const char *path,
      const char *const *headers, const char *body, size_t len, const char *ctype)
{
	struct http_request rq = {
		.method = method, .path = path, .headers = headers,
		.body = body, .body_len = len, .content_type = ctype,
	};

	ck_assert_msg(http_request(&rq, r) == 0, "%s %s: no response: %s",
	              method ? method : "GET", brief(path), r->error);
}

static void
get(struct http_response *r, const char *path, const char *const *headers)
{
	fetch(r, NULL, path, headers, NULL, 0, NULL);
}

static void
assert_status(const struct http_response *r, long status, const char *what)
{
	ck_assert_msg(r->status == status, "%s: status %ld, expected %ld; body starts: %.300s",
	              what, r->status, status, r->body);
}

static void
assert_has(const struct http_response *r, const char *needle, const char *what)
{
	ck_assert_msg(strstr(r->body, needle) != NULL, "%s: the page lacks \"%s\"", what, needle);
}

static void
assert_lacks(const struct http_response *r, const char *needle, const char *what)
{
	ck_assert_msg(strstr(r->body, needle) == NULL, "%s: the page contains \"%s\"", what, needle);
}

/* s with & < > " ' replaced by entities (malloc'd): how text from the
 * database must look in a page. */
static char *
html_escape(const char *s)
{
	char *out = malloc(strlen(s) * 6 + 1), *o = out;

	ck_assert_ptr_nonnull(out);
	for (; *s; s++) {
		switch (*s) {
		case '&': o = stpcpy(o, "&amp;"); break;
		case '<': o = stpcpy(o, "&lt;"); break;
		case '>': o = stpcpy(o, "&gt;"); break;
		case '"': o = stpcpy(o, "&quot;"); break;
		case '\'': o = stpcpy(o, "&#39;"); break;
		default: *o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

/* The text of the doctor's list item (from the name to the end of its
 * <li>), malloc'd, or NULL when the name is not on the page. */
static char *
doctor_item(const struct http_response *r, const char *name)
{
	const char *p = strstr(r->body, name), *e;

	if (p == NULL)
		return NULL;
	if ((e = strstr(p, "</li>")) == NULL)
		e = p + strlen(p);
	return strndup(p, (size_t)(e - p));
}

/* The security headers every response must carry, medsysd's or nginx's. */
static void
assert_security_headers(const struct http_response *r, const char *what)
{
	const char *csp = http_header(r, "Content-Security-Policy");
	const char *nosniff = http_header(r, "X-Content-Type-Options");
	const char *referrer = http_header(r, "Referrer-Policy");
	const char *server = http_header(r, "Server");

	ck_assert_msg(csp != NULL, "%s: no Content-Security-Policy", what);
	ck_assert_msg(http_header_count(r, "Content-Security-Policy") == 1,
	              "%s: %zu Content-Security-Policy headers", what,
	              http_header_count(r, "Content-Security-Policy"));
	ck_assert_msg(strstr(csp, "frame-ancestors 'none'") != NULL,
	              "%s: CSP without frame-ancestors 'none': %s", what, csp);
	ck_assert_msg(strstr(csp, "unsafe-inline") == NULL, "%s: CSP allows unsafe-inline: %s", what, csp);
	ck_assert_msg(nosniff != NULL && strcasecmp(nosniff, "nosniff") == 0,
	              "%s: X-Content-Type-Options is %s", what, nosniff ? nosniff : "absent");
	ck_assert_msg(referrer != NULL && *referrer != '\0', "%s: no Referrer-Policy", what);
	ck_assert_msg(server == NULL || strcmp(server, "nginx") == 0,
	              "%s: Server header shows a version: %s", what, server);
}

/* The X-Request-Id of r after checking its form (16 hex digits). */
static const char *
request_id(const struct http_response *r, const char *what)
{
	const char *id = http_header(r, "X-Request-Id");

	ck_assert_msg(id != NULL, "%s: no X-Request-Id header", what);
	ck_assert_msg(strlen(id) == 16 && strspn(id, "0123456789abcdef") == 16,
	              "%s: malformed X-Request-Id \"%s\"", what, id);
	return id;
}

/* medsysd's log line for request id (waits for it), malloc'd. */
static char *
log_line_for(const char *id, const char *what)
{
	char needle[64], *line;

	snprintf(needle, sizeof(needle), "request id=%s ", id);
	line = http_log_wait_line(needle, 5000);
	ck_assert_msg(line != NULL, "%s: request id %s is not in the medsysd log", what, id);
	return line;
}

/* An error page: the status, the shared layout (site header, footer with
 * the language link), the localized title, and a request id shown on the
 * page that is also the X-Request-Id header and is in medsysd's log with
 * the same status. */
static void
assert_error_page(const struct http_response *r, long status, const char *title,
                  const char *what)
{
	const char *ct = http_header(r, "Content-Type");
	char logstatus[32], *line;
	const char *id;

	assert_status(r, status, what);
	ck_assert_msg(ct != NULL && strncmp(ct, "text/html", 9) == 0,
	              "%s: Content-Type %s", what, ct ? ct : "absent");
	assert_has(r, "<header class=\"site\"", what);
	assert_has(r, "<footer class=\"site\"", what);
	assert_has(r, "href=\"/language/", what);
	assert_has(r, "</html>", what);
	assert_has(r, title, what);
	id = request_id(r, what);
	ck_assert_msg(http_header_count(r, "X-Request-Id") == 1, "%s: several X-Request-Id", what);
	assert_has(r, id, what);
	line = log_line_for(id, what);
	snprintf(logstatus, sizeof(logstatus), " status=%ld ", status);
	ck_assert_msg(strstr(line, logstatus) != NULL, "%s: log line disagrees on the status: %s",
	              what, line);
	free(line);
	assert_security_headers(r, what);
}

/* Spanish error titles (templates/lang/es.hdf): the default language. */
static const char *
title_es(long status)
{
	switch (status) {
	case 400: return "Solicitud no válida";
	case 403: return "Acceso denegado";
	case 404: return "Página no encontrada";
	case 405: return "Método no permitido";
	case 413: return "Envío demasiado grande";
	case 500: return "Error interno";
	default: return "?";
	}
}

/* ------------------------------------------------------------- fixtures */

/* Our own doctors: one with a specialty of our own (names differ per
 * language) and one whose name is an XSS attempt. Idempotent. */
static void
setup_data(void)
{
	int st = http_sql(
		"INSERT INTO clinic.settings (id, name) VALUES (1, 'Clínica HTTP-test') "
		"  ON CONFLICT (id) DO NOTHING;"
		"INSERT INTO clinic.specialties (code, name_es, name_en) "
		"  VALUES ('httptest_pneumo', '" MARKER_SPECIALTY_ES "', '" MARKER_SPECIALTY_EN "') "
		"  ON CONFLICT (code) DO NOTHING;"
		"INSERT INTO clinic.doctors (display_name, licence_number) "
		"  VALUES ('" MARKER_DOCTOR "', 'HTTPTEST-1'), ($x$" EVIL_DOCTOR "$x$, 'HTTPTEST-XSS') "
		"  ON CONFLICT (licence_number) DO NOTHING;"
		"INSERT INTO clinic.doctor_specialties (doctor_id, specialty_id) "
		"  SELECT d.id, s.id FROM clinic.doctors d, clinic.specialties s "
		"   WHERE d.licence_number = 'HTTPTEST-1' AND s.code = 'httptest_pneumo' "
		"  ON CONFLICT DO NOTHING;");

	ck_assert_msg(st == 0, "psql could not insert the test doctors (exit %d)", st);
}

/* Undo the column rename of test_500 even when that test failed. */
static void
restore_column(void)
{
	http_sql("DO $$ BEGIN "
	         "IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'clinic' "
	         "AND table_name = 'doctors' AND column_name = 'display_name_x') THEN "
	         "ALTER TABLE clinic.doctors RENAME COLUMN display_name_x TO display_name; "
	         "END IF; END $$;");
}

/* ------------------------------------------------------------ home page */

/* The clinic's name and tagline in language lang, from the database. */
static void
assert_clinic(const struct http_response *r, const char *lang, const char *what)
{
	char *name = http_sql_line("SELECT name FROM clinic.settings WHERE id = 1");
	char sql[128], *tagline, *esc;

	ck_assert_msg(name != NULL && *name, "no clinic name in the database");
	esc = html_escape(name);
	assert_has(r, esc, what);
	free(esc);
	free(name);
	snprintf(sql, sizeof(sql), "SELECT tagline_%s FROM clinic.settings WHERE id = 1", lang);
	tagline = http_sql_line(sql);
	ck_assert_ptr_nonnull(tagline);
	if (*tagline) {
		esc = html_escape(tagline);
		assert_has(r, esc, what);
		free(esc);
	}
	free(tagline);
}

static void
assert_marker_doctor(const struct http_response *r, const char *specialty, const char *what)
{
	char *item = doctor_item(r, MARKER_DOCTOR);

	ck_assert_msg(item != NULL, "%s: the doctor %s is not listed", what, MARKER_DOCTOR);
	ck_assert_msg(strstr(item, specialty) != NULL, "%s: the doctor's entry lacks the specialty %s: %s",
	              what, specialty, item);
	free(item);
}

START_TEST(test_home_spanish_by_default)
{
	struct http_response r;

	get(&r, "/", NULL);
	assert_status(&r, 200, "GET /");
	assert_has(&r, "<html lang=\"es\"", "GET /");
	assert_has(&r, "Nuestros médicos", "GET /");
	assert_lacks(&r, "Our doctors", "GET /");
	assert_has(&r, "href=\"/language/en?next=", "GET / (footer switch to English)");
	assert_clinic(&r, "es", "GET /");
	assert_marker_doctor(&r, MARKER_SPECIALTY_ES, "GET /");
	ck_assert_str_eq(http_header(&r, "Content-Language") ? http_header(&r, "Content-Language") : "", "es");
	http_response_free(&r);
}
END_TEST

START_TEST(test_home_english_from_accept_language)
{
	struct http_response r;
	const char *what = "GET / (Accept-Language: en-GB,en;q=0.9)";

	get(&r, "/", HDRS("Accept-Language: en-GB,en;q=0.9"));
	assert_status(&r, 200, what);
	assert_has(&r, "<html lang=\"en\"", what);
	assert_has(&r, "Our doctors", what);
	assert_lacks(&r, "Nuestros médicos", what);
	assert_has(&r, "href=\"/language/es?next=", what);
	assert_clinic(&r, "en", what);
	assert_marker_doctor(&r, MARKER_SPECIALTY_EN, what);
	assert_lacks(&r, MARKER_SPECIALTY_ES, what);
	http_response_free(&r);
}
END_TEST

START_TEST(test_home_accept_language_q_values)
{
	struct http_response r;

	get(&r, "/", HDRS("Accept-Language: fr, es;q=0.5"));
	assert_status(&r, 200, "fr, es;q=0.5");
	assert_has(&r, "<html lang=\"es\"", "fr, es;q=0.5");
	assert_has(&r, "Nuestros médicos", "fr, es;q=0.5");
	assert_marker_doctor(&r, MARKER_SPECIALTY_ES, "fr, es;q=0.5");
	http_response_free(&r);

	get(&r, "/", HDRS("Accept-Language: es;q=0.2, en;q=0.8"));
	assert_status(&r, 200, "es;q=0.2, en;q=0.8");
	assert_has(&r, "<html lang=\"en\"", "es;q=0.2, en;q=0.8");
	assert_has(&r, "Our doctors", "es;q=0.2, en;q=0.8");
	http_response_free(&r);
}
END_TEST

START_TEST(test_home_escapes_doctor_names)
{
	struct http_response r;
	const char *p;
	char *item;

	get(&r, "/", NULL);
	assert_status(&r, 200, "GET /");
	assert_has(&r, "&lt;script&gt;alert(1)&lt;/script&gt;", "GET / (escaped name)");
	assert_lacks(&r, "<script>alert(1)", "GET / (raw name)");
	/* The quotes and the ampersand after it are escaped too. */
	p = strstr(r.body, "alert(1)&lt;/script&gt;");
	ck_assert_ptr_nonnull(p);
	p += strlen("alert(1)&lt;/script&gt;");
	item = strndup(p, strcspn(p, "<"));
	ck_assert_msg(strchr(item, '"') == NULL && strchr(item, '\'') == NULL,
	              "quotes of the doctor's name are not escaped: %s", item);
	ck_assert_msg(strstr(item, "&amp;") != NULL, "the doctor's '&' is not escaped: %s", item);
	free(item);
	http_response_free(&r);
}
END_TEST

/* ------------------------------------------------------------- language */

/* Set-Cookie "lang=VALUE; attrs": the attribute named attr (with "=..."
 * when it has a value), case-insensitively, or NULL. */
static const char *
cookie_attr(const char *cookie, const char *attr)
{
	size_t n = strlen(attr);

	for (const char *p = strchr(cookie, ';'); p != NULL; p = strchr(p + 1, ';')) {
		const char *a = p + 1;

		while (*a == ' ')
			a++;
		if (strncasecmp(a, attr, n) == 0 && (a[n] == ';' || a[n] == '\0' || a[n] == '='))
			return a;
	}
	return NULL;
}

START_TEST(test_language_switch_sets_cookie)
{
	struct http_response r;
	const char *loc, *cookie, *age;

	get(&r, "/language/en?next=/", NULL);
	assert_status(&r, 303, "GET /language/en?next=/");
	loc = http_header(&r, "Location");
	ck_assert_msg(loc != NULL && strcmp(loc, "/") == 0, "Location: %s", loc ? loc : "absent");
	ck_assert_uint_eq(http_header_count(&r, "Set-Cookie"), 1);
	cookie = http_header(&r, "Set-Cookie");
	ck_assert_msg(strncmp(cookie, "lang=en;", 8) == 0, "Set-Cookie: %s", cookie);
	ck_assert_msg(cookie_attr(cookie, "Path=/") != NULL, "no Path=/: %s", cookie);
	ck_assert_msg(cookie_attr(cookie, "HttpOnly") != NULL, "no HttpOnly: %s", cookie);
	ck_assert_msg(cookie_attr(cookie, "SameSite=Lax") != NULL, "no SameSite=Lax: %s", cookie);
	ck_assert_msg(cookie_attr(cookie, "Secure") == NULL, "Secure on plain HTTP: %s", cookie);
	/* Remembered across browser restarts. */
	age = cookie_attr(cookie, "Max-Age");
	ck_assert_msg((age != NULL && atol(age + 8) > 0) || cookie_attr(cookie, "Expires") != NULL,
	              "the language cookie is a session cookie: %s", cookie);
	assert_security_headers(&r, "GET /language/en");
	http_response_free(&r);

	/* Back to the page the user was on. */
	get(&r, "/language/es?next=/healthz", NULL);
	assert_status(&r, 303, "GET /language/es?next=/healthz");
	loc = http_header(&r, "Location");
	ck_assert_msg(loc != NULL && strcmp(loc, "/healthz") == 0, "Location: %s", loc ? loc : "absent");
	cookie = http_header(&r, "Set-Cookie");
	ck_assert_msg(cookie != NULL && strncmp(cookie, "lang=es;", 8) == 0, "Set-Cookie: %s",
	              cookie ? cookie : "absent");
	http_response_free(&r);
}
END_TEST

START_TEST(test_language_cookie_beats_accept_language)
{
	struct http_response r;

	get(&r, "/", HDRS("Cookie: lang=en", "Accept-Language: es"));
	assert_status(&r, 200, "GET / (lang=en, Accept-Language es)");
	assert_has(&r, "<html lang=\"en\"", "GET / (lang=en, Accept-Language es)");
	assert_has(&r, "Our doctors", "GET / (lang=en, Accept-Language es)");
	http_response_free(&r);

	get(&r, "/", HDRS("Cookie: other=1; lang=es", "Accept-Language: en"));
	assert_status(&r, 200, "GET / (lang=es, Accept-Language en)");
	assert_has(&r, "<html lang=\"es\"", "GET / (lang=es, Accept-Language en)");
	assert_has(&r, "Nuestros médicos", "GET / (lang=es, Accept-Language en)");
	http_response_free(&r);
}
END_TEST

static const char *const redirect_attempts[] = {
	"/language/en?next=//evil.example",
	"/language/en?next=%2F%2Fevil.example",
	"/language/en?next=https://evil.example",
	"/language/en?next=https%3A%2F%2Fevil.example%2F",
	"/language/en?next=/\\evil",
	"/language/en?next=%2F%5Cevil",
	"/language/en?next=/%09/evil.example",
	"/language/en?next=/%0d%0aSet-Cookie:%20session=evil",
	"/language/en?next=evil.example",
	"/language/en",
};

START_TEST(test_language_no_open_redirect)
{
	struct http_response r;
	const char *path = redirect_attempts[_i], *loc;

	get(&r, path, NULL);
	assert_status(&r, 303, path);
	loc = http_header(&r, "Location");
	ck_assert_msg(loc != NULL && strcmp(loc, "/") == 0, "%s: Location: %s", path,
	              loc ? loc : "absent");
	ck_assert_msg(http_header_count(&r, "Set-Cookie") == 1, "%s: %zu Set-Cookie headers", path,
	              http_header_count(&r, "Set-Cookie"));
	http_response_free(&r);
}
END_TEST

/* ------------------------------------------------------ security headers */

static char *
big_body(size_t n)
{
	char *b = malloc(n);

	ck_assert_ptr_nonnull(b);
	memcpy(b, "a=", 2);
	memset(b + 2, 'x', n - 2);
	return b;
}

START_TEST(test_security_headers_everywhere)
{
	struct http_response r;
	char *body = big_body(3 << 20);
	const char *evil = "Origin: http://evil.example";
	struct {
		const char *method, *path, *origin;
		const char *body;
		size_t len;
		long status;
	} cases[] = {
		{ "GET", "/", NULL, NULL, 0, 200 },
		{ "HEAD", "/", NULL, NULL, 0, 200 },
		{ "GET", "/nope", NULL, NULL, 0, 404 },
		{ "POST", "/", same_origin(), "a=1", 3, 405 },
		{ "GET", "/?a=%zz", NULL, NULL, 0, 400 },
		{ "POST", "/language/en", evil, "a=1", 3, 403 },
		{ "POST", "/", same_origin(), body, 3 << 20, 413 },
		{ "GET", "/healthz", NULL, NULL, 0, 200 },
		{ "GET", "/static/style.css", NULL, NULL, 0, 200 },
		{ "GET", "/language/en?next=/", NULL, NULL, 0, 303 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char what[128];

		snprintf(what, sizeof(what), "%s %s", cases[i].method, cases[i].path);
		fetch(&r, cases[i].method, cases[i].path,
		      cases[i].origin ? HDRS(cases[i].origin) : NULL, cases[i].body,
		      cases[i].len, cases[i].body ? "application/x-www-form-urlencoded" : NULL);
		assert_status(&r, cases[i].status, what);
		assert_security_headers(&r, what);
		http_response_free(&r);
	}
	free(body);
}
END_TEST

/* ---------------------------------------------------------- error pages */

START_TEST(test_404)
{
	struct http_response r;

	get(&r, "/nope", NULL);
	assert_error_page(&r, 404, title_es(404), "GET /nope");
	assert_has(&r, "<html lang=\"es\"", "GET /nope");
	http_response_free(&r);
}
END_TEST

START_TEST(test_error_pages_localized)
{
	struct http_response r;

	get(&r, "/nope", HDRS("Accept-Language: en"));
	assert_error_page(&r, 404, "Page not found", "GET /nope (en)");
	assert_has(&r, "<html lang=\"en\"", "GET /nope (en)");
	assert_lacks(&r, title_es(404), "GET /nope (en)");
	http_response_free(&r);

	get(&r, "/?a=%zz", HDRS("Cookie: lang=en"));
	assert_error_page(&r, 400, "Bad request", "GET /?a=%zz (lang=en)");
	http_response_free(&r);
}
END_TEST

START_TEST(test_405)
{
	struct http_response r;
	const char *allow;

	fetch(&r, "POST", "/", HDRS(same_origin()), "a=1", 3, "application/x-www-form-urlencoded");
	assert_error_page(&r, 405, title_es(405), "POST /");
	allow = http_header(&r, "Allow");
	ck_assert_msg(allow != NULL && strstr(allow, "GET") != NULL, "POST /: Allow: %s",
	              allow ? allow : "absent");
	ck_assert_msg(strstr(allow, "POST") == NULL, "POST /: Allow lists POST: %s", allow);
	http_response_free(&r);
}
END_TEST

static const char *const bad_requests[] = {
	"/?a=%zz",
	"/?a=%ff",
	"/%ff",
};

START_TEST(test_400)
{
	struct http_response r;

	get(&r, bad_requests[_i], NULL);
	assert_error_page(&r, 400, title_es(400), bad_requests[_i]);
	http_response_free(&r);
}
END_TEST

START_TEST(test_403_cross_site_post)
{
	struct http_response r;

	fetch(&r, "POST", "/language/en", HDRS("Origin: http://evil.example"), "x=1", 3,
	      "application/x-www-form-urlencoded");
	assert_error_page(&r, 403, title_es(403), "cross-site POST /language/en");
	ck_assert_msg(http_header(&r, "Set-Cookie") == NULL, "the refused POST set a cookie: %s",
	              http_header(&r, "Set-Cookie"));
	http_response_free(&r);

	/* Refused before routing: not even a 404 or 405 gives the path away. */
	fetch(&r, "POST", "/nope", HDRS("Origin: https://evil.example"), "x=1", 3,
	      "application/x-www-form-urlencoded");
	assert_error_page(&r, 403, title_es(403), "cross-site POST /nope");
	http_response_free(&r);

	/* A look-alike host is another site. */
	fetch(&r, "POST", "/", HDRS("Origin: http://127.0.0.1.evil.example"), "x=1", 3,
	      "application/x-www-form-urlencoded");
	assert_error_page(&r, 403, title_es(403), "cross-site POST / (look-alike host)");
	http_response_free(&r);
}
END_TEST

START_TEST(test_413_medsysd)
{
	struct http_response r;
	size_t n = 3 << 19;	/* 1.5 MiB: over medsysd's 1 MiB, under nginx's 2 MiB */
	char *body = big_body(n);

	fetch(&r, "POST", "/", HDRS(same_origin()), body, n, "application/x-www-form-urlencoded");
	assert_error_page(&r, 413, title_es(413), "POST / (1.5 MiB)");
	http_response_free(&r);
	free(body);
}
END_TEST

START_TEST(test_413_nginx)
{
	struct http_response r;
	size_t n = 3 << 20;	/* 3 MiB: over nginx's client_max_body_size */
	char *body = big_body(n);
	const char *id;
	char *line;

	fetch(&r, "POST", "/", HDRS(same_origin()), body, n, "application/x-www-form-urlencoded");
	assert_error_page(&r, 413, title_es(413), "POST / (3 MiB)");
	/* Rendered by medsysd for nginx. */
	id = request_id(&r, "POST / (3 MiB)");
	line = log_line_for(id, "POST / (3 MiB)");
	ck_assert_msg(strstr(line, "path=\"/_error/413\"") != NULL, "log: %s", line);
	free(line);
	http_response_free(&r);
	free(body);
}
END_TEST

START_TEST(test_500_database_error)
{
	struct http_response r, again;
	int renamed, restored, got;

	renamed = http_sql("ALTER TABLE clinic.doctors RENAME COLUMN display_name TO display_name_x");
	ck_assert_msg(renamed == 0, "psql could not rename the column (exit %d)", renamed);
	got = http_get("/", NULL, &r);
	restored = http_sql("ALTER TABLE clinic.doctors RENAME COLUMN display_name_x TO display_name");
	ck_assert_msg(got == 0, "GET / while the column is renamed: %s", r.error);
	ck_assert_msg(restored == 0, "psql could not rename the column back (exit %d)", restored);
	assert_error_page(&r, 500, title_es(500), "GET / (broken query)");
	assert_lacks(&r, "display_name", "GET / (broken query)");
	http_response_free(&r);

	/* Every worker recovers once the schema is right again. */
	for (int i = 0; i < 6; i++) {
		get(&again, "/", NULL);
		assert_status(&again, 200, "GET / (column restored)");
		assert_has(&again, MARKER_DOCTOR, "GET / (column restored)");
		http_response_free(&again);
	}
}
END_TEST

/* ---------------------------------------------------- methods, healthz */

START_TEST(test_head)
{
	struct http_response r;

	fetch(&r, "HEAD", "/", NULL, NULL, 0, NULL);
	assert_status(&r, 200, "HEAD /");
	ck_assert_uint_eq(r.body_len, 0);
	ck_assert_msg(http_header(&r, "Content-Type") != NULL &&
	              strncmp(http_header(&r, "Content-Type"), "text/html", 9) == 0,
	              "HEAD /: Content-Type %s", http_header(&r, "Content-Type"));
	assert_security_headers(&r, "HEAD /");
	http_response_free(&r);
}
END_TEST

static const char *const odd_methods[] = { "PROPFIND", "TRACE", "PUT", "DELETE", "OPTIONS", "PATCH", "FOO" };

START_TEST(test_unknown_method)
{
	struct http_response r;
	const char *m = odd_methods[_i];

	fetch(&r, m, "/", NULL, NULL, 0, NULL);
	ck_assert_msg(r.status >= 400 && r.status < 500, "%s /: status %ld", m, r.status);
	http_response_free(&r);
	/* The site still works. */
	get(&r, "/", NULL);
	assert_status(&r, 200, "GET / afterwards");
	http_response_free(&r);
}
END_TEST

/* The newest migration file in the source tree (what the stack applied). */
static char *
newest_migration(void)
{
	char *dir = it_fmt("%s/sql/migrations", it_env("MEDSYS_SRCDIR"));
	DIR *d = opendir(dir);
	struct dirent *e;
	char newest[256] = "";

	ck_assert_msg(d != NULL, "cannot open %s", dir);
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n > 4 && strcmp(e->d_name + n - 4, ".sql") == 0 && strcmp(e->d_name, newest) > 0)
			snprintf(newest, sizeof(newest), "%s", e->d_name);
	}
	closedir(d);
	free(dir);
	return it_fmt("%s", newest);
}

/* /healthz says what the database told it: "ok", then the round trip,
 * the newest applied migration and the server's role; the body follows
 * the database, it is not a constant. */
START_TEST(test_healthz)
{
	struct http_response r;
	char *newest = newest_migration(), schema[256] = "", role[16] = "";
	double ms = -1;
	int used = 0;

	get(&r, "/healthz", NULL);
	assert_status(&r, 200, "GET /healthz");
	ck_assert_msg(sscanf(r.body, "ok\ndatabase: up, %lf ms, schema %255[^,], %15[a-z]\n%n", &ms, schema, role,
	                     &used) == 3 && used == (int)r.body_len, "GET /healthz: body \"%s\"", r.body);
	ck_assert_msg(ms >= 0 && ms < 5000, "GET /healthz: round trip %f ms", ms);
	ck_assert_str_eq(schema, newest);
	ck_assert_str_eq(role, "primary");
	http_response_free(&r);
	/* A newer migration recorded in the database shows at once. */
	it_sql("INSERT INTO public.schema_migrations (version, checksum) VALUES ('999_health_probe.sql', 'x')");
	get(&r, "/healthz", NULL);
	it_sql("DELETE FROM public.schema_migrations WHERE version = '999_health_probe.sql'");
	assert_status(&r, 200, "GET /healthz (probe migration)");
	assert_has(&r, "schema 999_health_probe.sql, primary\n", "GET /healthz (probe migration)");
	http_response_free(&r);
	free(newest);
}
END_TEST

/* ------------------------------------------------------------ logging */

static const struct {
	const char *path, *escaped;
} log_cases[] = {
	{ "/a%0d%0ab", "path=\"/a\\x0d\\x0ab\"" },
	{ "/%1b[31m", "path=\"/\\x1b[31m\"" },
	{ "/q%22%5c%7f", "path=\"/q\\x22\\x5c\\x7f\"" },
};

START_TEST(test_log_line_hygiene)
{
	struct http_response r;
	const char *id;
	char *line, *log, what[128];
	size_t len, lines_with_id = 0;
	char needle[40];

	snprintf(what, sizeof(what), "GET %s", log_cases[_i].path);
	get(&r, log_cases[_i].path, NULL);
	ck_assert_msg(r.status >= 400 && r.status < 500, "%s: status %ld", what, r.status);
	id = request_id(&r, what);
	line = log_line_for(id, what);
	ck_assert_msg(strncmp(line, "request id=", 11) == 0, "%s: log line split: %s", what, line);
	ck_assert_msg(strstr(line, log_cases[_i].escaped) != NULL, "%s: log line %s lacks %s",
	              what, line, log_cases[_i].escaped);
	ck_assert_msg(strstr(line, " ms=") != NULL, "%s: log line cut short: %s", what, line);
	free(line);

	log = http_log_read(&len);
	ck_assert_ptr_nonnull(log);
	for (size_t i = 0; i < len; i++)
		ck_assert_msg(log[i] == '\n' || log[i] == '\t' || (unsigned char)log[i] >= 0x20,
		              "%s: raw control byte 0x%02x in the medsysd log at offset %zu", what,
		              (unsigned char)log[i], i);
	snprintf(needle, sizeof(needle), "id=%s", id);
	for (const char *p = log; (p = strstr(p, needle)) != NULL; p++)
		lines_with_id++;
	ck_assert_msg(lines_with_id == 1, "%s: request id in %zu log lines", what, lines_with_id);
	free(log);
	http_response_free(&r);
}
END_TEST

/* ----------------------------------------------------- bad input battery */

struct battery {
	size_t sent;
	size_t failures;
	char report[2048];
};

/* Send one hostile request: its answer must be 2xx or 4xx. When expect is
 * non-zero the status must be exactly that. */
static void
hostile(struct battery *b, long expect, const char *method, const char *path,
        const char *const *headers, const char *body, size_t len, const char *ctype)
{
	struct http_request rq = {
		.method = method, .path = path, .headers = headers,
		.body = body, .body_len = len, .content_type = ctype,
	};
	struct http_response r;
	int rc = http_request(&rq, &r);
	/* The language route is the one that redirects (303) by design. */
	int redirect_ok = r.status == 303 && strncmp(path, "/language/", 10) == 0;
	int bad = rc != 0 || (expect ? r.status != expect : !((r.status >= 200 && r.status < 300) ||
	                                                     (r.status >= 400 && r.status < 500) ||
	                                                     redirect_ok));

	b->sent++;
	if (bad) {
		size_t used = strlen(b->report);

		if (b->failures++ < 8)
			snprintf(b->report + used, sizeof(b->report) - used, "\n  %s %s -> %ld%s%s",
			         method ? method : "GET", brief(path), r.status,
			         rc ? ": " : "", rc ? r.error : "");
	}
	http_response_free(&r);
}

static void
hostile_get(struct battery *b, long expect, const char *path)
{
	hostile(b, expect, NULL, path, NULL, NULL, 0, NULL);
}

/* fmt with one %s replaced by s, malloc'd. */
static char *
subst(const char *fmt, const char *s)
{
	const char *at = strstr(fmt, "%s");
	size_t n = strlen(fmt) + strlen(s);
	char *out = malloc(n + 1);

	ck_assert_ptr_nonnull(at);
	ck_assert_ptr_nonnull(out);
	memcpy(out, fmt, (size_t)(at - fmt));
	strcpy(out + (at - fmt), s);
	strcat(out, at + 2);
	return out;
}

/* A string of n copies of unit (malloc'd), after prefix. */
static char *
repeat(const char *prefix, const char *unit, size_t n)
{
	size_t pl = strlen(prefix), ul = strlen(unit);
	char *out = malloc(pl + ul * n + 1);

	ck_assert_ptr_nonnull(out);
	memcpy(out, prefix, pl);
	for (size_t i = 0; i < n; i++)
		memcpy(out + pl + i * ul, unit, ul);
	out[pl + ul * n] = '\0';
	return out;
}

static unsigned long rng_state;

static unsigned
rng(unsigned n)
{
	rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)((rng_state >> 33) % n);
}

static void
battery_bad_percent(struct battery *b)
{
	static const char *const escapes[] = { "%", "%z", "%zz", "%g1", "%1", "%%", "%-1", "%+1",
	                                       "%0", "a%", "%%41", "%x41", "%u0041" };
	static const char *const at[] = { "/?a=%s", "/?%s=1", "/?a=1&b=%s&c=3", "/x%s", "/language/en?next=%s" };
	static const char alphabet[] = "%zZgG19aF+=&";

	for (size_t i = 0; i < sizeof(escapes) / sizeof(escapes[0]); i++)
		for (size_t j = 0; j < sizeof(at) / sizeof(at[0]); j++) {
			char *p = subst(at[j], escapes[i]);

			/* A broken query is a 400 wherever it is; paths are nginx's. */
			hostile_get(b, j < 3 ? 400 : 0, p);
			free(p);
		}
	rng_state = 1;
	for (int i = 0; i < 60; i++) {
		char q[16] = "", *p;
		unsigned n = 1 + rng(8);

		for (unsigned k = 0; k < n; k++)
			q[k] = alphabet[rng(sizeof(alphabet) - 1)];
		p = subst("/?q=%s", q);
		hostile_get(b, 0, p);
		free(p);
	}
}

static void
battery_bad_utf8(struct battery *b)
{
	static const char *const seqs[] = { "%ff", "%fe", "%80", "%bf", "%c0%af", "%c1%bf", "%e0%80%af",
	                                    "%ed%a0%80", "%f4%90%80%80", "%f8%88%80%80%80", "%e2%82",
	                                    "%c3", "%f0%9f%98", "%c3%28", "a%e9b" };
	static const char *const at[] = { "/?a=%s", "/?%s=1", "/%s", "/healthz%s", "/?a=ok&b=x%s" };
	static const char *const raw[] = { "\xff\xfe", "\xc3\x28", "\xed\xa0\x80", "\xe2\x82" };

	for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++)
		for (size_t j = 0; j < sizeof(at) / sizeof(at[0]); j++) {
			char *p = subst(at[j], seqs[i]);

			hostile_get(b, 400, p);
			free(p);
		}
	/* Cookies and Accept-Language come from anywhere: the page still works. */
	for (size_t i = 0; i < sizeof(raw) / sizeof(raw[0]); i++) {
		char c[64], al[64];

		snprintf(c, sizeof(c), "Cookie: lang=%s; x=%s", raw[i], raw[i]);
		snprintf(al, sizeof(al), "Accept-Language: %s, en;q=0.1", raw[i]);
		hostile(b, 200, NULL, "/", HDRS(c), NULL, 0, NULL);
		hostile(b, 200, NULL, "/", HDRS(al), NULL, 0, NULL);
	}
}

static void
battery_nul(struct battery *b)
{
	static const char *const paths[] = { "/?a=%00", "/?%00=1", "/?a=b%00c", "/?a=%00%00%00",
	                                     "/?a=1&%00", "/?a=%c0%80" };
	static const char *const nginx_paths[] = { "/%00", "/a%00b", "/healthz%00", "/%00/../" };

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		hostile_get(b, 400, paths[i]);
	for (size_t i = 0; i < sizeof(nginx_paths) / sizeof(nginx_paths[0]); i++)
		hostile_get(b, 0, nginx_paths[i]);
	hostile(b, 0, "POST", "/", HDRS(same_origin()), "a=%00", 5, "application/x-www-form-urlencoded");
	hostile(b, 0, "POST", "/", HDRS(same_origin()), "a\0b=1", 5, "application/x-www-form-urlencoded");
}

static void
battery_long(struct battery *b)
{
	char *q = repeat("/?a=", "x", 100 * 1024);
	char *path = repeat("/", "y", 100 * 1024);
	char *fits = repeat("/?a=", "z", 6 * 1024);
	char *cookie = repeat("Cookie: a=", "c", 20 * 1024);
	char *cookies = repeat("Cookie: x=1", "; k=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv", 180);
	char *al = repeat("Accept-Language: en", ", es;q=0.5", 2000);

	hostile_get(b, 0, q);		/* nginx may answer 414 */
	hostile_get(b, 0, path);
	hostile_get(b, 200, fits);
	hostile(b, 0, NULL, "/", HDRS(cookie), NULL, 0, NULL);
	hostile(b, 0, NULL, "/", HDRS(cookies), NULL, 0, NULL);
	hostile(b, 0, NULL, "/", HDRS(al), NULL, 0, NULL);
	free(q);
	free(path);
	free(fits);
	free(cookie);
	free(cookies);
	free(al);
}

static void
battery_params(struct battery *b)
{
	char *many = repeat("/?", "a=1&", 5000);
	char *over = repeat("/?", "a=1&", 300);
	char *under = repeat("/?", "b=2&", 200);
	char *body = repeat("", "a=1&", 5000);

	hostile_get(b, 200, "/?a=1&a=2&a=1");
	hostile_get(b, 200, "/?a&b&c");
	hostile_get(b, 200, "/?=1&&&=&");
	hostile_get(b, 200, "/?lang=en&lang=es&next=/&next=//evil");
	hostile_get(b, 200, under);
	hostile_get(b, 400, over);	/* more than medsysd's 256 fields */
	hostile_get(b, 0, many);	/* nginx may answer 414 first */
	hostile(b, 0, "POST", "/", HDRS(same_origin()), body, strlen(body), "application/x-www-form-urlencoded");
	free(many);
	free(over);
	free(under);
	free(body);
}

static void
battery_bodies(struct battery *b)
{
	static const char truncated[] =
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n"
		"--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.pdf\"\r\n"
		"Content-Type: application/pdf\r\n\r\n%PDF-1.4 trunc";
	static const char good_parts[] =
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n--XyZ--\r\n";
	static const char *const targets[] = { "/", "/language/en", "/nope" };
	static const struct {
		const char *body, *ctype;
	} cases[] = {
		{ truncated, "multipart/form-data; boundary=XyZ" },
		{ good_parts, "multipart/form-data" },
		{ good_parts, "multipart/form-data; boundary=" },
		{ good_parts, "multipart/form-data; boundary=\"unterminated" },
		{ "--XyZ", "multipart/form-data; boundary=XyZ" },
		{ "\r\n\r\n", "multipart/form-data; boundary=XyZ" },
		{ "a=%zz&b=%ff", "application/x-www-form-urlencoded" },
		{ "{\"a\":1}", "application/json" },
		{ "a=1", "text/plain; charset=\xff" },
		{ "a=1", NULL },
	};

	for (size_t t = 0; t < sizeof(targets) / sizeof(targets[0]); t++)
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			hostile(b, 0, "POST", targets[t], HDRS(same_origin()), cases[i].body,
			        strlen(cases[i].body), cases[i].ctype);
	/* A Content-Length the body never reaches: nginx times out or refuses. */
	hostile(b, 0, "POST", "/", HDRS(same_origin(), "Content-Length: abc"), "a=1", 3,
	        "application/x-www-form-urlencoded");
}

/* Random paths and queries of %-encoded bytes with random methods. */
static void
battery_random(struct battery *b)
{
	static const char *const methods[] = { "GET", "GET", "GET", "HEAD", "POST", "PUT", "OPTIONS" };
	static const char *const prefixes[] = { "/", "/?", "/?a=", "/language/", "/healthz?", "/static/" };

	rng_state = 20240601;
	for (int i = 0; i < 200; i++) {
		char path[512];
		size_t o = 0, n = rng(40);
		const char *m = methods[rng(sizeof(methods) / sizeof(methods[0]))];

		o = (size_t)snprintf(path, sizeof(path), "%s", prefixes[rng(sizeof(prefixes) / sizeof(prefixes[0]))]);
		for (size_t k = 0; k < n; k++) {
			unsigned c = rng(4) == 0 ? rng(256) : 'a' + rng(26);
			unsigned kind = rng(6);

			if (kind == 0)
				o += (size_t)snprintf(path + o, sizeof(path) - o, "%%%02x", c);
			else if (kind == 1)
				path[o++] = "=&+;,/._-~"[rng(10)];
			else if (isalnum((int)c))
				path[o++] = (char)c;
			else
				o += (size_t)snprintf(path + o, sizeof(path) - o, "%%%02X", c);
		}
		path[o] = '\0';
		if (strcmp(m, "POST") == 0)
			hostile(b, 0, m, path, HDRS(same_origin()), path, o, "application/x-www-form-urlencoded");
		else
			hostile(b, 0, m, path, NULL, NULL, 0, NULL);
	}
}

static const struct {
	const char *name;
	void (*run)(struct battery *);
} battery_classes[] = {
	{ "bad %-encoding", battery_bad_percent },
	{ "invalid UTF-8", battery_bad_utf8 },
	{ "NUL bytes", battery_nul },
	{ "very long input", battery_long },
	{ "duplicate and many parameters", battery_params },
	{ "malformed bodies", battery_bodies },
	{ "random input", battery_random },
};

START_TEST(test_bad_input_battery)
{
	struct battery b = { 0 };
	struct http_response r;
	long pid = http_medsysd_pid();
	char *log;

	ck_assert_msg(pid > 0, "cannot read the medsysd pid from $MEDSYS_PIDFILE");
	battery_classes[_i].run(&b);
	ck_assert_msg(b.failures == 0, "%s: %zu of %zu requests answered wrongly:%s",
	              battery_classes[_i].name, b.failures, b.sent, b.report);

	get(&r, "/", NULL);
	assert_status(&r, 200, "GET / after the battery");
	assert_has(&r, MARKER_DOCTOR, "GET / after the battery");
	http_response_free(&r);
	ck_assert_msg(http_medsysd_pid() == pid, "the medsysd parent changed: %ld -> %ld", pid,
	              http_medsysd_pid());
	log = http_log_read(NULL);
	ck_assert_ptr_nonnull(log);
	ck_assert_msg(strstr(log, "killed by signal") == NULL, "%s: a medsysd worker crashed: %s",
	              battery_classes[_i].name, strstr(log, "killed by signal"));
	free(log);
}
END_TEST

/* ---------------------------------------------------------------- suite */

static Suite *
http_suite(void)
{
	Suite *s = suite_create("http");
	TCase *tc;

	tc = tcase_create("pages");
	tcase_add_checked_fixture(tc, setup_data, NULL);
	tcase_add_test(tc, test_home_spanish_by_default);
	tcase_add_test(tc, test_home_english_from_accept_language);
	tcase_add_test(tc, test_home_accept_language_q_values);
	tcase_add_test(tc, test_home_escapes_doctor_names);
	tcase_add_test(tc, test_language_switch_sets_cookie);
	tcase_add_test(tc, test_language_cookie_beats_accept_language);
	tcase_add_loop_test(tc, test_language_no_open_redirect, 0,
	                    sizeof(redirect_attempts) / sizeof(redirect_attempts[0]));
	tcase_add_test(tc, test_head);
	tcase_add_loop_test(tc, test_unknown_method, 0, sizeof(odd_methods) / sizeof(odd_methods[0]));
	tcase_add_test(tc, test_healthz);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup_data, NULL);
	tcase_add_test(tc, test_security_headers_everywhere);
	tcase_add_test(tc, test_404);
	tcase_add_test(tc, test_error_pages_localized);
	tcase_add_test(tc, test_405);
	tcase_add_loop_test(tc, test_400, 0, sizeof(bad_requests) / sizeof(bad_requests[0]));
	tcase_add_test(tc, test_403_cross_site_post);
	tcase_add_test(tc, test_413_medsysd);
	tcase_add_test(tc, test_413_nginx);
	tcase_add_loop_test(tc, test_log_line_hygiene, 0, sizeof(log_cases) / sizeof(log_cases[0]));
	suite_add_tcase(s, tc);

	/* Breaks the home query for a moment; the teardown repairs it even
	 * when the test failed half-way. */
	tc = tcase_create("database");
	tcase_add_checked_fixture(tc, setup_data, NULL);
	tcase_add_unchecked_fixture(tc, NULL, restore_column);
	tcase_add_test(tc, test_500_database_error);
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile");
	tcase_add_checked_fixture(tc, setup_data, NULL);
	tcase_add_loop_test(tc, test_bad_input_battery, 0,
	                    sizeof(battery_classes) / sizeof(battery_classes[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	if (getenv("MEDSYS_URL") == NULL) {
		fprintf(stderr, "test_http: MEDSYS_URL is not set; run me through "
		                "tests/harness/with-stack tests/integration/http.stack\n");
		return 99;
	}
	/* Each test takes seconds; allow a slow (sanitizer) stack unless the
	 * caller chose a timeout. */
	setenv("CK_DEFAULT_TIMEOUT", "60", 0);
	sr = srunner_create(http_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	http_client_cleanup();
	return failed == 0 ? 0 : 1;
}
