/* medsys-notifier: drains outbox.events into e-mail (SMTP) and in-app
 * notices; the contract of each event type is in docs/events.md. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "core/daemon.h"
#include "core/db.h"
#include "core/file.h"
#include "core/log.h"
#include "core/view.h"
#include "appointments.h"
#include "chat.h"
#include "lab.h"
#include "rx.h"
#include "mailmsg.h"
#include "smtp.h"

#define CHANNEL "medsys_events"
#define BATCH 20                  /* events claimed at once */
#define SMTP_CONNECT_TIMEOUT 10   /* seconds */
#define SMTP_TIMEOUT 30           /* seconds per message */
/* A claim is a lease of this many seconds (docs/events.md): a notifier
 * that dies leaves its claimed events to others once it ends. */
#define LEASE 120
/* No new event of a batch is started after this many seconds, so that
 * even a last slow one ends inside the lease; the rest are released. */
#define BATCH_BUDGET (LEASE - SMTP_TIMEOUT - SMTP_CONNECT_TIMEOUT - 20)
#define BACKOFF_MAX 30            /* seconds between reconnection attempts */
#define RETRY_DELAY_MAX (24 * 3600)
#define MIN_WAIT_MS 100

static volatile sig_atomic_t got_term, got_hup;

enum ev_state {
	EV_CLAIMED = 0,   /* leased, not started: release without counting */
	EV_ATTEMPTED,     /* tried, outcome not recorded: release, counted */
	EV_DELIVERED,     /* mail accepted by the server, done not recorded */
	EV_SETTLED,       /* its outcome is in the table */
	EV__MAX
};

struct event {
	char id[24];
	char type[64];
	int attempts;               /* this attempt's number (1 = first) */
	char lease[64];             /* the due_at our claim set, as text */
	char to[256];
	char lang[8];
	char template[64];
	char created_us[24];
	int overlong;               /* a field did not fit: the event is bad */
	enum ev_state state;
};

static struct {
	struct config cfg;
	const char *config_path;
	char from_addr[256];        /* envelope sender, from mail_from */
	struct event batch[BATCH];  /* the current claim */
	size_t nbatch;
} nt;

/* ------------------------------------------------------------ helpers */

static void
on_term(int sig)
{
	(void)sig;
	got_term = 1;
}

