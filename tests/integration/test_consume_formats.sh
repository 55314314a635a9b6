#!/usr/bin/env bash
# eddy consume: the JSON format (keys, headers, JSON/text/binary bodies from
# kafka-python), --from earliest/latest/OFFSET/-N/@TIME, --partition,
# --count, --until-end, and clear errors for bad arguments.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"
CHECK="$(dirname "$0")/produce_check.py"
start_hub --partitions 2
B=127.0.0.1:$HUB_PORT

run_client "confluent-kafka sends mixed events" "$PY" "$CHECK" send-mixed --port "$HUB_PORT" --topic mixed
run_client_to "$T/mixed.jsonl" "eddy consume --from earliest --until-end" \
    "$EDDY" consume --hub mixed --bootstrap "$B" --from earliest --until-end
run_client "keys, headers and bodies are rendered as documented" "$PY" "$CHECK" check-mixed "$T/mixed.jsonl"

# 100 events into partition 0 of hub pos.
run_client "eddy produce 100 events to partition 0" \
    "$EDDY" produce --hub pos --bootstrap "$B" --count 100 --partition 0 -q
offsets() { printf '%s\n' "$OUT" | "$PY" -c '
import json, sys
o = [json.loads(l)["offset"] for l in sys.stdin if l.strip()]
print("%d %s %s" % (len(o), o[0] if o else "-", o[-1] if o else "-"))'; }
run_status "$EDDY" consume --hub pos --bootstrap "$B" --partition 0 --from 90 --until-end
expect_eq "--from 90: offsets 90..99" "10 90 99" "$(offsets)"
run_status "$EDDY" consume --hub pos --bootstrap "$B" --partition 0 --from -5 --until-end
expect_eq "--from -5: the last five" "5 95 99" "$(offsets)"
run_status "$EDDY" consume --hub pos --bootstrap "$B" --from earliest --count 7
expect_eq "--count 7" "7 0 6" "$(offsets)"
run_status "$EDDY" consume --hub pos --bootstrap "$B" --from latest --until-end
expect_eq "--from latest --until-end: nothing, exit 0" "0 0" "$STATUS $(printf '%s' "$OUT" | grep -c . || true)"
run_status "$EDDY" consume --hub pos --bootstrap "$B" --partition 0 --from 1000 --until-end
expect_eq "--from past the end: nothing" "0" "$(printf '%s' "$OUT" | grep -c . || true)"
expect_contains "--from past the end says where it starts" "holds offsets 0..99; starting at 100" "$ERR"
run_status "$EDDY" consume --hub pos --bootstrap "$B" --from earliest --until-end --format json
run_client_to "$T/pos.jsonl" "eddy consume pos as JSON" \
    "$EDDY" consume --hub pos --bootstrap "$B" --from earliest --until-end
run_client "every JSON line has the documented fields" "$PY" "$CHECK" jsonl "$T/pos.jsonl" --expect 100

# @TIME: only what was appended at or after the time.
run_client "batch one" "$EDDY" produce --hub timed --bootstrap "$B" --count 50 -q
sleep 1.2
at=$("$PY" -c 'import datetime; print(datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z")')
sleep 0.2
run_client "batch two" "$EDDY" produce --hub timed --bootstrap "$B" --count 30 -q
run_status "$EDDY" consume --hub timed --bootstrap "$B" --from "@$at" --until-end
check=$(printf '%s\n' "$OUT" | "$PY" -c '
import json, sys
t = sys.argv[1]
o = [json.loads(l) for l in sys.stdin if l.strip()]
print(len(o), all(x["enqueuedTime"] >= t for x in o))' "$at")
expect_eq "--from @TIME reads the 30 events appended after it" "30 True" "$check"

# Errors.
run_status "$EDDY" consume --hub pos --bootstrap "$B" --from sometime
expect_eq "bad --from exits 2" 2 "$STATUS"
expect_contains "bad --from message" "bad --from 'sometime'" "$ERR"
run_status "$EDDY" consume --hub pos --bootstrap "$B" --from @2026-13-01
expect_eq "bad @TIME exits 2" 2 "$STATUS"
run_status "$EDDY" consume --hub pos --bootstrap "$B" --partition 9 --until-end
expect_eq "a partition the hub lacks exits 1" 1 "$STATUS"
expect_contains "names the partitions" "has 2 partitions (0..1); there is no 9" "$ERR"
run_status "$EDDY" consume --hub pos --bootstrap "$B" --partition 0 --group g
expect_eq "--partition with --group exits 2" 2 "$STATUS"
run_status "$EDDY" consume --bootstrap "$B"
expect_eq "no --hub exits 2" 2 "$STATUS"
run_status "$EDDY" consume --hub pos --bootstrap "$B" --format xml
expect_eq "bad --format exits 2" 2 "$STATUS"
run_status "$EDDY" consume --hub no-such-hub --bootstrap "$B" --until-end
expect_eq "a missing hub exits 1" 1 "$STATUS"
expect_contains "a missing hub is named" "event hub 'no-such-hub' does not exist" "$ERR"

hub_no_errors
finish
