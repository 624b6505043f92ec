/* keyfile: atomic key file writes, private key files checked on read. */
#include "keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"

int
keyfile_write(const char *path, const char *text, size_t len, mode_t mode)
{
	char tmp[1024];
	int fd, rc = -1, e;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)) == -1)
		return -1;
	if (write(fd, text, len) == (ssize_t)len && fchmod(fd, mode) == 0 && fsync(fd) == 0)
		rc = 0;
	if (close(fd) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) == -1)
		rc = -1;
	if (rc == -1) {
		e = errno;
		unlink(tmp);
		errno = e;
	}
	return rc;
}

int
keyfile_write_private(const char *path, const unsigned char priv[SIGN_PRIVATE_BYTES], mode_t mode,
                      char *err, size_t errlen)
{
	char pem[SIGN_PEM_MAX];
	long n;
	int rc = 0;

	if ((n = sign_private_to_pem(priv, pem, sizeof(pem))) < 0 ||
	    keyfile_write(path, pem, (size_t)n, mode) == -1) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		rc = -1;
	}
	explicit_bzero(pem, sizeof(pem));
	return rc;
}

int
keyfile_read_private(const char *path, const char *hint, unsigned char priv[SIGN_PRIVATE_BYTES],
                     char *err, size_t errlen)
{
	struct stat st;
	size_t len = 0;
	char *pem;
	int rc;

	if (stat(path, &st) == -1) {
		snprintf(err, errlen, "cannot read the signing key %s: %s%s%s", path, strerror(errno),
		         hint ? " " : "", hint ? hint : "");
		return -1;
	}
	if (st.st_mode & 077) {
		snprintf(err, errlen, "the signing key %s may be read by other users (mode %o): "
		         "chmod 0600 it", path, (unsigned)(st.st_mode & 0777));
		return -1;
	}
	if ((pem = file_read_all(path, 4096, &len)) == NULL) {
		snprintf(err, errlen, "cannot read the signing key %s%s%s", path, hint ? " " : "",
		         hint ? hint : "");
		return -1;
	}
	rc = sign_private_from_pem(pem, len, priv);
	explicit_bzero(pem, len);
	free(pem);
	if (rc == -1)
		snprintf(err, errlen, "%s is not an Ed25519 private key", path);
	return rc;
}
