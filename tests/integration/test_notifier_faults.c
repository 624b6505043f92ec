/* test_notifier_faults: medsys-notifier when things go wrong, against the
 * running stack (part of test_notifier, see notifier_test.h): a killed
 * database connection, two notifiers at once, a database restart,
 * permanent and temporary SMTP rejections from a scripted server, reload,
 * and logs that hold no secret. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "http_client.h"
#include "notifier_test.h"

/* ------------------------------------------------------------ (d) reconnect */

START_TEST(test_reconnects_after_backend_killed)
{
	char to[128], *conf, *log;
	long long backend, backend2;
	pid_t pid;
	double t;

	nt_baseline();
	/* Our own notifier with a one-minute sweep: a prompt delivery can
	 * only come from a notification or from the scan after a reconnect. */
	ck_assert_int_eq(it_harness("notifier-stop"), 0);
	conf = nt_config_with("notifier-d", "notify_sweep = 60");
	log = nt_own_log_path("d");
	pid = nt_start_own("d", conf, NULL);
	backend = nt_backend_of(pid, 10, 0);
	ck_assert_msg(backend > 0, "the notifier's connection does not show up in pg_stat_activity");

	snprintf(to, sizeof(to), "d0-%s@example.test", nt_tag());
	nt_insert_mail(to, "es", "d0", 1, 0);
	t = nt_wait_mail(to, 1, 5);
	ck_assert_msg(t >= 0 && t < 2, "with a 60 s sweep, a notified event took %.2f s", t);

	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM (SELECT pg_terminate_backend(%lld)) x", backend), 1);
	snprintf(to, sizeof(to), "d1-%s@example.test", nt_tag());
	nt_insert_mail(to, "es", "d1", 1, 0);
	t = nt_wait_mail(to, 1, 10);
	ck_assert_msg(t >= 0 && t < 3, "after the backend was killed delivery took %.2f s", t);
	printf("notifier: delivered %.0f ms after its backend was terminated\n", t * 1000);

	backend2 = nt_backend_of(pid, 5, backend);
	ck_assert_msg(backend2 > 0 && backend2 != backend, "no new connection (old %lld, new %lld)",
	              backend, backend2);
	/* LISTEN again on the new connection: notified, not swept */
	it_sleep_ms(300);
	snprintf(to, sizeof(to), "d2-%s@example.test", nt_tag());
	nt_insert_mail(to, "es", "d2", 1, 0);
	t = nt_wait_mail(to, 1, 5);
	ck_assert_msg(t >= 0 && t < 2, "after the reconnection a notified event took %.2f s", t);

	ck_assert_msg(nt_count_in_file(log, "connection lost") >= 1, "no reconnection in %s", log);
	ck_assert_msg(nt_count_in_file(log, "reconnected") >= 1, "no reconnection in %s", log);
	nt_stop_own(pid);
	ck_assert_int_eq(it_harness("notifier-start"), 0);
	free(conf);
	free(log);
}
END_TEST

/* ------------------------------------------------------------ (e) two notifiers */

START_TEST(test_two_notifiers_deliver_exactly_once)
{
	char prefix[64], *log;
	pid_t pid;
	long stack_pid;
	double start;
	size_t before;

	nt_baseline();
	stack_pid = nt_stack_notifier_pid();
	ck_assert_int_gt(stack_pid, 0);
	pid = nt_start_own("e", it_env("MEDSYS_CONF"), NULL);
	ck_assert_msg(nt_backend_of(pid, 10, 0) > 0, "the second notifier did not connect");
	ck_assert_msg(nt_backend_of((pid_t)stack_pid, 10, 0) > 0, "the stack's notifier is not connected");
	log = nt_own_log_path("e");
	before = nt_count_in_file(log, "delivered");

	snprintf(prefix, sizeof(prefix), "e-%s-", nt_tag());
	start = it_now();
	for (int batch = 0; batch < 5; batch++)
		it_sql("INSERT INTO outbox.events (type, payload) SELECT 'mail.send', "
		       "jsonb_build_object('to', '%s' || lpad(g::text, 2, '0') || '@example.test', "
		       "'lang', 'en', 'template', 'welcome_staff', 'params', jsonb_build_object("
		       "'name', 'Staff ' || g, 'minutes', '60', 'link_path', '/welcome?token=e' || g), "
		       "'secret', true) FROM generate_series(%d, %d) g",
		       prefix, batch * 10, batch * 10 + 9);
	nt_wait_done(prefix, 50, start + 20);
	printf("notifier: 50 events through two notifiers in %.0f ms; the second delivered %zu\n",
	       (it_now() - start) * 1000, nt_count_in_file(log, "delivered") - before);
	it_sleep_ms(1000);
	nt_assert_one_each(prefix, 50);
	nt_stop_own(pid);
	free(log);
}
END_TEST

