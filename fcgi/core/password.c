/* password: argon2id hashes (parameters kept in the encoded string), the
 * new-password policy with its common-passwords list, and the
 * cross-process limit on concurrent hashes. */
#include <errno.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <time.h>

#include <argon2.h>
#include <malloc.h>
#include <openssl/crypto.h>

#include "core/fields.h"
#include "core/password.h"
#include "core/token.h"

#define SALT_BYTES 16
#define HASH_BYTES 32
#define SALT_B64_MIN 22		/* base64 characters of a 16-byte salt */
/* Sanity limits for a stored hash: a corrupt row must not make a worker
 * allocate gigabytes or spin for minutes. */
#define VERIFY_MAX_M_KIB (1024u * 1024u)	/* 1 GiB */
#define VERIFY_MAX_T 64u
#define VERIFY_MAX_P 16u
#define NAME_MIN_CHARS 3	/* shorter name words and local parts are ignored */
#define COMMON_MAX_FILE ((size_t)64 * 1024 * 1024)

const struct password_params password_params_default = {
	.m_kib = 19456,
	.t = 2,
	.p = 1,
};

/* ------------------------------------------------------------ hashing */

/* argon2 takes m_kib of memory per hash (19 MiB by default) from malloc.
 * glibc serves the first such block with mmap and gives it back on free,
 * but then raises its mmap threshold to that size, so every later block
 * comes from the heap and stays with the worker (27 MB instead of 8 MB).
 * A fixed threshold keeps big blocks on mmap, returned at once. */
static void
return_hash_memory_to_system(void)
{
	static int done;

	if (!done) {
		mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
		done = 1;
	}
}

/* Hashes with a fresh 16-byte salt from token_random_bytes and a 32-byte
 * tag. params NULL means password_params_default. Passwords over
 * PASSWORD_MAX_BYTES are refused. Does NOT take the hash limiter: the
 * caller wraps it in hashlimit_acquire/hashlimit_release so that it can
 * answer 503 when the wait times out. On failure out is "". */
int
password_hash(const char *pw, const struct password_params *params,
              char *out, size_t outlen)
{
	unsigned char salt[SALT_BYTES];
	size_t pwlen;
	int rc = -1;

	if (out == NULL || outlen == 0)
		return -1;
	out[0] = '\0';
	if (params == NULL)
		params = &password_params_default;
	if (pw == NULL || (pwlen = strlen(pw)) > PASSWORD_MAX_BYTES)
		return -1;
	if (outlen < argon2_encodedlen(params->t, params->m_kib, params->p,
	                               SALT_BYTES, HASH_BYTES, Argon2_id))
		return -1;
	if (token_random_bytes(salt, sizeof(salt)) != 0)
		goto out;
	return_hash_memory_to_system();
	if (argon2id_hash_encoded(params->t, params->m_kib, params->p, pw,
	                          pwlen, salt, sizeof(salt), HASH_BYTES, out,
	                          outlen) != ARGON2_OK) {
		out[0] = '\0';
		goto out;
	}
	rc = 0;
out:
	OPENSSL_cleanse(salt, sizeof(salt));
	return rc;
}

/* Parse "key" then a decimal uint32 (no sign, no leading zeros) at *pp,
 * advancing *pp. 0 or -1. */
static int
parse_u32(const char **pp, const char *key, uint32_t *out)
{
	const char *p = *pp;
	size_t klen = strlen(key);
	uint64_t v = 0;
	int n = 0;

	if (strncmp(p, key, klen) != 0)
		return -1;
	p += klen;
	if (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++, n++) {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX)
			return -1;
	}
	if (n == 0)
		return -1;
	*out = (uint32_t)v;
	*pp = p;
	return 0;
}

/* Length of the run of base64 characters at p. */
static size_t
b64_span(const char *p)
{
	size_t n = 0;

	while ((p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= 'a' && p[n] <= 'z') ||
	       (p[n] >= '0' && p[n] <= '9') || p[n] == '+' || p[n] == '/')
		n++;
	return n;
}

