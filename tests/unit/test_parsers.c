/* test_parsers: unit tests of the arena and the request parsers. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/fields.h"

/* Per-test state, reset by the fixture. */
static struct arena *ar;
static struct fields fl;

static void
setup(void)
{
	ar = arena_new(64u * 1024 * 1024);
	ck_assert_ptr_nonnull(ar);
	memset(&fl, 0, sizeof(fl));
}

static void
teardown(void)
{
	arena_free(ar);
	ar = NULL;
}

/* Parse a NUL-terminated urlencoded string with the default limits. */
static enum parse_status
form(const char *s)
{
	return form_parse_urlencoded(ar, s, strlen(s), &parse_limits_default,
	    &fl);
}

static enum parse_status
cookies(const char *s)
{
	return cookies_parse(ar, s, strlen(s), &parse_limits_default, &fl);
}

static enum parse_status
mp(const char *ct, const char *body)
{
	return multipart_parse(ar, ct, body, strlen(body),
	    &parse_limits_default, &fl);
}

/* A NUL-terminated string of n copies of c, in the arena. */
static char *
rep(char c, size_t n)
{
	char *s = arena_alloc(ar, n + 1);

	ck_assert_ptr_nonnull(s);
	memset(s, c, n);
	return s;
}

/* Parse a string literal that may hold NUL bytes. */
#define MPLIT(ct, lit) \
	multipart_parse(ar, (ct), (lit), sizeof(lit) - 1, NULL, &fl)

#define ck_status(got, want) \
	ck_assert_str_eq(parse_status_name(got), parse_status_name(want))

/* ------------------------------------------------------------- arena */

START_TEST(arena_alignment_zeroed)
{
	size_t sizes[] = { 0, 1, 3, 15, 16, 17, 100, 4000, 20000, 70000, 1 };
	size_t i, k;
	unsigned char *p;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p = arena_alloc(ar, sizes[i]);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq((uintptr_t)p % 16, 0);
		for (k = 0; k < sizes[i]; k++)
			ck_assert_uint_eq(p[k], 0);
		memset(p, 0xAA, sizes[i]);
	}
}
END_TEST

START_TEST(arena_many_small)
{
	size_t i;
	char *p;

	for (i = 0; i < 20000; i++) {
		p = arena_alloc(ar, 40);
		ck_assert_ptr_nonnull(p);
		memset(p, 'x', 40);
	}
	ck_assert_uint_ge(arena_used(ar), 20000 * 40);
}
END_TEST

START_TEST(arena_cap_exhaustion)
{
	struct arena *a = arena_new(1024);

	ck_assert_ptr_nonnull(arena_alloc(a, 512));
	ck_assert_ptr_null(arena_alloc(a, 600));
	ck_assert_ptr_nonnull(arena_alloc(a, 400));	/* still usable */
	ck_assert_ptr_nonnull(arena_alloc(a, 112));
	ck_assert_uint_eq(arena_used(a), 1024);
	ck_assert_ptr_null(arena_alloc(a, 1));
	ck_assert_ptr_null(arena_strdup(a, "x"));
	ck_assert_ptr_null(arena_printf(a, "%d", 1));
	arena_free(a);
}
END_TEST

START_TEST(arena_overflow)
{
	ck_assert_ptr_null(arena_alloc(ar, SIZE_MAX));
	ck_assert_ptr_null(arena_alloc(ar, SIZE_MAX - 8));
	ck_assert_ptr_null(arena_realloc_array(ar, NULL, 0, SIZE_MAX / 2, 3));
	ck_assert_ptr_null(arena_realloc_array(ar, NULL, 0, 2, SIZE_MAX));
	ck_assert_ptr_null(arena_memdup(ar, "x", SIZE_MAX));
	ck_assert_ptr_nonnull(arena_alloc(ar, 8));	/* still usable */
	arena_free(NULL);
	ck_assert_ptr_null(arena_alloc(NULL, 1));
	ck_assert_uint_eq(arena_used(NULL), 0);
}
END_TEST

