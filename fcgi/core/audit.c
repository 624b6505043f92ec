/* audit: appending to the hash-chained trail. */
#include "audit.h"

#include <stdio.h>

#include "db.h"
#include "log.h"
#include "request.h"

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
	if (st != DB_OK) {
		/* The event itself is in this line, so it is not lost silently. */
		log_msg("error", "audit row not written: action=%s object=%s request=%s",
		        action, object ? object : "", request_id ? request_id : "");
		return -1;
	}
	return 0;
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
