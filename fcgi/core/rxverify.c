/* rxverify: a token checked against the published keys and the stored
 * prescription. */
#include "rxverify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "rxsign.h"

/* The worker's copy of the published keys, parsed from the statement's
 * cached document whenever that was refilled. NULL when they cannot be
 * read or parsed (then nothing verifies). */
static const struct rxkeys *
published_keys(const struct config *cfg)
{
	static struct db_cache doc;
	static struct rxkeys *ks;
	static unsigned long parsed;   /* doc.generation ks was parsed from; 0: none */
	const char *p[1] = { cfg->clinic_timezone[0] ? cfg->clinic_timezone : "UTC" };
	const char *json;
	char err[160];

	if (db_cached_query(&doc, "rx_verify_keys", 1, p) != DB_OK || doc.rows != 1)
		return NULL;
	if (parsed == doc.generation && ks)
		return ks;
	parsed = 0;
	if (ks == NULL && (ks = malloc(sizeof(*ks))) == NULL)
		return NULL;
	json = db_cache_value(&doc, 0, 0);
	if (rxkeys_parse_json(json, strlen(json), ks, err, sizeof(err)) == -1) {
		/* every token would say "not genuine": the operator must know */
		log_msg("error", "the published prescription keys do not read back: %s", err);
		return NULL;
	}
	parsed = doc.generation;
	return ks;
}

/* Signature answers kept per worker: whether these exact token bytes
 * were signed by that public key never changes, and the Ed25519 check is
 * most of a verification's CPU (OpenSSL 3). Direct-mapped by the text. */
#define SIG_CACHE 128
static struct {
	char text[RXTOKEN_TEXT_LEN + 1];
	unsigned char pub[SIGN_PUBLIC_BYTES];
	int ok;
} sig_cache[SIG_CACHE];

/* The slot of a token's text in a direct-mapped cache of n slots
 * (FNV-1a: the texts are attacker-chosen, but a collision only costs a
 * recomputation). */
static unsigned
text_slot(const char *text, unsigned n)
{
	unsigned h = 2166136261u;

	for (const char *c = text; *c; c++)
		h = (h ^ (unsigned char)*c) * 16777619u;
	return h % n;
}

/* rxtoken_signature_ok for the token spelled text (its decoding t), from
 * the cache or checked and kept. */
static int
signature_ok(const char *text, const struct rxtoken *t, const struct rxkeys *ks)
{
	const struct rxkey *k = rxkeys_find(ks, t->key_id);
	unsigned i;

	if (k == NULL)
		return 0;
	i = text_slot(text, SIG_CACHE);
	if (strcmp(sig_cache[i].text, text) != 0 || memcmp(sig_cache[i].pub, k->pub, SIGN_PUBLIC_BYTES) != 0) {
		snprintf(sig_cache[i].text, sizeof(sig_cache[i].text), "%s", text);
		memcpy(sig_cache[i].pub, k->pub, SIGN_PUBLIC_BYTES);
		sig_cache[i].ok = rxtoken_signature_ok(t, k->pub);
	}
	return sig_cache[i].ok;
}

enum rxtoken_verdict
rxverify_verdict(const struct config *cfg, const char *text, const struct rxtoken *t, long today)
{
	const struct rxkeys *ks;

	if (t->prescription_id == 0)
		return RXTOKEN_MALFORMED;
	if ((ks = published_keys(cfg)) == NULL)
		return RXTOKEN_UNKNOWN_KEY;   /* nothing to verify with */
	return rxtoken_verify_known(t, ks, today, signature_ok(text, t, ks));
}

/* The verdict from the rows read (today, the prescription, its items). */
static void
judge(const struct config *cfg, const char *token, struct rxverify *out, const struct db_result *page,
      const struct db_result *items)
{
	unsigned char digest[RX_DIGEST_BYTES];

	out->today = atol(db_value(page, 0, RXV_TODAY));
	if (out->t.prescription_id == 0)
		return;
	out->verdict = rxverify_verdict(cfg, token, &out->t, out->today);
	out->mismatch = db_is_null(page, 0, RXV_PATIENT) ||
	                rxsign_digest_rows(items, atoll(db_value(page, 0, RXV_PATIENT)), digest) != 0 ||
	                memcmp(digest, out->t.digest, RXTOKEN_DIGEST_BYTES) != 0;
}

