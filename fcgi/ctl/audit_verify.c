/* audit_verify: medsysctl audit-verify. Recomputes every row's content
 * hash and every seal's batch, follows the chain of seals, checks their
 * signatures with the published keys, compares the database's seals with
 * the seal file line by line, and trusts only keys whose public half is in
 * seal_dir/keys (outside the database). Reports the first break. */
#include "audit_verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/db.h"
#include "core/sealstore.h"
#include "lib/hex.h"
#include "lib/seal.h"
#include "lib/sign.h"

#define ROWS_PAGE 2000

struct verify {
	const struct config *cfg;
	const char *path;           /* the seal file */
	struct seal *file;          /* the seal file's seals, in order */
	size_t nfile;
	struct seal prev;           /* the last seal verified (seal_id 0: none) */
	long long seals;
	char brk[700];              /* the first break; "" while none */
};

/* Record the first break only. */
static void __attribute__((format(printf, 2, 3)))
broken(struct verify *v, const char *f, ...)
{
	va_list ap;

	if (v->brk[0])
		return;
	va_start(ap, f);
	vsnprintf(v->brk, sizeof(v->brk), f, ap);
	va_end(ap);
}

/* Read the seal file. A missing file counts as empty (every seal in the
 * database is then reported missing from it). 0, or -1 on a break. */
static int
read_file(struct verify *v, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, room = 0;
	int rc = 0;

	if (f == NULL)
		return 0;
	while (getline(&line, &cap, f) > 0) {
		struct seal s;
		if (seal_parse(line, &s) == -1) {
			broken(v, "line %zu of the seal file %s is not a seal", v->nfile + 1, path);
			rc = -1;
			break;
		}
		if (v->nfile == room) {
			struct seal *more = realloc(v->file, (room = room ? room * 2 : 256) * sizeof(*more));
			if (more == NULL) {
				broken(v, "out of memory reading %s", path);
				rc = -1;
				break;
			}
			v->file = more;
		}
		v->file[v->nfile++] = s;
	}
	free(line);
	fclose(f);
	return rc;
}

/* Whether the seal file holds seal_id. A seal made after the file was
 * read is looked for in the file read again: the sealer writes the file
 * before the database, so a seal the database has is in the file by now
 * unless the file lost it. */
static int
file_has(struct verify *v, long long seal_id)
{
	if ((size_t)seal_id > v->nfile) {
		v->nfile = 0;
		if (read_file(v, v->path) == -1)
			return 0;
	}
	return (size_t)seal_id <= v->nfile;
}

static void
seal_of(const struct db_result *res, size_t i, struct seal *s)
{
	memset(s, 0, sizeof(*s));
	s->seal_id = atoll(db_value(res, i, 0));
	s->first_id = atoll(db_value(res, i, 1));
	s->last_id = atoll(db_value(res, i, 2));
	s->rows = atoll(db_value(res, i, 3));
	s->at_us = atoll(db_value(res, i, 4));
	snprintf(s->key_id, sizeof(s->key_id), "%s", db_value(res, i, 5));
	hex_decode(db_value(res, i, 6), s->root, SEAL_HASH_BYTES);
	hex_decode(db_value(res, i, 7), s->prev, SEAL_HASH_BYTES);
	hex_decode(db_value(res, i, 8), s->hash, SEAL_HASH_BYTES);
	hex_decode(db_value(res, i, 9), s->sig, SIGN_BYTES);
}

/* The key a seal names, as published in the database: its public key and
 * validity. 0, or -1 (a break is recorded). */
