/* users: the accounts list, one account's page, granting and revoking
 * roles, disabling and enabling an account. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/admin/admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/json.h"
#include "core/outbox.h"
#include "core/request.h"
#include "core/validate.h"
#include "core/view.h"

static const char *const all_roles[] = {
	"patient", "doctor", "pharmacist", "lab", "reception", "admin", NULL,
};

/* ---------------------------------------------------------- user list */

enum { UL_ID, UL_EMAIL, UL_NAME, UL_ROLES, UL_VERIFIED, UL_DISABLED, UL_TOTP };

int
admin_users(struct req *r)
{
	const char *q = admin_trim(r, fields_get(&r->query, "q"));
	const char *role = fields_get(&r->query, "role");
	const char *page_s = fields_get(&r->query, "page");
	long page = 1;
	char offset[24];
	const char *p[3];
	struct db_result *res;
	enum db_status st;
	size_t n;

	if (q == NULL)
		return HTTP_INTERNAL_ERROR;
	if (page_s && *page_s) {
		if (!is_positive_id(page_s) || strlen(page_s) > 6 || (page = atol(page_s)) > MAX_PAGE)
			return HTTP_BAD_REQUEST;
	}
	if (role && *role && !admin_in_list(all_roles, role))
		return HTTP_BAD_REQUEST;
	if (utf8_char_count(q) > 254 || admin_has_control(q))
		return HTTP_BAD_REQUEST;
	snprintf(offset, sizeof(offset), "%ld", (page - 1) * PAGE_ROWS);
	p[0] = *q ? q : NULL;
	p[1] = role && *role ? role : NULL;
	p[2] = offset;
	if ((st = db_query(&res, "admin_users_list", 3, p)) != DB_OK)
		return db_http_status(st);
	n = db_rows(res);
	for (size_t i = 0; i < n && i < PAGE_ROWS; i++) {
		view_set(r->view, db_value(res, i, UL_ID), "Data.users.%zu.id", i);
		view_set(r->view, db_value(res, i, UL_EMAIL), "Data.users.%zu.email", i);
		view_set(r->view, db_value(res, i, UL_NAME), "Data.users.%zu.name", i);
		view_set(r->view, admin_roles_label(r, db_value(res, i, UL_ROLES)), "Data.users.%zu.roles", i);
		if (db_value(res, i, UL_VERIFIED)[0] == 't')
			view_set(r->view, "1", "Data.users.%zu.verified", i);
		if (db_value(res, i, UL_DISABLED)[0] == 't')
			view_set(r->view, "1", "Data.users.%zu.disabled", i);
		if (db_value(res, i, UL_TOTP)[0] == 't')
			view_set(r->view, "1", "Data.users.%zu.totp", i);
	}
	view_set(r->view, q, "Form.q");
	view_set(r->view, role && *role ? role : "", "Form.role");
	for (size_t i = 0; all_roles[i]; i++) {
		view_set(r->view, all_roles[i], "Data.roles.%zu.code", i);
		view_set(r->view, admin_role_label(r, all_roles[i]), "Data.roles.%zu.name", i);
	}
	if (page > 1)
		view_set_int(r->view, page - 1, "Data.prev_page");
	if (n > PAGE_ROWS)
		view_set_int(r->view, page + 1, "Data.next_page");
	view_set_int(r->view, page, "Data.page");
	page_title(r, "admin.users.title");
	r->resp.template = "admin/users.cs";
	return HTTP_OK;
}

/* -------------------------------------------------------- user detail */

enum { UG_ID, UG_EMAIL, UG_NAME, UG_LANG, UG_VERIFIED, UG_DISABLED, UG_TOTP,
       UG_CREATED, UG_SESSIONS, UG_DOCTOR_ID, UG_DOCTOR_LICENCE, UG_DOCTOR_SPECIALTIES,
       UG_PHARMACY, UG_PHARMACY_LICENCE };

/* Facts about one account the handlers need. */
struct target {
	char email[256];
	char name[201];
	char lang[3];
	int disabled;
	int has_doctor_row;
	int has_pharmacist_row;
};

/* Load user id; fill the dataset when fill. 0, HTTP_NOT_FOUND when there
 * is no such user, or another HTTP status. */
