#!/usr/bin/env bash
# A/B for performance work: two gateways side by side in one run (jar and JVM options of each), nginx as the
# floor, ROUNDS x {nginx, A, B} interleaved (A and B swap places every round) at 64 connections on the governed key (bodies logged), printing per
# round and as medians: req/s and CPU µs per request of each, and B against A. The B side comes out ~4 % cheaper
# with identical jars (bench/README.md): run it twice, A and B swapped, and read the two medians together.
#
#   bench/ab.sh A.jar B.jar     knobs: ROUNDS=6 DURATION=8 WARMUP_S=20 A_OPTS=... B_OPTS=... (default JVM_OPTS)
#                               A_ENV="VAR=value ..." B_ENV=... (extra environment of one side, e.g. OTEL_* for tracing)
set -euo pipefail
# before run.sh, whose own defaults (ROUNDS=3, DURATION=10) would otherwise win
ROUNDS=${ROUNDS:-6}; DURATION=${DURATION:-8}; WARMUP_S=${WARMUP_S:-20}
source "$(dirname "${BASH_SOURCE[0]}")/run.sh"

start_side() {  # side jar opts port-offset: a gateway with its keys; sets <side>_PID and <side>_CHAT
    local side=$1 jar=$2 opts off=$4
    opts=$(with_unsafe_access "$3")  # as run.sh does for its own options
    ADMIN_PORT=$((PORT_BASE + off)); PROXY_PORT=$((PORT_BASE + off + 1))
    GW_CHAT=http://127.0.0.1:$PROXY_PORT/api/providers/openai$CHAT
    local env_var="${side}_ENV"
    JAR=$jar JVM_OPTS=$opts GW_ENV=${!env_var:-} launch_gateway "$side"
    PIDS+=("$GW_PID")
    create_keys > /dev/null
    printf -v "${side}_PID" '%s' "$GW_PID"; printf -v "${side}_CHAT" '%s' "$GW_CHAT"
    log "$side: $jar ($opts) up in ${STARTUP_MS} ms"
}

ab_run() {  # label side [seconds]: run.sh's run_wrk, aimed at that side's gateway (its URL and its process)
    case $2 in
        nginx) run_wrk "$1" nginx json 64 "${3:-$DURATION}" ;;
        A) GW_PID=$A_PID GW_CHAT=$A_CHAT run_wrk "$1" gateway json 64 "${3:-$DURATION}" ;;
        B) GW_PID=$B_PID GW_CHAT=$B_CHAT run_wrk "$1" gateway json 64 "${3:-$DURATION}" ;;
    esac
}

ab_report() {  # per round and medians of {nginx, A, B}: req/s, CPU µs per request, × nginx, B/A (rounds r<n>-<side>)
    python3 - "$RUN" <<'PY'
import collections, re, statistics, sys
run = sys.argv[1]
rows = collections.defaultdict(dict)
for line in open(run + "/runs.tsv"):
    label, _, _, _, cpu, out = line.rstrip("\n").split("\t")
    if not re.fullmatch(r"r\d+-(nginx|A|B)", label):
        continue  # warm-up
    text = open(out).read()
    n = int(re.search(r"(\d+) requests in", text).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    round_, side = label.split("-")
    rows[round_][side] = (rps, float(cpu) / n)
print("round   nginx req/s  µs |      A req/s  µs  x nginx |      B req/s  µs  x nginx |  B/A µs")
ratios = collections.defaultdict(list)
for r, s in rows.items():
    (nr, nc), (ar, ac), (br, bc) = s["nginx"], s["A"], s["B"]
    for k, v in (("nginx_rps", nr), ("nginx_us", nc), ("A_rps", ar), ("A_us", ac), ("B_rps", br), ("B_us", bc),
                 ("A_x", ac / nc), ("B_x", bc / nc), ("BA", bc / ac), ("A_t", ar / nr), ("B_t", br / nr)):
        ratios[k].append(v)
    print(f"{r:6} {nr:12.0f} {nc:4.1f} | {ar:12.0f} {ac:4.1f} {ac / nc:8.2f} | {br:12.0f} {bc:4.1f} {bc / nc:8.2f} | {bc / ac:7.3f}")
m = {k: statistics.median(v) for k, v in ratios.items()}
print(f"median {m['nginx_rps']:12.0f} {m['nginx_us']:4.1f} | {m['A_rps']:12.0f} {m['A_us']:4.1f} {m['A_x']:8.2f} | "
      f"{m['B_rps']:12.0f} {m['B_us']:4.1f} {m['B_x']:8.2f} | {m['BA']:7.3f}")
print(f"throughput x nginx: A {m['A_t']:.2f}, B {m['B_t']:.2f}")
PY
}

ab_main() {
    local jar_a=${1:?A.jar} jar_b=${2:?B.jar}
    begin_run
    start_mocks
    start_nginx_floor
    start_side A "$jar_a" "${A_OPTS:-$JVM_OPTS}" 10
    start_side B "$jar_b" "${B_OPTS:-$JVM_OPTS}" 12
    local step r side
    log "warm-up: ${WARMUP_S} s each"
    for ((step = 1; step * 5 <= WARMUP_S; step++)); do
        for side in A B; do ab_run "warmup$step-$side" "$side" 5; done
    done
    for ((r = 1; r <= ROUNDS; r++)); do
        ab_run "r$r-nginx" nginx
        if ((r % 2)); then ab_run "r$r-A" A; ab_run "r$r-B" B; else ab_run "r$r-B" B; ab_run "r$r-A" A; fi  # order alternates
    done
    ab_report
    log "RSS after the runs: A $(( $(GW_PID=$A_PID rss_kb gateway) / 1024 )) MB, B $(( $(GW_PID=$B_PID rss_kb gateway) / 1024 )) MB"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then ab_main "$@"; fi
