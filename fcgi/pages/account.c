/* account: registration, e-mail verification, sign-in with a second
 * factor, sign-out, password recovery, and the throttling of all of them
 * (docs/accounts.md). Answers never tell whether an e-mail address has an
 * account: unknown addresses, wrong passwords and disabled accounts get the
 * same page, and take the same password-hashing time. */
#include "pages.h"
#include "page.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"
#include "core/fields.h"
#include "core/json.h"
#include "core/outbox.h"
#include "core/password.h"
#include "core/request.h"
#include "core/session.h"
#include "core/token.h"
#include "core/validate.h"
#include "core/view.h"
#include "lib/totp.h"

#define HTTP_GONE 410
#define HTTP_TOO_MANY 429

#define LINK_TOKEN_BYTES 32          /* 256-bit e-mailed tokens */
#define VERIFY_TTL (24 * 3600)       /* seconds a verification link lives */
#define RESET_TTL (30 * 60)          /* seconds a reset link lives */
#define RESEND_INTERVAL 60           /* one verification mail a minute per account */
#define THROTTLE_CAP (15 * 60)       /* longest block, seconds */
#define REGISTER_FACTOR 4            /* registrations per window per address:
                                      * this many times the free failures */
#define HASH_WAIT_MS 5000            /* wait for a free hashing slot */
#define SWEEP_ONE_IN 32              /* forget old throttle keys now and then */

static const char *const languages[] = { "es", "en", NULL };

/* ------------------------------------------------------------ helpers */

/* Run a statement whose rows do not matter: 0 or an HTTP status. */
static int
run_http(const char *name, int n, const char *const *p)
{
	enum db_status st = db_run(name, n, p);

	return st == DB_OK ? 0 : db_http_status(st);
}

/* Run a statement that returns a row when it matched or changed
 * something: 1 for exactly one row, 0 otherwise, or a negative HTTP
 * status. */
static int
one_row(const char *name, int n, const char *const *p)
{
	size_t rows;
	enum db_status st = db_run_rows(name, n, p, &rows);

	return st != DB_OK ? -db_http_status(st) : rows == 1;
}

/* The audit row of action about user uid, with "user:<uid>" as its
 * object (inside the caller's transaction, if any): 0 or
 * HTTP_INTERNAL_ERROR. */
static int
audit_user(struct req *r, const char *uid, const char *action)
{
	return audit_log(r, atoll(uid), action, arena_printf(r->arena, "user:%s", uid)) == 0
	       ? 0 : HTTP_INTERNAL_ERROR;
}

/* The end of the caller's transaction: when st is 0 commit it (0, or 503
 * when the commit fails), otherwise roll it back and return st. */
static int
tx_finish(int st)
{
	if (st != 0) {
		db_rollback();
		return st;
	}
	return db_commit() == DB_OK ? 0 : HTTP_UNAVAILABLE;
}

/* Anonymous forms carry the double-submit token; a session's forms its own. */
static int
set_csrf(struct req *r)
{
	const char *t = csrf_token(r);

	if (t == NULL)
		return HTTP_INTERNAL_ERROR;
	view_set(r->view, t, "Page.csrf");
	return 0;
}

/* A page of this feature with a form: page_show() with the CSRF token the
 * form carries. */
static int
form_page(struct req *r, const char *title_key, const char *tmpl, int status)
{
	int st;

	if ((st = set_csrf(r)) != 0)
		return st;
	return page_show(r, title_key, tmpl, status);
}

/* The redirect target after signing in: a local path, else "/". */
static const char *
safe_next(const char *next)
{
	return req_is_local_path(next) ? next : "/";
}

/* The page to go to after signing in, kept in the form (Form.next) when
 * it is a local path other than "/". */
static void
keep_next(struct req *r, const char *next)
{
	if (req_is_local_path(next) && strcmp(next, "/") != 0)
		view_set(r->view, next, "Form.next");
}

/* "PATH" or "PATH?next=..." when next is a local path other than "/";
 * NULL when the arena is exhausted. */
static const char *
with_next(struct req *r, const char *path, const char *next)
{
	const char *enc;

	if (!req_is_local_path(next) || strcmp(next, "/") == 0)
		return path;
	enc = form_url_encode(r->arena, next);
	return enc ? arena_printf(r->arena, "%s?next=%s", path, enc) : NULL;
}

