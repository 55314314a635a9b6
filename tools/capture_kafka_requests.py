#!/usr/bin/python3
"""A fake Kafka broker that records the raw request frames real clients send.

It listens on a loopback port, answers just enough for clients to get going
(ApiVersions at any version, Metadata, Produce) and writes every request frame
it receives -- the bytes after the int32 size prefix, i.e. request header and
body -- to OUT/<prefix>-<nn>-<Api>-v<version>.bin. Any other request is saved
and the connection closed. Used to capture the golden frames under
tests/unit/data/kafka/ (see docs/kafka-codec.md); Python 3 standard library
only, independent of eddy's C codec.

    /usr/bin/python3 tools/capture_kafka_requests.py --out /tmp/cap --prefix kcat
    kcat -b 127.0.0.1:PORT -L          # PORT is printed on the first line

ApiVersions: versions up to --apiversions-max (default 3) get a full answer
advertising the table below; higher ones get the KIP-511 fallback (v0 body,
error 35, one entry {18, 0, max}), which makes librdkafka retry with v0.
"""

import argparse
import os
import socket
import struct
import sys
import threading
import time

# The advertised table: the recommended one of the protocol notes, extended.
API_TABLE = [
    (0, 0, 9),    # Produce
    (1, 0, 12),   # Fetch
    (2, 0, 3),    # ListOffsets
    (3, 0, 12),   # Metadata
    (8, 0, 7),    # OffsetCommit
    (9, 0, 5),    # OffsetFetch
    (10, 0, 2),   # FindCoordinator
    (11, 0, 5),   # JoinGroup
    (12, 0, 3),   # Heartbeat
    (13, 0, 1),   # LeaveGroup
    (14, 0, 3),   # SyncGroup
    (15, 0, 4),   # DescribeGroups
    (16, 0, 2),   # ListGroups
    (17, 0, 1),   # SaslHandshake
    (18, 0, 3),   # ApiVersions
    (19, 0, 4),   # CreateTopics
    (20, 0, 1),   # DeleteTopics
    (22, 0, 1),   # InitProducerId
    (32, 0, 2),   # DescribeConfigs
    (36, 0, 1),   # SaslAuthenticate
    (42, 0, 1),   # DeleteGroups
]
API_NAMES = {0: "Produce", 1: "Fetch", 2: "ListOffsets", 3: "Metadata", 8: "OffsetCommit",
             9: "OffsetFetch", 10: "FindCoordinator", 11: "JoinGroup", 12: "Heartbeat",
             13: "LeaveGroup", 14: "SyncGroup", 15: "DescribeGroups", 16: "ListGroups",
             17: "SaslHandshake", 18: "ApiVersions", 19: "CreateTopics", 20: "DeleteTopics",
             22: "InitProducerId", 32: "DescribeConfigs", 36: "SaslAuthenticate",
             42: "DeleteGroups"}
# First flexible version per key (request header v2 / response header v1).
FLEX = {0: 9, 1: 12, 2: 6, 3: 9, 8: 8, 9: 6, 10: 3, 11: 6, 12: 4, 13: 4, 14: 4, 15: 5,
        16: 3, 18: 3, 19: 5, 20: 4, 22: 2, 32: 4, 36: 2, 42: 2}
NODE_ID = 1


# -- encoding -----------------------------------------------------------------

def uvarint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def i8(v):
    return struct.pack(">b", v)


def i16(v):
    return struct.pack(">h", v)


def i32(v):
    return struct.pack(">i", v)


def i64(v):
    return struct.pack(">q", v)


def string(s, flex):
    if s is None:
        return uvarint(0) if flex else i16(-1)
    b = s.encode()
    return (uvarint(len(b) + 1) if flex else i16(len(b))) + b


def array(items, flex):
    """items: list of already-encoded elements, or None."""
    if items is None:
        return uvarint(0) if flex else i32(-1)
    return (uvarint(len(items) + 1) if flex else i32(len(items))) + b"".join(items)


def tags(flex):
    return b"\x00" if flex else b""


# -- decoding (just what the answers need) --------------------------------------

class Reader:
    def __init__(self, data):
        self.d = data
        self.p = 0

    def take(self, n):
        if n < 0 or self.p + n > len(self.d):
            raise ValueError("truncated")
        v = self.d[self.p:self.p + n]
        self.p += n
        return v

    def i16(self):
        return struct.unpack(">h", self.take(2))[0]

    def i32(self):
        return struct.unpack(">i", self.take(4))[0]

    def uvarint(self):
        shift = v = 0
        while True:
            b = self.take(1)[0]
            v |= (b & 0x7F) << shift
            if not b & 0x80:
                return v
            shift += 7

    def string(self, flex):
        n = self.uvarint() - 1 if flex else self.i16()
        return None if n < 0 else self.take(n).decode("utf-8", "replace")

    def bytes_(self, flex):
        n = self.uvarint() - 1 if flex else self.i32()
        return None if n < 0 else self.take(n)

    def count(self, flex):
        return self.uvarint() - 1 if flex else self.i32()

    def skip_tags(self):
        for _ in range(self.uvarint()):
            self.uvarint()
            self.take(self.uvarint())


def parse_header(frame):
    r = Reader(frame)
    key, ver, corr = r.i16(), r.i16(), r.i32()
    client = r.string(False)
    if key in FLEX and ver >= FLEX[key]:
        r.skip_tags()
    return key, ver, corr, client, r


# -- answers ------------------------------------------------------------------

