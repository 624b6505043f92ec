/* test_account: registration, e-mail verification, sign-in with a second
 * factor, sign-out, password recovery and throttling, through nginx against
 * a real stack (tests/integration/account.stack): the whole flow, and the
 * attacks on it (CSRF, session fixation and replay, timeouts, brute force,
 * account enumeration, code and token reuse, open redirects). */
#include <check.h>
#include <ctype.h>
#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "http_client.h"
#include "lib/totp.h"

/* Seed fixtures (tests/harness/seed.sql). */
#define P1_EMAIL "patient1@clinic.test"
#define P1_PASS "Patient-One-Pass-2026"
#define P2_EMAIL "patient2@clinic.test"
#define P2_PASS "Patient-Two-Pass-2026"
#define D1_EMAIL "doctor1@clinic.test"
#define D1_PASS "Doctor-One-Pass-2026"
#define D1_TOTP "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
/* Accounts made by make_account() share patient1's password hash. */
#define COPY_PASS P1_PASS
#define TEST_TOTP "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
#define FREE_FAILURES 5            /* throttle_free_failures (default) */
#define MAIL_WAIT_MS 15000L

/* ------------------------------------------------------------ utilities */

static void
fail_if_null(const void *p, const char *what)
{
	ck_assert_msg(p != NULL, "%s: out of memory or no result", what);
}

static char *
xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");

	fail_if_null(d, "strdup");
	return d;
}

/* A unique address for this run. */
static char *
fresh_email(const char *tag)
{
	static unsigned n;

	return it_fmt("%s-%ld-%u@clinic.test", tag, (long)getpid(), n++);
}

/* An account with patient1's password (COPY_PASS); totp: base32 secret or
 * NULL; role "patient" unless given. */
static void
make_account(const char *email, const char *name, int verified, const char *totp, const char *role)
{
	it_sql("INSERT INTO auth.users (email, full_name, language, password_hash, email_verified_at,"
	       " totp_secret, totp_enabled_at)"
	       " SELECT '%s', '%s', 'es', password_hash, %s, %s%s%s, %s FROM auth.users WHERE email = '" P1_EMAIL "';"
	       "INSERT INTO auth.user_roles (user_id, role) SELECT id, '%s' FROM auth.users WHERE email = '%s'",
	       email, name, verified ? "now()" : "NULL", totp ? "'" : "", totp ? totp : "NULL",
	       totp ? "'" : "", totp ? "now()" : "NULL", role ? role : "patient", email);
}

static void
reset_throttle(void)
{
	it_sql("DELETE FROM auth.throttle");
}

/* ------------------------------------------------------------ cookies */

/* The cookies a browser would keep for the site. */
struct jar {
	char session[160];
	char csrf[160];
	char lang[8];
};

static void
jar_set(char *slot, size_t len, const char *v, size_t n, int delete)
{
	if (delete || n == 0 || n >= len)
		slot[0] = '\0';
	else {
		memcpy(slot, v, n);
		slot[n] = '\0';
	}
}

static void
jar_update(struct jar *j, const struct http_response *r)
{
	const char *h;

	for (size_t i = 0; (h = http_header_nth(r, "Set-Cookie", i)) != NULL; i++) {
		const char *eq = strchr(h, '='), *end;
		size_t name_len, n;
		int delete;

		if (eq == NULL)
			continue;
		name_len = (size_t)(eq - h);
		end = strchr(eq + 1, ';');
		n = end ? (size_t)(end - eq - 1) : strlen(eq + 1);
		delete = strstr(h, "Max-Age=0") != NULL;
		if (name_len == 7 && strncmp(h, "session", 7) == 0)
			jar_set(j->session, sizeof(j->session), eq + 1, n, delete);
		else if (name_len == 4 && strncmp(h, "csrf", 4) == 0)
			jar_set(j->csrf, sizeof(j->csrf), eq + 1, n, delete);
		else if (name_len == 4 && strncmp(h, "lang", 4) == 0)
			jar_set(j->lang, sizeof(j->lang), eq + 1, n, delete);
	}
}

/* "Origin: $MEDSYS_URL": a same-origin form. */
static const char *
origin(void)
{
	static char buf[300];
	const char *url = getenv("MEDSYS_URL");

	snprintf(buf, sizeof(buf), "Origin: %s", url ? url : "");
	return buf;
}

/* One request with the jar's cookies; the jar takes what comes back. */
static void
fetch(struct http_response *r, struct jar *j, const char *method, const char *path,
      const char *body)
{
	char cookie[600] = "Cookie: ";
	const char *headers[4] = { NULL, NULL, NULL, NULL };
	size_t nh = 0;
	struct http_request rq;

	if (j && (j->session[0] || j->csrf[0] || j->lang[0])) {
		size_t o = strlen(cookie);
		if (j->session[0])
			o += (size_t)snprintf(cookie + o, sizeof(cookie) - o, "session=%s; ", j->session);
		if (j->csrf[0])
			o += (size_t)snprintf(cookie + o, sizeof(cookie) - o, "csrf=%s; ", j->csrf);
		if (j->lang[0])
			o += (size_t)snprintf(cookie + o, sizeof(cookie) - o, "lang=%s; ", j->lang);
		cookie[o - 2] = '\0';
		headers[nh++] = cookie;
	}
	if (body)
		headers[nh++] = origin();
	memset(&rq, 0, sizeof(rq));
	rq.method = method;
	rq.path = path;
	rq.headers = headers;
	rq.body = body;
	rq.body_len = body ? strlen(body) : 0;
	rq.content_type = body ? "application/x-www-form-urlencoded" : NULL;
	memset(r, 0, sizeof(*r));
	ck_assert_msg(http_request(&rq, r) == 0, "%s %s: no response: %s", method ? method : "GET",
	              path, r->error);
	if (j)
		jar_update(j, r);
}

static void
get(struct http_response *r, struct jar *j, const char *path)
{
	fetch(r, j, NULL, path, NULL);
}

/* Room for n more bytes and a NUL. */
static void
ensure(char **buf, size_t len, size_t *cap, size_t n)
{
	if (len + n + 1 > *cap) {
		*cap = (len + n + 1) * 2;
		*buf = realloc(*buf, *cap);
		fail_if_null(*buf, "form");
	}
}

/* Append s %-encoded (as a form value or query parameter). */
static void
append_encoded(char **buf, size_t *len, size_t *cap, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		ensure(buf, *len, cap, 3);
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~')
			(*buf)[(*len)++] = (char)*p;
		else
			*len += (size_t)sprintf(*buf + *len, "%%%02X", *p);
	}
	ensure(buf, *len, cap, 0);
	(*buf)[*len] = '\0';
}

/* s %-encoded, malloc'd. */
static char *
encoded(const char *s)
{
	size_t len = 0, cap = 16;
	char *buf = malloc(cap);

	fail_if_null(buf, "encode");
	buf[0] = '\0';
	append_encoded(&buf, &len, &cap, s);
	return buf;
}

/* A form body from NULL-terminated name, value pairs (value NULL: left out). */
static char *
form_v(va_list ap)
{
	size_t len = 0, cap = 256;
	char *buf = malloc(cap);
	const char *name;

	fail_if_null(buf, "form");
	buf[0] = '\0';
	while ((name = va_arg(ap, const char *)) != NULL) {
		const char *value = va_arg(ap, const char *);
		if (value == NULL)
			continue;
		if (len) {
			ensure(&buf, len, &cap, 1);
			buf[len++] = '&';
		}
		append_encoded(&buf, &len, &cap, name);
		ensure(&buf, len, &cap, 1);
		buf[len++] = '=';
		buf[len] = '\0';
		append_encoded(&buf, &len, &cap, value);
	}
	return buf;
}

/* POST a form (name, value, ..., NULL). */
static void
post(struct http_response *r, struct jar *j, const char *path, ...)
{
	va_list ap;
	char *body;

	va_start(ap, path);
	body = form_v(ap);
	va_end(ap);
	fetch(r, j, "POST", path, body);
	free(body);
}

/* The value of the first hidden csrf field of a page, or "". */
static char *
page_csrf(const struct http_response *r)
{
	char token[256];

	return xstrdup(it_form_value(r, "csrf", token, sizeof(token)));
}

