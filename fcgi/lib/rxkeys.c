/* rxkeys: the key set and a small strict JSON reader for its published
 * form (only what that document needs: objects, arrays, strings, null,
 * and skipping any other value). */
#include "rxkeys.h"

#include <stdio.h>
#include <string.h>

#include "lib/datetime.h"
#include "lib/hex.h"

#define JSON_DEPTH_MAX 8
#define MEMBER_MAX 64       /* bytes of a member name or short value we keep */

struct jp {
	const unsigned char *s;
	size_t len, pos;
	const char *why;        /* the first error */
};

static int
fail(struct jp *p, const char *why)
{
	if (p->why == NULL)
		p->why = why;
	return -1;
}

static void
ws(struct jp *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
	                           p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

/* Consume c after white space: 0, or -1 when the next byte is not c. */
static int
expect(struct jp *p, unsigned char c)
{
	ws(p);
	if (p->pos >= p->len || p->s[p->pos] != c)
		return fail(p, "unexpected character");
	p->pos++;
	return 0;
}

/* 1 and consume c when it comes next (after white space), else 0. */
static int
eat(struct jp *p, unsigned char c)
{
	ws(p);
	if (p->pos < p->len && p->s[p->pos] == c) {
		p->pos++;
		return 1;
	}
	return 0;
}

/* Consume the literal word (true, false, null). */
static int
word(struct jp *p, const char *w)
{
	size_t n = strlen(w);

	ws(p);
	if (p->len - p->pos < n || memcmp(p->s + p->pos, w, n) != 0)
		return fail(p, "unexpected word");
	p->pos += n;
	return 0;
}

/* Length of the well-formed UTF-8 sequence at s (n bytes left), or 0. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t k = c < 0x80 ? 1 : (c >= 0xc2 && c <= 0xdf) ? 2 : (c >= 0xe0 && c <= 0xef) ? 3
	         : (c >= 0xf0 && c <= 0xf4) ? 4 : 0;

	if (k == 0 || k > n)
		return 0;
	for (size_t i = 1; i < k; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f) ||
	    (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
		return 0;   /* overlong, surrogate, above U+10FFFF */
	return k;
}

