/* desk_verify: is a prescription presented at the desk genuine? Its
 * token's signature is checked by lib/rxtoken (the same check as the
 * public verification page and `medsysctl rx-verify`) against the keys
 * the clinic publishes, read afresh for every check so that a revocation
 * counts at once; and the token's digest must be the one of the
 * prescription as stored now (rx.prescription_digest, 019). */
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

/* The published keys into ks: the very JSON GET
 * /.well-known/medsys-rx-keys.json serves (rx-token's rx_keys_json), read
 * by the parser `medsysctl rx-verify` uses offline, so the desk trusts
 * exactly what the clinic publishes. Then today's day number and the
 * prescription's digest as stored now. 0, or -1 when they cannot be read
 * (then nothing verifies). */
static int
load(struct req *r, long long id, struct rxkeys *ks, long *today, unsigned char digest[RX_DIGEST_BYTES])
{
	const char *kp[2] = { r->cfg->clinic_timezone, r->cfg->base_url };
	const char *dp[2] = { arena_printf(r->arena, "%lld", id), r->cfg->clinic_timezone };
	struct db_batch b = { 0 };
	const char *json;
	char err[128];
	int k, d;

	if (dp[0] == NULL || (k = db_batch_add(&b, "rx_keys_json", 2, kp)) < 0 ||
	    (d = db_batch_add(&b, "rx_desk_digest", 2, dp)) < 0 || db_batch_run(&b) != DB_OK ||
	    db_rows(b.res[k]) != 1 || db_rows(b.res[d]) != 1)
		return -1;
	json = db_value(b.res[k], 0, 0);
	if (rxkeys_parse_json(json, strlen(json), ks, err, sizeof(err)) == -1)
		return -1;
	*today = atol(db_value(b.res[d], 0, 0));
	return hex_decode(db_value(b.res[d], 0, 1), digest, RX_DIGEST_BYTES) == -1 ? -1 : 0;
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
