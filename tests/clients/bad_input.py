#!/usr/bin/python3
"""Bad input against the real hub, each case on its own raw socket.

  bad_input.py --port P --topic T --hub-pid PID [CASE...]

After every case: the hub process is alive, a connection opened before all
cases (the bystander) still gets answers, and a real client (confluent-kafka)
on a fresh connection produces an event and reads it back. Prints one line
per check ("ok   ..." / "FAIL: ..."); exits 1 if any check failed.
"""

import argparse
import os
import random
import socket
import struct
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kafkaraw as kr  # noqa: E402

from confluent_kafka import Consumer, Producer, TopicPartition  # noqa: E402

FAILS = 0
MiB = 1 << 20


def ok(msg):
    print("ok   " + msg, flush=True)


def fail(msg):
    global FAILS
    FAILS += 1
    print("FAIL: " + msg, flush=True)


def check(cond, msg, detail=""):
    if cond:
        ok(msg)
    else:
        fail(msg + (": " + detail if detail else ""))


class Ctx:
    def __init__(self, port, topic, pid):
        self.port = port
        self.topic = topic
        self.pid = pid


def outcome(conn, corr=None, wait=10.0):
    """'closed', 'answered' (a frame with corr came back), or 'open' (nothing within wait)."""
    conn.s.settimeout(wait)
    try:
        head = conn.recv_exact(4)
    except (EOFError, ConnectionResetError, BrokenPipeError):
        return "closed", None
    except socket.timeout:
        return "open", None
    size = struct.unpack(">i", head)[0]
    try:
        body = conn.recv_exact(size)
    except (EOFError, ConnectionResetError):
        return "closed", None
    got = struct.unpack(">i", body[:4])[0]
    if corr is not None and got != corr:
        return "answered-wrong-corr(%d)" % got, body[4:]
    return "answered", body[4:]


def hwm(ctx, partition=0):
    c = kr.Conn(ctx.port)
    try:
        return kr.fetch_v4(c, ctx.topic, partition, 0, max_bytes=1)[1]
    finally:
        c.close()


def produce_raw(conn, ctx, batch, version=7, partition=0):
    corr = conn.send(kr.API_PRODUCE, version, kr.produce_body(ctx.topic, partition, batch))
    what, body = outcome(conn, corr, wait=30)
    if what != "answered":
        return what, None
    res = kr.parse_produce_response(body, version)
    return what, res[0]


def small_batch(tag, n=3, corrupt_crc=False):
    return kr.record_batch(
        [(b"key-%d" % i, b"%s-%d" % (tag.encode(), i), [("h", b"v")]) for i in range(n)],
        corrupt_crc=corrupt_crc,
    )


# ---- the cases -------------------------------------------------------------

def case_garbage_http(ctx):
    """An HTTP request: its first 4 bytes read as a 1.2 GB frame size."""
    c = kr.Conn(ctx.port)
    c.send_raw(b"GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: eddy-test\r\n\r\n")
    what, _ = outcome(c)
    check(what == "closed", "garbage (HTTP request): the hub closes the connection", what)
    c.close()


def case_garbage_random(ctx):
    """A frame of a plausible size full of random bytes."""
    rnd = random.Random(1234)
    for i in range(5):
        body = bytes(rnd.randrange(256) for _ in range(200))
        c = kr.Conn(ctx.port)
        c.send_raw(struct.pack(">i", len(body)) + body)
        what, _ = outcome(c)
        check(what in ("closed", "answered"), "garbage frame %d (200 random bytes): closed or answered (%s)" % (i, what), what)
        c.close()


def case_negative_size(ctx):
    c = kr.Conn(ctx.port)
    c.send_raw(struct.pack(">i", -1) + b"\x00" * 64)
    what, _ = outcome(c)
    check(what == "closed", "negative frame size: the hub closes the connection", what)
    c.close()


def case_zero_size(ctx):
    c = kr.Conn(ctx.port)
    c.send_raw(struct.pack(">i", 0) * 4)
    what, _ = outcome(c)
    check(what in ("closed", "answered"), "zero-size frames: closed or answered (%s)" % what, what)
    c.close()


def case_truncated_eof(ctx):
    """A frame announcing 100 bytes, 30 sent, then EOF from the client."""
    c = kr.Conn(ctx.port)
    frame = kr.request(kr.API_APIVERSIONS, 0, 1, b"")
    c.send_raw(struct.pack(">i", 100) + frame[4:] + b"\x00" * (30 - len(frame[4:])))
    c.s.shutdown(socket.SHUT_WR)
    what, _ = outcome(c)
    check(what == "closed", "truncated frame then EOF: the hub closes the connection", what)
    c.close()


def case_truncated_idle(ctx, bystander):
    """A partial frame left hanging must not stall anybody else."""
    c = kr.Conn(ctx.port)
    c.send_raw(struct.pack(">i", 1000) + b"\x00\x12\x00\x00" + b"\x00" * 20)
    time.sleep(0.2)
    ok_by = bystander_ok(bystander)
    check(ok_by, "a half-sent frame on another connection does not stall the bystander")
    check(normal_client(ctx, "while a frame hangs half-sent"), "a real client works while a frame hangs half-sent")
    c.close()


