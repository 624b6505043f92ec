/* pool: prefork process management for medsysd. */
#include "pool.h"

#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "log.h"
#include "password.h"

#define POOL_MAX_WORKERS 256
#define POOL_READY_TIMEOUT_MS 15000

struct worker {
	pid_t pid;
	time_t started;
};

static volatile sig_atomic_t got_term, got_hup, got_chld;
static struct worker workers[POOL_MAX_WORKERS];
static int nworkers;
/* The route table every worker serves (handed in by pool_run). */
static const struct route *pool_routes;
static size_t pool_nroutes;

/* ------------------------------------------------------------ socket */

int
pool_listen_socket(const char *listen_path, int *created, char *err,
                   unsigned long errlen)
{
	const char *fds = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
	struct sockaddr_un sa;
	struct stat st;
	int fd;

	*created = 0;
	if (fds && pid && atol(pid) == (long)getpid() && atoi(fds) >= 1) {
		unsetenv("LISTEN_FDS");
		unsetenv("LISTEN_PID");
		unsetenv("LISTEN_FDNAMES");
		return 3;   /* SD_LISTEN_FDS_START */
	}
	if (listen_path && *listen_path) {
		if (strlen(listen_path) >= sizeof(sa.sun_path)) {
			snprintf(err, errlen, "socket path too long: %s", listen_path);
			return -1;
		}
		memset(&sa, 0, sizeof(sa));
		sa.sun_family = AF_UNIX;
		memcpy(sa.sun_path, listen_path, strlen(listen_path) + 1);
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
			snprintf(err, errlen, "socket: %s", strerror(errno));
			return -1;
		}
		if (lstat(listen_path, &st) == 0 && S_ISSOCK(st.st_mode))
			unlink(listen_path);   /* a stale socket from a previous run */
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
		    chmod(listen_path, 0660) == -1 || listen(fd, 128) == -1) {
			snprintf(err, errlen, "cannot listen on %s: %s", listen_path, strerror(errno));
			close(fd);
			return -1;
		}
		/* Workers inherit it across fork, not exec: no CLOEXEC needed off. */
		*created = 1;
		return fd;
	}
	if (fstat(0, &st) == 0 && S_ISSOCK(st.st_mode))
		return 0;
	snprintf(err, errlen, "no listening socket: give --listen PATH (or \"listen\" in the "
	         "configuration), or start medsysd from systemd socket activation or spawn-fcgi");
	return -1;
}

/* ------------------------------------------------------------ worker */

/* The one rule of a worker's signals: a stop request (SIGTERM, SIGINT,
 * libfcgi's SIGUSR1) is blocked for the worker's whole life except while it
 * sleeps in epoll_pwait() waiting for the listening socket, which swaps the
 * mask atomically. So once a connection is accepted, nothing interrupts the
 * request: not libfcgi's wait for the first bytes (it closes the
 * connection if that poll() fails, and nginx, which had begun writing,
 * sees EPIPE and does not retry), not the reads of the parameters, not the
 * handler. The accept itself is non-blocking (the listening socket is
 * O_NONBLOCK, see pool_run): a worker that loses the race for a connection
 * goes back to sleep, where a stop request still reaches it at once. */

static volatile sig_atomic_t worker_stop;

static void
worker_on_term(int sig)
{
	(void)sig;
	worker_stop = 1;   /* only ever runs inside epoll_pwait() */
}

static void
set_handler(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;   /* no SA_RESTART: the parent's sigsuspend and the
	                    * workers' epoll_pwait must return on a signal */
	sigaction(sig, &sa, NULL);
}

/* An epoll instance of this worker's own (not inherited: one shared across
 * fork would share its wake-ups) watching the listening socket, woken
 * exclusively so that a connection wakes one idle worker, not all. */
static int
worker_epoll(int listen_fd)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLEXCLUSIVE };
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep == -1 || epoll_ctl(ep, EPOLL_CTL_ADD, listen_fd, &ev) == -1) {
		log_msg("error", "worker cannot watch the socket: %s", strerror(errno));
		_exit(2);
	}
	return ep;
}

