/* test_mailmsg: building e-mail messages: placeholders, links, RFC 2047
 * subjects, quoted-printable bodies, CRLF, header injection refused, long
 * lines; the strict decoders mailmsg_test.h declares. Messages with an
 * invite.ics attachment and every template of the language files are
 * test_mailmsg_ics.c's (same program). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/view.h"
#include "notifier/mailmsg.h"
#include "mailmsg_test.h"

/* ------------------------------------------------------------ decoders */

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

char *
mt_qp_decode(const char *s, size_t len)
{
	char *out = malloc(len + 1), *o = out;
	size_t col = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\r') {
			if (i + 1 >= len || s[i + 1] != '\n')
				goto bad;
			if (o > out && col > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
				goto bad;
			*o++ = '\n';
			i++;
			col = 0;
			continue;
		}
		if (s[i] == '\n')
			goto bad;
		if (++col > 76)
			goto bad;
		if (s[i] != '=') {
			*o++ = s[i];
			continue;
		}
		if (i + 2 < len && s[i + 1] == '\r' && s[i + 2] == '\n') {
			i += 2;     /* soft break */
			col = 0;
			continue;
		}
		if (i + 2 >= len || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
			goto bad;
		*o++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
		i += 2;
		col += 2;
		if (col > 76)
			goto bad;
	}
	*o = '\0';
	return out;
bad:
	free(out);
	return NULL;
}

static int
b64val(char c)
{
	const char *tab = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(tab, c) : NULL;

	return p ? (int)(p - tab) : -1;
}

size_t
mt_b64_decode(const char *s, size_t n, char *out)
{
	size_t o = 0;
	unsigned v = 0;
	int bits = 0;

	for (size_t i = 0; i < n && s[i] != '='; i++) {
		int d = b64val(s[i]);
		ck_assert_int_ge(d, 0);
		v = (v << 6) | (unsigned)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((v >> bits) & 0xff);
		}
	}
	return o;
}

static int
utf8_valid(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
		if (k == 0 || i + k > n)
			return 0;
		for (size_t j = 1; j < k; j++)
			if (((unsigned char)s[i + j] & 0xC0) != 0x80)
				return 0;
		i += k;
	}
	return 1;
}

/* A header value of encoded words (or plain text) back to UTF-8; checks
 * each word's length and that no word splits a UTF-8 sequence. */
static char *
header_decode(const char *h)
{
	char *out = calloc(1, strlen(h) + 1);
	size_t o = 0;
	const char *p = h;

	if (strncmp(h, "=?", 2) != 0) {
		strcpy(out, h);
		return out;
	}
	while (*p) {
		const char *end;
		size_t n;
		ck_assert_msg(strncmp(p, "=?UTF-8?B?", 10) == 0, "not an encoded word: %s", p);
		end = strstr(p + 10, "?=");
		ck_assert_ptr_nonnull(end);
		ck_assert_int_le((int)(end + 2 - p), 75);
		n = mt_b64_decode(p + 10, (size_t)(end - (p + 10)), out + o);
		ck_assert_msg(utf8_valid(out + o, n), "an encoded word splits a UTF-8 sequence");
		o += n;
		p = end + 2;
		if (*p) {
			ck_assert_msg(strncmp(p, "\r\n ", 3) == 0, "words not folded by CRLF SP");
			p += 3;
		}
	}
	out[o] = '\0';
	return out;
}

/* The value of header name in a built message (unfolded lines kept). */
static char *
header_of(const char *msg, const char *name)
{
	size_t nl = strlen(name);
	const char *end = strstr(msg, "\r\n\r\n");

	ck_assert_ptr_nonnull(end);
	for (const char *p = msg; p && p < end; p = strstr(p, "\r\n") ? strstr(p, "\r\n") + 2 : NULL) {
		if (strncmp(p, name, nl) == 0 && p[nl] == ':' && p[nl + 1] == ' ') {
			const char *v = p + nl + 2, *e = v;
			/* a folded value continues on lines that start with a space */
			while (e < end && !(e[0] == '\r' && e[1] == '\n' && e[2] != ' '))
				e++;
			return strndup(v, (size_t)(e - v));
		}
	}
	return NULL;
}

