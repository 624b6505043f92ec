#!/bin/sh
# eval.sh: the symptom checker's evaluation suite (issue 14): every case
# of tests/triage/cases scored against the shipped knowledge base by
# `medsysctl triage --eval`, which exits non-zero below top-3 75 %,
# triage 80 % or with any emergency under-triaged (docs/triage.md).
set -u
src=${MEDSYS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${MEDSYS_BUILDDIR:-$src/build}
# No configuration file: the command needs no server and no database.
exec "$build/medsysctl" --config /dev/null triage --eval "$src/tests/triage/cases" --kb "$src/data/triage"
