#!/usr/bin/env bash
# Checkpoints make the file sink exactly once: a streaming query over a hub
# with --checkpoint is killed with kill -9 while events arrive, then run
# again with the same folder until the end. Its output file is byte for
# byte the output of an uninterrupted run over the same events (no row
# lost, none doubled), for a windowed aggregate with late and out-of-order
# events, rolled files and a pass-through query over one partition.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"

start_hub --partitions 4
BOOT="127.0.0.1:$HUB_PORT"
run_client "the hubs exist" "$EDDY" hubs create --bootstrap "$BOOT" t --partitions 4
run_client "one-partition hub" "$EDDY" hubs create --bootstrap "$BOOT" one --partitions 1

WIN="SELECT deviceId, COUNT(*) AS n, SUM(seq) AS s, MIN(temperature) AS lo, MAX(temperature) AS hi,
            System.Timestamp() AS wend
     FROM hub('t') TIMESTAMP BY ts
     GROUP BY deviceId, TumblingWindow(second, 1)"
HOP="SELECT status, COUNT(*) AS n, System.Timestamp() AS wend
     FROM hub('t') TIMESTAMP BY ts
     GROUP BY status, HoppingWindow(second, 2, 1)"
PASS="SELECT deviceId, seq, temperature FROM hub('one') WHERE temperature > 20"

# Events arrive for about 4 s while the queries run; each is killed
# with kill -9 in the middle, then restarted with --until-end.
spawn "$EDDY" produce --hub t --bootstrap "$BOOT" --count 60000 --rate 15000 --devices 40 \
    --seed 5 --late-fraction 0.05 --quiet
PROD1=$SPAWNED
spawn "$EDDY" produce --hub one --bootstrap "$BOOT" --count 30000 --rate 7500 --devices 40 \
    --seed 6 --quiet
PROD2=$SPAWNED

# crash NAME SQL [OPTIONS]: runs SQL live with a checkpoint folder, kills
# it with kill -9 after a while, restarts it with --until-end once the
# producers are done.
crash() {
    local name=$1 sql=$2
    shift 2
    spawn "$EDDY" query --bootstrap "$BOOT" --from earliest --format csv --group "crash-$name" \
        --checkpoint "$T/ck-$name" --checkpoint-interval 200ms --out "$T/$name.csv" "$@" "$sql"
    CRASH_PIDS+=("$SPAWNED")
}
CRASH_PIDS=()
crash win "$WIN"
crash hop "$HOP" --roll-size 2000
crash pass "$PASS"
sleep 1.5
for p in "${CRASH_PIDS[@]}"; do
    kill -0 "$p" 2>/dev/null || fail "a query ended before it was killed"
    kill -9 "$p"
done
sleep 0.5
# a second crash, later in the stream, from the first restart's state
CRASH_PIDS=()
crash win "$WIN"
crash hop "$HOP" --roll-size 2000
crash pass "$PASS"
sleep 1.2
for p in "${CRASH_PIDS[@]}"; do
    kill -9 "$p" 2>/dev/null || true
done
wait_exit "$PROD1" 120
expect_eq "producer of t" 0 "$EXIT_STATUS"
wait_exit "$PROD2" 120
expect_eq "producer of one" 0 "$EXIT_STATUS"
for name in win hop pass; do
    [ -f "$T/ck-$name/checkpoint" ] || fail "$name: no checkpoint was written before the kill"
done

finish_run() {
    local name=$1 sql=$2
    shift 2
    run_client "$name: restarted from its checkpoint until the end" \
        "$EDDY" query --bootstrap "$BOOT" --from earliest --format csv --group "crash-$name" \
        --checkpoint "$T/ck-$name" --out "$T/$name.csv" --until-end -q "$@" "$sql"
    run_client "$name: an uninterrupted run" \
        "$EDDY" query --bootstrap "$BOOT" --from earliest --format csv --group "clean-$name" \
        --out "$T/$name.clean.csv" --until-end -q "$@" "$sql"
}
finish_run win "$WIN"
finish_run hop "$HOP" --roll-size 2000
finish_run pass "$PASS"

same_file() {
    if cmp -s "$2" "$3"; then
        echo "ok   $1"
    else
        fail "$1: $2 and $3 differ"
        diff <(sort "$2") <(sort "$3") | head -10 >&2 || true
    fi
}
same_file "windowed aggregate: the crashed run's file equals the uninterrupted run's" \
    "$T/win.csv" "$T/win.clean.csv"
same_file "pass-through over one partition: the same file" "$T/pass.csv" "$T/pass.clean.csv"
cat "$T"/hop.csv.0* >"$T/hop.all"
cat "$T"/hop.clean.csv.0* >"$T/hop.clean.all"
same_file "rolled files: the same rows in the same files" "$T/hop.all" "$T/hop.clean.all"
expect_eq "rolled files: as many files" "$(ls "$T"/hop.clean.csv.0* | wc -l)" "$(ls "$T"/hop.csv.0* | wc -l)"
rows=$(($(wc -l <"$T/win.clean.csv") - 1))
[ "$rows" -ge 100 ] || fail "the windowed query gave only $rows rows"
n=$(awk -F, 'NR > 1 { s += $2 } END { print s }' "$T/win.clean.csv")
expect_eq "every event is counted once in the windows" 60000 "$n"
stop_hub
finish