/* GET path and return its form's CSRF token. */
static char *
csrf_of(struct jar *j, const char *path)
{
	struct http_response r;
	char *t;

	get(&r, j, path);
	ck_assert_msg(r.status == 200, "GET %s: %ld", path, r.status);
	t = page_csrf(&r);
	ck_assert_msg(strlen(t) == 64, "GET %s: no csrf token in the page", path);
	http_response_free(&r);
	return t;
}

static void
assert_location(const struct http_response *r, const char *where, const char *what)
{
	const char *loc = http_header(r, "Location");

	ck_assert_msg(r->status == 303, "%s: status %ld, expected 303; body: %.300s", what, r->status, r->body);
	ck_assert_msg(loc && strcmp(loc, where) == 0, "%s: Location %s, expected %s", what,
	              loc ? loc : "(none)", where);
}

/* Signed in (fully) as far as the home page tells: it has the sign-out form. */
static int
signed_in(struct jar *j)
{
	struct http_response r;
	int yes;

	get(&r, j, "/");
	ck_assert_msg(r.status == 200, "GET /: %ld", r.status);
	yes = strstr(r.body, "action=\"/logout\"") != NULL;
	http_response_free(&r);
	return yes;
}

/* The password step: GET /login (CSRF cookie and token), POST. */
static void
login(struct http_response *r, struct jar *j, const char *email, const char *pw, const char *next)
{
	char *enc = next ? encoded(next) : NULL;
	char *path = next ? it_fmt("/login?next=%s", enc) : xstrdup("/login");
	char *csrf = csrf_of(j, path);

	post(r, j, "/login", "csrf", csrf, "email", email, "password", pw, "next", next, NULL);
	free(csrf);
	free(path);
	free(enc);
}

/* ------------------------------------------------------------ TOTP */

static uint64_t
now_step(void)
{
	return (uint64_t)time(NULL) / TOTP_STEP;
}

/* A code the server will accept for an account whose last accepted step is
 * in the database: a step after it, inside the window of one step either
 * side of now (waits for the clock when needed). */
static char *
fresh_code(const char *secret, const char *email)
{
	unsigned char key[64];
	long keylen = base32_decode(secret, key, sizeof(key));
	uint64_t last = (uint64_t)it_sql_int("SELECT totp_last_step FROM auth.users WHERE email = '%s'", email);
	uint64_t step;

	ck_assert(keylen > 0);
	for (;;) {
		uint64_t now = now_step();
		step = last + 1 > now - 1 ? last + 1 : now - 1;
		if (step <= now + 1)
			break;
		sleep(1);
	}
	return it_fmt("%06ld", totp_code_at_step(key, (size_t)keylen, step, TOTP_DIGITS));
}

/* ------------------------------------------------------------ mail */

/* Mail files already used by this test process. */
static char *seen[64];
static size_t nseen;

static int
was_seen(const char *name)
{
	for (size_t i = 0; i < nseen; i++)
		if (strcmp(seen[i], name) == 0)
			return 1;
	return 0;
}

static int
notifier_running(void)
{
	const char *pidfile = getenv("MEDSYS_NOTIFIER_PIDFILE");
	char *text;
	long pid;

	if (pidfile == NULL || (text = it_slurp(pidfile)) == NULL)
		return 0;
	pid = atol(text);
	free(text);
	return pid > 0 && kill((pid_t)pid, 0) == 0;
}

/* The 64-hex token after "<path>?token=" in text, or NULL. */
static char *
token_after(const char *text, const char *path)
{
	char *needle = it_fmt("%s?token=", path);
	const char *p = strstr(text, needle);
	size_t n = 0;

	if (p) {
		p += strlen(needle);
		while (isxdigit((unsigned char)p[n]))
			n++;
	}
	free(needle);
	return p && n == 64 ? strndup(p, 64) : NULL;
}

/* Wait for a new mail to `to` holding a link to path, and return the link's
 * token. With no notifier running (the notifier is built separately), read
 * the link from the newest outbox event for that address instead. */
/* it_maildir_scan: the token of the first unseen mail to `to` with a
 * link to path (the mail is then seen). */
struct link_want {
	const char *to, *path;
	char *tok;
};

static int
take_link(const char *name, char *text, void *arg)
{
	struct link_want *w = arg;

	if (was_seen(name))
		return 0;
	it_qp_decode(text);
	if (strcasestr(text, w->to) != NULL && (w->tok = token_after(text, w->path)) != NULL &&
	    nseen < sizeof(seen) / sizeof(seen[0]))
		seen[nseen++] = xstrdup(name);
	return w->tok != NULL;
}

static char *
wait_link(const char *to, const char *path)
{
	const char *maildir = getenv("MEDSYS_MAILDIR");
	struct link_want want = { to, path, NULL };
	struct timespec t0, t;
	char *tok;

	if (!notifier_running()) {
		char *lp = it_sql_line("SELECT payload->'params'->>'link_path' FROM outbox.events"
		                       " WHERE type = 'mail.send' AND payload->>'to' = '%s'"
		                       " AND payload->'params'->>'link_path' LIKE '%s?token=%%'"
		                       " ORDER BY id DESC LIMIT 1", to, path);
		tok = token_after(lp, path);
		free(lp);
		ck_assert_msg(tok != NULL, "no outbox mail to %s with a %s link", to, path);
		return tok;
	}
	ck_assert_msg(maildir != NULL, "MEDSYS_MAILDIR is not set");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (it_maildir_scan(take_link, &want))
			return want.tok;
		clock_gettime(CLOCK_MONOTONIC, &t);
		ck_assert_msg((t.tv_sec - t0.tv_sec) * 1000L < MAIL_WAIT_MS,
		              "no mail to %s with a %s link within %ld ms", to, path, MAIL_WAIT_MS);
		usleep(100 * 1000);
	}
}

/* ------------------------------------------------------------ pages */

static void
register_account(struct jar *j, const char *email, const char *name, const char *pw, const char *lang)
{
	struct http_response r;
	char *csrf = csrf_of(j, "/register");

	post(&r, j, "/register", "csrf", csrf, "full_name", name, "birth_date", "1984-02-29",
	     "email", email, "phone", "+34 600 111 222", "password", pw, "password_confirm", pw,
	     "language", lang, NULL);
	assert_location(&r, "/register/sent", "register");
	http_response_free(&r);
	free(csrf);
}

/* Sign out with the session's own token (from the header's form). */
static void
logout(struct jar *j)
{
	struct http_response r;
	char *csrf;

	get(&r, j, "/");
	csrf = page_csrf(&r);
	http_response_free(&r);
	ck_assert_msg(strlen(csrf) == 64, "logout: no sign-out form");
	post(&r, j, "/logout", "csrf", csrf, NULL);
	assert_location(&r, "/", "logout");
	http_response_free(&r);
	free(csrf);
}

/* ============================================================ the flow */

