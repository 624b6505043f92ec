/* sign: Ed25519 through OpenSSL's EVP interface; OpenSSL's errors stop
 * here (callers see 0 / -1). */
#include "sign.h"

#include "hex.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <string.h>

int
sign_keypair(unsigned char pub[SIGN_PUBLIC_BYTES], unsigned char priv[SIGN_PRIVATE_BYTES])
{
	EVP_PKEY *k = NULL;
	size_t pl = SIGN_PUBLIC_BYTES, sl = SIGN_PRIVATE_BYTES;
	int rc = -1;

	if ((k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519")) == NULL)
		goto out;
	if (EVP_PKEY_get_raw_public_key(k, pub, &pl) != 1 || pl != SIGN_PUBLIC_BYTES ||
	    EVP_PKEY_get_raw_private_key(k, priv, &sl) != 1 || sl != SIGN_PRIVATE_BYTES)
		goto out;
	rc = 0;
out:
	EVP_PKEY_free(k);
	return rc;
}

int
sign_public_of(const unsigned char priv[SIGN_PRIVATE_BYTES], unsigned char pub[SIGN_PUBLIC_BYTES])
{
	EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv, SIGN_PRIVATE_BYTES);
	size_t pl = SIGN_PUBLIC_BYTES;
	int rc = -1;

	if (k && EVP_PKEY_get_raw_public_key(k, pub, &pl) == 1 && pl == SIGN_PUBLIC_BYTES)
		rc = 0;
	EVP_PKEY_free(k);
	return rc;
}

int
sign_sign(const unsigned char priv[SIGN_PRIVATE_BYTES], const void *msg, size_t len,
          unsigned char sig[SIGN_BYTES])
{
	EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv, SIGN_PRIVATE_BYTES);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t sl = SIGN_BYTES;
	int rc = -1;

	if (k == NULL || ctx == NULL)
		goto out;
	/* Ed25519 takes no digest: NULL, and the one-shot EVP_DigestSign. */
	if (EVP_DigestSignInit(ctx, NULL, NULL, NULL, k) == 1 &&
	    EVP_DigestSign(ctx, sig, &sl, msg, len) == 1 && sl == SIGN_BYTES)
		rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	return rc;
}

int
sign_verify(const unsigned char pub[SIGN_PUBLIC_BYTES], const void *msg, size_t len,
            const unsigned char sig[SIGN_BYTES])
{
	EVP_PKEY *k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, SIGN_PUBLIC_BYTES);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = 0;

	if (k && ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k) == 1)
		ok = EVP_DigestVerify(ctx, sig, SIGN_BYTES, msg, len) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	return ok;
}

void
sign_key_id(const unsigned char pub[SIGN_PUBLIC_BYTES], char out[SIGN_KEY_ID_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (EVP_Digest(pub, SIGN_PUBLIC_BYTES, md, &mdlen, EVP_sha256(), NULL) != 1)
		memset(md, 0, sizeof(md));
	hex_encode(md, SIGN_KEY_ID_LEN / 2, out);
}

/* The PEM text a memory BIO holds into out. Length or -1. */
static long
bio_to_text(BIO *b, char *out, size_t len)
{
	char *p;
	long n = BIO_get_mem_data(b, &p);

	if (n <= 0 || (size_t)n >= len)
		return -1;
	memcpy(out, p, (size_t)n);
	out[n] = '\0';
	return n;
}

/* The PEM text of a raw key (private when priv). Length or -1. */
static long
raw_to_pem(const unsigned char raw[32], int priv, char *out, size_t len)
{
	EVP_PKEY *k = priv ? EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, raw, 32)
	                   : EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw, 32);
	BIO *b = BIO_new(BIO_s_mem());
	long n = -1;

	if (k && b && (priv ? PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL)
	                    : PEM_write_bio_PUBKEY(b, k)) == 1)
		n = bio_to_text(b, out, len);
	BIO_free(b);
	EVP_PKEY_free(k);
	return n;
}

long
sign_private_to_pem(const unsigned char priv[SIGN_PRIVATE_BYTES], char *out, size_t len)
{
	return raw_to_pem(priv, 1, out, len);
}

long
sign_public_to_pem(const unsigned char pub[SIGN_PUBLIC_BYTES], char *out, size_t len)
{
	return raw_to_pem(pub, 0, out, len);
}

/* Read one PEM key (private when priv, else public) and copy its raw
 * bytes out, only when it is an Ed25519 key. */
static int
pem_raw(const char *pem, size_t len, int priv, unsigned char out[32])
{
	BIO *b = len <= 65536 ? BIO_new_mem_buf(pem, (int)len) : NULL;
	EVP_PKEY *k = NULL;
	size_t n = 32;
	int rc = -1;

	if (b == NULL)
		goto out;
	k = priv ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : PEM_read_bio_PUBKEY(b, NULL, NULL, NULL);
	if (k == NULL || EVP_PKEY_get_id(k) != EVP_PKEY_ED25519)
		goto out;
	if ((priv ? EVP_PKEY_get_raw_private_key(k, out, &n)
	          : EVP_PKEY_get_raw_public_key(k, out, &n)) == 1 && n == 32)
		rc = 0;
out:
	EVP_PKEY_free(k);
	BIO_free(b);
	return rc;
}

int
sign_private_from_pem(const char *pem, size_t len, unsigned char priv[SIGN_PRIVATE_BYTES])
{
	return pem_raw(pem, len, 1, priv);
}

int
sign_public_from_pem(const char *pem, size_t len, unsigned char pub[SIGN_PUBLIC_BYTES])
{
	return pem_raw(pem, len, 0, pub);
}