def case_truncated_body(ctx):
    """A complete frame whose Produce body ends in the middle of a field."""
    body = kr.produce_body(ctx.topic, 0, small_batch("trunc"))
    for cut in (3, 12, len(body) // 2, len(body) - 5):
        before = hwm(ctx)
        c = kr.Conn(ctx.port)
        corr = c.send(kr.API_PRODUCE, 7, body[:cut])
        what, resp = outcome(c, corr)
        detail = what
        if what == "answered":
            try:
                detail = "answered %s" % (kr.parse_produce_response(resp, 7),)
            except ValueError as e:
                detail = "answered with an unparsable body (%s)" % e
        check(what in ("closed", "answered"), "Produce body cut at byte %d of %d: closed or an error (%s)" % (cut, len(body), detail), detail)
        check(hwm(ctx) == before, "the cut Produce appended nothing")
        c.close()


def case_oversized(ctx):
    """A size prefix of 2 GB."""
    for size in (0x7FFFFFFF, 0x7FFFFFF0, 0x40000000):
        c = kr.Conn(ctx.port)
        c.send_raw(struct.pack(">i", size) + b"\x00\x12\x00\x00\x00\x00\x00\x01" + b"\x00" * 56)
        what, _ = outcome(c)
        check(what == "closed", "size prefix %d (up to 2 GB): the hub closes the connection" % size, what)
        c.close()
    rss = hub_rss_kib(ctx)
    check(rss is None or rss < 1024 * 1024, "the hub did not allocate for it (VmRSS %s KiB)" % rss)


def case_unknown_api(ctx):
    for key in (9999, 74, -5):
        c = kr.Conn(ctx.port)
        corr = c.send(key, 0, b"\x00" * 8)
        what, _ = outcome(c, corr)
        check(what in ("closed", "answered"), "unknown API key %d: closed or answered (%s)" % (key, what), what)
        c.close()


def case_unknown_version(ctx):
    c = kr.Conn(ctx.port)
    corr = c.send(kr.API_PRODUCE, 99, kr.produce_body(ctx.topic, 0, small_batch("v99")))
    what, _ = outcome(c, corr)
    check(what in ("closed", "answered"), "Produce v99: closed or answered (%s)" % what, what)
    c.close()


def case_apiversions_future(ctx):
    """KIP-511: ApiVersions of an unknown version gets error 35 in the v0 layout."""
    c = kr.Conn(ctx.port)
    corr = c.send(kr.API_APIVERSIONS, 127, b"\x00\x00\x00")
    what, body = outcome(c, corr)
    if what != "answered":
        fail("ApiVersions v127: expected an UNSUPPORTED_VERSION answer, got %s" % what)
        c.close()
        return
    try:
        err, apis = kr.parse_api_versions_v0(body)
    except ValueError as e:
        fail("ApiVersions v127: unparsable answer (%s): %r" % (e, body[:40]))
        c.close()
        return
    check(err == 35, "ApiVersions v127: error UNSUPPORTED_VERSION (35)", "error %d" % err)
    check(18 in apis, "ApiVersions v127: the answer lists ApiVersions' own range", "%s" % apis)
    err2, _ = kr.parse_api_versions_v0(c.call(kr.API_APIVERSIONS, 0, b""))
    check(err2 == 0, "the same connection then answers ApiVersions v0")
    c.close()


def case_produce_bad_crc(ctx):
    before = hwm(ctx)
    c = kr.Conn(ctx.port)
    what, res = produce_raw(c, ctx, small_batch("badcrc", corrupt_crc=True))
    check(what == "answered" and res[2] == kr.CORRUPT_MESSAGE,
          "Produce with a bad CRC: CORRUPT_MESSAGE (2)", "%s %s" % (what, res))
    check(hwm(ctx) == before, "the corrupt batch was not appended")
    if what == "answered":
        what, res = produce_raw(c, ctx, small_batch("after-badcrc"))
        check(what == "answered" and res[2] == 0 and res[3] == before,
              "the same connection then produces a good batch at offset %d" % before, "%s %s" % (what, res))
    c.close()


def case_produce_wrong_count(ctx):
    """lastOffsetDelta and recordsCount disagree with the records (CRC valid)."""
    before = hwm(ctx)
    good = bytearray(small_batch("count", n=3))
    bad1 = bytearray(good)
    struct.pack_into(">i", bad1, 23, 7)  # lastOffsetDelta 7 for 3 records
    bad2 = bytearray(good)
    struct.pack_into(">i", bad2, 57, 9)  # recordsCount 9 for 3 records
    for name, b in (("lastOffsetDelta", bad1), ("recordsCount", bad2)):
        crc = kr.crc32c(bytes(b[21:]))
        struct.pack_into(">I", b, 17, crc)
        c = kr.Conn(ctx.port)
        what, res = produce_raw(c, ctx, bytes(b))
        check(what == "answered" and res[2] in (kr.INVALID_RECORD, kr.CORRUPT_MESSAGE),
              "Produce with a wrong %s: INVALID_RECORD (87) or CORRUPT_MESSAGE (2)" % name, "%s %s" % (what, res))
        c.close()
    check(hwm(ctx) == before, "the miscounted batches were not appended")


def case_produce_too_large(ctx):
    before = hwm(ctx)
    big = [(b"big-%d" % i, bytes([i]) * (256 * 1024), []) for i in range(5)]  # 1.25 MiB
    batch = kr.record_batch(big)
    c = kr.Conn(ctx.port)
    what, res = produce_raw(c, ctx, batch)
    check(what == "answered" and res[2] == kr.MESSAGE_TOO_LARGE,
          "Produce of a %d-byte batch (over 1 MiB): MESSAGE_TOO_LARGE (10)" % len(batch), "%s %s" % (what, res))
    check(hwm(ctx) == before, "the oversized batch was not appended")
    if what == "answered":
        what, res = produce_raw(c, ctx, small_batch("after-too-large"))
        check(what == "answered" and res[2] == 0,
              "the same connection then produces a good batch", "%s %s" % (what, res))
    c.close()
    # One event of just under 1 MiB in a batch still under the limit is accepted.
    batch = kr.record_batch([(b"almost", b"a" * (MiB - 4096), [])])
    c = kr.Conn(ctx.port)
    what, res = produce_raw(c, ctx, batch)
    check(what == "answered" and res[2] == 0,
          "Produce of a %d-byte batch (under 1 MiB) is accepted" % len(batch), "%s %s" % (what, res))
    c.close()


CASES = {
    "garbage-http": case_garbage_http,
    "garbage-random": case_garbage_random,
    "negative-size": case_negative_size,
    "zero-size": case_zero_size,
    "truncated-eof": case_truncated_eof,
    "truncated-idle": case_truncated_idle,
    "truncated-body": case_truncated_body,
    "oversized": case_oversized,
    "unknown-api": case_unknown_api,
    "unknown-version": case_unknown_version,
    "apiversions-future": case_apiversions_future,
    "produce-bad-crc": case_produce_bad_crc,
    "produce-wrong-count": case_produce_wrong_count,
    "produce-too-large": case_produce_too_large,
}


# ---- the checks after every case -------------------------------------------

def hub_rss_kib(ctx):
    try:
        with open("/proc/%d/status" % ctx.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def hub_alive(ctx):
    try:
        os.kill(ctx.pid, 0)
        return True
    except ProcessLookupError:
        return False


def bystander_ok(conn):
    try:
        conn.s.settimeout(30)
        err, _ = kr.parse_api_versions_v0(conn.call(kr.API_APIVERSIONS, 0, b""))
        return err == 0
    except (OSError, EOFError, ValueError):
        return False


def normal_client(ctx, label):
    """confluent-kafka on fresh connections: produce one event, read it back by offset."""
    value = ("after %s %s" % (label, uuid.uuid4())).encode()
    conf = {"bootstrap.servers": "127.0.0.1:%d" % ctx.port, "socket.timeout.ms": 30000}
    p = Producer(dict(conf, **{"acks": "all", "message.timeout.ms": 60000}))
    got = {}

    def cb(err, msg):
        got["err"], got["offset"] = err, msg.offset()

    p.produce(ctx.topic, value=value, partition=0, on_delivery=cb)
    p.flush(60)
    if got.get("err") is not None or "offset" not in got:
        print("    produce failed: %s" % got, flush=True)
        return False
    c = Consumer(dict(conf, **{"group.id": "eddy-bad-input-check", "enable.auto.commit": False}))
    c.assign([TopicPartition(ctx.topic, 0, got["offset"])])
    deadline = time.monotonic() + 60
    m = None
    while time.monotonic() < deadline:
        m = c.poll(1.0)
        if m is not None and m.error() is None:
            break
    c.close()
    if m is None or m.error() is not None or m.value() != value:
        print("    read back failed: %s" % (None if m is None else (m.error(), m.value())), flush=True)
        return False
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--topic", required=True)
    ap.add_argument("--hub-pid", type=int, required=True)
    ap.add_argument("cases", nargs="*")
    a = ap.parse_args()
    ctx = Ctx(a.port, a.topic, a.hub_pid)
    bystander = kr.Conn(ctx.port)
    check(bystander_ok(bystander), "the bystander connection works before the bad input")
    check(normal_client(ctx, "start"), "a real client produces and consumes before the bad input")
    for name in a.cases or list(CASES):
        print("== %s" % name, flush=True)
        fn = CASES[name]
        try:
            if name == "truncated-idle":
                fn(ctx, bystander)
            else:
                fn(ctx)
        except Exception as e:  # noqa: BLE001 - a case must not stop the others
            fail("%s: the case itself failed: %r" % (name, e))
        alive = hub_alive(ctx)
        check(alive, "after %s: the hub process is alive" % name)
        if not alive:
            break
        check(bystander_ok(bystander), "after %s: the bystander connection still gets answers" % name)
        check(normal_client(ctx, name), "after %s: a real client (confluent-kafka) produces and consumes" % name)
    bystander.close()
    sys.exit(1 if FAILS else 0)


if __name__ == "__main__":
    main()
