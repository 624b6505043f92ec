/* admin: the administrators' pages: staff accounts (create, roles,
 * disable), the audit trail search and the dead-lettered outbox events.
 * Every route is ROLE_ADMIN only (the pipeline checks it, and staff need
 * their second factor first); every change is audited. */
#include "pages.h"
#include "page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
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
#include "lib/datetime.h"

#define PAGE_ROWS 50            /* rows per page; queries return one more */
#define WELCOME_HOURS 72        /* validity of the set-password link */
#define HASH_WAIT_MS 5000
#define MAX_SPECIALTIES 64
#define MAX_PAGE 100000

static const char *const all_roles[] = {
	"patient", "doctor", "pharmacist", "lab", "reception", "admin", NULL,
};
static const char *const staff_roles[] = {
	"doctor", "pharmacist", "lab", "reception", "admin", NULL,
};
static const char *const languages[] = { "es", "en", NULL };

/* ------------------------------------------------------------ helpers */

/* 1 when s is one of list. */
static int
in_list(const char *const *list, const char *s)
{
	for (; s && *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

/* The translated name of a role code ("doctor" -> "Médico/a"). */
static const char *
role_label(struct req *r, const char *code)
{
	char key[64];
	const char *s;

	snprintf(key, sizeof(key), "admin.roles.%s", code);
	s = view_lang(r->view, key);
	return *s ? s : code;
}

/* "doctor,admin" -> "Médico/a, Administración" in the arena. */
static const char *
roles_label(struct req *r, const char *list)
{
	char *out = arena_strdup(r->arena, "");
	char code[32];

	while (out && list && *list) {
		size_t n = strcspn(list, ",");
		if (n < sizeof(code)) {
			memcpy(code, list, n);
			code[n] = '\0';
			out = arena_printf(r->arena, "%s%s%s", out, *out ? ", " : "", role_label(r, code));
		}
		list += n + (list[n] == ',');
	}
	return out ? out : "";
}

/* s with leading and trailing blanks removed, in the arena ("" for NULL). */
static char *
trim(struct req *r, const char *s)
{
	const char *e;

	if (s == NULL)
		return arena_strdup(r->arena, "");
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return arena_strndup(r->arena, s, (size_t)(e - s));
}

/* 1 when s holds a control character. */
static int
has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* At most max bytes of s, cut at a UTF-8 character boundary. */
static char *
utf8_cut(struct req *r, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return arena_strdup(r->arena, s);
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return arena_strndup(r->arena, s, n);
}

/* The message of a "msg" code after a redirect (allow-listed codes only). */
static void
show_message(struct req *r)
{
	static const char *const notices[] = {
		"created", "granted", "revoked", "disabled", "enabled", "retried",
		"already_held", "not_held", "already_disabled", "already_enabled", NULL,
	};
	static const char *const alerts[] = { "self_revoke", "self_disable", NULL };
	const char *m = fields_get(&r->query, "msg");
	char key[64];

	if (m == NULL || !(in_list(notices, m) || in_list(alerts, m)))
		return;
	snprintf(key, sizeof(key), "admin.msg.%s", m);
	view_set(r->view, view_lang(r->view, key), "Data.msg");
	if (in_list(alerts, m))
		view_set(r->view, "1", "Data.msg_alert");
}

/* ---------------------------------------------------------- the index */

static int
admin_index(struct req *r)
{
	page_title(r, "admin.index.title");
	r->resp.template = "admin/index.cs";
	return HTTP_OK;
}

/* ---------------------------------------------------------- user list */

enum { UL_ID, UL_EMAIL, UL_NAME, UL_ROLES, UL_VERIFIED, UL_DISABLED, UL_TOTP };

static int
admin_users(struct req *r)
{
	const char *q = trim(r, fields_get(&r->query, "q"));
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
	if (role && *role && !in_list(all_roles, role))
		return HTTP_BAD_REQUEST;
	if (utf8_char_count(q) > 254 || has_control(q))
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
		view_set(r->view, roles_label(r, db_value(res, i, UL_ROLES)), "Data.users.%zu.roles", i);
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
		view_set(r->view, role_label(r, all_roles[i]), "Data.roles.%zu.name", i);
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

/* ------------------------------------------------------- specialties */

struct picked {
	char ids[MAX_SPECIALTIES][12];
	size_t n;
};

/* List the clinic's specialties as checkboxes, ticking those in picked. */
static int
fill_specialties(struct req *r, const struct picked *pk)
{
	struct db_result *res;
	const char *p[1] = { r->lang };
	enum db_status st = db_query(&res, "admin_specialties", 1, p);

	if (st != DB_OK)
		return db_http_status(st);
	for (size_t i = 0; i < db_rows(res); i++) {
		const char *id = db_value(res, i, 0);
		view_set(r->view, id, "Data.specialties.%zu.id", i);
		view_set(r->view, db_value(res, i, 1), "Data.specialties.%zu.name", i);
		for (size_t k = 0; pk && k < pk->n; k++)
			if (strcmp(pk->ids[k], id) == 0)
				view_set(r->view, "1", "Data.specialties.%zu.checked", i);
	}
	return 0;
}

/* The "specialty" checkboxes of the form: ids only (the database ignores
 * ids that name no specialty). -1 when one is not an id. */
static int
read_specialties(struct req *r, struct picked *pk)
{
	pk->n = 0;
	for (size_t i = 0; i < r->form.n; i++) {
		const char *v = r->form.v[i].value;
		if (strcmp(r->form.v[i].name, "specialty") != 0)
			continue;
		if (!is_positive_id(v) || strlen(v) > 9)
			return -1;
		if (pk->n < MAX_SPECIALTIES)
			snprintf(pk->ids[pk->n++], sizeof(pk->ids[0]), "%s", v);
	}
	return 0;
}

/* Create or link the user's directory row and add the specialties, in the
 * caller's transaction. 0; 1 when the licence number belongs to another
 * account (or the user already has another row); or an HTTP status. */
static int
link_doctor(const char *uid_text, const char *name, const char *licence,
            const struct picked *pk)
{
	struct db_result *res;
	const char *p[3] = { uid_text, name, licence };
	enum db_status st = db_query(&res, "admin_doctor_link", 3, p);
	char doctor_id[24];

	if (st == DB_CONFLICT)
		return 1;
	if (st != DB_OK)
		return db_http_status(st);
	if (db_rows(res) != 1)
		return 1;
	snprintf(doctor_id, sizeof(doctor_id), "%s", db_value(res, 0, 0));
	for (size_t i = 0; pk && i < pk->n; i++) {
		const char *q[2] = { doctor_id, pk->ids[i] };
		if ((st = db_run("admin_doctor_specialty", 2, q)) != DB_OK)
			return db_http_status(st);
	}
	return 0;
}

/* -------------------------------------------------- creating an account */

static const struct field_rule new_user_rules[] = {
	{ "email", FIELD_EMAIL, 1, 3, 254, NULL },
	{ "full_name", FIELD_TEXT, 1, 1, 200, NULL },
	{ "language", FIELD_CHOICE, 1, 0, 2, languages },
	{ "role", FIELD_CHOICE, 1, 0, 20, staff_roles },
	{ "licence_number", FIELD_TEXT, 0, 1, 50, NULL },
	{ "pharmacy_name", FIELD_TEXT, 0, 1, 200, NULL },
};
#define NEW_USER_RULES (sizeof(new_user_rules) / sizeof(new_user_rules[0]))

static int
show_new_user(struct req *r, const struct picked *pk, int status)
{
	int st;

	if ((st = fill_specialties(r, pk)) != 0)
		return st;
	for (size_t i = 0; staff_roles[i]; i++) {
		view_set(r->view, staff_roles[i], "Data.roles.%zu.code", i);
		view_set(r->view, role_label(r, staff_roles[i]), "Data.roles.%zu.name", i);
	}
	page_title(r, "admin.new.title");
	r->resp.template = "admin/user_new.cs";
	return status;
}

static int
admin_user_new(struct req *r)
{
	view_set(r->view, r->lang, "Form.language");
	return show_new_user(r, NULL, HTTP_OK);
}

/* An unusable password: the hash of 256 random bits nobody ever sees.
 * The person chooses their own through the mailed link. 0 or a status. */
static int
unusable_password(char hash[PASSWORD_HASH_MAX])
{
	char secret[65];
	int rc;

	if (token_random_hex(secret, 32) == -1)
		return HTTP_UNAVAILABLE;
	if (hashlimit_acquire(HASH_WAIT_MS) == -1)
		return HTTP_UNAVAILABLE;
	rc = password_hash(secret, &password_params_default, hash, PASSWORD_HASH_MAX);
	hashlimit_release();
	explicit_bzero(secret, sizeof(secret));
	return rc == 0 ? 0 : HTTP_INTERNAL_ERROR;
}

/* Everything of a new account in one transaction. On a conflict the field
 * in error is named in *bad_field and 0 is returned with *uid 0. */
static int
create_account(struct req *r, const struct picked *pk, const char *hash,
               const char *token, long long *uid, const char **bad_field)
{
	const char *email = form_value(r, "email"), *name = form_value(r, "full_name");
	const char *lang = form_value(r, "language"), *role = form_value(r, "role");
	const char *licence = form_value(r, "licence_number");
	const char *pharmacy = form_value(r, "pharmacy_name");
	struct db_result *res;
	enum db_status st;
	char id[24], hours[8], token_hash[67];
	const char *link, *params;
	int rc;

	*uid = 0;
	*bad_field = NULL;
	token_sha256_bytea(token, token_hash);
	if ((st = db_begin()) != DB_OK)
		return db_http_status(st);
	{
		const char *p[6] = { email, name, lang, hash, "false", NULL };
		st = db_query(&res, "admin_user_insert", 6, p);
	}
	if (st == DB_CONFLICT) {
		db_rollback();
		*bad_field = "email";
		return 0;
	}
	if (st != DB_OK)
		return page_tx_fail(DB_ERROR);
	snprintf(id, sizeof(id), "%s", db_value(res, 0, 0));
	{
		const char *p[3] = { id, role, r->user.id_text };
		if (db_run("admin_role_grant", 3, p) != DB_OK)
			return page_tx_fail(DB_ERROR);
	}
	if (strcmp(role, "doctor") == 0) {
		if ((rc = link_doctor(id, name, licence, pk)) == 1) {
			db_rollback();
			*bad_field = "licence_number";
			return 0;
		}
		if (rc != 0)
			return page_tx_fail(DB_ERROR);
	} else if (strcmp(role, "pharmacist") == 0) {
		const char *p[3] = { id, pharmacy, licence };
		st = db_run("admin_pharmacist_create", 3, p);
		if (st == DB_CONFLICT) {
			db_rollback();
			*bad_field = "licence_number";
			return 0;
		}
		if (st != DB_OK)
			return page_tx_fail(DB_ERROR);
	}
	snprintf(hours, sizeof(hours), "%d", WELCOME_HOURS);
	{
		const char *p[3] = { id, token_hash, hours };
		if (db_run("admin_token_create", 3, p) != DB_OK)
			return page_tx_fail(DB_ERROR);
	}
	link = arena_printf(r->arena, "/password/reset?token=%s", token);
	params = link ? json_object(r->arena, "name", name, "link_path", link,
	                            "minutes", arena_printf(r->arena, "%d", WELCOME_HOURS * 60),
	                            (const char *)NULL) : NULL;
	if (params == NULL || outbox_mail(email, lang, "welcome_staff", params, 1) == -1)
		return page_tx_fail(DB_ERROR);
	if (audit_log(r, atoll(id), "admin.user_created",
	              arena_printf(r->arena, "user:%s role:%s", id, role)) == -1)
		return page_tx_fail(DB_ERROR);
	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(DB_ERROR);
	*uid = atoll(id);
	return 0;
}

/* Role-specific details: a doctor needs a licence number, a pharmacist a
 * pharmacy and a licence number (unless already recorded: have_doctor,
 * have_pharmacist). Optional fields that were left empty read "". */
static void
check_staff_details(struct req *r, const char *role, int have_doctor, int have_pharmacist)
{
	const char *licence = form_value(r, "licence_number");
	const char *pharmacy = form_value(r, "pharmacy_name");

	if (role == NULL)
		return;
	if ((strcmp(role, "doctor") == 0 && !have_doctor) ||
	    (strcmp(role, "pharmacist") == 0 && !have_pharmacist)) {
		if (licence && *licence == '\0')
			form_error(r, "licence_number", "admin.new.licence_required");
	}
	if (strcmp(role, "pharmacist") == 0 && !have_pharmacist && pharmacy && *pharmacy == '\0')
		form_error(r, "pharmacy_name", "admin.new.pharmacy_required");
}

static int
admin_user_create(struct req *r)
{
	struct picked pk;
	const char *bad = NULL;
	char hash[PASSWORD_HASH_MAX], token[65];
	long long uid;
	int st;

	if (read_specialties(r, &pk) == -1)
		return HTTP_BAD_REQUEST;
	form_validate(r, new_user_rules, NEW_USER_RULES);
	check_staff_details(r, form_value(r, "role"), 0, 0);
	if (r->form_errors == 0) {
		const char *p[1] = { form_value(r, "email") };
		size_t taken;
		enum db_status dst = db_run_rows("admin_email_exists", 1, p, &taken);
		if (dst != DB_OK)
			return db_http_status(dst);
		if (taken > 0)
			form_error(r, "email", "admin.new.email_taken");
	}
	if (r->form_errors)
		return show_new_user(r, &pk, HTTP_OK);
	if ((st = unusable_password(hash)) != 0)
		return st;
	if (token_random_hex(token, 32) == -1)
		return HTTP_UNAVAILABLE;
	st = create_account(r, &pk, hash, token, &uid, &bad);
	explicit_bzero(token, sizeof(token));
	if (st != 0)
		return st;
	if (bad) {
		form_error(r, bad, strcmp(bad, "email") == 0 ? "admin.new.email_taken"
		                                             : "admin.new.licence_taken");
		return show_new_user(r, &pk, HTTP_OK);
	}
	return page_redirect(r, arena_printf(r->arena, "/admin/users/%lld?msg=created", uid));
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
	const char *p[2] = { id, r->lang };
	int st;

	memset(t, 0, sizeof(*t));
	if ((st = page_query_row(&res, "admin_user_get", 2, p)) != 0)
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
		view_set(r->view, db_value(res, 0, UG_DISABLED), "Data.user.disabled_at");
		if (db_value(res, 0, UG_TOTP)[0] == 't')
			view_set(r->view, "1", "Data.user.totp");
		view_set(r->view, db_value(res, 0, UG_CREATED), "Data.user.created");
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
	const char *p[1] = { id };
	enum db_status dst;
	int st;
	size_t g = 0;

	if ((st = load_user(r, id, &t, 1)) != 0)
		return st;
	if ((dst = db_query(&res, "admin_user_roles", 1, p)) != DB_OK)
		return db_http_status(dst);
	for (size_t i = 0; i < db_rows(res); i++) {
		view_set(r->view, db_value(res, i, 0), "Data.user.roles.%zu.code", i);
		view_set(r->view, role_label(r, db_value(res, i, 0)), "Data.user.roles.%zu.name", i);
		view_set(r->view, db_value(res, i, 1), "Data.user.roles.%zu.granted_at", i);
		view_set(r->view, db_value(res, i, 2), "Data.user.roles.%zu.granted_by", i);
	}
	for (size_t k = 0; all_roles[k]; k++) {
		int held = 0;
		for (size_t i = 0; i < db_rows(res); i++)
			held |= strcmp(db_value(res, i, 0), all_roles[k]) == 0;
		if (held)
			continue;
		view_set(r->view, all_roles[k], "Data.grantable.%zu.code", g);
		view_set(r->view, role_label(r, all_roles[k]), "Data.grantable.%zu.name", g);
		g++;
	}
	if (!t.has_doctor_row)
		view_set(r->view, "1", "Data.needs_doctor_details");
	if (!t.has_pharmacist_row)
		view_set(r->view, "1", "Data.needs_pharmacist_details");
	if ((st = fill_specialties(r, NULL)) != 0)
		return st;
	show_message(r);
	view_set(r->view, t.email, "Page.title");
	r->resp.template = "admin/user.cs";
	return status;
}

static int
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

static int
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
	if (read_specialties(r, &pk) == -1)
		return HTTP_BAD_REQUEST;
	form_validate(r, grant_rules, sizeof(grant_rules) / sizeof(grant_rules[0]));
	role = form_value(r, "role");
	check_staff_details(r, role, t.has_doctor_row, t.has_pharmacist_row);
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
			int rc = link_doctor(id, t.name, form_value(r, "licence_number"), &pk);
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

static int
admin_role_revoke_page(struct req *r)
{
	const char *id = r->match.args[0];
	const char *role = fields_get(&r->form, "role");
	struct target t;
	struct db_result *res;
	size_t revoked;
	int st;

	if (!in_list(all_roles, role))
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

static int
admin_user_disable(struct req *r)
{
	const char *id = r->match.args[0];
	const char *p[1] = { id };
	struct db_result *res;
	struct target t;
	char email[256], name[201], lang[3];
	int st;

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

static int
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

/* ------------------------------------------------------- event lists */

/* One keyset page of events (the trail, the dead letters): the rows of res,
 * at most PAGE_ROWS, as Data.events.<i>.<columns[c]> for each column c
 * (columns[] ends with NULL; column 0 is the id); Data.next_before, the id
 * of the last row shown, when the query found more; Data.paged when the
 * page was asked for with "before". Frees res. */
static void
show_events_page(struct req *r, struct db_result *res, const char *const *columns,
                 const char *before)
{
	size_t n = db_rows(res);

	for (size_t i = 0; i < n && i < PAGE_ROWS; i++)
		for (int c = 0; columns[c]; c++)
			view_set(r->view, db_value(res, i, c), "Data.events.%zu.%s", i, columns[c]);
	if (n > PAGE_ROWS)
		view_set(r->view, db_value(res, PAGE_ROWS - 1, 0), "Data.next_before");
	if (before)
		view_set(r->view, "1", "Data.paged");
}

/* ------------------------------------------------------ audit search */

/* Columns of admin_audit_search. */
static const char *const audit_columns[] = {
	"id", "at", "actor", "subject", "action", "object", "addr", "request",
	"actor_id", "subject_id", NULL,
};

/* A search field from the query: trimmed, echoed into Form.<name>; NULL
 * when empty or wrong (then Form.errors.<name> says why). */
static const char *
search_field(struct req *r, const char *name, size_t max)
{
	char *v = trim(r, fields_get(&r->query, name));

	if (v == NULL || *v == '\0')
		return NULL;
	view_set(r->view, v, "Form.%s", name);
	if (utf8_char_count(v) > max) {
		form_error(r, name, "validate.too_long");
		return NULL;
	}
	if (has_control(v)) {
		form_error(r, name, "validate.invalid");
		return NULL;
	}
	return v;
}

static int
admin_audit(struct req *r)
{
	const char *actor = search_field(r, "actor", 254);
	const char *subject = search_field(r, "subject", 254);
	const char *action = search_field(r, "action", 60);
	const char *from = search_field(r, "from", 10);
	const char *to = search_field(r, "to", 10);
	const char *before, *p[6];
	struct db_result *res;
	enum db_status st;

	if (query_optional_id(r, "before", &before) == -1)
		return HTTP_BAD_REQUEST;
	if (action && strspn(action, "abcdefghijklmnopqrstuvwxyz_.") != strlen(action)) {
		form_error(r, "action", "admin.audit.bad_action");
		action = NULL;
	}
	if (from && !dt_is_date(from)) {
		form_error(r, "from", "validate.date");
		from = NULL;
	}
	if (to && !dt_is_date(to)) {
		form_error(r, "to", "validate.date");
		to = NULL;
	}
	if (from && to && strcmp(from, to) > 0)
		form_error(r, "to", "admin.audit.bad_range");
	page_title(r, "admin.audit.title");
	r->resp.template = "admin/audit.cs";
	if (r->form_errors)
		return HTTP_OK;
	/* Looking at the trail is itself on the trail, with the filters. */
	if (audit_log(r, 0, "admin.audit_viewed",
	              utf8_cut(r, arena_printf(r->arena, "actor=%s subject=%s action=%s from=%s to=%s",
	                                       actor ? actor : "", subject ? subject : "",
	                                       action ? action : "", from ? from : "", to ? to : ""),
	                       200)) == -1)
		return db_ensure() == DB_OK ? HTTP_INTERNAL_ERROR : HTTP_UNAVAILABLE;
	p[0] = actor; p[1] = subject; p[2] = action; p[3] = from; p[4] = to; p[5] = before;
	if ((st = db_query(&res, "admin_audit_search", 6, p)) != DB_OK)
		return db_http_status(st);
	show_events_page(r, res, audit_columns, before);
	view_set(r->view, "1", "Data.searched");
	return HTTP_OK;
}

/* ------------------------------------------------------- dead letters */

/* Columns of admin_outbox_dead. */
static const char *const outbox_columns[] = {
	"id", "type", "created", "attempts", "error", "domain", "user", NULL,
};

static int
admin_outbox(struct req *r)
{
	const char *before, *p[1];
	struct db_result *res;
	enum db_status st;

	if (query_optional_id(r, "before", &before) == -1)
		return HTTP_BAD_REQUEST;
	p[0] = before;
	if ((st = db_query(&res, "admin_outbox_dead", 1, p)) != DB_OK)
		return db_http_status(st);
	show_events_page(r, res, outbox_columns, before);
	show_message(r);
	page_title(r, "admin.outbox.title");
	r->resp.template = "admin/outbox.cs";
	return HTTP_OK;
}

static int
admin_outbox_retry(struct req *r)
{
	const char *id = r->match.args[0];
	const char *p[1] = { id };
	struct db_result *res;
	char type[64];

	if (db_begin() != DB_OK)
		return HTTP_UNAVAILABLE;
	if (db_query(&res, "admin_outbox_retry", 1, p) != DB_OK)
		return page_tx_fail(DB_ERROR);
	if (db_rows(res) != 1) {
		db_rollback();
		return HTTP_NOT_FOUND;
	}
	snprintf(type, sizeof(type), "%s", db_value(res, 0, 1));
	if (audit_log(r, 0, "admin.outbox_retried", arena_printf(r->arena, "event:%s %s", id, type)) == -1)
		return page_tx_fail(DB_ERROR);
	if (db_commit() != DB_OK)
		return page_tx_fail(DB_ERROR);
	return page_redirect(r, "/admin/outbox?msg=retried");
}

/* ------------------------------------------------------------- routes */

#define ID "([1-9][0-9]{0,17})"

const struct route admin_routes[] = {
	/* name                 method       pattern                              handler                 roles       csrf pre_mfa */
	{ "admin",              METHOD_GET,  "/admin",                            admin_index,            ROLE_ADMIN, 0,   0, NULL },
	{ "admin_users",        METHOD_GET,  "/admin/users",                      admin_users,            ROLE_ADMIN, 0,   0, "users.manage" },
	{ "admin_user_new",     METHOD_GET,  "/admin/users/new",                  admin_user_new,         ROLE_ADMIN, 0,   0, "users.manage" },
	{ "admin_user_create",  METHOD_POST, "/admin/users/new",                  admin_user_create,      ROLE_ADMIN, 1,   0, "users.manage" },
	{ "admin_user",         METHOD_GET,  "/admin/users/" ID,                  admin_user,             ROLE_ADMIN, 0,   0, "users.manage" },
	{ "admin_role_grant",   METHOD_POST, "/admin/users/" ID "/grant",         admin_role_grant_page,  ROLE_ADMIN, 1,   0, "users.manage" },
	{ "admin_role_revoke",  METHOD_POST, "/admin/users/" ID "/revoke",        admin_role_revoke_page, ROLE_ADMIN, 1,   0, "users.manage" },
	{ "admin_user_disable", METHOD_POST, "/admin/users/" ID "/disable",       admin_user_disable,     ROLE_ADMIN, 1,   0, "users.manage" },
	{ "admin_user_enable",  METHOD_POST, "/admin/users/" ID "/enable",        admin_user_enable,      ROLE_ADMIN, 1,   0, "users.manage" },
	{ "admin_audit",        METHOD_GET,  "/admin/audit",                      admin_audit,            ROLE_ADMIN, 0,   0, "audit.read" },
	{ "admin_outbox",       METHOD_GET,  "/admin/outbox",                     admin_outbox,           ROLE_ADMIN, 0,   0, "outbox.read" },
	{ "admin_outbox_retry", METHOD_POST, "/admin/outbox/" ID "/retry",        admin_outbox_retry,     ROLE_ADMIN, 1,   0, "outbox.read" },
};
const size_t admin_routes_n = sizeof(admin_routes) / sizeof(admin_routes[0]);