/* The worker's life: initialise, tell the parent it is ready, serve
 * requests one at a time until a stop request arrives between two of
 * them (see the rule above). */
static void
worker_main(int listen_fd, int ready_fd, const struct config *cfg)
{
	FCGX_Request req;
	struct epoll_event ev;
	sigset_t stop, none;
	char err[512];
	int ep;

	sigemptyset(&none);
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGUSR1);
	sigprocmask(SIG_SETMASK, &stop, NULL);
	/* Ours before FCGX_Init, which would otherwise install its own
	 * shutdown handler for SIGTERM and SIGUSR1. */
	set_handler(SIGTERM, worker_on_term);
	set_handler(SIGINT, worker_on_term);
	set_handler(SIGUSR1, worker_on_term);
	set_handler(SIGHUP, SIG_IGN);
	set_handler(SIGCHLD, SIG_DFL);
	set_handler(SIGPIPE, SIG_IGN);

	if (app_init(cfg, pool_routes, pool_nroutes, err, sizeof(err)) == -1) {
		log_msg("error", "worker cannot start: %s", err);
		_exit(2);
	}
	FCGX_Init();
	FCGX_InitRequest(&req, listen_fd, 0);
	ep = worker_epoll(listen_fd);
	if (write(ready_fd, "r", 1) != 1)
		_exit(2);
	close(ready_fd);

	while (!worker_stop) {
		int rc;
		if (epoll_pwait(ep, &ev, 1, -1, &none) != 1)
			continue;   /* a stop request (EINTR): the loop ends */
		rc = FCGX_Accept_r(&req);
		if (rc == -EAGAIN)
			continue;   /* another worker took the connection */
		if (rc < 0)
			break;
		app_handle(&req);
		FCGX_Finish_r(&req);
	}
	app_shutdown();
	_exit(0);
}

/* ------------------------------------------------------------ parent */

static void
parent_on_signal(int sig)
{
	if (sig == SIGTERM || sig == SIGINT)
		got_term = 1;
	else if (sig == SIGHUP)
		got_hup = 1;
	else if (sig == SIGCHLD)
		got_chld = 1;
}

/* Fork one worker and wait until it says it is ready (or dies). Returns
 * its pid, or -1. */
static pid_t
spawn_worker(int listen_fd, const struct config *cfg)
{
	int p[2];
	pid_t pid;
	char c;
	struct pollfd pfd;

	if (pipe(p) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		worker_main(listen_fd, p[1], cfg);
	}
	close(p[1]);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	while (poll(&pfd, 1, POOL_READY_TIMEOUT_MS) == -1 && errno == EINTR)
		;
	if (read(p[0], &c, 1) != 1) {
		log_msg("error", "worker %ld did not start", (long)pid);
		close(p[0]);
		return pid;   /* still a child: reaped and replaced as a death */
	}
	close(p[0]);
	return pid;
}

static int
add_worker(int listen_fd, const struct config *cfg)
{
	pid_t pid = spawn_worker(listen_fd, cfg);

	if (pid == -1 || nworkers == POOL_MAX_WORKERS)
		return -1;
	workers[nworkers].pid = pid;
	workers[nworkers].started = time(NULL);
	nworkers++;
	return 0;
}

static int
find_worker(pid_t pid)
{
	for (int i = 0; i < nworkers; i++)
		if (workers[i].pid == pid)
			return i;
	return -1;
}

static void
remove_worker(int i)
{
	workers[i] = workers[--nworkers];
}

/* Wait for pid to exit, repeating SIGTERM each second (harmless: a worker
 * takes it only between requests) and sending SIGKILL after timeout
 * seconds. */
static void
stop_and_wait(pid_t pid, int timeout)
{
	for (int waited_ms = 0;; waited_ms += 100) {
		pid_t r = waitpid(pid, NULL, WNOHANG);
		if (r == pid)
			hashlimit_reap(pid);
		if (r == pid || (r == -1 && errno == ECHILD))
			return;
		if (waited_ms % 1000 == 0)
			kill(pid, waited_ms >= timeout * 1000 ? SIGKILL : SIGTERM);
		usleep(100 * 1000);
	}
}

