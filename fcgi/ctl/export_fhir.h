/* export_fhir: medsysctl export-fhir, a patient's record as a FHIR R4
 * Bundle (the statement GET /record/export.json runs). */
#ifndef MEDSYS_CTL_EXPORT_FHIR_H
#define MEDSYS_CTL_EXPORT_FHIR_H

#include <stdio.h>

struct config;

/* Write patient_id's Bundle to out, audited as an export by the
 * administrator's tool. The database must be open (db_init). 0 written,
 * 1 no such patient, 2 failed (a message on stderr). */
int export_fhir_write(const struct config *cfg, const char *patient_id, FILE *out);

#endif
