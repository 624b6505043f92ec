/* test_notifier: medsys-notifier against the running stack: delivery to
 * the SMTP sink with secret scrubbing, a backlog delivered exactly once,
 * retries while the SMTP server is down and dead letters, in-app notices
 * and unknown types; the helpers notifier_test.h declares. The robustness
 * tests are in test_notifier_faults.c, linked into the same program. */
#include <check.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "http_client.h"
#include "notifier_test.h"

#define MAX_OWN 4

/* Processes a test started itself: stopped at exit even when it fails. */
static pid_t own_pids[MAX_OWN];

/* ------------------------------------------------------------ stack */

/* The stack's notifier and SMTP sink running again, whatever an earlier
 * test left behind. */
void
nt_baseline(void)
{
	ck_assert_int_eq(it_harness("smtp-start"), 0);
	ck_assert_int_eq(it_harness("notifier-start"), 0);
}

long
nt_stack_notifier_pid(void)
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
const char *
nt_tag(void)
{
	static char t[32];

	if (!t[0])
		snprintf(t, sizeof(t), "%ld%ld", (long)getpid(), (long)time(NULL) % 100000);
	return t;
}

/* Insert a mail.send event; its id. */
long long
nt_insert_mail(const char *to, const char *lang, const char *token, int secret, int attempts)
{
	return it_sql_int("INSERT INTO outbox.events (type, payload, attempts) VALUES ('mail.send', "
	                  "jsonb_build_object('to', '%s', 'lang', '%s', 'template', 'verify_email', "
	                  "'params', jsonb_build_object('name', 'Ana Núñez', 'minutes', '1440', "
	                  "'link_path', '/verify?token=%s'), 'secret', %s), %d) RETURNING id",
	                  to, lang, token, secret ? "true" : "false", attempts);
}

char *
nt_status_of(long long id)
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
	struct nt_mailbox *mb = arg;
	char *sep, *subj;
	struct nt_mail *m;

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
struct nt_mailbox
nt_mailbox_read(void)
{
	struct nt_mailbox mb = { NULL, 0 };

	it_maildir_scan(add_mail, &mb);
	return mb;
}

void
nt_mailbox_free(struct nt_mailbox *mb)
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

size_t
nt_count_to(const struct nt_mailbox *mb, const char *to)
{
	size_t n = 0;

	for (size_t i = 0; i < mb->n; i++)
		n += mb->v[i].to && strcmp(mb->v[i].to, to) == 0;
	return n;
}

/* Messages whose To starts with prefix. */
size_t
nt_count_to_prefix(const struct nt_mailbox *mb, const char *prefix)
{
	size_t n = 0;

	for (size_t i = 0; i < mb->n; i++)
		n += mb->v[i].to && strncmp(mb->v[i].to, prefix, strlen(prefix)) == 0;
	return n;
}

/* Poll until n messages to `to` arrived; seconds it took, or -1. */
double
nt_wait_mail(const char *to, size_t n, double timeout)
{
	double start = it_now();

	for (;;) {
		struct nt_mailbox mb = nt_mailbox_read();
		size_t got = nt_count_to(&mb, to);
		nt_mailbox_free(&mb);
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
char *
nt_config_with(const char *name, const char *extra)
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

char *
nt_own_log_path(const char *name)
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

void
nt_wait_done(const char *prefix, long long n, double deadline)
{
	for (;;) {
		long long done = it_sql_int("SELECT count(*) FROM outbox.events WHERE status = 'done' "
		                            "AND payload->>'to' LIKE '%s%%'", prefix);
		if (done == n)
			return;
		ck_assert_msg(it_now() < deadline, "only %lld of %lld done in time", done, n);
		it_sleep_ms(50);
	}
}

void
nt_assert_one_each(const char *prefix, int n)
{
	struct nt_mailbox mb = nt_mailbox_read();
	char to[128];

	ck_assert_uint_eq(nt_count_to_prefix(&mb, prefix), (size_t)n);
	for (int i = 0; i < n; i++) {
		snprintf(to, sizeof(to), "%s%02d@example.test", prefix, i);
		ck_assert_msg(nt_count_to(&mb, to) == 1, "%s received %zu mails", to, nt_count_to(&mb, to));
	}
	nt_mailbox_free(&mb);
}

void
nt_track_own(pid_t pid)
{
	for (int i = 0; i < MAX_OWN; i++)
		if (own_pids[i] == 0) {
			own_pids[i] = pid;
			return;
		}
	ck_abort_msg("more than %d processes of a test's own", MAX_OWN);
}

/* Start medsys-notifier with conf (as the medsys user when we are root),
 * its output in log/notifier-NAME.log; extra is "--once" or NULL. */
pid_t
nt_start_own(const char *name, const char *conf, const char *extra)
{
	char *log = nt_own_log_path(name);
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
	nt_track_own(pid);
	return pid;
}

void
nt_forget_own(pid_t pid)
{
	for (int i = 0; i < MAX_OWN; i++)
		if (own_pids[i] == pid)
			own_pids[i] = 0;
}

/* Wait for pid to exit within timeout; its wait status, or -1. */
int
nt_wait_exit(pid_t pid, double timeout)
{
	double end = it_now() + timeout;
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid) {
			nt_forget_own(pid);
			return status;
		}
		if (it_now() > end)
			return -1;
		it_sleep_ms(20);
	}
}