/* The shape "$argon2id$[v=N$]m=N,t=N,p=N$SALT$HASH" with base64 SALT and
 * HASH. Fills params, the version (0x10 when absent, as libargon2 reads
 * it) and the salt length in characters. 0 or -1. */
static int
parse_encoded(const char *e, struct password_params *pp, uint32_t *version,
              size_t *salt_chars)
{
	const char *p = e;
	size_t hash_chars;

	if (e == NULL || strncmp(p, "$argon2id$", 10) != 0)
		return -1;
	p += 10;
	*version = 0x10;
	if (strncmp(p, "v=", 2) == 0 &&
	    (parse_u32(&p, "v=", version) != 0 || *p++ != '$'))
		return -1;
	if (parse_u32(&p, "m=", &pp->m_kib) != 0 || *p++ != ',' ||
	    parse_u32(&p, "t=", &pp->t) != 0 || *p++ != ',' ||
	    parse_u32(&p, "p=", &pp->p) != 0 || *p++ != '$')
		return -1;
	*salt_chars = b64_span(p);
	p += *salt_chars;
	if (*salt_chars == 0 || *p++ != '$')
		return -1;
	hash_chars = b64_span(p);
	if (hash_chars == 0 || p[hash_chars] != '\0')
		return -1;
	return 0;
}

/* 1 on a match, 0 on a mismatch (ARGON2_VERIFY_MISMATCH; also for a NULL
 * or over-long pw, which can never have been hashed), -1 when encoded
 * is malformed, beyond the sanity limits or argon2 fails otherwise (out
 * of memory). Does NOT take the hash limiter: callers do (see
 * password_hash). */
int
password_verify(const char *encoded, const char *pw)
{
	struct password_params pp;
	uint32_t version;
	size_t salt_chars, pwlen;
	int rc;

	if (parse_encoded(encoded, &pp, &version, &salt_chars) != 0)
		return -1;
	if (pp.m_kib > VERIFY_MAX_M_KIB || pp.t > VERIFY_MAX_T ||
	    pp.p > VERIFY_MAX_P)
		return -1;
	if (pw == NULL || (pwlen = strlen(pw)) > PASSWORD_MAX_BYTES)
		return 0;
	return_hash_memory_to_system();
	rc = argon2id_verify(encoded, pw, pwlen);
	if (rc == ARGON2_OK)
		return 1;
	return rc == ARGON2_VERIFY_MISMATCH ? 0 : -1;
}

/* Rehash when encoded does not parse, has another argon2 version, a
 * salt under 16 bytes, or m, t or p below params (NULL: the default). */
int
password_needs_rehash(const char *encoded, const struct password_params *params)
{
	struct password_params have;
	uint32_t version;
	size_t salt_chars;

	if (params == NULL)
		params = &password_params_default;
	if (parse_encoded(encoded, &have, &version, &salt_chars) != 0)
		return 1;
	if (version != ARGON2_VERSION_13 || salt_chars < SALT_B64_MIN)
		return 1;
	return have.m_kib < params->m_kib || have.t < params->t ||
	       have.p < params->p;
}

/* The hash of 32 random hex characters with the default parameters,
 * made at the first call. Should that fail (no memory, no randomness),
 * a well-formed default-parameter hash with a zero salt and tag is
 * returned instead (verifying against it costs the same and matches
 * nothing), and the next call tries again. */
