#!/bin/sh
# One word for one thing in each language: every "video = ..." key of a
# language's files (the mode of a visit in pages, mails and the schedule)
# names video visits the same way (issue 15: "Videollamada" on one page and
# "Videoconsulta" on the next read as two different things).
# usage: lang-words.sh  Exit 1 and the words found when a language has more than one.

set -u

srcdir=${MEDSYS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
rc=0
for dir in "$srcdir"/templates/lang/*/; do
	words=$(grep -h '^[[:space:]]*video[[:space:]]*=' "$dir"*.hdf | sed 's/^[^=]*=[[:space:]]*//' | sort -u)
	n=$(printf '%s\n' "$words" | grep -c .)
	if [ "$n" -ne 1 ]; then
		echo "lang-words: $dir names video visits $n ways:" $words
		rc=1
	fi
done
[ $rc -eq 0 ] && echo "lang-words: one word for video visits in each language"
exit $rc
