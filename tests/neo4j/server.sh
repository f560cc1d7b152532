#!/usr/bin/env bash
# Start/stop a throwaway embedded Neo4j Community server for tests and CI.
#   eval "$(tests/neo4j/server.sh start)"   # sets ACCORDS_TEST_NEO4J=bolt://127.0.0.1:PORT
#   tests/neo4j/server.sh stop
# Env: NEO4J_RUN_DIR (default <this dir>/run; use another one for a second server),
#      NEO4J_JAVA (default java, must be 17 or 21), NEO4J_START_TIMEOUT (seconds, default 120).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN="${NEO4J_RUN_DIR:-$HERE/run}"
JAVA="${NEO4J_JAVA:-java}"
TIMEOUT="${NEO4J_START_TIMEOUT:-120}"

log() { echo "neo4j/server.sh: $*" >&2; }

# True while process $1 exists and is not a zombie.
running() {
    [ -n "${1:-}" ] && [ -r "/proc/$1/stat" ] || return 1
    [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}
# True while $1 is a live Launcher process (guards against a reused pid).
alive() {
    running "${1:-}" && grep -q 'Launcher.java' "/proc/$1/cmdline" 2>/dev/null
}

cleanup_home() {
    local home="${1:-}"
    case "$home" in */accords-neo4j.*) rm -rf -- "$home" ;; esac
    rm -f "$RUN/pid" "$RUN/uri" "$RUN/home"
}

start() {
    if [ -f "$RUN/pid" ] && alive "$(cat "$RUN/pid")"; then
        log "already running (pid $(cat "$RUN/pid"))"
        echo "export ACCORDS_TEST_NEO4J=$(cat "$RUN/uri")"
        return 0
    fi
    [ -f "$RUN/home" ] && cleanup_home "$(cat "$RUN/home")"

    if [ ! -s "$HERE/cp.txt" ] || [ "$HERE/pom.xml" -nt "$HERE/cp.txt" ]; then
        log "resolving Neo4j classpath with Maven (first time takes a few minutes)"
        # Output goes to a file (shown only on failure) so stdout stays eval-able.
        # touch: the plugin leaves an unchanged cp.txt untouched, i.e. older than pom.xml.
        if (cd "$HERE" && mvn -B dependency:build-classpath -Dmdep.outputFile=cp.txt) \
            >"$HERE/mvn.log" 2>&1; then
            touch "$HERE/cp.txt"; rm -f "$HERE/mvn.log"
        else
            rm -f "$HERE/cp.txt"; log "mvn failed; tail of $HERE/mvn.log:"
            tail -n 30 "$HERE/mvn.log" >&2; exit 1
        fi
    fi

    local port home pid uri
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    home="$(mktemp -d "${TMPDIR:-/tmp}/accords-neo4j.XXXXXX")"
    uri="bolt://127.0.0.1:$port"
    mkdir -p "$RUN"
    : >"$home/server.log"

    nohup "$JAVA" -Xmx1g -cp "$(cat "$HERE/cp.txt")" "$HERE/Launcher.java" "$port" "$home" \
        >"$home/server.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$RUN/pid"
    echo "$home" >"$RUN/home"

    local waited=0
    until grep -q '^NEO4J READY' "$home/server.log"; do
        if ! running "$pid"; then
            log "JVM exited before ready; log tail:"; tail -n 40 "$home/server.log" >&2
            cleanup_home "$home"; exit 1
        fi
        if [ "$waited" -ge "$((TIMEOUT * 2))" ]; then
            log "not ready after ${TIMEOUT}s; log tail:"; tail -n 40 "$home/server.log" >&2
            kill -9 "$pid" 2>/dev/null || true
            cleanup_home "$home"; exit 1
        fi
        sleep 0.5; waited=$((waited + 1))
    done
    echo "$uri" >"$RUN/uri"
    log "ready at $uri (pid $pid, home $home)"
    echo "export ACCORDS_TEST_NEO4J=$uri"
}

stop() {
    local pid="" home=""
    [ -f "$RUN/pid" ] && pid="$(cat "$RUN/pid")"
    [ -f "$RUN/home" ] && home="$(cat "$RUN/home")"
    if alive "$pid"; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 60); do alive "$pid" || break; sleep 0.5; done
        if alive "$pid"; then
            log "pid $pid ignored SIGTERM for 30s; killing"
            kill -9 "$pid" 2>/dev/null || true
            sleep 0.5
        fi
    elif [ -z "$pid" ]; then
        log "not running"
    fi
    cleanup_home "$home"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
