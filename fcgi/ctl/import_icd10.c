/* import_icd10: reads an ICD-10 catalog file line by line with the pure
 * parser (lib/icd10.c) and upserts each code in one transaction
 * (ctl/import_catalog.c). */
#include "ctl/import_icd10.h"

#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/fields.h"
#include "ctl/import_catalog.h"

#define CMD "medsysctl import icd10"

static int
usage(void)
{
	fprintf(stderr, "usage: medsysctl import icd10 FILE [--format project|cms-order] [--release TEXT]\n"
	        "                                   [--replaces OLD_RELEASE]\n"
	        "  project    the project's catalog (data/icd10/primary-care.tsv): code, leaf,\n"
	        "             Spanish title, English title, separated by tabs\n"
	        "  cms-order  the CMS ICD-10-CM order file (icd10cm_order_YYYY.txt): English titles;\n"
	        "             Spanish titles already loaded are kept\n"
	        "  --release  what the rows' source says (default: the file's name)\n"
	        "  --replaces the release this one follows: its codes this file does not list\n"
	        "             are marked inactive (never deleted: records may use them)\n"
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
		else if (strcmp(argv[i], "--replaces") == 0 && i + 1 < argc)
			imp->replaces = argv[++i];
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
	if (imp->replaces && (imp->replaces[0] == '\0' || strcmp(imp->replaces, imp->release) == 0)) {
		fprintf(stderr, CMD ": --replaces names the release this one follows, not \"%s\"\n",
		        imp->replaces);
		return 2;
	}
	return 0;
}

/* A code's upsert parameters, kept until its batch is sent. */
struct slot {
	struct icd10_entry e;
	char chapter[8];
};

/* One line: a code to upsert (its parameters in slot), a line to skip,
 * or a malformed one. Titles must be UTF-8 (the parser copies bytes). */
static enum catalog_line
icd10_line(void *ctx, const char *text, size_t len, void *slot_mem, const char **p, const char **key,
           const char **why)
{
	const struct icd10_import *imp = ctx;
	struct slot *s = slot_mem;
	enum icd10_status st = icd10_parse_line(imp->format, text, len, &s->e);

	if (st == ICD10_SKIP)
		return CATALOG_SKIP;
	if (st != ICD10_OK) {
		*why = icd10_status_text(st);
		return CATALOG_BAD;
	}
	if (!utf8_valid_text(s->e.title_es, strlen(s->e.title_es)) ||
	    !utf8_valid_text(s->e.title_en, strlen(s->e.title_en))) {
		*why = "a title is not UTF-8 text (convert the file first, e.g. iconv -f LATIN1 -t UTF-8)";
		return CATALOG_BAD;
	}
	snprintf(s->chapter, sizeof(s->chapter), "%d", s->e.chapter);
	p[0] = *key = s->e.code;
	p[1] = s->e.title_es[0] ? s->e.title_es : NULL;   /* NULL: keep the Spanish title */
	p[2] = s->e.title_en;
	p[3] = s->e.leaf ? "true" : "false";
	p[4] = s->chapter;
	p[5] = imp->release;
	return CATALOG_ROW;
}

/* Mark inactive the codes still marked as the replaced release's: every
 * code this file lists now carries this release's name. */
static int
retire(void *ctx, struct catalog_counts *n, FILE *err)
{
	const struct icd10_import *imp = ctx;
	const char *p[1] = { imp->replaces };
	size_t rows = 0;

	(void)err;
	if (imp->replaces == NULL)
		return 0;
	if (db_run_rows("icd10_retire", 1, p, &rows) != DB_OK)
		return -1;
	n->retired = rows;
	return 0;
}

int
import_icd10_run(const struct icd10_import *imp, FILE *out, FILE *err)
{
	char hint[120], note[300];
	struct catalog_counts n;
	struct catalog_loader l = {
		.cmd = CMD, .path = imp->path, .noun = "codes", .stmt = "icd10_upsert", .nparams = 6,
		.slot_size = sizeof(struct slot), .line = icd10_line, .finish = retire,
		.ctx = (void *)imp, .hint = hint, .note = note,
	};

	snprintf(hint, sizeof(hint), "the format is in docs/catalogs.md; the file was read as --format %s",
	         imp->format == ICD10_FORMAT_CMS_ORDER ? "cms-order" : "project");
	snprintf(note, sizeof(note), " (source \"%s\")", imp->release);
	if (catalog_load(&l, &n, out, err) != 0)
		return 1;
	if (imp->replaces)
		fprintf(out, "%zu codes of \"%s\" that this release no longer lists are now inactive\n",
		        n.retired, imp->replaces);
	return 0;
}