static int
published_key(struct verify *v, const struct seal *s, unsigned char pub[SIGN_PUBLIC_BYTES])
{
	struct db_result *res;
	int rc = -1;

	if (db_query(&res, "seal_keys", 0, NULL) != DB_OK) {
		broken(v, "the keys cannot be read (database error)");
		return -1;
	}
	for (size_t i = 0; i < db_rows(res); i++) {
		const char *pem = db_value(res, i, 1);
		long long from = atoll(db_value(res, i, 2)), until = atoll(db_value(res, i, 3));
		if (strcmp(db_value(res, i, 0), s->key_id) != 0)
			continue;
		if (sign_public_from_pem(pem, strlen(pem), pub) == -1)
			broken(v, "seal %lld: the published key %s is not an Ed25519 key", s->seal_id, s->key_id);
		else if (s->at_us < from || (!db_is_null(res, i, 3) && s->at_us > until))
			broken(v, "seal %lld was made outside the validity of its key %s", s->seal_id, s->key_id);
		else
			rc = 0;
		goto out;
	}
	broken(v, "seal %lld: its key %s is not published in audit.seal_keys", s->seal_id, s->key_id);
out:
	db_result_free(res);
	return rc;
}

/* 1 when both seals have the same line of text. */
static int
same_line(const struct seal *a, const struct seal *b)
{
	char la[SEAL_LINE_MAX], lb[SEAL_LINE_MAX];

	return seal_format(a, la, sizeof(la)) > 0 && seal_format(b, lb, sizeof(lb)) > 0 &&
	       strcmp(la, lb) == 0;
}

/* The seal against its predecessor, its hash, its signature, the seal
 * file and the trusted keys on disk. 0, or -1 on a break. */
static int
check_seal(struct verify *v, const struct seal *s)
{
	unsigned char pub[SIGN_PUBLIC_BYTES], disk[SIGN_PUBLIC_BYTES];
	const char *dir = v->cfg->seal_dir;
	enum seal_check c;

	if (s->seal_id != v->prev.seal_id + 1)
		broken(v, "seals %lld to %lld are missing from the database", v->prev.seal_id + 1, s->seal_id - 1);
	else if (memcmp(s->prev, v->prev.hash, SEAL_HASH_BYTES) != 0)
		broken(v, "seal %lld does not chain to seal %lld (a seal was changed)", s->seal_id, v->prev.seal_id);
	else if (s->first_id != v->prev.last_id + 1)
		broken(v, "seal %lld starts at row %lld, not right after seal %lld", s->seal_id, s->first_id,
		       v->prev.seal_id);
	if (v->brk[0] || published_key(v, s, pub) == -1)
		return -1;
	if ((c = seal_check(s, pub)) == SEAL_BAD_HASH)
		broken(v, "seal %lld: its fields do not give its hash (the seal was changed)", s->seal_id);
	else if (c == SEAL_BAD_SIGNATURE)
		broken(v, "seal %lld: the signature does not verify with key %s (the seal was rewritten "
		       "without the signing key)", s->seal_id, s->key_id);
	else if (!file_has(v, s->seal_id))
		broken(v, "seal %lld is not in the seal file %s/%s, which ends at seal %zu (the file was "
		       "truncated or the seal was made inside the database)", s->seal_id, dir, SEALSTORE_FILE,
		       v->nfile);
	else if (!same_line(&v->file[s->seal_id - 1], s))
		broken(v, "seal %lld differs from line %lld of the seal file %s/%s (the seals were "
		       "rewritten in the database)", s->seal_id, s->seal_id, dir, SEALSTORE_FILE);
	else if (sealstore_read_public(dir, s->key_id, disk) == -1 || memcmp(disk, pub, sizeof(pub)) != 0)
		broken(v, "seal %lld: key %s is not among the trusted public keys in %s/%s", s->seal_id,
		       s->key_id, dir, SEALSTORE_KEYS);
	return v->brk[0] ? -1 : 0;
}

/* The rows a seal covers: each content hash, then the batch hash and
 * count. 0, or -1 on a break. */
