# script/lib.sh: shared by script/server, script/test and the test harness.
# Source it; it defines functions and MEDSYS_ROOT, changes nothing itself.

MEDSYS_ROOT=${MEDSYS_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
MEDSYS_USER=${MEDSYS_USER:-medsys}     # runs PostgreSQL, medsysd, nginx when we are root

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Debian packages listed in script/packages.txt that are not installed.
missing_packages() {
	local p
	for p in $(grep -v '^#' "$MEDSYS_ROOT/script/packages.txt"); do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || printf '%s ' "$p"
	done
	# Node.js may come from elsewhere; only install Debian's when there is none.
	command -v node >/dev/null 2>&1 || printf 'nodejs npm '
}

# Install what is missing (as root), or print the exact command and stop.
install_packages() {
	local missing
	missing=$(missing_packages)
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		die "missing Debian packages. Run as root: apt-get install -y $missing"
	fi
	say "installing Debian packages: $missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq || die "apt-get update failed"
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null || die "apt-get install failed"
}

# The unprivileged account services run as when we are root.
ensure_service_user() {
	[ "$(id -u)" = 0 ] || return 0
	id -u "$MEDSYS_USER" >/dev/null 2>&1 && return 0
	say "creating the system user $MEDSYS_USER"
	useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin "$MEDSYS_USER"
}

# Run a command as the service user when root, else as ourselves.
as_service() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u "$MEDSYS_USER" -- "$@"
	else
		"$@"
	fi
}

# When root, make sure the service user can reach path (search permission
# on every parent directory); grants o+x where it is missing and says so.
ensure_reachable() {
	[ "$(id -u)" = 0 ] || return 0
	local d=$1
	while [ "$d" != / ] && [ -n "$d" ]; do
		if ! runuser -u "$MEDSYS_USER" -- test -x "$d" 2>/dev/null; then
			say "granting search permission (o+x) on $d so that $MEDSYS_USER can reach the project"
			chmod o+x "$d"
		fi
		d=$(dirname "$d")
	done
}

pg_bindir() {
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	[ -n "$d" ] || die "PostgreSQL server binaries not found (apt-get install postgresql)"
	printf '%s\n' "$d"
}

nginx_bin() {
	command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || die "nginx not found (apt-get install nginx)"
}

free_port() {
	/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Configure and build into BUILDDIR (default build/), with extra configure
# arguments. Reconfigures only when needed.
build_project() {
	local builddir=${1:-$MEDSYS_ROOT/build}; shift || true
	[ -x "$MEDSYS_ROOT/configure" ] || { say "generating ./configure"; (cd "$MEDSYS_ROOT" && ./bootstrap >/dev/null 2>&1) || die "autoreconf failed"; }
	mkdir -p "$builddir"
	if [ ! -f "$builddir/Makefile" ] || [ "$MEDSYS_ROOT/configure" -nt "$builddir/Makefile" ]; then
		say "configuring in $builddir"
		(cd "$builddir" && "$MEDSYS_ROOT/configure" --enable-werror "$@" >configure.out 2>&1) ||
			{ tail -n 20 "$builddir/configure.out" >&2; die "configure failed (full output: $builddir/configure.out)"; }
	fi
	say "building"
	make -C "$builddir" -j"$(nproc)" >"$builddir/make.out" 2>&1 ||
		{ tail -n 40 "$builddir/make.out" >&2; die "build failed (full output: $builddir/make.out)"; }
}
