/* test_view: rendering with the real templates and language files:
 * escaping, language parity, every Lang key a template uses exists. */
#include <check.h>
#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/view.h"

static char templates[1024];

static void
setup(void)
{
	char err[512];
	const char *src = getenv("MEDSYS_SRCDIR");

	snprintf(templates, sizeof(templates), "%s/templates", src ? src : ".");
	ck_assert_msg(view_init(templates, err, sizeof(err)) == 0, "%s", err);
}

static void
teardown(void)
{
	view_shutdown();
}

static const char *
render(struct view_data *d, const char *page)
{
	const char *out;
	size_t len;
	char err[512];

	ck_assert_msg(view_render(d, page, &out, &len, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(strlen(out), len);
	return out;
}

START_TEST(test_script_in_data_is_inert)
{
	struct view_data *d = view_begin("es");
	const char *html;

	view_set(d, "<script>alert(1)</script>\"'&", "Data.doctors.0.name");
	view_set(d, "<img src=x onerror=alert(2)>", "Data.clinic.name");
	html = render(d, "home/home.cs");
	ck_assert_ptr_null(strstr(html, "<script>alert(1)"));
	ck_assert_ptr_null(strstr(html, "<img src=x"));
	ck_assert_ptr_nonnull(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"));
	ck_assert_ptr_nonnull(strstr(html, "&lt;img src=x onerror=alert(2)&gt;"));
	view_end(d);
}
END_TEST

START_TEST(test_path_is_url_escaped_in_language_link)
{
	struct view_data *d = view_begin("es");
	const char *html;

	view_set(d, "/\"><script>x</script>", "Page.path");
	html = render(d, "home/home.cs");
	ck_assert_ptr_null(strstr(html, "<script>x"));
	ck_assert_ptr_nonnull(strstr(html, "/language/en?next=%2F%22%3E%3Cscript%3Ex%3C%2Fscript%3E"));
	view_end(d);
}
END_TEST

START_TEST(test_languages_render_their_strings)
{
	struct view_data *d = view_begin("en");
	const char *html = render(d, "home/home.cs");

	ck_assert_ptr_nonnull(strstr(html, "<html lang=\"en\">"));
	ck_assert_ptr_nonnull(strstr(html, view_lang(d, "home.doctors")));
	ck_assert_str_eq(view_lang(d, "home.doctors"), "Our doctors");
	view_end(d);
	d = view_begin("es");
	html = render(d, "home/home.cs");
	ck_assert_ptr_nonnull(strstr(html, "<html lang=\"es\">"));
	ck_assert_str_eq(view_lang(d, "home.doctors"), "Nuestros médicos");
	view_end(d);
}
END_TEST

START_TEST(test_request_data_does_not_leak_between_requests)
{
	struct view_data *d = view_begin("es");
	const char *html;

	view_set(d, "Secret-Marker-Doctor", "Data.doctors.0.name");
	html = render(d, "home/home.cs");
	ck_assert_ptr_nonnull(strstr(html, "Secret-Marker-Doctor"));
	view_end(d);
	d = view_begin("es");
	html = render(d, "home/home.cs");
	ck_assert_ptr_null(strstr(html, "Secret-Marker-Doctor"));
	view_end(d);
}
END_TEST

START_TEST(test_unknown_language_falls_back)
{
	struct view_data *d = view_begin("xx");
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(view_lang(d, "home.doctors"), "Nuestros médicos");
	view_end(d);
}
END_TEST

START_TEST(test_error_page_renders)
{
	struct view_data *d = view_begin("en");
	const char *html;

	view_set(d, view_lang(d, "error.404.title"), "Page.title");
	view_set(d, "0123456789abcdef", "Page.request_id");
	html = render(d, "errors/error.cs");
	ck_assert_ptr_nonnull(strstr(html, "Page not found"));
	ck_assert_ptr_nonnull(strstr(html, "0123456789abcdef"));
	view_end(d);
}
END_TEST

START_TEST(test_missing_template_is_an_error)
{
	struct view_data *d = view_begin("es");
	const char *out;
	size_t len;
	char err[512];

	ck_assert_int_eq(view_render(d, "no/such.cs", &out, &len, err, sizeof(err)), -1);
	view_end(d);
}
END_TEST

/* ---------------------------------------------------------- key parity */

static char *
lang_keys(const char *code)
{
	char path[1200], err[512];
	char *keys;

	snprintf(path, sizeof(path), "%s/lang/%s.hdf", templates, code);
	keys = view_lang_keys(path, err, sizeof(err));
	ck_assert_msg(keys != NULL, "%s", err);
	return keys;
}

/* Report every line of a that is not in b. */
static int
report_missing(const char *a, const char *b, const char *in, const char *notin)
{
	int missing = 0;
	char *copy = strdup(a);

	for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
		char needle[600];
		snprintf(needle, sizeof(needle), "\n%s\n", line);
		if (strncmp(b, needle + 1, strlen(needle + 1)) != 0 && strstr(b, needle) == NULL) {
			fprintf(stderr, "key %s is in %s.hdf but not in %s.hdf\n", line, in, notin);
			missing++;
		}
	}
	free(copy);
	return missing;
}

START_TEST(test_language_files_have_the_same_keys)
{
	char *es = lang_keys("es"), *en = lang_keys("en");
	int missing = report_missing(es, en, "es", "en") + report_missing(en, es, "en", "es");

	ck_assert_int_eq(missing, 0);
	ck_assert_ptr_nonnull(strstr(es, "home.title\n"));
	free(es);
	free(en);
}
END_TEST

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

/* Every Lang.x.y a template names must exist in both language files. */
static int
check_template_keys(const char *path, const char *es, const char *en)
{
	char *text = slurp(path);
	regex_t re;
	regmatch_t m[2];
	int missing = 0;

	ck_assert_int_eq(regcomp(&re, "Lang\\.([a-z0-9_.]+[a-z0-9_])", REG_EXTENDED), 0);
	for (const char *p = text; regexec(&re, p, 2, m, 0) == 0; p += m[0].rm_eo) {
		char key[300];
		snprintf(key, sizeof(key), "\n%.*s\n", (int)(m[1].rm_eo - m[1].rm_so), p + m[1].rm_so);
		if (strcmp(key, "\ncode\n") == 0)
			continue;   /* set by view.c, not a file key */
		for (int i = 0; i < 2; i++) {
			const char *keys = i ? en : es;
			if (strstr(keys, key) == NULL && strncmp(keys, key + 1, strlen(key + 1)) != 0) {
				fprintf(stderr, "%s uses Lang.%.*s, missing in %s.hdf\n", path,
				        (int)strlen(key) - 2, key + 1, i ? "en" : "es");
				missing++;
			}
		}
	}
	regfree(&re);
	free(text);
	return missing;
}

static int
walk_templates(const char *dir, const char *es, const char *en)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int missing = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		char path[2048];
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_type == DT_DIR)
			missing += walk_templates(path, es, en);
		else if (len > 3 && strcmp(e->d_name + len - 3, ".cs") == 0)
			missing += check_template_keys(path, es, en);
	}
	closedir(d);
	return missing;
}