/* An account as the sign-in and recovery pages need it. */
struct account {
	long long id;
	char id_text[24];
	const char *hash, *name, *email, *lang, *totp_secret;
	int verified, disabled, totp;
	uint64_t totp_last_step;
};

enum { AC_ID, AC_HASH, AC_NAME, AC_EMAIL, AC_LANG, AC_VERIFIED, AC_DISABLED, AC_TOTP,
       AC_TOTP_SECRET, AC_TOTP_STEP };

/* Look an account up by e-mail (by_id NULL) or id. 0 with a->id = 0 when
 * there is none, or an HTTP status. */
static int
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
static int
throttle_wait(const char *key1, const char *key2)
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
static void
throttle_count(struct req *r, const char *key, int free_count)
{
	char f[16], w[16], cap[16];
	const char *p[4] = { key, f, w, cap };

	snprintf(f, sizeof(f), "%d", free_count);
	snprintf(w, sizeof(w), "%d", r->cfg->throttle_window);
	snprintf(cap, sizeof(cap), "%d", THROTTLE_CAP);
	(void)run_http("account_throttle_fail", 4, p);
	if (rand() % SWEEP_ONE_IN == 0) {
		const char *q[1] = { w };
		(void)run_http("account_throttle_sweep", 1, q);
	}
}

static void
throttle_clear(const char *key)
{
	const char *p[1] = { key };

	(void)run_http("account_throttle_clear", 1, p);
}

/* The 429 page: when to try again, in the visitor's language. */
static int
throttled(struct req *r, int secs)
{
	const char *amount;

	if (secs < 1)
		secs = 1;
	resp_add_header(r, "Retry-After", arena_printf(r->arena, "%d", secs));
	if (secs < 120)
		amount = arena_printf(r->arena, "%d %s", secs,
		                      view_lang(r->view, secs == 1 ? "account.unit.second" : "account.unit.seconds"));
	else
		amount = arena_printf(r->arena, "%d %s", (secs + 59) / 60,
		                      view_lang(r->view, "account.unit.minutes"));
	view_set(r->view, amount ? amount : "", "Data.wait");
	return page_show(r, "account.throttled.title", "account/throttled.cs", HTTP_TOO_MANY);
}

static const char *
key_of(struct req *r, const char *prefix, const char *value)
{
	return arena_printf(r->arena, "%s:%s", prefix, value ? value : "");
}

/* ------------------------------------------------------ tokens and mail */

/* Make a fresh e-mailed token for user uid: raw goes into the link, only its
 * hash is stored. 0 or an HTTP status. */
static int
link_token(const char *uid, const char *purpose, int ttl, char raw[2 * LINK_TOKEN_BYTES + 1])
{
	char hash[67], secs[16];
	const char *p[4] = { uid, purpose, hash, secs };

	if (token_random_hex(raw, LINK_TOKEN_BYTES) == -1)
		return HTTP_UNAVAILABLE;
	token_sha256_bytea(raw, hash);
	snprintf(secs, sizeof(secs), "%d", ttl);
	return run_http("account_token_create", 4, p);
}

/* Queue a mail with a one-time link (path + token). 0 or an HTTP status. */
static int
mail_link(struct req *r, const char *to, const char *lang, const char *tmpl,
          const char *name, const char *path, const char *token, int ttl)
{
	const char *link = arena_printf(r->arena, "%s?token=%s", path, token);
	const char *mins = arena_printf(r->arena, "%d", ttl / 60);
	const char *params = link && mins
	                     ? json_object(r->arena, "name", name, "link_path", link, "minutes", mins, NULL)
	                     : NULL;

	if (params == NULL)
		return HTTP_INTERNAL_ERROR;
	return outbox_mail(to, lang, tmpl, params, 1) == 0 ? 0 : HTTP_INTERNAL_ERROR;
}

/* Token, verification mail: inside the caller's transaction. */
static int
send_verification(struct req *r, const char *uid, const char *email, const char *lang,
                  const char *name)
{
	char raw[2 * LINK_TOKEN_BYTES + 1];
	int st;

	if ((st = link_token(uid, "verify_email", VERIFY_TTL, raw)) != 0)
		return st;
	return mail_link(r, email, lang, "verify_email", name, "/verify", raw, VERIFY_TTL);
}

/* May the account get another verification mail now (one a minute)? 1
 * yes, 0 not yet, or a negative HTTP status. */
