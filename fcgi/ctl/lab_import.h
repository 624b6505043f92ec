/* lab_import: `medsysctl lab-import FILE`: results from a laboratory
 * system, HL7 v2.5 ORU^R01 messages (one or many in the file, with or
 * without the batch envelope), read by lib/hl7 and stored as lab.results
 * of the orders they name (docs/lab.md "HL7 import"). */
#ifndef MEDSYS_LAB_IMPORT_H
#define MEDSYS_LAB_IMPORT_H

#include <stdio.h>

#include "core/config.h"

/* Import the file into the open database (db_init with sql/import). Each
 * message in its own transaction, wholly or not at all: its order is
 * ORC-2 or OBR-2 (the placer order number, lab.orders.order_code), each
 * OBX-3 a LOINC code the order asked for, OBX-5 read by OBX-2 (NM a
 * number, converted from OBX-6's unit to the analyte's; CWE/CE an answer
 * of a coded analyte; ST/TX text), OBX-11 F or P a first result and C a
 * correction (a new version), OBX-14 or OBR-7 the collection time
 * (recorded on an order that has none). Results are released when
 * cfg->lab_import_release. A refused message is named on err with its
 * number, segment and field ("message 2: OBX-3 (segment 5): unknown LOINC
 * 9999-9"); the counts on out. 0 when every message was imported, 1 when
 * any was refused or the file could not be read. */
int lab_import_run(const struct config *cfg, const char *path, FILE *out, FILE *err);

#endif
