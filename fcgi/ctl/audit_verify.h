/* audit_verify: the check behind medsysctl audit-verify (rows, seals,
 * signatures, the seal file), on the connection db.c holds with the
 * statements of sql/sealer. */
#ifndef MEDSYS_AUDIT_VERIFY_H
#define MEDSYS_AUDIT_VERIFY_H

#include <stdio.h>

#include "core/config.h"

/* Verify the whole trail and print to out "verified through row N (S
 * seals)", the unsealed tail, and "break: REASON" for the first break.
 * 0 when everything verifies, 1 on a break. */
int audit_verify(const struct config *cfg, FILE *out);

#endif
