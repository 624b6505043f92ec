/* account: what the account pages share: statement and transaction
 * helpers, the throttling of every form, e-mailed links and their tokens,
 * new passwords; and the feature's route table (docs/accounts.md).
 * Answers never tell whether an e-mail address has an account: unknown
 * addresses, wrong passwords and disabled accounts get the same page, and
 * take the same password-hashing time. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/account/account.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/json.h"
#include "core/outbox.h"
#include "core/request.h"
#include "core/token.h"
#include "core/validate.h"
#include "core/view.h"

/* ------------------------------------------------------------ helpers */

/* Run a statement whose rows do not matter: 0 or an HTTP status. */
int
account_run(const char *name, int n, const char *const *p)
{
	enum db_status st = db_run(name, n, p);

	return st == DB_OK ? 0 : db_http_status(st);
}

/* Run a statement that returns a row when it matched or changed
 * something: 1 for exactly one row, 0 otherwise, or a negative HTTP
 * status. */
int
account_one_row(const char *name, int n, const char *const *p)
{
	size_t rows;
	enum db_status st = db_run_rows(name, n, p, &rows);

	return st != DB_OK ? -db_http_status(st) : rows == 1;
}

/* The audit row of action about user uid, with "user:<uid>" as its
 * object (inside the caller's transaction, if any): 0 or
 * HTTP_INTERNAL_ERROR. */
int
account_audit_user(struct req *r, const char *uid, const char *action)
{
	return audit_log(r, atoll(uid), action, arena_printf(r->arena, "user:%s", uid)) == 0
	       ? 0 : HTTP_INTERNAL_ERROR;
}

/* The end of the caller's transaction: when st is 0 commit it (0, or 503
 * when the commit fails), otherwise roll it back and return st. */
int
account_tx_finish(int st)
{
	if (st != 0) {
		db_rollback();
		return st;
	}
	return db_commit() == DB_OK ? 0 : HTTP_UNAVAILABLE;
}

/* Anonymous forms carry the double-submit token; a session's forms its own. */
static int
account_set_csrf(struct req *r)
{
	const char *t = csrf_token(r);

	if (t == NULL)
		return HTTP_INTERNAL_ERROR;
	view_set(r->view, t, "Page.csrf");
	return 0;
}

/* A page of this feature with a form: page_show() with the CSRF token the
 * form carries. */
int
account_form_page(struct req *r, const char *title_key, const char *tmpl, int status)
{
	int st;

	if ((st = account_set_csrf(r)) != 0)
		return st;
	return page_show(r, title_key, tmpl, status);
}

/* The redirect target after signing in: a local path, else "/". */
const char *
account_safe_next(const char *next)
{
	return req_is_local_path(next) ? next : "/";
}

/* The page to go to after signing in, kept in the form (Form.next) when
 * it is a local path other than "/". */
void
account_keep_next(struct req *r, const char *next)
{
	if (req_is_local_path(next) && strcmp(next, "/") != 0)
		view_set(r->view, next, "Form.next");
}

/* "PATH" or "PATH?next=..." when next is a local path other than "/";
 * NULL when the arena is exhausted. */
const char *
account_with_next(struct req *r, const char *path, const char *next)
{
	const char *enc;

	if (!req_is_local_path(next) || strcmp(next, "/") == 0)
		return path;
	enc = form_url_encode(r->arena, next);
	return enc ? arena_printf(r->arena, "%s?next=%s", path, enc) : NULL;
}

enum { AC_ID, AC_HASH, AC_NAME, AC_EMAIL, AC_LANG, AC_VERIFIED, AC_DISABLED, AC_TOTP,
       AC_TOTP_SECRET, AC_TOTP_STEP };

/* Look an account up by e-mail (by_id NULL) or id. 0 with a->id = 0 when
 * there is none, or an HTTP status. */
