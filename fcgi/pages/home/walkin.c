/* walkin: reception registers a walk-in patient who has no account
 * (demographics only) and, then or later, mails the patient a link to
 * claim it: the link's address becomes the account's once the patient
 * chooses a password (claim.c; docs/homes.md). */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/home/home.h"
#include "pages/account/account.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/request.h"
#include "core/token.h"
#include "core/validate.h"
#include "core/view.h"

#define CLAIM_TTL (7 * 24 * 3600)    /* a claim link lives a week */
#define CLAIM_INTERVAL 60            /* one claim mail a minute per patient */

/* Columns of walkin_get. */
enum { WG_ID, WG_NAME, WG_BIRTH, WG_LANG, WG_UNCLAIMED };

static const struct field_rule walkin_rules[] = {
	{ "full_name", FIELD_TEXT, 1, 1, 200, NULL },
	{ "birth_date", FIELD_DATE, 1, 10, 10, NULL },
	{ "phone", FIELD_PHONE, 0, 0, 50, NULL },
	{ "language", FIELD_CHOICE, 1, 0, 2, page_languages },
	{ "email", FIELD_EMAIL, 0, 3, 254, NULL },
};

static const struct field_rule claim_rules[] = {
	{ "email", FIELD_EMAIL, 1, 3, 254, NULL },
};

/* Mail uid a claim link for email (inside the caller's transaction).
 * The address must not belong to an account already (a form error
 * otherwise, and 0); one mail a minute per patient (a form error too).
 * 0 or an HTTP status. */
static int
claim_send(struct req *r, const char *uid, const char *email, const char *lang)
{
	char raw[2 * LINK_TOKEN_BYTES + 1], hash[67], secs[16], interval[16];
	const char *pt[4] = { uid, hash, email, secs };
	const char *pl[2] = { account_throttle_key(r, "clm", uid), interval };
	struct account a;
	int st;

	if ((st = account_load(r, email, NULL, &a)) != 0)
		return st;
	if (a.id != 0) {
		form_error(r, "email", "home.walkin.email_taken");
		return 0;
	}
	snprintf(interval, sizeof(interval), "%d", CLAIM_INTERVAL);
	if ((st = account_one_row("account_limit_once", 2, pl)) <= 0) {
		if (st == 0)
			form_error(r, "email", "home.walkin.wait");
		return -st;
	}
	if (token_random_hex(raw, LINK_TOKEN_BYTES) == -1)
		return HTTP_UNAVAILABLE;
	token_sha256_bytea(raw, hash);
	snprintf(secs, sizeof(secs), "%d", CLAIM_TTL);
	if ((st = account_run("walkin_token_create", 4, pt)) != 0)
		return st;
	/* No name in the mail: the address is not verified yet, and the
	 * name was typed by someone else (docs/homes.md). */
	if ((st = account_mail_link(r, email, lang, "claim_account", "/claim", raw, CLAIM_TTL)) != 0)
		return st;
	return account_audit_user(r, uid, "auth.claim_sent");
}

/* ------------------------------------------------------ registration */

static int
walkin_form(struct req *r, int status)
{
	return account_form_page(r, "home.walkin.title", "home/walkin.cs", status);
}

int
walkin_new_get(struct req *r)
{
	view_set(r->view, r->lang, "Form.language");
	return walkin_form(r, HTTP_OK);
}

/* The patient, the role, the audit row and (with an address) the claim
 * link: all or nothing. 0 with uid filled, a negative value for a form
 * error (the page is shown again), or an HTTP status. */
static int
walkin_create(struct req *r, char uid[24])
{
	const char *phone = form_value(r, "phone"), *email = form_value(r, "email");
	const char *p[5] = { form_value(r, "full_name"), form_value(r, "birth_date"), phone ? phone : "",
	                     form_value(r, "language"), r->user.id_text };
	const char *q[1] = { uid };
	struct db_result *res;
	enum db_status dst;
	int st;

	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	if ((dst = db_query(&res, "walkin_create", 5, p)) != DB_OK)
		return account_tx_finish(db_http_status(dst));
	if (db_rows(res) != 1) {
		form_error(r, "birth_date", "account.register.birth_date_range");
		db_rollback();
		return -1;
	}
	snprintf(uid, 24, "%s", db_value(res, 0, 0));
	if ((st = account_run("account_add_patient_role", 1, q)) != 0 ||
	    (st = account_audit_user(r, uid, "auth.walkin_registered")) != 0)
		goto out;
	if (email && *email && (st = claim_send(r, uid, email, p[3])) == 0 && r->form_errors) {
		db_rollback();
		return -1;
	}
out:
	return account_tx_finish(st);
}

int
walkin_new_post(struct req *r)
{
	char uid[24];
	int st;

	form_validate(r, walkin_rules, sizeof(walkin_rules) / sizeof(walkin_rules[0]));
	if (r->form_errors)
		return walkin_form(r, HTTP_OK);
	if ((st = walkin_create(r, uid)) < 0)
		return walkin_form(r, HTTP_OK);
	if (st != 0)
		return st;
	return page_redirect(r, arena_printf(r->arena, "/reception?patient=%s", uid));
}

/* ------------------------------------------------------ claim link later */

/* The walk-in of the route's id (404 for anyone who is no patient),
 * shown on the claim form; *res keeps its row. */
static int
walkin_load(struct req *r, struct db_result **res)
{
	const char *p[1] = { r->match.args[0] };
	int st;

	if ((st = page_query_row(res, "walkin_get", 1, p)) != 0)
		return st;
	view_set(r->view, db_value(*res, 0, WG_ID), "Data.patient.id");
	view_set(r->view, db_value(*res, 0, WG_NAME), "Data.patient.name");
	view_set(r->view, page_day(r, db_value(*res, 0, WG_BIRTH)), "Data.patient.birth_date");
	if (db_value(*res, 0, WG_UNCLAIMED)[0] != 't')
		view_set(r->view, "1", "Data.patient.has_account");
	return 0;
}

static int
claim_form(struct req *r, int status)
{
	return account_form_page(r, "home.walkin.claim_title", "home/walkin_claim.cs", status);
}

int
walkin_claim_get(struct req *r)
{
	struct db_result *res;
	const char *sent = fields_get(&r->query, "sent");
	int st;

	if ((st = walkin_load(r, &res)) != 0)
		return st;
	if (sent && strcmp(sent, "1") == 0)
		view_set(r->view, "1", "Data.sent");
	return claim_form(r, HTTP_OK);
}

int
walkin_claim_post(struct req *r)
{
	struct db_result *res;
	int st;

	if ((st = walkin_load(r, &res)) != 0)
		return st;
	if (db_value(res, 0, WG_UNCLAIMED)[0] != 't')
		return claim_form(r, HTTP_CONFLICT);
	form_validate(r, claim_rules, sizeof(claim_rules) / sizeof(claim_rules[0]));
	if (r->form_errors)
		return claim_form(r, HTTP_OK);
	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	st = claim_send(r, db_value(res, 0, WG_ID), form_value(r, "email"), db_value(res, 0, WG_LANG));
	if (st == 0 && r->form_errors) {
		db_rollback();
		return claim_form(r, HTTP_OK);
	}
	if ((st = account_tx_finish(st)) != 0)
		return st;
	return page_redirect(r, arena_printf(r->arena, "/reception/walk-in/%s/claim?sent=1", db_value(res, 0, WG_ID)));
}
