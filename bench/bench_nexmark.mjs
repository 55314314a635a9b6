// Nexmark q0-q8 (no q6) in eddy SQL (bench/nexmark/qN.sql), measured in events/s per core
// and set beside Flink's published per-core figures (performance-anchors.md section 3.3:
// Flink 1.13, nexmark/nexmark README). docs/nexmark.md has the queries and how they differ.
//
// Usage: node bench/bench_nexmark.mjs EDDY_BINARY [--stream] [q0 q1 ...]
//   batch (default): the generator's JSON lines go to a file once; each query reads it with
//     read_json('FILE') (`eddy query --threads 1`).
//   --stream: an `eddy hub` on a free loopback port gets the same events through
//     `eddy produce --generator nexmark`, and each query reads hub('nexmark') with
//     `eddy query --bootstrap ... --from earliest --until-end --threads 1` (issue 8).
// Knobs: EDDY_NEXMARK_EVENTS (default 10,000,000 events for every query),
//        EDDY_NEXMARK_VERIFY_EVENTS (default 200,000; 0 skips the check),
//        EDDY_BENCH_REPEAT (default 3: the best CPU time of 3 runs),
//        EDDY_NEXMARK_PARTITIONS (stream mode, default 1),
//        EDDY_NEXMARK_STREAM_FLAGS (stream mode: more `eddy query` flags; default
//        `--late-arrival 86400`, so that events whose event time is older than their arrival
//        in the hub are not moved up: docs/sql-stream.md's late-arrival policy).
// The queries' input name `nexmark` is replaced by the source. eddy events/s per core =
// events / CPU seconds (user + sys) of the `eddy query` process; wall-clock events/s beside
// it. Results go to a CSV file (Flink's runs use a blackhole sink). Prints markdown rows
// `| benchmark | eddy | peer | peer result | eddy / peer |`; details go to stderr.
//
// A fast but wrong query must not pass: before timing, every query runs over a small input
// (EDDY_NEXMARK_VERIFY_EVENTS) and its rows are compared with a reference written here in
// JavaScript (Flink's semantics, unbounded joins included, with ASA's end-inclusive windows);
// after each timed run the output is checked for invariants (row counts, q2's auction % 123).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const eddy = args.shift();
if (!eddy) {
    console.error('usage: node bench/bench_nexmark.mjs EDDY_BINARY [--stream] [q0 q1 ...]');
    process.exit(2);
}
const stream = args.includes('--stream');
const ALL = ['q0', 'q1', 'q2', 'q3', 'q4', 'q5', 'q7', 'q8'];
const picked = args.filter((a) => !a.startsWith('--'));
for (const q of picked) {
    if (!ALL.includes(q)) {
        console.error(`bench_nexmark: unknown query ${q} (one of ${ALL.join(' ')})`);
        process.exit(2);
    }
}
const queries = picked.length ? picked : ALL;
const events = Number(process.env.EDDY_NEXMARK_EVENTS || 10_000_000);
const verifyEvents = Number(process.env.EDDY_NEXMARK_VERIFY_EVENTS ?? 200_000);
const repeat = Number(process.env.EDDY_BENCH_REPEAT || '3');
const partitions = Number(process.env.EDDY_NEXMARK_PARTITIONS || '1');
const streamFlags = (process.env.EDDY_NEXMARK_STREAM_FLAGS ?? '--late-arrival 86400').split(/\s+/).filter(Boolean);
const SEED = '7';
// Event time starts here and advances 0.1 ms per event. In a stream the hub stamps each event
// with its arrival time and the query adjusts events older than arrival - late arrival, so
// there the events end a minute before now (whole seconds, as the windows' alignment is).
const START = stream
    ? new Date(Math.floor((Date.now() - events / 10 - 60_000) / 1000) * 1000).toISOString().replace('.000Z', 'Z')
    : '2026-01-01T00:00:00Z';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eddy-bench-nexmark-'));