static int
resend_allowed(struct req *r, const char *uid)
{
	char secs[16];
	const char *p[2] = { key_of(r, "vrf", uid), secs };

	snprintf(secs, sizeof(secs), "%d", RESEND_INTERVAL);
	return one_row("account_limit_once", 2, p);
}

/* ------------------------------------------------------ passwords */

/* Hash pw for storing; 0 or an HTTP status (503 when no slot came free). */
static int
hash_new_password(const char *pw, char out[PASSWORD_HASH_MAX])
{
	int rc;

	if (hashlimit_acquire(HASH_WAIT_MS) == -1)
		return HTTP_UNAVAILABLE;
	rc = password_hash(pw, &password_params_default, out, PASSWORD_HASH_MAX);
	hashlimit_release();
	return rc == 0 ? 0 : HTTP_INTERNAL_ERROR;
}

/* The new-password fields: policy and confirmation. Counts as form errors. */
static void
check_new_password(struct req *r, const char *email, const char *name)
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

/* ============================================================ register */

static const struct field_rule register_rules[] = {
	{ "full_name", FIELD_TEXT, 1, 1, 200, NULL },
	{ "birth_date", FIELD_DATE, 1, 10, 10, NULL },
	{ "email", FIELD_EMAIL, 1, 3, 254, NULL },
	{ "phone", FIELD_PHONE, 0, 0, 50, NULL },
	{ "password", FIELD_PASSWORD, 1, 0, PASSWORD_MAX_BYTES, NULL },
	{ "password_confirm", FIELD_PASSWORD, 1, 0, PASSWORD_MAX_BYTES, NULL },
	{ "language", FIELD_CHOICE, 1, 0, 2, languages },
};

static int
register_form(struct req *r, int status)
{
	return form_page(r, "account.register.title", "account/register.cs", status);
}

static int
page_register_get(struct req *r)
{
	if (r->user.id && !r->session.mfa_pending)
		return page_redirect(r, "/");
	view_set(r->view, r->lang, "Form.language");
	return register_form(r, HTTP_OK);
}

/* Printable ASCII only: what every mail server takes (docs/events.md). */
static int
plain_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

