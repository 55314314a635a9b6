#!/usr/bin/env bash
# Disk full: the hub's data folder is a small tmpfs. Produce gets
# KAFKA_STORAGE_ERROR, nothing already stored is damaged, the hub keeps
# serving, and writes resume when space returns. Needs root (mount); exits
# 77 (skipped) without it.
. "$(dirname "$0")/lib.sh"

MNT=$T/mnt
mkdir -p "$MNT"
if ! mount -t tmpfs -o size=6m tmpfs "$MNT" 2>/dev/null; then
    echo "cannot mount a tmpfs here (not root?): skipped"
    exit 77
fi
trap 'umount -l "$MNT" 2>/dev/null; cleanup' EXIT INT TERM

# Leave about 2.5 MiB of room for the log; the filler gives space back later.
dd if=/dev/zero of="$MNT/filler" bs=1M count=3 status=none
PORT=$(free_port)
spawn "$EDDY" hub --listen 127.0.0.1:$PORT --data-dir "$MNT/data" --partitions 1 \
    --segment-bytes 1MiB
HUB=$SPAWNED
wait_port "$PORT"
PY=/usr/bin/python3
CLIENT="$(dirname "$0")/disk_full.py"

run_status $PY "$CLIENT" 127.0.0.1:$PORT full fill "$T/state.json"
echo "$OUT"
expect_eq "produce into a full disk gets KafkaStorageError" 0 "$STATUS"
kill -0 "$HUB" 2>/dev/null && alive=yes || alive=no
expect_eq "hub alive after disk full" yes "$alive"

rm -f "$MNT/filler"
run_status $PY "$CLIENT" 127.0.0.1:$PORT full resume "$T/state.json"
echo "$OUT"
expect_eq "writes resume when space returns" 0 "$STATUS"

run_status $PY "$CLIENT" 127.0.0.1:$PORT full verify "$T/state.json"
echo "$OUT"
expect_eq "every acknowledged event is there exactly once" 0 "$STATUS"

# And after a restart, the same.
kill -TERM "$HUB"
for _ in $(seq 100); do kill -0 "$HUB" 2>/dev/null || break; sleep 0.1; done
spawn "$EDDY" hub --listen 127.0.0.1:$PORT --data-dir "$MNT/data" --partitions 1 \
    --segment-bytes 1MiB
wait_port "$PORT"
run_status $PY "$CLIENT" 127.0.0.1:$PORT full verify "$T/state.json"
echo "$OUT"
expect_eq "acknowledged events survive a restart" 0 "$STATUS"
finish