START_TEST(test_full_flow)
{
	char *email = fresh_email("flow");
	const char *pw = "correct horse battery staple 2026";
	const char *pw2 = "a brand new passphrase for 2026";
	struct jar j = { "", "", "" }, old;
	struct http_response r;
	char *tok, *csrf, *code, *before, *after;

	reset_throttle();
	/* Register: the "check your mailbox" page. */
	register_account(&j, email, "Flora Flujo", pw, "en");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users u JOIN auth.user_roles r ON r.user_id = u.id"
	                            " WHERE u.email = '%s' AND r.role = 'patient' AND u.email_verified_at IS NULL"
	                            " AND u.language = 'en' AND u.phone = '+34 600 111 222'", email), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events e JOIN auth.users u ON u.id = e.subject_id"
	                            " WHERE u.email = '%s' AND e.action = 'auth.registered'", email), 1);
	get(&r, &j, "/register/sent");
	it_assert_status(&r, 200, "register/sent");
	http_response_free(&r);

	/* The verification mail reaches the SMTP sink; its link verifies. */
	tok = wait_link(email, "/verify");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.tokens WHERE token_hash = sha256('%s'::bytea)"
	                            " AND purpose = 'verify_email' AND expires_at > now() + interval '23 hours'", tok), 1);
	{
		char *path = it_fmt("/verify?token=%s", tok);
		get(&r, &j, path);
		it_assert_status(&r, 200, "verify");
		http_response_free(&r);
		free(path);
	}
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE email = '%s' AND email_verified_at IS NOT NULL", email), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events e JOIN auth.users u ON u.id = e.subject_id"
	                            " WHERE u.email = '%s' AND e.action = 'auth.email_verified'", email), 1);
	free(tok);

	/* Sign in with the password; the account has no second factor yet. */
	login(&r, &j, email, pw, NULL);
	assert_location(&r, "/", "sign in");
	http_response_free(&r);
	ck_assert(signed_in(&j));

	/* The second factor (enrolment is the profile page's: here by SQL). */
	it_sql("UPDATE auth.users SET totp_secret = '" TEST_TOTP "', totp_enabled_at = now() WHERE email = '%s'", email);
	logout(&j);
	ck_assert(!signed_in(&j));

	/* Password, then TOTP: the session is not usable in between, and the
	 * token changes when the second factor is given. */
	login(&r, &j, email, pw, NULL);
	assert_location(&r, "/login/2fa", "password step");
	http_response_free(&r);
	ck_assert(!signed_in(&j));
	before = xstrdup(j.session);
	ck_assert_uint_eq(strlen(before), 64);
	csrf = csrf_of(&j, "/login/2fa");
	code = fresh_code(TEST_TOTP, email);
	post(&r, &j, "/login/2fa", "csrf", csrf, "code", code, NULL);
	assert_location(&r, "/", "second factor");
	http_response_free(&r);
	after = xstrdup(j.session);
	ck_assert_str_ne(before, after);
	ck_assert(signed_in(&j));
	free(code);
	free(csrf);

	/* Forgotten password: mail, reset. */
	old = j;
	{
		struct jar anon = { "", "", "" };
		csrf = csrf_of(&anon, "/password/forgot");
		post(&r, &anon, "/password/forgot", "csrf", csrf, "email", email, NULL);
		assert_location(&r, "/password/forgot?sent=1", "forgot");
		http_response_free(&r);
		free(csrf);
		tok = wait_link(email, "/password/reset");
		ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.tokens WHERE token_hash = sha256('%s'::bytea)"
		                            " AND purpose = 'reset_password' AND expires_at < now() + interval '31 minutes'", tok), 1);
		{
			char *path = it_fmt("/password/reset?token=%s", tok);
			get(&r, &anon, path);
			it_assert_status(&r, 200, "reset form");
			csrf = page_csrf(&r);
			http_response_free(&r);
			free(path);
		}
		post(&r, &anon, "/password/reset", "csrf", csrf, "token", tok, "password", pw2,
		     "password_confirm", pw2, NULL);
		assert_location(&r, "/login?done=reset", "reset");
		http_response_free(&r);
		free(csrf);
		free(tok);
	}
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE payload->>'to' = '%s'"
	                            " AND payload->>'template' = 'password_changed'", email), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events e JOIN auth.users u ON u.id = e.subject_id"
	                            " WHERE u.email = '%s' AND e.action = 'auth.password_reset'", email), 1);

	/* Every old session is gone: the saved cookie gets the signed-out view. */
	ck_assert(!signed_in(&old));
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.sessions s JOIN auth.users u ON u.id = s.user_id"
	                            " WHERE u.email = '%s' AND s.revoked_at IS NULL", email), 0);

	/* The old password no longer works; the new one needs the TOTP again. */
	{
		struct jar k = { "", "", "" };
		login(&r, &k, email, pw, NULL);
		it_assert_status(&r, 200, "old password");
		it_assert_has(&r, "id=\"login-failed\"", "old password");
		http_response_free(&r);
		login(&r, &k, email, pw2, NULL);
		assert_location(&r, "/login/2fa", "new password: second factor still needed");
		http_response_free(&r);
		ck_assert(!signed_in(&k));
		csrf = csrf_of(&k, "/login/2fa");
		code = fresh_code(TEST_TOTP, email);
		post(&r, &k, "/login/2fa", "csrf", csrf, "code", code, NULL);
		assert_location(&r, "/", "second factor after reset");
		http_response_free(&r);
		ck_assert(signed_in(&k));
		free(code);
		free(csrf);
	}
	free(before);
	free(after);
	free(email);
}
END_TEST

/* ============================================================ CSRF */

START_TEST(test_csrf_logout)
{
	struct jar j = { "", "", "" }, other = { "", "", "" };
	struct http_response r;
	char *mine, *theirs;
	long denied;

	reset_throttle();
	login(&r, &j, P1_EMAIL, P1_PASS, NULL);
	assert_location(&r, "/", "sign in");
	http_response_free(&r);
	login(&r, &other, P2_EMAIL, P2_PASS, NULL);
	http_response_free(&r);
	get(&r, &other, "/");
	theirs = page_csrf(&r);
	http_response_free(&r);
	get(&r, &j, "/");
	mine = page_csrf(&r);
	http_response_free(&r);
	ck_assert_str_ne(mine, theirs);
	denied = it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'security.csrf_rejected'");

	post(&r, &j, "/logout", NULL);                                   /* missing */
	it_assert_status(&r, 403, "logout without token");
	http_response_free(&r);
	post(&r, &j, "/logout", "csrf", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", NULL);
	it_assert_status(&r, 403, "logout with a wrong token");
	http_response_free(&r);
	post(&r, &j, "/logout", "csrf", theirs, NULL);                   /* another session's */
	it_assert_status(&r, 403, "logout with another session's token");
	http_response_free(&r);
	/* The anonymous double-submit cookie is no token for a session. */
	post(&r, &j, "/logout", "csrf", j.csrf, NULL);
	it_assert_status(&r, 403, "logout with the anonymous cookie's token");
	http_response_free(&r);

	ck_assert(signed_in(&j));
	ck_assert(signed_in(&other));
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'security.csrf_rejected'"), denied + 4);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'auth.logout'"
	                            " AND subject_id = (SELECT id FROM auth.users WHERE email = '" P1_EMAIL "')"
	                            " AND at > now() - interval '1 minute'"), 0);
	free(mine);
	free(theirs);
}
END_TEST

START_TEST(test_csrf_login)
{
	struct jar j = { "", "", "" }, other = { "", "", "" }, p2 = { "", "", "" };
	struct http_response r;
	char *token, *other_token, *session_token;
	long sessions = it_sql_int("SELECT count(*) FROM auth.sessions");

	reset_throttle();
	token = csrf_of(&j, "/login");
	other_token = csrf_of(&other, "/login");
	ck_assert_str_ne(token, other_token);
	login(&r, &p2, P2_EMAIL, P2_PASS, NULL);
	http_response_free(&r);
	get(&r, &p2, "/");
	session_token = page_csrf(&r);
	http_response_free(&r);
	sessions = it_sql_int("SELECT count(*) FROM auth.sessions");

	post(&r, &j, "/login", "email", P1_EMAIL, "password", P1_PASS, NULL);
	it_assert_status(&r, 403, "login without token");
	ck_assert_str_eq(j.session, "");
	http_response_free(&r);
	post(&r, &j, "/login", "csrf", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	     "email", P1_EMAIL, "password", P1_PASS, NULL);
	it_assert_status(&r, 403, "login with a wrong token");
	http_response_free(&r);
	post(&r, &j, "/login", "csrf", other_token, "email", P1_EMAIL, "password", P1_PASS, NULL);
	it_assert_status(&r, 403, "login with another visitor's token");
	http_response_free(&r);
	post(&r, &j, "/login", "csrf", session_token, "email", P1_EMAIL, "password", P1_PASS, NULL);
	it_assert_status(&r, 403, "login with a session's token");
	http_response_free(&r);
	/* Token in the field but no cookie to match it. */
	{
		struct jar none = { "", "", "" };
		post(&r, &none, "/login", "csrf", token, "email", P1_EMAIL, "password", P1_PASS, NULL);
		it_assert_status(&r, 403, "login without the cookie");
		http_response_free(&r);
	}
	ck_assert(!signed_in(&j));
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.sessions"), sessions);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.throttle"), 0);
	/* The right token works. */
	post(&r, &j, "/login", "csrf", token, "email", P1_EMAIL, "password", P1_PASS, NULL);
	assert_location(&r, "/", "login with the right token");
	http_response_free(&r);
	ck_assert(signed_in(&j));
	free(token);
	free(other_token);
	free(session_token);
}
END_TEST