START_TEST(arena_realloc_copies)
{
	int *v = NULL, *w;
	size_t i;

	v = arena_realloc_array(ar, v, 0, 4, sizeof(*v));
	ck_assert_ptr_nonnull(v);
	for (i = 0; i < 4; i++)
		v[i] = (int)i + 10;
	w = arena_realloc_array(ar, v, 4, 10000, sizeof(*w));
	ck_assert_ptr_nonnull(w);
	ck_assert_ptr_ne(v, w);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(w[i], (int)i + 10);
	for (i = 4; i < 10000; i++)
		ck_assert_int_eq(w[i], 0);
	v = arena_realloc_array(ar, w, 10000, 2, sizeof(*v));
	ck_assert_int_eq(v[1], 11);
}
END_TEST

START_TEST(arena_strings)
{
	char *s;
	unsigned char *m;

	ck_assert_str_eq(arena_strndup(ar, "hello", 3), "hel");
	ck_assert_str_eq(arena_strndup(ar, "hi", 10), "hi");
	ck_assert_str_eq(arena_strndup(ar, "a\0b", 3), "a");
	ck_assert_str_eq(arena_strndup(ar, "", 0), "");
	ck_assert_str_eq(arena_strdup(ar, "día"), "día");
	ck_assert_ptr_null(arena_strdup(ar, NULL));
	m = arena_memdup(ar, "a\0b", 3);
	ck_assert_int_eq(memcmp(m, "a\0b\0", 4), 0);
	s = arena_printf(ar, "%s-%d-%05.1f", "x", 42, 3.14);
	ck_assert_str_eq(s, "x-42-003.1");
	ck_assert_str_eq(arena_printf(ar, "%s", ""), "");
	s = arena_printf(ar, "%100000d", 7);
	ck_assert_uint_eq(strlen(s), 100000);
	ck_assert_int_eq(s[99999], '7');
}
END_TEST

START_TEST(arena_no_cap)
{
	struct arena *a = arena_new(0);

	ck_assert_ptr_nonnull(arena_alloc(a, 3u * 1024 * 1024));
	ck_assert_ptr_nonnull(arena_alloc(a, 10));
	arena_free(a);
}
END_TEST

/* arena_defer's record of calls: which ran, in what order, and whether
 * the arena's memory (a string in it) was still intact when they ran. */
struct defer_log {
	char order[8];
	size_t n;
	const char *arena_text;
	int text_intact;
};

static struct defer_log dlog;

static void
defer_a(void *arg)
{
	dlog.order[dlog.n++] = *(const char *)arg;
	dlog.text_intact = strcmp(dlog.arena_text, "still here") == 0;
}

START_TEST(arena_defer_runs_latest_first)
{
	struct arena *a = arena_new(0);
	static const char one = '1', two = '2', three = '3';

	memset(&dlog, 0, sizeof(dlog));
	dlog.arena_text = arena_strdup(a, "still here");
	ck_assert_int_eq(arena_defer(a, defer_a, (void *)&one), 0);
	ck_assert_int_eq(arena_defer(a, defer_a, (void *)&two), 0);
	ck_assert_int_eq(arena_defer(a, defer_a, (void *)&three), 0);
	ck_assert_uint_eq(dlog.n, 0);
	arena_free(a);
	ck_assert_str_eq(dlog.order, "321");
	ck_assert_int_eq(dlog.text_intact, 1);
}
END_TEST

START_TEST(arena_defer_refused_when_full)
{
	struct arena *a = arena_new(64);
	static const char one = '1';

	memset(&dlog, 0, sizeof(dlog));
	dlog.arena_text = "still here";
	ck_assert_ptr_nonnull(arena_alloc(a, 64));
	ck_assert_int_eq(arena_defer(a, defer_a, (void *)&one), -1);
	ck_assert_int_eq(arena_defer(NULL, defer_a, (void *)&one), -1);
	arena_free(a);
	ck_assert_uint_eq(dlog.n, 0);
}
END_TEST

/* ------------------------------------------------------------- fields */

