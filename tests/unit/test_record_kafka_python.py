#!/usr/bin/python3
"""Batches built by eddy, read by kafka-python (ctest unit.test_record_kafka_python).

Runs the C helper test_record_emit (argv[1]) into a temp folder; it writes
batches made with eddy's builder (every codec, snappy raw and xerial, an
idempotent transactional batch, a LogAppendTime batch, a segment slice) and
a manifest of what they must hold, from the builder's inputs. kafka-python's
MemoryRecords / DefaultRecordBatch read each file back; every batch must
pass DefaultRecordBatch.validate_crc() and hold exactly the manifest's
records. Exits 77 (skipped) when kafka-python or its codec modules are
missing.
"""
import importlib.util
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "..", "..", "tools", "gen_record_fixtures.py")


def load_oracle():
    try:
        spec = importlib.util.spec_from_file_location("gen_record_fixtures", GEN)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod
    except ImportError as e:
        print("skipped: %s" % e)
        sys.exit(77)


def parse_manifest(text):
    """Returns [(file line, [batch/record/header lines])]."""
    files = []
    for line in text.splitlines():
        if line.startswith("file "):
            files.append((line, []))
        elif line and not line.startswith("#"):
            files[-1][1].append(line)
    return files


def field(line, key):
    for tok in line.split():
        if tok.startswith(key + "="):
            return tok[len(key) + 1:]
    return None


def main():
    if len(sys.argv) != 2:
        print("usage: test_record_kafka_python.py PATH/TO/test_record_emit")
        return 2
    oracle = load_oracle()
    failures = 0
    with tempfile.TemporaryDirectory(prefix="eddy-record-") as tmp:
        subprocess.run([sys.argv[1], tmp], check=True)
        with open(os.path.join(tmp, "manifest.txt")) as f:
            files = parse_manifest(f.read())
        records = 0
        for file_line, want in files:
            name = field(file_line, "name")
            with open(os.path.join(tmp, name), "rb") as f:
                data = f.read()
            try:
                n, rest, got = oracle.describe(data)
            except Exception as e:  # kafka-python rejected the bytes
                print("FAIL %s: kafka-python: %r" % (name, e))
                failures += 1
                continue
            ok = (n == int(field(file_line, "batches")) and rest == int(field(file_line, "rest"))
                  and got == want)
            if not ok:
                failures += 1
                print("FAIL %s: batches %d rest %d" % (name, n, rest))
                for i, (g, w) in enumerate(zip(got, want)):
                    if g != w:
                        print("  line %d\n    kafka-python: %s\n    eddy wanted:  %s" % (i, g[:300], w[:300]))
                        break
                if len(got) != len(want):
                    print("  %d lines from kafka-python, %d expected" % (len(got), len(want)))
            else:
                records += sum(1 for line in got if line.startswith("record "))
                print("ok   %s (%d batches)" % (name, n))
        print("%d files, %d records read by kafka-python, %d failed" % (len(files), records, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
