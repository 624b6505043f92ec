/* test_notifier: medsys-notifier against the running stack: delivery to
 * the SMTP sink with secret scrubbing, a backlog delivered exactly once,
 * retries while the SMTP server is down and dead letters, a killed
 * database connection, two notifiers at once, in-app notices, unknown
 * types, permanent and temporary SMTP rejections, reload and shutdown. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "http_client.h"

#define MAX_OWN 4

/* Processes a test started itself: stopped at exit even when it fails. */
static pid_t own_pids[MAX_OWN];

/* ------------------------------------------------------------ stack */

/* The stack's notifier and SMTP sink running again, whatever an earlier
 * test left behind. */
static void
baseline(void)
{
	ck_assert_int_eq(it_harness("smtp-start"), 0);
	ck_assert_int_eq(it_harness("notifier-start"), 0);
}

static long
stack_notifier_pid(void)
{
	FILE *f = fopen(it_env("MEDSYS_NOTIFIER_PIDFILE"), "r");
	long pid = -1;

	if (f) {
		if (fscanf(f, "%ld", &pid) != 1)
			pid = -1;
		fclose(f);
	}
	return pid;
}

/* notify_max_attempts from $MEDSYS_CONF (the default when absent). */
static int
max_attempts(void)
{
	FILE *f = fopen(it_env("MEDSYS_CONF"), "r");
	char line[1024];
	int v = 8;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		sscanf(line, " notify_max_attempts = %d", &v);
	fclose(f);
	return v;
}

/* A unique tag per test run, so that mails of earlier runs or tests
 * never count. */
static const char *
tag(void)
{
	static char t[32];

	if (!t[0])
		snprintf(t, sizeof(t), "%ld%ld", (long)getpid(), (long)time(NULL) % 100000);
	return t;
}

/* Insert a mail.send event; its id. */
static long long
insert_mail(const char *to, const char *lang, const char *token, int secret, int attempts)
{
	return it_sql_int("INSERT INTO outbox.events (type, payload, attempts) VALUES ('mail.send', "
	                  "jsonb_build_object('to', '%s', 'lang', '%s', 'template', 'verify_email', "
	                  "'params', jsonb_build_object('name', 'Ana Núñez', 'minutes', '30', "
	                  "'link_path', '/verify?token=%s'), 'secret', %s), %d) RETURNING id",
	                  to, lang, token, secret ? "true" : "false", attempts);
}

static char *
status_of(long long id)
{
	return it_sql_line("SELECT status FROM outbox.events WHERE id = %lld", id);
}

/* Poll until the event's status is want; 0, or -1 at the deadline. */
static int
wait_status(long long id, const char *want, double timeout)
{
	return it_sql_wait(want, timeout, "SELECT status FROM outbox.events WHERE id = %lld", id);
}

/* ------------------------------------------------------------ the mailbox */

struct mail {
	char *to, *subject, *message_id, *body;   /* body decoded */
};

struct mailbox {
	struct mail *v;
	size_t n;
};

