/* triage_cli: `medsysctl triage`: the symptom checker on the command line,
 * with no server and no database (docs/triage.md "Scoring a knowledge
 * base"). */
#ifndef MEDSYS_TRIAGE_CLI_H
#define MEDSYS_TRIAGE_CLI_H

#include <stddef.h>

#include "core/config.h"

/* medsysctl triage --case FILE | --eval DIR | --findings [--kb DIR]:
 * 0 done (for --eval: every threshold met), 1 a threshold missed, 2 a
 * usage, file or knowledge-base error. */
int triage_cli(const struct config *cfg, int argc, char **argv);

#endif
