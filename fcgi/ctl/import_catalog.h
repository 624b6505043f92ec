/* import_catalog: what every `medsysctl import CATALOG FILE` does the same
 * way: read the file line by line, check every line with the catalog's
 * pure parser (lib/), name each malformed one with its line number, and
 * only when none is malformed upsert every row in one transaction, in
 * batches of DB_BATCH_MAX statements. docs/catalogs.md. */
#ifndef MEDSYS_IMPORT_CATALOG_H
#define MEDSYS_IMPORT_CATALOG_H

#include <stddef.h>
#include <stdio.h>

#include "core/db.h"

enum catalog_line {
	CATALOG_ROW = 0,    /* a row to upsert: params are set */
	CATALOG_SKIP,       /* nothing to write (blank, comment, header) */
	CATALOG_BAD,        /* malformed: why is set */
	CATALOG_LINE__MAX
};

#define CATALOG_PARAMS_MAX 20

struct catalog_counts {
	size_t lines, rows, inserted, updated, malformed, retired;
};

struct catalog_loader {
	const char *cmd;        /* "medsysctl import icd10": starts each message */
	const char *path;
	const char *noun;       /* what a row is called in messages: "codes" */
	const char *stmt;       /* the upsert (sql/import): one row back, 't' when
	                         * inserted, 'f' when changed; none when unchanged */
	int nparams;
	size_t slot_size;       /* bytes line() may keep a row's parameters in */
	/* Check one line (len bytes, no newline, no byte-order mark) and set
	 * params[0..nparams) to its statement's parameters, pointing into
	 * slot (kept until the batch is sent) or static storage, and *key to
	 * what identifies the row (a key seen on an earlier line makes the
	 * line malformed); a malformed line sets *why (valid until the next
	 * call). */
	enum catalog_line (*line)(void *ctx, const char *text, size_t len, void *slot,
	                          const char **params, const char **key, const char **why);
	/* After every row, inside the transaction (NULL: nothing): 0, 1 when
	 * it refuses the import (it said why on err), -1 a database error.
	 * It may set n->retired. */
	int (*finish)(void *ctx, struct catalog_counts *n, FILE *err);
	void *ctx;
	const char *hint;       /* how to correct malformed lines ("the format is
	                         * in docs/catalogs.md; ...") */
	const char *note;       /* ends the counts line (" (source \"x\")"), or NULL */
	int nested;             /* the caller began the transaction and commits or
	                         * rolls it back (several files as one import) */
};

/* What identifies the rows a file listed, as a text[] literal for the
 * statements that retire the others (--retire-missing). */
struct catalog_keys {
	char *text;
	size_t len, cap;
	int out_of_memory;
};

/* Append key (in double quotes, '"' and '\' escaped). */
void catalog_keys_add(struct catalog_keys *k, const char *key);

/* The literal ("{}" when no key was added), or NULL when out of memory;
 * valid until the next add or free. */
const char *catalog_keys_literal(struct catalog_keys *k);

void catalog_keys_free(struct catalog_keys *k);

/* Load the file into the open database. 0 when every row was written and
 * committed (the counts in *n, and a line on out: "FILE: N codes read
 * from M lines: a new, b updated, c unchanged"), 1 when nothing was (the
 * reasons on err). */
int catalog_load(const struct catalog_loader *l, struct catalog_counts *n, FILE *out, FILE *err);

#endif
