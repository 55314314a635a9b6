"""The group coordinator's answers, byte by byte, with hand-built frames.

Usage: groups_raw.py PORT TOPIC (TOPIC: an existing hub with >= 2 partitions)

Drives the classic protocol with two raw "members" and checks the error
codes of reference §3.6-3.7/§4: MEMBER_ID_REQUIRED with a new id (v4+),
the held JoinGroup responses of a rebalance, REBALANCE_IN_PROGRESS on
heartbeats, only the leader getting the member list, a follower's SyncGroup
waiting for the leader's, empty assignment bytes for an omitted member,
UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, INCONSISTENT_GROUP_PROTOCOL,
INVALID_SESSION_TIMEOUT, INVALID_GROUP_ID, FENCED_INSTANCE_ID (static
membership), OffsetCommit/OffsetFetch rules, batched LeaveGroup,
DescribeGroups/ListGroups/DeleteGroups, and COORDINATOR_NOT_AVAILABLE for a
transaction coordinator (the only "wrong coordinator" a single node has).
Only non-flexible versions are built here; real clients cover the flexible
ones. Exits 1 on the first failed check.
"""

import socket
import struct
import sys
import threading

FIND_COORDINATOR, JOIN, HEARTBEAT, LEAVE, SYNC = 10, 11, 12, 13, 14
OFFSET_COMMIT, OFFSET_FETCH, DESCRIBE, LIST, DELETE = 8, 9, 15, 16, 42

NONE = 0
COORDINATOR_NOT_AVAILABLE = 15
ILLEGAL_GENERATION = 22
INCONSISTENT_GROUP_PROTOCOL = 23
INVALID_GROUP_ID = 24
UNKNOWN_MEMBER_ID = 25
INVALID_SESSION_TIMEOUT = 26
REBALANCE_IN_PROGRESS = 27
NON_EMPTY_GROUP = 68
GROUP_ID_NOT_FOUND = 69
MEMBER_ID_REQUIRED = 79
FENCED_INSTANCE_ID = 82
UNKNOWN_TOPIC_OR_PARTITION = 3

checks = 0


def check(what, want, got):
    global checks
    if want != got:
        print("FAIL: %s: expected %r, got %r" % (what, want, got), flush=True)
        sys.exit(1)
    checks += 1
    print("ok   %s" % what, flush=True)


def s(v):
    if v is None:
        return struct.pack(">h", -1)
    b = v.encode()
    return struct.pack(">h", len(b)) + b


def by(v):
    return struct.pack(">i", len(v)) + v


def arr(items):
    return struct.pack(">i", len(items)) + b"".join(items)


class R:
    def __init__(self, b):
        self.b, self.p = b, 0

    def take(self, n):
        v = self.b[self.p:self.p + n]
        if len(v) != n:
            raise ValueError("short response")
        self.p += n
        return v

    def i16(self):
        return struct.unpack(">h", self.take(2))[0]

    def i32(self):
        return struct.unpack(">i", self.take(4))[0]

    def i64(self):
        return struct.unpack(">q", self.take(8))[0]

    def str(self):
        n = self.i16()
        return None if n < 0 else self.take(n).decode()

    def bytes(self):
        n = self.i32()
        return None if n < 0 else self.take(n)

    def array(self, fn):
        return [fn() for _ in range(self.i32())]


class Conn:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.corr = 0

    def call(self, key, version, body):
        self.corr += 1
        hdr = struct.pack(">hhi", key, version, self.corr) + s("groups-raw")
        frame = hdr + body
        self.sock.sendall(struct.pack(">i", len(frame)) + frame)
        size = struct.unpack(">i", self._exact(4))[0]
        data = self._exact(size)
        corr = struct.unpack(">i", data[:4])[0]
        if corr != self.corr:
            raise ValueError("correlation id %d, expected %d" % (corr, self.corr))
        return R(data[4:])

    def _exact(self, n):
        out = b""
        while len(out) < n:
            chunk = self.sock.recv(n - len(out))
            if not chunk:
                raise ConnectionError("closed by the hub")
            out += chunk
        return out


def subscription(topic):
    # ConsumerProtocolSubscription v0: version, topics, user data (opaque here).
    return struct.pack(">h", 0) + arr([s(topic)]) + by(b"")


