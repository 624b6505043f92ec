/* fuzz_rxtoken: libFuzzer harness for the prescription token decoder and
 * verifier (fcgi/lib/rxtoken.c): any text decodes in bounds; what decodes
 * is the one canonical spelling of its bytes (base32 back gives the same
 * text); and a text is accepted only when it is exactly what the key's
 * holder signs for those fields (Ed25519 is deterministic): a token the
 * fuzzer changed in any way never verifies. The keys are fixed (private
 * halves 01.., 02.., 03..) so that the seeds (tokens they signed: see
 * tests/fuzz/seeds/rxtoken) reach the signature and date checks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rxtoken.h"
#include "lib/totp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NKEYS 3
static struct rxkeys keys;
static unsigned char privs[NKEYS][SIGN_PRIVATE_BYTES];

/* Key 0: days 20000..20099; key 1: revoked; key 2: current from 20200. */
static void
init_keys(void)
{
	static const long from[NKEYS] = { 20000, 20100, 20200 }, until[NKEYS] = { 20099, 20199, -1 };
	unsigned char pub[SIGN_PUBLIC_BYTES];

	for (int i = 0; i < NKEYS; i++) {
		memset(privs[i], i + 1, SIGN_PRIVATE_BYTES);
		if (sign_public_of(privs[i], pub) != 0 ||
		    rxkeys_add(&keys, pub, from[i], until[i], i == 1 ? 20150 : -1) != 0)
			abort();
	}
}

/* An accepted text must be the signer's own encoding of its fields. */
static void
check_accepted(const char *text, const struct rxtoken *t)
{
	char again[RXTOKEN_TEXT_LEN + 1];
	int k = -1;

	for (int i = 0; i < NKEYS; i++)
		if (memcmp(keys.key[i].key_id, t->key_id, RXKEYS_ID_BYTES) == 0)
			k = i;
	if (k < 0 || rxtoken_encode(t, privs[k], again, sizeof(again)) != RXTOKEN_TEXT_LEN ||
	    strcmp(again, text) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), again[RXTOKEN_TEXT_LEN + 1];
	unsigned char b[RXTOKEN_BYTES + 1];
	struct rxtoken t;

	if (text == NULL)
		abort();
	if (keys.n == 0)
		init_keys();
	memcpy(text, data, size);
	text[size] = '\0';
	if (rxtoken_decode(text, &t) == 0) {
		long days[4] = { t.issued_day, t.expires_day, t.expires_day + 1, 20050 };
		if (strlen(text) != RXTOKEN_TEXT_LEN || t.prescription_id <= 0 || t.expires_day < t.issued_day)
			abort();
		if (base32_decode(text, b, sizeof(b)) != RXTOKEN_BYTES)
			abort();
		base32_encode(b, RXTOKEN_BYTES, again);
		if (strcmp(again, text) != 0)
			abort();
		for (int i = 0; i < 4; i++)
			if (rxtoken_verify(&t, &keys, days[i]) == RXTOKEN_OK)
				check_accepted(text, &t);
	} else if (rxtoken_check(text, &keys, 20050, &t) != RXTOKEN_MALFORMED) {
		abort();
	}
	free(text);
	return 0;
}
