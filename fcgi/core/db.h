/* db: the worker's one PostgreSQL connection and its named statements
 * (sql/queries/<module>.sql). libpq types and errors stay inside db.c. */
#ifndef MEDSYS_DB_H
#define MEDSYS_DB_H

#include <stddef.h>

struct arena;

enum db_status {
	DB_OK = 0,
	DB_UNAVAILABLE,     /* no connection: answer 503 */
	DB_CONFLICT,        /* unique, exclusion or FK violation */
	DB_ERROR,           /* anything else: answer 500 */
	DB__MAX
};

struct db_result;   /* rows of one statement */

/* Remember the conninfo and read every "-- name: X" statement from the
 * .sql files of queries_dir. Does not connect yet. -1 with a message.
 * clinic_tz (the config's clinic_timezone, NULL or "" for none) is set
 * as medsys.clinic_tz on every connection: SQL's clinic.today() and
 * clinic.day_of() read it (sql/migrations/033_clinic_day.sql). */
int db_init(const char *conninfo, const char *clinic_tz, const char *queries_dir,
            int connect_timeout, char *err, size_t errlen);
void db_shutdown(void);

/* Make sure the connection is up and every statement is prepared;
 * reconnects (at most once a second while the server is down).
 * DB_OK or DB_UNAVAILABLE. */
enum db_status db_ensure(void);

/* Who owns the results db_query returns from now on: arena a (results are
 * released when a is freed; the pipeline sets the request's arena for the
 * length of each request, so pages never free a result), or, with NULL,
 * the caller (medsysctl, the notifier, anything outside a request), who
 * frees each one with db_result_free. */
void db_set_arena(struct arena *a);

/* Run the named statement with text parameters (NULL = SQL NULL). On
 * DB_OK *res holds the rows, owned as db_set_arena says. A statement that
 * fails because the connection broke is retried once on a new connection
 * when no transaction is open. */
enum db_status db_query(struct db_result **res, const char *name,
                        int nparams, const char *const *params);

/* db_query for a statement whose rows do not matter: runs it, frees the
 * result, and returns its status. */
enum db_status db_run(const char *name, int nparams, const char *const *params);

/* db_run that keeps one fact of the result: *rows gets the number of rows
 * the statement returned (0 when it failed). For "did it match / change
 * anything" checks done with RETURNING or a SELECT. */
enum db_status db_run_rows(const char *name, int nparams, const char *const *params,
                           size_t *rows);

/* The HTTP status a page answers when a statement failed with st: 503
 * (HTTP_UNAVAILABLE) for DB_UNAVAILABLE, 500 (HTTP_INTERNAL_ERROR) for
 * anything else. Only meaningful for st != DB_OK. */
int db_http_status(enum db_status st);

size_t db_rows(const struct db_result *res);
/* Column value as text ("" for NULL), by row and column number. */
const char *db_value(const struct db_result *res, size_t row, int col);
int db_is_null(const struct db_result *res, size_t row, int col);
/* Release a result now. Needed for results the caller owns; allowed on an
 * arena's result (its rows go at once, the arena forgets it). NULL is a
 * no-op. The result's values are gone afterwards either way. */
void db_result_free(struct db_result *res);

/* Rows an INSERT/UPDATE/DELETE changed. */
size_t db_changed(const struct db_result *res);

/* Number of named statements loaded (for tests and status). */
size_t db_statement_count(void);

/* A batch: several named statements sent at once (libpq's pipeline
 * mode) and run as one transaction: one round trip to the server instead
 * of one per statement. All or nothing: when one fails, the ones before
 * it are rolled back and the ones after it do not run. Inside a
 * transaction opened by db_begin the batch belongs to that transaction
 * instead. */
#define DB_BATCH_MAX 10   /* the record summary reads 9 (issue 11 added its lab line) */
struct db_batch {
	size_t n;
	struct {
		const char *name;
		int nparams;
		const char *const *params;   /* must live until db_batch_run returns */
	} stmt[DB_BATCH_MAX];
	struct db_result *res[DB_BATCH_MAX];  /* set by db_batch_run on DB_OK */
};

/* Add a statement; its index in res, or -1 when the batch is full. */
int db_batch_add(struct db_batch *b, const char *name, int nparams,
                 const char *const *params);

/* Run the batch. DB_OK with every b->res[i] set (owned as db_set_arena
 * says, like db_query's), or the first failure's status and no results. Retried
 * once on a new connection when the connection broke and no transaction
 * was open, like db_query. */
enum db_status db_batch_run(struct db_batch *b);

/* Transactions on the worker's connection. db_begin connects if needed.
 * After any failed statement inside, call db_rollback. */
enum db_status db_begin(void);
enum db_status db_commit(void);
void db_rollback(void);

/* LISTEN on channel now if connected, and again on every connection made
 * after (the registration dies with the connection); at most
 * DB_LISTEN_MAX channels. Does not connect by itself. DB_OK,
 * DB_UNAVAILABLE (not connected now, or LISTEN failed: registered all the
 * same) or DB_ERROR (too many channels, no memory). */
#define DB_LISTEN_MAX 4
enum db_status db_listen(const char *channel);

/* A number that changes whenever something cached from the database may
 * be stale: a notification arrived on a LISTENed channel, or the
 * connection was made again (notifications sent meanwhile are lost).
 * Reads notifications that already arrived, without waiting. Per-worker
 * caches remember the number they were filled at and refill when it
 * differs. */
unsigned long db_generation(void);

/* Call fn(channel, payload) for every notification consumed from now on
 * (by db_wait_notify or db_generation), before it is freed; NULL: none.
 * A daemon that acts on payloads (medsys-pollfiles) sets it once. */
typedef void (*db_notify_fn)(const char *channel, const char *payload);
void db_on_notify(db_notify_fn fn);

/* Wait up to timeout_ms for a notification on a LISTENed channel.
 * 1: one or more arrived (all consumed); 0: timed out; -1: the connection
 * broke (the next db_ensure reconnects and re-LISTENs). */
int db_wait_notify(int timeout_ms);

/* A per-worker copy of a statement's rows for data that changes rarely
 * (the clinic's details, its doctors): refilled when db_generation()
 * moved, i.e. after a NOTIFY on a LISTENed channel (migration
 * 008_cache_notify.sql sends one on every change of those tables) or a
 * reconnect. Zero-initialise; the copy is malloc'ed and owned by the
 * cache. One cache per statement and parameter values. */
#define DB_CACHE_CHANNEL "medsys_cache"
struct db_cache {
	unsigned long generation;   /* db_generation() when filled; 0: empty */
	size_t rows;
	int cols;
	char **cells;               /* rows * cols strings */
};

/* Make c hold the rows of the named statement: from the copy when it is
 * current, else by running the statement. DB_OK, or the statement's
 * failure (c is then empty). */
enum db_status db_cached_query(struct db_cache *c, const char *name, int nparams,
                               const char *const *params);
/* Like db_value, on a cache ("" out of range). */
const char *db_cache_value(const struct db_cache *c, size_t row, int col);
void db_cache_clear(struct db_cache *c);

/* Close the connection (tests and daemons that drop it on purpose). */
void db_disconnect(void);

#endif
