#!/usr/bin/python3
"""Deterministic, checkable event sets and their verification.

Every client test produces an event set made here and reads it back into a
"dump"; `verify` then compares the dump with the set byte for byte.

Files are JSON lines with bytes as hex (so any byte survives):
  set:  {"k": KEYHEX, "v": VALUEHEX, "h": [[NAME, VALUEHEX], ...]}    (line i = event i)
  dump: {"p": PARTITION, "o": OFFSET, "k": ..., "v": ..., "h": ...}  (any order)
  acks: {"i": EVENT, "p": PARTITION, "o": OFFSET}                     (producer's delivery reports)

An event's value starts with JSON {"key": KEYHEX, "seq": N, "kseq": M,
"fill": TEXT}; in binary sets a NUL byte and random binary filler follow.
`seq` is the event's index in the set, `kseq` its index among its key's
events, so order can be checked from the bytes that came back alone.

Usage:
  dataset.py gen --name NAME --count N [--keys K] [--binary] [--headers per|fixed|none] --out FILE
  dataset.py kcat-input SET OUT        (key TAB value lines, text sets only)
  dataset.py kcat-dump KCAT_JSON OUT   (kcat -J output -> dump)
  dataset.py verify --set SET [--set SET2...] --dump DUMP [--acks ACKS [--acks-base N]]
                    [--no-contiguous] [--start-offsets P=O,...]
"""

import argparse
import collections
import json
import random
import sys

TEXT_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ._-+=()[]"


