"""A consumer-group member for groups_scenario.py, with kafka-python 2.0.2
(group_id; JoinGroup v2, no MEMBER_ID_REQUIRED). Usage:
groups_worker_kafka_python.py BOOTSTRAP TOPIC GROUP NAME OUTDIR. File
protocol: see groups_scenario.py."""

import json
import os
import signal
import sys

from kafka import KafkaConsumer

bootstrap, topic, group, name, outdir = sys.argv[1:6]
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


c = KafkaConsumer(
    topic,
    bootstrap_servers=bootstrap,
    group_id=group,
    client_id=name,
    auto_offset_reset="earliest",
    enable_auto_commit=True,
    auto_commit_interval_ms=300,
    session_timeout_ms=6000,
    heartbeat_interval_ms=500,
)
write_assign([])
events = open(os.path.join(outdir, name + ".events"), "a")
last = None
while not stop:
    batches = c.poll(timeout_ms=200)
    for tp, msgs in batches.items():
        for m in msgs:
            events.write("%d %d %s\n" % (m.partition, m.offset, m.value.decode()))
    events.flush()
    parts = sorted(tp.partition for tp in c.assignment() if tp.topic == topic)
    if parts != last:
        write_assign(parts)
        last = parts
c.close()  # commits (autocommit on close) and leaves the group
open(os.path.join(outdir, name + ".closed"), "w").close()
