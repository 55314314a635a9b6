#!/usr/bin/python3
"""confluent-kafka-python (Debian 1.7.0 on librdkafka 2.0.2) driver for eddy's tests.

  create  --port P --topic T --partitions N          AdminClient.create_topics, then checks metadata
  produce --port P --topic T --set SET [--compression C] [--partitioner P] [--acks-out FILE]
  consume --port P --topic T --out DUMP [--expect-partitions N]
          assign() every partition from OFFSET_BEGINNING (no group join) and
          read up to the high watermarks seen at start.
  idem-produce --port P --topic T --acks-out FILE --stop-file F [--max N] [--progress FILE]
          an idempotent acks=all producer that keeps producing keyed events
          until F exists (or N events), then flushes; every delivery report
          without error is appended to FILE as {"v": VALUE, "p": .., "o": ..}
          and flushed at once, so a reader sees acks as they come.
  verify-acked --acks FILE --dump DUMP
          every acknowledged value is in the log exactly once, at the offset
          its delivery report gave; no value is in the log twice.
"""

import argparse
import collections
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset  # noqa: E402

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaException, Producer, TopicPartition  # noqa: E402
from confluent_kafka.admin import AdminClient, NewTopic  # noqa: E402

DEADLINE_S = float(os.environ.get("EDDY_CLIENT_DEADLINE", "150"))


def base_conf(port, client_id, debug=False):
    conf = {
        "bootstrap.servers": "127.0.0.1:%d" % port,
        "client.id": client_id,
        "socket.timeout.ms": 60000,
        "reconnect.backoff.ms": 100,
        "reconnect.backoff.max.ms": 1000,
    }
    if debug:
        conf["debug"] = "protocol,broker"
    return conf


def topic_partitions(client, topic, timeout=30):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        md = client.list_topics(topic, timeout=10)
        t = md.topics.get(topic)
        if t is not None and t.error is None and t.partitions:
            return sorted(t.partitions)
        last = None if t is None else t.error
        time.sleep(0.2)
    sys.exit("no metadata for %s: %s" % (topic, last))


def cmd_create(a):
    admin = AdminClient(base_conf(a.port, "eddy-confluent-admin", a.debug))
    futs = admin.create_topics([NewTopic(a.topic, num_partitions=a.partitions, replication_factor=1)],
                               request_timeout=60, operation_timeout=30)
    for t, f in futs.items():
        f.result(timeout=60)  # raises KafkaException on a topic error
        print("created %s" % t)
    parts = topic_partitions(admin, a.topic)
    if parts != list(range(a.partitions)):
        sys.exit("metadata: partitions %s, expected 0..%d" % (parts, a.partitions - 1))
    print("topic %s has partitions %s" % (a.topic, parts))


def cmd_produce(a):
    events = dataset.read_lines(a.set)
    conf = base_conf(a.port, "eddy-confluent-producer", a.debug)
    conf.update({
        "acks": "all",
        "compression.codec": a.compression,
        "partitioner": a.partitioner,
        "linger.ms": 5,
        "message.timeout.ms": int(DEADLINE_S * 1000),
        "request.timeout.ms": 60000,
        # A retry must not reorder a key's events.
        "max.in.flight.requests.per.connection": 1,
    })
    p = Producer(conf)
    acks = []
    errors = []

    def on_delivery(i):
        def cb(err, msg):
            if err is not None:
                errors.append((i, err))
            else:
                acks.append({"i": i, "p": msg.partition(), "o": msg.offset()})
        return cb

    for i, ev in enumerate(events):
        while True:
            try:
                p.produce(a.topic, key=ev["k"], value=ev["v"], headers=ev["h"], on_delivery=on_delivery(i))
                break
            except BufferError:
                p.poll(0.1)
        p.poll(0)
    left = p.flush(DEADLINE_S)
    if a.acks_out:
        with open(a.acks_out, "w") as f:
            for x in acks:
                f.write(json.dumps(x) + "\n")
    print("produced %d events (%d failed, %d undelivered), compression %s"
          % (len(acks), len(errors), left, a.compression))
    for i, err in errors[:5]:
        print("event %d: delivery failed: %s" % (i, err), file=sys.stderr)
    if errors or left:
        sys.exit("%d deliveries failed, %d still queued" % (len(errors), left))