START_TEST(fields_names_and_find)
{
	struct field f = { .name = "a", .value = "1", .value_len = 1 };
	struct parse_limits lim = parse_limits_default;
	size_t i;

	ck_assert_str_eq(parse_status_name(PARSE_OK), "ok");
	ck_assert_str_eq(parse_status_name(PARSE_MALFORMED), "malformed");
	ck_assert_str_eq(parse_status_name(PARSE_NOMEM), "nomem");
	ck_assert_str_eq(parse_status_name(PARSE__MAX), "unknown");
	ck_assert_str_eq(parse_status_name((enum parse_status)-1), "unknown");
	ck_assert_uint_eq(parse_limits_default.max_fields, 256);
	ck_assert_uint_eq(parse_limits_default.max_name, 256);
	ck_assert_uint_eq(parse_limits_default.max_value, 65536);
	ck_assert_uint_eq(parse_limits_default.max_file, 8u * 1024 * 1024);
	ck_assert_ptr_null(fields_find(&fl, "a"));
	ck_assert_ptr_null(fields_find(NULL, "a"));
	lim.max_fields = 20;
	for (i = 0; i < 20; i++)
		ck_status(fields_append(ar, &fl, 0, &lim, &f), PARSE_OK);
	ck_status(fields_append(ar, &fl, 0, &lim, &f), PARSE_TOO_MANY_FIELDS);
	ck_assert_uint_eq(fl.n, 20);
	ck_status(fields_append(ar, &fl, 20, &lim, &f), PARSE_OK);
	ck_assert_str_eq(fields_get(&fl, "a"), "1");
	ck_assert_ptr_eq(fields_find(&fl, "a"), &fl.v[0]);
	ck_assert_ptr_null(fields_get(&fl, "b"));
	ck_assert_ptr_null(fields_get(&fl, NULL));
}
END_TEST

START_TEST(fields_append_nomem)
{
	struct arena *a = arena_new(64);
	struct field f = { .name = "a", .value = "", .value_len = 0 };

	ck_status(fields_append(a, &fl, 0, NULL, &f), PARSE_NOMEM);
	ck_assert_uint_eq(fl.n, 0);
	arena_free(a);
}
END_TEST

/* ------------------------------------------------------------- utf8 */

START_TEST(utf8_valid)
{
	ck_assert_int_eq(utf8_valid_text("", 0), 1);
	ck_assert_int_eq(utf8_valid_text(NULL, 0), 1);
	ck_assert_int_eq(utf8_valid_text("plain ascii ~", 13), 1);
	ck_assert_int_eq(utf8_valid_text("\xc3\xb1", 2), 1);		/* ñ */
	ck_assert_int_eq(utf8_valid_text("\xe2\x82\xac", 3), 1);		/* € */
	ck_assert_int_eq(utf8_valid_text("\xf0\x9d\x84\x9e", 4), 1);	/* U+1D11E */
	ck_assert_int_eq(utf8_valid_text("\xf4\x8f\xbf\xbf", 4), 1);	/* U+10FFFF */
	ck_assert_int_eq(utf8_valid_text("\xed\x9f\xbf", 3), 1);		/* U+D7FF */
	ck_assert_int_eq(utf8_valid_text("\xee\x80\x80", 3), 1);		/* U+E000 */
	ck_assert_int_eq(utf8_valid_text("\xc2\x80", 2), 1);		/* U+0080 */
	ck_assert_int_eq(utf8_valid_text("\xe0\xa0\x80", 3), 1);		/* U+0800 */
	ck_assert_int_eq(utf8_valid_text("\xf0\x90\x80\x80", 4), 1);	/* U+10000 */
}
END_TEST

