/* http_client: requests through nginx with libcurl, SQL through psql and
 * the medsysd log, for the integration tests (see http_client.h). */
#include "http_client.h"

#include "lib/totp.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <check.h>
#include <stdint.h>
#include <curl/curl.h>

static int curl_ready;

/* ------------------------------------------------------------ responses */

static char *
dup_range(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static void
free_headers(struct http_response *resp)
{
	for (size_t i = 0; i < resp->nheaders; i++) {
		free(resp->headers[i].name);
		free(resp->headers[i].value);
	}
	free(resp->headers);
	resp->headers = NULL;
	resp->nheaders = 0;
}

void
http_response_free(struct http_response *resp)
{
	if (resp == NULL)
		return;
	free_headers(resp);
	free(resp->body);
	memset(resp, 0, sizeof(*resp));
}

const char *
http_header_nth(const struct http_response *resp, const char *name, size_t n)
{
	for (size_t i = 0; i < resp->nheaders; i++)
		if (strcasecmp(resp->headers[i].name, name) == 0 && n-- == 0)
			return resp->headers[i].value;
	return NULL;
}

const char *
http_header(const struct http_response *resp, const char *name)
{
	return http_header_nth(resp, name, 0);
}

size_t
http_header_count(const struct http_response *resp, const char *name)
{
	size_t n = 0;

	for (size_t i = 0; i < resp->nheaders; i++)
		if (strcasecmp(resp->headers[i].name, name) == 0)
			n++;
	return n;
}

/* ------------------------------------------------------------- libcurl */

struct sink {
	struct http_response *resp;
	size_t cap;                /* of resp->body */
	int oom;
};

static size_t
on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	struct http_response *r = s->resp;
	size_t n = size * nmemb;

	if (r->body_len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		char *b;

		while (cap < r->body_len + n + 1)
			cap *= 2;
		if ((b = realloc(r->body, cap)) == NULL) {
			s->oom = 1;
			return 0;
		}
		r->body = b;
		s->cap = cap;
	}
	memcpy(r->body + r->body_len, data, n);
	r->body_len += n;
	r->body[r->body_len] = '\0';
	return n;
}

/* One header line (curl gives them one at a time, with CR LF). A status
 * line starts a new response: headers of an interim 1xx are dropped. */
static size_t
on_header(char *data, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	struct http_response *r = s->resp;
	size_t n = size * nmemb, len = n;
	const char *colon, *vs, *ve;
	struct http_header *h;

	while (len > 0 && (data[len - 1] == '\r' || data[len - 1] == '\n'))
		len--;
	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		free_headers(r);
		return n;
	}
	if (len == 0 || (colon = memchr(data, ':', len)) == NULL)
		return n;
	vs = colon + 1;
	ve = data + len;
	while (vs < ve && (*vs == ' ' || *vs == '\t'))
		vs++;
	while (ve > vs && (ve[-1] == ' ' || ve[-1] == '\t'))
		ve--;
	if ((h = realloc(r->headers, (r->nheaders + 1) * sizeof(*h))) == NULL) {
		s->oom = 1;
		return 0;
	}
	r->headers = h;
	h = &r->headers[r->nheaders];
	h->name = dup_range(data, (size_t)(colon - data));
	h->value = dup_range(vs, (size_t)(ve - vs));
	if (h->name == NULL || h->value == NULL) {
		free(h->name);
		free(h->value);
		s->oom = 1;
		return 0;
	}
	r->nheaders++;
	return n;
}