/* Quoted-printable (with LF or CRLF line ends) back to text. */
static char *
qp_decode(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	while (*s) {
		if (s[0] == '=' && s[1] == '\n') {
			s += 2;
		} else if (s[0] == '=' && s[1] == '\r' && s[2] == '\n') {
			s += 3;
		} else if (s[0] == '=' && s[1] && s[2]) {
			char hex[3] = { s[1], s[2], 0 };
			*o++ = (char)strtol(hex, NULL, 16);
			s += 3;
		} else if (s[0] == '\r' && s[1] == '\n') {
			s++;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

static int
b64val(char c)
{
	const char *tab = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(tab, c) : NULL;

	return p ? (int)(p - tab) : -1;
}

/* "=?UTF-8?B?...?= =?UTF-8?B?...?=" (unfolded) to UTF-8. */
static char *
words_decode(const char *h)
{
	char *out = calloc(1, strlen(h) + 1);
	size_t o = 0;

	if (strncmp(h, "=?", 2) != 0) {
		strcpy(out, h);
		return out;
	}
	while ((h = strstr(h, "=?UTF-8?B?")) != NULL) {
		unsigned v = 0;
		int bits = 0;
		for (h += 10; *h && *h != '?'; h++) {
			int d = b64val(*h);
			if (d < 0)
				continue;
			v = (v << 6) | (unsigned)d;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				out[o++] = (char)((v >> bits) & 0xff);
			}
		}
	}
	out[o] = '\0';
	return out;
}

/* it_maildir_scan: add a mail to the mailbox. */
static int
add_mail(const char *name, char *text, void *arg)
{
	struct mailbox *mb = arg;
	char *sep, *subj;
	struct mail *m;

	(void)name;
	if ((sep = strstr(text, "\n\n")) == NULL && (sep = strstr(text, "\r\n\r\n")) == NULL)
		return 0;
	*sep = '\0';
	mb->v = realloc(mb->v, (mb->n + 1) * sizeof(*mb->v));
	m = &mb->v[mb->n++];
	m->to = it_mail_header(text, "To");
	subj = it_mail_header(text, "Subject");
	m->subject = subj ? words_decode(subj) : NULL;
	free(subj);
	m->message_id = it_mail_header(text, "Message-ID");
	m->body = qp_decode(sep + 2);
	return 0;
}

/* Every message in $MEDSYS_MAILDIR/new. */
static struct mailbox
mailbox_read(void)
{
	struct mailbox mb = { NULL, 0 };

	it_maildir_scan(add_mail, &mb);
	return mb;
}

static void
mailbox_free(struct mailbox *mb)
{
	for (size_t i = 0; i < mb->n; i++) {
		free(mb->v[i].to);
		free(mb->v[i].subject);
		free(mb->v[i].message_id);
		free(mb->v[i].body);
	}
	free(mb->v);
	mb->v = NULL;
	mb->n = 0;
}

static size_t
count_to(const struct mailbox *mb, const char *to)
{
	size_t n = 0;

	for (size_t i = 0; i < mb->n; i++)
		n += mb->v[i].to && strcmp(mb->v[i].to, to) == 0;
	return n;
}

/* Messages whose To starts with prefix. */
static size_t
count_to_prefix(const struct mailbox *mb, const char *prefix)
{
	size_t n = 0;

	for (size_t i = 0; i < mb->n; i++)
		n += mb->v[i].to && strncmp(mb->v[i].to, prefix, strlen(prefix)) == 0;
	return n;
}

/* Poll until n messages to `to` arrived; seconds it took, or -1. */
static double
wait_mail(const char *to, size_t n, double timeout)
{
	double start = it_now();

	for (;;) {
		struct mailbox mb = mailbox_read();
		size_t got = count_to(&mb, to);
		mailbox_free(&mb);
		if (got >= n)
			return it_now() - start;
		if (it_now() - start > timeout)
			return -1;
		it_sleep_ms(20);
	}
}

/* ------------------------------------------------------------ own notifiers */

static const char *
notifier_bin(void)
{
	static char path[2048];
	const char *v = getenv("MEDSYS_TEST_NOTIFIER_BIN");

	if (v && *v)
		return v;
	snprintf(path, sizeof(path), "%s/medsys-notifier", it_env("MEDSYS_BUILDDIR"));
	return path;
}

/* A copy of $MEDSYS_CONF with extra lines appended (later lines win). */
static char *
config_with(const char *name, const char *extra)
{
	char *path, *text = it_slurp(it_env("MEDSYS_CONF"));
	FILE *f;

	ck_assert_ptr_nonnull(text);
	ck_assert_int_ge(asprintf(&path, "%s/run/%s.conf", it_env("MEDSYS_STACK_DIR"), name), 0);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fprintf(f, "%s\n%s\n", text, extra ? extra : "");
	fclose(f);
	chmod(path, 0644);
	free(text);
	return path;
}

static char *
own_log_path(const char *name)
{
	char *p;

	ck_assert_int_ge(asprintf(&p, "%s/log/notifier-%s.log", it_env("MEDSYS_STACK_DIR"), name), 0);
	return p;
}

static void
stop_own_all(void)
{
	for (int i = 0; i < MAX_OWN; i++)
		if (own_pids[i] > 0) {
			kill(own_pids[i], SIGKILL);
			waitpid(own_pids[i], NULL, 0);
			own_pids[i] = 0;
		}
}

/* Start medsys-notifier with conf (as the medsys user when we are root),
 * its output in log/notifier-NAME.log; extra is "--once" or NULL. */
static pid_t
start_own(const char *name, const char *conf, const char *extra)
{
	char *log = own_log_path(name);
	int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	pid_t parent = getpid(), pid;

	ck_assert_int_ge(fd, 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		const char *bin = notifier_bin();
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (geteuid() == 0) {
			struct passwd *pw = getpwnam("medsys");
			if (pw == NULL || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
				_exit(126);
		}
		/* after setuid, which clears it: never outlive the test */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(0);
		if (extra)
			execl(bin, bin, "--config", conf, extra, (char *)NULL);
		else
			execl(bin, bin, "--config", conf, (char *)NULL);
		_exit(127);
	}
	close(fd);
	free(log);
	for (int i = 0; i < MAX_OWN; i++)
		if (own_pids[i] == 0) {
			own_pids[i] = pid;
			break;
		}
	return pid;
}

static void
forget_own(pid_t pid)
{
	for (int i = 0; i < MAX_OWN; i++)
		if (own_pids[i] == pid)
			own_pids[i] = 0;
}

/* Wait for pid to exit within timeout; its wait status, or -1. */
static int
wait_exit(pid_t pid, double timeout)
{
	double end = it_now() + timeout;
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid) {
			forget_own(pid);
			return status;
		}
		if (it_now() > end)
			return -1;
		it_sleep_ms(20);
	}
}

/* SIGTERM: it finishes its event and exits 0. */
static void
stop_own(pid_t pid)
{
	int status;

	kill(pid, SIGTERM);
	status = wait_exit(pid, 5);
	ck_assert_msg(status != -1, "medsys-notifier %ld did not stop within 5 s of SIGTERM", (long)pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	              "medsys-notifier exited with status %d after SIGTERM", status);
}

/* The backend pid of notifier pid (it names its connection
 * "medsys-notifier PID"), other than not_this, waiting up to timeout for
 * it; 0 when absent. */
static long long
backend_of(pid_t pid, double timeout, long long not_this)
{
	double end = it_now() + timeout;

	for (;;) {
		long long b = it_sql_int("SELECT coalesce(max(pid), 0) FROM pg_stat_activity "
		                         "WHERE application_name = 'medsys-notifier %ld' AND pid <> %lld",
		                         (long)pid, not_this);
		if (b > 0 || it_now() > end)
			return b;
		it_sleep_ms(50);
	}
}

static size_t
count_in_file(const char *path, const char *needle)
{
	char *text = it_slurp(path);
	size_t n = 0;

	for (const char *p = text; p && (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	free(text);
	return n;
}

/* ------------------------------------------------------------ (a) delivery */

START_TEST(test_mail_delivered_and_secret_scrubbed)
{
	char to[128], to_en[128], to_plain[128], token[64], link[512], *v;
	struct mailbox mb;
	struct mail *m = NULL;
	long long id, id_en, id_plain;
	double t;

	baseline();
	snprintf(to, sizeof(to), "a-%s@example.test", tag());
	snprintf(token, sizeof(token), "TOKEN-a-%s-xyz", tag());
	id = insert_mail(to, "es", token, 1, 0);
	t = wait_mail(to, 1, 10);
	ck_assert_msg(t >= 0, "no mail for %s within 10 s (event %lld is %s)", to, id, status_of(id));
	printf("notifier: mail.send delivered %.0f ms after the insert\n", t * 1000);
	ck_assert_int_eq(wait_status(id, "done", 5), 0);

	mb = mailbox_read();
	ck_assert_uint_eq(count_to(&mb, to), 1);
	for (size_t i = 0; i < mb.n; i++)
		if (mb.v[i].to && strcmp(mb.v[i].to, to) == 0)
			m = &mb.v[i];
	ck_assert_ptr_nonnull(m->subject);
	ck_assert_str_eq(m->subject, "Confirme su dirección de correo electrónico");
	snprintf(link, sizeof(link), "%s/verify?token=%s\n", it_env("MEDSYS_URL"), token);
	ck_assert_msg(strstr(m->body, link) != NULL, "no link %s in the body:\n%s", link, m->body);
	ck_assert_ptr_nonnull(strstr(m->body, "Hola, Ana Núñez:"));
	ck_assert_ptr_nonnull(strstr(m->body, "30 minutos"));
	ck_assert_ptr_null(strchr(m->body, '{'));
	snprintf(link, sizeof(link), "<medsys.%lld.", id);
	ck_assert_msg(m->message_id && strncmp(m->message_id, link, strlen(link)) == 0,
	              "Message-ID %s", m->message_id ? m->message_id : "(none)");
	mailbox_free(&mb);

	/* the token left the database; the rest of the payload stayed */
	v = it_sql_line("SELECT (payload->'params' ? 'link_path')::text || ',' || "
	                "(strpos(payload::text, '%s') > 0)::text || ',' || "
	                "(payload->'params'->>'name') || ',' || (done_at IS NOT NULL)::text "
	                "FROM outbox.events WHERE id = %lld", token, id);
	ck_assert_str_eq(v, "false,false,Ana Núñez,true");
	free(v);

	/* English, and a link that is not secret stays */
	snprintf(to_en, sizeof(to_en), "a-en-%s@example.test", tag());
	snprintf(to_plain, sizeof(to_plain), "a-plain-%s@example.test", tag());
	id_en = insert_mail(to_en, "en", "en-token", 1, 0);
	id_plain = insert_mail(to_plain, "es", "public-path", 0, 0);
	ck_assert_msg(wait_mail(to_en, 1, 10) >= 0, "no English mail");
	ck_assert_msg(wait_mail(to_plain, 1, 10) >= 0, "no second mail");
	ck_assert_int_eq(wait_status(id_en, "done", 5), 0);
	ck_assert_int_eq(wait_status(id_plain, "done", 5), 0);
	mb = mailbox_read();
	for (size_t i = 0; i < mb.n; i++)
		if (mb.v[i].to && strcmp(mb.v[i].to, to_en) == 0) {
			ck_assert_str_eq(mb.v[i].subject, "Please confirm your e-mail address");
			ck_assert_ptr_nonnull(strstr(mb.v[i].body, "Hello Ana Núñez,"));
		}
	mailbox_free(&mb);
	v = it_sql_line("SELECT payload->'params'->>'link_path' FROM outbox.events WHERE id = %lld", id_plain);
	ck_assert_str_eq(v, "/verify?token=public-path");
	free(v);
}
END_TEST

/* ------------------------------------------------------------ (b) backlog */

START_TEST(test_backlog_delivered_exactly_once)
{
	char prefix[64], to[128];
	struct mailbox mb;
	double start, t;

	baseline();
	ck_assert_int_eq(it_harness("notifier-stop"), 0);
	snprintf(prefix, sizeof(prefix), "b-%s-", tag());
	for (int i = 0; i < 20; i++) {
		snprintf(to, sizeof(to), "%s%02d@example.test", prefix, i);
		insert_mail(to, "es", "b", 1, 0);
	}
	/* longer than the sweep: nobody is processing them */
	it_sleep_ms(2500);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE status = 'pending' "
	                            "AND attempts = 0 AND payload->>'to' LIKE '%s%%'", prefix), 20);
	mb = mailbox_read();
	ck_assert_uint_eq(count_to_prefix(&mb, prefix), 0);
	mailbox_free(&mb);

	start = it_now();
	ck_assert_int_eq(it_harness("notifier-start"), 0);
	for (;;) {
		long long done = it_sql_int("SELECT count(*) FROM outbox.events WHERE status = 'done' "
		                            "AND payload->>'to' LIKE '%s%%'", prefix);
		if (done == 20)
			break;
		ck_assert_msg(it_now() - start < 15, "only %lld of 20 done after 15 s", done);
		it_sleep_ms(50);
	}
	t = it_now() - start;
	printf("notifier: backlog of 20 delivered %.0f ms after start\n", t * 1000);
	it_sleep_ms(1000);     /* a duplicate would show up by now */
	mb = mailbox_read();
	ck_assert_uint_eq(count_to_prefix(&mb, prefix), 20);
	for (int i = 0; i < 20; i++) {
		snprintf(to, sizeof(to), "%s%02d@example.test", prefix, i);
		ck_assert_msg(count_to(&mb, to) == 1, "%s received %zu mails", to, count_to(&mb, to));
	}
	mailbox_free(&mb);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE payload->>'to' LIKE '%s%%' "
	                            "AND attempts <> 1", prefix), 0);
}
END_TEST

