/* medsys-sealer: seals committed audit rows in id order, about once a
 * second: hashes each batch, chains it to the previous seal, signs it with
 * the Ed25519 key only this daemon's user can read, appends it to the seal
 * file outside the database, then inserts it into audit.seals.
 *
 * Why a daemon of its own and not part of medsys-notifier: the signing key
 * must be unreadable by the web workers' user, and the notifier runs as
 * that user (it also holds the SMTP secret). A separate process runs as its
 * own user with its own database role, which may insert seals and nothing
 * else; it also stays simple to reason about (docs/architecture.md). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "core/daemon.h"
#include "core/db.h"
#include "core/file.h"
#include "core/log.h"
#include "core/sealstore.h"
#include "lib/hex.h"
#include "lib/seal.h"
#include "lib/sign.h"

#define BATCH_MAX 5000          /* rows per seal; more wait for the next seal */

static volatile sig_atomic_t got_term;

static struct {
	struct config cfg;
	unsigned char priv[SIGN_PRIVATE_BYTES], pub[SIGN_PUBLIC_BYTES];
	char key_id[SIGN_KEY_ID_LEN + 1];
	char file[CONFIG_STR_MAX + 32];
	int published;              /* the key is in audit.seal_keys (this connection) */
	int pending;                /* a (position, horizon) pair waits to settle */
	long long position;         /* last row id drawn when it was read */
	char horizon[32];           /* first transaction id not given out then */
	long long file_last_id;     /* newest seal in the file, 0: none */
	struct seal file_last;
	int warned;                 /* the file/database mismatch was logged */
	int file_ahead;             /* appends refused as the file had the seal */
} sl;

struct head {
	long long seal_id, last_id;
	unsigned char hash[SEAL_HASH_BYTES];
};

static void
on_term(int sig)
{
	(void)sig;
	got_term = 1;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);   /* a signal ends it early: the loop checks */
}

/* One number from a one-row, one-column statement. */
static enum db_status
query_one(const char *name, int n, const char *const *p, char *out, size_t len)
{
	struct db_result *res;
	enum db_status st = db_query(&res, name, n, p);

	if (st == DB_OK) {
		if (db_rows(res) == 1)
			snprintf(out, len, "%s", db_value(res, 0, 0));
		else
			st = DB_ERROR;
		db_result_free(res);
	}
	return st;
}

/* The newest seal in the database (all zero when none). 0 or -1. */
static int
read_head(struct head *h)
{
	struct db_result *res;

	memset(h, 0, sizeof(*h));
	if (db_query(&res, "seal_head", 0, NULL) != DB_OK)
		return -1;
	if (db_rows(res) == 1) {
		h->seal_id = atoll(db_value(res, 0, 0));
		h->last_id = atoll(db_value(res, 0, 1));
		hex_decode(db_value(res, 0, 2), h->hash, SEAL_HASH_BYTES);
	}
	db_result_free(res);
	return 0;
}

static enum db_status
insert_seal(const struct seal *s)
{
	char id[24], first[24], last[24], rows[24], at[24];
	char root[65], prev[65], hash[65], sig[129];
	const char *p[10] = { id, first, last, rows, at, s->key_id, root, prev, hash, sig };

	snprintf(id, sizeof(id), "%lld", s->seal_id);
	snprintf(first, sizeof(first), "%lld", s->first_id);
	snprintf(last, sizeof(last), "%lld", s->last_id);
	snprintf(rows, sizeof(rows), "%lld", s->rows);
	snprintf(at, sizeof(at), "%lld", s->at_us);
	hex_encode(s->root, SEAL_HASH_BYTES, root);
	hex_encode(s->prev, SEAL_HASH_BYTES, prev);
	hex_encode(s->hash, SEAL_HASH_BYTES, hash);
	hex_encode(s->sig, SIGN_BYTES, sig);
	return db_run("seal_insert", 10, p);
}

/* The file is the seals' write-ahead log: a seal is appended there before
 * it is inserted. A seal the file holds one ahead of the database (a crash
 * or a lost connection in between) is inserted now; any other difference
 * is logged for audit-verify to report. 0, or -1 when the database failed. */
static int
reconcile(struct head *h)
{
	if (sl.file_last_id == h->seal_id + 1 &&
	    memcmp(sl.file_last.prev, h->hash, SEAL_HASH_BYTES) == 0) {
		if (insert_seal(&sl.file_last) != DB_OK)
			return -1;
		log_msg("info", "seal %lld restored from the seal file", sl.file_last_id);
		h->seal_id = sl.file_last.seal_id;
		h->last_id = sl.file_last.last_id;
		memcpy(h->hash, sl.file_last.hash, SEAL_HASH_BYTES);
	} else if (sl.file_last_id != h->seal_id && !sl.warned) {
		log_msg("error", "the seal file %s ends at seal %lld but the database at seal %lld: "
		        "run medsysctl audit-verify", sl.file, sl.file_last_id, h->seal_id);
		sl.warned = 1;
	}
	return 0;
}

