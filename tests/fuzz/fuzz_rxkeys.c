/* fuzz_rxkeys: libFuzzer harness for the published prescription keys
 * JSON reader (fcgi/lib/rxkeys.c): any bytes parse in bounds, a refusal
 * leaves an empty set, and an accepted set keeps its promises: at most
 * RXKEYS_MAX keys, each key id the one of its public key, no key twice,
 * validity in order, reasons NUL-terminated within their room. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hex.h"
#include "lib/rxkeys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rxkeys ks;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[128], id[SIGN_KEY_ID_LEN + 1], want[SIGN_KEY_ID_LEN + 1];

	if (rxkeys_parse_json((const char *)data, size, &ks, err, sizeof(err)) != 0) {
		if (ks.n != 0 || memchr(err, '\0', sizeof(err)) == NULL)
			abort();
		return 0;
	}
	if (ks.n > RXKEYS_MAX)
		abort();
	for (size_t i = 0; i < ks.n; i++) {
		const struct rxkey *k = &ks.key[i];
		sign_key_id(k->pub, want);
		hex_encode(k->key_id, RXKEYS_ID_BYTES, id);
		if (strcmp(id, want) != 0 || rxkeys_find(&ks, k->key_id) != k)
			abort();
		if (k->valid_until_day != -1 && k->valid_until_day < k->valid_from_day)
			abort();
		if (memchr(k->revoke_reason, '\0', sizeof(k->revoke_reason)) == NULL)
			abort();
	}
	return 0;
}
