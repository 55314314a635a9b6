#!/usr/bin/python3
"""kafka-python (Debian python3-kafka 2.0.2) driver for eddy's integration tests.

  create  --port P --topic T --partitions N        admin CreateTopics, then checks the partition count
  produce --port P --topic T --set SET [--compression C] [--acks-out FILE]
  consume --port P --topic T --out DUMP [--expect-partitions N]
          reads every partition from its start to the end offset seen at
          start (no consumer group: group_id=None, assign()).

Exit status 0 on success; errors go to stderr with the client's exception.
"""

import argparse
import json
import logging
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset  # noqa: E402

from kafka import KafkaConsumer, KafkaProducer, TopicPartition  # noqa: E402
from kafka.admin import KafkaAdminClient, NewTopic  # noqa: E402

# Generous: the suite also runs the hub under ASan+UBSan on slow machines.
COMMON = dict(
    request_timeout_ms=60000,
    api_version_auto_timeout_ms=30000,
    reconnect_backoff_ms=100,
)
DEADLINE_S = float(os.environ.get("EDDY_CLIENT_DEADLINE", "150"))


def bootstrap(port):
    return "127.0.0.1:%d" % port


def cmd_create(a):
    admin = KafkaAdminClient(bootstrap_servers=bootstrap(a.port), client_id="eddy-kafka-python-admin", **COMMON)
    resp = admin.create_topics([NewTopic(a.topic, a.partitions, 1)], timeout_ms=30000)
    errs = [(t[0], t[1]) for t in resp.topic_errors]
    print("create_topics: %s (CreateTopics v%d)" % (errs, resp.API_VERSION))
    if any(code != 0 for _, code in errs):
        sys.exit("create_topics failed: %s" % (errs,))
    topics = admin.list_topics()
    admin.close()
    if a.topic not in topics:
        sys.exit("list_topics does not show %s: %s" % (a.topic, topics))
    c = KafkaConsumer(bootstrap_servers=bootstrap(a.port), group_id=None, **COMMON)
    parts = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        parts = c.partitions_for_topic(a.topic)
        if parts:
            break
        time.sleep(0.2)
    c.close()
    if parts != set(range(a.partitions)):
        sys.exit("metadata: partitions %s, expected 0..%d" % (parts, a.partitions - 1))
    print("topic %s has partitions %s" % (a.topic, sorted(parts)))


def cmd_produce(a):
    events = dataset.read_lines(a.set)
    p = KafkaProducer(
        bootstrap_servers=bootstrap(a.port),
        client_id="eddy-kafka-python-producer",
        compression_type=None if a.compression == "none" else a.compression,
        acks="all",
        linger_ms=5,
        max_in_flight_requests_per_connection=1,  # retries must not reorder a key's events
        retries=0,
        max_block_ms=60000,
        **COMMON,
    )
    futures = []
    for i, ev in enumerate(events):
        futures.append((i, p.send(a.topic, key=ev["k"], value=ev["v"], headers=ev["h"])))
    p.flush(timeout=DEADLINE_S)
    acks = []
    errors = 0
    for i, f in futures:
        try:
            md = f.get(timeout=DEADLINE_S)
            acks.append({"i": i, "p": md.partition, "o": md.offset})
        except Exception as e:  # noqa: BLE001 - report every client error
            errors += 1
            if errors <= 5:
                print("event %d: delivery failed: %r" % (i, e), file=sys.stderr)
    p.close(timeout=30)
    if a.acks_out:
        with open(a.acks_out, "w") as f:
            for x in acks:
                f.write(json.dumps(x) + "\n")
    print("produced %d events (%d failed), compression %s" % (len(acks), errors, a.compression))
    if errors:
        sys.exit("%d deliveries failed" % errors)


def consume_all(port, topic, expect_partitions=None, client_id="eddy-kafka-python-consumer"):
    c = KafkaConsumer(
        bootstrap_servers=bootstrap(port),
        client_id=client_id,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=200,
        consumer_timeout_ms=1000,
        **COMMON,
    )
    parts = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        parts = c.partitions_for_topic(topic)
        if parts:
            break
        time.sleep(0.2)
    if not parts:
        sys.exit("no metadata for topic %s" % topic)
    if expect_partitions is not None and parts != set(range(expect_partitions)):
        sys.exit("metadata: partitions %s, expected 0..%d" % (sorted(parts), expect_partitions - 1))
    tps = [TopicPartition(topic, p) for p in sorted(parts)]
    c.assign(tps)
    c.seek_to_beginning(*tps)
    begin = c.beginning_offsets(tps)
    end = c.end_offsets(tps)
    print("offsets: " + ", ".join("p%d %d..%d" % (tp.partition, begin[tp], end[tp]) for tp in tps))
    records = []
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        if all(c.position(tp) >= end[tp] for tp in tps):
            break
        batch = c.poll(timeout_ms=1000, max_records=5000)
        for tp, recs in batch.items():
            for r in recs:
                records.append(dataset.dump_line(r.partition, r.offset, r.key, r.value, r.headers))
    else:
        sys.exit(
            "timed out: positions %s, end offsets %s"
            % ({tp.partition: c.position(tp) for tp in tps}, {tp.partition: end[tp] for tp in tps})
        )
    c.close()
    return records, {tp.partition: begin[tp] for tp in tps}, {tp.partition: end[tp] for tp in tps}


def cmd_consume(a):
    records, begin, end = consume_all(a.port, a.topic, a.expect_partitions)
    with open(a.out, "w") as f:
        for line in records:
            f.write(line + "\n")
    if a.offsets_out:
        with open(a.offsets_out, "w") as f:
            json.dump({"begin": begin, "end": end}, f)
    print("consumed %d events" % len(records))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--debug", action="store_true")
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("create")
    c.add_argument("--port", type=int, required=True)
    c.add_argument("--topic", required=True)
    c.add_argument("--partitions", type=int, default=4)
    p = sub.add_parser("produce")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--topic", required=True)
    p.add_argument("--set", required=True)
    p.add_argument("--compression", default="lz4")
    p.add_argument("--acks-out")
    r = sub.add_parser("consume")
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--topic", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--offsets-out")
    r.add_argument("--expect-partitions", type=int)
    a = ap.parse_args()
    logging.basicConfig(level=logging.DEBUG if a.debug else logging.WARNING, stream=sys.stderr)
    {"create": cmd_create, "produce": cmd_produce, "consume": cmd_consume}[a.cmd](a)


if __name__ == "__main__":
    main()