def consume_all(port, topic, expect_partitions=None, debug=False):
    conf = base_conf(port, "eddy-confluent-consumer", debug)
    conf.update({
        "group.id": "eddy-test-assign-only",  # required by the library; no join: assign() only
        "enable.auto.commit": False,
        "enable.auto.offset.store": False,
        "auto.offset.reset": "earliest",
        "enable.partition.eof": True,
        "fetch.wait.max.ms": 200,
    })
    c = Consumer(conf)
    parts = topic_partitions(c, topic)
    if expect_partitions is not None and parts != list(range(expect_partitions)):
        sys.exit("metadata: partitions %s, expected 0..%d" % (parts, expect_partitions - 1))
    begin, end = {}, {}
    for p in parts:
        lo, hi = c.get_watermark_offsets(TopicPartition(topic, p), timeout=30)
        begin[p], end[p] = lo, hi
    print("offsets: " + ", ".join("p%d %d..%d" % (p, begin[p], end[p]) for p in parts))
    c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in parts])
    pos = dict(begin)
    out = []
    deadline = time.monotonic() + DEADLINE_S
    while any(pos[p] < end[p] for p in parts):
        if time.monotonic() > deadline:
            sys.exit("timed out: positions %s, end offsets %s" % (pos, end))
        for m in c.consume(num_messages=1000, timeout=1.0):
            if m.error() is not None:
                if m.error().code() == -191:  # _PARTITION_EOF
                    continue
                sys.exit("consume error: %s" % m.error())
            out.append(dataset.dump_line(m.partition(), m.offset(), m.key(), m.value(), m.headers()))
            pos[m.partition()] = max(pos[m.partition()], m.offset() + 1)
    c.close()
    return out, begin, end


def cmd_consume(a):
    records, begin, end = consume_all(a.port, a.topic, a.expect_partitions, a.debug)
    with open(a.out, "w") as f:
        for line in records:
            f.write(line + "\n")
    print("consumed %d events" % len(records))


def cmd_idem_produce(a):
    conf = base_conf(a.port, "eddy-confluent-idempotent", a.debug)
    conf.update({
        "enable.idempotence": True,
        "acks": "all",
        "linger.ms": 2,
        "compression.codec": "lz4",
        # Survive a hub that is down for a while: retry, never time a message out early.
        "message.timeout.ms": int(DEADLINE_S * 1000),
        "request.timeout.ms": 30000,
    })
    p = Producer(conf)
    acked = open(a.acks_out, "a", buffering=1)
    stats = collections.Counter()

    def cb(err, msg):
        if err is not None:
            stats["failed"] += 1
            if stats["failed"] <= 5:
                print("delivery failed: %s" % err, file=sys.stderr)
            return
        stats["acked"] += 1
        acked.write(json.dumps({"v": msg.value().decode(), "p": msg.partition(), "o": msg.offset()}) + "\n")

    n = 0
    t0 = time.monotonic()
    while n < a.max and not os.path.exists(a.stop_file):
        if time.monotonic() - t0 > DEADLINE_S:
            break
        key = "k%02d" % (n % 16)
        value = "kill9-%06d-%s" % (n, "x" * (n % 50))
        try:
            p.produce(a.topic, key=key, value=value, on_delivery=cb)
            n += 1
        except BufferError:
            p.poll(0.05)
            continue
        if n % 200 == 0:
            p.poll(0.01)  # paces the producer and serves callbacks
            if a.progress:
                with open(a.progress + ".tmp", "w") as f:
                    f.write("%d\n" % n)
                os.replace(a.progress + ".tmp", a.progress)
        else:
            p.poll(0)
    left = p.flush(DEADLINE_S)
    fatal = None
    try:
        # A fatal idempotence error (e.g. a sequence gap) surfaces here.
        p.poll(0)
    except KafkaException as e:
        fatal = e
    acked.close()
    print("idempotent producer: sent %d, acked %d, failed %d, undelivered %d%s"
          % (n, stats["acked"], stats["failed"], left, "" if fatal is None else ", fatal %s" % fatal))
    if stats["failed"] or left or fatal:
        sys.exit(1)