const note = (s) => process.stderr.write(`bench_nexmark: ${s}\n`);

// Flink 1.13 events/s per core (nexmark/nexmark README: 8 TaskManagers x 1 slot on 3 nodes of
// 8 cores, 100 M events, "Throughput/Cores"); performance-anchors.md section 3.3.
const FLINK = { q0: 155.0e3, q1: 157.9e3, q2: 175.2e3, q3: 152.1e3, q4: 34.3e3, q5: 22.1e3, q7: 12.3e3, q8: 146.1e3 };
const FLINK_CITE = 'Flink 1.13 per core (nexmark/nexmark README; performance-anchors.md 3.3)';

// ---- running eddy ------------------------------------------------------------------------

// Runs argv under bash and returns {status, stderr, wall, cpu} where cpu is the child's user +
// sys seconds from bash's `times` (children line), wall from the clock around it.
function timed(argv) {
    const tfile = path.join(dir, 'times.txt');
    const script = '"$@"; rc=$?; times > "$TFILE"; exit $rc';
    const t0 = process.hrtime.bigint();
    const r = spawnSync('bash', ['-c', script, 'bash', ...argv], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, TFILE: tfile },
        maxBuffer: 1 << 26,
    });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    let cpu = NaN;
    if (r.status === 0) {
        // Second line: children's user and sys, "0m1.234s 0m0.056s".
        const line = fs.readFileSync(tfile, 'utf8').trim().split('\n')[1] || '';
        const secs = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
        if (secs.length === 2) cpu = secs[0] + secs[1];
    }
    return { status: r.status, stderr: String(r.stderr || ''), wall, cpu };
}

function sqlOf(q, source) {
    const text = fs.readFileSync(path.join(here, 'nexmark', `${q}.sql`), 'utf8');
    return text.replace(/\bnexmark\b/g, source.sql);
}

// Runs query q over source; writes CSV to out. Returns the timing.
function runQuery(q, source, out) {
    const sqlFile = path.join(dir, `${q}.sql`);
    fs.writeFileSync(sqlFile, sqlOf(q, source));
    const argv = [eddy, 'query', ...source.flags, '--threads', '1', '--format', 'csv', '--out', out, '-f', sqlFile];
    const r = timed(argv);
    if (r.status !== 0) throw new Error(`${q}: eddy query failed (${r.status}): ${r.stderr.trim()}\n  ${argv.join(' ')}`);
    return r;
}

// ---- sources -----------------------------------------------------------------------------

