#!/usr/bin/env bash
# The command line of eddy produce, consume, hubs and groups: help, usage
# errors (exit 2) with messages that say what is wrong, connection-string
# errors, --dry-run, and an unreachable endpoint (exit 1, bounded time).
. "$(dirname "$0")/lib.sh"

run_status "$EDDY" --help
help=$OUT
for c in produce consume hubs groups; do
    expect_contains "eddy --help lists $c" "  $c " "$help"
    run_status "$EDDY" "$c" --help
    expect_eq "eddy $c --help exits 0" 0 "$STATUS"
    expect_contains "eddy $c --help shows usage" "Usage: eddy $c" "$OUT"
    run_status "$EDDY" "$c" --frobnicate
    expect_eq "eddy $c --frobnicate exits 2" 2 "$STATUS"
    expect_contains "eddy $c names the unknown option" "unknown option '--frobnicate'" "$ERR"
done

usage() { # usage WHAT EXPECTED-MESSAGE ARGS...
    local what=$1 msg=$2
    shift 2
    run_status "$EDDY" produce "$@"
    expect_eq "$what exits 2" 2 "$STATUS"
    expect_contains "$what message" "$msg" "$ERR"
}
usage "no --hub" "--hub NAME is required" --count 1
usage "--rate 0" "--rate must be a positive" --hub h --rate 0
usage "--rate abc" "--rate must be a positive" --hub h --rate abc
usage "--acks 2" "--acks must be 0, 1 or all" --hub h --acks 2
usage "--compression brotli" "--compression must be" --hub h --compression brotli
usage "--count -1" "--count must be" --hub h --count -1
usage "--duration 5parsecs" "bad --duration" --hub h --duration 5parsecs
usage "--late-fraction 2" "--late-fraction must be between 0 and 1" --hub h --late-fraction 2
usage "--start-time yesterday" "bad --start-time" --hub h --start-time yesterday
usage "--key with --no-key" "exclude each other" --hub h --key a --no-key
usage "unknown generator" "unknown generator 'bogus'" --hub h --generator bogus
usage "-X without =" "-X takes name=value" --hub h -X linger.ms
usage "-X unknown setting" "-X no.such.setting=1" --hub h -X no.such.setting=1 --bootstrap 127.0.0.1:1
usage "connection string that is not one" "is not Key=Value" --hub h --connection-string garbage
usage "connection string without key" "no SharedAccessKey" --hub h \
    --connection-string "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=n"
usage "bootstrap and connection string" "not both" --hub h --bootstrap x:1 \
    --connection-string "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=n;SharedAccessKey=k"
usage "--hub against EntityPath" "the connection string is for event hub 'other'" --hub h \
    --connection-string "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=n;SharedAccessKey=k;EntityPath=other"

# --dry-run needs no hub: events on stdout, the summary on stderr.
run_status "$EDDY" produce --dry-run --count 3 --seed 1 --start-time 2026-11-24T20:00:00Z
expect_eq "--dry-run exits 0" 0 "$STATUS"
expect_eq "--dry-run prints 3 events" 3 "$(printf '%s\n' "$OUT" | grep -c '"deviceId"')"
expect_contains "--dry-run event times start at --start-time" '"ts":"2026-11-24T20:00:00.000Z"' "$OUT"
expect_contains "--dry-run summary on stderr" "3 delivered of 3" "$ERR"
first=$OUT
run_status "$EDDY" produce --dry-run --count 3 --seed 1 --start-time 2026-11-24T20:00:00Z
expect_eq "--dry-run is deterministic" "$first" "$OUT"

# Nothing listens: exit 1 with a message, not a hang.
port=$(free_port)
start=$(date +%s)
run_status "$EDDY" produce --hub h --bootstrap "127.0.0.1:$port" --count 1
expect_eq "unreachable endpoint exits 1" 1 "$STATUS"
expect_contains "unreachable endpoint message" "cannot get metadata from 127.0.0.1:$port" "$ERR"
elapsed=$(($(date +%s) - start))
[ "$elapsed" -lt 40 ] && bounded=yes || bounded=no
expect_eq "and gives up in bounded time" yes "$bounded"
finish
