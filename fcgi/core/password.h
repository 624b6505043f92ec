/* password: argon2id hashing with the parameters stored in the encoded
 * hash (so they can be raised later: rehash at login), the password
 * policy, and a limit on how many hashes run at once across workers. */
#ifndef MEDSYS_PASSWORD_H
#define MEDSYS_PASSWORD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct password_params {
	uint32_t m_kib;    /* memory in KiB */
	uint32_t t;        /* iterations */
	uint32_t p;        /* lanes */
};

/* OWASP / ASVS 5.0: argon2id m = 19 MiB, t = 2, p = 1. */
extern const struct password_params password_params_default;

#define PASSWORD_MIN_CHARS 10     /* counted in characters, not bytes */
#define PASSWORD_MAX_BYTES 1024   /* far above the 64 characters allowed */
#define PASSWORD_HASH_MAX 160     /* room for an encoded argon2id hash */

/* Hash pw with a fresh 16-byte salt into out (PASSWORD_HASH_MAX), in the
 * standard "$argon2id$v=19$m=...,t=...,p=...$salt$hash" form. 0 or -1. */
int password_hash(const char *pw, const struct password_params *params,
                  char *out, size_t outlen);

/* 1 when pw matches encoded, 0 when not, -1 when encoded is malformed. */
int password_verify(const char *encoded, const char *pw);

/* 1 when encoded was made with weaker parameters than params (time to
 * rehash with the password just typed), else 0. */
int password_needs_rehash(const char *encoded, const struct password_params *params);

/* A hash of a random password, for comparing against when the account
 * does not exist, so that an unknown e-mail takes as long as a wrong
 * password. Computed once per process. */
const char *password_dummy_hash(void);

enum password_problem {
	PASSWORD_OK = 0,
	PASSWORD_TOO_SHORT,        /* under 10 characters */
	PASSWORD_TOO_LONG,         /* over PASSWORD_MAX_BYTES */
	PASSWORD_NOT_TEXT,         /* not valid UTF-8 or has control characters */
	PASSWORD_COMMON,           /* in the common-passwords list */
	PASSWORD_HAS_EMAIL,        /* contains the e-mail or its local part */
	PASSWORD_HAS_NAME,         /* contains a word of the user's name (>= 3 chars) */
	PASSWORD__MAX
};

/* Judge a new password: length in characters, the common list (compared
 * case-insensitively), the user's e-mail and name (case-insensitively).
 * No composition rules. email and name may be NULL. */
enum password_problem password_check(const char *pw, const char *email,
                                     const char *name);

/* A stable key for the problem ("too_short", ...), for language strings. */
const char *password_problem_key(enum password_problem p);

/* Load the common-passwords list (one per line, '#' comments) replacing
 * any earlier one. Returns the number loaded, -1 when unreadable. */
long password_load_common(const char *path);

/* Number of entries loaded. */
size_t password_common_count(void);

/* The cross-worker limit on concurrent hashes: a process-shared semaphore
 * created by the parent before it forks (hashlimit_init), taken around
 * each hash or verify. acquire waits at most timeout_ms; -1 when it timed
 * out (the caller answers 503). Without init, acquire always succeeds. */
int hashlimit_init(int max_concurrent);
int hashlimit_acquire(int timeout_ms);
void hashlimit_release(void);

/* The parent calls this for every worker it reaps: permits that worker
 * held (it was killed while hashing) are given back. Returns how many. */
int hashlimit_reap(pid_t pid);

#endif
