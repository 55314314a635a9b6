#!/usr/bin/env bash
# eddy lake verify against a real hub: kcat produces keyed events with
# headers into two partitions; lakes are built from the same events with
# eddy's Avro writer (avro_emit, $AVRO_EMIT) -- capture's end-to-end test
# comes with capture. An exact lake verifies (exit 0); a lake with an event
# missing, one doubled, one with another body and one without its headers
# is reported offset by offset (exit 1), while events above the log's end
# at start are not errors; a torn lake file is named with its byte
# position; two namespace folders need --namespace (exit 2 without); empty
# and null keys, bodies and header values are told apart.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"

AVRO_EMIT=${AVRO_EMIT:?AVRO_EMIT must point at the avro_emit test helper}
start_hub --auto-create off
B=127.0.0.1:$HUB_PORT

run_status "$EDDY" hubs create telemetry --partitions 2 --bootstrap "$B"
expect_eq "hubs create" 0 "$STATUS"

# 20 events on partition 0 with a header, 10 on partition 1 without.
for i in $(seq 0 19); do printf 'dev-%d\t{"i":%d}\n' "$i" "$i"; done >"$T/p0.txt"
for i in $(seq 0 9); do printf 'dev-%d\tplain %d\n' "$i" "$i"; done >"$T/p1.txt"
kcat -P -b "$B" -t telemetry -p 0 -K $'\t' -H src=kcat -X request.required.acks=-1 \
    -l "$T/p0.txt"
kcat -P -b "$B" -t telemetry -p 1 -K $'\t' -X request.required.acks=-1 -l "$T/p1.txt"

# The lake's JSON lines for avro_emit: [partition, offset, key, body, headers].
"$PY" - "$T" <<'EOF'
import json, sys
t = sys.argv[1]
def line(seq, key, body, headers):
    return json.dumps({"seq": seq, "ms": 1795550400000 + seq, "key": key, "body": body,
                       "headers": headers}) + "\n"
p0 = [(i, "dev-%d" % i, '{"i":%d}' % i, [["src", "kcat"]]) for i in range(20)]
p1 = [(i, "dev-%d" % i, "plain %d" % i, []) for i in range(10)]
def write(name, evs):
    with open("%s/%s.jsonl" % (t, name), "w") as f:
        for e in evs:
            f.write(line(*e))
# Exact: partition 0 in two files, partition 1 in one.
write("good-p0a", p0[:12])
write("good-p0b", p0[12:])
write("good-p1", p1)
# Damaged: 7 missing, 3 doubled (again in the second file), 12's body
# differs, 15 lost its headers, 25 was captured after verify started.
bad = [e for e in p0 if e[0] != 7]
bad = [(s, k, ('{"i":-1}' if s == 12 else b), ([] if s == 15 else h)) for s, k, b, h in bad]
write("bad-p0a", bad[:11])
write("bad-p0b", [p0[3]] + bad[11:] + [(25, "dev-25", "late", [])])
EOF

emit() {
    local lake=$1 ns=$2 part=$3 window=$4 src=$5
    "$AVRO_EMIT" --lake "$lake" --ns "$ns" --hub telemetry --partition "$part" \
        --window "$window" --codec deflate <"$T/$src.jsonl" >/dev/null
}
emit "$T/good" ns1 0 2026-11-24T20:00:00Z good-p0a
emit "$T/good" ns1 0 2026-11-24T20:05:00Z good-p0b
emit "$T/good" ns1 1 2026-11-24T20:00:00Z good-p1

run_status "$EDDY" lake verify --hub telemetry --lake "$T/good" --bootstrap "$B"
expect_eq "exact lake: exit 0" 0 "$STATUS"
expect_contains "exact lake: partition 0" \
    "partition 0: log 20 (offsets 0..19), lake 20 in 2 files" "$OUT"
expect_contains "exact lake: partition 1" "partition 1: log 10 (offsets 0..9), lake 10 in 1 files" \
    "$OUT"
expect_contains "exact lake: verdict" "OK: every event of the log is in the lake exactly once" "$OUT"
expect_contains "exact lake: namespace found" "lake $T/good/ns1/telemetry" "$OUT"

