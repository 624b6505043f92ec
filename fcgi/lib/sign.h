/* sign: Ed25519 signatures (OpenSSL EVP), key ids and PEM key encoding,
 * for the audit seals and, later, prescriptions. Pure: buffers in, buffers
 * out; no file, socket or database. */
#ifndef MEDSYS_SIGN_H
#define MEDSYS_SIGN_H

#include <stddef.h>

#define SIGN_PUBLIC_BYTES 32    /* raw Ed25519 public key */
#define SIGN_PRIVATE_BYTES 32   /* raw Ed25519 private key (the seed) */
#define SIGN_BYTES 64           /* one signature */
#define SIGN_KEY_ID_LEN 16      /* hex digits of a key id */
#define SIGN_PEM_MAX 256        /* room for either PEM encoding */

/* A fresh key pair from OpenSSL's CSPRNG. 0, or -1 on failure. */
int sign_keypair(unsigned char pub[SIGN_PUBLIC_BYTES],
                 unsigned char priv[SIGN_PRIVATE_BYTES]);

/* The public key of a private key. 0, or -1. */
int sign_public_of(const unsigned char priv[SIGN_PRIVATE_BYTES],
                   unsigned char pub[SIGN_PUBLIC_BYTES]);

/* Sign len bytes of msg (Ed25519 signs the message itself, no prehash).
 * 0, or -1. */
int sign_sign(const unsigned char priv[SIGN_PRIVATE_BYTES], const void *msg,
              size_t len, unsigned char sig[SIGN_BYTES]);

/* 1 when sig is a valid signature of msg by pub, 0 when it is not (or
 * cannot be checked). */
int sign_verify(const unsigned char pub[SIGN_PUBLIC_BYTES], const void *msg,
                size_t len, const unsigned char sig[SIGN_BYTES]);

/* The key id: the first 8 bytes of SHA-256(public key) as 16 lowercase
 * hex digits and a NUL. Names a key in seals and file names. */
void sign_key_id(const unsigned char pub[SIGN_PUBLIC_BYTES],
                 char out[SIGN_KEY_ID_LEN + 1]);

/* PKCS#8 "PRIVATE KEY" / SubjectPublicKeyInfo "PUBLIC KEY" PEM text (what
 * `openssl pkey` reads) into out with a NUL. The length, or -1 when out
 * is too small or OpenSSL fails. */
long sign_private_to_pem(const unsigned char priv[SIGN_PRIVATE_BYTES], char *out, size_t len);
long sign_public_to_pem(const unsigned char pub[SIGN_PUBLIC_BYTES], char *out, size_t len);

/* Read an Ed25519 key back from PEM text of len bytes. 0, or -1 when it
 * is not such a key. */
int sign_private_from_pem(const char *pem, size_t len, unsigned char priv[SIGN_PRIVATE_BYTES]);
int sign_public_from_pem(const char *pem, size_t len, unsigned char pub[SIGN_PUBLIC_BYTES]);

#endif
