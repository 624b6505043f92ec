/* tcase_list: register a list of Check tests in one call, for the unit and
 * the integration tests (header only: the unit tests share no source). */
#ifndef MEDSYS_TCASE_LIST_H
#define MEDSYS_TCASE_LIST_H

#include <stdarg.h>

#include <check.h>

/* Add the tests (START_TEST names, then NULL) to tc; returns tc. */
static inline TCase *
tcase_list_add(TCase *tc, ...)
{
	va_list ap;

	va_start(ap, tc);
	for (const TTest *t = va_arg(ap, const TTest *); t != NULL; t = va_arg(ap, const TTest *))
		tcase_add_test(tc, t);
	va_end(ap);
	return tc;
}

#endif
