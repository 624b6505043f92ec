/* test_audit_chain: the audit trail's tamper evidence against the real
 * stack (medsys-sealer running, medsysctl audit-verify): rows are sealed
 * within seconds under parallel appends (aborted ones too), a REPEATABLE
 * READ appender raises no false alarm and is never sealed past, the
 * application's role cannot change rows, the triggers refuse even a
 * superuser, and each tampering (a changed row, a deleted row, the newest
 * rows deleted with or without their seals, the chain rewritten inside the
 * database without the key and with a forged key, the seal file
 * truncated) is reported. Each tampering is undone before the next.
 * Last, one sealer per database: a second one waits and takes over, and a
 * seal number the seal file already holds is never written again. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../check_util.h"
#include "http_client.h"
#include "lib/hex.h"
#include "lib/sign.h"

/* Run a shell command (standard error too); its exit status and, with
 * out, everything it printed (malloc'd). */
static int
run_shell(const char *cmd, char **out)
{
	char *full = it_fmt("(%s) 2>&1", cmd), *buf;
	int st = check_run(full, &buf);

	free(full);
	if (out)
		*out = buf;
	else
		free(buf);
	return st;
}

/* run_shell as the service user (when root). */
static int
run_as_service(const char *cmd, char **out)
{
	char *full = geteuid() == 0 ? it_fmt("runuser -u medsys -- %s", cmd) : it_fmt("%s", cmd);
	int st = run_shell(full, out);

	free(full);
	return st;
}

/* medsysctl audit-verify: exit status, output in *out (malloc'd). */
static int
verify(char **out)
{
	char *cmd = it_fmt("%s/medsysctl --config %s audit-verify", it_env("MEDSYS_BUILDDIR"),
	                   it_env("MEDSYS_CONF"));
	int st = run_as_service(cmd, out);

	free(cmd);
	return st;
}

/* audit-verify must report a break whose text has needle. */
static void
assert_break(const char *needle, const char *what)
{
	char *out;
	int st = verify(&out);

	ck_assert_msg(st == 1 && strstr(out, "break: ") && strstr(out, needle),
	              "%s: expected a break with \"%s\", got status %d: %s", what, needle, st, out);
	free(out);
}

static void
assert_intact(const char *what)
{
	char *out;
	int st = verify(&out);

	ck_assert_msg(st == 0 && strstr(out, "verified through row ") && !strstr(out, "break:"),
	              "%s: expected an intact trail, got status %d: %s", what, st, out);
	free(out);
}

/* Wait until every row is sealed (up to timeout seconds). */
static void
wait_sealed(double timeout, const char *what)
{
	ck_assert_msg(it_sql_wait("t", timeout, "SELECT coalesce((SELECT max(last_id) FROM audit.seals), 0)"
	                          " >= coalesce((SELECT max(id) FROM audit.events), 0)") == 0,
	              "%s: rows still unsealed after %.0f s", what, timeout);
}

/* SQL with the audit triggers switched off (a superuser tampering). */
static void
tamper(const char *sql)
{
	it_sql("ALTER TABLE audit.events DISABLE TRIGGER USER; ALTER TABLE audit.seals DISABLE TRIGGER USER;"
	       " ALTER TABLE audit.seal_keys DISABLE TRIGGER USER; %s;"
	       " ALTER TABLE audit.events ENABLE TRIGGER USER; ALTER TABLE audit.seals ENABLE TRIGGER USER;"
	       " ALTER TABLE audit.seal_keys ENABLE TRIGGER USER", sql);
}

/* ------------------------------------------------------------ sealing */

