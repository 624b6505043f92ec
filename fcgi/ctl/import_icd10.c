/* import_icd10: reads an ICD-10 catalog file line by line with the pure
 * parser (lib/icd10.c) and upserts each code in one transaction. */
#include "ctl/import_icd10.h"

#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/fields.h"

#define CMD "medsysctl import icd10"
/* Malformed lines named one by one; the rest are only counted. */
#define ERRORS_SHOWN 20

struct counts {
	size_t lines, codes, inserted, updated, malformed;
};

static int
usage(void)
{
	fprintf(stderr, "usage: medsysctl import icd10 FILE [--format project|cms-order] [--release TEXT]\n"
	        "  project    the project's catalog (data/icd10/primary-care.tsv): code, leaf,\n"
	        "             Spanish title, English title, separated by tabs\n"
	        "  cms-order  the CMS ICD-10-CM order file (icd10cm_order_YYYY.txt): English titles;\n"
	        "             Spanish titles already loaded are kept\n"
	        "  --release  what the rows' source says (default: the file's name)\n"
	        "  (docs/catalogs.md)\n");
	return 2;
}

int
import_icd10_args(int argc, char **argv, struct icd10_import *imp)
{
	const char *format = NULL, *release = NULL, *base;

	memset(imp, 0, sizeof(*imp));
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			format = argv[++i];
		else if (strcmp(argv[i], "--release") == 0 && i + 1 < argc)
			release = argv[++i];
		else if (argv[i][0] != '-' && imp->path == NULL)
			imp->path = argv[i];
		else
			return usage();
	}
	if (imp->path == NULL)
		return usage();
	base = strrchr(imp->path, '/') ? strrchr(imp->path, '/') + 1 : imp->path;
	if (format == NULL)
		format = strncmp(base, "icd10cm_order", 13) == 0 ? "cms-order" : "project";
	if ((imp->format = icd10_format_named(format)) == ICD10_FORMAT__MAX) {
		fprintf(stderr, CMD ": unknown format \"%s\"\n", format);
		return usage();
	}
	if (release && (release[0] == '\0' || strlen(release) >= sizeof(imp->release))) {
		fprintf(stderr, CMD ": --release takes 1 to %zu characters\n", sizeof(imp->release) - 1);
		return 2;
	}
	snprintf(imp->release, sizeof(imp->release), "%s", release ? release : base);
	return 0;
}

/* Parse one line; a malformed one is named on err. ICD10_OK, ICD10_SKIP
 * or the failure. Titles must be UTF-8 (the parser copies bytes). */
static enum icd10_status
check_line(const struct icd10_import *imp, const char *line, size_t len, struct counts *n,
           struct icd10_entry *e, FILE *err)
{
	enum icd10_status st = icd10_parse_line(imp->format, line, len, e);
	const char *why = NULL;

	if (st == ICD10_OK && (!utf8_valid_text(e->title_es, strlen(e->title_es)) ||
	                       !utf8_valid_text(e->title_en, strlen(e->title_en))))
		why = "a title is not UTF-8 text (convert the file first, e.g. iconv -f LATIN1 -t UTF-8)";
	else if (st >= ICD10_BAD_LENGTH)
		why = icd10_status_text(st);
	if (why == NULL)
		return st;
	if (n->malformed++ < ERRORS_SHOWN)
		fprintf(err, CMD ": %s line %zu: %s\n", imp->path, n->lines, why);
	return ICD10_BAD_FIELDS;
}

/* Codes waiting to be sent: DB_BATCH_MAX upserts go in one round trip
 * (a full CMS release is some 98,000 lines). */
struct pending {
	size_t n;
	struct icd10_entry e[DB_BATCH_MAX];
	char chapter[DB_BATCH_MAX][8];
	const char *p[DB_BATCH_MAX][6];
};

