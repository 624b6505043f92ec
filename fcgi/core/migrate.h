/* migrate: applies sql/migrations/NNN_name.sql in order, each in its own
 * transaction, recorded with its SHA-256 in public.schema_migrations.
 * medsysctl and the dev scripts share this code path. */
#ifndef MEDSYS_MIGRATE_H
#define MEDSYS_MIGRATE_H

#include <stddef.h>
#include <stdio.h>

enum migrate_mode {
	MIGRATE_APPLY,      /* apply what is pending */
	MIGRATE_STATUS      /* only report applied and pending */
};

/* Connect with conninfo, take an advisory lock so two runs cannot
 * interleave, and apply (or list) the migrations in dir, writing one line
 * per migration to out. Refuses to go on when an applied migration's file
 * has changed since. Returns the number of pending migrations left
 * (0 after a successful apply), or -1 with a message in err. */
int migrate_run(const char *conninfo, const char *dir, enum migrate_mode mode,
                FILE *out, char *err, size_t errlen);

/* Lowercase hex SHA-256 of buf into hex (65 bytes). */
void migrate_sha256_hex(const void *buf, size_t len, char hex[65]);

#endif
