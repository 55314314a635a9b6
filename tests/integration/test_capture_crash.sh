#!/usr/bin/env bash
# Exactly once across crashes: an idempotent producer sends 100,000 keyed
# events with headers at a steady rate into 4 partitions while the hub,
# capturing with a 2 s window and a 256 KiB size window (so files are also
# cut by size), is killed with SIGKILL five times at different moments and
# restarted on the same data folder. Afterwards the lake, read by
# python3-avro, avrocat and avsc, holds every event of the log exactly once
# with the same key, body and headers, and every acknowledged event is in it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"
need_node_modules avsc
command -v avrocat >/dev/null || { echo "FAIL: avrocat (avro-bin) is not installed" >&2; exit 1; }

LAKE=$T/lake
TOPIC=crash
CHECK="$CLIENTS/capture_check.py"
HUB_ARGS=(--capture-dir "$LAKE" --capture-interval 2 --capture-size 256KiB --partitions 4
    --fsync always)
start_hub "${HUB_ARGS[@]}"

ACKS=$T/acks.jsonl
: >"$ACKS"
PRODUCER_LOG="$T/spawn-${#PIDS[@]}.log"
spawn "$PY" "$CHECK" produce --port "$HUB_PORT" --topic "$TOPIC" --count 100000 --rate 6000 \
    --acks-out "$ACKS"
PRODUCER=$SPAWNED

# Kill at varied moments: 0.7 s to 2.9 s apart, so kills land while a file
# is open, while one is being renamed, between windows...
for delay in 1.3 0.7 2.9 1.9 2.3; do
    sleep "$delay"
    files=$(find "$LAKE" -name '*.avro' 2>/dev/null | wc -l)
    echo "== kill -9 the hub ($(wc -l <"$ACKS") events acknowledged, $files files so far)"
    kill9_hub
    sleep 0.3
    start_hub "${HUB_ARGS[@]}"
done

wait_exit "$PRODUCER" 180
expect_eq "the producer delivered every event despite the crashes" 0 "$EXIT_STATUS"
sed 's/^/    /' "$PRODUCER_LOG"

run_client "the lake catches up with the log" \
    "$PY" "$CHECK" wait --lake "$LAKE" --hub "$TOPIC" --port "$HUB_PORT" --topic "$TOPIC" --timeout 120
run_client "the log, read back with confluent-kafka" \
    "$PY" "$CHECK" log --port "$HUB_PORT" --topic "$TOPIC" --out "$T/log.jsonl"
logged=$(wc -l <"$T/log.jsonl")
acked=$(sort -u "$ACKS" | wc -l)
if [ "$logged" -ge "$acked" ] && [ "$acked" -ge 100000 ]; then
    echo "ok   the log holds $logged events; $acked were acknowledged"
else
    fail "the log holds $logged events but $acked were acknowledged"
fi
for reader in python avrocat avsc; do
    run_client "$reader reads every capture file" \
        "$PY" "$CHECK" lake --lake "$LAKE" --hub "$TOPIC" --reader "$reader" --out "$T/$reader.jsonl" \
        --files-out "$T/files-$reader.txt"
    run_client "$reader: after five kill -9, every event of the log exactly once" \
        "$PY" "$CHECK" compare --truth "$T/log.jsonl" --got "$T/$reader.jsonl" --what "$reader"
done
nfiles=$(wc -l <"$T/files-python.txt")
echo "     $nfiles files"
run_client "eddy lake verify: every event of the log exactly once in the lake" \
    "$EDDY" lake verify --hub "$TOPIC" --lake "$LAKE" --bootstrap "127.0.0.1:$HUB_PORT"

expect_contains "the hub restarted on its data folder" "event=storage.open" "$(cat "$HUB_LOG")"
hub_alive "after the crashes"
stop_hub
hub_no_errors
finish