START_TEST(test_sealed_under_parallel_load)
{
	char script[] = "/tmp/medsys-audit-load.XXXXXX";
	char *cmd, *out;
	int fd = mkstemp(script), st;
	const char *body =
		"SELECT audit.append(NULL, NULL, 'auth.load_test', 'load', '192.0.2.9', 'load');\n"
		"BEGIN;\nSELECT audit.append(NULL, NULL, 'auth.load_test', 'rolled back', '', '');\nROLLBACK;\n"
		"SELECT audit.append_many(NULL, ARRAY[NULL, NULL]::bigint[], 'auth.load_test', 'many', '', '');\n";
	double t0;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, body, strlen(body)), (ssize_t)strlen(body));
	close(fd);
	chmod(script, 0644);
	/* 8 clients, as the application's role, 150 rounds each: 3600 rows. */
	cmd = it_fmt("$(ls /usr/lib/postgresql/*/bin/pgbench | tail -n 1) -n -c 8 -j 2 -t 150 -f %s "
	             "-h %s -U medsys_app medsys", script, it_env("MEDSYS_PGHOST"));
	st = run_as_service(cmd, &out);
	ck_assert_msg(st == 0, "pgbench failed: %s", out);
	free(out);
	free(cmd);
	unlink(script);
	t0 = it_now();
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'auth.load_test'"), 3600);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE object = 'rolled back'"), 0);
	wait_sealed(5, "after 3600 parallel appends");
	ck_assert_msg(it_now() - t0 < 5, "sealing took %.1f s", it_now() - t0);
	assert_intact("after parallel appends");
	/* Every row is in exactly one seal. */
	ck_assert_int_eq(it_sql_int("SELECT sum(rows) FROM audit.seals"),
	                 it_sql_int("SELECT count(*) FROM audit.events"));
	/* The seal file holds the same seals. */
	{
		char *file = it_fmt("%s/seals.log", it_env("MEDSYS_SEAL_DIR")), *text = it_slurp(file);
		long lines = 0;
		ck_assert_ptr_nonnull(text);
		for (char *p = text; (p = strchr(p, '\n')); p++)
			lines++;
		ck_assert_int_eq(lines, it_sql_int("SELECT count(*) FROM audit.seals"));
		free(text);
		free(file);
	}
}
END_TEST

START_TEST(test_repeatable_read_appender)
{
	/* In the background (no pipe kept open), as the application's role. */
	char *cmd = it_fmt("%s psql -X -q -h %s -U medsys_app -d medsys -c 'BEGIN ISOLATION LEVEL REPEATABLE READ' "
	                   "-c 'SELECT count(*) FROM audit.events' "
	                   "-c \"SELECT audit.append(NULL, NULL, 'auth.rr_test', 'rr', '', '')\" "
	                   "-c 'SELECT pg_sleep(3)' -c 'COMMIT' >/dev/null 2>&1 &",
	                   geteuid() == 0 ? "runuser -u medsys --" : "", it_env("MEDSYS_PGHOST"));

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	/* Its row is in (uncommitted) once it sleeps. */
	ck_assert_int_eq(it_sql_wait("1", 20, "SELECT count(*) FROM pg_stat_activity"
	                             " WHERE query = 'SELECT pg_sleep(3)'"), 0);
	for (int i = 0; i < 5; i++)
		it_sql("SELECT audit.append(NULL, NULL, 'auth.rr_test', 'after', '', '')");
	/* While the older transaction is open, nothing after its row is
	 * sealed: its id is lower than the rows committed meanwhile. */
	it_sleep_ms(1500);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events e JOIN audit.seals s"
	                            " ON e.id BETWEEN s.first_id AND s.last_id WHERE e.object = 'after'"), 0);
	ck_assert_int_eq(it_sql_wait("1", 10, "SELECT count(*) FROM audit.events WHERE object = 'rr'"), 0);
	wait_sealed(5, "after the REPEATABLE READ transaction committed");
	ck_assert_int_lt(it_sql_int("SELECT id FROM audit.events WHERE object = 'rr'"),
	                 it_sql_int("SELECT min(id) FROM audit.events WHERE object = 'after'"));
	assert_intact("a REPEATABLE READ appender");
}
END_TEST

/* ------------------------------------------------------------ roles */

/* stmt run with the application's privileges must fail. */
static void
refused_as_app(const char *stmt)
{
	char *sql = it_fmt("SET ROLE medsys_app; %s", stmt);

	ck_assert_msg(http_sql(sql) != 0, "the application's role may: %s", stmt);
	free(sql);
}