int
http_request(const struct http_request *rq, struct http_response *resp)
{
	const char *base = getenv("MEDSYS_URL");
	const char *method = rq->method ? rq->method : "GET";
	const char *path = rq->path ? rq->path : "/";
	struct curl_slist *hl = NULL, *tmp;
	struct sink s = { resp, 0, 0 };
	char errbuf[CURL_ERROR_SIZE] = "", *url = NULL, *ct = NULL;
	CURL *c = NULL;
	CURLcode rc;
	int ret = -1;

	memset(resp, 0, sizeof(*resp));
	if (base == NULL || *base == '\0') {
		snprintf(resp->error, sizeof(resp->error), "MEDSYS_URL is not set");
		goto out;
	}
	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			snprintf(resp->error, sizeof(resp->error), "curl_global_init failed");
			goto out;
		}
		curl_ready = 1;
	}
	if ((url = malloc(strlen(base) + strlen(path) + 1)) == NULL ||
	    (c = curl_easy_init()) == NULL) {
		snprintf(resp->error, sizeof(resp->error), "out of memory");
		goto out;
	}
	strcpy(url, base);
	strcat(url, path);

	/* Content-Type first, so that a caller's header can replace it; no
	 * body type at all unless asked (curl would invent one). */
	if (rq->body != NULL) {
		const char *t = rq->content_type;

		if ((ct = malloc(strlen("Content-Type: ") + (t ? strlen(t) : 0) + 1)) == NULL)
			goto oom;
		sprintf(ct, "Content-Type:%s%s", t ? " " : "", t ? t : "");
		if ((tmp = curl_slist_append(hl, ct)) == NULL)
			goto oom;
		hl = tmp;
	}
	for (const char *const *h = rq->headers; h && *h; h++) {
		if ((tmp = curl_slist_append(hl, *h)) == NULL)
			goto oom;
		hl = tmp;
	}

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, rq->timeout_ms > 0 ? rq->timeout_ms : HTTP_DEFAULT_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &s);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	if (rq->body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->body_len);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->body);
	}
	if (strcmp(method, "HEAD") != 0 &&
	    !(strcmp(method, "GET") == 0 && rq->body == NULL) &&
	    !(strcmp(method, "POST") == 0 && rq->body != NULL))
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);

	rc = curl_easy_perform(c);
	if (s.oom)
		goto oom;
	if (rc != CURLE_OK) {
		snprintf(resp->error, sizeof(resp->error), "%.40s %.60s: %.140s", method, path,
		         errbuf[0] ? errbuf : curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	ret = 0;
	goto out;
oom:
	snprintf(resp->error, sizeof(resp->error), "out of memory");
out:
	if (ret == -1)
		resp->status = 0;
	if (resp->body == NULL && (resp->body = calloc(1, 1)) == NULL) {
		ret = -1;
		resp->status = 0;
	}
	if (c != NULL)
		curl_easy_cleanup(c);
	curl_slist_free_all(hl);
	free(ct);
	free(url);
	return ret;
}

int
http_get(const char *path, const char *const *headers, struct http_response *resp)
{
	struct http_request rq = { .path = path, .headers = headers };

	return http_request(&rq, resp);
}

void
http_client_cleanup(void)
{
	if (curl_ready)
		curl_global_cleanup();
	curl_ready = 0;
}

/* ----------------------------------------------------------------- psql */

/* Run psql on sql and return its exit status, -1 when it could not run.
 * Its stdout goes to /dev/null, or when out is non-NULL is read into *out
 * (malloc'd, NUL-terminated; NULL if nothing could be read). */
static int
run_psql(const char *sql, char **out)
{
	const char *host = getenv("MEDSYS_PGHOST");
	const char *argv[32];
	posix_spawn_file_actions_t fa;
	int n = 0, pfd[2] = { -1, -1 }, status, ret = -1;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	pid_t pid;

	if (out != NULL)
		*out = NULL;
	if (host == NULL || *host == '\0') {
		fprintf(stderr, "http_client: MEDSYS_PGHOST is not set\n");
		return -1;
	}
	if (geteuid() == 0) {
		argv[n++] = "runuser";
		argv[n++] = "-u";
		argv[n++] = "medsys";
		argv[n++] = "--";
	}
	argv[n++] = "psql";
	argv[n++] = "-X";
	argv[n++] = "-q";
	argv[n++] = "-A";
	argv[n++] = "-t";
	argv[n++] = "-v";
	argv[n++] = "ON_ERROR_STOP=1";
	argv[n++] = "-h";
	argv[n++] = host;
	argv[n++] = "-U";
	argv[n++] = "medsys";
	argv[n++] = "-d";
	argv[n++] = "medsys";
	argv[n++] = "-c";
	argv[n++] = sql;
	argv[n] = NULL;

	if (posix_spawn_file_actions_init(&fa) != 0)
		return -1;
	if (out != NULL) {
		if (pipe2(pfd, O_CLOEXEC) == -1)
			goto out;
		posix_spawn_file_actions_adddup2(&fa, pfd[1], STDOUT_FILENO);
	} else {
		posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	}
	if (posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ) != 0) {
		fprintf(stderr, "http_client: cannot run %s: %s\n", argv[0], strerror(errno));
		goto out;
	}
	if (out != NULL) {
		close(pfd[1]);
		pfd[1] = -1;
		for (;;) {
			ssize_t got;

			if (len + 4096 + 1 > cap) {
				char *b = realloc(buf, cap = cap ? cap * 2 : 8192);

				if (b == NULL)
					break;
				buf = b;
			}
			got = read(pfd[0], buf + len, cap - len - 1);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0)
				break;
			len += (size_t)got;
		}
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			goto out;
	ret = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	if (out != NULL && buf != NULL) {
		buf[len] = '\0';
		*out = buf;
		buf = NULL;
	}
out:
	posix_spawn_file_actions_destroy(&fa);
	if (pfd[0] != -1)
		close(pfd[0]);
	if (pfd[1] != -1)
		close(pfd[1]);
	free(buf);
	return ret;
}

