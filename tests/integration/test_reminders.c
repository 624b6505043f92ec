/* test_reminders: medsys-notifier's appointment events against the running
 * stack (tests/integration/reminders.stack): appointment.notify mails with
 * an invite.ics that a real parser (Debian's python3-icalendar) reads
 * (METHOD, UID, SEQUENCE, DTSTART, DTEND), and appointment.reminder sent
 * exactly once: due in a few seconds → one mail; cancelled or moved before
 * it is due → none for the old one; the notifier stopped around the due
 * time and started again → one; two notifiers → one; the same reminder
 * emitted twice (same dedup_key) → one row, one mail. Events and
 * appointments are inserted with SQL exactly as the pages write them. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "http_client.h"

#define PYTHON "/usr/bin/python3"

static pid_t own_pid;   /* a second notifier started by a test */

/* ------------------------------------------------------------ fixtures */

/* A booked appointment of fixture doctor T-0001 with patient1, starting
 * in `days` days plus `slot` hours (distinct per test: the exclusion
 * constraints refuse overlaps); its id. */
static long long
appointment(int days, int slot)
{
	return it_sql_int("INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode, location) "
	                  "SELECT d.id, u.id, s, s + interval '30 minutes', 'in_person', 'Consulta 3' "
	                  "  FROM clinic.doctors d, auth.users u, "
	                  "       (SELECT date_trunc('hour', now()) + make_interval(days => %d, hours => %d) AS s) t "
	                  " WHERE d.licence_number = 'T-0001' AND u.email = 'patient1@clinic.test' "
	                  "RETURNING id",
	                  days, slot);
}

static char *
uid_of(long long appt)
{
	return it_sql_line("SELECT uid FROM appt.appointments WHERE id = %lld", appt);
}

static long long
starts_epoch(long long appt)
{
	return it_sql_int("SELECT extract(epoch FROM starts_at)::bigint FROM appt.appointments WHERE id = %lld", appt);
}

/* The pages' change of an appointment: cancel or move (sequence + 1). */
static void
cancel(long long appt)
{
	free(it_sql_line("UPDATE appt.appointments SET status = 'cancelled', sequence = sequence + 1, "
	                 "cancelled_at = now(), cancel_reason = 'test' WHERE id = %lld RETURNING id", appt));
}

static void
move(long long appt, int hours)
{
	free(it_sql_line("UPDATE appt.appointments SET sequence = sequence + 1, "
	                 "starts_at = starts_at + make_interval(hours => %d), "
	                 "ends_at = ends_at + make_interval(hours => %d) WHERE id = %lld RETURNING id",
	                 hours, hours, appt));
}

/* The statement outbox_emit (sql/queries/outbox.sql), as the pages run
 * it; the event's id, or 0 when the dedup_key already existed. */
static long long
emit(const char *type, const char *payload, double due_in, const char *dedup)
{
	char due[64], key[160];

	if (due_in < 0)
		snprintf(due, sizeof(due), "NULL");
	else
		snprintf(due, sizeof(due), "(now() + interval '%.3f seconds')", due_in);
	if (dedup)
		snprintf(key, sizeof(key), "'%s'", dedup);
	else
		snprintf(key, sizeof(key), "NULL");
	return it_sql_int("WITH i AS (INSERT INTO outbox.events (type, payload, due_at, dedup_key) "
	                  "VALUES ('%s', '%s'::jsonb, coalesce(%s::timestamptz, now()), %s::text) "
	                  "ON CONFLICT (dedup_key) DO NOTHING RETURNING id) "
	                  "SELECT coalesce((SELECT id FROM i), 0)",
	                  type, payload, due, key);
}

static long long
notify(long long appt, const char *what)
{
	char payload[200];
	long long seq = it_sql_int("SELECT sequence FROM appt.appointments WHERE id = %lld", appt);

	snprintf(payload, sizeof(payload), "{\"appointment_id\": %lld, \"what\": \"%s\", \"sequence\": %lld}",
	         appt, what, seq);
	return emit("appointment.notify", payload, -1, NULL);
}