const char *
password_dummy_hash(void)
{
	static char dummy[PASSWORD_HASH_MAX];
	static int ready;
	const struct password_params *d = &password_params_default;
	char pw[33];

	if (ready)
		return dummy;
	if (token_random_hex(pw, 16) == 0 &&
	    password_hash(pw, d, dummy, sizeof(dummy)) == 0) {
		ready = 1;
		goto out;
	}
	snprintf(dummy, sizeof(dummy), "$argon2id$v=19$m=%u,t=%u,p=%u$"
	         "AAAAAAAAAAAAAAAAAAAAAA$"
	         "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	         (unsigned)d->m_kib, (unsigned)d->t, (unsigned)d->p);
out:
	OPENSSL_cleanse(pw, sizeof(pw));
	return dummy;
}

/* --------------------------------------------------------- text helpers */

/* Case-fold n bytes of s into out (NUL-terminated, same length): ASCII
 * A-Z, and the Latin-1 capitals U+00C0..U+00DE but U+00D7 (Á, Ñ, Ü ...),
 * which stay two bytes long in UTF-8. */
static void
fold_copy(const char *s, size_t n, char *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < n; i++) {
		out[i] = s[i];
		if (u[i] >= 'A' && u[i] <= 'Z')
			out[i] = (char)(u[i] + 32);
		else if (u[i] >= 0x80 && u[i] <= 0x9E && u[i] != 0x97 &&
		         i > 0 && u[i - 1] == 0xC3)
			out[i] = (char)(u[i] + 32);
	}
	out[n] = '\0';
}

/* Characters (UTF-8 lead bytes) in s[0..n). */
static size_t
utf8_chars(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/* 1 when valid UTF-8 s[0..n) holds a C0 control, DEL or a C1 control
 * (U+0080..U+009F, encoded C2 80..C2 9F). */
static int
has_control(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < n; i++) {
		if (u[i] < 0x20 || u[i] == 0x7F)
			return 1;
		if (u[i] == 0xC2 && i + 1 < n && u[i + 1] <= 0x9F)
			return 1;
	}
	return 0;
}

/* 1 when the folded needle[0..nlen) occurs in the already folded hay. */
static int
contains_folded(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	char buf[PASSWORD_MAX_BYTES + 1];
	int found;

	if (nlen == 0 || nlen > hlen)
		return 0;
	fold_copy(needle, nlen, buf);
	found = memmem(hay, hlen, buf, nlen) != NULL;
	OPENSSL_cleanse(buf, nlen);
	return found;
}

/* ------------------------------------------------------- common list */

/* The loaded list: folded, sorted, distinct entries pointing into blob. */
static struct {
	char **v;
	size_t n;
	char *blob;
} common;

/* Read a whole file (at most COMMON_MAX_FILE bytes) into a malloc'ed,
 * NUL-terminated buffer. 0 or -1. */
static int
read_whole(const char *path, char **buf, size_t *len)
{
	FILE *f;
	char *b = NULL, *nb;
	size_t cap = 0, n = 0, r;
	int rc = -1;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	for (;;) {
		if (cap - n < 4096) {
			if (cap >= COMMON_MAX_FILE)
				goto out;
			cap = cap == 0 ? 65536 : cap * 2;
			if ((nb = realloc(b, cap + 1)) == NULL)
				goto out;
			b = nb;
		}
		r = fread(b + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f))
		goto out;
	b[n] = '\0';
	*buf = b;
	*len = n;
	b = NULL;
	rc = 0;
out:
	free(b);
	fclose(f);
	return rc;
}

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Split blob into lines in place and keep each usable one folded: not
 * empty, not a '#' comment, valid UTF-8, at most PASSWORD_MAX_BYTES. A
 * trailing '\r' is dropped. Sorted and deduplicated. 0 or -1. */
static int
common_parse(char *blob, size_t len, char ***vout, size_t *nout)
{
	char **v, *line = blob, *nl;
	size_t lines = 1, i, n = 0, ll;

	for (i = 0; i < len; i++)
		lines += blob[i] == '\n';
	if ((v = calloc(lines, sizeof(*v))) == NULL)
		return -1;
	for (; line != NULL && line < blob + len; line = nl) {
		if ((nl = memchr(line, '\n', (size_t)(blob + len - line))) != NULL)
			*nl++ = '\0';
		ll = strlen(line);
		if (ll > 0 && line[ll - 1] == '\r')
			line[--ll] = '\0';
		if (ll == 0 || line[0] == '#' || ll > PASSWORD_MAX_BYTES ||
		    !utf8_valid_text(line, ll))
			continue;
		fold_copy(line, ll, line);
		v[n++] = line;
	}
	qsort(v, n, sizeof(*v), cmp_entry);
	for (i = 0, lines = 0; i < n; i++)
		if (lines == 0 || strcmp(v[lines - 1], v[i]) != 0)
			v[lines++] = v[i];
	*vout = v;
	*nout = lines;
	return 0;
}

