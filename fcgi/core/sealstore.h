/* sealstore: where the audit seals' evidence lives outside the pure code:
 * the key files and the seal file in seal_dir, and audit rows read back
 * and hashed for sealing or verification. Shared by medsys-sealer and
 * medsysctl (keys audit-generate, audit-verify). */
#ifndef MEDSYS_SEALSTORE_H
#define MEDSYS_SEALSTORE_H

#include <stddef.h>

#include "lib/seal.h"

/* Files below seal_dir. */
#define SEALSTORE_PRIVATE "audit-seal.key"   /* mode 0400, the sealer's user */
#define SEALSTORE_KEYS "keys"                /* <key id>.pub, public keys */
#define SEALSTORE_FILE "seals.log"           /* one seal_format line per seal */

/* Write a new key pair: the private key to dir/audit-seal.key (replacing
 * the previous one, mode 0400) and the public key to dir/keys/<id>.pub
 * (mode 0644; earlier public keys stay, seals made with them still
 * verify). 0, or -1 with a message in err. */
int sealstore_write_keys(const char *dir, const unsigned char pub[SIGN_PUBLIC_BYTES],
                         const unsigned char priv[SIGN_PRIVATE_BYTES], char *err, size_t errlen);

/* Read dir/audit-seal.key; refused when group or others may read it.
 * 0, or -1 with a message. */
int sealstore_read_private(const char *dir, unsigned char priv[SIGN_PRIVATE_BYTES],
                           char *err, size_t errlen);

/* Read dir/keys/<key_id>.pub and check that it is that key. 0, or -1. */
int sealstore_read_public(const char *dir, const char *key_id,
                          unsigned char pub[SIGN_PUBLIC_BYTES]);

/* The last seal of the seal file at path: 1 (in *s), 0 when the file is
 * missing or empty, -1 when it cannot be read or its last line is not a
 * seal. */
int sealstore_last(const char *path, struct seal *s);

/* Append the seal's line to the file at path and flush it to disk before
 * returning, unless the file already ends at that seal or a later one
 * (another sealer wrote it: a second line for the same seal would fork
 * the chain); the check and the write hold an exclusive flock on the
 * file. 0, or -1 (errno; EEXIST in that case). */
int sealstore_append(const char *path, const struct seal *s);

/* Read the audit rows with after < id <= upto in id order, at most limit,
 * add each one's stored hash to b, and recompute each content hash from
 * the row. Returns the number of rows read (their last id in *last), or
 * -1 when the query failed. *changed gets the first row whose content no
 * longer gives its stored hash (0: none). */
long sealstore_rows(long long after, long long upto, int limit, struct seal_batch *b,
                    long long *last, long long *changed);

#endif
