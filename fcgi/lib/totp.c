/* totp: RFC 4226 HOTP / RFC 6238 TOTP codes (HMAC-SHA1), RFC 4648 base32
 * and the otpauth:// URI. Pure: no I/O, no globals. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "lib/totp.h"

#define TOTP_MAX_WINDOW 10	/* steps either side totp_verify looks at */

static const char b32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* 10^digits for digits 6..8. */
static long
pow10_digits(int digits)
{
	long m = 1;

	while (digits-- > 0)
		m *= 10;
	return m;
}

/* RFC 4226 section 5.3: HMAC-SHA1 of the big-endian counter, dynamic
 * truncation to 31 bits, reduced modulo 10^digits. */
long
totp_code_at_step(const unsigned char *key, size_t keylen, uint64_t step,
                  int digits)
{
	unsigned char msg[8], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, off;
	unsigned long bin;
	int i;

	if (digits < 6 || digits > 8 || keylen > INT_MAX)
		return -1;
	if (key == NULL && keylen != 0)
		return -1;
	for (i = 7; i >= 0; i--) {
		msg[i] = (unsigned char)(step & 0xff);
		step >>= 8;
	}
	if (HMAC(EVP_sha1(), key != NULL ? (const void *)key : "", (int)keylen,
	         msg, sizeof(msg), md, &mdlen) == NULL || mdlen != 20)
		return -1;
	off = md[19] & 0x0f;
	bin = ((unsigned long)(md[off] & 0x7f) << 24) |
	      ((unsigned long)md[off + 1] << 16) |
	      ((unsigned long)md[off + 2] << 8) | (unsigned long)md[off + 3];
	return (long)(bin % (unsigned long)pow10_digits(digits));
}

/* Copy the digits of a typed code into out, skipping spaces: 0 when it
 * is exactly TOTP_DIGITS digits, -1 otherwise. */
static int
code_normalize(const char *code, char out[TOTP_DIGITS + 1])
{
	size_t n = 0;

	if (code == NULL)
		return -1;
	for (; *code != '\0'; code++) {
		if (*code == ' ')
			continue;
		if (*code < '0' || *code > '9' || n == TOTP_DIGITS)
			return -1;
		out[n++] = *code;
	}
	out[n] = '\0';
	return n == TOTP_DIGITS ? 0 : -1;
}

/* 1 when the code for step equals typed (constant time), 0 when not,
 * -1 when no code could be computed. */
static int
code_matches(const unsigned char *key, size_t keylen, uint64_t step,
             const char typed[TOTP_DIGITS + 1])
{
	char want[TOTP_DIGITS];
	long c = totp_code_at_step(key, keylen, step, TOTP_DIGITS);
	int i;

	if (c < 0)
		return -1;
	for (i = TOTP_DIGITS - 1; i >= 0; i--) {
		want[i] = (char)('0' + c % 10);
		c /= 10;
	}
	return CRYPTO_memcmp(want, typed, TOTP_DIGITS) == 0;
}

/* Every step of the window is computed and compared (no early exit on a
 * match); the earliest matching step after last_step wins. window is
 * clamped to 0..TOTP_MAX_WINDOW. */
int
totp_verify(const unsigned char *key, size_t keylen, const char *code,
            uint64_t unix_time, int window, uint64_t last_step,
            uint64_t *matched_step)
{
	char typed[TOTP_DIGITS + 1];
	uint64_t now = unix_time / TOTP_STEP, lo, hi, s;
	int found = 0, m;

	if (code_normalize(code, typed) != 0)
		return 0;
	if (window < 0)
		window = 0;
	if (window > TOTP_MAX_WINDOW)
		window = TOTP_MAX_WINDOW;
	lo = now >= (uint64_t)window ? now - (uint64_t)window : 0;
	hi = now + (uint64_t)window;
	for (s = lo; s <= hi; s++) {
		m = code_matches(key, keylen, s, typed);
		if (m == 1 && s > last_step && !found) {
			found = 1;
			if (matched_step != NULL)
				*matched_step = s;
		}
	}
	return found;
}

