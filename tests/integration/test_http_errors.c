/* test_http_errors: security headers on every response and the error
 * pages (400, 403, 404, 405, 413 from medsysd and from nginx, 500 on a
 * database error), localized, with the request id on the page, in the
 * header and in medsysd's log (part of test_http, see http_test.h). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_client.h"
#include "http_test.h"
#include "../check_util.h"

void
ht_assert_security_headers(const struct http_response *r, const char *what)
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

const char *
ht_request_id(const struct http_response *r, const char *what)
{
	const char *id = http_header(r, "X-Request-Id");

	ck_assert_msg(id != NULL, "%s: no X-Request-Id header", what);
	ck_assert_msg(strlen(id) == 16 && strspn(id, "0123456789abcdef") == 16,
	              "%s: malformed X-Request-Id \"%s\"", what, id);
	return id;
}

char *
ht_log_line_for(const char *id, const char *what)
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

	it_assert_status(r, status, what);
	ck_assert_msg(ct != NULL && strncmp(ct, "text/html", 9) == 0,
	              "%s: Content-Type %s", what, ct ? ct : "absent");
	it_assert_has(r, "<header class=\"site\"", what);
	it_assert_has(r, "<footer class=\"site\"", what);
	it_assert_has(r, "href=\"/language/", what);
	it_assert_has(r, "</html>", what);
	it_assert_has(r, title, what);
	id = ht_request_id(r, what);
	ck_assert_msg(http_header_count(r, "X-Request-Id") == 1, "%s: several X-Request-Id", what);
	it_assert_has(r, id, what);
	line = ht_log_line_for(id, what);
	snprintf(logstatus, sizeof(logstatus), " status=%ld ", status);
	ck_assert_msg(strstr(line, logstatus) != NULL, "%s: log line disagrees on the status: %s",
	              what, line);
	free(line);
	ht_assert_security_headers(r, what);
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
		{ "POST", "/", ht_same_origin(), "a=1", 3, 405 },
		{ "GET", "/?a=%zz", NULL, NULL, 0, 400 },
		{ "POST", "/language/en", evil, "a=1", 3, 403 },
		{ "POST", "/", ht_same_origin(), body, 3 << 20, 413 },
		{ "GET", "/healthz", NULL, NULL, 0, 200 },
		{ "GET", "/static/style.css", NULL, NULL, 0, 200 },
		{ "GET", "/language/en?next=/", NULL, NULL, 0, 303 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char what[128];

		snprintf(what, sizeof(what), "%s %s", cases[i].method, cases[i].path);
		ht_fetch(&r, cases[i].method, cases[i].path,
		      cases[i].origin ? HDRS(cases[i].origin) : NULL, cases[i].body,
		      cases[i].len, cases[i].body ? "application/x-www-form-urlencoded" : NULL);
		it_assert_status(&r, cases[i].status, what);
		ht_assert_security_headers(&r, what);
		http_response_free(&r);
	}
	free(body);
}
END_TEST

/* ---------------------------------------------------------- error pages */

START_TEST(test_404)
{
	struct http_response r;

	ht_get(&r, "/nope", NULL);
	assert_error_page(&r, 404, title_es(404), "GET /nope");
	it_assert_has(&r, "<html lang=\"es\"", "GET /nope");
	http_response_free(&r);
}
END_TEST

START_TEST(test_error_pages_localized)
{
	struct http_response r;

	ht_get(&r, "/nope", HDRS("Accept-Language: en"));
	assert_error_page(&r, 404, "Page not found", "GET /nope (en)");
	it_assert_has(&r, "<html lang=\"en\"", "GET /nope (en)");
	it_assert_lacks(&r, title_es(404), "GET /nope (en)");
	http_response_free(&r);

	ht_get(&r, "/?a=%zz", HDRS("Cookie: lang=en"));
	assert_error_page(&r, 400, "Bad request", "GET /?a=%zz (lang=en)");
	http_response_free(&r);
}
END_TEST

START_TEST(test_405)
{
	struct http_response r;
	const char *allow;

	ht_fetch(&r, "POST", "/", HDRS(ht_same_origin()), "a=1", 3, "application/x-www-form-urlencoded");
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

	ht_get(&r, bad_requests[_i], NULL);
	assert_error_page(&r, 400, title_es(400), bad_requests[_i]);
	http_response_free(&r);
}
END_TEST

