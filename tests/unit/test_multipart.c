/* test_multipart: unit tests of the multipart/form-data parser (part of
 * test_parsers, see parsers_test.h): fields and files, boundaries and
 * framing, header and size limits, text checks, running out of memory and
 * hostile bodies that must stay linear. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/fields.h"
#include "parsers_test.h"
#include "../check_util.h"

static enum parse_status
mp(const char *ct, const char *body)
{
	return multipart_parse(ar, ct, body, strlen(body),
	    &parse_limits_default, &fl);
}

/* Parse a string literal that may hold NUL bytes. */
#define MPLIT(ct, lit) \
	multipart_parse(ar, (ct), (lit), sizeof(lit) - 1, NULL, &fl)

#define CT "multipart/form-data; boundary=XyZ"

START_TEST(mp_basic)
{
	const char *body =
	    "preamble to ignore\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"first\"\r\n"
	    "\r\n"
	    "Ana Mar\xc3\xad" "a\r\n"
	    "--XyZ\r\n"
	    "content-disposition: FORM-DATA; name=second\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "X-Other: ignored\r\n"
	    "\r\n"
	    "line1\r\nline2\r\n"
	    "--XyZ--\r\n"
	    "epilogue --XyZ garbage";

	ck_status(mp(CT, body), PARSE_OK);
	ck_assert_uint_eq(fl.n, 2);
	ck_assert_str_eq(fields_get(&fl, "first"), "Ana Mar\xc3\xad" "a");
	ck_assert_str_eq(fields_get(&fl, "second"), "line1\r\nline2");
	ck_assert_str_eq(fl.v[1].content_type, "text/plain; charset=utf-8");
	ck_assert_ptr_null(fl.v[0].content_type);
	ck_assert_ptr_null(fl.v[0].filename);
}
END_TEST

START_TEST(mp_quoted_boundary)
{
	const char *body =
	    "--a b:c=?\r\n"
	    "Content-Disposition: form-data; name=\"q\"\r\n\r\n"
	    "v\r\n"
	    "--a b:c=?--";

	ck_status(mp("Multipart/Form-Data ; charset=utf-8; "
	    "BOUNDARY=\"a b:c=?\"", body), PARSE_OK);
	ck_assert_str_eq(fields_get(&fl, "q"), "v");
	ck_status(mp("multipart/form-data; boundary=\"a b:c=?\";", body),
	    PARSE_OK);
}
END_TEST

START_TEST(mp_file_binary)
{
	static const char body[] =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"doc\"; "
	    "filename=\"a\\\"b\\\\c.bin\"\r\n"
	    "Content-Type: application/octet-stream\r\n"
	    "\r\n"
	    "\x00\x01\r\n\xff\xfe--XyZ\r\n-\x00"
	    "\r\n--XyZ--";
	static const char content[] = "\x00\x01\r\n\xff\xfe--XyZ\r\n-\x00";
	const struct field *f;

	ck_status(multipart_parse(ar, CT, body, sizeof(body) - 1, NULL, &fl),
	    PARSE_OK);
	ck_assert_uint_eq(fl.n, 1);
	f = fields_find(&fl, "doc");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->filename, "a\"b\\c.bin");
	ck_assert_str_eq(f->content_type, "application/octet-stream");
	ck_assert_uint_eq(f->value_len, sizeof(content) - 1);
	ck_assert_int_eq(memcmp(f->value, content, sizeof(content) - 1), 0);
	ck_assert_int_eq(f->value[f->value_len], '\0');
}
END_TEST

START_TEST(mp_empty_file_and_unnamed)
{
	const char *body =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"up\"; filename=\"\"\r\n"
	    "Content-Type: application/octet-stream\r\n\r\n"
	    "\r\n--XyZ\r\n"
	    "Content-Disposition: form-data; filename=\"x\"\r\n\r\n"
	    "nameless\r\n--XyZ\r\n"
	    "\r\n"
	    "no headers\r\n--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"\"\r\n\r\n"
	    "empty name\r\n--XyZ \t\r\n"
	    "Content-Disposition: form-data; name=last\r\n\r\n"
	    "\r\n--XyZ--";

	ck_status(mp(CT, body), PARSE_OK);
	ck_assert_uint_eq(fl.n, 2);
	ck_assert_str_eq(fl.v[0].filename, "");
	ck_assert_uint_eq(fl.v[0].value_len, 0);
	ck_assert_str_eq(fields_get(&fl, "last"), "");
	ck_status(mp(CT, "--XyZ--"), PARSE_OK);
	ck_assert_uint_eq(fl.n, 2);
}
END_TEST

START_TEST(mp_duplicates)
{
	const char *body =
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n2\r\n"
	    "--XyZ--\r\n";

	ck_status(mp(CT, body), PARSE_OK);
	ck_assert_uint_eq(fl.n, 2);
	ck_assert_str_eq(fields_get(&fl, "a"), "1");
	ck_assert_str_eq(fl.v[1].value, "2");
}
END_TEST

