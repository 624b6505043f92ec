/* test_admin: the administrators' pages, in-app notices and the security
 * activity page, against a real stack (tests/integration/admin.stack):
 * staff creation with the welcome mail, roles that change on the very next
 * request, disabling that ends sessions at once, access control and CSRF
 * on every admin route, the audit search, dead letters, notices and their
 * ownership, and a user seeing only their own security events. */
#include <check.h>
#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "http_client.h"
#include "lib/totp.h"

/* Fixture accounts (tests/harness/seed.sql). */
#define ADMIN "admin1@clinic.test"
#define ADMIN_PW "Admin-One-Pass-2026"
#define ADMIN_TOTP "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"
#define DOCTOR "doctor1@clinic.test"
#define DOCTOR_PW "Doctor-One-Pass-2026"
#define DOCTOR_TOTP "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
#define PATIENT1 "patient1@clinic.test"
#define PATIENT1_PW "Patient-One-Pass-2026"
#define PATIENT2 "patient2@clinic.test"
#define PATIENT2_PW "Patient-Two-Pass-2026"

/* ------------------------------------------------------------- helpers */

/* printf into a malloc'd string (tests free what they keep). */
static char *
fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *
fmt(const char *f, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, f);
	ck_assert_int_ge(vasprintf(&s, f, ap), 0);
	va_end(ap);
	return s;
}

