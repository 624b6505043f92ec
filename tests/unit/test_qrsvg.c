/* test_qrsvg: the QR SVG is well-formed (one path, viewBox with the quiet
 * zone, size attributes), its label is escaped, bad arguments are refused,
 * and it really scans: rendered to PNG with rsvg-convert (Debian
 * librsvg2-bin) and decoded with zbarimg (Debian zbar-tools). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/qrsvg.h"
#include "lib/totp.h"
#include "../check_util.h"

/* The number after `attr="` (viewBox: its third number), or -1. */
static int
attr_int(const char *svg, const char *attr)
{
	char key[64];
	const char *p;
	int a, b, c, d;

	snprintf(key, sizeof(key), " %s=\"", attr);
	if ((p = strstr(svg, key)) == NULL)
		return -1;
	p += strlen(key);
	if (strcmp(attr, "viewBox") == 0)
		return sscanf(p, "%d %d %d %d\"", &a, &b, &c, &d) == 4 && a == 0 && b == 0 && c == d ? c : -1;
	return sscanf(p, "%d\"", &a) == 1 ? a : -1;
}

START_TEST(test_well_formed)
{
	char *svg = qrsvg_make("otpauth://totp/MedSysPro:ana%40example.com?secret=JBSWY3DPEHPK3PXP"
	                       "&issuer=MedSysPro", 4, "QR");
	int side;

	ck_assert_ptr_nonnull(svg);
	ck_assert_msg(strncmp(svg, "<svg ", 5) == 0, "starts with %.20s", svg);
	ck_assert_msg(strcmp(svg + strlen(svg) - 6, "</svg>") == 0, "ends badly");
	ck_assert_int_eq(str_count(svg, "<svg"), 1);
	ck_assert_int_eq(str_count(svg, "<path"), 1);
	ck_assert_ptr_nonnull(strstr(svg, "xmlns=\"http://www.w3.org/2000/svg\""));
	ck_assert_ptr_nonnull(strstr(svg, "shape-rendering=\"crispEdges\""));
	ck_assert_ptr_nonnull(strstr(svg, "role=\"img\""));
	side = attr_int(svg, "viewBox");
	/* Version 1 is 21 modules; the quiet zone adds 4 on each side. */
	ck_assert_int_ge(side, 21 + 8);
	ck_assert_int_eq((side - 8 - 17) % 4, 0);   /* QR sides are 17 + 4v */
	ck_assert_int_eq(attr_int(svg, "width"), side * 4);
	ck_assert_int_eq(attr_int(svg, "height"), side * 4);
	/* Nothing dark in the quiet zone: every run starts at x,y >= 4. */
	for (const char *p = strstr(svg, " d=\""); (p = strchr(p + 1, 'M')) != NULL; ) {
		int x, y;
		ck_assert_int_eq(sscanf(p, "M%d %d", &x, &y), 2);
		ck_assert_int_ge(x, 4);
		ck_assert_int_ge(y, 4);
		ck_assert_int_lt(x, side - 4);
		ck_assert_int_lt(y, side - 4);
	}
	free(svg);
}
END_TEST

START_TEST(test_label_escaped)
{
	char *svg = qrsvg_make("hello", 2, "a<b>&\"c'\x01z");

	ck_assert_ptr_nonnull(svg);
	ck_assert_ptr_nonnull(strstr(svg, "aria-label=\"a&lt;b&gt;&amp;&quot;c&#39;z\""));
	ck_assert_ptr_null(strstr(svg, "<b>"));
	ck_assert_int_eq(str_count(svg, "<"), 4);   /* <svg <rect <path </svg> */
	free(svg);
	svg = qrsvg_make("hello", 2, NULL);
	ck_assert_ptr_nonnull(svg);
	ck_assert_ptr_nonnull(strstr(svg, "aria-label=\"\""));
	free(svg);
}
END_TEST

START_TEST(test_bad_arguments)
{
	ck_assert_ptr_null(qrsvg_make(NULL, 4, "x"));
	ck_assert_ptr_null(qrsvg_make("", 4, "x"));
	ck_assert_ptr_null(qrsvg_make("x", 0, "x"));
	ck_assert_ptr_null(qrsvg_make("x", -3, "x"));
}
END_TEST

