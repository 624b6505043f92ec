/* desk: the pharmacist desk (docs/prescriptions.md "Pharmacist desk"):
 * the page where a prescription is presented (short code typed, photo of
 * the QR uploaded; a phone camera opens the verification URL by itself),
 * the throttle on wrong codes and tokens, and the desk's routes. Opening
 * a presented prescription is desk_show.c, dispensing desk_dispense.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"
#include "core/request.h"
#include "core/status.h"
#include "core/validate.h"
#include "core/view.h"
#include "lib/qrscan.h"
#include "pages/account/account.h"
#include "pages/page.h"
#include "pages/pages.h"
#include "pages/rx/desk.h"

/* Crockford's base32 alphabet: no I, L, O, U. */
static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static const struct field_rule code_rules[] = {
	{ "code", FIELD_TEXT, 1, 1, 40, NULL },
};

int
desk_code_normalise(const char *typed, char out[DESK_CODE_LEN + 1])
{
	size_t n = 0;

	for (const unsigned char *s = (const unsigned char *)typed; *s; s++) {
		unsigned char c = *s;
		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 'a' + 'A');
		/* What a person misreads on paper: O for zero, I and L for one. */
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (strchr(crockford, c) == NULL || n == DESK_CODE_LEN)
			return -1;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return n == DESK_CODE_LEN ? 0 : -1;
}

/* ------------------------------------------------------------ throttling */

/* Wrong codes and tokens are counted per pharmacist, as failed sign-ins
 * are (auth.throttle, account.c): a few go through, then each costs a
 * doubling wait. Not per address: the pharmacists of one pharmacy share
 * one, and one guessing must not lock out the others; a pharmacist is
 * signed in, so the count follows the person. A right code does not clear
 * the count, so guesses cannot be interleaved with real prescriptions. */
static const char *
key_user(struct req *r)
{
	return account_throttle_key(r, "rxdesk", r->user.id_text);
}

int
desk_throttle_wait(struct req *r)
{
	return account_throttle_wait(key_user(r), NULL);
}

void
desk_throttle_fail(struct req *r)
{
	account_throttle_count(r, key_user(r), r->cfg->throttle_free_failures);
}

int
desk_throttled(struct req *r, int secs)
{
	resp_add_header(r, "Retry-After", arena_printf(r->arena, "%d", secs < 1 ? 1 : secs));
	view_set(r->view, account_wait_text(r, secs), "Data.wait");
	audit_log(r, 0, "record.denied", "desk status=429");
	return desk_home_page(r, HTTP_TOO_MANY_REQUESTS);
}

/* ------------------------------------------------------------ the desk */

int
desk_home_page(struct req *r, int status)
{
	view_set_int(r->view, r->cfg->max_upload / (1024 * 1024), "Data.max_mb");
	return page_show(r, "rx.desk.title", "rx/desk.cs", status);
}

/* GET /desk */
int
desk_home(struct req *r)
{
	return desk_home_page(r, HTTP_OK);
}

/* A refused presentation at the desk itself (no prescription named): the
 * audit row, the count, the page with the field's message. */
static int
refuse_here(struct req *r, const char *field, const char *msg, const char *what, int status)
{
	desk_throttle_fail(r);
	audit_log(r, 0, "record.denied", arena_printf(r->arena, "desk %s status=%d", what, status));
	form_error(r, field, msg);
	return desk_home_page(r, status);
}

/* The desk page of a prescription presented with proof kind=value. */
static int
open_presented(struct req *r, const char *id, const char *kind, const char *value)
{
	return page_redirect(r, arena_printf(r->arena, "/desk/rx/%s?%s=%s", id, kind, value));
}

/* POST /desk/code: the short code typed from the paper. */
int
desk_code(struct req *r)
{
	char code[DESK_CODE_LEN + 1];
	const char *p[1] = { code };
	struct db_result *res;
	enum db_status st;
	int wait;

	if (form_validate(r, code_rules, sizeof(code_rules) / sizeof(code_rules[0])))
		return desk_home_page(r, HTTP_BAD_REQUEST);
	if ((wait = desk_throttle_wait(r)) < 0)
		return -wait;
	if (wait > 0)
		return desk_throttled(r, wait);
	/* Not the shape of a code: a typing slip, not a guess; not counted. */
	if (desk_code_normalise(form_value(r, "code"), code) == -1) {
		form_error(r, "code", "rx.desk.errors.code_shape");
		return desk_home_page(r, HTTP_BAD_REQUEST);
	}
	if ((st = db_query(&res, "rx_desk_by_code", 1, p)) != DB_OK)
		return db_http_status(st);
	if (db_rows(res) != 1)
		return refuse_here(r, "code", "rx.desk.errors.code_unknown", "code", HTTP_NOT_FOUND);
	return open_presented(r, db_value(res, 0, 0), "c", code);
}