/* The first line of a SQL query's output (must succeed). */
static char *
sql1(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *
sql1(const char *f, ...)
{
	va_list ap;
	char *q = NULL, *line;

	va_start(ap, f);
	ck_assert_int_ge(vasprintf(&q, f, ap), 0);
	va_end(ap);
	line = http_sql_line(q);
	ck_assert_msg(line != NULL, "SQL failed: %s", q);
	free(q);
	return line;
}

static long long
sql_int(const char *f, ...) __attribute__((format(printf, 1, 2)));
static long long
sql_int(const char *f, ...)
{
	va_list ap;
	char *q = NULL, *line;
	long long v;

	va_start(ap, f);
	ck_assert_int_ge(vasprintf(&q, f, ap), 0);
	va_end(ap);
	line = http_sql_line(q);
	ck_assert_msg(line != NULL, "SQL failed: %s", q);
	v = atoll(line);
	free(line);
	free(q);
	return v;
}

static void
sql_do(const char *f, ...) __attribute__((format(printf, 1, 2)));
static void
sql_do(const char *f, ...)
{
	va_list ap;
	char *q = NULL;

	va_start(ap, f);
	ck_assert_int_ge(vasprintf(&q, f, ap), 0);
	va_end(ap);
	ck_assert_msg(http_sql(q) == 0, "SQL failed: %s", q);
	free(q);
}

static long long
user_id(const char *email)
{
	return sql_int("SELECT id FROM auth.users WHERE email = '%s'", email);
}

/* %-encode s for a form body or query (malloc'd). */
static char *
urlenc(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(strlen(s) * 3 + 1), *o = out;

	ck_assert_ptr_nonnull(out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.' || *p == '~') {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

/* ---------------------------------------------------------- cookie jar */

/* One browser: its cookies and the CSRF token its forms carry. */
struct jar {
	char session[200];
	char csrf_cookie[80];
	char lang[8];
	char form_csrf[80];      /* from the last page that had a form */
};

static void
jar_set(char *dst, size_t len, const char *value, size_t vlen)
{
	if (vlen >= len)
		vlen = len - 1;
	memcpy(dst, value, vlen);
	dst[vlen] = '\0';
}

/* Take the Set-Cookie headers of a response into the jar. */
static void
jar_update(struct jar *j, const struct http_response *r)
{
	for (size_t i = 0; i < r->nheaders; i++) {
		const char *v = r->headers[i].value, *eq, *end;
		char *cookie = NULL;
		size_t vlen;
		if (strcasecmp(r->headers[i].name, "Set-Cookie") != 0)
			continue;
		eq = strchr(v, '=');
		if (eq == NULL)
			continue;
		end = strchr(eq, ';');
		vlen = end ? (size_t)(end - eq - 1) : strlen(eq + 1);
		if (strstr(v, "Max-Age=0") != NULL)
			vlen = 0;
		if (strncmp(v, "session=", 8) == 0)
			cookie = j->session;
		else if (strncmp(v, "csrf=", 5) == 0)
			cookie = j->csrf_cookie;
		else if (strncmp(v, "lang=", 5) == 0)
			cookie = j->lang;
		if (cookie == j->session)
			jar_set(j->session, sizeof(j->session), eq + 1, vlen);
		else if (cookie == j->csrf_cookie)
			jar_set(j->csrf_cookie, sizeof(j->csrf_cookie), eq + 1, vlen);
		else if (cookie == j->lang)
			jar_set(j->lang, sizeof(j->lang), eq + 1, vlen);
	}
}

/* The value of the first hidden csrf field of a page into the jar. */
static void
jar_take_csrf(struct jar *j, const struct http_response *r)
{
	const char *p = strstr(r->body, "name=\"csrf\" value=\"");

	if (p) {
		p += strlen("name=\"csrf\" value=\"");
		jar_set(j->form_csrf, sizeof(j->form_csrf), p, strcspn(p, "\""));
	}
}

/* A request with the jar's cookies (and a same-origin Origin on POST);
 * the response's cookies and form token go back into the jar. */
static void
jreq(struct jar *j, const char *method, const char *path, const char *body,
     struct http_response *r)
{
	char cookie[600], origin[300];
	const char *hdrs[3] = { cookie, NULL, NULL };
	struct http_request rq = { .method = method, .path = path, .headers = hdrs };

	snprintf(cookie, sizeof(cookie), "Cookie: session=%s; csrf=%s; lang=%s",
	         j->session, j->csrf_cookie, j->lang);
	if (body) {
		snprintf(origin, sizeof(origin), "Origin: %s", getenv("MEDSYS_URL"));
		hdrs[1] = origin;
		rq.body = body;
		rq.body_len = strlen(body);
		rq.content_type = "application/x-www-form-urlencoded";
	}
	memset(r, 0, sizeof(*r));
	ck_assert_msg(http_request(&rq, r) == 0, "%s %s: no response: %s", method, path, r->error);
	jar_update(j, r);
	jar_take_csrf(j, r);
}

static long
jget(struct jar *j, const char *path, struct http_response *r)
{
	jreq(j, "GET", path, NULL, r);
	return r->status;
}

/* GET and return only the status. */
static long
jstatus(struct jar *j, const char *path)
{
	struct http_response r;
	long st = jget(j, path, &r);

	http_response_free(&r);
	return st;
}

/* POST a form (body without csrf) with the jar's token added. */
static long
jpost(struct jar *j, const char *path, const char *fields, struct http_response *r)
{
	char *body = fmt("csrf=%s%s%s", j->form_csrf, fields && *fields ? "&" : "", fields ? fields : "");

	jreq(j, "POST", path, body, r);
	free(body);
	return r->status;
}

static long
jpost_status(struct jar *j, const char *path, const char *fields)
{
	struct http_response r;
	long st = jpost(j, path, fields, &r);

	http_response_free(&r);
	return st;
}

static void
assert_status(const struct http_response *r, long status, const char *what)
{
	ck_assert_msg(r->status == status, "%s: status %ld, expected %ld; body starts: %.400s",
	              what, r->status, status, r->body);
}

static void
assert_has(const struct http_response *r, const char *needle, const char *what)
{
	ck_assert_msg(strstr(r->body, needle) != NULL, "%s: the page lacks \"%s\"", what, needle);
}

static void
assert_lacks(const struct http_response *r, const char *needle, const char *what)
{
	ck_assert_msg(strstr(r->body, needle) == NULL, "%s: the page contains \"%s\"", what, needle);
}

static void
assert_location(const struct http_response *r, const char *prefix, const char *what)
{
	const char *loc = http_header(r, "Location");

	ck_assert_msg(r->status == 303, "%s: status %ld, expected 303; body: %.300s", what, r->status, r->body);
	ck_assert_msg(loc && strncmp(loc, prefix, strlen(prefix)) == 0,
	              "%s: Location %s, expected %s...", what, loc ? loc : "(none)", prefix);
}

/* ------------------------------------------------------------- sign-in */

/* The current TOTP code of a base32 secret. */
static char *
totp_now(const char *secret)
{
	unsigned char key[64];
	long n = base32_decode(secret, key, sizeof(key));

	ck_assert_int_gt(n, 0);
	return fmt("%06ld", totp_code_at_step(key, (size_t)n, (uint64_t)time(NULL) / TOTP_STEP, 6));
}

/* A session made directly in the database (only while /login is not
 * built yet). */
static void
sign_in_sql(struct jar *j, const char *email)
{
	char token[80];

	snprintf(token, sizeof(token), "sqltoken%llx%lx", (unsigned long long)time(NULL), (long)random());
	sql_do("INSERT INTO auth.sessions (user_id, token_hash, csrf_token, idle_seconds, expires_at) "
	       "SELECT id, sha256(convert_to('%s', 'UTF8')), md5('%s') || md5('x%s'), 900, now() + interval '1 hour' "
	       "FROM auth.users WHERE email = '%s'", token, token, token, email);
	snprintf(j->session, sizeof(j->session), "%s", token);
}

/* Sign in through /login (and /login/2fa with a fresh TOTP code), then
 * load /notices so the jar holds the session's form token. */
static void
sign_in(struct jar *j, const char *email, const char *pw, const char *totp_secret)
{
	struct http_response r;
	char *body, *e = urlenc(email), *p = urlenc(pw);

	memset(j, 0, sizeof(*j));
	if (jget(j, "/login", &r) == 404) {
		http_response_free(&r);
		sign_in_sql(j, email);
	} else {
		assert_status(&r, 200, "GET /login");
		http_response_free(&r);
		/* A code is accepted once per step: let the tests reuse it. */
		if (totp_secret)
			sql_do("UPDATE auth.users SET totp_last_step = 0 WHERE email = '%s'", email);
		body = fmt("email=%s&password=%s", e, p);
		jpost(j, "/login", body, &r);
		free(body);
		assert_location(&r, "/", "POST /login");
		if (totp_secret) {
			char *code = totp_now(totp_secret);
			ck_assert_str_eq(http_header(&r, "Location"), "/login/2fa");
			http_response_free(&r);
			ck_assert_int_eq(jget(j, "/login/2fa", &r), 200);
			http_response_free(&r);
			body = fmt("code=%s", code);
			jpost(j, "/login/2fa", body, &r);
			free(body);
			free(code);
			assert_location(&r, "/", "POST /login/2fa");
		}
		http_response_free(&r);
	}
	free(e);
	free(p);
	ck_assert_int_eq(jget(j, "/notices", &r), 200);
	http_response_free(&r);
	ck_assert_msg(j->form_csrf[0], "no form token after signing in as %s", email);
}

static void
sign_in_admin(struct jar *j)
{
	sign_in(j, ADMIN, ADMIN_PW, ADMIN_TOTP);
}

/* A patient of our own (the password of patient2) so that one test's
 * changes never disturb another's. */
static void
make_patient(const char *email, const char *name)
{
	sql_do("INSERT INTO auth.users (email, full_name, language, password_hash, email_verified_at) "
	       "SELECT '%s', '%s', 'es', password_hash, now() FROM auth.users WHERE email = '%s' "
	       "ON CONFLICT (email) DO NOTHING", email, name, PATIENT2);
	sql_do("INSERT INTO auth.user_roles (user_id, role) SELECT id, 'patient' FROM auth.users "
	       "WHERE email = '%s' ON CONFLICT DO NOTHING", email);
}

static long long
audit_count(const char *action, const char *actor_email, const char *extra)
{
	return sql_int("SELECT count(*) FROM audit.events e LEFT JOIN auth.users a ON a.id = e.actor_id "
	               "WHERE e.action = '%s' AND %s %s", action,
	               actor_email ? fmt("a.email = '%s'", actor_email) : "e.actor_id IS NULL",
	               extra ? extra : "");
}

/* ------------------------------------------------------ access control */

static const char *const admin_get_paths[] = {
	"/admin", "/admin/users", "/admin/users/new", "/admin/users/1", "/admin/audit",
	"/admin/outbox", NULL,
};

START_TEST(test_anonymous_is_sent_to_sign_in)
{
	struct jar j = { 0 };
	struct http_response r;

	jget(&j, "/admin", &r);
	assert_location(&r, "/login?next=/admin", "anonymous GET /admin");
	http_response_free(&r);
	for (size_t i = 0; admin_get_paths[i]; i++) {
		jget(&j, admin_get_paths[i], &r);
		assert_location(&r, "/login?next=", admin_get_paths[i]);
		http_response_free(&r);
	}
	jget(&j, "/notices", &r);
	assert_location(&r, "/login?next=/notices", "anonymous GET /notices");
	http_response_free(&r);
	jget(&j, "/account/security", &r);
	assert_location(&r, "/login?next=", "anonymous GET /account/security");
	http_response_free(&r);
	/* An anonymous POST never reaches a handler. */
	ck_assert_int_eq(jpost_status(&j, "/admin/users/new", "email=x%40y.test"), 403);
}
END_TEST

START_TEST(test_patient_gets_403_on_every_admin_page)
{
	struct jar j;
	long long before, after;
	size_t n = 0;
	char *extra;

	sign_in(&j, PATIENT1, PATIENT1_PW, NULL);
	before = audit_count("access.denied", PATIENT1, "");
	for (size_t i = 0; admin_get_paths[i]; i++, n++)
		ck_assert_msg(jstatus(&j, admin_get_paths[i]) == 403, "%s as a patient", admin_get_paths[i]);
	/* With a valid token too: the role decides. */
	ck_assert_int_eq(jpost_status(&j, "/admin/users/new", "email=evil%40x.test&full_name=E&language=es&role=admin"), 403);
	ck_assert_int_eq(jpost_status(&j, "/admin/users/1/grant", "role=admin"), 403);
	ck_assert_int_eq(jpost_status(&j, "/admin/outbox/1/retry", ""), 403);
	n += 3;
	after = audit_count("access.denied", PATIENT1, "");
	ck_assert_int_eq(after - before, (long long)n);
	extra = fmt("AND e.subject_id = %lld AND e.object = 'admin_users'", user_id(PATIENT1));
	ck_assert_int_ge(audit_count("access.denied", PATIENT1, extra), 1);
	free(extra);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM auth.users WHERE email = 'evil@x.test'"), 0);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM auth.user_roles r JOIN auth.users u ON u.id = r.user_id "
	                         "WHERE u.email = '%s' AND r.role = 'admin'", PATIENT1), 0);
}
END_TEST

/* ---------------------------------------------------- creating staff */

/* Quoted-printable decoded text of a file (malloc'd). */
static char *
read_qp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *raw, *out, *o;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	raw = calloc(1, (size_t)n + 1);
	out = calloc(1, (size_t)n + 1);
	ck_assert_uint_eq(fread(raw, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	o = out;
	for (char *p = raw; *p;) {
		if (p[0] == '=' && p[1] == '\r' && p[2] == '\n') {
			p += 3;
		} else if (p[0] == '=' && p[1] == '\n') {
			p += 2;
		} else if (p[0] == '=' && p[1] && p[2] && strchr("0123456789ABCDEF", p[1]) &&
		           strchr("0123456789ABCDEF", p[2])) {
			char hx[3] = { p[1], p[2], 0 };
			*o++ = (char)strtol(hx, NULL, 16);
			p += 3;
		} else {
			*o++ = *p++;
		}
	}
	free(raw);
	return out;
}

/* The decoded text of the mail in the Maildir sent to `to`, waiting up
 * to timeout_s, or NULL. */
static char *
wait_mail(const char *to, int timeout_s)
{
	const char *maildir = getenv("MEDSYS_MAILDIR");
	char dir[600];

	if (maildir == NULL)
		return NULL;
	snprintf(dir, sizeof(dir), "%s/new", maildir);
	for (int t = 0; t < timeout_s * 10; t++) {
		DIR *d = opendir(dir);
		struct dirent *e;
		while (d && (e = readdir(d)) != NULL) {
			char path[1200], *text;
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			if ((text = read_qp(path)) != NULL && strstr(text, to) != NULL) {
				closedir(d);
				return text;
			}
			free(text);
		}
		if (d)
			closedir(d);
		usleep(100000);
	}
	return NULL;
}

/* 1 when medsys-notifier runs in this stack. */
static int
notifier_running(void)
{
	const char *pidfile = getenv("MEDSYS_NOTIFIER_PIDFILE");
	FILE *f = pidfile ? fopen(pidfile, "r") : NULL;
	long pid = 0;

	if (f == NULL)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	return pid > 0 && kill((pid_t)pid, 0) == 0;
}

/* The token of the set-password link sent to `to` (malloc'd): from the
 * delivered mail when the notifier runs, else from the queued event. */
static char *
welcome_token(const char *to)
{
	char *text, *p, *tok;

	if (notifier_running()) {
		text = wait_mail(to, 20);
		ck_assert_msg(text != NULL, "no welcome mail to %s arrived in the Maildir", to);
	} else {
		text = sql1("SELECT payload->'params'->>'link_path' FROM outbox.events "
		            "WHERE type = 'mail.send' AND payload->>'to' = '%s' "
		            "AND payload->>'template' = 'welcome_staff'", to);
	}
	p = strstr(text, "/password/reset?token=");
	ck_assert_msg(p != NULL, "the welcome mail has no set-password link: %.500s", text);
	p += strlen("/password/reset?token=");
	tok = strndup(p, strspn(p, "0123456789abcdef"));
	free(text);
	ck_assert_uint_eq(strlen(tok), 64);
	return tok;
}

START_TEST(test_admin_creates_a_doctor)
{
	struct jar a, d;
	struct http_response r;
	long long cardio = sql_int("SELECT id FROM clinic.specialties WHERE code = 'cardiology'");
	long long family = sql_int("SELECT id FROM clinic.specialties WHERE code = 'family'");
	char *body, *tok, *loc, *v;
	long long uid;

	sign_in_admin(&a);
	ck_assert_int_eq(jget(&a, "/admin/users/new", &r), 200);
	assert_has(&r, "Cardiología", "new user form");
	assert_has(&r, "name=\"licence_number\"", "new user form");
	http_response_free(&r);

	body = fmt("email=New.Doctor%%40Clinic.test&full_name=Dra.+Nueva+Marcadora&language=es&role=doctor"
	           "&licence_number=LIC-NEW-1&pharmacy_name=&specialty=%lld&specialty=%lld", cardio, family);
	jpost(&a, "/admin/users/new", body, &r);
	free(body);
	assert_location(&r, "/admin/users/", "create a doctor");
	loc = strdup(http_header(&r, "Location"));
	http_response_free(&r);
	uid = user_id("new.doctor@clinic.test");
	ck_assert_int_gt(uid, 0);
	ck_assert_int_eq(atoll(loc + strlen("/admin/users/")), uid);

	/* The account: no usable password, the role, the directory row. */
	v = sql1("SELECT password_hash LIKE '$argon2id$%%' AND email_verified_at IS NULL AND disabled_at IS NULL "
	         "FROM auth.users WHERE id = %lld", uid);
	ck_assert_str_eq(v, "t");
	free(v);
	v = sql1("SELECT string_agg(role, ',') FROM auth.user_roles WHERE user_id = %lld", uid);
	ck_assert_str_eq(v, "doctor");
	free(v);
	v = sql1("SELECT display_name || '|' || licence_number || '|' || active FROM clinic.doctors WHERE user_id = %lld", uid);
	ck_assert_str_eq(v, "Dra. Nueva Marcadora|LIC-NEW-1|true");
	free(v);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM clinic.doctor_specialties ds JOIN clinic.doctors d "
	                         "ON d.id = ds.doctor_id WHERE d.user_id = %lld", uid), 2);
	ck_assert_int_eq(audit_count("admin.user_created", ADMIN,
	                             fmt("AND e.subject_id = %lld", uid)), 1);
	v = sql1("SELECT (payload->>'secret') || '|' || (payload->>'lang') || '|' || (payload->'params'->>'name') "
	         "|| '|' || (payload->'params'->>'minutes') FROM outbox.events WHERE type = 'mail.send' "
	         "AND payload->>'to' = 'new.doctor@clinic.test' AND payload->>'template' = 'welcome_staff'");
	ck_assert_str_eq(v, "true|es|Dra. Nueva Marcadora|4320");
	free(v);

	/* The detail page. */
	ck_assert_int_eq(jget(&a, loc, &r), 200);
	assert_has(&r, "new.doctor@clinic.test", "doctor detail");
	assert_has(&r, "LIC-NEW-1", "doctor detail");
	assert_has(&r, "Cardiología", "doctor detail");
	http_response_free(&r);
	free(loc);

	/* The welcome link works once, for 72 hours. */
	tok = welcome_token("new.doctor@clinic.test");
	ck_assert_int_eq(sql_int("SELECT count(*) FROM auth.tokens WHERE token_hash = sha256(convert_to('%s', 'UTF8')) "
	                         "AND purpose = 'reset_password' AND user_id = %lld AND used_at IS NULL "
	                         "AND expires_at > now() + interval '71 hours' "
	                         "AND expires_at < now() + interval '73 hours'", tok, uid), 1);
	memset(&d, 0, sizeof(d));
	body = fmt("/password/reset?token=%s", tok);
	if (jget(&d, body, &r) != 404) {
		/* The account engineer's page: choose the password, sign in,
		 * and staff are sent to set up their second factor first. */
		char *form;
		assert_status(&r, 200, "GET the welcome link");
		http_response_free(&r);
		form = fmt("token=%s&password=Bata-Blanca-Segura-77&password_confirm=Bata-Blanca-Segura-77", tok);
		jpost(&d, "/password/reset", form, &r);
		free(form);
		assert_location(&r, "/login", "set the password from the welcome link");
		http_response_free(&r);
		memset(&d, 0, sizeof(d));
		jget(&d, "/login", &r);
		http_response_free(&r);
		jpost(&d, "/login", "email=new.doctor%40clinic.test&password=Bata-Blanca-Segura-77", &r);
		assert_location(&r, "/", "the new doctor signs in");
		http_response_free(&r);
		jget(&d, "/notices", &r);
		assert_location(&r, "/account/2fa", "a new doctor must set up the second factor");
		http_response_free(&r);
	} else {
		http_response_free(&r);
	}
	free(body);
	free(tok);
}
END_TEST

