#!/usr/bin/env bash
# eddy produce rate control: --rate 2000 --duration 5 sends 10,000 events
# within 2%, and the summary's figures (delivered, bytes) equal what
# kafka-python reads from the hub; --rate 1 over 3.5 s sends 4 (at 0, 1, 2
# and 3 s); --count stops a rated run exactly.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"
CHECK="$(dirname "$0")/produce_check.py"
start_hub --partitions 4
B=127.0.0.1:$HUB_PORT

run_client_to "$T/summary.json" "eddy produce --rate 2000 --duration 5" \
    "$EDDY" produce --hub rated --bootstrap "$B" --rate 2000 --duration 5 --summary json
cat "$T/summary.json"
run_client "kafka-python reads 10,000 +- 2% and the summary matches the hub" \
    "$PY" "$CHECK" count --port "$HUB_PORT" --topic rated --min 9800 --max 10200 \
    --summary "$T/summary.json"

run_client_to "$T/slow.json" "eddy produce --rate 1 --duration 3.5" \
    "$EDDY" produce --hub slow --bootstrap "$B" --rate 1 --duration 3.5 --summary json -q
run_client "1 event a second for 3.5 s is 4 events" \
    "$PY" "$CHECK" count --port "$HUB_PORT" --topic slow --min 4 --max 4 --summary "$T/slow.json"

run_client_to "$T/count.json" "eddy produce --rate 500 --count 300" \
    "$EDDY" produce --hub counted --bootstrap "$B" --rate 500 --count 300 --summary json -q
run_client "--count stops at exactly 300" \
    "$PY" "$CHECK" count --port "$HUB_PORT" --topic counted --min 300 --max 300 \
    --summary "$T/count.json"

hub_no_errors
finish
