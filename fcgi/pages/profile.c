/* profile: the signed-in user's own account: details (name, phone,
 * language, time zone), password and e-mail changes, active sessions, the
 * second factor (TOTP enrollment, recovery codes) and re-authentication.
 *
 * Re-authentication: changing the password, the e-mail address or the
 * second factor needs the password typed within cfg->reauth_window
 * (r->session.recent_auth); otherwise the user is sent to
 * /profile/reauth?next=<the page> first. Because of that the password
 * form does not ask for the current password again: the fresh re-auth is
 * that proof. The first enrollment of a second factor also needs a fresh
 * password (right after sign-in it is fresh anyway), so that a stolen
 * session cannot bind its own authenticator to the account.
 *
 * The e-mailed change-of-address link opens a page with a button: the
 * change itself is a POST (no state change on GET, and mail scanners that
 * follow links cannot confirm it). */
#include "pages.h"
#include "page.h"

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
#include "lib/qrsvg.h"
#include "lib/totp.h"

#define ISSUER "MedSysPro"
#define EMAIL_LINK_SECONDS (24 * 3600)   /* change-of-address link lifetime */
#define LINK_TOKEN_HEX 64                /* hex digits of a link token */
#define HASH_WAIT_MS 5000                /* wait for a password-hash permit */
#define RECOVERY_CODES 10
#define TOTP_WINDOW 1                    /* steps either side of now */
#define QR_MODULE 4                      /* SVG user units per QR module */

/* Time zones offered in the form; any other IANA name PostgreSQL knows is
 * accepted too (and the user's current one is always offered). */
static const char *const common_time_zones[] = {
	"Europe/Madrid", "Atlantic/Canary", "Europe/Lisbon", "Europe/London",
	"Europe/Paris", "Europe/Berlin", "Europe/Rome", "America/Mexico_City",
	"America/Bogota", "America/Lima", "America/Caracas", "America/Santiago",
	"America/Argentina/Buenos_Aires", "America/New_York", "America/Chicago",
	"America/Denver", "America/Los_Angeles", "UTC", NULL
};

static const char *const languages[] = { "es", "en", NULL };

/* ------------------------------------------------------------ helpers */

/* Send the user to type the password again, then back to `back`. */
static int
ask_reauth(struct req *r, const char *back)
{
	const char *enc = form_url_encode(r->arena, back);

	return page_redirect(r, enc ? arena_printf(r->arena, "/profile/reauth?next=%s", enc) : NULL);
}

/* Commit the open transaction (rolled back when that fails) and redirect
 * to location. */
static int
tx_commit_redirect(struct req *r, const char *location)
{
	enum db_status st;

	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return page_redirect(r, location);
}

/* A new session token (the privilege changed), then the commit of the open
 * transaction; either failing rolls it back. 0 or an HTTP status. */
static int
tx_rotate_commit(struct req *r)
{
	enum db_status st;
	int rc;

	if ((rc = sess_rotate(r, 0)) != 0) {
		db_rollback();
		return rc;
	}
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return 0;
}

/* The language mail and notices to this user are written in. */
static const char *
user_lang(const struct req *r)
{
	return r->user.lang[0] ? r->user.lang : r->lang;
}

/* A one-shot confirmation shown after a redirect (?done=key): only known
 * keys are echoed, so the query cannot put text on the page. */
static void
show_done(struct req *r, const char *const *allowed)
{
	const char *done = fields_get(&r->query, "done");

	for (; done && *allowed; allowed++)
		if (strcmp(done, *allowed) == 0) {
			view_set(r->view, done, "Data.done");
			return;
		}
}

/* ------------------------------------------------------------ profile */

/* Columns of profile_get. */
enum { PG_NAME, PG_EMAIL, PG_PHONE, PG_LANG, PG_TZ, PG_VERIFIED, PG_TOTP, PG_CODES_LEFT };

/* Fill Data.* (and, when with_form, Form.* for the edit form) from the
 * database; the stored time zone into tz when not NULL. 0 or an HTTP
 * status. */
