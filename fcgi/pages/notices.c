/* notices: a signed-in user's in-app notices (text chosen at display time
 * from the language files, with the notice's parameters filled in) and
 * their own security activity (the audit events about their account).
 * Every statement is bound to the reader's id: nobody sees another
 * user's rows. */
#include "pages.h"
#include "page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/db.h"
#include "core/fields.h"
#include "core/request.h"
#include "core/validate.h"
#include "core/view.h"

#define PAGE_ROWS 50           /* rows per page; queries return one more */
#define PLACEHOLDER_MAX 40     /* characters of a {name} */

/* 1 when s is a non-empty run of [a-z_] of at most max characters: safe
 * as one level of a language-string name. */
static int
is_word(const char *s, size_t max)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz_");

	return n > 0 && s[n] == '\0' && n <= max;
}

/* ------------------------------------------------------ placeholders */

struct param {
	const char *key;
	const char *value;
};

/* The value shown for parameter key: a role code is shown by its name, a
 * clinic-local time ("when", "old", "until") in the reader's words. */
static const char *
param_display(struct req *r, const char *key, const char *value)
{
	if (strcmp(key, "when") == 0 || strcmp(key, "old") == 0 || strcmp(key, "until") == 0)
		return page_when(r, value);
	if (strcmp(key, "role") == 0 && is_word(value, 30)) {
		const char *s = view_lang(r->view, arena_printf(r->arena, "notices.roles.%s", value));
		if (s && *s)
			return s;
	}
	return value;
}

/* tmpl with every {name} replaced by the value of parameter name, or by
 * nothing when the notice has no such parameter; anything else is copied
 * as it is. The result is text: the template escapes it when rendering,
 * so a parameter can never become markup. NULL on exhaustion. */
static char *
notice_fill(struct req *r, const char *tmpl, const struct param *ps, size_t n)
{
	size_t cap = strlen(tmpl) + 1, len = 0;
	char *out;

	for (size_t i = 0; i < n; i++)
		cap += strlen(param_display(r, ps[i].key, ps[i].value));
	if ((out = arena_alloc(r->arena, cap)) == NULL)
		return NULL;
	for (const char *p = tmpl; *p;) {
		const char *close = *p == '{' ? strchr(p + 1, '}') : NULL;
		size_t nlen = close ? (size_t)(close - p - 1) : 0;
		if (close && nlen > 0 && nlen <= PLACEHOLDER_MAX &&
		    strspn(p + 1, "abcdefghijklmnopqrstuvwxyz_") == nlen) {
			for (size_t i = 0; i < n; i++) {
				if (strlen(ps[i].key) == nlen && strncmp(ps[i].key, p + 1, nlen) == 0) {
					const char *v = param_display(r, ps[i].key, ps[i].value);
					size_t vlen = strlen(v);
					/* Each parameter is counted once in cap; a
					 * template naming one twice must not overflow. */
					if (len + vlen >= cap)
						vlen = cap - len - 1;
					memcpy(out + len, v, vlen);
					len += vlen;
					break;
				}
			}
			p = close + 1;
			continue;
		}
		if (len + 1 >= cap)
			break;
		out[len++] = *p++;
	}
	out[len] = '\0';
	return out;
}

/* The text of a notice of kind: notices.<kind>.text, or the generic one. */
static const char *
notice_template(struct req *r, const char *kind)
{
	const char *s = "";

	if (is_word(kind, 60))
		s = view_lang(r->view, arena_printf(r->arena, "notices.%s.text", kind));
	return s && *s ? s : view_lang(r->view, "notices.generic.text");
}

/* --------------------------------------------------------- the list */

enum { NL_ID, NL_KIND, NL_LINK, NL_CREATED, NL_UNREAD };

static int
notices_page(struct req *r)
{
	const char *before, *p[3];
	struct db_result *list, *params = NULL;
	struct param *ps = NULL;
	enum db_status st;
	size_t n, shown, np = 0, unread = 0;

	if (query_optional_id(r, "before", &before) == -1)
		return HTTP_BAD_REQUEST;
	p[0] = r->user.id_text;
	p[1] = before;
	p[2] = page_tz(r);
	if ((st = db_query(&list, "notices_list", 3, p)) != DB_OK)
		return db_http_status(st);
	n = db_rows(list);
	shown = n < PAGE_ROWS ? n : PAGE_ROWS;
	if (shown > 0) {
		p[1] = db_value(list, shown - 1, NL_ID);
		p[2] = db_value(list, 0, NL_ID);
		if ((st = db_query(&params, "notices_params", 3, p)) != DB_OK)
			return db_http_status(st);
		np = db_rows(params);
		ps = np ? arena_alloc(r->arena, np * sizeof(*ps)) : NULL;
		if (np && ps == NULL)
			return HTTP_INTERNAL_ERROR;
	}
	for (size_t i = 0; i < shown; i++) {
		const char *id = db_value(list, i, NL_ID), *link = db_value(list, i, NL_LINK);
		size_t k = 0;
		char *text;
		for (size_t j = 0; j < np; j++)
			if (strcmp(db_value(params, j, 0), id) == 0) {
				ps[k].key = db_value(params, j, 1);
				ps[k].value = db_value(params, j, 2);
				k++;
			}
		text = notice_fill(r, notice_template(r, db_value(list, i, NL_KIND)), ps, k);
		view_set(r->view, id, "Data.notices.%zu.id", i);
		view_set(r->view, text ? text : "", "Data.notices.%zu.text", i);
		view_set(r->view, page_when(r, db_value(list, i, NL_CREATED)), "Data.notices.%zu.created", i);
		if (*link && req_is_local_path(link))
			view_set(r->view, link, "Data.notices.%zu.link", i);
		if (db_value(list, i, NL_UNREAD)[0] == 't') {
			view_set(r->view, "1", "Data.notices.%zu.unread", i);
			unread++;
		}
	}
	if (n > PAGE_ROWS)
		view_set(r->view, db_value(list, PAGE_ROWS - 1, NL_ID), "Data.next_before");
	if (before)
		view_set(r->view, "1", "Data.paged");
	if (unread)
		view_set(r->view, "1", "Data.any_unread");
	return page_show(r, "notices.title", "notices/list.cs", HTTP_OK);
}

