#!/usr/bin/env bash
# Issue 20: paging and exporting 10^6 events of one key on the gateway as ./gateway runs it (-Xms192m -Xmx192m, SerialGC).
#   bench/events_paging.sh              EVENTS=1000000 PAGE=1000 (the default page) on SQLite, ~3-5 min
#   EVENTS=200000 PAGE=10000 bench/events_paging.sh
#   KIND=POSTGRES bench/events_paging.sh   the same on PostgreSQL: a fresh database paging_<time> on PG_HOST:PG_PORT
#                                          (127.0.0.1:5432, user postgres, trust auth), dropped at the end
# Steps: a fresh DATA_DIR; the gateway starts once to create the schema and stops; EVENTS rows go straight into its
# SQLite file (sqlite3, a quarter with 250-byte request and response bodies, 100 events per second of created_at);
# the gateway starts again; every page of GET /api/events?keyIds=…&limit=PAGE is fetched following X-Next-Cursor
# (latency percentiles, events seen, 5xx), then one NDJSON export of all of them with bodies, gzip (time, lines);
# RSS (VmRSS) before paging, its maximum while paging and exporting, and after. Needs sqlite3, curl, python3.
# Ports 127.0.0.1:${PORT_BASE:-19320} and +1; stops the gateway it started on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/bin/jdk.sh"
find_jdk || exit 1
EVENTS=${EVENTS:-1000000}
PAGE=${PAGE:-1000}
PORT_BASE=${PORT_BASE:-19320}
ADMIN=http://127.0.0.1:$PORT_BASE
JAR=${GATEWAY_JAR:-$ROOT/target/bricksllm.jar}
[[ -n ${GATEWAY_JAR:-} ]] || build_if_stale "$ROOT" "$JAR"
KIND=${KIND:-SQLITE}
PG_HOST=${PG_HOST:-127.0.0.1}; PG_PORT=${PG_PORT:-5432}; PG_USER=${PG_USER:-postgres}
PG_DB=paging_$(date +%s)
if [[ $KIND == POSTGRES ]]; then
    command -v psql >/dev/null || { echo "events_paging: psql is needed (apt-get install postgresql-client)" >&2; exit 1; }
    pg() { psql -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$@"; }
    pg -d postgres -c "CREATE DATABASE $PG_DB"
    DB_ENV="POSTGRESQL_HOSTS=$PG_HOST POSTGRESQL_PORT=$PG_PORT POSTGRESQL_USERNAME=$PG_USER POSTGRESQL_DB_NAME=$PG_DB"
else
    command -v sqlite3 >/dev/null || { echo "events_paging: sqlite3 is needed (apt-get install sqlite3)" >&2; exit 1; }
    DB_ENV=""
fi

WORK=$(mktemp -d /tmp/events-paging.XXXXXX)
PID=""
cleanup() {
    [[ -n $PID ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true  # set -e: a status here must not end the cleanup
    [[ $KIND == POSTGRES ]] && pg -d postgres -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

start() {
    env $DB_ENV ADMIN_PORT=$PORT_BASE PROXY_PORT=$((PORT_BASE + 1)) BIND_HOST=127.0.0.1 DATA_DIR=$WORK TELEMETRY_PROVIDER=none \
        GATEWAY_JAR=$JAR "$ROOT/gateway" >>"$WORK/gateway.log" 2>&1 &
    PID=$!
    for _ in $(seq 1 600); do
        curl -sf -o /dev/null "$ADMIN/api/health" && return 0
        kill -0 "$PID" 2>/dev/null || { tail -20 "$WORK/gateway.log"; exit 1; }
        sleep 0.1
    done
    echo "events_paging: the gateway did not answer within 60 s" >&2; exit 1
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""; }

start; stop   # the schema (Flyway migrations, V11's paging indexes included)
NOW=$(date +%s)
FIRST=$((NOW - EVENTS / 100 - 10))
t0=$(date +%s.%N)
if [[ $KIND == POSTGRES ]]; then
# the same rows as below; bodies into V14's event_bodies (codec 0: stored as is), as the gateway writes them now
pg -d "$PG_DB" <<SQL
INSERT INTO events (event_id, created_at, tags, tag_index, key_id, cost_in_usd, provider, model, status_code,
                    prompt_token_count, completion_token_count, latency_in_ms, path, method)
SELECT md5(i::text || random()::text), $FIRST + i / 100, '[]', '|', 'bench-key', 0.0001, 'openai', 'gpt-4o-mini', 200,
       120, 40, 300, '/api/providers/openai/v1/chat/completions', 'POST'
FROM generate_series(0, $EVENTS - 1) AS i;
INSERT INTO event_bodies (event_id, created_at, codec, request, response)
SELECT event_id, created_at, 0, decode(repeat(md5(event_id), 8), 'hex'), decode(repeat(md5(event_id), 8), 'hex')
FROM events WHERE get_byte(decode(substr(event_id, 1, 2), 'hex'), 0) % 4 = 0;
ANALYZE events; ANALYZE event_bodies;
SQL
echo "events_paging: $EVENTS events inserted in $(python3 -c "print(round($(date +%s.%N) - $t0, 1))") s; database $(pg -d "$PG_DB" -Atc "SELECT pg_size_pretty(pg_database_size('$PG_DB'))")"
else
sqlite3 "$WORK/bricksllm.db" <<SQL
PRAGMA journal_mode=WAL;
WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < $EVENTS - 1)
INSERT INTO events (event_id, created_at, tags, tag_index, key_id, cost_in_usd, provider, model, status_code,
                    prompt_token_count, completion_token_count, latency_in_ms, path, method, request, response)
SELECT lower(hex(randomblob(16))), $FIRST + i / 100, '[]', '|', 'bench-key', 0.0001, 'openai', 'gpt-4o-mini', 200,
       120, 40, 300, '/api/providers/openai/v1/chat/completions', 'POST',
       CASE WHEN i % 4 = 0 THEN randomblob(250) END, CASE WHEN i % 4 = 0 THEN randomblob(250) END
FROM s;
SQL
echo "events_paging: $EVENTS events inserted in $(python3 -c "print(round($(date +%s.%N) - $t0, 1))") s; database $(du -h "$WORK/bricksllm.db" | cut -f1)"
fi
start
echo "events_paging: gateway pid $PID: $(grep -o 'java .*' "$WORK/gateway.log" | head -1 | cut -c1-120)"

python3 - "$ADMIN" "$PID" "$EVENTS" "$PAGE" "$FIRST" "$NOW" <<'PY'
import gzip, os, sys, time, urllib.request, threading
admin, pid, events, page, first, now = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])

def rss_mb():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"): return int(line.split()[1]) / 1024
peak = [0.0]
stop = threading.Event()
def sample():
    while not stop.is_set():
        peak[0] = max(peak[0], rss_mb()); time.sleep(0.05)

before = rss_mb()
threading.Thread(target=sample, daemon=True).start()
base = f"{admin}/api/events?keyIds=bench-key&start={first}&end={now}&limit={page}"
if os.environ.get("WARM") == "1":  # one call on another key first: the cold start's class loading and JIT apart
    t = time.perf_counter(); urllib.request.urlopen(f"{admin}/api/events?keyIds=other&start={first}&end={now}", timeout=60).read()
    print(f"warm-up call (another key, no events): {(time.perf_counter() - t) * 1000:.0f} ms")
lat, seen, cursor, errors = [], 0, None, 0
while True:
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(base + (f"&cursor={cursor}" if cursor else ""), timeout=60) as r:
            body = r.read(); cursor = r.headers.get("X-Next-Cursor")
    except urllib.error.HTTPError as e:
        errors += 1; print("HTTP", e.code, e.read()[:300]); break
    lat.append((time.perf_counter() - t) * 1000)
    seen += body.count(b'"created_at"')
    if not cursor: break
paging_peak = peak[0]
lat_sorted = sorted(lat)
def pct(p): return lat_sorted[min(len(lat_sorted) - 1, int(p / 100 * len(lat_sorted)))]
print(f"paging: {len(lat)} pages of {page}, {seen} events (expected {events}), errors {errors}")
print(f"page latency ms: p50 {pct(50):.0f}  p90 {pct(90):.0f}  p99 {pct(99):.0f}  max {max(lat):.0f}  (first page {lat[0]:.0f}, "
      f"slowest after it {max(lat[1:] or [0]):.0f}, pages over 200 ms {sum(1 for x in lat if x >= 200)})")
t = time.perf_counter(); lines = 0
req = urllib.request.Request(f"{admin}/api/events/export?start={first}&end={now + 1}&includeBodies=true&gzip=true")
with urllib.request.urlopen(req, timeout=600) as r:
    for _ in gzip.GzipFile(fileobj=r): lines += 1
export_s = time.perf_counter() - t
stop.set(); time.sleep(0.1)
print(f"export (bodies, gzip): {lines} lines in {export_s:.1f} s ({lines / export_s:,.0f} events/s)")
print(f"RSS MB: before {before:.0f}, max while paging {paging_peak:.0f}, max while exporting {peak[0]:.0f}, after {rss_mb():.0f}")
if seen != events or lines != events or errors: sys.exit(1)
PY
