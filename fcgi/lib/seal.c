/* seal: canonical bytes, batch and seal hashes, the seal line. */
#include "seal.h"

#include "hex.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

/* An incremental SHA-256 over pieces, with the big-endian encodings the
 * canonical forms use. */
static int
put(EVP_MD_CTX *c, const void *p, size_t n)
{
	return EVP_DigestUpdate(c, p, n) == 1 ? 0 : -1;
}

static int
put_u64(EVP_MD_CTX *c, unsigned long long v)
{
	unsigned char b[8];

	for (int i = 7; i >= 0; i--, v >>= 8)
		b[i] = (unsigned char)(v & 0xff);
	return put(c, b, 8);
}

static int
put_text(EVP_MD_CTX *c, const char *s)
{
	size_t n = strlen(s);
	unsigned char b[4] = { (unsigned char)(n >> 24), (unsigned char)(n >> 16),
	                       (unsigned char)(n >> 8), (unsigned char)n };

	return put(c, b, 4) | put(c, s, n);
}

static int
put_optional(EVP_MD_CTX *c, int present, long long v)
{
	unsigned char flag = present ? 1 : 0;

	return put(c, &flag, 1) | (present ? put_u64(c, (unsigned long long)v) : 0);
}

static int
finish(EVP_MD_CTX *c, int failed, unsigned char out[SEAL_HASH_BYTES])
{
	unsigned int n = 0;

	if (!failed && EVP_DigestFinal_ex(c, out, &n) != 1)
		failed = -1;
	EVP_MD_CTX_free(c);
	return failed || n != SEAL_HASH_BYTES ? -1 : 0;
}

int
seal_row_hash(const struct seal_row *r, unsigned char out[SEAL_HASH_BYTES])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int bad;

	if (c == NULL || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(c);
		return -1;
	}
	bad = put(c, "MSA1", 4) | put_u64(c, (unsigned long long)r->id) |
	      put_u64(c, (unsigned long long)r->at_us) |
	      put_optional(c, r->has_actor, r->actor) | put_optional(c, r->has_subject, r->subject) |
	      put_text(c, r->action) | put_text(c, r->object) | put_text(c, r->addr) |
	      put_text(c, r->request) | put_u64(c, r->xid);
	return finish(c, bad, out);
}

int
seal_batch_init(struct seal_batch *b)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	b->ctx = NULL;
	b->rows = 0;
	if (c == NULL || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1 || put(c, "MSB1", 4)) {
		EVP_MD_CTX_free(c);
		return -1;
	}
	b->ctx = c;
	return 0;
}

int
seal_batch_add(struct seal_batch *b, long long id, const unsigned char hash[SEAL_HASH_BYTES])
{
	if (b->ctx == NULL || put_u64(b->ctx, (unsigned long long)id) || put(b->ctx, hash, SEAL_HASH_BYTES))
		return -1;
	b->rows++;
	return 0;
}

int
seal_batch_final(struct seal_batch *b, unsigned char out[SEAL_HASH_BYTES])
{
	EVP_MD_CTX *c = b->ctx;

	b->ctx = NULL;
	if (c == NULL)
		return -1;
	return finish(c, put_u64(c, (unsigned long long)b->rows), out);
}

void
seal_batch_discard(struct seal_batch *b)
{
	EVP_MD_CTX_free(b->ctx);
	b->ctx = NULL;
}

int
seal_compute_hash(const struct seal *s, unsigned char out[SEAL_HASH_BYTES])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	char kid[SIGN_KEY_ID_LEN];
	int bad;

	if (c == NULL || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(c);
		return -1;
	}
	/* The key id as exactly 16 bytes, so no length is needed. */
	memset(kid, 0, sizeof(kid));
	memcpy(kid, s->key_id, strnlen(s->key_id, sizeof(kid)));
	bad = put(c, "MSS1", 4) | put_u64(c, (unsigned long long)s->seal_id) |
	      put_u64(c, (unsigned long long)s->first_id) | put_u64(c, (unsigned long long)s->last_id) |
	      put_u64(c, (unsigned long long)s->rows) | put_u64(c, (unsigned long long)s->at_us) |
	      put(c, kid, sizeof(kid)) | put(c, s->root, SEAL_HASH_BYTES) | put(c, s->prev, SEAL_HASH_BYTES);
	return finish(c, bad, out);
}

int
seal_sign(struct seal *s, const unsigned char priv[SIGN_PRIVATE_BYTES])
{
	unsigned char pub[SIGN_PUBLIC_BYTES];

	if (sign_public_of(priv, pub) == -1)
		return -1;
	sign_key_id(pub, s->key_id);
	if (seal_compute_hash(s, s->hash) == -1)
		return -1;
	return sign_sign(priv, s->hash, SEAL_HASH_BYTES, s->sig);
}

enum seal_check
seal_check(const struct seal *s, const unsigned char pub[SIGN_PUBLIC_BYTES])
{
	unsigned char h[SEAL_HASH_BYTES];

	if (seal_compute_hash(s, h) == -1 || memcmp(h, s->hash, SEAL_HASH_BYTES) != 0)
		return SEAL_BAD_HASH;
	return sign_verify(pub, s->hash, SEAL_HASH_BYTES, s->sig) ? SEAL_OK : SEAL_BAD_SIGNATURE;
}

int
seal_format(const struct seal *s, char *out, size_t len)
{
	char root[2 * SEAL_HASH_BYTES + 1], prev[sizeof(root)], hash[sizeof(root)];
	char sig[2 * SIGN_BYTES + 1];
	int n;

	hex_encode(s->root, SEAL_HASH_BYTES, root);
	hex_encode(s->prev, SEAL_HASH_BYTES, prev);
	hex_encode(s->hash, SEAL_HASH_BYTES, hash);
	hex_encode(s->sig, SIGN_BYTES, sig);
	n = snprintf(out, len, "medsys-seal v1 seal=%lld first=%lld last=%lld rows=%lld at=%lld "
	             "key=%s root=%s prev=%s hash=%s sig=%s", s->seal_id, s->first_id, s->last_id,
	             s->rows, s->at_us, s->key_id, root, prev, hash, sig);
	return n < 0 || (size_t)n >= len ? -1 : n;
}

int
seal_parse(const char *line, struct seal *s)
{
	char root[65], prev[65], hash[65], sig[129], again[SEAL_LINE_MAX];
	size_t n = strlen(line);

	if (n > 0 && line[n - 1] == '\n')
		n--;
	if (n >= SEAL_LINE_MAX)
		return -1;
	memset(s, 0, sizeof(*s));
	if (sscanf(line, "medsys-seal v1 seal=%lld first=%lld last=%lld rows=%lld at=%lld "
	           "key=%16[0-9a-f] root=%64[0-9a-f] prev=%64[0-9a-f] hash=%64[0-9a-f] sig=%128[0-9a-f]",
	           &s->seal_id, &s->first_id, &s->last_id, &s->rows, &s->at_us, s->key_id,
	           root, prev, hash, sig) != 10)
		return -1;
	if (hex_decode(root, s->root, SEAL_HASH_BYTES) || hex_decode(prev, s->prev, SEAL_HASH_BYTES) ||
	    hex_decode(hash, s->hash, SEAL_HASH_BYTES) || hex_decode(sig, s->sig, SIGN_BYTES))
		return -1;
	/* Canonical only: formatting it again gives the very same line. */
	if (seal_format(s, again, sizeof(again)) != (int)n || memcmp(again, line, n) != 0)
		return -1;
	return 0;
}
