/* turn: reading the TURN secret and making a user's credentials. */
#include "turn.h"

#include "config.h"
#include "file.h"

#include <ctype.h>
#include <errno.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TURN_SECRET_FILE_MAX 4096

int
turn_configured(const struct config *cfg)
{
	return cfg->turn_urls[0] != '\0' && cfg->turn_secret_file[0] != '\0';
}

/* The secret in path, trimmed, malloc'd (the caller cleanses and frees);
 * NULL with a message in err. */
static char *
turn_secret_read(const char *path, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	size_t n = 0, start = 0;

	if (stat(path, &st) == -1) {
		snprintf(err, errlen, "turn_secret_file %s: %s", path, strerror(errno));
		return NULL;
	}
	/* Anyone holding the secret can mint credentials for any user. */
	if (st.st_mode & S_IROTH) {
		snprintf(err, errlen, "turn_secret_file %s may be read by any user: chmod o-r it", path);
		return NULL;
	}
	if ((buf = file_read_all(path, TURN_SECRET_FILE_MAX, &n)) == NULL) {
		snprintf(err, errlen, "turn_secret_file %s: cannot read it (%s; at most %d bytes)",
		         path, strerror(errno), TURN_SECRET_FILE_MAX);
		return NULL;
	}
	while (n > 0 && isspace((unsigned char)buf[n - 1]))
		n--;
	while (start < n && isspace((unsigned char)buf[start]))
		start++;
	memmove(buf, buf + start, n - start);
	buf[n - start] = '\0';
	*len = n - start;
	if (*len == 0) {
		snprintf(err, errlen, "turn_secret_file %s is empty", path);
		free(buf);
		return NULL;
	}
	return buf;
}

int
turn_credential_make(const struct config *cfg, const char *user_id, time_t now,
                     long ttl, struct turn_credential *out, char *err, size_t errlen)
{
	char *secret = NULL;
	size_t len = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!turn_configured(cfg)) {
		snprintf(err, errlen, "TURN is not configured (turn_urls and turn_secret_file)");
		goto out;
	}
	if ((secret = turn_secret_read(cfg->turn_secret_file, &len, err, errlen)) == NULL)
		goto out;
	out->expiry = (long long)now + ttl;
	if (turncred_make(secret, len, out->expiry, user_id, out->username, sizeof(out->username),
	                  out->credential, sizeof(out->credential)) == -1) {
		snprintf(err, errlen, "no TURN credential for user \"%.64s\" expiring at %lld",
		         user_id, out->expiry);
		goto out;
	}
	rc = 0;
out:
	if (secret) {
		OPENSSL_cleanse(secret, len);
		free(secret);
	}
	return rc;
}