const char *
mt_body_of(const char *msg)
{
	const char *p = strstr(msg, "\r\n\r\n");

	ck_assert_ptr_nonnull(p);
	return p + 4;
}

/* Every line ends in CRLF, none is longer than 998 (headers) or 76
 * (quoted-printable body) characters. */
static void
assert_lines(const char *msg, size_t len)
{
	const char *body = mt_body_of(msg);
	size_t col = 0;

	for (size_t i = 0; i < len; i++) {
		if (msg[i] == '\n') {
			ck_assert_msg(i > 0 && msg[i - 1] == '\r', "bare LF at %zu", i);
			col = 0;
			continue;
		}
		if (msg[i] == '\r') {
			ck_assert_msg(i + 1 < len && msg[i + 1] == '\n', "bare CR at %zu", i);
			continue;
		}
		col++;
		ck_assert_msg(col <= (msg + i >= body ? 76u : 998u), "line too long at %zu", i);
	}
	ck_assert_msg(len >= 2 && msg[len - 2] == '\r' && msg[len - 1] == '\n', "no final CRLF");
}

/* ------------------------------------------------------------ fixtures */

static const struct mailmsg_param std_params[] = {
	{ "name", "María José" },
	{ "minutes", "30" },
	{ "link_path", "/verify?token=abc123DEF_-" },
};

struct mailmsg
mt_std_message(void)
{
	struct mailmsg m = {
		.from = "MedSysPro <no-reply@medsys.test>",
		.to = "ana@example.test",
		.subject = "Hola {name}",
		.body = "Hola, {name}:\n\nAbra {link}\nVálido {minutes} minutos.\n",
		.params = std_params,
		.nparams = 3,
		.base_url = "https://clinic.example/",
		.date = 1700000000,
		.message_id = "medsys.42.1700000000123456",
	};
	return m;
}

void
mt_use_template(struct mailmsg *m, const char *lang, const char *name)
{
	char key[128];

	snprintf(key, sizeof(key), "mail.%s.subject", name);
	m->subject = view_string(lang, key);
	snprintf(key, sizeof(key), "mail.%s.body", name);
	m->body = view_string(lang, key);
	ck_assert_msg(*m->subject && *m->body, "%s: mail.%s is missing", lang, name);
}

char *
mt_build_ok(const struct mailmsg *m, size_t *len)
{
	char *out = NULL;
	size_t n = 0;
	enum mailmsg_status st = mailmsg_build(m, &out, &n);

	ck_assert_msg(st == MAILMSG_OK, "mailmsg_build: %s", mailmsg_status_text(st));
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(strlen(out), n);
	assert_lines(out, n);
	if (len)
		*len = n;
	return out;
}

/* ------------------------------------------------------------ placeholders */

START_TEST(test_fill_replaces_placeholders)
{
	char *out;

	ck_assert_int_eq(mailmsg_fill("Hola {name}, {minutes} min: {link}.", std_params, 3,
	                              "https://clinic.example", 0, &out), MAILMSG_OK);
	ck_assert_str_eq(out, "Hola María José, 30 min: https://clinic.example/verify?token=abc123DEF_-.");
	free(out);
	/* trailing slashes of base_url are not doubled */
	ck_assert_int_eq(mailmsg_fill("{link}", std_params, 3, "http://h:8080//", 0, &out), MAILMSG_OK);
	ck_assert_str_eq(out, "http://h:8080/verify?token=abc123DEF_-");
	free(out);
	/* a value is inserted once, never scanned for placeholders again */
	{
		const struct mailmsg_param p[] = { { "name", "{minutes}" }, { "minutes", "9" } };
		ck_assert_int_eq(mailmsg_fill("{name} {minutes}", p, 2, NULL, 0, &out), MAILMSG_OK);
		ck_assert_str_eq(out, "{minutes} 9");
		free(out);
	}
}
END_TEST

START_TEST(test_fill_keeps_other_braces)
{
	char *out;

	ck_assert_int_eq(mailmsg_fill("{} { name } {Name} {a-b} {name x} {9a} {", std_params, 3,
	                              NULL, 0, &out), MAILMSG_OK);
	ck_assert_str_eq(out, "{} { name } {Name} {a-b} {name x} {9a} {");
	free(out);
}
END_TEST