def join(c, group, member="", instance=None, session=10000, rebalance=10000,
         ptype="consumer", protocols=None, version=5):
    protocols = protocols or [("range", b"meta-range"), ("roundrobin", b"meta-rr")]
    body = s(group) + struct.pack(">i", session)
    if version >= 1:
        body += struct.pack(">i", rebalance)
    body += s(member)
    if version >= 5:
        body += s(instance)
    body += s(ptype) + arr([s(n) + by(m) for n, m in protocols])
    r = c.call(JOIN, version, body)
    if version >= 2:
        r.i32()
    out = {"error": r.i16(), "generation": r.i32(), "protocol": r.str(), "leader": r.str(),
           "member": r.str()}
    out["members"] = r.array(lambda: (r.str(), r.str() if version >= 5 else None, r.bytes()))
    return out


def sync(c, group, gen, member, assignments=(), instance=None):
    body = s(group) + struct.pack(">i", gen) + s(member) + s(instance)
    body += arr([s(m) + by(a) for m, a in assignments])
    r = c.call(SYNC, 3, body)
    r.i32()
    return r.i16(), r.bytes()


def heartbeat(c, group, gen, member, instance=None):
    r = c.call(HEARTBEAT, 3, s(group) + struct.pack(">i", gen) + s(member) + s(instance))
    r.i32()
    return r.i16()


def leave_v3(c, group, members):
    r = c.call(LEAVE, 3, s(group) + arr([s(m) + s(i) for m, i in members]))
    r.i32()
    top = r.i16()
    return top, r.array(lambda: (r.str(), r.str(), r.i16()))


def commit_v2(c, group, gen, member, topic, offsets):
    body = s(group) + struct.pack(">i", gen) + s(member) + struct.pack(">q", -1)
    body += arr([s(topic) + arr([struct.pack(">iq", p, o) + s("m%d" % p) for p, o in offsets])])
    r = c.call(OFFSET_COMMIT, 2, body)
    return {(t, p): e for t, ps in r.array(lambda: (r.str(), r.array(lambda: (r.i32(), r.i16()))))
            for p, e in ps}


def fetch_v1(c, group, topic, parts):
    r = c.call(OFFSET_FETCH, 1, s(group) + arr([s(topic) + arr([struct.pack(">i", p)
                                                               for p in parts])]))
    out = {}
    for t, ps in r.array(lambda: (r.str(), r.array(lambda: (r.i32(), r.i64(), r.str(),
                                                              r.i16())))):
        for p, o, meta, e in ps:
            out[p] = (o, meta, e)
    return out


def fetch_all_v5(c, group):
    r = c.call(OFFSET_FETCH, 5, s(group) + struct.pack(">i", -1))
    r.i32()
    out = {}
    for t, ps in r.array(lambda: (r.str(), r.array(lambda: (r.i32(), r.i64(), r.i32(), r.str(),
                                                              r.i16())))):
        for p, o, epoch, meta, e in ps:
            out[(t, p)] = o
    return out, r.i16()


def describe(c, group):
    r = c.call(DESCRIBE, 0, arr([s(group)]))
    groups = r.array(lambda: (r.i16(), r.str(), r.str(), r.str(), r.str(),
                              r.array(lambda: (r.str(), r.str(), r.str(), r.bytes(),
                                               r.bytes()))))
    return groups[0]


def list_groups(c):
    r = c.call(LIST, 0, b"")
    err = r.i16()
    return err, dict(r.array(lambda: (r.str(), r.str())))


def delete(c, group):
    r = c.call(DELETE, 0, arr([s(group)]))
    r.i32()
    return r.array(lambda: (r.str(), r.i16()))[0][1]


class Async:
    """A call on its own connection in a thread (a held JoinGroup/SyncGroup)."""

    def __init__(self, fn, *args):
        self.result = None
        self.error = None
        self.t = threading.Thread(target=self._run, args=(fn,) + args, daemon=True)
        self.t.start()

    def _run(self, fn, *args):
        try:
            self.result = fn(*args)
        except Exception as e:  # reported by get()
            self.error = e

    def done(self, wait=0.0):
        self.t.join(wait)
        return not self.t.is_alive()

    def get(self, wait=60.0):
        self.t.join(wait)
        if self.t.is_alive():
            print("FAIL: no answer within %ds" % wait, flush=True)
            sys.exit(1)
        if self.error:
            raise self.error
        return self.result


