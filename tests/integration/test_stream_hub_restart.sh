#!/usr/bin/env bash
# A streaming query outlives its hub: the hub is killed with kill -9 while a
# query reads it, and started again on the same port and data folder; the
# query reconnects (its own fetch path and librdkafka's group), and once
# more events arrive and its windows close it has counted every event
# acknowledged, before and after the crash, exactly once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"

start_hub --partitions 2
BOOT="127.0.0.1:$HUB_PORT"
run_client "hub t" "$EDDY" hubs create --bootstrap "$BOOT" t --partitions 2
run_client "5000 events before" "$EDDY" produce --hub t --bootstrap "$BOOT" --count 5000 \
    --seed 1 --quiet
spawn "$EDDY" query --bootstrap "$BOOT" --from earliest --group live --idle-timeout 1s \
    --late-arrival 1s --format csv --out "$T/live.csv" \
    "SELECT PartitionId, COUNT(*) AS n, System.Timestamp() AS wend FROM hub('t')
     GROUP BY PartitionId, TumblingWindow(second, 1)"
QUERY=$SPAWNED
sleep 3
kill9_hub
start_hub --partitions 2
run_client "5000 events after the restart" "$EDDY" produce --hub t --bootstrap "$BOOT" \
    --count 5000 --seed 2 --quiet
# the windows close by the idle timeout once the events stop
n=0
for _ in $(seq 150); do
    n=$(awk -F, 'NR > 1 { s += $2 } END { print s + 0 }' "$T/live.csv" 2>/dev/null || echo 0)
    [ "$n" -ge 10000 ] && break
    sleep 0.2
done
sleep 1.5
kill -0 "$QUERY" 2>/dev/null && echo "ok   the query is still running" ||
    fail "the query ended when the hub went away"
kill -TERM "$QUERY"
wait_exit "$QUERY" 30
expect_eq "the query stops on SIGTERM with status 0" 0 "$EXIT_STATUS"
expect_eq "every acknowledged event counted once" 10000 \
    "$(awk -F, 'NR > 1 { s += $2 } END { print s + 0 }' "$T/live.csv")"
stop_hub
finish
