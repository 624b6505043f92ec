/* documents_cleanup: medsysctl documents-cleanup, removing stored
 * document files no record points to (docs/record.md "Documents"). */
#ifndef MEDSYS_CTL_DOCUMENTS_CLEANUP_H
#define MEDSYS_CTL_DOCUMENTS_CLEANUP_H

struct config;

/* Files untouched this long may be removed when no row points to them;
 * younger ones may belong to an upload still running. */
#define DOCUMENTS_ORPHAN_AGE 3600

/* Sweep cfg->documents_dir: remove the files older than
 * DOCUMENTS_ORPHAN_AGE that no document version nor chat attachment
 * points to, and any temporary file of a crashed upload as old; then
 * report each chat attachment whose file is missing. The database must
 * be open (db_init). Prints what it did. 0 done, 1 some file could not
 * be checked or removed or is missing, 2 the directory cannot be read. */
int documents_cleanup(const struct config *cfg);

#endif
