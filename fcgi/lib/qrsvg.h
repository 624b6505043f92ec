/* qrsvg: a QR code (libqrencode) drawn as a small inline SVG, for the
 * second-factor set-up page and, later, printed prescriptions. No I/O. */
#ifndef MEDSYS_QRSVG_H
#define MEDSYS_QRSVG_H

#include <stddef.h>

/* An SVG document (malloc'd, NUL-terminated) showing text as a QR code
 * with error-correction level M, `module` user units per module and the
 * 4-module quiet zone, with role="img" and aria-label = label (escaped).
 * NULL on error. The caller frees it. */
char *qrsvg_make(const char *text, int module, const char *label);

#endif