static int
load_user(struct req *r, const char *id, struct target *t, int fill)
{
	struct db_result *res;
	const char *p[3] = { id, r->lang, page_tz(r) };
	int st;

	memset(t, 0, sizeof(*t));
	if ((st = page_query_row(&res, "admin_user_get", 3, p)) != 0)
		return st;
	snprintf(t->email, sizeof(t->email), "%s", db_value(res, 0, UG_EMAIL));
	snprintf(t->name, sizeof(t->name), "%s", db_value(res, 0, UG_NAME));
	snprintf(t->lang, sizeof(t->lang), "%s", db_value(res, 0, UG_LANG));
	t->disabled = *db_value(res, 0, UG_DISABLED) != '\0';
	t->has_doctor_row = *db_value(res, 0, UG_DOCTOR_ID) != '\0';
	t->has_pharmacist_row = *db_value(res, 0, UG_PHARMACY) != '\0';
	if (fill) {
		view_set(r->view, db_value(res, 0, UG_ID), "Data.user.id");
		view_set(r->view, t->email, "Data.user.email");
		view_set(r->view, t->name, "Data.user.name");
		view_set(r->view, view_lang(r->view, strcmp(t->lang, "en") == 0
		                                     ? "admin.lang_en" : "admin.lang_es"),
		         "Data.user.language");
		if (db_value(res, 0, UG_VERIFIED)[0] == 't')
			view_set(r->view, "1", "Data.user.verified");
		view_set(r->view, page_when(r, db_value(res, 0, UG_DISABLED)), "Data.user.disabled_at");
		if (db_value(res, 0, UG_TOTP)[0] == 't')
			view_set(r->view, "1", "Data.user.totp");
		view_set(r->view, page_when(r, db_value(res, 0, UG_CREATED)), "Data.user.created");
		view_set(r->view, db_value(res, 0, UG_SESSIONS), "Data.user.sessions");
		view_set(r->view, db_value(res, 0, UG_DOCTOR_LICENCE), "Data.user.doctor_licence");
		view_set(r->view, db_value(res, 0, UG_DOCTOR_SPECIALTIES), "Data.user.doctor_specialties");
		view_set(r->view, db_value(res, 0, UG_PHARMACY), "Data.user.pharmacy");
		view_set(r->view, db_value(res, 0, UG_PHARMACY_LICENCE), "Data.user.pharmacy_licence");
		if (strcmp(id, r->user.id_text) == 0)
			view_set(r->view, "1", "Data.user.is_me");
	}
	return 0;
}

/* The detail page of user id, with status (200, or the same page again
 * with form errors). */
static int
show_user(struct req *r, const char *id, int status)
{
	struct target t;
	struct db_result *res;
	const char *p[2] = { id, page_tz(r) };
	enum db_status dst;
	int st;
	size_t g = 0;

	if ((st = load_user(r, id, &t, 1)) != 0)
		return st;
	if ((dst = db_query(&res, "admin_user_roles", 2, p)) != DB_OK)
		return db_http_status(dst);
	for (size_t i = 0; i < db_rows(res); i++) {
		view_set(r->view, db_value(res, i, 0), "Data.user.roles.%zu.code", i);
		view_set(r->view, admin_role_label(r, db_value(res, i, 0)), "Data.user.roles.%zu.name", i);
		view_set(r->view, page_when(r, db_value(res, i, 1)), "Data.user.roles.%zu.granted_at", i);
		view_set(r->view, db_value(res, i, 2), "Data.user.roles.%zu.granted_by", i);
	}
	for (size_t k = 0; all_roles[k]; k++) {
		int held = 0;
		for (size_t i = 0; i < db_rows(res); i++)
			held |= strcmp(db_value(res, i, 0), all_roles[k]) == 0;
		if (held)
			continue;
		view_set(r->view, all_roles[k], "Data.grantable.%zu.code", g);
		view_set(r->view, admin_role_label(r, all_roles[k]), "Data.grantable.%zu.name", g);
		g++;
	}
	if (!t.has_doctor_row)
		view_set(r->view, "1", "Data.needs_doctor_details");
	if (!t.has_pharmacist_row)
		view_set(r->view, "1", "Data.needs_pharmacist_details");
	if ((st = admin_fill_specialties(r, NULL)) != 0)
		return st;
	admin_show_message(r);
	view_set(r->view, t.email, "Page.title");
	r->resp.template = "admin/user.cs";
	return status;
}

int
admin_user(struct req *r)
{
	return show_user(r, r->match.args[0], HTTP_OK);
}

/* ------------------------------------------------------ granting roles */

static const struct field_rule grant_rules[] = {
	{ "role", FIELD_CHOICE, 1, 0, 20, all_roles },
	{ "licence_number", FIELD_TEXT, 0, 1, 50, NULL },
	{ "pharmacy_name", FIELD_TEXT, 0, 1, 200, NULL },
};

