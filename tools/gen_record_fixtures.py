#!/usr/bin/python3
"""Generates the record-batch fixtures of eddy's record tests with an
independent oracle: kafka-python's own batch code (DefaultRecordBatchBuilder
to write, MemoryRecords / DefaultRecordBatch to read back).

Writes tests/unit/data/record/*.bin and manifest.txt, and copies the batches
into tests/fuzz/corpus/record_batch/ as fuzz seeds. The manifest is what
kafka-python reads from each file; the C test (test_record_fixtures) must
read exactly the same. Format, one item per line, fields key=value, bytes as
lowercase hex ("-" = null, "" = empty):

    file name=F batches=N rest=R validate=E
    batch codec=C attributes=A count=N base_offset=O last_offset_delta=D
          base_timestamp=T max_timestamp=T producer_id=P producer_epoch=E
          base_sequence=S crc_ok=1
    record offset=O timestamp=T key=HEX value=HEX headers=N
    header key=HEX value=HEX

(a batch line is one line; wrapped here). A value over 1 KiB is written as
"#LEN:CRC" (its length and CRC-32C in hex, computed by kafka-python's crc32c)
to keep the manifest small. rest = bytes after the last whole batch;
validate = the Kafka ErrorCode eddy_batch_validate must return for the whole
file taken as one partition's Produce records.

Run with the system python that has python3-kafka, python3-lz4,
python3-snappy and python3-zstandard:  /usr/bin/python3 tools/gen_record_fixtures.py
"""
import os
import struct
import sys
from unittest import mock

import snappy
from kafka.record import default_records
from kafka.record.default_records import DefaultRecordBatch, DefaultRecordBatchBuilder
from kafka.record.memory_records import MemoryRecords
from kafka.record.util import calc_crc32c

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "tests", "unit", "data", "record")
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus", "record_batch")

T0 = 1700000000000  # 2023-11-14T22:13:20Z

NONE, GZIP, SNAPPY, LZ4, ZSTD = 0, 1, 2, 3, 4
INVALID_TIMESTAMP, INVALID_RECORD = 32, 87


def sample_records():
    """Records covering the layout's corners: null and empty keys/values,
    a negative timestamp delta, multi-byte varint lengths, binary bytes,
    headers with null/empty values and a non-ASCII key."""
    recs = [
        (T0, b"key-0", b"value-0 " * 20, [("h1", b"v1"), ("trace-id", b"abc")]),
        (T0 + 5, None, b"x" * 300, []),
        (T0 - 1000, b"", b"", [("empty", b""), ("null", None)]),
        (T0 + 7, b"\x00\xff binary", None, []),
        (T0 + 100, b"k" * 200, bytes(range(256)) * 4, [("unicode-\u043a\u043b\u044e\u0447", b"\xe2\x82\xac")]),
    ]
    for i in range(5, 40):
        value = b'{"deviceId":"dev-%d","temperature":%d.5,"status":"ok"}' % (i % 7, 20 + i % 11)
        recs.append((T0 + 1000 * i, b"dev-%d" % (i % 7), value, [("content-type", b"application/json")]))
    return recs


def big_records():
    """One value of ~100 KiB, so xerial snappy writes several 32 KiB blocks
    and lz4 several 64 KiB blocks; plus two small records around it."""
    big = b"".join(b"line %05d: temperature reading 21.5 C, humidity 40 %%\n" % i for i in range(2000))
    return [
        (T0, b"before", b"small", []),
        (T0 + 1, b"big", big, [("size", str(len(big)).encode())]),
        (T0 + 2, b"after", b"small", []),
    ]


def build(records, codec, producer=(-1, -1, -1), transactional=False):
    # gzip stamps the time into its header: pin it, so reruns give the same bytes.
    with mock.patch("gzip.time.time", return_value=T0 / 1000):
        return build_now(records, codec, producer, transactional)


def build_now(records, codec, producer, transactional):
    pid, epoch, seq = producer
    b = DefaultRecordBatchBuilder(magic=2, compression_type=codec, is_transactional=transactional,
                                  producer_id=pid, producer_epoch=epoch, base_sequence=seq,
                                  batch_size=1 << 30)
    for i, (ts, key, value, headers) in enumerate(records):
        if b.append(i, timestamp=ts, key=key, value=value, headers=headers) is None:
            raise SystemExit("kafka-python refused a record")
    buf = bytes(b.build())
    got = DefaultRecordBatch(buf).compression_type
    if got != codec:
        raise SystemExit("kafka-python did not compress with codec %d (got %d)" % (codec, got))
    return buf


def build_raw_snappy(records):
    """kafka-python writes xerial framing; librdkafka writes raw snappy.
    Swap in python-snappy's raw compress to get a librdkafka-style batch."""
    saved = default_records.snappy_encode
    default_records.snappy_encode = lambda data: snappy.compress(bytes(data))
    try:
        buf = build(records, SNAPPY)
    finally:
        default_records.snappy_encode = saved
    if buf[61:69] == b"\x82SNAPPY\x00":
        raise SystemExit("expected raw snappy")
    return buf


def with_crc(buf):
    buf = bytearray(buf)
    struct.pack_into(">I", buf, 17, calc_crc32c(bytes(buf[21:])))
    return bytes(buf)


