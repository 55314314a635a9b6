#!/usr/bin/python3
"""EventData files written by eddy, read by python3-avro (ctest unit.test_avro_python).

Makes a random (seeded) set of events -- text and binary keys and bodies,
null keys and bodies, headers with null values, times before 1970 and in
leap years -- writes them as JSON lines for the C helper avro_emit (argv[1]),
which writes them with eddy's writer, once per codec (null, deflate, snappy),
with small blocks so there are many. avro.datafile.DataFileReader reads each
file back (checking sync markers, and for snappy the CRC) and every field of
every event must be what Event Hubs Capture's mapping says
(docs/format/capture-avro.md). An empty file (no events) must read as empty.
Exits 77 (skipped) when python3-avro is missing.
"""
import datetime
import json
import os
import random
import subprocess
import sys
import tempfile

try:
    import avro.datafile
    import avro.io
except ImportError as e:
    print("skipped: %s" % e)
    sys.exit(77)

EMIT = sys.argv[1]


def iso7(ms):
    t = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(
        milliseconds=ms)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d0000Z" % (ms % 1000)


def rand_bytes(rng, n):
    return bytes(rng.randrange(256) for _ in range(n))


def jbytes(b):
    """A value for avro_emit: text when UTF-8, else hex."""
    if b is None:
        return None
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return {"hex": b.hex()}


def make_events(rng, n):
    evs = []
    t = 1795550400123
    for i in range(n):
        r = rng.random()
        if r < 0.15:
            key = None
        elif r < 0.25:
            key = rand_bytes(rng, 5) + b"\xff"
        else:
            key = ("device-%04d" % rng.randrange(1000)).encode()
        r = rng.random()
        if r < 0.05:
            body = None
        elif r < 0.1:
            body = rand_bytes(rng, rng.randrange(300))
        elif r < 0.12:
            body = b""
        else:
            body = json.dumps({"deviceId": "d-%d" % i, "temperature": rng.random() * 40,
                               "text": "caf\u00e9 \u2603", "pad": "x" * rng.randrange(200)}).encode()
        headers = []
        for h in range(rng.randrange(4)):
            v = None if rng.random() < 0.2 else ("value-%d" % rng.randrange(100)).encode()
            headers.append(("h%d" % h, v))
        if i == 7:
            t = 951782399999  # around 2000-02-29
        elif i == 13:
            t = -123456789  # 1969
        t += rng.randrange(50)
        evs.append({"seq": 1000 + i, "ms": t, "key": key, "body": body, "headers": headers})
    return evs


def check(path, evs):
    with open(path, "rb") as f:
        reader = avro.datafile.DataFileReader(f, avro.io.DatumReader())
        rows = list(reader)
        reader.close()
    if len(rows) != len(evs):
        return "expected %d events, read %d" % (len(evs), len(rows))
    for row, ev in zip(rows, evs):
        want_sys = {"x-opt-sequence-number": ev["seq"], "x-opt-offset": str(ev["seq"]),
                    "x-opt-enqueued-time": ev["ms"]}
        if ev["key"] is not None:
            try:
                want_sys["x-opt-partition-key"] = ev["key"].decode("utf-8")
            except UnicodeDecodeError:
                want_sys["x-opt-partition-key"] = ev["key"]
        want = {
            "SequenceNumber": ev["seq"],
            "Offset": str(ev["seq"]),
            "EnqueuedTimeUtc": iso7(ev["ms"]),
            "SystemProperties": want_sys,
            "Properties": {k: (v if v is not None else b"") for k, v in ev["headers"]},
            "Body": ev["body"],
        }
        if row != want:
            return "event %d:\n  read %r\n  want %r" % (ev["seq"], row, want)
    return None


def main():
    rng = random.Random(20261124)
    evs = make_events(rng, 800)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "events.jsonl")
        with open(src, "w") as f:
            for ev in evs:
                f.write(json.dumps({"seq": ev["seq"], "ms": ev["ms"], "key": jbytes(ev["key"]),
                                    "body": jbytes(ev["body"]),
                                    "headers": [[k, jbytes(v)] for k, v in ev["headers"]]}) + "\n")
        for codec in ("null", "deflate", "snappy"):
            for name, events, source in (("events", evs, src), ("empty", [], os.devnull)):
                out = os.path.join(tmp, "%s-%s.avro" % (name, codec))
                with open(source, "rb") as stdin:
                    subprocess.run([EMIT, "--codec", codec, "--block-bytes", "8192", out],
                                   stdin=stdin, check=True)
                err = check(out, events)
                if err:
                    print("FAIL %s %s: %s" % (name, codec, err))
                    failures += 1
                else:
                    print("ok   %s %s (%d events, %d bytes)" % (name, codec, len(events),
                                                              os.path.getsize(out)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
