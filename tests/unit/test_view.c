/* test_view: rendering with the real templates and language files:
 * escaping, language parity, every Lang key a template uses exists. */
#include <check.h>
#include <ctype.h>
#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* Rows set through view_row land where view_set would put them, escaped
 * the same way, and a NULL row is harmless. */
START_TEST(test_rows_render_like_view_set)
{
	struct view_data *d = view_begin("es");
	struct view_row *row;
	const char *html;

	row = view_row(d, "Data.doctors.%d", 0);
	ck_assert_ptr_nonnull(row);
	ck_assert_int_eq(view_row_set(row, "name", "Dra. <b>Fila</b>"), 0);
	view_set(d, "Dr. Por Nombre", "Data.doctors.1.name");
	ck_assert_int_eq(view_row_set(NULL, "name", "x"), -1);
	html = render(d, "home/home.cs");
	ck_assert_ptr_nonnull(strstr(html, "Dra. &lt;b&gt;Fila&lt;/b&gt;"));
	ck_assert_ptr_nonnull(strstr(html, "Dr. Por Nombre"));
	ck_assert(strstr(html, "Fila") < strstr(html, "Por Nombre"));
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
		/* Lang.x.y[name]: a lookup by a value; the node x.y must hold keys. */
		char end = p[m[0].rm_eo] == '[' ? '.' : '\n';
		snprintf(key, sizeof(key), "\n%.*s%c", (int)(m[1].rm_eo - m[1].rm_so), p + m[1].rm_so, end);
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
	/* Keys are lower case (the check above reads only those): an upper-case
	 * one would pass unchecked. */
	ck_assert_int_eq(regcomp(&re, "Lang\\.[a-z0-9_.]*[A-Z]", REG_EXTENDED | REG_NOSUB), 0);
	if (regexec(&re, text, 0, NULL, 0) == 0) {
		fprintf(stderr, "%s uses a Lang key with upper-case letters\n", path);
		missing++;
	}
	regfree(&re);
	free(text);
	return missing;
}

/* Call fn on every .cs file below dir (every folder, however deep);
 * returns the sum of what fn returned, and counts the files in *files. */
static int
walk_templates(const char *dir, int (*fn)(const char *path, void *arg), void *arg, int *files)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int sum = 0;

	ck_assert_msg(d != NULL, "cannot open %s", dir);
	while ((e = readdir(d)) != NULL) {
		char path[2048];
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_type == DT_DIR) {
			sum += walk_templates(path, fn, arg, files);
		} else if (len > 3 && strcmp(e->d_name + len - 3, ".cs") == 0) {
			sum += fn(path, arg);
			(*files)++;
		}
	}
	closedir(d);
	return sum;
}

struct lang_files {
	const char *es, *en;
};

static int
template_keys_missing(const char *path, void *arg)
{
	const struct lang_files *l = arg;

	return check_template_keys(path, l->es, l->en);
}

START_TEST(test_templates_use_only_existing_keys)
{
	struct lang_files l = { lang_keys("es"), lang_keys("en") };
	int files = 0;

	ck_assert_int_eq(walk_templates(templates, template_keys_missing, &l, &files), 0);
	ck_assert_int_gt(files, 3);
	free((char *)l.es);
	free((char *)l.en);
}
END_TEST

/* ------------------------------------------------- escaping guard */

/* Variables a template may print inside an escape: "none" block: markup
 * the program builds itself from data that cannot hold markup (the
 * enrollment QR code: lib/qrsvg draws it from a base32 otpauth URI). */
static const char *const trusted_raw[] = {
	"Data.qr_svg",
	"Data.trend_svg",   /* lib/trend's chart (record/vitals.cs): it escapes all text */
};

/* The command word of a ClearSilver tag body (after "<?cs "), lower case,
 * into out: up to ':', '!' or white space. */
static void
tag_command(const char *body, char *out, size_t len)
{
	size_t n = strcspn(body, ":! \t\r\n?");

	if (n >= len)
		n = len - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)body[i]);
	out[n] = '\0';
}

/* The argument of a tag body after its command and ':', trimmed, into
 * out (up to the closing ?>). */
