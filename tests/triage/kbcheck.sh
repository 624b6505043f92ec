#!/bin/sh
# kbcheck.sh: the symptom checker's knowledge base and cases are well formed
# and as large as issue 14 asks (tests/triage/kbcheck.py --sizes).
set -u
src=${MEDSYS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
exec python3 "$src/tests/triage/kbcheck.py" --sizes --kb "$src/data/triage" --cases "$src/tests/triage/cases"
