/* medsys-pollfiles: keeps one small file per chat thread and call room in
 * poll_dir, holding its version, rewritten whenever the database announces
 * a change on medsys_poll; nginx serves them to the pages' scripts, so
 * that a poll with nothing new never reaches medsysd (docs/chat.md
 * "Polling"). The files are a cache of the database: after every
 * (re)connection they are all written again from it. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/daemon.h"
#include "core/db.h"
#include "core/file.h"
#include "core/log.h"

#define CHANNEL "medsys_poll"
#define BACKOFF_MAX 30

static const char *const topics[] = { "chat", "room" };

static volatile sig_atomic_t got_term;
static struct config cfg;

static void
on_term(int sig)
{
	(void)sig;
	got_term = 1;
}

static int
known_topic(const char *t)
{
	for (size_t i = 0; i < sizeof(topics) / sizeof(topics[0]); i++)
		if (strcmp(t, topics[i]) == 0)
			return 1;
	return 0;
}

static int
all_digits(const char *s)
{
	return s[0] != '\0' && strlen(s) <= 19 && strspn(s, "0123456789") == strlen(s);
}

/* The version in an existing file, -1 when there is none. */
static long long
file_version(const char *path, struct stat *st)
{
	char buf[32];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return -1;
	n = fstat(fd, st) == 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtoll(buf, NULL, 10);
}

/* Write version into topic/id unless the file already holds it or a later
 * one. nginx's ETag is the file's mtime and size, so the new mtime is past
 * the old one even for two changes within a second: one writer (this
 * daemon) makes that safe. 0, or -1 with a log line. */
static int
write_version(const char *topic, const char *id, const char *version)
{
	char path[900], tmp[920], text[32];
	struct stat st;
	struct timespec when[2];
	long long have;
	int fd, len;

	snprintf(path, sizeof(path), "%s/%s/%s", cfg.poll_dir, topic, id);
	if ((have = file_version(path, &st)) >= strtoll(version, NULL, 10))
		return 0;
	clock_gettime(CLOCK_REALTIME, &when[1]);
	when[1].tv_nsec = 0;
	if (have >= 0 && when[1].tv_sec <= st.st_mtime)
		when[1].tv_sec = st.st_mtime + 1;
	when[0] = when[1];
	len = snprintf(text, sizeof(text), "%s\n", version);
	snprintf(tmp, sizeof(tmp), "%s/%s/.%s.tmp", cfg.poll_dir, topic, id);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) == -1 ||
	    write(fd, text, (size_t)len) != len || futimens(fd, when) == -1 || close(fd) == -1 ||
	    rename(tmp, path) == -1) {
		log_msg("error", "cannot write %s: %s", path, strerror(errno));
		if (fd != -1)
			unlink(tmp);
		return -1;
	}
	return 0;
}

/* A notification "TOPIC ID VERSION" from a trigger. */
static void
on_notify(const char *channel, const char *payload)
{
	char topic[8], id[24], version[24];

	if (strcmp(channel, CHANNEL) != 0)
		return;
	if (sscanf(payload, "%7s %23s %23s", topic, id, version) != 3 || !known_topic(topic) ||
	    !all_digits(id) || !all_digits(version)) {
		log_msg("warning", "ignoring a notification not of the form \"topic id version\"");
		return;
	}
	write_version(topic, id, version);
}

/* Every file from the database; -1 when the query failed. */
static int
write_all(void)
{
	struct db_result *res = NULL;

	if (db_query(&res, "pollfiles_all", 0, NULL) != DB_OK)
		return -1;
	for (size_t i = 0; i < db_rows(res); i++)
		write_version(db_value(res, i, 0), db_value(res, i, 1), db_value(res, i, 2));
	log_msg("info", "%zu poll files checked", db_rows(res));
	db_result_free(res);
	return 0;
}

static int
make_dirs(void)
{
	char path[900];

	for (size_t i = 0; i < sizeof(topics) / sizeof(topics[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", cfg.poll_dir, topics[i]);
		if ((mkdir(cfg.poll_dir, 0755) == -1 && errno != EEXIST) ||
		    (mkdir(path, 0755) == -1 && errno != EEXIST)) {
			fprintf(stderr, "medsys-pollfiles: cannot create %s: %s\n", path, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Connect, write every file, then follow the notifications; after a
 * broken connection, the same again. */
static int
run(int once)
{
	int backoff = 0, synced = 0;

	while (!got_term) {
		if (db_ensure() != DB_OK || (!synced && write_all() == -1)) {
			if (once)
				return 1;
			backoff = backoff ? (backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX : backoff * 2) : 1;
			log_msg("warning", "database unavailable; trying again in %d s", backoff);
			for (int i = 0; i < backoff && !got_term; i++)
				sleep(1);
			continue;
		}
		backoff = 0;
		synced = 1;
		if (once)
			return 0;
		if (db_wait_notify(1000) == -1)
			synced = 0;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct daemon_args args;
	char err[512], dir[700];
	struct sigaction sa;
	int rc;

	if ((rc = daemon_args_parse("medsys-pollfiles", "write every poll file once, then exit", argc, argv,
	                            &args, &cfg)) != -1)
		return rc;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_term;    /* no SA_RESTART: a wait returns at once */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (make_dirs() == -1)
		return 2;
	snprintf(dir, sizeof(dir), "%s/sql/queries", cfg.datadir);
	if (db_init(cfg.db, cfg.clinic_timezone, dir, cfg.db_connect_timeout, err, sizeof(err)) == -1) {
		fprintf(stderr, "medsys-pollfiles: %s\n", err);
		return 2;
	}
	db_on_notify(on_notify);
	db_listen(CHANNEL);
	if (args.pidfile && file_write_pid(args.pidfile) == -1) {
		fprintf(stderr, "medsys-pollfiles: cannot write %s\n", args.pidfile);
		db_shutdown();
		return 2;
	}
	log_msg("info", "medsys-pollfiles started%s", args.once ? " (--once)" : "");
	rc = run(args.once);
	log_msg("info", "medsys-pollfiles stopping");
	db_shutdown();
	if (args.pidfile)
		unlink(args.pidfile);
	return rc;
}
