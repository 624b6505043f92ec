/* test_readpath: the signed-in read path through nginx against a real
 * stack: what each worker caches follows the database at once (NOTIFY),
 * the header's unread count comes with the session, a worker gives back
 * the memory of a password hash, and reads of clinical data leave their
 * audit rows (one per patient shown) or show nothing. Run by
 * tests/integration/readpath.stack. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "http_client.h"

/* More requests than workers, so that every worker answers some. */
#define EVERY_WORKER 24

/* GET path anonymously EVERY_WORKER times; each answer must have needle. */
static void
every_worker_shows(const char *path, const char *needle, const char *what)
{
	for (int i = 0; i < EVERY_WORKER; i++) {
		struct http_response r = { 0 };
		ck_assert_int_eq(http_get(path, NULL, &r), 0);
		it_assert_status(&r, 200, what);
		it_assert_has(&r, needle, what);
		http_response_free(&r);
	}
}

START_TEST(test_home_follows_clinic_changes)
{
	/* Warm every worker's copy first. */
	every_worker_shows("/", "Dra. Test Uno", "home before the change");
	it_sql("UPDATE clinic.settings SET name = 'Clinica Marcador Nueve' WHERE id = 1");
	/* A worker reads the notification at the start of its next request;
	 * it is delivered at commit, a moment before that request. */
	it_sleep_ms(200);
	every_worker_shows("/", "Clinica Marcador Nueve", "home after renaming the clinic");
	it_sql("INSERT INTO clinic.doctors (display_name, licence_number, active)"
	       " VALUES ('Dr. Marcador Nuevo', '99-99-00001', true)");
	it_sleep_ms(200);
	every_worker_shows("/", "Dr. Marcador Nuevo", "home after adding a doctor");
	it_sql("UPDATE clinic.doctors SET active = false WHERE licence_number = '99-99-00001'");
	it_sleep_ms(200);
	for (int i = 0; i < EVERY_WORKER; i++) {
		struct http_response r = { 0 };
		ck_assert_int_eq(http_get("/", NULL, &r), 0);
		it_assert_lacks(&r, "Dr. Marcador Nuevo", "home after the doctor left");
		http_response_free(&r);
	}
}
END_TEST

/* After a restart of PostgreSQL the workers reconnect; notifications sent
 * meanwhile are lost, so whatever they cached is read again. */
START_TEST(test_home_after_database_restart)
{
	every_worker_shows("/", "Dra. Test Uno", "home before the restart");
	ck_assert_int_eq(it_harness("pg-stop"), 0);
	ck_assert_int_eq(it_harness("pg-start"), 0);
	it_sql("UPDATE clinic.settings SET name = 'Clinica Tras Reinicio' WHERE id = 1");
	it_sleep_ms(1200);   /* workers retry a connection at most once a second */
	for (int i = 0, seen = 0; i < 3 * EVERY_WORKER && seen < EVERY_WORKER; i++) {
		struct http_response r = { 0 };
		ck_assert_int_eq(http_get("/", NULL, &r), 0);
		if (r.status == 200) {
			it_assert_has(&r, "Clinica Tras Reinicio", "home after the restart");
			seen++;
		} else {
			it_assert_status(&r, 503, "home while reconnecting");
			it_sleep_ms(200);
		}
		http_response_free(&r);
	}
}
END_TEST

/* The number in the header of a signed-in page. */
static long long
header_unread(struct it_jar *j)
{
	struct http_response r = { 0 };
	const char *b;
	long long n = 0;

	ck_assert_int_eq(it_jar_get(j, "/appointments", &r), 200);
	if ((b = strstr(r.body, "class=\"badge\">")) != NULL)
		n = atoll(b + strlen("class=\"badge\">"));
	http_response_free(&r);
	return n;
}

START_TEST(test_header_counts_unread_notices)
{
	struct it_jar j = { 0 };
	long long before;

	it_sign_in(&j, P1_EMAIL, P1_PASS, NULL);
	before = header_unread(&j);
	it_sql("INSERT INTO outbox.notices (user_id, kind, params)"
	       " SELECT id, 'password_changed', '{}'::jsonb FROM auth.users WHERE email = '%s'",
	       P1_EMAIL);
	ck_assert_int_eq(header_unread(&j), before + 1);
	it_sql("UPDATE outbox.notices SET read_at = now()"
	       " WHERE user_id = (SELECT id FROM auth.users WHERE email = '%s')", P1_EMAIL);
	ck_assert_int_eq(header_unread(&j), 0);
}
END_TEST