/* Today's date (UTC) as YYYY-MM-DD. */
static void
today(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* The address already has an account: nothing on the page says so. An
 * unverified account gets a fresh verification link (at most one a minute),
 * so that someone who lost the first mail can simply register again; a
 * verified one gets nothing (docs/accounts.md). */
static int
register_existing(struct req *r, const struct account *a)
{
	int ok;

	(void)audit_user(r, a->id_text, "auth.register_existing");
	if (a->verified || a->disabled)
		return 0;
	if ((ok = resend_allowed(r, a->id_text)) <= 0)
		return ok < 0 ? -ok : 0;
	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	return tx_finish(send_verification(r, a->id_text, a->email, a->lang, a->name));
}

/* A new patient account, its role, its verification link and mail, and
 * the audit row: all or nothing. DB_CONFLICT when the e-mail was taken
 * meanwhile (reported as 1). */
static int
register_new(struct req *r, const char *hash)
{
	const char *email = form_value(r, "email"), *name = form_value(r, "full_name");
	const char *lang = form_value(r, "language"), *phone = form_value(r, "phone");
	const char *p[6] = { email, name, form_value(r, "birth_date"), phone ? phone : "", lang, hash };
	struct db_result *res;
	enum db_status dst;
	char uid[24];
	int st;

	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	if ((dst = db_query(&res, "account_create_user", 6, p)) != DB_OK) {
		db_rollback();
		return dst == DB_CONFLICT ? 1 : db_http_status(dst);
	}
	snprintf(uid, sizeof(uid), "%s", db_value(res, 0, 0));
	{
		const char *q[1] = { uid };
		if ((st = run_http("account_add_patient_role", 1, q)) != 0)
			goto out;
	}
	if ((st = send_verification(r, uid, email, lang, name)) != 0)
		goto out;
	st = audit_user(r, uid, "auth.registered");
out:
	return tx_finish(st);
}

static int
page_register_post(struct req *r)
{
	const char *email, *name, *birth, *addr_key;
	char hash[PASSWORD_HASH_MAX], day[11];
	struct account a;
	int st, wait;

	if (r->user.id && !r->session.mfa_pending)
		return page_redirect(r, "/");
	form_validate(r, register_rules, sizeof(register_rules) / sizeof(register_rules[0]));
	email = form_value(r, "email");
	name = form_value(r, "full_name");
	if (email && !plain_ascii(email)) {
		form_error(r, "email", "account.register.email_ascii");
		email = NULL;
	}
	if ((birth = form_value(r, "birth_date")) != NULL) {
		today(day);
		if (strcmp(birth, day) > 0 || strcmp(birth, "1900-01-01") <= 0)
			form_error(r, "birth_date", "account.register.birth_date_range");
	}
	check_new_password(r, email, name);
	if (r->form_errors)
		return register_form(r, HTTP_OK);

	addr_key = key_of(r, "reg", r->remote_addr);
	if ((wait = throttle_wait(addr_key, NULL)) != 0)
		return wait < 0 ? -wait : throttled(r, wait);
	throttle_count(r, addr_key, REGISTER_FACTOR * r->cfg->throttle_free_failures);
	/* Hash first, whatever happens next: an existing address takes as long. */
	if ((st = hash_new_password(form_value(r, "password"), hash)) != 0)
		return st;
	if ((st = account_load(r, email, NULL, &a)) != 0)
		return st;
	if (a.id)
		st = register_existing(r, &a);
	else if ((st = register_new(r, hash)) == 1) {
		/* Taken between the look-up and the insert: the same answer. */
		st = account_load(r, email, NULL, &a);
		if (st == 0 && a.id)
			st = register_existing(r, &a);
	}
	if (st != 0)
		return st;
	return page_redirect(r, "/register/sent");
}

static int
page_register_sent(struct req *r)
{
	return page_show(r, "account.register_sent.title", "account/register_sent.cs", HTTP_OK);
}

/* ============================================================ verify */

enum { TK_ID, TK_USER, TK_USED, TK_EXPIRED, TK_DISABLED, TK_NAME, TK_EMAIL, TK_LANG };

struct link {
	char id[24], user[24];
	long long user_id;
	const char *name, *email, *lang;
};

/* Find the token of a link. 0 and l filled; HTTP_BAD_REQUEST (malformed or
 * unknown) or HTTP_GONE (used, expired, account disabled): the caller shows
 * the one "link not valid" page; or another HTTP status. */
static int
link_lookup(struct req *r, const char *token, const char *purpose, struct link *l)
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
static int
link_use(const struct link *l)
{
	struct db_result *res;
	const char *p[1] = { l->id };
	enum db_status st = db_query(&res, "account_token_use", 1, p);
	int rc;

	if (st != DB_OK)
		return db_http_status(st);
	rc = db_rows(res) == 1 ? 0 : HTTP_GONE;
	return rc;
}

/* The one page for every bad link: the same words whatever went wrong. */
static int
link_invalid(struct req *r, int status, const char *kind)
{
	if (status != HTTP_BAD_REQUEST && status != HTTP_GONE)
		return status;
	view_set(r->view, kind, "Data.kind");
	return page_show(r, "account.link_invalid.title", "account/link_invalid.cs", status);
}

static int
page_verify(struct req *r)
{
	struct link l;
	int st;

	if ((st = link_lookup(r, fields_get(&r->query, "token"), "verify_email", &l)) != 0)
		return link_invalid(r, st, "verify");
	/* Link checkers send HEAD: it must not use the link up. */
	if (r->method == METHOD_HEAD)
		return page_show(r, "account.verified.title", "account/verified.cs", HTTP_OK);
	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	{
		const char *p[1] = { l.user };
		const char *q[2] = { l.user, "verify_email" };
		if ((st = link_use(&l)) != 0 || (st = run_http("account_mark_verified", 1, p)) != 0 ||
		    (st = run_http("account_tokens_use_all", 2, q)) != 0)
			goto out;
	}
	st = audit_user(r, l.user, "auth.email_verified");
out:
	if ((st = tx_finish(st)) != 0)
		return link_invalid(r, st, "verify");
	if (r->user.id == l.user_id) {
		r->user.email_verified = 1;
		view_set(r->view, "", "Page.user.unverified");   /* the layout's reminder */
	}
	if (r->user.id && !r->session.mfa_pending)
		view_set(r->view, "1", "Data.signed_in");
	return page_show(r, "account.verified.title", "account/verified.cs", HTTP_OK);
}

/* GET /verify/resend: the reminder with the resend button. */
static int
page_verify_resend_get(struct req *r)
{
	const char *status = fields_get(&r->query, "status");

	if (r->user.email_verified)
		view_set(r->view, "1", "Data.verified");
	else if (status && (strcmp(status, "sent") == 0 || strcmp(status, "wait") == 0))
		view_set(r->view, status, "Data.status");
	view_set(r->view, r->user.email, "Data.email");
	return page_show(r, "account.resend.title", "account/resend.cs", HTTP_OK);
}

static int
page_verify_resend_post(struct req *r)
{
	int ok, st;

	if (r->user.email_verified)
		return page_redirect(r, "/verify/resend");
	if ((ok = resend_allowed(r, r->user.id_text)) < 0)
		return -ok;
	if (ok == 0)
		return page_redirect(r, "/verify/resend?status=wait");
	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	if ((st = send_verification(r, r->user.id_text, r->user.email,
	                            r->user.lang[0] ? r->user.lang : r->lang, r->user.name)) == 0)
		st = audit_user(r, r->user.id_text, "auth.verify_resent");
	if ((st = tx_finish(st)) != 0)
		return st;
	return page_redirect(r, "/verify/resend?status=sent");
}

/* ============================================================ sign in */

static const struct field_rule login_rules[] = {
	{ "email", FIELD_EMAIL, 1, 3, 254, NULL },
	{ "password", FIELD_PASSWORD, 1, 0, PASSWORD_MAX_BYTES, NULL },
};

static int
login_form(struct req *r, const char *next, int status)
{
	const char *done = fields_get(&r->query, "done");

	keep_next(r, next);
	if (done && strcmp(done, "reset") == 0)
		view_set(r->view, "reset", "Data.done");
	return form_page(r, "account.login.title", "account/login.cs", status);
}

static int
page_login_get(struct req *r)
{
	const char *next = fields_get(&r->query, "next");

	if (r->session.mfa_pending)
		return page_redirect(r, with_next(r, "/login/2fa", next));
	if (r->user.id)
		return page_redirect(r, safe_next(next));
	return login_form(r, next, HTTP_OK);
}

/* The one answer for every failed sign-in (unknown e-mail, wrong password,
 * disabled account): the form again, the e-mail kept, one message. */
static int
login_failed(struct req *r, const char *next)
{
	view_set(r->view, "1", "Data.failed");
	return login_form(r, next, HTTP_OK);
}

/* The password was right: a stronger hash if the parameters went up. */
static void
maybe_rehash(const struct account *a, const char *pw)
{
	char fresh[PASSWORD_HASH_MAX];

	if (!password_needs_rehash(a->hash, &password_params_default))
		return;
	if (hash_new_password(pw, fresh) == 0) {
		const char *p[3] = { a->id_text, a->hash, fresh };
		(void)run_http("account_rehash", 3, p);
	}
}

static int
page_login_post(struct req *r)
{
	const char *next = fields_get(&r->form, "next"), *email, *pw, *acct_key, *addr_key;
	struct account a;
	int st, wait, ok;

	form_validate(r, login_rules, sizeof(login_rules) / sizeof(login_rules[0]));
	if (r->form_errors)
		return login_form(r, next, HTTP_OK);
	email = form_value(r, "email");
	pw = form_value(r, "password");
	acct_key = key_of(r, "acct", email);
	addr_key = key_of(r, "addr", r->remote_addr);
	if ((wait = throttle_wait(acct_key, addr_key)) != 0) {
		if (wait < 0)
			return -wait;
		if ((st = account_load(r, email, NULL, &a)) != 0)
			return st;
		audit_log(r, a.id, "auth.login_throttled", a.id ? arena_printf(r->arena, "user:%s", a.id_text) : "unknown");
		return throttled(r, wait);
	}
	if ((st = account_load(r, email, NULL, &a)) != 0)
		return st;

	/* The same work whether or not the account exists. */
	if (hashlimit_acquire(HASH_WAIT_MS) == -1)
		return HTTP_UNAVAILABLE;
	{
		const char *dummy = password_dummy_hash();
		ok = password_verify(a.id ? a.hash : dummy, pw) == 1 && a.id != 0;
	}
	hashlimit_release();

	if (!ok || a.disabled) {
		throttle_count(r, acct_key, r->cfg->throttle_free_failures);
		throttle_count(r, addr_key, r->cfg->throttle_free_failures);
		audit_log(r, a.id, "auth.login_failed",
		          !a.id ? "unknown" : a.disabled && ok ? "disabled" : "password");
		return login_failed(r, next);
	}

	throttle_clear(acct_key);
	maybe_rehash(&a, pw);
	if ((st = sess_start(r, a.id, a.totp)) != 0)
		return st;
	audit_log(r, a.id, "auth.login", a.totp ? "password;mfa_pending" : "password");
	if (a.totp)
		return page_redirect(r, with_next(r, "/login/2fa", next));
	return page_redirect(r, safe_next(next));
}

/* ============================================================ second factor */

static const struct field_rule mfa_rules[] = {
	{ "code", FIELD_TEXT, 1, 1, 40, NULL },
};

static int
mfa_form(struct req *r, const char *next, int status)
{
	keep_next(r, next);
	return form_page(r, "account.mfa.title", "account/mfa.cs", status);
}

static int
page_mfa_get(struct req *r)
{
	const char *next = fields_get(&r->query, "next");

	if (!r->session.mfa_pending)
		return page_redirect(r, r->user.id ? safe_next(next) : with_next(r, "/login", next));
	return mfa_form(r, next, HTTP_OK);
}

/* A recovery code as it is stored: "xxxx-xxxx-xxxx" in lower case. Accepts
 * it typed in capitals, with spaces or without dashes. NULL if it cannot be
 * one. */
static const char *
recovery_canonical(struct req *r, const char *typed)
{
	static const char alphabet[] = "23456789abcdefghjkmnpqrstuvwxyz";
	char sym[13], *out;
	size_t n = 0;

	for (const char *p = typed; *p; p++) {
		char c = *p;
		if (c == ' ' || c == '-')
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (strchr(alphabet, c) == NULL || c == '\0' || n == 12)
			return NULL;
		sym[n++] = c;
	}
	if (n != 12 || (out = arena_alloc(r->arena, 15)) == NULL)
		return NULL;
	snprintf(out, 15, "%.4s-%.4s-%.4s", sym, sym + 4, sym + 8);
	return out;
}

/* 6 digits, spaces allowed in between. */
static int
looks_like_totp(const char *s)
{
	int digits = 0;

	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (*s != ' ')
			return 0;
	}
	return digits == TOTP_DIGITS;
}