/* The old list stays in force when the new one cannot be read. */
long
password_load_common(const char *path)
{
	char *blob = NULL, **v = NULL;
	size_t len = 0, n = 0;

	if (path == NULL || read_whole(path, &blob, &len) != 0)
		return -1;
	if (common_parse(blob, len, &v, &n) != 0) {
		free(blob);
		return -1;
	}
	free(common.v);
	free(common.blob);
	common.v = v;
	common.n = n;
	common.blob = blob;
	return (long)n;
}

/* Distinct entries of the list in force (0 before any load). */
size_t
password_common_count(void)
{
	return common.n;
}

/* 1 when the folded password is in the list. */
static int
common_contains(const char *folded)
{
	if (common.n == 0)
		return 0;
	return bsearch(&folded, common.v, common.n, sizeof(*common.v),
	               cmp_entry) != NULL;
}

/* ------------------------------------------------------------- policy */

/* The whole address, or its local part when that has >= 3 characters,
 * inside the folded password. */
static int
has_email(const char *pwf, size_t pwlen, const char *email)
{
	const char *at;
	size_t elen, llen;

	if (email == NULL || (elen = strlen(email)) == 0)
		return 0;
	if (utf8_chars(email, elen) >= NAME_MIN_CHARS &&
	    contains_folded(pwf, pwlen, email, elen))
		return 1;
	if ((at = strrchr(email, '@')) == NULL)
		return 0;
	llen = (size_t)(at - email);
	return utf8_chars(email, llen) >= NAME_MIN_CHARS &&
	       contains_folded(pwf, pwlen, email, llen);
}

/* Name words are runs of bytes other than ASCII punctuation, spaces and
 * controls (so "María-José O'Neil" gives María, José, Neil). */
static int
is_word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	       (c >= 'a' && c <= 'z');
}

/* Any word of name with >= 3 characters inside the folded password. */
static int
has_name(const char *pwf, size_t pwlen, const char *name)
{
	const char *p = name, *w;

	if (name == NULL)
		return 0;
	while (*p != '\0') {
		while (*p != '\0' && !is_word_byte((unsigned char)*p))
			p++;
		for (w = p; *p != '\0' && is_word_byte((unsigned char)*p); p++)
			;
		if (utf8_chars(w, (size_t)(p - w)) >= NAME_MIN_CHARS &&
		    contains_folded(pwf, pwlen, w, (size_t)(p - w)))
			return 1;
	}
	return 0;
}

/* Checks in this order: length in bytes (bounds the work), text, length
 * in characters, common list, e-mail, name. The first problem found is
 * returned. A NULL pw is too short. Comparisons fold ASCII and Latin-1
 * capitals; the password itself is never changed. */
enum password_problem
password_check(const char *pw, const char *email, const char *name)
{
	char folded[PASSWORD_MAX_BYTES + 1];
	enum password_problem res = PASSWORD_OK;
	size_t len;

	if (pw == NULL)
		return PASSWORD_TOO_SHORT;
	if ((len = strnlen(pw, PASSWORD_MAX_BYTES + 1)) > PASSWORD_MAX_BYTES)
		return PASSWORD_TOO_LONG;
	if (!utf8_valid_text(pw, len) || has_control(pw, len))
		return PASSWORD_NOT_TEXT;
	if (utf8_chars(pw, len) < PASSWORD_MIN_CHARS)
		return PASSWORD_TOO_SHORT;
	fold_copy(pw, len, folded);
	if (common_contains(folded))
		res = PASSWORD_COMMON;
	else if (has_email(folded, len, email))
		res = PASSWORD_HAS_EMAIL;
	else if (has_name(folded, len, name))
		res = PASSWORD_HAS_NAME;
	OPENSSL_cleanse(folded, sizeof(folded));
	return res;
}