/* SIGTERM: it finishes its event and exits 0. */
void
nt_stop_own(pid_t pid)
{
	int status;

	kill(pid, SIGTERM);
	status = nt_wait_exit(pid, 5);
	ck_assert_msg(status != -1, "medsys-notifier %ld did not stop within 5 s of SIGTERM", (long)pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	              "medsys-notifier exited with status %d after SIGTERM", status);
}

/* The backend pid of notifier pid (it names its connection
 * "medsys-notifier PID"), other than not_this, waiting up to timeout for
 * it; 0 when absent. */
long long
nt_backend_of(pid_t pid, double timeout, long long not_this)
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

size_t
nt_count_in_file(const char *path, const char *needle)
{
	char *text = it_slurp(path);
	size_t n = text ? (size_t)str_count(text, needle) : 0;

	free(text);
	return n;
}

/* ------------------------------------------------------------ (a) delivery */

START_TEST(test_mail_delivered_and_secret_scrubbed)
{
	char to[128], to_en[128], to_plain[128], token[64], link[512], *v;
	struct nt_mailbox mb;
	struct nt_mail *m = NULL;
	long long id, id_en, id_plain;
	double t;

	nt_baseline();
	snprintf(to, sizeof(to), "a-%s@example.test", nt_tag());
	snprintf(token, sizeof(token), "TOKEN-a-%s-xyz", nt_tag());
	id = nt_insert_mail(to, "es", token, 1, 0);
	t = nt_wait_mail(to, 1, 10);
	ck_assert_msg(t >= 0, "no mail for %s within 10 s (event %lld is %s)", to, id, nt_status_of(id));
	printf("notifier: mail.send delivered %.0f ms after the insert\n", t * 1000);
	ck_assert_int_eq(wait_status(id, "done", 5), 0);

	mb = nt_mailbox_read();
	ck_assert_uint_eq(nt_count_to(&mb, to), 1);
	for (size_t i = 0; i < mb.n; i++)
		if (mb.v[i].to && strcmp(mb.v[i].to, to) == 0)
			m = &mb.v[i];
	ck_assert_ptr_nonnull(m->subject);
	ck_assert_str_eq(m->subject, "Confirme su dirección de correo electrónico");
	snprintf(link, sizeof(link), "%s/verify?token=%s\n", it_env("MEDSYS_URL"), token);
	ck_assert_msg(strstr(m->body, link) != NULL, "no link %s in the body:\n%s", link, m->body);
	/* a mail to an address not proven yet carries no typed text, not even
	 * the account's name (issue 15): the event has one, the mail not */
	ck_assert_msg(strstr(m->body, "Hola:") != NULL && strstr(m->body, "Núñez") == NULL,
	              "greeting with the name:\n%s", m->body);
	/* the link's validity in words: "24 horas", never "1440 minutos" */
	ck_assert_msg(strstr(m->body, "durante 24 horas") != NULL && strstr(m->body, "1440") == NULL,
	              "validity not in words:\n%s", m->body);
	ck_assert_ptr_null(strchr(m->body, '{'));
	snprintf(link, sizeof(link), "<medsys.%lld.", id);
	ck_assert_msg(m->message_id && strncmp(m->message_id, link, strlen(link)) == 0,
	              "Message-ID %s", m->message_id ? m->message_id : "(none)");
	nt_mailbox_free(&mb);

	/* the token left the database; the rest of the payload stayed */
	v = it_sql_line("SELECT (payload->'params' ? 'link_path')::text || ',' || "
	                "(strpos(payload::text, '%s') > 0)::text || ',' || "
	                "(payload->'params'->>'name') || ',' || (done_at IS NOT NULL)::text "
	                "FROM outbox.events WHERE id = %lld", token, id);
	ck_assert_str_eq(v, "false,false,Ana Núñez,true");
	free(v);

	/* English, and a link that is not secret stays */
	snprintf(to_en, sizeof(to_en), "a-en-%s@example.test", nt_tag());
	snprintf(to_plain, sizeof(to_plain), "a-plain-%s@example.test", nt_tag());
	id_en = nt_insert_mail(to_en, "en", "en-token", 1, 0);
	id_plain = nt_insert_mail(to_plain, "es", "public-path", 0, 0);
	ck_assert_msg(nt_wait_mail(to_en, 1, 10) >= 0, "no English mail");
	ck_assert_msg(nt_wait_mail(to_plain, 1, 10) >= 0, "no second mail");
	ck_assert_int_eq(wait_status(id_en, "done", 5), 0);
	ck_assert_int_eq(wait_status(id_plain, "done", 5), 0);
	mb = nt_mailbox_read();
	for (size_t i = 0; i < mb.n; i++)
		if (mb.v[i].to && strcmp(mb.v[i].to, to_en) == 0) {
			ck_assert_str_eq(mb.v[i].subject, "Please confirm your e-mail address");
			ck_assert_msg(strstr(mb.v[i].body, "Hello,") && !strstr(mb.v[i].body, "Núñez"), "%s", mb.v[i].body);
		}
	nt_mailbox_free(&mb);
	v = it_sql_line("SELECT payload->'params'->>'link_path' FROM outbox.events WHERE id = %lld", id_plain);
	ck_assert_str_eq(v, "/verify?token=public-path");
	free(v);
}
END_TEST

