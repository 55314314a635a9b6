# Helpers for the hub's client tests (sourced after tests/integration/lib.sh).
#
# start_hub [ARGS...]   starts `eddy hub` on $HUB_PORT with data dir $HUB_DATA
#                       (both chosen on first use), debug logging, extra ARGS;
#                       sets HUB_PID and HUB_LOG and waits for the port.
# stop_hub              SIGTERM, waits for the exit (bounded), checks status 0.
# kill9_hub             SIGKILL, waits until the process is gone.
# hub_alive WHAT        a check that the hub process still runs.
# hub_no_errors         a check that the hub logged no level=error line and no
#                       sanitizer report (ASan/UBSan builds).
# need_node_modules     fails the test early with a clear message if npm ci was not run.
#
# On a failing exit the hub logs' tails are printed, then lib.sh cleans up.

PY=/usr/bin/python3
# No __pycache__ folders in the source tree.
export PYTHONDONTWRITEBYTECODE=1
CLIENTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
EDDY_SOURCE_DIR=${EDDY_SOURCE_DIR:-$(cd "$CLIENTS/../.." && pwd)}
export EDDY_SOURCE_DIR
HUB_PORT=${HUB_PORT:-$(free_port)}
HUB_DATA=${HUB_DATA:-$T/data}
HUB_LOGS=()
# Client deadlines (seconds) for whole operations; generous for ASan builds.
export EDDY_CLIENT_DEADLINE=${EDDY_CLIENT_DEADLINE:-150}

hub_on_exit() {
    local status=$?
    if [ "$status" -ne 0 ]; then
        local l
        for l in "${HUB_LOGS[@]:-}"; do
            [ -n "$l" ] && [ -f "$l" ] || continue
            echo "---- last lines of $l (hub) ----" >&2
            tail -n 40 "$l" >&2
        done
    fi
    cleanup
    exit "$status"
}
trap hub_on_exit EXIT
trap 'exit 130' INT TERM

start_hub() {
    mkdir -p "$HUB_DATA"
    HUB_LOG="$T/spawn-${#PIDS[@]}.log"
    spawn "$EDDY" hub --listen "127.0.0.1:$HUB_PORT" --data-dir "$HUB_DATA" --log-level debug "$@"
    HUB_PID=$SPAWNED
    HUB_LOGS+=("$HUB_LOG")
    if ! wait_port "$HUB_PORT" 30; then
        echo "FAIL: the hub did not start listening on $HUB_PORT" >&2
        cat "$HUB_LOG" >&2
        exit 1
    fi
    if ! kill -0 "$HUB_PID" 2>/dev/null; then
        echo "FAIL: the hub exited right after starting (another process on port $HUB_PORT?)" >&2
        cat "$HUB_LOG" >&2
        exit 1
    fi
}

# wait_exit PID SECONDS: waits for a child of this shell to end; sets
# EXIT_STATUS to its status, or to "running" if it is alive after SECONDS.
wait_exit() {
    local pid=$1 secs=$2
    EXIT_STATUS=running
    for _ in $(seq $((secs * 10))); do
        if ! kill -0 "$pid" 2>/dev/null; then
            set +e
            wait "$pid"
            EXIT_STATUS=$?
            set -e
            return 0
        fi
        sleep 0.1
    done
}

stop_hub() {
    kill -TERM "$HUB_PID"
    wait_exit "$HUB_PID" 60
    expect_eq "hub exits with status 0 after SIGTERM" 0 "$EXIT_STATUS"
    if [ "$EXIT_STATUS" = running ]; then kill -KILL "$HUB_PID" 2>/dev/null || true; fi
}

kill9_hub() {
    kill -KILL "$HUB_PID"
    wait_exit "$HUB_PID" 30
    expect_eq "hub killed by SIGKILL" 137 "$EXIT_STATUS"
}

hub_alive() {
    if kill -0 "$HUB_PID" 2>/dev/null; then
        echo "ok   hub still running: $1"
    else
        fail "hub process is gone: $1"
        tail -n 40 "$HUB_LOG" >&2
    fi
}

hub_no_errors() {
    local errs
    errs=$(grep -h -E 'level=error|AddressSanitizer|LeakSanitizer|runtime error:' "${HUB_LOGS[@]}" || true)
    expect_eq "hub logged no errors (nor sanitizer reports)" "" "$errs"
}

need_node_modules() {
    if [ ! -d "$EDDY_SOURCE_DIR/node_modules/$1" ]; then
        echo "FAIL: $1 is not installed in $EDDY_SOURCE_DIR/node_modules; run tools/install-deps.sh (npm ci)" >&2
        exit 1
    fi
}

# run_client WHAT CMD...: runs a client program, echoing its output; a
# failing client is a failed check (the test goes on to report the rest).
run_client() {
    local what=$1
    shift
    run_status "$@"
    [ -z "$OUT" ] || printf '%s\n' "$OUT" | sed 's/^/    /'
    if [ "$STATUS" -ne 0 ]; then
        [ -z "$ERR" ] || printf '%s\n' "$ERR" | tail -n 30 | sed 's/^/    /' >&2
        fail "$what (exit status $STATUS)"
        return 1
    fi
    echo "ok   $what"
}

# run_client_to FILE WHAT CMD...: like run_client, with the client's stdout
# going to FILE instead of the test's output.
run_client_to() {
    local file=$1 what=$2
    shift 2
    set +e
    "$@" >"$file" 2>"$T/err"
    STATUS=$?
    set -e
    ERR=$(cat "$T/err")
    if [ "$STATUS" -ne 0 ]; then
        [ -z "$ERR" ] || printf '%s\n' "$ERR" | tail -n 30 | sed 's/^/    /' >&2
        fail "$what (exit status $STATUS)"
        return 1
    fi
    echo "ok   $what"
}

# verify_dump WHAT ARGS...: dataset.py verify, its lines echoed; failures count.
verify_dump() {
    local what=$1
    shift
    run_status "$PY" "$CLIENTS/dataset.py" verify --label "$what" "$@"
    printf '%s\n' "$OUT" | sed 's/^/  /'
    [ -z "$ERR" ] || printf '%s\n' "$ERR" >&2
    if [ "$STATUS" -ne 0 ]; then fail "$what: the events read back differ from those produced"; fi
}

# expect_codec TOPIC CODEC[,CODEC...]: the stored batches of TOPIC use these
# codecs, each at least once, and no other; a few may be uncompressed
# ("none": librdkafka sends a batch uncompressed when compression does not
# shrink it), but at least 90% are compressed.
expect_codec() {
    run_status "$PY" "$CLIENTS/kafkaraw.py" codecs --port "$HUB_PORT" --topic "$1"
    local got
    got=$(printf '%s' "$OUT" | "$PY" -c '
import json, sys
seen = json.load(sys.stdin)
none = seen.pop("none", 0)
total = none + sum(seen.values())
print(",".join(sorted(seen)) + ("" if none * 10 <= total else " (%d of %d batches uncompressed)" % (none, total)))
' 2>/dev/null || true)
    expect_eq "stored batches of $1 are $2-compressed ($OUT)" "$2" "$got"
}
