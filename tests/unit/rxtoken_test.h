/* rxtoken_test: what the two halves of test_rxtoken share: a key set of
 * an old (rotated), a current and a revoked key, and a token signed by
 * any of them. */
#ifndef MEDSYS_RXTOKEN_TEST_H
#define MEDSYS_RXTOKEN_TEST_H

#include <check.h>

#include "lib/rxtoken.h"

/* Day numbers used throughout: 2026-12-01 and around. */
#define DAY0 20788L

struct rxfix {
	unsigned char old_priv[SIGN_PRIVATE_BYTES], cur_priv[SIGN_PRIVATE_BYTES];
	unsigned char rev_priv[SIGN_PRIVATE_BYTES], stranger_priv[SIGN_PRIVATE_BYTES];
	struct rxkeys keys;   /* old: DAY0-100..DAY0, cur: DAY0.., rev: revoked */
};

/* Make the four keys and the trusted set (stranger's key is not in it). */
void rxfix_init(struct rxfix *f);

/* A token for prescription id issued on day for 10 days, signed by priv,
 * its text in out (RXTOKEN_TEXT_LEN + 1). */
void rxfix_token(const unsigned char *priv, long long id, long day, char *out);

TCase *rxtoken_mutate_tcase(void);
TCase *rxtoken_lab_tcase(void);

#endif
