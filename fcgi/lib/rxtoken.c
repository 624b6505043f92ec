/* rxtoken: prescription and lab report tokens (binary layout in
 * rxtoken.h), their verification, and the digests of what they sign. */
#include "rxtoken.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hex.h"
#include "lib/textsink.h"
#include "lib/totp.h"

/* Signed bytes are prefixed with the kind's context, so that no other
 * Ed25519 message of the project (an audit seal, the other kind of token)
 * can pass for a token. */
static const struct {
	unsigned char version;
	const char *context;
} kinds[RXTOKEN_KIND__MAX] = {
	[RXTOKEN_KIND_RX] = { RXTOKEN_VERSION, "medsys-rx-1" },
	[RXTOKEN_KIND_LAB] = { 2, "medsys-lab-1" },
};
#define SIGNED_BYTES (RXTOKEN_BYTES - SIGN_BYTES)
#define CONTEXT_MAX 16

static void
put_be(unsigned char *p, unsigned long long v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)(v & 0xff);
}

static unsigned long long
get_be(const unsigned char *p, int n)
{
	unsigned long long v = 0;

	for (int i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

/* The 101 bytes of t (sig included as it stands). -1 when a field does
 * not fit its place. */
static int
pack(const struct rxtoken *t, unsigned char b[RXTOKEN_BYTES])
{
	if ((unsigned)t->kind >= RXTOKEN_KIND__MAX || t->prescription_id <= 0 || t->issued_day < 0 ||
	    t->issued_day > RXTOKEN_DAY_MAX || t->expires_day < t->issued_day ||
	    t->expires_day > RXTOKEN_DAY_MAX)
		return -1;
	b[0] = kinds[t->kind].version;
	put_be(b + 1, (unsigned long long)t->prescription_id, 8);
	memcpy(b + 9, t->digest, RXTOKEN_DIGEST_BYTES);
	put_be(b + 25, (unsigned long long)t->issued_day, 2);
	put_be(b + 27, (unsigned long long)t->expires_day, 2);
	memcpy(b + 29, t->key_id, RXKEYS_ID_BYTES);
	memcpy(b + SIGNED_BYTES, t->sig, SIGN_BYTES);
	return 0;
}

/* The message the signature covers: the kind's context + the first 37
 * bytes; its length. */
static size_t
signed_message(enum rxtoken_kind kind, const unsigned char b[RXTOKEN_BYTES],
               unsigned char m[CONTEXT_MAX + SIGNED_BYTES])
{
	size_t n = strlen(kinds[kind].context);

	memcpy(m, kinds[kind].context, n);
	memcpy(m + n, b, SIGNED_BYTES);
	return n + SIGNED_BYTES;
}

int
rxtoken_encode(const struct rxtoken *t, const unsigned char priv[SIGN_PRIVATE_BYTES],
               char *out, size_t len)
{
	unsigned char b[RXTOKEN_BYTES], m[CONTEXT_MAX + SIGNED_BYTES], pub[SIGN_PUBLIC_BYTES];
	struct rxtoken c;
	char id[SIGN_KEY_ID_LEN + 1];
	size_t mlen;

	if (t == NULL || out == NULL || len < RXTOKEN_TEXT_LEN + 1 || sign_public_of(priv, pub) == -1)
		return -1;
	c = *t;
	sign_key_id(pub, id);
	if (hex_decode(id, c.key_id, RXKEYS_ID_BYTES) != 0 || pack(&c, b) == -1)
		return -1;
	mlen = signed_message(c.kind, b, m);
	if (sign_sign(priv, m, mlen, b + SIGNED_BYTES) == -1)
		return -1;
	return (int)base32_encode(b, RXTOKEN_BYTES, out);
}

int
rxtoken_decode(const char *text, struct rxtoken *t)
{
	return rxtoken_decode_kind(text, RXTOKEN_KIND_RX, t);
}

int
rxtoken_decode_kind(const char *text, enum rxtoken_kind kind, struct rxtoken *t)
{
	unsigned char b[RXTOKEN_BYTES + 1];

	memset(t, 0, sizeof(*t));
	if ((unsigned)kind >= RXTOKEN_KIND__MAX || text == NULL || strlen(text) != RXTOKEN_TEXT_LEN ||
	    strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != RXTOKEN_TEXT_LEN ||
	    base32_decode(text, b, sizeof(b)) != RXTOKEN_BYTES || b[0] != kinds[kind].version)
		return -1;
	t->kind = kind;
	t->prescription_id = (long long)get_be(b + 1, 8);
	memcpy(t->digest, b + 9, RXTOKEN_DIGEST_BYTES);
	t->issued_day = (long)get_be(b + 25, 2);
	t->expires_day = (long)get_be(b + 27, 2);
	memcpy(t->key_id, b + 29, RXKEYS_ID_BYTES);
	memcpy(t->sig, b + SIGNED_BYTES, SIGN_BYTES);
	if (t->prescription_id <= 0 || t->expires_day < t->issued_day) {
		memset(t, 0, sizeof(*t));
		return -1;
	}
	return 0;
}

int
rxtoken_signature_ok(const struct rxtoken *t, const unsigned char pub[SIGN_PUBLIC_BYTES])
{
	unsigned char b[RXTOKEN_BYTES], m[CONTEXT_MAX + SIGNED_BYTES];
	size_t mlen;

	if (pack(t, b) == -1)
		return 0;
	mlen = signed_message(t->kind, b, m);
	return sign_verify(pub, m, mlen, t->sig);
}

/* The verdict; sig_ok -1: check the signature here. */
static enum rxtoken_verdict
judge(const struct rxtoken *t, const struct rxkeys *keys, long today_day, int sig_ok)
{
	unsigned char b[RXTOKEN_BYTES];
	const struct rxkey *k;

	if (t == NULL || keys == NULL || pack(t, b) == -1)
		return RXTOKEN_MALFORMED;
	if ((k = rxkeys_find(keys, t->key_id)) == NULL)
		return RXTOKEN_UNKNOWN_KEY;
	if (k->revoked_day != -1)
		return RXTOKEN_REVOKED_KEY;
	if (!(sig_ok == -1 ? rxtoken_signature_ok(t, k->pub) : sig_ok))
		return RXTOKEN_BAD_SIGNATURE;
	if (t->issued_day < k->valid_from_day ||
	    (k->valid_until_day != -1 && t->issued_day > k->valid_until_day))
		return RXTOKEN_KEY_NOT_VALID;
	if (t->issued_day > today_day)
		return RXTOKEN_NOT_YET_VALID;
	if (today_day > t->expires_day)
		return RXTOKEN_EXPIRED;
	return RXTOKEN_OK;
}

enum rxtoken_verdict
rxtoken_verify(const struct rxtoken *t, const struct rxkeys *keys, long today_day)
{
	return judge(t, keys, today_day, -1);
}

enum rxtoken_verdict
rxtoken_verify_known(const struct rxtoken *t, const struct rxkeys *keys, long today_day, int sig_ok)
{
	return judge(t, keys, today_day, sig_ok != 0);
}

enum rxtoken_verdict
rxtoken_check(const char *text, const struct rxkeys *keys, long today_day, struct rxtoken *t)
{
	if (rxtoken_decode(text, t) == -1)
		return RXTOKEN_MALFORMED;
	return rxtoken_verify(t, keys, today_day);
}

const char *
rxtoken_verdict_name(enum rxtoken_verdict v)
{
	static const char *const names[RXTOKEN__MAX] = {
		"ok", "malformed", "unknown_key", "revoked_key", "key_not_valid",
		"bad_signature", "expired", "not_yet_valid",
	};

	return (unsigned)v < RXTOKEN__MAX ? names[v] : "malformed";
}

/* The dose in canonical form (trim_scale) into out: 0, or -1 when s is
 * not digits with at most one point inside. */
static int
canonical_decimal(const char *s, char *out, size_t len)
{
	size_t n, ip, dot;

	if (s == NULL || (n = strlen(s)) == 0 || n >= len)
		return -1;
	ip = strspn(s, "0123456789");
	dot = ip < n && s[ip] == '.';
	if (ip == 0 || (dot && (ip + 1 == n || strspn(s + ip + 1, "0123456789") != n - ip - 1)) ||
	    (!dot && ip != n))
		return -1;
	while (ip > 1 && *s == '0')    /* leading zeros, keeping one */
		s++, ip--, n--;
	memcpy(out, s, n);
	out[n] = '\0';
	if (dot) {
		while (out[n - 1] == '0')
			out[--n] = '\0';
		if (out[n - 1] == '.')
			out[--n] = '\0';
	}
	return 0;
}

/* "name:<n>\n", or "name:\n" for a NULL (negative) number. */
static void
sink_number(struct textsink *s, const char *name, long long v)
{
	char line[64];

	if (v < 0)
		snprintf(line, sizeof(line), "%s:\n", name);
	else
		snprintf(line, sizeof(line), "%s:%lld\n", name, v);
	textsink_str(s, line);
}

static int
sink_item(struct textsink *s, const struct rx_item *it)
{
	char dose[64];

	if (canonical_decimal(it->dose_amount, dose, sizeof(dose)) == -1 || it->quantity < 0 ||
	    it->refills < 0)
		return -1;
	sink_number(s, "line", it->line);
	textsink_field(s, "product", it->product_code ? it->product_code : "");
	textsink_str(s, "dose:");
	textsink_str(s, dose);
	textsink_str(s, "\n");
	textsink_field(s, "unit", it->dose_unit ? it->dose_unit : "");
	textsink_field(s, "route", it->route ? it->route : "");
	sink_number(s, "every_hours", it->every_hours < 0 ? -1 : it->every_hours);
	textsink_str(s, it->as_needed ? "as_needed:t\n" : "as_needed:f\n");
	sink_number(s, "duration_days", it->duration_days < 0 ? -1 : it->duration_days);
	textsink_str(s, it->until_told ? "until_told:t\n" : "until_told:f\n");
	sink_number(s, "quantity", it->quantity);
	sink_number(s, "refills", it->refills);
	textsink_field(s, "advice", it->advice ? it->advice : "");
	return 0;
}

long
rx_canonical_text(long long patient_id, const struct rx_item *items, size_t n, char *out,
                  size_t len)
{
	struct textsink s = { out, len, 0 };
	char head[96];

	snprintf(head, sizeof(head), "medsys-rx-1\npatient:%lld\nitems:%zu\n", patient_id, n);
	textsink_str(&s, head);
	for (size_t i = 0; i < n; i++) {
		if (items[i].line < 1 || (i > 0 && items[i].line <= items[i - 1].line) ||
		    sink_item(&s, &items[i]) == -1) {
			textsink_end(&s);
			return -1;
		}
	}
	return textsink_end(&s);
}

/* SHA-256 of a canonical text of len bytes written by fill (len + 1
 * bytes of room given): 0, or -1. */
static int
digest_text(long len, long (*fill)(const void *arg, char *out, size_t cap), const void *arg,
            unsigned char out[RX_DIGEST_BYTES])
{
	unsigned int mdlen = 0;
	char *text;
	int rc = -1;

	if (len < 0 || (text = malloc((size_t)len + 1)) == NULL)
		return -1;
	if (fill(arg, text, (size_t)len + 1) == len &&
	    EVP_Digest(text, (size_t)len, out, &mdlen, EVP_sha256(), NULL) == 1 &&
	    mdlen == RX_DIGEST_BYTES)
		rc = 0;
	free(text);
	return rc;
}

struct rx_args {
	long long patient_id;
	const struct rx_item *items;
	size_t n;
};

static long
rx_fill(const void *arg, char *out, size_t cap)
{
	const struct rx_args *a = arg;

	return rx_canonical_text(a->patient_id, a->items, a->n, out, cap);
}

int
rx_digest(long long patient_id, const struct rx_item *items, size_t n,
          unsigned char out[RX_DIGEST_BYTES])
{
	struct rx_args a = { patient_id, items, n };

	return digest_text(rx_canonical_text(patient_id, items, n, NULL, 0), rx_fill, &a, out);
}

long
lab_canonical_text(long long patient_id, long long order_id, const struct lab_digest_row *rows,
                   size_t n, char *out, size_t len)
{
	struct textsink s = { out, len, 0 };
	char head[128];

	snprintf(head, sizeof(head), "medsys-lab-1\npatient:%lld\norder:%lld\nresults:%zu\n",
	         patient_id, order_id, n);
	textsink_str(&s, head);
	for (size_t i = 0; i < n; i++) {
		if (rows[i].result_id < 1 || (i > 0 && rows[i].result_id <= rows[i - 1].result_id)) {
			textsink_end(&s);
			return -1;
		}
		sink_number(&s, "result", rows[i].result_id);
		textsink_field(&s, "analyte", rows[i].analyte ? rows[i].analyte : "");
		textsink_field(&s, "value", rows[i].value ? rows[i].value : "");
		textsink_field(&s, "unit", rows[i].unit ? rows[i].unit : "");
		textsink_field(&s, "flag", rows[i].flag ? rows[i].flag : "");
	}
	return textsink_end(&s);
}

struct lab_args {
	long long patient_id, order_id;
	const struct lab_digest_row *rows;
	size_t n;
};

static long
lab_fill(const void *arg, char *out, size_t cap)
{
	const struct lab_args *a = arg;

	return lab_canonical_text(a->patient_id, a->order_id, a->rows, a->n, out, cap);
}

int
lab_digest(long long patient_id, long long order_id, const struct lab_digest_row *rows, size_t n,
           unsigned char out[RX_DIGEST_BYTES])
{
	struct lab_args a = { patient_id, order_id, rows, n };

	return digest_text(lab_canonical_text(patient_id, order_id, rows, n, NULL, 0), lab_fill, &a, out);
}