def answer_api_versions(ver, corr, max_ver):
    if ver > max_ver:
        # KIP-511 fallback: v0 body, UNSUPPORTED_VERSION, only our own entry.
        return i32(corr) + i16(35) + i32(1) + i16(18) + i16(0) + i16(max_ver)
    flex = ver >= 3
    entries = [i16(k) + i16(lo) + i16(min(hi, max_ver) if k == 18 else hi) + tags(flex)
               for k, lo, hi in API_TABLE]
    body = i16(0) + array(entries, flex)
    if ver >= 1:
        body += i32(0)
    body += tags(flex)
    return i32(corr) + body  # ApiVersions responses always use header v0


def metadata_topics(r, ver):
    flex = ver >= 9
    n = r.count(flex)
    if n < 0:
        return None
    names = []
    for _ in range(n):
        if ver >= 10:
            r.take(16)
        names.append(r.string(flex))
        if flex:
            r.skip_tags()
    return names


def answer_metadata(ver, corr, r, port):
    flex = ver >= 9
    try:
        names = metadata_topics(r, ver)
    except ValueError:
        names = None
    if not names:
        names = ["test"]
    out = b""
    if ver >= 3:
        out += i32(0)
    broker = i32(NODE_ID) + string("127.0.0.1", flex) + i32(port)
    if ver >= 1:
        broker += string(None, flex)
    out += array([broker + tags(flex)], flex)
    if ver >= 2:
        out += string("capture-cluster", flex)
    if ver >= 1:
        out += i32(NODE_ID)
    topics = []
    for name in names:
        t = i16(0) + string(name, flex)
        if ver >= 10:
            t += bytes(range(1, 17))
        if ver >= 1:
            t += b"\x00"
        part = i16(0) + i32(0) + i32(NODE_ID)
        if ver >= 7:
            part += i32(0)
        part += array([i32(NODE_ID)], flex) + array([i32(NODE_ID)], flex)
        if ver >= 5:
            part += array([], flex)
        t += array([part + tags(flex)], flex)
        if ver >= 8:
            t += i32(-2147483648)
        topics.append(t + tags(flex))
    out += array(topics, flex)
    if 8 <= ver <= 10:
        out += i32(-2147483648)
    out += tags(flex)
    return i32(corr) + tags(flex) + out


def answer_produce(ver, corr, r):
    """Returns the response, or None for acks=0 (no response at all)."""
    flex = ver >= 9
    if ver >= 3:
        r.string(flex)
    acks = r.i16()
    r.i32()
    topics = []
    for _ in range(r.count(flex)):
        name = r.string(flex)
        parts = []
        for _ in range(r.count(flex)):
            idx = r.i32()
            r.bytes_(flex)
            if flex:
                r.skip_tags()
            parts.append(idx)
        if flex:
            r.skip_tags()
        topics.append((name, parts))
    if acks == 0:
        return None
    out = []
    for name, parts in topics:
        ps = []
        for idx in parts:
            p = i32(idx) + i16(0) + i64(0)
            if ver >= 2:
                p += i64(-1)
            if ver >= 5:
                p += i64(0)
            if ver >= 8:
                p += array([], flex) + string(None, flex)
            ps.append(p + tags(flex))
        out.append(string(name, flex) + array(ps, flex) + tags(flex))
    body = array(out, flex)
    if ver >= 1:
        body += i32(0)
    return i32(corr) + tags(flex) + body + tags(flex)


# -- server ---------------------------------------------------------------------

class Capture:
    def __init__(self, out, prefix, max_api_versions, port):
        self.out = out
        self.prefix = prefix
        self.max_api_versions = max_api_versions
        self.port = port
        self.seq = 0
        self.lock = threading.Lock()
        self.last = time.monotonic()

    def save(self, key, ver, frame):
        with self.lock:
            self.seq += 1
            self.last = time.monotonic()
            name = f"{self.prefix}-{self.seq:02d}-{API_NAMES.get(key, 'Key%d' % key)}-v{ver}.bin"
        with open(os.path.join(self.out, name), "wb") as fh:
            fh.write(frame)
        print(f"saved {name} ({len(frame)} bytes)", flush=True)

    def serve(self, conn):
        with conn:
            while True:
                head = recv_exact(conn, 4)
                if head is None:
                    return
                size = struct.unpack(">i", head)[0]
                if size < 8 or size > 64 << 20:
                    return
                frame = recv_exact(conn, size)
                if frame is None:
                    return
                try:
                    key, ver, corr, _client, r = parse_header(frame)
                except ValueError:
                    return
                self.save(key, ver, frame)
                try:
                    if key == 18:
                        resp = answer_api_versions(ver, corr, self.max_api_versions)
                    elif key == 3:
                        resp = answer_metadata(ver, corr, r, self.port)
                    elif key == 0:
                        resp = answer_produce(ver, corr, r)
                    else:
                        return
                except ValueError:
                    return
                if resp is not None:
                    conn.sendall(i32(len(resp)) + resp)


def recv_exact(conn, n):
    buf = bytearray()
    while len(buf) < n:
        try:
            chunk = conn.recv(n - len(buf))
        except OSError:
            return None
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="folder for the captured frames")
    ap.add_argument("--prefix", default="req", help="file name prefix (the client's name)")
    ap.add_argument("--port", type=int, default=0, help="port (0 picks a free one)")
    ap.add_argument("--apiversions-max", type=int, default=3,
                    help="highest ApiVersions version answered in full")
    ap.add_argument("--idle-exit", type=float, default=0,
                    help="exit after this many seconds without a request (0: never)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", args.port))
    srv.listen(16)
    port = srv.getsockname()[1]
    cap = Capture(args.out, args.prefix, args.apiversions_max, port)
    print(f"PORT {port}", flush=True)
    srv.settimeout(0.5)
    while True:
        if args.idle_exit and time.monotonic() - cap.last > args.idle_exit:
            return
        try:
            conn, _ = srv.accept()
        except socket.timeout:
            continue
        threading.Thread(target=cap.serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
