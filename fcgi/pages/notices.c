/* notices: (being written) */
#include "pages.h"
