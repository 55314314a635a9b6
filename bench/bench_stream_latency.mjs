// End-to-end latency of a streaming window: how long after a 1 s tumbling window ends does its
// row come out of `eddy query` over a live hub (docs/sql-stream.md)?
//
// Usage: node bench/bench_stream_latency.mjs EDDY_BINARY
//   1. `eddy hub` on a free loopback port with a temp data folder (its defaults: fsync always),
//      hub `lat` created with EDDY_LAT_PARTITIONS partitions (default 1).
//   2. `eddy query --bootstrap ... --from latest --format jsonl -q [-X ...]
//        "SELECT COUNT(*) AS n, System.Timestamp() AS wend FROM hub('lat')
//         GROUP BY TumblingWindow(second, 1)"`
//      (event time = the enqueued time, the hub's append time); its stdout is read line by line
//      and every row is stamped with the wall clock at which it was read.
//   3. `eddy produce --hub lat --rate R --duration S` (telemetry events, keyed).
//   latency = (time the row was read) - wend, for every window but the first two (the query
//   joins, the producer ramps up) and the last (closed by the idle timeout, not by an event:
//   reported on its own).
// Variants (EDDY_LAT_VARIANTS, `;`-separated lists of extra `eddy query` flags; default: none,
// and `-X fetch.wait.max.ms=10`) run at every rate (EDDY_LAT_RATES, default 10000,100000) for
// EDDY_LAT_SECONDS (default 30). Prints markdown rows `| benchmark | eddy | peer | peer result |
// eddy / peer |` (no peer: the target of performance-anchors.md section 7 is beside it);
// details go to stderr.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import readline from 'node:readline';
import { performance } from 'node:perf_hooks';

const eddy = process.argv[2];
if (!eddy) {
    console.error('usage: node bench/bench_stream_latency.mjs EDDY_BINARY');
    process.exit(2);
}
const rates = (process.env.EDDY_LAT_RATES || '10000,100000').split(',').map(Number);
const seconds = Number(process.env.EDDY_LAT_SECONDS || '30');
const partitions = Number(process.env.EDDY_LAT_PARTITIONS || '1');
const variants = (process.env.EDDY_LAT_VARIANTS ?? ';-X fetch.wait.max.ms=10')
    .split(';')
    .map((v) => v.trim().split(/\s+/).filter(Boolean));
const SQL = "SELECT COUNT(*) AS n, System.Timestamp() AS wend FROM hub('lat') GROUP BY TumblingWindow(second, 1)";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eddy-bench-lat-'));
const note = (s) => process.stderr.write(`bench_stream_latency: ${s}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const wallMs = () => performance.timeOrigin + performance.now(); // sub-millisecond wall clock

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

async function startHub(data) {
    const port = await freePort();
    const hub = spawn(eddy, ['hub', '--data-dir', data, '--listen', `127.0.0.1:${port}`, '--log-level', 'warn'],
        { stdio: ['ignore', 'ignore', 'inherit'] });
    for (let i = 0; i < 100; i++) {
        const ok = await new Promise((resolve) => {
            const c = net.connect(port, '127.0.0.1', () => { c.end(); resolve(true); });
            c.on('error', () => resolve(false));
        });
        if (ok) return { hub, bootstrap: `127.0.0.1:${port}` };
        await sleep(100);
    }
    hub.kill();
    throw new Error('eddy hub did not start listening');
}

async function stop(child) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

// One run: fresh hub, the query, `rate` events/s for `seconds`. Returns the per-window rows.
async function trial(rate, extra) {
    const data = fs.mkdtempSync(path.join(dir, 'hub-'));
    const { hub, bootstrap } = await startHub(data);
    let query = null;
    try {
        const c = spawnSync(eddy, ['hubs', 'create', 'lat', '--partitions', String(partitions), '--bootstrap', bootstrap],
            { stdio: ['ignore', 'ignore', 'inherit'] });
        if (c.status !== 0) throw new Error('eddy hubs create failed');
        const argv = ['query', '--bootstrap', bootstrap, '--from', 'latest', '--format', 'jsonl', '-q', ...extra, SQL];
        query = spawn(eddy, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
        const rows = [];
        readline.createInterface({ input: query.stdout }).on('line', (line) => {
            const at = wallMs();
            const r = JSON.parse(line);
            rows.push({ n: r.n, wend: Date.parse(r.wend), at });
        });
        await sleep(3000); // joins the group and is assigned (--from latest: nothing is missed after)
        const t0 = Date.now();
        // Asynchronously: the rows must be stamped while the events go out (spawnSync would
        // block this event loop and every row would be read at the end).
        const prod = spawn(eddy, ['produce', '--hub', 'lat', '--bootstrap', bootstrap, '--rate', String(rate),
            '--duration', `${seconds}s`, '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
        let summary = '';
        prod.stdout.on('data', (d) => { summary += d; });
        const status = await new Promise((resolve) => prod.once('exit', (code) => resolve(code)));
        if (status !== 0) throw new Error(`eddy produce failed (${status})`);
        const p = { stdout: summary };
        const sent = Date.now() - t0;
        // The last window closes only by the idle timeout (no event after its end): 5 s quiet,
        // then the watermark follows the wall clock - the late-arrival tolerance (5 s).
        await sleep(8000);
        note(`rate ${rate}/s ${extra.join(' ') || '(defaults)'}: produced for ${(sent / 1000).toFixed(1)} s, ` +
            `${rows.length} windows, ${rows.reduce((s, r) => s + r.n, 0)} events; produce: ` +
            String(p.stdout).trim().split('\n').filter((l) => /throughput|latency|events/.test(l)).join('; '));
        return rows;
    } finally {
        if (query) await stop(query);
        await stop(hub);
        fs.rmSync(data, { recursive: true, force: true });
    }
}

async function main() {
    note(`${seconds} s per run, rates ${rates.join(', ')} events/s, ${partitions} partition(s), temp folder ${dir}`);
    console.log('| benchmark | eddy | peer | peer result | eddy / peer |');
    console.log('|---|---|---|---|---|');
    try {
        for (const rate of rates) {
            for (const extra of variants) {
                const rows = await trial(rate, extra);
                if (rows.length < 4) throw new Error(`only ${rows.length} windows at ${rate}/s`);
                const mid = rows.slice(2, -1);
                const lat = mid.map((r) => r.at - r.wend).sort((a, b) => a - b);
                const tail = rows[rows.length - 1];
                const nMin = Math.min(...mid.map((r) => r.n)), nMax = Math.max(...mid.map((r) => r.n));
                const f = (x) => x.toFixed(x < 10 ? 1 : 0);
                note(`  latencies (ms, by window): ${mid.map((r) => f(r.at - r.wend)).join(' ')}; ` +
                    `events per window ${nMin}..${nMax}; last window ${f(tail.at - tail.wend)} ms`);
                const what = `stream latency 1 s tumbling @${rate >= 1000 ? `${rate / 1000}k` : rate} ev/s` +
                    `${extra.length ? ` (${extra.join(' ')})` : ''}, ${partitions} partition(s), N=${lat.length} windows`;
                console.log(`| ${what} | p50 ${f(pct(lat, 50))} ms, p99 ${f(pct(lat, 99))} ms, max ${f(lat[lat.length - 1])} ms; ` +
                    `last window (idle timeout) ${f(tail.at - tail.wend)} ms | target: broker E2E p99 < 5 ms ` +
                    `(performance-anchors.md 7) | – | – |`);
            }
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().catch((e) => {
    console.error(`bench_stream_latency: ${e.message}`);
    process.exit(1);
});