/* ------------------------------------------------------------ (b) backlog */

START_TEST(test_backlog_delivered_exactly_once)
{
	char prefix[64], to[128];
	struct nt_mailbox mb;
	double start, t;

	nt_baseline();
	ck_assert_int_eq(it_harness("notifier-stop"), 0);
	snprintf(prefix, sizeof(prefix), "b-%s-", nt_tag());
	for (int i = 0; i < 20; i++) {
		snprintf(to, sizeof(to), "%s%02d@example.test", prefix, i);
		nt_insert_mail(to, "es", "b", 1, 0);
	}
	/* longer than the sweep: nobody is processing them */
	it_sleep_ms(2500);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE status = 'pending' "
	                            "AND attempts = 0 AND payload->>'to' LIKE '%s%%'", prefix), 20);
	mb = nt_mailbox_read();
	ck_assert_uint_eq(nt_count_to_prefix(&mb, prefix), 0);
	nt_mailbox_free(&mb);

	start = it_now();
	ck_assert_int_eq(it_harness("notifier-start"), 0);
	nt_wait_done(prefix, 20, start + 15);
	t = it_now() - start;
	printf("notifier: backlog of 20 delivered %.0f ms after start\n", t * 1000);
	it_sleep_ms(1000);     /* a duplicate would show up by now */
	nt_assert_one_each(prefix, 20);
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
	struct nt_mailbox mb;

	nt_baseline();
	ck_assert_int_eq(it_harness("smtp-stop"), 0);
	snprintf(to, sizeof(to), "c-%s@example.test", nt_tag());
	snprintf(to_dead, sizeof(to_dead), "c-dead-%s@example.test", nt_tag());
	id = nt_insert_mail(to, "es", "TOKEN-c", 1, 0);
	start = it_now();
	do {
		ck_assert_msg(it_now() - start < 15, "no second attempt within 15 s");
		it_sleep_ms(100);
		attempts = it_sql_int("SELECT attempts FROM outbox.events WHERE id = %lld", id);
	} while (attempts < 2);
	err = nt_status_of(id);
	ck_assert_str_eq(err, "pending");
	free(err);
	err = it_sql_line("SELECT last_error FROM outbox.events WHERE id = %lld", id);
	ck_assert_msg(*err != '\0', "no last_error after a failed attempt");
	ck_assert_ptr_null(strstr(err, "TOKEN"));
	ck_assert_ptr_null(strstr(err, "@"));
	printf("notifier: while SMTP is down: attempts=%lld last_error=\"%s\"\n", attempts, err);
	free(err);

	/* one attempt left: the next failure makes it dead */
	id_dead = nt_insert_mail(to_dead, "es", "TOKEN-dead", 1, max - 1);
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
	mb = nt_mailbox_read();
	ck_assert_uint_eq(nt_count_to(&mb, to), 1);
	ck_assert_uint_eq(nt_count_to(&mb, to_dead), 0);
	nt_mailbox_free(&mb);
}
END_TEST

/* ------------------------------------------------------------ (f) notices */

START_TEST(test_notice_created_exactly_once)
{
	long long user, id, bad;
	char *v;

	nt_baseline();
	user = it_sql_int("INSERT INTO auth.users (email, full_name, password_hash) "
	                  "VALUES ('notice-%s@example.test', 'Ana', 'x') RETURNING id", nt_tag());
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

	nt_baseline();
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

int
main(void)
{
	Suite *delivery = it_suite("notifier", 120, test_mail_delivered_and_secret_scrubbed,
	                           test_backlog_delivered_exactly_once, test_smtp_down_retried_then_delivered,
	                           test_notice_created_exactly_once, test_unknown_type_is_dead, NULL);

	atexit(stop_own_all);
	return it_run_suites(delivery, nt_faults_suite(), NULL);
}
