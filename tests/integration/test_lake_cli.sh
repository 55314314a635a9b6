#!/usr/bin/env bash
# eddy lake ls and cat over a lake built with eddy's Avro writer (the test
# helper avro_emit, $AVRO_EMIT; capture itself is tested with the hub):
# two hub partitions in the Capture layout with each codec, capture's
# temporary names and .eddy-tmp folder (ignored), then a torn file: ls names
# it with the block and byte and goes on, cat stops there; JSON lines parse
# and python3-avro (and avsc, when node_modules is there) agree on the
# events; usage errors exit 2.
. "$(dirname "$0")/lib.sh"

AVRO_EMIT=${AVRO_EMIT:?AVRO_EMIT must point at the avro_emit test helper}
PY=/usr/bin/python3
L=$T/lake

# Events: partition 0 in two windows (deflate, snappy), partition 1 in one
# (null); keys, a null key, headers, a null body, a binary body.
"$PY" - "$T" <<'EOF'
import json, sys
t = sys.argv[1]
def ev(seq, ms, body, key="dev-1", headers=()):
    return json.dumps({"seq": seq, "ms": ms, "key": key, "body": body,
                       "headers": [list(h) for h in headers]}) + "\n"
with open(t + "/p0a.jsonl", "w") as f:
    for i in range(5):
        f.write(ev(i, 1795550400123 + i * 1000, '{"t":%d}' % i,
                   headers=[("src", "gen"), ("n", None)] if i == 2 else ()))
with open(t + "/p0b.jsonl", "w") as f:
    for i in range(5, 8):
        f.write(ev(i, 1795550700000 + i, {"hex": "ff00"} if i == 6 else "text %d" % i, key=None))
with open(t + "/p1.jsonl", "w") as f:
    for i in range(3):
        f.write(ev(i, 1795550400500 + i, None))
EOF
emit() { "$AVRO_EMIT" --lake "$L" --ns ns1 --hub telemetry "$@" >/dev/null; }
emit --partition 0 --window 2026-11-24T20:00:00Z --codec deflate <"$T/p0a.jsonl"
emit --partition 0 --window 2026-11-24T20:05:00Z --codec snappy <"$T/p0b.jsonl"
emit --partition 1 --window 2026-11-24T20:00:00Z --codec null <"$T/p1.jsonl"
# What capture leaves while writing: ignored.
mkdir -p "$L/.eddy-tmp" "$L/ns1/telemetry/1/2026/11/24/20/05"
echo junk >"$L/.eddy-tmp/half.avro"
echo junk >"$L/ns1/telemetry/1/2026/11/24/20/05/.00.avro.tmp"

run_status "$EDDY" lake ls "$L"
expect_eq "ls exit" 0 "$STATUS"
expect_eq "ls lines" 3 "$(echo "$OUT" | wc -l)"
expect_contains "ls header" "PARTITION                         FILES     EVENTS" "$OUT"
row0=$(echo "$OUT" | grep '^ns1/telemetry/0 ' | tr -s ' ')
bytes0=$(($(stat -c %s "$L"/ns1/telemetry/0/2026/11/24/20/00/00.avro) + \
    $(stat -c %s "$L"/ns1/telemetry/0/2026/11/24/20/05/00.avro)))
expect_eq "ls partition 0" \
    "ns1/telemetry/0 2 8 $bytes0 0 7 2026-11-24T20:00:00.1230000Z 2026-11-24T20:05:00.0070000Z" \
    "$row0"
row1=$(echo "$OUT" | grep '^ns1/telemetry/1 ' | tr -s ' ')
expect_contains "ls partition 1" "ns1/telemetry/1 1 3 " "$row1"
expect_contains "ls partition 1 times" "2026-11-24T20:00:00.5000000Z 2026-11-24T20:00:00.5020000Z" \
    "$row1"