/* ------------------------------------------------------------ (c) retries */

START_TEST(test_smtp_down_retried_then_delivered)
{
	char to[128], to_dead[128], *err;
	long long id, id_dead, attempts;
	int max = max_attempts();
	double start;
	struct mailbox mb;

	baseline();
	ck_assert_int_eq(it_harness("smtp-stop"), 0);
	snprintf(to, sizeof(to), "c-%s@example.test", tag());
	snprintf(to_dead, sizeof(to_dead), "c-dead-%s@example.test", tag());
	id = insert_mail(to, "es", "TOKEN-c", 1, 0);
	start = it_now();
	do {
		ck_assert_msg(it_now() - start < 15, "no second attempt within 15 s");
		it_sleep_ms(100);
		attempts = it_sql_int("SELECT attempts FROM outbox.events WHERE id = %lld", id);
	} while (attempts < 2);
	err = status_of(id);
	ck_assert_str_eq(err, "pending");
	free(err);
	err = it_sql_line("SELECT last_error FROM outbox.events WHERE id = %lld", id);
	ck_assert_msg(*err != '\0', "no last_error after a failed attempt");
	ck_assert_ptr_null(strstr(err, "TOKEN"));
	ck_assert_ptr_null(strstr(err, "@"));
	printf("notifier: while SMTP is down: attempts=%lld last_error=\"%s\"\n", attempts, err);
	free(err);

	/* one attempt left: the next failure makes it dead */
	id_dead = insert_mail(to_dead, "es", "TOKEN-dead", 1, max - 1);
	ck_assert_msg(wait_status(id_dead, "dead", 10) == 0, "event %lld not dead", id_dead);
	ck_assert_int_eq(it_sql_int("SELECT attempts FROM outbox.events WHERE id = %lld", id_dead), max);
	err = it_sql_line("SELECT (last_error <> '')::text || ',' || "
	                  "(payload->'params' ? 'link_path')::text FROM outbox.events WHERE id = %lld", id_dead);
	ck_assert_str_eq(err, "true,false");    /* reason kept, secret link scrubbed */
	free(err);

	ck_assert_int_eq(it_harness("smtp-start"), 0);
	start = it_now();
	ck_assert_msg(wait_status(id, "done", 30) == 0, "not delivered within 30 s of smtp-start");
	printf("notifier: delivered %.1f s after the SMTP server came back\n", it_now() - start);
	it_sleep_ms(500);
	mb = mailbox_read();
	ck_assert_uint_eq(count_to(&mb, to), 1);
	ck_assert_uint_eq(count_to(&mb, to_dead), 0);
	mailbox_free(&mb);
}
END_TEST

