/* medsysctl: administration commands: migrate, status. */
#include <getopt.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/migrate.h"

#ifndef MEDSYS_SYSCONFDIR
#define MEDSYS_SYSCONFDIR "/usr/local/etc"
#endif

struct command {
	const char *name;
	const char *help;
	int (*run)(const struct config *cfg, int argc, char **argv);
};

static int
migrations_dir(const struct config *cfg, char *out, size_t len)
{
	return snprintf(out, len, "%s/sql/migrations", cfg->datadir) < (int)len ? 0 : -1;
}

static int
cmd_migrate(const struct config *cfg, int argc, char **argv)
{
	char dir[700], err[1024];
	int rc;

	(void)argc;
	(void)argv;
	migrations_dir(cfg, dir, sizeof(dir));
	rc = migrate_run(cfg->db, dir, MIGRATE_APPLY, stdout, err, sizeof(err));
	if (rc == -1) {
		fprintf(stderr, "medsysctl migrate: %s\n", err);
		return 1;
	}
	printf("database is up to date\n");
	return 0;
}

static int
cmd_status(const struct config *cfg, int argc, char **argv)
{
	char dir[700], err[1024], safe[CONFIG_STR_MAX];
	PGconn *c;
	int pending;

	(void)argc;
	(void)argv;
	config_redact_conninfo(cfg->db, safe, sizeof(safe));
	printf("database: %s\n", safe);
	c = PQconnectdb(cfg->db);
	if (PQstatus(c) != CONNECTION_OK) {
		printf("connection: FAILED (%s)", PQerrorMessage(c));
		PQfinish(c);
		return 1;
	}
	printf("connection: ok (PostgreSQL %d)\n", PQserverVersion(c));
	PQfinish(c);
	migrations_dir(cfg, dir, sizeof(dir));
	pending = migrate_run(cfg->db, dir, MIGRATE_STATUS, stdout, err, sizeof(err));
	if (pending == -1) {
		fprintf(stderr, "medsysctl status: %s\n", err);
		return 1;
	}
	printf("pending migrations: %d%s\n", pending,
	       pending ? " (run: medsysctl migrate)" : "");
	return pending ? 3 : 0;
}

static const struct command commands[] = {
	{ "migrate", "apply the pending database migrations", cmd_migrate },
	{ "status", "check the database connection and list migrations", cmd_status },
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: medsysctl [--config FILE] COMMAND\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char default_path[512], err[512];
	const char *config_path = NULL;
	struct config cfg;
	int c;

	snprintf(default_path, sizeof(default_path), "%s/medsys/medsys.conf", MEDSYS_SYSCONFDIR);
	while ((c = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config_path = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (config_path == NULL && access(default_path, R_OK) == 0)
		config_path = default_path;
	if (config_path ? config_load(&cfg, config_path, err, sizeof(err)) : (config_defaults(&cfg), 0)) {
		fprintf(stderr, "medsysctl: %s\n", err);
		return 2;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[optind], commands[i].name) == 0)
			return commands[i].run(&cfg, argc - optind, argv + optind);
	fprintf(stderr, "medsysctl: unknown command \"%s\"\n", argv[optind]);
	usage(stderr);
	return 2;
}