static int
notices_read(struct req *r)
{
	const char *id = r->match.args[0];
	const char *next = fields_get(&r->form, "next");
	const char *p[2] = { id, r->user.id_text };
	struct db_result *res;
	enum db_status st;
	long long owner = 0;

	if ((st = db_query(&res, "notices_mark_read", 2, p)) != DB_OK)
		return db_http_status(st);
	if (db_rows(res) == 1)
		return page_redirect(r, req_is_local_path(next) ? next : "/notices");
	/* Not this user's notice: the same 404 whether it exists or not, and
	 * one audit row naming the owner when there is one. */
	if (db_query(&res, "notices_owner", 1, p) == DB_OK) {
		if (db_rows(res) == 1)
			owner = atoll(db_value(res, 0, 0));
	}
	audit_log(r, owner, "access.denied", arena_printf(r->arena, "notice:%s", id));
	return HTTP_NOT_FOUND;
}

static int
notices_read_all(struct req *r)
{
	const char *p[1] = { r->user.id_text };
	enum db_status st;

	if ((st = db_run("notices_mark_all_read", 1, p)) != DB_OK)
		return db_http_status(st);
	return page_redirect(r, "/notices");
}

/* ---------------------------------------------- security activity */

enum { SE_ID, SE_AT, SE_ACTION, SE_ADDR, SE_WHO, SE_NAME, SE_ROLES };

/* Who did it, in words: "you", "someone not signed in", "another
 * patient", or a staff member's name and roles ("Ana Ruiz (reception)"). */
static const char *
security_who(struct req *r, struct db_result *res, size_t i)
{
	const char *who = db_value(res, i, SE_WHO), *roles = db_value(res, i, SE_ROLES);
	const char *out = "", *sep = "";
	char role[24];

	if (strcmp(who, "staff") != 0)
		return view_lang(r->view, arena_printf(r->arena, "notices.security.who.%s", who));
	while (*roles) {
		size_t n = strcspn(roles, ",");
		snprintf(role, sizeof(role), "%.*s", (int)n, roles);
		out = arena_printf(r->arena, "%s%s%s", out, sep,
		                   view_lang(r->view, arena_printf(r->arena, "notices.roles.%s", role)));
		sep = ", ";
		roles += n + (roles[n] == ',');
	}
	return arena_printf(r->arena, "%s (%s)", db_value(res, i, SE_NAME), out);
}

static int
security_page(struct req *r)
{
	const char *before, *p[3];
	struct db_result *res;
	enum db_status st;
	size_t n;

	if (query_optional_id(r, "before", &before) == -1)
		return HTTP_BAD_REQUEST;
	p[0] = r->user.id_text;
	p[1] = before;
	p[2] = page_tz(r);
	if ((st = db_query(&res, "notices_security", 3, p)) != DB_OK)
		return db_http_status(st);
	n = db_rows(res);
	for (size_t i = 0; i < n && i < PAGE_ROWS; i++) {
		view_set(r->view, page_when(r, db_value(res, i, SE_AT)), "Data.events.%zu.at", i);
		audit_action_view(r, db_value(res, i, SE_ACTION), arena_printf(r->arena, "Data.events.%zu", i));
		view_set(r->view, security_who(r, res, i), "Data.events.%zu.who", i);
		view_set(r->view, db_value(res, i, SE_ADDR), "Data.events.%zu.addr", i);
	}
	if (n > PAGE_ROWS)
		view_set(r->view, db_value(res, PAGE_ROWS - 1, SE_ID), "Data.next_before");
	if (before)
		view_set(r->view, "1", "Data.paged");
	return page_show(r, "notices.security.title", "notices/security.cs", HTTP_OK);
}

/* ------------------------------------------------------------- routes */

const struct route notices_routes[] = {
	/* name                 method       pattern                            handler           roles           csrf pre_mfa */
	{ "notices",            METHOD_GET,  "/notices",                        notices_page,     ROLE_SIGNED_IN, 0,   0, NULL, RECORD_NONE },
	{ "notices_read_all",   METHOD_POST, "/notices/read-all",               notices_read_all, ROLE_SIGNED_IN, 1,   0, NULL, RECORD_NONE },
	{ "notices_read",       METHOD_POST, "/notices/([1-9][0-9]{0,17})/read", notices_read,    ROLE_SIGNED_IN, 1,   0, NULL, RECORD_NONE },
	{ "account_security",   METHOD_GET,  "/account/security",               security_page,    ROLE_SIGNED_IN, 0,   0, NULL, RECORD_NONE },
};
const size_t notices_routes_n = sizeof(notices_routes) / sizeof(notices_routes[0]);