static int
load_profile(struct req *r, int with_form, char *tz, size_t tzlen)
{
	struct db_result *res = NULL;
	const char *p[1] = { r->user.id_text };
	int st;

	if ((st = page_query_row(&res, "profile_get", 1, p)) != 0)
		return st;
	view_set(r->view, db_value(res, 0, PG_NAME), "Data.full_name");
	view_set(r->view, db_value(res, 0, PG_EMAIL), "Data.email");
	view_set(r->view, db_value(res, 0, PG_PHONE), "Data.phone");
	view_set(r->view, db_value(res, 0, PG_LANG), "Data.language");
	view_set(r->view, db_value(res, 0, PG_TZ), "Data.time_zone");
	view_set(r->view, db_value(res, 0, PG_VERIFIED)[0] == 't' ? "1" : "0", "Data.email_verified");
	view_set(r->view, db_value(res, 0, PG_TOTP)[0] == 't' ? "1" : "0", "Data.mfa_enabled");
	view_set(r->view, db_value(res, 0, PG_CODES_LEFT), "Data.codes_left");
	if (tz)
		snprintf(tz, tzlen, "%s", db_value(res, 0, PG_TZ));
	if (with_form) {
		view_set(r->view, db_value(res, 0, PG_NAME), "Form.full_name");
		view_set(r->view, db_value(res, 0, PG_PHONE), "Form.phone");
		view_set(r->view, db_value(res, 0, PG_LANG), "Form.language");
		view_set(r->view, db_value(res, 0, PG_TZ), "Form.time_zone");
	}
	return 0;
}

/* The time zones of the select, plus `current` when it is not one of them. */
static void
fill_time_zones(struct req *r, const char *current)
{
	size_t i, n = 0;
	int listed = 0;

	for (i = 0; common_time_zones[i]; i++) {
		view_set(r->view, common_time_zones[i], "Data.zones.%zu", n++);
		if (current && strcmp(current, common_time_zones[i]) == 0)
			listed = 1;
	}
	if (current && *current && !listed)
		view_set(r->view, current, "Data.zones.%zu", n);
}

/* The profile page; tz is the zone to offer besides the common ones (what
 * was typed), NULL for the stored one. */
static int
show_profile(struct req *r, int with_form, const char *tz)
{
	static const char *const done[] = { "saved", "password", "email_sent", NULL };
	char stored[80];
	int st;

	if ((st = load_profile(r, with_form, stored, sizeof(stored))) != 0)
		return st;
	fill_time_zones(r, tz ? tz : stored);
	show_done(r, done);
	return page_show(r, "profile.title", "profile/profile.cs", HTTP_OK);
}

static int
page_profile(struct req *r)
{
	return show_profile(r, 1, NULL);
}

static const struct field_rule profile_rules[] = {
	{ "full_name", FIELD_TEXT, 1, 1, 200, NULL },
	{ "phone", FIELD_PHONE, 0, 0, 50, NULL },
	{ "language", FIELD_CHOICE, 1, 0, 2, languages },
	{ "time_zone", FIELD_TEXT, 1, 1, 64, NULL },
};

static int
page_profile_save(struct req *r)
{
	const char *name, *phone, *lang, *tz, *cookie;
	struct db_result *res = NULL;
	enum db_status st;

	form_validate(r, profile_rules, sizeof(profile_rules) / sizeof(profile_rules[0]));
	tz = form_value(r, "time_zone");
	if (tz) {
		const char *p[1] = { tz };
		if ((st = db_query(&res, "profile_tz_valid", 1, p)) != DB_OK)
			return db_http_status(st);
		if (db_rows(res) != 1)
			form_error(r, "time_zone", "profile.edit.tz_invalid");
	}
	if (r->form_errors) {
		const char *typed = fields_get(&r->form, "time_zone");
		return show_profile(r, 0, typed);
	}
	name = form_value(r, "full_name");
	phone = form_value(r, "phone");
	lang = form_value(r, "language");
	{
		const char *p[5] = { r->user.id_text, name, phone ? phone : "", lang, tz };
		if ((st = db_begin()) != DB_OK)
			return db_http_status(st);
		if ((st = db_run("profile_update", 5, p)) != DB_OK)
			return page_tx_fail(st);
		if (audit_log(r, r->user.id, "profile.updated",
		              arena_printf(r->arena, "user:%s", r->user.id_text)) == -1)
			return page_tx_fail(DB_ERROR);
		if ((st = db_commit()) != DB_OK)
			return page_tx_fail(st);
	}
	/* The account language applies when no lang cookie says otherwise: a
	 * different cookie would hide the choice just made, so it goes. */
	cookie = req_cookie(r, "lang");
	if (cookie && strcmp(cookie, lang) != 0)
		resp_set_cookie(r, "lang", "", 0);
	return page_redirect(r, "/profile?done=saved");
}

