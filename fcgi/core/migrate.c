/* migrate: ordered, recorded, checksummed schema migrations. */
#include "migrate.h"

#include "file.h"

#include <dirent.h>
#include <libpq-fe.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#define MIGRATE_MAX_FILES 1000

void
migrate_sha256_hex(const void *buf, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	EVP_Digest(buf, len, md, &mdlen, EVP_sha256(), NULL);
	for (unsigned int i = 0; i < mdlen && i < 32; i++)
		sprintf(hex + 2 * i, "%02x", md[i]);
	hex[64] = '\0';
}

/* A migration file name: three digits, '_', [a-z0-9_]+, ".sql". */
static int
is_migration_name(const char *n)
{
	size_t len = strlen(n);

	if (len < 9 || strcmp(n + len - 4, ".sql") != 0)
		return 0;
	for (int i = 0; i < 3; i++)
		if (n[i] < '0' || n[i] > '9')
			return 0;
	if (n[3] != '_')
		return 0;
	for (size_t i = 4; i < len - 4; i++)
		if (!((n[i] >= 'a' && n[i] <= 'z') || (n[i] >= '0' && n[i] <= '9') || n[i] == '_'))
			return 0;
	return 1;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted migration file names of dir, NULL-terminated; NULL on error. */
static char **
list_migrations(const char *dir, size_t *n, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = calloc(MIGRATE_MAX_FILES + 1, sizeof(*v));

	*n = 0;
	if (d == NULL || v == NULL) {
		snprintf(err, errlen, "cannot read the migrations directory %s", dir);
		if (d)
			closedir(d);
		free(v);
		return NULL;
	}
	while ((e = readdir(d)) != NULL && *n < MIGRATE_MAX_FILES)
		if (is_migration_name(e->d_name))
			v[(*n)++] = strdup(e->d_name);
	closedir(d);
	qsort(v, *n, sizeof(*v), cmp_names);
	return v;
}


static int
exec_ok(PGconn *c, const char *sql, char *err, size_t errlen, const char *what)
{
	PGresult *r = PQexec(c, sql);
	int ok = r && (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK);

	if (!ok)
		snprintf(err, errlen, "%s: %s", what, PQerrorMessage(c));
	PQclear(r);
	return ok ? 0 : -1;
}

/* The recorded checksum of version, "" when not applied; -1 on error. */
static int
recorded_checksum(PGconn *c, const char *version, char sum[65], char *err, size_t errlen)
{
	const char *p[1] = { version };
	PGresult *r = PQexecParams(c, "SELECT checksum FROM public.schema_migrations WHERE version = $1",
	                           1, NULL, p, NULL, NULL, 0);
	int rc = -1;

	if (r && PQresultStatus(r) == PGRES_TUPLES_OK) {
		snprintf(sum, 65, "%s", PQntuples(r) ? PQgetvalue(r, 0, 0) : "");
		rc = 0;
	} else {
		snprintf(err, errlen, "cannot read schema_migrations: %s", PQerrorMessage(c));
	}
	PQclear(r);
	return rc;
}

/* Apply one migration inside a transaction. */
static int
apply_one(PGconn *c, const char *version, const char *sql, const char *sum,
          char *err, size_t errlen)
{
	const char *p[2] = { version, sum };
	PGresult *r;
	char what[300];

	snprintf(what, sizeof(what), "migration %s failed and was rolled back", version);
	if (exec_ok(c, "BEGIN", err, errlen, what) == -1)
		return -1;
	if (exec_ok(c, sql, err, errlen, what) == -1)
		goto rollback;
	r = PQexecParams(c, "INSERT INTO public.schema_migrations (version, checksum) VALUES ($1, $2)",
	                 2, NULL, p, NULL, NULL, 0);
	if (r == NULL || PQresultStatus(r) != PGRES_COMMAND_OK) {
		snprintf(err, errlen, "%s: %s", what, PQerrorMessage(c));
		PQclear(r);
		goto rollback;
	}
	PQclear(r);
	return exec_ok(c, "COMMIT", err, errlen, what);
rollback:
	PQclear(PQexec(c, "ROLLBACK"));
	return -1;
}

int
migrate_run(const char *conninfo, const char *dir, enum migrate_mode mode,
            FILE *out, char *err, size_t errlen)
{
	PGconn *c = PQconnectdb(conninfo);
	char **files = NULL;
	size_t n = 0;
	int pending = 0, rc = -1;

	if (PQstatus(c) != CONNECTION_OK) {
		snprintf(err, errlen, "cannot connect to the database: %s"
		         "Check the \"db\" key (or \"db_admin\", used instead when set) of the configuration file and that PostgreSQL is running.",
		         PQerrorMessage(c));
		goto out;
	}
	PQclear(PQexec(c, "SET client_min_messages = warning"));
	if (exec_ok(c, "SELECT pg_advisory_lock(7366207)", err, errlen, "cannot take the migration lock") == -1 ||
	    exec_ok(c, "CREATE TABLE IF NOT EXISTS public.schema_migrations ("
	               " version text PRIMARY KEY,"
	               " checksum text NOT NULL,"
	               " applied_at timestamptz NOT NULL DEFAULT now())",
	            err, errlen, "cannot create schema_migrations") == -1)
		goto out;
	if ((files = list_migrations(dir, &n, err, errlen)) == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		char path[1200], sum[65], recorded[65];
		size_t len = 0;
		char *sql;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if ((sql = file_read_all(path, 64 * 1024 * 1024, &len)) == NULL) {
			snprintf(err, errlen, "cannot read %s", path);
			goto out;
		}
		migrate_sha256_hex(sql, len, sum);
		if (recorded_checksum(c, files[i], recorded, err, errlen) == -1) {
			free(sql);
			goto out;
		}
		if (*recorded && strcmp(recorded, sum) != 0) {
			snprintf(err, errlen, "migration %s was changed after it was applied "
			         "(recorded sha256 %.12s..., file now %.12s...). Restore the file "
			         "and put the change in a new migration.", files[i], recorded, sum);
			free(sql);
			goto out;
		}
		if (*recorded) {
			fprintf(out, "applied  %s\n", files[i]);
		} else if (mode == MIGRATE_STATUS) {
			fprintf(out, "pending  %s\n", files[i]);
			pending++;
		} else if (apply_one(c, files[i], sql, sum, err, errlen) == -1) {
			free(sql);
			goto out;
		} else {
			fprintf(out, "applying %s ... done\n", files[i]);
		}
		free(sql);
	}
	rc = pending;
out:
	if (files)
		for (size_t i = 0; i < n; i++)
			free(files[i]);
	free(files);
	PQfinish(c);
	return rc;
}