function generateFile(n) {
    const file = path.join(dir, `nexmark-${n}.jsonl`);
    const fd = fs.openSync(file, 'w');
    const t0 = Date.now();
    const r = spawnSync(eddy, ['produce', '--generator', 'nexmark', '--hub', 'nexmark', '--dry-run', '--quiet',
        '--count', String(n), '--seed', SEED, '--start-time', START], { stdio: ['ignore', fd, 'inherit'] });
    fs.closeSync(fd);
    if (r.status !== 0) throw new Error(`eddy produce --dry-run failed (${r.status})`);
    note(`${n} events: ${(fs.statSync(file).size / 1e6).toFixed(0)} MB of JSON lines in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return file;
}

function fileSource(file) {
    return { sql: `read_json('${file}')`, flags: [], file };
}

async function freePort() {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.on('error', reject);
        s.listen(0, '127.0.0.1', () => {
            const { port } = s.address();
            s.close(() => resolve(port));
        });
    });
}

async function startHub() {
    const port = await freePort();
    const data = path.join(dir, 'hub-data');
    const hub = spawn(eddy, ['hub', '--data-dir', data, '--listen', `127.0.0.1:${port}`, '--partitions', String(partitions),
        '--fsync', 'never', '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'inherit'] });
    for (let i = 0; i < 100; i++) {
        const ok = await new Promise((resolve) => {
            const c = net.connect(port, '127.0.0.1', () => { c.end(); resolve(true); });
            c.on('error', () => resolve(false));
        });
        if (ok) return { hub, bootstrap: `127.0.0.1:${port}` };
        await new Promise((r) => setTimeout(r, 100));
    }
    hub.kill();
    throw new Error('eddy hub did not start listening');
}

function produceHub(bootstrap, name, n) {
    const t0 = Date.now();
    const r = spawnSync(eddy, ['produce', '--generator', 'nexmark', '--hub', name, '--bootstrap', bootstrap, '--quiet',
        '--count', String(n), '--seed', SEED, '--start-time', START, '--no-key'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`eddy produce --hub ${name} failed (${r.status})`);
    note(`${n} events produced into hub ${name} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

function hubSource(bootstrap, name) {
    return { sql: `hub('${name}')`, flags: ['--bootstrap', bootstrap, '--from', 'earliest', '--until-end', ...streamFlags] };
}

// ---- CSV ---------------------------------------------------------------------------------

function parseCsv(text) {
    const rows = [];
    let row = [], field = '', i = 0, quoted = false;
    while (i < text.length) {
        const c = text[i];
        if (quoted) {
            if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
            if (c === '"') { quoted = false; i++; continue; }
            field += c; i++; continue;
        }
        if (c === '"') { quoted = true; i++; continue; }
        if (c === ',') { row.push(field); field = ''; i++; continue; }
        if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; continue; }
        field += c; i++;
    }
    if (field !== '' || row.length) { row.push(field); rows.push(row); }
    return rows;
}

// One value in a comparable spelling: numbers by value (floats to 9 significant digits, as
// sums may round differently), datetimes as epoch milliseconds, text as is.
function norm(v) {
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(9);
    if (/^-?\d+$/.test(v)) return v;
    if (/^-?\d*\.\d+(e[+-]?\d+)?$/i.test(v) || /^-?\d+(\.\d*)?e[+-]?\d+$/i.test(v)) return norm(Number(v));
    if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v)) return String(ms(v));
    return v;
}

// ISO-8601 UTC to epoch ms (any number of fraction digits, truncated to ms).
function ms(s) {
    const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(s);
    return Date.parse(`${m[1]}Z`) + (m[2] ? Number(m[2].slice(0, 3).padEnd(3, '0')) : 0);
}

// ---- the reference: Flink's queries in JavaScript -------------------------------------------

const TUMBLE = 10_000, HOP = 2_000;
const endOf = (t, size) => Math.ceil(t / size) * size; // ASA: (end - size, end]