/* A cross-site Origin is refused before anything else. */
START_TEST(test_cross_origin_login)
{
	struct jar j = { "", "", "" };
	struct http_response r;
	char *token = csrf_of(&j, "/login");
	char cookie[200], *body;
	const char *headers[] = { cookie, "Origin: https://evil.example", NULL };
	struct http_request rq;

	reset_throttle();
	snprintf(cookie, sizeof(cookie), "Cookie: csrf=%s", j.csrf);
	body = it_fmt("csrf=%s&email=patient1%%40clinic.test&password=%s", token, P1_PASS);
	memset(&rq, 0, sizeof(rq));
	rq.method = "POST";
	rq.path = "/login";
	rq.headers = headers;
	rq.body = body;
	rq.body_len = strlen(body);
	rq.content_type = "application/x-www-form-urlencoded";
	ck_assert(http_request(&rq, &r) == 0);
	it_assert_status(&r, 403, "cross-site login");
	ck_assert_ptr_null(http_header(&r, "Location"));
	http_response_free(&r);
	free(body);
	free(token);
}
END_TEST

/* ============================================================ sessions */

START_TEST(test_token_changes_at_login)
{
	struct jar j = { "", "", "" };
	struct http_response r;
	char *first, *pending, *full;

	reset_throttle();
	/* An existing session (fixation attempt) is replaced at sign-in. */
	login(&r, &j, P1_EMAIL, P1_PASS, NULL);
	http_response_free(&r);
	first = xstrdup(j.session);
	ck_assert_uint_eq(strlen(first), 64);
	/* Signed in already (the form of another tab): the session's token. */
	{
		char *csrf;
		get(&r, &j, "/");
		csrf = page_csrf(&r);
		http_response_free(&r);
		post(&r, &j, "/login", "csrf", csrf, "email", P1_EMAIL, "password", P1_PASS, NULL);
		free(csrf);
	}
	assert_location(&r, "/", "second sign-in");
	http_response_free(&r);
	ck_assert_str_ne(first, j.session);
	{
		struct jar stale = { "", "", "" };
		snprintf(stale.session, sizeof(stale.session), "%s", first);
		ck_assert(!signed_in(&stale));
	}
	/* A planted (unknown) session token is never adopted. */
	{
		struct jar planted = { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "", "" };
		login(&r, &planted, P2_EMAIL, P2_PASS, NULL);
		assert_location(&r, "/", "sign-in with a planted cookie");
		http_response_free(&r);
		ck_assert_str_ne(planted.session, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
		ck_assert(signed_in(&planted));
	}
	/* After the second factor, too. */
	{
		struct jar d = { "", "", "" };
		char *csrf, *code, *email = fresh_email("rotate");
		make_account(email, "Rosa Rotación", 1, TEST_TOTP, "doctor");
		login(&r, &d, email, COPY_PASS, NULL);
		assert_location(&r, "/login/2fa", "doctor: password step");
		http_response_free(&r);
		pending = xstrdup(d.session);
		csrf = csrf_of(&d, "/login/2fa");
		code = fresh_code(TEST_TOTP, email);
		post(&r, &d, "/login/2fa", "csrf", csrf, "code", code, NULL);
		assert_location(&r, "/", "doctor: second factor");
		http_response_free(&r);
		full = xstrdup(d.session);
		ck_assert_str_ne(pending, full);
		ck_assert(signed_in(&d));
		{
			struct jar stale = { "", "", "" };
			snprintf(stale.session, sizeof(stale.session), "%s", pending);
			ck_assert(!signed_in(&stale));
		}
		free(csrf);
		free(code);
		free(pending);
		free(full);
		free(email);
	}
	free(first);
}
END_TEST

START_TEST(test_replay_after_logout)
{
	struct jar j = { "", "", "" }, saved;
	struct http_response r;
	char *token, *old_csrf;

	reset_throttle();
	login(&r, &j, P1_EMAIL, P1_PASS, NULL);
	http_response_free(&r);
	ck_assert(signed_in(&j));
	get(&r, &j, "/");
	old_csrf = page_csrf(&r);   /* the sign-out form of the old session */
	http_response_free(&r);
	saved = j;
	token = xstrdup(j.session);
	logout(&j);
	ck_assert_str_eq(j.session, "");
	ck_assert(!signed_in(&saved));
	ck_assert_str_eq(saved.session, "");   /* the server told the browser to forget it */
	snprintf(saved.session, sizeof(saved.session), "%s", token);
	/* A signed-in page sends the replayed cookie to sign in. */
	get(&r, &saved, "/verify/resend");
	assert_location(&r, "/login?next=/verify/resend", "replayed cookie");
	http_response_free(&r);
	/* A form of the ended session (here: sign out again) is not obeyed and
	 * not called forbidden either: the user is asked to sign in again. */
	snprintf(saved.session, sizeof(saved.session), "%s", token);
	post(&r, &saved, "/logout", "csrf", old_csrf, NULL);
	assert_location(&r, "/login", "form of an ended session");
	http_response_free(&r);
	free(old_csrf);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.sessions WHERE token_hash = sha256('%s'::bytea)"
	                            " AND revoked_at IS NOT NULL", token), 1);
	free(token);
	ck_assert_int_ge(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'auth.logout'"
	                            " AND subject_id = (SELECT id FROM auth.users WHERE email = '" P1_EMAIL "')"), 1);
}
END_TEST

START_TEST(test_idle_timeout)
{
	struct jar j = { "", "", "" };
	struct http_response r;

	reset_throttle();
	login(&r, &j, P2_EMAIL, P2_PASS, NULL);
	http_response_free(&r);
	ck_assert(signed_in(&j));
	/* Just inside the idle time: still signed in. */
	it_sql("UPDATE auth.sessions SET last_seen_at = now() - make_interval(secs => idle_seconds - 60)"
	       " WHERE token_hash = sha256('%s'::bytea)", j.session);
	ck_assert(signed_in(&j));
	it_sql("UPDATE auth.sessions SET last_seen_at = now() - make_interval(secs => idle_seconds + 5)"
	       " WHERE token_hash = sha256('%s'::bytea)", j.session);
	get(&r, &j, "/verify/resend");
	assert_location(&r, "/login?next=/verify/resend", "idle session");
	http_response_free(&r);
	ck_assert(!signed_in(&j));
}
END_TEST

START_TEST(test_absolute_timeout)
{
	struct jar j = { "", "", "" };
	struct http_response r;

	reset_throttle();
	login(&r, &j, P2_EMAIL, P2_PASS, NULL);
	http_response_free(&r);
	ck_assert(signed_in(&j));
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.sessions WHERE token_hash = sha256('%s'::bytea)"
	                            " AND expires_at BETWEEN now() + interval '11 hours' AND now() + interval '13 hours'",
	                            j.session), 1);
	it_sql("UPDATE auth.sessions SET expires_at = now() - interval '1 second', last_seen_at = now()"
	       " WHERE token_hash = sha256('%s'::bytea)", j.session);
	ck_assert(!signed_in(&j));
}
END_TEST

START_TEST(test_disabled_account)
{
	char *email = fresh_email("disabled");
	struct jar j = { "", "", "" }, k = { "", "", "" }, u = { "", "", "" };
	struct http_response r, wrong;

	reset_throttle();
	make_account(email, "Dora Desactivada", 1, NULL, NULL);
	login(&r, &j, email, COPY_PASS, NULL);
	assert_location(&r, "/", "sign in");
	http_response_free(&r);
	ck_assert(signed_in(&j));
	it_sql("UPDATE auth.users SET disabled_at = now() WHERE email = '%s'", email);
	/* The existing session stops working on the next request. */
	ck_assert(!signed_in(&j));
	/* The right password now gets the generic answer. */
	login(&r, &k, email, COPY_PASS, NULL);
	login(&wrong, &u, email, "not the password at all", NULL);
	it_assert_status(&r, 200, "disabled account");
	it_assert_has(&r, "id=\"login-failed\"", "disabled account");
	ck_assert_int_eq(r.status, wrong.status);
	ck_assert_ptr_null(http_header(&r, "Location"));
	http_response_free(&r);
	http_response_free(&wrong);
	ck_assert(!signed_in(&k));
	free(email);
}
END_TEST

