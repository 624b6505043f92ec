/* import_formulary: the prescription catalogs (products, interaction
 * pairs, allergy terms) through the shared import loop
 * (ctl/import_catalog.c) and the pure line parser (lib/formulary.c). */
#include "ctl/import_formulary.h"

#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/fields.h"
#include "ctl/import_catalog.h"

/* What each kind of file is called and written with. */
static const struct {
	const char *cmd, *noun, *upsert, *retire, *unknown, *retired_text;
} kinds[FCAT__MAX] = {
	[FCAT_PRODUCTS] = { "medsysctl import formulary", "products", "formulary_upsert",
		"formulary_retire", NULL, "products the file does not list are now inactive" },
	[FCAT_INTERACTIONS] = { "medsysctl import interactions", "pairs", "interactions_upsert",
		"interactions_retire", "interactions_unknown", "pairs the file does not list were removed" },
	[FCAT_ALLERGY_TERMS] = { "medsysctl import allergy-terms", "terms", "allergy_terms_upsert",
		"allergy_terms_retire", "allergy_terms_unknown", "terms the file does not list were removed" },
};

/* The state of one import: the header seen, the message and the key of
 * the last line, and (for --retire-missing) the rows' keys as a text[]
 * literal. */
struct state {
	const struct formulary_import *imp;
	int header_seen;
	char why[600];
	char key[200];       /* FCAT refs are at most 80 bytes, a term 80 */
	struct catalog_keys keys;
};

static int
usage(void)
{
	fprintf(stderr, "usage: medsysctl import formulary|interactions|allergy-terms FILE [--retire-missing]\n"
	        "  formulary       products: data/formulary/formulary.csv\n"
	        "  interactions    interaction pairs: data/formulary/interactions.csv\n"
	        "  allergy-terms   words for drug allergies: data/formulary/allergy_terms.csv\n"
	        "  --retire-missing  products the file does not list are marked inactive (never\n"
	        "                    deleted); pairs and terms it does not list are removed\n"
	        "  the columns are in data/formulary/README.md and docs/catalogs.md\n");
	return 2;
}

int
import_formulary_args(int argc, char **argv, struct formulary_import *imp)
{
	memset(imp, 0, sizeof(*imp));
	if (argc < 1 || (imp->kind = fcat_kind_named(argv[0])) == FCAT__MAX)
		return usage();
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--retire-missing") == 0)
			imp->retire_missing = 1;
		else if (argv[i][0] != '-' && imp->path == NULL)
			imp->path = argv[i];
		else
			return usage();
	}
	return imp->path ? 0 : usage();
}

/* What identifies the row, in the file (a key twice is refused) and for
 * --retire-missing: the code; a pair in stored order (byte order, as the
 * upsert orders it) as "a|b"; "term|matches" with the term in lowercase
 * (the table folds it further, accents too). */
static const char *
row_key(struct state *s, const struct fcat_row *row)
{
	const char *const *f = row->field;
	int swap = s->imp->kind == FCAT_INTERACTIONS && strcmp(f[0], f[1]) > 0;

	if (s->imp->kind == FCAT_PRODUCTS)
		return f[0];
	snprintf(s->key, sizeof(s->key), "%s|%s", f[swap], f[!swap]);
	for (char *c = s->key; s->imp->kind == FCAT_ALLERGY_TERMS && *c != '|'; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	return s->key;
}

static enum catalog_line
fcat_line(void *ctx, const char *text, size_t len, void *slot, const char **p, const char **key,
          const char **why)
{
	struct state *s = ctx;
	struct fcat_row *row = slot;
	enum fcat_status st = fcat_parse_line(s->imp->kind, s->header_seen, text, len, row);

	if (st == FCAT_HEADER)
		s->header_seen = 1;
	if (st == FCAT_SKIP || st == FCAT_HEADER)
		return CATALOG_SKIP;
	if (st == FCAT_BAD_HEADER)
		s->header_seen = 1;   /* named once; the lines after it are checked as rows */
	*why = fcat_problem(s->imp->kind, st, row, s->why, sizeof(s->why));
	if (st != FCAT_OK)
		return CATALOG_BAD;
	for (size_t i = 0; i < row->nfields; i++) {
		if (!utf8_valid_text(row->field[i], strlen(row->field[i]))) {
			snprintf(s->why, sizeof(s->why), "column %zu (%s) is not UTF-8 text (convert the file "
			         "first, e.g. iconv -f LATIN1 -t UTF-8)", i + 1, fcat_column_name(s->imp->kind, i));
			return CATALOG_BAD;
		}
		p[i] = row->field[i];
	}
	*key = row_key(s, row);
	if (s->imp->retire_missing)
		catalog_keys_add(&s->keys, *key);
	return CATALOG_ROW;
}

/* The names the rows use that no product has: each on err; 1 when any. */
static int
refuse_unknown(struct state *s, FILE *err)
{
	const char *cmd = kinds[s->imp->kind].cmd;
	struct db_result *res;
	size_t n;

	if (kinds[s->imp->kind].unknown == NULL)
		return 0;
	if (db_query(&res, kinds[s->imp->kind].unknown, 0, NULL) != DB_OK)
		return -1;
	n = db_rows(res);
	for (size_t i = 0; i < n && i < 20; i++)
		fprintf(err, "%s: %s: \"%s\" (in \"%s\") names no ingredient, class or ATC code of "
		        "the formulary\n", cmd, s->imp->path, db_value(res, i, 0), db_value(res, i, 1));
	if (n)
		fprintf(err, "HINT: correct the spelling, or import the formulary that has it first\n");
	db_result_free(res);
	return n ? 1 : 0;
}

static int
finish(void *ctx, struct catalog_counts *n, FILE *err)
{
	struct state *s = ctx;
	const char *p[1];
	size_t rows = 0;
	int rc;

	if ((rc = refuse_unknown(s, err)) != 0)
		return rc;
	if (!s->imp->retire_missing)
		return 0;
	if ((p[0] = catalog_keys_literal(&s->keys)) == NULL)
		return -1;
	if (db_run_rows(kinds[s->imp->kind].retire, 1, p, &rows) != DB_OK)
		return -1;
	n->retired = rows;
	return 0;
}

int
import_formulary_run(const struct formulary_import *imp, FILE *out, FILE *err)
{
	char hint[300];
	struct state s = { .imp = imp };
	struct catalog_counts n;
	struct catalog_loader l = {
		.cmd = kinds[imp->kind].cmd, .path = imp->path, .noun = kinds[imp->kind].noun,
		.stmt = kinds[imp->kind].upsert, .nparams = (int)fcat_columns(imp->kind),
		.slot_size = sizeof(struct fcat_row), .line = fcat_line, .finish = finish,
		.ctx = &s, .hint = hint,
	};
	int rc = 1;

	snprintf(hint, sizeof(hint), "the columns are in data/formulary/README.md; the first line "
	         "is the header %s", fcat_header(imp->kind));
	if (catalog_load(&l, &n, out, err) != 0)
		goto out;
	if (imp->retire_missing)
		fprintf(out, "%zu %s\n", n.retired, kinds[imp->kind].retired_text);
	rc = 0;
out:
	catalog_keys_free(&s.keys);
	return rc;
}
