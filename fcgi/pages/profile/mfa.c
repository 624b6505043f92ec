/* mfa: the second factor: TOTP enrollment with a server-side QR code,
 * recovery codes, turning it off. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/profile/profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/request.h"
#include "core/token.h"
#include "core/validate.h"
#include "core/view.h"
#include "lib/qrsvg.h"
#include "lib/totp.h"

/* ------------------------------------------------------------ second factor */

struct totp_state {
	char secret[80];     /* base32; "" when none */
	int enabled;
	unsigned long long last_step;
};

static int
load_totp(struct req *r, struct totp_state *t)
{
	struct db_result *res = NULL;
	const char *p[1] = { r->user.id_text };
	int st;

	memset(t, 0, sizeof(*t));
	if ((st = page_query_row(&res, "profile_totp_get", 1, p)) != 0)
		return st;
	snprintf(t->secret, sizeof(t->secret), "%s", db_value(res, 0, 0));
	t->enabled = db_value(res, 0, 1)[0] == 't';
	t->last_step = strtoull(db_value(res, 0, 2), NULL, 10);
	return 0;
}

/* A pending secret for enrollment: the one already stored (so that a
 * reload keeps the code the user may have scanned) or a new one. */
static int
pending_secret(struct req *r, struct totp_state *t)
{
	unsigned char key[TOTP_SECRET_BYTES];
	char b32[64];
	const char *p[2] = { r->user.id_text, b32 };
	enum db_status st;
	int rc;

	if (t->secret[0])
		return 0;
	if (token_random_bytes(key, sizeof(key)) == -1)
		return HTTP_UNAVAILABLE;
	base32_encode(key, sizeof(key), b32);
	memset(key, 0, sizeof(key));
	if ((st = db_run("profile_totp_set_pending", 2, p)) != DB_OK)
		return db_http_status(st);
	/* Read back: another tab may have stored its own a moment ago. */
	if ((rc = load_totp(r, t)) != 0)
		return rc;
	return t->secret[0] ? 0 : HTTP_INTERNAL_ERROR;
}

/* The enrollment page: QR code (inline SVG made here, no outside
 * service) and the secret in groups of four. */
static int
show_enroll(struct req *r, const struct totp_state *t)
{
	char uri[600], groups[100];
	char *svg;
	size_t o = 0;

	if (totp_uri(uri, sizeof(uri), ISSUER, r->user.email, t->secret) < 0)
		return HTTP_INTERNAL_ERROR;
	if ((svg = qrsvg_make(uri, QR_MODULE, view_lang(r->view, "profile.mfa.qr_label"))) == NULL)
		return HTTP_INTERNAL_ERROR;
	view_set(r->view, svg, "Data.qr_svg");
	free(svg);
	for (size_t i = 0; t->secret[i] && o + 2 < sizeof(groups); i++) {
		if (i && i % 4 == 0)
			groups[o++] = ' ';
		groups[o++] = t->secret[i];
	}
	groups[o] = '\0';
	view_set(r->view, groups, "Data.secret");
	view_set(r->view, "0", "Data.mfa_enabled");
	return page_show(r, "profile.mfa.title", "profile/mfa.cs", HTTP_OK);
}

static int
is_staff(const struct req *r)
{
	return (r->roles & ROLE_STAFF) != 0;
}

int
profile_mfa(struct req *r)
{
	static const char *const done[] = { "disabled", NULL };
	struct totp_state t;
	int st;

	if ((st = load_totp(r, &t)) != 0)
		return st;
	profile_show_done(r, done);
	if (is_staff(r))
		view_set(r->view, "1", "Data.staff");
	if (t.enabled) {
		if ((st = profile_load(r, 0, NULL, 0)) != 0)
			return st;
		return page_show(r, "profile.mfa.title", "profile/mfa.cs", HTTP_OK);
	}
	if (!r->session.recent_auth)
		return profile_ask_reauth(r, "/account/2fa");
	if ((st = pending_secret(r, &t)) != 0)
		return st;
	return show_enroll(r, &t);
}

/* New recovery codes replace the old ones (in the caller's transaction);
 * the codes are put on the page once, only their hashes are stored. */
static int
new_recovery_codes(struct req *r)
{
	char codes[RECOVERY_CODES][15], hash[67];
	char hexes[RECOVERY_CODES * 65];
	const char *p[2] = { r->user.id_text, hexes };
	enum db_status st;
	size_t o = 0;

	for (int i = 0; i < RECOVERY_CODES; i++) {
		if (token_recovery_code(codes[i]) == -1)
			return -1;
		token_sha256_bytea(codes[i], hash);     /* "\\x" + 64 hex */
		o += (size_t)snprintf(hexes + o, sizeof(hexes) - o, "%s%s", i ? "," : "", hash + 2);
	}
	if ((st = db_run("profile_recovery_clear", 1, p)) != DB_OK ||
	    (st = db_run("profile_recovery_add", 2, p)) != DB_OK)
		return -1;
	for (int i = 0; i < RECOVERY_CODES; i++)
		view_set(r->view, codes[i], "Data.codes.%d", i);
	return 0;
}

