"""Capture tests: produce known events, dump the hub's log and the lake as
read by independent Avro readers, and compare them.

  produce --port P --topic T --count N [--rate EV_PER_S] [--acks-out FILE]
          keyed events with headers (some keyless, some with a null body,
          some with non-UTF-8 bytes), acks=all, idempotent.
  log --port P --topic T --out FILE
          the log as it is (every partition from its start to its high
          watermark), one normalized JSON line per event.
  lake --lake DIR --hub H [--ns NS] --reader python|avrocat|avsc --out FILE
          [--interval S] [--files-out FILE]
          every event of every capture file, normalized; with the python
          reader also checks each event's Event Hubs fields (Offset,
          EnqueuedTimeUtc format, SystemProperties) and, with --interval,
          that the event's enqueued time lies in its file's time window.
  wait --lake DIR --hub H [--ns NS] --port P --topic T [--timeout S]
          waits until the lake holds as many events as the log (python reader,
          files cached).
  compare --truth FILE --got FILE --what NAME
          every event of the truth exactly once in got, with equal key, body
          and headers; nothing else in got.

Normalized event: {"p": partition, "seq": offset, "key": hex|null,
"body": hex|null, "h": [[name, value hex], ...] (sorted)}.
"""

import argparse
import collections
import datetime
import glob
import json
import os
import re
import subprocess
import sys
import time

DEADLINE_S = float(os.environ.get("EDDY_CLIENT_DEADLINE", "150"))
HERE = os.path.dirname(os.path.abspath(__file__))
TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$")


def norm(p, seq, key, body, headers):
    h = sorted([k, (v or b"").hex()] for k, v in headers)
    return {"p": p, "seq": seq, "key": None if key is None else key.hex(),
            "body": None if body is None else body.hex(), "h": h}


def event_value(i):
    if i % 77 == 0:
        return None
    if i % 101 == 0:
        return b"\xff\xfe binary \x01\x02 " + str(i).encode()
    return json.dumps({"deviceId": "device-%04d" % (i % 97), "seq": i,
                       "temperature": round(20 + (i % 13) * 0.37, 2),
                       "status": "ok" if i % 5 else "warn", "note": "caf\u00e9"}).encode()


def cmd_produce(a):
    from confluent_kafka import Producer
    p = Producer({"bootstrap.servers": "127.0.0.1:%d" % a.port, "enable.idempotence": True,
                  "acks": "all", "linger.ms": 5, "compression.codec": "lz4",
                  "message.timeout.ms": int(DEADLINE_S * 1000),
                  "reconnect.backoff.ms": 100, "reconnect.backoff.max.ms": 1000})
    acked = open(a.acks_out, "a", buffering=1) if a.acks_out else None
    stats = collections.Counter()

    def cb(err, msg):
        if err is not None:
            stats["failed"] += 1
            if stats["failed"] <= 5:
                print("delivery failed: %s" % err, file=sys.stderr)
            return
        stats["acked"] += 1
        if acked:
            acked.write(json.dumps({"p": msg.partition(), "o": msg.offset()}) + "\n")

    t0 = time.monotonic()
    for i in range(a.count):
        key = None if i % 50 == 0 else ("device-%04d" % (i % 97)).encode()
        headers = [("i", str(i).encode()), ("kind", b"telemetry" if i % 3 else b"\xc3\xa9v\xe9nt")]
        while True:
            try:
                p.produce(a.topic, value=event_value(i), key=key, headers=headers, on_delivery=cb)
                break
            except BufferError:
                p.poll(0.05)
        p.poll(0)
        if a.rate:
            ahead = (i + 1) / a.rate - (time.monotonic() - t0)
            if ahead > 0:
                time.sleep(ahead)
    left = p.flush(DEADLINE_S)
    print("produced %d acked %d failed %d unflushed %d" % (a.count, stats["acked"], stats["failed"], left))
    return 0 if stats["acked"] == a.count and left == 0 else 1


def cmd_log(a):
    from confluent_kafka import Consumer, TopicPartition
    c = Consumer({"bootstrap.servers": "127.0.0.1:%d" % a.port, "group.id": "capture-check",
                  "enable.auto.commit": False, "enable.partition.eof": True})
    md = c.list_topics(a.topic, timeout=30)
    parts = sorted(md.topics[a.topic].partitions)
    ends = {}
    tps = []
    for p in parts:
        lo, hi = c.get_watermark_offsets(TopicPartition(a.topic, p), timeout=30)
        ends[p] = hi
        if hi > lo:
            tps.append(TopicPartition(a.topic, p, lo))
    c.assign(tps)
    pending = {tp.partition for tp in tps}
    out = open(a.out, "w")
    n = 0
    deadline = time.monotonic() + DEADLINE_S
    while pending and time.monotonic() < deadline:
        for m in c.consume(1000, 1.0):
            if m.error():
                continue
            if m.offset() < ends[m.partition()]:
                out.write(json.dumps(norm(m.partition(), m.offset(), m.key(), m.value(), m.headers() or [])) + "\n")
                n += 1
            if m.offset() + 1 >= ends[m.partition()]:
                pending.discard(m.partition())
    c.close()
    out.close()
    print("log: %d events in %d partitions (%s)" % (n, len(parts), ", ".join("%d:%d" % kv for kv in sorted(ends.items()))))
    return 0 if not pending else 1