/* ============================================================ enumeration */

/* The body with what legitimately differs taken out: hex tokens (CSRF
 * values, request ids) and the e-mail typed. */
static char *
normalised(const char *body, const char *email)
{
	size_t elen = strlen(email);
	char *out = calloc(1, strlen(body) + 1), *o;

	fail_if_null(out, "normalise");
	o = out;
	for (const char *p = body; *p;) {
		size_t n = 0;
		if (strncmp(p, email, elen) == 0) {
			*o++ = '@';
			p += elen;
			continue;
		}
		while (isxdigit((unsigned char)p[n]) && !isupper((unsigned char)p[n]))
			n++;
		if (n >= 16) {
			*o++ = '#';
			p += n;
			continue;
		}
		*o++ = *p++;
	}
	*o = '\0';
	return out;
}

START_TEST(test_unknown_email_same_as_wrong_password)
{
	struct jar a = { "", "", "" }, b = { "", "", "" }, c = { "", "", "" };
	struct http_response unknown, wrong, nodomain;
	char *x, *y, *z;
	const char *ghost = "nobody-here@clinic.test";

	reset_throttle();
	login(&unknown, &a, ghost, "some password 1234", NULL);
	login(&wrong, &b, P1_EMAIL, "some password 1234", NULL);
	login(&nodomain, &c, "ghost@unknown-domain.test", "some password 1234", NULL);
	ck_assert_int_eq(unknown.status, 200);
	ck_assert_int_eq(unknown.status, wrong.status);
	ck_assert_int_eq(unknown.status, nodomain.status);
	x = normalised(unknown.body, ghost);
	y = normalised(wrong.body, P1_EMAIL);
	z = normalised(nodomain.body, "ghost@unknown-domain.test");
	ck_assert_str_eq(x, y);
	ck_assert_str_eq(x, z);
	ck_assert_uint_eq(http_header_count(&unknown, "Set-Cookie"), http_header_count(&wrong, "Set-Cookie"));
	it_assert_has(&wrong, "id=\"login-failed\"", "wrong password");
	it_assert_lacks(&wrong, "some password 1234", "wrong password: the password is not echoed");
	/* Both failures are audited; the known account is the subject. */
	ck_assert_int_ge(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'auth.login_failed'"
	                            " AND subject_id = (SELECT id FROM auth.users WHERE email = '" P1_EMAIL "')"), 1);
	ck_assert_int_ge(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'auth.login_failed'"
	                            " AND subject_id IS NULL AND object = 'unknown'"), 2);
	free(x);
	free(y);
	free(z);
	http_response_free(&unknown);
	http_response_free(&wrong);
	http_response_free(&nodomain);
}
END_TEST

START_TEST(test_register_existing_email)
{
	char *fresh = fresh_email("unverified");
	struct jar j = { "", "", "" };
	long users = it_sql_int("SELECT count(*) FROM auth.users");
	long mails;

	reset_throttle();
	/* A verified account: the same page, no account, no mail. */
	mails = it_sql_int("SELECT count(*) FROM outbox.events WHERE payload->>'to' = '" P1_EMAIL "'");
	register_account(&j, P1_EMAIL, "Someone Else", "another long passphrase 77", "es");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users"), users);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE payload->>'to' = '" P1_EMAIL "'"), mails);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE email = '" P1_EMAIL "'"
	                            " AND full_name = 'Paciente Uno'"), 1);
	/* Not yet verified: a fresh verification link for the owner, once a minute. */
	make_account(fresh, "Una Verificada", 0, NULL, NULL);
	register_account(&j, fresh, "Someone Else", "another long passphrase 77", "es");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE payload->>'to' = '%s'"
	                            " AND payload->>'template' = 'verify_email'", fresh), 1);
	register_account(&j, fresh, "Someone Else", "another long passphrase 77", "es");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE payload->>'to' = '%s'"
	                            " AND payload->>'template' = 'verify_email'", fresh), 1);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE email = '%s'"
	                            " AND full_name = 'Una Verificada'", fresh), 1);
	free(fresh);
}
END_TEST

START_TEST(test_register_validation)
{
	struct jar j = { "", "", "" };
	struct http_response r;
	char *csrf = csrf_of(&j, "/register");
	char *email = fresh_email("valid");
	long users = it_sql_int("SELECT count(*) FROM auth.users");

	reset_throttle();
	/* Too short; typed values kept, passwords not. */
	post(&r, &j, "/register", "csrf", csrf, "full_name", "Valeria <Válida>", "birth_date", "1990-01-31",
	     "email", email, "phone", "", "password", "short1", "password_confirm", "short1",
	     "language", "es", NULL);
	it_assert_status(&r, 200, "short password");
	it_assert_has(&r, "La contraseña es demasiado corta", "short password");
	it_assert_has(&r, "value=\"Valeria &lt;Válida&gt;\"", "name kept (escaped)");
	it_assert_has(&r, email, "e-mail kept");
	it_assert_has(&r, "value=\"1990-01-31\"", "date kept");
	it_assert_lacks(&r, "short1", "password not echoed");
	it_assert_has(&r, "aria-invalid=\"true\" aria-describedby=\"password-error", "error tied to the field");
	http_response_free(&r);
	/* Common. */
	post(&r, &j, "/register", "csrf", csrf, "full_name", "Valeria", "birth_date", "1990-01-31",
	     "email", email, "password", "password123", "password_confirm", "password123", "language", "es", NULL);
	it_assert_status(&r, 200, "common password");
	it_assert_has(&r, "demasiado común", "common password");
	http_response_free(&r);
	/* Contains the e-mail's local part. */
	{
		char *local = strndup(email, (size_t)(strchr(email, '@') - email));
		char *pw = it_fmt("xx%sxx-long-enough", local);
		post(&r, &j, "/register", "csrf", csrf, "full_name", "Valeria", "birth_date", "1990-01-31",
		     "email", email, "password", pw, "password_confirm", pw, "language", "es", NULL);
		it_assert_status(&r, 200, "password with the e-mail");
		it_assert_has(&r, "no debe contener su dirección de correo", "password with the e-mail");
		http_response_free(&r);
		free(pw);
		free(local);
	}
	/* Contains the name. */
	post(&r, &j, "/register", "csrf", csrf, "full_name", "Valeria Montesinos", "birth_date", "1990-01-31",
	     "email", email, "password", "montesinos-rules-forever", "password_confirm", "montesinos-rules-forever",
	     "language", "en", NULL);
	it_assert_has(&r, "no debe contener su nombre", "password with the name");
	it_assert_has(&r, "<option value=\"en\" lang=\"en\" selected>", "language kept");
	http_response_free(&r);
	/* Mismatch, bad date, bad e-mail, future birth date. */
	post(&r, &j, "/register", "csrf", csrf, "full_name", "", "birth_date", "2999-01-01",
	     "email", "not-an-email", "password", "a fine long passphrase", "password_confirm", "a different one",
	     "language", "xx", NULL);
	it_assert_status(&r, 200, "several errors");
	it_assert_has(&r, "id=\"full_name-error\"", "name required");
	it_assert_has(&r, "id=\"email-error\"", "bad e-mail");
	it_assert_has(&r, "id=\"birth_date-error\"", "future date");
	it_assert_has(&r, "id=\"language-error\"", "bad language");
	http_response_free(&r);
	post(&r, &j, "/register", "csrf", csrf, "full_name", "Valeria", "birth_date", "1990-01-31",
	     "email", email, "password", "a fine long passphrase", "password_confirm", "a different one",
	     "language", "es", NULL);
	it_assert_has(&r, "Las dos contraseñas no coinciden", "mismatch");
	http_response_free(&r);
	/* An address no mail server may take. */
	post(&r, &j, "/register", "csrf", csrf, "full_name", "Valeria", "birth_date", "1990-01-31",
	     "email", "ñandú@clinic.test", "password", "a fine long passphrase",
	     "password_confirm", "a fine long passphrase", "language", "es", NULL);
	it_assert_status(&r, 200, "non-ASCII address");
	it_assert_has(&r, "id=\"email-error\"", "non-ASCII address");
	it_assert_has(&r, "value=\"ñandú@clinic.test\"", "non-ASCII address kept");
	http_response_free(&r);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users"), users);
	free(email);
	free(csrf);
}
END_TEST

