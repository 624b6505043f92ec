# bench/lib.sh: what bench/run and bench/profile share: a private stack, the
# demo doctor's sign-in and the agenda seed. Source it; it defines functions.
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/../script/lib.sh"

SRCDIR=${MEDSYS_SRCDIR:-$MEDSYS_ROOT}
BUILDDIR=${MEDSYS_BUILDDIR:-$MEDSYS_ROOT/build}
STACK=''

# bench_psql SQL: run SQL in the stack's database as the service role; the
# result rows on stdout, unaligned.
bench_psql() {
	as_service psql -qtA -v ON_ERROR_STOP=1 -h "$MEDSYS_PGHOST" -U medsys -d medsys -c "$1"
}

# bench_stack_start HARNESS WORKERS [WRAPPER]: start a private stack (demo
# seed) in a new temporary directory, set STACK and export the variables of
# STACK/env. HARNESS is the tests/harness/stack script to use; WRAPPER a
# command medsysd runs under (valgrind). Pairs with bench_stack_stop.
bench_stack_start() {
	local harness=$1 workers=$2 wrapper=${3:-} seeds=() s
	STACK=$(mktemp -d /tmp/medsys-bench.XXXXXX)
	# The demo data script/server loads: the clinic, then the records.
	for s in "$SRCDIR"/sql/seed/*.sql; do seeds+=(--seed "$s"); done
	chmod 755 "$STACK"
	say "starting a stack in $STACK ($workers workers${wrapper:+, medsysd under ${wrapper%% *}})"
	MEDSYS_MEDSYSD_WRAPPER=$wrapper MEDSYS_SRCDIR=$SRCDIR MEDSYS_BUILDDIR=$BUILDDIR "$harness" start "$STACK" \
		--workers "$workers" "${seeds[@]}" >/dev/null 2>"$STACK/start.err" ||
		{ cat "$STACK/start.err" >&2; die "the stack did not start"; }
	set -a; . "$STACK/env"; set +a
	BENCH_HARNESS=$harness
}

# bench_stack_stop: stop and remove the stack of bench_stack_start (an EXIT trap).
bench_stack_stop() {
	[ -n "$STACK" ] || return 0
	"$BENCH_HARNESS" stop "$STACK" >/dev/null 2>&1 || true
	rm -rf "$STACK"
}

# bench_worker_rss: the medsysd workers (children of the pid in
# MEDSYS_PIDFILE) as "pid rss_kB" lines.
bench_worker_rss() {
	local parent pid ppid rss
	parent=$(cat "$MEDSYS_PIDFILE")
	for st in /proc/[0-9]*/status; do
		pid=${st#/proc/}; pid=${pid%/status}
		ppid=$(awk '$1 == "PPid:" {print $2}' "$st" 2>/dev/null) || continue
		[ "$ppid" = "$parent" ] || continue
		rss=$(awk '$1 == "VmRSS:" {print $2}' "$st" 2>/dev/null) || continue
		echo "$pid $rss"
	done | sort -n
}

# bench_agenda_day: today in the clinic's time zone (YYYY-MM-DD).
bench_agenda_day() { TZ=Europe/Madrid date +%F; }

# bench_seed_agenda DAY: 12 half-hour appointments for the demo doctor with
# the demo patient on DAY, from 08:00 clinic time (idempotent).
bench_seed_agenda() {
	local day=$1
	bench_psql "WITH d AS (SELECT id FROM clinic.doctors WHERE licence_number = '28-28-45123'),
	                 p AS (SELECT id FROM auth.users WHERE email = 'paciente@demo.medsys')
	            INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode, reason)
	            SELECT d.id, p.id, t, t + interval '30 minutes', 'in_person', 'Revisión ' || n
	              FROM d, p, generate_series(1, 12) n,
	                   LATERAL (SELECT ('$day'::date + time '08:00' + (n - 1) * interval '30 minutes')
	                                   AT TIME ZONE 'Europe/Madrid' AS t) x
	            ON CONFLICT DO NOTHING" >/dev/null
}

# bench_signin JAR EMAIL PASSWORD [TOTP_SECRET]: sign in with the cookie jar
# JAR (the password, then, for staff, the TOTP code from oathtool); prints
# the session cookie's value, or dies.
bench_signin() {
	local jar=$1 email=$2 password=$3 secret=${4:-} csrf code sess
	curl -s -c "$jar" -b "$jar" -o /dev/null "$MEDSYS_URL/login"
	csrf=$(awk '$6 == "csrf" {print $7}' "$jar")
	curl -s -c "$jar" -b "$jar" -o /dev/null -H "Origin: $MEDSYS_URL" --data-urlencode "csrf=$csrf" \
		--data-urlencode "email=$email" --data-urlencode "password=$password" \
		"$MEDSYS_URL/login"
	if [ -n "$secret" ]; then
		csrf=$(curl -s -c "$jar" -b "$jar" "$MEDSYS_URL/login/2fa" |
			sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
		code=$(oathtool --totp -b "$secret")
		curl -s -c "$jar" -b "$jar" -o /dev/null -H "Origin: $MEDSYS_URL" --data-urlencode "csrf=$csrf" \
			--data-urlencode "code=$code" "$MEDSYS_URL/login/2fa"
	fi
	sess=$(awk '$6 == "session" {print $7}' "$jar")
	[ -n "$sess" ] || die "could not sign in as $email"
	printf '%s\n' "$sess"
}

# bench_signin_doctor JAR / bench_signin_patient JAR: the demo accounts of
# sql/seed/demo.sql.
# The doctor signs in once per stack: a TOTP code is accepted only once, so
# a second sign-in within the same 30 s would fail; later targets reuse
# the session.
bench_signin_doctor() {
	if [ ! -s "$STACK/doctor.session" ]; then
		bench_signin "$1" doctora@demo.medsys demo-doctor-2026 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ \
			>"$STACK/doctor.session"
	fi
	cat "$STACK/doctor.session"
}
bench_signin_patient() {
	bench_signin "$1" paciente@demo.medsys demo-patient-2026
}