int
http_sql(const char *sql)
{
	return run_psql(sql, NULL);
}

char *
http_sql_line(const char *sql)
{
	char *text = NULL;
	int st = run_psql(sql, &text);

	if (st != 0) {
		free(text);
		return NULL;
	}
	if (text == NULL)
		return calloc(1, 1);
	text[strcspn(text, "\n")] = '\0';
	return text;
}

/* ------------------------------------------------------------ the stack */

char *
http_log_read(size_t *lenp)
{
	const char *dir = getenv("MEDSYS_STACK_DIR");
	char path[4096];
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0, got;

	if (dir == NULL || *dir == '\0')
		return NULL;
	snprintf(path, sizeof(path), "%s/log/medsysd.log", dir);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (len + 8192 + 1 > cap) {
			char *b = realloc(buf, cap = cap ? cap * 2 : 65536);

			if (b == NULL) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = b;
		}
		if ((got = fread(buf + len, 1, cap - len - 1, f)) == 0)
			break;
		len += got;
	}
	if (buf != NULL && ferror(f)) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf == NULL)
		return NULL;
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return buf;
}

char *
http_log_wait_line(const char *needle, long timeout_ms)
{
	struct timespec pause = { 0, 20 * 1000 * 1000 };

	for (long waited = 0;; waited += 20) {
		char *log = http_log_read(NULL), *hit, *start, *line = NULL;

		if (log != NULL && (hit = strstr(log, needle)) != NULL) {
			start = hit;
			while (start > log && start[-1] != '\n')
				start--;
			line = dup_range(start, strcspn(start, "\n"));
		}
		free(log);
		if (line != NULL || waited >= timeout_ms)
			return line;
		nanosleep(&pause, NULL);
	}
}

long
http_medsysd_pid(void)
{
	const char *pidfile = getenv("MEDSYS_PIDFILE");
	char buf[32] = "";
	FILE *f;
	long pid;
	char *end;

	if (pidfile == NULL || (f = fopen(pidfile, "r")) == NULL)
		return -1;
	if (fgets(buf, sizeof(buf), f) == NULL)
		buf[0] = '\0';
	fclose(f);
	pid = strtol(buf, &end, 10);
	if (end == buf || pid <= 0)
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	return *end == '\0' ? pid : -1;
}

/* ------------------------------------------------------------ test helpers */

static char *
it_vfmt(const char *f, va_list ap)
{
	char *s = NULL;

	ck_assert_int_ge(vasprintf(&s, f, ap), 0);
	return s;
}

char *
it_fmt(const char *f, ...)
{
	va_list ap;
	char *s;

	va_start(ap, f);
	s = it_vfmt(f, ap);
	va_end(ap);
	return s;
}

void
it_sql(const char *f, ...)
{
	va_list ap;
	char *q;
	int rc;

	va_start(ap, f);
	q = it_vfmt(f, ap);
	va_end(ap);
	rc = http_sql(q);
	ck_assert_msg(rc == 0, "SQL failed (%d): %s", rc, q);
	free(q);
}

char *
it_sql_linev(const char *f, va_list ap)
{
	char *q = it_vfmt(f, ap), *line;

	line = http_sql_line(q);
	ck_assert_msg(line != NULL, "SQL failed: %s", q);
	free(q);
	return line;
}

char *
it_sql_line(const char *f, ...)
{
	va_list ap;
	char *line;

	va_start(ap, f);
	line = it_sql_linev(f, ap);
	va_end(ap);
	return line;
}

long long
it_sql_int(const char *f, ...)
{
	va_list ap;
	char *line;
	long long v;

	va_start(ap, f);
	line = it_sql_linev(f, ap);
	va_end(ap);
	v = strtoll(line, NULL, 10);
	free(line);
	return v;
}

