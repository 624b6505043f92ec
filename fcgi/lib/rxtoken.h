/* rxtoken: the signed token a prescription's QR code carries (issue 10,
 * docs/prescriptions.md "Token") and, with another version byte, a lab
 * report's (issue 11, docs/lab-results.md "Report token"); its base32
 * text, the one verification the pages, `medsysctl rx-verify` and the
 * tests share, and the digests the tokens carry (a prescription's patient
 * and items, a lab report's released results). Pure: no I/O. */
#ifndef MEDSYS_RXTOKEN_H
#define MEDSYS_RXTOKEN_H

#include <stddef.h>

#include "lib/rxkeys.h"
#include "lib/sign.h"

#define RXTOKEN_VERSION 1           /* a prescription's; a lab report's is 2 */
#define RXTOKEN_DIGEST_BYTES 16     /* the first 16 bytes of rx_digest */
#define RX_DIGEST_BYTES 32          /* SHA-256 */
/* Binary layout, big-endian, 101 bytes:
 *   0      version (1)
 *   1..8   prescription id (1..2^63-1)
 *   9..24  first 16 bytes of the digest
 *   25..26 issue day, 27..28 expiry day: days since 1970-01-01 (the
 *          clinic's calendar), expiry >= issue
 *   29..36 key id (first 8 bytes of SHA-256 of the Ed25519 public key)
 *   37..100 Ed25519 signature of "medsys-rx-1" followed by bytes 0..36
 * Text: RFC 4648 base32, upper case, no padding: 162 characters. Only
 * that exact text decodes (no lower case, no spaces, zero pad bits), so
 * one token has one spelling. */
#define RXTOKEN_BYTES 101
#define RXTOKEN_TEXT_LEN 162
#define RXTOKEN_DAY_MAX 65535L      /* 2149-06-06 */

/* What a token signs. The kind decides the version byte and the text
 * the signature covers ("medsys-rx-1" / "medsys-lab-1" + bytes 0..36),
 * so a token of one kind never passes for the other. */
enum rxtoken_kind {
	RXTOKEN_KIND_RX = 0,        /* version 1: a prescription */
	RXTOKEN_KIND_LAB,           /* version 2: a lab order's released results */
	RXTOKEN_KIND__MAX
};

struct rxtoken {
	long long prescription_id;  /* the signed object's id: for RXTOKEN_KIND_LAB
	                             * the lab order's (lab.orders.id) */
	unsigned char digest[RXTOKEN_DIGEST_BYTES];
	long issued_day;
	long expires_day;
	unsigned char key_id[RXKEYS_ID_BYTES];
	unsigned char sig[SIGN_BYTES];
	enum rxtoken_kind kind;     /* last, so that {0} and older initialisers
	                             * mean a prescription */
};

/* What a verifier concludes; only RXTOKEN_OK is genuine and in date. */
enum rxtoken_verdict {
	RXTOKEN_OK = 0,
	RXTOKEN_MALFORMED,          /* not a token of this version */
	RXTOKEN_UNKNOWN_KEY,        /* no published key has its key id */
	RXTOKEN_REVOKED_KEY,        /* the key was revoked: it verifies nothing */
	RXTOKEN_KEY_NOT_VALID,      /* issue day outside the key's validity */
	RXTOKEN_BAD_SIGNATURE,      /* altered, or not signed by that key */
	RXTOKEN_EXPIRED,            /* genuine, but today is after the expiry day */
	RXTOKEN_NOT_YET_VALID,      /* genuine, but issued after today */
	RXTOKEN__MAX
};

/* Sign t (its prescription id, digest and days; key_id and sig are
 * ignored: the key id is the one of priv's public key) and write the
 * text and a NUL into out (len >= RXTOKEN_TEXT_LEN + 1). The text's
 * length, or -1 when a field is out of range or signing fails. */
int rxtoken_encode(const struct rxtoken *t, const unsigned char priv[SIGN_PRIVATE_BYTES],
                   char *out, size_t len);

/* Parse text (NUL-terminated; NULL refused) into *t without checking the
 * signature. 0, or -1 when it is not exactly a version-1 token text with
 * a positive id and expiry >= issue (*t is then zeroed). */
int rxtoken_decode(const char *text, struct rxtoken *t);

/* The same for a token of the given kind (its version byte): a lab
 * report's text is refused as a prescription's and the other way round. */
int rxtoken_decode_kind(const char *text, enum rxtoken_kind kind, struct rxtoken *t);

