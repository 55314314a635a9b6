#!/usr/bin/python3
"""Independent checks for eddy produce / eddy consume integration tests.

Reads hubs with kafka-python (Debian python3-kafka 2.0.2) and writes with
confluent-kafka, never with eddy, and checks files that eddy consume wrote.

  telemetry --port P --topic T --expect N [--partitions K] [--summary FILE]
      reads the whole hub: exactly N events, every body JSON with exactly the
      documented telemetry fields, key == deviceId, each device in one
      partition; with --summary (eddy produce --summary json) the summary's
      delivered count and bytes equal what was read.
  count --port P --topic T [--summary FILE] [--min A --max B]
      reads the whole hub and prints "count=N bytes=B"; with --summary the
      summary's delivered/bytes must equal them.
  nexmark FILE [--start ISO]
      FILE holds bodies, one per line: valid JSON, documented fields per
      event_type, the 1:3:46 mix within 1%, and event times from --start.
  send-mixed --port P --topic T
      produces events with headers, binary and null keys, JSON, text and
      binary bodies with confluent-kafka.
  check-mixed FILE
      checks eddy consume --format json output of the send-mixed events.
  jsonl FILE --expect N
      every line of eddy consume --format json output has the documented
      fields with the right types.
"""

import argparse
import base64
import collections
import json
import os
import sys
import time

from kafka import KafkaConsumer, TopicPartition

COMMON = dict(request_timeout_ms=60000, api_version_auto_timeout_ms=30000, reconnect_backoff_ms=100)
DEADLINE_S = float(os.environ.get("EDDY_CLIENT_DEADLINE", "150"))

TELEMETRY_FIELDS = {"deviceId": str, "ts": str, "temperature": (int, float), "humidity": (int, float),
                    "status": str, "seq": int}
NEXMARK_FIELDS = {
    0: ("person", ["id", "name", "emailAddress", "creditCard", "city", "state", "dateTime", "extra"]),
    1: ("auction", ["id", "itemName", "description", "initialBid", "reserve", "dateTime", "expires",
                    "seller", "category", "extra"]),
    2: ("bid", ["auction", "bidder", "price", "channel", "url", "dateTime", "extra"]),
}


