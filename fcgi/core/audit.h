/* audit: one row per security event and per read or change of clinical
 * data (who, whose, what, when, from where, request); each row carries its
 * content hash, and medsys-sealer chains and signs them afterwards. */
#ifndef MEDSYS_AUDIT_H
#define MEDSYS_AUDIT_H

#include <stddef.h>

struct req;

/* Append an event for request r: the actor is the signed-in user (or
 * none), subject_id the account or record owner concerned (0: none),
 * action "area.verb" ("auth.login_failed"), object a short reference
 * ("user:42"; never clinical content or secrets). Runs in the current
 * transaction when one is open. 0, or -1 when it could not be written. */
int audit_log(struct req *r, long long subject_id, const char *action,
              const char *object);

/* One row per subject (n of them, each an account or record owner) in
 * one statement, for a page that shows several people's data, such as a
 * doctor's agenda. 0, or -1 when they could not be written. */
int audit_log_many(struct req *r, const long long *subjects, size_t n,
                   const char *action, const char *object);

/* The same without a request (medsysctl, the notifier). */
int audit_log_system(long long actor_id, long long subject_id,
                     const char *action, const char *object);

#endif
