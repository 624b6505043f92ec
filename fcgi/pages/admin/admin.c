/* admin: the administrators' pages: what they share, the index and the
 * route table. users.c: the staff accounts (list, detail, roles,
 * disabling); user_new.c: creating one; events.c: the audit trail search
 * and the dead-lettered outbox events. Every route is ROLE_ADMIN only (the
 * pipeline checks it, and staff need their second factor first); every
 * change is audited. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/admin/admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/request.h"
#include "core/view.h"

/* ------------------------------------------------------------ helpers */

/* 1 when s is one of list. */
int
admin_in_list(const char *const *list, const char *s)
{
	for (; s && *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

/* The translated name of a role code ("doctor" -> "Médico/a"). */
const char *
admin_role_label(struct req *r, const char *code)
{
	char key[64];
	const char *s;

	snprintf(key, sizeof(key), "admin.roles.%s", code);
	s = view_lang(r->view, key);
	return *s ? s : code;
}

/* "doctor,admin" -> "Médico/a, Administración" in the arena. */
const char *
admin_roles_label(struct req *r, const char *list)
{
	char *out = arena_strdup(r->arena, "");
	char code[32];

	while (out && list && *list) {
		size_t n = strcspn(list, ",");
		if (n < sizeof(code)) {
			memcpy(code, list, n);
			code[n] = '\0';
			out = arena_printf(r->arena, "%s%s%s", out, *out ? ", " : "", admin_role_label(r, code));
		}
		list += n + (list[n] == ',');
	}
	return out ? out : "";
}

/* s with leading and trailing blanks removed, in the arena ("" for NULL). */
char *
admin_trim(struct req *r, const char *s)
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
int
admin_has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* At most max bytes of s, cut at a UTF-8 character boundary. */
char *
admin_utf8_cut(struct req *r, const char *s, size_t max)
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
void
admin_show_message(struct req *r)
{
	static const char *const notices[] = {
		"created", "granted", "revoked", "disabled", "enabled", "retried",
		"already_held", "not_held", "already_disabled", "already_enabled", NULL,
	};
	static const char *const alerts[] = { "self_revoke", "self_disable", NULL };
	const char *m = fields_get(&r->query, "msg");
	char key[64];

	if (m == NULL || !(admin_in_list(notices, m) || admin_in_list(alerts, m)))
		return;
	snprintf(key, sizeof(key), "admin.msg.%s", m);
	view_set(r->view, view_lang(r->view, key), "Data.msg");
	if (admin_in_list(alerts, m))
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

/* ------------------------------------------------------------- routes */

#define ID "([1-9][0-9]{0,17})"

const struct route admin_routes[] = {
	/* name                 method       pattern                              handler                 roles       csrf pre_mfa */
	{ "admin",              METHOD_GET,  "/admin",                            admin_index,            ROLE_ADMIN, 0,   0, NULL, RECORD_NONE },
	{ "admin_users",        METHOD_GET,  "/admin/users",                      admin_users,            ROLE_ADMIN, 0,   0, "users.manage", RECORD_NONE },
	{ "admin_user_new",     METHOD_GET,  "/admin/users/new",                  admin_user_new,         ROLE_ADMIN, 0,   0, "users.manage", RECORD_NONE },
	{ "admin_user_create",  METHOD_POST, "/admin/users/new",                  admin_user_create,      ROLE_ADMIN, 1,   0, "users.manage", RECORD_NONE },
	{ "admin_user",         METHOD_GET,  "/admin/users/" ID,                  admin_user,             ROLE_ADMIN, 0,   0, "users.manage", RECORD_NONE },
	{ "admin_role_grant",   METHOD_POST, "/admin/users/" ID "/grant",         admin_role_grant_page,  ROLE_ADMIN, 1,   0, "users.manage", RECORD_NONE },
	{ "admin_role_revoke",  METHOD_POST, "/admin/users/" ID "/revoke",        admin_role_revoke_page, ROLE_ADMIN, 1,   0, "users.manage", RECORD_NONE },
	{ "admin_user_disable_ask", METHOD_GET, "/admin/users/" ID "/disable",    admin_user_disable_ask, ROLE_ADMIN, 0,   0, "users.manage", RECORD_NONE },
	{ "admin_user_disable", METHOD_POST, "/admin/users/" ID "/disable",       admin_user_disable,     ROLE_ADMIN, 1,   0, "users.manage", RECORD_NONE },
	{ "admin_user_enable",  METHOD_POST, "/admin/users/" ID "/enable",        admin_user_enable,      ROLE_ADMIN, 1,   0, "users.manage", RECORD_NONE },
	{ "admin_audit",        METHOD_GET,  "/admin/audit",                      admin_audit,            ROLE_ADMIN, 0,   0, "audit.read", RECORD_NONE },
	{ "admin_outbox",       METHOD_GET,  "/admin/outbox",                     admin_outbox,           ROLE_ADMIN, 0,   0, "outbox.read", RECORD_NONE },
	{ "admin_outbox_retry", METHOD_POST, "/admin/outbox/" ID "/retry",        admin_outbox_retry,     ROLE_ADMIN, 1,   0, "outbox.read", RECORD_NONE },
};
const size_t admin_routes_n = sizeof(admin_routes) / sizeof(admin_routes[0]);