/* The verdict on a decoded token against the trusted keys, today being
 * the day number today_day. Checks in this order: key known, key not
 * revoked, signature, issue day within the key's validity, issue day not
 * after today, today not after expiry. t NULL: RXTOKEN_MALFORMED. */
enum rxtoken_verdict rxtoken_verify(const struct rxtoken *t, const struct rxkeys *keys,
                                    long today_day);

/* The signature check alone: 1 when t's signature is pub's over t's
 * fields, else 0. Its answer for given token bytes and key never changes,
 * so a caller may keep it (core/rxverify.c does). */
int rxtoken_signature_ok(const struct rxtoken *t, const unsigned char pub[SIGN_PUBLIC_BYTES]);

/* rxtoken_verify, the signature's answer given: sig_ok is what
 * rxtoken_signature_ok said for t and the key named by t's key id. */
enum rxtoken_verdict rxtoken_verify_known(const struct rxtoken *t, const struct rxkeys *keys,
                                          long today_day, int sig_ok);

/* decode + verify of a text. */
enum rxtoken_verdict rxtoken_check(const char *text, const struct rxkeys *keys, long today_day,
                                   struct rxtoken *t);

/* A stable lowercase name for a verdict ("ok", "malformed",
 * "unknown_key", "revoked_key", "key_not_valid", "bad_signature",
 * "expired", "not_yet_valid"): language keys and medsysctl's output. */
const char *rxtoken_verdict_name(enum rxtoken_verdict v);

/* One item of a prescription as rx.items holds it (docs/prescriptions.md;
 * migration 020). NULL texts count as "". */
struct rx_item {
	int line;                   /* 1..20, strictly increasing in a list */
	const char *product_code;
	const char *dose_amount;    /* decimal text as PostgreSQL prints numeric */
	const char *dose_unit;
	const char *route;
	int every_hours;            /* -1: NULL (a single dose) */
	int as_needed;              /* 0 or 1 */
	int duration_days;          /* -1: NULL */
	int until_told;             /* 0 or 1 */
	long quantity;
	int refills;
	const char *advice;
};

/* The canonical text the digest covers, written into out (len bytes, NUL
 * added when it fits); returns its length without the NUL like snprintf
 * (len 0 to learn the size), or -1 when lines are not strictly
 * increasing or a dose is not a plain non-negative decimal. Migration
 * 019's rx.items_canonical builds the same bytes:
 *   medsys-rx-1 LF patient:<patient id> LF items:<count> LF
 *   then per item, in line order:
 *   line:<n> LF product:<N> LF <bytes> LF dose:<decimal> LF
 *   unit:<N> LF <bytes> LF route:<N> LF <bytes> LF
 *   every_hours:<n or nothing> LF as_needed:<t|f> LF
 *   duration_days:<n or nothing> LF until_told:<t|f> LF
 *   quantity:<n> LF refills:<n> LF advice:<N> LF <bytes> LF
 * N is the byte length of the text that follows; numbers are plain
 * decimal; <decimal> is the dose without trailing fraction zeros nor a
 * trailing point (PostgreSQL's trim_scale: "2.50" -> "2.5", "1.0" ->
 * "1"). */
long rx_canonical_text(long long patient_id, const struct rx_item *items, size_t n,
                       char *out, size_t len);

/* SHA-256 of that text: 0, or -1 (as above, or out of memory). */
int rx_digest(long long patient_id, const struct rx_item *items, size_t n,
              unsigned char out[RX_DIGEST_BYTES]);

/* One released result of a lab order as a report token's digest covers
 * it (lab.released_results; docs/lab-results.md "Report token"). NULL
 * texts count as "". */
struct lab_digest_row {
	long long result_id;        /* lab.results.id: insert-only rows, so a
	                             * correction is another id */
	const char *analyte;        /* LOINC code */
	const char *value;          /* value_num as PostgreSQL prints it, or value_text */
	const char *unit;
	const char *flag;
};

/* The canonical text of a lab report (same conventions as
 * rx_canonical_text): -1 when result ids are not strictly increasing.
 *   medsys-lab-1 LF patient:<id> LF order:<id> LF results:<count> LF
 *   then per result: result:<id> LF analyte:<N> LF <bytes> LF
 *   value:<N> LF <bytes> LF unit:<N> LF <bytes> LF flag:<N> LF <bytes> LF */
long lab_canonical_text(long long patient_id, long long order_id, const struct lab_digest_row *rows,
                        size_t n, char *out, size_t len);

/* SHA-256 of that text: 0, or -1. */
int lab_digest(long long patient_id, long long order_id, const struct lab_digest_row *rows, size_t n,
               unsigned char out[RX_DIGEST_BYTES]);

#endif