/* ------------------------------------------------------------ re-auth */

/* The local page to return to, from the query (GET) or the form (POST). */
static const char *
reauth_next(struct req *r, const struct fields *f)
{
	const char *next = fields_get(f, "next");

	return req_is_local_path(next) && strlen(next) <= 500 ? next : "/profile";
}

static int
show_reauth(struct req *r, const char *next)
{
	view_set(r->view, next, "Data.next");
	return page_show(r, "profile.reauth.title", "profile/reauth.cs", HTTP_OK);
}

static int
page_reauth(struct req *r)
{
	return show_reauth(r, reauth_next(r, &r->query));
}

/* Seconds before the next attempt is allowed for key (0: now), or -1. */
static int
throttle_wait(const char *key)
{
	struct db_result *res = NULL;
	const char *p[1] = { key };
	int wait = 0;

	if (db_query(&res, "profile_throttle_wait", 1, p) != DB_OK)
		return -1;
	if (db_rows(res) == 1)
		wait = atoi(db_value(res, 0, 0));
	return wait;
}

/* Count a failure; after the free ones each failure blocks for longer:
 * 30 s, 60 s, 120 s, ... up to the window. */
static void
throttle_fail(struct req *r, const char *key)
{
	struct db_result *res = NULL;
	char window[16], secs[16];
	const char *p[2] = { key, window };
	int failures, over;
	long delay = 30;

	snprintf(window, sizeof(window), "%d", r->cfg->throttle_window);
	if (db_query(&res, "profile_throttle_fail", 2, p) != DB_OK)
		return;
	failures = db_rows(res) == 1 ? atoi(db_value(res, 0, 0)) : 0;
	over = failures - r->cfg->throttle_free_failures;
	if (over <= 0)
		return;
	for (int i = 1; i < over && delay < r->cfg->throttle_window; i++)
		delay *= 2;
	if (delay > r->cfg->throttle_window)
		delay = r->cfg->throttle_window;
	snprintf(secs, sizeof(secs), "%ld", delay);
	p[1] = secs;
	(void)db_run("profile_throttle_block", 2, p);
}

static const struct field_rule reauth_rules[] = {
	{ "password", FIELD_PASSWORD, 1, 0, PASSWORD_MAX_BYTES, NULL },
};

static int
page_reauth_post(struct req *r)
{
	const char *next = reauth_next(r, &r->form);
	const char *key = arena_printf(r->arena, "reauth:%s", r->user.id_text);
	const char *pw, *p[1] = { r->user.id_text };
	struct db_result *res = NULL;
	enum db_status st;
	int wait, ok;

	if (key == NULL)
		return HTTP_INTERNAL_ERROR;
	if (form_validate(r, reauth_rules, 1) != 0)
		return show_reauth(r, next);
	if ((wait = throttle_wait(key)) < 0)
		return HTTP_UNAVAILABLE;
	if (wait > 0) {
		audit_log(r, r->user.id, "auth.reauth_throttled", arena_printf(r->arena, "user:%s", r->user.id_text));
		form_error(r, "password", "profile.reauth.throttled");
		return show_reauth(r, next);
	}
	if ((st = db_query(&res, "profile_password_hash", 1, p)) != DB_OK)
		return db_http_status(st);
	if (db_rows(res) != 1)
		return HTTP_FORBIDDEN;
	pw = form_value(r, "password");
	if (hashlimit_acquire(HASH_WAIT_MS) == -1)
		return HTTP_UNAVAILABLE;
	ok = password_verify(db_value(res, 0, 0), pw) == 1;
	hashlimit_release();
	if (!ok) {
		throttle_fail(r, key);
		audit_log(r, r->user.id, "auth.reauth_failed", arena_printf(r->arena, "user:%s", r->user.id_text));
		form_error(r, "password", "profile.reauth.wrong");
		return show_reauth(r, next);
	}
	{
		const char *k[1] = { key };
		(void)db_run("profile_throttle_clear", 1, k);
	}
	if ((ok = sess_mark_reauth(r)) != 0)
		return ok;
	audit_log(r, r->user.id, "auth.reauth", arena_printf(r->arena, "user:%s", r->user.id_text));
	return page_redirect(r, next);
}

/* ------------------------------------------------------------ password */

