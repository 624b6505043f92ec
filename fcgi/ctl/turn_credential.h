/* turn_credential: `medsysctl turn-credential USERID`, the TURN credential
 * medsysd would give that user now (docs/tele.md "TURN"): for checking a
 * coturn with turnutils_uclient, and for the tests. */
#ifndef MEDSYS_CTL_TURN_CREDENTIAL_H
#define MEDSYS_CTL_TURN_CREDENTIAL_H

struct config;

/* argv[0] is the command's name. Prints username=, credential=, expires=
 * (unix time) and urls= lines on stdout. --expires-in SECONDS (default
 * turn_ttl_seconds; may be negative: an expired credential). Needs no
 * database. 0, 1 (TURN not configured, secret unreadable), 2 (usage). */
int turn_credential_cli(const struct config *cfg, int argc, char **argv);

#endif
