/* arena: per-request memory, freed in one call. */
#ifndef MEDSYS_ARENA_H
#define MEDSYS_ARENA_H

#include <stddef.h>

struct arena;

/* Make an arena that refuses to hand out more than max_bytes in total
 * (0 = no cap). Returns NULL when out of memory. */
struct arena *arena_new(size_t max_bytes);

/* Run the arena's deferred calls, then free the arena and everything
 * allocated from it. NULL is a no-op. */
void arena_free(struct arena *a);

/* n bytes, aligned for any type, zero-filled. NULL when the cap is reached
 * or memory is exhausted; the arena stays usable. */
void *arena_alloc(struct arena *a, size_t n);

/* Grow an array of nmemb*size bytes to newmemb*size, copying the old
 * contents (the old block is not reused). NULL on overflow or exhaustion. */
void *arena_realloc_array(struct arena *a, void *old, size_t nmemb,
                          size_t newmemb, size_t size);

/* Copies that are always NUL-terminated. NULL on exhaustion. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);

/* Copy exactly n bytes of p (which may hold NUL bytes) and add a NUL after
 * them. NULL on exhaustion. */
void *arena_memdup(struct arena *a, const void *p, size_t n);

/* printf into the arena. NULL on exhaustion. */
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Have arena_free call fn(arg) before it frees the memory: for things the
 * arena does not allocate but should own (database results). Calls run
 * latest registered first. 0, or -1 when a is NULL or exhausted: then
 * nothing is registered and arg is still the caller's to release. */
int arena_defer(struct arena *a, void (*fn)(void *), void *arg);

/* Bytes handed out so far (for limits and tests). */
size_t arena_used(const struct arena *a);

#endif