/* ------------------------------------------------------------ (d) reconnect */

START_TEST(test_reconnects_after_backend_killed)
{
	char to[128], *conf, *log;
	long long backend, backend2;
	pid_t pid;
	double t;

	baseline();
	/* Our own notifier with a one-minute sweep: a prompt delivery can
	 * only come from a notification or from the scan after a reconnect. */
	ck_assert_int_eq(it_harness("notifier-stop"), 0);
	conf = config_with("notifier-d", "notify_sweep = 60");
	log = own_log_path("d");
	pid = start_own("d", conf, NULL);
	backend = backend_of(pid, 10, 0);
	ck_assert_msg(backend > 0, "the notifier's connection does not show up in pg_stat_activity");

	snprintf(to, sizeof(to), "d0-%s@example.test", tag());
	insert_mail(to, "es", "d0", 1, 0);
	t = wait_mail(to, 1, 5);
	ck_assert_msg(t >= 0 && t < 2, "with a 60 s sweep, a notified event took %.2f s", t);

	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM (SELECT pg_terminate_backend(%lld)) x", backend), 1);
	snprintf(to, sizeof(to), "d1-%s@example.test", tag());
	insert_mail(to, "es", "d1", 1, 0);
	t = wait_mail(to, 1, 10);
	ck_assert_msg(t >= 0 && t < 3, "after the backend was killed delivery took %.2f s", t);
	printf("notifier: delivered %.0f ms after its backend was terminated\n", t * 1000);

	backend2 = backend_of(pid, 5, backend);
	ck_assert_msg(backend2 > 0 && backend2 != backend, "no new connection (old %lld, new %lld)",
	              backend, backend2);
	/* LISTEN again on the new connection: notified, not swept */
	it_sleep_ms(300);
	snprintf(to, sizeof(to), "d2-%s@example.test", tag());
	insert_mail(to, "es", "d2", 1, 0);
	t = wait_mail(to, 1, 5);
	ck_assert_msg(t >= 0 && t < 2, "after the reconnection a notified event took %.2f s", t);

	ck_assert_msg(count_in_file(log, "connection lost") >= 1, "no reconnection in %s", log);
	ck_assert_msg(count_in_file(log, "reconnected") >= 1, "no reconnection in %s", log);
	stop_own(pid);
	ck_assert_int_eq(it_harness("notifier-start"), 0);
	free(conf);
	free(log);
}
END_TEST