START_TEST(test_create_form_errors_keep_what_was_typed)
{
	struct jar a;
	struct http_response r;
	long long users = sql_int("SELECT count(*) FROM auth.users");

	sign_in_admin(&a);
	/* An e-mail already in use. */
	jpost(&a, "/admin/users/new", "email=patient1%40clinic.test&full_name=Marcador+Repetido+%3Cb%3E"
	      "&language=en&role=lab", &r);
	assert_status(&r, 200, "duplicate e-mail");
	assert_has(&r, "Ya existe una cuenta con esta dirección de correo.", "duplicate e-mail");
	assert_has(&r, "value=\"Marcador Repetido &lt;b&gt;\"", "duplicate e-mail keeps the name");
	assert_has(&r, "aria-invalid=\"true\" aria-describedby=\"email-error\"", "duplicate e-mail");
	http_response_free(&r);
	/* A doctor needs a licence number; a pharmacist a pharmacy too. */
	jpost(&a, "/admin/users/new", "email=nolicence%40clinic.test&full_name=Sin+Licencia&language=es"
	      "&role=doctor&licence_number=", &r);
	assert_status(&r, 200, "doctor without licence");
	assert_has(&r, "Escriba el número de colegiado o de licencia.", "doctor without licence");
	http_response_free(&r);
	jpost(&a, "/admin/users/new", "email=nopharmacy%40clinic.test&full_name=Sin+Farmacia&language=es"
	      "&role=pharmacist&licence_number=PH-1&pharmacy_name=", &r);
	assert_status(&r, 200, "pharmacist without pharmacy");
	assert_has(&r, "Escriba el nombre de la farmacia.", "pharmacist without pharmacy");
	http_response_free(&r);
	/* A licence number of another doctor account. */
	jpost(&a, "/admin/users/new", "email=stolen%40clinic.test&full_name=Licencia+Ajena&language=es"
	      "&role=doctor&licence_number=T-0001", &r);
	assert_status(&r, 200, "licence of another account");
	assert_has(&r, "Este número de licencia ya pertenece a otra cuenta.", "licence of another account");
	http_response_free(&r);
	/* Not a staff role, not an e-mail. */
	jpost(&a, "/admin/users/new", "email=not-an-email&full_name=X&language=es&role=patient", &r);
	assert_status(&r, 200, "bad role and e-mail");
	assert_has(&r, "class=\"error\" id=\"email-error\"", "bad e-mail");
	assert_has(&r, "class=\"error\" id=\"role-error\"", "bad role");
	http_response_free(&r);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM auth.users"), users);

	/* A pharmacist with everything. */
	jpost(&a, "/admin/users/new", "email=pharma%40clinic.test&full_name=Farmac%C3%A9utica+Marcadora"
	      "&language=en&role=pharmacist&licence_number=PH-77&pharmacy_name=Farmacia+Central", &r);
	assert_location(&r, "/admin/users/", "create a pharmacist");
	http_response_free(&r);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM auth.pharmacists p JOIN auth.users u ON u.id = p.user_id "
	                         "WHERE u.email = 'pharma@clinic.test' AND p.pharmacy_name = 'Farmacia Central' "
	                         "AND p.licence_number = 'PH-77'"), 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM outbox.events WHERE payload->>'to' = 'pharma@clinic.test' "
	                         "AND payload->>'lang' = 'en' AND payload->>'template' = 'welcome_staff'"), 1);
}
END_TEST