static const char *const problem_keys[PASSWORD__MAX] = {
	[PASSWORD_OK] = "ok",
	[PASSWORD_TOO_SHORT] = "too_short",
	[PASSWORD_TOO_LONG] = "too_long",
	[PASSWORD_NOT_TEXT] = "not_text",
	[PASSWORD_COMMON] = "common",
	[PASSWORD_HAS_EMAIL] = "has_email",
	[PASSWORD_HAS_NAME] = "has_name",
};

/* "unknown" for anything outside the enum. */
const char *
password_problem_key(enum password_problem p)
{
	if ((unsigned)p >= PASSWORD__MAX || problem_keys[p] == NULL)
		return "unknown";
	return problem_keys[p];
}

/* --------------------------------------------------------- hash limit */

/* The semaphore lives in an anonymous shared mapping made before fork,
 * so every worker shares it. NULL: no limit. */
#define HASHLIMIT_MAX 64

/* The shared state: the semaphore and who holds each permit, so that the
 * permits of a worker that was killed while hashing can be given back by
 * the parent (hashlimit_reap) instead of being lost for good. */
struct hashlimit {
	sem_t sem;
	pid_t holder[HASHLIMIT_MAX];
};

static struct hashlimit *hl;   /* NULL: no limit */

/* Call once in the parent before forking workers (a second call replaces
 * the semaphore and is only safe while no worker runs). max_concurrent
 * 1..64. 0 or -1. */
int
hashlimit_init(int max_concurrent)
{
	struct hashlimit *h;

	if (max_concurrent < 1 || max_concurrent > HASHLIMIT_MAX)
		return -1;
	h = mmap(NULL, sizeof(*h), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (h == MAP_FAILED)
		return -1;
	memset(h->holder, 0, sizeof(h->holder));
	if (sem_init(&h->sem, 1, (unsigned)max_concurrent) != 0) {
		munmap(h, sizeof(*h));
		return -1;
	}
	if (hl != NULL) {
		sem_destroy(&hl->sem);
		munmap(hl, sizeof(*hl));
	}
	hl = h;
	return 0;
}

/* The absolute CLOCK_REALTIME time timeout_ms from now. */
static struct timespec
deadline_after(int timeout_ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

/* Note the calling process as the holder of one permit. */
static void
note_holder(void)
{
	pid_t me = getpid();

	for (int i = 0; i < HASHLIMIT_MAX; i++) {
		pid_t none = 0;
		if (__atomic_compare_exchange_n(&hl->holder[i], &none, me, 0,
		                                __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			return;
	}
}

/* Take a permit, waiting at most timeout_ms (<= 0: do not wait). -1 when
 * none came free in time. A signal does not cut the wait short: it resumes
 * towards the same deadline. 0 at once without init. */
int
hashlimit_acquire(int timeout_ms)
{
	struct timespec dl;
	int r;

	if (hl == NULL)
		return 0;
	if (timeout_ms <= 0) {
		while ((r = sem_trywait(&hl->sem)) != 0 && errno == EINTR)
			;
	} else {
		dl = deadline_after(timeout_ms);
		while ((r = sem_timedwait(&hl->sem, &dl)) != 0 && errno == EINTR)
			;
	}
	if (r != 0)
		return -1;
	note_holder();
	return 0;
}

/* Give back the permit pid holds in slot i, if it still does. */
static int
give_back(int i, pid_t pid)
{
	pid_t expected = pid;

	if (!__atomic_compare_exchange_n(&hl->holder[i], &expected, 0, 0,
	                                 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return 0;
	sem_post(&hl->sem);
	return 1;
}

/* Give back a permit taken by a successful hashlimit_acquire. */
void
hashlimit_release(void)
{
	pid_t me = getpid();

	if (hl == NULL)
		return;
	for (int i = 0; i < HASHLIMIT_MAX; i++)
		if (give_back(i, me))
			return;
}

int
hashlimit_reap(pid_t pid)
{
	int n = 0;

	if (hl == NULL || pid <= 0)
		return 0;
	for (int i = 0; i < HASHLIMIT_MAX; i++)
		n += give_back(i, pid);
	return n;
}
