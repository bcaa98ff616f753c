#!/usr/bin/env bash
# Issue 17's figures: the unified endpoint against the native paths, on ONE gateway in one run.
#
#  1. CPU per request: ROUNDS x {nginx, A, B} at 64 connections, printed as bench/ab.sh prints, on the governed key
#     of run.sh (rate limit, cost limit, both bodies logged) and the same nginx JSON mock upstream:
#        A = native   POST /api/providers/openai/v1/chat/completions   model gpt-4o-mini
#        B = unified  POST /v1/chat/completions                        model openai/gpt-4o-mini
#     A and B swap places every round (SWAP=1: unified is A; run it both ways round, as ab.sh is run).
#     BODY_KB=N: the user message padded to N KB on all three (the unified path re-serialises the body it forwards).
#     Issue 18 adds a third Anthropic path to both: /v1/messages with the native body (bare claude id, passed as sent).
#  2. First chunk of an Anthropic stream: bench/mock/SseMock.java answers Anthropic Messages SSE on .../messages
#     (message_start first, then 50 ms between events); client/Probe.java alternates request by request between
#     the mock called directly (the upstream's own first byte), nginx, the native path
#     /api/providers/anthropic/v1/messages and the unified endpoint with model anthropic/<CLAUDE>, stream true,
#     and the added first-chunk delay over the direct mock is printed as p50 / p90. Before it, both Anthropic paths are
#     warmed up (JIT) with ANTH_ROUNDS x {native, unified} of 5 s SSE at 32 connections and 0 ms gaps, whose CPU per
#     stream is printed too (what translating a 25-event stream costs; orientation only, no target).
#
#   bench/unified.sh [jar]   knobs: ROUNDS=6 DURATION=8 WARMUP_S=20 FIRST_CHUNK_N=80 ANTH_ROUNDS=4 SWAP=0|1 CPU=1|0 SSE=1|0
#                            BODY_KB=0
#                            PROFILE=1 (one JFR-profiled run of each path after the rounds: profile-hot-{native,unified}.txt)
set -euo pipefail
# before ab.sh and run.sh, whose own defaults would otherwise win
ROUNDS=${ROUNDS:-6}; DURATION=${DURATION:-8}; WARMUP_S=${WARMUP_S:-20}; FIRST_CHUNK_N=${FIRST_CHUNK_N:-80}
source "$(dirname "${BASH_SOURCE[0]}")/ab.sh"
SWAP=${SWAP:-0}; CPU=${CPU:-1}; SSE=${SSE:-1}; ANTH_ROUNDS=${ANTH_ROUNDS:-4}
CLAUDE=claude-3-5-haiku-20241022
ANTH_BODY="{\"model\":\"$CLAUDE\",\"max_tokens\":256,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"stream\":true}"
UNIFIED_ANTH_BODY="{\"model\":\"anthropic/$CLAUDE\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"stream\":true}"
NATIVE_MESSAGES=http://127.0.0.1:$PROXY_PORT/api/providers/anthropic/v1/messages
UNIFIED_MESSAGES=http://127.0.0.1:$PROXY_PORT/v1/messages   # issue 18: Anthropic's Messages API, bare claude id, as sent
NATIVE_CHAT=$GW_CHAT                          # run.sh's: /api/providers/openai/v1/chat/completions
UNIFIED_CHAT=http://127.0.0.1:$PROXY_PORT$CHAT

BODY_KB=${BODY_KB:-0}
PAD=hello; if ((BODY_KB > 0)); then PAD=$(head -c $((BODY_KB * 1024)) /dev/zero | tr '\0' x); fi

path_run() {  # label path(nginx|native|unified) [seconds]: run.sh's run_wrk at 64 connections on that path
    local native="{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"$PAD\"}]}"
    case $2 in
        nginx) BENCH_BODY=$native run_wrk "$1" nginx json 64 "${3:-$DURATION}" ;;
        native) BENCH_BODY=$native GW_CHAT=$NATIVE_CHAT run_wrk "$1" gateway json 64 "${3:-$DURATION}" ;;
        unified) BENCH_BODY=${native/gpt-4o-mini/openai\/gpt-4o-mini} GW_CHAT=$UNIFIED_CHAT \
            run_wrk "$1" gateway json 64 "${3:-$DURATION}" ;;
    esac
}

side_path() {  # A|B -> native|unified
    case $SWAP$1 in 0A | 1B) echo native ;; *) echo unified ;; esac
}

smoke() {  # name expected-status curl-args...: one request, its status checked
    local name=$1 want=$2 code; shift 2
    code=$(curl -s -o "$RUN/smoke-$name.txt" -w '%{http_code}' --max-time 10 "$@")
    [[ $code == "$want" ]] || die "smoke $name answered $code: $(head -c 400 "$RUN/smoke-$name.txt")"
    echo "smoke_${name}_ok 1" >> "$RUN/facts.txt"
}

