/* test_faults: the running stack under faults: PostgreSQL down and back,
 * a worker killed, reloads and a worker drained under load, shutdown. */
#include <check.h>
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "http_client.h"

#define MAX_WORKERS 64
#define MAX_PARALLEL 16
#define MAX_RECORDED 8
/* Above nginx's fastcgi_read_timeout (30 s), so that a hung worker shows
 * up as nginx's answer rather than as ours. */
#define REQUEST_TIMEOUT_MS 35000L

/* The Spanish title of the 503 page (templates/lang/es.hdf). */
static const char unavailable_title_es[] = "Servicio no disponible temporalmente";
static const char *const spanish[] = { "Accept-Language: es", NULL };

/* ------------------------------------------------------------ stack */

static int
configured_workers(void)
{
	const char *v = getenv("MEDSYS_WORKERS");

	return v && atoi(v) > 0 ? atoi(v) : 3;
}

static pid_t
parent_pid(void)
{
	long pid = http_medsysd_pid();

	ck_assert_msg(pid > 1, "no medsysd pid in %s", it_env("MEDSYS_PIDFILE"));
	return (pid_t)pid;
}

/* State letter and parent of a process from /proc/PID/stat; 0 when there
 * is no such process. */
static char
proc_state(pid_t pid, pid_t *ppid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;
	char state = 0;
	long pp = 0;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The command name may hold spaces and parentheses: skip to the last ')'. */
	if ((p = strrchr(buf, ')')) == NULL || sscanf(p + 1, " %c %ld", &state, &pp) != 2)
		return 0;
	if (ppid)
		*ppid = (pid_t)pp;
	return state;
}

/* Running (not zombie) process? */
static int
alive(pid_t pid)
{
	char st = proc_state(pid, NULL);

	return st != 0 && st != 'Z' && st != 'X';
}

static int
cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* The live children of ppid (what `pgrep -P ppid` lists, zombies left
 * out), sorted. Returns how many. */
static int
workers_of(pid_t ppid, pid_t out[MAX_WORKERS])
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL && n < MAX_WORKERS) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);
		pid_t pp = 0;
		char st;
		if (*end != '\0' || pid <= 0)
			continue;
		st = proc_state((pid_t)pid, &pp);
		if (pp == ppid && st != 0 && st != 'Z' && st != 'X')
			out[n++] = (pid_t)pid;
	}
	closedir(d);
	qsort(out, (size_t)n, sizeof(out[0]), cmp_pid);
	return n;
}

static int
contains_pid(const pid_t *v, int n, pid_t pid)
{
	for (int i = 0; i < n; i++)
		if (v[i] == pid)
			return 1;
	return 0;
}

/* Poll until ppid has exactly want live children and none of them is in
 * old[0..nold); their pids in out. Returns 0, or -1 at the deadline. */
static int
wait_workers_replaced(pid_t ppid, int want, const pid_t *old, int nold, double timeout,
                      pid_t out[MAX_WORKERS])
{
	double deadline = it_now() + timeout;

	for (;;) {
		int n = workers_of(ppid, out), stale = 0;
		for (int i = 0; i < n; i++)
			stale |= contains_pid(old, nold, out[i]);
		if (n == want && !stale)
			return 0;
		if (it_now() > deadline)
			return -1;
		it_sleep_ms(50);
	}
}

static int
pg_running(void)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/pg/postmaster.pid", it_env("MEDSYS_STACK_DIR"));
	return access(path, F_OK) == 0;
}

/* The socket medsysd listens on: "listen = PATH" in $MEDSYS_CONF. */
static void
socket_path(char *out, size_t outlen)
{
	FILE *f = fopen(it_env("MEDSYS_CONF"), "r");
	char line[1024];

	ck_assert_ptr_nonnull(f);
	out[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		char *p = line;
		if (strncmp(p, "listen", 6) != 0)
			continue;
		p += 6;
		p += strspn(p, " \t");
		if (*p != '=')
			continue;
		p++;
		p += strspn(p, " \t");
		p[strcspn(p, "\r\n")] = '\0';
		snprintf(out, outlen, "%s", p);
	}
	fclose(f);
	ck_assert_msg(out[0] != '\0', "no listen line in %s", it_env("MEDSYS_CONF"));
}

/* ------------------------------------------------------------ requests */