START_TEST(test_403_cross_site_post)
{
	struct http_response r;

	ht_fetch(&r, "POST", "/language/en", HDRS("Origin: http://evil.example"), "x=1", 3,
	      "application/x-www-form-urlencoded");
	assert_error_page(&r, 403, title_es(403), "cross-site POST /language/en");
	ck_assert_msg(http_header(&r, "Set-Cookie") == NULL, "the refused POST set a cookie: %s",
	              http_header(&r, "Set-Cookie"));
	http_response_free(&r);

	/* Refused before routing: not even a 404 or 405 gives the path away. */
	ht_fetch(&r, "POST", "/nope", HDRS("Origin: https://evil.example"), "x=1", 3,
	      "application/x-www-form-urlencoded");
	assert_error_page(&r, 403, title_es(403), "cross-site POST /nope");
	http_response_free(&r);

	/* A look-alike host is another site. */
	ht_fetch(&r, "POST", "/", HDRS("Origin: http://127.0.0.1.evil.example"), "x=1", 3,
	      "application/x-www-form-urlencoded");
	assert_error_page(&r, 403, title_es(403), "cross-site POST / (look-alike host)");
	http_response_free(&r);
}
END_TEST

/* The Origin is compared in full (scheme, host and port; issue 15's probe
 * found the host alone compared): another port or scheme of the same host
 * is another site; the same origin spelt in capitals is ours. */
START_TEST(test_403_origin_scheme_and_port)
{
	struct http_response r;
	const char *url = it_env("MEDSYS_URL");      /* http://127.0.0.1:PORT */
	const char *colon = strrchr(url, ':');
	long port = atol(colon + 1);
	char *other_port = it_fmt("Origin: http://127.0.0.1:%ld", port == 65535 ? port - 1 : port + 1);
	char *https = it_fmt("Origin: https://127.0.0.1:%ld", port);
	char *no_port = it_fmt("Origin: http://127.0.0.1");
	char *upper = it_fmt("Origin: HTTP://127.0.0.1:%ld", port);
	char *with_path = it_fmt("Origin: %s/evil", url);
	const char *refused[] = { other_port, https, no_port, with_path };

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		ht_fetch(&r, "POST", "/language/en", HDRS(refused[i]), "x=1", 3,
		         "application/x-www-form-urlencoded");
		assert_error_page(&r, 403, title_es(403), refused[i]);
		http_response_free(&r);
	}
	ht_fetch(&r, "POST", "/language/en", HDRS(upper), "x=1", 3, "application/x-www-form-urlencoded");
	ck_assert_msg(r.status != 403, "the same origin in capitals was refused");
	http_response_free(&r);
	ht_fetch(&r, "POST", "/language/en", HDRS(ht_same_origin()), "x=1", 3,
	         "application/x-www-form-urlencoded");
	ck_assert_msg(r.status != 403, "the same origin was refused");
	http_response_free(&r);
	free(other_port);
	free(https);
	free(no_port);
	free(upper);
	free(with_path);
}
END_TEST

START_TEST(test_413_medsysd)
{
	struct http_response r;
	size_t n = 3 << 19;	/* 1.5 MiB: over medsysd's 1 MiB, under nginx's 2 MiB */
	char *body = big_body(n);

	ht_fetch(&r, "POST", "/", HDRS(ht_same_origin()), body, n, "application/x-www-form-urlencoded");
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

	ht_fetch(&r, "POST", "/", HDRS(ht_same_origin()), body, n, "application/x-www-form-urlencoded");
	assert_error_page(&r, 413, title_es(413), "POST / (3 MiB)");
	/* Rendered by medsysd for nginx. */
	id = ht_request_id(&r, "POST / (3 MiB)");
	line = ht_log_line_for(id, "POST / (3 MiB)");
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
	it_assert_lacks(&r, "display_name", "GET / (broken query)");
	http_response_free(&r);

	/* Every worker recovers once the schema is right again. */
	for (int i = 0; i < 6; i++) {
		ht_get(&again, "/", NULL);
		it_assert_status(&again, 200, "GET / (column restored)");
		it_assert_has(&again, MARKER_DOCTOR, "GET / (column restored)");
		http_response_free(&again);
	}
}
END_TEST

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

void
ht_add_error_tcases(Suite *s)
{
	TCase *tc = ht_tcase("errors");

	tcase_list_add(tc, test_security_headers_everywhere, test_404, test_error_pages_localized, test_405,
	               test_403_cross_site_post, test_413_medsysd, test_413_nginx, NULL);
	tcase_add_loop_test(tc, test_400, 0, sizeof(bad_requests) / sizeof(bad_requests[0]));
	suite_add_tcase(s, tc);

	/* Breaks the home query for a moment; the teardown repairs it even
	 * when the test failed half-way. */
	tc = ht_tcase("database");
	tcase_add_unchecked_fixture(tc, NULL, restore_column);
	tcase_add_test(tc, test_500_database_error);
	tcase_add_test(tc, test_403_origin_scheme_and_port);
	suite_add_tcase(s, tc);
}
