/* account: (being written) */
#include "pages.h"