static void
tag_argument(const char *body, char *out, size_t len)
{
	const char *a = body + strcspn(body, ":");
	const char *end = strstr(body, "?>");
	size_t n;

	a += *a == ':';
	while (isspace((unsigned char)*a))
		a++;
	n = end && end > a ? (size_t)(end - a) : strlen(a);
	while (n > 0 && isspace((unsigned char)a[n - 1]))
		n--;
	snprintf(out, len, "%.*s", (int)n, a);
}

static int
is_trusted_raw(const char *arg)
{
	for (size_t i = 0; i < sizeof(trusted_raw) / sizeof(trusted_raw[0]); i++)
		if (strcmp(arg, trusted_raw[i]) == 0)
			return 1;
	return 0;
}

/* Why one ClearSilver tag would print unescaped, or NULL. raw_block says
 * whether an escape: "none" block is open (and is updated). */
static const char *
tag_problem(const char *body, int *raw_block)
{
	static const char *const raw_commands[] = { "uvar", "lvar", "evar", "linclude", "alt", "name" };
	char cmd[16], arg[200];

	if (*body == '#')
		return NULL;                        /* a comment */
	tag_command(body, cmd, sizeof(cmd));
	tag_argument(body, arg, sizeof(arg));
	for (size_t i = 0; i < sizeof(raw_commands) / sizeof(raw_commands[0]); i++)
		if (strcmp(cmd, raw_commands[i]) == 0)
			return "a command that prints without escaping (uvar, lvar, evar, linclude, alt, name)";
	if (strcmp(cmd, "set") == 0 && strncasecmp(arg, "Config.", 7) == 0)
		return "a set: of Config (the escape mode)";
	if (strcmp(cmd, "escape") == 0) {
		if (strcmp(arg, "\"html\"") == 0)
			return NULL;
		if (*raw_block || strcmp(arg, "\"none\"") != 0)
			return "an escape block other than \"html\" or \"none\"";
		*raw_block = 1;
		return NULL;
	}
	if (!*raw_block)
		return NULL;
	if (strcmp(cmd, "/escape") == 0) {
		*raw_block = 0;
		return NULL;
	}
	if (strcmp(cmd, "var") == 0 && is_trusted_raw(arg))
		return NULL;
	return "something other than a trusted variable inside escape: \"none\"";
}

/* Whether text matches the extended, case-insensitive regex pattern. */
static int
matches(const char *text, const char *pattern)
{
	regex_t re;
	int yes;

	ck_assert_int_eq(regcomp(&re, pattern, REG_EXTENDED | REG_ICASE | REG_NOSUB), 0);
	yes = regexec(&re, text, 0, NULL, 0) == 0;
	regfree(&re);
	return yes;
}

/* Why the markup breaks the page policy (CSP without inline script or
 * style), or NULL. */
static const char *
markup_problem(const char *text)
{
	for (const char *p = text; (p = strcasestr(p, "<script")) != NULL; p++)
		if (memmem(p, strcspn(p, ">"), "src=", 4) == NULL)
			return "an inline script";
	if (strcasestr(text, "javascript:") != NULL)
		return "a javascript: URL";
	if (matches(text, "[[:space:]]style[[:space:]]*="))
		return "an inline style attribute";
	if (matches(text, "[[:space:]]on[a-z]+[[:space:]]*="))
		return "an inline event handler";
	return NULL;
}

/* Why a template's text would print something unescaped or inline, or
 * NULL when it is clean. ClearSilver reads "<?cs" in any case followed by
 * white space, then the command in any case, so the scan does too. */
static const char *
template_problem(const char *text)
{
	const char *why = markup_problem(text);
	int raw_block = 0;

	for (const char *p = text; why == NULL && (p = strcasestr(p, "<?cs")) != NULL; p += 4) {
		const char *body = p + 4;
		if (!isspace((unsigned char)*body))
			continue;
		while (isspace((unsigned char)*body))
			body++;
		why = tag_problem(body, &raw_block);
	}
	if (why == NULL && raw_block)
		why = "an escape: \"none\" block that is never closed";
	return why;
}

struct raw_scan {
	int trusted;        /* templates that use the trusted escape: "none" */
};

static int
template_is_unsafe(const char *path, void *arg)
{
	struct raw_scan *scan = arg;
	char *text = slurp(path);
	const char *why = template_problem(text);

	if (why)
		fprintf(stderr, "%s: %s\n", path, why);
	scan->trusted += strstr(text, "escape: \"none\"") != NULL;
	free(text);
	return why != NULL;
}

