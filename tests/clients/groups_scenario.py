"""Consumer-group scenarios for eddy's integration tests (issue 4).

The driver runs group members as separate processes ("workers", one per
client library: groups_worker_confluent.py, groups_worker_kafka_python.py,
groups_worker.mjs) that all speak one file protocol in OUTDIR:

  NAME.assign   the member's current partitions, a JSON list (replaced
                atomically whenever it changes)
  NAME.history  every assignment it had, one JSON list a line
  NAME.events   one line per consumed event: "partition offset value"
  NAME.closed   written after a graceful close (SIGTERM: commit, leave)

Phases (each a subcommand):

  group   3 members share a hub's partitions (disjoint, covering all);
          `kill -9` of one moves its partitions to the others; every produced
          event is consumed (duplicates allowed, nothing skipped); a graceful
          stop commits everything: committed offsets == end offsets, written
          to OUTDIR/committed.json.
  resume  (after a hub restart) the committed offsets are still there, and a
          new member starts exactly at them and consumes the new events.
  recover a member frozen (SIGSTOP) past its session timeout is expelled;
          thawed, it meets UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION, rejoins by
          itself, gets a share again, and every event is still consumed.

Only behaviour is asserted; every wait is bounded by a generous deadline
(ASan builds are slow). Producing and reading offsets use confluent-kafka.
"""

import argparse
import ctypes
import json
import os
import signal
import subprocess
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition

DEADLINE = float(os.environ.get("EDDY_CLIENT_DEADLINE", "150"))


def log(msg):
    print(time.strftime("%H:%M:%S"), msg, flush=True)


def fail(msg):
    print("FAIL: " + msg, flush=True)
    sys.exit(1)


def wait_until(what, cond, secs=DEADLINE):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        v = cond()
        if v:
            log("ok   " + what)
            return v
        time.sleep(0.2)
    fail("timed out (%ds) waiting for: %s" % (secs, what))


def _die_with_parent():
    # PR_SET_PDEATHSIG: workers go when the driver goes.
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGKILL)


class Worker:
    def __init__(self, cmd, name, outdir):
        self.name = name
        self.outdir = outdir
        self.log = open(os.path.join(outdir, name + ".log"), "w")
        self.proc = subprocess.Popen(cmd + [name, outdir], stdout=self.log, stderr=subprocess.STDOUT,
                                     preexec_fn=_die_with_parent)

    def assignment(self):
        try:
            with open(os.path.join(self.outdir, self.name + ".assign")) as f:
                return set(json.load(f))
        except (OSError, ValueError):
            return None

    def changes(self):
        try:
            with open(os.path.join(self.outdir, self.name + ".history")) as f:
                return len(f.readlines())
        except OSError:
            return 0

    def alive(self):
        return self.proc.poll() is None

    def stop(self, graceful=True):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM if graceful else signal.SIGKILL)
        try:
            self.proc.wait(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return False
        return os.path.exists(os.path.join(self.outdir, self.name + ".closed")) or not graceful


def read_events(outdir):
    """All consumed events of every worker: list of (partition, offset, value, worker)."""
    out = []
    for fn in sorted(os.listdir(outdir)):
        if not fn.endswith(".events"):
            continue
        with open(os.path.join(outdir, fn)) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3 and line.endswith("\n"):
                    out.append((int(parts[0]), int(parts[1]), parts[2], fn[:-7]))
    return out


def produce(bootstrap, topic, partitions, prefix, n):
    p = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5})
    errors = []

    def done(err, msg):
        if err:
            errors.append(err)

    for i in range(n):
        p.produce(topic, value=("%s-%d" % (prefix, i)).encode(), partition=i % partitions,
                  on_delivery=done)
        p.poll(0)
    left = p.flush(DEADLINE)
    if left or errors:
        fail("produce %s: %d undelivered, errors %s" % (prefix, left, errors[:3]))
    log("ok   produced %d events %s-*" % (n, prefix))
    return {"%s-%d" % (prefix, i) for i in range(n)}


def offsets(bootstrap, topic, partitions, group):
    """(committed, end) offsets per partition, as lists."""
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})
    try:
        tps = [TopicPartition(topic, p) for p in range(partitions)]
        committed = [tp.offset for tp in c.committed(tps, timeout=DEADLINE)]
        ends = [c.get_watermark_offsets(tp, timeout=DEADLINE)[1] for tp in tps]
    finally:
        c.close()
    return committed, ends


def share_ok(workers, partitions):
    """True when the live workers' assignments are disjoint, each non-empty,
    and together cover every partition."""
    seen = []
    for w in workers:
        a = w.assignment()
        if not a:
            return False
        seen.append(a)
    union = set().union(*seen)
    return union == set(range(partitions)) and sum(len(a) for a in seen) == partitions


