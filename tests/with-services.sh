#!/usr/bin/env bash
# Run a command with the test servers up (PostgreSQL, Neo4j), and stop them after.
# The servers export ACCORDS_TEST_POSTGRES and ACCORDS_TEST_NEO4J for the tests.
# The first Neo4j start resolves its jars with Maven (~144 MB, quietly, into a log file).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
stop() {
  "$here/postgres/server.sh" stop >/dev/null 2>&1 || true
  "$here/neo4j/server.sh" stop >/dev/null 2>&1 || true
}
trap stop EXIT
eval "$("$here/postgres/server.sh" start)"
eval "$("$here/neo4j/server.sh" start)"
"$@"
