#!/usr/bin/env bash
# Run SPARQL SELECT jobs on Apache Jena ARQ (strict SPARQL 1.1), for tests: see Select.java.
#   tests/jena/arq.sh < jobs
# The first run resolves Jena's jars with Maven into cp.txt (quietly, into mvn.log).
# Env: JENA_JAVA (default java, 17 or newer).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ ! -s "$HERE/cp.txt" ] || [ "$HERE/pom.xml" -nt "$HERE/cp.txt" ]; then
    if (cd "$HERE" && mvn -B dependency:build-classpath -Dmdep.outputFile=cp.txt) >"$HERE/mvn.log" 2>&1; then
        touch "$HERE/cp.txt"; rm -f "$HERE/mvn.log"
    else
        rm -f "$HERE/cp.txt"; echo "jena/arq.sh: mvn failed; tail of $HERE/mvn.log:" >&2
        tail -n 30 "$HERE/mvn.log" >&2; exit 1
    fi
fi
exec "${JENA_JAVA:-java}" -Xmx1g -cp "$(cat "$HERE/cp.txt")" "$HERE/Select.java"
