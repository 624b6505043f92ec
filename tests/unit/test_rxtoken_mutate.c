/* test_rxtoken_mutate: 10,000 tokens altered the ways a forger or a bad
 * scan would (bit flips anywhere, truncation, another key id, another
 * items digest or prescription id, dates moved, expired, signed by an
 * unknown or a revoked key, random text): not one is accepted as genuine
 * and none crashes (the test runs under the sanitizers in CI). Seeded:
 * the same 10,000 every run. */
#include <check.h>

#include "../check_util.h"
#include "rxtoken_test.h"
#include "lib/totp.h"

#define MUTANTS 10000

/* xorshift64: deterministic, no libc state */
static unsigned long long
next(unsigned long long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Re-spell bytes as a token text. */
static void
respell(const unsigned char b[RXTOKEN_BYTES], char *text)
{
	base32_encode(b, RXTOKEN_BYTES, text);
}

/* Mutation k of the genuine token (bytes b, text good) into out. */
static void
mutate(int kind, unsigned long long *rng, const struct rxfix *f, const unsigned char good[RXTOKEN_BYTES],
       const char *good_text, char *out, long *today)
{
	unsigned char b[RXTOKEN_BYTES];
	size_t n;

	memcpy(b, good, sizeof(b));
	*today = DAY0 + 1;
	switch (kind) {
	case 0:     /* one to three bit flips anywhere in the bytes */
		for (int i = 0, flips = 1 + (int)(next(rng) % 3); i < flips; i++) {
			size_t at = next(rng) % RXTOKEN_BYTES;
			b[at] ^= (unsigned char)(1u << (next(rng) % 8));
		}
		if (memcmp(b, good, sizeof(b)) == 0)
			b[50] ^= 1;
		respell(b, out);
		break;
	case 1:     /* truncated text */
		n = next(rng) % RXTOKEN_TEXT_LEN;
		memcpy(out, good_text, n);
		out[n] = '\0';
		break;
	case 2:     /* another published key's id */
		memcpy(b + 29, f->keys.key[next(rng) % f->keys.n].key_id, RXKEYS_ID_BYTES);
		if (memcmp(b, good, sizeof(b)) == 0)
			memcpy(b + 29, f->keys.key[0].key_id, RXKEYS_ID_BYTES);
		respell(b, out);
		break;
	case 3:     /* changed items digest (other items or patient) */
		b[9 + next(rng) % RXTOKEN_DIGEST_BYTES] ^= (unsigned char)(1 + next(rng) % 255);
		respell(b, out);
		break;
	case 4:     /* another prescription id, or a later expiry */
		b[1 + next(rng) % 8] ^= (unsigned char)(1 + next(rng) % 127);
		b[1] &= 0x7f;
		if (next(rng) % 2)
			b[28] = (unsigned char)(b[28] + 1 + next(rng) % 200);
		if (memcmp(b, good, sizeof(b)) == 0)
			b[8] ^= 2;
		respell(b, out);
		break;
	case 5:     /* genuine, but read after its expiry */
		strcpy(out, good_text);
		*today = DAY0 + 11 + (long)(next(rng) % 1000);
		break;
	case 6:     /* signed by a key nobody published */
		rxfix_token(f->stranger_priv, 1 + (long long)(next(rng) % 1000000), DAY0, out);
		break;
	case 7:     /* signed by the revoked key, within its old validity */
		rxfix_token(f->rev_priv, 1 + (long long)(next(rng) % 1000000), DAY0 - 150, out);
		*today = DAY0 - 150 + (long)(next(rng) % 10);
		break;
	case 8:     /* signed by the retired key after it was retired */
		rxfix_token(f->old_priv, 1 + (long long)(next(rng) % 1000000), DAY0 + 1, out);
		break;
	default:    /* random text of token length over the alphabet and beyond */
		for (int i = 0; i < RXTOKEN_TEXT_LEN; i++)
			out[i] = (char)(next(rng) % 4 ? "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[next(rng) % 32]
			                              : (char)(1 + next(rng) % 255));
		out[RXTOKEN_TEXT_LEN] = '\0';
		break;
	}
}

START_TEST(test_mutants_rejected)
{
	struct rxfix f;
	unsigned char good[RXTOKEN_BYTES + 1];
	char good_text[RXTOKEN_TEXT_LEN + 1], text[RXTOKEN_TEXT_LEN + 2];
	unsigned long long rng = 0x9e3779b97f4a7c15ULL;
	int accepted = 0, per_verdict[RXTOKEN__MAX] = { 0 };
	struct rxtoken t;
	long today;

	rxfix_init(&f);
	rxfix_token(f.cur_priv, 123456, DAY0, good_text);
	ck_assert_int_eq(rxtoken_check(good_text, &f.keys, DAY0 + 1, &t), RXTOKEN_OK);
	ck_assert_int_eq(base32_decode(good_text, good, sizeof(good)), RXTOKEN_BYTES);
	for (int i = 0; i < MUTANTS; i++) {
		enum rxtoken_verdict v;
		mutate(i % 10, &rng, &f, good, good_text, text, &today);
		v = rxtoken_check(text, &f.keys, today, &t);
		per_verdict[v]++;
		if (v == RXTOKEN_OK) {
			accepted++;
			fprintf(stderr, "accepted mutant %d (kind %d): %s\n", i, i % 10, text);
		}
	}
	ck_assert_int_eq(accepted, 0);
	/* each way of failing was met, so every kind really ran */
	for (int v = RXTOKEN_MALFORMED; v < RXTOKEN__MAX; v++)
		if (v != RXTOKEN_NOT_YET_VALID)
			ck_assert_msg(per_verdict[v] > 0, "no mutant gave %s", rxtoken_verdict_name(v));
}
END_TEST

TCase *
rxtoken_mutate_tcase(void)
{
	TCase *tc = tcase_create("mutate");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_mutants_rejected);
	return tc;
}