cpu_rounds() {
    local step r a b
    a=$(side_path A); b=$(side_path B)
    log "CPU per request: A = $a, B = $b; warm-up ${WARMUP_S} s each"
    for ((step = 1; step * 5 <= WARMUP_S; step++)); do
        path_run "warmup$step-A" "$a" 5; path_run "warmup$step-B" "$b" 5
    done
    path_run warmup-nginx nginx 3
    for ((r = 1; r <= ROUNDS; r++)); do
        log "round $r/$ROUNDS (load average $(cut -d' ' -f1-3 /proc/loadavg))"
        path_run "r$r-nginx" nginx
        if ((r % 2)); then path_run "r$r-A" "$a"; path_run "r$r-B" "$b"
        else path_run "r$r-B" "$b"; path_run "r$r-A" "$a"; fi  # order alternates
    done
    echo "A = $a, B = $b (one gateway; B/A = $b/$a)"
    ab_report
}

profile_paths() {  # one JFR-profiled run per path, hot methods as run.sh's jfr_run summarises them
    [[ $PROFILE == 1 ]] || return 0
    local p
    for p in native unified; do
        "$JAVA_BIN/jcmd" "$GW_PID" JFR.start name="$p" settings=profile > /dev/null
        path_run "profile-$p" "$p"
        "$JAVA_BIN/jcmd" "$GW_PID" JFR.stop name="$p" filename="$RUN/gateway-$p.jfr" > /dev/null
        "$JAVA_BIN/jfr" print --stack-depth 64 --events jdk.ExecutionSample --json "$RUN/gateway-$p.jfr" |
            python3 "$BENCH_DIR/jfr_hot.py" 40 > "$RUN/profile-hot-$p.txt"
        log "  hot methods of $p: $RUN/profile-hot-$p.txt"
    done
}

anthropic_streams() {  # both Anthropic paths at 32 connections, 0 ms gaps (key bench-anth0): JIT warm-up, CPU per stream
    local r
    log "Anthropic streams, 0 ms gaps, 32 connections: $ANTH_ROUNDS x {native, unified} of 5 s (warm-up for the probe)"
    for ((r = 1; r <= ANTH_ROUNDS; r++)); do
        WRK_KEY=bench-anth0-secret BENCH_BODY=$ANTH_BODY GW_CHAT=$NATIVE_MESSAGES run_wrk "anth$r-native" gateway sse 32 5
        WRK_KEY=bench-anth0-secret BENCH_BODY=$UNIFIED_ANTH_BODY GW_CHAT=$UNIFIED_CHAT run_wrk "anth$r-unified" gateway sse 32 5
        WRK_KEY=bench-anth0-secret BENCH_BODY=$ANTH_BODY GW_CHAT=$UNIFIED_MESSAGES run_wrk "anth$r-messages" gateway sse 32 5
    done
    python3 - "$RUN" <<'PY'
import collections, re, statistics, sys
rows = collections.defaultdict(list)
for line in open(sys.argv[1] + "/runs.tsv"):
    label, _, _, _, cpu, out = line.rstrip("\n").split("\t")
    m = re.fullmatch(r"anth(\d+)-(native|unified|messages)", label)
    if not m:
        continue
    text = open(out).read()
    n = int(re.search(r"(\d+) requests in", text).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    rows[m.group(2)].append((float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)), float(cpu) / n,
                             int(non2xx.group(1)) if non2xx else 0))
for p, v in rows.items():
    print(f"Anthropic stream {p:8}: streams/s {statistics.median(r for r, _, _ in v):7.0f}, CPU µs per stream "
          f"{statistics.median(c for _, c, _ in v):6.1f} (rounds: {', '.join(f'{c:.0f}' for _, c, _ in v)}), non-2xx {sum(e for _, _, e in v)}")
for other in ("unified", "messages"):
    if other in rows and "native" in rows:
        ratios = [u[1] / n[1] for n, u in zip(rows["native"], rows[other])]
        print(f"{other}/native CPU per stream: median {statistics.median(ratios):.3f} (rounds: {', '.join(f'{x:.2f}' for x in ratios)})")
PY
}