static int
show_password(struct req *r)
{
	return page_show(r, "profile.password.title", "profile/password.cs", HTTP_OK);
}

static int
page_password(struct req *r)
{
	if (!r->session.recent_auth)
		return ask_reauth(r, "/profile/password");
	return show_password(r);
}

static const struct field_rule password_rules[] = {
	{ "new_password", FIELD_PASSWORD, 1, 0, PASSWORD_MAX_BYTES, NULL },
	{ "confirm", FIELD_PASSWORD, 1, 0, PASSWORD_MAX_BYTES, NULL },
};

static int
page_password_post(struct req *r)
{
	char hash[PASSWORD_HASH_MAX];
	const char *pw, *confirm, *params;
	enum password_problem problem;
	enum db_status st;
	int rc;

	if (!r->session.recent_auth)
		return ask_reauth(r, "/profile/password");
	if (form_validate(r, password_rules, 2) != 0)
		return show_password(r);
	pw = form_value(r, "new_password");
	confirm = form_value(r, "confirm");
	if ((problem = password_check(pw, r->user.email, r->user.name)) != PASSWORD_OK) {
		form_error(r, "new_password", arena_printf(r->arena, "profile.password.problem.%s",
		                                           password_problem_key(problem)));
		return show_password(r);
	}
	if (strcmp(pw, confirm) != 0) {
		form_error(r, "confirm", "profile.password.mismatch");
		return show_password(r);
	}
	if (hashlimit_acquire(HASH_WAIT_MS) == -1)
		return HTTP_UNAVAILABLE;
	rc = password_hash(pw, &password_params_default, hash, sizeof(hash));
	hashlimit_release();
	if (rc != 0)
		return HTTP_INTERNAL_ERROR;
	params = json_object(r->arena, "name", r->user.name, NULL);
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	{
		const char *p[2] = { r->user.id_text, hash };
		if ((st = db_run("profile_set_password", 2, p)) != DB_OK)
			return page_tx_fail(st);
	}
	/* Every other session ends; this one gets a new token. */
	if (sess_end_others(r) < 0 ||
	    audit_log(r, r->user.id, "auth.password_changed", arena_printf(r->arena, "user:%s", r->user.id_text)) == -1 ||
	    outbox_mail(r->user.email, user_lang(r), "password_changed", params, 0) == -1 ||
	    outbox_notice(r->user.id, "password_changed", "{}", "/profile/sessions") == -1)
		return page_tx_fail(DB_ERROR);
	if ((rc = tx_rotate_commit(r)) != 0)
		return rc;
	return page_redirect(r, "/profile?done=password");
}

/* ------------------------------------------------------------ e-mail */

static int
show_email(struct req *r)
{
	view_set(r->view, r->user.email, "Data.email");
	return page_show(r, "profile.email.title", "profile/email.cs", HTTP_OK);
}

static int
page_email(struct req *r)
{
	if (!r->session.recent_auth)
		return ask_reauth(r, "/profile/email");
	return show_email(r);
}

static const struct field_rule email_rules[] = {
	{ "email", FIELD_EMAIL, 1, 3, 254, NULL },
};

static int
page_email_post(struct req *r)
{
	char token[65], hash[67], lifetime[16];
	const char *email, *link, *params, *notice;
	struct db_result *res = NULL;
	enum db_status st;
	int taken;

	if (!r->session.recent_auth)
		return ask_reauth(r, "/profile/email");
	if (form_validate(r, email_rules, 1) != 0)
		return show_email(r);
	email = form_value(r, "email");
	if (strcmp(email, r->user.email) == 0) {
		form_error(r, "email", "profile.email.same");
		return show_email(r);
	}
	{
		const char *p[1] = { email };
		if ((st = db_query(&res, "profile_email_in_use", 1, p)) != DB_OK)
			return db_http_status(st);
		taken = db_rows(res) > 0;
	}
	if (taken) {
		form_error(r, "email", "profile.email.taken");
		return show_email(r);
	}
	if (token_random_hex(token, 32) == -1)
		return HTTP_UNAVAILABLE;
	token_sha256_bytea(token, hash);
	snprintf(lifetime, sizeof(lifetime), "%d", EMAIL_LINK_SECONDS);
	link = arena_printf(r->arena, "/profile/email/confirm?token=%s", token);
	params = json_object(r->arena, "name", r->user.name, "link_path", link,
	                     "minutes", arena_printf(r->arena, "%d", EMAIL_LINK_SECONDS / 60), NULL);
	notice = json_object(r->arena, "email", email, NULL);
	if (link == NULL || params == NULL || notice == NULL)
		return HTTP_INTERNAL_ERROR;
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	{
		const char *v[1] = { r->user.id_text };
		const char *c[4] = { r->user.id_text, hash, email, lifetime };
		if ((st = db_run("profile_email_tokens_void", 1, v)) != DB_OK ||
		    (st = db_run("profile_email_token_create", 4, c)) != DB_OK)
			return page_tx_fail(st);
	}
	if (outbox_mail(email, user_lang(r), "change_email", params, 1) == -1 ||
	    outbox_notice(r->user.id, "email_change_requested", notice, "/profile") == -1 ||
	    audit_log(r, r->user.id, "profile.email_change_requested",
	              arena_printf(r->arena, "user:%s", r->user.id_text)) == -1)
		return page_tx_fail(DB_ERROR);
	return tx_commit_redirect(r, "/profile?done=email_sent");
}

