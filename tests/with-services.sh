#!/usr/bin/env bash
# Run a command with the test servers up (PostgreSQL, Neo4j) and Chromium installed, and stop them after.
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
# The workbench's pages are tested in Debian's Chromium (tests/cli/test_pages.py).
if ! command -v chromium >/dev/null 2>&1; then
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; } >&2
fi
export ACCORDS_TEST_CHROMIUM="$(command -v chromium)"
"$@"
