#!/usr/bin/env bash
# eddy produce, telemetry generator: 50,000 events into a 4-partition hub;
# kafka-python (not eddy) reads back exactly 50,000, every body JSON with the
# documented fields, keyed by deviceId, each device in one partition; the
# summary's delivered count and bytes equal what the hub holds. Then the
# same with zstd and acks=1, read back with eddy consume.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"
CHECK="$(dirname "$0")/produce_check.py"
start_hub --partitions 4
B=127.0.0.1:$HUB_PORT

run_client_to "$T/summary.json" "eddy produce --count 50000 exits 0" \
    "$EDDY" produce --hub telemetry --bootstrap "$B" --count 50000 --summary json
cat "$T/summary.json"
run_client "kafka-python reads exactly 50,000 valid events, one partition per device" \
    "$PY" "$CHECK" telemetry --port "$HUB_PORT" --topic telemetry --expect 50000 --partitions 4 \
    --summary "$T/summary.json"

run_client_to "$T/summary2.json" "eddy produce --compression zstd --acks 1 exits 0" \
    "$EDDY" produce --hub telemetry-zstd --bootstrap "$B" --count 5000 --devices 7 \
    --compression zstd --acks 1 --seed 9 --summary json -q
expect_codec telemetry-zstd zstd
run_status "$EDDY" consume --hub telemetry-zstd --bootstrap "$B" --from earliest --until-end
expect_eq "eddy consume reads the 5000 zstd events" 5000 "$(printf '%s\n' "$OUT" | grep -c .)"
devices=$(printf '%s\n' "$OUT" | "$PY" -c '
import json, sys
seen = {}
for line in sys.stdin:
    o = json.loads(line)
    seen.setdefault(o["key"], set()).add(o["partition"])
    assert o["body"]["deviceId"] == o["key"], o
print(len(seen), max(len(p) for p in seen.values()))')
expect_eq "7 devices, each in one partition" "7 1" "$devices"

hub_alive "after eddy produce"
hub_no_errors
finish
