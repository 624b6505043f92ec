/* rx_sign_pending: medsysctl rx-sign-pending (see the header). */
#include "ctl/rx_sign_pending.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/config.h"
#include "core/db.h"
#include "core/rxsign.h"

/* Columns of rx_sign_queue (sql/queries/rx.sql). */
enum { SQ_ID, SQ_PATIENT, SQ_PRESCRIBER, SQ_SIGNED_AT, SQ_ISSUED, SQ_EXPIRES };

/* Sign row i of the queue and replay its story, in one transaction:
 * 0, or -1 with the reason printed. */
static int
sign_one(const struct config *cfg, struct db_result *q, size_t i)
{
	const char *id = db_value(q, i, SQ_ID);
	struct rxsign_result s;
	char err[512];
	int rc;

	if (db_begin() != DB_OK) {
		fprintf(stderr, "medsysctl rx-sign-pending: the database is unavailable\n");
		return -1;
	}
	/* the lock first: the items signed are the items stored */
	const char *pl[1] = { id };
	if (db_run("rx_sign_queue_lock", 1, pl) != DB_OK) {
		snprintf(err, sizeof(err), "cannot lock it");
		goto fail;
	}
	if ((rc = rxsign_sign_days(cfg, strtoll(id, NULL, 10), db_value(q, i, SQ_ISSUED),
	                           db_value(q, i, SQ_EXPIRES), &s, err, sizeof(err))) != 0)
		goto fail;
	const char *p[8] = { id, db_value(q, i, SQ_PRESCRIBER), s.issued_on, s.expires_on, s.digest_hex,
	                     s.key_id_hex, s.token, db_value(q, i, SQ_SIGNED_AT) };
	if (db_run("rx_signature_add", 8, p) != DB_OK || db_run("rx_sign_queue_finish", 1, pl) != DB_OK) {
		snprintf(err, sizeof(err), "the database refused the signature or the queued story");
		goto fail;
	}
	if (db_commit() != DB_OK) {
		snprintf(err, sizeof(err), "the commit failed");
		goto fail;
	}
	printf("prescription %s signed (key %s, valid %s to %s)\n", id, s.key_id_hex, s.issued_on, s.expires_on);
	return 0;
fail:
	db_rollback();
	fprintf(stderr, "medsysctl rx-sign-pending: prescription %s: %s\n", id, err);
	return -1;
}

int
rx_sign_pending(const struct config *cfg)
{
	struct db_result *q;
	int rc = 0;

	if (db_query(&q, "rx_sign_queue", 0, NULL) != DB_OK) {
		fprintf(stderr, "medsysctl rx-sign-pending: cannot read rx.sign_queue (is it migrated?)\n");
		return 1;
	}
	for (size_t i = 0; i < db_rows(q); i++)
		if (sign_one(cfg, q, i) != 0)
			rc = 1;
	printf("%zu queued prescription(s) processed\n", db_rows(q));
	db_result_free(q);
	return rc;
}
