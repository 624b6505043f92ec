/* profile: the signed-in user's own account: details (name, phone,
 * language, time zone), the helpers the profile pages share, and the
 * feature's route table. The other pages: security.c (re-authentication,
 * password, e-mail address), sessions.c, mfa.c (the second factor).
 *
 * Re-authentication: changing the password, the e-mail address or the
 * second factor needs the password typed within cfg->reauth_window
 * (r->session.recent_auth); otherwise the user is sent to
 * /profile/reauth?next=<the page> first. Because of that the password
 * form does not ask for the current password again: the fresh re-auth is
 * that proof. The first enrollment of a second factor also needs a fresh
 * password (right after sign-in it is fresh anyway), so that a stolen
 * session cannot bind its own authenticator to the account. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/profile/profile.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/request.h"
#include "core/validate.h"
#include "core/view.h"

/* Time zones offered in the form; any other IANA name PostgreSQL knows is
 * accepted too (and the user's current one is always offered). */
static const char *const common_time_zones[] = {
	"Europe/Madrid", "Atlantic/Canary", "Europe/Lisbon", "Europe/London",
	"Europe/Paris", "Europe/Berlin", "Europe/Rome", "America/Mexico_City",
	"America/Bogota", "America/Lima", "America/Caracas", "America/Santiago",
	"America/Argentina/Buenos_Aires", "America/New_York", "America/Chicago",
	"America/Denver", "America/Los_Angeles", "UTC", NULL
};

/* ------------------------------------------------------------ helpers */

/* Send the user to type the password again, then back to `back`. */
int
profile_ask_reauth(struct req *r, const char *back)
{
	const char *enc = form_url_encode(r->arena, back);

	return page_redirect(r, enc ? arena_printf(r->arena, "/profile/reauth?next=%s", enc) : NULL);
}

/* Commit the open transaction (rolled back when that fails) and redirect
 * to location. */
int
profile_tx_commit_redirect(struct req *r, const char *location)
{
	enum db_status st;

	if ((st = db_commit()) != DB_OK)
		return page_tx_fail(st);
	return page_redirect(r, location);
}

/* A new session token (the privilege changed), then the commit of the open
 * transaction; either failing rolls it back. 0 or an HTTP status. */
int
profile_tx_rotate_commit(struct req *r)
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
const char *
profile_user_lang(const struct req *r)
{
	return r->user.lang[0] ? r->user.lang : r->lang;
}

/* A one-shot confirmation shown after a redirect (?done=key): only known
 * keys are echoed, so the query cannot put text on the page. */
void
profile_show_done(struct req *r, const char *const *allowed)
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
enum { PG_NAME, PG_EMAIL, PG_PHONE, PG_LANG, PG_TZ, PG_VERIFIED, PG_TOTP, PG_CODES_LEFT, PG_SEX };

/* Fill Data.* (and, when with_form, Form.* for the edit form) from the
 * database; the stored time zone into tz when not NULL. 0 or an HTTP
 * status. */
int
profile_load(struct req *r, int with_form, char *tz, size_t tzlen)
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
		view_set(r->view, db_value(res, 0, PG_SEX), "Form.sex");
	}
	/* sex picks a patient's lab reference ranges (issue 11): asked of
	 * patients only */
	if (r->roles & ROLE_PATIENT)
		view_set(r->view, "1", "Data.asks_sex");
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

	if ((st = profile_load(r, with_form, stored, sizeof(stored))) != 0)
		return st;
	fill_time_zones(r, tz ? tz : stored);
	profile_show_done(r, done);
	return page_show(r, "profile.title", "profile/profile.cs", HTTP_OK);
}

static int
profile_details(struct req *r)
{
	return show_profile(r, 1, NULL);
}

static const char *const profile_sexes[] = { "female", "male", NULL };

static const struct field_rule profile_rules[] = {
	{ "full_name", FIELD_TEXT, 1, 1, 200, NULL },
	{ "phone", FIELD_PHONE, 0, 0, 50, NULL },
	{ "language", FIELD_CHOICE, 1, 0, 2, page_languages },
	{ "time_zone", FIELD_TEXT, 1, 1, 64, NULL },
	{ "sex", FIELD_CHOICE, 0, 0, 6, profile_sexes },
};

