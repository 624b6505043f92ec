/* triagekb_store: the private memory of a knowledge base (triagekb.c
 * and triagekb_index.c only): owned text, growing arrays, the ids a row
 * names before tkb_finish resolves them, and the id hash tables. */
#ifndef MEDSYS_TRIAGEKB_STORE_H
#define MEDSYS_TRIAGEKB_STORE_H

#include <stddef.h>

#include "triagekb.h"

struct tkb_store;

/* A new store, or NULL when out of memory; tkb_store_free frees it all. */
struct tkb_store *tkb_store_new(void);
void tkb_store_free(struct tkb_store *s);

/* A copy of s owned by the store ("" and the store marked out of memory
 * when it cannot be made: tkb_finish then fails). */
const char *tkb_store_text(struct tkb_store *s, const char *text);

/* Make room for element n of the array *arr (n elements of size bytes
 * so far; the array grows by doubling). The element, or NULL when out of
 * memory (*arr unchanged). */
void *tkb_store_grow(struct tkb_store *s, void **arr, size_t size, size_t n);

/* Record the id text (a list "a|b" for a rule) that row `row` of table t
 * names in its reference slot `which` (priors: 0 condition; evidence: 0
 * condition, 1 finding; redflags: 0 all_of, 1 any_of). 0 or -1. */
int tkb_store_ref(struct tkb_store *s, enum tkb_table t, size_t row, int which, const char *text);

/* What tkb_store_ref recorded. */
const char *tkb_store_ref_get(const struct tkb_store *s, enum tkb_table t, size_t row, int which);

/* 1 when something could not be allocated. */
int tkb_store_oom(const struct tkb_store *s);

#endif
