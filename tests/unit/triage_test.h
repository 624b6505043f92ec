/* triage_test: what the two files of test_triage share. */
#ifndef MEDSYS_TRIAGE_TEST_H
#define MEDSYS_TRIAGE_TEST_H

#include <check.h>

#include "lib/triagekb.h"

/* A small hand-made base, and the shipped one ($MEDSYS_SRCDIR/data/triage). */
struct triage_kb *small_kb(void);
struct triage_kb *shipped_kb(void);

/* test_triagematch.c: the loader's errors, the matcher, the case reader. */
void triage_add_loader_tests(TCase *tc);
void triage_add_match_tests(TCase *tc);

#endif
