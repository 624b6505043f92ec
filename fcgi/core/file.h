/* file: reading a whole small file (queries, migrations, configuration),
 * writing a daemon's pid file. */
#ifndef MEDSYS_FILE_H
#define MEDSYS_FILE_H

#include <stddef.h>

/* The contents of path, NUL-terminated, malloc'd (the caller frees), at
 * most max bytes; *len (may be NULL) gets the length. NULL when it cannot
 * be read or is larger than max. */
char *file_read_all(const char *path, size_t max, size_t *len);

/* Write the calling process's pid and a newline to path (created or
 * truncated). 0, or -1 when it cannot be written (errno says why). */
int file_write_pid(const char *path);

#endif
