/* import_lab: the lab catalog files through the shared import loop
 * (ctl/import_catalog.c) and the pure line parser (lib/labcat.c), the
 * four files in one transaction. */
#include "ctl/import_lab.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/db.h"
#include "core/fields.h"
#include "ctl/import_catalog.h"

#define CMD "medsysctl import lab-catalog"

/* An analyte of the catalog (or of the file being imported with it). */
struct known {
	char code[12];
	char kind[8];
};

/* An age band of ranges.csv, to refuse two lines that overlap. */
struct band {
	char analyte[12];
	char sex[8];
	long min, max;      /* max -1: no upper bound */
	size_t line;
};

/* The state of one file's import. */
struct state {
	const struct lab_catalog_import *imp;
	enum labcat_kind kind;
	int header_seen;
	size_t line;
	char why[700];
	char key[120];
	struct catalog_keys keys;
	struct known *known;         /* sorted by code, byte order */
	size_t nknown;
	struct band *bands;
	size_t nbands, bands_cap;
	size_t retired;
};

static const char *const nouns[LABCAT__MAX] = {
	[LABCAT_ANALYTES] = "analytes", [LABCAT_CONVERSIONS] = "conversions",
	[LABCAT_PANELS] = "panels", [LABCAT_RANGES] = "ranges",
};
static const char *const upserts[LABCAT__MAX] = {
	[LABCAT_ANALYTES] = "lab_analyte_upsert", [LABCAT_CONVERSIONS] = "lab_conversion_upsert",
	[LABCAT_PANELS] = "lab_panel_upsert", [LABCAT_RANGES] = "lab_range_upsert",
};
static const char *const retires[LABCAT__MAX] = {
	[LABCAT_ANALYTES] = "lab_analyte_retire", [LABCAT_CONVERSIONS] = "lab_conversion_retire",
	[LABCAT_PANELS] = "lab_panel_retire", [LABCAT_RANGES] = "lab_range_retire",
};

static int
usage(void)
{
	fprintf(stderr, "usage: medsysctl import lab-catalog PATH... [--retire-missing]\n"
	        "  PATH  a directory (data/lab) or its files: analytes.csv, conversions.csv,\n"
	        "        panels.csv, ranges.csv; loaded in that order, in one transaction\n"
	        "  --retire-missing  analytes and panels the files do not list are marked\n"
	        "                    inactive (never deleted); conversions and ranges are removed\n"
	        "  the columns are in data/lab/README.md and docs/catalogs.md\n");
	return 2;
}

/* Take one PATH: a directory's files, or one file named by its kind. */
static int
add_path(struct lab_catalog_import *imp, const char *path)
{
	struct stat st;
	enum labcat_kind k;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		int any = 0;
		for (k = 0; k < LABCAT__MAX; k++) {
			char *f = imp->dir_path[k];
			snprintf(f, sizeof(imp->dir_path[k]), "%s/%s", path, labcat_file_name(k));
			if (stat(f, &st) == 0 && !imp->path[k])
				imp->path[k] = f, any = 1;
		}
		if (!any)
			fprintf(stderr, CMD ": %s holds none of analytes.csv, conversions.csv, "
			        "panels.csv, ranges.csv\n", path);
		return any ? 0 : 2;
	}
	if ((k = labcat_kind_of_file(path)) == LABCAT__MAX || imp->path[k]) {
		fprintf(stderr, CMD ": %s: %s\n", path, k == LABCAT__MAX
		        ? "the file's name says what it holds: analytes.csv, conversions.csv, panels.csv "
		          "or ranges.csv" : "a second file of that name");
		return 2;
	}
	imp->path[k] = path;
	return 0;
}

int
import_lab_args(int argc, char **argv, struct lab_catalog_import *imp)
{
	int paths = 0, rc;

	memset(imp, 0, sizeof(*imp));
	if (argc < 1 || strcmp(argv[0], "lab-catalog") != 0)
		return usage();
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--retire-missing") == 0) {
			imp->retire_missing = 1;
		} else if (argv[i][0] == '-') {
			return usage();
		} else {
			if ((rc = add_path(imp, argv[i])) != 0)
				return rc;
			paths++;
		}
	}
	return paths ? 0 : usage();
}

static int
known_cmp(const void *a, const void *b)
{
	return strcmp(((const struct known *)a)->code, ((const struct known *)b)->code);
}

