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
	# Node.js may come from elsewhere; only install Debian's when there is
	# none. npm too (the browser tests' packages): Debian packages it apart.
	command -v node >/dev/null 2>&1 || printf 'nodejs '
	command -v npm >/dev/null 2>&1 || printf 'npm '
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

# The browser tests' npm packages (playwright-core, axe-core), locked by
# tests/browser/package-lock.json, installed when missing or stale.
ensure_browser_modules() {
	local dir=$MEDSYS_ROOT/tests/browser
	command -v npm >/dev/null || die "npm is missing (apt-get install npm)"
	if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
		say "installing the browser test dependencies (npm ci)"
		npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null || die "npm ci failed"
		touch "$dir/node_modules"
	fi
}

# MEDSYS_FAKETIME="2026-12-13 23:50" (anything `date -d` reads): this
# process and its children see the clock moved there by Debian's
# libfaketime (tests/clock/run). The offset is fixed once, when FAKETIME is
# not yet set, so every process of one stack (PostgreSQL included) shares
# one clock, and it keeps ticking. The monotonic clock stays real.
# libfaketime 0.9.10 also wants a POSIX semaphore and shared memory named
# in FAKETIME_SHARED, and a process without one creates its own, owned by
# whoever runs it: a root-owned one inherited by the service user's
# processes fails them, and every exec leaks one in /dev/shm. So one pair
# is made here, by a process that leaves without removing it, and opened
# to every user (owned by the owner of /dev/shm, so that
# fs.protected_regular lets all open it); faketime_release removes it.
faketime_from_env() {
	local lib target sem shm
	[ -n "${MEDSYS_FAKETIME:-}" ] && [ -z "${FAKETIME:-}" ] || return 0
	lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1)
	[ -n "$lib" ] || die "MEDSYS_FAKETIME needs Debian's faketime (apt-get install faketime)"
	target=$(date -d "$MEDSYS_FAKETIME" +%s) || die "MEDSYS_FAKETIME: date cannot read '$MEDSYS_FAKETIME'"
	FAKETIME=$(printf '%+d' "$((target - $(date +%s)))")
	FAKETIME_SHARED=$(env -u FAKETIME_SHARED FAKETIME="$FAKETIME" LD_PRELOAD="$lib" \
		/usr/bin/python3 -c 'import os; print(os.environ["FAKETIME_SHARED"]); os._exit(0)') ||
		die "libfaketime made no shared semaphore"
	read -r sem shm <<<"$FAKETIME_SHARED"
	chmod 0666 "/dev/shm/sem.${sem#/}" "/dev/shm/${shm#/}"
	export FAKETIME FAKETIME_SHARED FAKETIME_DONT_FAKE_MONOTONIC=1 LD_PRELOAD=$lib${LD_PRELOAD:+:$LD_PRELOAD}
	MEDSYS_FAKETIME_OWNER=$$
}

# On a moved clock, the browser tests' Chromium keeps the real one: it
# reads the time thousands of times a second, which libfaketime makes very
# slow (a lock per call; its FAKETIME_SKIP_CMDS breaks Chromium's
# clock_gettime), and the pages' answers come from the server's clock
# (cookies carry Max-Age only). Writes DIR/chromium, a launcher without
# libfaketime, and points MEDSYS_CHROMIUM at it.
faketime_real_chromium() {
	local dir=$1
	[ -n "${FAKETIME:-}" ] || return 0
	printf '#!/bin/sh\n# Chromium on the real clock (script/lib.sh).\nunset LD_PRELOAD\nexec %s "$@"\n' \
		"${MEDSYS_CHROMIUM:-/usr/bin/chromium}" >"$dir/chromium"
	chmod 755 "$dir/chromium"
	export MEDSYS_CHROMIUM=$dir/chromium
}

# Remove the semaphore and shared memory faketime_from_env made (only in
# the process that made them).
faketime_release() {
	local sem shm
	[ "${MEDSYS_FAKETIME_OWNER:-}" = $$ ] && [ -n "${FAKETIME_SHARED:-}" ] || return 0
	read -r sem shm <<<"$FAKETIME_SHARED"
	rm -f "/dev/shm/sem.${sem#/}" "/dev/shm/${shm#/}"
	# Later commands run on the real clock (and make no semaphores).
	LD_PRELOAD=$(printf '%s' "$LD_PRELOAD" | tr ':' '\n' | grep -v libfaketime | paste -sd: -)
	[ -n "$LD_PRELOAD" ] || unset LD_PRELOAD
	unset FAKETIME FAKETIME_SHARED MEDSYS_FAKETIME_OWNER
}

# The prerequisites of a test that runs Node tools: node and the npm
# packages named (installed from tests/browser/package.json), or exit 77
# (skipped, not failed: `make check` run by hand has not installed them)
# naming the command that installs them. Exports MEDSYS_NODE_MODULES
# (absolute) and NODE_PATH.
node_test_prereqs() {
	local modules=${MEDSYS_NODE_MODULES:-$MEDSYS_ROOT/tests/browser/node_modules} m
	if ! command -v node >/dev/null; then
		echo "SKIP: node is not installed: apt-get install nodejs npm, then npm ci --prefix tests/browser"
		exit 77
	fi
	for m in "$@"; do
		if [ ! -f "$modules/$m/package.json" ]; then
			echo "SKIP: $m is not installed in $modules: run \`npm ci --prefix tests/browser\`" \
				"in the source tree (script/test does), or set MEDSYS_NODE_MODULES to a node_modules that has it"
			exit 77
		fi
	done
	MEDSYS_NODE_MODULES=$(cd "$modules" && pwd)
	export MEDSYS_NODE_MODULES NODE_PATH=$MEDSYS_NODE_MODULES${NODE_PATH:+:$NODE_PATH}
}

# The browser tests' prerequisites (tests/browser/*.stack).
browser_test_prereqs() {
	node_test_prereqs playwright-core axe-core
}
