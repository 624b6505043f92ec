/* sessions: the user's active sessions, ending one or all the others. */
#include "pages/pages.h"
#include "pages/page.h"
#include "pages/profile/profile.h"

#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/request.h"
#include "core/view.h"

/* ------------------------------------------------------------ sessions */

/* A short, human description of a User-Agent ("Firefox, Linux"), or NULL
 * when it is not recognised. The strings are product names. */
static const char *
short_agent(struct req *r, const char *ua)
{
	static const struct { const char *needle, *name; } browsers[] = {
		{ "Edg/", "Edge" }, { "OPR/", "Opera" }, { "SamsungBrowser/", "Samsung Internet" },
		{ "Firefox/", "Firefox" }, { "FxiOS/", "Firefox" }, { "CriOS/", "Chrome" },
		{ "Chrome/", "Chrome" }, { "Safari/", "Safari" }, { "curl/", "curl" },
	}, systems[] = {
		{ "Android", "Android" }, { "iPhone", "iOS" }, { "iPad", "iPadOS" },
		{ "CrOS", "ChromeOS" }, { "Windows", "Windows" }, { "Mac OS X", "macOS" },
		{ "Linux", "Linux" },
	};
	const char *b = NULL, *s = NULL;

	for (size_t i = 0; !b && i < sizeof(browsers) / sizeof(browsers[0]); i++)
		if (strstr(ua, browsers[i].needle))
			b = browsers[i].name;
	for (size_t i = 0; !s && i < sizeof(systems) / sizeof(systems[0]); i++)
		if (strstr(ua, systems[i].needle))
			s = systems[i].name;
	if (b && s)
		return arena_printf(r->arena, "%s, %s", b, s);
	return b ? b : s;
}

/* Columns of profile_sessions. */
enum { PS_ID, PS_CREATED, PS_SEEN, PS_ADDR, PS_AGENT, PS_CURRENT, PS_PENDING };

int
profile_sessions(struct req *r)
{
	static const char *const done[] = { "others", "ended", NULL };
	struct db_result *res = NULL;
	const char *p[3] = { r->user.id_text, r->session.id_text, page_tz(r) };
	enum db_status st = db_query(&res, "profile_sessions", 3, p);
	size_t others = 0;

	if (st != DB_OK)
		return db_http_status(st);
	for (size_t i = 0; i < db_rows(res); i++) {
		const char *ua = db_value(res, i, PS_AGENT), *nice = short_agent(r, ua);
		view_set(r->view, db_value(res, i, PS_ID), "Data.sessions.%zu.id", i);
		view_set(r->view, page_when(r, db_value(res, i, PS_CREATED)), "Data.sessions.%zu.created", i);
		view_set(r->view, page_when(r, db_value(res, i, PS_SEEN)), "Data.sessions.%zu.seen", i);
		view_set(r->view, db_value(res, i, PS_ADDR), "Data.sessions.%zu.addr", i);
		if (nice)
			view_set(r->view, nice, "Data.sessions.%zu.agent", i);
		else if (*ua)
			view_set(r->view, arena_strndup(r->arena, ua, 40), "Data.sessions.%zu.agent", i);
		if (db_value(res, i, PS_CURRENT)[0] == 't')
			view_set(r->view, "1", "Data.sessions.%zu.current", i);
		else
			others++;
		if (db_value(res, i, PS_PENDING)[0] == 't')
			view_set(r->view, "1", "Data.sessions.%zu.pending", i);
	}
	view_set_int(r->view, (long long)others, "Data.others");
	profile_show_done(r, done);
	return page_show(r, "profile.sessions.title", "profile/sessions.cs", HTTP_OK);
}

int
profile_sessions_others(struct req *r)
{
	int n = sess_end_others(r);

	if (n < 0)
		return HTTP_UNAVAILABLE;
	audit_log(r, r->user.id, "auth.sessions_ended", arena_printf(r->arena, "count:%d", n));
	return page_redirect(r, "/profile/sessions?done=others");
}

int
profile_session_end(struct req *r)
{
	const char *sid = r->match.args[0];
	const char *p[2] = { sid, r->user.id_text };
	struct db_result *res = NULL;
	enum db_status st;
	int owned;

	if (strcmp(sid, r->session.id_text) == 0) {
		/* Ending the session in use is signing out. */
		if ((owned = sess_end(r)) != 0)
			return owned;
		return page_redirect(r, "/");
	}
	if ((st = db_query(&res, "profile_session_end", 2, p)) != DB_OK)
		return db_http_status(st);
	owned = db_changed(res) == 1;
	if (!owned) {
		/* Already ended (still ours: nothing to do) or not ours at all. */
		if ((st = db_query(&res, "profile_session_owned", 2, p)) != DB_OK)
			return db_http_status(st);
		owned = db_rows(res) == 1;
		if (!owned) {
			audit_log(r, r->user.id, "access.denied", arena_printf(r->arena, "session:%s", sid));
			return HTTP_NOT_FOUND;
		}
		return page_redirect(r, "/profile/sessions?done=ended");
	}
	audit_log(r, r->user.id, "auth.session_ended", arena_printf(r->arena, "session:%s", sid));
	return page_redirect(r, "/profile/sessions?done=ended");
}
