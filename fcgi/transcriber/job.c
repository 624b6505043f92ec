/* job: one audio chunk through the speech-to-text command, and the expiry
 * of retained audio (docs/tele.md "Transcript"). */
#include "job.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"
#include "core/docstore_rows.h"
#include "core/log.h"
#include "lib/sttline.h"

/* A claim is a lease of the command's timeout plus this margin: a
 * transcriber that dies leaves the chunk to another once it ends. */
#define LEASE_MARGIN 60
#define RETRY_DELAY 60            /* seconds, times the attempts so far */
#define OUTPUT_MAX (256 * 1024)   /* bytes of one run's output kept */

struct run {
	char out[OUTPUT_MAX + 1];
	size_t len;
	char error[200];              /* why the run failed, "" when it did not */
};

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The command line: the configured one, else the shipped pocketsphinx
 * script; the chunk's path is its "$1". */
static void
command_line(const struct config *cfg, char *out, size_t outlen)
{
	if (cfg->transcribe_command[0])
		snprintf(out, outlen, "%s \"$1\"", cfg->transcribe_command);
	else
		snprintf(out, outlen, "sh '%s/data/transcribe/pocketsphinx.sh' \"$1\"", cfg->datadir);
}

/* In the child: stdout to the pipe, stdin from /dev/null, a process group
 * of its own (a timeout kills the whole pipeline), then the shell. */
static void
child(const struct config *cfg, int fd, const char *path)
{
	char cmd[CONFIG_STR_MAX + 128];
	int null = open("/dev/null", O_RDONLY);

	setpgid(0, 0);
	if (null >= 0)
		dup2(null, 0);
	dup2(fd, 1);
	command_line(cfg, cmd, sizeof(cmd));
	setenv("MEDSYS_LANGUAGE", cfg->default_language, 1);
	execl("/bin/sh", "sh", "-c", cmd, "medsys-transcribe", path, (char *)NULL);
	_exit(127);
}

/* Read the child's output until it closes or the deadline passes. */
static void
collect(int fd, long deadline, struct run *run)
{
	char drop[4096];

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long left = deadline - now_ms();
		if (left <= 0) {
			snprintf(run->error, sizeof(run->error), "timed out");
			return;
		}
		if (poll(&p, 1, (int)left) == -1) {
			if (errno == EINTR)
				continue;
			snprintf(run->error, sizeof(run->error), "poll: %s", strerror(errno));
			return;
		}
		ssize_t n = run->len < OUTPUT_MAX ? read(fd, run->out + run->len, OUTPUT_MAX - run->len)
		                                  : read(fd, drop, sizeof(drop));
		if (n == 0)
			return;
		if (n < 0 && errno != EINTR && errno != EAGAIN) {
			snprintf(run->error, sizeof(run->error), "read: %s", strerror(errno));
			return;
		}
		if (n > 0 && run->len < OUTPUT_MAX)
			run->len += (size_t)n;
	}
}