START_TEST(test_forgot_same_answer)
{
	struct jar j = { "", "", "" };
	struct http_response known, unknown;
	char *csrf = csrf_of(&j, "/password/forgot");
	long mails = it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'mail.send'");

	reset_throttle();
	post(&unknown, &j, "/password/forgot", "csrf", csrf, "email", "nobody-at-all@clinic.test", NULL);
	assert_location(&unknown, "/password/forgot?sent=1", "unknown address");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'mail.send'"), mails);
	post(&known, &j, "/password/forgot", "csrf", csrf, "email", P2_EMAIL, NULL);
	assert_location(&known, "/password/forgot?sent=1", "known address");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE type = 'mail.send'"
	                            " AND payload->>'to' = '" P2_EMAIL "' AND payload->>'template' = 'reset_password'"
	                            " AND (payload->>'secret')::boolean"), 1);
	http_response_free(&known);
	http_response_free(&unknown);
	get(&known, &j, "/password/forgot?sent=1");
	it_assert_status(&known, 200, "sent page");
	http_response_free(&known);
	/* Requests are limited per account address and per client address. */
	reset_throttle();
	for (int i = 0; i < FREE_FAILURES; i++) {
		post(&known, &j, "/password/forgot", "csrf", csrf, "email", "nobody-at-all@clinic.test", NULL);
		assert_location(&known, "/password/forgot?sent=1", "repeated request");
		http_response_free(&known);
	}
	post(&known, &j, "/password/forgot", "csrf", csrf, "email", "nobody-at-all@clinic.test", NULL);
	it_assert_status(&known, 429, "too many reset requests");
	http_response_free(&known);
	free(csrf);
}
END_TEST

/* ============================================================ throttling */

START_TEST(test_throttle_account)
{
	char *email = fresh_email("throttle");
	struct jar j = { "", "", "" };
	struct http_response r, ghost;
	char *x, *y;

	reset_throttle();
	make_account(email, "Tomás Throttle", 1, NULL, NULL);
	for (int i = 0; i < FREE_FAILURES; i++) {
		login(&r, &j, email, "wrong password number x", NULL);
		it_assert_status(&r, 200, "a failure");
		it_assert_has(&r, "id=\"login-failed\"", "a failure");
		http_response_free(&r);
	}
	/* Only the account should be blocked now: forget the address's count. */
	it_sql("DELETE FROM auth.throttle WHERE key LIKE 'addr:%%'");
	login(&r, &j, email, COPY_PASS, NULL);        /* even the right password */
	it_assert_status(&r, 429, "account throttled");
	ck_assert_ptr_nonnull(http_header(&r, "Retry-After"));
	ck_assert_int_gt(atoi(http_header(&r, "Retry-After")), 0);
	http_response_free(&r);
	ck_assert(!signed_in(&j));
	/* Another account from the same address is not affected. */
	login(&r, &j, P2_EMAIL, P2_PASS, NULL);
	assert_location(&r, "/", "other account");
	http_response_free(&r);
	logout(&j);
	/* An unknown address is throttled the same way, with the same page. */
	reset_throttle();
	for (int i = 0; i < FREE_FAILURES; i++) {
		login(&r, &j, "ghost-throttle@clinic.test", "wrong password number x", NULL);
		http_response_free(&r);
		login(&r, &j, email, "wrong password number x", NULL);
		http_response_free(&r);
		it_sql("DELETE FROM auth.throttle WHERE key LIKE 'addr:%%'");
	}
	login(&ghost, &j, "ghost-throttle@clinic.test", "wrong password number x", NULL);
	login(&r, &j, email, "wrong password number x", NULL);
	it_assert_status(&ghost, 429, "unknown account throttled");
	it_assert_status(&r, 429, "known account throttled");
	x = normalised(ghost.body, "ghost-throttle@clinic.test");
	y = normalised(r.body, email);
	/* The wait may differ by a second: compare without digits. */
	for (char *p = x; *p; p++) if (isdigit((unsigned char)*p)) *p = '0';
	for (char *p = y; *p; p++) if (isdigit((unsigned char)*p)) *p = '0';
	ck_assert_str_eq(x, y);
	http_response_free(&r);
	http_response_free(&ghost);
	free(x);
	free(y);
	/* The delay grows: after it ends, one more failure blocks for longer. */
	sleep(3);
	login(&r, &j, email, "wrong password number x", NULL);
	it_assert_status(&r, 200, "after the block");
	http_response_free(&r);
	ck_assert_int_ge(it_sql_int("SELECT ceil(extract(epoch FROM blocked_until - now()))::int FROM auth.throttle"
	                            " WHERE key = 'acct:%s'", email), 3);
	/* A success resets the account's count. */
	reset_throttle();
	for (int i = 0; i < FREE_FAILURES - 1; i++) {
		login(&r, &j, email, "wrong password number x", NULL);
		http_response_free(&r);
	}
	login(&r, &j, email, COPY_PASS, NULL);
	assert_location(&r, "/", "success before the limit");
	http_response_free(&r);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.throttle WHERE key = 'acct:%s'", email), 0);
	free(email);
}
END_TEST

START_TEST(test_throttle_address)
{
	struct jar j = { "", "", "" };
	struct http_response r;

	reset_throttle();
	for (int i = 0; i < FREE_FAILURES; i++) {
		char *e = fresh_email("spray");
		login(&r, &j, e, "wrong password number y", NULL);
		it_assert_status(&r, 200, "one failure per account");
		http_response_free(&r);
		free(e);
	}
	/* A fresh account with the right password, from the same address. */
	login(&r, &j, P2_EMAIL, P2_PASS, NULL);
	it_assert_status(&r, 429, "address throttled");
	http_response_free(&r);
	ck_assert(!signed_in(&j));
	ck_assert_int_ge(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'auth.login_throttled'"), 1);
	reset_throttle();
	login(&r, &j, P2_EMAIL, P2_PASS, NULL);
	assert_location(&r, "/", "after the block");
	http_response_free(&r);
}
END_TEST

/* ============================================================ second factor */

START_TEST(test_totp_single_use)
{
	struct jar j = { "", "", "" }, k = { "", "", "" };
	struct http_response r;
	char *csrf, *code;

	reset_throttle();
	login(&r, &j, D1_EMAIL, D1_PASS, NULL);
	assert_location(&r, "/login/2fa", "password step");
	http_response_free(&r);
	/* Pending: no signed-in page yet. */
	get(&r, &j, "/verify/resend");
	assert_location(&r, "/login?next=/verify/resend", "pending session is not signed in");
	http_response_free(&r);
	csrf = csrf_of(&j, "/login/2fa");
	code = fresh_code(D1_TOTP, D1_EMAIL);
	post(&r, &j, "/login/2fa", "csrf", csrf, "code", code, NULL);
	assert_location(&r, "/", "first use");
	http_response_free(&r);
	free(csrf);
	/* The same code again, in another browser: refused. */
	login(&r, &k, D1_EMAIL, D1_PASS, NULL);
	assert_location(&r, "/login/2fa", "password step again");
	http_response_free(&r);
	csrf = csrf_of(&k, "/login/2fa");
	post(&r, &k, "/login/2fa", "csrf", csrf, "code", code, NULL);
	it_assert_status(&r, 200, "second use");
	it_assert_has(&r, "id=\"code-error\"", "second use");
	http_response_free(&r);
	ck_assert(!signed_in(&k));
	ck_assert_int_ge(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'auth.mfa_failed'"
	                            " AND subject_id = (SELECT id FROM auth.users WHERE email = '" D1_EMAIL "')"), 1);
	free(code);
	/* A fresh code works; "123 456"-style spacing is accepted. */
	code = fresh_code(D1_TOTP, D1_EMAIL);
	{
		char spaced[8];
		snprintf(spaced, sizeof(spaced), "%.3s %.3s", code, code + 3);
		post(&r, &k, "/login/2fa", "csrf", csrf, "code", spaced, NULL);
	}
	assert_location(&r, "/", "fresh code");
	http_response_free(&r);
	ck_assert(signed_in(&k));
	ck_assert_int_ge(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'auth.mfa_ok'"
	                            " AND subject_id = (SELECT id FROM auth.users WHERE email = '" D1_EMAIL "')"), 2);
	free(code);
	free(csrf);
}
END_TEST

