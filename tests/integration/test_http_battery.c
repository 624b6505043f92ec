/* test_http_battery: hostile input against the real stack (part of
 * test_http, see http_test.h): bad %-encoding, invalid UTF-8, NUL bytes,
 * very long input, duplicate and many parameters, malformed bodies and
 * random bytes; every answer is 2xx or 4xx (a redirect where one is
 * designed), no worker crashes and the site still works. */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_client.h"
#include "http_test.h"

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
			         method ? method : "GET", ht_brief(path), r.status,
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
	hostile(b, 0, "POST", "/", HDRS(ht_same_origin()), "a=%00", 5, "application/x-www-form-urlencoded");
	hostile(b, 0, "POST", "/", HDRS(ht_same_origin()), "a\0b=1", 5, "application/x-www-form-urlencoded");
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
	hostile(b, 0, "POST", "/", HDRS(ht_same_origin()), body, strlen(body), "application/x-www-form-urlencoded");
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
			hostile(b, 0, "POST", targets[t], HDRS(ht_same_origin()), cases[i].body,
			        strlen(cases[i].body), cases[i].ctype);
	/* A Content-Length the body never reaches: nginx times out or refuses. */
	hostile(b, 0, "POST", "/", HDRS(ht_same_origin(), "Content-Length: abc"), "a=1", 3,
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
			hostile(b, 0, m, path, HDRS(ht_same_origin()), path, o, "application/x-www-form-urlencoded");
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

	ck_assert_msg(http_get("/", NULL, &r) == 0, "GET / after the battery: %s", r.error);
	it_assert_status(&r, 200, "GET / after the battery");
	it_assert_has(&r, MARKER_DOCTOR, "GET / after the battery");
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

TCase *
ht_battery_tcase(void)
{
	TCase *tc = ht_tcase("hostile");

	tcase_add_loop_test(tc, test_bad_input_battery, 0,
	                    sizeof(battery_classes) / sizeof(battery_classes[0]));
	return tc;
}
