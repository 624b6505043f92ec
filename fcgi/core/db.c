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
	char *listen[DB_LISTEN_MAX];   /* channels re-LISTENed after every reconnect */
	size_t nlisten;
	unsigned long generation;      /* see db_generation */
	db_notify_fn on_notify;        /* see db_on_notify; NULL: none */
	struct arena *arena;           /* owner of new results; NULL: the caller */
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


/* A time zone name that can stand unquoted in libpq's options: IANA
 * names are letters, digits and / _ + - only. */
static int
time_zone_name_ok(const char *tz)
{
	if (tz == NULL || tz[0] == '\0' || strlen(tz) > 63)
		return 0;
	return tz[strspn(tz, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-")] == '\0';
}

int
db_init(const char *conninfo, const char *clinic_tz, const char *queries_dir,
        int connect_timeout, char *err, size_t errlen)
{
	DIR *d;
	struct dirent *e;
	int rc = 0;

	db_shutdown();
	if (clinic_tz && clinic_tz[0] && !time_zone_name_ok(clinic_tz)) {
		snprintf(err, errlen, "clinic_timezone '%s' is not a time zone name (e.g. Europe/Madrid)", clinic_tz);
		return -1;
	}
	if (asprintf(&db.conninfo, "%s connect_timeout=%d application_name=medsysd%s%s%s",
	             conninfo, connect_timeout,
	             clinic_tz && clinic_tz[0] ? " options='-c medsys.clinic_tz=" : "",
	             clinic_tz && clinic_tz[0] ? clinic_tz : "",
	             clinic_tz && clinic_tz[0] ? "'" : "") < 0) {
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
	for (size_t i = 0; i < db.nlisten; i++)
		free(db.listen[i]);
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
 * line per event instead. A FATAL one arriving between statements is the
 * server ending the session (a restart): notifications may be lost from
 * now on, so whatever was cached counts as stale (db_generation). */
static void
notice_to_log(void *arg, const PGresult *res)
{
	const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);

	(void)arg;
	if (sev && (strcmp(sev, "FATAL") == 0 || strcmp(sev, "PANIC") == 0))
		db.generation++;
	log_msg("notice", "postgresql: %s", PQresultErrorMessage(res));
}

/* Issue LISTEN for one channel. */
static int
listen_one(const char *channel)
{
	char *ident, sql[300];
	PGresult *r;
	int ok;

	if ((ident = PQescapeIdentifier(db.conn, channel, strlen(channel))) == NULL)
		return -1;
	snprintf(sql, sizeof(sql), "LISTEN %s", ident);
	PQfreemem(ident);
	r = PQexec(db.conn, sql);
	ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	return ok ? 0 : -1;
}

/* Issue LISTEN for every remembered channel. */
static int
listen_now(void)
{
	for (size_t i = 0; i < db.nlisten; i++)
		if (listen_one(db.listen[i]) == -1)
			return -1;
	return 0;
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
		PQsetNoticeReceiver(db.conn, notice_to_log, NULL);
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
	/* Notifications sent while we were not connected are lost: whatever
	 * was cached from the old connection's time may be stale. */
	db.generation++;
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

int
db_batch_add(struct db_batch *b, const char *name, int nparams, const char *const *params)
{
	if (b->n == DB_BATCH_MAX)
		return -1;
	b->stmt[b->n].name = name;
	b->stmt[b->n].nparams = nparams;
	b->stmt[b->n].params = params;
	b->res[b->n] = NULL;
	return (int)b->n++;
}

static void
batch_clear(struct db_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		db_result_free(b->res[i]);
		b->res[i] = NULL;
	}
}

/* Send every statement of b and a sync; 0 or -1 (connection trouble). */
static int
pipeline_send(const struct db_batch *b)
{
	if (PQenterPipelineMode(db.conn) != 1)
		return -1;
	for (size_t i = 0; i < b->n; i++)
		if (PQsendQueryPrepared(db.conn, b->stmt[i].name, b->stmt[i].nparams,
		                        b->stmt[i].params, NULL, NULL, 0) != 1)
			return -1;
	return PQpipelineSync(db.conn) == 1 ? 0 : -1;
}

/* Keep result r as statement i's, or note the first failure in *st. */
static void
pipeline_take(struct db_batch *b, size_t i, PGresult *r, enum db_status *st)
{
	enum db_status s = classify(r);

	if (s == DB_OK && *st == DB_OK && i < b->n && b->res[i] == NULL) {
		if ((b->res[i] = result_wrap(r)) == NULL)
			*st = DB_ERROR;     /* out of memory; r is cleared */
		return;
	}
	if (s != DB_OK && *st == DB_OK) {
		/* A statement after the failed one only says "aborted": the
		 * first failure is the one worth logging. */
		if (s == DB_ERROR && PQresultStatus(r) != PGRES_PIPELINE_ABORTED)
			log_msg("error", "statement %s failed: %s", i < b->n ? b->stmt[i].name : "?",
			        PQresultErrorField(r, PG_DIAG_SQLSTATE) ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : "?");
		*st = s;
	} else if (s == DB_OK && *st == DB_OK)
		*st = DB_ERROR;   /* out of memory, or more results than statements */
	PQclear(r);
}

/* Read every result up to the sync: each statement's result is followed
 * by a NULL, the sync by PGRES_PIPELINE_SYNC. */
static enum db_status
pipeline_receive(struct db_batch *b)
{
	enum db_status st = DB_OK;
	size_t i = 0;

	while (i <= b->n) {
		PGresult *r = PQgetResult(db.conn);
		if (r == NULL) {
			if (PQstatus(db.conn) != CONNECTION_OK)
				return DB_UNAVAILABLE;
			i++;
			continue;
		}
		if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
			PQclear(r);
			return st;
		}
		pipeline_take(b, i, r, &st);
	}
	return PQstatus(db.conn) == CONNECTION_OK ? DB_ERROR : DB_UNAVAILABLE;
}

static enum db_status
pipeline_run(struct db_batch *b)
{
	enum db_status st;

	if (pipeline_send(b) == -1)
		st = PQstatus(db.conn) == CONNECTION_OK ? DB_ERROR : DB_UNAVAILABLE;
	else
		st = pipeline_receive(b);
	if (PQpipelineStatus(db.conn) != PQ_PIPELINE_OFF && PQexitPipelineMode(db.conn) != 1) {
		/* Results still pending: the connection is out of step; start
		 * afresh rather than guess. */
		log_msg("error", "pipeline left unfinished; reconnecting");
		db_disconnect();
		if (st == DB_OK)
			st = DB_ERROR;
	}
	if (st != DB_OK)
		batch_clear(b);
	return st;
}

enum db_status
db_batch_run(struct db_batch *b)
{
	PGTransactionStatusType before;
	enum db_status st = DB_ERROR;

	for (int attempt = 0; attempt < 2; attempt++) {
		if ((st = db_connect()) != DB_OK)
			return st;
		before = PQtransactionStatus(db.conn);
		if ((st = pipeline_run(b)) == DB_OK)
			return DB_OK;
		if (st != DB_UNAVAILABLE || before != PQTRANS_IDLE || attempt > 0)
			break;
		db.prepared = 0;
		db.last_attempt = 0;
	}
	return st;
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
	size_t i;

	for (i = 0; i < db.nlisten && strcmp(db.listen[i], channel) != 0; i++)
		;
	if (i == db.nlisten) {
		if (db.nlisten == DB_LISTEN_MAX || (db.listen[i] = strdup(channel)) == NULL)
			return DB_ERROR;
		db.nlisten++;
	}
	if (db.conn && db.prepared && PQstatus(db.conn) == CONNECTION_OK)
		return listen_one(channel) == 0 ? DB_OK : DB_UNAVAILABLE;
	return DB_UNAVAILABLE;
}

/* Consume every pending notification; the count. */
static int
drain_notifies(void)
{
	PGnotify *n;
	int count = 0;

	while ((n = PQnotifies(db.conn)) != NULL) {
		count++;
		if (db.on_notify)
			db.on_notify(n->relname, n->extra);
		PQfreemem(n);
	}
	if (count > 0)
		db.generation++;
	return count;
}

void
db_on_notify(db_notify_fn fn)
{
	db.on_notify = fn;
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

unsigned long
db_generation(void)
{
	/* Reads only what already arrived (the socket is not blocking here):
	 * a recv that usually finds nothing. */
	if (db.conn && db.prepared && PQstatus(db.conn) == CONNECTION_OK &&
	    PQtransactionStatus(db.conn) == PQTRANS_IDLE) {
		/* A connection that ended (server restarted) may have missed
		 * notifications: count that as a change. */
		if (PQconsumeInput(db.conn) == 0 || PQstatus(db.conn) != CONNECTION_OK)
			db.generation++;
		else
			drain_notifies();
	}
	return db.generation;
}

void
db_cache_clear(struct db_cache *c)
{
	for (size_t i = 0; c->cells && i < c->rows * (size_t)c->cols; i++)
		free(c->cells[i]);
	free(c->cells);
	memset(c, 0, sizeof(*c));
}

/* Copy every cell of res into c; -1 when out of memory (c left empty). */
static int
cache_copy(struct db_cache *c, const struct db_result *res)
{
	size_t rows = db_rows(res);
	int cols = PQnfields(res->res);

	c->rows = rows;
	c->cols = cols;
	if (rows == 0 || cols == 0)
		return 0;
	if ((c->cells = calloc(rows * (size_t)cols, sizeof(*c->cells))) == NULL)
		return -1;
	for (size_t i = 0; i < rows; i++)
		for (int j = 0; j < cols; j++)
			if ((c->cells[i * (size_t)cols + (size_t)j] = strdup(db_value(res, i, j))) == NULL)
				return -1;
	return 0;
}

enum db_status
db_cached_query(struct db_cache *c, const char *name, int nparams, const char *const *params)
{
	struct db_result *res;
	unsigned long gen = db_generation();
	enum db_status st;

	if (c->generation != 0 && c->generation == gen)
		return DB_OK;
	db_cache_clear(c);
	if ((st = db_query(&res, name, nparams, params)) != DB_OK)
		return st;
	/* The generation read before the statement: a change committed while
	 * it ran notifies later and moves the number past it. A connection
	 * made by the statement moved it too; the next call refills once. */
	if (cache_copy(c, res) == -1) {
		db_cache_clear(c);
		st = DB_ERROR;
	} else
		c->generation = gen ? gen : 1;
	db_result_free(res);
	return st;
}

const char *
db_cache_value(const struct db_cache *c, size_t row, int col)
{
	if (c->cells == NULL || row >= c->rows || col < 0 || col >= c->cols)
		return "";
	return c->cells[row * (size_t)c->cols + (size_t)col];
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
