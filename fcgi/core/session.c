/* session: cookie → session row → user; starting, rotating and ending
 * sessions; CSRF tokens. */
#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "fields.h"
#include "request.h"
#include "token.h"
#include "validate.h"

#define CSRF_COOKIE "csrf"
#define TOKEN_BYTES 32      /* 256-bit session tokens */

static const char *const role_names[] = {
	"anonymous", "patient", "doctor", "pharmacist", "lab", "reception", "admin",
};

const char *
role_name(unsigned role_bit)
{
	for (size_t i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (role_bit == 1u << i)
			return role_names[i];
	return "";
}

unsigned
role_from_name(const char *name)
{
	for (size_t i = 1; i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (name && strcmp(name, role_names[i]) == 0)
			return 1u << i;
	return 0;
}

unsigned
roles_from_list(const char *list)
{
	unsigned bits = 0;
	char name[32];

	while (list && *list) {
		size_t n = strcspn(list, ",");
		if (n < sizeof(name)) {
			memcpy(name, list, n);
			name[n] = '\0';
			bits |= role_from_name(name);
		}
		list += n + (list[n] == ',');
	}
	return bits;
}

static void
set_anonymous(struct req *r)
{
	memset(&r->user, 0, sizeof(r->user));
	memset(&r->session, 0, sizeof(r->session));
	r->user.roles = ROLE_ANONYMOUS;
	r->roles = ROLE_ANONYMOUS;
}

static void
clear_cookie(struct req *r, const char *base)
{
	resp_set_cookie(r, base, "", 0);
}

static void
copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

/* Columns of session_lookup. */
enum { SL_ID, SL_USER, SL_CSRF, SL_MFA, SL_RECENT, SL_EMAIL, SL_NAME, SL_LANG,
       SL_VERIFIED, SL_TOTP, SL_ROLES, SL_DOCTOR, SL_UNREAD, SL_UNREAD_MSG, SL_STALE };

static void
fill_from_row(struct req *r, const struct db_result *res)
{
	r->session.id = atoll(db_value(res, 0, SL_ID));
	copy(r->session.id_text, sizeof(r->session.id_text), db_value(res, 0, SL_ID));
	copy(r->session.csrf, sizeof(r->session.csrf), db_value(res, 0, SL_CSRF));
	r->session.mfa_pending = db_value(res, 0, SL_MFA)[0] == 't';
	r->session.recent_auth = db_value(res, 0, SL_RECENT)[0] == 't';
	r->user.id = atoll(db_value(res, 0, SL_USER));
	copy(r->user.id_text, sizeof(r->user.id_text), db_value(res, 0, SL_USER));
	copy(r->user.email, sizeof(r->user.email), db_value(res, 0, SL_EMAIL));
	copy(r->user.name, sizeof(r->user.name), db_value(res, 0, SL_NAME));
	copy(r->user.lang, sizeof(r->user.lang), db_value(res, 0, SL_LANG));
	r->user.email_verified = db_value(res, 0, SL_VERIFIED)[0] == 't';
	r->user.totp_enabled = db_value(res, 0, SL_TOTP)[0] == 't';
	r->user.doctor_id = atoll(db_value(res, 0, SL_DOCTOR));
	copy(r->user.doctor_id_text, sizeof(r->user.doctor_id_text), db_value(res, 0, SL_DOCTOR));
	r->user.unread_notices = atoll(db_value(res, 0, SL_UNREAD));
	r->user.unread_messages = atoll(db_value(res, 0, SL_UNREAD_MSG));
	/* Until the second factor is given the user holds no role at all. */
	r->user.roles = r->session.mfa_pending ? ROLE_ANONYMOUS
	                                       : roles_from_list(db_value(res, 0, SL_ROLES));
	if (r->user.roles == 0)
		r->user.roles = ROLE_ANONYMOUS;
	r->roles = r->user.roles;
}

int
sess_load(struct req *r)
{
	const char *token = req_cookie(r, SESSION_COOKIE);
	char hash[67], window[16];
	const char *p[2] = { hash, window };
	struct db_result *res;
	enum db_status st;

	set_anonymous(r);
	if (token == NULL || *token == '\0')
		return 0;
	token_sha256_bytea(token, hash);
	snprintf(window, sizeof(window), "%d", r->cfg->reauth_window);
	if ((st = db_query(&res, "session_lookup", 2, p)) != DB_OK)
		return st == DB_UNAVAILABLE ? HTTP_UNAVAILABLE : HTTP_INTERNAL_ERROR;
	if (db_rows(res) != 1) {
		db_result_free(res);
		clear_cookie(r, SESSION_COOKIE);   /* expired or revoked: forget it */
		r->session_expired = 1;
		return 0;
	}
	fill_from_row(r, res);
	/* Moving last_seen_at is a write: only when it is due, and only
	 * after the handler (sess_touch), which may decline it. */
	r->session.touch_due = db_value(res, 0, SL_STALE)[0] == 't';
	db_result_free(res);
	return 0;
}

void
sess_touch(struct req *r)
{
	const char *q[1] = { r->session.id_text };

	if (!r->session.touch_due || r->session.id == 0)
		return;
	r->session.touch_due = 0;
	db_run("session_touch", 1, q);
}

/* A new token and CSRF token; the cookie carries the token. */
static int
new_tokens(struct req *r, char token[2 * TOKEN_BYTES + 1], char hash[67],
           char csrf[65])
{
	if (token_random_hex(token, TOKEN_BYTES) == -1 || token_random_hex(csrf, 32) == -1)
		return HTTP_UNAVAILABLE;
	token_sha256_bytea(token, hash);
	return resp_set_cookie(r, SESSION_COOKIE, arena_strdup(r->arena, token), -1) == -1
	       ? HTTP_INTERNAL_ERROR : 0;
}

/* 0 for DB_OK, else the status the page answers with. */
static int
query_status(enum db_status st)
{
	return st == DB_OK ? 0 : db_http_status(st);
}

/* Run a statement whose rows do not matter: 0 or an HTTP status. */
static int
run(const char *name, int n, const char *const *params)
{
	return query_status(db_run(name, n, params));
}

int
sess_start(struct req *r, long long user_id, int mfa_pending)
{
	char token[2 * TOKEN_BYTES + 1], hash[67], csrf[65], uid[24];
	char idle_staff[16], idle_patient[16], absolute[16];
	const char *p[9];
	struct db_result *res;
	enum db_status st;
	int rc;

	if (r->session.id && (rc = sess_end(r)) != 0)
		return rc;
	if ((rc = new_tokens(r, token, hash, csrf)) != 0)
		return rc;
	snprintf(uid, sizeof(uid), "%lld", user_id);
	snprintf(idle_staff, sizeof(idle_staff), "%d", r->cfg->session_idle_staff);
	snprintf(idle_patient, sizeof(idle_patient), "%d", r->cfg->session_idle_patient);
	snprintf(absolute, sizeof(absolute), "%d", r->cfg->session_absolute);
	p[0] = uid; p[1] = hash; p[2] = csrf; p[3] = mfa_pending ? "true" : "false";
	p[4] = idle_staff; p[5] = idle_patient; p[6] = absolute;
	p[7] = r->remote_addr ? r->remote_addr : "";
	p[8] = r->user_agent ? r->user_agent : "";
	if ((st = db_query(&res, "session_create", 9, p)) != DB_OK)
		return query_status(st);
	r->session.id = atoll(db_value(res, 0, 0));
	copy(r->session.id_text, sizeof(r->session.id_text), db_value(res, 0, 0));
	db_result_free(res);
	copy(r->session.csrf, sizeof(r->session.csrf), csrf);
	r->session.mfa_pending = mfa_pending;
	r->session.recent_auth = 1;
	r->user.id = user_id;
	copy(r->user.id_text, sizeof(r->user.id_text), uid);
	return 0;
}

int
sess_rotate(struct req *r, int mfa_pending)
{
	char token[2 * TOKEN_BYTES + 1], hash[67], csrf[65];
	const char *p[4];
	int rc;

	if (r->session.id == 0)
		return HTTP_FORBIDDEN;
	if ((rc = new_tokens(r, token, hash, csrf)) != 0)
		return rc;
	p[0] = r->session.id_text; p[1] = hash; p[2] = csrf;
	p[3] = mfa_pending ? "true" : "false";
	if ((rc = run("session_rotate", 4, p)) != 0)
		return rc;
	copy(r->session.csrf, sizeof(r->session.csrf), csrf);
	r->session.mfa_pending = mfa_pending;
	return 0;
}

int
sess_end(struct req *r)
{
	const char *p[1] = { r->session.id_text };
	int rc = r->session.id ? run("session_revoke", 1, p) : 0;

	clear_cookie(r, SESSION_COOKIE);
	set_anonymous(r);
	return rc;
}

/* Run an UPDATE and return how many rows it changed, or -1. */
static int
count_changed(const char *name, int n, const char *const *params)
{
	struct db_result *res;
	int changed;

	if (db_query(&res, name, n, params) != DB_OK)
		return -1;
	changed = (int)db_changed(res);
	db_result_free(res);
	return changed;
}

int
sess_end_others(struct req *r)
{
	const char *p[2] = { r->user.id_text, r->session.id_text };

	return r->session.id ? count_changed("session_revoke_others", 2, p) : -1;
}

int
sess_end_all(long long user_id)
{
	char uid[24];
	const char *p[1] = { uid };

	snprintf(uid, sizeof(uid), "%lld", user_id);
	return count_changed("session_revoke_all", 1, p);
}

int
sess_mark_reauth(struct req *r)
{
	const char *p[1] = { r->session.id_text };

	if (r->session.id == 0)
		return HTTP_FORBIDDEN;
	r->session.recent_auth = 1;
	return run("session_reauth", 1, p);
}


const char *
csrf_token(struct req *r)
{
	const char *c;
	char fresh[65];

	if (r->session.id)
		return r->session.csrf;
	if (r->anon_csrf)
		return r->anon_csrf;
	c = req_cookie(r, CSRF_COOKIE);
	if (is_hex_token(c, 64))
		return r->anon_csrf = c;
	if (token_random_hex(fresh, 32) == -1)
		return NULL;
	r->anon_csrf = arena_strdup(r->arena, fresh);
	if (r->anon_csrf)
		resp_set_cookie(r, CSRF_COOKIE, r->anon_csrf, -1);
	return r->anon_csrf;
}

int
csrf_check(const struct req *r)
{
	const char *sent = fields_get(&r->form, "csrf");
	const char *expected = r->session.id ? r->session.csrf : req_cookie(r, CSRF_COOKIE);

	return is_hex_token(expected, 64) && token_equal(sent, expected);
}

/* ------------------------------------------------------ capabilities */

#define CAPS_MAX 256
#define CAPS_TTL 60

static struct {
	unsigned role[CAPS_MAX];
	char name[CAPS_MAX][64];
	size_t n;
	time_t loaded;
} caps;

static int
load_capabilities(void)
{
	struct db_result *res;
	size_t i;

	if (db_query(&res, "session_capabilities", 0, NULL) != DB_OK)
		return -1;
	for (i = 0; i < db_rows(res) && i < CAPS_MAX; i++) {
		caps.role[i] = role_from_name(db_value(res, i, 0));
		copy(caps.name[i], sizeof(caps.name[i]), db_value(res, i, 1));
	}
	caps.n = i;
	caps.loaded = time(NULL);
	db_result_free(res);
	return 0;
}

int
sess_has_capability(const struct req *r, const char *capability)
{
	if ((caps.loaded == 0 || time(NULL) - caps.loaded >= CAPS_TTL) &&
	    load_capabilities() == -1 && caps.loaded == 0)
		return 0;
	for (size_t i = 0; i < caps.n; i++)
		if ((r->roles & caps.role[i]) && strcmp(caps.name[i], capability) == 0)
			return 1;
	return 0;
}
