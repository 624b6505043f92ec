/* faults_util: helpers of test_faults (processes, request loops, log). */
#ifndef MEDSYS_FAULTS_UTIL_H
#define MEDSYS_FAULTS_UTIL_H

#include <stdatomic.h>
#include <stddef.h>
#include <sys/types.h>

#include "http_client.h"

#define MAX_WORKERS 64
#define MAX_PARALLEL 16
#define MAX_RECORDED 8
/* Above nginx's fastcgi_read_timeout (30 s), so that a hung worker shows
 * up as nginx's answer rather than as ours. */
#define REQUEST_TIMEOUT_MS 35000L

/* { "Accept-Language: es", NULL }: every request asks for Spanish. */
extern const char *const spanish[];

/* ------------------------------------------------------------ stack */

/* The pool size the harness started ($MEDSYS_WORKERS, else 3). */
int configured_workers(void);

/* medsysd's parent, from the pid file (fails the test when there is none). */
pid_t parent_pid(void);

/* Running (not zombie) process? */
int alive(pid_t pid);

/* The live children of ppid (what `pgrep -P ppid` lists, zombies left
 * out), sorted. Returns how many. */
int workers_of(pid_t ppid, pid_t out[MAX_WORKERS]);

/* Is pid among v[0..n)? */
int contains_pid(const pid_t *v, int n, pid_t pid);

/* Poll until ppid has exactly want live children and none of them is in
 * old[0..nold); their pids in out. Returns 0, or -1 at the deadline. */
int wait_workers_replaced(pid_t ppid, int want, const pid_t *old, int nold, double timeout,
                          pid_t out[MAX_WORKERS]);

/* Is the harness's PostgreSQL running (its pid file present)? */
int pg_running(void);

/* The socket medsysd listens on: "listen = PATH" in $MEDSYS_CONF. */
void socket_path(char *out, size_t outlen);

/* ------------------------------------------------------------ requests */

/* One GET in Spanish with the long timeout; the elapsed seconds in *secs
 * (may be NULL). Returns the status, 0 when no response came. */
long get(const char *path, struct http_response *resp, double *secs);

/* The status of one GET of path. */
long get_status(const char *path);

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

/* A zeroed tally in shared memory (never freed: a test's lifetime). */
struct tally *tally_new(void);

/* A description of the recorded mismatches, for assertion messages
 * (a static buffer). */
const char *tally_failures(const struct tally *t);

/* `n` GETs of path, `parallel` at a time, in this process; every answer
 * should be `expect`. */
struct tally *burst(const char *path, int parallel, long n, long expect);

/* A child process that keeps requesting path until loader_stop; every
 * answer must be `expect` (200 for GETs; 405 for POSTs, which medsysd
 * refuses on / but only after nginx has delivered them). */
struct loader {
	pid_t pid;
	long expect;
	struct tally *t;
};

/* Start a loader on `parallel` connections: GETs, or POSTs when post
 * (each from another 127.1.x.y address, so that nginx's per-address POST
 * rate limit stays out of the way). The child never outlives the test. */
struct loader loader_start(const char *path, int parallel, int post);

/* Wait until the loader has seen at least n more responses than now;
 * fails the test after timeout seconds. */
void loader_wait_progress(const struct loader *l, long n, double timeout);

/* Stop the loader and reap it (fails the test if it ended badly). */
void loader_stop(struct loader *l);

/* ------------------------------------------------------------ log */

/* The medsysd log from byte offset `from`, malloc'd. */
char *log_since(size_t from);

/* The medsysd log's current size. */
size_t log_size(void);

#endif
