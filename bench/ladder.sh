#!/usr/bin/env bash
# Where the gateway's CPU per request goes, rung by rung, at 64 connections (JSON), interleaved over ROUNDS:
#   nginx         the floor (plain reverse proxy)
#   netty         bench/floor/NettyPassThrough.java: a relay on Netty itself (epoll), no Vert.x, nothing else
#   vertx         bench/floor/VertxPassThrough.java: the gateway's HTTP stack (Vert.x + Netty epoll) relaying, nothing else
#   gateway-lean  the gateway, a key with the same limits but without request/response logging (events without bodies)
#   gateway       the governed path of bench/run.sh (limits, request + response bodies in every event)
# For each: req/s, user and system CPU per request and involuntary context switches per request (medians), and for
# the gateway rungs the split by thread (event loops, event writer, request log, GC + JIT).
#
#   bench/ladder.sh [jar]      knobs: ROUNDS=3 DURATION=8 WARMUP_S=20 JVM_OPTS=... (as bench/run.sh)
set -euo pipefail
# before run.sh, whose own defaults (DURATION=10) would otherwise win
ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-8}; WARMUP_S=${WARMUP_S:-20}
source "$(dirname "${BASH_SOURCE[0]}")/run.sh"
PASS_PORT=$((PORT_BASE + 5)); NETTY_PORT=$((PORT_BASE + 6))

start_relay() {  # java-source port: a floor relay to the JSON mock, on the gateway jar's class path; sets RELAY_PID
    # shellcheck disable=SC2086
    MALLOC_ARENA_MAX=$GW_MALLOC_ARENA_MAX "$JAVA_BIN/java" $JVM_OPTS -cp "$JAR" "$BENCH_DIR/floor/$1" "$2" "$MOCK_PORT" \
        > "$RUN/${1%.java}.log" 2>&1 &
    RELAY_PID=$!; PIDS+=("$RELAY_PID")
    wait_http "http://127.0.0.1:$2$CHAT" 60
}

create_lean_key() {
    local setting
    setting=$(admin PUT /api/provider-settings \
        "{\"provider\":\"openai\",\"name\":\"lean\",\"setting\":{\"apikey\":\"sk-bench\",\"url\":\"http://127.0.0.1:$MOCK_PORT/v1\"}}" | json_field id)
    admin PUT /api/key-management/keys "{\"name\":\"lean\",\"key\":\"bench-lean-secret\",\"settingIds\":[\"$setting\"],\
\"rateLimitOverTime\":100000000,\"rateLimitUnit\":\"m\",\"costLimitInUsd\":1000000,\
\"shouldLogRequest\":false,\"shouldLogResponse\":false}" > /dev/null
    sleep 0.5
}

rung_pids() {
    case $1 in
        nginx) pids_of nginx ;;
        vertx) echo "$PASS_PID" ;;
        netty) echo "$NETTY_PID" ;;
        gateway*) echo "$GW_PID" ;;
    esac
}

