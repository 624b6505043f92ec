/* rx_keys: rotate and revoke prescription signing keys, verify a token
 * offline. The private half goes to rx_key_dir (core/rxsign), the public
 * half to rx.signing_keys, which the well-known JSON publishes. */
#include "rx_keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"
#include "core/file.h"
#include "core/rxsign.h"
#include "lib/datetime.h"
#include "lib/hex.h"
#include "lib/rxtoken.h"

/* The database half of a rotation, in one transaction. 0 or -1. */
static int
publish_key(const char *id, const unsigned char pub[SIGN_PUBLIC_BYTES], const char *valid_from,
            char *old, size_t oldlen)
{
	struct db_result *res = NULL;
	char pubhex[2 * SIGN_PUBLIC_BYTES + 1], object[128];
	const char *p[3] = { id, pubhex, valid_from };

	hex_encode(pub, SIGN_PUBLIC_BYTES, pubhex);
	old[0] = '\0';
	if (db_begin() != DB_OK || db_query(&res, "rx_key_retire", 0, NULL) != DB_OK)
		goto fail;
	if (db_rows(res) == 1)
		snprintf(old, oldlen, "%s", db_value(res, 0, 0));
	db_result_free(res);
	snprintf(object, sizeof(object), "key=%s previous=%s by=medsysctl", id, old[0] ? old : "none");
	/* a change of who can sign prescriptions is an audited event */
	if (db_run("rx_key_insert", 3, p) != DB_OK || audit_log_system(0, 0, "rx.key_rotated", object) == -1 ||
	    db_commit() != DB_OK)
		goto fail;
	return 0;
fail:
	db_rollback();
	return -1;
}

int
rx_keys_rotate(const struct config *cfg, int argc, char **argv)
{
	unsigned char pub[SIGN_PUBLIC_BYTES], priv[SIGN_PRIVATE_BYTES];
	char id[SIGN_KEY_ID_LEN + 1], old[SIGN_KEY_ID_LEN + 1], err[1200], path[1024];
	int rc = 1;

	const char *valid_from = argc == 4 ? argv[3] : NULL;   /* keys rotate --valid-from DAY */

	if (sign_keypair(pub, priv) == -1) {
		fprintf(stderr, "medsysctl keys rotate: generating the key failed\n");
		return 1;
	}
	sign_key_id(pub, id);
	rxsign_key_path(cfg->rx_key_dir, id, path, sizeof(path));
	if (rxsign_write_private(cfg->rx_key_dir, priv, err, sizeof(err)) == -1) {
		fprintf(stderr, "medsysctl keys rotate: %s\n", err);
		goto out;
	}
	if (publish_key(id, pub, valid_from, old, sizeof(old)) == -1) {
		fprintf(stderr, "medsysctl keys rotate: publishing the key failed (database error)\n");
		unlink(path);
	} else {
		printf("prescription signing key %s: private %s (mode 0600), public in rx.signing_keys\n", id, path);
		if (old[0])
			printf("key %s retired: it signs no more, and still verifies what it signed\n", old);
		rc = 0;
	}
out:
	explicit_bzero(priv, sizeof(priv));
	return rc;
}

/* KEYID and --reason TEXT of argv (from argv[2]); 0, or -1. */
static int
revoke_args(int argc, char **argv, const char **id, const char **reason)
{
	*id = *reason = NULL;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--reason") == 0 && i + 1 < argc)
			*reason = argv[++i];
		else if (argv[i][0] != '-' && *id == NULL)
			*id = argv[i];
		else
			return -1;
	}
	if (*id == NULL || *reason == NULL || strlen(*id) != SIGN_KEY_ID_LEN ||
	    strspn(*id, "0123456789abcdef") != SIGN_KEY_ID_LEN || strlen(*reason) < 3 || strlen(*reason) > 200)
		return -1;
	return 0;
}

int
rx_keys_usage(int argc, char **argv)
{
	const char *id, *reason;

	if (strcmp(argv[1], "rotate") == 0
	    ? argc == 2 || (argc == 4 && strcmp(argv[2], "--valid-from") == 0 && dt_is_date(argv[3]))
	    : revoke_args(argc, argv, &id, &reason) == 0)
		return 0;
	fprintf(stderr, "usage: medsysctl keys rotate [--valid-from YYYY-MM-DD]\n"
	        "       medsysctl keys revoke KEYID --reason TEXT\n"
	        "  KEYID: 16 lowercase hex digits (GET /.well-known/medsys-rx-keys.json lists them);\n"
	        "  TEXT: 3 to 200 characters, published with the key;\n"
	        "  --valid-from: a past first day, only for back-dated demo prescriptions\n");
	return 2;
}

