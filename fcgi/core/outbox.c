/* outbox: inserting events for the notifier (docs/events.md). */
#include "outbox.h"

#include <stdio.h>

#include "arena.h"
#include "db.h"
#include "json.h"

static int
emit(const char *type, const char *payload)
{
	const char *p[4] = { type, payload, NULL, NULL };
	struct db_result *res;
	enum db_status st = db_query(&res, "outbox_emit", 4, p);

	db_result_free(res);
	return st == DB_OK ? 0 : -1;
}

int
outbox_mail(const char *to, const char *lang, const char *template_name,
            const char *params_json, int secret)
{
	struct arena *a = arena_new(0);
	char *payload = NULL;
	int rc = -1;

	if (a == NULL)
		return -1;
	{
		char *t = json_string(a, to), *l = json_string(a, lang), *m = json_string(a, template_name);
		if (t && l && m)
			payload = arena_printf(a, "{\"to\":%s,\"lang\":%s,\"template\":%s,\"params\":%s,\"secret\":%s}",
			                       t, l, m, params_json ? params_json : "{}",
			                       secret ? "true" : "false");
	}
	if (payload)
		rc = emit("mail.send", payload);
	arena_free(a);
	return rc;
}

int
outbox_notice(long long user_id, const char *kind, const char *params_json,
              const char *link)
{
	struct arena *a = arena_new(0);
	char *payload = NULL;
	int rc = -1;

	if (a == NULL)
		return -1;
	{
		char *k = json_string(a, kind), *l = json_string(a, link ? link : "");
		if (k && l)
			payload = arena_printf(a, "{\"user_id\":%lld,\"kind\":%s,\"params\":%s,\"link\":%s}",
			                       user_id, k, params_json ? params_json : "{}", l);
	}
	if (payload)
		rc = emit("notice.create", payload);
	arena_free(a);
	return rc;
}