static int
profile_details_save(struct req *r)
{
	const char *name, *phone, *lang, *tz, *sex, *cookie;
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
	sex = r->roles & ROLE_PATIENT ? form_value(r, "sex") : "keep";
	{
		const char *p[6] = { r->user.id_text, name, phone ? phone : "", lang, tz, sex ? sex : "" };
		if ((st = db_begin()) != DB_OK)
			return db_http_status(st);
		if ((st = db_run("profile_update", 6, p)) != DB_OK)
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

/* ------------------------------------------------------------ routes */

const struct route profile_routes[] = {
	/* name                  method       pattern                                handler                  roles           csrf pre_mfa */
	{ "profile",             METHOD_GET,  "/profile",                            profile_details,         ROLE_SIGNED_IN, 0,   0, NULL, RECORD_NONE },
	{ "profile_save",        METHOD_POST, "/profile",                            profile_details_save,    ROLE_SIGNED_IN, 1,   0, NULL, RECORD_NONE },
	/* Staff setting up their second factor may have to re-authenticate. */
	{ "profile_reauth",      METHOD_GET,  "/profile/reauth",                     profile_reauth,          ROLE_SIGNED_IN, 0,   1, NULL, RECORD_NONE },
	{ "profile_reauth_post", METHOD_POST, "/profile/reauth",                     profile_reauth_post,     ROLE_SIGNED_IN, 1,   1, NULL, RECORD_NONE },
	{ "profile_password",    METHOD_GET,  "/profile/password",                   profile_password,        ROLE_SIGNED_IN, 0,   0, NULL, RECORD_NONE },
	{ "profile_password_post", METHOD_POST, "/profile/password",                 profile_password_post,   ROLE_SIGNED_IN, 1,   0, NULL, RECORD_NONE },
	{ "profile_email",       METHOD_GET,  "/profile/email",                      profile_email,           ROLE_SIGNED_IN, 0,   0, NULL, RECORD_NONE },
	{ "profile_email_post",  METHOD_POST, "/profile/email",                      profile_email_post,      ROLE_SIGNED_IN, 1,   0, NULL, RECORD_NONE },
	/* The e-mailed link may be opened in another browser, signed out. */
	{ "profile_email_confirm", METHOD_GET, "/profile/email/confirm",             profile_email_confirm,   ROLE_EVERYONE,  0,   1, NULL, RECORD_NONE },
	{ "profile_email_confirm_post", METHOD_POST, "/profile/email/confirm",       profile_email_confirm_post, ROLE_EVERYONE,  1,   1, NULL, RECORD_NONE },
	{ "profile_sessions",    METHOD_GET,  "/profile/sessions",                   profile_sessions,        ROLE_SIGNED_IN, 0,   0, NULL, RECORD_NONE },
	{ "profile_sessions_others", METHOD_POST, "/profile/sessions/others",        profile_sessions_others, ROLE_SIGNED_IN, 1,   0, NULL, RECORD_NONE },
	{ "profile_session_end", METHOD_POST, "/profile/sessions/([0-9]{1,18})/end", profile_session_end,     ROLE_SIGNED_IN, 1,   0, NULL, RECORD_NONE },
	/* Second factor: staff without one are sent here and must finish. */
	{ "mfa",                 METHOD_GET,  "/account/2fa",                        profile_mfa,             ROLE_SIGNED_IN, 0,   1, NULL, RECORD_NONE },
	{ "mfa_confirm",         METHOD_POST, "/account/2fa/confirm",                profile_mfa_confirm,     ROLE_SIGNED_IN, 1,   1, NULL, RECORD_NONE },
	{ "mfa_disable",         METHOD_POST, "/account/2fa/disable",                profile_mfa_disable,     ROLE_SIGNED_IN, 1,   0, NULL, RECORD_NONE },
	{ "mfa_recovery_codes",  METHOD_POST, "/account/2fa/recovery-codes",         profile_mfa_codes,       ROLE_SIGNED_IN, 1,   0, NULL, RECORD_NONE },
};
const size_t profile_routes_n = sizeof(profile_routes) / sizeof(profile_routes[0]);