/* Check the typed code against the account: 1 accepted (TOTP step
 * recorded, or recovery code used up), 0 refused, or a negative status. */
static int
mfa_check(struct req *r, const struct account *a, const char *code, const char **how)
{
	struct db_result *res;
	enum db_status st;
	int ok;

	if (looks_like_totp(code)) {
		unsigned char key[64];
		long keylen = base32_decode(a->totp_secret, key, sizeof(key));
		uint64_t step = 0;
		char steptext[24];
		const char *p[2] = { a->id_text, steptext };

		*how = "totp";
		if (keylen <= 0 ||
		    !totp_verify(key, (size_t)keylen, code, (uint64_t)time(NULL), 1, a->totp_last_step, &step))
			return 0;
		snprintf(steptext, sizeof(steptext), "%llu", (unsigned long long)step);
		if ((st = db_query(&res, "account_totp_step", 2, p)) != DB_OK)
			return -db_http_status(st);
		ok = db_changed(res) == 1;   /* 0: another request took this step first */
		return ok;
	}
	{
		const char *canon = recovery_canonical(r, code);
		char hash[67];
		const char *p[2] = { a->id_text, hash };

		*how = "recovery";
		if (canon == NULL)
			return 0;
		token_sha256_bytea(canon, hash);
		return one_row("account_recovery_use", 2, p);
	}
}

