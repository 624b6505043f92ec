/* pollsig: the signature of a poll link that nginx checks itself with its
 * secure_link module (docs/chat.md "Polling"). */
#ifndef MEDSYS_POLLSIG_H
#define MEDSYS_POLLSIG_H

/* Characters of a signature: base64url of an MD5 digest, unpadded. */
#define POLLSIG_LEN 22

/* Write into out (POLLSIG_LEN + 1 bytes) the signature nginx computes for
 * `secure_link_md5 "$secure_link_expires$uri$medsys_session $medsys_poll_secret"`:
 * base64url(MD5(expires uri session " " secret)), no padding. MD5 is what
 * nginx offers here; what it protects is a link's integrity for minutes,
 * with a 256-bit secret and the session's own secret token inside. 0, or
 * -1 when a string is NULL or the digest failed. */
int pollsig_sign(char out[POLLSIG_LEN + 1], long long expires, const char *uri,
                 const char *session, const char *secret);

#endif
