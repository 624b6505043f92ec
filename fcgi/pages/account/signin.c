/* signin: signing in with a password, the second factor (TOTP or a
 * recovery code), and signing out. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/account/account.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/request.h"
#include "core/token.h"
#include "core/validate.h"
#include "core/view.h"
#include "lib/totp.h"

/* ============================================================ sign in */

static const struct field_rule login_rules[] = {
	{ "email", FIELD_EMAIL, 1, 3, 254, NULL },
	{ "password", FIELD_PASSWORD, 1, 0, PASSWORD_MAX_BYTES, NULL },
};

static int
login_form(struct req *r, const char *next, int status)
{
	const char *done = fields_get(&r->query, "done");

	account_keep_next(r, next);
	if (done && strcmp(done, "reset") == 0)
		view_set(r->view, "reset", "Data.done");
	return account_form_page(r, "account.login.title", "account/login.cs", status);
}

int
account_login_get(struct req *r)
{
	const char *next = fields_get(&r->query, "next");

	if (r->session.mfa_pending)
		return page_redirect(r, account_with_next(r, "/login/2fa", next));
	if (r->user.id)
		return page_redirect(r, account_safe_next(next));
	return login_form(r, next, HTTP_OK);
}

/* The one answer for every failed sign-in (unknown e-mail, wrong
 * password; a disabled account with a wrong password too): the form
 * again, the e-mail kept, one message. */
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
	if (account_hash_password(pw, fresh) == 0) {
		const char *p[3] = { a->id_text, a->hash, fresh };
		(void)account_run("account_rehash", 3, p);
	}
}

int
account_login_post(struct req *r)
{
	const char *next = fields_get(&r->form, "next"), *email, *pw, *acct_key, *addr_key;
	struct account a;
	int st, wait, ok;

	form_validate(r, login_rules, sizeof(login_rules) / sizeof(login_rules[0]));
	if (r->form_errors)
		return login_form(r, next, HTTP_OK);
	email = form_value(r, "email");
	pw = form_value(r, "password");
	acct_key = account_throttle_key(r, "acct", email);
	addr_key = account_throttle_key(r, "addr", r->remote_addr);
	if ((wait = account_throttle_wait(acct_key, addr_key)) != 0) {
		if (wait < 0)
			return -wait;
		if ((st = account_load(r, email, NULL, &a)) != 0)
			return st;
		audit_log(r, a.id, "auth.login_throttled", a.id ? arena_printf(r->arena, "user:%s", a.id_text) : "unknown");
		return account_throttled(r, wait);
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

	if (!ok) {
		account_throttle_count(r, acct_key, r->cfg->throttle_free_failures);
		account_throttle_count(r, addr_key, r->cfg->throttle_free_failures);
		audit_log(r, a.id, "auth.login_failed", a.id ? "password" : "unknown");
		return login_failed(r, next);
	}
	/* Only someone who knows the password learns that the account is
	 * disabled (and whom to ask): anyone else got the answer above. No
	 * session, and the failure counts like any other. */
	if (a.disabled) {
		account_throttle_count(r, acct_key, r->cfg->throttle_free_failures);
		account_throttle_count(r, addr_key, r->cfg->throttle_free_failures);
		audit_log(r, a.id, "auth.login_failed", "disabled");
		view_set(r->view, "1", "Data.disabled");
		return login_form(r, next, HTTP_OK);
	}

	account_throttle_clear(acct_key);
	maybe_rehash(&a, pw);
	if ((st = sess_start(r, a.id, a.totp)) != 0)
		return st;
	audit_log(r, a.id, "auth.login", a.totp ? "password;mfa_pending" : "password");
	if (a.totp)
		return page_redirect(r, account_with_next(r, "/login/2fa", next));
	return page_redirect(r, account_safe_next(next));
}

/* ============================================================ second factor */

static const struct field_rule mfa_rules[] = {
	{ "code", FIELD_TEXT, 1, 1, 40, NULL },
};

static int
mfa_form(struct req *r, const char *next, int status)
{
	account_keep_next(r, next);
	return account_form_page(r, "account.mfa.title", "account/mfa.cs", status);
}

int
account_mfa_get(struct req *r)
{
	const char *next = fields_get(&r->query, "next");

	if (!r->session.mfa_pending)
		return page_redirect(r, r->user.id ? account_safe_next(next) : account_with_next(r, "/login", next));
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
		return account_one_row("account_recovery_use", 2, p);
	}
}

int
account_mfa_post(struct req *r)
{
	const char *next = fields_get(&r->form, "next"), *mfa_key, *addr_key, *how = "totp";
	struct account a;
	int st, wait, ok;

	if (!r->session.mfa_pending)
		return page_redirect(r, r->user.id ? account_safe_next(next) : account_with_next(r, "/login", next));
	form_validate(r, mfa_rules, sizeof(mfa_rules) / sizeof(mfa_rules[0]));
	if (r->form_errors)
		return mfa_form(r, next, HTTP_OK);
	mfa_key = account_throttle_key(r, "mfa", r->user.id_text);
	addr_key = account_throttle_key(r, "addr", r->remote_addr);
	if ((wait = account_throttle_wait(mfa_key, addr_key)) != 0) {
		if (wait < 0)
			return -wait;
		audit_log(r, r->user.id, "auth.mfa_throttled", arena_printf(r->arena, "user:%s", r->user.id_text));
		return account_throttled(r, wait);
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
		account_throttle_count(r, mfa_key, r->cfg->throttle_free_failures);
		account_throttle_count(r, addr_key, r->cfg->throttle_free_failures);
		audit_log(r, a.id, "auth.mfa_failed", how);
		form_error(r, "code", "account.mfa.wrong");
		return mfa_form(r, next, HTTP_OK);
	}
	account_throttle_clear(mfa_key);
	/* A new token at the privilege change. */
	if ((st = sess_rotate(r, 0)) != 0)
		return st;
	audit_log(r, a.id, "auth.mfa_ok", how);
	return page_redirect(r, account_safe_next(next));
}

/* ============================================================ sign out */

int
account_logout(struct req *r)
{
	if (r->session.id) {
		long long uid = r->user.id;
		audit_log(r, uid, "auth.logout", r->session.mfa_pending ? "mfa_cancelled" : "");
		(void)sess_end(r);
	}
	return page_redirect(r, "/");
}
