/* token: kernel randomness (getrandom), hex, SHA-256 for storing tokens
 * hashed, constant-time comparison, and human recovery codes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "core/token.h"

static const char hex_digits[] = "0123456789abcdef";

/* Recovery-code symbols: digits and lower-case letters without 0, 1, i,
 * l and o (look-alikes of each other and of O, I). 31 symbols. */
static const char recovery_alphabet[] = "23456789abcdefghjkmnpqrstuvwxyz";
#define RECOVERY_SYMBOLS (sizeof(recovery_alphabet) - 1)
/* The largest multiple of RECOVERY_SYMBOLS that fits in a byte: bytes
 * at or above it are rejected, so every symbol is equally likely. */
#define RECOVERY_LIMIT (256 - 256 % RECOVERY_SYMBOLS)

/* n bytes as lower-case hex into out (2n + 1 bytes, NUL-terminated). */
static void
hex_encode(const unsigned char *in, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex_digits[in[i] >> 4];
		out[2 * i + 1] = hex_digits[in[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

/* getrandom(2) with flags 0 (blocks only until the pool is first
 * seeded), repeated on EINTR and on short reads. -1 on any other error;
 * out is then cleared. */
int
token_random_bytes(unsigned char *out, size_t n)
{
	size_t got = 0;
	ssize_t r;

	if (out == NULL && n != 0)
		return -1;
	while (got < n) {
		r = getrandom(out + got, n - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			OPENSSL_cleanse(out, n);
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

/* Random bytes in chunks of a stack buffer, hex-encoded as they come.
 * On failure out is the empty string. */
int
token_random_hex(char *out, size_t nbytes)
{
	unsigned char buf[64];
	size_t done = 0, k;
	int rc = -1;

	if (out == NULL)
		return -1;
	out[0] = '\0';
	while (done < nbytes) {
		k = nbytes - done < sizeof(buf) ? nbytes - done : sizeof(buf);
		if (token_random_bytes(buf, k) != 0) {
			OPENSSL_cleanse(out, 2 * done + 1);
			out[0] = '\0';
			goto out;
		}
		hex_encode(buf, k, out + 2 * done);
		done += k;
	}
	rc = 0;
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	return rc;
}

/* EVP_Digest fails only when OpenSSL cannot allocate; a hash that is not
 * one must never be returned (it could be stored or matched), so the
 * process aborts and the pool replaces the worker. NULL hashes as "". */
void
token_sha256_bytes(const void *data, size_t n, unsigned char out[32])
{
	unsigned int len = 0;

	if (EVP_Digest(data, n, out, &len, EVP_sha256(), NULL) != 1 || len != 32)
		abort();
}

void
token_sha256(const char *s, unsigned char out[32])
{
	if (s == NULL)
		s = "";
	token_sha256_bytes(s, strlen(s), out);
}

/* "\\x" followed by 64 lower-case hex digits: PostgreSQL's hex format
 * for bytea input, so the text parameter can be compared with a bytea
 * column directly. */
void
token_sha256_bytea(const char *s, char out[67])
{
	unsigned char md[32];

	token_sha256(s, md);
	out[0] = '\\';
	out[1] = 'x';
	hex_encode(md, sizeof(md), out + 2);
}

/* Lengths are compared first (a length is not secret); the contents are
 * then compared with CRYPTO_memcmp over the shorter length whatever the
 * lengths were, so no content byte decides when the comparison stops. */
int
token_equal(const char *a, const char *b)
{
	size_t la, lb;
	int same;

	if (a == NULL || b == NULL)
		return 0;
	la = strlen(a);
	lb = strlen(b);
	same = CRYPTO_memcmp(a, b, la < lb ? la : lb) == 0;
	return (la == lb) & same;
}

/* The next unbiased symbol index, refilling pool from getrandom when it
 * runs out. -1 when no randomness could be had. */
static int
recovery_symbol(unsigned char *pool, size_t poolsz, size_t *used)
{
	unsigned char b;

	for (;;) {
		if (*used == poolsz) {
			if (token_random_bytes(pool, poolsz) != 0)
				return -1;
			*used = 0;
		}
		b = pool[(*used)++];
		if (b < RECOVERY_LIMIT)
			return (int)(b % RECOVERY_SYMBOLS);
	}
}

/* Three groups of four symbols (about 59 bits), by rejection sampling.
 * On failure out is the empty string. */
int
token_recovery_code(char out[15])
{
	unsigned char pool[32];
	size_t used = sizeof(pool), o = 0;
	int i, v, rc = -1;

	out[0] = '\0';
	for (i = 0; i < 12; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		if ((v = recovery_symbol(pool, sizeof(pool), &used)) < 0) {
			OPENSSL_cleanse(out, 15);
			out[0] = '\0';
			goto out;
		}
		out[o++] = recovery_alphabet[v];
	}
	out[o] = '\0';
	rc = 0;
out:
	OPENSSL_cleanse(pool, sizeof(pool));
	return rc;
}