static int
show_email_confirm(struct req *r, const char *state, int status)
{
	const char *csrf = csrf_token(r);

	if (csrf)
		view_set(r->view, csrf, "Page.csrf");
	view_set(r->view, state, "Data.state");
	return page_show(r, "profile.confirm.title", "profile/email_confirm.cs", status);
}

static int
page_email_confirm(struct req *r)
{
	const char *token = fields_get(&r->query, "token");
	struct db_result *res = NULL;
	char hash[67];
	const char *p[1] = { hash };
	enum db_status st;

	if (fields_get(&r->query, "done"))
		return show_email_confirm(r, "done", HTTP_OK);
	if (!is_hex_token(token, LINK_TOKEN_HEX))
		return show_email_confirm(r, "invalid", HTTP_BAD_REQUEST);
	token_sha256_bytea(token, hash);
	if ((st = db_query(&res, "profile_email_token_find", 1, p)) != DB_OK)
		return db_http_status(st);
	if (db_rows(res) != 1)
		return show_email_confirm(r, "invalid", HTTP_BAD_REQUEST);
	view_set(r->view, db_value(res, 0, 2), "Data.new_email");
	view_set(r->view, token, "Data.token");
	return show_email_confirm(r, "ask", HTTP_OK);
}

static int
page_email_confirm_post(struct req *r)
{
	const char *token = fields_get(&r->form, "token");
	struct db_result *res = NULL;
	char hash[67], user[24], email[256];
	const char *p[1] = { hash };
	enum db_status st;

	if (!is_hex_token(token, LINK_TOKEN_HEX))
		return show_email_confirm(r, "invalid", HTTP_BAD_REQUEST);
	token_sha256_bytea(token, hash);
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((st = db_query(&res, "profile_email_token_claim", 1, p)) != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) != 1) {
		db_rollback();
		return show_email_confirm(r, "invalid", HTTP_BAD_REQUEST);
	}
	snprintf(user, sizeof(user), "%s", db_value(res, 0, 1));
	snprintf(email, sizeof(email), "%s", db_value(res, 0, 2));
	{
		const char *c[2] = { user, email };
		if ((st = db_run("profile_email_change", 2, c)) == DB_CONFLICT) {
			db_rollback();
			view_set(r->view, email, "Data.new_email");
			return show_email_confirm(r, "taken", HTTP_BAD_REQUEST);
		}
		if (st != DB_OK)
			return page_tx_fail(st);
	}
	{
		const char *v[1] = { user };
		if ((st = db_run("profile_tokens_void_all", 1, v)) != DB_OK)
			return page_tx_fail(st);
	}
	if (audit_log(r, atoll(user), "profile.email_changed", arena_printf(r->arena, "user:%s", user)) == -1)
		return page_tx_fail(DB_ERROR);
	return tx_commit_redirect(r, "/profile/email/confirm?done=1");
}

/* ------------------------------------------------------------ sessions */

/* A short, human description of a User-Agent ("Firefox, Linux"), or NULL
 * when it is not recognised. The strings are product names. */