anthropic_first_chunk() {
    local anth=$ANTH_BODY unified=$UNIFIED_ANTH_BODY
    log "Anthropic stream, first chunk, 50 ms gaps, $FIRST_CHUNK_N streams per target (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    probe anthropic-first-chunk --stream --key bench-anth-secret --n "$FIRST_CHUNK_N" --concurrency 4 --warmup 2 \
        --body "direct=$anth" --body "nginx=$anth" --body "native=$anth" --body "unified=$unified" --body "messages=$anth" \
        "direct=http://127.0.0.1:$SSE_PORT/anth/gap-50/v1/messages" \
        "nginx=http://127.0.0.1:$NGINX_PORT/sse/anth/gap-50/v1/messages" \
        "native=$NATIVE_MESSAGES" \
        "unified=$UNIFIED_CHAT" \
        "messages=$UNIFIED_MESSAGES"
    python3 - "$RUN/probe-anthropic-first-chunk.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
d = r["direct"]
print("target    ok/requests  first p50 ms  p90 ms  p99 ms | added over direct: p50 ms  p90 ms")
for name, v in r.items():
    print(f"{name:8} {v['ok']:5}/{v['requests']:<5} {v['first_p50_ms']:12.3f} {v['first_p90_ms']:7.3f} {v['first_p99_ms']:7.3f} |"
          f" {v['first_p50_ms'] - d['first_p50_ms']:+24.3f} {v['first_p90_ms'] - d['first_p90_ms']:+7.3f}")
u, n = r["unified"], r["native"]
print(f"unified - native: p50 {u['first_p50_ms'] - n['first_p50_ms']:+.3f} ms, p90 {u['first_p90_ms'] - n['first_p90_ms']:+.3f} ms")
m = r["messages"]
print(f"/v1/messages - native: p50 {m['first_p50_ms'] - n['first_p50_ms']:+.3f} ms, p90 {m['first_p90_ms'] - n['first_p90_ms']:+.3f} ms")
PY
}

unified_main() {
    begin_run
    {
        echo "date $(date -u +%Y-%m-%dT%H:%M:%SZ)"; echo "jar $JAR"; echo "jar_sha256 $(sha256sum "$JAR" | cut -c1-16)"
        echo "java $("$JAVA_BIN/java" -version 2>&1 | head -1)"; echo "jvm_opts $JVM_OPTS (MALLOC_ARENA_MAX=$GW_MALLOC_ARENA_MAX)"
        echo "cpus $(nproc)"; echo "loadavg_start $(cut -d' ' -f1-3 /proc/loadavg)"
        echo "cpustat_start $(head -1 /proc/stat | cut -d' ' -f3-)"
    } > "$RUN/facts.txt"
    cp "$JAR" "$RUN/gateway-under-test.jar"; JAR=$RUN/gateway-under-test.jar
    start_mocks
    start_nginx_floor
    launch_gateway 1
    log "gateway up in ${STARTUP_MS} ms (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    create_keys > /dev/null
    create_key bench-anth bench-anth-secret "http://127.0.0.1:$SSE_PORT/anth/gap-50/v1" anthropic > /dev/null
    create_key bench-anth0 bench-anth0-secret "http://127.0.0.1:$SSE_PORT/anth/v1" anthropic > /dev/null
    local auth=(-H 'Content-Type: application/json')
    smoke unified 200 "$UNIFIED_CHAT" "${auth[@]}" -H 'Authorization: Bearer bench-secret' \
        -d '{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"hello"}]}'
    smoke anthropic-native 200 "http://127.0.0.1:$PROXY_PORT/api/providers/anthropic/v1/messages" "${auth[@]}" \
        -H 'x-api-key: bench-anth-secret' -d "{\"model\":\"$CLAUDE\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"
    smoke anthropic-unified 200 "$UNIFIED_CHAT" "${auth[@]}" -H 'Authorization: Bearer bench-anth-secret' \
        -d "{\"model\":\"anthropic/$CLAUDE\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"
    if [[ $CPU == 1 ]]; then cpu_rounds; fi
    if [[ $SSE == 1 ]]; then anthropic_streams; anthropic_first_chunk; fi
    {
        echo "loadavg_end $(cut -d' ' -f1-3 /proc/loadavg)"; echo "cpustat_end $(head -1 /proc/stat | cut -d' ' -f3-)"
    } >> "$RUN/facts.txt"
    python3 - "$RUN/facts.txt" <<'PY'
import sys
f = dict(l.rstrip("\n").split(" ", 1) for l in open(sys.argv[1]) if " " in l)
a, b = ([int(x) for x in f[k].split()] for k in ("cpustat_start", "cpustat_end"))
d = [y - x for x, y in zip(a, b)]
total = sum(d[:8]) or 1  # user nice system idle iowait irq softirq steal
print(f"machine during the run: load average {f['loadavg_start']} -> {f['loadavg_end']}; idle {100 * d[3] / total:.1f} %,"
      f" softirq {100 * d[6] / total:.1f} %, steal {100 * d[7] / total:.1f} %")
PY
    profile_paths
    log "RSS after the runs: $(( $(rss_kb gateway) / 1024 )) MB"
    rm -f "$RUN/gateway-under-test.jar" "$RUN/gateway.jsa"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then unified_main "$@"; fi