# "utime stime involuntary-switches" summed over the rung's processes and their threads (ticks, ticks, count)
rung_stat() {
    local u=0 s=0 iv=0 pid t a b
    for pid in $(rung_pids "$1"); do
        read -r a b < <(sed 's/^.*) //' "/proc/$pid/stat" | awk '{print $12, $13}')
        u=$((u + a)); s=$((s + b))
        for t in /proc/"$pid"/task/*; do
            iv=$((iv + $(awk '/^nonvoluntary_ctxt/ {print $2}' "$t/status" 2>/dev/null || echo 0)))
        done
    done
    echo "$u $s $iv"
}

gateway_threads() {  # name utime stime per gateway thread
    local t
    for t in /proc/"$GW_PID"/task/*; do
        echo "$(tr ' ' _ < "$t/comm") $(sed 's/^.*) //' "$t/stat" | awk '{print $12, $13}')"
    done
}

run_rung() {  # label rung
    local label=$1 rung=$2 url key=bench-secret before after
    case $rung in
        nginx) url="http://127.0.0.1:$NGINX_PORT$CHAT" ;;
        vertx) url="http://127.0.0.1:$PASS_PORT$CHAT" ;;
        netty) url="http://127.0.0.1:$NETTY_PORT$CHAT" ;;
        gateway-lean) url=$GW_CHAT; key=bench-lean-secret ;;
        gateway) url=$GW_CHAT ;;
    esac
    before=$(rung_stat "$rung")
    [[ $rung == gateway* ]] && gateway_threads > "$RUN/$label.threads-before"
    BENCH_KEY=$key BENCH_STREAM=0 timeout $((DURATION + 30)) \
        wrk -t2 -c64 -d"${DURATION}s" -s "$BENCH_DIR/wrk/chat.lua" "$url" > "$RUN/wrk/$label.txt" 2>&1
    sleep 1
    after=$(rung_stat "$rung")
    [[ $rung == gateway* ]] && gateway_threads > "$RUN/$label.threads-after"
    printf '%s\t%s\t%s\t%s\n' "$label" "$rung" "$before" "$after" >> "$RUN/ladder.tsv"
    log "  $label: $(awk '/Requests\/sec/ {print $2 " req/s"}' "$RUN/wrk/$label.txt")"
}

ladder_main() {
    begin_run
    start_mocks
    start_nginx_floor
    start_relay VertxPassThrough.java "$PASS_PORT"; PASS_PID=$RELAY_PID
    start_relay NettyPassThrough.java "$NETTY_PORT"; NETTY_PID=$RELAY_PID
    launch_gateway 1
    create_keys
    create_lean_key
    local step r rung
    log "warm-up: ${WARMUP_S} s of each Java rung"
    for ((step = 1; step * 5 <= WARMUP_S; step++)); do
        for rung in netty vertx gateway-lean gateway; do run_rung "warmup$step-$rung" "$rung" 2>/dev/null; done
    done
    : > "$RUN/ladder.tsv"
    local rungs=(nginx netty vertx gateway-lean gateway)
    for ((r = 1; r <= ROUNDS; r++)); do
        for rung in "${rungs[@]}"; do run_rung "r$r-$rung" "$rung"; done
    done
    python3 - "$RUN" "$CLK_TCK" <<'PY'
import collections, re, statistics, sys
run, tck = sys.argv[1], int(sys.argv[2])
rows = collections.defaultdict(list)
for line in open(run + "/ladder.tsv"):
    label, rung, before, after = line.rstrip("\n").split("\t")
    text = open(f"{run}/wrk/{label}.txt").read()
    n = int(re.search(r"(\d+) requests in", text).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    b, a = list(map(int, before.split())), list(map(int, after.split()))
    d = [x - y for x, y in zip(a, b)]
    row = {"rps": rps, "user": d[0] * 1e6 / tck / n, "sys": d[1] * 1e6 / tck / n, "invol": d[2] / n}
    if rung.startswith("gateway"):
        def threads(f):
            out = collections.Counter()
            for l in open(f):
                name, u, s = l.split()
                group = ("event loops" if name.startswith("vert.x-eventloo") else "event writer" if name == "event-writer"
                         else "request log" if name == "request-log" else "GC + JIT + other")
                out[group] += int(u) + int(s)
            return out
        tb, ta = threads(f"{run}/{label}.threads-before"), threads(f"{run}/{label}.threads-after")
        row["threads"] = {k: (ta[k] - tb.get(k, 0)) * 1e6 / tck / n for k in ta}
    rows[rung].append(row)
med = lambda rung, k: statistics.median(r[k] for r in rows[rung])
floor = med("nginx", "user") + med("nginx", "sys")
nginx_rps = med("nginx", "rps")
print(f"\nmedians of {len(rows['nginx'])} rounds, 64 connections, JSON")
print(f"{'rung':14} {'req/s':>8} {'x nginx':>8} {'user µs':>8} {'sys µs':>8} {'CPU µs':>8} {'x nginx':>8} {'invol cs':>9}")
for rung in ["nginx", "netty", "vertx", "gateway-lean", "gateway"]:
    cpu = med(rung, "user") + med(rung, "sys")
    print(f"{rung:14} {med(rung, 'rps'):8.0f} {med(rung, 'rps') / nginx_rps:8.2f} {med(rung, 'user'):8.1f} {med(rung, 'sys'):8.1f} "
          f"{cpu:8.1f} {cpu / floor:8.2f} {med(rung, 'invol'):9.2f}")
for rung in ["gateway-lean", "gateway"]:
    keys = rows[rung][0]["threads"].keys()
    print(f"{rung} CPU µs/request by thread: " + ", ".join(
        f"{k} {statistics.median(r['threads'].get(k, 0) for r in rows[rung]):.1f}" for k in sorted(keys)))
PY
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then ladder_main "$@"; fi
