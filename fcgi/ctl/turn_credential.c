/* turn_credential: medsysctl turn-credential [--expires-in SECONDS] USERID. */
#include "turn_credential.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/turn.h"

/* A credential lives at most a day either side of now. */
#define TURN_CLI_MAX_SECONDS 86400L

static int
usage(void)
{
	fprintf(stderr, "usage: medsysctl turn-credential [--expires-in SECONDS] USERID\n"
	        "  the TURN credential medsysd gives user USERID now, valid turn_ttl_seconds\n"
	        "  or SECONDS (negative: already expired); check a coturn with\n"
	        "  turnutils_uclient -u USERNAME -w CREDENTIAL -p PORT HOST\n");
	return 2;
}

/* SECONDS of --expires-in into *out; -1 when not a number in range. */
static int
parse_seconds(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	if (errno || end == s || *end || *out < -TURN_CLI_MAX_SECONDS || *out > TURN_CLI_MAX_SECONDS)
		return -1;
	return 0;
}

int
turn_credential_cli(const struct config *cfg, int argc, char **argv)
{
	struct turn_credential tc;
	long ttl = cfg->turn_ttl_seconds;
	const char *user = NULL;
	char err[256];

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--expires-in") == 0 && i + 1 < argc) {
			if (parse_seconds(argv[++i], &ttl) == -1)
				return usage();
		} else if (argv[i][0] == '-' || user) {
			return usage();
		} else {
			user = argv[i];
		}
	}
	if (user == NULL)
		return usage();
	if (turn_credential_make(cfg, user, time(NULL), ttl, &tc, err, sizeof(err)) == -1) {
		fprintf(stderr, "medsysctl turn-credential: %s\n", err);
		return 1;
	}
	printf("username=%s\ncredential=%s\nexpires=%lld\nurls=%s\n", tc.username, tc.credential,
	       tc.expiry, cfg->turn_urls);
	return 0;
}
