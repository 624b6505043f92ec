#!/bin/sh
# Checks the nginx configurations: nginx/dev.conf.in (substituted as the
# scripts do) and the production site nginx/medsys.conf (wrapped in a minimal
# nginx.conf), both with `nginx -t`, their required directives, and a live
# run of the dev config with medsysd absent (static files, hidden files,
# the 503 page).
# Environment: MEDSYS_SRCDIR (absolute source dir), MEDSYS_NGINX (nginx binary or
# empty). Exit 77 (skip) only when nginx is not installed.

set -u

srcdir=${MEDSYS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
dev_in=$srcdir/nginx/dev.conf.in
prod=$srcdir/nginx/medsys.conf

nginx=${MEDSYS_NGINX:-${NGINX:-}}
if [ -z "$nginx" ] || [ ! -x "$nginx" ]; then
	nginx=$(command -v nginx 2>/dev/null || true)
	[ -z "$nginx" ] && [ -x /usr/sbin/nginx ] && nginx=/usr/sbin/nginx
fi
if [ -z "$nginx" ]; then
	echo "SKIP: nginx is not installed"
	exit 77
fi
# nginx reads $NGINX itself, as the list of listening sockets inherited in a
# binary upgrade: with NGINX=/usr/sbin/nginx (as make check exports it) it
# logs "[emerg] invalid socket number" and never daemonizes. Drop it.
unset NGINX

mime=/etc/nginx/mime.types
if [ ! -r "$mime" ]; then
	# A non-Debian build: mime.types sits next to its nginx.conf.
	conf=$("$nginx" -V 2>&1 | sed -n 's/.*--conf-path=\([^ ]*\).*/\1/p')
	mime=$(dirname "${conf:-/etc/nginx/nginx.conf}")/mime.types
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/medsys-nginx.XXXXXX") || exit 1
live_pid=
cleanup() {
	if [ -n "$live_pid" ]; then kill "$live_pid" 2>/dev/null; fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
# Readable by others, for the runs as `nobody` below.
chmod 755 "$tmp"

failures=0
ok() { echo "ok:   $*"; }
bad() { echo "FAIL: $*"; failures=$((failures + 1)); }

as_nobody=
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null 2>&1 &&
    id nobody >/dev/null 2>&1; then
	as_nobody=yes
fi

# dev_conf RUNDIR PORT SOCKET STATIC OUT: substitute dev.conf.in like the
# scripts do, and create the directories nginx will not create itself.
dev_conf() {
	mkdir -p "$1/nginx-tmp" "$1/files" "$1/bench" "$1/poll"
	printf 'set $medsys_poll_secret "%s";\n' "$(printf '%064d' 0)" >"$1/poll-key.nginx"
	sed -e "s|@MEDSYS_PORT@|$2|g" \
	    -e "s|@MEDSYS_POLL_KEY@|$1/poll-key.nginx|g" -e "s|@MEDSYS_POLL_ROOT@|$1|g" \
	    -e "s|@MEDSYS_RUNDIR@|$1|g" \
	    -e "s|@MEDSYS_SOCKET@|$3|g" \
	    -e "s|@MEDSYS_STATIC@|$4|g" \
	    -e "s|@MEDSYS_MIME_TYPES@|$mime|g" \
	    "$dev_in" > "$5"
}

# nginx_t LABEL CONF PREFIX ERRLOG [runuser args...]: `nginx -t` must
# succeed without a single warning. -e keeps nginx away from the
# compiled-in /var/log/nginx/error.log, which it opens before the config.
nginx_t() {
	label=$1 conf=$2 prefix=$3 errlog=$4
	shift 4
	if out=$("$@" "$nginx" -t -q -c "$conf" -p "$prefix" -e "$errlog" 2>&1); then
		if printf '%s\n' "$out" | grep -q '\['; then
			bad "$label: nginx -t passed with messages:"
			printf '%s\n' "$out" | sed 's/^/      /'
		else
			ok "$label: nginx -t"
		fi
	else
		bad "$label: nginx -t failed:"
		printf '%s\n' "$out" | sed 's/^/      /'
	fi
}

# need FILE LABEL REGEX: FILE must contain a line matching REGEX (ERE).
# refuse FILE DESCRIPTION REGEX: the file must not match.
refuse() {
	if grep -Eq -- "$3" "$1"; then bad "$2"; else ok "$2"; fi
}

need() {
	if grep -Eq -- "$3" "$1"; then ok "$2"; else bad "$2 (no line matches: $3)"; fi
}

# headers_complete FILE LABEL [HSTS]: add_header in a location replaces
# every add_header inherited from the server, so each location that adds
# any header must add all the security headers itself.
headers_complete() {
	missing=$(awk -v hsts="${3:-}" '
		function finish() {
			if (!hdr) return
			m = ""
			if (!csp) m = m " Content-Security-Policy"
			if (!nosniff) m = m " X-Content-Type-Options"
			if (!refpol) m = m " Referrer-Policy"
			if (hsts != "" && !sts) m = m " Strict-Transport-Security"
			if (m != "") print "line " start ":" m
		}
		{
			line = $0
			sub(/#.*/, "", line)
			if (!inloc && line ~ /^[ \t]*location[ \t]/) {
				inloc = 1; locdepth = depth; start = NR
				hdr = csp = nosniff = refpol = sts = 0
			}
			if (inloc && line ~ /add_header/) {
				hdr = 1
				if (line ~ /Content-Security-Policy "(sandbox; )?default-src .none.; style-src .self.; img-src .self. data:; form-action .self.; frame-ancestors .none.; base-uri .none.; object-src .none." always/) csp = 1
				if (line ~ /X-Content-Type-Options nosniff always/) nosniff = 1
				if (line ~ /Referrer-Policy same-origin always/) refpol = 1
				if (line ~ /Strict-Transport-Security "max-age=31536000; includeSubDomains" always/) sts = 1
			}
			n = gsub(/\{/, "{", line); depth += n
			n = gsub(/\}/, "}", line); depth -= n
			if (inloc && depth == locdepth) { finish(); inloc = 0 }
		}' "$1")
	if [ -z "$missing" ]; then
		ok "$2: every location that adds headers adds all security headers"
	else
		bad "$2: locations missing security headers:"
		printf '%s\n' "$missing" | sed 's/^/      /'
	fi
}

echo "nginx: $nginx ($("$nginx" -v 2>&1 | sed 's/.*: //')), mime.types: $mime"

# ---------------------------------------------------------------- dev config
echo "== nginx/dev.conf.in"
for ph in PORT RUNDIR SOCKET STATIC MIME_TYPES; do
	need "$dev_in" "dev: uses @MEDSYS_${ph}@" "@MEDSYS_${ph}@"
done
need "$dev_in" "dev: upstream socket" '^[[:space:]]*server unix:@MEDSYS_SOCKET@;'
refuse "$dev_in" "dev: no upstream keepalive (a kept connection holds a whole worker)" '^[[:space:]]*keepalive [0-9@]'
refuse "$dev_in" "dev: no fastcgi_keep_conn" '^[[:space:]]*fastcgi_keep_conn on;'
need "$dev_in" "dev: daemon on" '^daemon on;'
need "$dev_in" "dev: GETs go to the next pool when one fails" '^[[:space:]]*fastcgi_next_upstream error timeout;'
refuse "$dev_in" "dev: a POST that was sent is never resent" 'fastcgi_next_upstream[^;]*non_idempotent'
need "$dev_in" "dev: server_tokens off" 'server_tokens off;'
need "$dev_in" "dev: 503 page with Retry-After" 'add_header Retry-After 10 always;'
need "$dev_in" "dev: httpoxy blocked" 'fastcgi_param HTTP_PROXY[[:space:]]+"";'
if grep -Eq '^[[:space:]]*user[[:space:]]' "$dev_in"; then
	bad "dev: has a user directive"
else
	ok "dev: no user directive"
fi
headers_complete "$dev_in" "dev"

dev=$tmp/dev
mkdir -p "$dev/run"
dev_conf "$dev/run" 18080 "$dev/run/medsys.sock" "$srcdir/static" "$dev/nginx.conf"
left=$(grep -o '@[A-Z_]*@' "$dev/nginx.conf" | sort -u | tr '\n' ' ')
if [ -n "$left" ]; then
	bad "dev: placeholders left after substitution: $left"
else
	ok "dev: all placeholders substituted"
fi
nginx_t "dev (as $(id -un))" "$dev/nginx.conf" "$dev/" "$dev/run/nginx-error.log"

if [ -n "$as_nobody" ]; then
	nb=$tmp/nobody
	mkdir -p "$nb/run"
	dev_conf "$nb/run" 18080 "$nb/run/medsys.sock" "$srcdir/static" "$nb/nginx.conf"
	chown -R nobody "$nb/run"
	chmod 755 "$nb"
	chmod 644 "$nb/nginx.conf"
	nginx_t "dev (as nobody)" "$nb/nginx.conf" "$nb/" "$nb/run/nginx-error.log" \
	    runuser -u nobody --
fi

# ---------------------------------------------------------- production site
echo "== nginx/medsys.conf"
need "$prod" "prod: HSTS with includeSubDomains, always" \
    'add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;'
refuse "$prod" "prod: no upstream keepalive (a kept connection holds a whole worker)" '^[[:space:]]*keepalive [0-9]'
refuse "$prod" "prod: no fastcgi_keep_conn" '^[[:space:]]*fastcgi_keep_conn on;'
need "$prod" "prod: limit_req on /login" 'limit_req zone=medsys_login '
need "$prod" "prod: limit_req on forms" 'limit_req zone=medsys_forms '
need "$prod" "prod: TLS 1.2/1.3 only" '^[[:space:]]*ssl_protocols TLSv1\.2 TLSv1\.3;'
need "$prod" "prod: http2 on 443" 'listen 443 ssl http2;'
need "$prod" "prod: server_tokens off" 'server_tokens off;'
need "$prod" "prod: internal /_protected/" '^[[:space:]]*location /_protected/'
need "$prod" "prod: internal /_documents/" '^[[:space:]]*location /_documents/'
need "$prod" "prod: hidden files denied" 'location ~ /\\\. \{'
need "$prod" "prod: socket path" 'server unix:/run/medsys/medsys\.sock;'
need "$prod" "prod: GETs go to the next host when one fails" '^[[:space:]]*fastcgi_next_upstream error timeout;'
refuse "$prod" "prod: a POST that was sent is never resent" 'fastcgi_next_upstream[^;]*non_idempotent'
headers_complete "$prod" "prod" hsts

pd=$tmp/prod
mkdir -p "$pd/tmp" "$pd/static/errors" "$pd/files" "$pd/acme" "$pd/poll"
printf 'set $medsys_poll_secret "%s";\n' "$(printf '%064d' 0)" >"$pd/poll-key.nginx"
if openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=clinic.example.org \
    -keyout "$pd/privkey.pem" -out "$pd/fullchain.pem" >/dev/null 2>&1; then
	ok "prod: self-signed test certificate"
else
	bad "prod: openssl could not make a test certificate"
fi
# nginx -t binds the listening ports: move them above 1024 for non-root.
sed -e "s|/etc/ssl/medsys/fullchain\.pem|$pd/fullchain.pem|g" \
    -e "s|/etc/ssl/medsys/privkey\.pem|$pd/privkey.pem|g" \
    -e "s|/usr/local/share/medsyspro/static|$pd/static|g" \
    -e "s|/var/lib/medsys/files|$pd/files|g" \
    -e "s|/var/lib/medsys/documents|$pd/documents|g" \
    -e "s|/etc/medsys/poll-key\.nginx|$pd/poll-key.nginx|g" -e "s|root /var/lib/medsys;|root $pd;|" \
    -e "s|/var/www/acme|$pd/acme|g" \
    -e "s|/run/medsys/medsys\.sock|$pd/medsys.sock|g" \
    -e "s/listen 80;/listen 18081;/; s/listen \[::\]:80;/listen [::]:18081;/" \
    -e "s/listen 443 /listen 18443 /; s/listen \[::\]:443 /listen [::]:18443 /" \
    "$prod" > "$pd/medsys.conf"
host_paths=$(grep -nE '/etc/ssl|/usr/local/share|/var/lib/|/var/www|/run/' "$pd/medsys.conf" |
    grep -v '^[0-9]*:[[:space:]]*#')
if [ -n "$host_paths" ]; then
	bad "prod: host paths the test did not replace:"
	printf '%s\n' "$host_paths" | sed 's/^/      /'
fi
# The wrapper repeats what Debian's nginx.conf sets at http level, so that
# the site repeating one of them fails here as it would on a real host.
cat > "$pd/nginx.conf" <<EOF
pid $pd/nginx.pid;
error_log $pd/error.log;
events { }
http {
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include $mime;
    default_type application/octet-stream;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    access_log $pd/access.log;
    gzip on;
    client_body_temp_path $pd/tmp/client_body;
    proxy_temp_path $pd/tmp/proxy;
    fastcgi_temp_path $pd/tmp/fastcgi;
    uwsgi_temp_path $pd/tmp/uwsgi;
    scgi_temp_path $pd/tmp/scgi;
    include $pd/medsys.conf;
}
EOF
nginx_t "prod (as $(id -un))" "$pd/nginx.conf" "$pd/" "$pd/error.log"

# ------------------------------------------------- live run, medsysd absent
echo "== live: dev config without medsysd"
if ! command -v curl >/dev/null 2>&1; then
	echo "note: curl not installed, live checks not run"
else
	lv=$tmp/live
	mkdir -p "$lv/run"
	cp -R "$srcdir/static" "$lv/static"
	run=
	if [ -n "$as_nobody" ]; then run="runuser -u nobody --"; fi
	port=$((20000 + $$ % 20000))
	started=
	for try in 1 2 3 4 5 6 7 8; do
		dev_conf "$lv/run" "$port" "$lv/run/no-medsysd.sock" "$lv/static" "$lv/nginx.conf"
		if [ -n "$as_nobody" ]; then chown -R nobody "$lv/run"; fi
		chmod -R a+rX "$lv"
		if timeout 30 $run "$nginx" -c "$lv/nginx.conf" -p "$lv/" -e "$lv/run/nginx-error.log" \
		    >"$lv/start.out" 2>&1; then
			started=yes
			break
		fi
		grep -q 'in use' "$lv/start.out" || break
		port=$((port + 1))
	done
	if [ -z "$started" ]; then
		bad "live: nginx did not start:"
		sed 's/^/      /' "$lv/start.out"
	else
		i=0
		while [ ! -s "$lv/run/nginx.pid" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		live_pid=$(cat "$lv/run/nginx.pid" 2>/dev/null)
		base=http://127.0.0.1:$port
		# fetch PATH [curl args]: sets $code; headers in $lv/h, body in $lv/b.
		fetch() {
			p=$1
			shift
			code=$(curl -s --max-time 10 -o "$lv/b" -D "$lv/h.raw" -w '%{http_code}' "$@" "$base$p")
			tr -d '\r' < "$lv/h.raw" > "$lv/h"
		}
		hdr() { grep -qi "^$1" "$lv/h"; }
		sec_headers() {
			hdr "Content-Security-Policy: default-src 'none';.*frame-ancestors 'none'" &&
			    hdr 'X-Content-Type-Options: nosniff' && hdr 'Referrer-Policy: same-origin'
		}

		fetch /
		if [ "$code" = 503 ] && hdr 'Retry-After: 10$' && sec_headers &&
		    grep -q 'Servicio no disponible' "$lv/b" && grep -q 'Service temporarily unavailable' "$lv/b"; then
			ok "live: GET / with medsysd down -> 503, Retry-After, bilingual page, security headers"
		else
			bad "live: GET / with medsysd down gave $code:"; sed 's/^/      /' "$lv/h"
		fi
		fetch /patients/new -d x=1
		if [ "$code" = 503 ]; then ok "live: POST with medsysd down -> 503"; else bad "live: POST with medsysd down gave $code"; fi
		fetch /static/errors/unavailable.html
		if [ "$code" = 200 ] && hdr 'Cache-Control: public, max-age=[0-9]' && sec_headers &&
		    hdr 'Content-Type: text/html; charset=utf-8'; then
			ok "live: static file -> 200, Cache-Control, charset, security headers"
		else
			bad "live: static file gave $code:"; sed 's/^/      /' "$lv/h"
		fi
		# the as-you-type script: a script type (browsers refuse nosniff
		# scripts served as anything else), cached and gzipped like the CSS
		fetch /static/live-search.js -H 'Accept-Encoding: gzip'
		if [ "$code" = 200 ] && hdr 'Content-Type: application/javascript; charset=utf-8' &&
		    hdr 'Cache-Control: public, max-age=[0-9]' && hdr 'Content-Encoding: gzip' && sec_headers; then
			ok "live: /static/live-search.js -> 200, JavaScript type, charset, cached, gzip"
		else
			bad "live: /static/live-search.js gave $code:"; sed 's/^/      /' "$lv/h"
		fi
		fetch /static/errors/unavailable.html -H 'Accept-Encoding: gzip'
		if hdr 'Content-Encoding: gzip'; then ok "live: gzip"; else bad "live: no gzip on a static HTML file"; fi
		if hdr 'Server: nginx$'; then ok "live: no version in Server"; else bad "live: Server header: $(grep -i '^Server:' "$lv/h")"; fi
		for p in /.git/config /static/.hidden /.env; do
			fetch "$p"
			if [ "$code" = 404 ] && sec_headers; then ok "live: $p -> 404"; else bad "live: $p gave $code"; fi
		done
		for p in /_protected/x /_documents/x /_error/400 /_error/unavailable.html; do
			fetch "$p"
			if [ "$code" = 404 ]; then ok "live: internal $p -> 404"; else bad "live: internal $p gave $code"; fi
		done
		fetch /favicon.ico
		case $code in
		200|204) ok "live: /favicon.ico -> $code" ;;
		*) bad "live: /favicon.ico gave $code" ;;
		esac
		echo x > "$lv/run/bench/page.html"
		fetch /_bench/page.html
		if [ "$code" = 200 ]; then ok "live: /_bench/ -> 200"; else bad "live: /_bench/ gave $code"; fi

		kill "$live_pid" 2>/dev/null
		i=0
		while kill -0 "$live_pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		live_pid=
	fi
fi

if [ "$failures" -ne 0 ]; then
	echo "$failures check(s) failed"
	exit 1
fi
echo "all nginx checks passed"
exit 0
