/* import_catalog: the shared loop of the catalog imports: check every line,
 * then write all or nothing. */
#include "ctl/import_catalog.h"

#include <stdlib.h>
#include <string.h>

/* Malformed lines named one by one; the rest are only counted. */
#define ERRORS_SHOWN 20

/* The rows' keys seen so far, with their line numbers: a key twice in one
 * file is a mistake (the later line would silently replace the earlier).
 * Open addressing, FNV-1a, grown at half full. */
struct seen {
	char **key;
	size_t *line;
	size_t cap, n;
};

static size_t
key_hash(const char *k)
{
	size_t h = (size_t)14695981039346656037ULL;

	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * (size_t)1099511628211ULL;
	return h;
}

/* The slot of k: where it is, or the empty one where it goes. */
static size_t
seen_slot(const struct seen *s, const char *k)
{
	size_t i = key_hash(k) & (s->cap - 1);

	while (s->key[i] && strcmp(s->key[i], k) != 0)
		i = (i + 1) & (s->cap - 1);
	return i;
}

static int
seen_grow(struct seen *s)
{
	struct seen bigger = { .cap = s->cap ? s->cap * 2 : 1024 };

	bigger.key = calloc(bigger.cap, sizeof(*bigger.key));
	bigger.line = calloc(bigger.cap, sizeof(*bigger.line));
	if (bigger.key == NULL || bigger.line == NULL) {
		free(bigger.key);
		free(bigger.line);
		return -1;
	}
	for (size_t i = 0; i < s->cap; i++) {
		if (s->key[i]) {
			size_t j = seen_slot(&bigger, s->key[i]);
			bigger.key[j] = s->key[i];
			bigger.line[j] = s->line[i];
		}
	}
	bigger.n = s->n;
	free(s->key);
	free(s->line);
	*s = bigger;
	return 0;
}

/* Remember key at line; the line it was first seen at when it was, 0 when
 * it is new (or -1 as size_t when out of memory). */
static size_t
seen_add(struct seen *s, const char *key, size_t line)
{
	size_t i;

	if (2 * (s->n + 1) > s->cap && seen_grow(s) == -1)
		return (size_t)-1;
	i = seen_slot(s, key);
	if (s->key[i])
		return s->line[i];
	if ((s->key[i] = strdup(key)) == NULL)
		return (size_t)-1;
	s->line[i] = line;
	s->n++;
	return 0;
}

static void
seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->key[i]);
	free(s->key);
	free(s->line);
}

/* Rows waiting to be sent: DB_BATCH_MAX upserts go in one round trip (a
 * full CMS ICD-10 release is some 98,000 lines). */
struct pending {
	size_t n;
	unsigned char *slots;                 /* DB_BATCH_MAX slots of slot_size */
	const char *p[DB_BATCH_MAX][CATALOG_PARAMS_MAX];
	struct seen seen;
};

/* Send the pending upserts; count the rows they inserted or changed. */
static enum db_status
flush(const struct catalog_loader *l, struct pending *q, struct catalog_counts *n)
{
	struct db_batch b = { 0 };
	enum db_status st;

	if (q->n == 0)
		return DB_OK;
	for (size_t i = 0; i < q->n; i++)
		db_batch_add(&b, l->stmt, l->nparams, q->p[i]);
	st = db_batch_run(&b);
	for (size_t i = 0; st == DB_OK && i < q->n; i++) {
		if (db_rows(b.res[i]) == 1) {
			if (strcmp(db_value(b.res[i], 0, 0), "t") == 0)
				n->inserted++;
			else
				n->updated++;
		}
		db_result_free(b.res[i]);
	}
	q->n = 0;
	return st;
}

/* Every line of f: checked, and queued for upsert while none was malformed. */
static enum db_status
load_lines(const struct catalog_loader *l, FILE *f, struct pending *q,
           struct catalog_counts *n, FILE *err)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	enum db_status st = DB_OK;

	while ((len = getline(&line, &cap, f)) != -1) {
		char *text = line, dup[260];
		const char *why = NULL, *key = NULL;
		enum catalog_line kind;
		size_t first;

		n->lines++;
		if (len > 0 && line[len - 1] == '\n')
			len--;
		if (n->lines == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0)
			text += 3, len -= 3;   /* the byte-order mark some editors write */
		kind = l->line(l->ctx, text, (size_t)len, q->slots + q->n * l->slot_size, q->p[q->n], &key, &why);
		if (kind == CATALOG_ROW && key && (first = seen_add(&q->seen, key, n->lines)) != 0) {
			kind = CATALOG_BAD;
			why = first == (size_t)-1 ? "out of memory"
			    : (snprintf(dup, sizeof(dup), "%.200s is already on line %zu", key, first), dup);
		}
		if (kind == CATALOG_BAD) {
			if (n->malformed++ < ERRORS_SHOWN)
				fprintf(err, "%s: %s line %zu: %s\n", l->cmd, l->path, n->lines,
				        why ? why : "malformed");
			continue;
		}
		if (kind != CATALOG_ROW)
			continue;
		n->rows++;
		if (n->malformed == 0 && ++q->n == DB_BATCH_MAX && (st = flush(l, q, n)) != DB_OK)
			break;
	}
	if (st == DB_OK && n->malformed == 0)
		st = flush(l, q, n);
	free(line);
	return st;
}

