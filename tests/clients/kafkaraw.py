"""Hand-built Kafka frames for eddy's integration tests (no client library).

Only what the bad-input and version-probe tests need: request framing with
header v1, ApiVersions v0, Metadata v1, Produce v3..v7 with a v2 record batch
(uncompressed), and response parsing for those. Everything is big-endian as on
the wire; record-level varints are zigzag.
"""

import socket
import struct
import time

API_PRODUCE = 0
API_FETCH = 1
API_METADATA = 3
API_APIVERSIONS = 18

NONE = 0
CORRUPT_MESSAGE = 2
MESSAGE_TOO_LARGE = 10
INVALID_RECORD = 87


# CRC-32C (Castagnoli), reflected polynomial 0x82F63B78, table driven.
def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC_TABLE = _crc32c_table()


def crc32c(data):
    crc = 0xFFFFFFFF
    t = _CRC_TABLE
    for b in data:
        crc = t[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def zigzag_varint(n):
    z = (n << 1) ^ (n >> 63)
    out = bytearray()
    while True:
        b = z & 0x7F
        z >>= 7
        if z:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def kstring(s):
    if s is None:
        return struct.pack(">h", -1)
    b = s.encode() if isinstance(s, str) else s
    return struct.pack(">h", len(b)) + b


def kbytes(b):
    if b is None:
        return struct.pack(">i", -1)
    return struct.pack(">i", len(b)) + b


def request(api_key, version, corr, body, client_id="eddy-raw"):
    """A whole frame: int32 size, request header v1, body."""
    hdr = struct.pack(">hhi", api_key, version, corr) + kstring(client_id)
    payload = hdr + body
    return struct.pack(">i", len(payload)) + payload


def record(offset_delta, key, value, headers=()):
    body = bytearray()
    body += b"\x00"  # attributes
    body += zigzag_varint(0)  # timestamp delta
    body += zigzag_varint(offset_delta)
    for part in (key, value):
        if part is None:
            body += zigzag_varint(-1)
        else:
            body += zigzag_varint(len(part)) + part
    body += zigzag_varint(len(headers))
    for hk, hv in headers:
        hk = hk.encode()
        body += zigzag_varint(len(hk)) + hk
        body += zigzag_varint(len(hv)) + hv
    return zigzag_varint(len(body)) + bytes(body)


def record_batch(records, base_ts=None, corrupt_crc=False):
    """A magic-2 batch of (key, value, headers) tuples, no compression."""
    if base_ts is None:
        base_ts = int(time.time() * 1000)
    recs = b"".join(record(i, k, v, h) for i, (k, v, h) in enumerate(records))
    after_crc = struct.pack(
        ">hiqqqhii",
        0,  # attributes
        len(records) - 1,  # lastOffsetDelta
        base_ts,
        base_ts,
        -1,  # producerId
        -1,  # producerEpoch
        -1,  # baseSequence
        len(records),
    ) + recs
    crc = crc32c(after_crc)
    if corrupt_crc:
        crc ^= 0x5A5A5A5A
    after_len = struct.pack(">ibI", 0, 2, crc) + after_crc  # leaderEpoch, magic, crc
    return struct.pack(">qi", 0, len(after_len)) + after_len


def produce_body(topic, partition, batch, acks=-1, timeout_ms=30000):
    """Produce v3..v8 body (non-flexible): one topic, one partition."""
    return (
        kstring(None)  # transactional_id
        + struct.pack(">hi", acks, timeout_ms)
        + struct.pack(">i", 1)
        + kstring(topic)
        + struct.pack(">i", 1)
        + struct.pack(">i", partition)
        + kbytes(batch)
    )


class Reader:
    def __init__(self, data):
        self.d = data
        self.p = 0

    def take(self, n):
        if self.p + n > len(self.d):
            raise ValueError("short response: need %d bytes at %d of %d" % (n, self.p, len(self.d)))
        b = self.d[self.p : self.p + n]
        self.p += n
        return b

    def i8(self):
        return struct.unpack(">b", self.take(1))[0]

    def i16(self):
        return struct.unpack(">h", self.take(2))[0]

    def i32(self):
        return struct.unpack(">i", self.take(4))[0]

    def i64(self):
        return struct.unpack(">q", self.take(8))[0]

    def string(self):
        n = self.i16()
        return None if n < 0 else self.take(n).decode()

    def bytes_(self):
        n = self.i32()
        return None if n < 0 else self.take(n)


def parse_produce_response(body, version):
    """-> list of (topic, partition, error_code, base_offset)."""
    r = Reader(body)
    out = []
    for _ in range(r.i32()):
        topic = r.string()
        for _ in range(r.i32()):
            part = r.i32()
            err = r.i16()
            base = r.i64()
            if version >= 2:
                r.i64()  # log_append_time
            if version >= 5:
                r.i64()  # log_start_offset
            if version >= 8:
                for _ in range(r.i32()):
                    r.i32()
                    r.string()
                r.string()
            out.append((topic, part, err, base))
    if version >= 1:
        r.i32()  # throttle
    return out


def parse_api_versions_v0(body):
    """-> (error_code, {api_key: (min, max)})."""
    r = Reader(body)
    err = r.i16()
    apis = {}
    for _ in range(r.i32()):
        k, lo, hi = r.i16(), r.i16(), r.i16()
        apis[k] = (lo, hi)
    return err, apis


class Conn:
    """A blocking socket with frame helpers and a generous timeout."""

    def __init__(self, port, host="127.0.0.1", timeout=30.0):
        self.s = socket.create_connection((host, port), timeout=timeout)
        self.corr = 0

    def close(self):
        try:
            self.s.close()
        except OSError:
            pass

    def send_raw(self, data):
        self.s.sendall(data)

    def send(self, api_key, version, body, client_id="eddy-raw"):
        self.corr += 1
        self.send_raw(request(api_key, version, self.corr, body, client_id))
        return self.corr

    def recv_exact(self, n):
        buf = bytearray()
        while len(buf) < n:
            chunk = self.s.recv(n - len(buf))
            if not chunk:
                raise EOFError("connection closed after %d of %d bytes" % (len(buf), n))
            buf += chunk
        return bytes(buf)

    def recv_frame(self):
        """-> (correlation_id, body) with response header v0."""
        size = struct.unpack(">i", self.recv_exact(4))[0]
        data = self.recv_exact(size)
        return struct.unpack(">i", data[:4])[0], data[4:]

    def call(self, api_key, version, body):
        corr = self.send(api_key, version, body)
        got, resp = self.recv_frame()
        if got != corr:
            raise ValueError("correlation id %d, expected %d" % (got, corr))
        return resp

    def closed_by_peer(self, wait=10.0):
        """True if the peer closes (EOF or reset) within `wait` seconds.

        Reads and discards anything the peer sends first."""
        self.s.settimeout(wait)
        deadline = time.monotonic() + wait
        try:
            while time.monotonic() < deadline:
                if not self.s.recv(65536):
                    return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False
        return False


def api_versions(port):
    c = Conn(port)
    try:
        err, apis = parse_api_versions_v0(c.call(API_APIVERSIONS, 0, b""))
    finally:
        c.close()
    if err != 0:
        raise RuntimeError("ApiVersions v0 error %d" % err)
    return apis


CODECS = {0: "none", 1: "gzip", 2: "snappy", 3: "lz4", 4: "zstd"}


def fetch_v4(conn, topic, partition, offset, max_bytes=4 << 20, max_wait_ms=100):
    """-> (error_code, high_watermark, records bytes) for one partition."""
    body = (
        struct.pack(">iiiib", -1, max_wait_ms, 1, max_bytes, 0)
        + struct.pack(">i", 1)
        + kstring(topic)
        + struct.pack(">i", 1)
        + struct.pack(">iqi", partition, offset, max_bytes)
    )
    r = Reader(conn.call(API_FETCH, 4, body))
    r.i32()  # throttle
    for _ in range(r.i32()):
        r.string()
        for _ in range(r.i32()):
            r.i32()
            err = r.i16()
            hwm = r.i64()
            r.i64()  # last stable offset
            n = r.i32()
            for _ in range(max(n, 0)):
                r.i64()
                r.i64()
            return err, hwm, r.bytes_() or b""
    raise ValueError("empty fetch response")


def batch_headers(records):
    """-> list of (base_offset, record_count, attributes) of the whole batches in `records`."""
    out = []
    p = 0
    while p + 61 <= len(records):
        base, length = struct.unpack(">qi", records[p : p + 12])
        if p + 12 + length > len(records):
            break  # a partial batch at the end of a fetch
        attrs = struct.unpack(">h", records[p + 21 : p + 23])[0]
        count = struct.unpack(">i", records[p + 57 : p + 61])[0]
        out.append((base, count, attrs))
        p += 12 + length
    return out


def stored_codecs(port, topic, partitions):
    """Codec name -> number of batches, over every batch of the topic."""
    seen = {}
    c = Conn(port)
    try:
        for part in range(partitions):
            offset = 0
            for _ in range(100000):
                err, hwm, recs = fetch_v4(c, topic, part, offset)
                if err != 0:
                    raise RuntimeError("fetch %s/%d at %d: error %d" % (topic, part, offset, err))
                if offset >= hwm:
                    break
                batches = batch_headers(recs)
                if not batches:
                    raise RuntimeError("fetch %s/%d at %d below hwm %d returned no whole batch" % (topic, part, offset, hwm))
                for base, count, attrs in batches:
                    if base + count <= offset:
                        continue
                    name = CODECS.get(attrs & 7, "codec%d" % (attrs & 7))
                    seen[name] = seen.get(name, 0) + 1
                    offset = base + count
    finally:
        c.close()
    return seen


def main():
    import argparse
    import json

    ap = argparse.ArgumentParser(description="raw Kafka probes")
    sub = ap.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("api-versions", help="print the advertised API version table as JSON")
    v.add_argument("--port", type=int, required=True)
    h = sub.add_parser("has-api", help="exit 0 if the hub advertises API key K")
    h.add_argument("--port", type=int, required=True)
    h.add_argument("key", type=int)
    c = sub.add_parser("codecs", help="print {codec: batches} stored for a topic")
    c.add_argument("--port", type=int, required=True)
    c.add_argument("--topic", required=True)
    c.add_argument("--partitions", type=int, default=4)
    a = ap.parse_args()
    if a.cmd == "api-versions":
        print(json.dumps({k: list(v) for k, v in sorted(api_versions(a.port).items())}))
    elif a.cmd == "has-api":
        raise SystemExit(0 if a.key in api_versions(a.port) else 1)
    elif a.cmd == "codecs":
        print(json.dumps(stored_codecs(a.port, a.topic, a.partitions), sort_keys=True))


if __name__ == "__main__":
    main()
