#!/usr/bin/env bash
# Builds eddy in release mode and runs every benchmark, printing one markdown
# table: each row is eddy against a peer measured in the same run.
# Usage: bench/run.sh [NAME...]   (names: core, record, hub, produce, groups,
#        capture, sql; default all; nexmark runs only when named)
#   hub: eddy hub vs Redis Streams (needs librdkafka, redis-server and
#        redis-benchmark; a few minutes; EDDY_BENCH_SCALE=0.1 for a quick run,
#        other knobs at the top of bench/bench_hub.c). Its details and the
#        targets of issue 3 go to stderr.
#   produce: eddy produce vs kcat -P (events/s), and end-to-end latency
#        through eddy consume vs kcat -C at 10,000 events/s (needs kcat).
#   groups: consumer groups (3 consumers, 6 partitions) vs Redis Streams
#        XREADGROUP, and rebalance times (needs librdkafka and redis-server;
#        under a minute; knobs at the top of bench/bench_groups.c).
#   capture: eddy's Avro encoder and the hub's capture (backlog of 1,000,000
#        telemetry events) vs avro-c writing the same records, per codec
#        (null, deflate, snappy), and capture lag at half of peak ingest
#        (needs librdkafka and avro-c; about 1-2 minutes; knobs at the top of
#        bench/bench_capture.c).
#   sql: eddy query vs DuckDB (npm @duckdb/node-api) over 5,000,000-event
#        NDJSON telemetry files, same thread count: filter+project, GROUP BY
#        with 5 aggregates at 1 k and 1 M groups, a tumbling-window count
#        (knobs at the top of bench/bench_sql.mjs).
#   nexmark: Nexmark q0-q5, q7, q8 (bench/nexmark/*.sql, docs/nexmark.md) over
#        10,000,000 generated auction events in JSON lines, one thread, events/s
#        per core against Flink 1.13's published per-core figures; each query is
#        first checked against a reference over 200,000 events (a few minutes;
#        EDDY_NEXMARK_EVENTS for fewer). nexmark-stream: the same over a live
#        eddy hub (eddy query --bootstrap ... --until-end; issue 8).
#   stream-latency: how long after a 1 s tumbling window ends its row comes
#        out of `eddy query` over a live hub (eddy produce --rate 10,000 and
#        100,000 events/s for 30 s each; p50/p99/max; also with -X
#        fetch.wait.max.ms=10; about 3 minutes; knobs at the top of
#        bench/bench_stream_latency.mjs; not in the default list).
#   sql-exec: the SQL executor alone (in-memory columns, no file reading) vs
#        DuckDB over a table of the same values, same queries as sql
#        (bench/bench_sql_exec.c and .mjs; not in the default list).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
B=build/release/bench
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(core record hub produce groups capture sql)

echo "| benchmark | eddy | peer | peer result | eddy / peer |"
echo "|---|---|---|---|---|"
for n in "${names[@]}"; do
    case "$n" in
        core) "$B/bench_core" ;;
        record) "$B/bench_record" ;;
        hub)
            if [ -x "$B/bench_hub" ]; then
                "$B/bench_hub"
            else
                echo "bench_hub was not built (needs librdkafka: pkg-config rdkafka)" >&2
                exit 2
            fi
            ;;
        produce) bench/bench_produce.sh build/release/eddy ;;
        groups)
            if [ -x "$B/bench_groups" ]; then
                "$B/bench_groups"
            else
                echo "bench_groups was not built (needs librdkafka: pkg-config rdkafka)" >&2
                exit 2
            fi
            ;;
        capture)
            if [ -x "$B/bench_capture" ]; then
                "$B/bench_capture"
            else
                echo "bench_capture was not built (needs librdkafka and avro-c:" \
                    "pkg-config rdkafka avro-c)" >&2
                exit 2
            fi
            ;;
        sql) node bench/bench_sql.mjs build/release/eddy ;;
        nexmark) node bench/bench_nexmark.mjs build/release/eddy ;;
        nexmark-stream) node bench/bench_nexmark.mjs build/release/eddy --stream ;;
        stream-latency) node bench/bench_stream_latency.mjs build/release/eddy ;;
        sql-exec) node bench/bench_sql_exec.mjs "$B/bench_sql_exec" ;;
        *) echo "unknown benchmark: $n" >&2; exit 2 ;;
    esac
done