START_TEST(test_app_role_cannot_change_rows)
{

	/* What the application may do: append through the functions. */
	it_sql("SET ROLE medsys_app; SELECT audit.append(NULL, NULL, 'auth.role_test', 'app', '', '')");
	ck_assert_int_eq(it_sql_int("SET ROLE medsys_app; SELECT audit.append_many(NULL, '{NULL,NULL}',"
	                            " 'auth.role_test', 'app', '', '')"), 2);
	/* What it may not. */
	refused_as_app("UPDATE audit.events SET object = 'x' WHERE action = 'auth.role_test'");
	refused_as_app("DELETE FROM audit.events WHERE action = 'auth.role_test'");
	refused_as_app("TRUNCATE audit.events");
	refused_as_app("INSERT INTO audit.events (action, xid, hash) VALUES ('auth.forged', '1', '\\x00')");
	refused_as_app("DELETE FROM audit.seals");
	refused_as_app("INSERT INTO audit.seal_keys (key_id, public_key) VALUES ('0123456789abcdef', 'x')");
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.events WHERE action = 'auth.role_test'"), 3);
	/* The workers' user cannot read the signing key (the stack runs the
	 * sealer as a user of its own when it can, as systemd does). */
	if (geteuid() == 0) {
		char *cmd = it_fmt("cat %s/audit-seal.key", it_env("MEDSYS_SEAL_DIR"));
		ck_assert_int_ne(run_as_service(cmd, NULL), 0);
		free(cmd);
	}
	/* Nor does it own anything in the audit schema. */
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	                            " WHERE n.nspname = 'audit' AND pg_get_userbyid(c.relowner) = 'medsys_app'"), 0);
}
END_TEST

START_TEST(test_triggers_refuse_everyone)
{
	ck_assert_int_ne(http_sql("UPDATE audit.events SET object = 'x' WHERE id = (SELECT min(id) FROM audit.events)"), 0);
	ck_assert_int_ne(http_sql("DELETE FROM audit.events WHERE id = (SELECT min(id) FROM audit.events)"), 0);
	ck_assert_int_ne(http_sql("TRUNCATE audit.events CASCADE"), 0);
	ck_assert_int_ne(http_sql("UPDATE audit.seals SET rows = rows + 1"), 0);
	ck_assert_int_ne(http_sql("DELETE FROM audit.seals"), 0);
	ck_assert_int_ne(http_sql("UPDATE audit.seal_keys SET public_key = 'x'"), 0);
	assert_intact("after refused changes");
}
END_TEST

/* ------------------------------------------------------------ tampering */

/* A row in the middle of a seal (not its first or last). */
static long long
middle_row(void)
{
	return it_sql_int("SELECT min(e.id) FROM audit.events e JOIN audit.seals s ON e.id > s.first_id"
	                  " AND e.id < s.last_id");
}

START_TEST(test_changed_row)
{
	long long id;

	ck_assert_int_eq(it_harness("sealer-stop"), 0);
	id = middle_row();
	ck_assert_int_gt(id, 0);
	it_sql("CREATE TABLE public.bak_row AS SELECT * FROM audit.events WHERE id = %lld", id);
	tamper(it_fmt("UPDATE audit.events SET object = 'changed' WHERE id = %lld", id));
	assert_break(it_fmt("row %lld was changed", id), "a changed row");
	tamper(it_fmt("UPDATE audit.events e SET object = b.object FROM public.bak_row b WHERE e.id = b.id"));
	/* The time of a row counts too. */
	tamper(it_fmt("UPDATE audit.events SET at = at - interval '1 hour' WHERE id = %lld", id));
	assert_break(it_fmt("row %lld was changed", id), "a changed time");
	tamper(it_fmt("UPDATE audit.events e SET at = b.at FROM public.bak_row b WHERE e.id = b.id"));
	assert_intact("the row restored");
}
END_TEST

START_TEST(test_deleted_row)
{
	long long id = middle_row();

	tamper(it_fmt("DELETE FROM audit.events WHERE id = %lld", id));
	assert_break("a row was deleted, added or its hash replaced", "a deleted row");
	tamper("INSERT INTO audit.events OVERRIDING SYSTEM VALUE SELECT * FROM public.bak_row");
	it_sql("DROP TABLE public.bak_row");
	assert_intact("the deleted row put back");
}
END_TEST

