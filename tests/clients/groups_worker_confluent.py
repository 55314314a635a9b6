"""A consumer-group member for groups_scenario.py, with confluent-kafka
(librdkafka). Usage: groups_worker_confluent.py BOOTSTRAP TOPIC GROUP
[STRATEGY] NAME OUTDIR; STRATEGY is librdkafka's
partition.assignment.strategy (default "range,roundrobin"), e.g.
"cooperative-sticky". File protocol: see groups_scenario.py."""

import json
import os
import signal
import sys

from confluent_kafka import Consumer

args = sys.argv[1:]
bootstrap, topic, group = args[0], args[1], args[2]
strategy = args[3] if len(args) == 6 else "range,roundrobin"
name, outdir = args[-2], args[-1]

stop = False


def on_term(sig, frame):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_term)


def write_assign(parts):
    path = os.path.join(outdir, name + ".assign")
    with open(path + ".tmp", "w") as f:
        json.dump(sorted(parts), f)
    os.replace(path + ".tmp", path)
    with open(os.path.join(outdir, name + ".history"), "a") as f:
        f.write(json.dumps(sorted(parts)) + "\n")


c = Consumer({
    "bootstrap.servers": bootstrap,
    "group.id": group,
    "client.id": name,
    "auto.offset.reset": "earliest",
    "enable.auto.commit": True,
    "auto.commit.interval.ms": 300,
    "session.timeout.ms": 6000,
    "heartbeat.interval.ms": 500,
    "partition.assignment.strategy": strategy,
})
# Every rebalance callback writes the assignment, so a revoke followed at
# once by the same assignment (as after an expulsion) still shows as two
# changes; polling c.assignment() alone could miss both between two polls.
current = set()
last = None


def record(parts):
    global last
    parts = sorted(parts)
    write_assign(parts)
    last = parts


def on_assign(consumer, partitions):
    current.update(tp.partition for tp in partitions if tp.topic == topic)
    record(current)


def on_revoke(consumer, partitions):
    current.difference_update(tp.partition for tp in partitions if tp.topic == topic)
    record(current)


c.subscribe([topic], on_assign=on_assign, on_revoke=on_revoke)
record([])
events = open(os.path.join(outdir, name + ".events"), "a")
while not stop:
    m = c.poll(0.2)
    if m is not None and not m.error():
        events.write("%d %d %s\n" % (m.partition(), m.offset(), m.value().decode()))
        events.flush()
    parts = sorted(tp.partition for tp in c.assignment() if tp.topic == topic)
    if parts != last:
        write_assign(parts)
        last = parts
c.close()  # commits the stored offsets and leaves the group
open(os.path.join(outdir, name + ".closed"), "w").close()
