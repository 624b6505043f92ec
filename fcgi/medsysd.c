/* medsysd: the MedSysPro FastCGI server (a prefork pool of workers). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/app.h"
#include "core/config.h"
#include "core/file.h"
#include "core/log.h"
#include "core/password.h"
#include "core/pool.h"
#include "routes.h"

#ifndef MEDSYS_SYSCONFDIR
#define MEDSYS_SYSCONFDIR "/usr/local/etc"
#endif

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: medsysd [--config FILE] [--listen PATH] [--workers N] [--check]\n"
	        "  --config FILE  configuration file (default %s/medsys/medsys.conf)\n"
	        "  --listen PATH  open this unix socket (else systemd's or spawn-fcgi's)\n"
	        "  --workers N    number of worker processes (overrides the file)\n"
	        "  --check        load configuration, templates and queries, then exit\n"
	        "  --pidfile FILE write the parent's pid here\n",
	        MEDSYS_SYSCONFDIR);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "listen", required_argument, NULL, 'l' },
		{ "workers", required_argument, NULL, 'w' },
		{ "check", no_argument, NULL, 'k' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char default_path[512], err[512];
	const char *config_path = NULL, *listen_path = NULL, *pidfile = NULL;
	struct config cfg;
	const struct route *routes;
	size_t nroutes;
	int c, workers = 0, check = 0, fd, created;

	snprintf(default_path, sizeof(default_path), "%s/medsys/medsys.conf", MEDSYS_SYSCONFDIR);
	while ((c = getopt_long(argc, argv, "c:l:w:kp:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config_path = optarg; break;
		case 'l': listen_path = optarg; break;
		case 'w':
			workers = atoi(optarg);
			if (workers < 1 || workers > 256) {
				fprintf(stderr, "medsysd: --workers takes a number from 1 to 256\n");
				return 2;
			}
			break;
		case 'k': check = 1; break;
		case 'p': pidfile = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (config_path == NULL && access(default_path, R_OK) == 0)
		config_path = default_path;
	if (config_path) {
		if (config_load(&cfg, config_path, err, sizeof(err)) == -1) {
			fprintf(stderr, "medsysd: %s\n", err);
			return 2;
		}
	} else {
		config_defaults(&cfg);
	}
	if (workers)
		cfg.workers = workers;
	if (listen_path == NULL && cfg.listen[0])
		listen_path = cfg.listen;
	/* The features' route rows, handed to the pipeline (core knows none). */
	if ((routes = routes_all(&nroutes)) == NULL) {
		fprintf(stderr, "medsysd: out of memory\n");
		return 2;
	}
	if (check) {
		int rc = app_init(&cfg, routes, nroutes, err, sizeof(err));
		if (rc == -1)
			fprintf(stderr, "medsysd: %s\n", err);
		else
			printf("medsysd: configuration, templates and queries are fine\n");
		app_shutdown();
		return rc == -1 ? 1 : 0;
	}
	if ((fd = pool_listen_socket(listen_path, &created, err, sizeof(err))) == -1) {
		fprintf(stderr, "medsysd: %s\n", err);
		return 2;
	}
	/* Shared by every worker: created before they are forked. */
	if (hashlimit_init(cfg.hash_concurrency) == -1) {
		fprintf(stderr, "medsysd: cannot create the password-hash limiter\n");
		return 2;
	}
	if (pidfile && file_write_pid(pidfile) == -1) {
		fprintf(stderr, "medsysd: cannot write %s\n", pidfile);
		return 2;
	}
	c = pool_run(fd, &cfg, config_path, routes, nroutes);
	if (pidfile)
		unlink(pidfile);
	if (created)
		unlink(listen_path);
	return c;
}
