"""Disk full: produce into a hub whose data folder is a small tmpfs.

Phase 1 fills the disk: every send either succeeds (recorded) or fails with
KafkaStorageError (counted); the hub must refuse, not crash. Phase 2 (after
the shell frees space) produces again until sends succeed. Phase 3 reads
everything back: every acknowledged event is there exactly once.
Usage: disk_full.py BOOTSTRAP TOPIC PHASE STATEFILE
"""
import json
import sys
import time

from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition

bootstrap, topic, phase, state_path = sys.argv[1:5]


def load():
    try:
        with open(state_path) as f:
            return json.load(f)
    except FileNotFoundError:
        return {"acked": [], "storage_errors": 0}


def save(state):
    with open(state_path, "w") as f:
        json.dump(state, f)


def produce(state, count, stop_on_error, want_success):
    # No retries: each send reports its own outcome.
    p = Producer({"bootstrap.servers": bootstrap, "acks": "1", "linger.ms": 0,
                  "message.send.max.retries": 0, "message.timeout.ms": 30000})
    filler = "x" * 4000
    seq = len(state["acked"]) + state["storage_errors"] * 1000
    ok_after_error = 0
    for i in range(count):
        value = ("%d:%s" % (seq + i, filler)).encode()
        outcome = []
        p.produce(topic, value=value, partition=0,
                  on_delivery=lambda err, msg: outcome.append((err, msg)))
        p.flush(60)
        if not outcome:
            print("no delivery report")
            sys.exit(1)
        err, msg = outcome[0]
        if err is None:
            state["acked"].append([msg.offset(), seq + i])
            if want_success:
                ok_after_error += 1
                if ok_after_error >= 20:
                    break
            continue
        if err.code() != KafkaError.KAFKA_STORAGE_ERROR:
            print("unexpected error:", err)
            sys.exit(1)
        state["storage_errors"] += 1
        if stop_on_error and state["storage_errors"] >= 5:
            break
        if want_success:
            time.sleep(0.5)


state = load()
if phase == "fill":
    produce(state, 5000, stop_on_error=True, want_success=False)
    print("acked=%d storage_errors=%d" % (len(state["acked"]), state["storage_errors"]))
    save(state)
    sys.exit(0 if state["storage_errors"] >= 5 and state["acked"] else 2)
elif phase == "resume":
    before = len(state["acked"])
    produce(state, 400, stop_on_error=False, want_success=True)
    print("acked_after_resume=%d" % (len(state["acked"]) - before))
    save(state)
    sys.exit(0 if len(state["acked"]) - before >= 20 else 3)
elif phase == "verify":
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "disk-full-verify",
                  "enable.auto.commit": False})
    c.assign([TopicPartition(topic, 0, 0)])
    seen = {}
    idle = 0
    while idle < 5:
        m = c.poll(1.0)
        if m is None:
            idle += 1
            continue
        if m.error():
            continue
        idle = 0
        n = int(m.value().split(b":", 1)[0])
        seen[m.offset()] = n
    c.close()
    missing = [a for a in state["acked"] if seen.get(a[0]) != a[1]]
    values = list(seen.values())
    dups = len(values) - len(set(values))
    print("read=%d acked=%d missing=%d duplicates=%d" %
          (len(seen), len(state["acked"]), len(missing), dups))
    sys.exit(0 if not missing and dups == 0 else 4)