START_TEST(test_deleted_newest_rows)
{
	long long last_seal = it_sql_int("SELECT max(seal_id) FROM audit.seals");

	it_sql("CREATE TABLE public.bak_rows AS SELECT e.* FROM audit.events e JOIN audit.seals s"
	       " ON e.id BETWEEN s.first_id AND s.last_id WHERE s.seal_id = %lld", last_seal);
	it_sql("CREATE TABLE public.bak_seal AS SELECT * FROM audit.seals WHERE seal_id = %lld", last_seal);
	/* The newest sealed rows: their seal no longer matches. */
	tamper("DELETE FROM audit.events WHERE id IN (SELECT id FROM public.bak_rows)");
	assert_break(it_fmt("do not match seal %lld", last_seal), "the newest rows deleted");
	/* And their seal too: the seal file still has it. */
	tamper(it_fmt("DELETE FROM audit.seals WHERE seal_id = %lld", last_seal));
	assert_break(it_fmt("the seal file holds seals %lld to %lld that the database lacks", last_seal, last_seal),
	             "the newest rows and their seal deleted");
	tamper("INSERT INTO audit.events OVERRIDING SYSTEM VALUE SELECT * FROM public.bak_rows; INSERT INTO audit.seals SELECT * FROM public.bak_seal");
	it_sql("DROP TABLE public.bak_rows; DROP TABLE public.bak_seal");
	assert_intact("the newest rows and seal put back");
}
END_TEST

/* Recompute every seal from the rows as they are now, keeping the old
 * signatures (a DBA without the key). */
static const char rewrite_seals[] =
	"DO $$ DECLARE s record; prev bytea := decode(repeat('00', 32), 'hex'); r bytea; n bigint; h bytea;"
	" BEGIN FOR s IN SELECT * FROM audit.seals ORDER BY seal_id LOOP"
	"  SELECT sha256('\\x4d534231'::bytea || coalesce(string_agg(int8send(id) || hash, ''::bytea ORDER BY id),"
	"   ''::bytea) || int8send(count(*))), count(*) INTO r, n"
	"   FROM audit.events WHERE id BETWEEN s.first_id AND s.last_id;"
	"  h := sha256('\\x4d535331'::bytea || int8send(s.seal_id) || int8send(s.first_id) || int8send(s.last_id)"
	"   || int8send(n) || int8send((extract(epoch FROM s.at) * 1000000)::bigint) || convert_to(s.key_id, 'UTF8')"
	"   || r || prev);"
	"  UPDATE audit.seals SET rows = n, root = r, prev_hash = prev, hash = h WHERE seal_id = s.seal_id;"
	"  prev := h; END LOOP; END $$";

/* Change a row consistently: new content, its hash recomputed. */
static long long
forge_row(void)
{
	long long id = middle_row();

	it_sql("CREATE TABLE public.bak_events AS SELECT * FROM audit.events");
	it_sql("CREATE TABLE public.bak_seals AS SELECT * FROM audit.seals");
	tamper(it_fmt("UPDATE audit.events SET object = 'forged', hash = audit.row_hash(id, at, actor_id,"
	              " subject_id, action, 'forged', client_addr, request_id, xid) WHERE id = %lld", id));
	return id;
}

static void
restore_all(void)
{
	tamper("DELETE FROM audit.seals; DELETE FROM audit.events;"
	       " INSERT INTO audit.events OVERRIDING SYSTEM VALUE SELECT * FROM public.bak_events;"
	       " INSERT INTO audit.seals SELECT * FROM public.bak_seals;"
	       " DELETE FROM audit.seal_keys WHERE key_id NOT IN (SELECT key_id FROM audit.seals)");
	it_sql("DROP TABLE public.bak_events; DROP TABLE public.bak_seals");
}

START_TEST(test_rewrite_without_key)
{
	long long id = forge_row();
	long long seal = it_sql_int("SELECT seal_id FROM audit.seals WHERE %lld BETWEEN first_id AND last_id", id);

	/* The row alone: its seal no longer matches. */
	assert_break(it_fmt("do not match seal %lld", seal), "a row rewritten with its hash");
	tamper(rewrite_seals);
	assert_break(it_fmt("seal %lld: the signature does not verify", seal), "the chain rewritten without the key");
	restore_all();
	assert_intact("the rewrite undone");
}
END_TEST