START_TEST(utf8_invalid)
{
	ck_assert_int_eq(utf8_valid_text("a\0b", 3), 0);		/* NUL */
	ck_assert_int_eq(utf8_valid_text("\xc0\xaf", 2), 0);		/* overlong / */
	ck_assert_int_eq(utf8_valid_text("\xc1\xbf", 2), 0);
	ck_assert_int_eq(utf8_valid_text("\xc0\x80", 2), 0);		/* overlong NUL */
	ck_assert_int_eq(utf8_valid_text("\xe0\x80\xaf", 3), 0);
	ck_assert_int_eq(utf8_valid_text("\xe0\x9f\xbf", 3), 0);
	ck_assert_int_eq(utf8_valid_text("\xf0\x80\x80\xaf", 4), 0);
	ck_assert_int_eq(utf8_valid_text("\xf0\x8f\xbf\xbf", 4), 0);
	ck_assert_int_eq(utf8_valid_text("\xed\xa0\x80", 3), 0);		/* U+D800 */
	ck_assert_int_eq(utf8_valid_text("\xed\xbf\xbf", 3), 0);		/* U+DFFF */
	ck_assert_int_eq(utf8_valid_text("\xf4\x90\x80\x80", 4), 0);	/* >U+10FFFF */
	ck_assert_int_eq(utf8_valid_text("\xf5\x80\x80\x80", 4), 0);
	ck_assert_int_eq(utf8_valid_text("\xfe", 1), 0);
	ck_assert_int_eq(utf8_valid_text("\xff", 1), 0);
	ck_assert_int_eq(utf8_valid_text("\x80", 1), 0);		/* lone cont. */
	ck_assert_int_eq(utf8_valid_text("\xe2\x82", 2), 0);		/* truncated */
	ck_assert_int_eq(utf8_valid_text("\xf0\x9d\x84", 3), 0);
	ck_assert_int_eq(utf8_valid_text("\xc3", 1), 0);
	ck_assert_int_eq(utf8_valid_text("\xe2\x82x", 3), 0);
	ck_assert_int_eq(utf8_valid_text("\xc3\xb1\xc3", 3), 0);
	/* the length bounds the read: the byte after is never looked at */
	ck_assert_int_eq(utf8_valid_text("\xc3\xb1", 1), 0);
}
END_TEST

/* ------------------------------------------------------------- form */

START_TEST(form_url_encode_round_trip)
{
	const char *enc = form_url_encode(ar, "/a b&c=d?é~x.y_z-1");

	ck_assert_str_eq(enc, "/a%20b%26c%3Dd%3F%C3%A9~x.y_z-1");
	ck_status(form(arena_printf(ar, "next=%s", enc)), PARSE_OK);
	ck_assert_str_eq(fields_get(&fl, "next"), "/a b&c=d?é~x.y_z-1");
	ck_assert_ptr_null(form_url_encode(ar, NULL));
	ck_assert_str_eq(form_url_encode(ar, ""), "");
}
END_TEST

START_TEST(form_basic)
{
	ck_status(form("a=1&b=two+words&c=%C3%B1%20x&d"), PARSE_OK);
	ck_assert_uint_eq(fl.n, 4);
	ck_assert_str_eq(fields_get(&fl, "a"), "1");
	ck_assert_str_eq(fields_get(&fl, "b"), "two words");
	ck_assert_str_eq(fields_get(&fl, "c"), "\xc3\xb1 x");
	ck_assert_str_eq(fields_get(&fl, "d"), "");
	ck_assert_uint_eq(fields_find(&fl, "c")->value_len, 4);
	ck_assert_ptr_null(fields_find(&fl, "a")->filename);
	ck_assert_ptr_null(fields_find(&fl, "a")->content_type);
}
END_TEST

START_TEST(form_names_decoded)
{
	ck_status(form("first+name=Ana&x%5By%5D=1&%2B=%2b&a=b=c"), PARSE_OK);
	ck_assert_str_eq(fields_get(&fl, "first name"), "Ana");
	ck_assert_str_eq(fields_get(&fl, "x[y]"), "1");
	ck_assert_str_eq(fields_get(&fl, "+"), "+");
	ck_assert_str_eq(fields_get(&fl, "a"), "b=c");
}
END_TEST

START_TEST(form_empty_pairs)
{
	ck_status(form(""), PARSE_OK);
	ck_assert_uint_eq(fl.n, 0);
	ck_status(form("&&&"), PARSE_OK);
	ck_assert_uint_eq(fl.n, 0);
	ck_status(form("a=1&&b=2&"), PARSE_OK);
	ck_assert_uint_eq(fl.n, 2);
	ck_status(form("=v&=&c="), PARSE_OK);	/* nameless pairs skipped */
	ck_assert_uint_eq(fl.n, 3);
	ck_assert_str_eq(fields_get(&fl, "c"), "");
	ck_status(form_parse_urlencoded(ar, NULL, 0, NULL, &fl), PARSE_OK);
}
END_TEST

