#!/usr/bin/env bash
# Consumer groups with a real client library against a real hub (issue 4):
#   test_groups_clients.sh confluent|cooperative|kafka-python|kafkajs|platformatic
# 3 members of one group share a 6-partition hub (disjoint, covering all);
# kill -9 of one moves its partitions to the others; every event is consumed,
# no offset skipped; a graceful close commits everything. Then the hub
# restarts (confluent: SIGTERM, the others: kill -9, a crash) and the group
# resumes exactly at its committed offsets. The scenario itself is
# tests/clients/groups_scenario.py; the members are groups_worker_*.
# Exit 77 (skipped) when a JavaScript client is not installed (npm ci).
source "$(dirname "$0")/lib.sh"

CLIENT=${1:?usage: test_groups_clients.sh CLIENT}
SRC=${EDDY_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
CLIENTS=$SRC/tests/clients
PY=/usr/bin/python3
PORT=$(free_port)
BOOT=127.0.0.1:$PORT
TOPIC=events
GROUP=g-$CLIENT
case "$CLIENT" in
    confluent) WORKER=("$PY" "$CLIENTS/groups_worker_confluent.py" "$BOOT" "$TOPIC" "$GROUP") ;;
    cooperative)
        WORKER=("$PY" "$CLIENTS/groups_worker_confluent.py" "$BOOT" "$TOPIC" "$GROUP"
            cooperative-sticky)
        ;;
    kafka-python) WORKER=("$PY" "$CLIENTS/groups_worker_kafka_python.py" "$BOOT" "$TOPIC" "$GROUP") ;;
    kafkajs | platformatic)
        pkg=kafkajs
        [ "$CLIENT" = platformatic ] && pkg=@platformatic/kafka
        if ! command -v node >/dev/null || [ ! -d "$SRC/node_modules/$pkg" ]; then
            echo "SKIP: $pkg is not installed (run npm ci in $SRC)"
            exit 77
        fi
        WORKER=(node "$CLIENTS/groups_worker.mjs" "$CLIENT" "$BOOT" "$TOPIC" "$GROUP")
        ;;
    *)
        echo "unknown client $CLIENT" >&2
        exit 2
        ;;
esac

# The hub is declared with 6 partitions, and a consumer group of its own.
cat >"$T/eddy.conf" <<CONF
auto-create = off
group-initial-rebalance-delay = 300ms
[hub $TOPIC]
partitions = 6
consumer-groups = audit
CONF

start_hub() {
    spawn "$EDDY" hub --config "$T/eddy.conf" --listen "$BOOT" --data-dir "$T/data"
    HUB_PID=$SPAWNED
    wait_port "$PORT" 30
}

# stop_hub term|kill: ends the hub (SIGTERM, bounded wait, then SIGKILL).
stop_hub() {
    if [ "$1" = term ]; then
        kill -TERM "$HUB_PID"
        for _ in $(seq 300); do kill -0 "$HUB_PID" 2>/dev/null || break; sleep 0.1; done
    fi
    kill -KILL "$HUB_PID" 2>/dev/null || true
    wait "$HUB_PID" 2>/dev/null || true
}

scenario() {
    "$PY" "$CLIENTS/groups_scenario.py" "$1" --bootstrap "$BOOT" --topic "$TOPIC" \
        --partitions 6 --group "$GROUP" --outdir "$T/groups" -- "${WORKER[@]}"
}

start_hub
if scenario group; then echo "ok   group scenario ($CLIENT)"; else fail "group scenario ($CLIENT)"; fi
if [ "$CLIENT" = confluent ]; then stop_hub term; else stop_hub kill; fi
start_hub
if scenario resume; then echo "ok   resume after restart ($CLIENT)"; else fail "resume ($CLIENT)"; fi
# The declared group exists (Empty) next to the one the clients made.
run_status "$PY" - "$BOOT" "$GROUP" <<'PYEOF'
import sys
from confluent_kafka.admin import AdminClient
a = AdminClient({"bootstrap.servers": sys.argv[1]})
print(" ".join(sorted(g.id for g in a.list_groups(timeout=60))))
PYEOF
expect_eq "ListGroups after the restart" "audit $GROUP" "$OUT"
finish
