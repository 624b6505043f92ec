/* rxverify: the server's verification of a prescription token: the keys
 * the clinic publishes (the same JSON GET /.well-known/medsys-rx-keys.json
 * serves, read by lib/rxkeys as `medsysctl rx-verify` reads a saved copy),
 * lib/rxtoken's verdict, and the token's digest against the prescription
 * as stored now. The public page and the pharmacist desk share it. */
#ifndef MEDSYS_RXVERIFY_H
#define MEDSYS_RXVERIFY_H

#include "lib/rxtoken.h"

struct config;

struct rxverify {
	enum rxtoken_verdict verdict;   /* lib/rxtoken's, offline-equal */
	int mismatch;                   /* signed, yet not the prescription stored
	                                 * now (other items, patient, or no such
	                                 * prescription): not genuine */
	struct rxtoken t;               /* decoded (zero when malformed) */
	long today;                     /* the clinic's day number */
};

/* Verify token (NUL-terminated, may be anything). 0 with *out filled, or
 * 503 when the database cannot be read. */
int rxverify_token(const struct config *cfg, const char *token, struct rxverify *out);

/* 1 when the verdict means genuine and in date, and the token is the
 * prescription's as stored. */
int rxverify_genuine(const struct rxverify *v);

#endif