/* ------------------------------------------------------------ (e) two notifiers */

START_TEST(test_two_notifiers_deliver_exactly_once)
{
	char prefix[64], to[128], *log;
	struct mailbox mb;
	pid_t pid;
	long stack_pid;
	double start;
	size_t before;

	baseline();
	stack_pid = stack_notifier_pid();
	ck_assert_int_gt(stack_pid, 0);
	pid = start_own("e", it_env("MEDSYS_CONF"), NULL);
	ck_assert_msg(backend_of(pid, 10, 0) > 0, "the second notifier did not connect");
	ck_assert_msg(backend_of((pid_t)stack_pid, 10, 0) > 0, "the stack's notifier is not connected");
	log = own_log_path("e");
	before = count_in_file(log, "delivered");

	snprintf(prefix, sizeof(prefix), "e-%s-", tag());
	start = it_now();
	for (int batch = 0; batch < 5; batch++)
		it_sql("INSERT INTO outbox.events (type, payload) SELECT 'mail.send', "
		       "jsonb_build_object('to', '%s' || lpad(g::text, 2, '0') || '@example.test', "
		       "'lang', 'en', 'template', 'welcome_staff', 'params', jsonb_build_object("
		       "'name', 'Staff ' || g, 'minutes', '60', 'link_path', '/welcome?token=e' || g), "
		       "'secret', true) FROM generate_series(%d, %d) g",
		       prefix, batch * 10, batch * 10 + 9);
	for (;;) {
		long long done = it_sql_int("SELECT count(*) FROM outbox.events WHERE status = 'done' "
		                            "AND payload->>'to' LIKE '%s%%'", prefix);
		if (done == 50)
			break;
		ck_assert_msg(it_now() - start < 20, "only %lld of 50 done after 20 s", done);
		it_sleep_ms(50);
	}
	printf("notifier: 50 events through two notifiers in %.0f ms; the second delivered %zu\n",
	       (it_now() - start) * 1000, count_in_file(log, "delivered") - before);
	it_sleep_ms(1000);
	mb = mailbox_read();
	ck_assert_uint_eq(count_to_prefix(&mb, prefix), 50);
	for (int i = 0; i < 50; i++) {
		snprintf(to, sizeof(to), "%s%02d@example.test", prefix, i);
		ck_assert_msg(count_to(&mb, to) == 1, "%s received %zu mails", to, count_to(&mb, to));
	}
	mailbox_free(&mb);
	stop_own(pid);
	free(log);
}
END_TEST