START_TEST(test_fill_missing_parameter)
{
	char *out = (char *)1;

	ck_assert_int_eq(mailmsg_fill("Hola {nombre}", std_params, 3, NULL, 0, &out),
	                 MAILMSG_MISSING_PARAM);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(mailmsg_fill("{link}", std_params, 2, "https://x.example", 0, &out),
	                 MAILMSG_MISSING_PARAM);
}
END_TEST

START_TEST(test_fill_refuses_foreign_links)
{
	static const char *const bad_paths[] = {
		"//evil.example/x", "/\\evil.example", "https://evil.example/", "verify?t=1",
		"/a b", "/a\r\nBcc: x@y", "", "/\x7f",
	};
	char *out;

	for (size_t i = 0; i < sizeof(bad_paths) / sizeof(bad_paths[0]); i++) {
		const struct mailmsg_param p[] = { { "link_path", bad_paths[i] } };
		ck_assert_msg(mailmsg_fill("{link}", p, 1, "https://clinic.example", 0, &out) == MAILMSG_BAD_LINK,
		              "link_path %zu accepted", i);
	}
	{
		const struct mailmsg_param p[] = { { "link_path", "/ok" } };
		ck_assert_int_eq(mailmsg_fill("{link}", p, 1, "javascript:alert(1)", 0, &out), MAILMSG_BAD_LINK);
		ck_assert_int_eq(mailmsg_fill("{link}", p, 1, "https://a b", 0, &out), MAILMSG_BAD_LINK);
		ck_assert_int_eq(mailmsg_fill("{link}", p, 1, NULL, 0, &out), MAILMSG_BAD_LINK);
	}
}
END_TEST

/* ------------------------------------------------------------ header injection */

START_TEST(test_header_injection_refused)
{
	struct mailmsg m = mt_std_message();
	const struct mailmsg_param evil[] = {
		{ "name", "Ana\r\nBcc: victim@example.test" }, { "minutes", "30" },
		{ "link_path", "/verify?token=x" },
	};
	char *out = (char *)1;
	size_t len = 1;

	/* a parameter in the subject */
	m.params = evil;
	ck_assert_int_eq(mailmsg_build(&m, &out, &len), MAILMSG_BAD_HEADER);
	ck_assert_ptr_null(out);
	ck_assert_uint_eq(len, 0);
	/* a bare LF, a bare CR, a TAB, a NUL-free control character */
	{
		static const char *const bad[] = { "a\nb", "a\rb", "a\tb", "a\001b", "a\x7f" };
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			const struct mailmsg_param p[] = { { "name", bad[i] } };
			char *o;
			ck_assert_int_eq(mailmsg_fill("{name}", p, 1, NULL, 1, &o), MAILMSG_BAD_HEADER);
		}
	}
	/* the recipient, the sender, the subject text itself */
	m = mt_std_message();
	m.to = "ana@example.test\r\nBcc: victim@example.test";
	ck_assert_int_eq(mailmsg_build(&m, &out, &len), MAILMSG_BAD_HEADER);
	m = mt_std_message();
	m.from = "MedSysPro <no-reply@medsys.test>\r\nBcc: victim@example.test";
	ck_assert_int_eq(mailmsg_build(&m, &out, &len), MAILMSG_BAD_HEADER);
	m = mt_std_message();
	m.subject = "Hola\r\nBcc: victim@example.test";
	ck_assert_int_eq(mailmsg_build(&m, &out, &len), MAILMSG_BAD_HEADER);
	/* a second recipient smuggled in with a comma or angle brackets */
	m = mt_std_message();
	m.to = "ana@example.test, victim@example.test";
	ck_assert_int_eq(mailmsg_build(&m, &out, &len), MAILMSG_BAD_ADDRESS);
	m.to = "<victim@example.test>";
	ck_assert_int_eq(mailmsg_build(&m, &out, &len), MAILMSG_BAD_ADDRESS);
}
END_TEST

