/* desk_verify: is a prescription presented at the desk genuine? Its
 * token's signature is checked by lib/rxtoken (the same check as the
 * public verification page and `medsysctl rx-verify`) against the keys
 * the clinic publishes, read afresh for every check so that a revocation
 * counts at once; and the token's digest must be the one of the
 * prescription as stored now. */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/db.h"
#include "core/request.h"
#include "lib/hex.h"
#include "lib/rxkeys.h"
#include "lib/rxtoken.h"
#include "pages/rx/desk.h"

/* rx_desk_keys' columns. */
enum key_col { K_PUBLIC, K_FROM, K_UNTIL, K_REVOKED, K_TODAY, K_DIGEST, K__MAX };

/* The published keys into ks; *today and the prescription's digest from
 * the same rows. 0, or -1 when they cannot be read (not genuine: nothing
 * can be verified). */
static int
load(struct req *r, long long id, struct rxkeys *ks, long *today, unsigned char digest[RX_DIGEST_BYTES])
{
	const char *p[2] = { arena_printf(r->arena, "%lld", id), r->cfg->clinic_timezone };
	struct db_result *res;

	if (p[0] == NULL || db_query(&res, "rx_desk_keys", 2, p) != DB_OK || db_rows(res) == 0)
		return -1;
	*today = atol(db_value(res, 0, K_TODAY));
	if (hex_decode(db_value(res, 0, K_DIGEST), digest, RX_DIGEST_BYTES) == -1)
		return -1;
	for (size_t k = 0; k < db_rows(res); k++) {
		unsigned char pub[SIGN_PUBLIC_BYTES];
		if (db_is_null(res, k, K_PUBLIC) ||
		    hex_decode(db_value(res, k, K_PUBLIC), pub, sizeof(pub)) == -1)
			continue;
		(void)rxkeys_add(ks, pub, atol(db_value(res, k, K_FROM)), atol(db_value(res, k, K_UNTIL)),
		                 atol(db_value(res, k, K_REVOKED)));
	}
	return 0;
}

int
desk_verdict(struct req *r, const char *token, long long id)
{
	struct rxkeys *ks = arena_alloc(r->arena, sizeof(*ks));
	unsigned char digest[RX_DIGEST_BYTES];
	struct rxtoken t;
	enum rxtoken_verdict v;
	long today;

	if (ks == NULL)
		return RXTOKEN_MALFORMED;
	memset(ks, 0, sizeof(*ks));
	if (load(r, id, ks, &today, digest) == -1)
		return RXTOKEN_UNKNOWN_KEY;
	v = rxtoken_check(token, ks, today, &t);
	if (v != RXTOKEN_OK && v != RXTOKEN_EXPIRED)
		return v;
	/* Signed, but for another prescription, or for items or a patient
	 * other than the ones stored now. */
	if (t.prescription_id != id || memcmp(t.digest, digest, RXTOKEN_DIGEST_BYTES) != 0)
		return DESK_DIGEST_MISMATCH;
	return v;
}
