/* faults_util: what test_faults needs around the running stack: the
 * medsysd processes, request loops counted in shared memory, the log. */
#include "faults_util.h"

#include <curl/curl.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

const char *const spanish[] = { "Accept-Language: es", NULL };

/* ------------------------------------------------------------ stack */

int
configured_workers(void)
{
	const char *v = getenv("MEDSYS_WORKERS");

	return v && atoi(v) > 0 ? atoi(v) : 3;
}

pid_t
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
int
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
int
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

int
contains_pid(const pid_t *v, int n, pid_t pid)
{
	for (int i = 0; i < n; i++)
		if (v[i] == pid)
			return 1;
	return 0;
}

/* Poll until ppid has exactly want live children and none of them is in
 * old[0..nold); their pids in out. Returns 0, or -1 at the deadline. */
int
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

int
pg_running(void)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/pg/postmaster.pid", it_env("MEDSYS_STACK_DIR"));
	return access(path, F_OK) == 0;
}

/* The socket medsysd listens on: "listen = PATH" in $MEDSYS_CONF. */
void
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
long
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

long
get_status(const char *path)
{
	struct http_response resp;
	long st = get(path, &resp, NULL);

	http_response_free(&resp);
	return st;
}


static size_t
discard(char *p, size_t size, size_t n, void *u)
{
	(void)p;
	(void)u;
	return size * n;
}

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

struct tally *
tally_new(void)
{
	struct tally *t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE,
	                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	ck_assert_ptr_ne(t, MAP_FAILED);
	memset(t, 0, sizeof(*t));
	return t;
}

/* A description of the recorded mismatches, for assertion messages. */
const char *
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
struct tally *
burst(const char *path, int parallel, long n, long expect)
{
	struct tally *t = tally_new();

	request_loop(path, parallel, n, expect, 0, t, 0);
	return t;
}


struct loader
loader_start(const char *path, int parallel, int post)
{
	struct loader l = { 0, post ? 405 : 200, tally_new() };
	pid_t me = getpid();

	fflush(NULL);
	l.pid = fork();
	ck_assert_int_ne(l.pid, -1);
	if (l.pid == 0) {
		/* Never outlive the test, even when an assertion ends it. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != me)
			_exit(1);
		request_loop(path, parallel, 0, l.expect, post, l.t, me);
		_exit(0);
	}
	return l;
}

/* Wait until the loader has seen at least n more responses than now. */
void
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

void
loader_stop(struct loader *l)
{
	int status;

	atomic_store(&l->t->stop, 1);
	ck_assert_int_eq(waitpid(l->pid, &status, 0), l->pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	              "the request loop process ended badly (status %d)", status);
}

/* The medsysd log from byte offset `from`, malloc'd. */
char *
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

size_t
log_size(void)
{
	size_t len = 0;
	char *all = http_log_read(&len);

	ck_assert_ptr_nonnull(all);
	free(all);
	return len;
}
