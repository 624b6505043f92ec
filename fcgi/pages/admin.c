/* admin: (being written) */
#include "pages.h"