/* ------------------------------------------------------------ (f) notices */

START_TEST(test_notice_created_exactly_once)
{
	long long user, id, bad;
	char *v;

	baseline();
	user = it_sql_int("INSERT INTO auth.users (email, full_name, password_hash) "
	                  "VALUES ('notice-%s@example.test', 'Ana', 'x') RETURNING id", tag());
	id = it_sql_int("INSERT INTO outbox.events (type, payload) VALUES ('notice.create', "
	                "jsonb_build_object('user_id', %lld, 'kind', 'appointment_booked', "
	                "'params', jsonb_build_object('when', '2030-01-02 10:00', 'doctor', 'Dra. Uno'), "
	                "'link', '/appointments/7')) RETURNING id", user);
	ck_assert_msg(wait_status(id, "done", 10) == 0, "notice event %lld not done", id);
	v = it_sql_line("SELECT count(*) || ',' || min(user_id) || ',' || min(kind) || ',' || "
	                "min(params->>'doctor') || ',' || min(link) || ',' || bool_and(read_at IS NULL) "
	                "FROM outbox.notices WHERE event_id = %lld", id);
	{
		char want[256];
		snprintf(want, sizeof(want), "1,%lld,appointment_booked,Dra. Uno,/appointments/7,true", user);
		ck_assert_str_eq(v, want);
	}
	free(v);

	/* Processed again (as after a crash between insert and done): still
	 * one notice. An UPDATE sends no notification: the sweep finds it. */
	it_sql("UPDATE outbox.events SET status = 'pending', due_at = now(), done_at = NULL "
	       "WHERE id = %lld", id);
	ck_assert_msg(wait_status(id, "done", 15) == 0, "replayed notice event %lld not done", id);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.notices WHERE event_id = %lld", id), 1);

	/* a notice for nobody is refused for good */
	bad = it_sql_int("INSERT INTO outbox.events (type, payload) VALUES ('notice.create', "
	                 "'{\"user_id\": -1, \"kind\": \"x\"}') RETURNING id");
	ck_assert_msg(wait_status(bad, "dead", 10) == 0, "bad notice event %lld not dead", bad);
	v = it_sql_line("SELECT last_error FROM outbox.events WHERE id = %lld", bad);
	ck_assert_str_eq(v, "invalid notice payload");
	free(v);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.notices WHERE event_id = %lld", bad), 0);
}
END_TEST

/* ------------------------------------------------------------ (g) unknown type */

START_TEST(test_unknown_type_is_dead)
{
	long long id;
	char *v;

	baseline();
	id = it_sql_int("INSERT INTO outbox.events (type, payload) VALUES ('foo.bar', '{}') RETURNING id");
	ck_assert_msg(wait_status(id, "dead", 10) == 0, "event %lld of an unknown type not dead", id);
	v = it_sql_line("SELECT last_error || ',' || attempts FROM outbox.events WHERE id = %lld", id);
	ck_assert_str_eq(v, "unknown event type,1");
	free(v);

	/* a mail template without strings is retried (newer code than the
	 * language files), dead once the attempts are used up */
	id = it_sql_int("INSERT INTO outbox.events (type, payload, attempts) VALUES ('mail.send', "
	                "'{\"to\": \"g@example.test\", \"lang\": \"es\", \"template\": \"no_such_mail\"}', "
	                "%d) RETURNING id", max_attempts() - 1);
	ck_assert_msg(wait_status(id, "dead", 10) == 0, "event %lld not dead", id);
	v = it_sql_line("SELECT last_error FROM outbox.events WHERE id = %lld", id);
	ck_assert_str_eq(v, "unknown mail template");
	free(v);
}
END_TEST

/* ------------------------------------------------------------ PostgreSQL restarted */