/* Reap dead workers and replace them (unless shutting down). */
static void
reap_and_replace(int listen_fd, const struct config *cfg)
{
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		int i = find_worker(pid);
		if (hashlimit_reap(pid) > 0)
			log_msg("warning", "worker %ld died holding a password-hash permit; given back",
			        (long)pid);
		if (i == -1)
			continue;
		if (WIFSIGNALED(status))
			log_msg("warning", "worker %ld killed by signal %d; replacing it",
			        (long)pid, WTERMSIG(status));
		else
			log_msg("warning", "worker %ld exited with status %d; replacing it",
			        (long)pid, WEXITSTATUS(status));
		/* A worker that dies at once would otherwise be respawned in a
		 * tight loop. */
		if (time(NULL) - workers[i].started < 1)
			sleep(1);
		remove_worker(i);
		if (!got_term)
			add_worker(listen_fd, cfg);
	}
}

/* Re-read the configuration, then replace every worker one at a time:
 * the new one is accepting before the old one is told to finish. */
static void
reload(int listen_fd, struct config *cfg, const char *config_path)
{
	struct config fresh;
	char err[512];
	pid_t old[POOL_MAX_WORKERS];
	int nold = nworkers;

	if (config_path && config_load(&fresh, config_path, err, sizeof(err)) == -1) {
		log_msg("error", "reload refused, keeping the running configuration: %s", err);
		return;
	}
	if (config_path)
		*cfg = fresh;
	log_msg("info", "reloading: replacing %d workers one at a time", nold);
	for (int i = 0; i < nold; i++)
		old[i] = workers[i].pid;
	for (int i = 0; i < nold; i++) {
		int idx;
		if (nworkers - (nold - i) < cfg->workers)
			add_worker(listen_fd, cfg);
		stop_and_wait(old[i], cfg->drain_timeout);
		if ((idx = find_worker(old[i])) != -1)
			remove_worker(idx);
	}
	while (nworkers < cfg->workers)
		add_worker(listen_fd, cfg);
	log_msg("info", "reload done: %d workers", nworkers);
}

static void
shutdown_all(int timeout)
{
	log_msg("info", "draining %d workers", nworkers);
	for (int i = 0; i < nworkers; i++)
		kill(workers[i].pid, SIGTERM);
	for (int i = 0; i < nworkers; i++)
		stop_and_wait(workers[i].pid, timeout);
	nworkers = 0;
}

int
pool_run(int listen_fd, struct config *cfg, const char *config_path,
         const struct route *routes, size_t nroutes)
{
	sigset_t block, old;
	int fl;

	pool_routes = routes;
	pool_nroutes = nroutes;
	/* Workers wait for connections in epoll and accept without blocking
	 * (see worker_main); the flag belongs to the socket, not the
	 * connections accepted from it. */
	if ((fl = fcntl(listen_fd, F_GETFL)) == -1 ||
	    fcntl(listen_fd, F_SETFL, fl | O_NONBLOCK) == -1) {
		log_msg("error", "cannot make the listening socket non-blocking: %s", strerror(errno));
		return 1;
	}

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	set_handler(SIGTERM, parent_on_signal);
	set_handler(SIGINT, parent_on_signal);
	set_handler(SIGHUP, parent_on_signal);
	set_handler(SIGCHLD, parent_on_signal);
	set_handler(SIGPIPE, SIG_IGN);

	for (int i = 0; i < cfg->workers; i++)
		add_worker(listen_fd, cfg);
	log_msg("info", "medsysd ready with %d workers", nworkers);

	while (!got_term) {
		sigsuspend(&old);
		if (got_chld) {
			got_chld = 0;
			reap_and_replace(listen_fd, cfg);
		}
		if (got_hup && !got_term) {
			got_hup = 0;
			reload(listen_fd, cfg, config_path);
		}
	}
	shutdown_all(cfg->drain_timeout);
	log_msg("info", "medsysd stopped");
	return 0;
}