/* Send the pending upserts; count the codes they inserted or changed. */
static enum db_status
flush(struct pending *q, struct counts *n)
{
	struct db_batch b = { 0 };
	enum db_status st;

	if (q->n == 0)
		return DB_OK;
	for (size_t i = 0; i < q->n; i++)
		db_batch_add(&b, "icd10_upsert", 6, q->p[i]);
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

/* Queue one code's upsert; sends the queue when it is full. */
static enum db_status
upsert(const struct icd10_import *imp, const struct icd10_entry *e, struct pending *q,
       struct counts *n)
{
	size_t i = q->n++;
	const char **p = q->p[i];

	q->e[i] = *e;
	snprintf(q->chapter[i], sizeof(q->chapter[i]), "%d", e->chapter);
	p[0] = q->e[i].code;
	p[1] = q->e[i].title_es[0] ? q->e[i].title_es : NULL;   /* NULL: keep the Spanish title */
	p[2] = q->e[i].title_en;
	p[3] = e->leaf ? "true" : "false";
	p[4] = q->chapter[i];
	p[5] = imp->release;
	return q->n == DB_BATCH_MAX ? flush(q, n) : DB_OK;
}

/* Every line of f: checked, and upserted while none was malformed. */
static enum db_status
load_lines(const struct icd10_import *imp, FILE *f, struct counts *n, FILE *err)
{
	struct pending *q = calloc(1, sizeof(*q));
	struct icd10_entry e;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	enum db_status st = DB_OK;

	if (q == NULL)
		return DB_ERROR;
	while ((len = getline(&line, &cap, f)) != -1) {
		n->lines++;
		if (len > 0 && line[len - 1] == '\n')
			len--;
		if (check_line(imp, line, (size_t)len, n, &e, err) != ICD10_OK)
			continue;
		n->codes++;
		if (n->malformed == 0 && (st = upsert(imp, &e, q, n)) != DB_OK)
			break;
	}
	if (st == DB_OK && n->malformed == 0)
		st = flush(q, n);
	free(line);
	free(q);
	return st;
}

/* Why nothing was imported, and what to do; always 1. */
static int
refuse(const struct icd10_import *imp, const struct counts *n, FILE *err)
{
	if (n->malformed > ERRORS_SHOWN)
		fprintf(err, CMD ": ... and %zu more malformed lines\n", n->malformed - ERRORS_SHOWN);
	if (n->malformed)
		fprintf(err, CMD ": %zu of %zu lines are malformed; nothing was imported\n"
		        "HINT: correct those lines (the format is in docs/catalogs.md; the file "
		        "was read as --format %s) and run the command again\n",
		        n->malformed, n->lines, imp->format == ICD10_FORMAT_CMS_ORDER ? "cms-order" : "project");
	else
		fprintf(err, CMD ": %s holds no codes; nothing was imported\n"
		        "HINT: is it the right file?\n", imp->path);
	return 1;
}

int
import_icd10_run(const struct icd10_import *imp, FILE *out, FILE *err)
{
	struct counts n = { 0 };
	enum db_status st;
	FILE *f = fopen(imp->path, "r");
	int rc = 1;

	if (f == NULL) {
		fprintf(err, CMD ": cannot read %s\n", imp->path);
		return 1;
	}
	if (db_begin() != DB_OK) {
		fprintf(err, CMD ": the database is unavailable\n");
		goto out;
	}
	st = load_lines(imp, f, &n, err);
	if (ferror(f) || st != DB_OK || n.malformed || n.codes == 0) {
		db_rollback();
		if (ferror(f))
			fprintf(err, CMD ": reading %s failed; nothing was imported\n", imp->path);
		else if (st != DB_OK)
			fprintf(err, CMD ": %s: the lines before line %zu could not be written "
			        "(database error); nothing was imported\n", imp->path, n.lines + 1);
		else
			refuse(imp, &n, err);
		goto out;
	}
	if (db_commit() != DB_OK) {
		fprintf(err, CMD ": the transaction could not be committed; nothing was imported\n");
		goto out;
	}
	fprintf(out, "%s: %zu codes read from %zu lines: %zu new, %zu updated, %zu unchanged "
	        "(source \"%s\")\n", imp->path, n.codes, n.lines, n.inserted, n.updated,
	        n.codes - n.inserted - n.updated, imp->release);
	rc = 0;
out:
	fclose(f);
	return rc;
}
