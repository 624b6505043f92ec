/* triagefiles: reading the knowledge base's files and listing directories. */
#include "core/triagefiles.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"

#define NAMES_MAX 4096

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
triage_dir_names(const char *dir, const char *suffix, char ***names)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t s = strlen(suffix);
	int n = 0;

	*names = NULL;
	if (!d)
		return -1;
	if (!(*names = calloc(NAMES_MAX, sizeof(char *)))) {
		closedir(d);
		return -1;
	}
	while ((e = readdir(d)) && n < NAMES_MAX) {
		size_t l = strlen(e->d_name);
		if (e->d_name[0] == '.' || l < s || strcmp(e->d_name + l - s, suffix) != 0)
			continue;
		if (!((*names)[n] = strdup(e->d_name)))
			break;
		n++;
	}
	closedir(d);
	qsort(*names, (size_t)n, sizeof(char *), by_name);
	return n;
}

void
triage_names_free(char **names, int n)
{
	for (int i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

/* Add one file of the base; 0 or -1 with err set. */
static int
add_file(struct triage_kb *kb, const char *dir, const char *name, char *err, size_t errlen)
{
	enum tkb_table t = tkb_table_of(name);
	char path[1024];
	size_t len = 0;
	char *bytes;
	int rc;

	if (t == TKB_TABLE__MAX)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(bytes = file_read_all(path, TRIAGE_FILE_MAX, &len))) {
		snprintf(err, errlen, "%s: cannot read it (or larger than %u bytes)", path, TRIAGE_FILE_MAX);
		return -1;
	}
	rc = tkb_add(kb, t, name, bytes, len, err, errlen);
	free(bytes);
	return rc;
}

struct triage_kb *
triage_kb_load(const char *dir, char *err, size_t errlen)
{
	struct triage_kb *kb = tkb_new();
	char **names = NULL;
	int n = triage_dir_names(dir, "", &names), ok = kb != NULL;

	if (n < 0)
		snprintf(err, errlen, "%s: cannot list the directory", dir);
	else if (!kb)
		snprintf(err, errlen, "out of memory");
	ok = ok && n >= 0;
	for (int i = 0; ok && i < n; i++)
		ok = add_file(kb, dir, names[i], err, errlen) == 0;
	triage_names_free(names, n);
	if (ok && tkb_finish(kb, err, errlen) != 0)
		ok = 0;
	if (!ok) {
		tkb_free(kb);
		return NULL;
	}
	return kb;
}