/* ------------------------------------------------------------- roles */

START_TEST(test_roles_apply_on_the_next_request)
{
	struct jar a, d;
	struct http_response r;
	long long doc = user_id(DOCTOR), admin = user_id(ADMIN);
	char *path;

	sign_in_admin(&a);
	sign_in(&d, DOCTOR, DOCTOR_PW, DOCTOR_TOTP);
	ck_assert_int_eq(jstatus(&d, "/admin"), 403);

	path = fmt("/admin/users/%lld/grant", doc);
	jpost(&a, path, "role=admin", &r);
	assert_location(&r, fmt("/admin/users/%lld?msg=granted", doc), "grant admin");
	http_response_free(&r);
	free(path);
	/* The doctor's very next request, same session. */
	ck_assert_int_eq(jstatus(&d, "/admin"), 200);
	ck_assert_int_eq(audit_count("admin.role_granted", ADMIN,
	                             fmt("AND e.subject_id = %lld AND e.object = 'role:admin'", doc)), 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM auth.user_roles WHERE user_id = %lld AND role = 'admin' "
	                         "AND granted_by = %lld", doc, admin), 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM outbox.events WHERE type = 'notice.create' "
	                         "AND payload->>'kind' = 'role_granted' AND (payload->>'user_id')::bigint = %lld", doc), 1);
	/* Granting it again changes nothing. */
	path = fmt("/admin/users/%lld/grant", doc);
	jpost(&a, path, "role=admin", &r);
	assert_location(&r, fmt("/admin/users/%lld?msg=already_held", doc), "grant twice");
	http_response_free(&r);
	free(path);

	path = fmt("/admin/users/%lld/revoke", doc);
	jpost(&a, path, "role=admin", &r);
	assert_location(&r, fmt("/admin/users/%lld?msg=revoked", doc), "revoke admin");
	http_response_free(&r);
	free(path);
	ck_assert_int_eq(jstatus(&d, "/admin"), 403);
	ck_assert_int_eq(jstatus(&d, "/notices"), 200);   /* still signed in, as a doctor */
	ck_assert_int_eq(audit_count("admin.role_revoked", ADMIN,
	                             fmt("AND e.subject_id = %lld AND e.object = 'role:admin'", doc)), 1);

	/* An admin cannot revoke their own admin role. */
	path = fmt("/admin/users/%lld/revoke", admin);
	jpost(&a, path, "role=admin", &r);
	assert_location(&r, fmt("/admin/users/%lld?msg=self_revoke", admin), "revoke own admin");
	http_response_free(&r);
	free(path);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM auth.user_roles WHERE user_id = %lld AND role = 'admin'", admin), 1);
	path = fmt("/admin/users/%lld?msg=self_revoke", admin);
	ck_assert_int_eq(jget(&a, path, &r), 200);
	assert_has(&r, "No puede retirarse a sí mismo el rol de administración.", "self revoke message");
	http_response_free(&r);
	free(path);

	/* Unknown role, unknown user. */
	path = fmt("/admin/users/%lld/grant", doc);
	jpost(&a, path, "role=superuser", &r);
	assert_status(&r, 200, "grant an unknown role");
	assert_has(&r, "class=\"error\" id=\"role-error\"", "grant an unknown role");
	http_response_free(&r);
	free(path);
	ck_assert_int_eq(jpost_status(&a, "/admin/users/999999999/grant", "role=lab"), 404);
	ck_assert_int_eq(jpost_status(&a, "/admin/users/999999999/revoke", "role=lab"), 404);
}
END_TEST