START_TEST(test_templates_never_print_raw)
{
	struct raw_scan scan = { 0 };
	int files = 0;

	ck_assert_int_eq(walk_templates(templates, template_is_unsafe, &scan, &files), 0);
	/* Every folder was reached: the trusted raw blocks are two levels
	 * down (profile/mfa.cs, record/vitals.cs, labresults/trend.cs: the
	 * QR code and lib/trend's SVG, which escapes its own text), and
	 * there are dozens of templates. */
	ck_assert_int_eq(scan.trusted, 3);
	ck_assert_int_gt(files, 30);
}
END_TEST

/* The guard itself: each bad sample is caught, each good one passes. */
static const struct {
	const char *text, *why;       /* why: a word of the reason, NULL = clean */
} raw_samples[] = {
	{ "<p><?cs uvar:Data.name ?></p>", "uvar" },
	{ "<p><?cs UVAR:Data.name ?></p>", "uvar" },
	{ "<?CS\n\tlvar:Data.page ?>", "lvar" },
	{ "<?cs evar:Data.page ?>", "evar" },
	{ "<?cs linclude:Data.path ?>", "linclude" },
	{ "<?cs alt:Data.name ?>-<?cs /alt ?>", "alt" },
	{ "<?cs name:Data.name ?>", "name" },
	{ "<?cs set:Config.VarEscapeMode = \"none\" ?>", "Config" },
	{ "<?cs escape: \"none\" ?><?cs var:Data.name ?><?cs /escape ?>", "trusted" },
	{ "<?cs escape: \"none\" ?><?cs if:1 ?><?cs /if ?><?cs /escape ?>", "trusted" },
	{ "<?cs escape: \"none\" ?><?cs var:Data.qr_svg ?>", "never closed" },
	{ "<?cs escape: \"js\" ?><?cs var:Data.name ?><?cs /escape ?>", "other than" },
	{ "<script>alert(1)</script>", "inline script" },
	{ "<SCRIPT type=\"text/javascript\">x()</SCRIPT>", "inline script" },
	{ "<a href=\"javascript:x()\">x</a>", "javascript" },
	{ "<p style=\"color:red\">x</p>", "style" },
	{ "<a href=\"/\" onclick=\"x()\">x</a>", "event handler" },
	{ "<body\nONLOAD = \"x()\">", "event handler" },
	{ "<p><?cs var:Data.name ?> <?cs var:url_escape(Data.q) ?></p>", NULL },
	{ "<?cs escape: \"none\" ?><?cs var:Data.qr_svg ?><?cs /escape ?>", NULL },
	{ "<?cs escape: \"html\" ?><?cs var:Data.name ?><?cs /escape ?>", NULL },
	{ "<?cs # uvar: would be raw ?><?cs set:Data.x = 1 ?>", NULL },
	{ "<script src=\"/static/app.js\" defer></script><p class=\"one\">", NULL },
};

START_TEST(test_escaping_guard_catches_bad_samples)
{
	const char *why = template_problem(raw_samples[_i].text);

	if (raw_samples[_i].why == NULL) {
		ck_assert_msg(why == NULL, "clean sample %s flagged: %s", raw_samples[_i].text, why);
	} else {
		ck_assert_msg(why != NULL, "bad sample %s passed", raw_samples[_i].text);
		ck_assert_msg(strstr(why, raw_samples[_i].why) != NULL, "sample %s: reason \"%s\", expected \"%s\"",
		              raw_samples[_i].text, why, raw_samples[_i].why);
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
	tcase_add_test(tc, test_rows_render_like_view_set);
	tcase_add_test(tc, test_path_is_url_escaped_in_language_link);
	tcase_add_test(tc, test_languages_render_their_strings);
	tcase_add_test(tc, test_request_data_does_not_leak_between_requests);
	tcase_add_test(tc, test_unknown_language_falls_back);
	tcase_add_test(tc, test_error_page_renders);
	tcase_add_test(tc, test_missing_template_is_an_error);
	tcase_add_test(tc, test_language_files_have_the_same_keys);
	tcase_add_test(tc, test_templates_use_only_existing_keys);
	tcase_add_test(tc, test_templates_never_print_raw);
	tcase_add_loop_test(tc, test_escaping_guard_catches_bad_samples, 0,
	                    (int)(sizeof(raw_samples) / sizeof(raw_samples[0])));
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