/* The reminder the pages emit for the appointment as it is now (hours
 * H), due in due_in seconds (instead of starts_at - H hours). */
static long long
reminder(long long appt, int hours, double due_in)
{
	char payload[200], key[100];
	long long seq = it_sql_int("SELECT sequence FROM appt.appointments WHERE id = %lld", appt);

	snprintf(payload, sizeof(payload), "{\"appointment_id\": %lld, \"sequence\": %lld, \"hours\": %d}",
	         appt, seq, hours);
	snprintf(key, sizeof(key), "reminder:%lld:%lld:%d", appt, seq, hours);
	return emit("appointment.reminder", payload, due_in, key);
}

static int
wait_status(long long id, const char *want, double timeout)
{
	return it_sql_wait(want, timeout, "SELECT status FROM outbox.events WHERE id = %lld", id);
}

/* ------------------------------------------------------------ the mailbox */

struct mail {
	char *to, *subject, *ctype, *text, *ics, *cal_ctype;
};

struct mailbox {
	struct mail *v;
	size_t n;
};

static char *
qp_decode(const char *s, size_t n)
{
	char *out = malloc(n + 1), *o = out;
	const char *end = s + n;

	while (s < end) {
		if (s[0] == '=' && s + 1 < end && s[1] == '\n') {
			s += 2;
		} else if (s[0] == '=' && s + 2 < end && s[1] == '\r' && s[2] == '\n') {
			s += 3;
		} else if (s[0] == '=' && s + 2 < end) {
			char hex[3] = { s[1], s[2], 0 };
			*o++ = (char)strtol(hex, NULL, 16);
			s += 3;
		} else if (s[0] == '\r') {
			s++;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

static char *
b64_decode(const char *s, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = malloc(n + 1);
	size_t o = 0;
	unsigned v = 0;
	int bits = 0;

	for (size_t i = 0; i < n; i++) {
		const char *p = s[i] ? strchr(tab, s[i]) : NULL;
		if (p == NULL)
			continue;
		v = (v << 6) | (unsigned)(p - tab);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((v >> bits) & 0xff);
		}
	}
	out[o] = '\0';
	return out;
}

/* The headers of a MIME part starting at p, up to its blank line: a
 * copy, and *body set to where the body starts. */
static char *
part_head(const char *p, const char **body)
{
	const char *e = strstr(p, "\r\n\r\n"), *e2 = strstr(p, "\n\n");
	size_t skip = 4;
	char *h;

	if (e == NULL || (e2 && e2 < e)) {
		e = e2;
		skip = 2;
	}
	if (e == NULL)
		return NULL;
	h = strndup(p, (size_t)(e - p));
	*body = e + skip;
	return h;
}

static void
parse_mail(struct mail *m, const char *text)
{
	const char *body, *p;
	char *head = part_head(text, &body), *boundary, *b;

	memset(m, 0, sizeof(*m));
	if (head == NULL)
		return;
	m->to = it_mail_header(head, "To");
	m->subject = it_mail_header(head, "Subject");
	m->ctype = it_mail_header(head, "Content-Type");
	free(head);
	if (m->ctype == NULL || (b = strstr(m->ctype, "boundary=\"")) == NULL)
		return;
	b += 10;
	ck_assert_int_ge(asprintf(&boundary, "--%.*s", (int)strcspn(b, "\""), b), 0);
	/* every part: after a delimiter line */
	for (p = strstr(body, boundary); p; p = strstr(p, boundary)) {
		const char *pb, *next;
		char *ph, *ct;
		p += strlen(boundary);
		if (strncmp(p, "--", 2) == 0)
			break;
		p += strspn(p, "\r\n");
		if ((ph = part_head(p, &pb)) == NULL)
			break;
		ct = it_mail_header(ph, "Content-Type");
		next = strstr(pb, boundary);
		if (next == NULL)
			next = pb + strlen(pb);
		if (ct && strncmp(ct, "text/plain", 10) == 0) {
			m->text = qp_decode(pb, (size_t)(next - pb));
		} else if (ct && strncmp(ct, "text/calendar", 13) == 0) {
			m->ics = b64_decode(pb, (size_t)(next - pb));
			m->cal_ctype = strdup(ct);
			ck_assert_msg(strstr(ph, "Content-Disposition: attachment; filename=\"invite.ics\""),
			              "calendar part without its disposition: %s", ph);
		}
		free(ct);
		free(ph);
		p = next;
	}
	free(boundary);
}

/* it_maildir_scan: add a mail to the mailbox. */
static int
add_mail(const char *name, char *text, void *arg)
{
	struct mailbox *mb = arg;

	(void)name;
	mb->v = realloc(mb->v, (mb->n + 1) * sizeof(*mb->v));
	parse_mail(&mb->v[mb->n++], text);
	return 0;
}

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
		struct mail *m = &mb->v[i];
		free(m->to);
		free(m->subject);
		free(m->ctype);
		free(m->text);
		free(m->ics);
		free(m->cal_ctype);
	}
	free(mb->v);
	mb->v = NULL;
	mb->n = 0;
}

