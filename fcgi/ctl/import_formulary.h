/* import_formulary: `medsysctl import formulary | interactions |
 * allergy-terms FILE [--retire-missing]`: loads one of the prescription
 * catalog files (data/formulary/, CSV with a header line) into
 * rx.products, rx.interactions or rx.allergy_terms in one transaction
 * (docs/catalogs.md). */
#ifndef MEDSYS_IMPORT_FORMULARY_H
#define MEDSYS_IMPORT_FORMULARY_H

#include <stdio.h>

#include "lib/formulary.h"

struct formulary_import {
	enum fcat_kind kind;
	const char *path;
	int retire_missing;     /* --retire-missing: what the file omits is retired */
};

/* Read the command's arguments (argv[0] is the catalog's name:
 * "formulary", "interactions" or "allergy-terms"): FILE and
 * [--retire-missing]. 0, or 2 with the usage on stderr. */
int import_formulary_args(int argc, char **argv, struct formulary_import *imp);

/* Load the file into the open database (db_init with sql/import): every
 * line is checked first; one malformed line and nothing is written (each
 * named with its line number on err). Otherwise every row is inserted or
 * updated in one transaction; with retire_missing, the products the file
 * does not list become inactive (pairs and terms it does not list are
 * deleted). Interaction pairs and allergy terms that name nothing of the
 * formulary are refused. The counts on out. 0 loaded, 1 refused or failed. */
int import_formulary_run(const struct formulary_import *imp, FILE *out, FILE *err);

#endif
