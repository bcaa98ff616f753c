#!/usr/bin/env bash
# Benchmark of the BricksLLM gateway's governed path against an nginx reverse proxy (the floor), on one
# machine, in one run, rounds interleaved: every figure is judged as a ratio to nginx (or as an addition over
# the mock called directly) measured in the same run, never against numbers from another run.
#
#   bench/run.sh [path/to/bricksllm.jar]        (or BENCH_JAR=...; default: target/bricksllm.jar, built when stale)
#
# What runs (all on 127.0.0.1, everything stopped on exit):
#   mock   nginx answering every POST with a fixed ~700-byte chat.completion (non-streaming upstream)
#   sse    bench/mock/SseMock.java: 20 chat.completion.chunk events + usage chunk + [DONE] (streaming upstream)
#   nginx  plain reverse proxy in front of both mocks (keep-alive pool, HTTP/1.1, no buffering for SSE)
#   gw     the gateway jar, embedded mode, fresh DATA_DIR, keys with rate limit, cost limit, request+response logs
# Then: start-up time (median of 3 launches), JIT warm-up, ROUNDS x {direct, nginx, gateway} x {1 conn latency,
# 64 conn throughput, 32 conn SSE streams}, 256 conn overload, SSE first-chunk latency (50 ms gaps), an exact
# accounting probe, RSS, and the events/spend check. Raw output goes to bench/results/<timestamp>/ and a summary
# to bench/results/<timestamp>.json; the table and one verdict per target are printed at the end.
#
# Knobs (environment): ROUNDS=3 DURATION=10 SSE_DURATION=8 WARMUP_S=20 WARMUP_MAX_S=45 WARMUP_MIX_MAX=6 OVERLOAD_S=10
#   FIRST_CHUNK_N=40 EXACT_N=2000 STARTUPS=3 EVENTS_WAIT_S=15 PORT_BASE=19300 PROFILE=0|1 JVM_OPTS="..."
#   GW_MALLOC_ARENA_MAX=2 AOT=0|1 CDS=1|0 KEEP_DATA=0|1
#   JAVA_HOME=<JDK 21+, else the newest found, as ./gateway does: bin/jdk.sh>
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/.." && pwd)
JAR=$(realpath -m "${1:-${BENCH_JAR:-$REPO_ROOT/target/bricksllm.jar}}")

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}          # seconds per latency / throughput run
SSE_DURATION=${SSE_DURATION:-8}   # seconds per SSE streams run
WARMUP_S=${WARMUP_S:-20}          # gateway JIT warm-up at 64 connections, at least (5 s steps, see warm_up)
WARMUP_MAX_S=${WARMUP_MAX_S:-45}  # ... and at most, if the rate is still climbing
WARMUP_MIX_MAX=${WARMUP_MIX_MAX:-6} # then at most this many {SSE, 1 conn., 64 conn.} turns until the JIT has settled
OVERLOAD_S=${OVERLOAD_S:-10}
FIRST_CHUNK_N=${FIRST_CHUNK_N:-40}  # streams per target for the first-chunk latency (50 ms gaps, ~1 s each)
EXACT_N=${EXACT_N:-2000}          # requests of the exact accounting probe
STARTUPS=${STARTUPS:-3}
EVENTS_WAIT_S=${EVENTS_WAIT_S:-15}
PORT_BASE=${PORT_BASE:-19300}
# The options ./gateway runs the gateway with (bin/jdk.sh): fixed 192 MB heap (live set ~76 MB), serial GC, exit on
# OutOfMemoryError, 2 malloc arenas: RSS ~320 MB instead of ~400 MB, same throughput within noise on this 2-core box
# (see bench/README.md, "JVM flags"); --sun-misc-unsafe-memory-access=allow is added on JDK 24+ (with_unsafe_access).
source "$REPO_ROOT/bin/jdk.sh"
JVM_OPTS=${JVM_OPTS:-$GATEWAY_JVM_OPTS}
GW_MALLOC_ARENA_MAX=${GW_MALLOC_ARENA_MAX:-$GATEWAY_MALLOC_ARENA_MAX}
KEEP_DATA=${KEEP_DATA:-0}         # 1: keep the gateway's DATA_DIRs (SQLite with every event) after a good run
AOT=${AOT:-0}                     # 1 (JDK 25+): one training launch writes an AOT cache, the measured launches use it
CDS=${CDS:-1}                     # 1: launched as the README says, with a class-data archive the first launch writes
PROFILE=${PROFILE:-0}             # 1: extra JFR-profiled gateway runs (JSON, SSE): <results>/profile-hot-*.txt