START_TEST(test_survives_database_restart)
{
	char to[128], path[2048];
	long pid;
	double t;

	baseline();
	pid = stack_notifier_pid();
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(it_harness("pg-stop"), 0);
	it_sleep_ms(3500);     /* long enough for a few reconnection attempts */
	ck_assert_msg(kill((pid_t)pid, 0) == 0, "the notifier died while PostgreSQL was down");
	ck_assert_int_eq(it_harness("pg-start"), 0);
	snprintf(to, sizeof(to), "j-%s@example.test", tag());
	insert_mail(to, "es", "TOKEN-j", 1, 0);
	/* back-off reached 4 s: delivered within it (plus a margin) */
	t = wait_mail(to, 1, 15);
	ck_assert_msg(t >= 0, "no delivery within 15 s of PostgreSQL's restart");
	printf("notifier: delivered %.1f s after PostgreSQL came back\n", t);
	ck_assert_int_eq(stack_notifier_pid(), pid);
	snprintf(path, sizeof(path), "%s/log/notifier.log", it_env("MEDSYS_STACK_DIR"));
	ck_assert_uint_ge(count_in_file(path, "reconnecting in 2 s"), 1);
	ck_assert_uint_ge(count_in_file(path, "reconnected"), 1);
}
END_TEST

/* ------------------------------------------------------------ (h) SMTP replies */

/* A scripted SMTP server: RCPT TO an address holding "reject" gets 550,
 * "later" gets 451; a message to "dataerr" gets 554 after its DATA. */
static void
fake_smtp_session(int fd)
{
	FILE *in = fdopen(dup(fd), "r");
	char line[2048];
	int data_error = 0;

#define SAY(s) do { if (write(fd, s, strlen(s)) < 0) goto out; } while (0)
	SAY("220 fake ESMTP\r\n");
	while (in && fgets(line, sizeof(line), in)) {
		if (strncasecmp(line, "EHLO", 4) == 0 || strncasecmp(line, "HELO", 4) == 0 ||
		    strncasecmp(line, "RSET", 4) == 0 || strncasecmp(line, "NOOP", 4) == 0) {
			SAY("250 fake\r\n");
		} else if (strncasecmp(line, "MAIL", 4) == 0) {
			data_error = 0;
			SAY("250 2.1.0 ok\r\n");
		} else if (strncasecmp(line, "RCPT", 4) == 0) {
			if (strstr(line, "reject"))
				SAY("550 5.1.1 mailbox unavailable\r\n");
			else if (strstr(line, "later"))
				SAY("451 4.3.0 try again later\r\n");
			else {
				data_error = strstr(line, "dataerr") != NULL;
				SAY("250 2.1.5 ok\r\n");
			}
		} else if (strncasecmp(line, "DATA", 4) == 0) {
			SAY("354 go ahead\r\n");
			while (fgets(line, sizeof(line), in) && strcmp(line, ".\r\n") != 0)
				;
			if (data_error)
				SAY("554 5.6.0 message refused\r\n");
			else
				SAY("250 2.0.0 queued\r\n");
		} else if (strncasecmp(line, "QUIT", 4) == 0) {
			SAY("221 bye\r\n");
			break;
		} else {
			SAY("502 5.5.2 not implemented\r\n");
		}
	}
#undef SAY
out:
	if (in)
		fclose(in);
}

static pid_t
start_fake_smtp(int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
	socklen_t alen = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	pid_t parent = getpid(), pid;

	ck_assert_int_ge(s, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(s, 8), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&a, &alen), 0);
	*port = ntohs(a.sin_port);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		for (;;) {
			int c = accept(s, NULL, NULL);
			if (c < 0)
				continue;
			fake_smtp_session(c);
			close(c);
		}
	}
	close(s);
	for (int i = 0; i < MAX_OWN; i++)
		if (own_pids[i] == 0) {
			own_pids[i] = pid;
			break;
		}
	return pid;
}

