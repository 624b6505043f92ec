/* rxkeys: the set of prescription signing keys a verifier trusts (public
 * halves with their validity and revocation) and the strict parser of the
 * published JSON (GET /.well-known/medsys-rx-keys.json, docs/prescriptions.md
 * "Keys"). Pure: text in, struct out; no I/O. */
#ifndef MEDSYS_RXKEYS_H
#define MEDSYS_RXKEYS_H

#include <stddef.h>

#include "lib/sign.h"

#define RXKEYS_MAX 64              /* keys in one set (years of monthly rotation) */
#define RXKEYS_ID_BYTES 8          /* a key id: first 8 bytes of SHA-256(public key) */
#define RXKEYS_REASON_MAX 800      /* bytes of a revocation reason: 200 characters of UTF-8 (019) */
#define RXKEYS_JSON_MAX (256 * 1024)

/* One key. Days are day numbers (days since 1970-01-01) of the clinic's
 * calendar: the key signs prescriptions issued from valid_from_day to
 * valid_until_day inclusive. */
struct rxkey {
	unsigned char key_id[RXKEYS_ID_BYTES];
	unsigned char pub[SIGN_PUBLIC_BYTES];
	long valid_from_day;
	long valid_until_day;          /* -1: still the current key */
	long revoked_day;              /* -1: not revoked; else it verifies nothing */
	char revoke_reason[RXKEYS_REASON_MAX + 1];
};

struct rxkeys {
	struct rxkey key[RXKEYS_MAX];
	size_t n;
};

/* Add a key (the key id is computed from pub). 0, or -1 when the set is
 * full, the key is already in it, or valid_until_day < valid_from_day. */
int rxkeys_add(struct rxkeys *ks, const unsigned char pub[SIGN_PUBLIC_BYTES],
               long valid_from_day, long valid_until_day, long revoked_day);

/* The key with that id, or NULL. */
const struct rxkey *rxkeys_find(const struct rxkeys *ks, const unsigned char id[RXKEYS_ID_BYTES]);

/* Parse len bytes of the published JSON into *ks (emptied first):
 *   {"keys": [ {"key_id": "<16 hex>", "alg": "Ed25519",
 *               "public_key": "<64 hex>", "valid_from": "YYYY-MM-DD",
 *               "valid_until": "YYYY-MM-DD" | null,
 *               "revoked_on": "YYYY-MM-DD" | null,
 *               "revoke_reason": "text" | null}, ... ], ...}
 * Strict: RFC 8259 JSON (UTF-8, no trailing commas, nesting at most 8),
 * keys members exactly these (alg, valid_until, revoked_on and
 * revoke_reason may be left out; a duplicate or unknown member is an
 * error), lowercase hex, the key id equal to the public key's, real
 * dates, valid_until not before valid_from, no key twice. Members of the
 * top object other than "keys" are skipped (issuer, generated_at).
 * 0, or -1 with a short English reason in err. */
int rxkeys_parse_json(const char *text, size_t len, struct rxkeys *ks, char *err, size_t errlen);

#endif
