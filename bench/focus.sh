#!/usr/bin/env bash
# Quick loop for performance work (not the benchmark of record: that is bench/run.sh): mocks, nginx floor and
# one gateway, JIT warm-up, then ROUNDS x {nginx, gateway} at 64 connections (KIND=json|sse), printing the
# throughput and CPU-per-request ratios per round; PROFILE=1 adds one JFR-profiled gateway run at the end.
#
#   bench/focus.sh [jar]      knobs: ROUNDS=2 DURATION=8 KIND=json WARMUP_S=15 PROFILE=0 JVM_OPTS=...
#   ASYNC_PROFILER_LIB=/path/libasyncProfiler.so (AP_EVENT=cpu|itimer|alloc): an async-profiler run instead of JFR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/run.sh"
ROUNDS=${ROUNDS:-2}; DURATION=${DURATION:-8}; WARMUP_S=${WARMUP_S:-15}; KIND=${KIND:-json}

focus_main() {
    begin_run
    start_mocks
    start_nginx_floor
    launch_gateway 1
    log "start-up: ${STARTUP_MS} ms"
    create_keys
    local conns=64 step r; [[ $KIND == sse ]] && conns=32
    for ((step = 1; step * 5 <= WARMUP_S; step++)); do run_wrk "warmup$step" gateway "$KIND" "$conns" 5; done
    run_wrk warmup-nginx nginx "$KIND" "$conns" 3
    for ((r = 1; r <= ROUNDS; r++)); do
        run_wrk "r$r-nginx" nginx "$KIND" "$conns" "$DURATION"
        run_wrk "r$r-gateway" gateway "$KIND" "$conns" "$DURATION"
    done
    python3 - "$RUN" <<'PY'
import re, sys
run = sys.argv[1]
rows = {}
for line in open(run + "/runs.tsv"):
    label, target, kind, conns, cpu, out = line.rstrip("\n").split("\t")
    text = open(out).read()
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    n = re.search(r"(\d+) requests in", text)
    rows[label] = (float(m.group(1)) if m else 0, int(cpu) / max(1, int(n.group(1)) if n else 1))
r = 1
while "r%d-nginx" % r in rows:
    (nr, nc), (gr, gc) = rows["r%d-nginx" % r], rows["r%d-gateway" % r]
    print("round %d: nginx %.0f req/s %.1f us/req | gateway %.0f req/s %.1f us/req | throughput %.2fx  cpu %.2fx"
          % (r, nr, nc, gr, gc, gr / nr, gc / nc))
    r += 1
PY
    if [[ -n ${ASYNC_PROFILER_LIB:-} ]]; then  # async-profiler (tools.profiler:async-profiler on Maven Central)
        "$JAVA_BIN/java" "$BENCH_DIR/client/AgentLoad.java" "$GW_PID" "$ASYNC_PROFILER_LIB" "start,event=${AP_EVENT:-cpu},interval=1ms,threads"
        run_wrk "profile-gateway" gateway "$KIND" "$conns" "$DURATION"
        "$JAVA_BIN/java" "$BENCH_DIR/client/AgentLoad.java" "$GW_PID" "$ASYNC_PROFILER_LIB" "stop,file=$RUN/gateway.collapsed,collapsed"
        python3 "$BENCH_DIR/collapsed_hot.py" 60 < "$RUN/gateway.collapsed" > "$RUN/profile-hot.txt"
        log "hot frames: $RUN/profile-hot.txt"
    elif [[ $PROFILE == 1 ]]; then
        jfr_run "$KIND" "$conns"
    fi
    thread_cpu; cat "$RUN/gateway-threads.txt"
}

focus_main "$@"