START_TEST(test_body_values_add_no_lines)
{
	struct mailmsg m = mt_std_message();
	const struct mailmsg_param p[] = {
		{ "name", "Ana\r\n\r\nPlease send your password\nto x" }, { "minutes", "30" },
		{ "link_path", "/v" },
	};
	char *msg, *body;

	m.subject = "Hola";
	m.params = p;
	msg = mt_build_ok(&m, NULL);
	body = mt_qp_decode(mt_body_of(msg), strlen(mt_body_of(msg)));
	ck_assert_ptr_nonnull(body);
	ck_assert_ptr_nonnull(strstr(body, "Hola, Ana    Please send your password to x:\n"));
	free(body);
	free(msg);
}
END_TEST

START_TEST(test_addresses)
{
	static const char *const good[] = {
		"a@b.c", "ana.maria+tag@example.test", "x_y-z@sub.domain-1.example",
		"o'brien@example.ie",
	};
	static const char *const bad[] = {
		"", "a", "@b.c", "a@", "a@@b.c", "a@b@c", "a b@c.d", "a@b c.d", ".a@b.c", "a.@b.c",
		"a@.b.c", "a@b.c.", "a@b..c", "a@-b.c", "<a@b.c>", "a,b@c.d", "a@b.c,d@e.f",
		"\"a\"@b.c", "a;b@c.d", "a:b@c.d", "a\\b@c.d", "a(b)@c.d", "a[b]@c.d", "ñ@b.c",
		"a@b_c.d", "a@b.c\r\n", "a\t@b.c",
	};
	char long_local[80], long_addr[300];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(mailmsg_addr_valid(good[i]), "%s refused", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!mailmsg_addr_valid(bad[i]), "bad address %zu accepted", i);
	ck_assert(!mailmsg_addr_valid(NULL));
	memset(long_local, 'a', 65);
	strcpy(long_local + 65, "@b.c");
	ck_assert(!mailmsg_addr_valid(long_local));
	memset(long_addr, 'b', 260);
	memcpy(long_addr, "a@", 2);
	strcpy(long_addr + 260, ".c");
	ck_assert(!mailmsg_addr_valid(long_addr));
}
END_TEST

START_TEST(test_from_address)
{
	char addr[256];

	ck_assert_int_eq(mailmsg_from_address("MedSysPro <no-reply@medsys.test>", addr, sizeof(addr)), MAILMSG_OK);
	ck_assert_str_eq(addr, "no-reply@medsys.test");
	ck_assert_int_eq(mailmsg_from_address("  plain@medsys.test ", addr, sizeof(addr)), MAILMSG_OK);
	ck_assert_str_eq(addr, "plain@medsys.test");
	ck_assert_int_eq(mailmsg_from_address("\"Clínica, S.L.\" <c@medsys.test>", addr, sizeof(addr)), MAILMSG_OK);
	ck_assert_str_eq(addr, "c@medsys.test");
	ck_assert_int_eq(mailmsg_from_address("X <a@b.c> extra", addr, sizeof(addr)), MAILMSG_BAD_ADDRESS);
	ck_assert_int_eq(mailmsg_from_address("X <a@b.c", addr, sizeof(addr)), MAILMSG_BAD_ADDRESS);
	ck_assert_int_eq(mailmsg_from_address("X <not an address>", addr, sizeof(addr)), MAILMSG_BAD_ADDRESS);
	ck_assert_int_eq(mailmsg_from_address("X\n <a@b.c>", addr, sizeof(addr)), MAILMSG_BAD_HEADER);
	ck_assert_int_eq(mailmsg_from_address("X <a@b.c>", addr, 4), MAILMSG_BAD_ADDRESS);
}
END_TEST

/* ------------------------------------------------------------ RFC 2047 */

START_TEST(test_ascii_subject_stays_plain)
{
	char *h;

	ck_assert_int_eq(mailmsg_header_text("Please confirm your e-mail address", &h), MAILMSG_OK);
	ck_assert_str_eq(h, "Please confirm your e-mail address");
	free(h);
	/* something that would read as an encoded word is encoded itself */
	ck_assert_int_eq(mailmsg_header_text("=?UTF-8?B?SGk=?=", &h), MAILMSG_OK);
	ck_assert_str_eq(h, "=?UTF-8?B?PT9VVEYtOD9CP1NHaz0/PQ==?=");
	free(h);
}
END_TEST