/* ------------------------------------------------------------ PostgreSQL restarted */

START_TEST(test_survives_database_restart)
{
	char to[128], path[2048];
	long pid;
	double t;

	nt_baseline();
	pid = nt_stack_notifier_pid();
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(it_harness("pg-stop"), 0);
	it_sleep_ms(3500);     /* long enough for a few reconnection attempts */
	ck_assert_msg(kill((pid_t)pid, 0) == 0, "the notifier died while PostgreSQL was down");
	ck_assert_int_eq(it_harness("pg-start"), 0);
	snprintf(to, sizeof(to), "j-%s@example.test", nt_tag());
	nt_insert_mail(to, "es", "TOKEN-j", 1, 0);
	/* back-off reached 4 s: delivered within it (plus a margin) */
	t = nt_wait_mail(to, 1, 15);
	ck_assert_msg(t >= 0, "no delivery within 15 s of PostgreSQL's restart");
	printf("notifier: delivered %.1f s after PostgreSQL came back\n", t);
	ck_assert_int_eq(nt_stack_notifier_pid(), pid);
	snprintf(path, sizeof(path), "%s/log/notifier.log", it_env("MEDSYS_STACK_DIR"));
	ck_assert_uint_ge(nt_count_in_file(path, "reconnecting in 2 s"), 1);
	ck_assert_uint_ge(nt_count_in_file(path, "reconnected"), 1);
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
	nt_track_own(pid);
	return pid;
}

START_TEST(test_smtp_rejections_classified)
{
	char to_reject[128], to_later[128], to_data[128], to_ok[128], extra[128], *conf, *v;
	long long id_reject, id_later, id_data, id_ok;
	int port, status;
	pid_t fake, pid;

	nt_baseline();
	ck_assert_int_eq(it_harness("notifier-stop"), 0);
	fake = start_fake_smtp(&port);
	snprintf(extra, sizeof(extra), "smtp_url = smtp://127.0.0.1:%d", port);
	conf = nt_config_with("notifier-h", extra);
	snprintf(to_reject, sizeof(to_reject), "reject-%s@example.test", nt_tag());
	snprintf(to_later, sizeof(to_later), "later-%s@example.test", nt_tag());
	snprintf(to_data, sizeof(to_data), "dataerr-%s@example.test", nt_tag());
	snprintf(to_ok, sizeof(to_ok), "h-ok-%s@example.test", nt_tag());
	id_reject = nt_insert_mail(to_reject, "es", "TOKEN-h1", 1, 0);
	id_later = nt_insert_mail(to_later, "es", "TOKEN-h2", 1, 0);
	id_data = nt_insert_mail(to_data, "es", "TOKEN-h3", 1, 0);
	id_ok = nt_insert_mail(to_ok, "es", "TOKEN-h4", 1, 0);

	/* --once: everything due, then exit 0 */
	pid = nt_start_own("h", conf, "--once");
	status = nt_wait_exit(pid, 30);
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
	v = nt_status_of(id_ok);
	ck_assert_str_eq(v, "done");
	free(v);

	/* leave nothing for the stack's notifier */
	it_sql("UPDATE outbox.events SET status = 'dead' WHERE id = %lld AND status = 'pending'", id_later);
	kill(fake, SIGKILL);
	waitpid(fake, NULL, 0);
	nt_forget_own(fake);
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

	nt_baseline();
	pid = nt_stack_notifier_pid();
	ck_assert_int_gt(pid, 0);
	snprintf(path, sizeof(path), "%s/log/notifier.log", it_env("MEDSYS_STACK_DIR"));
	{
		size_t before = nt_count_in_file(path, "configuration reloaded");
		ck_assert_int_eq(kill((pid_t)pid, SIGHUP), 0);
		while (nt_count_in_file(path, "configuration reloaded") == before) {
			ck_assert_msg(it_now() - start < 5, "no reload within 5 s of SIGHUP");
			it_sleep_ms(50);
		}
	}
	ck_assert_int_eq(nt_stack_notifier_pid(), pid);
	snprintf(to, sizeof(to), "i-%s@example.test", nt_tag());
	nt_insert_mail(to, "en", "TOKEN-i", 1, 0);
	ck_assert_msg(nt_wait_mail(to, 1, 10) >= 0, "no delivery after a reload");
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

Suite *
nt_faults_suite(void)
{
	/* The log test last: it reads what every notifier before it wrote. */
	return it_suite("notifier faults", 120, test_reconnects_after_backend_killed,
	                test_two_notifiers_deliver_exactly_once, test_smtp_rejections_classified,
	                test_reload_keeps_delivering, test_survives_database_restart, test_logs_hold_no_secrets,
	                NULL);
}
