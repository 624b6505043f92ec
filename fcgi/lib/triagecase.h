/* triagecase: one evaluation case of the symptom checker (a JSON object,
 * tests/triage/cases/NNN-slug.json; docs/triage.md "Cases") parsed from
 * bytes. A small JSON reader for exactly that shape: strings, numbers,
 * booleans, arrays of strings; other members are skipped. Pure: no I/O,
 * no allocation. */
#ifndef MEDSYS_TRIAGECASE_H
#define MEDSYS_TRIAGECASE_H

#include <stddef.h>

#define TCASE_TEXT_MAX  600     /* bytes of the complaint, the source, one item */
#define TCASE_ID_MAX    96
#define TCASE_ITEMS_MAX 40      /* present or absent items */
#define TCASE_ALT_MAX   12      /* alternatives */
#define TCASE_DEPTH_MAX 16      /* nesting of skipped values */

struct triage_case {
	char id[TCASE_ID_MAX], source[TCASE_TEXT_MAX], complaint[TCASE_TEXT_MAX];
	char sex[16], expected[TCASE_ID_MAX], triage[16];
	int age;                 /* -1 when missing */
	int pregnant;
	char present[TCASE_ITEMS_MAX][TCASE_TEXT_MAX], absent[TCASE_ITEMS_MAX][TCASE_TEXT_MAX];
	size_t npresent, nabsent;
	char alternatives[TCASE_ALT_MAX][TCASE_ID_MAX];
	size_t nalternatives;
};

/* Parse len bytes of JSON into *c. 0, or -1 with a message in err: not
 * one JSON object, a value of the wrong type for a known member, a text
 * or a list too long, age outside 0..130, no expected or triage. */
int triage_case_parse(const char *json, size_t len, struct triage_case *c, char *err, size_t errlen);

#endif