int
account_load(struct req *r, const char *email, const char *by_id, struct account *a)
{
	struct db_result *res;
	const char *p[1] = { by_id ? by_id : email };
	enum db_status st;

	memset(a, 0, sizeof(*a));
	st = db_query(&res, by_id ? "account_user_by_id" : "account_user_by_email", 1, p);
	if (st != DB_OK)
		return db_http_status(st);
	if (db_rows(res) == 1) {
		a->id = atoll(db_value(res, 0, AC_ID));
		snprintf(a->id_text, sizeof(a->id_text), "%lld", a->id);
		a->hash = arena_strdup(r->arena, db_value(res, 0, AC_HASH));
		a->name = arena_strdup(r->arena, db_value(res, 0, AC_NAME));
		a->email = arena_strdup(r->arena, db_value(res, 0, AC_EMAIL));
		a->lang = arena_strdup(r->arena, db_value(res, 0, AC_LANG));
		a->verified = db_value(res, 0, AC_VERIFIED)[0] == 't';
		a->disabled = db_value(res, 0, AC_DISABLED)[0] == 't';
		a->totp = db_value(res, 0, AC_TOTP)[0] == 't';
		if (by_id) {
			a->totp_secret = arena_strdup(r->arena, db_value(res, 0, AC_TOTP_SECRET));
			a->totp_last_step = strtoull(db_value(res, 0, AC_TOTP_STEP), NULL, 10);
		}
		if (!a->hash || !a->name || !a->email || !a->lang || (by_id && !a->totp_secret))
			return HTTP_INTERNAL_ERROR;
	}
	return 0;
}

/* ------------------------------------------------------------ throttling */

/* Seconds until key1 and key2 are both free again (0: go ahead), or a
 * negative HTTP status. */
int
account_throttle_wait(const char *key1, const char *key2)
{
	struct db_result *res;
	const char *p[2] = { key1, key2 ? key2 : key1 };
	enum db_status st = db_query(&res, "account_throttle_wait", 2, p);
	int secs;

	if (st != DB_OK)
		return -db_http_status(st);
	secs = db_rows(res) == 1 ? atoi(db_value(res, 0, 0)) : 0;
	return secs > 0 ? secs : 0;
}

/* Count one failure (or one counted request) for key; free: how many go
 * through before the delays start. */
void
account_throttle_count(struct req *r, const char *key, int free_count)
{
	char f[16], w[16], cap[16];
	const char *p[4] = { key, f, w, cap };

	snprintf(f, sizeof(f), "%d", free_count);
	snprintf(w, sizeof(w), "%d", r->cfg->throttle_window);
	snprintf(cap, sizeof(cap), "%d", THROTTLE_CAP);
	(void)account_run("account_throttle_fail", 4, p);
	if (rand() % SWEEP_ONE_IN == 0) {
		const char *q[1] = { w };
		(void)account_run("account_throttle_sweep", 1, q);
	}
}

void
account_throttle_clear(const char *key)
{
	const char *p[1] = { key };

	(void)account_run("account_throttle_clear", 1, p);
}

/* "30 seconds" / "3 minutes" in the visitor's language (never below 1 s). */
const char *
account_wait_text(struct req *r, int secs)
{
	const char *amount;

	if (secs < 1)
		secs = 1;
	if (secs < 120)
		amount = arena_printf(r->arena, "%d %s", secs,
		                      view_lang(r->view, secs == 1 ? "account.unit.second" : "account.unit.seconds"));
	else
		amount = arena_printf(r->arena, "%d %s", (secs + 59) / 60,
		                      view_lang(r->view, "account.unit.minutes"));
	return amount ? amount : "";
}

/* The 429 page: when to try again, in the visitor's language. */
int
account_throttled(struct req *r, int secs)
{
	resp_add_header(r, "Retry-After", arena_printf(r->arena, "%d", secs < 1 ? 1 : secs));
	view_set(r->view, account_wait_text(r, secs), "Data.wait");
	return page_show(r, "account.throttled.title", "account/throttled.cs", HTTP_TOO_MANY);
}

const char *
account_throttle_key(struct req *r, const char *prefix, const char *value)
{
	return arena_printf(r->arena, "%s:%s", prefix, value ? value : "");
}

/* ------------------------------------------------------ tokens and mail */

/* Make a fresh e-mailed token for user uid: raw goes into the link, only its
 * hash is stored. 0 or an HTTP status. */
int
account_link_token(const char *uid, const char *purpose, int ttl, char raw[2 * LINK_TOKEN_BYTES + 1])
{
	char hash[67], secs[16];
	const char *p[4] = { uid, purpose, hash, secs };

	if (token_random_hex(raw, LINK_TOKEN_BYTES) == -1)
		return HTTP_UNAVAILABLE;
	token_sha256_bytea(raw, hash);
	snprintf(secs, sizeof(secs), "%d", ttl);
	return account_run("account_token_create", 4, p);
}

