#!/usr/bin/env bash
# kafka-python 2.0.2 (Debian) against the real hub: admin CreateTopics with 4
# partitions, 10,000 keyed events with binary keys and per-event headers,
# lz4-compressed, acks=all; read back from the earliest offset without a group
# (group_id=None, assign()); same bytes, same headers, per-key order, exact
# count, and every delivery report's (partition, offset) holds that event.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"

TOPIC=kafka-python-events
start_hub --auto-create off --partitions 1

"$PY" "$CLIENTS/dataset.py" gen --name kafka-python --count 10000 --binary --out "$T/set.jsonl"

run_client "kafka-python admin creates $TOPIC with 4 partitions" \
    "$PY" "$CLIENTS/kafka_python_client.py" create --port "$HUB_PORT" --topic "$TOPIC" --partitions 4
run_client "kafka-python produces 10,000 keyed events (lz4, headers)" \
    "$PY" "$CLIENTS/kafka_python_client.py" produce --port "$HUB_PORT" --topic "$TOPIC" \
    --set "$T/set.jsonl" --compression lz4 --acks-out "$T/acks.jsonl"
run_client "kafka-python reads the hub from the beginning (no group)" \
    "$PY" "$CLIENTS/kafka_python_client.py" consume --port "$HUB_PORT" --topic "$TOPIC" \
    --out "$T/dump.jsonl" --expect-partitions 4
verify_dump "kafka-python read back" --set "$T/set.jsonl" --dump "$T/dump.jsonl" --acks "$T/acks.jsonl"

expect_codec "$TOPIC" lz4
hub_alive "after kafka-python"
hub_no_errors
finish