START_TEST(test_granting_doctor_needs_a_licence)
{
	struct jar a;
	struct http_response r;
	long long uid;
	char *path;

	make_patient("becomes.doctor@clinic.test", "Futura Doctora");
	uid = user_id("becomes.doctor@clinic.test");
	sign_in_admin(&a);
	path = fmt("/admin/users/%lld/grant", uid);
	jpost(&a, path, "role=doctor&licence_number=", &r);
	assert_status(&r, 200, "doctor without licence");
	assert_has(&r, "Escriba el número de colegiado o de licencia.", "doctor without licence");
	http_response_free(&r);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM auth.user_roles WHERE user_id = %lld", uid), 1);
	jpost(&a, path, "role=doctor&licence_number=LIC-GRANT-9", &r);
	assert_location(&r, fmt("/admin/users/%lld?msg=granted", uid), "grant doctor");
	http_response_free(&r);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM clinic.doctors WHERE user_id = %lld AND active "
	                         "AND licence_number = 'LIC-GRANT-9' AND display_name = 'Futura Doctora'", uid), 1);
	free(path);
	/* Revoked: out of the public directory. */
	path = fmt("/admin/users/%lld/revoke", uid);
	ck_assert_int_eq(jpost_status(&a, path, "role=doctor"), 303);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM clinic.doctors WHERE user_id = %lld AND NOT active", uid), 1);
	free(path);
}
END_TEST

/* ---------------------------------------------------------- disabling */

START_TEST(test_disable_ends_sessions_at_once)
{
	struct jar a, v;
	struct http_response r;
	long long uid, self;
	char *path;

	make_patient("victim@clinic.test", "Víctima Marcadora");
	uid = user_id("victim@clinic.test");
	sign_in_admin(&a);
	sign_in(&v, "victim@clinic.test", PATIENT2_PW, NULL);

	path = fmt("/admin/users/%lld/disable", uid);
	jpost(&a, path, "", &r);
	assert_location(&r, fmt("/admin/users/%lld?msg=disabled", uid), "disable");
	http_response_free(&r);
	free(path);
	/* The victim's next request is signed out. */
	jget(&v, "/notices", &r);
	assert_location(&r, "/login?next=/notices", "the disabled user's next request");
	http_response_free(&r);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM auth.sessions WHERE user_id = %lld AND revoked_at IS NULL", uid), 0);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM auth.users WHERE id = %lld AND disabled_at IS NOT NULL", uid), 1);
	ck_assert_int_eq(audit_count("admin.user_disabled", ADMIN, fmt("AND e.subject_id = %lld", uid)), 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM outbox.events WHERE type = 'mail.send' "
	                         "AND payload->>'to' = 'victim@clinic.test' AND payload->>'template' = 'account_disabled' "
	                         "AND payload->'params'->>'name' = 'Víctima Marcadora'"), 1);
	/* Signing in is refused. */
	memset(&v, 0, sizeof(v));
	if (jstatus(&v, "/login") == 200) {
		jpost(&v, "/login", "email=victim%40clinic.test&password=" PATIENT2_PW, &r);
		ck_assert_msg(r.status != 303, "a disabled account signed in");
		http_response_free(&r);
		ck_assert_int_eq(sql_int("SELECT count(*) FROM auth.sessions WHERE user_id = %lld AND revoked_at IS NULL", uid), 0);
		sql_do("DELETE FROM auth.throttle");
	}
	ck_assert_int_eq(jget(&a, fmt("/admin/users/%lld", uid), &r), 200);
	assert_has(&r, "/enable\"", "detail of a disabled account");
	http_response_free(&r);

	/* Disabling twice; disabling oneself. */
	path = fmt("/admin/users/%lld/disable", uid);
	jpost(&a, path, "", &r);
	assert_location(&r, fmt("/admin/users/%lld?msg=already_disabled", uid), "disable twice");
	http_response_free(&r);
	free(path);
	self = user_id(ADMIN);
	path = fmt("/admin/users/%lld/disable", self);
	jpost(&a, path, "", &r);
	assert_location(&r, fmt("/admin/users/%lld?msg=self_disable", self), "disable oneself");
	http_response_free(&r);
	free(path);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM auth.users WHERE id = %lld AND disabled_at IS NULL", self), 1);
	ck_assert_int_eq(jstatus(&a, "/admin"), 200);

	/* Enabled again: the person can sign in. */
	path = fmt("/admin/users/%lld/enable", uid);
	jpost(&a, path, "", &r);
	assert_location(&r, fmt("/admin/users/%lld?msg=enabled", uid), "enable");
	http_response_free(&r);
	free(path);
	ck_assert_int_eq(audit_count("admin.user_enabled", ADMIN, fmt("AND e.subject_id = %lld", uid)), 1);
	sign_in(&v, "victim@clinic.test", PATIENT2_PW, NULL);
	ck_assert_int_eq(jstatus(&v, "/notices"), 200);
}
END_TEST

/* --------------------------------------------------------------- CSRF */

START_TEST(test_every_admin_post_needs_the_csrf_token)
{
	struct jar a;
	struct http_response r;
	long long uid, ev;
	const char *paths[6];
	char *p[6];
	long long users = sql_int("SELECT count(*) FROM auth.users");

	make_patient("csrf.target@clinic.test", "Objetivo CSRF");
	uid = user_id("csrf.target@clinic.test");
	ev = sql_int("INSERT INTO outbox.events (type, payload, status, attempts, last_error) "
	             "VALUES ('mail.send', '{}', 'dead', 5, 'csrf marker') RETURNING id");
	sign_in_admin(&a);
	p[0] = fmt("/admin/users/new");
	p[1] = fmt("/admin/users/%lld/grant", uid);
	p[2] = fmt("/admin/users/%lld/revoke", uid);
	p[3] = fmt("/admin/users/%lld/disable", uid);
	p[4] = fmt("/admin/users/%lld/enable", uid);
	p[5] = fmt("/admin/outbox/%lld/retry", ev);
	for (int i = 0; i < 6; i++)
		paths[i] = p[i];
	for (int i = 0; i < 6; i++) {
		const char *body = "email=csrf.new%40clinic.test&full_name=Nuevo&language=es&role=admin";
		if (i == 1 || i == 2)
			body = i == 1 ? "role=admin" : "role=patient";
		/* No token. */
		jreq(&a, "POST", paths[i], body, &r);
		assert_status(&r, 403, paths[i]);
		http_response_free(&r);
		/* A wrong token. */
		{
			char *wrong = fmt("csrf=%064d&%s", 7, body);
			jreq(&a, "POST", paths[i], wrong, &r);
			assert_status(&r, 403, paths[i]);
			http_response_free(&r);
			free(wrong);
		}
	}
	ck_assert_int_eq(sql_int("SELECT count(*) FROM auth.users"), users + 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM auth.user_roles WHERE user_id = %lld", uid), 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM auth.user_roles WHERE user_id = %lld AND role = 'patient'", uid), 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM auth.users WHERE id = %lld AND disabled_at IS NULL", uid), 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM outbox.events WHERE id = %lld AND status = 'dead' AND attempts = 5", ev), 1);
	ck_assert_int_ge(audit_count("security.csrf_rejected", ADMIN, ""), 12);
	/* A cross-site form is refused before anything else. */
	{
		char cookie[400];
		const char *hdrs[] = { cookie, "Origin: https://evil.example", NULL };
		char *body = fmt("csrf=%s&role=admin", a.form_csrf);
		struct http_request rq = { .method = "POST", .path = paths[1], .headers = hdrs,
		                           .body = body, .body_len = strlen(body),
		                           .content_type = "application/x-www-form-urlencoded" };
		snprintf(cookie, sizeof(cookie), "Cookie: session=%s", a.session);
		ck_assert_int_eq(http_request(&rq, &r), 0);
		assert_status(&r, 403, "cross-site grant");
		http_response_free(&r);
		free(body);
	}
	ck_assert_int_eq(sql_int("SELECT count(*) FROM auth.user_roles WHERE user_id = %lld", uid), 1);
	for (int i = 0; i < 6; i++)
		free(p[i]);
}
END_TEST