static const char *
user_path(struct req *r, const char *id, const char *msg)
{
	return arena_printf(r->arena, "/admin/users/%s?msg=%s", id, msg);
}

/* Nothing to change after all: roll back and show user id's page with
 * the message msg. */
static int
tx_unchanged(struct req *r, const char *id, const char *msg)
{
	db_rollback();
	return page_redirect(r, user_path(r, id, msg));
}

/* While granting a role: the licence number belongs to another account.
 * Roll back and show the page again with the error. */
static int
grant_licence_taken(struct req *r, const char *id)
{
	db_rollback();
	form_error(r, "licence_number", "admin.new.licence_taken");
	return show_user(r, id, HTTP_OK);
}

/* The end of a role change (granted, else revoked) in its transaction:
 * the user's notice, the audit row, the commit, a new session token when
 * admins changed their own roles, and back to the user's page. */
static int
finish_role_change(struct req *r, const char *id, const char *role, int granted)
{
	int st;

	if (outbox_notice(atoll(id), granted ? "role_granted" : "role_revoked",
	                  json_object(r->arena, "role", role, (const char *)NULL),
	                  "/account/security") == -1 ||
	    audit_log(r, atoll(id), granted ? "admin.role_granted" : "admin.role_revoked",
	              arena_printf(r->arena, "role:%s", role)) == -1)
		return page_tx_fail(DB_ERROR);
	if (db_commit() != DB_OK)
		return page_tx_fail(DB_ERROR);
	/* A privilege change of one's own session: a new token. */
	if (strcmp(id, r->user.id_text) == 0 && (st = sess_rotate(r, 0)) != 0)
		return st;
	return page_redirect(r, user_path(r, id, granted ? "granted" : "revoked"));
}

int
admin_role_grant_page(struct req *r)
{
	const char *id = r->match.args[0], *role;
	struct target t;
	struct picked pk;
	enum db_status dst;
	size_t granted;
	int st;

	if ((st = load_user(r, id, &t, 0)) != 0)
		return st;
	if (admin_read_specialties(r, &pk) == -1)
		return HTTP_BAD_REQUEST;
	form_validate(r, grant_rules, sizeof(grant_rules) / sizeof(grant_rules[0]));
	role = form_value(r, "role");
	admin_check_staff_details(r, role, t.has_doctor_row, t.has_pharmacist_row);
	if (r->form_errors)
		return show_user(r, id, HTTP_OK);
	if ((dst = db_begin()) != DB_OK)
		return db_http_status(dst);
	{
		const char *p[3] = { id, role, r->user.id_text };
		if (db_run_rows("admin_role_grant", 3, p, &granted) != DB_OK)
			return page_tx_fail(DB_ERROR);
	}
	if (granted != 1)
		return tx_unchanged(r, id, "already_held");
	if (strcmp(role, "doctor") == 0) {
		if (!t.has_doctor_row) {
			int rc = admin_link_doctor(id, t.name, form_value(r, "licence_number"), &pk);
			if (rc == 1)
				return grant_licence_taken(r, id);
			if (rc != 0)
				return page_tx_fail(DB_ERROR);
		} else {
			const char *p[2] = { id, "true" };
			if (db_run("admin_doctor_active", 2, p) != DB_OK)
				return page_tx_fail(DB_ERROR);
		}
	} else if (strcmp(role, "pharmacist") == 0 && !t.has_pharmacist_row) {
		const char *p[3] = { id, form_value(r, "pharmacy_name"), form_value(r, "licence_number") };
		dst = db_run("admin_pharmacist_create", 3, p);
		if (dst == DB_CONFLICT)
			return grant_licence_taken(r, id);
		if (dst != DB_OK)
			return page_tx_fail(DB_ERROR);
	}
	return finish_role_change(r, id, role, 1);
}

/* ------------------------------------------------------ revoking roles */