/* VmRSS in kB of process pid, or -1; sets *asan when the process runs
 * with AddressSanitizer (whose allocator keeps freed memory). */
static long
rss_kb(long pid, int *asan)
{
	char path[64], *maps, *status, *p;
	long kb = -1;

	snprintf(path, sizeof(path), "/proc/%ld/maps", pid);
	if ((maps = it_slurp(path)) != NULL && strstr(maps, "asan"))
		*asan = 1;
	free(maps);
	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	if ((status = it_slurp(path)) != NULL && (p = strstr(status, "VmRSS:")) != NULL)
		kb = atol(p + 6);
	free(status);
	return kb;
}

/* The medsysd workers: children of the parent in $MEDSYS_PIDFILE. */
static size_t
workers(long *pids, size_t max)
{
	long parent = http_medsysd_pid();
	DIR *d = opendir("/proc");
	struct dirent *e;
	size_t n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL && n < max) {
		char path[300], *st, *pp;
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
		if ((st = it_slurp(path)) == NULL)
			continue;
		if ((pp = strstr(st, "PPid:")) != NULL && atol(pp + 5) == parent)
			pids[n++] = atol(e->d_name);
		free(st);
	}
	closedir(d);
	return n;
}

START_TEST(test_workers_give_back_hash_memory)
{
	long pids[64], most = 0, least = -1;
	int asan = 0;
	size_t n;

	/* Each sign-in hashes a password (19 MiB of argon2 memory) in
	 * whichever worker takes it: enough of them to reach every worker. */
	for (int i = 0; i < 8; i++) {
		struct it_jar j = { 0 };
		it_sign_in(&j, i % 2 ? P1_EMAIL : P2_EMAIL, i % 2 ? P1_PASS : P2_PASS, NULL);
	}
	n = workers(pids, 64);
	ck_assert_uint_gt(n, 0);
	for (size_t i = 0; i < n; i++) {
		long kb = rss_kb(pids[i], &asan);
		if (kb > most)
			most = kb;
		if (kb >= 0 && (least < 0 || kb < least))
			least = kb;
	}
	if (asan)
		return;     /* ASan's allocator holds freed blocks in quarantine */
	/* A worker that kept the hash's memory is 19 MiB above the rest. */
	ck_assert_msg(most - least < 10 * 1024,
	              "a worker kept %ld kB more than another after hashing", most - least);
}
END_TEST

/* ------------------------------------------------------- audited reads */

#define AGENDA_DAY "2031-03-11"     /* a Tuesday far from any other test's */

/* A visit of patient email with doctor 1 on AGENDA_DAY at hh:00 local. */
static void
book(const char *email, int hh, const char *reason)
{
	it_sql("INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode, reason)"
	       " SELECT d.id, u.id, t, t + interval '30 minutes', 'in_person', '%s'"
	       "   FROM clinic.doctors d, auth.users u,"
	       "        (SELECT ('" AGENDA_DAY "'::date + make_time(%d, 0, 0)) AT TIME ZONE 'Europe/Madrid' AS t) x"
	       "  WHERE d.user_id = (SELECT id FROM auth.users WHERE email = '" D1_EMAIL "')"
	       "    AND u.email = '%s'", reason, hh, email);
}

/* Audit rows of action by the doctor for this subject (0: none). */
static long long
reads_of(const char *action, long long actor, long long subject)
{
	return it_sql_int("SELECT count(*) FROM audit.events WHERE action = '%s' AND actor_id = %lld"
	                  " AND %s", action, actor,
	                  subject ? it_fmt("subject_id = %lld", subject) : "subject_id IS NULL");
}

