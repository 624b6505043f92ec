/* user_new: creating a staff account (with a doctor's or pharmacist's
 * details), and the specialty checkboxes the role forms share. */
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
#include "core/password.h"
#include "core/request.h"
#include "core/token.h"
#include "core/validate.h"
#include "core/view.h"

static const char *const staff_roles[] = {
	"doctor", "pharmacist", "lab", "reception", "admin", NULL,
};

/* ------------------------------------------------------- specialties */

/* List the clinic's specialties as checkboxes, ticking those in picked. */
int
admin_fill_specialties(struct req *r, const struct picked *pk)
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
int
admin_read_specialties(struct req *r, struct picked *pk)
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
int
admin_link_doctor(const char *uid_text, const char *name, const char *licence,
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
	{ "language", FIELD_CHOICE, 1, 0, 2, page_languages },
	{ "role", FIELD_CHOICE, 1, 0, 20, staff_roles },
	{ "licence_number", FIELD_TEXT, 0, 1, 50, NULL },
	{ "pharmacy_name", FIELD_TEXT, 0, 1, 200, NULL },
};
#define NEW_USER_RULES (sizeof(new_user_rules) / sizeof(new_user_rules[0]))

static int
show_new_user(struct req *r, const struct picked *pk, int status)
{
	int st;

	if ((st = admin_fill_specialties(r, pk)) != 0)
		return st;
	for (size_t i = 0; staff_roles[i]; i++) {
		view_set(r->view, staff_roles[i], "Data.roles.%zu.code", i);
		view_set(r->view, admin_role_label(r, staff_roles[i]), "Data.roles.%zu.name", i);
	}
	page_title(r, "admin.new.title");
	r->resp.template = "admin/user_new.cs";
	return status;
}

int
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
		if ((rc = admin_link_doctor(id, name, licence, pk)) == 1) {
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
void
admin_check_staff_details(struct req *r, const char *role, int have_doctor, int have_pharmacist)
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

int
admin_user_create(struct req *r)
{
	struct picked pk;
	const char *bad = NULL;
	char hash[PASSWORD_HASH_MAX], token[65];
	long long uid;
	int st;

	if (admin_read_specialties(r, &pk) == -1)
		return HTTP_BAD_REQUEST;
	form_validate(r, new_user_rules, NEW_USER_RULES);
	admin_check_staff_details(r, form_value(r, "role"), 0, 0);
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
