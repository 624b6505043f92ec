/* audit: appending to the trail (plain inserts; sealed later). */
#include "audit.h"

#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "log.h"
#include "request.h"

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
audit_log_many(struct req *r, const long long *subjects, size_t n, const char *action,
               const char *object)
{
	char a[24], *list = malloc(n * 21 + 3);
	const char *p[6] = { r->user.id ? a : NULL, list, action, object ? object : "",
	                     r->remote_addr ? r->remote_addr : "", r->request_id };
	size_t len = 0;
	enum db_status st;

	if (list == NULL)
		return append_failed(action, object, r->request_id);
	snprintf(a, sizeof(a), "%lld", r->user.id);
	list[len++] = '{';
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(list + len, "%s%lld", i ? "," : "", subjects[i]);
	list[len++] = '}';
	list[len] = '\0';
	st = db_run("audit_append_many", 6, p);
	free(list);
	return st == DB_OK ? 0 : append_failed(action, object, r->request_id);
}

int
audit_log_system(long long actor_id, long long subject_id, const char *action,
                 const char *object)
{
	return append(actor_id, subject_id, action, object, "", "");
}