def main():
    port, topic = int(sys.argv[1]), sys.argv[2]
    a, b, x = Conn(port), Conn(port), Conn(port)
    g = "raw-group"

    # FindCoordinator: groups here; transactions are not ("wrong coordinator").
    r = x.call(FIND_COORDINATOR, 1, s(g) + b"\x00")
    r.i32()
    check("FindCoordinator(group) error", NONE, r.i16())
    r = x.call(FIND_COORDINATOR, 1, s("txn") + b"\x01")
    r.i32()
    check("FindCoordinator(transaction) error", COORDINATOR_NOT_AVAILABLE, r.i16())

    check("JoinGroup empty group id", INVALID_GROUP_ID, join(x, "")["error"])
    check("JoinGroup session timeout 1ms", INVALID_SESSION_TIMEOUT,
          join(x, g, session=1)["error"])
    check("JoinGroup unknown member id", UNKNOWN_MEMBER_ID,
          join(x, g, member="nobody-123")["error"])

    # KIP-394: a v4+ join without an id gets one, then joins with it.
    j = join(a, g)
    check("JoinGroup v5 without member id", MEMBER_ID_REQUIRED, j["error"])
    check("MEMBER_ID_REQUIRED carries a member id", True, j["member"].startswith("groups-raw-"))
    ida = j["member"]
    j = join(a, g, member=ida)
    check("JoinGroup with the given id", NONE, j["error"])
    check("first generation", 1, j["generation"])
    check("the only member leads", ida, j["leader"])
    check("protocol chosen by vote", "range", j["protocol"])
    check("the leader gets the member list with metadata", [(ida, None, b"meta-range")],
          j["members"])
    gen = j["generation"]
    check("SyncGroup by the leader", (NONE, b"A1"), sync(a, g, gen, ida, [(ida, b"A1")]))
    check("Heartbeat", NONE, heartbeat(a, g, gen, ida))
    check("Heartbeat stale generation", ILLEGAL_GENERATION, heartbeat(a, g, gen - 1, ida))
    check("Heartbeat unknown member", UNKNOWN_MEMBER_ID, heartbeat(a, g, gen, "ghost"))
    check("Heartbeat unknown group", UNKNOWN_MEMBER_ID, heartbeat(a, "no-such-group", 1, ida))
    check("SyncGroup stale generation", ILLEGAL_GENERATION, sync(a, g, gen + 7, ida)[0])
    check("SyncGroup unknown member", UNKNOWN_MEMBER_ID, sync(a, g, gen, "ghost")[0])
    check("JoinGroup other protocol type", INCONSISTENT_GROUP_PROTOCOL,
          join(x, g, ptype="connect")["error"])
    check("JoinGroup no common protocol", INCONSISTENT_GROUP_PROTOCOL,
          join(x, g, protocols=[("sticky", b"")])["error"])

    # Offsets: members commit with their generation; others are refused.
    check("OffsetCommit stale generation", {(topic, 0): ILLEGAL_GENERATION},
          commit_v2(a, g, gen + 3, ida, topic, [(0, 5)]))
    check("OffsetCommit unknown member", {(topic, 0): UNKNOWN_MEMBER_ID},
          commit_v2(a, g, gen, "ghost", topic, [(0, 5)]))
    check("OffsetCommit generation -1 to an active group", {(topic, 0): UNKNOWN_MEMBER_ID},
          commit_v2(a, g, -1, "", topic, [(0, 5)]))
    check("OffsetCommit unknown partition", {(topic, 999): UNKNOWN_TOPIC_OR_PARTITION},
          commit_v2(a, g, gen, ida, topic, [(999, 5)]))
    check("OffsetCommit by the member", {(topic, 0): NONE, (topic, 1): NONE},
          commit_v2(a, g, gen, ida, topic, [(0, 5), (1, 7)]))
    check("OffsetFetch v1", {0: (5, "m0", NONE), 1: (7, "m1", NONE)},
          {k: v for k, v in fetch_v1(x, g, topic, [0, 1]).items()})
    check("OffsetFetch no commit = -1", {0: (-1, "", NONE)},
          fetch_v1(x, "never-committed", topic, [0]))
    check("OffsetFetch v5 all topics", ({(topic, 0): 5, (topic, 1): 7}, NONE),
          fetch_all_v5(x, g))

    # A second member: the rebalance holds both JoinGroups until all rejoin.
    jb = Async(join, b, g, "", None, 10000, 10000, "consumer",
               [("roundrobin", b"rr-b"), ("range", b"range-b")], 2)
    for _ in range(100):
        if heartbeat(a, g, gen, ida) == REBALANCE_IN_PROGRESS:
            break
        jb.done(0.1)
    check("Heartbeat during PreparingRebalance", REBALANCE_IN_PROGRESS, heartbeat(a, g, gen, ida))
    check("SyncGroup during PreparingRebalance", REBALANCE_IN_PROGRESS, sync(a, g, gen, ida)[0])
    check("the new member's JoinGroup is held", False, jb.done(0.5))
    ja = join(a, g, member=ida)
    jb = jb.get()
    check("both joins answered", (NONE, NONE), (ja["error"], jb["error"]))
    gen2 = ja["generation"]
    check("one new generation for both", (gen + 1, gen + 1), (gen2, jb["generation"]))
    check("the leader stays the leader", (ida, ida), (ja["leader"], jb["leader"]))
    check("only the leader gets members", (2, 0), (len(ja["members"]), len(jb["members"])))
    idb = jb["member"]
    check("JoinGroup v2 gets its id at once", True, idb.startswith("groups-raw-"))
    # Tie (1 vote each): the leader's order wins.
    check("protocol vote", ("range", "range"), (ja["protocol"], jb["protocol"]))
    sb = Async(sync, b, g, gen2, idb)
    check("the follower's SyncGroup waits for the leader's", False, sb.done(0.5))
    check("OffsetCommit during CompletingRebalance", {(topic, 0): REBALANCE_IN_PROGRESS},
          commit_v2(a, g, gen2, ida, topic, [(0, 6)]))
    check("leader SyncGroup (omits the follower)", (NONE, b"A2"),
          sync(a, g, gen2, ida, [(ida, b"A2")]))
    check("an omitted member gets empty bytes", (NONE, b""), sb.get())
    check("OffsetCommit in Stable", {(topic, 0): NONE},
          commit_v2(b, g, gen2, idb, topic, [(0, 9)]))
    check("SyncGroup again in Stable", (NONE, b"A2"), sync(a, g, gen2, ida))

    err, state, ptype, proto, members = describe(x, g)[0:1] + describe(x, g)[2:]
    check("DescribeGroups", (NONE, "Stable", "consumer", "range", 2),
          (err, state, ptype, proto, len(members)))
    check("DescribeGroups unknown group", (NONE, "Dead"), describe(x, "nope")[0:3:2])
    check("DeleteGroups of an active group", NON_EMPTY_GROUP, delete(x, g))
    check("DeleteGroups unknown group", GROUP_ID_NOT_FOUND, delete(x, "nope"))

    # Batched LeaveGroup (v3): one unknown, one real member.
    top, res = leave_v3(b, g, [(idb, None), ("ghost", None)])
    check("LeaveGroup v3", (NONE, [(idb, None, NONE), ("ghost", None, UNKNOWN_MEMBER_ID)]),
          (top, res))
    check("the leaver is gone", UNKNOWN_MEMBER_ID, heartbeat(b, g, gen2, idb))
    ja = join(a, g, member=ida)
    check("the remaining member rejoins alone", (NONE, gen2 + 1, 1),
          (ja["error"], ja["generation"], len(ja["members"])))
    gen3 = ja["generation"]
    check("SyncGroup", NONE, sync(a, g, gen3, ida, [(ida, b"A3")])[0])
    top, res = leave_v3(a, g, [(ida, None)])
    check("the last member leaves", NONE, res[0][2])
    check("DescribeGroups after all left", "Empty", describe(x, g)[2])
    check("ListGroups shows the Empty group", "consumer", list_groups(x)[1].get(g))
    check("a simple commit to an Empty group", {(topic, 1): NONE},
          commit_v2(x, g, -1, "", topic, [(1, 11)]))
    check("DeleteGroups of an Empty group", NONE, delete(x, g))
    check("OffsetFetch after DeleteGroups", {0: (-1, "", NONE)}, fetch_v1(x, g, topic, [0]))
    check("ListGroups after DeleteGroups", None, list_groups(x)[1].get(g))

    # Static membership: a rejoin with the same instance id replaces the
    # member id without a rebalance; the old id is fenced.
    sg = "raw-static"
    j1 = join(a, sg, instance="inst-1")
    check("static member joins (no MEMBER_ID_REQUIRED)", NONE, j1["error"])
    check("SyncGroup (static)", NONE, sync(a, sg, j1["generation"], j1["member"],
                                           [(j1["member"], b"S")], "inst-1")[0])
    j2 = join(b, sg, instance="inst-1")
    check("static rejoin keeps the generation", (NONE, j1["generation"]),
          (j2["error"], j2["generation"]))
    check("static rejoin gets a new member id", True, j2["member"] != j1["member"])
    check("the replaced id is fenced", FENCED_INSTANCE_ID,
          heartbeat(a, sg, j1["generation"], j1["member"], "inst-1"))
    check("the new id keeps the assignment", (NONE, b"S"),
          sync(b, sg, j2["generation"], j2["member"], (), "inst-1"))
    check("static member leaves by instance id", NONE, leave_v3(b, sg, [("", "inst-1")])[1][0][2])
    print("%d passed, 0 failed" % checks, flush=True)


if __name__ == "__main__":
    main()
