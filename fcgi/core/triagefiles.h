/* triagefiles: the symptom checker's knowledge base read from its
 * directory (data/triage/ under the data dir) into a finished struct
 * triage_kb, and sorted directory listings for the case files. */
#ifndef MEDSYS_TRIAGEFILES_H
#define MEDSYS_TRIAGEFILES_H

#include <stddef.h>

#include "lib/triagekb.h"

/* The largest file of the base or of a case that is read. */
#define TRIAGE_FILE_MAX (8u << 20)

/* Read every file of the base in dir (VERSION, NAME.csv, NAME-*.csv) in
 * name order and finish it. The base (tkb_free frees it), or NULL with a
 * message in err. */
struct triage_kb *triage_kb_load(const char *dir, char *err, size_t errlen);

/* The names in dir (no hidden ones) ending in suffix ("" for any),
 * sorted, into *names; their count, or -1 when dir cannot be listed.
 * triage_names_free frees them. */
int triage_dir_names(const char *dir, const char *suffix, char ***names);
void triage_names_free(char **names, int n);

#endif