emit "$T/bad" ns1 0 2026-11-24T20:00:00Z bad-p0a
emit "$T/bad" ns1 0 2026-11-24T20:05:00Z bad-p0b
emit "$T/bad" ns1 1 2026-11-24T20:00:00Z good-p1
run_status "$EDDY" lake verify --hub telemetry --lake "$T/bad" --namespace ns1 --bootstrap "$B"
expect_eq "damaged lake: exit 1" 1 "$STATUS"
expect_contains "damaged lake: counts" "partition 0: log 20 (offsets 0..19), lake 21 in 2 files" "$OUT"
expect_contains "damaged lake: missing" "  missing: 7" "$OUT"
expect_contains "damaged lake: doubled" "  doubled: 3" "$OUT"
expect_contains "damaged lake: differing" "  differing: 12 15" "$OUT"
expect_contains "damaged lake: what differs" "  differing in: key 0, body 1, headers 1" "$OUT"
expect_contains "damaged lake: late event not an error" \
    "  not checked: 1 captured after verify started, 0 below the log start (retention)" "$OUT"
expect_contains "damaged lake: partition 1 fine" "$(printf 'lake 10 in 1 files\n  exactly once')" \
    "$OUT"
expect_contains "damaged lake: verdict" "FAIL: the lake does not hold the log exactly once" "$OUT"

# A torn file in the exact lake.
cp -r "$T/good" "$T/torn"
"$AVRO_EMIT" --lake "$T/torn" --ns ns1 --hub telemetry --partition 0 \
    --window 2026-11-24T20:05:00Z --block-bytes 50 --truncate -5 <"$T/good-p0b.jsonl" >/dev/null
run_status "$EDDY" lake verify --hub telemetry --lake "$T/torn" --bootstrap "$B"
expect_eq "torn file: exit 1" 1 "$STATUS"
expect_contains "torn file: named with its position" \
    "$T/torn/ns1/telemetry/0/2026/11/24/20/05/00.avro: block " "$ERR"
expect_contains "torn file: truncated" "(torn last block:" "$ERR"
expect_contains "torn file: counted" "1 damaged files" "$OUT"

# Two namespaces with the hub: --namespace is needed.
cp -r "$T/good/ns1" "$T/good/ns2"
run_status "$EDDY" lake verify --hub telemetry --lake "$T/good" --bootstrap "$B"
expect_eq "two namespaces: exit 2" 2 "$STATUS"
expect_contains "two namespaces: message" "2 namespace folders under $T/good hold 'telemetry'" "$ERR"
run_status "$EDDY" lake verify --hub telemetry --lake "$T/good" --namespace ns2 --bootstrap "$B"
expect_eq "two namespaces, --namespace ns2: exit 0" 0 "$STATUS"

# Usage.
run_status "$EDDY" lake verify --lake "$T/good" --bootstrap "$B"
expect_eq "verify without --hub: exit 2" 2 "$STATUS"
run_status "$EDDY" lake verify --hub telemetry --bootstrap "$B"
expect_eq "verify without --lake: exit 2" 2 "$STATUS"

# Empty versus null keys, bodies and header values (confluent-kafka sends
# each as the protocol allows); capture writes a null header value as empty.
run_status "$EDDY" hubs create edge --partitions 1 --bootstrap "$B"
"$PY" - "$B" <<'EOF'
import sys
from confluent_kafka import Producer
p = Producer({"bootstrap.servers": sys.argv[1]})
p.produce("edge", key=b"", value=b"", partition=0, headers=[("e", b""), ("n", None)])
p.produce("edge", key=None, value=None, partition=0)
p.flush(30)
EOF
printf '%s\n' '{"seq":0,"ms":0,"key":"","body":"","headers":[["e",""],["n",null]]}' \
    '{"seq":1,"ms":0,"key":null,"body":null,"headers":[]}' >"$T/edge.jsonl"
"$AVRO_EMIT" --lake "$T/edge" --ns ns1 --hub edge --partition 0 --window 0 <"$T/edge.jsonl" >/dev/null
run_status "$EDDY" lake verify --hub edge --lake "$T/edge" --bootstrap "$B"
expect_eq "empty and null keys, bodies, header values: exit 0" 0 "$STATUS"
# A lake that swapped them is caught.
printf '%s\n' '{"seq":0,"ms":0,"key":null,"body":null,"headers":[["e",""],["n",null]]}' \
    '{"seq":1,"ms":0,"key":"","body":"","headers":[]}' >"$T/edge2.jsonl"
"$AVRO_EMIT" --lake "$T/edge2" --ns ns1 --hub edge --partition 0 --window 0 <"$T/edge2.jsonl" \
    >/dev/null
run_status "$EDDY" lake verify --hub edge --lake "$T/edge2" --bootstrap "$B"
expect_eq "null/empty swapped: exit 1" 1 "$STATUS"
expect_contains "null/empty swapped: both differ" "  differing in: key 2, body 2, headers 0" "$OUT"

hub_alive "after verify"
finish