/* Four hex digits of a \u escape. */
static long
hex4(struct jp *p)
{
	long v = 0;

	if (p->len - p->pos < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		unsigned char c = p->s[p->pos++];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
		      : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Append code point cp as UTF-8 to out (room max) at *o; over-long input
 * is still read but marked truncated. */
static void
put_cp(char *out, size_t max, size_t *o, int *trunc, unsigned long cp)
{
	char b[4];
	size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;

	if (n == 1)
		b[0] = (char)cp;
	else {
		for (size_t i = n - 1; i > 0; i--, cp >>= 6)
			b[i] = (char)(0x80 | (cp & 0x3f));
		b[0] = (char)((n == 2 ? 0xc0 : n == 3 ? 0xe0 : 0xf0) | cp);
	}
	if (out && *o + n <= max) {
		memcpy(out + *o, b, n);
		*o += n;
	} else
		*trunc = 1;
}

/* One escape after the backslash: its code point, or -1. */
static long
escape(struct jp *p)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;
	long hi, lo;

	if (p->pos >= p->len)
		return -1;
	if (p->s[p->pos] != 'u') {
		if ((e = strchr(from, p->s[p->pos])) == NULL || p->s[p->pos] == '\0')
			return -1;
		p->pos++;
		return (unsigned char)to[e - from];
	}
	p->pos++;
	if ((hi = hex4(p)) < 0 || (hi >= 0xdc00 && hi <= 0xdfff))
		return -1;
	if (hi < 0xd800 || hi > 0xdbff)
		return hi;
	if (p->len - p->pos < 2 || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u')
		return -1;
	p->pos += 2;
	if ((lo = hex4(p)) < 0xdc00 || lo > 0xdfff)
		return -1;
	return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
}

/* A string into out (max bytes, NUL added: out has max + 1); out may be
 * NULL to skip it. *trunc is set when it did not fit. */
static int
string(struct jp *p, char *out, size_t max, int *trunc)
{
	size_t o = 0, k;
	long cp;

	*trunc = 0;
	if (expect(p, '"') == -1)
		return -1;
	while (p->pos < p->len && p->s[p->pos] != '"') {
		unsigned char c = p->s[p->pos];
		if (c < 0x20)
			return fail(p, "control character in a string");
		if (c == '\\') {
			p->pos++;
			if ((cp = escape(p)) < 0 || cp == 0)
				return fail(p, "bad escape in a string");
			put_cp(out, max, &o, trunc, (unsigned long)cp);
			continue;
		}
		if ((k = utf8_seq(p->s + p->pos, p->len - p->pos)) == 0)
			return fail(p, "invalid UTF-8");
		if (out && o + k <= max) {
			memcpy(out + o, p->s + p->pos, k);
			o += k;
		} else
			*trunc = 1;
		p->pos += k;
	}
	if (p->pos >= p->len)
		return fail(p, "unterminated string");
	p->pos++;
	if (out)
		out[o] = '\0';
	return 0;
}

/* A number per the RFC 8259 grammar (skipped). */
static int
number(struct jp *p)
{
	size_t start;

	ws(p);
	start = p->pos;
	if (p->pos < p->len && p->s[p->pos] == '-')
		p->pos++;
	if (p->pos < p->len && p->s[p->pos] == '0')
		p->pos++;
	else if (p->pos < p->len && p->s[p->pos] >= '1' && p->s[p->pos] <= '9')
		while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
			p->pos++;
	else
		return fail(p, "bad value");
	for (int part = 0; part < 2; part++) {
		const char *lead = part == 0 ? "." : "eE";
		if (p->pos < p->len && strchr(lead, p->s[p->pos]) && p->s[p->pos]) {
			p->pos++;
			if (part == 1 && p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
				p->pos++;
			if (p->pos >= p->len || p->s[p->pos] < '0' || p->s[p->pos] > '9')
				return fail(p, "bad number");
			while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
				p->pos++;
		}
	}
	return p->pos > start ? 0 : fail(p, "bad number");
}

static int skip_value(struct jp *p, int depth);

/* The rest of an object or array after its opening bracket. */
static int
skip_container(struct jp *p, int object, int depth)
{
	int trunc;

	if (eat(p, object ? '}' : ']'))
		return 0;
	do {
		if (object && (string(p, NULL, 0, &trunc) == -1 || expect(p, ':') == -1))
			return -1;
		if (skip_value(p, depth + 1) == -1)
			return -1;
	} while (eat(p, ','));
	return expect(p, object ? '}' : ']');
}

static int
skip_value(struct jp *p, int depth)
{
	int trunc;

	if (depth > JSON_DEPTH_MAX)
		return fail(p, "nested too deeply");
	ws(p);
	if (p->pos >= p->len)
		return fail(p, "value missing");
	switch (p->s[p->pos]) {
	case '"': return string(p, NULL, 0, &trunc);
	case '{': p->pos++; return skip_container(p, 1, depth);
	case '[': p->pos++; return skip_container(p, 0, depth);
	case 't': return word(p, "true");
	case 'f': return word(p, "false");
	case 'n': return word(p, "null");
	default: return number(p);
	}
}

/* A short string member value (or null when nullable: then *isnull). */
static int
short_string(struct jp *p, char *out, size_t max, int nullable, int *isnull)
{
	int trunc;

	*isnull = 0;
	ws(p);
	if (nullable && p->pos < p->len && p->s[p->pos] == 'n') {
		*isnull = 1;
		out[0] = '\0';
		return word(p, "null");
	}
	if (string(p, out, max, &trunc) == -1)
		return -1;
	return trunc ? fail(p, "value too long") : 0;
}

/* A date member as a day number, or -1 for null (when nullable). */
static int
date_member(struct jp *p, int nullable, long *day)
{
	char v[MEMBER_MAX + 1];
	struct dt_date d;
	int isnull;

	if (short_string(p, v, MEMBER_MAX, nullable, &isnull) == -1)
		return -1;
	if (isnull) {
		*day = -1;
		return 0;
	}
	if (dt_date_parse(v, strlen(v), &d) != DT_OK)
		return fail(p, "not a date (YYYY-MM-DD)");
	*day = dt_date_to_days(&d);
	return 0;
}

/* Exactly n lowercase hex digits into bytes. */
static int
hex_member(struct jp *p, unsigned char *out, size_t nbytes)
{
	char v[MEMBER_MAX + 1];
	int isnull;

	if (short_string(p, v, MEMBER_MAX, 0, &isnull) == -1)
		return -1;
	if (strlen(v) != 2 * nbytes || strspn(v, "0123456789abcdef") != 2 * nbytes ||
	    hex_decode(v, out, nbytes) != 0)
		return fail(p, "not lowercase hex of the right length");
	return 0;
}

enum member { M_KEY_ID, M_ALG, M_PUB, M_FROM, M_UNTIL, M_REVOKED, M_REASON, M__MAX };
static const char *const member_names[M__MAX] = {
	"key_id", "alg", "public_key", "valid_from", "valid_until", "revoked_on", "revoke_reason",
};

/* One member's value into k (or the key id claimed into id). */
static int
key_member(struct jp *p, enum member m, struct rxkey *k, unsigned char id[RXKEYS_ID_BYTES])
{
	char v[MEMBER_MAX + 1];
	int isnull;

	switch (m) {
	case M_KEY_ID: return hex_member(p, id, RXKEYS_ID_BYTES);
	case M_PUB: return hex_member(p, k->pub, SIGN_PUBLIC_BYTES);
	case M_FROM: return date_member(p, 0, &k->valid_from_day);
	case M_UNTIL: return date_member(p, 1, &k->valid_until_day);
	case M_REVOKED: return date_member(p, 1, &k->revoked_day);
	case M_REASON: return short_string(p, k->revoke_reason, RXKEYS_REASON_MAX, 1, &isnull);
	case M_ALG:
		if (short_string(p, v, MEMBER_MAX, 0, &isnull) == -1)
			return -1;
		return strcmp(v, "Ed25519") == 0 ? 0 : fail(p, "alg is not Ed25519");
	default: return fail(p, "unknown member");
	}
}

/* One key object, added to ks. */
static int
key_object(struct jp *p, struct rxkeys *ks)
{
	struct rxkey k = { .valid_until_day = -1, .revoked_day = -1 };
	unsigned char id[RXKEYS_ID_BYTES];
	char name[MEMBER_MAX + 1];
	unsigned seen = 0;
	int trunc;
	size_t m;

	if (expect(p, '{') == -1)
		return -1;
	if (eat(p, '}'))
		return fail(p, "a key without members");
	do {
		if (string(p, name, MEMBER_MAX, &trunc) == -1 || expect(p, ':') == -1)
			return -1;
		for (m = 0; m < M__MAX && (trunc || strcmp(name, member_names[m]) != 0); m++)
			;
		if (m == M__MAX || (seen & (1u << m)))
			return fail(p, m == M__MAX ? "unknown member in a key" : "member given twice");
		seen |= 1u << m;
		if (key_member(p, (enum member)m, &k, id) == -1)
			return -1;
	} while (eat(p, ','));
	if (expect(p, '}') == -1)
		return -1;
	if ((seen & 0xd) != 0xd)    /* key_id, public_key, valid_from */
		return fail(p, "a key lacks key_id, public_key or valid_from");
	if (rxkeys_add(ks, k.pub, k.valid_from_day, k.valid_until_day, k.revoked_day) == -1)
		return fail(p, "a key twice, too many keys, or valid_until before valid_from");
	if (memcmp(ks->key[ks->n - 1].key_id, id, RXKEYS_ID_BYTES) != 0) {
		ks->n--;
		return fail(p, "key_id is not the public key's id");
	}
	memcpy(ks->key[ks->n - 1].revoke_reason, k.revoke_reason, sizeof(k.revoke_reason));
	return 0;
}

static int
keys_array(struct jp *p, struct rxkeys *ks)
{
	if (expect(p, '[') == -1)
		return -1;
	if (eat(p, ']'))
		return 0;
	do
		if (key_object(p, ks) == -1)
			return -1;
	while (eat(p, ','));
	return expect(p, ']');
}

int
rxkeys_parse_json(const char *text, size_t len, struct rxkeys *ks, char *err, size_t errlen)
{
	struct jp p = { (const unsigned char *)text, len, 0, NULL };
	char name[MEMBER_MAX + 1];
	int trunc, have_keys = 0;

	memset(ks, 0, sizeof(*ks));
	if (text == NULL || len > RXKEYS_JSON_MAX) {
		fail(&p, "missing or too large");
		goto out;
	}
	if (expect(&p, '{') == -1)
		goto out;
	if (eat(&p, '}')) {
		fail(&p, "no keys member");
		goto out;
	}
	do {
		if (string(&p, name, MEMBER_MAX, &trunc) == -1 || expect(&p, ':') == -1)
			goto out;
		if (!trunc && strcmp(name, "keys") == 0) {
			if (have_keys++ || keys_array(&p, ks) == -1) {
				fail(&p, "keys given twice");
				goto out;
			}
		} else if (skip_value(&p, 1) == -1)
			goto out;
	} while (eat(&p, ','));
	if (expect(&p, '}') == -1)
		goto out;
	ws(&p);
	if (p.pos != p.len)
		fail(&p, "text after the document");
	else if (!have_keys)
		fail(&p, "no keys member");
out:
	if (p.why) {
		if (err && errlen)
			snprintf(err, errlen, "%s (at byte %zu)", p.why, p.pos);
		memset(ks, 0, sizeof(*ks));
		return -1;
	}
	return 0;
}

int
rxkeys_add(struct rxkeys *ks, const unsigned char pub[SIGN_PUBLIC_BYTES], long valid_from_day,
           long valid_until_day, long revoked_day)
{
	char hexid[SIGN_KEY_ID_LEN + 1];
	struct rxkey *k;

	if (ks->n >= RXKEYS_MAX || (valid_until_day != -1 && valid_until_day < valid_from_day))
		return -1;
	k = &ks->key[ks->n];
	memset(k, 0, sizeof(*k));
	sign_key_id(pub, hexid);
	if (hex_decode(hexid, k->key_id, RXKEYS_ID_BYTES) != 0 || rxkeys_find(ks, k->key_id))
		return -1;
	memcpy(k->pub, pub, SIGN_PUBLIC_BYTES);
	k->valid_from_day = valid_from_day;
	k->valid_until_day = valid_until_day;
	k->revoked_day = revoked_day;
	ks->n++;
	return 0;
}

const struct rxkey *
rxkeys_find(const struct rxkeys *ks, const unsigned char id[RXKEYS_ID_BYTES])
{
	for (size_t i = 0; i < ks->n; i++)
		if (memcmp(ks->key[i].key_id, id, RXKEYS_ID_BYTES) == 0)
			return &ks->key[i];
	return NULL;
}