/* The page that shows new recovery codes; the session's token changed,
 * so forms on it carry the new CSRF token. */
static int
show_codes(struct req *r, const char *why)
{
	view_set(r->view, r->session.csrf, "Page.csrf");
	view_set(r->view, why, "Data.why");
	return page_show(r, "profile.codes.title", "profile/codes.cs", HTTP_OK);
}

static const struct field_rule code_rules[] = {
	{ "code", FIELD_DIGITS, 1, TOTP_DIGITS, TOTP_DIGITS, NULL },
};

int
profile_mfa_confirm(struct req *r)
{
	unsigned char key[TOTP_SECRET_BYTES * 2];
	uint64_t step = 0;
	struct totp_state t;
	char stepbuf[24];
	long keylen;
	enum db_status st;
	int rc, ok;

	if ((rc = load_totp(r, &t)) != 0)
		return rc;
	if (t.enabled || !t.secret[0])
		return page_redirect(r, "/account/2fa");
	if (!r->session.recent_auth)
		return profile_ask_reauth(r, "/account/2fa");
	if (is_staff(r))
		view_set(r->view, "1", "Data.staff");
	if (form_validate(r, code_rules, 1) != 0)
		return show_enroll(r, &t);
	if ((keylen = base32_decode(t.secret, key, sizeof(key))) <= 0)
		return HTTP_INTERNAL_ERROR;
	ok = totp_verify(key, (size_t)keylen, form_value(r, "code"), (uint64_t)time(NULL),
	                 TOTP_WINDOW, t.last_step, &step);
	memset(key, 0, sizeof(key));
	if (!ok) {
		audit_log(r, r->user.id, "auth.mfa_setup_failed", arena_printf(r->arena, "user:%s", r->user.id_text));
		form_error(r, "code", "profile.mfa.wrong_code");
		return show_enroll(r, &t);
	}
	snprintf(stepbuf, sizeof(stepbuf), "%llu", (unsigned long long)step);
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	{
		const char *p[3] = { r->user.id_text, t.secret, stepbuf };
		struct db_result *res = NULL;
		if ((st = db_query(&res, "profile_totp_enable", 3, p)) != DB_OK)
			return page_tx_fail(st);
		ok = db_changed(res) == 1;
		if (!ok) {   /* enabled meanwhile in another tab */
			db_rollback();
			return page_redirect(r, "/account/2fa");
		}
	}
	if (new_recovery_codes(r) == -1 ||
	    audit_log(r, r->user.id, "auth.mfa_enabled", arena_printf(r->arena, "user:%s", r->user.id_text)) == -1)
		return page_tx_fail(DB_ERROR);
	if ((rc = profile_tx_rotate_commit(r)) != 0)
		return rc;
	r->user.totp_enabled = 1;
	return show_codes(r, "enabled");
}

/* The start of a change to the enabled second factor (disabling it, new
 * recovery codes): 0 with a transaction open; otherwise the answer: back
 * to /account/2fa when none is enabled, to re-authentication when the
 * password is not fresh, or an error status. */
static int
begin_mfa_change(struct req *r)
{
	struct totp_state t;
	enum db_status st;
	int rc;

	if ((rc = load_totp(r, &t)) != 0)
		return rc;
	if (!t.enabled)
		return page_redirect(r, "/account/2fa");
	if (!r->session.recent_auth)
		return profile_ask_reauth(r, "/account/2fa");
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	return 0;
}

int
profile_mfa_disable(struct req *r)
{
	enum db_status st;
	int rc;

	if (is_staff(r)) {
		/* Staff must keep their second factor. */
		audit_log(r, r->user.id, "access.denied", "mfa_disable");
		return HTTP_FORBIDDEN;
	}
	if ((rc = begin_mfa_change(r)) != 0)
		return rc;
	{
		const char *p[1] = { r->user.id_text };
		if ((st = db_run("profile_totp_disable", 1, p)) != DB_OK ||
		    (st = db_run("profile_recovery_clear", 1, p)) != DB_OK)
			return page_tx_fail(st);
	}
	if (audit_log(r, r->user.id, "auth.mfa_disabled", arena_printf(r->arena, "user:%s", r->user.id_text)) == -1)
		return page_tx_fail(DB_ERROR);
	return profile_tx_commit_redirect(r, "/account/2fa?done=disabled");
}

int
profile_mfa_codes(struct req *r)
{
	enum db_status st;
	int rc;

	if ((rc = begin_mfa_change(r)) != 0)
		return rc;
	if (new_recovery_codes(r) == -1 ||
	    audit_log(r, r->user.id, "auth.recovery_codes_renewed", arena_printf(r->arena, "user:%s", r->user.id_text)) == -1)
		return page_tx_fail(DB_ERROR);
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return show_codes(r, "renewed");
}
