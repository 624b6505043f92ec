/* rxsign: the prescription signing keys' private halves (files in the
 * config's rx_key_dir) and signing a stored prescription with the current
 * key: the digest of its rows (lib/rxtoken.h rx_digest) in a token. Used
 * by the doctor's sign page (rx-core), `medsysctl keys rotate` and
 * `medsysctl rx-sign-pending`. */
#ifndef MEDSYS_RXSIGN_H
#define MEDSYS_RXSIGN_H

#include <stddef.h>

#include "lib/rxtoken.h"

struct config;

/* What rx.signatures stores (sql/queries/rx.sql rx_signature_add). */
struct rxsign_result {
	char token[RXTOKEN_TEXT_LEN + 1];
	char digest_hex[2 * RX_DIGEST_BYTES + 1];
	char key_id_hex[SIGN_KEY_ID_LEN + 1];
	char issued_on[11], expires_on[11];    /* YYYY-MM-DD, both days included */
};

struct db_result;

/* The digest (lib/rxtoken.h rx_digest) of patient_id's prescription whose
 * items are the rows of statement rx_sign_items (sql/queries/rx_token.sql)
 * in res: what a signature covers, computed when signing and again when
 * verifying. 0, 1 when there is no item, -1 when the rows cannot be
 * digested. */
int rxsign_digest_rows(const struct db_result *res, long long patient_id,
                       unsigned char out[RX_DIGEST_BYTES]);

/* The private key file of key_id_hex in dir: "<dir>/<id>.key". */
void rxsign_key_path(const char *dir, const char *key_id_hex, char *out, size_t len);

/* Write a new key's private half to dir/<id>.key, mode 0600; dir is made
 * (0700) when missing. When run as root the file is given to the owner of
 * dir (the service user), so that only medsysd can read it. 0, or -1 with
 * a message. */
int rxsign_write_private(const char *dir, const unsigned char priv[SIGN_PRIVATE_BYTES],
                         char *err, size_t errlen);

/* Sign prescription id as of signed_at (timestamptz text; NULL: now):
 * issued on that day of the clinic's calendar, expiring rx_validity_days
 * later counting the issue day; with the current key (rx.signing_keys).
 * Call inside the transaction that inserts the signature, after
 * rx.lock_prescription, so that the items signed are the items stored.
 * 0; 404 no such prescription; 409 no item; 503 the database failed; 500
 * no current key or its file unreadable (err says which). */
int rxsign_sign(const struct config *cfg, long long id, const char *signed_at,
                struct rxsign_result *out, char *err, size_t errlen);

/* The same with the issue and expiry days given (YYYY-MM-DD), as
 * rx.sign_queue replays demo prescriptions. */
int rxsign_sign_days(const struct config *cfg, long long id, const char *issued_on,
                     const char *expires_on, struct rxsign_result *out, char *err, size_t errlen);

/* Sign t (any kind; its key id is set from the key) with the current
 * key into out: what the lab report uses, signed when it is printed.
 * 0; 503 the database failed; 500 no current key or its file unreadable
 * (err says which). */
int rxsign_token(const struct config *cfg, const struct rxtoken *t, char out[RXTOKEN_TEXT_LEN + 1],
                 char *err, size_t errlen);

#endif
