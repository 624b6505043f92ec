/* docstore: content-addressed document files, written with temp file,
 * fsync, rename and directory fsync. */
#include "docstore.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/hex.h"
#include "token.h"

#define TMP_PREFIX ".tmp-"

void
docstore_name(const void *data, size_t len, char hex[DOCSTORE_HEX_LEN + 1])
{
	unsigned char md[32];

	token_sha256_bytes(data, len, md);
	hex_encode(md, sizeof(md), hex);
	hex[DOCSTORE_HEX_LEN] = '\0';
}

static int
is_name(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");

	return n == DOCSTORE_HEX_LEN && s[n] == '\0';
}

/* fsync a directory, so a rename or unlink in it survives a crash. */
static int
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd == -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static int
write_all(int fd, const unsigned char *p, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Remove path after a failed step, keeping that step's errno; -1. */
static int
undo(const char *path)
{
	int saved = errno;

	unlink(path);
	errno = saved;
	return -1;
}

/* data into a new temporary file in dir, fsynced; its path in tmp. */
static int
write_temp(const char *dir, const char *hex, const void *data, size_t len, char *tmp, size_t tmplen)
{
	static unsigned long seq;
	int fd;

	snprintf(tmp, tmplen, "%s/" TMP_PREFIX "%.16s-%ld-%lu", dir, hex, (long)getpid(), ++seq);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640)) == -1)
		return -1;
	if (write_all(fd, data, len) == -1 || fsync(fd) == -1) {
		int saved = errno;
		close(fd);
		errno = saved;
		return undo(tmp);
	}
	return close(fd) == -1 ? undo(tmp) : 0;
}

int
docstore_put(const char *dir, const char *hex, const void *data, size_t len, int *created)
{
	char path[1024], tmp[1100];
	struct stat st;

	*created = 0;
	if (!is_name(hex) || (size_t)snprintf(path, sizeof(path), "%s/%s", dir, hex) >= sizeof(path)) {
		errno = EINVAL;
		return -1;
	}
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len)
		return 0;
	if (mkdir(dir, 0750) == -1 && errno != EEXIST)
		return -1;
	if (write_temp(dir, hex, data, len, tmp, sizeof(tmp)) == -1)
		return -1;
	if (rename(tmp, path) == -1)
		return undo(tmp);
	/* Not durable without the directory's fsync: no row may point to it. */
	if (sync_dir(dir) == -1)
		return undo(path);
	*created = 1;
	return 0;
}

int
docstore_remove(const char *dir, const char *hex)
{
	char path[1024];

	if (!is_name(hex) || (size_t)snprintf(path, sizeof(path), "%s/%s", dir, hex) >= sizeof(path)) {
		errno = EINVAL;
		return -1;
	}
	if (unlink(path) == -1 && errno != ENOENT)
		return -1;
	return sync_dir(dir);
}

/* One entry of the sweep: 1 removed, 0 kept or not ours, -1 failed. */
static int
sweep_one(const char *dir, const char *name, time_t cutoff, docstore_orphan_fn orphan, void *arg)
{
	char path[1024];
	struct stat st;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path) ||
	    lstat(path, &st) == -1 || !S_ISREG(st.st_mode) || st.st_mtime > cutoff)
		return 0;
	if (strncmp(name, TMP_PREFIX, strlen(TMP_PREFIX)) == 0)
		return unlink(path) == 0 ? 1 : -1;
	if (!is_name(name))
		return 0;
	return orphan(name, arg);
}

int
docstore_sweep(const char *dir, long min_age, docstore_orphan_fn orphan, void *arg,
               struct docstore_sweep_counts *c)
{
	time_t cutoff = time(NULL) - min_age;
	struct dirent *e;
	DIR *d;

	memset(c, 0, sizeof(*c));
	if ((d = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' && strncmp(e->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) != 0)
			continue;
		switch (sweep_one(dir, e->d_name, cutoff, orphan, arg)) {
		case 1: c->removed++; break;
		case 0: c->kept++; break;
		default: c->failed++; break;
		}
	}
	closedir(d);
	return 0;
}
