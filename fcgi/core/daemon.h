/* daemon: the command line shared by the background daemons
 * (medsys-notifier, medsys-sealer): --config, --pidfile, --once, --help,
 * and loading the configuration. */
#ifndef MEDSYS_DAEMON_H
#define MEDSYS_DAEMON_H

#include "config.h"

struct daemon_args {
	const char *config_path;    /* NULL: none found, defaults used */
	const char *pidfile;        /* NULL: none */
	int once;                   /* --once */
	char default_path[512];     /* sysconfdir/medsys/medsys.conf */
};

/* Parse the command line of program prog (once_help says what --once
 * does) and load the configuration into cfg: the file given, else the
 * default one when it is readable, else the defaults. -1 to go on, or the
 * exit status to return at once (0 after --help, 2 with a message on
 * stderr). */
int daemon_args_parse(const char *prog, const char *once_help, int argc, char **argv,
                      struct daemon_args *a, struct config *cfg);

/* Call on_stop(signal) on SIGTERM and SIGINT, without SA_RESTART so that
 * a wait (poll, db_wait_notify) returns at once; the handler sets a flag
 * the daemon's loop reads. */
void daemon_on_stop(void (*on_stop)(int));

#endif
