/* audit: one row per security event and per read or change of clinical
 * data (who, whose, what, when, from where, request); each row carries its
 * content hash, and medsys-sealer chains and signs them afterwards. */
#ifndef MEDSYS_AUDIT_H
#define MEDSYS_AUDIT_H

#include <stddef.h>

struct db_batch;
struct req;

/* Append an event for request r: the actor is the signed-in user (or
 * none), subject_id the account or record owner concerned (0: none),
 * action "area.verb" ("auth.login_failed"), object a short reference
 * ("user:42"; never clinical content or secrets). Runs in the current
 * transaction when one is open. 0, or -1 when it could not be written. */
int audit_log(struct req *r, long long subject_id, const char *action,
              const char *object);

/* A read of clinical data, recorded the one way every page does it: add
 * to batch b the statement that writes one audit row per subject (the
 * patients whose records the page shows; n = 0: one row without subject)
 * ahead of the page's own statements. The batch runs all or nothing, so
 * a page whose audit rows cannot be written gets no data to show: it
 * answers with db_http_status() of the batch. Unless audit_read_sync is
 * set, the transaction commits without waiting for the WAL flush
 * (medsys.conf.sample says what a crash can lose). 0, or -1 when the
 * batch is full or memory ran out. */
int audit_read_add(struct req *r, struct db_batch *b, const long long *subjects, size_t n,
                   const char *action, const char *object);

/* audit_read_add in a batch of its own, for a page that had to read
 * something first to know whose record it shows: run it before showing
 * anything. 0, or the HTTP status to answer (the page shows nothing). */
int audit_read(struct req *r, const long long *subjects, size_t n, const char *action,
               const char *object);

/* The parameters the page's own audit statement takes after its first
 * ones, for reads whose subjects only SQL knows (a day's agenda): actor,
 * action, object, address, request id, synchronous_commit. Fills out[6]
 * with arena strings. */
void audit_read_params(struct req *r, const char *action, const char *object,
                       const char *out[6]);

/* The same without a request (medsysctl, the notifier). */
int audit_log_system(long long actor_id, long long subject_id,
                     const char *action, const char *object);

/* An audit action in the page's words: Data node <node> gets .action, the
 * words of Lang.audit.<action>, or those of Lang.audit.other and then
 * .code, the action itself, when no words exist for it (a new action
 * still shows what it is). node is a dataset path ("Data.events.3"). */
void audit_action_view(struct req *r, const char *action, const char *node);

#endif
