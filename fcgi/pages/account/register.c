/* register: creating a patient account, and confirming its e-mail
 * address with the link mailed to it (and mailing it again). */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/account/account.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/json.h"
#include "core/outbox.h"
#include "core/request.h"
#include "core/validate.h"
#include "core/view.h"

/* ============================================================ register */

static const struct field_rule register_rules[] = {
	{ "full_name", FIELD_TEXT, 1, 1, 200, NULL },
	{ "birth_date", FIELD_DATE, 1, 10, 10, NULL },
	{ "email", FIELD_EMAIL, 1, 3, 254, NULL },
	{ "phone", FIELD_PHONE, 0, 0, 50, NULL },
	{ "password", FIELD_PASSWORD, 1, 0, PASSWORD_MAX_BYTES, NULL },
	{ "password_confirm", FIELD_PASSWORD, 1, 0, PASSWORD_MAX_BYTES, NULL },
	{ "language", FIELD_CHOICE, 1, 0, 2, page_languages },
};

static int
register_form(struct req *r, int status)
{
	return account_form_page(r, "account.register.title", "account/register.cs", status);
}

int
account_register_get(struct req *r)
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

/* The address already has an account: nothing on the page says so (the
 * same 303 as a new registration). An unverified account gets a fresh
 * verification link, so that someone who lost the first mail can simply
 * register again; a verified one gets an "account_exists" mail (sign in or
 * reset the password); a disabled one nothing. At most one mail a minute
 * per account either way (docs/accounts.md). */
static int
register_existing(struct req *r, const struct account *a)
{
	const char *params;
	int ok;

	(void)account_audit_user(r, a->id_text, "auth.register_existing");
	if (a->disabled)
		return 0;
	if ((ok = account_resend_allowed(r, a->id_text)) <= 0)
		return ok < 0 ? -ok : 0;
	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	if (!a->verified)
		return account_tx_finish(account_send_verification(r, a->id_text, a->email, a->lang));
	params = json_object(r->arena, "link_path", "/password/forgot", NULL);
	return account_tx_finish(params && outbox_mail(a->email, a->lang, "account_exists", params, 0) == 0
	                         ? 0 : HTTP_INTERNAL_ERROR);
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
		if ((st = account_run("account_add_patient_role", 1, q)) != 0)
			goto out;
	}
	if ((st = account_send_verification(r, uid, email, lang)) != 0)
		goto out;
	st = account_audit_user(r, uid, "auth.registered");
out:
	return account_tx_finish(st);
}

int
account_register_post(struct req *r)
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
	account_check_password(r, email, name);
	if (r->form_errors)
		return register_form(r, HTTP_OK);

	addr_key = account_throttle_key(r, "reg", r->remote_addr);
	if ((wait = account_throttle_wait(addr_key, NULL)) != 0)
		return wait < 0 ? -wait : account_throttled(r, wait);
	account_throttle_count(r, addr_key, REGISTER_FACTOR * r->cfg->throttle_free_failures);
	/* Hash first, whatever happens next: an existing address takes as long. */
	if ((st = account_hash_password(form_value(r, "password"), hash)) != 0)
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

int
account_register_sent(struct req *r)
{
	return page_show(r, "account.register_sent.title", "account/register_sent.cs", HTTP_OK);
}

/* ============================================================ verify */

int
account_verify(struct req *r)
{
	struct link l;
	int st;

	if ((st = account_link_lookup(r, fields_get(&r->query, "token"), "verify_email", &l)) != 0)
		return account_link_invalid(r, st, "verify");
	/* Link checkers send HEAD: it must not use the link up. */
	if (r->method == METHOD_HEAD)
		return page_show(r, "account.verified.title", "account/verified.cs", HTTP_OK);
	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	{
		const char *p[1] = { l.user };
		const char *q[2] = { l.user, "verify_email" };
		if ((st = account_link_use(&l)) != 0 || (st = account_run("account_mark_verified", 1, p)) != 0 ||
		    (st = account_run("account_tokens_use_all", 2, q)) != 0)
			goto out;
	}
	st = account_audit_user(r, l.user, "auth.email_verified");
out:
	if ((st = account_tx_finish(st)) != 0)
		return account_link_invalid(r, st, "verify");
	if (r->user.id == l.user_id) {
		r->user.email_verified = 1;
		view_set(r->view, "", "Page.user.unverified");   /* the layout's reminder */
	}
	if (r->user.id && !r->session.mfa_pending)
		view_set(r->view, "1", "Data.signed_in");
	return page_show(r, "account.verified.title", "account/verified.cs", HTTP_OK);
}

/* GET /verify/resend: the reminder with the resend button. */
int
account_verify_resend_get(struct req *r)
{
	const char *status = fields_get(&r->query, "status");

	if (r->user.email_verified)
		view_set(r->view, "1", "Data.verified");
	else if (status && (strcmp(status, "sent") == 0 || strcmp(status, "wait") == 0))
		view_set(r->view, status, "Data.status");
	view_set(r->view, r->user.email, "Data.email");
	return page_show(r, "account.resend.title", "account/resend.cs", HTTP_OK);
}

int
account_verify_resend_post(struct req *r)
{
	int ok, st;

	if (r->user.email_verified)
		return page_redirect(r, "/verify/resend");
	if ((ok = account_resend_allowed(r, r->user.id_text)) < 0)
		return -ok;
	if (ok == 0)
		return page_redirect(r, "/verify/resend?status=wait");
	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	if ((st = account_send_verification(r, r->user.id_text, r->user.email,
	                            r->user.lang[0] ? r->user.lang : r->lang)) == 0)
		st = account_audit_user(r, r->user.id_text, "auth.verify_resent");
	if ((st = account_tx_finish(st)) != 0)
		return st;
	return page_redirect(r, "/verify/resend?status=sent");
}
