/* profile: what the files of the profile feature (profile.c, security.c,
 * sessions.c, mfa.c) share; nothing outside fcgi/pages/profile/ uses it. */
#ifndef MEDSYS_PAGES_PROFILE_H
#define MEDSYS_PAGES_PROFILE_H

#include <stddef.h>

struct req;

#define ISSUER "MedSysPro"
#define EMAIL_LINK_SECONDS (24 * 3600)   /* change-of-address link lifetime */
#define LINK_TOKEN_HEX 64                /* hex digits of a link token */
#define EMAIL_CHANGES_PER_DAY 3          /* address-change requests per account in 24 h */
#define PROFILE_TOO_MANY 429             /* the day's address changes are used up */
#define HASH_WAIT_MS 5000                /* wait for a password-hash permit */
#define RECOVERY_CODES 10
#define TOTP_WINDOW 1                    /* steps either side of now */
#define QR_MODULE 4                      /* SVG user units per QR module */

/* ------------------------------------------------------------ helpers */

/* Fill Data.* (and, when with_form, Form.* for the edit form) from the
 * database; the stored time zone into tz when not NULL. 0 or an HTTP
 * status. */
int profile_load(struct req *r, int with_form, char *tz, size_t tzlen);

/* Send the user to type the password again, then back to `back`. */
int profile_ask_reauth(struct req *r, const char *back);

/* Commit the open transaction (rolled back when that fails) and redirect
 * to location. */
int profile_tx_commit_redirect(struct req *r, const char *location);

/* A new session token (the privilege changed), then the commit of the open
 * transaction; either failing rolls it back. 0 or an HTTP status. */
int profile_tx_rotate_commit(struct req *r);

/* The language mail and notices to this user are written in. */
const char *profile_user_lang(const struct req *r);

/* A one-shot confirmation shown after a redirect (?done=key): only known
 * keys are echoed, so the query cannot put text on the page. */
void profile_show_done(struct req *r, const char *const *allowed);

/* ------------------------------------------------------------ handlers */

/* security.c */
int profile_reauth(struct req *r);
int profile_reauth_post(struct req *r);
int profile_password(struct req *r);
int profile_password_post(struct req *r);
int profile_email(struct req *r);
int profile_email_post(struct req *r);
int profile_email_confirm(struct req *r);
int profile_email_confirm_post(struct req *r);

/* sessions.c */
int profile_sessions(struct req *r);
int profile_sessions_others(struct req *r);
int profile_session_end(struct req *r);

/* mfa.c */
int profile_mfa(struct req *r);
int profile_mfa_confirm(struct req *r);
int profile_mfa_disable(struct req *r);
int profile_mfa_codes(struct req *r);

#endif