function reference(q, file) {
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l);
    const ev = lines.map((l) => JSON.parse(l));
    const bids = ev.filter((e) => e.event_type === 2).map((e) => e.bid);
    const auctions = ev.filter((e) => e.event_type === 1).map((e) => e.auction);
    const persons = ev.filter((e) => e.event_type === 0).map((e) => e.person);
    const out = [];
    switch (q) {
        case 'q0':
            for (const b of bids) out.push([b.auction, b.bidder, b.price, b.dateTime, b.extra]);
            break;
        case 'q1':
            for (const b of bids) out.push([b.auction, b.bidder, 0.908 * b.price, b.dateTime, b.extra]);
            break;
        case 'q2':
            for (const b of bids) if (b.auction % 123 === 0) out.push([b.auction, b.price]);
            break;
        case 'q3': { // unbounded join: every person, before or after the auction
            const byId = new Map(persons.map((p) => [p.id, p]));
            for (const a of auctions) {
                const p = byId.get(a.seller);
                if (a.category === 10 && p && ['OR', 'ID', 'CA'].includes(p.state)) out.push([p.name, p.city, p.state, a.id]);
            }
            break;
        }
        case 'q4': {
            const byId = new Map(auctions.map((a) => [a.id, a]));
            const final = new Map();
            for (const b of bids) {
                const a = byId.get(b.auction);
                if (!a) continue;
                const t = ms(b.dateTime);
                if (t < ms(a.dateTime) || t > ms(a.expires)) continue;
                final.set(a.id, Math.max(final.get(a.id) ?? -Infinity, b.price));
            }
            const cat = new Map();
            for (const [id, f] of final) {
                const c = byId.get(id).category;
                const s = cat.get(c) || { sum: 0, n: 0 };
                s.sum += f; s.n++;
                cat.set(c, s);
            }
            for (const [c, s] of cat) out.push([c, s.sum / s.n]);
            break;
        }
        case 'q5': {
            const counts = new Map(); // end -> Map(auction -> n)
            for (const b of bids) {
                const t = ms(b.dateTime);
                for (let e = endOf(t, HOP); e - 10_000 < t; e += HOP) {
                    let m = counts.get(e);
                    if (!m) counts.set(e, (m = new Map()));
                    m.set(b.auction, (m.get(b.auction) || 0) + 1);
                }
            }
            for (const m of counts.values()) {
                const max = Math.max(...m.values());
                for (const [a, n] of m) if (n >= max) out.push([a, n]);
            }
            break;
        }
        case 'q7': {
            const max = new Map();
            for (const b of bids) {
                const e = endOf(ms(b.dateTime), TUMBLE);
                max.set(e, Math.max(max.get(e) ?? -Infinity, b.price));
            }
            for (const b of bids) {
                if (b.price === max.get(endOf(ms(b.dateTime), TUMBLE))) out.push([b.auction, b.price, b.bidder, b.dateTime, b.extra]);
            }
            break;
        }
        case 'q8': {
            const sellers = new Set(auctions.map((a) => `${a.seller}@${endOf(ms(a.dateTime), TUMBLE)}`));
            const seen = new Set();
            for (const p of persons) {
                const e = endOf(ms(p.dateTime), TUMBLE);
                const k = `${p.id}@${e}`;
                if (seen.has(`${k}|${p.name}`) || !sellers.has(k)) continue;
                seen.add(`${k}|${p.name}`);
                out.push([p.id, p.name, e - TUMBLE]);
            }
            break;
        }
    }
    // q8's starttime: compare as epoch ms like eddy's datetime.
    return out.map((r) => r.map((v) => norm(typeof v === 'number' ? v : String(v))).join('\u0001')).sort();
}

function verify(q, source, file) {
    const out = path.join(dir, `${q}-verify.csv`);
    runQuery(q, source, out);
    const rows = parseCsv(fs.readFileSync(out, 'utf8'));
    rows.shift(); // header
    const got = rows.map((r) => r.map(norm).join('\u0001')).sort();
    const want = reference(q, file);
    let diff = got.length === want.length ? -1 : Math.min(got.length, want.length);
    for (let i = 0; diff < 0 && i < got.length; i++) if (got[i] !== want[i]) diff = i;
    if (diff >= 0) {
        const show = (a) => (a[diff] === undefined ? '(none)' : a[diff].replaceAll('\u0001', ','));
        throw new Error(`${q}: eddy's rows differ from the reference (${got.length} vs ${want.length} rows; ` +
            `first difference at sorted row ${diff}: eddy ${show(got)}, reference ${show(want)})`);
    }
    note(`${q}: verified against the reference over ${verifyEvents} events (${got.length} rows)`);
}

// ---- invariants of a timed run's output ----------------------------------------------------

// Bids among events 0..n-1: ids with id % 50 in 4..49.
const bidCount = (n) => Math.floor(n / 50) * 46 + Math.max(0, (n % 50) - 4);

function countLines(file) {
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.allocUnsafe(1 << 20);
    let n = 0, got;
    while ((got = fs.readSync(fd, buf, 0, buf.length, null)) > 0) {
        for (let i = buf.indexOf(10, 0); i >= 0 && i < got; i = buf.indexOf(10, i + 1)) n++;
    }
    fs.closeSync(fd);
    return n;
}