int
rxverify_token(const struct config *cfg, const char *token, struct rxverify *out,
               struct db_result **row)
{
	struct db_batch b = { 0 };
	char idtext[24];
	const char *p[2] = { cfg->clinic_timezone[0] ? cfg->clinic_timezone : "UTC", idtext };
	int ip, ii, rc = 503;

	memset(out, 0, sizeof(*out));
	out->verdict = RXTOKEN_MALFORMED;
	if (row)
		*row = NULL;
	rxtoken_decode(token, &out->t);
	snprintf(idtext, sizeof(idtext), "%lld", out->t.prescription_id);
	if ((ip = db_batch_add(&b, "rx_verify_page", 2, p)) == -1 ||
	    (ii = db_batch_add(&b, "rx_sign_items", 1, p + 1)) == -1 || db_batch_run(&b) != DB_OK)
		return 503;
	if (db_rows(b.res[ip]) == 1) {
		judge(cfg, token, out, b.res[ip], b.res[ii]);
		rc = 0;
	}
	db_result_free(b.res[ii]);
	if (rc == 0 && row)
		*row = b.res[ip];
	else
		db_result_free(b.res[ip]);
	return rc;
}

int
rxverify_genuine(const struct rxverify *v)
{
	return v->verdict == RXTOKEN_OK && !v->mismatch;
}

/* Answers of the public page kept per worker, direct-mapped by the token
 * text: valid while nothing about prescriptions changed (db_generation)
 * and for at most FACTS_TTL seconds (the day number decides "expired",
 * and a prescriber's name may change without a notice). */
#define FACTS_CACHE 64
#define FACTS_TTL 10
static struct {
	char text[RXTOKEN_TEXT_LEN + 1];
	unsigned long generation;
	time_t at;
	struct rxverify v;
	struct rxverify_facts f;
} facts_cache[FACTS_CACHE];

static void
facts_from_row(const struct db_result *row, struct rxverify_facts *f)
{
	memset(f, 0, sizeof(*f));
	if (row == NULL)
		return;
	snprintf(f->status, sizeof(f->status), "%s", db_value(row, 0, RXV_STATUS));
	snprintf(f->prescriber, sizeof(f->prescriber), "%s", db_value(row, 0, RXV_PRESCRIBER));
	snprintf(f->licence, sizeof(f->licence), "%s", db_value(row, 0, RXV_LICENCE));
	f->patient_id = atoll(db_value(row, 0, RXV_PATIENT));
}

int
rxverify_public(const struct config *cfg, const char *token, struct rxverify *out,
                struct rxverify_facts *facts)
{
	unsigned i = text_slot(token, FACTS_CACHE);
	unsigned long gen = db_generation();
	time_t now = time(NULL);
	struct db_result *row = NULL;
	int st;

	if (strlen(token) <= RXTOKEN_TEXT_LEN && strcmp(facts_cache[i].text, token) == 0 &&
	    facts_cache[i].generation == gen && now - facts_cache[i].at < FACTS_TTL && now >= facts_cache[i].at) {
		*out = facts_cache[i].v;
		*facts = facts_cache[i].f;
		return 0;
	}
	if ((st = rxverify_token(cfg, token, out, &row)) != 0)
		return st;
	facts_from_row(row, facts);
	db_result_free(row);
	if (strlen(token) <= RXTOKEN_TEXT_LEN && gen != 0) {
		snprintf(facts_cache[i].text, sizeof(facts_cache[i].text), "%s", token);
		facts_cache[i].generation = gen;
		facts_cache[i].at = now;
		facts_cache[i].v = *out;
		facts_cache[i].f = *facts;
	}
	return 0;
}
