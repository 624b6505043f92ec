/* routes: medsysd's route table, assembled from every feature's rows where
 * the program is wired together (the pipeline in core/ knows no feature). */
#ifndef MEDSYS_ROUTES_H
#define MEDSYS_ROUTES_H

#include <stddef.h>

#include "core/router.h"

/* Every route of every feature, in order; *n gets the count. Built on the
 * first call and kept for the life of the process. NULL when out of
 * memory. */
const struct route *routes_all(size_t *n);

#endif
