#!/usr/bin/env bash
# confluent-kafka-python 1.7.0 on librdkafka 2.0.2 (Debian) against the real
# hub: AdminClient.create_topics with 4 partitions, 10,000 keyed events with
# binary keys and per-event headers, zstd-compressed, acks=all; read back with
# assign() from OFFSET_BEGINNING (no group join) and check.crcs on; same bytes,
# same headers, per-key order, exact count, delivery reports match the log.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"

TOPIC=confluent-events
start_hub --auto-create off --partitions 1

"$PY" "$CLIENTS/dataset.py" gen --name confluent --count 10000 --binary --out "$T/set.jsonl"

run_client "confluent-kafka admin creates $TOPIC with 4 partitions" \
    "$PY" "$CLIENTS/confluent_client.py" create --port "$HUB_PORT" --topic "$TOPIC" --partitions 4
run_client "confluent-kafka produces 10,000 keyed events (zstd, headers)" \
    "$PY" "$CLIENTS/confluent_client.py" produce --port "$HUB_PORT" --topic "$TOPIC" \
    --set "$T/set.jsonl" --compression zstd --acks-out "$T/acks.jsonl"
run_client "confluent-kafka reads the hub from the beginning (assign, no join)" \
    "$PY" "$CLIENTS/confluent_client.py" consume --port "$HUB_PORT" --topic "$TOPIC" \
    --out "$T/dump.jsonl" --expect-partitions 4
verify_dump "confluent-kafka read back" --set "$T/set.jsonl" --dump "$T/dump.jsonl" --acks "$T/acks.jsonl"

expect_codec "$TOPIC" zstd
hub_alive "after confluent-kafka"
hub_no_errors
finish