static int
check_rows(struct verify *v, const struct seal *s)
{
	unsigned char root[SEAL_HASH_BYTES];
	struct seal_batch b;
	long long at = s->first_id - 1, changed = 0;
	long n;

	if (seal_batch_init(&b) == -1) {
		broken(v, "out of memory");
		return -1;
	}
	do {
		n = sealstore_rows(at, s->last_id, ROWS_PAGE, &b, &at, &changed);
		if (n == -1) {
			broken(v, "the rows of seal %lld cannot be read (database error)", s->seal_id);
		} else if (changed) {
			broken(v, "row %lld was changed: its content no longer gives its hash", changed);
			n = -1;
		}
	} while (n == ROWS_PAGE);
	if (n == -1) {
		seal_batch_discard(&b);
		return -1;
	}
	if (seal_batch_final(&b, root) == -1 || b.rows != s->rows || memcmp(root, s->root, sizeof(root)) != 0)
		broken(v, "rows %lld to %lld do not match seal %lld (%lld rows now, %lld sealed): a row was "
		       "deleted, added or its hash replaced", s->first_id, s->last_id, s->seal_id, b.rows, s->rows);
	return v->brk[0] ? -1 : 0;
}

/* Every seal in the database after the last one verified. 0 when all
 * verify (or there are none), -1 on a break. */
static int
check_seals(struct verify *v)
{
	struct db_result *res;
	size_t n;

	do {
		char after[24];
		const char *p[1] = { after };
		snprintf(after, sizeof(after), "%lld", v->prev.seal_id);
		if (db_query(&res, "seal_list", 1, p) != DB_OK) {
			broken(v, "the seals cannot be read (database error)");
			return -1;
		}
		n = db_rows(res);
		for (size_t i = 0; i < n; i++) {
			struct seal s;
			seal_of(res, i, &s);
			if (check_seal(v, &s) == -1 || check_rows(v, &s) == -1) {
				db_result_free(res);
				return -1;
			}
			v->prev = s;
			v->seals++;
		}
		db_result_free(res);
	} while (n > 0);
	return 0;
}

/* The rows after the last seal: their content hashes, how many, how old. */
static void
report_tail(struct verify *v, FILE *out)
{
	char after[24];
	const char *p[1] = { after };
	struct db_result *res;
	struct seal_batch b;
	long long at = v->prev.last_id, changed = 0;
	long n;

	if (seal_batch_init(&b) == 0) {
		do
			n = sealstore_rows(at, 0x7fffffffffffffffLL, ROWS_PAGE, &b, &at, &changed);
		while (n == ROWS_PAGE && !changed);
		seal_batch_discard(&b);
		if (changed)
			broken(v, "row %lld (not sealed yet) was changed: its content no longer gives its hash",
			       changed);
	}
	snprintf(after, sizeof(after), "%lld", v->prev.last_id);
	if (db_query(&res, "seal_tail", 1, p) != DB_OK) {
		broken(v, "the unsealed rows cannot be counted (database error)");
		return;
	}
	if (atoll(db_value(res, 0, 0)) == 0)
		fprintf(out, "unsealed tail: none\n");
	else
		fprintf(out, "unsealed tail: %s rows, the oldest %s s old\n", db_value(res, 0, 0),
		        db_value(res, 0, 1));
	db_result_free(res);
}

int
audit_verify(const struct config *cfg, FILE *out)
{
	struct verify v = { .cfg = cfg };
	char path[CONFIG_STR_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", cfg->seal_dir, SEALSTORE_FILE);
	v.path = path;
	/* The file first: a seal is written there before the database, so
	 * every seal it holds now should be in the database when read next. */
	if (read_file(&v, path) == 0 && check_seals(&v) == 0 && (size_t)v.seals < v.nfile) {
		/* The sealer may be between the file and the database: look again. */
		sleep(2);
		if (check_seals(&v) == 0 && (size_t)v.seals < v.nfile)
			broken(&v, "the seal file holds seals %lld to %zu that the database lacks (sealed "
			       "rows and their seals were deleted)", v.seals + 1, v.nfile);
	}
	fprintf(out, "verified through row %lld (%lld seals)\n", v.prev.last_id, v.seals);
	report_tail(&v, out);
	free(v.file);
	if (v.brk[0]) {
		fprintf(out, "break: %s\n", v.brk);
		return 1;
	}
	return 0;
}