static int
page_mfa_post(struct req *r)
{
	const char *next = fields_get(&r->form, "next"), *mfa_key, *addr_key, *how = "totp";
	struct account a;
	int st, wait, ok;

	if (!r->session.mfa_pending)
		return page_redirect(r, r->user.id ? safe_next(next) : with_next(r, "/login", next));
	form_validate(r, mfa_rules, sizeof(mfa_rules) / sizeof(mfa_rules[0]));
	if (r->form_errors)
		return mfa_form(r, next, HTTP_OK);
	mfa_key = key_of(r, "mfa", r->user.id_text);
	addr_key = key_of(r, "addr", r->remote_addr);
	if ((wait = throttle_wait(mfa_key, addr_key)) != 0) {
		if (wait < 0)
			return -wait;
		audit_log(r, r->user.id, "auth.mfa_throttled", arena_printf(r->arena, "user:%s", r->user.id_text));
		return throttled(r, wait);
	}
	if ((st = account_load(r, NULL, r->user.id_text, &a)) != 0)
		return st;
	if (a.id == 0 || a.disabled || !a.totp) {
		/* Changed since the password was typed: start again. */
		sess_end(r);
		return page_redirect(r, "/login");
	}
	if ((ok = mfa_check(r, &a, form_value(r, "code"), &how)) < 0)
		return -ok;
	if (!ok) {
		throttle_count(r, mfa_key, r->cfg->throttle_free_failures);
		throttle_count(r, addr_key, r->cfg->throttle_free_failures);
		audit_log(r, a.id, "auth.mfa_failed", how);
		form_error(r, "code", "account.mfa.wrong");
		return mfa_form(r, next, HTTP_OK);
	}
	throttle_clear(mfa_key);
	/* A new token at the privilege change. */
	if ((st = sess_rotate(r, 0)) != 0)
		return st;
	audit_log(r, a.id, "auth.mfa_ok", how);
	return page_redirect(r, safe_next(next));
}

