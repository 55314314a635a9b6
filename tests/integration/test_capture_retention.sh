#!/usr/bin/env bash
# Retention waits for capture: the lake folder cannot be written (its path
# runs through a file), so capture fails and retries. Retention (2 s) would
# delete the first, sealed segment, but holds it while capture has not
# written it, with a warning; once capture-hold (5 s) has passed beyond the
# retention period it lets go and deletes it, and says so.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"

TOPIC=held
: >"$T/not-a-folder"
cat >"$T/eddy.conf" <<CONF
capture-dir = $T/not-a-folder/lake
capture-interval = 1
capture-hold = 5s
retention = 2s
retention-check = 200ms
segment-age = 1s
partitions = 1
CONF
start_hub --config "$T/eddy.conf"

low() {
    "$PY" - "$HUB_PORT" "$TOPIC" <<'PY'
import sys
from confluent_kafka import Consumer, TopicPartition
c = Consumer({"bootstrap.servers": "127.0.0.1:" + sys.argv[1], "group.id": "retention-check"})
lo, hi = c.get_watermark_offsets(TopicPartition(sys.argv[2], 0), timeout=30)
print(lo, hi)
c.close()
PY
}

run_client "kcat writes 100 events (the first segment)" \
    bash -c "seq 1 100 | kcat -P -b 127.0.0.1:$HUB_PORT -t $TOPIC"
sleep 1.5
run_client "kcat writes 100 more (rolling the first segment by age)" \
    bash -c "seq 101 200 | kcat -P -b 127.0.0.1:$HUB_PORT -t $TOPIC"
sleep 2.5
expect_eq "past its retention, the uncaptured segment is still there" "0 200" "$(low)"
expect_contains "capture reports the failing lake folder" "event=capture.failed" "$(cat "$HUB_LOG")"
expect_contains "capture warns that it holds retention" "event=capture.holding_retention" "$(cat "$HUB_LOG")"

# retention + hold = 7 s after the first events: retention deletes.
for _ in $(seq 100); do
    [ "$(low | cut -d' ' -f1)" != 0 ] && break
    sleep 0.1
done
lo=$(low | cut -d' ' -f1)
if [ "$lo" = 100 ]; then echo "ok   after capture-hold, retention deleted the first segment"; else fail "log start is $lo, expected 100"; fi
expect_contains "capture says it released the hold" "event=capture.hold_released" "$(cat "$HUB_LOG")"
hub_alive "with a lake it cannot write"
stop_hub
finish