def cmd_verify_acked(a):
    with open(a.acks) as f:
        acks = [json.loads(line) for line in f if line.strip()]
    log = collections.defaultdict(list)
    with open(a.dump) as f:
        for line in f:
            r = dataset.from_json(line)
            log[r["v"].decode()].append((r["p"], r["o"]))
    fails = 0
    missing = [x for x in acks if x["v"] not in log]
    # A retried batch the hub already had may be acknowledged as a duplicate
    # (DUPLICATE_SEQUENCE_NUMBER) without an offset; those are only checked for
    # being present exactly once.
    no_offset = [x for x in acks if x["o"] < 0]
    moved = [x for x in acks if x["o"] >= 0 and x["v"] in log and len(log[x["v"]]) == 1
             and log[x["v"]] != [(x["p"], x["o"])]]
    dup_acked = [x for x in acks if len(log.get(x["v"], [])) > 1]
    dup_any = {v: po for v, po in log.items() if len(po) > 1}
    acked_values = collections.Counter(x["v"] for x in acks)
    twice_acked = [v for v, n in acked_values.items() if n > 1]
    print("%d acknowledged events (%d without an offset), %d distinct values in the log"
          % (len(acks), len(no_offset), len(log)))
    for what, items in (("acknowledged but missing", missing),
                        ("acknowledged at another offset than the log's", moved),
                        ("acknowledged and in the log more than once", dup_acked),
                        ("delivered more than once by the producer", twice_acked)):
        if items:
            fails += 1
            print("FAIL: %d event(s) %s, e.g. %s" % (len(items), what, items[:5]))
        else:
            print("ok   no event %s" % what)
    if dup_any:
        fails += 1
        print("FAIL: %d value(s) stored more than once: %s" % (len(dup_any), list(dup_any.items())[:5]))
    else:
        print("ok   no value stored twice (idempotence)")
    sys.exit(1 if fails else 0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--debug", action="store_true", help="librdkafka debug=protocol,broker")
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("create")
    c.add_argument("--port", type=int, required=True)
    c.add_argument("--topic", required=True)
    c.add_argument("--partitions", type=int, default=4)
    p = sub.add_parser("produce")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--topic", required=True)
    p.add_argument("--set", required=True)
    p.add_argument("--compression", default="zstd")
    p.add_argument("--partitioner", default="consistent_random",
                   help="murmur2_random places keys as kafka-python and Java clients do")
    p.add_argument("--acks-out")
    r = sub.add_parser("consume")
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--topic", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--expect-partitions", type=int)
    i = sub.add_parser("idem-produce")
    i.add_argument("--port", type=int, required=True)
    i.add_argument("--topic", required=True)
    i.add_argument("--acks-out", required=True)
    i.add_argument("--stop-file", required=True)
    i.add_argument("--max", type=int, default=200000)
    i.add_argument("--progress", help="file rewritten with the number of events sent so far")
    v = sub.add_parser("verify-acked")
    v.add_argument("--acks", required=True)
    v.add_argument("--dump", required=True)
    a = ap.parse_args()
    if a.cmd in ("create", "produce", "consume", "idem-produce"):
        a.debug = a.debug
    {"create": cmd_create, "produce": cmd_produce, "consume": cmd_consume,
     "idem-produce": cmd_idem_produce, "verify-acked": cmd_verify_acked}[a.cmd](a)


if __name__ == "__main__":
    main()
