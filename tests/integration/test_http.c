/* test_http: the site as a browser sees it, through nginx against a real
 * stack: languages, escaping, methods, /healthz and request logging;
 * security headers and error pages are test_http_errors.c's, hostile
 * input test_http_battery.c's (one program, see http_test.h). Run by
 * tests/integration/http.stack. */
#include <check.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_client.h"
#include "http_test.h"


const char *
ht_brief(const char *s)
{
	static char buf[100];

	snprintf(buf, sizeof(buf), "%.80s%s", s ? s : "(null)", s && strlen(s) > 80 ? "..." : "");
	return buf;
}

const char *
ht_same_origin(void)
{
	static char buf[300];
	const char *url = getenv("MEDSYS_URL");

	snprintf(buf, sizeof(buf), "Origin: %s", url ? url : "");
	return buf;
}

void
ht_fetch(struct http_response *r, const char *method, const char *path,
      const char *const *headers, const char *body, size_t len, const char *ctype)
{
	struct http_request rq = {
		.method = method, .path = path, .headers = headers,
		.body = body, .body_len = len, .content_type = ctype,
	};

	ck_assert_msg(http_request(&rq, r) == 0, "%s %s: no response: %s",
	              method ? method : "GET", ht_brief(path), r->error);
}

void
ht_get(struct http_response *r, const char *path, const char *const *headers)
{
	ht_fetch(r, NULL, path, headers, NULL, 0, NULL);
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

/* ------------------------------------------------------------- fixtures */

void
ht_setup_data(void)
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

/* ------------------------------------------------------------ home page */

/* The clinic's name and tagline in language lang, from the database. */
static void
assert_clinic(const struct http_response *r, const char *lang, const char *what)
{
	char *name = http_sql_line("SELECT name FROM clinic.settings WHERE id = 1");
	char sql[128], *tagline, *esc;

	ck_assert_msg(name != NULL && *name, "no clinic name in the database");
	esc = html_escape(name);
	it_assert_has(r, esc, what);
	free(esc);
	free(name);
	snprintf(sql, sizeof(sql), "SELECT tagline_%s FROM clinic.settings WHERE id = 1", lang);
	tagline = http_sql_line(sql);
	ck_assert_ptr_nonnull(tagline);
	if (*tagline) {
		esc = html_escape(tagline);
		it_assert_has(r, esc, what);
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

	ht_get(&r, "/", NULL);
	it_assert_status(&r, 200, "GET /");
	it_assert_has(&r, "<html lang=\"es\"", "GET /");
	it_assert_has(&r, "Nuestros médicos", "GET /");
	it_assert_lacks(&r, "Our doctors", "GET /");
	it_assert_has(&r, "href=\"/language/en?next=", "GET / (footer switch to English)");
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

	ht_get(&r, "/", HDRS("Accept-Language: en-GB,en;q=0.9"));
	it_assert_status(&r, 200, what);
	it_assert_has(&r, "<html lang=\"en\"", what);
	it_assert_has(&r, "Our doctors", what);
	it_assert_lacks(&r, "Nuestros médicos", what);
	it_assert_has(&r, "href=\"/language/es?next=", what);
	assert_clinic(&r, "en", what);
	assert_marker_doctor(&r, MARKER_SPECIALTY_EN, what);
	it_assert_lacks(&r, MARKER_SPECIALTY_ES, what);
	http_response_free(&r);
}
END_TEST

START_TEST(test_home_accept_language_q_values)
{
	struct http_response r;

	ht_get(&r, "/", HDRS("Accept-Language: fr, es;q=0.5"));
	it_assert_status(&r, 200, "fr, es;q=0.5");
	it_assert_has(&r, "<html lang=\"es\"", "fr, es;q=0.5");
	it_assert_has(&r, "Nuestros médicos", "fr, es;q=0.5");
	assert_marker_doctor(&r, MARKER_SPECIALTY_ES, "fr, es;q=0.5");
	http_response_free(&r);

	ht_get(&r, "/", HDRS("Accept-Language: es;q=0.2, en;q=0.8"));
	it_assert_status(&r, 200, "es;q=0.2, en;q=0.8");
	it_assert_has(&r, "<html lang=\"en\"", "es;q=0.2, en;q=0.8");
	it_assert_has(&r, "Our doctors", "es;q=0.2, en;q=0.8");
	http_response_free(&r);
}
END_TEST

START_TEST(test_home_escapes_doctor_names)
{
	struct http_response r;
	const char *p;
	char *item;

	ht_get(&r, "/", NULL);
	it_assert_status(&r, 200, "GET /");
	it_assert_has(&r, "&lt;script&gt;alert(1)&lt;/script&gt;", "GET / (escaped name)");
	it_assert_lacks(&r, "<script>alert(1)", "GET / (raw name)");
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

	ht_get(&r, "/language/en?next=/", NULL);
	it_assert_status(&r, 303, "GET /language/en?next=/");
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
	ht_assert_security_headers(&r, "GET /language/en");
	http_response_free(&r);

	/* Back to the page the user was on. */
	ht_get(&r, "/language/es?next=/healthz", NULL);
	it_assert_status(&r, 303, "GET /language/es?next=/healthz");
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

	ht_get(&r, "/", HDRS("Cookie: lang=en", "Accept-Language: es"));
	it_assert_status(&r, 200, "GET / (lang=en, Accept-Language es)");
	it_assert_has(&r, "<html lang=\"en\"", "GET / (lang=en, Accept-Language es)");
	it_assert_has(&r, "Our doctors", "GET / (lang=en, Accept-Language es)");
	http_response_free(&r);

	ht_get(&r, "/", HDRS("Cookie: other=1; lang=es", "Accept-Language: en"));
	it_assert_status(&r, 200, "GET / (lang=es, Accept-Language en)");
	it_assert_has(&r, "<html lang=\"es\"", "GET / (lang=es, Accept-Language en)");
	it_assert_has(&r, "Nuestros médicos", "GET / (lang=es, Accept-Language en)");
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

	ht_get(&r, path, NULL);
	it_assert_status(&r, 303, path);
	loc = http_header(&r, "Location");
	ck_assert_msg(loc != NULL && strcmp(loc, "/") == 0, "%s: Location: %s", path,
	              loc ? loc : "absent");
	ck_assert_msg(http_header_count(&r, "Set-Cookie") == 1, "%s: %zu Set-Cookie headers", path,
	              http_header_count(&r, "Set-Cookie"));
	http_response_free(&r);
}
END_TEST

/* ---------------------------------------------------- methods, healthz */

START_TEST(test_head)
{
	struct http_response r;

	ht_fetch(&r, "HEAD", "/", NULL, NULL, 0, NULL);
	it_assert_status(&r, 200, "HEAD /");
	ck_assert_uint_eq(r.body_len, 0);
	ck_assert_msg(http_header(&r, "Content-Type") != NULL &&
	              strncmp(http_header(&r, "Content-Type"), "text/html", 9) == 0,
	              "HEAD /: Content-Type %s", http_header(&r, "Content-Type"));
	ht_assert_security_headers(&r, "HEAD /");
	http_response_free(&r);
}
END_TEST

static const char *const odd_methods[] = { "PROPFIND", "TRACE", "PUT", "DELETE", "OPTIONS", "PATCH", "FOO" };

START_TEST(test_unknown_method)
{
	struct http_response r;
	const char *m = odd_methods[_i];

	ht_fetch(&r, m, "/", NULL, NULL, 0, NULL);
	ck_assert_msg(r.status >= 400 && r.status < 500, "%s /: status %ld", m, r.status);
	http_response_free(&r);
	/* The site still works. */
	ht_get(&r, "/", NULL);
	it_assert_status(&r, 200, "GET / afterwards");
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

	ht_get(&r, "/healthz", NULL);
	it_assert_status(&r, 200, "GET /healthz");
	ck_assert_msg(sscanf(r.body, "ok\ndatabase: up, %lf ms, schema %255[^,], %15[a-z]\n%n", &ms, schema, role,
	                     &used) == 3 && used == (int)r.body_len, "GET /healthz: body \"%s\"", r.body);
	ck_assert_msg(ms >= 0 && ms < 5000, "GET /healthz: round trip %f ms", ms);
	ck_assert_str_eq(schema, newest);
	ck_assert_str_eq(role, "primary");
	http_response_free(&r);
	/* A newer migration recorded in the database shows at once. */
	it_sql("INSERT INTO public.schema_migrations (version, checksum) VALUES ('999_health_probe.sql', 'x')");
	ht_get(&r, "/healthz", NULL);
	it_sql("DELETE FROM public.schema_migrations WHERE version = '999_health_probe.sql'");
	it_assert_status(&r, 200, "GET /healthz (probe migration)");
	it_assert_has(&r, "schema 999_health_probe.sql, primary\n", "GET /healthz (probe migration)");
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
	ht_get(&r, log_cases[_i].path, NULL);
	ck_assert_msg(r.status >= 400 && r.status < 500, "%s: status %ld", what, r.status);
	id = ht_request_id(&r, what);
	line = ht_log_line_for(id, what);
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

/* ---------------------------------------------------------------- suite */

TCase *
ht_tcase(const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, ht_setup_data, NULL);
	return tc;
}

static Suite *
http_suite(void)
{
	Suite *s = suite_create("http");
	TCase *tc = ht_tcase("pages");

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
	tcase_add_loop_test(tc, test_log_line_hygiene, 0, sizeof(log_cases) / sizeof(log_cases[0]));
	suite_add_tcase(s, tc);
	ht_add_error_tcases(s);
	suite_add_tcase(s, ht_battery_tcase());
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
