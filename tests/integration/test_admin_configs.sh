#!/usr/bin/env bash
# Admin config APIs (CreateTopics with configs, DescribeConfigs for topics and
# the broker, AlterConfigs) and live retention after a config change.
. "$(dirname "$0")/lib.sh"

PORT=$(free_port)
spawn "$EDDY" hub --listen 127.0.0.1:$PORT --data-dir "$T/data" --retention-check 200ms
HUB=$SPAWNED
wait_port "$PORT"
run_status /usr/bin/python3 "$(dirname "$0")/admin_configs.py" 127.0.0.1:$PORT
echo "$OUT"
[ -z "$ERR" ] || echo "$ERR" >&2
expect_eq "admin config checks pass" 0 "$STATUS"
kill -0 "$HUB" 2>/dev/null && alive=yes || alive=no
expect_eq "hub alive" yes "$alive"
finish
