#!/usr/bin/env bash
# SELECT ... INTO hub('name'): a streaming query's rows go to another hub as
# JSON objects, keyed, so queries chain. A windowed aggregate keyed by its
# GROUP BY column feeds a second query over its output hub; a repartition
# step (PARTITION BY deviceId) puts every device's events in one partition.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"

start_hub --partitions 4
BOOT="127.0.0.1:$HUB_PORT"
for h in t agg bydev; do
    run_client "hub $h" "$EDDY" hubs create --bootstrap "$BOOT" "$h" --partitions 4
done
run_client "10000 telemetry events" "$EDDY" produce --hub t --bootstrap "$BOOT" --count 10000 \
    --devices 30 --seed 9 --quiet

run_client "a windowed count per device into hub agg" \
    "$EDDY" query --bootstrap "$BOOT" --from earliest --until-end -q \
    "SELECT deviceId, COUNT(*) AS n, System.Timestamp() AS wend INTO hub('agg')
     FROM hub('t') GROUP BY deviceId, TumblingWindow(second, 1)"
run_client_to "$T/agg.jsonl" "hub agg read back" \
    "$EDDY" consume --hub agg --bootstrap "$BOOT" --from earliest --until-end
/usr/bin/python3 - "$T/agg.jsonl" <<'PY' >"$T/agg.check"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ok = all(r["key"] == r["body"]["deviceId"] for r in rows)
print(len(rows) > 0 and ok, sum(r["body"]["n"] for r in rows))
PY
expect_eq "agg: every row keyed by its deviceId, and the counts add up" "True 10000" "$(cat "$T/agg.check")"

run_client_to "$T/total.csv" "a second query chained over hub agg" \
    "$EDDY" query --bootstrap "$BOOT" --from earliest --until-end -q --format csv \
    "SELECT SUM(n) AS total, COUNT(*) AS windows FROM hub('agg')"
expect_eq "the chained query sees every count" "10000" "$(tail -n 1 "$T/total.csv" | cut -d, -f1)"

run_client "a repartition step by deviceId" \
    "$EDDY" query --bootstrap "$BOOT" --from earliest --until-end -q \
    "SELECT deviceId, temperature INTO hub('bydev') FROM hub('t') PARTITION BY deviceId"
run_client_to "$T/bydev.jsonl" "hub bydev read back" \
    "$EDDY" consume --hub bydev --bootstrap "$BOOT" --from earliest --until-end
/usr/bin/python3 - "$T/bydev.jsonl" <<'PY' >"$T/bydev.check"
import json, sys
parts = {}
n = 0
for l in open(sys.argv[1]):
    r = json.loads(l)
    n += 1
    parts.setdefault(r["body"]["deviceId"], set()).add(r["partition"])
print(n, len(parts), all(len(p) == 1 for p in parts.values()))
PY
expect_eq "bydev: every event, 30 devices, each in one partition" "10000 30 True" "$(cat "$T/bydev.check")"
# SELECT *: the fixed columns, then the Body's fields as the hub's latest
# events show them; an empty hub has none to show.
run_client_to "$T/star.csv" "SELECT * over a hub" \
    "$EDDY" query --bootstrap "$BOOT" --from earliest --until-end -q --format csv \
    "SELECT * FROM hub('t') WHERE seq = 0"
expect_eq "SELECT * lists the fixed columns, then the Body's" \
    "SequenceNumber,Offset,EventEnqueuedUtcTime,PartitionId,EventProcessedUtcTime,PartitionKey,deviceId,ts,temperature,humidity,status,seq" \
    "$(head -n 1 "$T/star.csv")"
expect_eq "SELECT * gives a row per device's first event" 30 "$(($(wc -l <"$T/star.csv") - 1))"
run_client "an empty hub" "$EDDY" hubs create --bootstrap "$BOOT" empty --partitions 2
run_status "$EDDY" query --bootstrap "$BOOT" --from earliest --until-end -q "SELECT * FROM hub('empty')"
expect_eq "SELECT * over an empty hub is a query error" 2 "$STATUS"
expect_contains "and says why" "the hub has no events yet to learn its fields from" "$ERR"

run_client "--out /dev/null (a file that cannot be synced) is fine" \
    "$EDDY" query --bootstrap "$BOOT" --from earliest --until-end -q --out /dev/null \
    "SELECT deviceId FROM hub('t')"
stop_hub
finish
