#!/bin/sh
# Shows that tests/config/layering.sh can fail: it must accept a small tree
# that keeps the rule and refuse each kind of breach (core including a
# pages/ header, by path or by a bare name that is not core's; lib
# including a core/ header; lib opening a file, calling a libpq function,
# including <unistd.h>), naming the file and line.

set -u

srcdir=${MEDSYS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
check=$srcdir/tests/config/layering.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/medsys-layering.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fails=0

# A tree that keeps the rule: core uses lib, lib formats into memory.
good_tree() {
	rm -rf "$tmp/t" && mkdir -p "$tmp/t/core" "$tmp/t/lib" "$tmp/t/pages"
	printf '#include "arena.h"\n#include "core/db.h"\n#include "lib/totp.h"\n' > "$tmp/t/core/app.c"
	: > "$tmp/t/core/arena.h"; : > "$tmp/t/core/db.h"; : > "$tmp/t/pages/pages.h"
	printf '#include <stdio.h>\n#include "totp.h"\n/* read(2) and fopen in a comment are fine */\nint f(char *b) { return snprintf(b, 4, "%%d", 1); }\n' > "$tmp/t/lib/totp.c"
	: > "$tmp/t/lib/totp.h"
}

# expect_breach WHAT FILE TEXT PATTERN: appending TEXT to FILE of a good
# tree must make the check fail with a line matching PATTERN.
expect_breach() {
	good_tree
	printf '%s\n' "$3" >> "$tmp/t/$2"
	out=$(sh "$check" "$tmp/t" 2>&1)
	rc=$?
	if [ $rc -ne 1 ] || ! printf '%s\n' "$out" | grep -q "$4"; then
		echo "FAIL: $1 was not refused (exit $rc): $out"
		fails=$((fails + 1))
	else
		echo "ok: $1 refused: $(printf '%s\n' "$out" | head -n 1)"
	fi
}

good_tree
if ! out=$(sh "$check" "$tmp/t" 2>&1); then
	echo "FAIL: a tree that keeps the rule was refused: $out"
	fails=$((fails + 1))
fi

expect_breach "core including pages/pages.h" core/app.c '#include "pages/pages.h"' 'core/app.c:4 includes "pages/pages.h"'
expect_breach "core including a bare name that is not core's" core/app.c '#include "pages.h"' 'core/app.c:4 includes "pages.h"'
expect_breach "core climbing out with ../" core/app.c '#include "../pages/pages.h"' 'core/app.c:4 includes'
expect_breach "lib including a core header" lib/totp.c '#include "core/arena.h"' 'lib/totp.c:5 includes "core/arena.h"'
expect_breach "lib opening a file" lib/totp.c 'void g(void) { FILE *f = fopen("x", "r"); (void)f; }' 'lib/totp.c:5: I/O call'
expect_breach "lib calling libpq" lib/totp.c 'void h(void *c) { PQexec(c, "select 1"); }' 'lib/totp.c:5: I/O call'
expect_breach "lib writing to a descriptor" lib/totp.c 'void w(void) { (void)write(1, "x", 1); }' 'lib/totp.c:5: I/O call'
expect_breach "lib including <unistd.h>" lib/totp.c '#include <unistd.h>' 'lib/totp.c:5: I/O header'

# The size rule's check (file-size.sh) refuses a source of 801 lines and
# takes one of 800.
sizecheck=$(dirname "$check")/file-size.sh
mkdir -p "$tmp/size"
awk 'BEGIN { for (i = 0; i < 800; i++) print "/* line */" }' >"$tmp/size/ok.c"
if ! sh "$sizecheck" "$tmp/size" >/dev/null 2>&1; then
	echo "FAIL: file-size.sh refused a source of 800 lines"
	fails=$((fails + 1))
fi
echo "/* one more */" >>"$tmp/size/ok.c"
if sh "$sizecheck" "$tmp/size" >/dev/null 2>&1; then
	echo "FAIL: file-size.sh took a source of 801 lines"
	fails=$((fails + 1))
else
	echo "ok: file-size.sh refused a source of 801 lines"
fi

[ $fails -eq 0 ] || exit 1
echo "layering.sh and file-size.sh refuse every kind of breach they are meant to"
