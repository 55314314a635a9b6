#!/usr/bin/env bash
# eddy demo: runs the pipeline on a temp data folder, every event round-trips,
# and a second run on the same folder reads only its own events.
. "$(dirname "$0")/lib.sh"

run_status "$EDDY" demo --data-dir "$T/data" --events 3000
echo "$OUT"
echo "$ERR" >&2
expect_eq "demo exits 0" 0 "$STATUS"
expect_contains "demo acknowledges every event" "acknowledged 3000, failed 0" "$OUT"
expect_contains "demo reads every event back" "consumed 3000 events" "$OUT"
expect_contains "demo captures every event into the lake" "captured 3000 events into" "$OUT"
expect_contains "demo shows the capture files" "eddy/telemetry/" "$OUT"
expect_contains "demo completes" "demo complete" "$OUT"
expect_contains "the live query prints windows as they close" "window_end" "$OUT"
live=$(echo "$OUT" | awk '/^(ok|warn|error) +[0-9]+ .*Z$/ { s += $2 } END { print s }')
expect_eq "the live query's windows count every event" 3000 "$live"
expect_contains "the batch query over the lake counts every event" \
    "the lake holds 3000 events of this run (3000 acknowledged)" "$OUT"

run_status "$EDDY" demo --data-dir "$T/data" --events 1000
expect_eq "second demo run exits 0" 0 "$STATUS"
expect_contains "second run reads its own events" "consumed 1000 events" "$OUT"
test -f "$T/data/hubs/telemetry/hub.meta" && meta=yes || meta=no
expect_eq "the demo's hub is in the data folder" yes "$meta"

run_status "$EDDY" demo --events 0
expect_eq "bad --events exits 2" 2 "$STATUS"
finish