int
rx_keys_revoke(const struct config *cfg, int argc, char **argv)
{
	const char *id = NULL, *reason = NULL;
	struct db_result *res = NULL;
	char path[1024], object[600];
	int rc = 1;

	if (revoke_args(argc, argv, &id, &reason) == -1)
		return 2;
	{
		const char *p[2] = { id, reason };
		if (db_begin() != DB_OK || db_query(&res, "rx_key_revoke", 2, p) != DB_OK) {
			db_rollback();
			fprintf(stderr, "medsysctl keys revoke: the database refused it\n");
			goto out;
		}
	}
	/* audited in the revocation's transaction: both or neither */
	snprintf(object, sizeof(object), "key=%s reason=%s by=medsysctl", id, reason);
	if (db_rows(res) == 1 &&
	    (audit_log_system(0, 0, "rx.key_revoked", object) == -1 ||
	     db_commit() != DB_OK)) {
		db_rollback();
		fprintf(stderr, "medsysctl keys revoke: the audit row could not be written; nothing was revoked\n");
		goto out;
	}
	if (db_rows(res) != 1) {
		db_rollback();
		db_result_free(res);
		res = NULL;
		const char *p[1] = { id };
		int known = db_query(&res, "rx_key_state", 1, p) == DB_OK && db_rows(res) == 1;
		fprintf(stderr, "medsysctl keys revoke: %s %s\n", known ? "already revoked:" : "no such key:", id);
		goto out;
	}
	/* the private half must never sign again */
	rxsign_key_path(cfg->rx_key_dir, id, path, sizeof(path));
	if (unlink(path) == 0)
		printf("removed the private key %s\n", path);
	printf("key %s revoked: prescriptions signed with it no longer verify\n", id);
	rc = 0;
out:
	db_result_free(res);
	return rc;
}

/* Today's day number in the clinic's calendar (TZ set to its zone). */
static long
clinic_today(const struct config *cfg)
{
	struct dt_date d;
	struct tm tm;
	time_t now = time(NULL);

	if (cfg->clinic_timezone[0])
		setenv("TZ", cfg->clinic_timezone, 1);
	tzset();
	localtime_r(&now, &tm);
	d.year = tm.tm_year + 1900;
	d.month = tm.tm_mon + 1;
	d.day = tm.tm_mday;
	return dt_date_to_days(&d);
}

static void
print_day(const char *label, long day)
{
	struct dt_date d;
	char s[DT_DATE_LEN + 1] = "?";

	if (dt_date_from_days(day, &d) == 0)
		dt_date_format(&d, s);
	printf("%-14s %s\n", label, s);
}

/* Print the verdict and the fields of a decoded token. */
static void
print_token(enum rxtoken_verdict v, const struct rxtoken *t)
{
	char id[SIGN_KEY_ID_LEN + 1], dg[2 * RXTOKEN_DIGEST_BYTES + 1];

	printf("%-14s %s\n", "verdict", v == RXTOKEN_OK ? "genuine" : rxtoken_verdict_name(v));
	if (v == RXTOKEN_MALFORMED)
		return;
	hex_encode(t->key_id, RXKEYS_ID_BYTES, id);
	hex_encode(t->digest, RXTOKEN_DIGEST_BYTES, dg);
	printf("%-14s %lld\n", "prescription", t->prescription_id);
	print_day("issued", t->issued_day);
	print_day("expires", t->expires_day);
	printf("%-14s %s\n", "key", id);
	printf("%-14s %s\n", "digest", dg);
}

int
rx_keys_verify(const struct config *cfg, int argc, char **argv)
{
	const char *token = NULL, *keys = NULL, *today = NULL;
	struct rxkeys *ks = NULL;
	struct rxtoken t;
	struct dt_date d;
	enum rxtoken_verdict v;
	char *json = NULL, err[200];
	size_t len = 0;
	int rc = 2;

	for (int i = 1; i < argc; i++) {
		const char **opt = strcmp(argv[i], "--keys") == 0 ? &keys : strcmp(argv[i], "--today") == 0 ? &today : NULL;
		if (opt && i + 1 < argc)
			*opt = argv[++i];
		else if (!opt && token == NULL)
			token = argv[i];
		else
			token = NULL, i = argc;
	}
	if (token == NULL || keys == NULL || (today && dt_date_parse(today, strlen(today), &d) != DT_OK)) {
		fprintf(stderr, "usage: medsysctl rx-verify TOKEN --keys FILE.json [--today YYYY-MM-DD]\n"
		        "  FILE.json: a saved copy of <base_url>/.well-known/medsys-rx-keys.json\n");
		return 2;
	}
	if ((json = file_read_all(keys, RXKEYS_JSON_MAX, &len)) == NULL ||
	    (ks = malloc(sizeof(*ks))) == NULL) {
		fprintf(stderr, "medsysctl rx-verify: cannot read %s\n", keys);
		goto out;
	}
	if (rxkeys_parse_json(json, len, ks, err, sizeof(err)) == -1) {
		fprintf(stderr, "medsysctl rx-verify: %s is not a published key set: %s\n", keys, err);
		goto out;
	}
	v = rxtoken_check(token, ks, today ? dt_date_to_days(&d) : clinic_today(cfg), &t);
	print_token(v, &t);
	rc = v == RXTOKEN_OK ? 0 : 1;
out:
	free(json);
	free(ks);
	return rc;
}