MOCK_PORT=$PORT_BASE; SSE_PORT=$((PORT_BASE + 1)); NGINX_PORT=$((PORT_BASE + 2))
ADMIN_PORT=$((PORT_BASE + 3)); PROXY_PORT=$((PORT_BASE + 4))
CHAT=/v1/chat/completions
GW_CHAT=http://127.0.0.1:$PROXY_PORT/api/providers/openai$CHAT

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN=$BENCH_DIR/results/$STAMP
PIDS=()       # everything we started, stopped in reverse order on exit
GW_PID=""

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------- tools ---
find_java() {  # a JDK 21+ (the finder of ./gateway, bin/jdk.sh: JAVA_HOME, else the newest found); sets JAVA_BIN, JAVA_MAJOR
    find_jdk || die "no JDK 21+ found (set JAVA_HOME)"
    JAVA_BIN=$JAVA_HOME/bin
}

require_tools() {
    if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
        log "installing nginx and wrk"
        apt-get update -qq && { apt-get install -y -qq nginx-light wrk || apt-get install -y -qq nginx wrk; } >/dev/null
    fi
    local t; for t in nginx wrk curl python3; do command -v $t >/dev/null || die "$t is missing"; done
    find_java
    JVM_OPTS=$(with_unsafe_access "$JVM_OPTS")
    # the default jar is (re)built when missing or older than the sources, as ./gateway does: no stale measurement
    if [[ $JAR == "$REPO_ROOT/target/bricksllm.jar" ]]; then build_if_stale "$REPO_ROOT" "$JAR"; fi
    [[ -f $JAR ]] || die "no gateway jar at $JAR"
    local p; for p in $MOCK_PORT $SSE_PORT $NGINX_PORT $ADMIN_PORT $PROXY_PORT; do
        ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || die "port $p is in use (set PORT_BASE)"
    done
}

cleanup() {
    local rc=$?
    [[ -n $GW_PID ]] && stop_pid "$GW_PID"
    local i; for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[i]}"; done
    [[ $rc -eq 0 ]] || log "failed (exit $rc); raw output in $RUN"
    # ~1-2 GB of events per gateway (focus, ladder and ab runs too); kept when the run fails, or with KEEP_DATA=1
    if [[ $rc -eq 0 && $KEEP_DATA != 1 ]]; then rm -rf "$RUN"/gateway-data-*; fi
    # one JSON line per proxied request: ~0.4 GB per gateway and run (ab, ladder and focus runs too)
    compgen -G "$RUN/gateway-*.log" > /dev/null && gzip -f "$RUN"/gateway-*.log
    return 0
}

stop_pid() {  # pid [seconds]: TERM, then KILL after 10 s (or the given time); only ever our own children
    local pid=$1 max=${2:-10} i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < max * 10; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
}

wait_http() {  # url [max seconds]: until it answers 2xx
    local url=$1 max=${2:-20} i
    for ((i = 0; i < max * 20; i++)); do
        curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null && return 0
        sleep 0.05
    done
    die "$url did not answer within $max s"
}

# ------------------------------------------------------------------------------------ process metrics ---
CLK_TCK=$(getconf CLK_TCK)

pids_of() {  # target -> the processes whose CPU is that target's cost
    case $1 in
        gateway) echo "$GW_PID" ;;
        nginx)   echo "$NGINX_PID" $(ps -o pid= --ppid "$NGINX_PID") ;;
        direct)  echo "$MOCK_PID" $(ps -o pid= --ppid "$MOCK_PID") "$SSE_PID" ;;
    esac
}

