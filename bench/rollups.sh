#!/usr/bin/env bash
# Issue 20.4: reporting from hourly rollups at 10^7 events. Fills a database with synthetic events in SQL
# (no gateway traffic), rebuilds the rollups, times the reporting endpoints over HTTP and the same totals
# read from the events table. Usage: bench/rollups.sh [events=10000000] [SQLITE|POSTGRES]
# COMPARE=false skips the slow events-table comparisons. The SQLite file (target/rollup-bench.db, ~3 GB at 10^7) is reused when it already holds that many events.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000000}
KIND=${2:-SQLITE}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -o -q test-compile
# the test classpath, as surefire recorded it (run any test once first, e.g. mvn -o test -Dtest=EventRollupsTest)
REPORTS=(target/surefire-reports/TEST-*.xml)  # a glob, not `ls | head` (SIGPIPE under pipefail with many reports)
REPORT=${REPORTS[0]}; [ -f "$REPORT" ] || REPORT=""
[ -n "$REPORT" ] || { echo "run one test first so target/surefire-reports holds the test classpath" >&2; exit 1; }
DEPS=$(grep -o 'name="surefire.test.class.path" value="[^"]*"' "$REPORT" | sed 's/.*value="//; s/"$//')
exec "$JAVA_HOME/bin/java" -Xmx512m -Dkind="$KIND" -Dcompare="${COMPARE:-true}" -cp "target/test-classes:target/classes:$DEPS" \
    io.bricksllm.events.RollupBench "$N"