def lake_files(lake, ns, hub):
    files = glob.glob(os.path.join(lake, ns, hub, "*", "*", "*", "*", "*", "*", "*.avro"))
    return sorted(files)


def file_partition(path, lake, ns, hub):
    rel = os.path.relpath(path, os.path.join(lake, ns, hub))
    return int(rel.split(os.sep)[0])


def file_window_start(path):
    parts = path[:-len(".avro")].split(os.sep)[-6:]
    y, mo, d, h, mi, s = (int(x) for x in parts)
    return datetime.datetime(y, mo, d, h, mi, s, tzinfo=datetime.timezone.utc).timestamp()


def read_python(path, meta=None):
    import avro.datafile
    import avro.io
    with open(path, "rb") as f:
        r = avro.datafile.DataFileReader(f, avro.io.DatumReader())
        recs = list(r)
        if meta is not None:
            meta.update({k: v.decode() for k, v in r.meta.items()})
        r.close()
    return recs


class Problems:
    def __init__(self):
        self.n = 0

    def add(self, msg):
        self.n += 1
        if self.n <= 20:
            print("PROBLEM: " + msg, file=sys.stderr)


def check_python_event(path, r, probs, interval):
    seq = r["SequenceNumber"]
    if r["Offset"] != str(seq):
        probs.add("%s seq %d: Offset %r" % (path, seq, r["Offset"]))
    t = r["EnqueuedTimeUtc"]
    if not TIME_RE.match(t):
        probs.add("%s seq %d: EnqueuedTimeUtc %r is not ISO-8601 with 7 digits and Z" % (path, seq, t))
        return
    ms = int(datetime.datetime.strptime(t[:23], "%Y-%m-%dT%H:%M:%S.%f").replace(
        tzinfo=datetime.timezone.utc).timestamp() * 1000 + 0.5)
    sp = r["SystemProperties"]
    if sp.get("x-opt-sequence-number") != seq:
        probs.add("%s seq %d: x-opt-sequence-number %r" % (path, seq, sp.get("x-opt-sequence-number")))
    if sp.get("x-opt-offset") != str(seq):
        probs.add("%s seq %d: x-opt-offset %r" % (path, seq, sp.get("x-opt-offset")))
    if sp.get("x-opt-enqueued-time") != ms:
        probs.add("%s seq %d: x-opt-enqueued-time %r != %d" % (path, seq, sp.get("x-opt-enqueued-time"), ms))
    if interval:
        start = file_window_start(path) * 1000
        if not (start <= ms < start + interval * 1000):
            probs.add("%s seq %d: enqueued %s outside the file's window" % (path, seq, t))