/* One GET with the long timeout; the elapsed seconds in *secs. */
static long
get(const char *path, struct http_response *resp, double *secs)
{
	struct http_request rq = { .path = path, .headers = spanish,
	                           .timeout_ms = REQUEST_TIMEOUT_MS };
	double t0 = it_now();

	memset(resp, 0, sizeof(*resp));
	http_request(&rq, resp);
	if (secs)
		*secs = it_now() - t0;
	return resp->status;
}

static long
get_status(const char *path)
{
	struct http_response resp;
	long st = get(path, &resp, NULL);

	http_response_free(&resp);
	return st;
}

/* Counts of a request loop, in memory shared with a loader process. */
struct tally {
	atomic_long total;          /* responses (or transport failures) seen */
	atomic_long matched;        /* of them with the expected status */
	atomic_int stop;            /* set by the test: finish and report */
	double max_secs;            /* slowest request */
	int nrecorded;              /* the first mismatches, for the message */
	struct {
		long status;
		int curl_code;
		double at;          /* seconds after the loop started */
	} recorded[MAX_RECORDED];
};

static size_t
discard(char *p, size_t size, size_t n, void *u)
{
	(void)p;
	(void)u;
	return size * n;
}

/* MEDSYS_FAULTS_POST=1 (by hand only) makes the request loops of the
 * reload and drain tests send POSTs (the *_post cases do so always):
 * medsysd answers them 405, anything else is a lost request.
 * Each POST comes from another 127.1.x.y address so that nginx's POST rate
 * limit (per address) stays out of the way. */
static int post_forced;   /* set by the *_post cases' fixture */

static int
post_mode(void)
{
	const char *v = getenv("MEDSYS_FAULTS_POST");

	return post_forced || (v && *v && strcmp(v, "0") != 0);
}

static void force_post(void) { post_forced = 1; }
static void unforce_post(void) { post_forced = 0; }

static CURL *
loop_handle(const char *url, struct curl_slist *hdrs, int post)
{
	CURL *c = curl_easy_init();

	ck_assert_ptr_nonnull(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, REQUEST_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (post)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, "probe=1");
	return c;
}

/* Queue one request of handle e (a POST from the next source address). */
static void
loop_add(CURLM *m, CURL *e, int post)
{
	static unsigned n;
	char addr[32];

	if (post) {
		snprintf(addr, sizeof(addr), "127.1.%u.%u", (n / 250) % 250 + 1, n % 250 + 1);
		n++;
		curl_easy_setopt(e, CURLOPT_INTERFACE, addr);
	}
	curl_multi_add_handle(m, e);
}

/* GET (or POST) path on `parallel` kept-alive connections at once, each
 * starting its next request when the previous one ends, until `limit`
 * requests have been started (0: no limit) and t->stop is set, or owner
 * (when not 0) is no longer our parent. Every outcome is counted in t. */
static void
request_loop(const char *path, int parallel, long limit, long expect, int post,
             struct tally *t, pid_t owner)
{
	char url[1024];
	struct curl_slist *hdrs = curl_slist_append(NULL, spanish[0]);
	CURLM *m = curl_multi_init();
	CURL *h[MAX_PARALLEL];
	long started = 0;
	int active = 0;
	double t0 = it_now();

	snprintf(url, sizeof(url), "%s%s", it_env("MEDSYS_URL"), path);
	ck_assert_ptr_nonnull(m);
	if (parallel > MAX_PARALLEL)
		parallel = MAX_PARALLEL;
	for (int i = 0; i < parallel; i++) {
		h[i] = loop_handle(url, hdrs, post);
		if (limit == 0 || started < limit) {
			loop_add(m, h[i], post);
			started++;
			active++;
		}
	}
	while (active > 0) {
		int running, queued;
		CURLMsg *msg;

		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &queued)) != NULL) {
			CURL *e = msg->easy_handle;
			long status = 0;
			double secs = 0;
			if (msg->msg != CURLMSG_DONE)
				continue;
			if (msg->data.result == CURLE_OK)
				curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
			curl_easy_getinfo(e, CURLINFO_TOTAL_TIME, &secs);
			if (secs > t->max_secs)
				t->max_secs = secs;
			if (status == expect) {
				atomic_fetch_add(&t->matched, 1);
			} else if (t->nrecorded < MAX_RECORDED) {
				t->recorded[t->nrecorded].status = status;
				t->recorded[t->nrecorded].curl_code = (int)msg->data.result;
				t->recorded[t->nrecorded].at = it_now() - t0;
				t->nrecorded++;
			}
			atomic_fetch_add(&t->total, 1);
			curl_multi_remove_handle(m, e);
			active--;
			if (!atomic_load(&t->stop) && (limit == 0 || started < limit) &&
			    (owner == 0 || getppid() == owner)) {
				loop_add(m, e, post);
				started++;
				active++;
			}
		}
		if (active > 0)
			curl_multi_poll(m, NULL, 0, 50, NULL);
	}
	for (int i = 0; i < parallel; i++)
		curl_easy_cleanup(h[i]);
	curl_multi_cleanup(m);
	curl_slist_free_all(hdrs);
}