static const char *
short_agent(struct req *r, const char *ua)
{
	static const struct { const char *needle, *name; } browsers[] = {
		{ "Edg/", "Edge" }, { "OPR/", "Opera" }, { "SamsungBrowser/", "Samsung Internet" },
		{ "Firefox/", "Firefox" }, { "FxiOS/", "Firefox" }, { "CriOS/", "Chrome" },
		{ "Chrome/", "Chrome" }, { "Safari/", "Safari" }, { "curl/", "curl" },
	}, systems[] = {
		{ "Android", "Android" }, { "iPhone", "iOS" }, { "iPad", "iPadOS" },
		{ "CrOS", "ChromeOS" }, { "Windows", "Windows" }, { "Mac OS X", "macOS" },
		{ "Linux", "Linux" },
	};
	const char *b = NULL, *s = NULL;

	for (size_t i = 0; !b && i < sizeof(browsers) / sizeof(browsers[0]); i++)
		if (strstr(ua, browsers[i].needle))
			b = browsers[i].name;
	for (size_t i = 0; !s && i < sizeof(systems) / sizeof(systems[0]); i++)
		if (strstr(ua, systems[i].needle))
			s = systems[i].name;
	if (b && s)
		return arena_printf(r->arena, "%s, %s", b, s);
	return b ? b : s;
}

/* Columns of profile_sessions. */
enum { PS_ID, PS_CREATED, PS_SEEN, PS_ADDR, PS_AGENT, PS_CURRENT, PS_PENDING };

static int
page_sessions(struct req *r)
{
	static const char *const done[] = { "others", "ended", NULL };
	struct db_result *res = NULL;
	const char *p[2] = { r->user.id_text, r->session.id_text };
	enum db_status st = db_query(&res, "profile_sessions", 2, p);
	size_t others = 0;

	if (st != DB_OK)
		return db_http_status(st);
	for (size_t i = 0; i < db_rows(res); i++) {
		const char *ua = db_value(res, i, PS_AGENT), *nice = short_agent(r, ua);
		view_set(r->view, db_value(res, i, PS_ID), "Data.sessions.%zu.id", i);
		view_set(r->view, db_value(res, i, PS_CREATED), "Data.sessions.%zu.created", i);
		view_set(r->view, db_value(res, i, PS_SEEN), "Data.sessions.%zu.seen", i);
		view_set(r->view, db_value(res, i, PS_ADDR), "Data.sessions.%zu.addr", i);
		if (nice)
			view_set(r->view, nice, "Data.sessions.%zu.agent", i);
		else if (*ua)
			view_set(r->view, arena_strndup(r->arena, ua, 40), "Data.sessions.%zu.agent", i);
		if (db_value(res, i, PS_CURRENT)[0] == 't')
			view_set(r->view, "1", "Data.sessions.%zu.current", i);
		else
			others++;
		if (db_value(res, i, PS_PENDING)[0] == 't')
			view_set(r->view, "1", "Data.sessions.%zu.pending", i);
	}
	view_set_int(r->view, (long long)others, "Data.others");
	show_done(r, done);
	return page_show(r, "profile.sessions.title", "profile/sessions.cs", HTTP_OK);
}

static int
page_sessions_others(struct req *r)
{
	int n = sess_end_others(r);

	if (n < 0)
		return HTTP_UNAVAILABLE;
	audit_log(r, r->user.id, "auth.sessions_ended", arena_printf(r->arena, "count:%d", n));
	return page_redirect(r, "/profile/sessions?done=others");
}

static int
page_session_end(struct req *r)
{
	const char *sid = r->match.args[0];
	const char *p[2] = { sid, r->user.id_text };
	struct db_result *res = NULL;
	enum db_status st;
	int owned;

	if (strcmp(sid, r->session.id_text) == 0) {
		/* Ending the session in use is signing out. */
		if ((owned = sess_end(r)) != 0)
			return owned;
		return page_redirect(r, "/");
	}
	if ((st = db_query(&res, "profile_session_end", 2, p)) != DB_OK)
		return db_http_status(st);
	owned = db_changed(res) == 1;
	if (!owned) {
		/* Already ended (still ours: nothing to do) or not ours at all. */
		if ((st = db_query(&res, "profile_session_owned", 2, p)) != DB_OK)
			return db_http_status(st);
		owned = db_rows(res) == 1;
		if (!owned) {
			audit_log(r, r->user.id, "access.denied", arena_printf(r->arena, "session:%s", sid));
			return HTTP_NOT_FOUND;
		}
		return page_redirect(r, "/profile/sessions?done=ended");
	}
	audit_log(r, r->user.id, "auth.session_ended", arena_printf(r->arena, "session:%s", sid));
	return page_redirect(r, "/profile/sessions?done=ended");
}

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