START_TEST(mp_bad_content_type)
{
	const char *body = "--XyZ--";
	const char *bad[] = {
		"multipart/form-data",
		"multipart/form-data;",
		"multipart/form-data; charset=utf-8",
		"multipart/form-data; boundary=",
		"multipart/form-data; boundary=\"\"",
		"multipart/form-data; boundary=\"XyZ",
		"multipart/form-data; boundary=XyZ; boundary=XyZ",
		"multipart/form-data; boundary",
		"multipart/form-data boundary=XyZ",
		"multipart/mixed; boundary=XyZ",
		"application/x-www-form-urlencoded",
		"",
		"multipart/form-data; boundary=\"a\x01\"",
		"multipart/form-data; boundary=\"ab \"",
		"multipart/form-data; boundary=\"a<b\"",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_status(mp(bad[i], body), PARSE_MALFORMED);
	ck_status(multipart_parse(ar, NULL, body, 7, NULL, &fl),
	    PARSE_MALFORMED);
}
END_TEST

START_TEST(mp_boundary_length)
{
	char *b70 = parsers_rep('b', 70), *b71 = parsers_rep('b', 71);
	char *body;

	body = arena_printf(ar, "--%s--", b70);
	ck_status(mp(arena_printf(ar, "multipart/form-data; boundary=%s", b70),
	    body), PARSE_OK);
	body = arena_printf(ar, "--%s--", b71);
	ck_status(mp(arena_printf(ar, "multipart/form-data; boundary=%s", b71),
	    body), PARSE_MALFORMED);
}
END_TEST

START_TEST(mp_bad_framing)
{
	const char *bad[] = {
		"",
		"no boundary here",
		"--XyZ",
		"--XyZ\r\n",
		"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv",
		"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ",
		"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ\r\n",
		"--XyZ\nContent-Disposition: form-data; name=a\n\nv\n--XyZ--\n",
		"--XyZ\r\nContent-Disposition: form-data; name=a\n\nv\r\n--XyZ--",
		"--XyZjunk\r\n\r\nv\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZjunk--",
		"--XyZ\r\nno colon\r\n\r\nv\r\n--XyZ--",
		"--XyZ\r\n : x\r\n\r\nv\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\nv\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\\\"\r\n\r\nv\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\nv\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nv\r\n--XyZ--",
		("--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
		    "Content-Disposition: form-data; name=b\r\n\r\nv\r\n--XyZ--"),
		"--XyZ\r\nContent-Disposition: form-data; name=a b\r\n\r\nv\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data name=a\r\n\r\nv\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data; name=\r\n\r\nv\r\n--XyZ--",
		"--XyZ\r\nContent-Type: a\r\nContent-Type: b\r\n\r\nv\r\n--XyZ--",
		"--XyZ\r\nX-A: a\rb\r\n\r\nv\r\n--XyZ--",
		"--XyZ\r\nDup\r\n\r\n",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fl.n = 0;
		ck_status(mp(CT, bad[i]), PARSE_MALFORMED);
		ck_assert_uint_eq(fl.n, 0);
	}
	ck_status(MPLIT(CT, "--XyZ\r\nX: \0\r\n\r\n\r\n--XyZ--"),
	    PARSE_MALFORMED);
}
END_TEST

START_TEST(mp_huge_header)
{
	char *body;

	body = arena_printf(ar, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=a\r\nX-Pad: %s\r\n\r\nv\r\n--XyZ--", parsers_rep('p', 9000));
	ck_status(mp(CT, body), PARSE_MALFORMED);
	body = arena_printf(ar, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=a\r\nX-Pad: %s\r\n\r\nv\r\n--XyZ--", parsers_rep('p', 7000));
	ck_status(mp(CT, body), PARSE_OK);
	/* many short lines count too */
	body = parsers_rep('x', 12000);
	for (size_t i = 0; i + 8 <= 12000; i += 8)
		memcpy(body + i, "X-Y: z\r\n", 8);
	ck_status(mp(CT, arena_printf(ar, "--XyZ\r\n%s\r\nv\r\n--XyZ--", body)),
	    PARSE_MALFORMED);
}
END_TEST

START_TEST(mp_text_checks)
{
#define base "--XyZ\r\nContent-Disposition: form-data; name=%s\r\n" \
	    "\r\n%s\r\n--XyZ--"
	char *body;

	body = arena_printf(ar, base, "a", "\xc0\xaf");
	ck_status(mp(CT, body), PARSE_BAD_UTF8);
	body = arena_printf(ar, base, "a", "\xed\xa0\x80");
	ck_status(mp(CT, body), PARSE_BAD_UTF8);
	body = arena_printf(ar, base, "\"\xff\"", "v");
	ck_status(mp(CT, body), PARSE_BAD_UTF8);
	ck_status(MPLIT(CT, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=a\r\n\r\nx\0y\r\n--XyZ--"), PARSE_BAD_UTF8);
	body = arena_printf(ar, base, "a", parsers_rep('v', 65537));
	ck_status(mp(CT, body), PARSE_FIELD_TOO_LARGE);
	body = arena_printf(ar, base, parsers_rep('n', 257), "v");
	ck_status(mp(CT, body), PARSE_FIELD_TOO_LARGE);
	body = arena_printf(ar, base, "a", parsers_rep('v', 65536));
	ck_status(mp(CT, body), PARSE_OK);
	ck_assert_uint_eq(fl.n, 1);
}
#undef base
END_TEST

START_TEST(mp_file_limits)
{
	struct parse_limits lim = { 3, 8, 4, 16 };
#define base "--XyZ\r\nContent-Disposition: form-data; name=f; " \
	    "filename=\"%s\"\r\n\r\n%s\r\n--XyZ--"
	char *b;

	b = arena_printf(ar, base, "x", "0123456789abcdef");
	ck_status(multipart_parse(ar, CT, b, strlen(b), &lim, &fl), PARSE_OK);
	b = arena_printf(ar, base, "x", "0123456789abcdefg");
	ck_status(multipart_parse(ar, CT, b, strlen(b), &lim, &fl),
	    PARSE_FIELD_TOO_LARGE);
	b = arena_printf(ar, base, "123456789", "v");
	ck_status(multipart_parse(ar, CT, b, strlen(b), &lim, &fl),
	    PARSE_FIELD_TOO_LARGE);
	b = arena_printf(ar, base, "\xc3\x28", "v");
	ck_status(multipart_parse(ar, CT, b, strlen(b), &lim, &fl),
	    PARSE_BAD_UTF8);
	b = arena_printf(ar, base, "x", "\xff\xfe");	/* binary is fine */
	ck_status(multipart_parse(ar, CT, b, strlen(b), &lim, &fl), PARSE_OK);
	ck_assert_uint_eq(fl.n, 2);
}
#undef base
END_TEST

START_TEST(mp_too_many)
{
	struct parse_limits lim = parse_limits_default;
	const char *body, *part = "--XyZ\r\nContent-Disposition: form-data; "
	    "name=p\r\n\r\nv\r\n";
	size_t i;

	lim.max_fields = 5;
	body = "";
	for (i = 0; i < 6; i++)
		body = arena_printf(ar, "%s%s", body, part);
	body = arena_printf(ar, "%s--XyZ--", body);
	ck_status(multipart_parse(ar, CT, body, strlen(body), &lim, &fl),
	    PARSE_TOO_MANY_FIELDS);
	ck_assert_uint_eq(fl.n, 0);
	lim.max_fields = 6;
	ck_status(multipart_parse(ar, CT, body, strlen(body), &lim, &fl),
	    PARSE_OK);
	ck_assert_uint_eq(fl.n, 6);
}
END_TEST

START_TEST(mp_nomem)
{
	struct arena *a = arena_new(4096);
	char *body;

	body = arena_printf(ar, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=f; filename=x\r\n\r\n%s\r\n--XyZ--", parsers_rep('z', 8000));
	ck_status(multipart_parse(a, CT, body, strlen(body), NULL, &fl),
	    PARSE_NOMEM);
	ck_assert_uint_eq(fl.n, 0);
	arena_free(a);
}
END_TEST

/* Hostile bodies must be rejected in about linear time. */
START_TEST(mp_hostile_linear)
{
	size_t n = 4u * 1024 * 1024, i;
	char *body = parsers_rep('-', n);
	static const char head[] = "--XyZ\r\nContent-Disposition: "
	    "form-data; name=a; filename=b\r\n\r\n";
	const char *ct = "multipart/form-data; boundary="
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbba";

	/* near-misses of the delimiter everywhere */
	for (i = 0; i + 8 <= n; i += 8)
		memcpy(body + i, "\r\n--bbbb", 8);
	ck_status(multipart_parse(ar, ct, body, n, NULL, &fl), PARSE_MALFORMED);
	/* one real part, then a file that never ends */
	memcpy(body, head, sizeof(head) - 1);
	ck_status(multipart_parse(ar, CT, body, n, NULL, &fl), PARSE_MALFORMED);
	/* a header block of CRs and LFs */
	for (i = 7; i < n; i++)
		body[i] = (i & 1) ? '\r' : '\n';
	ck_status(multipart_parse(ar, CT, body, n, NULL, &fl), PARSE_MALFORMED);
	/* many tiny nameless parts */
	for (i = 0; i + 11 <= n; i += 11)
		memcpy(body + i, "--XyZ\r\n\r\n\r\n", 11);
	ck_status(multipart_parse(ar, CT, body, n, NULL, &fl), PARSE_MALFORMED);
	ck_assert_uint_eq(fl.n, 0);
}
END_TEST

TCase *
parsers_multipart_tcase(void)
{
	TCase *tc = tcase_create("multipart");

	tcase_add_checked_fixture(tc, parsers_setup, parsers_teardown);
	tcase_set_timeout(tc, 30);
	tcase_list_add(tc, mp_basic, mp_quoted_boundary, mp_file_binary, mp_empty_file_and_unnamed, mp_duplicates,
	               mp_bad_content_type, mp_boundary_length, mp_bad_framing, mp_huge_header, mp_text_checks,
	               mp_file_limits, mp_too_many, mp_nomem, mp_hostile_linear, NULL);
	return tc;
}
