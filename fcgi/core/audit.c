/* audit: appending to the trail (plain inserts; sealed later). */
#include "audit.h"

#include <stdio.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "request.h"
#include "view.h"

/* A failed append is logged with the event itself, so it is not lost
 * silently. Returns -1. */
static int
append_failed(const char *action, const char *object, const char *request_id)
{
	log_msg("error", "audit row not written: action=%s object=%s request=%s",
	        action, object ? object : "", request_id ? request_id : "");
	return -1;
}

static int
append(long long actor, long long subject, const char *action, const char *object,
       const char *addr, const char *request_id)
{
	char a[24], s[24];
	const char *p[6] = { actor ? a : NULL, subject ? s : NULL, action,
	                     object ? object : "", addr ? addr : "", request_id ? request_id : "" };
	struct db_result *res;
	enum db_status st;

	snprintf(a, sizeof(a), "%lld", actor);
	snprintf(s, sizeof(s), "%lld", subject);
	st = db_query(&res, "audit_append", 6, p);
	db_result_free(res);
	return st == DB_OK ? 0 : append_failed(action, object, request_id);
}

int
audit_log(struct req *r, long long subject_id, const char *action, const char *object)
{
	return append(r->user.id, subject_id, action, object, r->remote_addr, r->request_id);
}

int
audit_log_system(long long actor_id, long long subject_id, const char *action,
                 const char *object)
{
	return append(actor_id, subject_id, action, object, "", "");
}

void
audit_read_params(struct req *r, const char *action, const char *object, const char *out[6])
{
	out[0] = r->user.id ? r->user.id_text : NULL;
	out[1] = action;
	out[2] = object ? object : "";
	out[3] = r->remote_addr ? r->remote_addr : "";
	out[4] = r->request_id;
	out[5] = r->cfg->audit_read_sync ? "on" : "off";
}

/* subjects as a PostgreSQL array literal ("{1,2}"), in the arena. */
static char *
subject_array(struct arena *a, const long long *subjects, size_t n)
{
	char *s = arena_alloc(a, n * 21 + 3);
	size_t o = 0;

	if (s == NULL)
		return NULL;
	s[o++] = '{';
	for (size_t i = 0; i < n; i++)
		o += (size_t)sprintf(s + o, i ? ",%lld" : "%lld", subjects[i]);
	s[o++] = '}';
	s[o] = '\0';
	return s;
}

int
audit_read_add(struct req *r, struct db_batch *b, const long long *subjects, size_t n,
               const char *action, const char *object)
{
	const char **p = arena_alloc(r->arena, 7 * sizeof(*p));
	const char *rest[6];

	if (p == NULL || (p[1] = subject_array(r->arena, subjects, n)) == NULL)
		return -1;
	audit_read_params(r, action, object, rest);
	p[0] = rest[0];
	for (int i = 1; i < 6; i++)
		p[i + 1] = rest[i];
	return db_batch_add(b, "audit_read", 7, p) == -1 ? -1 : 0;
}

int
audit_read(struct req *r, const long long *subjects, size_t n, const char *action,
           const char *object)
{
	struct db_batch b = { 0 };
	int status = HTTP_INTERNAL_ERROR;
	enum db_status st;

	if (audit_read_add(r, &b, subjects, n, action, object) == 0) {
		if ((st = db_batch_run(&b)) == DB_OK)
			return 0;
		status = db_http_status(st);
	}
	append_failed(action, object, r->request_id);
	return status;
}

void
audit_action_view(struct req *r, const char *action, const char *node)
{
	const char *words = view_lang(r->view, arena_printf(r->arena, "audit.%s", action));

	if (words && *words) {
		view_set(r->view, words, "%s.action", node);
		return;
	}
	view_set(r->view, view_lang(r->view, "audit.other"), "%s.action", node);
	view_set(r->view, action, "%s.code", node);
}