def gen(name, count, keys=64, binary=False, headers="per", start_seq=0):
    rnd = random.Random("eddy-dataset/%s" % name)
    key_names = []
    for n in range(keys):
        k = ("%s-key-%03d" % (name, n)).encode()
        if binary:
            k += b"\x00\xff" + bytes([n % 256, (n * 7) % 256])
        key_names.append(k)
    kseq = collections.Counter()
    out = []
    for i in range(count):
        seq = start_seq + i
        kn = rnd.randrange(keys)
        key = key_names[kn]
        # Mostly small events, now and then a large one to cross batch limits.
        flen = 30000 if seq % 997 == 996 else rnd.randrange(0, 400)
        fill = "".join(rnd.choice(TEXT_ALPHABET) for _ in range(min(flen, 64)))
        fill = (fill * (flen // max(len(fill), 1) + 1))[:flen]
        meta = {"key": key.hex(), "seq": seq, "kseq": kseq[kn], "fill": fill}
        value = json.dumps(meta, separators=(",", ":")).encode()
        if binary:
            value += b"\x00" + rnd.randbytes(rnd.randrange(1, 64))
        kseq[kn] += 1
        if headers == "per":
            hdrs = [("seq", str(seq).encode()), ("src", name.encode())]
            if seq % 2 == 0:
                hdrs.append(("bin", bytes((seq + j) % 256 for j in range(8)) if binary else b"even"))
            if seq % 5 == 0:
                hdrs.append(("empty", b""))
        elif headers == "fixed":
            hdrs = [("src", name.encode()), ("run", b"eddy")]
        else:
            hdrs = []
        out.append({"k": key, "v": value, "h": hdrs})
    return out


def to_json(ev):
    return json.dumps(
        {
            "k": None if ev["k"] is None else ev["k"].hex(),
            "v": None if ev["v"] is None else ev["v"].hex(),
            "h": [[n, None if v is None else v.hex()] for n, v in ev["h"]],
        }
    )


def from_json(line):
    d = json.loads(line)
    return {
        "p": d.get("p"),
        "o": d.get("o"),
        "k": None if d["k"] is None else bytes.fromhex(d["k"]),
        "v": None if d["v"] is None else bytes.fromhex(d["v"]),
        "h": [(n, None if v is None else bytes.fromhex(v)) for n, v in d["h"]],
    }


def write_set(events, path):
    with open(path, "w") as f:
        for ev in events:
            f.write(to_json(ev) + "\n")


def read_lines(path):
    with open(path) as f:
        return [from_json(line) for line in f if line.strip()]


def dump_line(partition, offset, key, value, headers):
    """One dump line; key/value bytes or None, headers [(str, bytes|None)]."""
    return json.dumps(
        {
            "p": partition,
            "o": offset,
            "k": None if key is None else bytes(key).hex(),
            "v": None if value is None else bytes(value).hex(),
            "h": [[n, None if v is None else bytes(v).hex()] for n, v in (headers or [])],
        }
    )


def meta_of(value):
    text = value.split(b"\x00", 1)[0]
    return json.loads(text)


class Checker:
    def __init__(self):
        self.fails = 0

    def fail(self, msg):
        self.fails += 1
        if self.fails <= 20:
            print("FAIL: " + msg)
        elif self.fails == 21:
            print("FAIL: (more failures not shown)")

    def ok(self, msg):
        print("ok   " + msg)


def show(b, n=60):
    if b is None:
        return "null"
    s = repr(bytes(b[:n]))
    return s + ("...(%d bytes)" % len(b) if len(b) > n else "")


def verify(events, dump, acks=None, contiguous=True, start_offsets=None, label="read back", acks_base=0):
    c = Checker()
    start_offsets = start_offsets or {}

    # 1. exact count
    if len(dump) == len(events):
        c.ok("%s: %d events, as produced" % (label, len(dump)))
    else:
        c.fail("%s: %d events, expected %d" % (label, len(dump), len(events)))

    # 2. offsets: unique, and (on a fresh hub) contiguous per partition
    by_part = collections.defaultdict(list)
    seen_po = set()
    for r in dump:
        if (r["p"], r["o"]) in seen_po:
            c.fail("offset %d of partition %d returned twice" % (r["o"], r["p"]))
        seen_po.add((r["p"], r["o"]))
        by_part[r["p"]].append(r)
    for p in by_part:
        by_part[p].sort(key=lambda r: r["o"])
    if contiguous:
        bad = 0
        for p, rs in sorted(by_part.items()):
            first = start_offsets.get(p, 0)
            offs = [r["o"] for r in rs]
            if offs != list(range(first, first + len(offs))):
                bad += 1
                c.fail("partition %d offsets not contiguous from %d: first %s last %s count %d"
                       % (p, first, offs[:5], offs[-5:], len(offs)))
        if not bad:
            c.ok("offsets contiguous in every partition (%s)"
                 % ", ".join("p%d:%d" % (p, len(rs)) for p, rs in sorted(by_part.items())))

    # 3. same bytes: every event exactly once, key/value/headers identical
    want = {}
    for i, ev in enumerate(events):
        want[ev["v"]] = i
    got_idx = {}
    mismatches = 0
    for r in dump:
        i = want.get(r["v"])
        if i is None:
            mismatches += 1
            c.fail("unexpected value at p%d o%d: %s" % (r["p"], r["o"], show(r["v"])))
            continue
        if i in got_idx:
            mismatches += 1
            prev = got_idx[i]
            c.fail("event %d read twice: p%d o%d and p%d o%d" % (i, prev["p"], prev["o"], r["p"], r["o"]))
            continue
        got_idx[i] = r
        ev = events[i]
        if r["k"] != ev["k"]:
            mismatches += 1
            c.fail("event %d key: expected %s, got %s" % (i, show(ev["k"]), show(r["k"])))
        if r["h"] != ev["h"]:
            mismatches += 1
            c.fail("event %d headers: expected %s, got %s"
                   % (i, [(n, show(v, 20)) for n, v in ev["h"]], [(n, show(v, 20)) for n, v in r["h"]]))
    missing = [i for i in range(len(events)) if i not in got_idx]
    if missing:
        c.fail("%d event(s) missing, e.g. seq %s" % (len(missing), missing[:10]))
    if not mismatches and not missing:
        c.ok("every event came back exactly once with the same key, value and header bytes")

    # 4. per-key order, from the sequence numbers inside the values
    per_key = collections.defaultdict(list)
    for p, rs in sorted(by_part.items()):
        for r in rs:
            try:
                m = meta_of(r["v"])
            except ValueError:
                continue  # already reported as unexpected
            per_key[m["key"]].append((p, r["o"], m["seq"], m["kseq"]))
    order_bad = 0
    for k, items in per_key.items():
        parts = {p for p, _, _, _ in items}
        if len(parts) != 1:
            order_bad += 1
            c.fail("key %s spread over partitions %s" % (k, sorted(parts)))
            continue
        seqs = [s for _, _, s, _ in items]
        kseqs = [ks for _, _, _, ks in items]
        if any(b <= a for a, b in zip(seqs, seqs[1:])) or any(b <= a for a, b in zip(kseqs, kseqs[1:])):
            order_bad += 1
            c.fail("key %s: sequence numbers not increasing in offset order: %s" % (k, seqs[:20]))
    if not order_bad:
        c.ok("per-key order kept (%d keys, sequence numbers increasing in offset order)" % len(per_key))

    # 5. the producer's delivery reports point at the right events (acks
    #    cover the events from index acks_base on)
    if acks is not None:
        at = {(r["p"], r["o"]): r for r in dump}
        bad = 0
        for a in acks:
            r = at.get((a["p"], a["o"]))
            ev = events[acks_base + a["i"]]
            if r is None or r["v"] != ev["v"]:
                bad += 1
                c.fail("delivery report: event %d at p%d o%d, but the log has %s there"
                       % (a["i"], a["p"], a["o"], "nothing" if r is None else show(r["v"])))
        if len(acks) != len(events) - acks_base:
            bad += 1
            c.fail("%d delivery reports for %d events" % (len(acks), len(events) - acks_base))
        if not bad:
            c.ok("all %d delivery reports (partition, offset) match the log" % len(acks))
    return c.fails


def read_acks(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def kcat_dump(src, dst):
    """kcat -J lines -> dump lines.

    kcat prints key and payload as JSON strings (raw bytes, not base64), and
    headers as a flat [name, value, name, value, ...] list; text sets only."""
    n = 0
    with open(src, "rb") as f, open(dst, "w") as out:
        for line in f:
            line = line.strip()
            if not line or not line.startswith(b"{"):
                continue
            d = json.loads(line)
            hs = d.get("headers") or []
            headers = [(hs[j], None if hs[j + 1] is None else hs[j + 1].encode()) for j in range(0, len(hs), 2)]
            key = None if d.get("key") is None else d["key"].encode()
            val = None if d.get("payload") is None else d["payload"].encode()
            out.write(dump_line(d["partition"], d["offset"], key, val, headers) + "\n")
            n += 1
    return n


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen")
    g.add_argument("--name", required=True)
    g.add_argument("--count", type=int, required=True)
    g.add_argument("--keys", type=int, default=64)
    g.add_argument("--start-seq", type=int, default=0)
    g.add_argument("--binary", action="store_true")
    g.add_argument("--headers", choices=["per", "fixed", "none"], default="per")
    g.add_argument("--out", required=True)
    k = sub.add_parser("kcat-input")
    k.add_argument("set")
    k.add_argument("out")
    kd = sub.add_parser("kcat-dump")
    kd.add_argument("src")
    kd.add_argument("out")
    v = sub.add_parser("verify")
    v.add_argument("--set", required=True, action="append")
    v.add_argument("--dump", required=True)
    v.add_argument("--acks")
    v.add_argument("--acks-base", type=int, default=0, help="the acks' event indexes start at this event")
    v.add_argument("--label", default="read back")
    v.add_argument("--no-contiguous", action="store_true")
    v.add_argument("--start-offsets", default="")
    a = ap.parse_args()

    if a.cmd == "gen":
        write_set(gen(a.name, a.count, a.keys, a.binary, a.headers, a.start_seq), a.out)
    elif a.cmd == "kcat-input":
        with open(a.out, "wb") as out:
            for ev in read_lines(a.set):
                if b"\t" in ev["k"] + ev["v"] or b"\n" in ev["k"] + ev["v"]:
                    sys.exit("kcat-input: event has a TAB or newline")
                out.write(ev["k"] + b"\t" + ev["v"] + b"\n")
    elif a.cmd == "kcat-dump":
        print(kcat_dump(a.src, a.out))
    elif a.cmd == "verify":
        events = []
        for s in a.set:
            events += read_lines(s)
        starts = {}
        for item in filter(None, a.start_offsets.split(",")):
            p, o = item.split("=")
            starts[int(p)] = int(o)
        acks = read_acks(a.acks) if a.acks else None
        fails = verify(events, read_lines(a.dump), acks, not a.no_contiguous, starts, a.label, a.acks_base)
        sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
