#!/usr/bin/env bash
# hub('T') --until-end = lake('LAKE') = DuckDB: 20,000 telemetry events go
# through a hub of 4 partitions that captures them into the lake (2 s
# windows), spread over several seconds of enqueued time. Each query runs
#   (a) streaming over the live hub: eddy query --from earliest --until-end,
#   (b) as a batch query over the lake,
#   (c) in DuckDB over the same events read back with eddy consume,
# and the three give the same rows (sorted; doubles within 1e-9 relative).
# Windows are on the enqueued time (the default event time, which is also
# the arrival time: no event is late or out of order), so streaming closes
# exactly the windows the batch query computes; ASA windows are
# (end - size, end], hence the - 1 µs in DuckDB's buckets.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"

SRC=$EDDY_SOURCE_DIR
if [ ! -d "$SRC/node_modules/@duckdb/node-api" ]; then
    echo "SKIP: @duckdb/node-api is not installed in $SRC/node_modules (tools/install-deps.sh)"
    exit 77
fi

LAKE=$T/lake
BOOT=127.0.0.1:$HUB_PORT
start_hub --capture-dir "$LAKE" --capture-interval 2 --partitions 4
# 2,500 events/s: about 8 s of enqueued time, so several windows of each size.
run_client "eddy produce sends 20000 telemetry events" \
    "$EDDY" produce --hub T --bootstrap "$BOOT" --generator telemetry -n 20000 --rate 2500 \
    --devices 50 --seed 5 --quiet
for _ in $(seq 150); do
    "$EDDY" lake verify --hub T --lake "$LAKE" --bootstrap "$BOOT" >/dev/null 2>&1 && break
    sleep 0.2
done
run_client "the lake holds the log exactly once" \
    "$EDDY" lake verify --hub T --lake "$LAKE" --bootstrap "$BOOT"
run_client_to "$T/events.jsonl" "eddy consume dumps the events with partitions, offsets, times" \
    "$EDDY" consume --hub T --bootstrap "$BOOT" --from earliest --until-end --format json
expect_eq "the dump holds every event" 20000 "$(wc -l <"$T/events.jsonl")"

# same_rows WHAT EDDY-QUERY DUCKDB-QUERY: SRC in EDDY-QUERY is the hub, then
# the lake; DuckDB reads the table ev (stream_duck.mjs).
N=0
same_rows() {
    local what=$1 q=$2 d=$3 hub_src="hub('T')" lake_src="lake('$LAKE')"
    N=$((N + 1))
    local a=$T/q$N.hub.csv b=$T/q$N.lake.csv
    run_client_to "$a" "$what: streaming over the hub" \
        "$EDDY" query --bootstrap "$BOOT" --from earliest --until-end --format csv "${q//SRC/$hub_src}" ||
        return 0
    STREAM_ERR=$ERR
    run_client_to "$b" "$what: batch over the lake" "$EDDY" query --format csv "${q//SRC/$lake_src}" ||
        return 0
    run_client "$what: the hub, the lake and DuckDB agree" \
        node "$SRC/tests/integration/stream_duck.mjs" "$SRC" "$T/events.jsonl" "$d" "$a" "$b" || true
}

# DuckDB's window ends: ASA's windows are (end - size, end].
end5="time_bucket(INTERVAL 5 SECOND, EventEnqueuedUtcTime - INTERVAL 1 MICROSECOND) + INTERVAL 5 SECOND"
end1="time_bucket(INTERVAL 1 SECOND, EventEnqueuedUtcTime - INTERVAL 1 MICROSECOND) + INTERVAL 1 SECOND"

same_rows "per device, tumbling 5 s" \
    "SELECT deviceId, System.Timestamp() AS wend, COUNT(*) AS n, AVG(temperature) AS t, MIN(humidity) AS lo, MAX(humidity) AS hi FROM SRC TIMESTAMP BY EventEnqueuedUtcTime GROUP BY deviceId, TumblingWindow(second, 5)" \
    "SELECT deviceId, $end5 AS wend, COUNT(*) AS n, AVG(temperature) AS t, MIN(humidity) AS lo, MAX(humidity) AS hi FROM ev GROUP BY 1, 2"
# Every event was counted once, and none was late or out of order.
expect_contains "streaming read every event, none late, out of order, adjusted or dropped" \
    "20000 events read, 20000 rows in; late 0, out of order 0, adjusted 0, dropped 0, bad 0" \
    "$STREAM_ERR"

same_rows "per status, hopping 10 s every 5 s" \
    "SELECT status, System.Timestamp() AS wend, COUNT(*) AS n, SUM(seq) AS s, MAX(temperature) AS hi FROM SRC TIMESTAMP BY EventEnqueuedUtcTime GROUP BY status, HoppingWindow(second, 10, 5)" \
    "SELECT status, wend, COUNT(*) AS n, CAST(SUM(seq) AS BIGINT) AS s, MAX(temperature) AS hi FROM (SELECT status, seq, temperature, $end5 AS wend FROM ev UNION ALL SELECT status, seq, temperature, $end5 + INTERVAL 5 SECOND FROM ev) GROUP BY 1, 2"

# Without TIMESTAMP BY: the enqueued time is the default on both sides.
same_rows "per partition, tumbling 1 s, default event time" \
    "SELECT PartitionId, System.Timestamp() AS wend, COUNT(*) AS n, MIN(SequenceNumber) AS lo, MAX(SequenceNumber) AS hi FROM SRC GROUP BY PartitionId, TumblingWindow(second, 1)" \
    "SELECT PartitionId, $end1 AS wend, COUNT(*) AS n, MIN(SequenceNumber) AS lo, MAX(SequenceNumber) AS hi FROM ev GROUP BY 1, 2"

# A window's rows joined with an aggregate of those rows (Nexmark q5's
# shape): the join must not forget a window's rows before the second
# aggregate, one step further down, has emitted the same window.
end2="time_bucket(INTERVAL 2 SECOND, EventEnqueuedUtcTime - INTERVAL 1 MICROSECOND) + INTERVAL 2 SECOND"
same_rows "the busiest devices per hopping window (a join of two aggregates)" \
    "WITH C AS (SELECT deviceId, COUNT(*) AS n FROM SRC GROUP BY deviceId, HoppingWindow(second, 4, 2)), M AS (SELECT MAX(n) AS maxn FROM C GROUP BY System.Timestamp()) SELECT C.deviceId, C.n, System.Timestamp() AS wend FROM C JOIN M ON DATEDIFF(millisecond, C, M) BETWEEN 0 AND 0 WHERE C.n >= M.maxn" \
    "WITH e AS (SELECT deviceId, $end2 AS wend FROM ev UNION ALL SELECT deviceId, $end2 + INTERVAL 2 SECOND FROM ev), C AS (SELECT deviceId, wend, COUNT(*) AS n FROM e GROUP BY 1, 2), M AS (SELECT wend, MAX(n) AS maxn FROM C GROUP BY 1) SELECT C.deviceId, C.n, C.wend FROM C JOIN M USING (wend) WHERE C.n >= M.maxn"

same_rows "pass-through filter and project" \
    "SELECT PartitionId, SequenceNumber, deviceId, seq, temperature, EventEnqueuedUtcTime AS enq FROM SRC WHERE status <> 'ok' OR temperature > 25" \
    "SELECT PartitionId, SequenceNumber, deviceId, seq, temperature, EventEnqueuedUtcTime AS enq FROM ev WHERE status <> 'ok' OR temperature > 25"

hub_alive "after the queries"
stop_hub
hub_no_errors
finish