const char *
it_sql_str(char *out, size_t len, const char *f, ...)
{
	va_list ap;
	char *line;

	va_start(ap, f);
	line = it_sql_linev(f, ap);
	va_end(ap);
	snprintf(out, len, "%s", line);
	free(line);
	return out;
}

double
it_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
it_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

const char *
it_env(const char *name)
{
	const char *v = getenv(name);

	ck_assert_msg(v && *v, "%s is not set: run this test under tests/harness/with-stack", name);
	return v;
}

int
it_harness(const char *cmd)
{
	char line[2048];
	int rc;

	snprintf(line, sizeof(line), "'%s' %s '%s' >/dev/null", it_env("MEDSYS_HARNESS"), cmd,
	         it_env("MEDSYS_STACK_DIR"));
	rc = system(line);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

char *
it_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, *nbuf;
	size_t len = 0, cap = 0, got;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 16384;
			if ((nbuf = realloc(buf, cap)) == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nbuf;
		}
		if ((got = fread(buf + len, 1, cap - len - 1, f)) == 0)
			break;
		len += got;
	}
	if (ferror(f)) {
		free(buf);
		buf = NULL;
	} else {
		buf[len] = '\0';
	}
	fclose(f);
	return buf;
}

void
it_random_hex(char *out, size_t nbytes)
{
	unsigned char b[64];
	int fd = open("/dev/urandom", O_RDONLY);

	ck_assert_uint_le(nbytes, sizeof(b));
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, b, nbytes), (ssize_t)nbytes);
	close(fd);
	for (size_t i = 0; i < nbytes; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	out[2 * nbytes] = '\0';
}

char *
it_urlencode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(strlen(s) * 3 + 1), *o = out;

	ck_assert_ptr_nonnull(out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~') {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

int
it_sql_wait(const char *want, double timeout, const char *f, ...)
{
	double end = it_now() + timeout;
	char *q;
	va_list ap;
	int rc;

	va_start(ap, f);
	q = it_vfmt(f, ap);
	va_end(ap);
	for (;;) {
		char *line = http_sql_line(q);
		ck_assert_msg(line != NULL, "SQL failed: %s", q);
		rc = strcmp(line, want) == 0 ? 0 : -1;
		free(line);
		if (rc == 0 || it_now() > end)
			break;
		it_sleep_ms(50);
	}
	free(q);
	return rc;
}

Suite *
it_suite(const char *name, double timeout, ...)
{
	Suite *s = suite_create(name);
	TCase *tc = tcase_create(name);
	va_list ap;

	tcase_set_timeout(tc, timeout);
	va_start(ap, timeout);
	for (const TTest *t = va_arg(ap, const TTest *); t != NULL; t = va_arg(ap, const TTest *))
		tcase_add_test(tc, t);
	va_end(ap);
	suite_add_tcase(s, tc);
	return s;
}

int
it_run_suites(Suite *first, ...)
{
	SRunner *sr = srunner_create(first);
	va_list ap;
	int failed;

	va_start(ap, first);
	for (Suite *s = va_arg(ap, Suite *); s != NULL; s = va_arg(ap, Suite *))
		srunner_add_suite(sr, s);
	va_end(ap);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	http_client_cleanup();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

char *
it_when_es(const char *instant, int with_time)
{
	return it_sql_line("SELECT (ARRAY['lunes','martes','miércoles','jueves','viernes','sábado','domingo'])"
	                   "[extract(isodow FROM l)::int] || ' ' || extract(day FROM l)::int || ' de ' || "
	                   "(ARRAY['enero','febrero','marzo','abril','mayo','junio','julio','agosto','septiembre',"
	                   "'octubre','noviembre','diciembre'])[extract(month FROM l)::int] || "
	                   "CASE WHEN extract(year FROM l) <> extract(year FROM now() AT TIME ZONE 'UTC') "
	                   "THEN ' de ' || extract(year FROM l)::int ELSE '' END || "
	                   "CASE WHEN %d = 1 THEN ', ' || to_char(l, 'HH24:MI') ELSE '' END "
	                   "FROM (SELECT (%s) AT TIME ZONE 'Europe/Madrid' AS l) x", with_time ? 1 : 0, instant);
}

int
it_medsysctl(const char *command)
{
	char *cmd = it_fmt("%s %s/medsysctl --config %s %s >/dev/null",
	                   geteuid() == 0 ? "runuser -u medsys --" : "", it_env("MEDSYS_BUILDDIR"),
	                   it_env("MEDSYS_CONF"), command);
	int st = system(cmd);

	free(cmd);
	return st;
}
