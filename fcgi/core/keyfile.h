/* keyfile: Ed25519 key files on disk, written atomically and read only
 * when no other user may read them: the audit sealing key (sealstore) and
 * the prescription signing keys (rxkeystore) share these. */
#ifndef MEDSYS_KEYFILE_H
#define MEDSYS_KEYFILE_H

#include <stddef.h>
#include <sys/types.h>

#include "lib/sign.h"

/* Write len bytes to path.tmp with mode, fsync, rename over path. 0, or
 * -1 (errno says why; the temporary file is removed). */
int keyfile_write(const char *path, const char *text, size_t len, mode_t mode);

/* The private key as PEM into path with mode (0400 or 0600). 0, or -1
 * with a message naming path in err. */
int keyfile_write_private(const char *path, const unsigned char priv[SIGN_PRIVATE_BYTES],
                          mode_t mode, char *err, size_t errlen);

/* Read the private key at path: refused when group or others may read it
 * (the message says how to fix it), or when it is no Ed25519 PEM key;
 * hint (may be NULL) is added to "cannot read" messages ("create it
 * with: ..."). 0, or -1 with a message. */
int keyfile_read_private(const char *path, const char *hint,
                         unsigned char priv[SIGN_PRIVATE_BYTES], char *err, size_t errlen);

#endif
