/* security: re-authentication, the password change and the e-mail address
 * change. The e-mailed change-of-address link opens a page with a button:
 * the change itself is a POST (no state change on GET, and mail scanners
 * that follow links cannot confirm it). */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/profile/profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/json.h"
#include "core/outbox.h"
#include "core/password.h"
#include "core/request.h"
#include "core/token.h"
#include "core/validate.h"
#include "core/view.h"

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

int
profile_reauth(struct req *r)
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

int
profile_reauth_post(struct req *r)
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

int
profile_password(struct req *r)
{
	if (!r->session.recent_auth)
		return profile_ask_reauth(r, "/profile/password");
	return show_password(r);
}

static const struct field_rule password_rules[] = {
	{ "new_password", FIELD_PASSWORD, 1, 0, PASSWORD_MAX_BYTES, NULL },
	{ "confirm", FIELD_PASSWORD, 1, 0, PASSWORD_MAX_BYTES, NULL },
};

int
profile_password_post(struct req *r)
{
	char hash[PASSWORD_HASH_MAX];
	const char *pw, *confirm, *params;
	enum password_problem problem;
	enum db_status st;
	int rc;

	if (!r->session.recent_auth)
		return profile_ask_reauth(r, "/profile/password");
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
	    outbox_mail(r->user.email, profile_user_lang(r), "password_changed", params, 0) == -1 ||
	    outbox_notice(r->user.id, "password_changed", "{}", "/profile/sessions") == -1)
		return page_tx_fail(DB_ERROR);
	if ((rc = profile_tx_rotate_commit(r)) != 0)
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

int
profile_email(struct req *r)
{
	if (!r->session.recent_auth)
		return profile_ask_reauth(r, "/profile/email");
	return show_email(r);
}

static const struct field_rule email_rules[] = {
	{ "email", FIELD_EMAIL, 1, 3, 254, NULL },
};

/* Count this request against the day's limit, inside the transaction
 * (rolled back when refused, so refused requests do not count). 0 to go
 * on, 1 over the limit (rolled back), or a status. */
static int
email_request_allowed(struct req *r)
{
	const char *p[1] = { r->user.id_text };
	struct db_result *res = NULL;
	enum db_status st;

	if ((st = db_run("profile_email_requests_forget", 1, p)) != DB_OK ||
	    (st = db_query(&res, "profile_email_request_count", 1, p)) != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) == 1 && atoi(db_value(res, 0, 0)) <= EMAIL_CHANGES_PER_DAY)
		return 0;
	db_rollback();
	return 1;
}

/* The address belongs to another account (owner, its language): tell its
 * owner by mail, in the transaction; nothing else changes. */
static int
email_tell_owner(struct req *r, const char *email, const char *owner, const char *lang)
{
	const char *params = json_object(r->arena, "link_path", "/password/forgot", NULL);

	if (params == NULL ||
	    outbox_mail(email, lang, "email_in_use", params, 0) == -1 ||
	    audit_log(r, atoll(owner), "profile.email_change_in_use",
	              arena_printf(r->arena, "user:%s", r->user.id_text)) == -1)
		return -1;
	return 0;
}

/* A free address: a fresh link (earlier ones void) mailed to it, in the
 * transaction. The mail holds no text the user wrote (not even the
 * account's name): the address is not proven to be theirs. */
static int
email_send_link(struct req *r, const char *email)
{
	char token[65], hash[67], lifetime[16];
	const char *link, *params;

	if (token_random_hex(token, 32) == -1)
		return -1;
	token_sha256_bytea(token, hash);
	snprintf(lifetime, sizeof(lifetime), "%d", EMAIL_LINK_SECONDS);
	link = arena_printf(r->arena, "/profile/email/confirm?token=%s", token);
	params = json_object(r->arena, "link_path", link,
	                     "minutes", arena_printf(r->arena, "%d", EMAIL_LINK_SECONDS / 60), NULL);
	if (link == NULL || params == NULL)
		return -1;
	{
		const char *v[1] = { r->user.id_text };
		const char *c[4] = { r->user.id_text, hash, email, lifetime };
		if (db_run("profile_email_tokens_void", 1, v) != DB_OK ||
		    db_run("profile_email_token_create", 4, c) != DB_OK)
			return -1;
	}
	return outbox_mail(email, profile_user_lang(r), "change_email", params, 1) == -1 ? -1 : 0;
}

