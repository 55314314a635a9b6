#!/usr/bin/env bash
# Event time over a live hub, exactly: a scenario of 16 events in two
# partitions, with late and out-of-order events whose arrival times are
# their records' CreateTime (hub --timestamp create). For tumbling,
# hopping, sliding and session windows under both late policies, eddy
# query over the hub gives exactly the rows of an independent model
# (tests/clients/stream_time.py; its tumbling rows are also worked out by
# hand), and counts late, out-of-order, adjusted and dropped events as it
# does. Once live (windows closed by the watermark as events arrive) and
# once as a bounded run.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"

PY=/usr/bin/python3
"$PY" -c 'import confluent_kafka' 2>/dev/null || { echo "SKIP: python3-confluent-kafka"; exit 77; }
start_hub --timestamp create
BOOT="127.0.0.1:$HUB_PORT"
run_client "a hub of two partitions" "$EDDY" hubs create --bootstrap "$BOOT" tel --partitions 2
run_client "the scenario is produced" "$PY" "$(dirname "$0")/../clients/stream_time.py" produce "$BOOT" tel

declare -A WIN=(
    [tumbling]="TumblingWindow(second, 5)"
    [hopping]="HoppingWindow(second, 6, 3)"
    [sliding]="SlidingWindow(second, 4)"
    [session]="SessionWindow(second, 3, 10)"
)
for kind in tumbling hopping sliding session; do
    for pol in adjust drop; do
        sql="SELECT deviceId, COUNT(*) AS n, SUM(v) AS s, System.Timestamp() AS wend
             FROM hub('tel') TIMESTAMP BY ts GROUP BY deviceId, ${WIN[$kind]}"
        "$PY" "$(dirname "$0")/../clients/stream_time.py" expect "$kind" "$pol" \
            >"$T/want" 2>"$T/want.err" || { cat "$T/want.err" >&2; fail "the model"; continue; }
        set +e
        "$EDDY" query --bootstrap "$BOOT" --from earliest --until-end --group "g-$kind-$pol" \
            --late-arrival 5s --out-of-order 1s --late-policy "$pol" --idle-timeout 0 \
            --format csv "$sql" >"$T/got.csv" 2>"$T/got.err"
        st=$?
        set -e
        expect_eq "$kind, $pol: eddy query exits 0" 0 "$st"
        tail -n +2 "$T/got.csv" | sort >"$T/got"
        if cmp -s "$T/want" "$T/got"; then
            echo "ok   $kind, $pol: the expected $(wc -l <"$T/want") window rows exactly"
        else
            fail "$kind, $pol: rows differ (< expected, > eddy)"
            diff "$T/want" "$T/got" >&2 || true
        fi
        if [ "$kind" = sliding ]; then
            # the same through librdkafka's consumer instead of eddy's own fetch path
            EDDY_QUERY_FETCH=librdkafka "$EDDY" query --bootstrap "$BOOT" --from earliest \
                --until-end --group "g-$kind-$pol-rdk" --late-arrival 5s --out-of-order 1s \
                --late-policy "$pol" --idle-timeout 0 --format csv "$sql" 2>/dev/null |
                tail -n +2 | sort >"$T/got-rdk"
            if cmp -s "$T/want" "$T/got-rdk"; then
                echo "ok   $kind, $pol: the same rows through librdkafka's consumer"
            else
                fail "$kind, $pol: librdkafka's consumer gives other rows"
                diff "$T/want" "$T/got-rdk" >&2 || true
            fi
        fi
        want_counts=$(sed -n 's/^counters //p' "$T/want.err")
        got_counts=$(sed -n 's/.*; \(late [0-9]*, out of order [0-9]*, adjusted [0-9]*, dropped [0-9]*\),.*/\1/p' "$T/got.err")
        expect_eq "$kind, $pol: counters" "$want_counts" "$got_counts"
    done
done

# Live: the query runs before the events come and closes windows as the
# watermark passes them; once everything is in, it has printed every
# window the watermark closed, each once: the expected rows up to the last
# window end before the largest event time.
run_client "a second hub" "$EDDY" hubs create --bootstrap "$BOOT" live --partitions 2
sql="SELECT deviceId, COUNT(*) AS n, SUM(v) AS s, System.Timestamp() AS wend
     FROM hub('live') TIMESTAMP BY ts GROUP BY deviceId, TumblingWindow(second, 5)"
spawn "$EDDY" query --bootstrap "$BOOT" --from earliest --group g-live --late-arrival 5s \
    --out-of-order 1s --idle-timeout 0 --format csv --out "$T/live.csv" "$sql"
LIVE=$SPAWNED
sleep 2
run_client "the scenario is produced while the query runs" \
    "$PY" "$(dirname "$0")/../clients/stream_time.py" produce "$BOOT" live
# partition 0 reaches 20 s - 1 s, partition 1 reaches 18.5 - 1 s: windows
# ending at or before 17.5 s are closed (5, 10, 15)
"$PY" "$(dirname "$0")/../clients/stream_time.py" expect tumbling adjust 2>/dev/null |
    grep -v ':20.0000000Z' >"$T/want-live"
for _ in $(seq 100); do
    [ "$(tail -n +2 "$T/live.csv" 2>/dev/null | wc -l)" -ge "$(wc -l <"$T/want-live")" ] && break
    sleep 0.1
done
sleep 0.5
tail -n +2 "$T/live.csv" | sort >"$T/got-live"
if cmp -s "$T/want-live" "$T/got-live"; then
    echo "ok   live: each closed window once, the open one not yet"
else
    fail "live: rows differ (< expected, > eddy)"
    diff "$T/want-live" "$T/got-live" >&2 || true
fi
kill -TERM "$LIVE"
wait_exit "$LIVE" 20
expect_eq "live: eddy query stops on SIGTERM with status 0" 0 "$EXIT_STATUS"
stop_hub
finish
