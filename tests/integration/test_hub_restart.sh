#!/usr/bin/env bash
# Restart: events produced before a graceful stop (SIGTERM) are all still
# there after the hub starts again on the same data folder (same bytes, same
# offsets, same end offsets), and new events continue at the next offsets.
# Before: kafka-python, snappy (xerial framing). After: confluent-kafka, zstd.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"

TOPIC=restart-events
start_hub --auto-create off

# One set, split in two, so that per-key order is checked across the restart.
"$PY" "$CLIENTS/dataset.py" gen --name restart --count 8000 --binary --out "$T/all.jsonl"
head -n 5000 "$T/all.jsonl" >"$T/before.jsonl"
tail -n +5001 "$T/all.jsonl" >"$T/after.jsonl"

run_client "kafka-python admin creates $TOPIC with 4 partitions" \
    "$PY" "$CLIENTS/kafka_python_client.py" create --port "$HUB_PORT" --topic "$TOPIC" --partitions 4
run_client "kafka-python produces 5,000 events (snappy)" \
    "$PY" "$CLIENTS/kafka_python_client.py" produce --port "$HUB_PORT" --topic "$TOPIC" \
    --set "$T/before.jsonl" --compression snappy --acks-out "$T/acks-before.jsonl"
run_client "kafka-python reads them back before the restart" \
    "$PY" "$CLIENTS/kafka_python_client.py" consume --port "$HUB_PORT" --topic "$TOPIC" \
    --out "$T/dump-before.jsonl" --offsets-out "$T/offsets-before.json" --expect-partitions 4
verify_dump "before the restart" --set "$T/before.jsonl" --dump "$T/dump-before.jsonl" \
    --acks "$T/acks-before.jsonl"

echo "== stop the hub (SIGTERM) and start it again on the same data folder"
stop_hub
expect_contains "the hub logged a clean stop" "event=hub.stopped" "$(cat "$HUB_LOG")"
start_hub --auto-create off

run_client "kafka-python reads everything after the restart" \
    "$PY" "$CLIENTS/kafka_python_client.py" consume --port "$HUB_PORT" --topic "$TOPIC" \
    --out "$T/dump-restarted.jsonl" --offsets-out "$T/offsets-restarted.json" --expect-partitions 4
expect_eq "start and end offsets survive the restart" \
    "$(cat "$T/offsets-before.json")" "$(cat "$T/offsets-restarted.json")"
verify_dump "after the restart" --set "$T/before.jsonl" --dump "$T/dump-restarted.jsonl" \
    --acks "$T/acks-before.jsonl"

run_client "confluent-kafka produces 3,000 more events (zstd)" \
    "$PY" "$CLIENTS/confluent_client.py" produce --port "$HUB_PORT" --topic "$TOPIC" \
    --set "$T/after.jsonl" --compression zstd --acks-out "$T/acks-after.jsonl" \
    --partitioner murmur2_random # place keys where kafka-python did

# The first new offset of each partition is the end offset from before the restart.
continues=$("$PY" - "$T/offsets-before.json" "$T/acks-after.jsonl" <<'PY'
import json, sys
end = {int(p): o for p, o in json.load(open(sys.argv[1]))["end"].items()}
first = {}
for line in open(sys.argv[2]):
    a = json.loads(line)
    first[a["p"]] = min(first.get(a["p"], a["o"]), a["o"])
bad = ["p%d: first new offset %s, end before %s" % (p, first.get(p), end[p])
       for p in sorted(end) if first.get(p) != end[p]]
print("; ".join(bad) or "yes")
PY
)
expect_eq "new events continue at the next offset of every partition" yes "$continues"

run_client "kafka-python reads old and new events" \
    "$PY" "$CLIENTS/kafka_python_client.py" consume --port "$HUB_PORT" --topic "$TOPIC" \
    --out "$T/dump-all.jsonl" --expect-partitions 4
verify_dump "old and new events" --set "$T/before.jsonl" --set "$T/after.jsonl" \
    --dump "$T/dump-all.jsonl" --acks "$T/acks-after.jsonl" --acks-base 5000
expect_codec "$TOPIC" "snappy,zstd"

echo "== a second graceful restart right after producing"
stop_hub
start_hub --auto-create off
run_client "kafka-python reads everything after the second restart" \
    "$PY" "$CLIENTS/kafka_python_client.py" consume --port "$HUB_PORT" --topic "$TOPIC" \
    --out "$T/dump-all-2.jsonl" --expect-partitions 4
verify_dump "after the second restart" --set "$T/before.jsonl" --set "$T/after.jsonl" \
    --dump "$T/dump-all-2.jsonl"

hub_alive "after the restarts"
hub_no_errors
finish
