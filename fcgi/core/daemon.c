/* daemon: command line and configuration of the background daemons. */
#include "daemon.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef MEDSYS_SYSCONFDIR
#define MEDSYS_SYSCONFDIR "/usr/local/etc"
#endif

static void
usage(FILE *f, const char *prog, const char *once_help)
{
	fprintf(f,
	        "usage: %s [--config FILE] [--pidfile FILE] [--once]\n"
	        "  --config FILE  configuration file (default %s/medsys/medsys.conf)\n"
	        "  --pidfile FILE write our pid here\n"
	        "  --once         %s\n",
	        prog, MEDSYS_SYSCONFDIR, once_help);
}

int
daemon_args_parse(const char *prog, const char *once_help, int argc, char **argv,
                  struct daemon_args *a, struct config *cfg)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "once", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char err[512];
	int c;

	memset(a, 0, sizeof(*a));
	snprintf(a->default_path, sizeof(a->default_path), "%s/medsys/medsys.conf", MEDSYS_SYSCONFDIR);
	while ((c = getopt_long(argc, argv, "c:p:oh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': a->config_path = optarg; break;
		case 'p': a->pidfile = optarg; break;
		case 'o': a->once = 1; break;
		case 'h': usage(stdout, prog, once_help); return 0;
		default: usage(stderr, prog, once_help); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr, prog, once_help);
		return 2;
	}
	if (a->config_path == NULL && access(a->default_path, R_OK) == 0)
		a->config_path = a->default_path;
	if (a->config_path == NULL) {
		config_defaults(cfg);
	} else if (config_load(cfg, a->config_path, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return 2;
	}
	return -1;
}

void
daemon_on_stop(void (*on_stop)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}