def die(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def read_all(port, topic):
    """Every record of every partition, from the beginning to the end offsets
    seen at the start, without a group."""
    c = KafkaConsumer(bootstrap_servers="127.0.0.1:%d" % port, group_id=None, enable_auto_commit=False,
                      auto_offset_reset="earliest", fetch_max_wait_ms=200, consumer_timeout_ms=1000,
                      max_partition_fetch_bytes=4 << 20, **COMMON)
    parts = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not parts:
        parts = c.partitions_for_topic(topic)
        if not parts:
            time.sleep(0.2)
    if not parts:
        die("no metadata for hub %s" % topic)
    tps = [TopicPartition(topic, p) for p in sorted(parts)]
    c.assign(tps)
    c.seek_to_beginning(*tps)
    end = c.end_offsets(tps)
    records = []
    deadline = time.monotonic() + DEADLINE_S
    while not all(c.position(tp) >= end[tp] for tp in tps):
        if time.monotonic() > deadline:
            die("timed out reading %s" % topic)
        for recs in c.poll(timeout_ms=1000, max_records=10000).values():
            records.extend(recs)
    c.close()
    return records, len(tps)


def check_summary(path, count, nbytes):
    s = json.load(open(path))
    if s["delivered"] != count or s["events"] != count or s["failed"] != 0:
        die("summary says events=%s delivered=%s failed=%s; the hub holds %d"
            % (s["events"], s["delivered"], s["failed"], count))
    if s["bytes"] != nbytes:
        die("summary says %d bytes; the hub holds %d (keys and bodies)" % (s["bytes"], nbytes))
    if s["events_per_second"] <= 0 or s["latency_ms"]["max"] < s["latency_ms"]["p99"] or \
            s["latency_ms"]["p99"] < s["latency_ms"]["p50"]:
        die("summary figures inconsistent: %s" % s)
    print("summary matches the hub: delivered=%d bytes=%d" % (count, nbytes))


def cmd_telemetry(a):
    records, nparts = read_all(a.port, a.topic)
    if a.partitions and nparts != a.partitions:
        die("hub has %d partitions, expected %d" % (nparts, a.partitions))
    if len(records) != a.expect:
        die("read %d events, expected exactly %d" % (len(records), a.expect))
    device_parts = collections.defaultdict(set)
    seqs = collections.defaultdict(list)
    nbytes = 0
    for r in records:
        nbytes += len(r.value) + (len(r.key) if r.key is not None else 0)
        try:
            body = json.loads(r.value)
        except ValueError as e:
            die("not JSON at partition %d offset %d: %s (%r)" % (r.partition, r.offset, e, r.value[:80]))
        if set(body) != set(TELEMETRY_FIELDS):
            die("fields %s, expected %s" % (sorted(body), sorted(TELEMETRY_FIELDS)))
        for k, t in TELEMETRY_FIELDS.items():
            if not isinstance(body[k], t) or isinstance(body[k], bool):
                die("field %s has %r" % (k, body[k]))
        if body["status"] not in ("ok", "warn", "error"):
            die("status %r" % body["status"])
        if len(body["ts"]) != 24 or body["ts"][10] != "T" or not body["ts"].endswith("Z"):
            die("ts %r is not ISO-8601 UTC with milliseconds" % body["ts"])
        if r.key != body["deviceId"].encode():
            die("key %r is not the deviceId %r" % (r.key, body["deviceId"]))
        device_parts[body["deviceId"]].add(r.partition)
        seqs[(r.partition, body["deviceId"])].append((r.offset, body["seq"]))
    split = {d: sorted(p) for d, p in device_parts.items() if len(p) > 1}
    if split:
        die("devices in more than one partition: %s" % dict(list(split.items())[:5]))
    # Within its partition, a device's events are in order.
    for key, lst in seqs.items():
        lst.sort()
        if [s for _, s in lst] != sorted(s for _, s in lst):
            die("device %s out of order in partition %d" % (key[1], key[0]))
    used = sorted({r.partition for r in records})
    print("kafka-python read %d events: all JSON with the documented fields; %d devices, each in one "
          "partition (partitions used: %s)" % (len(records), len(device_parts), used))
    if a.summary:
        check_summary(a.summary, len(records), nbytes)


def cmd_count(a):
    records, _ = read_all(a.port, a.topic)
    nbytes = sum(len(r.value) + (len(r.key) if r.key is not None else 0) for r in records)
    print("count=%d bytes=%d" % (len(records), nbytes))
    if a.min is not None and not (a.min <= len(records) <= a.max):
        die("count %d outside [%d, %d]" % (len(records), a.min, a.max))
    if a.summary:
        check_summary(a.summary, len(records), nbytes)


def cmd_nexmark(a):
    counts = collections.Counter()
    n = 0
    first = last = None
    ids = {0: 999, 1: 999}
    with open(a.file, "rb") as f:
        for line in f:
            n += 1
            ev = json.loads(line)
            t = ev["event_type"]
            name, fields = NEXMARK_FIELDS[t]
            inner = ev[name]
            if set(ev) != {"event_type", "dateTime", name}:
                die("event %d has top-level fields %s" % (n, sorted(ev)))
            if list(inner) != fields:
                die("event %d %s fields %s, expected %s" % (n, name, list(inner), fields))
            if inner["dateTime"] != ev["dateTime"]:
                die("event %d: dateTime differs inside and out" % n)
            if t in ids:
                if inner["id"] != ids[t] + 1:
                    die("event %d: %s id %d after %d" % (n, name, inner["id"], ids[t]))
                ids[t] = inner["id"]
            counts[t] += 1
            first = first or ev["dateTime"]
            last = ev["dateTime"]
    share = {0: 1 / 50, 1: 3 / 50, 2: 46 / 50}
    for t, want in share.items():
        got = counts[t] / n
        if abs(got - want) > 0.01 * want:
            die("event_type %d: share %.5f, expected %.5f (within 1%%)" % (t, got, want))
    if a.start and first != a.start:
        die("first event time %s, expected %s" % (first, a.start))
    print("%d Nexmark events: person %d, auction %d, bid %d (1:%.3f:%.3f); times %s .. %s"
          % (n, counts[0], counts[1], counts[2], counts[1] / counts[0], counts[2] / counts[0], first, last))


MIXED = [
    # (key, value, headers)
    (b"device-1", b'{"a": 1, "b": [1, 2,\n 3]}', [("source", b"sensor"), ("trace", b"abc")]),
    (None, b"plain text body", []),
    (b"\x00\xff\xfe", b"\x00\x01\x02\xff binary", [("bin", b"\xff\x00"), ("empty", b"")]),
    (b"k", b'"a JSON string, not embedded"', []),
    (b"k2", b"", [("nullval", None)]),
    ("clé".encode(), "héllo wörld ✓".encode(), []),
    (b"arr", b"[1,2,3]", []),
]


def cmd_send_mixed(a):
    # confluent-kafka: kafka-python cannot send a header with a null value.
    from confluent_kafka import Producer
    p = Producer({"bootstrap.servers": "127.0.0.1:%d" % a.port, "acks": "all", "linger.ms": 5})
    errors = []
    for k, v, h in MIXED:
        p.produce(a.topic, key=k, value=v, headers=h, partition=0,
                  on_delivery=lambda err, msg: err and errors.append(err))
        p.flush(DEADLINE_S)  # one at a time: offsets follow the list
    if errors or len(p):
        die("delivery failed: %s" % errors)
    print("confluent-kafka sent %d mixed events to partition 0" % len(MIXED))


def cmd_check_mixed(a):
    lines = open(a.file, "rb").read().split(b"\n")
    if lines[-1] != b"":
        die("output does not end with a newline")
    objs = [json.loads(l) for l in lines[:-1]]
    if len(objs) != len(MIXED):
        die("%d lines, expected %d" % (len(objs), len(MIXED)))
    for i, (o, (k, v, h)) in enumerate(zip(objs, MIXED)):
        if o["partition"] != 0 or o["offset"] != i:
            die("line %d: partition/offset %s/%s" % (i, o["partition"], o["offset"]))
        # key
        if k is None:
            ok = o["key"] is None and "keyEncoding" not in o
        else:
            try:
                k.decode("utf-8")
                ok = o["key"] == k.decode() and "keyEncoding" not in o
            except UnicodeDecodeError:
                ok = o.get("keyEncoding") == "base64" and base64.b64decode(o["key"]) == k
        if not ok:
            die("line %d: key %r for %r" % (i, o["key"], k))
        # headers: an object, values strings, null, or {"base64": ...}
        want = {}
        for name, val in h:
            if val is None:
                want[name] = None
            else:
                try:
                    want[name] = val.decode("utf-8")
                except UnicodeDecodeError:
                    want[name] = {"base64": base64.b64encode(val).decode()}
        if o["headers"] != want:
            die("line %d: headers %r, expected %r" % (i, o["headers"], want))
        # body: JSON objects and arrays embedded; text as a string; binary as base64
        try:
            text = v.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        embedded = None
        if text is not None:
            try:
                embedded = json.loads(text)
            except ValueError:
                pass
        if isinstance(embedded, (dict, list)):
            ok = o["body"] == embedded and "bodyEncoding" not in o
        elif text is not None:
            ok = o["body"] == text and "bodyEncoding" not in o
        else:
            ok = o.get("bodyEncoding") == "base64" and base64.b64decode(o["body"]) == v
        if not ok:
            die("line %d: body %r for %r" % (i, o["body"], v))
        if not (isinstance(o["enqueuedTime"], str) and o["enqueuedTime"].endswith("Z")):
            die("line %d: enqueuedTime %r" % (i, o.get("enqueuedTime")))
    print("eddy consume's JSON matches %d mixed events (keys, headers, bodies)" % len(objs))


def cmd_jsonl(a):
    n = 0
    for line in open(a.file, "rb"):
        o = json.loads(line)
        n += 1
        for f, t in (("partition", int), ("offset", int), ("enqueuedTime", str), ("headers", dict)):
            if not isinstance(o.get(f), t):
                die("line %d: %s is %r" % (n, f, o.get(f)))
        if "key" not in o or "body" not in o:
            die("line %d lacks key or body" % n)
    if n != a.expect:
        die("%d lines, expected %d" % (n, a.expect))
    print("%d JSON lines with partition, offset, enqueuedTime, key, headers, body" % n)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("telemetry")
    t.add_argument("--port", type=int, required=True)
    t.add_argument("--topic", required=True)
    t.add_argument("--expect", type=int, required=True)
    t.add_argument("--partitions", type=int)
    t.add_argument("--summary")
    c = sub.add_parser("count")
    c.add_argument("--port", type=int, required=True)
    c.add_argument("--topic", required=True)
    c.add_argument("--summary")
    c.add_argument("--min", type=int)
    c.add_argument("--max", type=int)
    n = sub.add_parser("nexmark")
    n.add_argument("file")
    n.add_argument("--start")
    s = sub.add_parser("send-mixed")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--topic", required=True)
    m = sub.add_parser("check-mixed")
    m.add_argument("file")
    j = sub.add_parser("jsonl")
    j.add_argument("file")
    j.add_argument("--expect", type=int, required=True)
    a = ap.parse_args()
    {"telemetry": cmd_telemetry, "count": cmd_count, "nexmark": cmd_nexmark, "send-mixed": cmd_send_mixed,
     "check-mixed": cmd_check_mixed, "jsonl": cmd_jsonl}[a.cmd](a)


if __name__ == "__main__":
    main()
