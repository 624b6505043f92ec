/* rx_sign_pending: `medsysctl rx-sign-pending`, signing the demo data's
 * queued prescriptions (rx.sign_queue, migration 020) with the instance's
 * current prescription key, then replaying what the seed says happened to
 * them (dispensings, a cancellation). Run after the seeds by script/server
 * and tests/harness/stack; docs/prescriptions.md "Demo data". */
#ifndef MEDSYS_CTL_RX_SIGN_PENDING_H
#define MEDSYS_CTL_RX_SIGN_PENDING_H

struct config;

/* Sign every queued prescription, each in its own transaction, the
 * database open (db_init with sql/queries). Prints one line per
 * prescription. 0 all signed (or none queued), 1 one failed (the others
 * are still signed; the failed one stays queued). */
int rx_sign_pending(const struct config *cfg);

#endif