stat_ticks() {  # /proc/<pid>[/task/<tid>]/stat: its utime+stime in clock ticks (fields after "pid (comm) ")
    sed 's/^.*) //' "$1" | awk '{print $12 + $13}'
}

cpu_us() {  # utime+stime of the target's processes, in microseconds
    local total=0 pid
    for pid in $(pids_of "$1"); do total=$((total + $(stat_ticks "/proc/$pid/stat"))); done
    echo $((total * 1000000 / CLK_TCK))
}

rss_kb() {
    local total=0 pid kb
    for pid in $(pids_of "$1"); do
        kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
        total=$((total + kb))
    done
    echo $total
}

# ------------------------------------------------------------------------------------------- upstreams ---
start_mocks() {
    mkdir -p "$RUN/nginx-mock/logs" "$RUN/classes"
    local json; json=$(tr -d '\n' < "$BENCH_DIR/mock/chat-completion.json")
    cat > "$RUN/nginx-mock/nginx.conf" <<EOF
worker_processes 2;
pid $RUN/nginx-mock/nginx.pid;
error_log $RUN/nginx-mock/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $RUN/nginx-mock/body;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
    server {
        listen 127.0.0.1:$MOCK_PORT backlog=4096;
        location / {
            default_type application/json;
            return 200 '$json';
        }
    }
}
EOF
    nginx -p "$RUN/nginx-mock" -c "$RUN/nginx-mock/nginx.conf" -g 'daemon off;' &
    MOCK_PID=$!; PIDS+=("$MOCK_PID")

    "$JAVA_BIN/javac" -d "$RUN/classes" "$BENCH_DIR/mock/SseMock.java" "$BENCH_DIR/client/Probe.java"
    "$JAVA_BIN/java" -Xmx256m -XX:+UseSerialGC -cp "$RUN/classes" SseMock "$SSE_PORT" 0 > "$RUN/sse-mock.log" 2>&1 &
    SSE_PID=$!; PIDS+=("$SSE_PID")
    wait_http "http://127.0.0.1:$MOCK_PORT/"
    wait_http "http://127.0.0.1:$SSE_PORT/stats"
}

