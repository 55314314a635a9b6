#!/usr/bin/env bash
# The group coordinator's error codes with hand-built requests
# (tests/clients/groups_raw.py: unknown member, stale generation, protocol
# mismatch, static fencing, wrong coordinator, ...), then a real client
# recovering by itself: a confluent-kafka member frozen past its session
# timeout is expelled and, thawed, rejoins and consumes again.
source "$(dirname "$0")/lib.sh"

SRC=${EDDY_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
CLIENTS=$SRC/tests/clients
PY=/usr/bin/python3
PORT=$(free_port)
BOOT=127.0.0.1:$PORT

cat >"$T/eddy.conf" <<CONF
auto-create = off
[hub events]
partitions = 6
CONF
spawn "$EDDY" hub --config "$T/eddy.conf" --listen "$BOOT" --data-dir "$T/data"
HUB_PID=$SPAWNED
wait_port "$PORT" 30

if "$PY" "$CLIENTS/groups_raw.py" "$PORT" events; then
    echo "ok   raw group requests"
else
    fail "raw group requests"
fi
if "$PY" "$CLIENTS/groups_scenario.py" recover --bootstrap "$BOOT" --topic events \
    --partitions 6 --group recovering --outdir "$T/groups" -- \
    "$PY" "$CLIENTS/groups_worker_confluent.py" "$BOOT" events recovering; then
    echo "ok   an expelled member recovers by itself"
else
    fail "recovery of an expelled member"
fi
if kill -0 "$HUB_PID" 2>/dev/null; then echo "ok   hub alive"; else fail "the hub died"; fi
finish
