"""Event-time policies of streaming queries, checked exactly.

   stream_time.py produce BOOTSTRAP HUB   sends the scenario below, each event
                                          with its arrival time as the record's
                                          CreateTime (the hub runs with
                                          --timestamp create)
   stream_time.py expect KIND POLICY      prints the expected rows (CSV, sorted)
                                          of window KIND under POLICY

The expected rows come from a model written here, independently of eddy:
Stream Analytics' late-arrival (5 s) and out-of-order (1 s) tolerances,
per partition in offset order, then the four windows, end-inclusive. The
tumbling case is also checked against rows worked out by hand (HAND)."""
import sys
from datetime import datetime, timezone

T0 = 1767225600.0  # 2026-01-01T00:00:00Z
LATE, OOO = 5.0, 1.0

# (partition, arrival s, event time s, device, value); in offset order per partition
EVENTS = [
    (0, 1.0, 1.0, "d1", 1),
    (0, 2.0, 2.5, "d1", 2),
    (0, 3.0, 1.2, "d2", 3),   # out of order: below 2.5 - 1 -> 1.5 (adjust) or dropped
    (0, 4.0, 3.5, "d1", 4),
    (0, 9.0, 3.0, "d2", 5),   # late: below 9 - 5 -> 4.0 (adjust) or dropped
    (0, 9.5, 9.2, "d1", 6),
    (0, 10.0, 8.0, "d2", 7),  # out of order: below 9.2 - 1 -> 8.2 (adjust) or dropped
    (0, 10.5, 8.5, "d2", 8),  # within the 1 s tolerance: kept as it is
    (0, 12.0, 12.0, "d1", 9),
    (0, 20.0, 20.0, "d2", 10),
    (1, 1.5, 1.5, "d3", 11),
    (1, 2.5, 5.0, "d3", 12),
    (1, 8.0, 2.0, "d3", 13),  # late: below 8 - 5 -> 3.0, then out of order: below 5 - 1 -> 4.0
    (1, 14.0, 14.0, "d3", 14),
    (1, 14.2, 17.7, "d3", 15),
    (1, 18.5, 18.5, "d3", 16),
]

# Tumbling 5 s windows, adjust policy, by hand: (device, count, sum, window end s)
HAND_TUMBLING_ADJUST = [
    ("d1", 3, 1 + 2 + 4, 5), ("d2", 2, 3 + 5, 5), ("d3", 3, 11 + 12 + 13, 5),
    ("d1", 1, 6, 10), ("d2", 2, 7 + 8, 10),
    ("d1", 1, 9, 15), ("d3", 1, 14, 15),
    ("d2", 1, 10, 20), ("d3", 2, 15 + 16, 20),
]
HAND_TUMBLING_DROP = [
    ("d1", 3, 1 + 2 + 4, 5), ("d3", 2, 11 + 12, 5),
    ("d1", 1, 6, 10), ("d2", 1, 8, 10),
    ("d1", 1, 9, 15), ("d3", 1, 14, 15),
    ("d2", 1, 10, 20), ("d3", 2, 15 + 16, 20),
]


def iso(s):
    t = datetime.fromtimestamp(T0 + s, tz=timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % round(t.microsecond / 1000)


def iso7(s):
    us = round((T0 + s) * 1e6)
    t = datetime.fromtimestamp(us // 1000000, tz=timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%07dZ" % ((us % 1000000) * 10)


def policy(drop):
    """Adjusted (time, device, value) rows and the counters."""
    out, late, ooo, adjusted, dropped = [], 0, 0, 0, 0
    for p in sorted({e[0] for e in EVENTS}):
        mx = None
        for (_, a, t, d, v) in [e for e in EVENTS if e[0] == p]:
            adj = False
            if t < a - LATE:
                late += 1
                if drop:
                    dropped += 1
                    continue
                t, adj = a - LATE, True
            if mx is not None and t < mx - OOO:
                ooo += 1
                if drop:
                    dropped += 1
                    continue
                t, adj = mx - OOO, True
            adjusted += adj
            mx = t if mx is None or t > mx else mx
            out.append((t, d, v))
    return out, (late, ooo, adjusted, dropped)


def windows(kind, rows):
    """(device, count, sum, end) of every window of KIND."""
    res = []
    by = {}
    for (t, d, v) in rows:
        by.setdefault(d, []).append((t, v))
    for d, rs in by.items():
        rs.sort()
        if kind in ("tumbling", "hopping"):
            size, hop = (5.0, 5.0) if kind == "tumbling" else (6.0, 3.0)
            acc = {}
            for (t, v) in rs:
                k = -(-t // hop)  # ceil: the first end at or after t
                e = k * hop
                while e - size < t:
                    n, s = acc.get(e, (0, 0))
                    acc[e] = (n + 1, s + v)
                    e += hop
            res += [(d, n, s, e) for e, (n, s) in acc.items()]
        elif kind == "sliding":
            size = 4.0
            ends = sorted({t for t, _ in rs} | {t + size for t, _ in rs})
            for e in ends:
                inside = [v for (t, v) in rs if e - size < t <= e]
                if inside:
                    res.append((d, len(inside), sum(inside), e))
        else:  # session: timeout 3 s, at most 10 s
            timeout, most = 3.0, 10.0
            start = 0
            for i in range(1, len(rs) + 1):
                s0, last = rs[start][0], rs[i - 1][0]
                if i == len(rs) or rs[i][0] - last > timeout or rs[i][0] > s0 + most:
                    part = rs[start:i]
                    res.append((d, len(part), sum(v for _, v in part),
                                min(last + timeout, s0 + most)))
                    start = i
    return res


def rows_csv(res):
    return sorted("%s,%d,%d,%s" % (d, n, s, iso7(e)) for (d, n, s, e) in res)


def main():
    if sys.argv[1] == "produce":
        from confluent_kafka import Producer
        p = Producer({"bootstrap.servers": sys.argv[2], "acks": "all", "linger.ms": 0})
        for (part, a, t, d, v) in EVENTS:
            body = '{"deviceId":"%s","ts":"%s","v":%d}' % (d, iso(t), v)
            p.produce(sys.argv[3], body.encode(), key=d.encode(), partition=part,
                      timestamp=int(round((T0 + a) * 1000)))
            p.flush(10)
        return 0
    kind, pol = sys.argv[2], sys.argv[3]
    rows, counters = policy(pol == "drop")
    res = windows(kind, rows)
    if kind == "tumbling":
        hand = HAND_TUMBLING_DROP if pol == "drop" else HAND_TUMBLING_ADJUST
        if sorted(res) != sorted(hand):
            print("the model disagrees with the rows worked out by hand", file=sys.stderr)
            return 1
    print("\n".join(rows_csv(res)))
    print("counters late %d, out of order %d, adjusted %d, dropped %d" % counters,
          file=sys.stderr)
    return 0


sys.exit(main())