/* Seal the rows read into b (ids after h->last_id up to last). */
static int
write_seal(const struct head *h, struct seal_batch *b, long long last, long long at_us)
{
	struct seal s;
	char line[SEAL_LINE_MAX];

	memset(&s, 0, sizeof(s));
	s.seal_id = h->seal_id + 1;
	s.first_id = h->last_id + 1;
	s.last_id = last;
	s.rows = b->rows;
	s.at_us = at_us;
	memcpy(s.prev, h->hash, SEAL_HASH_BYTES);
	if (seal_batch_final(b, s.root) == -1 || seal_sign(&s, sl.priv) == -1) {
		log_msg("error", "cannot compute seal %lld", s.seal_id);
		return -1;
	}
	if (db_run("seal_flush", 0, NULL) != DB_OK)
		return -1;
	if (sealstore_append(sl.file, &s) == -1) {
		if (errno == EEXIST && sl.file_ahead++ == 0)
			log_msg("error", "the seal file %s already holds seal %lld: another "
			        "medsys-sealer wrote it; not forking the chain", sl.file, s.seal_id);
		else if (errno != EEXIST)
			log_msg("error", "cannot append to the seal file %s: %s", sl.file,
			        strerror(errno));
		return -1;
	}
	sl.file_ahead = 0;
	sl.file_last = s;
	sl.file_last_id = s.seal_id;
	if (insert_seal(&s) != DB_OK)
		return -1;  /* reconcile inserts it from the file */
	seal_format(&s, line, sizeof(line));
	log_msg("info", "%s", line);
	return 0;
}

/* One sealing round. 1 when a full batch was sealed (more may be ready at
 * once), 0 when done for now, -1 when the database failed. */
static int
seal_round(void)
{
	char settled[8], at[24], pos[24];
	struct seal_batch b;
	struct head h;
	long long last = 0, changed = 0;
	long n;

	if (read_head(&h) == -1 || reconcile(&h) == -1)
		return -1;
	if (!sl.pending) {
		/* The position first, then the horizon, in two statements: see
		 * seal_position in sql/sealer/seals.sql. */
		if (query_one("seal_position", 0, NULL, pos, sizeof(pos)) != DB_OK ||
		    query_one("seal_horizon", 0, NULL, sl.horizon, sizeof(sl.horizon)) != DB_OK)
			return -1;
		sl.position = atoll(pos);
		if (sl.position <= h.last_id)
			return 0;
		sl.pending = 1;
	}
	{
		const char *p[1] = { sl.horizon };
		struct db_result *res;
		if (db_query(&res, "seal_settled", 1, p) != DB_OK)
			return -1;
		snprintf(settled, sizeof(settled), "%s", db_value(res, 0, 0));
		snprintf(at, sizeof(at), "%s", db_value(res, 0, 1));
		db_result_free(res);
	}
	if (strcmp(settled, "t") != 0)
		return 0;   /* a transaction that may hold a lower id is still open */
	if (seal_batch_init(&b) == -1)
		return -1;
	n = sealstore_rows(h.last_id, sl.position, BATCH_MAX, &b, &last, &changed);
	if (n <= 0) {
		seal_batch_discard(&b);
		if (n == 0)
			sl.pending = 0;   /* every id up to the position was rolled back */
		return n == 0 ? 0 : -1;
	}
	if (changed)
		log_msg("error", "audit row %lld no longer matches its hash; sealed as it is "
		        "(audit-verify will name it)", changed);
	if (n < BATCH_MAX)
		sl.pending = 0;
	if (write_seal(&h, &b, last, atoll(at)) == -1)
		return -1;
	return n == BATCH_MAX ? 1 : 0;
}

enum take {
	TAKE_OURS,      /* this connection holds the lock; the key is published */
	TAKE_OTHER,     /* another sealer holds it */
	TAKE_DOWN,      /* the database failed */
};

/* Once per connection: take the one-sealer lock (two sealers would make
 * competing seals), publish the public key, and read the seal file's end
 * again: another sealer may have appended to it since we last looked (a
 * stale end would make reconcile cry tampering, or miss the one seal a
 * crashed sealer left in the file only). */
