/* turncred: time-limited TURN credentials of coturn's "TURN REST API"
 * (use-auth-secret). Pure: no I/O, no clock. */
#ifndef MEDSYS_TURNCRED_H
#define MEDSYS_TURNCRED_H

#include <stddef.h>

/* base64 of a 20-byte HMAC-SHA1 is 28 characters; room for the NUL. */
#define TURNCRED_CREDENTIAL_MAX 29
/* "EXPIRY:USERID": a 64-bit decimal, the colon, a user id of at most 64. */
#define TURNCRED_USERNAME_MAX 96

/* The credential pair coturn accepts until the unix time expiry (coturn
 * compares it with its own clock and refuses it after that):
 *   username   = "EXPIRY:USER_ID" (':' is coturn's default
 *                rest-api-separator),
 *   credential = base64(HMAC-SHA1(key = secret, message = username)),
 * secret being coturn's static-auth-secret as written in its
 * configuration (the bytes, not decoded). user_id is 1 to 64 characters
 * of [A-Za-z0-9_.-] (never the separator). Returns 0, or -1 (nothing
 * usable written) when secret is empty, expiry is negative, user_id is
 * not of that form or a buffer is too small. */
int turncred_make(const char *secret, size_t secret_len, long long expiry,
                  const char *user_id, char *username, size_t username_len,
                  char *credential, size_t credential_len);

#endif
