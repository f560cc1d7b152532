#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite, on a free port of 127.0.0.1.
#   eval "$(tests/postgres/server.sh start)"   # sets ACCORDS_TEST_POSTGRES
#   tests/postgres/server.sh stop
# Only the export line goes to stdout; progress and errors go to stderr.
set -euo pipefail

run="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/run"
state="$run/state"
cd /  # the postgres user may not be allowed into the caller's directory

bindir() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    if [ -z "$dir" ] && command -v initdb >/dev/null; then dir="$(dirname "$(command -v initdb)")"; fi
    echo "$dir"
}

# The server refuses to run as root, so as root it runs as the postgres user.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# A port nothing listens on (bash's /dev/tcp: no python or iproute2 needed).
free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
}

url() { echo "export ACCORDS_TEST_POSTGRES=postgresql://postgres@127.0.0.1:$port/accords_test"; }

start() {
    if [ -f "$state" ]; then
        . "$state"
        if as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then url; return; fi
        rm -rf "$dir" "$state"
    fi
    bin="$(bindir)"
    if [ -z "$bin" ]; then
        { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql; } >&2
        bin="$(bindir)"
    fi
    dir="$(mktemp -d /tmp/accords-postgres.XXXXXX)"
    port="$(free_port)"
    mkdir -p "$run"
    printf 'bin=%q\ndir=%q\nport=%q\n' "$bin" "$dir" "$port" >"$state"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
    # --no-locale: C collation (byte order, as in SQLite) and no need for installed locales.
    as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null ||
        { cat "$dir/server.log" >&2; exit 1; }
    local tries=0
    until "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; do
        ((++tries < 60)) || { cat "$dir/server.log" >&2; exit 1; }
        sleep 1
    done
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres accords_test
    url
}

stop() {
    [ -f "$state" ] || { echo "no test server is running" >&2; return 0; }
    . "$state"
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir" "$state"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