static enum take
take_over(void)
{
	char pem[SIGN_PEM_MAX], locked[8];
	const char *p[2] = { sl.key_id, pem };
	int have;

	if (sl.published)
		return TAKE_OURS;
	if (query_one("seal_lock", 0, NULL, locked, sizeof(locked)) != DB_OK)
		return TAKE_DOWN;
	if (strcmp(locked, "t") != 0)
		return TAKE_OTHER;   /* asked again on the same connection */
	if ((have = sealstore_last(sl.file, &sl.file_last)) == -1) {
		log_msg("error", "the seal file %s cannot be read or its last line is not a seal",
		        sl.file);
		return TAKE_DOWN;
	}
	sl.file_last_id = have ? sl.file_last.seal_id : 0;
	if (sign_public_to_pem(sl.pub, pem, sizeof(pem)) < 0 || db_run("seal_key_publish", 2, p) != DB_OK)
		return TAKE_DOWN;
	sl.published = 1;
	return TAKE_OURS;
}

/* Say once why sealing waits (or, with --once, why nothing was done). */
static void
tell_waiting(enum take t, enum take *told, int once)
{
	if (t == *told)
		return;
	if (t == TAKE_DOWN)
		log_msg("warning", "database unavailable; sealing waits");
	else
		log_msg("warning", "another medsys-sealer is sealing this database; %s",
		        once ? "nothing sealed" : "waiting");
	*told = t;
}

static int
run(int once)
{
	enum take t, told = TAKE_OURS;
	int r;

	while (!got_term) {
		t = db_ensure() != DB_OK ? TAKE_DOWN : take_over();
		if (t != TAKE_OURS) {
			tell_waiting(t, &told, once);
			sl.published = 0;
			if (once)
				return 1;
			sleep_ms(1000);
			continue;
		}
		if (told == TAKE_OTHER)
			log_msg("info", "took over sealing this database: the other medsys-sealer let go");
		told = TAKE_OURS;
		while ((r = seal_round()) == 1 && !got_term)
			;
		if (r == -1) {
			sl.published = 0;
			sl.pending = 0;
			db_disconnect();
			if (once)
				return 1;
		}
		if (once)
			return 0;
		sleep_ms(sl.cfg.seal_interval_ms);
	}
	return 0;
}

/* Key, seal file, queries. 0, or -1 with a message on stderr. */
static int
start(void)
{
	unsigned char disk[SIGN_PUBLIC_BYTES];
	char dir[CONFIG_STR_MAX + 32], err[600];
	int have;

	if (sealstore_read_private(sl.cfg.seal_dir, sl.priv, err, sizeof(err)) == -1 ||
	    sign_public_of(sl.priv, sl.pub) == -1) {
		fprintf(stderr, "medsys-sealer: %s\n", err);
		return -1;
	}
	sign_key_id(sl.pub, sl.key_id);
	if (sealstore_read_public(sl.cfg.seal_dir, sl.key_id, disk) == -1 ||
	    memcmp(disk, sl.pub, sizeof(disk)) != 0) {
		fprintf(stderr, "medsys-sealer: the public key %s/%s/%s.pub is missing or differs: "
		        "audit-verify trusts only the keys there (medsysctl keys audit-generate)\n",
		        sl.cfg.seal_dir, SEALSTORE_KEYS, sl.key_id);
		return -1;
	}
	snprintf(sl.file, sizeof(sl.file), "%s/%s", sl.cfg.seal_dir, SEALSTORE_FILE);
	if ((have = sealstore_last(sl.file, &sl.file_last)) == -1) {
		fprintf(stderr, "medsys-sealer: the seal file %s cannot be read or its last line "
		        "is not a seal\n", sl.file);
		return -1;
	}
	sl.file_last_id = have ? sl.file_last.seal_id : 0;
	snprintf(dir, sizeof(dir), "%s/sql/sealer", sl.cfg.datadir);
	if (db_init(sl.cfg.db_sealer[0] ? sl.cfg.db_sealer : sl.cfg.db, sl.cfg.clinic_timezone, dir,
	            sl.cfg.db_connect_timeout, err, sizeof(err)) == -1) {
		fprintf(stderr, "medsys-sealer: %s\n", err);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct daemon_args args;
	const char *pidfile;
	struct sigaction sa;
	int rc;

	if ((rc = daemon_args_parse("medsys-sealer", "seal what is ready, then exit", argc, argv,
	                            &args, &sl.cfg)) != -1)
		return rc;
	pidfile = args.pidfile;
	rc = 2;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (start() == -1)
		goto out;
	if (pidfile && file_write_pid(pidfile) == -1) {
		fprintf(stderr, "medsys-sealer: cannot write %s\n", pidfile);
		goto out;
	}
	log_msg("info", "medsys-sealer started: key %s, seal file %s", sl.key_id, sl.file);
	rc = run(args.once);
	log_msg("info", "medsys-sealer stopping");
	if (pidfile)
		unlink(pidfile);
out:
	explicit_bzero(sl.priv, sizeof(sl.priv));
	db_shutdown();
	return rc;
}
