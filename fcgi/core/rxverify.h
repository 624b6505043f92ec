/* rxverify: the server's verification of a prescription token: the keys
 * the clinic publishes (the same JSON GET /.well-known/medsys-rx-keys.json
 * serves, read by lib/rxkeys as `medsysctl rx-verify` reads a saved copy),
 * lib/rxtoken's verdict, and the token's digest against the prescription
 * as stored now. The public page and the pharmacist desk share it. */
#ifndef MEDSYS_RXVERIFY_H
#define MEDSYS_RXVERIFY_H

#include "lib/rxtoken.h"

struct config;
struct db_result;

/* Columns of the row rxverify_token hands back (rx_verify_page, sql/
 * queries/rx_token.sql): the prescription as the verification page
 * shows it; NULL when no signed prescription has the token's id. */
enum rxverify_col {
	RXV_TODAY, RXV_PATIENT, RXV_STATUS, RXV_ISSUED, RXV_EXPIRES,
	RXV_PRESCRIBER, RXV_LICENCE, RXV__MAX
};

struct rxverify {
	enum rxtoken_verdict verdict;   /* lib/rxtoken's, offline-equal */
	int mismatch;                   /* signed, yet not the prescription stored
	                                 * now (other items, patient, or no such
	                                 * prescription): not genuine */
	struct rxtoken t;               /* decoded (zero when malformed) */
	long today;                     /* the clinic's day number */
};

/* Verify token (NUL-terminated, may be anything) against the published
 * keys (kept per worker until rx.signing_keys changes: a revocation
 * counts at once) and, read in one round trip, today, the prescription
 * and its items (digested in C, core/rxsign). 0 with *out filled and, when row is not NULL, the
 * rx_verify_page row in *row (owned as db_set_arena says); 503 when the
 * database cannot be read. */
int rxverify_token(const struct config *cfg, const char *token, struct rxverify *out,
                   struct db_result **row);

/* What the public verification page shows of a prescription (strings
 * of the rx_verify_page row; empty when the token names none). */
struct rxverify_facts {
	char status[24];
	char prescriber[200];
	char licence[64];
	long long patient_id;           /* 0: none (never shown; own link) */
};

/* rxverify_token for the public page: the same answer, kept per worker
 * for a few seconds and dropped at once when a prescription is signed,
 * cancelled or dispensed (NOTIFY medsys_cache, migration 023), so a
 * scanned code read again (the patient, then the pharmacist, a reload)
 * costs no database round trip. The desk never uses it: dispensing reads
 * the state under its lock. 0, or 503. */
int rxverify_public(const struct config *cfg, const char *token, struct rxverify *out,
                    struct rxverify_facts *facts);

/* lib/rxtoken's verdict on t (decoded from text, of any kind: the lab
 * report page uses it too) against the published keys kept per worker,
 * the signature's answer kept per worker too; today is the clinic's day
 * number. A zeroed t (not decoded) is RXTOKEN_MALFORMED. */
enum rxtoken_verdict rxverify_verdict(const struct config *cfg, const char *text,
                                      const struct rxtoken *t, long today);

/* 1 when the verdict means genuine and in date, and the token is the
 * prescription's as stored. */
int rxverify_genuine(const struct rxverify *v);

#endif
