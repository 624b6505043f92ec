/* triagematch: a patient's own words (Spanish or English) matched to the
 * knowledge base's findings through their names, lay synonyms and ids:
 * case and accents folded, plurals and word stems, misspellings within an
 * edit distance of 1 (words of 5+ letters) or 2 (9+), "no"/"sin"/"not"
 * before a phrase read as its absence. Pure: no I/O, no allocation. */
#ifndef MEDSYS_TRIAGEMATCH_H
#define MEDSYS_TRIAGEMATCH_H

#include <stddef.h>
#include <stdint.h>

#include "triagekb.h"

#define TMATCH_MAX        16     /* hits kept, best first */
#define TMATCH_TEXT_MAX   600    /* bytes of text looked at */
#define TMATCH_TOKENS_MAX 64

struct tmatch_hit {
	uint16_t finding;
	double score;        /* higher is better: the matched words, less for inexact ones */
	int full;            /* every word of one of its phrases was found */
	int negated;         /* "no fever", "sin fiebre": the finding is absent */
	int fuzzy;           /* a one-word phrase matched only as a misspelling */
};

struct tmatch_result {
	struct tmatch_hit hit[TMATCH_MAX];
	size_t n;
	/* 1 when the text was understood: at least one full hit, none of
	 * them a one-word misspelling, and fewer of its words left
	 * unexplained than explained. Else the page offers the hits as a
	 * list to pick from. */
	int sure;
};

/* Match text (UTF-8, NUL-terminated; only the first TMATCH_TEXT_MAX
 * bytes count) against the findings of a finished kb. Full hits first,
 * then partial ones (a phrase of two or more words of which some were
 * found), each group by score. Returns out->n. */
size_t tmatch_text(const struct triage_kb *kb, const char *text, struct tmatch_result *out);

/* Fold s into out (outlen bytes, always terminated): lowercase ASCII,
 * Latin-1 accents dropped (á -> a, ñ -> n, ü -> u, ç -> c), every other
 * byte a space, runs of spaces one. Returns the length written. */
size_t tmatch_fold(const char *s, char *out, size_t outlen);

/* The edit distance (insert, delete, substitute, swap of neighbours)
 * between a and b when it is at most max, else max + 1. */
int tmatch_distance(const char *a, const char *b, int max);

#endif
