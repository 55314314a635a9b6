#!/usr/bin/env bash
# kcat 1.7.1 (librdkafka 2.0.2) against the real hub: 10,000 keyed events with
# headers, snappy-compressed (librdkafka writes raw snappy), read back from the
# earliest offset without a consumer group; same bytes, same headers, per-key
# order, exact count. kcat has no admin API: kafka-python's admin creates the
# hub (auto-creation is off, so a missing create would fail the produce).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"

TOPIC=kcat-events
start_hub --auto-create off --partitions 1

"$PY" "$CLIENTS/dataset.py" gen --name kcat --count 10000 --headers fixed --out "$T/set.jsonl"
"$PY" "$CLIENTS/dataset.py" kcat-input "$T/set.jsonl" "$T/kcat-input.txt"

run_client "kafka-python admin creates $TOPIC with 4 partitions" \
    "$PY" "$CLIENTS/kafka_python_client.py" create --port "$HUB_PORT" --topic "$TOPIC" --partitions 4

run_status kcat -L -b "127.0.0.1:$HUB_PORT" -t "$TOPIC"
expect_contains "kcat -L sees 4 partitions" "topic \"$TOPIC\" with 4 partitions" "$OUT"

# Headers: kcat -P applies the same -H headers to every event of the run.
run_client "kcat produces 10,000 keyed events (snappy, headers)" \
    timeout 120 kcat -P -b "127.0.0.1:$HUB_PORT" -t "$TOPIC" -K $'\t' \
    -H src=kcat -H run=eddy \
    -X compression.codec=snappy -X request.required.acks=-1 -X message.timeout.ms=120000 \
    -l "$T/kcat-input.txt"

# -e: exit at the end of every partition; check.crcs: librdkafka verifies each batch CRC.
run_client_to "$T/kcat-out.json" "kcat reads the hub from the beginning (no group)" \
    timeout 120 kcat -C -b "127.0.0.1:$HUB_PORT" -t "$TOPIC" -o beginning -e -q -J \
    -X check.crcs=true -X fetch.wait.max.ms=200
"$PY" "$CLIENTS/dataset.py" kcat-dump "$T/kcat-out.json" "$T/dump.jsonl" >/dev/null
verify_dump "kcat read back" --set "$T/set.jsonl" --dump "$T/dump.jsonl"

expect_codec "$TOPIC" snappy
hub_alive "after kcat"
hub_no_errors
finish
