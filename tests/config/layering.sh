#!/bin/sh
# Checks the dependency rule of docs/architecture.md ("Layering") on the C
# sources: usage: layering.sh [DIR]  (DIR holds core/, lib/, pages/; default
# $MEDSYS_SRCDIR/fcgi). Exit 0 when the rule holds, 1 with one line per
# breach otherwise.
#
#  1. core/ includes none of our headers but core/ and lib/ ones: never
#     pages/ (the pipeline knows no feature).
#  2. lib/ includes none of our headers but lib/ ones.
#  3. lib/ touches no I/O: none of the headers or calls below (files and
#     descriptors, stdio streams, sockets and name lookup, processes,
#     PostgreSQL, FastCGI, curl, syslog). <stdio.h> itself is allowed for
#     the snprintf family, which only writes to memory.
# Our headers are the quoted includes ("x.h", "core/x.h"); a bare name
# means the including file's own folder, as the compiler resolves it.
# Comments are skipped; string literals are not, so keep such words out of
# lib's strings or reword them.

set -u

dir=${1:-${MEDSYS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/fcgi}
[ -d "$dir/core" ] && [ -d "$dir/lib" ] || { echo "layering: no core/ and lib/ under $dir"; exit 2; }

# Headers whose only purpose is I/O.
io_headers='unistd\.h|fcntl\.h|dirent\.h|poll\.h|syslog\.h|termios\.h|sys/(socket|stat|select|epoll|mman|ioctl|un|wait|sendfile|file)\.h|netinet/[a-z_]+\.h|arpa/inet\.h|netdb\.h|libpq-fe\.h|fcgiapp\.h|fcgi_stdio\.h|fcgio\.h|curl/curl\.h|spawn\.h'
# Calls that read or write outside the process's memory.
io_calls='fopen|fdopen|freopen|fclose|fread|fwrite|fgets|fgetc|fputs|fputc|getc|putc|getchar|putchar|gets|puts|printf|fprintf|vprintf|vfprintf|dprintf|scanf|fscanf|vfscanf|fflush|fseek|fseeko|ftell|rewind|tmpfile|popen|pclose|perror|getline|getdelim|open|openat|creat|read|write|pread|pwrite|readv|writev|close|lseek|unlink|rename|mkdir|rmdir|stat|fstat|lstat|access|opendir|readdir|closedir|socket|connect|bind|listen|accept|accept4|send|recv|sendto|recvfrom|sendmsg|recvmsg|getaddrinfo|gethostbyname|poll|select|ioctl|mmap|syslog|openlog|system|fork|execv|execve|execvp|execl|execlp|sendfile|PQ[A-Za-z]+|FCGX_[A-Za-z]+|curl_[a-z_]+'

# The file with comments blanked out (line numbers kept).
strip_comments() {
	awk '
	{
		out = ""; line = $0
		while (line != "") {
			if (incomment) {
				e = index(line, "*/")
				if (e == 0) { line = ""; break }
				line = substr(line, e + 2); incomment = 0
			} else {
				s = index(line, "/*"); d = index(line, "//")
				if (d > 0 && (s == 0 || d < s)) { out = out substr(line, 1, d - 1); line = ""; break }
				if (s == 0) { out = out line; line = ""; break }
				out = out substr(line, 1, s - 1) " "; line = substr(line, s + 2); incomment = 1
			}
		}
		print out
	}' "$1"
}

# Our headers a file includes, one "LINE:NAME" per line.
our_includes() {
	strip_comments "$1" | grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' |
		sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1:\2/'
}

# check_includes LAYER ALLOWED...: every quoted include of LAYER's files
# names a header of LAYER itself or of one of the ALLOWED layers.
check_includes() {
	layer=$1; shift
	for f in "$dir/$layer"/*.c "$dir/$layer"/*.h "$dir/$layer"/*/*.c "$dir/$layer"/*/*.h; do
		[ -f "$f" ] || continue
		here=$(dirname "$f")
		our_includes "$f" | while IFS=: read -r line name; do
			case $name in
			*/*) top=${name%%/*} ;;
			*) if [ -f "$here/$name" ]; then top=$layer; else top=missing; fi ;;
			esac
			ok=0
			for allowed in "$layer" "$@"; do
				[ "$top" = "$allowed" ] && ok=1
			done
			case $name in ../*|*/../*) ok=0 ;; esac
			[ $ok = 1 ] || echo "${f#"$dir"/}:$line includes \"$name\", outside $layer/${*:+ and $*/}"
		done
	done
}

# I/O in lib/: one line per forbidden header or call.
check_io() {
	for f in "$dir"/lib/*.c "$dir"/lib/*.h "$dir"/lib/*/*.c "$dir"/lib/*/*.h; do
		[ -f "$f" ] || continue
		strip_comments "$f" | grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*<($io_headers)>" |
			sed "s|^\([0-9]*\):|${f#"$dir"/}:\1: I/O header: |"
		strip_comments "$f" | grep -nE "(^|[^A-Za-z0-9_.>])($io_calls)[[:space:]]*\(" |
			sed "s|^\([0-9]*\):|${f#"$dir"/}:\1: I/O call: |"
	done
}

found=$( { check_includes core lib; check_includes lib; check_io; } | sed 's/^/layering: /')
if [ -n "$found" ]; then
	printf '%s\n' "$found"
	echo "layering: $(printf '%s\n' "$found" | wc -l) breach(es) in $dir (the rules are at the top of $0)"
	exit 1
fi
echo "layering: $dir keeps the rule (core/ knows no pages/, lib/ is self-contained and does no I/O)"
exit 0