def log_append_time(buf, now):
    """What a LogAppendTime broker does: attribute bit 3, maxTimestamp = now,
    CRC recomputed."""
    buf = bytearray(buf)
    attrs, = struct.unpack_from(">h", buf, 21)
    struct.pack_into(">h", buf, 21, attrs | 0x08)
    struct.pack_into(">q", buf, 35, now)
    return with_crc(buf)


def set_base_offset(buf, base):
    buf = bytearray(buf)
    struct.pack_into(">q", buf, 0, base)  # not covered by the CRC
    return bytes(buf)


def hexb(b):
    if b is None:
        return "-"
    if len(b) > 1024:
        return "#%d:%08x" % (len(b), calc_crc32c(b))
    return b.hex()


def describe(data):
    """Reads data back with kafka-python: the oracle's view of the file."""
    lines = []
    mr = MemoryRecords(data)
    n = 0
    consumed = 0
    while True:
        batch = mr.next_batch()
        if batch is None:
            break
        n += 1
        size = struct.unpack_from(">i", data, consumed + 8)[0] + 12
        raw = data[consumed:consumed + size]
        consumed += size
        crc_ok = DefaultRecordBatch(raw).validate_crc()
        h = DefaultRecordBatch.HEADER_STRUCT.unpack_from(raw)
        recs = list(batch)
        lines.append("batch codec=%d attributes=%d count=%d base_offset=%d last_offset_delta=%d "
                     "base_timestamp=%d max_timestamp=%d producer_id=%d producer_epoch=%d "
                     "base_sequence=%d crc_ok=%d" % (
                         batch.compression_type, batch.attributes, h[12], batch.base_offset,
                         batch.last_offset_delta, batch.first_timestamp, batch.max_timestamp,
                         h[9], h[10], h[11], int(crc_ok)))
        if len(recs) != h[12]:
            raise SystemExit("record count mismatch")
        for r in recs:
            lines.append("record offset=%d timestamp=%d key=%s value=%s headers=%d" % (
                r.offset, r.timestamp, hexb(r.key), hexb(r.value), len(r.headers)))
            for hk, hv in r.headers:
                lines.append("header key=%s value=%s" % (hexb(hk.encode("utf-8")), hexb(hv)))
    return n, len(data) - consumed, lines


def check_against_input(data, records, timestamp_override=None):
    """The oracle must read back what was put in."""
    batch = next(iter([MemoryRecords(data).next_batch()]))
    for i, (r, (ts, key, value, headers)) in enumerate(zip(batch, records)):
        want_ts = timestamp_override if timestamp_override is not None else ts
        if (r.offset, r.timestamp, r.key, r.value, r.headers) != (i, want_ts, key, value, headers):
            raise SystemExit("kafka-python round trip differs at record %d" % i)


def main():
    os.makedirs(OUT, exist_ok=True)
    os.makedirs(CORPUS, exist_ok=True)
    recs = sample_records()
    files = []  # (name, bytes, expected validate code)

    single = [
        ("none.bin", build(recs, NONE)),
        ("gzip.bin", build(recs, GZIP)),
        ("snappy-xerial.bin", build(recs, SNAPPY)),
        ("snappy-raw.bin", build_raw_snappy(recs)),
        ("lz4.bin", build(recs, LZ4)),
        ("zstd.bin", build(recs, ZSTD)),
    ]
    for name, data in single:
        check_against_input(data, recs)
        files.append((name, data, 0))

    big = big_records()
    for name, codec in (("big-snappy-xerial.bin", SNAPPY), ("big-lz4.bin", LZ4),
                        ("big-zstd.bin", ZSTD), ("big-gzip.bin", GZIP)):
        data = build(big, codec)
        check_against_input(data, big)
        files.append((name, data, 0))

    idem = build(recs[:3], NONE, producer=(1234, 3, 42), transactional=True)
    files.append(("idempotent.bin", idem, 0))

    now = T0 + 999999
    lat = log_append_time(build(recs[:4], LZ4), now)
    check_against_input(lat, recs[:4], timestamp_override=now)
    files.append(("logappend.bin", lat, INVALID_TIMESTAMP))

    # A log segment slice: several batches back to back, offsets assigned.
    seg_recs = recs[5:17]
    seg_batches = [build(seg_recs, c) for c in (NONE, GZIP, SNAPPY, LZ4, ZSTD)]
    seg_batches.insert(3, build_raw_snappy(seg_recs))
    segment = b""
    base = 0
    for data in seg_batches:
        segment += set_base_offset(data, base)
        base += len(seg_recs)
    files.append(("segment.bin", segment, INVALID_RECORD))
    # A Fetch response may end in a truncated batch.
    files.append(("segment-truncated.bin", segment + set_base_offset(seg_batches[1], base)[:40],
                  INVALID_RECORD))

    manifest = ["# Generated by tools/gen_record_fixtures.py with kafka-python; do not edit."]
    for name, data, code in files:
        n, rest, lines = describe(data)
        manifest.append("file name=%s batches=%d rest=%d validate=%d" % (name, n, rest, code))
        manifest.extend(lines)
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        with open(os.path.join(CORPUS, "fixture-" + name), "wb") as f:
            f.write(data)
    with open(os.path.join(OUT, "manifest.txt"), "w") as f:
        f.write("\n".join(manifest) + "\n")
    print("wrote %d fixtures to %s" % (len(files), os.path.relpath(OUT, ROOT)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