/* ============================================================ sign out */

static int
page_logout(struct req *r)
{
	if (r->session.id) {
		long long uid = r->user.id;
		audit_log(r, uid, "auth.logout", r->session.mfa_pending ? "mfa_cancelled" : "");
		(void)sess_end(r);
	}
	return page_redirect(r, "/");
}

/* ============================================================ password reset */

static const struct field_rule forgot_rules[] = {
	{ "email", FIELD_EMAIL, 1, 3, 254, NULL },
};

static int
forgot_form(struct req *r, int status)
{
	return form_page(r, "account.forgot.title", "account/forgot.cs", status);
}

static int
page_forgot_get(struct req *r)
{
	const char *sent = fields_get(&r->query, "sent");

	if (sent && strcmp(sent, "1") == 0)
		return page_show(r, "account.forgot_sent.title", "account/forgot_sent.cs", HTTP_OK);
	if (r->user.id && !r->session.mfa_pending)
		view_set(r->view, r->user.email, "Form.email");
	return forgot_form(r, HTTP_OK);
}

static int
page_forgot_post(struct req *r)
{
	const char *email, *acct_key, *addr_key;
	char raw[2 * LINK_TOKEN_BYTES + 1];
	struct account a;
	int st, wait;

	form_validate(r, forgot_rules, sizeof(forgot_rules) / sizeof(forgot_rules[0]));
	if (r->form_errors)
		return forgot_form(r, HTTP_OK);
	email = form_value(r, "email");
	acct_key = key_of(r, "rst", email);
	addr_key = key_of(r, "rsta", r->remote_addr);
	if ((wait = throttle_wait(acct_key, addr_key)) != 0)
		return wait < 0 ? -wait : throttled(r, wait);
	throttle_count(r, acct_key, r->cfg->throttle_free_failures);
	throttle_count(r, addr_key, r->cfg->throttle_free_failures);
	if ((st = account_load(r, email, NULL, &a)) != 0)
		return st;
	if (a.id == 0 || a.disabled) {
		audit_log(r, a.id, "auth.reset_requested", a.id ? "disabled" : "unknown");
		return page_redirect(r, "/password/forgot?sent=1");
	}
	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	if ((st = link_token(a.id_text, "reset_password", RESET_TTL, raw)) != 0 ||
	    (st = mail_link(r, a.email, a.lang, "reset_password", a.name, "/password/reset", raw, RESET_TTL)) != 0)
		goto out;
	st = audit_user(r, a.id_text, "auth.reset_requested");
out:
	if ((st = tx_finish(st)) != 0)
		return st;
	return page_redirect(r, "/password/forgot?sent=1");
}

static const struct field_rule reset_rules[] = {
	{ "password", FIELD_PASSWORD, 1, 0, PASSWORD_MAX_BYTES, NULL },
	{ "password_confirm", FIELD_PASSWORD, 1, 0, PASSWORD_MAX_BYTES, NULL },
};

static int
reset_form(struct req *r, const char *token, int status)
{
	view_set(r->view, token, "Form.token");
	return form_page(r, "account.reset.title", "account/reset.cs", status);
}

static int
page_reset_get(struct req *r)
{
	const char *token = fields_get(&r->query, "token");
	struct link l;
	int st;

	if ((st = link_lookup(r, token, "reset_password", &l)) != 0)
		return link_invalid(r, st, "reset");
	return reset_form(r, token, HTTP_OK);
}