START_TEST(test_rewrite_with_forged_key)
{
	unsigned char pub[32], priv[32], hash[32], sig[64];
	char kid[SIGN_KEY_ID_LEN + 1], pem[SIGN_PEM_MAX], hex[129];
	long long nseals;

	forge_row();
	ck_assert_int_eq(sign_keypair(pub, priv), 0);
	sign_key_id(pub, kid);
	ck_assert_int_gt(sign_public_to_pem(pub, pem, sizeof(pem)), 0);
	/* The DBA publishes a key of their own and re-signs every seal. */
	tamper(it_fmt("INSERT INTO audit.seal_keys VALUES ('%s', '%s', '2000-01-01', NULL);"
	              " UPDATE audit.seals SET key_id = '%s'", kid, pem, kid));
	tamper(rewrite_seals);
	nseals = it_sql_int("SELECT max(seal_id) FROM audit.seals");
	for (long long s = 1; s <= nseals; s++) {
		char *h = it_sql_line("SELECT encode(hash, 'hex') FROM audit.seals WHERE seal_id = %lld", s);
		ck_assert_int_eq(hex_decode(h, hash, 32), 0);
		ck_assert_int_eq(sign_sign(priv, hash, 32, sig), 0);
		hex_encode(sig, 64, hex);
		tamper(it_fmt("UPDATE audit.seals SET signature = decode('%s', 'hex') WHERE seal_id = %lld", hex, s));
		free(h);
	}
	/* Signatures and chain hold inside the database; the file does not. */
	assert_break("seal 1 differs from line 1 of the seal file", "the chain re-signed with a forged key");
	restore_all();
	assert_intact("the forged rewrite undone");
}
END_TEST

START_TEST(test_truncated_seal_file)
{
	char *path = it_fmt("%s/seals.log", it_env("MEDSYS_SEAL_DIR")), *text = it_slurp(path), *cut;
	long long n = it_sql_int("SELECT count(*) FROM audit.seals");
	FILE *f;

	ck_assert_ptr_nonnull(text);
	ck_assert_int_ge(n, 2);
	/* Keep the first half of the lines. */
	cut = text;
	for (long long i = 0; i < n / 2; i++)
		cut = strchr(cut, '\n') + 1;
	ck_assert_ptr_nonnull(f = fopen(path, "r+"));
	ck_assert_int_eq(ftruncate(fileno(f), cut - text), 0);
	fclose(f);
	assert_break(it_fmt("seal %lld is not in the seal file", n / 2 + 1), "the seal file truncated");
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
	free(text);
	free(path);
	assert_intact("the seal file restored");
	/* Sealing resumes where it stopped. */
	ck_assert_int_eq(it_harness("sealer-start"), 0);
	it_sql("SELECT audit.append(NULL, NULL, 'auth.resume_test', '', '', '')");
	wait_sealed(5, "after the sealer restarted");
	assert_intact("after the sealer restarted");
}
END_TEST

/* ------------------------------------------------------------ one sealer */

/* A medsys-sealer command line (as the sealer's user when root, as the
 * harness runs it), with extra arguments; malloc'd. */
static char *
sealer_cmd(const char *extra)
{
	const char *user = getenv("MEDSYS_SEALER_USER");

	return it_fmt("%s%s%s %s/medsys-sealer --config %s %s", geteuid() == 0 ? "runuser -u " : "",
	              geteuid() == 0 ? (user && *user ? user : "medsys-sealer") : "",
	              geteuid() == 0 ? " --" : "", it_env("MEDSYS_BUILDDIR"), it_env("MEDSYS_CONF"),
	              extra);
}

static char second_log[] = "/tmp/medsys-sealer2.XXXXXX";

/* The second sealer's pid file, in the seal directory (the sealer's user
 * may write there); malloc'd. */
static char *
second_pidfile(void)
{
	return it_fmt("%s/second.pid", it_env("MEDSYS_SEAL_DIR"));
}