/* Run the engine on path: 0 with run->out, or -1 with run->error. */
static int
engine(const struct config *cfg, const char *path, struct run *run)
{
	int fds[2], status = 0;
	pid_t pid;

	run->len = 0;
	run->error[0] = '\0';
	if (pipe(fds) == -1) {
		snprintf(run->error, sizeof(run->error), "pipe: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) == -1) {
		snprintf(run->error, sizeof(run->error), "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		child(cfg, fds[1], path);
	}
	close(fds[1]);
	collect(fds[0], now_ms() + cfg->transcribe_timeout * 1000L, run);
	close(fds[0]);
	if (run->error[0])
		kill(-pid, SIGKILL);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	run->out[run->len] = '\0';
	if (!run->error[0] && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		snprintf(run->error, sizeof(run->error), "the command failed (%s %d)",
		         WIFEXITED(status) ? "exit" : "signal",
		         WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return run->error[0] ? -1 : 0;
}

/* Remove a chunk's file when no row points to it any more. */
static void
release(const struct config *cfg, const char *hex)
{
	if (docstore_release(cfg->documents_dir, hex) == -1)
		log_msg("warning", "audio %s kept for the cleanup: %s", hex,
		        errno ? strerror(errno) : "database");
}

/* The lines of a successful run, the chunk marked transcribed, in one
 * transaction; then its audio released unless retained. 0 or -1. */
static int
store(const struct config *cfg, const char *id, long long patient, struct run *run)
{
	const char *del = cfg->tele_audio_retention_days == 0 ? "true" : "false";
	const char *pd[2] = { id, del };
	struct db_result *res = NULL;
	char *save = NULL, secs[48];
	int lines = 0;

	if (db_begin() != DB_OK)
		return -1;
	for (char *line = strtok_r(run->out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *text;
		double offset;
		if (!sttline_parse(line, &offset, &text))
			continue;
		snprintf(secs, sizeof(secs), "%.3f", offset);
		const char *p[3] = { id, secs, text };
		if (db_run("tt_line_add", 3, p) != DB_OK)
			goto fail;
		lines++;
	}
	snprintf(secs, sizeof(secs), "chunk:%s lines:%d", id, lines);
	if (db_query(&res, "tt_chunk_done", 2, pd) != DB_OK || db_rows(res) != 1 ||
	    audit_log_system(0, patient, "tele.transcribed", secs) != 0 || db_commit() != DB_OK)
		goto fail;
	log_msg("info", "chunk %s transcribed: %d lines", id, lines);
	if (db_value(res, 0, 1)[0] == 't')
		release(cfg, db_value(res, 0, 0));
	db_result_free(res);
	return 0;
fail:
	db_result_free(res);
	db_rollback();
	return -1;
}

/* A failed run: retried after a delay, or given up (audio released). */
static int
failed(const struct config *cfg, const char *id, int attempts, const char *why)
{
	char attempts_max[16], delay[16];
	const char *p[4] = { id, why, attempts_max, delay };
	struct db_result *res = NULL;

	snprintf(attempts_max, sizeof(attempts_max), "%d", JOB_ATTEMPTS);
	snprintf(delay, sizeof(delay), "%d", RETRY_DELAY * attempts);
	if (db_query(&res, "tt_chunk_failed", 4, p) != DB_OK)
		return -1;
	if (db_rows(res) == 1) {
		int gave_up = db_value(res, 0, 1)[0] == 't';
		log_msg(gave_up ? "error" : "warning", "chunk %s: %s (attempt %d of %d%s)", id, why, attempts,
		        JOB_ATTEMPTS, gave_up ? ", given up" : "");
		if (gave_up)
			release(cfg, db_value(res, 0, 0));
	}
	db_result_free(res);
	return 0;
}

int
job_one(const struct config *cfg)
{
	static struct run run;
	char lease[16], tries[16], id[24], path[CONFIG_STR_MAX + 80];
	const char *p[2] = { lease, tries };
	struct db_result *res = NULL;
	long long patient;
	int attempts, rc;

	snprintf(lease, sizeof(lease), "%d", cfg->transcribe_timeout + LEASE_MARGIN);
	snprintf(tries, sizeof(tries), "%d", JOB_ATTEMPTS);
	if (db_query(&res, "tt_claim", 2, p) != DB_OK)
		return -1;
	if (db_rows(res) == 0) {
		db_result_free(res);
		return 0;
	}
	snprintf(id, sizeof(id), "%s", db_value(res, 0, 0));
	snprintf(path, sizeof(path), "%s/%s", cfg->documents_dir, db_value(res, 0, 1));
	attempts = atoi(db_value(res, 0, 3));
	patient = atoll(db_value(res, 0, 4));
	db_result_free(res);
	if (engine(cfg, path, &run) == -1)
		rc = failed(cfg, id, attempts, run.error);
	else if ((rc = store(cfg, id, patient, &run)) == -1)
		failed(cfg, id, attempts, "storing its lines failed");
	return rc == -1 ? -1 : 1;
}

int
job_expire(const struct config *cfg)
{
	char days[16];
	const char *p[1] = { days };
	struct db_result *res = NULL;
	int n;

	snprintf(days, sizeof(days), "%d", cfg->tele_audio_retention_days);
	if (db_query(&res, "tt_expired", 1, p) != DB_OK)
		return -1;
	n = (int)db_rows(res);
	for (size_t i = 0; i < db_rows(res); i++)
		release(cfg, db_value(res, i, 0));
	db_result_free(res);
	if (n)
		log_msg("info", "retention ended: %d audio chunks deleted", n);
	return n;
}
