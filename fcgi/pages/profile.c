/* profile: (being written) */
#include "pages.h"