/* -------------------------------------------------------- audit search */

START_TEST(test_audit_search)
{
	struct jar a;
	struct http_response r;
	long long p1 = user_id(PATIENT1), admin = user_id(ADMIN);
	long long viewed;

	sql_do("SELECT audit.append(%lld, %lld, 'admin.role_granted', 'role:markerq', '192.0.2.55', 'reqmarker1')",
	       admin, p1);
	sql_do("SELECT audit.append(NULL, %lld, 'auth.login_failed', 'password', '192.0.2.66', 'reqmarker2')", p1);
	sign_in_admin(&a);
	viewed = audit_count("admin.audit_viewed", ADMIN, "");

	ck_assert_int_eq(jget(&a, "/admin/audit?actor=admin1&action=admin.role", &r), 200);
	assert_has(&r, "role:markerq", "actor + action search");
	assert_has(&r, "192.0.2.55", "actor + action search");
	assert_has(&r, "reqmarker1", "actor + action search");
	assert_has(&r, "patient1@clinic.test", "actor + action search");
	assert_lacks(&r, "reqmarker2", "actor + action search");
	http_response_free(&r);
	ck_assert_int_eq(audit_count("admin.audit_viewed", ADMIN, ""), viewed + 1);
	ck_assert_int_eq(audit_count("admin.audit_viewed", ADMIN, "AND e.object LIKE '%action=admin.role%'"), 1);

	ck_assert_int_eq(jget(&a, "/admin/audit?subject=patient1%40clinic.test&action=auth.", &r), 200);
	assert_has(&r, "reqmarker2", "subject search");
	assert_lacks(&r, "reqmarker1", "subject search");
	http_response_free(&r);

	/* Dates are UTC days; today holds both, the year 2000 none. */
	{
		char today[11], *q;
		time_t t = time(NULL);
		strftime(today, sizeof(today), "%Y-%m-%d", gmtime(&t));
		q = fmt("/admin/audit?subject=patient1&from=%s&to=%s", today, today);
		ck_assert_int_eq(jget(&a, q, &r), 200);
		assert_has(&r, "reqmarker2", "today");
		http_response_free(&r);
		free(q);
	}
	ck_assert_int_eq(jget(&a, "/admin/audit?subject=patient1&from=2000-01-01&to=2000-01-02", &r), 200);
	assert_lacks(&r, "reqmarker2", "year 2000");
	assert_has(&r, "Ningún evento coincide con la búsqueda.", "year 2000");
	http_response_free(&r);

	/* Bad filters: the form says so, nothing is searched. */
	viewed = audit_count("admin.audit_viewed", ADMIN, "");
	ck_assert_int_eq(jget(&a, "/admin/audit?from=2024-02-30&action=DROP%20TABLE", &r), 200);
	assert_has(&r, "id=\"from-error\"", "bad date");
	assert_has(&r, "id=\"action-error\"", "bad action");
	assert_has(&r, "value=\"DROP TABLE\"", "bad action kept");
	http_response_free(&r);
	ck_assert_int_eq(audit_count("admin.audit_viewed", ADMIN, ""), viewed);
	ck_assert_int_eq(jstatus(&a, "/admin/audit?before=-1"), 400);
	ck_assert_int_eq(jstatus(&a, "/admin/audit?before=99999999999999999999"), 400);

	/* Paging: 51 more rows make an "older" link whose page goes on. */
	for (int i = 0; i < 55; i++)
		sql_do("SELECT audit.append(NULL, %lld, 'auth.logout', 'pagemarker', '', '')", p1);
	ck_assert_int_eq(jget(&a, "/admin/audit?subject=patient1&action=auth.logout", &r), 200);
	assert_has(&r, "&amp;before=", "paged search");
	{
		const char *p = strstr(r.body, "&amp;before="), *e;
		char *next;
		ck_assert_ptr_nonnull(p);
		/* Follow the link by its before= value. */
		p += strlen("&amp;before=");
		e = p + strspn(p, "0123456789");
		next = fmt("/admin/audit?subject=patient1&action=auth.logout&before=%.*s", (int)(e - p), p);
		http_response_free(&r);
		ck_assert_int_eq(jget(&a, next, &r), 200);
		assert_has(&r, "pagemarker", "second page");
		assert_has(&r, "Volver a los más recientes", "second page");
		free(next);
	}
	http_response_free(&r);
}
END_TEST

/* ------------------------------------------------------- capabilities */

