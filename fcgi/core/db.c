/* db: connection, statement loading and preparing, reconnection. */
#include "db.h"

#include <dirent.h>
#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "file.h"
#include "log.h"
#include "status.h"

struct statement {
	char *name;
	char *sql;
};

struct db_result {
	PGresult *res;      /* NULL once released */
	int in_arena;       /* the struct is arena memory, released by it */
};

static struct {
	PGconn *conn;
	char *conninfo;
	struct statement *stmts;
	size_t nstmts;
	int prepared;
	time_t last_attempt;
	char *listen_channel;   /* re-LISTENed after every reconnect */
	struct arena *arena;    /* owner of new results; NULL: the caller */
} db;

/* Append one statement; takes ownership of name and sql. */
static int
add_statement(char *name, char *sql)
{
	struct statement *v = realloc(db.stmts, (db.nstmts + 1) * sizeof(*v));

	if (v == NULL) {
		free(name);
		free(sql);
		return -1;
	}
	db.stmts = v;
	db.stmts[db.nstmts].name = name;
	db.stmts[db.nstmts].sql = sql;
	db.nstmts++;
	return 0;
}

/* Trim whitespace and trailing semicolons of s[0..len) into a new string. */
static char *
trimmed_sql(const char *s, size_t len)
{
	while (len && (s[len - 1] == ';' || s[len - 1] == ' ' || s[len - 1] == '\n' ||
	               s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	while (len && (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')) {
		s++;
		len--;
	}
	return len ? strndup(s, len) : NULL;
}

/* Split a queries file into statements at each "-- name: X" line. */
static int
parse_queries(const char *path, const char *text, char *err, size_t errlen)
{
	static const char marker[] = "-- name:";
	const char *p = strstr(text, marker);

	while (p) {
		const char *ns = p + sizeof(marker) - 1, *ne, *body, *next;
		char *name, *sql;

		while (*ns == ' ')
			ns++;
		ne = ns;
		while (*ne && *ne != '\n' && *ne != ' ' && *ne != '\r')
			ne++;
		body = strchr(ne, '\n');
		body = body ? body + 1 : ne + strlen(ne);
		next = strstr(body, marker);
		name = strndup(ns, (size_t)(ne - ns));
		sql = trimmed_sql(body, (size_t)((next ? next : body + strlen(body)) - body));
		if (name == NULL || *name == '\0' || sql == NULL) {
			snprintf(err, errlen, "%s: statement \"%s\" is empty or unnamed", path, name ? name : "");
			free(name);
			free(sql);
			return -1;
		}
		for (size_t i = 0; i < db.nstmts; i++)
			if (strcmp(db.stmts[i].name, name) == 0) {
				snprintf(err, errlen, "%s: statement \"%s\" is defined twice", path, name);
				free(name);
				free(sql);
				return -1;
			}
		if (add_statement(name, sql) == -1) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		p = next;
	}
	return 0;
}


int
db_init(const char *conninfo, const char *queries_dir, int connect_timeout,
        char *err, size_t errlen)
{
	DIR *d;
	struct dirent *e;
	int rc = 0;

	db_shutdown();
	if (asprintf(&db.conninfo, "%s connect_timeout=%d application_name=medsysd",
	             conninfo, connect_timeout) < 0) {
		db.conninfo = NULL;
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if ((d = opendir(queries_dir)) == NULL) {
		snprintf(err, errlen, "cannot open the queries directory %s", queries_dir);
		return -1;
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		char path[1024], *text;
		if (len < 5 || strcmp(e->d_name + len - 4, ".sql") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", queries_dir, e->d_name);
		if ((text = file_read_all(path, 4 * 1024 * 1024, NULL)) == NULL) {
			snprintf(err, errlen, "cannot read %s", path);
			rc = -1;
			break;
		}
		rc = parse_queries(path, text, err, errlen);
		free(text);
	}
	closedir(d);
	return rc;
}

void
db_shutdown(void)
{
	if (db.conn)
		PQfinish(db.conn);
	for (size_t i = 0; i < db.nstmts; i++) {
		free(db.stmts[i].name);
		free(db.stmts[i].sql);
	}
	free(db.stmts);
	free(db.conninfo);
	free(db.listen_channel);
	memset(&db, 0, sizeof(db));
}

size_t
db_statement_count(void)
{
	return db.nstmts;
}

static int
prepare_all(void)
{
	for (size_t i = 0; i < db.nstmts; i++) {
		PGresult *r = PQprepare(db.conn, db.stmts[i].name, db.stmts[i].sql, 0, NULL);
		int ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
		if (!ok)
			log_msg("error", "cannot prepare statement %s: %s", db.stmts[i].name,
			        r ? PQresultErrorMessage(r) : "no result");
		PQclear(r);
		if (!ok)
			return -1;
	}
	return 0;
}

/* libpq prints server notices raw on stderr; keep the log one escaped
 * line per event instead. */
static void
notice_to_log(void *arg, const char *message)
{
	(void)arg;
	log_msg("notice", "postgresql: %s", message);
}

/* Issue LISTEN for the remembered channel, if any. */
static int
listen_now(void)
{
	char *ident, sql[300];
	PGresult *r;
	int ok;

	if (db.listen_channel == NULL)
		return 0;
	if ((ident = PQescapeIdentifier(db.conn, db.listen_channel, strlen(db.listen_channel))) == NULL)
		return -1;
	snprintf(sql, sizeof(sql), "LISTEN %s", ident);
	PQfreemem(ident);
	r = PQexec(db.conn, sql);
	ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	return ok ? 0 : -1;
}

static enum db_status
db_connect(void)
{
	time_t now = time(NULL);

	if (db.conn && PQstatus(db.conn) == CONNECTION_OK && db.prepared)
		return DB_OK;
	/* While the server is down, try at most once a second so requests get
	 * their 503 at once instead of each waiting for a connect timeout.
	 * Only a failed attempt counts: a connection that breaks in the second
	 * it was made is replaced at once. */
	if (db.last_attempt == now)
		return DB_UNAVAILABLE;
	db.last_attempt = now;
	if (db.conn)
		PQfinish(db.conn);
	db.prepared = 0;
	db.conn = PQconnectdb(db.conninfo);
	if (db.conn)
		PQsetNoticeProcessor(db.conn, notice_to_log, NULL);
	if (db.conn == NULL || PQstatus(db.conn) != CONNECTION_OK) {
		log_msg("warning", "database unavailable; retrying on the next request");
		return DB_UNAVAILABLE;
	}
	if (prepare_all() == -1) {
		PQfinish(db.conn);
		db.conn = NULL;
		return DB_UNAVAILABLE;
	}
	if (listen_now() == -1) {
		PQfinish(db.conn);
		db.conn = NULL;
		return DB_UNAVAILABLE;
	}
	db.prepared = 1;
	db.last_attempt = 0;
	log_msg("info", "database connected, %zu statements prepared", db.nstmts);
	return DB_OK;
}

enum db_status
db_ensure(void)
{
	return db_connect();
}

static enum db_status
classify(PGresult *r)
{
	const char *state;

	if (r == NULL)
		return PQstatus(db.conn) == CONNECTION_OK ? DB_ERROR : DB_UNAVAILABLE;
	switch (PQresultStatus(r)) {
	case PGRES_TUPLES_OK:
	case PGRES_COMMAND_OK:
		return DB_OK;
	default:
		break;
	}
	if (PQstatus(db.conn) != CONNECTION_OK)
		return DB_UNAVAILABLE;
	state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	if (state && strncmp(state, "23", 2) == 0)
		return DB_CONFLICT;
	if (state && (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0))
		return DB_UNAVAILABLE;
	return DB_ERROR;
}

void
db_set_arena(struct arena *a)
{
	db.arena = a;
}

/* arena_free's call for a result it owns. */
static void
result_release(void *p)
{
	struct db_result *res = p;

	PQclear(res->res);
	res->res = NULL;
}

/* Wrap r for the current owner (see db_set_arena); NULL, with r cleared,
 * when out of memory. */
static struct db_result *
result_wrap(PGresult *r)
{
	struct db_result *res;

	if (db.arena == NULL) {
		res = calloc(1, sizeof(*res));
	} else if ((res = arena_alloc(db.arena, sizeof(*res))) != NULL) {
		res->in_arena = 1;
		if (arena_defer(db.arena, result_release, res) == -1)
			res = NULL;
	}
	if (res == NULL) {
		PQclear(r);
		return NULL;
	}
	res->res = r;
	return res;
}

enum db_status
db_query(struct db_result **res, const char *name, int nparams,
         const char *const *params)
{
	PGTransactionStatusType before;
	enum db_status st;
	PGresult *r;

	*res = NULL;
	for (int attempt = 0; attempt < 2; attempt++) {
		if ((st = db_connect()) != DB_OK)
			return st;
		/* Once the connection is broken its transaction status reads
		 * UNKNOWN: whether a transaction was open must be known before. */
		before = PQtransactionStatus(db.conn);
		r = PQexecPrepared(db.conn, name, nparams, params, NULL, NULL, 0);
		st = classify(r);
		if (st == DB_OK)
			return (*res = result_wrap(r)) != NULL ? DB_OK : DB_ERROR;
		if (st != DB_UNAVAILABLE || before != PQTRANS_IDLE || attempt > 0) {
			if (st == DB_ERROR)
				log_msg("error", "statement %s failed: %s", name,
				        r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : "?" : "no result");
			PQclear(r);
			break;
		}
		PQclear(r);
		/* The connection broke (server restarted): reconnect and retry once. */
		db.prepared = 0;
		db.last_attempt = 0;
	}
	return st;
}

enum db_status
db_run(const char *name, int nparams, const char *const *params)
{
	struct db_result *res;
	enum db_status st = db_query(&res, name, nparams, params);

	db_result_free(res);
	return st;
}

enum db_status
db_run_rows(const char *name, int nparams, const char *const *params, size_t *rows)
{
	struct db_result *res;
	enum db_status st = db_query(&res, name, nparams, params);

	*rows = st == DB_OK ? db_rows(res) : 0;
	db_result_free(res);
	return st;
}

int
db_http_status(enum db_status st)
{
	return st == DB_UNAVAILABLE ? HTTP_UNAVAILABLE : HTTP_INTERNAL_ERROR;
}

size_t
db_rows(const struct db_result *res)
{
	return res ? (size_t)PQntuples(res->res) : 0;
}

const char *
db_value(const struct db_result *res, size_t row, int col)
{
	if (res == NULL || row >= (size_t)PQntuples(res->res) || col < 0 || col >= PQnfields(res->res))
		return "";
	return PQgetvalue(res->res, (int)row, col);
}

int
db_is_null(const struct db_result *res, size_t row, int col)
{
	if (res == NULL || row >= (size_t)PQntuples(res->res) || col < 0 || col >= PQnfields(res->res))
		return 1;
	return PQgetisnull(res->res, (int)row, col);
}

size_t
db_changed(const struct db_result *res)
{
	return res ? (size_t)strtoul(PQcmdTuples(res->res), NULL, 10) : 0;
}

void
db_result_free(struct db_result *res)
{
	if (res == NULL)
		return;
	PQclear(res->res);
	res->res = NULL;
	if (!res->in_arena)
		free(res);
}

/* Run a statement without parameters that returns no rows. */
static enum db_status
exec_simple(const char *sql)
{
	PGresult *r;
	enum db_status st;

	if ((st = db_connect()) != DB_OK)
		return st;
	r = PQexec(db.conn, sql);
	st = classify(r);
	PQclear(r);
	return st;
}

enum db_status
db_begin(void)
{
	return exec_simple("BEGIN");
}

enum db_status
db_commit(void)
{
	return exec_simple("COMMIT");
}

void
db_rollback(void)
{
	if (db.conn && PQstatus(db.conn) == CONNECTION_OK &&
	    PQtransactionStatus(db.conn) != PQTRANS_IDLE)
		PQclear(PQexec(db.conn, "ROLLBACK"));
}

enum db_status
db_listen(const char *channel)
{
	free(db.listen_channel);
	if ((db.listen_channel = strdup(channel)) == NULL)
		return DB_ERROR;
	if (db.conn && db.prepared && PQstatus(db.conn) == CONNECTION_OK)
		return listen_now() == 0 ? DB_OK : DB_UNAVAILABLE;
	return db_connect();
}

/* Consume every pending notification; the count. */
static int
drain_notifies(void)
{
	PGnotify *n;
	int count = 0;

	while ((n = PQnotifies(db.conn)) != NULL) {
		count++;
		PQfreemem(n);
	}
	return count;
}

int
db_wait_notify(int timeout_ms)
{
	struct pollfd pfd;
	int rc;

	if (db.conn == NULL || PQstatus(db.conn) != CONNECTION_OK)
		return -1;
	if (PQconsumeInput(db.conn) == 0)
		goto broken;
	if (drain_notifies() > 0)
		return 1;
	pfd.fd = PQsocket(db.conn);
	pfd.events = POLLIN;
	if (pfd.fd < 0)
		goto broken;
	rc = poll(&pfd, 1, timeout_ms);
	if (rc == -1)
		return errno == EINTR ? 0 : -1;
	if (rc == 0)
		return 0;
	if (PQconsumeInput(db.conn) == 0)
		goto broken;
	return drain_notifies() > 0 ? 1 : 0;
broken:
	db.prepared = 0;
	db.last_attempt = 0;
	return -1;
}

void
db_disconnect(void)
{
	if (db.conn)
		PQfinish(db.conn);
	db.conn = NULL;
	db.prepared = 0;
	db.last_attempt = 0;
}