START_TEST(test_non_ascii_subject_is_encoded)
{
	static const char *const subjects[] = {
		"Confirme su dirección de correo electrónico",
		"ñ",
		/* long enough for several words, with 2-, 3- and 4-byte sequences
		 * at every offset */
		("Áéíóú ñÑ üÜ ¿¡ — € 𝄞 Restablezca su contraseña, María José Núñez-Gómez, "
		 "clínica de atención primaria 😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀 fin"),
	};

	for (size_t i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++) {
		char *h, *back;
		ck_assert_int_eq(mailmsg_header_text(subjects[i], &h), MAILMSG_OK);
		ck_assert_msg(strncmp(h, "=?UTF-8?B?", 10) == 0, "not encoded: %s", h);
		for (const char *c = h; *c; c++)
			ck_assert_msg((*c >= 0x20 && *c < 0x7f) || *c == '\r' || *c == '\n', "raw byte in header");
		back = header_decode(h);
		ck_assert_str_eq(back, subjects[i]);
		free(back);
		free(h);
	}
}
END_TEST

START_TEST(test_subject_in_message)
{
	struct mailmsg m = mt_std_message();
	char *msg = mt_build_ok(&m, NULL), *subj, *dec;

	subj = header_of(msg, "Subject");
	ck_assert_ptr_nonnull(subj);
	dec = header_decode(subj);
	ck_assert_str_eq(dec, "Hola María José");
	free(dec);
	free(subj);
	free(msg);
}
END_TEST

/* ------------------------------------------------------------ the message */

START_TEST(test_message_headers)
{
	struct mailmsg m = mt_std_message();
	char *msg = mt_build_ok(&m, NULL), *v;

	ck_assert_msg(strncmp(msg, "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n", 39) == 0, "%s", msg);
	v = header_of(msg, "From");
	ck_assert_str_eq(v, "MedSysPro <no-reply@medsys.test>");
	free(v);
	v = header_of(msg, "To");
	ck_assert_str_eq(v, "ana@example.test");
	free(v);
	v = header_of(msg, "Message-ID");
	ck_assert_str_eq(v, "<medsys.42.1700000000123456@medsys.test>");
	free(v);
	v = header_of(msg, "MIME-Version");
	ck_assert_str_eq(v, "1.0");
	free(v);
	v = header_of(msg, "Content-Type");
	ck_assert_str_eq(v, "text/plain; charset=utf-8");
	free(v);
	v = header_of(msg, "Content-Transfer-Encoding");
	ck_assert_str_eq(v, "quoted-printable");
	free(v);
	ck_assert_ptr_null(header_of(msg, "Bcc"));
	free(msg);

	m.date = 0;
	msg = mt_build_ok(&m, NULL);
	ck_assert_msg(strncmp(msg, "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n", 39) == 0, "%s", msg);
	free(msg);
}
END_TEST

START_TEST(test_from_display_names)
{
	struct mailmsg m = mt_std_message();
	char *msg, *v, *dec;

	m.from = "Clínica Núñez <c@medsys.test>";
	msg = mt_build_ok(&m, NULL);
	v = header_of(msg, "From");
	ck_assert_msg(strncmp(v, "=?UTF-8?B?", 10) == 0, "%s", v);
	ck_assert_ptr_nonnull(strstr(v, "?= <c@medsys.test>"));
	*strstr(v, " <c@medsys.test>") = '\0';
	dec = header_decode(v);
	ck_assert_str_eq(dec, "Clínica Núñez");
	free(dec);
	free(v);
	free(msg);

	m.from = "Dr. Who, Clinic <c@medsys.test>";
	msg = mt_build_ok(&m, NULL);
	v = header_of(msg, "From");
	ck_assert_str_eq(v, "\"Dr. Who, Clinic\" <c@medsys.test>");
	free(v);
	free(msg);

	m.from = "c@medsys.test";
	msg = mt_build_ok(&m, NULL);
	v = header_of(msg, "From");
	ck_assert_str_eq(v, "c@medsys.test");
	free(v);
	free(msg);
}
END_TEST

