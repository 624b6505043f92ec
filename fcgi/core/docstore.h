/* docstore: the files of the record's documents in documents_dir, each
 * named by the lowercase hex SHA-256 of its content (so the same content
 * is stored once), written durably before any row points to it, and
 * swept when no row does (DESIGN.md "Files"). */
#ifndef MEDSYS_DOCSTORE_H
#define MEDSYS_DOCSTORE_H

#include <stddef.h>

#define DOCSTORE_HEX_LEN 64

/* The hex SHA-256 of data (the file's name), into hex (65 bytes). */
void docstore_name(const void *data, size_t len, char hex[DOCSTORE_HEX_LEN + 1]);

/* Make sure dir/hex holds data: when it is missing (or of another size),
 * write a temporary file in dir, fsync it, rename it to hex and fsync dir
 * (dir is created, mode 0750, when missing). *created says whether this
 * call wrote it. 0, or -1 with errno (nothing is left behind). The
 * caller holds the name's lock (documents_lock) so a sweep cannot remove
 * the file between this check and the row that points to it. */
int docstore_put(const char *dir, const char *hex, const void *data, size_t len, int *created);

/* Remove dir/hex (a file no row points to). 0, or -1 with errno. */
int docstore_remove(const char *dir, const char *hex);

/* Called by docstore_sweep for a stored file old enough to remove when
 * no row points to it: 1 removed, 0 kept, -1 failed. */
typedef int (*docstore_orphan_fn)(const char *hex, void *arg);

struct docstore_sweep_counts {
	size_t removed, kept, failed;
};

/* Visit the files of dir last modified min_age seconds ago or earlier:
 * a temporary file (a crashed upload's) is removed, a stored file is
 * handed to orphan; anything else is left alone. 0, or -1 when dir
 * cannot be read (a missing dir is empty). */
int docstore_sweep(const char *dir, long min_age, docstore_orphan_fn orphan, void *arg,
                   struct docstore_sweep_counts *c);

#endif