/* The kind of analyte code ("numeric"...), or NULL when it is unknown. */
static const char *
known_kind(const struct state *s, const char *code)
{
	struct known k, *hit;

	memset(&k, 0, sizeof(k));
	snprintf(k.code, sizeof(k.code), "%s", code);
	hit = s->known ? bsearch(&k, s->known, s->nknown, sizeof(k), known_cmp) : NULL;
	return hit ? hit->kind : NULL;
}

/* The analytes as the transaction sees them (the file just loaded too). */
static int
load_known(struct state *s)
{
	struct db_result *res;
	size_t n;

	if (db_query(&res, "lab_analyte_kinds", 0, NULL) != DB_OK)
		return -1;
	n = db_rows(res);
	if ((s->known = calloc(n ? n : 1, sizeof(*s->known))) == NULL) {
		db_result_free(res);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(s->known[i].code, sizeof(s->known[i].code), "%s", db_value(res, i, 0));
		snprintf(s->known[i].kind, sizeof(s->known[i].kind), "%s", db_value(res, i, 1));
	}
	s->nknown = n;
	qsort(s->known, n, sizeof(*s->known), known_cmp);   /* strcmp order, as bsearch wants */
	db_result_free(res);
	return 0;
}

/* Why the line's analyte reference in column col is refused, or NULL. */
static const char *
check_analyte(struct state *s, size_t col, const char *code, int numeric)
{
	const char *kind = known_kind(s, code);

	if (kind && (!numeric || strcmp(kind, "numeric") == 0))
		return NULL;
	snprintf(s->why, sizeof(s->why), "column %zu (%s): %s %s", col + 1,
	         labcat_column_name(s->kind, col), code,
	         kind ? "is not a numeric analyte (only numeric ones have ranges)"
	              : "is no analyte of the catalog (import analytes.csv with it)");
	return s->why;
}

/* A range line's age band: refused when it overlaps an earlier line's of
 * the same analyte and sex (the table would refuse it, without a line). */
static const char *
check_band(struct state *s, const char *const *f)
{
	struct band b = { .min = atol(f[2]), .max = f[3][0] ? atol(f[3]) : -1, .line = s->line };

	snprintf(b.analyte, sizeof(b.analyte), "%s", f[0]);
	snprintf(b.sex, sizeof(b.sex), "%s", f[1]);
	for (size_t i = 0; i < s->nbands; i++) {
		const struct band *o = &s->bands[i];
		if (strcmp(o->analyte, b.analyte) == 0 && strcmp(o->sex, b.sex) == 0 &&
		    (o->max == -1 || b.min < o->max) && (b.max == -1 || o->min < b.max)) {
			snprintf(s->why, sizeof(s->why), "column 3 (age_min_days): the age band overlaps "
			         "line %zu's (same analyte and sex)", o->line);
			return s->why;
		}
	}
	if (s->nbands == s->bands_cap) {
		size_t cap = s->bands_cap ? 2 * s->bands_cap : 64;
		struct band *nb = realloc(s->bands, cap * sizeof(*nb));
		if (nb == NULL)
			return "out of memory";
		s->bands = nb;
		s->bands_cap = cap;
	}
	s->bands[s->nbands++] = b;
	return NULL;
}

/* The references of a line to analytes, by kind of file. */
static const char *
check_refs(struct state *s, const char *const *f)
{
	char code[48];
	const char *why = NULL;

	switch (s->kind) {
	case LABCAT_CONVERSIONS:
		return f[0][0] ? check_analyte(s, 0, f[0], 0) : NULL;
	case LABCAT_PANELS:
		for (size_t i = 0; !why && labcat_list_item(f[3], i, code, sizeof(code)); i++)
			why = check_analyte(s, 3, code, 0);
		return why;
	case LABCAT_RANGES:
		return (why = check_analyte(s, 0, f[0], 1)) ? why : check_band(s, f);
	default:
		return NULL;
	}
}

/* What identifies the row: in the file (twice is refused) and for the
 * statements that retire what the file omits. */
static const char *
row_key(struct state *s, const char *const *f)
{
	switch (s->kind) {
	case LABCAT_CONVERSIONS: snprintf(s->key, sizeof(s->key), "%s|%s|%s", f[0], f[1], f[2]); break;
	case LABCAT_RANGES: snprintf(s->key, sizeof(s->key), "%s|%s|%s", f[0], f[1], f[2]); break;
	default: snprintf(s->key, sizeof(s->key), "%s", f[0]); break;
	}
	return s->key;
}

