/* import_icd10: `medsysctl import icd10 FILE`: loads an ICD-10 catalog
 * file (the project's TSV or the CMS ICD-10-CM order file) into
 * ehr.icd10_codes in one transaction (docs/catalogs.md). */
#ifndef MEDSYS_IMPORT_ICD10_H
#define MEDSYS_IMPORT_ICD10_H

#include <stdio.h>

#include "lib/icd10.h"

struct icd10_import {
	const char *path;
	enum icd10_format format;
	char release[256];          /* what the rows' source column says */
};

/* Read the command's arguments (argv[0] is "icd10"): FILE,
 * [--format project|cms-order] (default: cms-order for a file named
 * icd10cm_order*, else project), [--release TEXT] (default: the file's
 * name). 0, or 2 with the usage on stderr. */
int import_icd10_args(int argc, char **argv, struct icd10_import *imp);

/* Load the file into the open database (db_init with sql/import): every
 * line is checked first; one malformed line and nothing is written (each
 * is named with its line number on err). Otherwise every code is
 * inserted or updated in one transaction, and the counts are printed on
 * out. The exit status: 0 loaded, 1 refused or failed. */
int import_icd10_run(const struct icd10_import *imp, FILE *out, FILE *err);

#endif
