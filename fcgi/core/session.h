/* session: who is making the request. Sessions live in auth.sessions
 * (only the SHA-256 of the 256-bit token is stored), are found from the
 * `session` cookie, end after an idle time (staff 15 min, patients 30 min)
 * or an absolute lifetime (12 h), and get a new token at sign-in and at
 * every privilege change. CSRF tokens: per session for signed-in users; a
 * double-submit cookie for anonymous forms (sign-in, registration). */
#ifndef MEDSYS_SESSION_H
#define MEDSYS_SESSION_H

#include <stddef.h>

struct req;

struct user {
	long long id;                  /* 0: anonymous */
	char id_text[24];
	unsigned roles;                /* enum role_bit; ROLE_ANONYMOUS when signed out */
	char email[256];
	char name[201];
	char lang[3];                  /* the user's language ("" when anonymous) */
	int email_verified;
	int totp_enabled;
	long long doctor_id;           /* clinic.doctors row of a doctor, else 0 */
	char doctor_id_text[24];       /* "" when not a doctor */
	long long unread_notices;      /* for the page header */
	long long unread_messages;     /* chat messages from others not read yet */
};

struct session {
	long long id;                  /* 0: none */
	char id_text[24];
	char csrf[65];                 /* the token this session's forms carry */
	int mfa_pending;               /* password given, second factor not yet */
	int recent_auth;               /* password typed within reauth_window */
	int touch_due;                 /* last_seen_at is due to move: sess_touch()
	                                * after the handler, which may clear it */
};

/* The session cookie's name. */
#define SESSION_COOKIE "session"

/* Staff roles: they must have a second factor before any staff page. */
#define ROLE_STAFF (ROLE_DOCTOR | ROLE_PHARMACIST | ROLE_LAB | ROLE_RECEPTION | ROLE_ADMIN)

/* Find the session of the request's cookie and fill r->user and
 * r->session. Unknown, expired, revoked or disabled: anonymous, and the
 * cookie is cleared. A session whose second factor is pending leaves the
 * user anonymous but r->session.mfa_pending set and r->user.id known.
 * 0, or HTTP_UNAVAILABLE when the database is down. */
int sess_load(struct req *r);

/* Move the session's last_seen_at when sess_load found it due and the
 * handler left r->session.touch_due set (a chat poll clears it: polling
 * writes nothing and keeps no idle session alive). */
void sess_touch(struct req *r);

/* Start a session for user_id with a fresh token (the request's previous
 * session, if any, is ended: rotation), and set the cookie. mfa_pending: the
 * second factor is still to be given. 0 or an HTTP status. */
int sess_start(struct req *r, long long user_id, int mfa_pending);

/* Rotate the current session's token without ending it (privilege change:
 * second factor given, role granted to oneself, password changed). */
int sess_rotate(struct req *r, int mfa_pending);

/* End the current session and clear the cookie (sign out). */
int sess_end(struct req *r);

/* End every other session of the current user ("sign out everywhere
 * else"). Returns the number ended, or -1. */
int sess_end_others(struct req *r);

/* End every session of a user (account disabled, password reset).
 * Returns the number ended, or -1. */
int sess_end_all(long long user_id);

/* Record that the password was typed just now (re-authentication). */
int sess_mark_reauth(struct req *r);

/* The CSRF token forms of this request carry (also set as Page.csrf by
 * the pipeline for signed-in users). Anonymous: the double-submit cookie,
 * set when missing. NULL when out of memory. */
const char *csrf_token(struct req *r);

/* 1 when the request's form field "csrf" matches; compared in constant time. */
int csrf_check(const struct req *r);

/* 1 when one of the request's roles holds capability in
 * auth.role_capabilities (read once a minute per worker, so a change to
 * that table applies within a minute); 0 otherwise and when it cannot be
 * read (fail closed). */
int sess_has_capability(const struct req *r, const char *capability);

/* Role name ("doctor") for a role bit, and the bit for a name (0: none). */
const char *role_name(unsigned role_bit);
unsigned role_from_name(const char *name);

/* Parse a comma-separated role list ("doctor,admin") into bits. */
unsigned roles_from_list(const char *list);

#endif
