#!/usr/bin/env bash
# Capture codecs and empty windows, set per hub in the config file: hubs
# captured with null, deflate and snappy are read back by python3-avro,
# avrocat and avsc; a hub without events gets a valid empty file per window;
# one with capture-skip-empty gets none; one with capture = off is not
# captured.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"
need_node_modules avsc
command -v avrocat >/dev/null || { echo "FAIL: avrocat (avro-bin) is not installed" >&2; exit 1; }

LAKE=$T/lake
CHECK="$CLIENTS/capture_check.py"
cat >"$T/eddy.conf" <<CONF
# capture every hub into the lake, 1 s windows
capture-dir = $LAKE
capture-interval = 1
auto-create = off

[hub c-null]
partitions = 2
capture-codec = null

[hub c-deflate]
partitions = 2
capture-codec = deflate

[hub c-snappy]
partitions = 2
capture-codec = snappy

[hub quiet]
partitions = 1

[hub quiet-skip]
partitions = 1
capture-skip-empty = on

[hub nocap]
partitions = 1
capture = off
CONF
start_hub --config "$T/eddy.conf"

for codec in null deflate snappy; do
    run_client "confluent-kafka produces 3000 events into c-$codec" \
        "$PY" "$CHECK" produce --port "$HUB_PORT" --topic "c-$codec" --count 3000
done
run_client "kcat writes one event into nocap" \
    bash -c "echo one | kcat -P -b 127.0.0.1:$HUB_PORT -t nocap"
for codec in null deflate snappy; do
    hub=c-$codec
    run_client "the lake catches up with $hub" \
        "$PY" "$CHECK" wait --lake "$LAKE" --hub "$hub" --port "$HUB_PORT" --topic "$hub" --timeout 60
    run_client "$hub: the log" "$PY" "$CHECK" log --port "$HUB_PORT" --topic "$hub" --out "$T/$hub.log"
    for reader in python avrocat avsc; do
        extra=()
        [ "$reader" = python ] && extra=(--expect-codec "$codec" --interval 1)
        run_client "$hub: $reader reads the $codec files" \
            "$PY" "$CHECK" lake --lake "$LAKE" --hub "$hub" --reader "$reader" --out "$T/$hub.$reader" "${extra[@]}"
        run_client "$hub: $reader: every event exactly once, same key, body and headers" \
            "$PY" "$CHECK" compare --truth "$T/$hub.log" --got "$T/$hub.$reader" --what "$hub/$reader"
    done
done

# Empty windows: the quiet hub gets a file per 1 s window, all valid and
# empty; wait for at least three.
for _ in $(seq 100); do
    [ "$(find "$LAKE/eddy/quiet" -name '*.avro' 2>/dev/null | wc -l)" -ge 3 ] && break
    sleep 0.1
done
for reader in python avrocat avsc; do
    run_client "quiet: $reader reads the empty files" \
        "$PY" "$CHECK" lake --lake "$LAKE" --hub quiet --reader "$reader" --out "$T/quiet.$reader" \
        --files-out "$T/quiet-files.$reader"
    expect_eq "quiet: $reader finds no event" 0 "$(wc -l <"$T/quiet.$reader")"
done
nq=$(wc -l <"$T/quiet-files.python")
if [ "$nq" -ge 3 ]; then echo "ok   quiet: $nq empty files, one per window"; else fail "quiet: only $nq empty files"; fi
nonempty=$(awk '$2 != 0' "$T/quiet-files.python")
expect_eq "quiet: every file holds zero events" "" "$nonempty"
expect_eq "quiet-skip: no file for empty windows" 0 "$(find "$LAKE/eddy/quiet-skip" -name '*.avro' 2>/dev/null | wc -l)"
expect_eq "nocap: capture = off writes nothing" 0 "$(find "$LAKE/eddy/nocap" -name '*.avro' 2>/dev/null | wc -l)"

hub_alive "after capture"
stop_hub
hub_no_errors
finish