/* Queue a mail with a one-time link (path + token). 0 or an HTTP status. */
int
account_mail_link(struct req *r, const char *to, const char *lang, const char *tmpl,
		  const char *path, const char *token, int ttl)
{
	const char *link = arena_printf(r->arena, "%s?token=%s", path, token);
	const char *mins = arena_printf(r->arena, "%d", ttl / 60);
	const char *params = link && mins
	                     ? json_object(r->arena, "link_path", link, "minutes", mins, NULL)
	                     : NULL;

	if (params == NULL)
		return HTTP_INTERNAL_ERROR;
	return outbox_mail(to, lang, tmpl, params, 1) == 0 ? 0 : HTTP_INTERNAL_ERROR;
}

/* Token, verification mail: inside the caller's transaction. */
int
account_send_verification(struct req *r, const char *uid, const char *email, const char *lang)
{
	char raw[2 * LINK_TOKEN_BYTES + 1];
	int st;

	if ((st = account_link_token(uid, "verify_email", VERIFY_TTL, raw)) != 0)
		return st;
	return account_mail_link(r, email, lang, "verify_email", "/verify", raw, VERIFY_TTL);
}

/* May the account get another verification mail now (one a minute)? 1
 * yes, 0 not yet, or a negative HTTP status. */
int
account_resend_allowed(struct req *r, const char *uid)
{
	char secs[16];
	const char *p[2] = { account_throttle_key(r, "vrf", uid), secs };

	snprintf(secs, sizeof(secs), "%d", RESEND_INTERVAL);
	return account_one_row("account_limit_once", 2, p);
}

/* ------------------------------------------------------ passwords */

/* Hash pw for storing; 0 or an HTTP status (503 when no slot came free). */
int
account_hash_password(const char *pw, char out[PASSWORD_HASH_MAX])
{
	int rc;

	if (hashlimit_acquire(HASH_WAIT_MS) == -1)
		return HTTP_UNAVAILABLE;
	rc = password_hash(pw, &password_params_default, out, PASSWORD_HASH_MAX);
	hashlimit_release();
	return rc == 0 ? 0 : HTTP_INTERNAL_ERROR;
}

/* The new-password fields: policy and confirmation. Counts as form errors. */
void
account_check_password(struct req *r, const char *email, const char *name)
{
	const char *pw = form_value(r, "password");
	const char *again = fields_get(&r->form, "password_confirm");
	enum password_problem pp;
	char key[64];

	if (pw == NULL)
		return;   /* already marked (required, too long...) */
	if ((pp = password_check(pw, email, name)) != PASSWORD_OK) {
		snprintf(key, sizeof(key), "account.password.%s", password_problem_key(pp));
		form_error(r, "password", key);
		return;
	}
	if (again == NULL || strcmp(pw, again) != 0)
		form_error(r, "password_confirm", "account.password.mismatch");
}

enum { TK_ID, TK_USER, TK_USED, TK_EXPIRED, TK_DISABLED, TK_NAME, TK_EMAIL, TK_LANG };

/* Find the token of a link. 0 and l filled; HTTP_BAD_REQUEST (malformed or
 * unknown) or HTTP_GONE (used, expired, account disabled): the caller shows
 * the one "link not valid" page; or another HTTP status. */
int
account_link_lookup(struct req *r, const char *token, const char *purpose, struct link *l)
{
	char hash[67];
	const char *p[2] = { hash, purpose };
	struct db_result *res;
	enum db_status st;
	int rc = 0;

	memset(l, 0, sizeof(*l));
	if (!is_hex_token(token, 2 * LINK_TOKEN_BYTES))
		return HTTP_BAD_REQUEST;
	token_sha256_bytea(token, hash);
	if ((st = db_query(&res, "account_token_lookup", 2, p)) != DB_OK)
		return db_http_status(st);
	if (db_rows(res) != 1)
		rc = HTTP_BAD_REQUEST;
	else if (db_value(res, 0, TK_USED)[0] == 't' || db_value(res, 0, TK_EXPIRED)[0] == 't' ||
	         db_value(res, 0, TK_DISABLED)[0] == 't')
		rc = HTTP_GONE;
	else {
		snprintf(l->id, sizeof(l->id), "%s", db_value(res, 0, TK_ID));
		snprintf(l->user, sizeof(l->user), "%s", db_value(res, 0, TK_USER));
		l->user_id = atoll(l->user);
		l->name = arena_strdup(r->arena, db_value(res, 0, TK_NAME));
		l->email = arena_strdup(r->arena, db_value(res, 0, TK_EMAIL));
		l->lang = arena_strdup(r->arena, db_value(res, 0, TK_LANG));
		if (!l->name || !l->email || !l->lang)
			rc = HTTP_INTERNAL_ERROR;
	}
	return rc;
}

