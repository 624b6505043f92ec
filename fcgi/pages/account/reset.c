/* reset: password recovery: the e-mailed reset link and the new password. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/account/account.h"

#include <string.h>

#include "core/audit.h"
#include "core/config.h"
#include "core/json.h"
#include "core/outbox.h"
#include "core/request.h"
#include "core/validate.h"
#include "core/view.h"

/* ============================================================ password reset */

static const struct field_rule forgot_rules[] = {
	{ "email", FIELD_EMAIL, 1, 3, 254, NULL },
};

static int
forgot_form(struct req *r, int status)
{
	return account_form_page(r, "account.forgot.title", "account/forgot.cs", status);
}

int
account_forgot_get(struct req *r)
{
	const char *sent = fields_get(&r->query, "sent");

	if (sent && strcmp(sent, "1") == 0)
		return page_show(r, "account.forgot_sent.title", "account/forgot_sent.cs", HTTP_OK);
	if (r->user.id && !r->session.mfa_pending)
		view_set(r->view, r->user.email, "Form.email");
	return forgot_form(r, HTTP_OK);
}

int
account_forgot_post(struct req *r)
{
	const char *email, *acct_key, *addr_key;
	char raw[2 * LINK_TOKEN_BYTES + 1];
	struct account a;
	int st, wait;

	form_validate(r, forgot_rules, sizeof(forgot_rules) / sizeof(forgot_rules[0]));
	if (r->form_errors)
		return forgot_form(r, HTTP_OK);
	email = form_value(r, "email");
	acct_key = account_throttle_key(r, "rst", email);
	addr_key = account_throttle_key(r, "rsta", r->remote_addr);
	if ((wait = account_throttle_wait(acct_key, addr_key)) != 0)
		return wait < 0 ? -wait : account_throttled(r, wait);
	account_throttle_count(r, acct_key, r->cfg->throttle_free_failures);
	account_throttle_count(r, addr_key, r->cfg->throttle_free_failures);
	if ((st = account_load(r, email, NULL, &a)) != 0)
		return st;
	if (a.id == 0 || a.disabled) {
		audit_log(r, a.id, "auth.reset_requested", a.id ? "disabled" : "unknown");
		return page_redirect(r, "/password/forgot?sent=1");
	}
	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	if ((st = account_link_token(a.id_text, "reset_password", RESET_TTL, raw)) != 0 ||
	    (st = account_mail_link(r, a.email, a.lang, "reset_password", "/password/reset", raw, RESET_TTL)) != 0)
		goto out;
	st = account_audit_user(r, a.id_text, "auth.reset_requested");
out:
	if ((st = account_tx_finish(st)) != 0)
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
	return account_form_page(r, "account.reset.title", "account/reset.cs", status);
}

int
account_reset_get(struct req *r)
{
	const char *token = fields_get(&r->query, "token");
	struct link l;
	int st;

	if ((st = account_link_lookup(r, token, "reset_password", &l)) != 0)
		return account_link_invalid(r, st, "reset");
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
	if ((st = account_link_use(l)) != 0 || (st = account_run("account_set_password", 2, pset)) != 0 ||
	    (st = account_run("account_tokens_use_all", 2, pall)) != 0)
		goto out;
	if (sess_end_all(l->user_id) < 0 ||
	    account_audit_user(r, l->user, "auth.password_reset") != 0 ||
	    (params = json_object(r->arena, "name", l->name, NULL)) == NULL ||
	    outbox_mail(l->email, l->lang, "password_changed", params, 0) != 0)
		st = HTTP_INTERNAL_ERROR;
out:
	return account_tx_finish(st);
}

int
account_reset_post(struct req *r)
{
	const char *token = fields_get(&r->form, "token");
	char hash[PASSWORD_HASH_MAX];
	struct link l;
	int st;

	if ((st = account_link_lookup(r, token, "reset_password", &l)) != 0)
		return account_link_invalid(r, st, "reset");
	form_validate(r, reset_rules, sizeof(reset_rules) / sizeof(reset_rules[0]));
	account_check_password(r, l.email, l.name);
	if (r->form_errors)
		return reset_form(r, token, HTTP_OK);
	if ((st = account_hash_password(form_value(r, "password"), hash)) != 0)
		return st;
	if ((st = reset_apply(r, &l, hash)) != 0)
		return account_link_invalid(r, st, "reset");
	/* Whoever lost the password may have been locked out by the throttle. */
	account_throttle_clear(account_throttle_key(r, "acct", l.email));
	if (r->session.id)
		(void)sess_end(r);   /* already revoked: clear this browser's cookie */
	return page_redirect(r, "/login?done=reset");
}