static struct tally *
tally_new(void)
{
	struct tally *t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE,
	                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	ck_assert_ptr_ne(t, MAP_FAILED);
	memset(t, 0, sizeof(*t));
	return t;
}

/* A description of the recorded mismatches, for assertion messages. */
static const char *
tally_failures(const struct tally *t)
{
	static char buf[1024];
	size_t o = 0;

	buf[0] = '\0';
	for (int i = 0; i < t->nrecorded && o < sizeof(buf) - 80; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, " [status %ld, curl %d, at %.2fs]",
		                      t->recorded[i].status, t->recorded[i].curl_code,
		                      t->recorded[i].at);
	return buf;
}

/* `n` GETs of path, `parallel` at a time, in this process. */
static struct tally *
burst(const char *path, int parallel, long n, long expect)
{
	struct tally *t = tally_new();

	request_loop(path, parallel, n, expect, 0, t, 0);
	return t;
}

/* A child process that keeps requesting path until loader_stop; every
 * answer must be `expect` (200; 405 in POST mode). */
struct loader {
	pid_t pid;
	long expect;
	struct tally *t;
};

static struct loader
loader_start(const char *path, int parallel)
{
	struct loader l = { 0, post_mode() ? 405 : 200, tally_new() };
	pid_t me = getpid();

	fflush(NULL);
	l.pid = fork();
	ck_assert_int_ne(l.pid, -1);
	if (l.pid == 0) {
		/* Never outlive the test, even when an assertion ends it. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != me)
			_exit(1);
		request_loop(path, parallel, 0, l.expect, post_mode(), l.t, me);
		_exit(0);
	}
	return l;
}

/* Wait until the loader has seen at least n more responses than now. */
static void
loader_wait_progress(const struct loader *l, long n, double timeout)
{
	long target = atomic_load(&l->t->total) + n;
	double deadline = it_now() + timeout;

	while (atomic_load(&l->t->total) < target) {
		ck_assert_msg(it_now() < deadline, "the request loop made no progress in %.0f s "
		              "(%ld responses so far)", timeout, atomic_load(&l->t->total));
		it_sleep_ms(20);
	}
}

static void
loader_stop(struct loader *l)
{
	int status;

	atomic_store(&l->t->stop, 1);
	ck_assert_int_eq(waitpid(l->pid, &status, 0), l->pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	              "the request loop process ended badly (status %d)", status);
}

/* The medsysd log from byte offset `from`, malloc'd. */
static char *
log_since(size_t from)
{
	size_t len;
	char *all = http_log_read(&len), *tail;

	ck_assert_ptr_nonnull(all);
	if (from > len)
		from = len;
	tail = strdup(all + from);
	free(all);
	return tail;
}

static size_t
log_size(void)
{
	size_t len = 0;
	char *all = http_log_read(&len);

	ck_assert_ptr_nonnull(all);
	free(all);
	return len;
}

/* ------------------------------------------------------------ fixture */

/* Every test starts from a healthy stack: PostgreSQL up (a failed outage
 * test may have left it down) and /healthz answering 200. */
static void
stack_healthy(void)
{
	double deadline = it_now() + 20;

	if (!pg_running())
		ck_assert_int_eq(it_harness("pg-start"), 0);
	while (get_status("/healthz") != 200) {
		ck_assert_msg(it_now() < deadline, "the stack is not healthy before the test");
		it_sleep_ms(100);
	}
}

/* ------------------------------------------------------------ tests */

/* PostgreSQL stopped: quick 503 pages, no crash; started again: 200
 * without restarting medsysd, and every worker back on the database. */
START_TEST(test_postgres_outage)
{
	pid_t ppid = parent_pid(), before[MAX_WORKERS], after[MAX_WORKERS];
	int want = configured_workers(), n;
	double recover_t0, recovered = 0, secs;
	struct http_response resp;
	struct tally *t;
	size_t log_at;
	char *log;
	double deadline;
	int from_medsysd;

	n = workers_of(ppid, before);
	ck_assert_int_eq(n, want);
	log_at = log_size();
	ck_assert_int_eq(it_harness("pg-stop"), 0);
	ck_assert(!pg_running());

	/* The 503 page: in the layout, in Spanish, with Retry-After, fast.
	 * medsysd's page, not nginx's static fallback for a failed upstream
	 * (which has the same title, but neither the layout nor a request id). */
	for (int i = 0; i < 5; i++) {
		const char *ra;
		ck_assert_int_eq(get("/", &resp, &secs), 503);
		ck_assert_msg(secs < 5, "a 503 took %.2f s", secs);
		ra = http_header(&resp, "Retry-After");
		ck_assert_msg(ra && atoi(ra) > 0, "no usable Retry-After (%s)", ra ? ra : "none");
		ck_assert_ptr_nonnull(strstr(resp.body, unavailable_title_es));
		ck_assert_ptr_nonnull(strstr(resp.body, "<!DOCTYPE html>"));
		ck_assert_ptr_nonnull(strstr(resp.body, "<link rel=\"stylesheet\" href=\"/static/style.css\">"));
		ck_assert_ptr_nonnull(strstr(resp.body, "<main id=\"main\">"));
		ck_assert_ptr_nonnull(strstr(resp.body, "<section class=\"error\">"));
		ck_assert_ptr_nonnull(strstr(resp.body, "<title>Servicio no disponible temporalmente · "));
		http_response_free(&resp);
	}
	/* Several at once, so that every worker meets the outage. */
	t = burst("/", want * 2, 30, 503);
	ck_assert_msg(atomic_load(&t->matched) == 30, "during the outage %ld of 30 were 503:%s",
	              atomic_load(&t->matched), tally_failures(t));
	ck_assert_msg(t->max_secs < 5, "a 503 took %.2f s", t->max_secs);
	ck_assert_int_eq(get("/healthz", &resp, &secs), 503);
	ck_assert_msg(secs < 5, "/healthz took %.2f s", secs);
	/* It says what failed, not a fixed string. */
	ck_assert_msg(strncmp(resp.body, "unavailable\ndatabase: no connection (after ", 43) == 0,
	              "/healthz during the outage: %s", resp.body);
	http_response_free(&resp);
	/* Every one of those 503s was medsysd's own answer (its request log
	 * line comes just after the response: poll for it). */
	deadline = it_now() + 5;
	do {
		from_medsysd = 0;
		log = log_since(log_at);
		for (char *p = log; (p = strstr(p, "route=home status=503 ")) != NULL; p++)
			from_medsysd++;
		free(log);
		if (from_medsysd >= 35)
			break;
		it_sleep_ms(50);
	} while (it_now() < deadline);
	ck_assert_msg(from_medsysd >= 35, "medsysd logged %d of the 35 503s on /", from_medsysd);

	ck_assert_int_eq(parent_pid(), ppid);
	ck_assert_msg(alive(ppid), "medsysd's parent died");
	ck_assert_int_eq(workers_of(ppid, after), n);
	ck_assert_msg(memcmp(before, after, (size_t)n * sizeof(pid_t)) == 0,
	              "a worker was replaced during the outage (it crashed?)");

	/* Back up: 200 within 10 s, same processes. */
	log_at = log_size();
	ck_assert_int_eq(it_harness("pg-start"), 0);
	recover_t0 = it_now();
	while (get_status("/") != 200) {
		ck_assert_msg(it_now() - recover_t0 < 10, "/ is not 200 10 s after PostgreSQL restarted");
		it_sleep_ms(100);
	}
	recovered = it_now() - recover_t0;
	printf("faults: / answered 200 again %.2f s after pg-start returned\n", recovered);
	ck_assert_int_eq(parent_pid(), ppid);
	ck_assert_int_eq(workers_of(ppid, after), n);
	ck_assert_msg(memcmp(before, after, (size_t)n * sizeof(pid_t)) == 0,
	              "medsysd's workers were restarted");

	/* A worker that failed to connect retries at most once a second
	 * (db.c); let that window pass, then nothing may fail any more. */
	it_sleep_ms(1100);
	t = burst("/", want * 2, 120, 200);
	ck_assert_msg(atomic_load(&t->matched) == 120, "after recovery %ld of 120 were 200:%s",
	              atomic_load(&t->matched), tally_failures(t));
	ck_assert_int_eq(get_status("/healthz"), 200);
	/* Every worker reconnected (and so prepared its statements again). */
	log = log_since(log_at);
	for (int i = 0; i < n; i++) {
		char needle[96];
		snprintf(needle, sizeof(needle), "info pid=%ld database connected", (long)after[i]);
		ck_assert_msg(strstr(log, needle) != NULL, "worker %ld did not reconnect", (long)after[i]);
	}
	free(log);
}
END_TEST

/* PostgreSQL restarted while nobody was asking: each worker's connection
 * is dead without it knowing. db.h promises one retry on a new connection,
 * so not a single request may fail. */
START_TEST(test_postgres_restart_while_idle)
{
	int want = configured_workers();
	struct tally *t;

	/* Every worker holds a live connection first. */
	t = burst("/", want * 2, 60, 200);
	ck_assert_msg(atomic_load(&t->matched) == 60, "before the restart %ld of 60 were 200:%s",
	              atomic_load(&t->matched), tally_failures(t));
	ck_assert_int_eq(it_harness("pg-stop"), 0);
	ck_assert_int_eq(it_harness("pg-start"), 0);
	t = burst("/", want * 2, 60, 200);
	ck_assert_msg(atomic_load(&t->matched) == 60, "after the restart %ld of 60 were 200:%s",
	              atomic_load(&t->matched), tally_failures(t));
}
END_TEST

/* A worker killed outright is replaced and nothing else notices. */
START_TEST(test_worker_sigkill_replaced)
{
	pid_t ppid = parent_pid(), before[MAX_WORKERS], after[MAX_WORKERS];
	int n = workers_of(ppid, before);
	double t0;
	struct tally *t;

	ck_assert_int_eq(n, configured_workers());
	ck_assert_int_eq(kill(before[0], SIGKILL), 0);
	t0 = it_now();
	ck_assert_msg(wait_workers_replaced(ppid, n, before, 1, 5, after) == 0,
	              "worker %ld was not replaced within 5 s", (long)before[0]);
	printf("faults: killed worker replaced in %.2f s\n", it_now() - t0);
	for (int i = 1; i < n; i++)
		ck_assert_msg(contains_pid(after, n, before[i]), "worker %ld went away too",
		              (long)before[i]);
	t = burst("/", 4, 50, 200);
	ck_assert_msg(atomic_load(&t->matched) == 50, "after the kill %ld of 50 were 200:%s",
	              atomic_load(&t->matched), tally_failures(t));
}
END_TEST

/* Two reloads (SIGHUP) under a steady request loop: every worker
 * replaced, not one request lost. */
START_TEST(test_sighup_reload_loses_nothing)
{
	pid_t ppid = parent_pid(), old[MAX_WORKERS], now[MAX_WORKERS];
	int want = configured_workers(), n;
	struct loader l;
	long total;

	ck_assert_int_eq(workers_of(ppid, old), want);
	l = loader_start("/", 4);
	loader_wait_progress(&l, 30, 15);
	for (int round = 0; round < 2; round++) {
		double t0 = it_now();
		n = workers_of(ppid, old);
		ck_assert_int_eq(kill(ppid, SIGHUP), 0);
		/* A worker gets drain_timeout (10 s in the harness) per stop. */
		ck_assert_msg(wait_workers_replaced(ppid, want, old, n, 60, now) == 0,
		              "reload %d did not replace every worker", round + 1);
		printf("faults: reload %d replaced %d workers in %.2f s\n", round + 1, n, it_now() - t0);
		loader_wait_progress(&l, 30, 15);
	}
	loader_stop(&l);
	total = atomic_load(&l.t->total);
	printf("faults: %ld %s during two reloads, %ld answered %ld, slowest %.2f s\n",
	       total, post_mode() ? "POSTs" : "GETs", atomic_load(&l.t->matched), l.expect,
	       l.t->max_secs);
	ck_assert_msg(atomic_load(&l.t->matched) == total, "%ld of %ld requests failed:%s",
	              total - atomic_load(&l.t->matched), total, tally_failures(l.t));
	ck_assert_msg(total >= 100, "only %ld requests during the reloads", total);
	ck_assert_int_eq(parent_pid(), ppid);
	ck_assert_int_eq(workers_of(ppid, now), want);
}
END_TEST

/* SIGTERM to one worker under load: it finishes, the parent replaces it,
 * no request fails. */
START_TEST(test_worker_sigterm_drains)
{
	pid_t ppid = parent_pid(), before[MAX_WORKERS], after[MAX_WORKERS];
	int n = workers_of(ppid, before);
	struct loader l;
	long total;
	double t0;

	ck_assert_int_eq(n, configured_workers());
	l = loader_start("/", 4);
	loader_wait_progress(&l, 30, 15);
	ck_assert_int_eq(kill(before[0], SIGTERM), 0);
	t0 = it_now();
	ck_assert_msg(wait_workers_replaced(ppid, n, before, 1, 15, after) == 0,
	              "worker %ld was not replaced within 15 s of its SIGTERM", (long)before[0]);
	printf("faults: terminated worker replaced in %.2f s\n", it_now() - t0);
	loader_wait_progress(&l, 30, 15);
	loader_stop(&l);
	total = atomic_load(&l.t->total);
	printf("faults: %ld %s around a worker's SIGTERM, %ld answered %ld\n", total,
	       post_mode() ? "POSTs" : "GETs", atomic_load(&l.t->matched), l.expect);
	ck_assert_msg(atomic_load(&l.t->matched) == total, "%ld of %ld requests failed:%s",
	              total - atomic_load(&l.t->matched), total, tally_failures(l.t));
	ck_assert_int_eq(parent_pid(), ppid);
	ck_assert_msg(alive(ppid), "the parent stopped");
}
END_TEST

/* Last: SIGTERM to the parent stops everything and removes the socket. */
START_TEST(test_parent_sigterm_stops)
{
	pid_t ppid = parent_pid(), w[MAX_WORKERS];
	int n = workers_of(ppid, w), left;
	char sock[1024];
	struct stat st;
	double t0, deadline;

	socket_path(sock, sizeof(sock));
	ck_assert_int_eq(n, configured_workers());
	ck_assert_msg(stat(sock, &st) == 0 && S_ISSOCK(st.st_mode), "no socket at %s", sock);
	ck_assert_int_eq(kill(ppid, SIGTERM), 0);
	t0 = it_now();
	deadline = t0 + 15;
	do {
		left = alive(ppid);
		for (int i = 0; i < n; i++)
			left += alive(w[i]);
		if (left == 0)
			break;
		it_sleep_ms(50);
	} while (it_now() < deadline);
	ck_assert_msg(left == 0, "%d medsysd processes still running 15 s after SIGTERM", left);
	printf("faults: medsysd stopped %.2f s after SIGTERM\n", it_now() - t0);
	ck_assert_msg(access(sock, F_OK) == -1 && errno == ENOENT, "the socket %s is still there", sock);
	ck_assert_msg(access(it_env("MEDSYS_PIDFILE"), F_OK) == -1, "the pid file is still there");
}
END_TEST

/* One case per test, run in this order (the last one stops medsysd); a
 * single one can be run by hand with CK_RUN_CASE=name. post: the request
 * loops send POSTs, which nginx must not lose either. */
static void
add_case_mode(Suite *s, const char *name, const TTest *test, int post)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, stack_healthy, NULL);
	if (post)
		tcase_add_checked_fixture(tc, force_post, unforce_post);
	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, test);
	suite_add_tcase(s, tc);
}

static void
add_case(Suite *s, const char *name, const TTest *test)
{
	add_case_mode(s, name, test, 0);
}

static Suite *
faults_suite(void)
{
	Suite *s = suite_create("faults");

	add_case(s, "pg_outage", test_postgres_outage);
	add_case(s, "pg_restart_idle", test_postgres_restart_while_idle);
	add_case(s, "worker_sigkill", test_worker_sigkill_replaced);
	add_case(s, "sighup_reload", test_sighup_reload_loses_nothing);
	add_case(s, "worker_sigterm", test_worker_sigterm_drains);
	add_case_mode(s, "sighup_reload_post", test_sighup_reload_loses_nothing, 1);
	add_case_mode(s, "worker_sigterm_post", test_worker_sigterm_drains, 1);
	add_case(s, "parent_sigterm", test_parent_sigterm_stops);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (getenv("MEDSYS_URL") == NULL) {
		fprintf(stderr, "test_faults: MEDSYS_URL is not set: run it under "
		        "tests/harness/with-stack (tests/integration/faults.stack)\n");
		return 77;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	sr = srunner_create(faults_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	http_client_cleanup();
	curl_global_cleanup();
	return failed == 0 ? 0 : 1;
}