/* The new password, the token used up (and every other reset link of the
 * account), every session ended, the audit row and the notice mail: all or
 * nothing. The user then signs in as usual, second factor included. */
static int
reset_apply(struct req *r, const struct link *l, const char *hash)
{
	const char *pset[2] = { l->user, hash };
	const char *pall[2] = { l->user, "reset_password" };
	const char *params;
	int st;

	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	if ((st = link_use(l)) != 0 || (st = run_http("account_set_password", 2, pset)) != 0 ||
	    (st = run_http("account_tokens_use_all", 2, pall)) != 0)
		goto out;
	if (sess_end_all(l->user_id) < 0 ||
	    audit_user(r, l->user, "auth.password_reset") != 0 ||
	    (params = json_object(r->arena, "name", l->name, NULL)) == NULL ||
	    outbox_mail(l->email, l->lang, "password_changed", params, 0) != 0)
		st = HTTP_INTERNAL_ERROR;
out:
	return tx_finish(st);
}

static int
page_reset_post(struct req *r)
{
	const char *token = fields_get(&r->form, "token");
	char hash[PASSWORD_HASH_MAX];
	struct link l;
	int st;

	if ((st = link_lookup(r, token, "reset_password", &l)) != 0)
		return link_invalid(r, st, "reset");
	form_validate(r, reset_rules, sizeof(reset_rules) / sizeof(reset_rules[0]));
	check_new_password(r, l.email, l.name);
	if (r->form_errors)
		return reset_form(r, token, HTTP_OK);
	if ((st = hash_new_password(form_value(r, "password"), hash)) != 0)
		return st;
	if ((st = reset_apply(r, &l, hash)) != 0)
		return link_invalid(r, st, "reset");
	/* Whoever lost the password may have been locked out by the throttle. */
	throttle_clear(key_of(r, "acct", l.email));
	if (r->session.id)
		(void)sess_end(r);   /* already revoked: clear this browser's cookie */
	return page_redirect(r, "/login?done=reset");
}

/* ============================================================ routes */

const struct route account_routes[] = {
	/* name               method       pattern             handler                  roles           csrf pre_mfa */
	{ "register",         METHOD_GET,  "/register",        page_register_get,       ROLE_EVERYONE,  0,   1, NULL },
	{ "register_post",    METHOD_POST, "/register",        page_register_post,      ROLE_EVERYONE,  1,   1, NULL },
	{ "register_sent",    METHOD_GET,  "/register/sent",   page_register_sent,      ROLE_EVERYONE,  0,   1, NULL },
	{ "verify",           METHOD_GET,  "/verify",          page_verify,             ROLE_EVERYONE,  0,   1, NULL },
	{ "verify_resend",    METHOD_GET,  "/verify/resend",   page_verify_resend_get,  ROLE_SIGNED_IN, 0,   1, NULL },
	{ "verify_resend_post", METHOD_POST, "/verify/resend", page_verify_resend_post, ROLE_SIGNED_IN, 1,   1, NULL },
	{ "login",            METHOD_GET,  "/login",           page_login_get,          ROLE_EVERYONE,  0,   1, NULL },
	{ "login_post",       METHOD_POST, "/login",           page_login_post,         ROLE_EVERYONE,  1,   1, NULL },
	{ "login_2fa",        METHOD_GET,  "/login/2fa",       page_mfa_get,            ROLE_EVERYONE,  0,   1, NULL },
	{ "login_2fa_post",   METHOD_POST, "/login/2fa",       page_mfa_post,           ROLE_EVERYONE,  1,   1, NULL },
	/* Everyone: a session waiting for its second factor holds no role yet
	 * and must be able to cancel. */
	{ "logout",           METHOD_POST, "/logout",          page_logout,             ROLE_EVERYONE,  1,   1, NULL },
	{ "password_forgot",  METHOD_GET,  "/password/forgot", page_forgot_get,         ROLE_EVERYONE,  0,   1, NULL },
	{ "password_forgot_post", METHOD_POST, "/password/forgot", page_forgot_post,    ROLE_EVERYONE,  1,   1, NULL },
	{ "password_reset",   METHOD_GET,  "/password/reset",  page_reset_get,          ROLE_EVERYONE,  0,   1, NULL },
	{ "password_reset_post", METHOD_POST, "/password/reset", page_reset_post,       ROLE_EVERYONE,  1,   1, NULL },
};
const size_t account_routes_n = sizeof(account_routes) / sizeof(account_routes[0]);
