#!/usr/bin/env bash
# Bad input, each case on its own raw socket (tests/clients/bad_input.py):
# garbage bytes, truncated frames (EOF, left hanging, cut inside the body),
# size prefixes up to 2 GB, unknown API keys and versions, ApiVersions of a
# future version (KIP-511 answer), Produce with a bad CRC (CORRUPT_MESSAGE),
# with miscounted records (INVALID_RECORD), over 1 MiB (MESSAGE_TOO_LARGE).
# After every case the hub process is alive, a connection opened before all
# cases still gets answers, and a real client produces and consumes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"

TOPIC=bad-input
start_hub

run_client "kafka-python admin creates $TOPIC" \
    "$PY" "$CLIENTS/kafka_python_client.py" create --port "$HUB_PORT" --topic "$TOPIC" --partitions 4

run_status "$PY" "$CLIENTS/bad_input.py" --port "$HUB_PORT" --topic "$TOPIC" --hub-pid "$HUB_PID"
printf '%s\n' "$OUT" | sed 's/^/  /'
[ -z "$ERR" ] || printf '%s\n' "$ERR" | tail -n 30 >&2
expect_eq "every bad-input check passed" 0 "$STATUS"

# Each rejection leaves a line in the hub's log.
LOG=$(cat "$HUB_LOG")
expect_contains "the hub logs closing a connection for a bad frame" "event=conn.close" "$LOG"
expect_contains "the hub logs the corrupt batch" "err=CORRUPT_MESSAGE" "$LOG"
expect_contains "the hub logs the oversized batch" "err=MESSAGE_TOO_LARGE" "$LOG"

hub_alive "after all the bad input"
hub_no_errors
finish
