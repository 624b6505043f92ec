/* pollsig: nginx secure_link signatures for poll links. */
#include "pollsig.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

static const char b64url[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* base64url of the 16 digest bytes: 21 full sextets and one of 2 bits. */
static void
encode16(const unsigned char d[16], char out[POLLSIG_LEN + 1])
{
	size_t o = 0;

	for (size_t i = 0; i < 15; i += 3) {
		unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8 | d[i + 2];
		out[o++] = b64url[v >> 18 & 63];
		out[o++] = b64url[v >> 12 & 63];
		out[o++] = b64url[v >> 6 & 63];
		out[o++] = b64url[v & 63];
	}
	out[o++] = b64url[d[15] >> 2];
	out[o++] = b64url[(d[15] & 3) << 4];
	out[o] = '\0';
}

int
pollsig_sign(char out[POLLSIG_LEN + 1], long long expires, const char *uri,
             const char *session, const char *secret)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	char head[24];
	EVP_MD_CTX *c;
	int ok;

	if (uri == NULL || session == NULL || secret == NULL || (c = EVP_MD_CTX_new()) == NULL)
		return -1;
	snprintf(head, sizeof(head), "%lld", expires);
	ok = EVP_DigestInit_ex(c, EVP_md5(), NULL) == 1 &&
	     EVP_DigestUpdate(c, head, strlen(head)) == 1 &&
	     EVP_DigestUpdate(c, uri, strlen(uri)) == 1 &&
	     EVP_DigestUpdate(c, session, strlen(session)) == 1 &&
	     EVP_DigestUpdate(c, " ", 1) == 1 &&
	     EVP_DigestUpdate(c, secret, strlen(secret)) == 1 &&
	     EVP_DigestFinal_ex(c, d, &n) == 1 && n == 16;
	EVP_MD_CTX_free(c);
	if (!ok)
		return -1;
	encode16(d, out);
	return 0;
}