/* Occurrences of needle in the medsysd log. */
static int
log_count(const char *needle)
{
	size_t len;
	char *log = http_log_read(&len);
	int n = 0;

	for (const char *p = log ? log : ""; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	free(log);
	return n;
}

/* SIGHUP medsysd and wait until its workers were all replaced. */
static void
reload_medsysd(void)
{
	int before = log_count("reload done");

	ck_assert_int_eq(kill((pid_t)http_medsysd_pid(), SIGHUP), 0);
	for (int i = 0; i < 200 && log_count("reload done") == before; i++)
		usleep(50 * 1000);
	ck_assert_int_gt(log_count("reload done"), before);
}

/* The router checks a route's capability against auth.role_capabilities:
 * taking audit.read away from administrators closes the audit page (403
 * and an audit row) but not the user pages, which need users.manage. */
START_TEST(test_capabilities_table_is_checked_by_the_router)
{
	struct jar a;
	long long denied;

	sign_in_admin(&a);
	ck_assert_int_eq(jstatus(&a, "/admin/audit"), 200);
	sql_do("DELETE FROM auth.role_capabilities WHERE role = 'admin' AND capability = 'audit.read'");
	reload_medsysd();   /* fresh workers read the table at once */
	denied = audit_count("access.denied", ADMIN, "AND e.object = 'admin_audit'");
	ck_assert_int_eq(jstatus(&a, "/admin/audit"), 403);
	ck_assert_int_eq(audit_count("access.denied", ADMIN, "AND e.object = 'admin_audit'"), denied + 1);
	ck_assert_int_eq(jstatus(&a, "/admin/users"), 200);
	sql_do("INSERT INTO auth.role_capabilities (role, capability) VALUES ('admin', 'audit.read')");
	reload_medsysd();
	ck_assert_int_eq(jstatus(&a, "/admin/audit"), 200);
}
END_TEST

/* -------------------------------------------------------- dead letters */

START_TEST(test_dead_letters_list_and_retry)
{
	struct jar a;
	struct http_response r;
	long long ev, done;
	char *path;

	ev = sql_int("INSERT INTO outbox.events (type, payload, status, attempts, last_error) VALUES "
	             "('mail.send', '{\"to\":\"someone.secret@dead-letter.test\",\"lang\":\"es\","
	             "\"template\":\"reset_password\",\"params\":{\"name\":\"NameMarker\","
	             "\"link_path\":\"/password/reset?token=SECRETMARKER\"},\"secret\":true}', "
	             "'dead', 5, 'smtp: 550 deadmarker') RETURNING id");
	done = sql_int("INSERT INTO outbox.events (type, payload, status, attempts) "
	               "VALUES ('notice.create', '{\"user_id\": 1}', 'done', 1) RETURNING id");
	sign_in_admin(&a);
	ck_assert_int_eq(jget(&a, "/admin/outbox", &r), 200);
	assert_has(&r, "dead-letter.test", "dead letters");
	assert_has(&r, "smtp: 550 deadmarker", "dead letters");
	assert_has(&r, "mail.send", "dead letters");
	assert_has(&r, fmt("/admin/outbox/%lld/retry", ev), "dead letters");
	assert_lacks(&r, "SECRETMARKER", "dead letters");
	assert_lacks(&r, "someone.secret", "dead letters");
	assert_lacks(&r, "NameMarker", "dead letters");
	assert_lacks(&r, fmt("/admin/outbox/%lld/retry", done), "dead letters");
	http_response_free(&r);

	path = fmt("/admin/outbox/%lld/retry", ev);
	jpost(&a, path, "", &r);
	assert_location(&r, "/admin/outbox?msg=retried", "retry");
	http_response_free(&r);
	free(path);
	/* Requeued (the notifier, when it runs, may already have sent it). */
	ck_assert_int_eq(sql_int("SELECT count(*) FROM outbox.events WHERE id = %lld AND attempts < 5 "
	                         "AND (status = 'pending' OR status = 'done' OR attempts >= 1)", ev), 1);
	ck_assert_int_eq(audit_count("admin.outbox_retried", ADMIN, fmt("AND e.object = 'event:%lld mail.send'", ev)), 1);
	ck_assert_int_eq(jget(&a, "/admin/outbox?msg=retried", &r), 200);
	assert_has(&r, "El envío se ha vuelto a poner en la cola.", "retried message");
	http_response_free(&r);

	/* Only dead events can be retried. */
	path = fmt("/admin/outbox/%lld/retry", done);
	ck_assert_int_eq(jpost_status(&a, path, ""), 404);
	free(path);
	ck_assert_int_eq(jpost_status(&a, "/admin/outbox/999999999/retry", ""), 404);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM outbox.events WHERE id = %lld AND status = 'done'", done), 1);
	ck_assert_int_eq(jstatus(&a, "/admin/outbox?before=abc"), 400);
}
END_TEST

/* ------------------------------------------------------------- notices */

static long long
add_notice(const char *email, const char *kind, const char *params, const char *link)
{
	return sql_int("INSERT INTO outbox.notices (user_id, kind, params, link) "
	               "SELECT id, '%s', '%s', '%s' FROM auth.users WHERE email = '%s' RETURNING id",
	               kind, params, link, email);
}

START_TEST(test_notices_list_read_and_ownership)
{
	struct jar p;
	struct http_response r;
	long long n1, n2, n3, n4, n5, other;
	long long denied;
	char *path;

	make_patient("notices.reader@clinic.test", "Lectora de Avisos");
	n1 = add_notice("notices.reader@clinic.test", "password_changed", "{}", "");
	n2 = add_notice("notices.reader@clinic.test", "email_change_requested",
	                "{\"email\": \"nuevo<b>@x.test\"}", "/account/security");
	n3 = add_notice("notices.reader@clinic.test", "role_granted", "{\"role\": \"doctor\"}", "");
	n4 = add_notice("notices.reader@clinic.test", "mystery_kind", "{\"x\": \"y\"}", "");
	n5 = add_notice("notices.reader@clinic.test", "generic", "{}", "");
	other = add_notice(PATIENT2, "password_changed", "{\"marker\": \"OTHERS\"}", "");

	sign_in(&p, "notices.reader@clinic.test", PATIENT2_PW, NULL);
	ck_assert_int_eq(jget(&p, "/notices", &r), 200);
	assert_has(&r, "La contraseña de su cuenta se ha cambiado.", "notices es");
	assert_has(&r, "a nuevo&lt;b&gt;@x.test.", "notices es: parameter filled and escaped");
	assert_lacks(&r, "nuevo<b>", "notices es");
	assert_has(&r, "Se le ha concedido el rol de médico/a.", "notices es: role by its name");
	assert_has(&r, "Tiene un aviso nuevo de la clínica.", "notices es: unknown kind");
	assert_has(&r, "Sin leer", "notices es: unread marked");
	assert_has(&r, "class=\"notice-box\"", "notices es: unread highlighted");
	assert_has(&r, fmt("/notices/%lld/read", n2), "notices es");
	assert_has(&r, "name=\"next\" value=\"/account/security\"", "notices es: link");
	assert_lacks(&r, fmt("/notices/%lld/read", other), "notices es");
	/* The newest first. */
	{
		const char *newest = strstr(r.body, fmt("/notices/%lld/read", n5));
		const char *oldest = strstr(r.body, fmt("/notices/%lld/read", n1));
		ck_assert_msg(newest && oldest && newest < oldest, "notices are not newest first");
	}
	/* The header's unread count. */
	assert_has(&r, "class=\"badge\">5 ", "unread count");
	http_response_free(&r);

	snprintf(p.lang, sizeof(p.lang), "en");
	ck_assert_int_eq(jget(&p, "/notices", &r), 200);
	assert_has(&r, "Your account&#39;s password was changed.", "notices en");
	assert_has(&r, "to nuevo&lt;b&gt;@x.test was requested.", "notices en");
	assert_has(&r, "You have been granted the doctor role.", "notices en");
	assert_has(&r, "You have a new notice from the clinic.", "notices en");
	assert_has(&r, "Unread", "notices en");
	http_response_free(&r);
	p.lang[0] = '\0';

	/* One read, going to its link; a foreign next is ignored. */
	path = fmt("/notices/%lld/read", n2);
	jpost(&p, path, "next=%2Faccount%2Fsecurity", &r);
	assert_location(&r, "/account/security", "open a notice");
	http_response_free(&r);
	free(path);
	path = fmt("/notices/%lld/read", n3);
	jpost(&p, path, "next=%2F%2Fevil.example%2F", &r);
	ck_assert_str_eq(http_header(&r, "Location"), "/notices");
	http_response_free(&r);
	free(path);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM outbox.notices WHERE id IN (%lld, %lld) AND read_at IS NOT NULL", n2, n3), 2);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM outbox.notices WHERE id IN (%lld, %lld, %lld) AND read_at IS NULL", n1, n4, n5), 3);

	/* Another user's notice: 404, an audit row, nothing changed. */
	denied = audit_count("access.denied", "notices.reader@clinic.test", "");
	path = fmt("/notices/%lld/read", other);
	jpost(&p, path, "", &r);
	assert_status(&r, 404, "another user's notice");
	assert_lacks(&r, "OTHERS", "another user's notice");
	http_response_free(&r);
	free(path);
	ck_assert_int_eq(audit_count("access.denied", "notices.reader@clinic.test",
	                             fmt("AND e.object = 'notice:%lld' AND e.subject_id = %lld", other, user_id(PATIENT2))), 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM outbox.notices WHERE id = %lld AND read_at IS NULL", other), 1);
	/* A notice that does not exist: the same answer. */
	ck_assert_int_eq(jpost_status(&p, "/notices/999999999/read", ""), 404);
	ck_assert_int_eq(audit_count("access.denied", "notices.reader@clinic.test", ""), denied + 2);

	/* All read. */
	jpost(&p, "/notices/read-all", "", &r);
	assert_location(&r, "/notices", "read all");
	http_response_free(&r);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM outbox.notices n JOIN auth.users u ON u.id = n.user_id "
	                         "WHERE u.email = 'notices.reader@clinic.test' AND read_at IS NULL"), 0);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM outbox.notices WHERE id = %lld AND read_at IS NULL", other), 1);
	ck_assert_int_eq(jget(&p, "/notices", &r), 200);
	assert_lacks(&r, "Sin leer", "after read all");
	assert_lacks(&r, "class=\"badge\"", "after read all");
	http_response_free(&r);
	/* No token: refused. */
	jreq(&p, "POST", "/notices/read-all", "x=1", &r);
	assert_status(&r, 403, "read-all without token");
	http_response_free(&r);
	ck_assert_int_eq(jstatus(&p, "/notices?before=x"), 400);
}
END_TEST