run_status "$EDDY" lake ls "$L" --files
expect_eq "ls --files exit" 0 "$STATUS"
expect_contains "ls --files names the file" \
    "ns1/telemetry/0/2026/11/24/20/05/00.avro                3" "$OUT"
expect_contains "ls --files codec" "snappy" "$OUT"

# A hub-partition folder works as DIR too.
run_status "$EDDY" lake ls "$L/ns1/telemetry/0"
expect_contains "ls of a partition folder" "ns1/telemetry/0                       2          8" "$OUT"

run_status "$EDDY" lake cat "$L"
expect_eq "cat exit" 0 "$STATUS"
expect_eq "cat lines" 11 "$(echo "$OUT" | wc -l)"
expect_eq "cat first event" \
    '{"SequenceNumber":0,"Offset":"0","EnqueuedTimeUtc":"2026-11-24T20:00:00.1230000Z","SystemProperties":{"x-opt-sequence-number":0,"x-opt-offset":"0","x-opt-enqueued-time":1795550400123,"x-opt-partition-key":"dev-1"},"Properties":{},"Body":"{\"t\":0}"}' \
    "$(echo "$OUT" | head -1)"
expect_contains "cat headers (a null value as empty)" '"Properties":{"src":"gen","n":""}' "$OUT"
expect_contains "cat binary body" '"Body":"/wA=","BodyEncoding":"base64"' "$OUT"
expect_contains "cat null body" '"Body":null}' "$OUT"
expect_eq "cat in path order" "0 1 2 3 4 5 6 7 0 1 2" \
    "$(echo "$OUT" | "$PY" -c 'import json,sys; print(" ".join(str(json.loads(l)["SequenceNumber"]) for l in sys.stdin))')"

