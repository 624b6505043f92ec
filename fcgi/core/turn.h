/* turn: the TURN credentials medsysd and medsysctl hand out, from the
 * shared secret in turn_secret_file (docs/tele.md "TURN"). */
#ifndef MEDSYS_TURN_H
#define MEDSYS_TURN_H

#include <stddef.h>
#include <time.h>

#include "lib/turncred.h"

struct config;

struct turn_credential {
	char username[TURNCRED_USERNAME_MAX];    /* "EXPIRY:USERID" */
	char credential[TURNCRED_CREDENTIAL_MAX]; /* base64 HMAC-SHA1 */
	long long expiry;                        /* unix time */
};

/* 1 when cfg hands out TURN servers: turn_urls and turn_secret_file set. */
int turn_configured(const struct config *cfg);

/* Credentials for user_id valid until now + ttl seconds (ttl may be
 * negative: medsysctl makes expired ones for tests), the secret read from
 * cfg->turn_secret_file each time, so that a new secret needs no restart
 * (surrounding white space ignored). The file is refused when others may
 * read it. 0, or -1 with a message in err (never the secret). */
int turn_credential_make(const struct config *cfg, const char *user_id, time_t now,
                         long ttl, struct turn_credential *out, char *err, size_t errlen);

#endif
