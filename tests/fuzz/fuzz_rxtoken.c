/* fuzz_rxtoken: libFuzzer harness for the prescription token decoder and
 * verifier (fcgi/lib/rxtoken.c): any text decodes in bounds; what decodes
 * is the one canonical spelling of its bytes (base32 back gives the same
 * text); and nothing the fuzzer makes verifies against a key it does not
 * hold (the key set's private halves are thrown away at start-up). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rxtoken.h"
#include "lib/totp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rxkeys keys;

static void
init_keys(void)
{
	unsigned char pub[SIGN_PUBLIC_BYTES], priv[SIGN_PRIVATE_BYTES];

	for (int i = 0; i < 3; i++) {
		if (sign_keypair(pub, priv) != 0 ||
		    rxkeys_add(&keys, pub, 20000 + 100 * i, i == 2 ? -1 : 20099 + 100 * i, i == 1 ? 20150 : -1) != 0)
			abort();
	}
	memset(priv, 0, sizeof(priv));
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
		if (strlen(text) != RXTOKEN_TEXT_LEN || t.prescription_id <= 0 || t.expires_day < t.issued_day)
			abort();
		if (base32_decode(text, b, sizeof(b)) != RXTOKEN_BYTES)
			abort();
		base32_encode(b, RXTOKEN_BYTES, again);
		if (strcmp(again, text) != 0)
			abort();
	}
	for (long today = 19990; today <= 20310; today += 80)
		if (rxtoken_check(text, &keys, today, &t) == RXTOKEN_OK)
			abort();
	free(text);
	return 0;
}