def phase_group(args, cmd):
    workers = [Worker(cmd, "m%d" % i, args.outdir) for i in range(3)]
    try:
        wait_until("3 members share all %d partitions, disjoint" % args.partitions,
                   lambda: share_ok(workers, args.partitions))
        log("     shares: %s" % [sorted(w.assignment()) for w in workers])
        want = produce(args.bootstrap, args.topic, args.partitions, "e", args.events)
        victim = workers[0]
        victim.stop(graceful=False)
        log("ok   kill -9 of %s (had %s)" % (victim.name, sorted(victim.assignment() or [])))
        rest = workers[1:]
        wait_until("the 2 other members take over all %d partitions" % args.partitions,
                   lambda: share_ok(rest, args.partitions))
        log("     shares: %s" % [sorted(w.assignment()) for w in rest])
        want |= produce(args.bootstrap, args.topic, args.partitions, "f", args.events)

        def all_consumed():
            got = {e[2] for e in read_events(args.outdir)}
            return not (want - got)

        wait_until("every produced event consumed (%d)" % len(want), all_consumed)

        # Let the members' periodic commits catch up before they close: a
        # member that closes while another's leave rebalances the group can
        # have its last commit refused (REBALANCE_IN_PROGRESS, as Kafka does)
        # and @platformatic/kafka does not retry it.
        def caught_up():
            committed, ends = offsets(args.bootstrap, args.topic, args.partitions, args.group)
            return committed == ends

        wait_until("the periodic commits reach the end offsets", caught_up)
        for w in rest:
            if not w.stop(graceful=True):
                fail("%s did not close gracefully" % w.name)
        log("ok   members closed (commit + leave)")
    finally:
        for w in workers:
            if w.alive():
                w.stop(graceful=False)
    # Per partition, offsets consumed are contiguous from 0: nothing skipped.
    by_part = {}
    for p, off, _, _ in read_events(args.outdir):
        by_part.setdefault(p, set()).add(off)
    committed, ends = offsets(args.bootstrap, args.topic, args.partitions, args.group)
    for p in range(args.partitions):
        if by_part.get(p, set()) != set(range(ends[p])):
            fail("partition %d: consumed offsets are not all of 0..%d" % (p, ends[p] - 1))
    log("ok   no offset skipped in any partition (ends %s)" % ends)
    if committed != ends:
        fail("committed offsets %s != end offsets %s after a graceful close" % (committed, ends))
    log("ok   committed offsets == end offsets %s" % committed)
    with open(os.path.join(args.outdir, "committed.json"), "w") as f:
        json.dump(committed, f)


def phase_resume(args, cmd):
    with open(os.path.join(args.outdir, "committed.json")) as f:
        before = json.load(f)
    for fn in os.listdir(args.outdir):
        if fn.endswith(".events"):
            os.rename(os.path.join(args.outdir, fn), os.path.join(args.outdir, fn + ".old"))
    committed, _ = offsets(args.bootstrap, args.topic, args.partitions, args.group)
    if committed != before:
        fail("committed offsets after the restart %s != before %s" % (committed, before))
    log("ok   committed offsets survived the restart: %s" % committed)
    want = produce(args.bootstrap, args.topic, args.partitions, "r", args.events)
    w = Worker(cmd, "resume", args.outdir)
    try:
        wait_until("the restarted group consumes the %d new events" % len(want),
                   lambda: not (want - {e[2] for e in read_events(args.outdir)}))
        w.stop(graceful=True)
    finally:
        if w.alive():
            w.stop(graceful=False)
    first = {}
    for p, off, _, _ in read_events(args.outdir):
        first[p] = min(first.get(p, off), off)
    for p in range(args.partitions):
        if first.get(p) != committed[p]:
            fail("partition %d: resumed at offset %s, committed was %d" % (p, first.get(p),
                                                                           committed[p]))
    log("ok   every partition resumed exactly at its committed offset")


def phase_recover(args, cmd):
    workers = [Worker(cmd, "r%d" % i, args.outdir) for i in range(2)]
    try:
        wait_until("2 members share all %d partitions" % args.partitions,
                   lambda: share_ok(workers, args.partitions))
        frozen, other = workers
        frozen.proc.send_signal(signal.SIGSTOP)
        seen = frozen.changes()
        log("ok   froze %s (had %s)" % (frozen.name, sorted(frozen.assignment())))
        wait_until("the other member takes every partition",
                   lambda: share_ok([other], args.partitions))
        want = produce(args.bootstrap, args.topic, args.partitions, "s", args.events)
        frozen.proc.send_signal(signal.SIGCONT)
        log("ok   thawed %s" % frozen.name)
        wait_until("the expelled member lost its partitions, rejoined and has a share again",
                   lambda: frozen.changes() >= seen + 2 and share_ok(workers, args.partitions))
        log("     shares: %s" % [sorted(w.assignment()) for w in workers])
        want |= produce(args.bootstrap, args.topic, args.partitions, "t", args.events)
        wait_until("every produced event consumed (%d)" % len(want),
                   lambda: not (want - {e[2] for e in read_events(args.outdir)}))
        for w in workers:
            if not w.stop(graceful=True):
                fail("%s did not close gracefully" % w.name)
    finally:
        for w in workers:
            if w.alive():
                w.proc.send_signal(signal.SIGCONT)
                w.stop(graceful=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("phase", choices=["group", "resume", "recover"])
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--topic", required=True)
    ap.add_argument("--partitions", type=int, default=6)
    ap.add_argument("--group", required=True)
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--events", type=int, default=300)
    argv = sys.argv[1:]
    if "--" not in argv:
        fail("usage: groups_scenario.py PHASE OPTIONS -- WORKER-COMMAND")
    cut = argv.index("--")
    args = ap.parse_args(argv[:cut])
    cmd = argv[cut + 1:]  # the worker command; NAME and OUTDIR are appended
    if not cmd:
        fail("no worker command")
    os.makedirs(args.outdir, exist_ok=True)
    {"group": phase_group, "resume": phase_resume, "recover": phase_recover}[args.phase](args, cmd)


if __name__ == "__main__":
    main()