/* Mails whose invite.ics is for the appointment with this UID. */
static size_t
count_uid(const struct mailbox *mb, const char *uid)
{
	char needle[128];
	size_t n = 0;

	snprintf(needle, sizeof(needle), "UID:%s\r\n", uid);
	for (size_t i = 0; i < mb->n; i++)
		n += mb->v[i].ics && strstr(mb->v[i].ics, needle) != NULL;
	return n;
}

/* The i-th (from 0, in no order) mail for uid, or NULL. */
static const struct mail *
mail_for(const struct mailbox *mb, const char *uid, size_t nth)
{
	char needle[128];

	snprintf(needle, sizeof(needle), "UID:%s\r\n", uid);
	for (size_t i = 0; i < mb->n; i++)
		if (mb->v[i].ics && strstr(mb->v[i].ics, needle) != NULL && nth-- == 0)
			return &mb->v[i];
	return NULL;
}

static size_t
mails_for(const char *uid)
{
	struct mailbox mb = mailbox_read();
	size_t n = count_uid(&mb, uid);

	mailbox_free(&mb);
	return n;
}

/* Poll until n mails for uid arrived; 0, or -1 at the deadline. */
static int
wait_mails(const char *uid, size_t n, double timeout)
{
	double end = it_now() + timeout;

	while (mails_for(uid) < n) {
		if (it_now() > end)
			return -1;
		it_sleep_ms(100);
	}
	return 0;
}

/* The calendar read by python3-icalendar: "METHOD UID SEQUENCE DTSTART
 * DTEND STATUS" (instants as epoch seconds), malloc'd. */
static char *
ics_parsed(const char *ics)
{
	static const char script[] =
		"import sys, icalendar\n"
		"cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n"
		"evs = list(cal.walk('VEVENT'))\n"
		"assert len(evs) == 1, 'one VEVENT'\n"
		"e = evs[0]\n"
		"s, t = e.decoded('DTSTART'), e.decoded('DTEND')\n"
		"assert s.utcoffset().total_seconds() == 0 and t.utcoffset().total_seconds() == 0\n"
		"print(cal['METHOD'], e['UID'], int(e['SEQUENCE']), int(s.timestamp()), int(t.timestamp()),"
		" e.get('STATUS', '-'))\n";
	char path[] = "/tmp/test_reminders_XXXXXX", cmd[256], line[512] = "";
	int fd = mkstemp(path);
	FILE *f, *p;

	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	fputs(ics, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), PYTHON " -c \"$MEDSYS_ICS_SCRIPT\" %s", path);
	setenv("MEDSYS_ICS_SCRIPT", script, 1);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	if (fgets(line, sizeof(line), p) == NULL)
		line[0] = '\0';
	ck_assert_msg(pclose(p) == 0, "python3-icalendar could not parse:\n%s", ics);
	unlink(path);
	line[strcspn(line, "\n")] = '\0';
	return strdup(line);
}