def read_lake(a, probs):
    """Yields (path, [normalized events]) per file."""
    files = lake_files(a.lake, a.ns, a.hub)
    if a.reader == "avsc":
        proc = subprocess.run(["node", os.path.join(HERE, "capture_avsc.mjs")] + files,
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            raise SystemExit("avsc reader failed")
        byfile = collections.OrderedDict((f, []) for f in files)
        for line in proc.stdout.splitlines():
            d = json.loads(line)
            byfile[d["file"]].append(d)
        for f, evs in byfile.items():
            p = file_partition(f, a.lake, a.ns, a.hub)
            yield f, [norm(p, e["seq"], None if e["key"] is None else bytes.fromhex(e["key"]),
                           None if e["body"] is None else bytes.fromhex(e["body"]),
                           [(k, bytes.fromhex(v)) for k, v in e["h"]]) for e in evs]
        return
    for f in files:
        p = file_partition(f, a.lake, a.ns, a.hub)
        evs = []
        if a.reader == "python":
            meta = {}
            recs = read_python(f, meta)
            if a.expect_codec and meta.get("avro.codec", "null") != a.expect_codec:
                probs.add("%s: codec %r, expected %r" % (f, meta.get("avro.codec"), a.expect_codec))
            if json.loads(meta["avro.schema"])["name"] != "EventData":
                probs.add("%s: schema %s" % (f, meta["avro.schema"]))
            for r in recs:
                check_python_event(f, r, probs, a.interval)
                key = r["SystemProperties"].get("x-opt-partition-key")
                evs.append(norm(p, r["SequenceNumber"], None if key is None else key.encode(), r["Body"],
                                [(k, v) for k, v in r["Properties"].items()]))
        else:
            proc = subprocess.run(["avrocat", f], capture_output=True, check=False)
            if proc.returncode != 0:
                raise SystemExit("avrocat %s failed: %s" % (f, proc.stderr.decode(errors="replace")))
            for line in proc.stdout.decode().splitlines():
                r = json.loads(line)
                key = r["SystemProperties"].get("x-opt-partition-key")
                body = r["Body"]
                evs.append(norm(p, r["SequenceNumber"],
                                None if key is None else key["string"].encode(),
                                None if body is None else body["bytes"].encode("latin-1"),
                                [(k, v["bytes"].encode("latin-1")) for k, v in r["Properties"].items()]))
        yield f, evs


def cmd_lake(a):
    probs = Problems()
    out = open(a.out, "w")
    nfiles = nev = nempty = 0
    files_out = open(a.files_out, "w") if a.files_out else None
    for f, evs in read_lake(a, probs):
        nfiles += 1
        nempty += not evs
        nev += len(evs)
        if files_out:
            files_out.write("%s %d\n" % (os.path.relpath(f, a.lake), len(evs)))
        for e in evs:
            out.write(json.dumps(e) + "\n")
    out.close()
    print("lake (%s): %d files (%d empty), %d events" % (a.reader, nfiles, nempty, nev))
    return 1 if probs.n else 0


def cmd_wait(a):
    from confluent_kafka import Consumer, TopicPartition
    c = Consumer({"bootstrap.servers": "127.0.0.1:%d" % a.port, "group.id": "capture-wait"})
    md = c.list_topics(a.topic, timeout=30)
    total = 0
    for p in md.topics[a.topic].partitions:
        lo, hi = c.get_watermark_offsets(TopicPartition(a.topic, p), timeout=30)
        total += hi - lo
    c.close()
    cache = {}
    deadline = time.monotonic() + a.timeout
    have = 0
    while time.monotonic() < deadline:
        have = 0
        for f in lake_files(a.lake, a.ns, a.hub):
            if f not in cache:
                try:
                    cache[f] = len(read_python(f))
                except Exception as e:  # a file being replaced: read it next round
                    print("read %s: %s" % (f, e), file=sys.stderr)
                    continue
            have += cache[f]
        if have >= total:
            print("lake holds %d events, the log %d" % (have, total))
            return 0
        time.sleep(0.5)
    print("timeout: the lake holds %d events, the log %d" % (have, total), file=sys.stderr)
    return 1


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def cmd_compare(a):
    truth = load(a.truth)
    got = load(a.got)
    seen = collections.Counter((e["p"], e["seq"]) for e in got)
    bykey = {(e["p"], e["seq"]): e for e in got}
    probs = Problems()
    missing = doubled = differ = 0
    for e in truth:
        k = (e["p"], e["seq"])
        if seen[k] == 0:
            missing += 1
            probs.add("%s: partition %d offset %d is missing" % (a.what, *k))
        elif seen[k] > 1:
            doubled += 1
            probs.add("%s: partition %d offset %d appears %d times" % (a.what, k[0], k[1], seen[k]))
        elif bykey[k] != e:
            differ += 1
            probs.add("%s: partition %d offset %d differs: %s vs log %s" % (a.what, k[0], k[1], bykey[k], e))
    tk = {(e["p"], e["seq"]) for e in truth}
    extra = sum(1 for k in seen if k not in tk)
    if extra:
        probs.add("%s: %d events not in the log" % (a.what, extra))
    print("%s: %d events checked: %d missing, %d doubled, %d different, %d extra" %
          (a.what, len(truth), missing, doubled, differ, extra))
    return 1 if probs.n else 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("produce")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--topic", required=True)
    s.add_argument("--count", type=int, required=True)
    s.add_argument("--rate", type=float, default=0)
    s.add_argument("--acks-out")
    s = sub.add_parser("log")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--topic", required=True)
    s.add_argument("--out", required=True)
    for name in ("lake", "wait"):
        s = sub.add_parser(name)
        s.add_argument("--lake", required=True)
        s.add_argument("--hub", required=True)
        s.add_argument("--ns", default="eddy")
        if name == "lake":
            s.add_argument("--reader", choices=("python", "avrocat", "avsc"), required=True)
            s.add_argument("--out", required=True)
            s.add_argument("--interval", type=float, default=0)
            s.add_argument("--files-out")
            s.add_argument("--expect-codec")
        else:
            s.add_argument("--port", type=int, required=True)
            s.add_argument("--topic", required=True)
            s.add_argument("--timeout", type=float, default=120)
    s = sub.add_parser("compare")
    s.add_argument("--truth", required=True)
    s.add_argument("--got", required=True)
    s.add_argument("--what", required=True)
    a = ap.parse_args()
    return globals()["cmd_" + a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