function check(q, out, n) {
    const rows = countLines(out) - 1;
    const spanS = n / 10_000; // event time advances 0.1 ms per event
    const fail = (why) => { throw new Error(`${q}: implausible result (${rows} rows): ${why}`); };
    switch (q) {
        case 'q0': case 'q1':
            if (rows !== bidCount(n)) fail(`expected one row per bid, ${bidCount(n)}`);
            break;
        case 'q2': {
            if (rows < 1) fail('no rows');
            const bad = parseCsv(fs.readFileSync(out, 'utf8')).slice(1).find((r) => Number(r[0]) % 123 !== 0);
            if (bad) fail(`auction ${bad[0]} is not a multiple of 123`);
            break;
        }
        case 'q3': case 'q8':
            if (rows < 1) fail('no rows');
            break;
        case 'q4':
            if (rows !== 5) fail('expected one row per category (10..14)');
            break;
        case 'q5':
            if (rows < Math.floor(spanS / 2)) fail(`expected at least one row per 2 s hop (${Math.floor(spanS / 2)})`);
            break;
        case 'q7':
            if (rows < Math.floor(spanS / 10)) fail(`expected at least one row per 10 s window (${Math.floor(spanS / 10)})`);
            break;
    }
    return rows;
}

// ---- main ----------------------------------------------------------------------------------

const fmtRate = (r) => (r >= 1e6 ? `${(r / 1e6).toFixed(2)} M` : `${(r / 1e3).toFixed(1)} K`);

async function main() {
    note(`${stream ? 'stream (hub)' : 'batch (file)'} mode, ${events} events, 1 thread, best of ${repeat}, temp folder ${dir}`);
    let hub = null;
    let big, small, smallFile = null;
    try {
        if (verifyEvents > 0) smallFile = generateFile(verifyEvents);
        if (stream) {
            hub = await startHub();
            if (smallFile) produceHub(hub.bootstrap, 'nexmark-verify', verifyEvents);
            produceHub(hub.bootstrap, 'nexmark', events);
            big = hubSource(hub.bootstrap, 'nexmark');
            small = hubSource(hub.bootstrap, 'nexmark-verify');
        } else {
            const file = generateFile(events);
            spawnSync('cat', [file], { stdio: ['ignore', 'ignore', 'inherit'] }); // warm the page cache
            big = fileSource(file);
            small = smallFile && fileSource(smallFile);
        }
        console.log('| benchmark | eddy | peer | peer result | eddy / peer |');
        console.log('|---|---|---|---|---|');
        for (const q of queries) {
            if (smallFile) verify(q, small, smallFile);
            const out = path.join(dir, `${q}.csv`);
            let best = null;
            for (let i = 0; i < repeat; i++) {
                const r = runQuery(q, big, out);
                if (!best || r.cpu < best.cpu) best = r;
            }
            const rows = check(q, out, events);
            fs.rmSync(out, { force: true });
            const perCore = events / best.cpu;
            const wall = events / best.wall;
            const ratio = perCore / FLINK[q];
            note(`${q}: ${best.cpu.toFixed(2)} s CPU, ${best.wall.toFixed(2)} s wall, ${rows} rows; ` +
                `${ratio >= 10 ? 'meets' : 'misses'} the 10x Flink per-core target`);
            console.log(`| nexmark ${q} (${events} events, ${stream ? "hub('nexmark')" : 'JSON lines file'}, 1 thread): ` +
                `events/s per core (wall) | ${fmtRate(perCore)}/s (${fmtRate(wall)}/s) | ${FLINK_CITE} | ` +
                `${fmtRate(FLINK[q])}/s | ${ratio.toFixed(1)} |`);
        }
    } finally {
        if (hub) {
            const exited = new Promise((resolve) => hub.hub.once('exit', resolve));
            hub.hub.kill();
            await exited;
        }
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().catch((e) => {
    console.error(`bench_nexmark: ${e.message}`);
    process.exit(1);
});