/* The one mail for uid has an ics the parser reads as expected. */
static void
check_ics(const struct mail *m, const char *method, const char *uid, long long seq,
          long long start, const char *status)
{
	char *got, want[256], ct[160];

	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(m->ctype);
	ck_assert_msg(strncmp(m->ctype, "multipart/mixed;", 16) == 0, "Content-Type %s", m->ctype);
	snprintf(ct, sizeof(ct), "text/calendar; charset=utf-8; method=%s; name=\"invite.ics\"", method);
	ck_assert_str_eq(m->cal_ctype, ct);
	got = ics_parsed(m->ics);
	snprintf(want, sizeof(want), "%s %s %lld %lld %lld %s", method, uid, seq, start, start + 1800,
	         status);
	ck_assert_str_eq(got, want);
	free(got);
}

/* ------------------------------------------------------------ set-up */

static void
baseline(void)
{
	ck_assert_int_eq(it_harness("smtp-start"), 0);
	ck_assert_int_eq(it_harness("notifier-start"), 0);
}

static void
stop_own(void)
{
	if (own_pid > 0) {
		kill(own_pid, SIGTERM);
		for (int i = 0; i < 100 && waitpid(own_pid, NULL, WNOHANG) == 0; i++)
			it_sleep_ms(50);
		kill(own_pid, SIGKILL);
		waitpid(own_pid, NULL, 0);
		own_pid = 0;
	}
}

/* A second medsys-notifier with the stack's configuration, as the medsys
 * user when we are root, its output in log/notifier-second.log. */
