/* qrsvg: (being written) */
#include "qrsvg.h"