/* Stop the second sealer if it runs. Also called after the tests (a
 * failed one may leave it running), so no Check assertion here. */
static void
second_stop(void)
{
	const char *dir = getenv("MEDSYS_SEAL_DIR");
	char path[1024];
	long pid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/second.pid", dir ? dir : "");
	if ((f = fopen(path, "r")) == NULL)
		return;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	if (pid > 1 && kill((pid_t)pid, SIGTERM) == 0)
		for (int i = 0; i < 100 && kill((pid_t)pid, 0) == 0; i++)
			usleep(100 * 1000);
}

/* The last 1500 bytes of a log, for an assertion message (Check's are
 * bounded). */
static const char *
tail_of(const char *log)
{
	size_t n = strlen(log);

	return n > 1500 ? log + n - 1500 : log;
}

/* How many times needle occurs in text. */
static int
count_of(const char *text, const char *needle)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* Wait up to timeout seconds for needle in the second sealer's log; the
 * log (malloc'd) either way. */
static char *
second_log_wait(const char *needle, double timeout)
{
	double deadline = it_now() + timeout;
	char *log;

	for (;;) {
		log = it_slurp(second_log);
		ck_assert_ptr_nonnull(log);
		if (strstr(log, needle) || it_now() > deadline)
			return log;
		free(log);
		it_sleep_ms(100);
	}
}

/* A second medsys-sealer against the same database (and seal directory)
 * neither seals nor forks the chain while the first runs: with --once it
 * refuses, as a daemon it waits, saying so; when the first stops, it takes
 * over where the chain ends, without a false alarm. */
START_TEST(test_second_sealer_waits)
{
	char *cmd, *out, *log, *pidfile = second_pidfile();
	int fd = mkstemp(second_log);
	long long before;

	ck_assert_int_ne(fd, -1);
	close(fd);
	ck_assert_int_eq(chmod(second_log, 0666), 0);
	/* --once: nothing done, exit 1, the reason given. */
	cmd = sealer_cmd("--once");
	ck_assert_msg(run_shell(cmd, &out) == 1 && strstr(out, "another medsys-sealer is sealing this "
	              "database") && !strstr(out, "database unavailable"),
	              "--once beside a running sealer: %s", out);
	free(out);
	free(cmd);
	/* A daemon: waits, and says so once. */
	cmd = sealer_cmd(it_fmt("--pidfile %s", pidfile));
	ck_assert_int_eq(system(it_fmt("setsid %s >%s 2>&1 </dev/null &", cmd, second_log)), 0);
	log = second_log_wait("another medsys-sealer is sealing this database; waiting", 10);
	ck_assert_msg(strstr(log, "another medsys-sealer is sealing this database; waiting") &&
	              !strstr(log, "database unavailable"), "the second sealer's log: %s", tail_of(log));
	free(log);
	before = it_sql_int("SELECT count(*) FROM audit.seals");
	for (int i = 0; i < 3; i++) {
		it_sql("SELECT audit.append(NULL, NULL, 'auth.second_sealer', 'first', '', '')");
		wait_sealed(5, "with a second sealer waiting");
	}
	ck_assert_int_gt(it_sql_int("SELECT count(*) FROM audit.seals"), before);
	log = it_slurp(second_log);
	ck_assert_msg(strstr(log, "medsys-seal v1") == NULL, "the waiting sealer sealed: %s", tail_of(log));
	/* Quietly: one connection kept, not a new one (and a log line) a second. */
	ck_assert_msg(count_of(log, "database connected") == 1,
	              "the waiting sealer reconnects again and again: %s", tail_of(log));
	free(log);
	assert_intact("a second sealer waiting");
	/* The first stops: the second takes over within seconds. */
	ck_assert_int_eq(it_harness("sealer-stop"), 0);
	it_sql("SELECT audit.append(NULL, NULL, 'auth.second_sealer', 'second', '', '')");
	wait_sealed(10, "after the first sealer stopped");
	log = second_log_wait("medsys-seal v1", 5);
	ck_assert_msg(strstr(log, "took over sealing") && strstr(log, "medsys-seal v1") &&
	              !strstr(log, "error "), "the second sealer's log after the takeover: %s", tail_of(log));
	free(log);
	assert_intact("after the takeover");
	/* And back to the harness's sealer. */
	second_stop();
	ck_assert_int_eq(it_harness("sealer-start"), 0);
	it_sql("SELECT audit.append(NULL, NULL, 'auth.second_sealer', 'back', '', '')");
	wait_sealed(10, "the first sealer back");
	assert_intact("the first sealer back");
	free(cmd);
	free(pidfile);
	unlink(second_log);
}
END_TEST

/* A database that lost its two newest seals (an administrator's doing)
 * while the seal file kept them: the sealer may not write a different
 * seal under a number the file already holds (two chains in one file);
 * it refuses and says why, and seals on once the seals are put back. */
START_TEST(test_sealer_never_forks_the_file)
{
	char *path = it_fmt("%s/seals.log", it_env("MEDSYS_SEAL_DIR")), *text, *log;
	char *log_path = it_fmt("%s/log/sealer.log", it_env("MEDSYS_STACK_DIR"));
	char *refused;
	long long n;
	int lines;

	it_sql("SELECT audit.append(NULL, NULL, 'auth.fork_test', 'a', '', '')");
	wait_sealed(5, "before the fork test");
	ck_assert_int_eq(it_harness("sealer-stop"), 0);
	n = it_sql_int("SELECT max(seal_id) FROM audit.seals");
	ck_assert_int_ge(n, 2);
	it_sql("CREATE TABLE public.bak_two AS SELECT * FROM audit.seals WHERE seal_id >= %lld", n - 1);
	tamper(it_fmt("DELETE FROM audit.seals WHERE seal_id >= %lld", n - 1));
	text = it_slurp(path);
	lines = count_of(text, "\n");
	free(text);
	ck_assert_int_eq(it_harness("sealer-start"), 0);
	refused = it_fmt("already holds seal %lld: another medsys-sealer wrote it; not forking the "
	                 "chain", n - 1);
	for (double deadline = it_now() + 10;; it_sleep_ms(100)) {
		log = it_slurp(log_path);
		if (strstr(log, refused) || it_now() > deadline)
			break;
		free(log);
	}
	ck_assert_msg(strstr(log, refused) != NULL, "the sealer did not refuse: %s", tail_of(log));
	free(log);
	text = it_slurp(path);
	ck_assert_msg(count_of(text, "\n") == lines, "the seal file grew from %d to %d lines",
	              lines, count_of(text, "\n"));
	free(text);
	ck_assert_int_eq(it_sql_int("SELECT count(*) FROM audit.seals WHERE seal_id >= %lld", n - 1), 0);
	/* Put back, sealing goes on. */
	ck_assert_int_eq(it_harness("sealer-stop"), 0);
	tamper("INSERT INTO audit.seals SELECT * FROM public.bak_two");
	it_sql("DROP TABLE public.bak_two");
	ck_assert_int_eq(it_harness("sealer-start"), 0);
	it_sql("SELECT audit.append(NULL, NULL, 'auth.fork_test', 'b', '', '')");
	wait_sealed(10, "the seals put back");
	assert_intact("the seals put back");
	free(refused);
	free(log_path);
	free(path);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("audit_chain");
	TCase *tc = tcase_create("audit_chain");
	SRunner *sr;
	int failed;

	/* In order: each test leaves the trail as it found it. */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_sealed_under_parallel_load);
	tcase_add_test(tc, test_repeatable_read_appender);
	tcase_add_test(tc, test_app_role_cannot_change_rows);
	tcase_add_test(tc, test_triggers_refuse_everyone);
	tcase_add_test(tc, test_changed_row);
	tcase_add_test(tc, test_deleted_row);
	tcase_add_test(tc, test_deleted_newest_rows);
	tcase_add_test(tc, test_rewrite_without_key);
	tcase_add_test(tc, test_rewrite_with_forged_key);
	tcase_add_test(tc, test_truncated_seal_file);
	tcase_add_test(tc, test_second_sealer_waits);
	tcase_add_test(tc, test_sealer_never_forks_the_file);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	second_stop();   /* left running by a failed test_second_sealer_waits */
	srunner_free(sr);
	http_client_cleanup();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
