#!/usr/bin/env bash
# kafkajs 2.2.4 against the real hub: admin.createTopics with 4 partitions,
# 10,000 keyed events with binary keys and per-event headers, gzip-compressed,
# acks=-1. kafkajs reads only through a consumer group, so:
#   step "cross-read": kafka-python reads the events back without a group;
#   step "group-consume": when the hub advertises JoinGroup (ApiVersions key
#     11), a kafkajs consumer group reads them back and its committed offsets
#     are checked; otherwise the step is reported as skipped.
# Both reads: same bytes, same headers, per-key order, exact count.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"
need_node_modules kafkajs

TOPIC=kafkajs-events
start_hub --auto-create off --partitions 1

"$PY" "$CLIENTS/dataset.py" gen --name kafkajs --count 10000 --binary --out "$T/set.jsonl"

run_client "kafkajs admin creates $TOPIC with 4 partitions" \
    node "$CLIENTS/kafkajs_client.mjs" create --port "$HUB_PORT" --topic "$TOPIC" --partitions 4
run_client "kafkajs produces 10,000 keyed events (gzip, headers)" \
    node "$CLIENTS/kafkajs_client.mjs" produce --port "$HUB_PORT" --topic "$TOPIC" \
    --set "$T/set.jsonl" --compression gzip --acks-out "$T/acks.jsonl"
expect_codec "$TOPIC" gzip

echo "== step cross-read: kafka-python reads what kafkajs produced"
run_client "kafka-python reads $TOPIC from the beginning (no group)" \
    "$PY" "$CLIENTS/kafka_python_client.py" consume --port "$HUB_PORT" --topic "$TOPIC" \
    --out "$T/dump-kafka-python.jsonl" --expect-partitions 4
verify_dump "kafkajs events read by kafka-python" --set "$T/set.jsonl" \
    --dump "$T/dump-kafka-python.jsonl" --acks "$T/acks.jsonl"

echo "== step group-consume: a kafkajs consumer group reads the events"
if "$PY" "$CLIENTS/kafkaraw.py" has-api --port "$HUB_PORT" 11; then
    run_client "kafkajs consumer group reads $TOPIC from the beginning" \
        node "$CLIENTS/kafkajs_client.mjs" consume-group --port "$HUB_PORT" --topic "$TOPIC" \
        --group eddy-kafkajs-test --out "$T/dump-group.jsonl"
    verify_dump "kafkajs group read back" --set "$T/set.jsonl" --dump "$T/dump-group.jsonl" \
        --acks "$T/acks.jsonl"
else
    echo "SKIP step group-consume: the hub does not advertise JoinGroup (ApiVersions key 11) yet"
fi

hub_alive "after kafkajs"
hub_no_errors
finish