START_TEST(test_recovery_code_and_cancel)
{
	char *email = fresh_email("recovery");
	struct jar j = { "", "", "" };
	struct http_response r;
	char *csrf;

	reset_throttle();
	make_account(email, "Rita Recuperación", 1, TEST_TOTP, "doctor");
	it_sql("INSERT INTO auth.recovery_codes (user_id, code_hash)"
	       " SELECT id, sha256('abcd-efgh-jkmn'::bytea) FROM auth.users WHERE email = '%s'", email);
	login(&r, &j, email, COPY_PASS, "/profile");
	assert_location(&r, "/login/2fa?next=/profile", "password step keeps next");
	http_response_free(&r);
	csrf = csrf_of(&j, "/login/2fa?next=/profile");
	post(&r, &j, "/login/2fa", "csrf", csrf, "code", "ABCD EFGH JKMN", "next", "/profile", NULL);
	assert_location(&r, "/profile", "recovery code");
	http_response_free(&r);
	free(csrf);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.recovery_codes r JOIN auth.users u ON u.id = r.user_id"
	                            " WHERE u.email = '%s' AND r.used_at IS NOT NULL", email), 1);
	logout(&j);
	/* Used up. Then cancel the pending sign-in. */
	login(&r, &j, email, COPY_PASS, NULL);
	http_response_free(&r);
	csrf = csrf_of(&j, "/login/2fa");
	post(&r, &j, "/login/2fa", "csrf", csrf, "code", "abcdefghjkmn", NULL);
	it_assert_status(&r, 200, "used recovery code");
	it_assert_has(&r, "id=\"code-error\"", "used recovery code");
	http_response_free(&r);
	{
		char *pending = xstrdup(j.session);
		post(&r, &j, "/logout", "csrf", csrf, NULL);
		assert_location(&r, "/", "cancel");
		http_response_free(&r);
		ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.sessions WHERE token_hash = sha256('%s'::bytea)"
		                            " AND revoked_at IS NOT NULL", pending), 1);
		free(pending);
	}
	get(&r, &j, "/login/2fa");
	assert_location(&r, "/login", "no pending sign-in");
	http_response_free(&r);
	free(csrf);
	free(email);
}
END_TEST

START_TEST(test_mfa_throttle)
{
	char *email = fresh_email("mfathrottle");
	struct jar j = { "", "", "" };
	struct http_response r;
	char *csrf, *code;

	reset_throttle();
	make_account(email, "Mario Factor", 1, TEST_TOTP, NULL);
	login(&r, &j, email, COPY_PASS, NULL);
	http_response_free(&r);
	csrf = csrf_of(&j, "/login/2fa");
	for (int i = 0; i < FREE_FAILURES; i++) {
		post(&r, &j, "/login/2fa", "csrf", csrf, "code", "000000", NULL);
		it_assert_status(&r, 200, "wrong code");
		http_response_free(&r);
	}
	it_sql("DELETE FROM auth.throttle WHERE key LIKE 'addr:%%'");
	code = fresh_code(TEST_TOTP, email);
	post(&r, &j, "/login/2fa", "csrf", csrf, "code", code, NULL);
	it_assert_status(&r, 429, "second factor throttled");
	http_response_free(&r);
	/* Signing in again with the password does not reset the code count
	 * (the block is stretched so that slow machines see it too). */
	memset(&j, 0, sizeof(j));
	login(&r, &j, email, COPY_PASS, NULL);
	assert_location(&r, "/login/2fa", "password again");
	http_response_free(&r);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.throttle t JOIN auth.users u ON t.key = 'mfa:' || u.id"
	                            " WHERE u.email = '%s' AND t.failures >= %d", email, FREE_FAILURES), 1);
	it_sql("UPDATE auth.throttle SET blocked_until = now() + interval '1 minute' WHERE key LIKE 'mfa:%%'");
	free(csrf);
	csrf = csrf_of(&j, "/login/2fa");
	post(&r, &j, "/login/2fa", "csrf", csrf, "code", code, NULL);
	it_assert_status(&r, 429, "still throttled");
	http_response_free(&r);
	free(code);
	free(csrf);
	free(email);
}
END_TEST

/* ============================================================ links */

START_TEST(test_reset_token_single_use)
{
	char *email = fresh_email("reset");
	struct jar j = { "", "", "" };
	struct http_response r;
	char *csrf, *tok, *path;

	reset_throttle();
	make_account(email, "Raúl Reset", 1, NULL, NULL);
	csrf = csrf_of(&j, "/password/forgot");
	post(&r, &j, "/password/forgot", "csrf", csrf, "email", email, NULL);
	http_response_free(&r);
	post(&r, &j, "/password/forgot", "csrf", csrf, "email", email, NULL);   /* a second link */
	http_response_free(&r);
	tok = wait_link(email, "/password/reset");
	path = it_fmt("/password/reset?token=%s", tok);
	/* Policy applies; the token survives a rejected attempt. */
	post(&r, &j, "/password/reset", "csrf", csrf, "token", tok, "password", "raul reset 2026 ok",
	     "password_confirm", "raul reset 2026 ok", NULL);
	it_assert_status(&r, 200, "password with the name");
	it_assert_has(&r, "id=\"password-error\"", "password with the name");
	http_response_free(&r);
	post(&r, &j, "/password/reset", "csrf", csrf, "token", tok, "password", "quite another secret 88",
	     "password_confirm", "quite another secret 88", NULL);
	assert_location(&r, "/login?done=reset", "reset");
	http_response_free(&r);
	get(&r, &j, "/login?done=reset");
	it_assert_has(&r, "class=\"notice-box\"", "reset notice");
	http_response_free(&r);
	/* Used: refused, whether followed or posted. */
	get(&r, &j, path);
	it_assert_status(&r, 410, "used token (GET)");
	it_assert_lacks(&r, "name=\"password\"", "used token (GET)");
	http_response_free(&r);
	post(&r, &j, "/password/reset", "csrf", csrf, "token", tok, "password", "yet another secret 99",
	     "password_confirm", "yet another secret 99", NULL);
	it_assert_status(&r, 410, "used token (POST)");
	http_response_free(&r);
	/* Every other reset link of the account ended with it. */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.tokens t JOIN auth.users u ON u.id = t.user_id"
	                            " WHERE u.email = '%s' AND t.used_at IS NULL", email), 0);
	login(&r, &j, email, "quite another secret 88", NULL);
	assert_location(&r, "/", "new password works");
	http_response_free(&r);
	/* Unknown and malformed tokens. */
	get(&r, &j, "/password/reset?token=0000000000000000000000000000000000000000000000000000000000000000");
	it_assert_status(&r, 400, "unknown token");
	http_response_free(&r);
	get(&r, &j, "/password/reset?token=%3Cscript%3E");
	it_assert_status(&r, 400, "malformed token");
	it_assert_lacks(&r, "<script>", "malformed token");
	http_response_free(&r);
	free(path);
	free(tok);
	free(csrf);
	free(email);
}
END_TEST