start_nginx_floor() {
    mkdir -p "$RUN/nginx-proxy/logs"
    cat > "$RUN/nginx-proxy/nginx.conf" <<EOF
worker_processes 2;
pid $RUN/nginx-proxy/nginx.pid;
error_log $RUN/nginx-proxy/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $RUN/nginx-proxy/body;
    proxy_temp_path $RUN/nginx-proxy/proxy;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
    upstream json_mock { server 127.0.0.1:$MOCK_PORT; keepalive 256; keepalive_requests 1000000; }
    upstream sse_mock  { server 127.0.0.1:$SSE_PORT;  keepalive 256; keepalive_requests 1000000; }
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    server {
        listen 127.0.0.1:$NGINX_PORT backlog=4096;
        location /sse/ { proxy_pass http://sse_mock; proxy_buffering off; }
        location /     { proxy_pass http://json_mock; }
    }
}
EOF
    nginx -p "$RUN/nginx-proxy" -c "$RUN/nginx-proxy/nginx.conf" -g 'daemon off;' &
    NGINX_PID=$!; PIDS+=("$NGINX_PID")
    wait_http "http://127.0.0.1:$NGINX_PORT/sse/stats"
}

# --------------------------------------------------------------------------------------------- gateway ---
launch_gateway() {  # n: start a gateway on a fresh DATA_DIR; sets GW_PID and STARTUP_MS (launch -> both health 200); GW_ENV: extra VAR=value words
    local n=$1 t0 i
    local data="$RUN/gateway-data-$n"; mkdir -p "$data"
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    ADMIN_PORT=$ADMIN_PORT PROXY_PORT=$PROXY_PORT DATA_DIR=$data BIND_HOST=127.0.0.1 TELEMETRY_PROVIDER=none \
        MODE=production MALLOC_ARENA_MAX=$GW_MALLOC_ARENA_MAX env ${GW_ENV:-} "$JAVA_BIN/java" $JVM_OPTS -jar "$JAR" \
        > "$RUN/gateway-$n.log" 2>&1 &
    GW_PID=$!
    for ((i = 0; i < 6000; i++)); do  # at most ~60 s
        if curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$ADMIN_PORT/api/health" 2>/dev/null &&
           curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$PROXY_PORT/api/health" 2>/dev/null; then
            STARTUP_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
            return
        fi
        kill -0 "$GW_PID" 2>/dev/null || die "gateway exited during start-up: $(tail -5 "$RUN/gateway-$n.log")"
        sleep 0.01
    done
    die "gateway not healthy within 60 s"
}

train_aot_cache() {  # JDK 25+ ahead-of-time cache (JEP 483/514), written when a training launch exits
    [[ $AOT == 1 ]] || return 0
    log "AOT: training launch writes $RUN/gateway.aot"
    JVM_OPTS="$JVM_OPTS -XX:AOTCacheOutput=$RUN/gateway.aot" launch_gateway aot
    stop_pid "$GW_PID" 120; GW_PID=""  # the cache is assembled at exit
    [[ -s $RUN/gateway.aot ]] || die "no AOT cache written (JDK older than 25?)"
    JVM_OPTS="$JVM_OPTS -XX:AOTCache=$RUN/gateway.aot"
    echo "aot_cache $(stat -c %s "$RUN/gateway.aot") bytes, trained in ${STARTUP_MS} ms to healthy" >> "$RUN/facts.txt"
}

measure_startup() {  # STARTUPS launches; the last one stays up for the benchmark
    local n
    if [[ $CDS == 1 && $AOT != 1 ]]; then
        # As the README runs it: -XX:+AutoCreateSharedArchive (JDK 19+) writes the class-data archive when the first
        # launch of a jar exits and every later launch maps it. The first launch is measured and reported apart.
        JVM_OPTS="$JVM_OPTS $(cds_opts "$RUN/gateway.jsa")"
        launch_gateway cold
        log "start-up without an archive yet (first launch of this jar): ${STARTUP_MS} ms to healthy"
        echo "startup_cold_ms $STARTUP_MS" >> "$RUN/facts.txt"
        stop_pid "$GW_PID" 120; GW_PID=""  # the archive is written at exit
        [[ -s $RUN/gateway.jsa ]] || die "no class-data archive written at $RUN/gateway.jsa"
        echo "cds_archive $(stat -c %s "$RUN/gateway.jsa") bytes" >> "$RUN/facts.txt"
    fi
    for ((n = 1; n <= STARTUPS; n++)); do
        launch_gateway "$n"
        log "start-up $n: ${STARTUP_MS} ms to healthy"
        echo "startup_ms $STARTUP_MS" >> "$RUN/facts.txt"
        if ((n < STARTUPS)); then stop_pid "$GW_PID"; GW_PID=""; fi
    done
}

admin() {  # method path [json]: prints the body, fails on non-2xx
    curl -fsS --max-time 10 -X "$1" "http://127.0.0.1:$ADMIN_PORT$2" -H 'Content-Type: application/json' ${3:+-d "$3"}
}

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

create_key() {  # name secret upstream-url [provider]: one provider setting (openai) and one key on it; prints the keyId
    local setting key
    setting=$(admin PUT /api/provider-settings \
        "{\"provider\":\"${4:-openai}\",\"name\":\"$1\",\"setting\":{\"apikey\":\"sk-bench\",\"url\":\"$3\"}}" | json_field id)
    key=$(admin PUT /api/key-management/keys "{\"name\":\"$1\",\"key\":\"$2\",\"settingIds\":[\"$setting\"],\
\"rateLimitOverTime\":100000000,\"rateLimitUnit\":\"m\",\"costLimitInUsd\":1000000,\
\"shouldLogRequest\":true,\"shouldLogResponse\":true}" | json_field keyId)
    echo "key $1 $2 $key" >> "$RUN/facts.txt"
    echo "$key"
}

create_keys() {
    # One key per upstream so that each key's events can be checked against its own client-side count.
    KEY_JSON=$(create_key bench bench-secret "http://127.0.0.1:$MOCK_PORT/v1")
    KEY_SSE=$(create_key bench-sse bench-sse-secret "http://127.0.0.1:$SSE_PORT/sse/v1")
    KEY_SSE50=$(create_key bench-sse50 bench-sse50-secret "http://127.0.0.1:$SSE_PORT/sse/gap-50/v1")
    KEY_EXACT=$(create_key bench-exact bench-exact-secret "http://127.0.0.1:$MOCK_PORT/v1")
    sleep 0.5  # let the live configuration pick the keys up
    local i code
    for ((i = 0; i < 50; i++)); do  # the key may take a moment to reach the proxy
        code=$(curl -s -o "$RUN/smoke.json" -w '%{http_code}' "$GW_CHAT" -H 'Authorization: Bearer bench-exact-secret' \
            -H 'Content-Type: application/json' -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello"}]}')
        [[ $code == 200 ]] && break
        sleep 0.2
    done
    [[ $code == 200 ]] || die "gateway smoke request answered $code: $(cat "$RUN/smoke.json")"
    echo "smoke_exact_ok 1" >> "$RUN/facts.txt"
}

# ----------------------------------------------------------------------------------------------- load ---
url_of() {  # target kind -> URL
    case $1/$2 in
        direct/json) echo "http://127.0.0.1:$MOCK_PORT$CHAT" ;;
        direct/sse)  echo "http://127.0.0.1:$SSE_PORT/sse$CHAT" ;;
        nginx/json)  echo "http://127.0.0.1:$NGINX_PORT$CHAT" ;;
        nginx/sse)   echo "http://127.0.0.1:$NGINX_PORT/sse$CHAT" ;;
        gateway/*)   echo "$GW_CHAT" ;;
    esac
}

run_wrk() {  # label target kind(json|sse) connections seconds: one wrk run, its CPU cost recorded
    local label=$1 target=$2 kind=$3 conns=$4 secs=$5
    local threads=$((conns < 2 ? 1 : 2)) key=${WRK_KEY:-bench-secret} stream=0 before after
    if [[ $kind == sse ]]; then key=${WRK_KEY:-bench-sse-secret}; stream=1; fi
    local out="$RUN/wrk/$label.txt"
    before=$(cpu_us "$target")
    BENCH_KEY=$key BENCH_STREAM=$stream timeout $((secs + 30)) \
        wrk -t"$threads" -c"$conns" -d"${secs}s" --latency -s "$BENCH_DIR/wrk/chat.lua" "$(url_of "$target" "$kind")" \
        > "$out" 2>&1 || log "wrk $label exited with $?"
    sleep 1  # let the target finish what wrk cut off, so its CPU lands in this run
    after=$(cpu_us "$target")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$target" "$kind" "$conns" "$((after - before))" "$out" >> "$RUN/runs.tsv"
    log "  $label: $(awk '/Requests\/sec/ {print $2 " req/s"}' "$out")"
}

rps_of() { awk '/Requests\/sec/ {printf "%d", $2}' "$RUN/wrk/$1.txt"; }

warm_up() {  # 5 s steps at 64 connections until WARMUP_S has passed and the rate has stopped climbing (< 5 %)
    log "JIT warm-up: ${WARMUP_S}..${WARMUP_MAX_S} s JSON, then SSE / 1 / 64 connections in turn until the JIT settles"
    local step prev=0 rps
    for ((step = 1; step * 5 <= WARMUP_MAX_S; step++)); do
        run_wrk "warmup$step-gateway-json" gateway json 64 5
        rps=$(rps_of "warmup$step-gateway-json")
        if ((step * 5 >= WARMUP_S && rps * 100 < prev * 105)); then break; fi
        prev=$rps
    done
    # Then the rounds' three loads in turn until the JIT compilers have settled: after a JSON-only warm-up the first
    # SSE run kept C2 busy for ~4 s and the next JSON run for another ~0.6 s (call sites both use had turned
    # polymorphic), and that recompiling was landing in the first measured rounds (round 1 4.15 x, round 3 3.20 x).
    local mix jit0 cpu0 share
    for ((mix = 1; mix <= WARMUP_MIX_MAX; mix++)); do
        jit0=$(jit_us); cpu0=$(cpu_us gateway)
        run_wrk "warmup-mix$mix-gateway-sse" gateway sse 32 5
        run_wrk "warmup-mix$mix-gateway-c1" gateway json 1 2
        run_wrk "warmup-mix$mix-gateway-json" gateway json 64 5
        share=$(( ($(jit_us) - jit0) * 1000 / ($(cpu_us gateway) - cpu0 + 1) ))
        log "  JIT compilers: $((share / 10)).$((share % 10)) % of the gateway's CPU in mixed warm-up $mix"
        echo "warmup_jit_permille $share" >> "$RUN/facts.txt"
        if ((share < 10)); then break; fi  # under 1 %
    done
    run_wrk warmup-nginx-json nginx json 64 3
    run_wrk warmup-direct-json direct json 64 3
}

jit_us() {  # CPU of the gateway's JIT compiler threads so far, in microseconds (a thread that has exited drops out)
    local t ticks=0
    for t in /proc/"$GW_PID"/task/*; do
        case $(cat "$t/comm" 2>/dev/null) in
            "C1 CompilerThre"* | "C2 CompilerThre"*) ticks=$((ticks + $(stat_ticks "$t/stat"))) ;;
        esac
    done
    echo $((ticks * 1000000 / CLK_TCK))
}

rounds() {
    local r i t targets=(direct nginx gateway)
    for ((r = 1; r <= ROUNDS; r++)); do
        log "round $r/$ROUNDS"
        for ((i = 0; i < 3; i++)); do  # the order rotates each round
            t=${targets[(i + r - 1) % 3]}
            run_wrk "r$r-$t-c1" "$t" json 1 "$DURATION"
            run_wrk "r$r-$t-c64" "$t" json 64 "$DURATION"
            run_wrk "r$r-$t-sse32" "$t" sse 32 "$SSE_DURATION"
        done
    done
}

overload() {
    log "overload: 256 connections"
    run_wrk overload-nginx-c256 nginx json 256 "$OVERLOAD_S"
    run_wrk overload-gateway-c256 gateway json 256 "$OVERLOAD_S"
}

jfr_run() {  # kind connections: one extra gateway run under JFR; hot methods in <results>/profile-hot-<kind>.txt
    local kind=$1 conns=$2
    "$JAVA_BIN/jcmd" "$GW_PID" JFR.start name=bench settings=profile > /dev/null
    run_wrk "profile-gateway-$kind" gateway "$kind" "$conns" "$DURATION"
    "$JAVA_BIN/jcmd" "$GW_PID" JFR.stop name=bench filename="$RUN/gateway-$kind.jfr" > /dev/null
    "$JAVA_BIN/jfr" print --stack-depth 64 --events jdk.ExecutionSample --json "$RUN/gateway-$kind.jfr" |
        python3 "$BENCH_DIR/jfr_hot.py" 30 > "$RUN/profile-hot-$kind.txt"
    log "  hot methods: $RUN/profile-hot-$kind.txt"
}

profile() {  # extra gateway runs (c64 JSON, then SSE) under JFR; hot methods summarised by jfr_hot.py
    [[ $PROFILE == 1 ]] || return 0
    log "profiling the gateway (JFR) during one extra JSON run and one extra SSE run"
    jfr_run json 64
    jfr_run sse 32
}

thread_cpu() {  # ms of CPU of the gateway's busiest threads since launch (a single busy event loop means one core at most)
    local t
    for t in /proc/"$GW_PID"/task/*; do
        printf '%s\t%s\n' "$(( $(stat_ticks "$t/stat") * 1000 / CLK_TCK ))" "$(cat "$t/comm")"
    done | sort -rn | head -8 > "$RUN/gateway-threads.txt"
}

probe() {  # name args...: the JDK probe, its JSON output saved as probe-<name>.json
    local name=$1; shift
    timeout 300 "$JAVA_BIN/java" -cp "$RUN/classes" Probe --timeout-s 240 "$@" > "$RUN/probe-$name.json" \
        2> "$RUN/probe-$name.err" || die "probe $name failed: $(cat "$RUN/probe-$name.err")"
    log "  probe $name: $(cat "$RUN/probe-$name.json")"
}

first_chunk() {
    log "SSE first-chunk latency, 50 ms gaps, $FIRST_CHUNK_N streams per target"
    probe first-chunk --stream --key bench-sse50-secret --n "$FIRST_CHUNK_N" --concurrency 4 --warmup 1 \
        "direct=http://127.0.0.1:$SSE_PORT/sse/gap-50$CHAT" \
        "nginx=http://127.0.0.1:$NGINX_PORT/sse/gap-50$CHAT" \
        "gateway=$GW_CHAT"
}

exact_accounting_load() {
    log "exact accounting probe: $EXACT_N JSON requests at 32 connections, every one completed"
    probe exact --key bench-exact-secret --n "$EXACT_N" --concurrency 32 "gateway=$GW_CHAT"
}

# ------------------------------------------------------------------------------------------------ main ---
begin_run() {  # tools checked, results folder made, everything started so far stopped on exit
    require_tools
    mkdir -p "$RUN/wrk"
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    log "results: $RUN"
}

main() {
    begin_run
    {
        echo "date $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "jar $JAR"
        echo "jar_sha256 $(sha256sum "$JAR" | cut -c1-16)"
        echo "java $("$JAVA_BIN/java" -version 2>&1 | head -1)"
        echo "jvm_opts $JVM_OPTS (MALLOC_ARENA_MAX=$GW_MALLOC_ARENA_MAX)"
        echo "nginx $(nginx -v 2>&1 | sed 's/.*version: //')"
        echo "cpus $(nproc)"
        echo "loadavg_start $(cut -d' ' -f1-3 /proc/loadavg)"
        echo "cpustat_start $(head -1 /proc/stat | cut -d' ' -f3-)"  # machine-wide, for the steal share of the run
        echo "bench_start_epoch $(date +%s)"
    } > "$RUN/facts.txt"
    # The jar under test is copied: a rebuild of target/ during the run cannot swap it between launches.
    cp "$JAR" "$RUN/gateway-under-test.jar"
    JAR=$RUN/gateway-under-test.jar

    start_mocks
    start_nginx_floor
    train_aot_cache
    measure_startup
    create_keys
    warm_up
    rounds
    overload
    first_chunk
    exact_accounting_load
    {
        echo "rss_kb_gateway $(rss_kb gateway)"
        echo "rss_kb_nginx $(rss_kb nginx)"
        echo "loadavg_end $(cut -d' ' -f1-3 /proc/loadavg)"
        echo "cpustat_end $(head -1 /proc/stat | cut -d' ' -f3-)"
        echo "gateway_cpu_total_us $(cpu_us gateway)"
    } >> "$RUN/facts.txt"
    thread_cpu
    profile  # after RSS was read: a JFR recording grows the heap and native memory
    log "accounting: waiting up to ${EVENTS_WAIT_S} s for the events"
    python3 "$BENCH_DIR/report.py" accounting "$RUN" "http://127.0.0.1:$ADMIN_PORT" "$EVENTS_WAIT_S"
    python3 "$BENCH_DIR/report.py" summary "$RUN" "$BENCH_DIR/results/$STAMP.json"
    if [[ $KEEP_DATA != 1 ]]; then  # the data folders go in cleanup; kept when the run fails, or with KEEP_DATA=1
        stop_pid "$GW_PID"; GW_PID=""
        rm -rf "$RUN/gateway-under-test.jar" "$RUN/gateway.aot" "$RUN/gateway.jsa"
    fi
}

# Sourced (bench/focus.sh), only the functions are defined.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
