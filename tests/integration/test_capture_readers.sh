#!/usr/bin/env bash
# Capture, read by three independent Avro readers: 100,000 keyed events with
# headers (some keyless, some with a null body, some not UTF-8) go into a
# 4-partition hub captured with a 2 s window (deflate). The lake is then read
# with python3-avro's DataFileReader, avro-c's avrocat and avsc (npm): each
# must hold every event of the log exactly once, with the same key, body and
# headers; python also checks the Event Hubs fields of every event and that
# each event's enqueued time lies in its file's window.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"
need_node_modules avsc
command -v avrocat >/dev/null || { echo "FAIL: avrocat (avro-bin) is not installed" >&2; exit 1; }

LAKE=$T/lake
TOPIC=telemetry
CHECK="$CLIENTS/capture_check.py"
start_hub --capture-dir "$LAKE" --capture-interval 2 --partitions 4

run_client "confluent-kafka produces 100000 keyed events with headers" \
    "$PY" "$CHECK" produce --port "$HUB_PORT" --topic "$TOPIC" --count 100000
run_client "the lake catches up with the log" \
    "$PY" "$CHECK" wait --lake "$LAKE" --hub "$TOPIC" --port "$HUB_PORT" --topic "$TOPIC" --timeout 120
run_client "the log, read back with confluent-kafka" \
    "$PY" "$CHECK" log --port "$HUB_PORT" --topic "$TOPIC" --out "$T/log.jsonl"

for reader in python avrocat avsc; do
    extra=()
    [ "$reader" = python ] && extra=(--interval 2 --files-out "$T/files.txt")
    run_client "$reader reads every capture file" \
        "$PY" "$CHECK" lake --lake "$LAKE" --hub "$TOPIC" --reader "$reader" --out "$T/$reader.jsonl" "${extra[@]}"
    run_client "$reader: every event of the log exactly once, same key, body and headers" \
        "$PY" "$CHECK" compare --truth "$T/log.jsonl" --got "$T/$reader.jsonl" --what "$reader"
done

run_client "eddy lake verify: every event of the log exactly once in the lake" \
    "$EDDY" lake verify --hub "$TOPIC" --lake "$LAKE" --bootstrap "127.0.0.1:$HUB_PORT"
run_status "$EDDY" lake ls "$LAKE"
printf '%s\n' "$OUT" | sed 's/^/    /'
total=$(printf '%s\n' "$OUT" | awk '$1 ~ /^eddy\/telemetry\// { n += $3 } END { print n + 0 }')
expect_eq "eddy lake ls counts every event" 100000 "$total"

# The layout: {ns}/{hub}/{partition}/YYYY/MM/DD/hh/mm/ss.avro, named for
# window starts (multiples of 2 s), every partition captured.
bad=$(grep -v -E '^eddy/telemetry/[0-3]/[0-9]{4}/[0-9]{2}/[0-9]{2}/[0-9]{2}/[0-9]{2}/[0-9]{2}\.avro [0-9]+$' "$T/files.txt" || true)
expect_eq "every file follows the Event Hubs Capture path layout" "" "$bad"
odd=$(awk '{ n = split($1, a, "/"); s = substr(a[n], 1, 2) + 0; if (s % 2) print $1 }' "$T/files.txt")
expect_eq "file names are 2 s window starts" "" "$odd"
parts=$(cut -d/ -f3 "$T/files.txt" | sort -u | tr '\n' ' ')
expect_eq "all four partitions have files" "0 1 2 3 " "$parts"
hub_alive "after capture"
stop_hub
tmp=$(find "$LAKE" -name '*.tmp' | wc -l)
expect_eq "no temporary file is left after the hub stopped" 0 "$tmp"
hub_no_errors
finish