START_TEST(form_duplicates)
{
	ck_status(form("id=1&id=2&id=3"), PARSE_OK);
	ck_assert_uint_eq(fl.n, 3);
	ck_assert_str_eq(fields_get(&fl, "id"), "1");
	ck_assert_str_eq(fl.v[1].value, "2");
	ck_assert_str_eq(fl.v[2].value, "3");
}
END_TEST

START_TEST(form_bad_escapes)
{
	const char *bad[] = { "%zz", "a=%zz", "a=%4", "a=%", "%", "a%=1",
	    "a=1&b=%g0", "a=%0g", "a=%%41", "a=%4%41" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fl.n = 0;
		ck_status(form(bad[i]), PARSE_MALFORMED);
		ck_assert_uint_eq(fl.n, 0);
	}
	/* a trailing '%' cut by the length is still an error */
	ck_status(form_parse_urlencoded(ar, "a=%41", 4, NULL, &fl),
	    PARSE_MALFORMED);
}
END_TEST

START_TEST(form_bad_utf8)
{
	const char *bad[] = { "a=%00", "a=%C0%AF", "a=%ED%A0%80", "a=%E2%82",
	    "a=%F4%90%80%80", "a=%FF", "%C3=1", "a=\xc3", "a=\xed\xa0\x80",
	    "a=%C3%B1%C3" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_status(form(bad[i]), PARSE_BAD_UTF8);
	ck_status(form_parse_urlencoded(ar, "a=x\0y", 5, NULL, &fl),
	    PARSE_BAD_UTF8);
	ck_status(form_parse_urlencoded(ar, "a\0=1", 4, NULL, &fl),
	    PARSE_BAD_UTF8);
	ck_assert_uint_eq(fl.n, 0);
}
END_TEST

START_TEST(form_too_many)
{
	char *s;
	size_t i, n = 0;

	s = arena_alloc(ar, 257 * 4 + 1);
	for (i = 0; i < 257; i++)
		n += (size_t)sprintf(s + n, "%sa=1", i ? "&" : "");
	ck_status(form_parse_urlencoded(ar, s, n, NULL, &fl),
	    PARSE_TOO_MANY_FIELDS);
	ck_assert_uint_eq(fl.n, 0);
	/* exactly 256: the last "&a=1" removed */
	ck_status(form_parse_urlencoded(ar, s, n - 4, NULL, &fl), PARSE_OK);
	ck_assert_uint_eq(fl.n, 256);
	/* the limit is per source: a second source may add its own 256 */
	ck_status(form_parse_urlencoded(ar, s, n - 4, NULL, &fl), PARSE_OK);
	ck_assert_uint_eq(fl.n, 512);
}
END_TEST

START_TEST(form_too_large)
{
	char *name = rep('n', 257), *val = rep('v', 65537);
	char *s;

	s = arena_printf(ar, "%s=1", name);
	ck_status(form(s), PARSE_FIELD_TOO_LARGE);
	s = arena_printf(ar, "%.256s=1", name);
	ck_status(form(s), PARSE_OK);
	s = arena_printf(ar, "a=%s", val);
	ck_status(form(s), PARSE_FIELD_TOO_LARGE);
	s = arena_printf(ar, "a=%.65536s", val);
	ck_status(form(s), PARSE_OK);
	ck_assert_uint_eq(fields_find(&fl, "a")->value_len, 65536);
	/* limits apply to decoded lengths: 256 escapes decode to 256 bytes */
	s = rep('x', 256 * 3);
	for (size_t i = 0; i < 256; i++)
		memcpy(s + 3 * i, "%41", 3);
	ck_status(form(arena_printf(ar, "%s=ok", s)), PARSE_OK);
}
END_TEST

START_TEST(form_custom_limits)
{
	struct parse_limits lim = { 2, 3, 4, 0 };

	ck_status(form_parse_urlencoded(ar, "abc=1234&b=", 11, &lim, &fl),
	    PARSE_OK);
	ck_status(form_parse_urlencoded(ar, "abcd=1", 6, &lim, &fl),
	    PARSE_FIELD_TOO_LARGE);
	ck_status(form_parse_urlencoded(ar, "a=12345", 7, &lim, &fl),
	    PARSE_FIELD_TOO_LARGE);
	ck_status(form_parse_urlencoded(ar, "a&b&c", 5, &lim, &fl),
	    PARSE_TOO_MANY_FIELDS);
	ck_assert_uint_eq(fl.n, 2);
}
END_TEST

START_TEST(form_nomem)
{
	struct arena *a = arena_new(2048);
	char *s = rep('v', 4000);

	memcpy(s, "a=", 2);
	ck_status(form_parse_urlencoded(a, s, 4000, NULL, &fl), PARSE_NOMEM);
	ck_assert_uint_eq(fl.n, 0);
	arena_free(a);
}
END_TEST

/* ------------------------------------------------------------- cookies */

START_TEST(cookies_basic)
{
	ck_status(cookies("a=1; b=2;c=3"), PARSE_OK);
	ck_assert_uint_eq(fl.n, 3);
	ck_assert_str_eq(fields_get(&fl, "a"), "1");
	ck_assert_str_eq(fields_get(&fl, "c"), "3");
	ck_status(cookies(""), PARSE_OK);
	ck_assert_uint_eq(fl.n, 3);
}
END_TEST

START_TEST(cookies_quotes_spaces)
{
	ck_status(cookies("  sid = \"abc\" ;\tq=\"\";x=\"; y=a b ; z=%41+"),
	    PARSE_OK);
	ck_assert_str_eq(fields_get(&fl, "sid"), "abc");
	ck_assert_str_eq(fields_get(&fl, "q"), "");
	ck_assert_str_eq(fields_get(&fl, "x"), "\"");
	ck_assert_str_eq(fields_get(&fl, "y"), "a b");
	ck_assert_str_eq(fields_get(&fl, "z"), "%41+");	/* not decoded */
	ck_assert_uint_eq(fields_find(&fl, "sid")->value_len, 3);
}
END_TEST

START_TEST(cookies_junk)
{
	ck_status(cookies("junk; =x; ;; a=1; b c=2; d\x01=3; e=\x01; f=\xc3; "
	    "(g)=4; h=ok; i=a=b; \xc3\xb1=5; =; ="), PARSE_OK);
	ck_assert_uint_eq(fl.n, 3);
	ck_assert_str_eq(fields_get(&fl, "a"), "1");
	ck_assert_str_eq(fields_get(&fl, "h"), "ok");
	ck_assert_str_eq(fields_get(&fl, "i"), "a=b");
	ck_status(cookies_parse(ar, "a=x\0y; n=1", 10, NULL, &fl), PARSE_OK);
	ck_assert_uint_eq(fl.n, 4);
	ck_assert_str_eq(fl.v[3].name, "n");
}
END_TEST

START_TEST(cookies_dupes_and_limits)
{
	char *s;
	size_t i, n = 0;

	ck_status(cookies("t=1; t=2"), PARSE_OK);
	ck_assert_str_eq(fields_get(&fl, "t"), "1");
	fl.n = 0;
	s = arena_printf(ar, "big=%s; n%s=1; ok=1", rep('v', 65537),
	    rep('n', 256));
	ck_status(cookies(s), PARSE_OK);	/* oversized pairs skipped */
	ck_assert_uint_eq(fl.n, 1);
	ck_assert_str_eq(fl.v[0].name, "ok");
	fl.n = 0;
	s = arena_alloc(ar, 257 * 6);
	for (i = 0; i < 257; i++)
		n += (size_t)sprintf(s + n, "a=1; ");
	ck_status(cookies_parse(ar, s, n, NULL, &fl), PARSE_TOO_MANY_FIELDS);
	ck_assert_uint_eq(fl.n, 0);
}
END_TEST

START_TEST(cookies_nomem)
{
	struct arena *a = arena_new(32);

	ck_status(cookies_parse(a, "a=1; b=2; c=3", 13, NULL, &fl),
	    PARSE_NOMEM);
	ck_assert_uint_eq(fl.n, 0);
	arena_free(a);
}
END_TEST

/* ------------------------------------------------------------- multipart */

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
	char *b70 = rep('b', 70), *b71 = rep('b', 71);
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
	    "name=a\r\nX-Pad: %s\r\n\r\nv\r\n--XyZ--", rep('p', 9000));
	ck_status(mp(CT, body), PARSE_MALFORMED);
	body = arena_printf(ar, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=a\r\nX-Pad: %s\r\n\r\nv\r\n--XyZ--", rep('p', 7000));
	ck_status(mp(CT, body), PARSE_OK);
	/* many short lines count too */
	body = rep('x', 12000);
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
	body = arena_printf(ar, base, "a", rep('v', 65537));
	ck_status(mp(CT, body), PARSE_FIELD_TOO_LARGE);
	body = arena_printf(ar, base, rep('n', 257), "v");
	ck_status(mp(CT, body), PARSE_FIELD_TOO_LARGE);
	body = arena_printf(ar, base, "a", rep('v', 65536));
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
	    "name=f; filename=x\r\n\r\n%s\r\n--XyZ--", rep('z', 8000));
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
	char *body = rep('-', n);
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