START_TEST(test_message_body_and_crlf)
{
	struct mailmsg m = mt_std_message();
	size_t len;
	char *msg = mt_build_ok(&m, &len), *body;

	ck_assert_ptr_nonnull(strstr(msg, "\r\n\r\n"));
	body = mt_qp_decode(mt_body_of(msg), strlen(mt_body_of(msg)));
	ck_assert_ptr_nonnull(body);
	ck_assert_str_eq(body, "Hola, María José:\n\nAbra https://clinic.example/verify?token=abc123DEF_-\n"
	                       "Válido 30 minutos.\n");
	/* non-ASCII never travels raw */
	for (const char *c = msg; *c; c++)
		ck_assert_msg((unsigned char)*c < 0x80, "8-bit byte in the message");
	free(body);
	free(msg);

	/* CRLF in the template comes out as CRLF, not CRCRLF */
	m.body = "uno\r\ndos\r\n";
	msg = mt_build_ok(&m, &len);
	ck_assert_str_eq(mt_body_of(msg), "uno\r\ndos\r\n");
	free(msg);
	/* no final line end: one is added */
	m.body = "uno";
	msg = mt_build_ok(&m, &len);
	ck_assert_str_eq(mt_body_of(msg), "uno\r\n");
	free(msg);
}
END_TEST

START_TEST(test_long_lines)
{
	struct mailmsg m = mt_std_message();
	struct mailmsg_param p[3];
	char *longname = malloc(5001), *msg, *body, *expect;
	size_t len;

	/* 5000 bytes mixing ASCII, '=', blanks and 2-byte characters */
	for (size_t i = 0; i < 5000;) {
		static const char *const pieces[] = { "a", "=", " ", "ñ", "b", "\t", "c" };
		const char *pc = pieces[(i * 7 + i / 3) % 7];
		if (i + strlen(pc) > 5000)
			pc = "z";
		memcpy(longname + i, pc, strlen(pc));
		i += strlen(pc);
	}
	longname[5000] = '\0';
	memcpy(p, std_params, sizeof(p));
	p[0].value = longname;
	m.params = p;
	m.subject = "Hola";
	m.body = "{name}\n{link}{link}{link}{link}{link}{link}{link}{link}\n";
	msg = mt_build_ok(&m, &len);   /* asserts every body line <= 76 */
	body = mt_qp_decode(mt_body_of(msg), strlen(mt_body_of(msg)));
	ck_assert_ptr_nonnull(body);
	ck_assert_int_gt(asprintf(&expect, "%s\n%s%s%s%s%s%s%s%s\n", longname,
	                          "https://clinic.example/verify?token=abc123DEF_-",
	                          "https://clinic.example/verify?token=abc123DEF_-",
	                          "https://clinic.example/verify?token=abc123DEF_-",
	                          "https://clinic.example/verify?token=abc123DEF_-",
	                          "https://clinic.example/verify?token=abc123DEF_-",
	                          "https://clinic.example/verify?token=abc123DEF_-",
	                          "https://clinic.example/verify?token=abc123DEF_-",
	                          "https://clinic.example/verify?token=abc123DEF_-"), 0);
	ck_assert_str_eq(body, expect);
	free(expect);
	free(body);
	free(msg);
	free(longname);
}
END_TEST

START_TEST(test_qp_special_cases)
{
	char *out;
	size_t len;

	ck_assert_int_eq(mailmsg_qp_encode("a=b \nend\t\n.\n.dot\nFrom here\nFromage\n", &out, &len), MAILMSG_OK);
	ck_assert_str_eq(out, "a=3Db=20\r\nend=09\r\n=2E\r\n=2Edot\r\n=46rom here\r\nFromage\r\n");
	free(out);
	/* a soft break never leaves a '.' or blank at the start of a line
	 * unencoded, and never cuts an =XX triplet */
	for (size_t n = 70; n < 80; n++) {
		char in[200], *dec;
		memset(in, 'x', n);
		strcpy(in + n, ".....=====ñññ     \n");
		ck_assert_int_eq(mailmsg_qp_encode(in, &out, &len), MAILMSG_OK);
		for (const char *l = out; l && *l; l = strstr(l, "\r\n") ? strstr(l, "\r\n") + 2 : NULL)
			ck_assert_msg(*l != '.', "line starts with '.' (n=%zu)", n);
		dec = mt_qp_decode(out, len);
		ck_assert_ptr_nonnull(dec);
		ck_assert_str_eq(dec, in);
		free(dec);
		free(out);
	}
	/* empty text, empty lines */
	ck_assert_int_eq(mailmsg_qp_encode("", &out, &len), MAILMSG_OK);
	ck_assert_str_eq(out, "");
	free(out);
	ck_assert_int_eq(mailmsg_qp_encode("\n\n", &out, &len), MAILMSG_OK);
	ck_assert_str_eq(out, "\r\n\r\n");
	free(out);
}
END_TEST

