/* rxverify: a token checked against the published keys and the stored
 * prescription. */
#include "rxverify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "lib/hex.h"

/* rx_verify_keys' columns. */
enum { V_TODAY, V_KEYS, V_DIGEST };

int
rxverify_token(const struct config *cfg, const char *token, struct rxverify *out)
{
	unsigned char digest[RX_DIGEST_BYTES];
	struct db_result *res = NULL;
	struct rxkeys *ks = NULL;
	char idtext[24];
	const char *p[2] = { cfg->clinic_timezone[0] ? cfg->clinic_timezone : "UTC", idtext };
	const char *json;
	int rc = 503;

	memset(out, 0, sizeof(*out));
	out->verdict = RXTOKEN_MALFORMED;
	rxtoken_decode(token, &out->t);
	snprintf(idtext, sizeof(idtext), "%lld", out->t.prescription_id);
	if ((ks = malloc(sizeof(*ks))) == NULL || db_query(&res, "rx_verify_keys", 2, p) != DB_OK ||
	    db_rows(res) != 1)
		goto out;
	rc = 0;
	out->today = atol(db_value(res, 0, V_TODAY));
	if (out->t.prescription_id == 0)
		goto out;
	json = db_value(res, 0, V_KEYS);
	if (rxkeys_parse_json(json, strlen(json), ks, NULL, 0) == -1) {
		out->verdict = RXTOKEN_UNKNOWN_KEY;   /* nothing to verify with */
		goto out;
	}
	out->verdict = rxtoken_verify(&out->t, ks, out->today);
	out->mismatch = db_is_null(res, 0, V_DIGEST) ||
	                hex_decode(db_value(res, 0, V_DIGEST), digest, RX_DIGEST_BYTES) == -1 ||
	                memcmp(digest, out->t.digest, RXTOKEN_DIGEST_BYTES) != 0;
out:
	db_result_free(res);
	free(ks);
	return rc;
}

int
rxverify_genuine(const struct rxverify *v)
{
	return v->verdict == RXTOKEN_OK && !v->mismatch;
}
