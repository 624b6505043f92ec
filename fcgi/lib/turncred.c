/* turncred: TURN REST API credentials (HMAC-SHA1 of "EXPIRY:USERID"). */
#include "lib/turncred.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#define TURNCRED_USER_ID_MAX 64
#define TURNCRED_SECRET_MAX 4096	/* coturn's own limit is far below */

/* 1 when s is 1..64 characters of [A-Za-z0-9_.-]: nothing coturn would
 * read as the separator, nothing that needs escaping in JSON. */
static int
user_id_ok(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++) {
		char c = s[n];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
			return 0;
	}
	return n > 0 && n <= TURNCRED_USER_ID_MAX;
}

int
turncred_make(const char *secret, size_t secret_len, long long expiry,
              const char *user_id, char *username, size_t username_len,
              char *credential, size_t credential_len)
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int mac_len = 0;
	int n, rc = -1;

	if (username_len)
		username[0] = '\0';
	if (credential_len)
		credential[0] = '\0';
	if (secret == NULL || secret_len == 0 || secret_len > TURNCRED_SECRET_MAX ||
	    expiry < 0 || user_id == NULL || !user_id_ok(user_id) ||
	    credential_len < TURNCRED_CREDENTIAL_MAX)
		goto out;
	n = snprintf(username, username_len, "%lld:%s", expiry, user_id);
	if (n < 0 || (size_t)n >= username_len)
		goto out;
	if (HMAC(EVP_sha1(), secret, (int)secret_len, (const unsigned char *)username,
	         (size_t)n, mac, &mac_len) == NULL || mac_len != 20)
		goto out;
	/* Standard base64 with padding, no newline: what coturn compares. */
	EVP_EncodeBlock((unsigned char *)credential, mac, (int)mac_len);
	rc = 0;
out:
	if (rc == -1 && username_len)
		username[0] = '\0';
	return rc;
}