START_TEST(test_qp_roundtrip_random)
{
	unsigned seed = 12345;

	for (int round = 0; round < 300; round++) {
		char in[600], *out, *dec;
		size_t n, len;
		seed = seed * 1103515245u + 12345u;
		n = (seed >> 8) % 500;
		for (size_t i = 0; i < n; i++) {
			unsigned char c;
			seed = seed * 1103515245u + 12345u;
			c = (unsigned char)(seed >> 16);
			if (c == 0 || c == '\r')
				c = ' ';
			in[i] = (char)c;
		}
		in[n] = '\0';
		ck_assert_int_eq(mailmsg_qp_encode(in, &out, &len), MAILMSG_OK);
		dec = mt_qp_decode(out, len);
		ck_assert_msg(dec != NULL, "round %d: invalid quoted-printable", round);
		/* the decoded text ends each line in "\n", a final one added */
		if (n && in[n - 1] != '\n')
			in[n++] = '\n', in[n] = '\0';
		ck_assert_msg(strcmp(dec, in) == 0, "round %d: round trip differs", round);
		free(dec);
		free(out);
	}
}
END_TEST

START_TEST(test_bad_input)
{
	struct mailmsg m = mt_std_message();
	char *out;
	size_t len;

	m.message_id = "a b";
	ck_assert_int_eq(mailmsg_build(&m, &out, &len), MAILMSG_BAD_INPUT);
	m.message_id = "x>\r\nBcc: y";
	ck_assert_int_eq(mailmsg_build(&m, &out, &len), MAILMSG_BAD_INPUT);
	m = mt_std_message();
	m.subject = "";
	ck_assert_int_eq(mailmsg_build(&m, &out, &len), MAILMSG_BAD_INPUT);
	m = mt_std_message();
	m.body = NULL;
	ck_assert_int_eq(mailmsg_build(&m, &out, &len), MAILMSG_BAD_INPUT);
	m = mt_std_message();
	m.nparams = 2;      /* no link_path for {link} */
	ck_assert_int_eq(mailmsg_build(&m, &out, &len), MAILMSG_MISSING_PARAM);
	for (int s = 0; s <= MAILMSG__MAX; s++)
		ck_assert_ptr_nonnull(mailmsg_status_text((enum mailmsg_status)s));
}
END_TEST

static Suite *
mailmsg_suite(void)
{
	Suite *s = suite_create("mailmsg");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_fill_replaces_placeholders);
	tcase_add_test(tc, test_fill_keeps_other_braces);
	tcase_add_test(tc, test_fill_missing_parameter);
	tcase_add_test(tc, test_fill_refuses_foreign_links);
	tcase_add_test(tc, test_header_injection_refused);
	tcase_add_test(tc, test_body_values_add_no_lines);
	tcase_add_test(tc, test_addresses);
	tcase_add_test(tc, test_from_address);
	tcase_add_test(tc, test_ascii_subject_stays_plain);
	tcase_add_test(tc, test_non_ascii_subject_is_encoded);
	tcase_add_test(tc, test_subject_in_message);
	tcase_add_test(tc, test_message_headers);
	tcase_add_test(tc, test_from_display_names);
	tcase_add_test(tc, test_message_body_and_crlf);
	tcase_add_test(tc, test_long_lines);
	tcase_add_test(tc, test_qp_special_cases);
	tcase_add_test(tc, test_qp_roundtrip_random);
	tcase_add_test(tc, test_bad_input);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, mt_attachment_tcase());
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(mailmsg_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
