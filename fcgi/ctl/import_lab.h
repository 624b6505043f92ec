/* import_lab: `medsysctl import lab-catalog PATH... [--retire-missing]`:
 * loads the lab catalog files (data/lab/: analytes.csv, conversions.csv,
 * panels.csv, ranges.csv; a directory stands for the ones it holds) into
 * lab.analytes, lab.unit_conversions, lab.panels/panel_members and
 * lab.ranges, all in one transaction (docs/catalogs.md). */
#ifndef MEDSYS_IMPORT_LAB_H
#define MEDSYS_IMPORT_LAB_H

#include <stdio.h>

#include "lib/labcat.h"

struct lab_catalog_import {
	const char *path[LABCAT__MAX];   /* the file of each kind, or NULL */
	char dir_path[LABCAT__MAX][600]; /* storage for the files of a directory */
	int retire_missing;              /* what the files omit is retired */
};

/* Read the command's arguments (argv[0] is "lab-catalog"): PATH... and
 * [--retire-missing]. A PATH is a directory (its files of the four names
 * that exist) or a file named like one of them. 0, or 2 with the usage
 * on stderr. */
int import_lab_args(int argc, char **argv, struct lab_catalog_import *imp);

/* Load the files into the open database (db_init with sql/import), in
 * the order analytes, conversions, panels, ranges, in one transaction:
 * one malformed line in any file and nothing is written, each named with
 * its file, line and column on err. A line naming an analyte that is
 * neither in the catalog nor in the analytes file is malformed; so is a
 * range of a non-numeric analyte or one whose age band overlaps another
 * line's (same analyte and sex). The ranges of every analyte ranges.csv
 * names become exactly its lines. With retire_missing, analytes and
 * panels the files do not list become inactive (never deleted), and
 * conversions and ranges they do not list are deleted. The counts on
 * out. 0 loaded, 1 refused or failed. */
int import_lab_run(const struct lab_catalog_import *imp, FILE *out, FILE *err);

#endif
