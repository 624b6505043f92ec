/* test_faults: the running stack under faults: PostgreSQL down and back,
 * a worker killed, reloads and a worker drained under load, shutdown. */
#include <check.h>
#include <curl/curl.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "faults_util.h"
#include "fcgi_wire.h"

/* The Spanish title of the 503 page (templates/lang/es.hdf). */
static const char unavailable_title_es[] = "Servicio no disponible temporalmente";

/* MEDSYS_FAULTS_POST=1 (by hand only) makes the request loops of the
 * reload and drain tests send POSTs (the *_post cases do so always):
 * medsysd answers them 405, anything else is a lost request.
 */
static int post_forced;   /* set by the *_post cases' fixture */

static int
post_mode(void)
{
	const char *v = getenv("MEDSYS_FAULTS_POST");

	return post_forced || (v && *v && strcmp(v, "0") != 0);
}

static void force_post(void) { post_forced = 1; }
static void unforce_post(void) { post_forced = 0; }

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

/* `rounds` reloads (SIGHUP) in a row under steady request loops, one per
 * mode in posts[0..nloaders) (0: GETs, 1: POSTs): every worker replaced
 * each time, not one request lost. */
static void
reloads_lose_nothing(int rounds, const int *posts, int nloaders)
{
	pid_t ppid = parent_pid(), old[MAX_WORKERS], now[MAX_WORKERS];
	int want = configured_workers(), n;
	struct loader l[2];

	ck_assert_int_eq(workers_of(ppid, old), want);
	ck_assert_int_le(nloaders, 2);
	for (int i = 0; i < nloaders; i++)
		l[i] = loader_start("/", 4, posts[i]);
	for (int i = 0; i < nloaders; i++)
		loader_wait_progress(&l[i], 30, 15);
	for (int round = 0; round < rounds; round++) {
		double t0 = it_now();
		n = workers_of(ppid, old);
		ck_assert_int_eq(kill(ppid, SIGHUP), 0);
		/* A worker gets drain_timeout (10 s in the harness) per stop. */
		ck_assert_msg(wait_workers_replaced(ppid, want, old, n, 60, now) == 0,
		              "reload %d did not replace every worker", round + 1);
		printf("faults: reload %d replaced %d workers in %.2f s\n", round + 1, n, it_now() - t0);
		for (int i = 0; i < nloaders; i++)
			loader_wait_progress(&l[i], 30, 15);
	}
	for (int i = 0; i < nloaders; i++) {
		long total, matched;
		loader_stop(&l[i]);
		total = atomic_load(&l[i].t->total);
		matched = atomic_load(&l[i].t->matched);
		printf("faults: %ld %s during %d reloads, %ld answered %ld, slowest %.2f s\n", total,
		       posts[i] ? "POSTs" : "GETs", rounds, matched, l[i].expect, l[i].t->max_secs);
		ck_assert_msg(matched == total, "%ld of %ld %s failed:%s", total - matched, total,
		              posts[i] ? "POSTs" : "GETs", tally_failures(l[i].t));
		ck_assert_msg(total >= 50L * rounds, "only %ld requests during %d reloads", total,
		              rounds);
	}
	ck_assert_int_eq(parent_pid(), ppid);
	ck_assert_int_eq(workers_of(ppid, now), want);
}

START_TEST(test_sighup_reload_loses_nothing)
{
	int post = post_mode();

	reloads_lose_nothing(2, &post, 1);
}
END_TEST

/* The stress variant: a reload starts as soon as the last one ended,
 * twelve times, under GETs and POSTs at once, so that workers are told to
 * stop at every point of their loop. (The test above once lost a GET in 1
 * of 8 runs; the window, between accept() and nginx's first bytes, is too
 * narrow to hit this way on demand: stop_before_first_byte hits it every
 * time.) */
START_TEST(test_sighup_reloads_in_a_row)
{
	const int posts[] = { 0, 1 };

	reloads_lose_nothing(12, posts, 2);
}
END_TEST

/* A stop request (a drain, or the SIGTERM of a reload) that reaches a
 * worker just after it accepted a connection: the request is still served,
 * and the worker stops after it. The two moments where a stop used to
 * close the connection (nginx then logs EPIPE while sending the request
 * and does not retry): before the first byte arrived (libfcgi waits for it
 * in poll()), or when part of the parameters had (libfcgi is in read();
 * Debian's libfcgi 2.4.2 retries that read, so only the first case failed
 * before workers blocked the signal; the second guards the rest of the
 * rule in pool.c). Driven over medsysd's own socket, not through nginx. */
static void
stop_with_connection_in_hand(int cut_in_params)
{
	pid_t ppid = parent_pid(), before[MAX_WORKERS], after[MAX_WORKERS];
	int n = workers_of(ppid, before), fd, sent;
	unsigned char req[FCGI_WIRE_MAX];
	size_t len, cut = 0;
	char sock[1024];
	long status = -1;

	socket_path(sock, sizeof(sock));
	len = fcgi_wire_get(req, "/healthz", &cut);
	if (!cut_in_params)
		cut = 0;
	ck_assert_msg((fd = fcgi_wire_connect(sock)) != -1, "cannot connect to %s", sock);
	ck_assert_int_eq(fcgi_wire_send(fd, req, cut), 0);
	/* An idle worker accepts at once; libfcgi gives the first bytes 2 s. */
	it_sleep_ms(300);
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(kill(before[i], SIGTERM), 0);
	it_sleep_ms(300);
	sent = fcgi_wire_send(fd, req + cut, len - cut);
	if (sent == 0)
		status = fcgi_wire_status(fd, 10000);
	close(fd);
	ck_assert_msg(status == 200, "a request accepted before the stop was %s (%s)",
	              sent == 0 ? "not answered" : "refused", cut ? "half its parameters sent" :
	              "no byte sent yet");
	/* Every worker stopped: the idle ones at once, the one in hand after
	 * answering (a worker that ignored it would stay: no reload here). */
	ck_assert_msg(wait_workers_replaced(ppid, n, before, n, 10, after) == 0,
	              "the workers did not all stop within 10 s of their SIGTERM");
}

START_TEST(test_stop_before_first_byte)
{
	stop_with_connection_in_hand(0);
}
END_TEST

START_TEST(test_stop_within_params)
{
	stop_with_connection_in_hand(1);
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
	l = loader_start("/", 4, post_mode());
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
	add_case(s, "stop_before_first_byte", test_stop_before_first_byte);
	add_case(s, "stop_within_params", test_stop_within_params);
	add_case(s, "sighup_reload", test_sighup_reload_loses_nothing);
	add_case(s, "worker_sigterm", test_worker_sigterm_drains);
	add_case_mode(s, "sighup_reload_post", test_sighup_reload_loses_nothing, 1);
	add_case_mode(s, "worker_sigterm_post", test_worker_sigterm_drains, 1);
	add_case(s, "sighup_reloads_in_a_row", test_sighup_reloads_in_a_row);
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
