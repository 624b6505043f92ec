/* seal: the audit trail's tamper evidence as pure functions: the content
 * hash of one audit row (the same bytes audit.row_hash hashes in SQL), the
 * hash of a batch of rows, and the signed, chained seal over a batch with
 * its one-line text form (the seal file). No I/O. */
#ifndef MEDSYS_SEAL_H
#define MEDSYS_SEAL_H

#include <stddef.h>

#include "sign.h"

#define SEAL_HASH_BYTES 32
#define SEAL_LINE_MAX 640

/* One audit.events row as verification reads it. Text fields are UTF-8
 * and never NULL. */
struct seal_row {
	long long id;
	long long at_us;            /* microseconds since 1970-01-01 UTC */
	int has_actor, has_subject;
	long long actor, subject;
	const char *action, *object, *addr, *request;
	unsigned long long xid;     /* the inserting transaction (xid8) */
};

/* SHA-256 of the row's canonical bytes: "MSA1", id, at_us, actor and
 * subject (a 0 byte for none, else 1 and the number), action, object,
 * addr, request (each a 4-byte length and the bytes), xid; numbers are
 * 8 bytes big-endian. 0, or -1 when OpenSSL fails. */
int seal_row_hash(const struct seal_row *r, unsigned char out[SEAL_HASH_BYTES]);

/* The hash of a batch: SHA-256 over "MSB1", then each row's id (8 bytes)
 * and content hash in id order, then the row count (8 bytes). Add rows
 * with seal_batch_add in id order. */
struct seal_batch {
	void *ctx;                  /* OpenSSL digest state */
	long long rows;
};
int seal_batch_init(struct seal_batch *b);
int seal_batch_add(struct seal_batch *b, long long id, const unsigned char hash[SEAL_HASH_BYTES]);
/* Finish into out (rows counted in b->rows); frees the state. 0 or -1. */
int seal_batch_final(struct seal_batch *b, unsigned char out[SEAL_HASH_BYTES]);
/* Free the state of an unfinished batch. */
void seal_batch_discard(struct seal_batch *b);

/* One seal: rows first_id..last_id (inclusive; the ids present are
 * `rows` rows whose batch hash is root), chained to the previous seal's
 * hash (all zero for seal 1). hash = SHA-256 of "MSS1", the five numbers
 * (8 bytes each), the key id and root and prev; sig = Ed25519(hash). */
struct seal {
	long long seal_id, first_id, last_id, rows, at_us;
	char key_id[SIGN_KEY_ID_LEN + 1];
	unsigned char root[SEAL_HASH_BYTES], prev[SEAL_HASH_BYTES];
	unsigned char hash[SEAL_HASH_BYTES], sig[SIGN_BYTES];
};

/* The hash the fields of s give (s->hash is not read). 0 or -1. */
int seal_compute_hash(const struct seal *s, unsigned char out[SEAL_HASH_BYTES]);

/* Set s->key_id from pub, s->hash from the fields and s->sig with priv.
 * 0 or -1. */
int seal_sign(struct seal *s, const unsigned char priv[SIGN_PRIVATE_BYTES]);

enum seal_check {
	SEAL_OK = 0,
	SEAL_BAD_HASH,              /* the fields do not give s->hash */
	SEAL_BAD_SIGNATURE,         /* pub did not sign s->hash */
	SEAL__MAX
};

/* Check s against its own hash and the signature against pub. */
enum seal_check seal_check(const struct seal *s, const unsigned char pub[SIGN_PUBLIC_BYTES]);

/* The seal as one line of text (no newline): "medsys-seal v1 seal=N
 * first=N last=N rows=N at=N key=ID root=HEX prev=HEX hash=HEX sig=HEX".
 * The length, or -1 when out (SEAL_LINE_MAX is enough) is too small. */
int seal_format(const struct seal *s, char *out, size_t len);

/* Read a line written by seal_format (a trailing newline is allowed).
 * Only the exact form is accepted. 0, or -1. */
int seal_parse(const char *line, struct seal *s);

#endif