static void
start_second(void)
{
	char bin[2048], log[2048];
	const char *v = getenv("MEDSYS_TEST_NOTIFIER_BIN");
	pid_t parent = getpid();
	int fd;

	snprintf(bin, sizeof(bin), "%s", v && *v ? v : "");
	if (!*bin)
		snprintf(bin, sizeof(bin), "%s/medsys-notifier", it_env("MEDSYS_BUILDDIR"));
	snprintf(log, sizeof(log), "%s/log/notifier-second.log", it_env("MEDSYS_STACK_DIR"));
	fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	own_pid = fork();
	ck_assert_int_ge(own_pid, 0);
	if (own_pid == 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (geteuid() == 0) {
			struct passwd *pw = getpwnam("medsys");
			if (pw == NULL || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
				_exit(126);
		}
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(0);
		execl(bin, bin, "--config", it_env("MEDSYS_CONF"), (char *)NULL);
		_exit(127);
	}
	close(fd);
	it_sleep_ms(500);
	ck_assert_int_eq(waitpid(own_pid, NULL, WNOHANG), 0);
}

static void
teardown(void)
{
	stop_own();
}

/* ------------------------------------------------------------ tests */

/* (a) booked → one mail to the patient, METHOD:REQUEST, the UID, the
 * SEQUENCE, DTSTART = starts_at; cancelled → METHOD:CANCEL, SEQUENCE + 1. */
START_TEST(test_notify_booked_then_cancelled)
{
	long long a = appointment(20, 1), ev, start;
	char *uid = uid_of(a), *when;
	struct mailbox mb;
	const struct mail *m;

	baseline();
	start = starts_epoch(a);
	ev = notify(a, "booked");
	ck_assert_int_eq(wait_status(ev, "done", 20), 0);
	ck_assert_int_eq(wait_mails(uid, 1, 10), 0);
	mb = mailbox_read();
	ck_assert_uint_eq(count_uid(&mb, uid), 1);
	m = mail_for(&mb, uid, 0);
	ck_assert_str_eq(m->to, "patient1@clinic.test");
	check_ics(m, "REQUEST", uid, 0, start, "CONFIRMED");
	/* patient1 reads Spanish; the time is the clinic's local time */
	ck_assert_str_eq(m->subject, "Cita confirmada con Dra. Test Uno");
	/* in words, never ISO: "martes 8 de diciembre, 13:30" */
	when = it_when_es(it_fmt("SELECT starts_at FROM appt.appointments WHERE id = %lld", a), 1);
	ck_assert_ptr_nonnull(m->text);
	ck_assert_msg(strstr(m->text, when) != NULL, "no local time %s in:\n%s", when, m->text);
	ck_assert_msg(strstr(m->text, "Paciente Uno") && strstr(m->text, "Consulta 3") &&
	              strstr(m->text, "Presencial"), "body:\n%s", m->text);
	free(when);
	mailbox_free(&mb);

	cancel(a);
	ev = notify(a, "cancelled");
	ck_assert_int_eq(wait_status(ev, "done", 20), 0);
	ck_assert_int_eq(wait_mails(uid, 2, 10), 0);
	mb = mailbox_read();
	ck_assert_uint_eq(count_uid(&mb, uid), 2);
	for (size_t i = 0; i < 2; i++) {
		m = mail_for(&mb, uid, i);
		if (strstr(m->ics, "METHOD:CANCEL")) {
			check_ics(m, "CANCEL", uid, 1, start, "CANCELLED");
			ck_assert_str_eq(m->subject, "Cita cancelada con Dra. Test Uno");
		} else {
			check_ics(m, "REQUEST", uid, 0, start, "CONFIRMED");
		}
	}
	mailbox_free(&mb);
	free(uid);
}
END_TEST

/* A stale booked mail (the appointment changed before it was sent) and
 * a bad payload: skipped, dead; never a mail. English for an English
 * patient. */
START_TEST(test_notify_stale_and_invalid)
{
	long long a = appointment(20, 3), stale, bad, fresh;
	char *uid = uid_of(a), *why;
	struct mailbox mb;

	baseline();
	ck_assert_int_eq(it_harness("notifier-stop"), 0);
	stale = notify(a, "booked");
	move(a, 1);
	fresh = notify(a, "moved");
	bad = emit("appointment.notify", "{\"appointment_id\": \"1; x\", \"what\": \"booked\", \"sequence\": 0}",
	           -1, NULL);
	free(it_sql_line("UPDATE auth.users SET language = 'en' WHERE email = 'patient1@clinic.test' RETURNING id"));
	ck_assert_int_eq(it_harness("notifier-start"), 0);
	ck_assert_int_eq(wait_status(fresh, "done", 20), 0);
	ck_assert_int_eq(wait_status(stale, "done", 20), 0);
	ck_assert_int_eq(wait_status(bad, "dead", 20), 0);
	free(it_sql_line("UPDATE auth.users SET language = 'es' WHERE email = 'patient1@clinic.test' RETURNING id"));
	why = it_sql_line("SELECT last_error FROM outbox.events WHERE id = %lld", stale);
	ck_assert_str_eq(why, "skipped: appointment changed since");
	free(why);
	it_sleep_ms(1000);
	mb = mailbox_read();
	ck_assert_uint_eq(count_uid(&mb, uid), 1);
	check_ics(mail_for(&mb, uid, 0), "REQUEST", uid, 1, starts_epoch(a), "CONFIRMED");
	ck_assert_str_eq(mail_for(&mb, uid, 0)->subject, "Your appointment with Dra. Test Uno has changed");
	mailbox_free(&mb);
	free(uid);
}
END_TEST

/* (b) a reminder due within a few seconds: nothing before, exactly one
 * after. */
START_TEST(test_reminder_once)
{
	long long a = appointment(21, 1), ev;
	char *uid = uid_of(a);
	struct mailbox mb;
	const struct mail *m;

	baseline();
	ev = reminder(a, 24, 3);
	it_sleep_ms(1500);
	ck_assert_uint_eq(mails_for(uid), 0);
	ck_assert_int_eq(wait_status(ev, "done", 20), 0);
	ck_assert_int_eq(wait_mails(uid, 1, 10), 0);
	it_sleep_ms(4500);     /* two more sweeps: nothing else arrives */
	mb = mailbox_read();
	ck_assert_uint_eq(count_uid(&mb, uid), 1);
	m = mail_for(&mb, uid, 0);
	check_ics(m, "REQUEST", uid, 0, starts_epoch(a), "CONFIRMED");
	ck_assert_msg(strncmp(m->subject, "Recordatorio: cita con Dra. Test Uno", 36) == 0, "%s", m->subject);
	ck_assert_int_eq(it_sql_int("SELECT attempts FROM outbox.events WHERE id = %lld", ev), 1);
	mailbox_free(&mb);
	free(uid);
}
END_TEST

/* (c) cancelled before the reminder is due: the event is done, skipped,
 * and no mail. */
START_TEST(test_reminder_cancelled_before_due)
{
	long long a = appointment(21, 3), ev;
	char *uid = uid_of(a), *why;

	baseline();
	ev = reminder(a, 2, 3);
	cancel(a);
	ck_assert_int_eq(wait_status(ev, "done", 20), 0);
	why = it_sql_line("SELECT last_error FROM outbox.events WHERE id = %lld", ev);
	ck_assert_str_eq(why, "skipped: appointment no longer booked");
	free(why);
	it_sleep_ms(3000);
	ck_assert_uint_eq(mails_for(uid), 0);
	free(uid);
}
END_TEST

/* (d) moved (sequence + 1): the old reminder sends nothing, the new one
 * (new sequence) sends one, for the new time. */
START_TEST(test_reminder_moved)
{
	long long a = appointment(21, 5), old_ev, new_ev;
	char *uid = uid_of(a), *why;
	struct mailbox mb;

	baseline();
	old_ev = reminder(a, 24, 3);
	move(a, 2);
	new_ev = reminder(a, 24, 3);
	ck_assert_int_ne(new_ev, 0);
	ck_assert_int_ne(new_ev, old_ev);
	ck_assert_int_eq(wait_status(old_ev, "done", 20), 0);
	ck_assert_int_eq(wait_status(new_ev, "done", 20), 0);
	why = it_sql_line("SELECT last_error FROM outbox.events WHERE id = %lld", old_ev);
	ck_assert_str_eq(why, "skipped: appointment changed since");
	free(why);
	ck_assert_int_eq(wait_mails(uid, 1, 10), 0);
	it_sleep_ms(3000);
	mb = mailbox_read();
	ck_assert_uint_eq(count_uid(&mb, uid), 1);
	check_ics(mail_for(&mb, uid, 0), "REQUEST", uid, 1, starts_epoch(a), "CONFIRMED");
	mailbox_free(&mb);
	free(uid);
}
END_TEST

/* (e) the notifier stopped before the reminder is due and started after:
 * exactly one; and stopped/started while it is due. */
START_TEST(test_reminder_restart_around_due)
{
	long long a = appointment(22, 1), b = appointment(22, 3), ev_a, ev_b;
	char *uid_a = uid_of(a), *uid_b = uid_of(b);

	baseline();
	ev_a = reminder(a, 24, 2.5);
	it_sleep_ms(1000);
	ck_assert_int_eq(it_harness("notifier-stop"), 0);      /* before due */
	it_sleep_ms(3000);                                     /* due passes */
	ck_assert_uint_eq(mails_for(uid_a), 0);
	ck_assert_int_eq(it_harness("notifier-start"), 0);     /* after due */
	ck_assert_int_eq(wait_status(ev_a, "done", 20), 0);
	ck_assert_int_eq(wait_mails(uid_a, 1, 10), 0);

	/* restarted right at the due time, twice */
	ev_b = reminder(b, 2, 2);
	it_sleep_ms(1900);
	ck_assert_int_eq(it_harness("notifier-stop"), 0);
	ck_assert_int_eq(it_harness("notifier-start"), 0);
	it_sleep_ms(200);
	ck_assert_int_eq(it_harness("notifier-stop"), 0);
	ck_assert_int_eq(it_harness("notifier-start"), 0);
	ck_assert_int_eq(wait_status(ev_b, "done", 20), 0);
	ck_assert_int_eq(wait_mails(uid_b, 1, 10), 0);
	it_sleep_ms(4500);
	ck_assert_uint_eq(mails_for(uid_a), 1);
	ck_assert_uint_eq(mails_for(uid_b), 1);
	free(uid_a);
	free(uid_b);
}
END_TEST

/* (e) two notifiers, several reminders due at the same moment: one mail
 * each. */
START_TEST(test_reminder_two_notifiers)
{
	enum { N = 6 };
	long long appt[N], ev[N];
	char *uid[N];

	baseline();
	start_second();
	for (int i = 0; i < N; i++) {
		appt[i] = appointment(23, 1 + 2 * i);
		uid[i] = uid_of(appt[i]);
		ev[i] = reminder(appt[i], 24, 2);
	}
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(wait_status(ev[i], "done", 20), 0);
	it_sleep_ms(4500);
	for (int i = 0; i < N; i++) {
		ck_assert_uint_eq(mails_for(uid[i]), 1);
		ck_assert_int_eq(it_sql_int("SELECT attempts FROM outbox.events WHERE id = %lld", ev[i]), 1);
		free(uid[i]);
	}
	stop_own();
}
END_TEST

/* (f) the same reminder emitted twice: one row (dedup_key), one mail. */
START_TEST(test_reminder_emitted_twice)
{
	long long a = appointment(24, 1), ev, again;
	char *uid = uid_of(a);

	baseline();
	ev = reminder(a, 24, 2);
	again = reminder(a, 24, 2);
	ck_assert_int_ne(ev, 0);
	ck_assert_int_eq(again, 0);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM outbox.events WHERE dedup_key = 'reminder:%lld:0:24'", a), 1);
	ck_assert_int_eq(wait_status(ev, "done", 20), 0);
	/* and once more after it was sent */
	ck_assert_int_eq(reminder(a, 24, 0), 0);
	ck_assert_int_eq(wait_mails(uid, 1, 10), 0);
	it_sleep_ms(4500);
	ck_assert_uint_eq(mails_for(uid), 1);
	free(uid);
}
END_TEST

/* A reminder whose appointment already started (the notifier was down
 * for long): skipped. */
START_TEST(test_reminder_after_start_skipped)
{
	long long a = appointment(24, 3), ev;
	char *uid = uid_of(a), *why;

	baseline();
	free(it_sql_line("UPDATE appt.appointments SET starts_at = now() - interval '10 minutes', "
	                 "ends_at = now() + interval '20 minutes' WHERE id = %lld RETURNING id", a));
	ev = reminder(a, 2, -1);
	ck_assert_int_eq(wait_status(ev, "done", 20), 0);
	why = it_sql_line("SELECT last_error FROM outbox.events WHERE id = %lld", ev);
	ck_assert_str_eq(why, "skipped: appointment already started");
	free(why);
	ck_assert_uint_eq(mails_for(uid), 0);
	free(uid);
}
END_TEST

static Suite *
reminders_suite(void)
{
	Suite *s = suite_create("reminders");
	TCase *tc = tcase_create("notifier");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_notify_booked_then_cancelled);
	tcase_add_test(tc, test_notify_stale_and_invalid);
	tcase_add_test(tc, test_reminder_once);
	tcase_add_test(tc, test_reminder_cancelled_before_due);
	tcase_add_test(tc, test_reminder_moved);
	tcase_add_test(tc, test_reminder_restart_around_due);
	tcase_add_test(tc, test_reminder_two_notifiers);
	tcase_add_test(tc, test_reminder_emitted_twice);
	tcase_add_test(tc, test_reminder_after_start_skipped);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(reminders_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	http_client_cleanup();
	return failed ? 1 : 0;
}