static void
on_hup(int sig)
{
	(void)sig;
	got_hup = 1;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep up to seconds, waking early for a signal. */
static void
pause_s(int seconds)
{
	for (int i = 0; i < seconds && !got_term && !got_hup; i++) {
		struct timespec ts = { 1, 0 };
		nanosleep(&ts, NULL);
	}
}

/* Copy a column into a fixed field; 0 when it did not fit. */
static int
copy_field(char *dst, size_t len, const char *src)
{
	return (size_t)snprintf(dst, len, "%s", src) < len;
}

/* ------------------------------------------------------------ outcomes */

/* Record a final or retry outcome of ev; -1 when the database is gone
 * (ev keeps its state for settle_batch). */
static int
record_done(struct event *ev)
{
	const char *p[1] = { ev->id };

	if (db_run("notifier_done", 1, p) == DB_UNAVAILABLE)
		return -1;
	ev->state = EV_SETTLED;
	return 0;
}

static int
record_dead(struct event *ev, const char *why)
{
	const char *p[2] = { ev->id, why };

	ev->state = EV_ATTEMPTED;
	if (db_run("notifier_dead", 2, p) == DB_UNAVAILABLE)
		return -1;
	ev->state = EV_SETTLED;
	log_msg("warning", "event %s %s: dead after attempt %d (%s)", ev->id, ev->type,
	        ev->attempts, why);
	return 0;
}

/* A temporary failure: retry after retry_base * 2^(attempt-1) seconds,
 * or dead once notify_max_attempts attempts were made. */
static int
record_failure(struct event *ev, const char *why)
{
	char delay[24];
	const char *p[3] = { ev->id, delay, why };
	long d = nt.cfg.notify_retry_base;

	if (ev->attempts >= nt.cfg.notify_max_attempts)
		return record_dead(ev, why);
	for (int i = 1; i < ev->attempts && d < RETRY_DELAY_MAX; i++)
		d *= 2;
	if (d > RETRY_DELAY_MAX)
		d = RETRY_DELAY_MAX;
	snprintf(delay, sizeof(delay), "%ld", d);
	ev->state = EV_ATTEMPTED;
	if (db_run("notifier_retry", 3, p) == DB_UNAVAILABLE)
		return -1;
	ev->state = EV_SETTLED;
	log_msg("info", "event %s %s: attempt %d failed (%s); retry in %ld s", ev->id,
	        ev->type, ev->attempts, why, d);
	return 0;
}

/* Put every unsettled event of the batch back: delivered ones are marked
 * done (never sent twice by us), the others released while our lease
 * holds. 0, or -1 when the database is gone (the rest stay for later). */
static int
settle_batch(void)
{
	for (size_t i = 0; i < nt.nbatch; i++) {
		struct event *ev = &nt.batch[i];
		const char *p[3] = { ev->id, ev->lease, ev->state == EV_CLAIMED ? "1" : "0" };

		switch (ev->state) {
		case EV_DELIVERED:
			if (record_done(ev) == -1)
				return -1;
			log_msg("info", "event %s %s: delivery recorded after a reconnection", ev->id, ev->type);
			break;
		case EV_CLAIMED:
		case EV_ATTEMPTED:
			if (db_run("notifier_release", 3, p) == DB_UNAVAILABLE)
				return -1;
			ev->state = EV_SETTLED;
			break;
		default:
			break;
		}
	}
	nt.nbatch = 0;
	return 0;
}

/* ------------------------------------------------------------ event types */

static int
valid_template_name(const char *t)
{
	size_t n = strlen(t);

	if (n == 0 || n > 40)
		return 0;
	for (; *t; t++)
		if (!((*t >= 'a' && *t <= 'z') || *t == '_'))
			return 0;
	return 1;
}

/* Hand a built message (malloc'd; wiped and freed here) to the SMTP
 * server and record the outcome. */
static int
deliver(struct event *ev, const char *to, char *msg, size_t len)
{
	struct smtp_server srv;
	enum smtp_status ss;
	char why[200];
	int rc;

	srv.url = nt.cfg.smtp_url;
	srv.starttls = nt.cfg.smtp_starttls;
	srv.user = nt.cfg.smtp_user;
	srv.password = nt.cfg.smtp_password;
	srv.connect_timeout = SMTP_CONNECT_TIMEOUT;
	srv.timeout = SMTP_TIMEOUT;
	ev->state = EV_ATTEMPTED;
	ss = smtp_send(&srv, nt.from_addr, to, msg, len, why, sizeof(why));
	explicit_bzero(msg, len);
	free(msg);
	switch (ss) {
	case SMTP_OK:
		ev->state = EV_DELIVERED;
		if ((rc = record_done(ev)) == 0)
			log_msg("info", "event %s %s: delivered (attempt %d)", ev->id, ev->type, ev->attempts);
		return rc;
	case SMTP_PERMANENT:
		return record_dead(ev, why);
	default:
		return record_failure(ev, why);
	}
}

/* Build the text message of template tmpl (mail.<tmpl>.subject and
 * .body) in lang for to, with params. 1 with *msg and *len (malloc'd)
 * when built; otherwise the event's outcome is recorded (dead, or retried)
 * and that record's result (0, or -1 when the database is gone) is
 * returned for the caller to return. */
static int
build_template(struct event *ev, const char *to, const char *lang, const char *tmpl,
               const struct mailmsg_param *params, size_t n, char **msg, size_t *len)
{
	struct mailmsg m;
	enum mailmsg_status ms;
	char key[128], msgid[80];

	if (!mailmsg_addr_valid(to))
		return record_dead(ev, mailmsg_status_text(MAILMSG_BAD_ADDRESS));
	if (strcmp(lang, "es") != 0 && strcmp(lang, "en") != 0)
		lang = nt.cfg.default_language;
	memset(&m, 0, sizeof(m));
	snprintf(key, sizeof(key), "mail.%s.subject", tmpl);
	m.subject = view_string(lang, key);
	snprintf(key, sizeof(key), "mail.%s.body", tmpl);
	m.body = view_string(lang, key);
	/* Strings missing: most likely code newer than the installed
	 * language files; retried, dead after notify_max_attempts. */
	if (*m.subject == '\0' || *m.body == '\0')
		return record_failure(ev, "unknown mail template");
	m.from = nt.cfg.mail_from;
	m.to = to;
	m.params = params;
	m.nparams = n;
	m.base_url = nt.cfg.base_url;
	m.date = (long long)time(NULL);
	/* Stable across retries: a receiver may drop a repeated delivery. */
	snprintf(msgid, sizeof(msgid), "medsys.%s.%s", ev->id, ev->created_us);
	m.message_id = msgid;
	ms = mailmsg_build(&m, msg, len);
	if (ms == MAILMSG_NOMEM)
		return record_failure(ev, mailmsg_status_text(ms));
	if (ms != MAILMSG_OK)
		return record_dead(ev, mailmsg_status_text(ms));
	return 1;
}

/* 1 for 1 to 6 ASCII digits: a count of minutes worth putting in words. */
static int
is_small_count(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && n <= 6 && s[n] == '\0';
}

/* mail.send: build the message, hand it to the SMTP server, record. */
static int
perform_mail(struct event *ev)
{
	struct db_result *res = NULL;
	struct mailmsg_param params[32];
	enum db_status st;
	const char *p[1] = { ev->id };
	char duration[64];
	char *msg = NULL;
	size_t len = 0, n;
	int rc;

	if (ev->overlong)
		return record_dead(ev, "invalid payload");
	if (!valid_template_name(ev->template))
		return record_dead(ev, "invalid mail template name");
	if ((st = db_query(&res, "notifier_params", 1, p)) != DB_OK)
		return st == DB_UNAVAILABLE ? -1 : record_failure(ev, "cannot read the parameters");
	n = db_rows(res);
	if (n > sizeof(params) / sizeof(params[0])) {
		db_result_free(res);
		return record_dead(ev, "too many parameters");
	}
	for (size_t i = 0; i < n; i++) {
		params[i].name = db_value(res, i, 0);
		params[i].value = db_value(res, i, 1);
		/* A link's validity in the reader's words: "24 horas". */
		if (strcmp(params[i].name, "minutes") == 0 && is_small_count(params[i].value)) {
			view_duration(ev->lang, atol(params[i].value), duration, sizeof(duration));
			params[i].value = duration;
		}
	}
	rc = build_template(ev, ev->to, ev->lang, ev->template, params, n, &msg, &len);
	db_result_free(res);    /* the secret link lives on only inside msg */
	if (rc != 1)
		return rc;
	return deliver(ev, ev->to, msg, len);
}

/* An event with nothing left to do: done without mail, why in
 * last_error. -1 when the database is gone. */
static int
settle_skipped(struct event *ev, const char *why)
{
	const char *p[2] = { ev->id, why };

	if (db_run("notifier_skip", 2, p) == DB_UNAVAILABLE)
		return -1;
	ev->state = EV_SETTLED;
	log_msg("info", "event %s %s: %s", ev->id, ev->type, why);
	return 0;
}

/* Columns of notifier_break_glass. */
enum { BG_EMAIL, BG_LANG, BG_NAME, BG_DOCTOR, BG_UNTIL, BG_DISABLED };

/* break_glass.notify: the patient's mail about a doctor's emergency access
 * (template break_glass), from the grant as it is now; never the reason. */
static int
perform_break_glass(struct event *ev)
{
	const char *p[2] = { ev->id, nt.cfg.clinic_timezone };
	struct mailmsg_param params[4];
	char until[128];
	struct db_result *res = NULL;
	enum db_status st;
	char to[256], *msg = NULL;
	size_t len = 0;
	int rc;

	if ((st = db_query(&res, "notifier_break_glass", 2, p)) != DB_OK)
		return st == DB_UNAVAILABLE ? -1 : record_failure(ev, "cannot read the grant");
	if (db_rows(res) != 1) {
		db_result_free(res);
		return record_dead(ev, "no such grant");
	}
	if (strcmp(db_value(res, 0, BG_DISABLED), "t") == 0) {
		db_result_free(res);
		return settle_skipped(ev, "skipped: the patient's account is disabled");
	}
	snprintf(to, sizeof(to), "%s", db_value(res, 0, BG_EMAIL));
	params[0] = (struct mailmsg_param){ "name", db_value(res, 0, BG_NAME) };
	params[1] = (struct mailmsg_param){ "doctor", db_value(res, 0, BG_DOCTOR) };
	view_when(db_value(res, 0, BG_LANG), db_value(res, 0, BG_UNTIL), until, sizeof(until));
	params[2] = (struct mailmsg_param){ "until", until };
	params[3] = (struct mailmsg_param){ "link_path", "/record/access" };
	rc = build_template(ev, to, db_value(res, 0, BG_LANG), "break_glass", params, 4, &msg, &len);
	db_result_free(res);
	if (rc != 1)
		return rc;
	return deliver(ev, to, msg, len);
}

/* appointment.notify / .reminder (appointments.c decides from the visit as
 * it is now): a mail with invite.ics, or skipped, dead or retried. */
static int
perform_appointment(struct event *ev)
{
	struct appt_mail am;
	char msgid[80];

	if (ev->overlong)
		return record_dead(ev, "invalid payload");
	snprintf(msgid, sizeof(msgid), "medsys.%s.%s", ev->id, ev->created_us);
	switch (appt_prepare(ev->id, ev->type, msgid, &nt.cfg, &am)) {
	case APPT_SEND:
		return deliver(ev, am.to, am.msg, am.len);
	case APPT_SKIP:
		return settle_skipped(ev, am.why);
	case APPT_DEAD:
		return record_dead(ev, am.why);
	case APPT_RETRY:
		return record_failure(ev, am.why);
	default:
		return -1;
	}
}

/* rx.notify, lab.* and chat.mail: the module (rx.c, lab.c, chat.c) decided and filled pm
 * (who, a link; nothing clinical); this sends or records that decision. */
static int
perform_prepared(struct event *ev, enum prep_outcome o, const struct prepared_mail *pm)
{
	char *msg = NULL;
	size_t len = 0;
	int rc;

	switch (o) {
	case PREP_SEND:
		break;
	case PREP_SKIP:
		return settle_skipped(ev, pm->why);
	case PREP_DEAD:
		return record_dead(ev, pm->why);
	case PREP_RETRY:
		return record_failure(ev, pm->why);
	default:
		return -1;
	}
	const struct mailmsg_param params[] = {
		{ "name", pm->name }, { "doctor", pm->doctor }, { "link_path", pm->link } };
	if ((rc = build_template(ev, pm->to, pm->lang, pm->tmpl, params, 3, &msg, &len)) != 1)
		return rc;
	return deliver(ev, pm->to, msg, len);
}

/* notice.create: the notice and the event's done mark in one
 * transaction; event_id is unique, so a repeat inserts nothing. */
static int
perform_notice(struct event *ev)
{
	const char *p[1] = { ev->id };
	enum db_status st;

	if ((st = db_begin()) != DB_OK)
		return st == DB_UNAVAILABLE ? -1 : record_failure(ev, "cannot begin a transaction");
	st = db_run("notifier_notice", 1, p);
	if (st == DB_OK)
		st = db_run("notifier_done", 1, p);
	if (st == DB_OK)
		st = db_commit();
	if (st == DB_OK) {
		ev->state = EV_SETTLED;
		log_msg("info", "event %s %s: notice created", ev->id, ev->type);
		return 0;
	}
	db_rollback();
	if (st == DB_UNAVAILABLE)
		return -1;
	return record_dead(ev, "invalid notice payload");
}

static int
perform(struct event *ev)
{
	struct prepared_mail pm;

	if (strcmp(ev->type, "mail.send") == 0)
		return perform_mail(ev);
	if (strcmp(ev->type, "notice.create") == 0)
		return perform_notice(ev);
	if (appt_event_type(ev->type))
		return perform_appointment(ev);
	if (strcmp(ev->type, "break_glass.notify") == 0)
		return perform_break_glass(ev);
	if (strcmp(ev->type, "rx.notify") == 0)
		return perform_prepared(ev, rx_prepare(ev->id, &pm), &pm);
	if (lab_event_type(ev->type))
		return perform_prepared(ev, lab_prepare(ev->id, &nt.cfg, &pm), &pm);
	if (strcmp(ev->type, "chat.mail") == 0)
		return perform_prepared(ev, chat_prepare(ev->id, &pm), &pm);
	return record_dead(ev, "unknown event type");
}

/* ------------------------------------------------------------ the loop */

/* Claim and perform due events, batch after batch, until none is due.
 * 0, or -1 when the database went away (unsettled events stay in
 * nt.batch for settle_batch). */
static int
process_due(void)
{
	char limit[16], lease[16];
	const char *p[2] = { limit, lease };

	snprintf(limit, sizeof(limit), "%d", BATCH);
	snprintf(lease, sizeof(lease), "%d", LEASE);
	while (!got_term) {
		struct db_result *res;
		enum db_status st = db_query(&res, "notifier_claim", 2, p);
		size_t rows;
		double started = now_s();
		int failed = 0;

		if (st != DB_OK)
			return -1;
		rows = db_rows(res);
		nt.nbatch = 0;
		for (size_t i = 0; i < rows && i < BATCH; i++) {
			struct event *ev = &nt.batch[nt.nbatch++];
			memset(ev, 0, sizeof(*ev));
			copy_field(ev->id, sizeof(ev->id), db_value(res, i, 0));
			ev->overlong = !copy_field(ev->type, sizeof(ev->type), db_value(res, i, 1));
			ev->attempts = atoi(db_value(res, i, 2));
			copy_field(ev->lease, sizeof(ev->lease), db_value(res, i, 3));
			ev->overlong |= !copy_field(ev->to, sizeof(ev->to), db_value(res, i, 4));
			ev->overlong |= !copy_field(ev->lang, sizeof(ev->lang), db_value(res, i, 5));
			ev->overlong |= !copy_field(ev->template, sizeof(ev->template), db_value(res, i, 6));
			copy_field(ev->created_us, sizeof(ev->created_us), db_value(res, i, 7));
			ev->state = EV_CLAIMED;
		}
		db_result_free(res);
		for (size_t i = 0; i < nt.nbatch; i++) {
			/* SIGTERM: finish the current event only. Past the budget:
			 * leave the rest to a new claim, inside our lease. */
			if (got_term || now_s() - started > BATCH_BUDGET)
				break;
			if (perform(&nt.batch[i]) == -1) {
				failed = 1;
				break;
			}
		}
		smtp_close();
		if (failed || settle_batch() == -1)
			return -1;
		if (rows < BATCH)
			break;
	}
	return 0;
}

/* Milliseconds to wait for a notification: the sweep interval, or less
 * when a retry falls due sooner. */
static int
wait_budget_ms(void)
{
	struct db_result *res;
	long long sweep = (long long)nt.cfg.notify_sweep * 1000, ms = sweep;

	if (db_query(&res, "notifier_next_due", 0, NULL) == DB_OK && db_rows(res) == 1 &&
	    !db_is_null(res, 0, 0)) {
		ms = atoll(db_value(res, 0, 0)) + 5;
		if (ms < MIN_WAIT_MS)
			ms = MIN_WAIT_MS;
		if (ms > sweep)
			ms = sweep;
	}
	db_result_free(res);
	return (int)ms;
}

/* Wait up to ms for a notification, in slices so that a signal is acted
 * on within a second. 1 notified or signalled, 0 timed out, -1 the
 * connection broke. */
static int
wait_for_events(int ms)
{
	double end = now_s() + ms / 1000.0;

	while (!got_term && !got_hup) {
		double left = end - now_s();
		int slice, r;

		if (left <= 0)
			return 0;
		slice = left > 1.0 ? 1000 : (int)(left * 1000) + 1;
		if ((r = db_wait_notify(slice)) != 0)
			return r;
	}
	return 1;
}

static void
identify(void)
{
	char name[64];
	const char *p[1] = { name };

	snprintf(name, sizeof(name), "medsys-notifier %ld", (long)getpid());
	db_run("notifier_identify", 1, p);
}

/* ------------------------------------------------------------ set-up */

/* Everything that depends on the configuration: mail_from, the language
 * strings, the queries. -1 with a message in err. */
static int
start(const struct config *cfg, char *err, size_t errlen)
{
	char dir[700];

	if (mailmsg_from_address(cfg->mail_from, nt.from_addr, sizeof(nt.from_addr)) != MAILMSG_OK) {
		snprintf(err, errlen, "mail_from is not a valid address (\"Name <addr>\" or \"addr\")");
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s/templates", cfg->datadir);
	if (view_init(dir, err, errlen) == -1)
		return -1;
	snprintf(dir, sizeof(dir), "%s/sql/queries", cfg->datadir);
	if (db_init(cfg->db, cfg->clinic_timezone, dir, cfg->db_connect_timeout, err, errlen) == -1)
		return -1;
	db_listen(CHANNEL);     /* LISTENed on every connection the loop makes */
	return 0;
}

static void
stop(void)
{
	smtp_close();
	view_shutdown();
	db_shutdown();
}

/* SIGHUP: the new configuration, or the old one kept when it is bad. */
static void
reload(void)
{
	struct config fresh;
	char err[512], addr[256];

	if (config_load(&fresh, nt.config_path, err, sizeof(err)) == -1) {
		log_msg("error", "reload failed, keeping the old configuration: %s", err);
		return;
	}
	if (mailmsg_from_address(fresh.mail_from, addr, sizeof(addr)) != MAILMSG_OK) {
		log_msg("error", "reload failed, keeping the old configuration: mail_from is not a valid address");
		return;
	}
	stop();
	if (start(&fresh, err, sizeof(err)) == -1) {
		log_msg("error", "reload failed (%s); back to the old configuration", err);
		stop();
		if (start(&nt.cfg, err, sizeof(err)) == -1) {
			log_msg("error", "cannot restore the old configuration: %s", err);
			got_term = 1;
		}
		return;
	}
	nt.cfg = fresh;
	log_msg("info", "configuration reloaded");
}

/* The main loop; returns the exit status. */
static int
run(int once)
{
	int backoff = 0, lost = 0, failures = 0, rc = 0;

	while (!got_term) {
		if (got_hup) {
			got_hup = 0;
			if (nt.config_path)
				reload();
			continue;
		}
		if (db_ensure() != DB_OK) {
			if (once) {
				log_msg("error", "database unavailable");
				rc = 1;
				break;
			}
			backoff = backoff ? (backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX : backoff * 2) : 1;
			log_msg("warning", "database unavailable; reconnecting in %d s", backoff);
			pause_s(backoff);
			continue;
		}
		if (lost || backoff) {
			log_msg("info", "database reconnected; listening on %s again", CHANNEL);
			lost = 0;
			backoff = 0;
		}
		identify();
		/* Safe start: LISTEN is committed (db.c issues it outside any
		 * transaction on every connect), then the table is scanned. */
		if (settle_batch() == -1 || process_due() == -1) {
			if (once) {
				rc = 1;
				break;
			}
			log_msg("warning", "database connection lost while processing; reconnecting");
			lost = 1;
			/* The first time reconnect at once; if it keeps failing on
			 * a live connection (a broken statement), slow down. */
			if (++failures > 1)
				pause_s(failures > 6 ? BACKOFF_MAX : 1 << (failures - 2));
			continue;
		}
		failures = 0;
		if (once)
			break;
		if (wait_for_events(wait_budget_ms()) == -1) {
			log_msg("warning", "database connection lost; reconnecting");
			lost = 1;
		}
	}
	/* Events claimed but not started go back at once (best effort). */
	if (nt.nbatch && settle_batch() == -1)
		log_msg("warning", "%zu claimed events stay leased until their lease ends", nt.nbatch);
	return rc;
}

int
main(int argc, char **argv)
{
	static struct daemon_args args;   /* nt.config_path points into it */
	char err[512];
	const char *pidfile;
	struct sigaction sa;
	int once, rc;

	if ((rc = daemon_args_parse("medsys-notifier", "process every due event, then exit", argc, argv,
	                            &args, &nt.cfg)) != -1)
		return rc;
	nt.config_path = args.config_path;
	pidfile = args.pidfile;
	once = args.once;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_term;    /* no SA_RESTART: a wait returns at once */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;    /* a closed SMTP connection is an error, not a death */
	sigaction(SIGPIPE, &sa, NULL);

	if (smtp_global_init() == -1) {
		fprintf(stderr, "medsys-notifier: cannot initialise libcurl\n");
		return 2;
	}
	if (start(&nt.cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "medsys-notifier: %s\n", err);
		stop();
		smtp_global_cleanup();
		return 2;
	}
	if (pidfile && file_write_pid(pidfile) == -1) {
		fprintf(stderr, "medsys-notifier: cannot write %s\n", pidfile);
		stop();
		smtp_global_cleanup();
		return 2;
	}
	log_msg("info", "medsys-notifier started%s", once ? " (--once)" : "");
	rc = run(once);
	log_msg("info", "medsys-notifier stopping");
	stop();
	smtp_global_cleanup();
	if (pidfile)
		unlink(pidfile);
	return rc;
}