START_TEST(test_long_text_grows_the_code)
{
	char text[1200];
	char *small = qrsvg_make("a", 1, ""), *big;

	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	big = qrsvg_make(text, 1, "");
	ck_assert_ptr_nonnull(small);
	ck_assert_ptr_nonnull(big);
	ck_assert_int_eq(attr_int(small, "viewBox"), 21 + 8);
	ck_assert_int_gt(attr_int(big, "viewBox"), 60);
	free(small);
	free(big);
}
END_TEST

/* The full path of program in $PATH, or NULL. */
static char *
which(const char *program)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL, *found = NULL;

	if (path == NULL)
		path = "/usr/local/bin:/usr/bin:/bin";
	copy = strdup(path);
	for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		char full[1024];
		snprintf(full, sizeof(full), "%s/%s", *dir ? dir : ".", program);
		if (access(full, X_OK) == 0)
			found = strdup(full);
	}
	free(copy);
	return found;
}

/* Render text as a QR SVG, convert it to PNG and decode it; the decoded
 * text (malloc'd, without the trailing newline). */
static char *
scan(const char *text, int module)
{
	char svgpath[] = "/tmp/test_qrsvg_XXXXXX", pngpath[64], cmd[512], line[4096];
	char *svg = qrsvg_make(text, module, "QR"), *rsvg = which("rsvg-convert"),
	     *zbar = which("zbarimg"), *out;
	FILE *f, *p;
	size_t n;
	int fd, rc;

	ck_assert_msg(rsvg != NULL, "rsvg-convert is not installed: add the Debian package "
	              "librsvg2-bin (script/packages.txt) to run the scan test");
	ck_assert_msg(zbar != NULL, "zbarimg is not installed: add the Debian package zbar-tools");
	ck_assert_ptr_nonnull(svg);
	ck_assert_int_ge(fd = mkstemp(svgpath), 0);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	ck_assert_uint_eq(fwrite(svg, 1, strlen(svg), f), strlen(svg));
	ck_assert_int_eq(fclose(f), 0);
	snprintf(pngpath, sizeof(pngpath), "%s.png", svgpath);
	snprintf(cmd, sizeof(cmd), "'%s' -f png -o '%s' '%s'", rsvg, pngpath, svgpath);
	rc = system(cmd);
	unlink(svgpath);
	ck_assert_msg(rc == 0, "%s failed (%d)", cmd, rc);
	snprintf(cmd, sizeof(cmd), "'%s' --raw -q '%s' 2>/dev/null", zbar, pngpath);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	n = fread(line, 1, sizeof(line) - 1, p);
	line[n] = '\0';
	rc = pclose(p);
	unlink(pngpath);
	ck_assert_msg(rc == 0, "%s found no code (%d)", cmd, rc);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	out = strdup(line);
	free(svg);
	free(rsvg);
	free(zbar);
	return out;
}

START_TEST(test_scans_back)
{
	char uri[512], *got;
	const char *secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

	ck_assert_int_gt(totp_uri(uri, sizeof(uri), "MedSysPro", "ana.lopez+test@clinic.example", secret), 0);
	got = scan(uri, 6);
	ck_assert_str_eq(got, uri);
	free(got);
	/* The size the second-factor page uses. */
	got = scan(uri, 4);
	ck_assert_str_eq(got, uri);
	free(got);
	/* Case matters (8-bit, case-sensitive): a mixed-case text survives. */
	got = scan("https://clinic.example/rx/AbCdEf?x=Yz", 5);
	ck_assert_str_eq(got, "https://clinic.example/rx/AbCdEf?x=Yz");
	free(got);
}
END_TEST

static Suite *
qrsvg_suite(void)
{
	Suite *s = suite_create("qrsvg");
	TCase *tc = tcase_create("svg");

	tcase_add_test(tc, test_well_formed);
	tcase_add_test(tc, test_label_escaped);
	tcase_add_test(tc, test_bad_arguments);
	tcase_add_test(tc, test_long_text_grows_the_code);
	suite_add_tcase(s, tc);
	tc = tcase_create("scan");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_scans_back);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(qrsvg_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
