/* totp: RFC 6238 time-based one-time passwords (HMAC-SHA1, 30 s steps,
 * 6 digits) and RFC 4648 base32 for the shared secret. Pure: no I/O. */
#ifndef MEDSYS_TOTP_H
#define MEDSYS_TOTP_H

#include <stddef.h>
#include <stdint.h>

#define TOTP_STEP 30
#define TOTP_DIGITS 6
#define TOTP_SECRET_BYTES 20          /* 160-bit secrets (RFC 4226 advice) */

/* The code for time step `step` (unix_time / 30) as a number. digits is
 * 6..8; key is the raw secret. -1 on error. */
long totp_code_at_step(const unsigned char *key, size_t keylen, uint64_t step,
                       int digits);

/* Check a typed code (digits only, spaces ignored) against the steps
 * around now (window steps either side). A step <= last_step is refused,
 * so a code is never accepted twice. On success returns 1 and sets
 * *matched_step; 0 when wrong or reused. */
int totp_verify(const unsigned char *key, size_t keylen, const char *code,
                uint64_t unix_time, int window, uint64_t last_step,
                uint64_t *matched_step);

/* Base32 (RFC 4648, upper case, no padding) of n bytes into out, which
 * holds at least base32_encoded_len(n) + 1 bytes. Returns the length. */
size_t base32_encoded_len(size_t n);
size_t base32_encode(const unsigned char *in, size_t n, char *out);

/* Decode base32 (case-insensitive, spaces and '=' ignored) into out (at
 * most outlen bytes). Returns the number of bytes, -1 when malformed. */
long base32_decode(const char *in, unsigned char *out, size_t outlen);

/* The otpauth:// URI an authenticator app reads from the QR code:
 * issuer and account are %-encoded. Returns the length written or -1
 * when out is too small. */
int totp_uri(char *out, size_t outlen, const char *issuer, const char *account,
             const char *secret_base32);

#endif
