#!/bin/sh
# No C source over 800 lines (the project's rule: a file that grows past it
# is split along its own seams; docs/architecture.md, "Layering").
# usage: file-size.sh [DIR...]  (default: $MEDSYS_SRCDIR/fcgi and tests). Exit 1 and
# one line per file over the limit, else 0.

set -u

limit=800
srcdir=${MEDSYS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
[ $# -gt 0 ] || set -- "$srcdir/fcgi" "$srcdir/tests"
over=$(find "$@" -type f \( -name '*.c' -o -name '*.h' \) -exec wc -l {} + |
	awk -v max=$limit '$2 != "total" && $1 > max { print "file-size: " $2 " has " $1 " lines (limit " max ")" }')
if [ -n "$over" ]; then
	printf '%s\n' "$over"
	exit 1
fi
echo "file-size: no C source over $limit lines in $*"