/* ------------------------------------------------------------- main */

static Suite *
parsers_suite(void)
{
	Suite *s = suite_create("parsers");
	TCase *tc;

	tc = tcase_create("arena");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, arena_alignment_zeroed);
	tcase_add_test(tc, arena_many_small);
	tcase_add_test(tc, arena_cap_exhaustion);
	tcase_add_test(tc, arena_overflow);
	tcase_add_test(tc, arena_realloc_copies);
	tcase_add_test(tc, arena_strings);
	tcase_add_test(tc, arena_no_cap);
	tcase_add_test(tc, arena_defer_runs_latest_first);
	tcase_add_test(tc, arena_defer_refused_when_full);
	suite_add_tcase(s, tc);

	tc = tcase_create("fields_utf8");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, fields_names_and_find);
	tcase_add_test(tc, fields_append_nomem);
	tcase_add_test(tc, utf8_valid);
	tcase_add_test(tc, utf8_invalid);
	suite_add_tcase(s, tc);

	tc = tcase_create("form");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, form_url_encode_round_trip);
	tcase_add_test(tc, form_basic);
	tcase_add_test(tc, form_names_decoded);
	tcase_add_test(tc, form_empty_pairs);
	tcase_add_test(tc, form_duplicates);
	tcase_add_test(tc, form_bad_escapes);
	tcase_add_test(tc, form_bad_utf8);
	tcase_add_test(tc, form_too_many);
	tcase_add_test(tc, form_too_large);
	tcase_add_test(tc, form_custom_limits);
	tcase_add_test(tc, form_nomem);
	suite_add_tcase(s, tc);

	tc = tcase_create("cookies");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, cookies_basic);
	tcase_add_test(tc, cookies_quotes_spaces);
	tcase_add_test(tc, cookies_junk);
	tcase_add_test(tc, cookies_dupes_and_limits);
	tcase_add_test(tc, cookies_nomem);
	suite_add_tcase(s, tc);

	tc = tcase_create("multipart");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, mp_basic);
	tcase_add_test(tc, mp_quoted_boundary);
	tcase_add_test(tc, mp_file_binary);
	tcase_add_test(tc, mp_empty_file_and_unnamed);
	tcase_add_test(tc, mp_duplicates);
	tcase_add_test(tc, mp_bad_content_type);
	tcase_add_test(tc, mp_boundary_length);
	tcase_add_test(tc, mp_bad_framing);
	tcase_add_test(tc, mp_huge_header);
	tcase_add_test(tc, mp_text_checks);
	tcase_add_test(tc, mp_file_limits);
	tcase_add_test(tc, mp_too_many);
	tcase_add_test(tc, mp_nomem);
	tcase_add_test(tc, mp_hostile_linear);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(parsers_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
