#!/usr/bin/env bash
# eddy produce replay: `cat file | eddy produce --generator -` then
# `eddy consume --format body` gives back identical bytes (JSON lines, text,
# CRLF, empty lines, UTF-8, non-UTF-8 bytes, a 300 KB line); file:PATH the
# same, a last line without a newline comes back with one; an over-long
# line is skipped, reported, and makes the exit status 1; --key takes the
# partition key from a JSON field.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"
start_hub --partitions 1
B=127.0.0.1:$HUB_PORT

"$PY" - "$T/events.txt" <<'PYEOF'
import random, sys
random.seed(5)
lines = [b'{"deviceId":"device-0001","ts":"2026-11-24T20:00:00.000Z","temperature":21.5}',
         b'plain text, not JSON', b'windows line\r', b'', b'\t  spaced  \t', b'',
         '{"name":"Zoë","city":"Zürich","emoji":"✓"}'.encode(),
         bytes([0, 1, 2, 0xff, 0xfe, 0x80]) + b' binary bytes',
         b'x' * 300000, b'[1, 2, 3]', b'{"nested": {"a": [1, {"b": null}]}}']
for i in range(2000):
    lines.append(b'{"i":%d,"r":%d}' % (i, random.randrange(10**9)))
open(sys.argv[1], "wb").write(b"\n".join(lines) + b"\n")
PYEOF
nlines=$(wc -l <"$T/events.txt")

set +e
cat "$T/events.txt" | "$EDDY" produce --hub replay --bootstrap "$B" --generator - --summary json -q \
    >"$T/summary.json" 2>"$T/err"
status=$?
set -e
expect_eq "cat file | eddy produce --generator - exits 0" 0 "$status"
delivered=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["delivered"])' "$T/summary.json")
expect_eq "every line is an event" "$nlines" "$delivered"
run_client_to "$T/back.txt" "eddy consume --format body" \
    "$EDDY" consume --hub replay --bootstrap "$B" --from earliest --until-end --format body
cmp "$T/events.txt" "$T/back.txt" && same=yes || same=no
expect_eq "consumed bodies are byte-identical to the input" yes "$same"

# file:PATH, and a last line without a newline.
printf 'first\nsecond\nlast, no newline' >"$T/nonl.txt"
run_client "eddy produce --generator file:PATH exits 0" \
    "$EDDY" produce --hub replay2 --bootstrap "$B" --generator "file:$T/nonl.txt" -q
run_client_to "$T/back2.txt" "eddy consume replay2" \
    "$EDDY" consume --hub replay2 --bootstrap "$B" --from earliest --until-end --format body
{ cat "$T/nonl.txt"; echo; } >"$T/nonl-expected.txt"
cmp -s "$T/nonl-expected.txt" "$T/back2.txt" && same=yes || same=no
expect_eq "a last line without newline comes back with one" yes "$same"

# Over-long lines: skipped, reported, exit 1; the rest delivered.
run_status "$EDDY" produce --hub replay3 --bootstrap "$B" --generator "file:$T/events.txt" \
    --max-line-bytes 1000 -q --summary json
expect_eq "an over-long line makes the exit status 1" 1 "$STATUS"
expect_contains "the skipped line is named" "line 9 is longer than 1000 bytes; skipped" "$ERR"
expect_contains "the other lines are delivered" "\"delivered\":$((nlines - 1))," "$OUT"

# An empty input is zero events, not an error; a missing file is an error.
run_status "$EDDY" produce --hub replay4 --bootstrap "$B" --generator - -q </dev/null
expect_eq "empty stdin exits 0" 0 "$STATUS"
run_status "$EDDY" produce --hub replay4 --bootstrap "$B" --generator "file:$T/missing.txt"
expect_eq "a missing file exits 1" 1 "$STATUS"
expect_contains "a missing file is named" "cannot open $T/missing.txt" "$ERR"

# --key FIELD: the field's value is the key; equal keys share a partition.
run_status "$EDDY" hubs create keyed --partitions 4 --bootstrap "$B"
"$PY" -c '
import json
for i in range(400):
    print(json.dumps({"user": "user-%d" % (i % 13), "n": i}))' >"$T/users.jsonl"
run_client "eddy produce --key user" \
    "$EDDY" produce --hub keyed --bootstrap "$B" --generator "file:$T/users.jsonl" --key user -q
run_status "$EDDY" consume --hub keyed --bootstrap "$B" --from earliest --until-end
check=$(printf '%s\n' "$OUT" | "$PY" -c '
import json, sys
parts = {}
n = 0
for line in sys.stdin:
    o = json.loads(line)
    n += 1
    assert o["key"] == o["body"]["user"], o
    parts.setdefault(o["key"], set()).add(o["partition"])
print(n, len(parts), max(len(p) for p in parts.values()), len({min(p) for p in parts.values()}) > 1)')
expect_eq "400 events, 13 keys from the user field, each key in one partition, spread" \
    "400 13 1 True" "$check"

hub_alive "after replay"
hub_no_errors
finish
