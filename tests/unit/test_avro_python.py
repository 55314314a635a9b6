#!/usr/bin/python3
"""eddy and python3-avro read each other's files (ctest unit.test_avro_python).

Makes a random (seeded) set of events -- text and binary keys and bodies,
null keys and bodies, headers with null values, times before 1970 and in
leap years -- writes them as JSON lines for the C helper avro_emit (argv[1]),
which writes them with eddy's writer, once per codec (null, deflate, snappy),
with small blocks so there are many. avro.datafile.DataFileReader reads each
file back (checking sync markers, and for snappy the CRC) and every field of
every event must be what Event Hubs Capture's mapping says
(docs/format/capture-avro.md). An empty file (no events) must read as empty.

The other way round, python3-avro writes records of a schema with every
type (and recursion) with each codec -- its deflate blocks end with three
stray bytes of zlib's Adler-32, which readers must ignore -- and
`avro_emit --dump` (eddy's reader and JSON output) must print each record.
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


GENERIC = {
    "type": "record", "name": "All", "namespace": "t", "fields": [
        {"name": "n", "type": "null"}, {"name": "b", "type": "boolean"},
        {"name": "i", "type": "int"}, {"name": "l", "type": "long"},
        {"name": "f", "type": "float"}, {"name": "d", "type": "double"},
        {"name": "by", "type": "bytes"}, {"name": "s", "type": "string"},
        {"name": "e", "type": {"type": "enum", "name": "Color", "symbols": ["RED", "GREEN"]}},
        {"name": "a", "type": {"type": "array", "items": "long"}},
        {"name": "m", "type": {"type": "map", "values": ["null", "double", "Color"]}},
        {"name": "fx", "type": {"type": "fixed", "name": "F3", "size": 3}},
        {"name": "next", "type": ["null", "All"]}]}


def generic_record(rng, depth):
    return {"n": None, "b": rng.random() < 0.5, "i": rng.randrange(-2**31, 2**31),
            "l": rng.randrange(-2**63, 2**63), "f": rng.randrange(-1000, 1000) / 8,
            "d": rng.random() * 1e10, "by": rand_bytes(rng, rng.randrange(20)),
            "s": "s\u00e9\u2603\n\"%d" % rng.randrange(100),
            "e": rng.choice(["RED", "GREEN"]), "a": [rng.randrange(-99, 99) for _ in range(rng.randrange(5))],
            "m": {"k%d" % k: rng.choice([None, 2.5, "GREEN"]) for k in range(rng.randrange(4))},
            "fx": rand_bytes(rng, 3),
            "next": generic_record(rng, depth - 1) if depth > 0 else None}


def as_json(v):
    """A python record as Avro JSON with plain unions: bytes as latin-1."""
    if isinstance(v, bytes):
        return v.decode("latin-1")
    if isinstance(v, dict):
        return {k: as_json(x) for k, x in v.items()}
    if isinstance(v, list):
        return [as_json(x) for x in v]
    return v


def python_writes(tmp, rng):
    import avro.schema
    schema = avro.schema.parse(json.dumps(GENERIC))
    failures = 0
    recs = [generic_record(rng, i % 3) for i in range(300)]
    for codec in ("null", "deflate", "snappy"):
        path = os.path.join(tmp, "python-%s.avro" % codec)
        with open(path, "wb") as f:
            w = avro.datafile.DataFileWriter(f, avro.io.DatumWriter(), schema, codec=codec)
            for k, r in enumerate(recs):
                w.append(r)
                if k % 40 == 39:
                    w.flush()  # several blocks
            w.close()
        out = subprocess.run([EMIT, "--dump", path], capture_output=True, check=False)
        got = [json.loads(line) for line in out.stdout.decode().splitlines()]
        want = [as_json(r) for r in recs]
        if out.returncode != 0 or got != want:
            print("FAIL python-written %s: eddy exit %d %s" % (codec, out.returncode,
                                                             out.stderr.decode().strip()))
            for i, (g, w2) in enumerate(zip(got, want)):
                if g != w2:
                    print("  record %d:\n    eddy   %r\n    python %r" % (i, g, w2))
                    break
            failures += 1
        else:
            print("ok   python-written %s (%d records, %d bytes)" % (codec, len(recs),
                                                                 os.path.getsize(path)))
    return failures


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
        failures += python_writes(tmp, rng)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