/* ------------------------------------------------------------ photo */

/* The file part of the photo form, or NULL when none was chosen. */
static const struct field *
photo_part(const struct req *r)
{
	const struct field *f = fields_find(&r->form, "photo");

	return f != NULL && f->filename != NULL && f->value_len > 0 ? f : NULL;
}

/* The token in what a QR said: the verification URL ".../rx/v/TOKEN"
 * (what our QR codes hold) or a bare token. Upper-cased into the arena;
 * NULL when it holds none. */
static const char *
token_in(struct req *r, const char *text)
{
	const char *s = strstr(text, "/rx/v/");
	size_t n;
	char *t;

	s = s ? s + strlen("/rx/v/") : text;
	n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz234567");
	if (n < 20 || n > DESK_TOKEN_MAX || (s[n] != '\0' && strchr("?#/\r\n", s[n]) == NULL))
		return NULL;
	if ((t = arena_strndup(r->arena, s, n)) == NULL)
		return NULL;
	for (char *c = t; *c; c++)
		if (*c >= 'a' && *c <= 'z')
			*c = (char)(*c - 'a' + 'A');
	return t;
}

/* POST /desk/photo: a photo of the QR, decoded here (libzbar). A QR that
 * holds a token opens its prescription, where the token is checked like
 * one a phone camera opened. */
int
desk_photo(struct req *r)
{
	const struct field *f = photo_part(r);
	char text[QRSCAN_TEXT_MAX];
	const char *token;
	long long id;

	if (f == NULL) {
		form_error(r, "photo", "rx.desk.errors.no_photo");
		return desk_home_page(r, HTTP_BAD_REQUEST);
	}
	if ((long)f->value_len > r->cfg->max_upload) {
		form_error(r, "photo", "rx.desk.errors.photo_large");
		return desk_home_page(r, HTTP_PAYLOAD_TOO_LARGE);
	}
	switch (qrscan_decode((const unsigned char *)f->value, f->value_len, text, sizeof(text))) {
	case QRSCAN_OK:
		break;
	case QRSCAN_NOT_IMAGE:
		form_error(r, "photo", "rx.desk.errors.photo_type");
		return desk_home_page(r, HTTP_UNSUPPORTED_MEDIA_TYPE);
	case QRSCAN_TOO_LARGE:
		form_error(r, "photo", "rx.desk.errors.photo_large");
		return desk_home_page(r, HTTP_PAYLOAD_TOO_LARGE);
	case QRSCAN_NO_MEMORY:
		return HTTP_UNAVAILABLE;
	default:   /* undecodable, no code, a text too long for a prescription's */
		form_error(r, "photo", "rx.desk.errors.no_qr");
		return desk_home_page(r, HTTP_BAD_REQUEST);
	}
	if ((token = token_in(r, text)) == NULL || (id = desk_token_id(token)) <= 0) {
		form_error(r, "photo", "rx.desk.errors.not_rx");
		return desk_home_page(r, HTTP_BAD_REQUEST);
	}
	return open_presented(r, arena_printf(r->arena, "%lld", id), "t", token);
}

/* ------------------------------------------------------------ routes */

#define RX_ID "([0-9]{1,18})"
#define CAP "prescriptions.dispense"

const struct route desk_routes[] = {
	/* name             method       pattern                          handler        roles            csrf pre_mfa cap  record */
	{ "desk",           METHOD_GET,  "/desk",                         desk_home,     ROLE_PHARMACIST, 0,   0,      CAP, RECORD_NONE },
	{ "desk_code",      METHOD_POST, "/desk/code",                    desk_code,     ROLE_PHARMACIST, 1,   0,      CAP, RECORD_NONE },
	{ "desk_photo",     METHOD_POST, "/desk/photo",                   desk_photo,    ROLE_PHARMACIST, 1,   0,      CAP, RECORD_NONE },
	{ "desk_rx",        METHOD_GET,  "/desk/rx/" RX_ID,               desk_open,     ROLE_PHARMACIST, 0,   0,      CAP, RECORD_NONE },
	{ "desk_dispense",  METHOD_POST, "/desk/rx/" RX_ID "/dispense",   desk_dispense, ROLE_PHARMACIST, 1,   0,      CAP, RECORD_NONE },
};
const size_t desk_routes_n = sizeof(desk_routes) / sizeof(desk_routes[0]);