/* The answer is the same whether or not the address belongs to another
 * account (303, the same notice, the same audit row for the requester):
 * only the mail differs, and it goes to the address's owner. At most
 * EMAIL_CHANGES_PER_DAY requests per account in 24 hours. */
int
profile_email_post(struct req *r)
{
	char owner[24] = "", owner_lang[8] = "";
	const char *email, *notice;
	struct db_result *res = NULL;
	enum db_status st;
	int rc;

	if (!r->session.recent_auth)
		return profile_ask_reauth(r, "/profile/email");
	if (form_validate(r, email_rules, 1) != 0)
		return show_email(r);
	email = form_value(r, "email");
	if (strcmp(email, r->user.email) == 0) {
		form_error(r, "email", "profile.email.same");
		return show_email(r);
	}
	if ((notice = json_object(r->arena, "email", email, NULL)) == NULL)
		return HTTP_INTERNAL_ERROR;
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	if ((rc = email_request_allowed(r)) == 1) {
		(void)audit_log(r, r->user.id, "profile.email_change_limited",
		                arena_printf(r->arena, "user:%s", r->user.id_text));
		form_error(r, "email", "profile.email.limit");
		(void)show_email(r);
		return PROFILE_TOO_MANY;
	}
	if (rc != 0)
		return rc;
	{
		const char *p[1] = { email };
		if ((st = db_query(&res, "profile_email_in_use", 1, p)) != DB_OK)
			return page_tx_fail(st);
		if (db_rows(res) == 1) {
			snprintf(owner, sizeof(owner), "%s", db_value(res, 0, 0));
			snprintf(owner_lang, sizeof(owner_lang), "%s", db_value(res, 0, 1));
		}
	}
	if ((*owner ? email_tell_owner(r, email, owner, owner_lang) : email_send_link(r, email)) == -1 ||
	    outbox_notice(r->user.id, "email_change_requested", notice, "/profile") == -1 ||
	    audit_log(r, r->user.id, "profile.email_change_requested",
	              arena_printf(r->arena, "user:%s", r->user.id_text)) == -1)
		return page_tx_fail(DB_ERROR);
	return profile_tx_commit_redirect(r, "/profile?done=email_sent");
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

int
profile_email_confirm(struct req *r)
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

/* In the change's transaction: mail the old address of user that it was
 * changed to email (the old address is the proven one: the account's
 * name may go in). 0 or a status (the transaction then rolled back). */
static int
email_tell_old_address(struct req *r, const char *user, const char *email)
{
	const char *p[1] = { user };
	struct db_result *res = NULL;
	const char *params;
	enum db_status st;

	if ((st = db_query(&res, "profile_email_old", 1, p)) != DB_OK)
		return page_tx_fail(st);
	if (db_rows(res) != 1)
		return page_tx_fail(DB_ERROR);
	params = json_object(r->arena, "name", db_value(res, 0, 1), "email", email, NULL);
	if (params == NULL ||
	    outbox_mail(db_value(res, 0, 0), db_value(res, 0, 2), "email_changed", params, 0) == -1)
		return page_tx_fail(DB_ERROR);
	return 0;
}

int
profile_email_confirm_post(struct req *r)
{
	const char *token = fields_get(&r->form, "token");
	struct db_result *res = NULL;
	char hash[67], user[24], email[256];
	const char *p[1] = { hash };
	enum db_status st;
	int told;

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
	if ((told = email_tell_old_address(r, user, email)) != 0)
		return told;
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
	return profile_tx_commit_redirect(r, "/profile/email/confirm?done=1");
}
