#!/usr/bin/env bash
# kill -9 durability: an idempotent acks=all producer (confluent-kafka,
# enable.idempotence) keeps producing while the hub runs with --fsync always;
# the hub is killed with SIGKILL mid-run and started again on the same data
# folder; the producer reconnects and retries what was in flight. Afterwards
# every ACKNOWLEDGED event (delivery report without error) is in the log
# exactly once, at the partition and offset its report gave, and no event is
# stored twice.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"

TOPIC=kill9-events
start_hub --fsync always --auto-create off

run_client "kafka-python admin creates $TOPIC with 4 partitions" \
    "$PY" "$CLIENTS/kafka_python_client.py" create --port "$HUB_PORT" --topic "$TOPIC" --partitions 4

ACKS="$T/acked.jsonl"
STOP="$T/stop-producing"
: >"$ACKS"
PRODUCER_LOG="$T/spawn-${#PIDS[@]}.log"
spawn "$PY" "$CLIENTS/confluent_client.py" idem-produce --port "$HUB_PORT" --topic "$TOPIC" \
    --acks-out "$ACKS" --stop-file "$STOP" --max 400000 --progress "$T/sent"
PRODUCER=$SPAWNED

# wait_acks N SECONDS: waits until at least N deliveries are acknowledged.
wait_acks() {
    local n=$1 secs=$2
    for _ in $(seq $((secs * 10))); do
        [ "$(wc -l <"$ACKS")" -ge "$n" ] && return 0
        kill -0 "$PRODUCER" 2>/dev/null || break
        sleep 0.1
    done
    fail "fewer than $n acknowledged events after ${secs}s ($(wc -l <"$ACKS")); producer output:"
    cat "$PRODUCER_LOG" >&2
    return 1
}

wait_acks 3000 60
if kill -0 "$PRODUCER" 2>/dev/null; then
    echo "ok   the producer is running with $(wc -l <"$ACKS") acknowledged events"
else
    fail "the producer ended before the kill"
fi
echo "== kill -9 the hub mid-run"
kill9_hub
AT_KILL=$(wc -l <"$ACKS")
echo "     when the hub was killed: $AT_KILL events acknowledged, $(cat "$T/sent" 2>/dev/null || echo '?') sent"

start_hub --fsync always --auto-create off
# The producer must make progress on the restarted hub.
wait_acks $((AT_KILL + 3000)) 90
touch "$STOP"
wait_exit "$PRODUCER" 180
expect_eq "the idempotent producer ends without a failed or lost delivery" 0 "$EXIT_STATUS"
sed 's/^/    /' "$PRODUCER_LOG"
if [ "$EXIT_STATUS" = running ]; then kill -KILL "$PRODUCER" 2>/dev/null || true; fi
TOTAL=$(wc -l <"$ACKS")
if [ "$TOTAL" -gt "$AT_KILL" ]; then
    echo "ok   $TOTAL events acknowledged in all, $((TOTAL - AT_KILL)) after the restart"
else
    fail "no event acknowledged after the restart"
fi

run_client "kafka-python reads the whole hub after the crash" \
    "$PY" "$CLIENTS/kafka_python_client.py" consume --port "$HUB_PORT" --topic "$TOPIC" \
    --out "$T/dump.jsonl" --expect-partitions 4
run_status "$PY" "$CLIENTS/confluent_client.py" verify-acked --acks "$ACKS" --dump "$T/dump.jsonl"
printf '%s\n' "$OUT" | sed 's/^/  /'
expect_eq "every acknowledged event is stored exactly once" 0 "$STATUS"

expect_contains "the restarted hub recovered the logs" "event=storage.open" "$(cat "$HUB_LOG")"
hub_alive "after the crash and restart"
hub_no_errors
finish
