/* account: what the files of the account feature (account.c, register.c,
 * signin.c, reset.c) share; outside fcgi/pages/account/ only the
 * pharmacist desk (fcgi/pages/rx/desk.c) uses it, for its throttling. */
#ifndef MEDSYS_PAGES_ACCOUNT_H
#define MEDSYS_PAGES_ACCOUNT_H

#include <stdint.h>

#include "core/db.h"
#include "core/password.h"

struct req;

#define HTTP_GONE 410
#define HTTP_TOO_MANY 429

#define LINK_TOKEN_BYTES 32          /* 256-bit e-mailed tokens */
#define VERIFY_TTL (24 * 3600)       /* seconds a verification link lives */
#define RESET_TTL (30 * 60)          /* seconds a reset link lives */
#define RESEND_INTERVAL 60           /* one verification mail a minute per account */
#define THROTTLE_CAP (15 * 60)       /* longest block, seconds */
#define REGISTER_FACTOR 4            /* registrations per window per address:
                                      * this many times the free failures */
#define HASH_WAIT_MS 5000            /* wait for a free hashing slot */
#define SWEEP_ONE_IN 32              /* forget old throttle keys now and then */

/* An account as the sign-in and recovery pages need it. */
struct account {
	long long id;
	char id_text[24];
	const char *hash, *name, *email, *lang, *totp_secret;
	int verified, disabled, totp;
	uint64_t totp_last_step;
};

/* An e-mailed link's token, looked up (account_link_lookup). */
struct link {
	char id[24], user[24];
	long long user_id;
	const char *name, *email, *lang;
};

/* ------------------------------------------------------------ helpers */

/* Run a statement whose rows do not matter: 0 or an HTTP status. */
int account_run(const char *name, int n, const char *const *p);

/* Run a statement that returns a row when it matched or changed
 * something: 1 for exactly one row, 0 otherwise, or a negative HTTP
 * status. */
int account_one_row(const char *name, int n, const char *const *p);

/* The audit row of action about user uid, with "user:<uid>" as its
 * object (inside the caller's transaction, if any): 0 or
 * HTTP_INTERNAL_ERROR. */
int account_audit_user(struct req *r, const char *uid, const char *action);

/* The end of the caller's transaction: when st is 0 commit it (0, or 503
 * when the commit fails), otherwise roll it back and return st. */
int account_tx_finish(int st);

/* A page of this feature with a form: page_show() with the CSRF token the
 * form carries. */
int account_form_page(struct req *r, const char *title_key, const char *tmpl, int status);

/* The redirect target after signing in: a local path, else "/". */
const char *account_safe_next(const char *next);

/* The page to go to after signing in, kept in the form (Form.next) when
 * it is a local path other than "/". */
void account_keep_next(struct req *r, const char *next);

/* "PATH" or "PATH?next=..." when next is a local path other than "/";
 * NULL when the arena is exhausted. */
const char *account_with_next(struct req *r, const char *path, const char *next);

/* Look an account up by e-mail (by_id NULL) or id. 0 with a->id = 0 when
 * there is none, or an HTTP status. */
int account_load(struct req *r, const char *email, const char *by_id, struct account *a);

/* ------------------------------------------------------------ throttling */

/* Seconds until key1 and key2 are both free again (0: go ahead), or a
 * negative HTTP status. */
int account_throttle_wait(const char *key1, const char *key2);

/* Count one failure (or one counted request) for key; free: how many go
 * through before the delays start. */
void account_throttle_count(struct req *r, const char *key, int free_count);
void account_throttle_clear(const char *key);

/* The 429 page: when to try again, in the visitor's language. */
int account_throttled(struct req *r, int secs);
/* "30 seconds" / "3 minutes": the wait in the visitor's language (arena). */
const char *account_wait_text(struct req *r, int secs);
const char *account_throttle_key(struct req *r, const char *prefix, const char *value);

/* ------------------------------------------------------ links, mail, passwords */

/* Make a fresh e-mailed token for user uid: raw goes into the link, only its
 * hash is stored. 0 or an HTTP status. */
int account_link_token(const char *uid, const char *purpose, int ttl, char raw[2 * LINK_TOKEN_BYTES + 1]);

/* Queue a mail with a one-time link (path + token). 0 or an HTTP status.
 * It carries no text anyone typed (not the account's name): the address
 * may not be proven yet, and the mail must not carry a stranger's words
 * to it (issue 15). */
int account_mail_link(struct req *r, const char *to, const char *lang, const char *tmpl,
		      const char *path, const char *token, int ttl);

/* Token, verification mail: inside the caller's transaction. */
int account_send_verification(struct req *r, const char *uid, const char *email, const char *lang);

/* May the account get another verification mail now (one a minute)? 1
 * yes, 0 not yet, or a negative HTTP status. */
int account_resend_allowed(struct req *r, const char *uid);

/* Hash pw for storing; 0 or an HTTP status (503 when no slot came free). */
int account_hash_password(const char *pw, char out[PASSWORD_HASH_MAX]);

/* The new-password fields: policy and confirmation. Counts as form errors. */
void account_check_password(struct req *r, const char *email, const char *name);

/* Find the token of a link. 0 and l filled; HTTP_BAD_REQUEST (malformed or
 * unknown) or HTTP_GONE (used, expired, account disabled): the caller shows
 * the one "link not valid" page; or another HTTP status. */
int account_link_lookup(struct req *r, const char *token, const char *purpose, struct link *l);

/* Consume the token: 0, HTTP_GONE when another request used it first. */
int account_link_use(const struct link *l);

/* The one page for every bad link: the same words whatever went wrong. */
int account_link_invalid(struct req *r, int status, const char *kind);

/* ------------------------------------------------------------ handlers */

/* register.c */
int account_register_get(struct req *r);
int account_register_post(struct req *r);
int account_register_sent(struct req *r);
int account_verify(struct req *r);

/* GET /verify/resend: the reminder with the resend button. */
int account_verify_resend_get(struct req *r);
int account_verify_resend_post(struct req *r);

/* signin.c */
int account_login_get(struct req *r);
int account_login_post(struct req *r);
int account_mfa_get(struct req *r);
int account_mfa_post(struct req *r);
int account_logout(struct req *r);

/* reset.c */
int account_forgot_get(struct req *r);
int account_forgot_post(struct req *r);
int account_reset_get(struct req *r);
int account_reset_post(struct req *r);

#endif
