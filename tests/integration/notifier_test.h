/* notifier_test: what the medsys-notifier tests share (test_notifier.c
 * defines it, test_notifier_faults.c uses it): outbox events, the SMTP
 * sink's mailbox, and notifiers a test starts itself. */
#ifndef MEDSYS_NOTIFIER_TEST_H
#define MEDSYS_NOTIFIER_TEST_H

#include <stddef.h>
#include <sys/types.h>

#include <check.h>

/* A delivered message: headers and its body, quoted-printable decoded. */
struct nt_mail {
	char *to, *subject, *message_id, *body;   /* body decoded */
};

/* Every message in the SMTP sink's Maildir. */
struct nt_mailbox {
	struct nt_mail *v;
	size_t n;
};

/* The stack's notifier and SMTP sink running again, whatever an earlier
 * test left behind. */
void nt_baseline(void);

/* The pid of the stack's own notifier (its pid file), or -1. */
long nt_stack_notifier_pid(void);

/* A unique tag per test run, so that mails of earlier runs or tests
 * never count. */
const char *nt_tag(void);

/* Insert a mail.send event; its id. */
long long nt_insert_mail(const char *to, const char *lang, const char *token, int secret, int attempts);

/* The status of outbox event id, malloc'd. */
char *nt_status_of(long long id);

/* Poll until n messages to `to` arrived; seconds it took, or -1. */
double nt_wait_mail(const char *to, size_t n, double timeout);

/* Every message in $MEDSYS_MAILDIR/new. */
struct nt_mailbox nt_mailbox_read(void);

/* Release a mailbox and empty it. */
void nt_mailbox_free(struct nt_mailbox *mb);

/* Messages whose To is exactly to. */
size_t nt_count_to(const struct nt_mailbox *mb, const char *to);

/* Messages whose To starts with prefix. */
size_t nt_count_to_prefix(const struct nt_mailbox *mb, const char *prefix);

/* A copy of $MEDSYS_CONF with extra lines appended (later lines win). */
char *nt_config_with(const char *name, const char *extra);

/* The log file of the notifier started as name, malloc'd. */
char *nt_own_log_path(const char *name);

/* Start medsys-notifier with conf (as the medsys user when we are root),
 * its output in log/notifier-NAME.log; extra is "--once" or NULL. */
pid_t nt_start_own(const char *name, const char *conf, const char *extra);

/* Poll until n mail events to addresses starting with prefix are done;
 * the test fails when it_now() passes deadline first. */
void nt_wait_done(const char *prefix, long long n, double deadline);

/* The test fails unless the Maildir holds exactly one mail to each of
 * PREFIX00@example.test ... PREFIX(n-1)@example.test and no other to
 * PREFIX*. */
void nt_assert_one_each(const char *prefix, int n);

/* Kill pid (SIGKILL) when the test program ends, even when a test
 * fails; the test fails when more than four are tracked. */
void nt_track_own(pid_t pid);

/* SIGTERM: it finishes its event and exits 0. */
void nt_stop_own(pid_t pid);

/* Stop tracking pid (it exited) so that nothing kills it at exit. */
void nt_forget_own(pid_t pid);

/* Wait for pid to exit within timeout; its wait status, or -1. */
int nt_wait_exit(pid_t pid, double timeout);

/* The backend pid of notifier pid (it names its connection
 * "medsys-notifier PID"), other than not_this, waiting up to timeout for
 * it; 0 when absent. */
long long nt_backend_of(pid_t pid, double timeout, long long not_this);

/* Occurrences of needle in the file at path (0 when unreadable). */
size_t nt_count_in_file(const char *path, const char *needle);

/* The robustness tests (test_notifier_faults.c): a killed connection, two
 * notifiers, SMTP replies, reload, a database restart, secret-free logs. */
Suite *nt_faults_suite(void);

#endif
