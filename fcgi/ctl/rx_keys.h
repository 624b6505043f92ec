/* rx_keys: medsysctl's prescription key commands: keys rotate, keys
 * revoke, rx-verify (docs/prescriptions.md "Keys"). */
#ifndef MEDSYS_CTL_RX_KEYS_H
#define MEDSYS_CTL_RX_KEYS_H

struct config;

/* 0 when argv (keys rotate | keys revoke ...) is well formed, else 2
 * after printing the usage. */
int rx_keys_usage(int argc, char **argv);

/* medsysctl keys rotate [--valid-from YYYY-MM-DD], the database open
 * (sql/keys): a new signing key; the current one retires. The new key is
 * valid from now, or from that day (demo data signs prescriptions dated
 * in the past). Exit status: 0 done, 1 failed. */
int rx_keys_rotate(const struct config *cfg, int argc, char **argv);

/* medsysctl keys revoke KEYID --reason TEXT, the database open. 0, or 1
 * (unknown or already revoked, or failed). */
int rx_keys_revoke(const struct config *cfg, int argc, char **argv);

/* medsysctl rx-verify TOKEN --keys FILE.json [--today YYYY-MM-DD]:
 * offline, with lib/rxtoken's verification. Prints the verdict and the
 * token's fields; 0 only when genuine and in date, 1 otherwise, 2 usage
 * or an unreadable keys file. */
int rx_keys_verify(const struct config *cfg, int argc, char **argv);

#endif