static int
page_mfa(struct req *r)
{
	static const char *const done[] = { "disabled", NULL };
	struct totp_state t;
	int st;

	if ((st = load_totp(r, &t)) != 0)
		return st;
	show_done(r, done);
	if (is_staff(r))
		view_set(r->view, "1", "Data.staff");
	if (t.enabled) {
		if ((st = load_profile(r, 0, NULL, 0)) != 0)
			return st;
		return page_show(r, "profile.mfa.title", "profile/mfa.cs", HTTP_OK);
	}
	if (!r->session.recent_auth)
		return ask_reauth(r, "/account/2fa");
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

static int
page_mfa_confirm(struct req *r)
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
		return ask_reauth(r, "/account/2fa");
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
	if ((rc = tx_rotate_commit(r)) != 0)
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
		return ask_reauth(r, "/account/2fa");
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	return 0;
}

static int
page_mfa_disable(struct req *r)
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
	return tx_commit_redirect(r, "/account/2fa?done=disabled");
}

static int
page_mfa_codes(struct req *r)
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

/* ------------------------------------------------------------ routes */

const struct route profile_routes[] = {
	/* name                  method       pattern                                handler                  roles           csrf pre_mfa */
	{ "profile",             METHOD_GET,  "/profile",                            page_profile,            ROLE_SIGNED_IN, 0,   0, NULL },
	{ "profile_save",        METHOD_POST, "/profile",                            page_profile_save,       ROLE_SIGNED_IN, 1,   0, NULL },
	/* Staff setting up their second factor may have to re-authenticate. */
	{ "profile_reauth",      METHOD_GET,  "/profile/reauth",                     page_reauth,             ROLE_SIGNED_IN, 0,   1, NULL },
	{ "profile_reauth_post", METHOD_POST, "/profile/reauth",                     page_reauth_post,        ROLE_SIGNED_IN, 1,   1, NULL },
	{ "profile_password",    METHOD_GET,  "/profile/password",                   page_password,           ROLE_SIGNED_IN, 0,   0, NULL },
	{ "profile_password_post", METHOD_POST, "/profile/password",                 page_password_post,      ROLE_SIGNED_IN, 1,   0, NULL },
	{ "profile_email",       METHOD_GET,  "/profile/email",                      page_email,              ROLE_SIGNED_IN, 0,   0, NULL },
	{ "profile_email_post",  METHOD_POST, "/profile/email",                      page_email_post,         ROLE_SIGNED_IN, 1,   0, NULL },
	/* The e-mailed link may be opened in another browser, signed out. */
	{ "profile_email_confirm", METHOD_GET, "/profile/email/confirm",             page_email_confirm,      ROLE_EVERYONE,  0,   1, NULL },
	{ "profile_email_confirm_post", METHOD_POST, "/profile/email/confirm",       page_email_confirm_post, ROLE_EVERYONE,  1,   1, NULL },
	{ "profile_sessions",    METHOD_GET,  "/profile/sessions",                   page_sessions,           ROLE_SIGNED_IN, 0,   0, NULL },
	{ "profile_sessions_others", METHOD_POST, "/profile/sessions/others",        page_sessions_others,    ROLE_SIGNED_IN, 1,   0, NULL },
	{ "profile_session_end", METHOD_POST, "/profile/sessions/([0-9]{1,18})/end", page_session_end,        ROLE_SIGNED_IN, 1,   0, NULL },
	/* Second factor: staff without one are sent here and must finish. */
	{ "mfa",                 METHOD_GET,  "/account/2fa",                        page_mfa,                ROLE_SIGNED_IN, 0,   1, NULL },
	{ "mfa_confirm",         METHOD_POST, "/account/2fa/confirm",                page_mfa_confirm,        ROLE_SIGNED_IN, 1,   1, NULL },
	{ "mfa_disable",         METHOD_POST, "/account/2fa/disable",                page_mfa_disable,        ROLE_SIGNED_IN, 1,   0, NULL },
	{ "mfa_recovery_codes",  METHOD_POST, "/account/2fa/recovery-codes",         page_mfa_codes,          ROLE_SIGNED_IN, 1,   0, NULL },
};
const size_t profile_routes_n = sizeof(profile_routes) / sizeof(profile_routes[0]);