int
admin_role_revoke_page(struct req *r)
{
	const char *id = r->match.args[0];
	const char *role = fields_get(&r->form, "role");
	struct target t;
	struct db_result *res;
	size_t revoked;
	int st;

	if (!admin_in_list(all_roles, role))
		return HTTP_BAD_REQUEST;
	if ((st = load_user(r, id, &t, 0)) != 0)
		return st;
	if (strcmp(role, "admin") == 0 && strcmp(id, r->user.id_text) == 0)
		return page_redirect(r, user_path(r, id, "self_revoke"));
	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	if (strcmp(role, "admin") == 0) {
		/* The acting admin must still be one once every admin row is
		 * locked: two admins revoking each other cannot both win. */
		int still_admin = 0;
		if (db_query(&res, "admin_admins_lock", 0, NULL) != DB_OK)
			return page_tx_fail(DB_ERROR);
		for (size_t i = 0; i < db_rows(res); i++)
			still_admin |= strcmp(db_value(res, i, 0), r->user.id_text) == 0;
		if (!still_admin) {
			db_rollback();
			return HTTP_FORBIDDEN;
		}
	}
	{
		const char *p[2] = { id, role };
		if (db_run_rows("admin_role_revoke", 2, p, &revoked) != DB_OK)
			return page_tx_fail(DB_ERROR);
	}
	if (revoked != 1)
		return tx_unchanged(r, id, "not_held");
	if (strcmp(role, "doctor") == 0) {
		const char *p[2] = { id, "false" };
		if (db_run("admin_doctor_active", 2, p) != DB_OK)
			return page_tx_fail(DB_ERROR);
	}
	return finish_role_change(r, id, role, 0);
}

/* ------------------------------------------------- disabling, enabling */

/* The confirmation page of disabling user id (Data.user from load_user):
 * what happens, the destructive button in its own style, a way back. */
static int
show_disable_confirm(struct req *r, const char *id)
{
	struct target t;
	int st;

	if (strcmp(id, r->user.id_text) == 0)
		return page_redirect(r, user_path(r, id, "self_disable"));
	if ((st = load_user(r, id, &t, 1)) != 0)
		return st;
	if (t.disabled)
		return page_redirect(r, user_path(r, id, "already_disabled"));
	page_title(r, "admin.user.disable_title");
	r->resp.template = "admin/user_disable.cs";
	return HTTP_OK;
}

int
admin_user_disable_ask(struct req *r)
{
	return show_disable_confirm(r, r->match.args[0]);
}

/* Disabling needs the confirmation page's "confirm=yes": a form without it
 * (an old page, a stray click) gets the confirmation page, nothing more. */
int
admin_user_disable(struct req *r)
{
	const char *id = r->match.args[0], *confirm = fields_get(&r->form, "confirm");
	const char *p[1] = { id };
	struct db_result *res;
	struct target t;
	char email[256], name[201], lang[3];
	int st;

	if (confirm == NULL || strcmp(confirm, "yes") != 0)
		return show_disable_confirm(r, id);
	if (strcmp(id, r->user.id_text) == 0)
		return page_redirect(r, user_path(r, id, "self_disable"));
	if ((st = load_user(r, id, &t, 0)) != 0)
		return st;
	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	if (db_query(&res, "admin_user_disable", 1, p) != DB_OK)
		return page_tx_fail(DB_ERROR);
	if (db_rows(res) != 1)
		return tx_unchanged(r, id, "already_disabled");
	snprintf(email, sizeof(email), "%s", db_value(res, 0, 0));
	snprintf(name, sizeof(name), "%s", db_value(res, 0, 1));
	snprintf(lang, sizeof(lang), "%s", db_value(res, 0, 2));
	/* Every session ends now, in the same transaction. */
	if (sess_end_all(atoll(id)) == -1 ||
	    outbox_mail(email, lang, "account_disabled",
	                json_object(r->arena, "name", name, (const char *)NULL), 0) == -1 ||
	    audit_log(r, atoll(id), "admin.user_disabled", arena_printf(r->arena, "user:%s", id)) == -1)
		return page_tx_fail(DB_ERROR);
	if (db_commit() != DB_OK)
		return page_tx_fail(DB_ERROR);
	return page_redirect(r, user_path(r, id, "disabled"));
}

int
admin_user_enable(struct req *r)
{
	const char *id = r->match.args[0];
	const char *p[1] = { id };
	struct target t;
	size_t changed;
	int st;

	if ((st = load_user(r, id, &t, 0)) != 0)
		return st;
	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	if (db_run_rows("admin_user_enable", 1, p, &changed) != DB_OK)
		return page_tx_fail(DB_ERROR);
	if (changed != 1)
		return tx_unchanged(r, id, "already_enabled");
	if (audit_log(r, atoll(id), "admin.user_enabled", arena_printf(r->arena, "user:%s", id)) == -1)
		return page_tx_fail(DB_ERROR);
	if (db_commit() != DB_OK)
		return page_tx_fail(DB_ERROR);
	return page_redirect(r, user_path(r, id, "enabled"));
}
