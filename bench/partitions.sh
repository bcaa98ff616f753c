#!/usr/bin/env bash
# Issue 20.3 on PostgreSQL (embedded): V15's migration of N stored events into day partitions, and retention of half
# of them by dropping partitions vs the batched DELETE of the same rows (time, pg_total_relation_size before/after).
# Usage: bench/partitions.sh [events=1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -o -q test-compile
# the test classpath, as surefire recorded it (run any test once first, e.g. mvn -o test -Dtest=EventRetentionTest)
REPORT=$(ls target/surefire-reports/TEST-*.xml 2>/dev/null | head -1)
[ -n "$REPORT" ] || { echo "run one test first so target/surefire-reports holds the test classpath" >&2; exit 1; }
DEPS=$(grep -o 'name="surefire.test.class.path" value="[^"]*"' "$REPORT" | sed 's/.*value="//; s/"$//')
exec "$JAVA_HOME/bin/java" -Xmx512m -cp "target/test-classes:target/classes:$DEPS" io.bricksllm.events.PartitionBench "$N"