static enum catalog_line
lab_line(void *ctx, const char *text, size_t len, void *slot, const char **p, const char **key,
         const char **why)
{
	struct state *s = ctx;
	struct labcat_row *row = slot;
	enum labcat_status st = labcat_parse_line(s->kind, s->header_seen, text, len, row);

	s->line++;
	if (st == LABCAT_HEADER || st == LABCAT_BAD_HEADER)
		s->header_seen = 1;  /* a bad one named once; the lines after it checked as rows */
	if (st == LABCAT_SKIP || st == LABCAT_HEADER)
		return CATALOG_SKIP;
	*why = labcat_problem(s->kind, st, row, s->why, sizeof(s->why));
	if (st != LABCAT_OK)
		return CATALOG_BAD;
	for (size_t i = 0; i < row->nfields; i++) {
		if (!utf8_valid_text(row->field[i], strlen(row->field[i]))) {
			snprintf(s->why, sizeof(s->why), "column %zu (%s) is not UTF-8 text (convert the file "
			         "first, e.g. iconv -f LATIN1 -t UTF-8)", i + 1, labcat_column_name(s->kind, i));
			return CATALOG_BAD;
		}
		p[i] = row->field[i];
	}
	if ((*why = check_refs(s, row->field)) != NULL)
		return CATALOG_BAD;
	*key = row_key(s, row->field);
	catalog_keys_add(&s->keys, *key);
	return CATALOG_ROW;
}

/* After the file's rows: the ranges of the analytes it names become
 * exactly its lines; with --retire-missing, what it omits is retired. */
static int
finish(void *ctx, struct catalog_counts *n, FILE *err)
{
	struct state *s = ctx;
	const char *p[2];
	size_t rows = 0;

	(void)err;
	if (s->kind != LABCAT_RANGES && !s->imp->retire_missing)
		return 0;
	if ((p[0] = catalog_keys_literal(&s->keys)) == NULL)
		return -1;
	p[1] = s->imp->retire_missing ? "all" : "named";
	if (db_run_rows(retires[s->kind], s->kind == LABCAT_RANGES ? 2 : 1, p, &rows) != DB_OK)
		return -1;
	n->retired = rows;
	return 0;
}

/* One file inside the open transaction: 0 loaded, 1 refused or failed. */
static int
load_file(const struct lab_catalog_import *imp, enum labcat_kind k, FILE *out, FILE *err)
{
	char hint[300];
	struct state s = { .imp = imp, .kind = k };
	struct catalog_counts n;
	struct catalog_loader l = {
		.cmd = CMD, .path = imp->path[k], .noun = nouns[k], .stmt = upserts[k],
		.nparams = (int)labcat_columns(k), .slot_size = sizeof(struct labcat_row),
		.line = lab_line, .finish = finish, .ctx = &s, .hint = hint, .nested = 1,
	};
	int rc = 1;

	snprintf(hint, sizeof(hint), "the columns are in data/lab/README.md; the first line is the "
	         "header %s", labcat_header(k));
	if (k != LABCAT_ANALYTES && load_known(&s) == -1) {
		fprintf(err, CMD ": the database is unavailable\n");
		goto out;
	}
	if (catalog_load(&l, &n, out, err) != 0)
		goto out;
	if (n.retired)
		fprintf(out, "%s: %zu %s\n", imp->path[k], n.retired,
		        k == LABCAT_RANGES ? "ranges no longer listed were removed"
		        : k == LABCAT_CONVERSIONS ? "conversions no longer listed were removed"
		        : "rows no longer listed are now inactive");
	rc = 0;
out:
	catalog_keys_free(&s.keys);
	free(s.known);
	free(s.bands);
	return rc;
}

int
import_lab_run(const struct lab_catalog_import *imp, FILE *out, FILE *err)
{
	if (db_begin() != DB_OK) {
		fprintf(err, CMD ": the database is unavailable\n");
		return 1;
	}
	for (enum labcat_kind k = 0; k < LABCAT__MAX; k++) {
		if (imp->path[k] && load_file(imp, k, out, err) != 0) {
			db_rollback();
			fprintf(err, CMD ": nothing was imported (the files load together)\n");
			return 1;
		}
	}
	if (db_commit() != DB_OK) {
		fprintf(err, CMD ": the transaction could not be committed; nothing was imported\n");
		return 1;
	}
	return 0;
}