/* ---------------------------------------------------- security activity */

START_TEST(test_security_page_shows_only_own_events)
{
	struct jar p;
	struct http_response r;
	long long me, other;

	make_patient("security.reader@clinic.test", "Lector de Seguridad");
	me = user_id("security.reader@clinic.test");
	other = user_id(PATIENT2);
	sql_do("SELECT audit.append(NULL, %lld, 'auth.login_failed', 'password', '203.0.113.7', 'rq-own')", me);
	sql_do("SELECT audit.append(NULL, %lld, 'auth.login_failed', 'password', '198.51.100.99', 'rq-other')", other);
	sql_do("SELECT audit.append(NULL, %lld, 'weird.unknown_action', '', '203.0.113.8', '')", me);
	sign_in(&p, "security.reader@clinic.test", PATIENT2_PW, NULL);
	ck_assert_int_eq(jget(&p, "/account/security", &r), 200);
	assert_has(&r, "203.0.113.7", "own event");
	assert_has(&r, "Intento fallido de inicio de sesión", "own event translated");
	assert_has(&r, "Otro evento", "unknown action");
	assert_has(&r, "weird.unknown_action", "unknown action code");
	assert_lacks(&r, "198.51.100.99", "another user's event");
	if (sql_int("SELECT count(*) FROM audit.events WHERE subject_id = %lld AND action = 'auth.login'", me) > 0)
		assert_has(&r, "Contraseña correcta al iniciar sesión", "the sign-in itself");
	http_response_free(&r);
	snprintf(p.lang, sizeof(p.lang), "en");
	ck_assert_int_eq(jget(&p, "/account/security", &r), 200);
	assert_has(&r, "Failed sign-in attempt", "own event in English");
	assert_lacks(&r, "198.51.100.99", "another user's event");
	http_response_free(&r);
	ck_assert_int_eq(jstatus(&p, "/account/security?before=0"), 400);
}
END_TEST

/* ------------------------------------------------------ pages render */

START_TEST(test_admin_pages_render_and_escape)
{
	struct jar a;
	struct http_response r;
	long long evil;
	char *path;

	make_patient("evil.name@clinic.test", "<script>alert(1)</script>\"''&");   /* SQL literal */
	evil = user_id("evil.name@clinic.test");
	sign_in_admin(&a);
	ck_assert_int_eq(jget(&a, "/admin", &r), 200);
	assert_has(&r, "href=\"/admin/users\"", "admin index");
	assert_has(&r, "href=\"/admin/audit\"", "admin index");
	assert_has(&r, "href=\"/admin/outbox\"", "admin index");
	http_response_free(&r);

	ck_assert_int_eq(jget(&a, "/admin/users?q=evil.name", &r), 200);
	assert_has(&r, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;", "user list escapes");
	assert_lacks(&r, "<script>alert", "user list escapes");
	assert_has(&r, fmt("/admin/users/%lld\"", evil), "user list link");
	http_response_free(&r);
	ck_assert_int_eq(jget(&a, "/admin/users?q=clinic.test&role=admin", &r), 200);
	assert_has(&r, ADMIN, "role filter");
	assert_lacks(&r, PATIENT1, "role filter");
	http_response_free(&r);
	ck_assert_int_eq(jget(&a, "/admin/users?q=zz-nobody-zz", &r), 200);
	assert_has(&r, "No hay usuarios que coincidan con la búsqueda.", "empty search");
	http_response_free(&r);
	ck_assert_int_eq(jstatus(&a, "/admin/users?page=abc"), 400);
	ck_assert_int_eq(jstatus(&a, "/admin/users?page=-1"), 400);
	ck_assert_int_eq(jstatus(&a, "/admin/users?page=1e9"), 400);
	ck_assert_int_eq(jstatus(&a, "/admin/users?role=root"), 400);
	ck_assert_int_eq(jstatus(&a, "/admin/users?page=2"), 200);

	path = fmt("/admin/users/%lld", evil);
	ck_assert_int_eq(jget(&a, path, &r), 200);
	assert_lacks(&r, "<script>alert", "user detail escapes");
	assert_has(&r, "Paciente", "user detail role");
	assert_has(&r, "/disable\"", "user detail");
	assert_has(&r, "audit?subject=evil.name%40clinic.test", "user detail audit link");
	http_response_free(&r);
	free(path);
	ck_assert_int_eq(jstatus(&a, "/admin/users/999999999"), 404);
	ck_assert_int_eq(jstatus(&a, "/admin/users/0"), 404);
	ck_assert_int_eq(jstatus(&a, "/admin/users/9223372036854775807999"), 404);
	ck_assert_int_eq(jstatus(&a, "/admin/users/1?msg=%3Cscript%3E"), 200);

	snprintf(a.lang, sizeof(a.lang), "en");
	ck_assert_int_eq(jget(&a, "/admin/users/new", &r), 200);
	assert_has(&r, "Create a staff account", "new user form in English");
	assert_has(&r, "Cardiology", "new user form in English");
	http_response_free(&r);
}
END_TEST

static Suite *
admin_suite(void)
{
	Suite *s = suite_create("admin");
	TCase *tc = tcase_create("stack");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_anonymous_is_sent_to_sign_in);
	tcase_add_test(tc, test_patient_gets_403_on_every_admin_page);
	tcase_add_test(tc, test_admin_creates_a_doctor);
	tcase_add_test(tc, test_create_form_errors_keep_what_was_typed);
	tcase_add_test(tc, test_roles_apply_on_the_next_request);
	tcase_add_test(tc, test_granting_doctor_needs_a_licence);
	tcase_add_test(tc, test_disable_ends_sessions_at_once);
	tcase_add_test(tc, test_every_admin_post_needs_the_csrf_token);
	tcase_add_test(tc, test_audit_search);
	tcase_add_test(tc, test_capabilities_table_is_checked_by_the_router);
	tcase_add_test(tc, test_dead_letters_list_and_retry);
	tcase_add_test(tc, test_notices_list_read_and_ownership);
	tcase_add_test(tc, test_security_page_shows_only_own_events);
	tcase_add_test(tc, test_admin_pages_render_and_escape);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(admin_suite());
	int failed;

	srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	http_client_cleanup();
	return failed == 0 ? 0 : 1;
}
