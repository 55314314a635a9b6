#!/usr/bin/env bash
# bench_produce: eddy produce and eddy consume against kcat, on the same hub
# in the same run. Prints rows of bench/run.sh's table; details to stderr.
#
#   1. Throughput: one file of N telemetry lines (made by eddy produce
#      --dry-run) sent by `eddy produce --generator file:F` and by
#      `kcat -P -l F`, each into its own fresh 4-partition hub on one
#      `eddy hub`, alternating, best of ROUNDS. Both use librdkafka with
#      acks=all, idempotence, no compression and no keys; the hub runs with
#      its defaults (fsync always). events/s = N / wall time of the client
#      process (start to exit, connection and final flush included).
#   2. End-to-end latency at RATE events/s for SECONDS: `eddy produce --rate`
#      into a hub whose timestamps are the producer's (--timestamp create);
#      `eddy consume --stats` and `kcat -C` (through a small timestamping
#      reader) tail it at the same time. Latency = arrival - the event's
#      producer timestamp (milliseconds), p50 and p99.
#
# Usage: bench/bench_produce.sh [EDDY]   (default build/release/eddy)
# Knobs: EDDY_BENCH_SCALE (1 = 1,000,000 events), ROUNDS (2), RATE (10000),
#        SECONDS_LATENCY (10).
set -euo pipefail
EDDY=${1:-build/release/eddy}
EDDY=$(cd "$(dirname "$EDDY")" && pwd)/$(basename "$EDDY")
SCALE=${EDDY_BENCH_SCALE:-1}
N=$(/usr/bin/python3 -c "print(max(1000, int(1000000 * float('$SCALE'))))")
ROUNDS=${ROUNDS:-2}
RATE=${RATE:-10000}
SECS=${SECONDS_LATENCY:-10}
command -v kcat >/dev/null || { echo "bench_produce: kcat is not installed" >&2; exit 2; }

T=$(mktemp -d "${TMPDIR:-/tmp}/eddy-bench-produce.XXXXXX")
PIDS=()
cleanup() {
    for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$T"
}
trap cleanup EXIT
log() { echo "bench_produce: $*" >&2; }
free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
start_hub() { # start_hub NAME ARGS... -> sets PORT
    PORT=$(free_port)
    "$EDDY" hub --listen "127.0.0.1:$PORT" --data-dir "$T/$1" --log-level warn "${@:2}" \
        >"$T/$1.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
        sleep 0.1
    done
    log "the hub did not start"; cat "$T/$1.log" >&2; exit 1
}
now_ns() { date +%s%N; }
hub_events() { # hub_events HUB: events the hub holds
    "$EDDY" hubs describe "$1" --bootstrap "$B" | awk '/^events: / { print $2 }'
}

# 1. Throughput.
start_hub throughput
B=127.0.0.1:$PORT
"$EDDY" produce --dry-run --count "$N" --seed 1 --start-time 2026-11-24T20:00:00Z -q \
    >"$T/events.txt" 2>/dev/null
size=$(stat -c %s "$T/events.txt")
log "$N telemetry lines, $size bytes, hub on $B"
best_eddy=0 best_kcat=0
for r in $(seq "$ROUNDS"); do
    for who in eddy kcat; do
        hub=$who-$r
        "$EDDY" hubs create "$hub" --partitions 4 --bootstrap "$B" >/dev/null
        t0=$(now_ns)
        if [ "$who" = eddy ]; then
            "$EDDY" produce --hub "$hub" --bootstrap "$B" --generator "file:$T/events.txt" \
                --no-key -q --summary json >"$T/summary-$r.json"
        else
            kcat -P -b "$B" -t "$hub" -X enable.idempotence=true -X acks=all -l "$T/events.txt"
        fi
        t1=$(now_ns)
        got=$(hub_events "$hub")
        [ "$got" = "$N" ] || { log "$who round $r: the hub holds $got events, not $N"; exit 1; }
        eps=$(/usr/bin/python3 -c "print(round($N / (($t1 - $t0) / 1e9)))")
        log "round $r: $who $eps events/s ($(( (t1 - t0) / 1000000 )) ms)"
        if [ "$who" = eddy ] && [ "$eps" -gt "$best_eddy" ]; then best_eddy=$eps; fi
        if [ "$who" = kcat ] && [ "$eps" -gt "$best_kcat" ]; then best_kcat=$eps; fi
    done
done
log "eddy produce's own summary (last round): $(cat "$T/summary-$ROUNDS.json")"
/usr/bin/python3 -c "
e, k = $best_eddy, $best_kcat
print('| produce: events/s, %d telemetry lines from a file, acks=all | %.0f events/s | kcat -P (same file, same hub) | %.0f events/s | %.2f |' % ($N, e, k, e / k))"

# 2. End-to-end latency at RATE events/s.
start_hub latency --timestamp create
B=127.0.0.1:$PORT
"$EDDY" hubs create lat --partitions 4 --bootstrap "$B" >/dev/null
count=$((RATE * SECS))
"$EDDY" consume --hub lat --bootstrap "$B" --from latest --count "$count" --stats --format body \
    >/dev/null 2>"$T/eddy-consume.err" &
eddy_consumer=$!
PIDS+=($eddy_consumer)
kcat -C -b "$B" -t lat -o end -u -c "$count" -f '%T\n' 2>/dev/null | /usr/bin/python3 -c '
import sys, time
lat = []
for line in sys.stdin:
    lat.append(time.time() * 1000 - int(line))
lat.sort()
n = len(lat)
print("events=%d latency_p50_ms=%.3f latency_p99_ms=%.3f latency_max_ms=%.3f" % (
    n, lat[n // 2], lat[min(n - 1, int(n * 0.99))], lat[-1]))' >"$T/kcat-consume.out" &
kcat_consumer=$!
PIDS+=($kcat_consumer)
sleep 3 # both consumers assigned and at the end
"$EDDY" produce --hub lat --bootstrap "$B" --rate "$RATE" --duration "$SECS" --no-key -q \
    --summary json >"$T/latency-produce.json"
wait "$eddy_consumer" || { log "eddy consume failed: $(cat "$T/eddy-consume.err")"; exit 1; }
wait "$kcat_consumer" || { log "kcat consumer failed"; exit 1; }
eddy_stats=$(grep -o 'events=.*' "$T/eddy-consume.err")
kcat_stats=$(cat "$T/kcat-consume.out")
log "producer at $RATE/s: $(cat "$T/latency-produce.json")"
log "eddy consume: $eddy_stats"
log "kcat -C:      $kcat_stats"
/usr/bin/python3 - "$eddy_stats" "$kcat_stats" "$RATE" <<'EOF'
import sys
def parse(s):
    return {k: float(v) for k, v in (kv.split("=") for kv in s.split())}
e, k, rate = parse(sys.argv[1]), parse(sys.argv[2]), int(sys.argv[3])
for p in ("p50", "p99"):
    ev, kv = e["latency_%s_ms" % p], k["latency_%s_ms" % p]
    print("| end-to-end latency %s at %d events/s, eddy produce -> eddy consume (lower is better; "
          "last column kcat / eddy) | %.2f ms | kcat -C (same events, same time) | %.2f ms | %.2f |"
          % (p, rate, ev, kv, kv / ev if ev > 0 else 0))
EOF
