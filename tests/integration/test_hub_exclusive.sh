#!/usr/bin/env bash
# One hub per port and per data folder: a second `eddy hub` on the port or on
# the data folder of a running hub refuses to start with a message and a
# failure status (no crash, no silent sharing), and the first hub keeps
# serving.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"

start_hub
OTHER_PORT=$(free_port)
mkdir -p "$T/other-data"

# Same port, another data folder. (With SO_REUSEPORT on every listener a
# second process could bind the same port and take half of the connections.)
run_status timeout 10 "$EDDY" hub --listen "127.0.0.1:$HUB_PORT" --data-dir "$T/other-data"
if [ "$STATUS" = 124 ]; then
    fail "a second hub started on port $HUB_PORT, which a running hub listens on (it kept running)"
elif [ "$STATUS" -eq 0 ] || [ "$STATUS" -ge 128 ]; then
    fail "a second hub on a used port: expected a failure status, got $STATUS; stderr: $ERR"
else
    echo "ok   a second hub on a used port exits with status $STATUS: $ERR"
fi

# Same data folder, another port.
run_status timeout 10 "$EDDY" hub --listen "127.0.0.1:$OTHER_PORT" --data-dir "$HUB_DATA"
if [ "$STATUS" = 124 ]; then
    fail "a second hub started on the data folder of a running hub (it kept running)"
elif [ "$STATUS" -eq 0 ] || [ "$STATUS" -ge 128 ]; then
    fail "a second hub on a used data folder: expected a failure status, got $STATUS (signal $((STATUS - 128)) if >= 128); stderr: $ERR"
else
    echo "ok   a second hub on a used data folder exits with status $STATUS"
    expect_contains "it says the folder is in use" "another eddy hub" "$ERR"
    expect_eq "no sanitizer report on that path" "" "$(printf '%s' "$ERR" | grep -E 'runtime error|Sanitizer' || true)"
fi

hub_alive "after the refused second hubs"
run_status kcat -L -b "127.0.0.1:$HUB_PORT" -m 30
expect_eq "the first hub still answers metadata" 0 "$STATUS"
hub_no_errors
finish