/* Consume the token: 0, HTTP_GONE when another request used it first. */
int
account_link_use(const struct link *l)
{
	struct db_result *res;
	const char *p[1] = { l->id };
	enum db_status st = db_query(&res, "account_token_use", 1, p);

	if (st != DB_OK)
		return db_http_status(st);
	return db_rows(res) == 1 ? 0 : HTTP_GONE;
}

/* The one page for every bad link: the same words whatever went wrong. */
int
account_link_invalid(struct req *r, int status, const char *kind)
{
	if (status != HTTP_BAD_REQUEST && status != HTTP_GONE)
		return status;
	view_set(r->view, kind, "Data.kind");
	return page_show(r, "account.link_invalid.title", "account/link_invalid.cs", status);
}

/* ============================================================ routes */

const struct route account_routes[] = {
	/* name               method       pattern             handler                     roles           csrf pre_mfa */
	{ "register",         METHOD_GET,  "/register",        account_register_get,       ROLE_EVERYONE,  0,   1, NULL, RECORD_NONE },
	{ "register_post",    METHOD_POST, "/register",        account_register_post,      ROLE_EVERYONE,  1,   1, NULL, RECORD_NONE },
	{ "register_sent",    METHOD_GET,  "/register/sent",   account_register_sent,      ROLE_EVERYONE,  0,   1, NULL, RECORD_NONE },
	{ "verify",           METHOD_GET,  "/verify",          account_verify,             ROLE_EVERYONE,  0,   1, NULL, RECORD_NONE },
	{ "verify_resend",    METHOD_GET,  "/verify/resend",   account_verify_resend_get,  ROLE_SIGNED_IN, 0,   1, NULL, RECORD_NONE },
	{ "verify_resend_post", METHOD_POST, "/verify/resend", account_verify_resend_post, ROLE_SIGNED_IN, 1,   1, NULL, RECORD_NONE },
	{ "login",            METHOD_GET,  "/login",           account_login_get,          ROLE_EVERYONE,  0,   1, NULL, RECORD_NONE },
	{ "login_post",       METHOD_POST, "/login",           account_login_post,         ROLE_EVERYONE,  1,   1, NULL, RECORD_NONE },
	{ "login_2fa",        METHOD_GET,  "/login/2fa",       account_mfa_get,            ROLE_EVERYONE,  0,   1, NULL, RECORD_NONE },
	{ "login_2fa_post",   METHOD_POST, "/login/2fa",       account_mfa_post,           ROLE_EVERYONE,  1,   1, NULL, RECORD_NONE },
	/* Everyone: a session waiting for its second factor holds no role yet
	 * and must be able to cancel. */
	{ "logout",           METHOD_POST, "/logout",          account_logout,             ROLE_EVERYONE,  1,   1, NULL, RECORD_NONE },
	{ "password_forgot",  METHOD_GET,  "/password/forgot", account_forgot_get,         ROLE_EVERYONE,  0,   1, NULL, RECORD_NONE },
	{ "password_forgot_post", METHOD_POST, "/password/forgot", account_forgot_post,    ROLE_EVERYONE,  1,   1, NULL, RECORD_NONE },
	{ "password_reset",   METHOD_GET,  "/password/reset",  account_reset_get,          ROLE_EVERYONE,  0,   1, NULL, RECORD_NONE },
	{ "password_reset_post", METHOD_POST, "/password/reset", account_reset_post,       ROLE_EVERYONE,  1,   1, NULL, RECORD_NONE },
};
const size_t account_routes_n = sizeof(account_routes) / sizeof(account_routes[0]);