# python3-avro reads the same events from the same files.
if "$PY" -c 'import avro.datafile' 2>/dev/null; then
    py=$(find "$L" -name '[0-9]*.avro' | sort | "$PY" -c '
import sys, avro.datafile, avro.io
for path in sys.stdin.read().split():
    with open(path, "rb") as f:
        for r in avro.datafile.DataFileReader(f, avro.io.DatumReader()):
            print(r["SequenceNumber"], r["EnqueuedTimeUtc"], r["Body"])')
    ours=$(echo "$OUT" | "$PY" -c '
import base64, json, sys
for l in sys.stdin:
    e = json.loads(l)
    b = e["Body"]
    if b is not None:
        b = base64.b64decode(b) if e.get("BodyEncoding") == "base64" else b.encode()
    print(e["SequenceNumber"], e["EnqueuedTimeUtc"], b)')
    expect_eq "cat agrees with python3-avro" "$py" "$ours"
fi

# avsc (JavaScript) reads the null and deflate files (it has no snappy).
AVSC=$EDDY_SOURCE_DIR/node_modules/avsc
if command -v node >/dev/null && [ -d "$AVSC" ]; then
    for f in 0/2026/11/24/20/00/00.avro 1/2026/11/24/20/00/00.avro; do
        js=$(node -e '
const avro = require(process.argv[1]);
const out = [];
avro.createFileDecoder(process.argv[2])
    .on("data", r => out.push([r.SequenceNumber, r.EnqueuedTimeUtc,
        r.Body === null ? null : r.Body.toString("base64")].join(" ")))
    .on("error", e => { console.error(e.message); process.exit(1); })
    .on("end", () => console.log(out.join("\n")));' "$AVSC" "$L/ns1/telemetry/$f")
        ours=$("$EDDY" lake cat "$L/ns1/telemetry/$f" | "$PY" -c '
import base64, json, sys
for l in sys.stdin:
    e = json.loads(l)
    b = e["Body"]
    if b is not None and e.get("BodyEncoding") != "base64":
        b = base64.b64encode(b.encode()).decode()
    print(e["SequenceNumber"], e["EnqueuedTimeUtc"], b if b is not None else "")')
        expect_eq "avsc reads $f" "$ours" "$js"
    done
fi

run_status "$EDDY" lake cat "$L" --limit 4
expect_eq "cat --limit 4" 4 "$(echo "$OUT" | wc -l)"
run_status "$EDDY" lake cat "$L/ns1/telemetry/1/2026/11/24/20/00/00.avro" -n 1
expect_eq "cat a file" 1 "$(echo "$OUT" | wc -l)"
expect_contains "cat a file: its first event" '"EnqueuedTimeUtc":"2026-11-24T20:00:00.5000000Z"' "$OUT"

# A file of another schema: Avro's JSON encoding.
"$PY" - "$T/other.avro" <<'EOF' 2>/dev/null || cp "$EDDY_SOURCE_DIR/tests/fuzz/corpus/avro_reader/generic-null.avro" "$T/other.avro"
import sys, avro.schema, avro.datafile, avro.io
s = avro.schema.parse('{"type":"record","name":"R","fields":[{"name":"a","type":["null","long"]},{"name":"b","type":"bytes"}]}')
with open(sys.argv[1], "wb") as f:
    w = avro.datafile.DataFileWriter(f, avro.io.DatumWriter(), s, codec="deflate")
    w.append({"a": 5, "b": b"\x00z"})
    w.append({"a": None, "b": b""})
    w.close()
EOF
run_status "$EDDY" lake cat "$T/other.avro"
expect_eq "cat another schema" \
    "$(printf '%s\n%s' '{"a":{"long":5},"b":"\u0000z"}' '{"a":null,"b":""}')" "$OUT"

# A torn file: the last block cut short (as a crash mid-write would leave it).
"$AVRO_EMIT" --lake "$L" --ns ns1 --hub telemetry --partition 1 --window 2026-11-24T20:10:00Z \
    --block-bytes 100 --truncate -10 <"$T/p0a.jsonl" >/dev/null
BAD=$L/ns1/telemetry/1/2026/11/24/20/10/00.avro
run_status "$EDDY" lake ls "$L"
expect_eq "ls with a torn file: exit 1" 1 "$STATUS"
expect_contains "ls names the file, block and byte" \
    "eddy lake: $BAD: block 4 at byte " "$ERR"
expect_contains "ls says truncated" "truncated at byte $(($(stat -c %s "$BAD"))) (torn last block:" \
    "$ERR"
expect_contains "ls goes on with the other files" "ns1/telemetry/0                       2          8" \
    "$OUT"
expect_contains "ls marks the partition" "(1 corrupt)" "$OUT"

run_status "$EDDY" lake cat "$L"
expect_eq "cat with a torn file: exit 1" 1 "$STATUS"
expect_contains "cat names the file" "eddy lake: $BAD: block 4 at byte" "$ERR"
expect_eq "cat printed the files before it, and its whole blocks" 15 "$(echo "$OUT" | wc -l)"

# Not Avro at all.
echo "not avro" >"$T/x.avro"
run_status "$EDDY" lake cat "$T/x.avro"
expect_eq "cat non-Avro: exit 1" 1 "$STATUS"
expect_contains "cat non-Avro: message" \
    "$T/x.avro: header at byte 0: not an Avro object container file" "$ERR"

# Usage.
run_status "$EDDY" lake
expect_eq "no action: exit 2" 2 "$STATUS"
run_status "$EDDY" lake ls
expect_eq "ls without DIR: exit 2" 2 "$STATUS"
run_status "$EDDY" lake cat "$L" --files
expect_eq "cat --files: exit 2" 2 "$STATUS"
run_status "$EDDY" lake frobnicate
expect_contains "unknown action" "unknown action 'frobnicate'" "$ERR"
run_status "$EDDY" lake ls "$T/nope"
expect_eq "ls of a missing folder: exit 1" 1 "$STATUS"
expect_contains "ls of a missing folder: message" "No such file or directory" "$ERR"

finish