START_TEST(test_smtp_rejections_classified)
{
	char to_reject[128], to_later[128], to_data[128], to_ok[128], extra[128], *conf, *v;
	long long id_reject, id_later, id_data, id_ok;
	int port, status;
	pid_t fake, pid;

	baseline();
	ck_assert_int_eq(it_harness("notifier-stop"), 0);
	fake = start_fake_smtp(&port);
	snprintf(extra, sizeof(extra), "smtp_url = smtp://127.0.0.1:%d", port);
	conf = config_with("notifier-h", extra);
	snprintf(to_reject, sizeof(to_reject), "reject-%s@example.test", tag());
	snprintf(to_later, sizeof(to_later), "later-%s@example.test", tag());
	snprintf(to_data, sizeof(to_data), "dataerr-%s@example.test", tag());
	snprintf(to_ok, sizeof(to_ok), "h-ok-%s@example.test", tag());
	id_reject = insert_mail(to_reject, "es", "TOKEN-h1", 1, 0);
	id_later = insert_mail(to_later, "es", "TOKEN-h2", 1, 0);
	id_data = insert_mail(to_data, "es", "TOKEN-h3", 1, 0);
	id_ok = insert_mail(to_ok, "es", "TOKEN-h4", 1, 0);

	/* --once: everything due, then exit 0 */
	pid = start_own("h", conf, "--once");
	status = wait_exit(pid, 30);
	ck_assert_msg(status != -1, "medsys-notifier --once did not exit within 30 s");
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "--once exit status %d", status);

	v = it_sql_line("SELECT status || ',' || attempts || ',' || (strpos(last_error, '550') > 0)::text "
	                "FROM outbox.events WHERE id = %lld", id_reject);
	ck_assert_str_eq(v, "dead,1,true");         /* 5xx to RCPT TO: permanent */
	free(v);
	v = it_sql_line("SELECT status || ',' || attempts || ',' || (strpos(last_error, '451') > 0)::text "
	                "|| ',' || (due_at > now())::text FROM outbox.events WHERE id = %lld", id_later);
	ck_assert_str_eq(v, "pending,1,true,true"); /* 4xx: retried later */
	free(v);
	v = it_sql_line("SELECT status || ',' || (strpos(last_error, '554') > 0)::text "
	                "FROM outbox.events WHERE id = %lld", id_data);
	ck_assert_str_eq(v, "dead,true");           /* 5xx to the message: permanent */
	free(v);
	v = status_of(id_ok);
	ck_assert_str_eq(v, "done");
	free(v);

	/* leave nothing for the stack's notifier */
	it_sql("UPDATE outbox.events SET status = 'dead' WHERE id = %lld AND status = 'pending'", id_later);
	kill(fake, SIGKILL);
	waitpid(fake, NULL, 0);
	forget_own(fake);
	ck_assert_int_eq(it_harness("notifier-start"), 0);
	free(conf);
}
END_TEST

/* ------------------------------------------------------------ (i) SIGHUP */

START_TEST(test_reload_keeps_delivering)
{
	char path[2048], to[128];
	long pid;
	double start = it_now();

	baseline();
	pid = stack_notifier_pid();
	ck_assert_int_gt(pid, 0);
	snprintf(path, sizeof(path), "%s/log/notifier.log", it_env("MEDSYS_STACK_DIR"));
	{
		size_t before = count_in_file(path, "configuration reloaded");
		ck_assert_int_eq(kill((pid_t)pid, SIGHUP), 0);
		while (count_in_file(path, "configuration reloaded") == before) {
			ck_assert_msg(it_now() - start < 5, "no reload within 5 s of SIGHUP");
			it_sleep_ms(50);
		}
	}
	ck_assert_int_eq(stack_notifier_pid(), pid);
	snprintf(to, sizeof(to), "i-%s@example.test", tag());
	insert_mail(to, "en", "TOKEN-i", 1, 0);
	ck_assert_msg(wait_mail(to, 1, 10) >= 0, "no delivery after a reload");
}
END_TEST

/* ------------------------------------------------------------ logs */

/* No log line of any notifier holds a token or an address. */
START_TEST(test_logs_hold_no_secrets)
{
	char dir[2048];
	DIR *d;
	struct dirent *e;
	int files = 0;

	snprintf(dir, sizeof(dir), "%s/log", it_env("MEDSYS_STACK_DIR"));
	ck_assert_ptr_nonnull(d = opendir(dir));
	while ((e = readdir(d)) != NULL) {
		char path[4096], *text;
		if (strncmp(e->d_name, "notifier", 8) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		text = it_slurp(path);
		ck_assert_ptr_nonnull(text);
		ck_assert_msg(strstr(text, "TOKEN") == NULL, "%s holds a token", path);
		ck_assert_msg(strstr(text, "example.test") == NULL, "%s holds an address", path);
		ck_assert_msg(strstr(text, "Ana") == NULL, "%s holds a name", path);
		free(text);
		files++;
	}
	closedir(d);
	ck_assert_int_ge(files, 1);
}
END_TEST

static Suite *
notifier_suite(void)
{
	Suite *s = suite_create("notifier");
	TCase *tc = tcase_create("stack");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_mail_delivered_and_secret_scrubbed);
	tcase_add_test(tc, test_backlog_delivered_exactly_once);
	tcase_add_test(tc, test_smtp_down_retried_then_delivered);
	tcase_add_test(tc, test_reconnects_after_backend_killed);
	tcase_add_test(tc, test_two_notifiers_deliver_exactly_once);
	tcase_add_test(tc, test_notice_created_exactly_once);
	tcase_add_test(tc, test_unknown_type_is_dead);
	tcase_add_test(tc, test_smtp_rejections_classified);
	tcase_add_test(tc, test_reload_keeps_delivering);
	tcase_add_test(tc, test_survives_database_restart);
	tcase_add_test(tc, test_logs_hold_no_secrets);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(notifier_suite());
	int failed;

	atexit(stop_own_all);
	srunner_run_all(sr, CK_VERBOSE);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	http_client_cleanup();
	return failed ? 1 : 0;
}