/* ceil(8n / 5) without overflowing for large n. */
size_t
base32_encoded_len(size_t n)
{
	return (n / 5) * 8 + ((n % 5) * 8 + 4) / 5;
}

/* Five bits at a time, most significant first; the last symbol is padded
 * with zero bits. No '=' padding. */
size_t
base32_encode(const unsigned char *in, size_t n, char *out)
{
	unsigned int buf = 0, bits = 0;
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		buf = (buf << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = b32_alphabet[(buf >> bits) & 0x1f];
		}
		buf &= (1u << bits) - 1;
	}
	if (bits > 0)
		out[o++] = b32_alphabet[(buf << (5 - bits)) & 0x1f];
	out[o] = '\0';
	return o;
}

/* The value of a base32 symbol (either case), -1 for anything else. */
static int
b32_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= '2' && c <= '7')
		return c - '2' + 26;
	return -1;
}

/* Malformed: a character outside the alphabet, a symbol count that no
 * byte count encodes (1, 3 or 6 left over), non-zero padding bits, or
 * more bytes than outlen. */
long
base32_decode(const char *in, unsigned char *out, size_t outlen)
{
	unsigned int buf = 0, bits = 0;
	size_t o = 0, syms = 0;
	int v;

	if (in == NULL || (out == NULL && outlen != 0))
		return -1;
	for (; *in != '\0'; in++) {
		if (*in == ' ' || *in == '=')
			continue;
		if ((v = b32_value(*in)) < 0)
			return -1;
		syms++;
		buf = (buf << 5) | (unsigned int)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (o == outlen || o == LONG_MAX)
				return -1;
			out[o++] = (unsigned char)((buf >> bits) & 0xff);
			buf &= (1u << bits) - 1;
		}
	}
	if (syms % 8 == 1 || syms % 8 == 3 || syms % 8 == 6 || buf != 0)
		return -1;
	return (long)o;
}

/* A bounded string builder: appends stop at cap, ok drops to 0. */
struct sbuf {
	char *p;
	size_t len, cap;
	int ok;
};

static void
sb_putc(struct sbuf *b, char c)
{
	if (b->len + 1 >= b->cap) {
		b->ok = 0;
		return;
	}
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

static void
sb_puts(struct sbuf *b, const char *s)
{
	while (*s != '\0')
		sb_putc(b, *s++);
}

/* RFC 3986 percent-encoding: unreserved characters stay, every other
 * byte (UTF-8 included) becomes %XX. */
static void
sb_put_encoded(struct sbuf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			sb_putc(b, (char)c);
			continue;
		}
		sb_putc(b, '%');
		sb_putc(b, hex[c >> 4]);
		sb_putc(b, hex[c & 0x0f]);
	}
}

/* Key URI format: label "ISSUER:ACCOUNT" (each part encoded, so a ':' in
 * either cannot split the label), then secret, issuer and the fixed
 * algorithm, digits and period. */
int
totp_uri(char *out, size_t outlen, const char *issuer, const char *account,
         const char *secret_base32)
{
	struct sbuf b = { out, 0, outlen, 1 };
	char tail[64];

	if (out == NULL || outlen == 0 || issuer == NULL || account == NULL ||
	    secret_base32 == NULL || outlen > INT_MAX)
		return -1;
	out[0] = '\0';
	sb_puts(&b, "otpauth://totp/");
	sb_put_encoded(&b, issuer);
	sb_putc(&b, ':');
	sb_put_encoded(&b, account);
	sb_puts(&b, "?secret=");
	sb_put_encoded(&b, secret_base32);
	sb_puts(&b, "&issuer=");
	sb_put_encoded(&b, issuer);
	snprintf(tail, sizeof(tail), "&algorithm=SHA1&digits=%d&period=%d",
	         TOTP_DIGITS, TOTP_STEP);
	sb_puts(&b, tail);
	if (!b.ok) {
		out[0] = '\0';
		return -1;
	}
	return (int)b.len;
}
