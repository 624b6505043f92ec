/* medsys-transcriber: turns the audio chunks of consented video
 * consultations into transcript lines (docs/tele.md "Transcript").
 *
 * A sibling of medsys-notifier rather than a part of it: a run of the
 * speech-to-text engine takes seconds of CPU per chunk, and e-mails and
 * notices must not wait behind it. The loop is the notifier's: LISTEN
 * (a new chunk sends NOTIFY medsys_transcribe), claim with FOR UPDATE SKIP
 * LOCKED under a lease (so several transcribers may run), and a periodic
 * sweep for anything missed and for retained audio that has expired. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/daemon.h"
#include "core/db.h"
#include "core/file.h"
#include "core/log.h"
#include "job.h"

#define CHANNEL "medsys_transcribe"
#define SWEEP_MS 30000            /* between sweeps without a notification */
#define BACKOFF_MAX 30            /* seconds between reconnection attempts */

static volatile sig_atomic_t got_term;

static void
on_term(int sig)
{
	(void)sig;
	got_term = 1;
}

/* Every chunk due, then the expired audio. 0, or -1 when the database failed. */
static int
drain(const struct config *cfg)
{
	int rc = 0;

	while (!got_term && (rc = job_one(cfg)) == 1)
		;
	if (got_term)
		return 0;
	return rc == -1 || job_expire(cfg) == -1 ? -1 : 0;
}

/* The main loop; returns the exit status. */
static int
run(const struct config *cfg, int once)
{
	int backoff = 0;

	while (!got_term) {
		if (db_ensure() != DB_OK || drain(cfg) == -1) {
			if (once) {
				log_msg("error", "database unavailable");
				return 1;
			}
			backoff = backoff ? (backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX : backoff * 2) : 1;
			log_msg("warning", "database unavailable; trying again in %d s", backoff);
			sleep((unsigned)backoff);
			continue;
		}
		backoff = 0;
		if (once)
			break;
		if (db_wait_notify(SWEEP_MS) == -1)
			log_msg("warning", "database connection lost; reconnecting");
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct daemon_args args;
	static struct config cfg;
	char dir[CONFIG_STR_MAX + 16], err[512];
	int rc = 0;

	if ((rc = daemon_args_parse("medsys-transcriber", "transcribe every chunk due, then exit", argc, argv,
	                            &args, &cfg)) != -1)
		return rc;
	daemon_on_stop(on_term);
	snprintf(dir, sizeof(dir), "%s/sql/queries", cfg.datadir);
	if (db_init(cfg.db, cfg.clinic_timezone, dir, cfg.db_connect_timeout, err, sizeof(err)) == -1) {
		fprintf(stderr, "medsys-transcriber: %s\n", err);
		return 2;
	}
	db_listen(CHANNEL);
	if (args.pidfile && file_write_pid(args.pidfile) == -1) {
		fprintf(stderr, "medsys-transcriber: cannot write %s\n", args.pidfile);
		db_shutdown();
		return 2;
	}
	log_msg("info", "medsys-transcriber started%s", args.once ? " (--once)" : "");
	rc = run(&cfg, args.once);
	log_msg("info", "medsys-transcriber stopping");
	db_shutdown();
	if (args.pidfile)
		unlink(args.pidfile);
	return rc;
}
