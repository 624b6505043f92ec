/* sealstore: key files, the seal file, rows read for sealing. */
#include "sealstore.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "file.h"
#include "keyfile.h"
#include "lib/hex.h"

int
sealstore_write_keys(const char *dir, const unsigned char pub[SIGN_PUBLIC_BYTES],
                     const unsigned char priv[SIGN_PRIVATE_BYTES], char *err, size_t errlen)
{
	char path[1024], pem[SIGN_PEM_MAX], id[SIGN_KEY_ID_LEN + 1];
	long n;
	int rc = -1;

	sign_key_id(pub, id);
	snprintf(path, sizeof(path), "%s/%s", dir, SEALSTORE_KEYS);
	if (mkdir(path, 0755) == -1 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s/%s.pub", dir, SEALSTORE_KEYS, id);
	if ((n = sign_public_to_pem(pub, pem, sizeof(pem))) < 0 ||
	    keyfile_write(path, pem, (size_t)n, 0644) == -1) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, SEALSTORE_PRIVATE);
	rc = keyfile_write_private(path, priv, 0400, err, errlen);
out:
	explicit_bzero(pem, sizeof(pem));
	return rc;
}

int
sealstore_read_private(const char *dir, unsigned char priv[SIGN_PRIVATE_BYTES],
                       char *err, size_t errlen)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", dir, SEALSTORE_PRIVATE);
	return keyfile_read_private(path, "(create it with: medsysctl keys audit-generate)",
	                            priv, err, errlen);
}

int
sealstore_read_public(const char *dir, const char *key_id, unsigned char pub[SIGN_PUBLIC_BYTES])
{
	char path[1024], id[SIGN_KEY_ID_LEN + 1], *pem;
	size_t len = 0;
	int rc;

	if (strlen(key_id) != SIGN_KEY_ID_LEN || strspn(key_id, "0123456789abcdef") != SIGN_KEY_ID_LEN)
		return -1;
	snprintf(path, sizeof(path), "%s/%s/%s.pub", dir, SEALSTORE_KEYS, key_id);
	if ((pem = file_read_all(path, 4096, &len)) == NULL)
		return -1;
	rc = sign_public_from_pem(pem, len, pub);
	free(pem);
	if (rc == 0) {
		sign_key_id(pub, id);
		rc = strcmp(id, key_id) == 0 ? 0 : -1;
	}
	return rc;
}

/* The last seal of the open file fd, as sealstore_last. */
static int
last_of_fd(int fd, struct seal *s)
{
	char buf[2 * SEAL_LINE_MAX + 1], *nl;
	off_t end, from;
	ssize_t n;

	end = lseek(fd, 0, SEEK_END);
	from = end > (off_t)(sizeof(buf) - 1) ? end - (off_t)(sizeof(buf) - 1) : 0;
	n = end > 0 ? pread(fd, buf, (size_t)(end - from), from) : 0;
	if (n < 0)
		return -1;
	buf[n] = '\0';
	if (n == 0)
		return 0;
	/* The last complete line: the file ends with a newline. */
	if (buf[n - 1] != '\n')
		return -1;
	buf[n - 1] = '\0';
	nl = strrchr(buf, '\n');
	return seal_parse(nl ? nl + 1 : buf, s) == 0 ? 1 : -1;
}

int
sealstore_last(const char *path, struct seal *s)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd == -1)
		return errno == ENOENT ? 0 : -1;
	rc = last_of_fd(fd, s);
	close(fd);
	return rc;
}

int
sealstore_append(const char *path, const struct seal *s)
{
	char line[SEAL_LINE_MAX + 1];
	struct seal last;
	int fd, n, have, rc = -1;

	if ((n = seal_format(s, line, sizeof(line) - 1)) < 0)
		return -1;
	line[n++] = '\n';
	if ((fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) == -1)
		return -1;
	/* Held until close: the check and the write are one step for every
	 * sealer sharing this file. */
	if (flock(fd, LOCK_EX) == -1 || (have = last_of_fd(fd, &last)) == -1)
		goto out;
	if (have && last.seal_id >= s->seal_id) {
		errno = EEXIST;
		goto out;
	}
	if (write(fd, line, (size_t)n) == n && fdatasync(fd) == 0)
		rc = 0;
out:
	if (close(fd) != 0)
		rc = -1;
	return rc;
}

/* One row of seal_rows into r (pointing into res). */
static void
row_of(const struct db_result *res, size_t i, struct seal_row *r)
{
	r->id = atoll(db_value(res, i, 0));
	r->at_us = atoll(db_value(res, i, 1));
	r->has_actor = !db_is_null(res, i, 2);
	r->actor = atoll(db_value(res, i, 2));
	r->has_subject = !db_is_null(res, i, 3);
	r->subject = atoll(db_value(res, i, 3));
	r->action = db_value(res, i, 4);
	r->object = db_value(res, i, 5);
	r->addr = db_value(res, i, 6);
	r->request = db_value(res, i, 7);
	r->xid = strtoull(db_value(res, i, 8), NULL, 10);
}

long
sealstore_rows(long long after, long long upto, int limit, struct seal_batch *b,
               long long *last, long long *changed)
{
	char a[24], u[24], l[16];
	const char *p[3] = { a, u, l };
	struct db_result *res;
	size_t n;

	snprintf(a, sizeof(a), "%lld", after);
	snprintf(u, sizeof(u), "%lld", upto);
	snprintf(l, sizeof(l), "%d", limit);
	*changed = 0;
	if (db_query(&res, "seal_rows", 3, p) != DB_OK)
		return -1;
	n = db_rows(res);
	for (size_t i = 0; i < n; i++) {
		unsigned char stored[SEAL_HASH_BYTES], again[SEAL_HASH_BYTES];
		struct seal_row r;

		row_of(res, i, &r);
		if (hex_decode(db_value(res, i, 9), stored, sizeof(stored)) == -1)
			memset(stored, 0, sizeof(stored));
		if ((seal_row_hash(&r, again) == -1 || memcmp(again, stored, sizeof(again)) != 0) &&
		    *changed == 0)
			*changed = r.id;
		if (seal_batch_add(b, r.id, stored) == -1) {
			db_result_free(res);
			return -1;
		}
		*last = r.id;
	}
	db_result_free(res);
	return (long)n;
}