START_TEST(test_templates_use_only_existing_keys)
{
	char *es = lang_keys("es"), *en = lang_keys("en");

	ck_assert_int_eq(walk_templates(templates, es, en), 0);
	free(es);
	free(en);
}
END_TEST

START_TEST(test_templates_never_print_raw)
{
	/* uvar: prints without escaping; it is banned (DESIGN.md). */
	DIR *d;
	const char *dirs[] = { "", "/home", "/errors" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char dir[1200];
		struct dirent *e;
		snprintf(dir, sizeof(dir), "%s%s", templates, dirs[i]);
		ck_assert_ptr_nonnull(d = opendir(dir));
		while ((e = readdir(d)) != NULL) {
			char path[2400];
			char *text;
			if (strstr(e->d_name, ".cs") == NULL)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			text = slurp(path);
			ck_assert_msg(strstr(text, "uvar:") == NULL, "%s uses uvar:", path);
			ck_assert_msg(strstr(text, "<script>") == NULL, "%s has inline script", path);
			ck_assert_msg(strstr(text, "style=") == NULL, "%s has inline style", path);
			free(text);
		}
		closedir(d);
	}
}
END_TEST

static Suite *
view_suite(void)
{
	Suite *s = suite_create("view");
	TCase *tc = tcase_create("render");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_script_in_data_is_inert);
	tcase_add_test(tc, test_path_is_url_escaped_in_language_link);
	tcase_add_test(tc, test_languages_render_their_strings);
	tcase_add_test(tc, test_request_data_does_not_leak_between_requests);
	tcase_add_test(tc, test_unknown_language_falls_back);
	tcase_add_test(tc, test_error_page_renders);
	tcase_add_test(tc, test_missing_template_is_an_error);
	tcase_add_test(tc, test_language_files_have_the_same_keys);
	tcase_add_test(tc, test_templates_use_only_existing_keys);
	tcase_add_test(tc, test_templates_never_print_raw);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(view_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
