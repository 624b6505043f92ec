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
 * .sql files of queries_dir. Does not connect yet. -1 with a message. */
int db_init(const char *conninfo, const char *queries_dir, int connect_timeout,
            char *err, size_t errlen);
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

/* Transactions on the worker's connection. db_begin connects if needed.
 * After any failed statement inside, call db_rollback. */
enum db_status db_begin(void);
enum db_status db_commit(void);
void db_rollback(void);

/* LISTEN on channel now and again after every reconnect (the registration
 * dies with the connection). DB_OK or DB_UNAVAILABLE. */
enum db_status db_listen(const char *channel);

/* Wait up to timeout_ms for a notification on a LISTENed channel.
 * 1: one or more arrived (all consumed); 0: timed out; -1: the connection
 * broke (the next db_ensure reconnects and re-LISTENs). */
int db_wait_notify(int timeout_ms);

/* Close the connection (tests and daemons that drop it on purpose). */
void db_disconnect(void);

#endif
