/* arena: per-request bump allocator over a list of big blocks. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

#define ARENA_ALIGN 16u
#define ARENA_BLOCK ((size_t)64 * 1024)	/* ordinary block payload */
#define ARENA_BIG   (ARENA_BLOCK / 4)	/* larger requests get their own block */

/* One malloc'ed block; the payload follows the header. */
struct block {
	struct block *next;
	size_t size;	/* usable payload bytes after alignment */
	size_t off;	/* bytes of payload handed out */
	unsigned char *base;	/* first 16-aligned payload byte */
};

/* A call arena_free makes; the node lives in the arena itself. */
struct deferred {
	struct deferred *next;
	void (*fn)(void *);
	void *arg;
};

struct arena {
	struct block *head;	/* block currently bumped */
	struct deferred *deferred;	/* latest registered first */
	size_t cap;		/* 0 = no cap */
	size_t used;		/* bytes handed out, rounded to ARENA_ALIGN */
};

/* Round n up to ARENA_ALIGN; 0 when that would overflow. */
static size_t
round_up(size_t n)
{
	if (n > SIZE_MAX - (ARENA_ALIGN - 1))
		return 0;
	return (n + (ARENA_ALIGN - 1)) & ~(size_t)(ARENA_ALIGN - 1);
}

/* A fresh block with at least payload usable bytes, or NULL. Not zeroed:
 * arena_alloc zeroes what it hands out (a request uses a few KB of a
 * 64 KB block; zeroing it all was the biggest single cost of a page). */
static struct block *
block_new(size_t payload)
{
	struct block *b;
	size_t total;
	uintptr_t p;

	if (payload > SIZE_MAX - sizeof(*b) - ARENA_ALIGN)
		return NULL;
	total = sizeof(*b) + ARENA_ALIGN + payload;
	if ((b = malloc(total)) == NULL)
		return NULL;
	b->next = NULL;
	p = (uintptr_t)(b + 1);
	p = (p + (ARENA_ALIGN - 1)) & ~(uintptr_t)(ARENA_ALIGN - 1);
	b->base = (unsigned char *)p;
	b->size = payload;
	b->off = 0;
	return b;
}

/* An empty arena capped at max_bytes handed out (0 = no cap). */
struct arena *
arena_new(size_t max_bytes)
{
	struct arena *a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->cap = max_bytes;
	return a;
}

/* Run the deferred calls, then free every block and the arena; NULL is a
 * no-op. */
void
arena_free(struct arena *a)
{
	struct block *b, *next;

	if (a == NULL)
		return;
	/* The nodes live in the blocks: run them all before freeing any. */
	for (struct deferred *d = a->deferred; d != NULL; d = d->next)
		d->fn(d->arg);
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

/* Payload for a request of need (rounded) bytes: a dedicated block for big
 * requests, linked behind head so small requests keep filling head. */
static void *
alloc_slow(struct arena *a, size_t need)
{
	struct block *b;

	if (need >= ARENA_BIG) {
		if ((b = block_new(need)) == NULL)
			return NULL;
		if (a->head == NULL) {
			a->head = b;
		} else {
			b->next = a->head->next;
			a->head->next = b;
		}
	} else {
		if ((b = block_new(ARENA_BLOCK)) == NULL)
			return NULL;
		b->next = a->head;
		a->head = b;
	}
	b->off = need;
	return b->base;
}

/* n bytes aligned to 16, not zeroed (for callers that fill them). */
static void *
alloc_raw(struct arena *a, size_t n)
{
	struct block *b;
	size_t need;
	void *p;

	if (a == NULL)
		return NULL;
	if ((need = round_up(n == 0 ? 1 : n)) == 0)
		return NULL;
	if (a->cap != 0 && (a->used > a->cap || need > a->cap - a->used))
		return NULL;
	b = a->head;
	if (b != NULL && need <= b->size - b->off) {
		p = b->base + b->off;
		b->off += need;
	} else if ((p = alloc_slow(a, need)) == NULL) {
		return NULL;
	}
	a->used += need;
	return p;
}

/* n zeroed bytes aligned to 16 (n = 0 gives a unique pointer); NULL on
 * overflow, over the cap or out of memory, the arena staying usable. */
void *
arena_alloc(struct arena *a, size_t n)
{
	void *p = alloc_raw(a, n);

	if (p != NULL && n != 0)
		memset(p, 0, n);
	return p;
}

/* A new array of newmemb*size bytes holding the first min(nmemb, newmemb)
 * elements of old; NULL on overflow or exhaustion. */
void *
arena_realloc_array(struct arena *a, void *old, size_t nmemb,
                    size_t newmemb, size_t size)
{
	size_t keep;
	void *p;

	if (size != 0 && newmemb > SIZE_MAX / size)
		return NULL;
	if (size != 0 && nmemb > SIZE_MAX / size)
		return NULL;
	if ((p = alloc_raw(a, newmemb * size)) == NULL)
		return NULL;
	keep = (nmemb < newmemb ? nmemb : newmemb) * size;
	if (old == NULL)
		keep = 0;
	if (keep != 0)
		memcpy(p, old, keep);
	if (newmemb * size > keep)
		memset((char *)p + keep, 0, newmemb * size - keep);
	return p;
}

/* n bytes of p, NUL bytes included, plus a terminating NUL. */
void *
arena_memdup(struct arena *a, const void *p, size_t n)
{
	char *s;

	if (n == SIZE_MAX)
		return NULL;
	if ((s = alloc_raw(a, n + 1)) == NULL)
		return NULL;
	if (n != 0)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/* At most n bytes of s, up to its first NUL, NUL-terminated. */
char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	if (s == NULL)
		return NULL;
	return arena_memdup(a, s, strnlen(s, n));
}

/* A NUL-terminated copy of s; NULL for NULL. */
char *
arena_strdup(struct arena *a, const char *s)
{
	if (s == NULL)
		return NULL;
	return arena_memdup(a, s, strlen(s));
}

/* vsnprintf twice: measure, then print into the arena. */
char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		goto out;
	if ((s = alloc_raw(a, (size_t)len + 1)) == NULL)
		goto out;
	va_start(ap, fmt);
	if (vsnprintf(s, (size_t)len + 1, fmt, ap) != len)
		s = NULL;
	va_end(ap);
out:
	return s;
}

/* Push a node on the arena's list of calls for arena_free. */
int
arena_defer(struct arena *a, void (*fn)(void *), void *arg)
{
	struct deferred *d;

	if ((d = arena_alloc(a, sizeof(*d))) == NULL)
		return -1;
	d->fn = fn;
	d->arg = arg;
	d->next = a->deferred;
	a->deferred = d;
	return 0;
}

/* Bytes handed out so far, rounded up to the alignment. */
size_t
arena_used(const struct arena *a)
{
	return a == NULL ? 0 : a->used;
}
