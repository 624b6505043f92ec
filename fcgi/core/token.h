/* token: random secrets (sessions, CSRF, e-mailed links, recovery codes),
 * their SHA-256 hashes (only hashes are stored), constant-time compare. */
#ifndef MEDSYS_TOKEN_H
#define MEDSYS_TOKEN_H

#include <stddef.h>

/* nbytes random bytes from the kernel's CSPRNG as lowercase hex into out
 * (2 * nbytes + 1 bytes). 0, or -1 when no randomness could be had. */
int token_random_hex(char *out, size_t nbytes);

/* Random bytes. 0 or -1. */
int token_random_bytes(unsigned char *out, size_t n);

/* SHA-256 of n bytes (a stored file's content). */
void token_sha256_bytes(const void *data, size_t n, unsigned char out[32]);

/* SHA-256 of a string. */
void token_sha256(const char *s, unsigned char out[32]);

/* "\\x<64 hex>" for a bytea parameter of a SQL statement, into out
 * (67 bytes). */
void token_sha256_bytea(const char *s, char out[67]);

/* 1 when a and b are equal strings, compared in constant time for a
 * given length; 0 otherwise (also when either is NULL). */
int token_equal(const char *a, const char *b);

/* A recovery code for humans: "xxxx-xxxx-xxxx" from an alphabet without
 * look-alike characters, into out (15 bytes). 0 or -1. */
int token_recovery_code(char out[15]);

#endif
