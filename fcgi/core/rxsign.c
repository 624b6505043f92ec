/* rxsign: private key files and signing a stored prescription. */
#include "rxsign.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "keyfile.h"
#include "lib/datetime.h"
#include "lib/hex.h"

#define RXSIGN_MAX_ITEMS 20

void
rxsign_key_path(const char *dir, const char *key_id_hex, char *out, size_t len)
{
	snprintf(out, len, "%s/%s.key", dir, key_id_hex);
}

int
rxsign_write_private(const char *dir, const unsigned char priv[SIGN_PRIVATE_BYTES], char *err,
                     size_t errlen)
{
	unsigned char pub[SIGN_PUBLIC_BYTES];
	char path[1024], id[SIGN_KEY_ID_LEN + 1];
	struct stat st;

	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	if (stat(dir, &st) == -1 || sign_public_of(priv, pub) == -1) {
		snprintf(err, errlen, "cannot use %s: %s", dir, strerror(errno));
		return -1;
	}
	sign_key_id(pub, id);
	rxsign_key_path(dir, id, path, sizeof(path));
	if (keyfile_write_private(path, priv, 0600, err, errlen) == -1)
		return -1;
	if (geteuid() == 0 && st.st_uid != 0 && chown(path, st.st_uid, st.st_gid) == -1) {
		snprintf(err, errlen, "cannot give %s to the owner of %s: %s", path, dir, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

int
rxsign_digest_rows(const struct db_result *res, long long patient_id, unsigned char out[RX_DIGEST_BYTES])
{
	struct rx_item items[RXSIGN_MAX_ITEMS];
	size_t n = db_rows(res);

	if (n == 0)
		return 1;
	if (n > RXSIGN_MAX_ITEMS)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct rx_item it = {
			atoi(db_value(res, i, 0)), db_value(res, i, 1), db_value(res, i, 2),
			db_value(res, i, 3), db_value(res, i, 4), atoi(db_value(res, i, 5)),
			db_value(res, i, 6)[0] == 't', atoi(db_value(res, i, 7)),
			db_value(res, i, 8)[0] == 't', atol(db_value(res, i, 9)),
			atoi(db_value(res, i, 10)), db_value(res, i, 11),
		};
		items[i] = it;
	}
	return rx_digest(patient_id, items, n, out);
}

/* Read the current key (id from the database) from its file. */
static int
current_key(const struct config *cfg, const char *key_id_hex, unsigned char priv[SIGN_PRIVATE_BYTES],
            char *err, size_t errlen)
{
	char path[1024];

	rxsign_key_path(cfg->rx_key_dir, key_id_hex, path, sizeof(path));
	return keyfile_read_private(path, "(make a key with: medsysctl keys rotate)", priv, err, errlen);
}

/* Encode t signed with key key_id_hex (its file) into out: 0, or 500. */
static int
sign_token(const struct config *cfg, const char *key_id_hex, const struct rxtoken *t,
           char out[RXTOKEN_TEXT_LEN + 1], char *err, size_t errlen)
{
	unsigned char priv[SIGN_PRIVATE_BYTES];
	int rc = 500;

	if (current_key(cfg, key_id_hex, priv, err, errlen) == -1)
		goto out;
	if (rxtoken_encode(t, priv, out, RXTOKEN_TEXT_LEN + 1) != RXTOKEN_TEXT_LEN) {
		snprintf(err, errlen, "object %lld: signing failed (days %ld..%ld)", t->prescription_id,
		         t->issued_day, t->expires_day);
		goto out;
	}
	rc = 0;
out:
	explicit_bzero(priv, sizeof(priv));
	return rc;
}

int
rxsign_token(const struct config *cfg, const struct rxtoken *t, char out[RXTOKEN_TEXT_LEN + 1],
             char *err, size_t errlen)
{
	struct db_result *res = NULL;
	int rc = 503;

	if (db_query(&res, "rx_current_key", 0, NULL) != DB_OK) {
		snprintf(err, errlen, "the database is unavailable");
		goto out;
	}
	rc = 500;
	if (db_rows(res) != 1) {
		snprintf(err, errlen, "no current signing key (make one with: medsysctl keys rotate)");
		goto out;
	}
	rc = sign_token(cfg, db_value(res, 0, 0), t, out, err, errlen);
out:
	db_result_free(res);
	return rc;
}

/* Sign with issue and expiry day numbers; head is rx_sign_head's row. */
static int
sign_with(const struct config *cfg, long long id, const struct db_result *head, long issued,
          long expires, struct rxsign_result *out, char *err, size_t errlen)
{
	unsigned char digest[RX_DIGEST_BYTES];
	struct rxtoken t = { .prescription_id = id, .issued_day = issued, .expires_day = expires };
	struct db_result *res = NULL;
	struct dt_date d;
	char idtext[24];
	const char *p[1] = { idtext };
	int rc = 500, dr;

	if (db_is_null(head, 0, 2)) {
		snprintf(err, errlen, "no current prescription signing key (make one with: medsysctl keys rotate)");
		return 500;
	}
	snprintf(idtext, sizeof(idtext), "%lld", id);
	if (db_query(&res, "rx_sign_items", 1, p) != DB_OK) {
		snprintf(err, errlen, "reading the items failed");
		rc = 503;
		goto out;
	}
	if ((dr = rxsign_digest_rows(res, atoll(db_value(head, 0, 0)), digest)) != 0) {
		snprintf(err, errlen, dr == 1 ? "prescription %lld has no item"
		                              : "prescription %lld: its items cannot be digested", id);
		rc = dr == 1 ? 409 : 500;
		goto out;
	}
	memcpy(t.digest, digest, RXTOKEN_DIGEST_BYTES);
	if ((rc = sign_token(cfg, db_value(head, 0, 2), &t, out->token, err, errlen)) != 0)
		goto out;
	rc = 500;
	hex_encode(digest, RX_DIGEST_BYTES, out->digest_hex);
	snprintf(out->key_id_hex, sizeof(out->key_id_hex), "%s", db_value(head, 0, 2));
	dt_date_from_days(issued, &d);
	dt_date_format(&d, out->issued_on);
	dt_date_from_days(expires, &d);
	dt_date_format(&d, out->expires_on);
	rc = 0;
out:
	db_result_free(res);
	return rc;
}

/* rx_sign_head for id at signed_at: 0 with *head, or 404/503. */
static int
load_head(const struct config *cfg, long long id, const char *signed_at, struct db_result **head,
          char *err, size_t errlen)
{
	char idtext[24];
	const char *p[3] = { idtext, cfg->clinic_timezone[0] ? cfg->clinic_timezone : "UTC", signed_at };

	snprintf(idtext, sizeof(idtext), "%lld", id);
	if (db_query(head, "rx_sign_head", 3, p) != DB_OK) {
		snprintf(err, errlen, "the database is unavailable");
		return 503;
	}
	if (db_rows(*head) != 1) {
		snprintf(err, errlen, "no prescription %lld", id);
		db_result_free(*head);
		*head = NULL;
		return 404;
	}
	return 0;
}

int
rxsign_sign(const struct config *cfg, long long id, const char *signed_at, struct rxsign_result *out,
            char *err, size_t errlen)
{
	struct db_result *head = NULL;
	long day;
	int rc;

	if ((rc = load_head(cfg, id, signed_at, &head, err, errlen)) != 0)
		return rc;
	day = atol(db_value(head, 0, 1));
	rc = sign_with(cfg, id, head, day, day + cfg->rx_validity_days - 1, out, err, errlen);
	db_result_free(head);
	return rc;
}

int
rxsign_sign_days(const struct config *cfg, long long id, const char *issued_on, const char *expires_on,
                 struct rxsign_result *out, char *err, size_t errlen)
{
	struct db_result *head = NULL;
	struct dt_date a, b;
	int rc;

	if (!issued_on || !expires_on || dt_date_parse(issued_on, strlen(issued_on), &a) != DT_OK ||
	    dt_date_parse(expires_on, strlen(expires_on), &b) != DT_OK) {
		snprintf(err, errlen, "prescription %lld: the issue and expiry days are not dates", id);
		return 500;
	}
	if ((rc = load_head(cfg, id, NULL, &head, err, errlen)) != 0)
		return rc;
	rc = sign_with(cfg, id, head, dt_date_to_days(&a), dt_date_to_days(&b), out, err, errlen);
	db_result_free(head);
	return rc;
}