START_TEST(test_verify_token_states)
{
	char *email = fresh_email("verify");
	struct jar j = { "", "", "" };
	struct http_response r;
	const char *expired = "1111111111111111111111111111111111111111111111111111111111111111";
	const char *valid = "2222222222222222222222222222222222222222222222222222222222222222";

	reset_throttle();
	make_account(email, "Vera Verifica", 0, NULL, NULL);
	it_sql("INSERT INTO auth.tokens (user_id, purpose, token_hash, expires_at)"
	       " SELECT id, 'verify_email', sha256('%s'::bytea), now() - interval '1 minute' FROM auth.users WHERE email = '%s';"
	       "INSERT INTO auth.tokens (user_id, purpose, token_hash, expires_at)"
	       " SELECT id, 'verify_email', sha256('%s'::bytea), now() + interval '1 hour' FROM auth.users WHERE email = '%s'",
	       expired, email, valid, email);
	{
		char *p = it_fmt("/verify?token=%s", expired);
		get(&r, &j, p);
		free(p);
	}
	it_assert_status(&r, 410, "expired verification link");
	it_assert_has(&r, "class=\"alert-box\"", "expired verification link");
	http_response_free(&r);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE email = '%s' AND email_verified_at IS NULL", email), 1);
	get(&r, &j, "/verify?token=abc");
	it_assert_status(&r, 400, "malformed verification link");
	http_response_free(&r);
	get(&r, &j, "/verify");
	it_assert_status(&r, 400, "no token");
	http_response_free(&r);
	/* A reset token is no verification token. */
	{
		char *p = it_fmt("/password/reset?token=%s", valid);
		get(&r, &j, p);
		it_assert_status(&r, 400, "token of another purpose");
		http_response_free(&r);
		free(p);
	}
	/* Unverified: signed in, with the reminder on every page (layout.cs,
	 * Page.user.unverified); resend limited. */
	login(&r, &j, email, COPY_PASS, NULL);
	assert_location(&r, "/", "unverified sign-in");
	http_response_free(&r);
	get(&r, &j, "/");
	it_assert_has(&r, "href=\"/verify/resend\"", "the reminder in the layout");
	http_response_free(&r);
	get(&r, &j, "/verify/resend");
	it_assert_status(&r, 200, "reminder");
	it_assert_has(&r, "action=\"/verify/resend\"", "reminder");
	{
		char *csrf = page_csrf(&r);
		http_response_free(&r);
		post(&r, &j, "/verify/resend", "csrf", csrf, NULL);
		assert_location(&r, "/verify/resend?status=sent", "resend");
		http_response_free(&r);
		post(&r, &j, "/verify/resend", "csrf", csrf, NULL);
		assert_location(&r, "/verify/resend?status=wait", "resend again at once");
		http_response_free(&r);
		free(csrf);
	}
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE payload->>'to' = '%s'"
	                            " AND payload->>'template' = 'verify_email'", email), 1);
	/* The valid one works (signed in), then is used; a HEAD (link
	 * checkers) does not use it up. */
	{
		char *p = it_fmt("/verify?token=%s", valid);
		fetch(&r, &j, "HEAD", p, NULL);
		it_assert_status(&r, 200, "HEAD of a valid link");
		http_response_free(&r);
		ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE email = '%s' AND email_verified_at IS NULL", email), 1);
		get(&r, &j, p);
		it_assert_status(&r, 200, "valid link");
		http_response_free(&r);
		get(&r, &j, p);
		it_assert_status(&r, 410, "used link");
		http_response_free(&r);
		free(p);
	}
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.users WHERE email = '%s' AND email_verified_at IS NOT NULL", email), 1);
	/* Verifying ended the other verification link (the resent one). */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM auth.tokens t JOIN auth.users u ON u.id = t.user_id"
	                            " WHERE u.email = '%s' AND t.used_at IS NULL AND t.expires_at > now()", email), 0);
	get(&r, &j, "/");
	it_assert_lacks(&r, "href=\"/verify/resend\"", "no reminder once verified");
	http_response_free(&r);
	get(&r, &j, "/verify/resend");
	it_assert_has(&r, "class=\"notice-box\"", "already verified");
	it_assert_lacks(&r, "action=\"/verify/resend\"", "already verified");
	http_response_free(&r);
	free(email);
}
END_TEST

/* ============================================================ redirects */

START_TEST(test_open_redirect)
{
	/* As the browser sends them (decoded). */
	static const char *const bad[] = {
		"//evil.example/", "https://evil.example/", "/\\evil.example", "\\\\evil.example",
		"/\t/evil.example", "http:/evil.example", "javascript:alert(1)", " //evil.example",
		"/\r\nSet-Cookie: x=1", "",
	};
	struct http_response r;

	reset_throttle();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct jar j = { "", "", "" };
		login(&r, &j, P1_EMAIL, P1_PASS, bad[i]);
		assert_location(&r, "/", bad[i]);
		http_response_free(&r);
	}
	{
		struct jar j = { "", "", "" };
		login(&r, &j, P1_EMAIL, P1_PASS, "/profile?tab=1");
		assert_location(&r, "/profile?tab=1", "a local next");
		http_response_free(&r);
		/* Signed in: /login goes straight on, with the same rules. */
		get(&r, &j, "/login?next=//evil.example");
		assert_location(&r, "/", "signed-in /login with a bad next");
		http_response_free(&r);
	}
	/* Through the second factor. */
	{
		struct jar j = { "", "", "" };
		char *csrf, *code, *email = fresh_email("redirect");
		make_account(email, "Rebeca Redirección", 1, TEST_TOTP, NULL);
		login(&r, &j, email, COPY_PASS, "//evil.example");
		assert_location(&r, "/login/2fa", "bad next dropped before the second factor");
		http_response_free(&r);
		csrf = csrf_of(&j, "/login/2fa");
		code = fresh_code(TEST_TOTP, email);
		post(&r, &j, "/login/2fa", "csrf", csrf, "code", code, "next", "https://evil.example", NULL);
		assert_location(&r, "/", "bad next after the second factor");
		http_response_free(&r);
		free(code);
		free(csrf);
		free(email);
	}
}
END_TEST

/* The pages in English when the visitor chose it. */
START_TEST(test_english)
{
	struct jar j = { "", "", "en" };
	struct http_response r;

	get(&r, &j, "/login");
	it_assert_status(&r, 200, "login in English");
	it_assert_has(&r, "<html lang=\"en\">", "login in English");
	it_assert_has(&r, "I forgot my password", "login in English");
	it_assert_has(&r, "autocomplete=\"current-password\"", "login form");
	http_response_free(&r);
	get(&r, &j, "/register");
	it_assert_has(&r, "Create an account", "register in English");
	it_assert_has(&r, "autocomplete=\"new-password\"", "register form");
	http_response_free(&r);
}
END_TEST

static Suite *
account_suite(void)
{
	Suite *s = suite_create("account");
	TCase *flow = tcase_create("flow"), *sec = tcase_create("security");

	tcase_set_timeout(flow, 120);
	tcase_set_timeout(sec, 120);
	tcase_add_test(flow, test_full_flow);
	tcase_add_test(sec, test_csrf_logout);
	tcase_add_test(sec, test_csrf_login);
	tcase_add_test(sec, test_cross_origin_login);
	tcase_add_test(sec, test_token_changes_at_login);
	tcase_add_test(sec, test_replay_after_logout);
	tcase_add_test(sec, test_idle_timeout);
	tcase_add_test(sec, test_absolute_timeout);
	tcase_add_test(sec, test_disabled_account);
	tcase_add_test(sec, test_unknown_email_same_as_wrong_password);
	tcase_add_test(sec, test_register_existing_email);
	tcase_add_test(sec, test_register_validation);
	tcase_add_test(sec, test_forgot_same_answer);
	tcase_add_test(sec, test_throttle_account);
	tcase_add_test(sec, test_throttle_address);
	tcase_add_test(sec, test_totp_single_use);
	tcase_add_test(sec, test_recovery_code_and_cancel);
	tcase_add_test(sec, test_mfa_throttle);
	tcase_add_test(sec, test_reset_token_single_use);
	tcase_add_test(sec, test_verify_token_states);
	tcase_add_test(sec, test_open_redirect);
	tcase_add_test(sec, test_english);
	suite_add_tcase(s, flow);
	suite_add_tcase(s, sec);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(account_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	http_client_cleanup();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