/* Why nothing was imported, and what to do. */
static void
refuse(const struct catalog_loader *l, const struct catalog_counts *n, FILE *err)
{
	if (n->malformed > ERRORS_SHOWN)
		fprintf(err, "%s: ... and %zu more malformed lines\n", l->cmd, n->malformed - ERRORS_SHOWN);
	if (n->malformed)
		fprintf(err, "%s: %zu of %zu lines are malformed; nothing was imported\n"
		        "HINT: correct those lines (%s) and run the command again\n",
		        l->cmd, n->malformed, n->lines, l->hint);
	else
		fprintf(err, "%s: %s holds no %s; nothing was imported\n"
		        "HINT: is it the right file?\n", l->cmd, l->path, l->noun);
}

/* Inside the open transaction: the lines, then finish(). 0 written, 1
 * refused or failed (said on err). */
static int
load(const struct catalog_loader *l, FILE *f, struct pending *q, struct catalog_counts *n, FILE *err)
{
	enum db_status st = load_lines(l, f, q, n, err);
	int fin = 0;

	if (ferror(f)) {
		fprintf(err, "%s: reading %s failed; nothing was imported\n", l->cmd, l->path);
		return 1;
	}
	if (st != DB_OK) {
		fprintf(err, "%s: %s: the lines before line %zu could not be written "
		        "(database error); nothing was imported\n", l->cmd, l->path, n->lines + 1);
		return 1;
	}
	if (n->malformed || n->rows == 0) {
		refuse(l, n, err);
		return 1;
	}
	if (l->finish && (fin = l->finish(l->ctx, n, err)) != 0) {
		if (fin == -1)
			fprintf(err, "%s: %s: the last step failed (database error); nothing was imported\n",
			        l->cmd, l->path);
		else
			fprintf(err, "%s: nothing was imported\n", l->cmd);
		return 1;
	}
	return 0;
}

int
catalog_load(const struct catalog_loader *l, struct catalog_counts *n, FILE *out, FILE *err)
{
	struct pending *q = calloc(1, sizeof(*q));
	FILE *f = NULL;
	int rc = 1;

	memset(n, 0, sizeof(*n));
	if (q == NULL || l->nparams > CATALOG_PARAMS_MAX ||
	    (q->slots = calloc(DB_BATCH_MAX, l->slot_size ? l->slot_size : 1)) == NULL) {
		fprintf(err, "%s: out of memory\n", l->cmd);
		goto out;
	}
	if ((f = fopen(l->path, "r")) == NULL) {
		fprintf(err, "%s: cannot read %s\n", l->cmd, l->path);
		goto out;
	}
	if (!l->nested && db_begin() != DB_OK) {
		fprintf(err, "%s: the database is unavailable\n", l->cmd);
		goto out;
	}
	if (load(l, f, q, n, err) != 0) {
		if (!l->nested)
			db_rollback();
		goto out;
	}
	if (!l->nested && db_commit() != DB_OK) {
		fprintf(err, "%s: the transaction could not be committed; nothing was imported\n", l->cmd);
		goto out;
	}
	fprintf(out, "%s: %zu %s read from %zu lines: %zu new, %zu updated, %zu unchanged%s\n", l->path,
	        n->rows, l->noun, n->lines, n->inserted, n->updated, n->rows - n->inserted - n->updated,
	        l->note ? l->note : "");
	rc = 0;
out:
	if (f)
		fclose(f);
	if (q) {
		free(q->slots);
		seen_free(&q->seen);
	}
	free(q);
	return rc;
}

void
catalog_keys_add(struct catalog_keys *k, const char *key)
{
	size_t need = 2 * strlen(key) + 4;

	if (k->out_of_memory)
		return;
	if (k->len + need + 2 > k->cap) {
		size_t cap = (k->cap + need) * 2 + 64;
		char *t = realloc(k->text, cap);
		if (t == NULL) {
			k->out_of_memory = 1;
			return;
		}
		k->text = t;
		k->cap = cap;
	}
	k->text[k->len] = k->len == 0 ? '{' : ',';
	k->len++;
	k->text[k->len++] = '"';
	for (; *key; key++) {
		if (*key == '"' || *key == '\\')
			k->text[k->len++] = '\\';
		k->text[k->len++] = *key;
	}
	k->text[k->len++] = '"';
	k->text[k->len] = '\0';
}

const char *
catalog_keys_literal(struct catalog_keys *k)
{
	if (k->out_of_memory)
		return NULL;
	if (k->len == 0)
		return "{}";
	k->text[k->len] = '}';       /* room kept by catalog_keys_add */
	k->text[k->len + 1] = '\0';
	return k->text;
}

void
catalog_keys_free(struct catalog_keys *k)
{
	free(k->text);
	memset(k, 0, sizeof(*k));
}
