/* parsers_test: what test_parsers.c and test_multipart.c (one program)
 * share: the per-test arena and fields, their fixture, and helpers. */
#ifndef MEDSYS_PARSERS_TEST_H
#define MEDSYS_PARSERS_TEST_H

#include <stddef.h>

#include <check.h>

#include "core/arena.h"
#include "core/fields.h"

/* Per-test state, reset by the fixture (defined in test_parsers.c). */
extern struct arena *ar;
extern struct fields fl;

/* The fixture: a fresh 64 MB arena and empty fields; freed after. */
void parsers_setup(void);
void parsers_teardown(void);

/* A NUL-terminated string of n copies of c, in the arena. */
char *parsers_rep(char c, size_t n);

/* Compare parse statuses by name, so a failure names both. */
#define ck_status(got, want) \
	ck_assert_str_eq(parse_status_name(got), parse_status_name(want))

/* The multipart test case (test_multipart.c). */
TCase *parsers_multipart_tcase(void);

#endif
