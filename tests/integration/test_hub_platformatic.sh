#!/usr/bin/env bash
# @platformatic/kafka 1.x (flexible versions only: Metadata v9+ with topic ids,
# Produce v9+, Fetch v12+) against the real hub: Admin.createTopics with 4
# partitions, 10,000 keyed events with binary keys and per-event headers,
# lz4-compressed, acks=all. Reads, each checked for the same bytes, the same
# headers, per-key order and the exact count:
#   step "fetch-read": the client's own low-level Consumer.fetch() by topic id
#     (no group);
#   step "cross-read": kafka-python reads them without a group;
#   step "group-consume": when the hub advertises JoinGroup (ApiVersions key
#     11), a platformatic consumer group stream reads them and its committed
#     offsets are checked; otherwise the step is reported as skipped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"
need_node_modules @platformatic/kafka

TOPIC=platformatic-events
start_hub --auto-create off --partitions 1

"$PY" "$CLIENTS/dataset.py" gen --name platformatic --count 10000 --binary --out "$T/set.jsonl"

run_client "platformatic admin creates $TOPIC with 4 partitions" \
    node "$CLIENTS/platformatic_client.mjs" create --port "$HUB_PORT" --topic "$TOPIC" --partitions 4
run_client "platformatic produces 10,000 keyed events (lz4, headers)" \
    node "$CLIENTS/platformatic_client.mjs" produce --port "$HUB_PORT" --topic "$TOPIC" \
    --set "$T/set.jsonl" --compression lz4 --acks-out "$T/acks.jsonl"
expect_codec "$TOPIC" lz4

echo "== step fetch-read: platformatic's Consumer.fetch() by topic id, no group"
run_client "platformatic reads $TOPIC with Fetch by topic id" \
    node "$CLIENTS/platformatic_client.mjs" read-fetch --port "$HUB_PORT" --topic "$TOPIC" \
    --out "$T/dump-fetch.jsonl"
verify_dump "platformatic fetch read back" --set "$T/set.jsonl" --dump "$T/dump-fetch.jsonl" \
    --acks "$T/acks.jsonl"

echo "== step cross-read: kafka-python reads what platformatic produced"
run_client "kafka-python reads $TOPIC from the beginning (no group)" \
    "$PY" "$CLIENTS/kafka_python_client.py" consume --port "$HUB_PORT" --topic "$TOPIC" \
    --out "$T/dump-kafka-python.jsonl" --expect-partitions 4
verify_dump "platformatic events read by kafka-python" --set "$T/set.jsonl" \
    --dump "$T/dump-kafka-python.jsonl" --acks "$T/acks.jsonl"

echo "== step group-consume: a platformatic consumer group reads the events"
if "$PY" "$CLIENTS/kafkaraw.py" has-api --port "$HUB_PORT" 11; then
    run_client "platformatic consumer group reads $TOPIC from the beginning" \
        node "$CLIENTS/platformatic_client.mjs" consume-group --port "$HUB_PORT" --topic "$TOPIC" \
        --group eddy-platformatic-test --out "$T/dump-group.jsonl"
    verify_dump "platformatic group read back" --set "$T/set.jsonl" --dump "$T/dump-group.jsonl" \
        --acks "$T/acks.jsonl"
else
    echo "SKIP step group-consume: the hub does not advertise JoinGroup (ApiVersions key 11) yet"
fi

hub_alive "after platformatic"
hub_no_errors
finish