START_TEST(test_agenda_names_every_patient_shown)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	long long doc = it_user_id(D1_EMAIL), p1 = it_user_id(P1_EMAIL), p2 = it_user_id(P2_EMAIL);

	book(P1_EMAIL, 9, "Marcador Agenda Uno");
	book(P2_EMAIL, 10, "Marcador Agenda Dos");
	book(P1_EMAIL, 11, "Marcador Agenda Tres");
	it_sign_in(&j, D1_EMAIL, D1_PASS, D1_TOTP);
	ck_assert_int_eq(it_jar_get(&j, "/agenda?day=" AGENDA_DAY, &r), 200);
	it_assert_has(&r, "Marcador Agenda Dos", "the agenda");
	http_response_free(&r);
	/* One row per patient on it, not per visit and not one for the page. */
	ck_assert_int_eq(reads_of("agenda.viewed", doc, p1), 1);
	ck_assert_int_eq(reads_of("agenda.viewed", doc, p2), 1);
	ck_assert_int_eq(reads_of("agenda.viewed", doc, 0), 0);
	/* "Who viewed my record" can now be answered for patient 2. */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE subject_id = %lld"
	                            " AND action = 'agenda.viewed' AND object = 'day:" AGENDA_DAY "'", p2), 1);
	/* An empty day still leaves a row, without subject. */
	ck_assert_int_eq(it_jar_get(&j, "/agenda?day=2031-03-12", &r), 200);
	http_response_free(&r);
	ck_assert_int_eq(reads_of("agenda.viewed", doc, 0), 1);
}
END_TEST

START_TEST(test_patient_reads_are_audited)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	long long p1 = it_user_id(P1_EMAIL), lists;
	char *id;


	book(P1_EMAIL, 12, "Marcador Lista");
	it_sign_in(&j, P1_EMAIL, P1_PASS, NULL);
	lists = reads_of("appointment.list_viewed", p1, p1);
	ck_assert_int_eq(it_jar_get(&j, "/appointments", &r), 200);
	http_response_free(&r);
	ck_assert_int_eq(reads_of("appointment.list_viewed", p1, p1), lists + 1);
	id = it_sql_line("SELECT id FROM appt.appointments WHERE reason = 'Marcador Lista'");
	ck_assert_int_eq(it_jar_get(&j, it_fmt("/appointments/%s", id), &r), 200);
	it_assert_has(&r, "Marcador Lista", "the appointment page");
	http_response_free(&r);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'appointment.viewed'"
	                            " AND actor_id = %lld AND subject_id = %lld AND object = 'appointment:%s'",
	                            p1, p1, id), 1);
	free(id);
}
END_TEST

/* When the audit row cannot be written the page shows nothing of the
 * data: the application's role loses the right to append for a moment. */
START_TEST(test_no_audit_row_no_page)
{
	struct it_jar j = { 0 };
	struct http_response r = { 0 };
	long long doc = it_user_id(D1_EMAIL);
	long long before;

	book(P2_EMAIL, 13, "Marcador Oculto");
	it_sign_in(&j, D1_EMAIL, D1_PASS, D1_TOTP);
	before = it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld", doc);
	it_sql("REVOKE EXECUTE ON FUNCTION audit.append_many(bigint, bigint[], text, text, text, text)"
	       " FROM medsys_app");
	ck_assert_int_eq(it_jar_get(&j, "/agenda?day=" AGENDA_DAY, &r), 500);
	it_assert_lacks(&r, "Marcador Oculto", "the agenda without its audit row");
	http_response_free(&r);
	ck_assert_int_eq(it_jar_get(&j, "/agenda/week?week=" AGENDA_DAY, &r), 500);
	it_assert_lacks(&r, "Marcador Oculto", "the week without its audit row");
	http_response_free(&r);
	it_sql("GRANT EXECUTE ON FUNCTION audit.append_many(bigint, bigint[], text, text, text, text)"
	       " TO medsys_app");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE actor_id = %lld", doc), before);
	ck_assert_int_eq(it_jar_get(&j, "/agenda?day=" AGENDA_DAY, &r), 200);
	it_assert_has(&r, "Marcador Oculto", "the agenda once audit works again");
	http_response_free(&r);
}
END_TEST

int
main(void)
{
	return it_run_suites(it_suite("readpath", 120, test_home_follows_clinic_changes,
	                              test_header_counts_unread_notices, test_workers_give_back_hash_memory,
	                              test_agenda_names_every_patient_shown, test_patient_reads_are_audited,
	                              test_no_audit_row_no_page, test_home_after_database_restart, NULL),
	                     NULL);
}
