/* it_mail: the integration tests' view of the mail a stack sends: the SMTP
 * sink's Maildir, quoted-printable text, headers, and the links in the
 * mails (see http_client.h). */
#include "http_client.h"

#include <ctype.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <check.h>

#define IT_MAIL_WAIT_S 20

char *
it_qp_decode(char *s)
{
	char *o = s, *start = s;

	while (*s) {
		if (s[0] == '=' && s[1] == '\r' && s[2] == '\n') {
			s += 3;
		} else if (s[0] == '=' && s[1] == '\n') {
			s += 2;
		} else if (s[0] == '=' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2])) {
			char hex[3] = { s[1], s[2], '\0' };
			*o++ = (char)strtol(hex, NULL, 16);
			s += 3;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return start;
}

int
it_maildir_scan(int (*fn)(const char *name, char *text, void *arg), void *arg)
{
	char *dir = it_fmt("%s/new", it_env("MEDSYS_MAILDIR"));
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	while (d && rc == 0 && (e = readdir(d)) != NULL) {
		char *path, *text;
		if (e->d_name[0] == '.')
			continue;
		path = it_fmt("%s/%s", dir, e->d_name);
		text = it_slurp(path);
		free(path);
		if (text == NULL)
			continue;
		rc = fn(e->d_name, text, arg);
		free(text);
	}
	if (d)
		closedir(d);
	free(dir);
	return rc;
}

char *
it_mail_header(const char *head, const char *name)
{
	size_t nl = strlen(name);

	for (const char *p = head; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1, *e;
			char *out = calloc(1, strlen(v) + 1);
			size_t o = 0;
			ck_assert_ptr_nonnull(out);
			while (*v == ' ')
				v++;
			/* unfold continuation lines */
			for (e = v; *e && !(e[0] == '\n' && e[1] != ' ' && e[1] != '\t'); e++)
				if (*e != '\r' && *e != '\n')
					out[o++] = *e;
			out[o] = '\0';
			return out;
		}
	}
	return NULL;
}

int
it_notifier_running(void)
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

/* The 64-hex token after "<path>?token=" in text, malloc'd, or NULL. */
static char *
token_after(const char *text, const char *path)
{
	char *needle = it_fmt("%s?token=", path);
	const char *p = text ? strstr(text, needle) : NULL;
	size_t n = 0;

	if (p) {
		p += strlen(needle);
		while (isxdigit((unsigned char)p[n]))
			n++;
	}
	free(needle);
	return p && n == 64 ? strndup(p, 64) : NULL;
}

/* Mail files whose link a test has taken already (this process). */
static char *taken[64];
static size_t ntaken;

static int
was_taken(const char *name)
{
	for (size_t i = 0; i < ntaken; i++)
		if (strcmp(taken[i], name) == 0)
			return 1;
	return 0;
}

/* it_maildir_scan: the token of the first mail not taken yet that is to
 * `to` and links to path (the mail is then taken). */
struct link_want {
	const char *to, *path;
	char *tok;
};

static int
take_link(const char *name, char *text, void *arg)
{
	struct link_want *w = arg;

	if (was_taken(name))
		return 0;
	it_qp_decode(text);
	if (strcasestr(text, w->to) == NULL || (w->tok = token_after(text, w->path)) == NULL)
		return 0;
	ck_assert_uint_lt(ntaken, sizeof(taken) / sizeof(taken[0]));
	taken[ntaken++] = strdup(name);
	return 1;
}

char *
it_mail_token(const char *to, const char *path)
{
	struct link_want want = { to, path, NULL };
	double end = it_now() + IT_MAIL_WAIT_S;
	char *lp;

	if (!it_notifier_running()) {
		lp = it_sql_line("SELECT payload->'params'->>'link_path' FROM outbox.events"
		                 " WHERE type = 'mail.send' AND payload->>'to' = '%s'"
		                 " AND payload->'params'->>'link_path' LIKE '%s?token=%%'"
		                 " ORDER BY id DESC LIMIT 1", to, path);
		want.tok = token_after(lp, path);
		free(lp);
		ck_assert_msg(want.tok != NULL, "no mail to %s with a %s link in the outbox", to, path);
		return want.tok;
	}
	while (!it_maildir_scan(take_link, &want)) {
		ck_assert_msg(it_now() < end, "no mail to %s with a %s link within %d s", to, path, IT_MAIL_WAIT_S);
		it_sleep_ms(100);
	}
	return want.tok;
}

/* it_maildir_scan: the first mail not taken yet to `to` whose decoded text
 * has needle (the mail is then taken). */
struct text_want {
	const char *to, *needle;
	char *text;
};

static int
take_text(const char *name, char *text, void *arg)
{
	struct text_want *w = arg;

	if (was_taken(name))
		return 0;
	it_qp_decode(text);
	if (strcasestr(text, w->to) == NULL || strstr(text, w->needle) == NULL)
		return 0;
	ck_assert_uint_lt(ntaken, sizeof(taken) / sizeof(taken[0]));
	taken[ntaken++] = strdup(name);
	w->text = strdup(text);
	return 1;
}

char *
it_mail_wait(const char *to, const char *needle)
{
	struct text_want want = { to, needle, NULL };
	double end = it_now() + IT_MAIL_WAIT_S;

	if (!it_notifier_running())
		return NULL;
	while (!it_maildir_scan(take_text, &want)) {
		ck_assert_msg(it_now() < end, "no mail to %s with \"%s\" within %d s", to, needle, IT_MAIL_WAIT_S);
		it_sleep_ms(100);
	}
	return want.text;
}
