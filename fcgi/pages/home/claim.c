/* claim: a walk-in patient opens the link reception mailed them and
 * chooses a password; the address the link went to becomes the account's
 * (verified: the link proves the mailbox), and they sign in as usual. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/home/home.h"
#include "pages/account/account.h"

#include "core/arena.h"
#include "core/request.h"
#include "core/validate.h"
#include "core/view.h"

static const struct field_rule claim_password_rules[] = {
	{ "password", FIELD_PASSWORD, 1, 0, PASSWORD_MAX_BYTES, NULL },
	{ "password_confirm", FIELD_PASSWORD, 1, 0, PASSWORD_MAX_BYTES, NULL },
};

/* The one page for every link that cannot be used (unknown, used,
 * expired, claimed already): the same words whatever went wrong. */
static int
claim_invalid(struct req *r, int status)
{
	if (status != HTTP_BAD_REQUEST && status != HTTP_GONE)
		return status;
	return page_show(r, "home.claim.invalid_title", "home/claim_invalid.cs", status);
}

/* The link's token and the address it was sent to, while the walk-in
 * has no account yet: 0, or a status for claim_invalid. */
static int
claim_lookup(struct req *r, const char *token, struct link *l, const char **email)
{
	const char *p[1];
	struct db_result *res;
	int st;

	if ((st = account_link_lookup(r, token, "claim_account", l)) != 0)
		return st;
	p[0] = l->id;
	if ((st = page_query_row(&res, "walkin_claim_address", 1, p)) != 0)
		return st == HTTP_NOT_FOUND ? HTTP_GONE : st;
	*email = arena_strdup(r->arena, db_value(res, 0, 0));
	return *email ? 0 : HTTP_INTERNAL_ERROR;
}

static int
claim_form(struct req *r, const char *token, const char *email, int status)
{
	view_set(r->view, token, "Form.token");
	view_set(r->view, email, "Data.email");
	return account_form_page(r, "home.claim.title", "home/claim.cs", status);
}

int
claim_get(struct req *r)
{
	const char *token = fields_get(&r->query, "token"), *email;
	struct link l;
	int st;

	if ((st = claim_lookup(r, token, &l, &email)) != 0)
		return claim_invalid(r, st);
	return claim_form(r, token, email, HTTP_OK);
}

/* The account made: token used up (and the patient's other claim links),
 * address and password set, the audit row: all or nothing. HTTP_GONE when
 * another request claimed it first or the address has an account by now. */
static int
claim_apply(struct req *r, const struct link *l, const char *email, const char *hash)
{
	const char *pset[3] = { l->user, email, hash };
	const char *pall[2] = { l->user, "claim_account" };
	enum db_status dst;
	size_t rows = 0;
	int st;

	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	if ((st = account_link_use(l)) != 0)
		goto out;
	if ((dst = db_run_rows("walkin_claim", 3, pset, &rows)) != DB_OK || rows != 1) {
		st = dst == DB_OK || dst == DB_CONFLICT ? HTTP_GONE : db_http_status(dst);
		goto out;
	}
	if ((st = account_run("account_tokens_use_all", 2, pall)) != 0)
		goto out;
	st = account_audit_user(r, l->user, "auth.account_claimed");
out:
	return account_tx_finish(st);
}

int
claim_post(struct req *r)
{
	const char *token = fields_get(&r->form, "token"), *email;
	char hash[PASSWORD_HASH_MAX];
	struct link l;
	int st;

	if ((st = claim_lookup(r, token, &l, &email)) != 0)
		return claim_invalid(r, st);
	form_validate(r, claim_password_rules, sizeof(claim_password_rules) / sizeof(claim_password_rules[0]));
	account_check_password(r, email, l.name);
	if (r->form_errors)
		return claim_form(r, token, email, HTTP_OK);
	if ((st = account_hash_password(form_value(r, "password"), hash)) != 0)
		return st;
	if ((st = claim_apply(r, &l, email, hash)) != 0)
		return claim_invalid(r, st);
	return page_redirect(r, "/login?done=reset");
}
