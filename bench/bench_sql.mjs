// eddy query vs DuckDB (npm @duckdb/node-api, in-process) over the same
// NDJSON telemetry files, same machine, same thread count, in the same run.
//
// Usage: node bench/bench_sql.mjs EDDY_BINARY
// Knobs: EDDY_BENCH_SCALE (default 1 = 5,000,000 events per file),
//        EDDY_BENCH_THREADS (default: the core count), EDDY_BENCH_REPEAT (3).
// Prints markdown rows `| benchmark | eddy | peer | peer result | eddy / peer |`
// (throughput: events/s; the ratio > 1 means eddy is faster); details go to
// stderr. DuckDB gets the column types up front (read_json with columns=),
// its best case; both write their result rows to a file (CSV).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const eddy = process.argv[2];
if (!eddy) {
    console.error('usage: node bench/bench_sql.mjs EDDY_BINARY');
    process.exit(2);
}
const scale = Number(process.env.EDDY_BENCH_SCALE || '1');
const threads = Number(process.env.EDDY_BENCH_THREADS || os.cpus().length);
const repeat = Number(process.env.EDDY_BENCH_REPEAT || '3');
const events = Math.max(1000, Math.round(5_000_000 * scale));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eddy-bench-sql-'));
const note = (s) => process.stderr.write(`bench_sql: ${s}\n`);

let duckdb;
try {
    duckdb = require('@duckdb/node-api');
} catch (e) {
    console.error('bench_sql: @duckdb/node-api is not installed (run tools/install-deps.sh)');
    process.exit(2);
}

function generate(name, devices) {
    const file = path.join(dir, name);
    const t0 = Date.now();
    const fd = fs.openSync(file, 'w');
    const r = spawnSync(eddy, ['produce', '--hub', 'bench', '--dry-run', '--quiet', '--count', String(events),
        '--devices', String(devices), '--seed', '7', '--start-time', '2026-11-24T20:00:00Z'],
    { stdio: ['ignore', fd, 'inherit'] });
    fs.closeSync(fd);
    if (r.status !== 0) throw new Error(`eddy produce --dry-run failed (${r.status})`);
    const size = fs.statSync(file).size;
    note(`${name}: ${events} events, ${(size / 1e6).toFixed(0)} MB, ${devices} devices, made in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return { file, size };
}

const cols = "{deviceId: 'VARCHAR', ts: 'TIMESTAMP', temperature: 'DOUBLE', humidity: 'DOUBLE', status: 'VARCHAR', seq: 'BIGINT'}";
const duck = (f) => `read_json('${f}', format = 'newline_delimited', columns = ${cols})`;
const queries = [
    {
        name: 'filter + project',
        eddy: (f) => `SELECT deviceId, temperature * 1.8 + 32 AS fahrenheit, humidity FROM read_json('${f}') WHERE status <> 'ok' OR temperature > 30`,
        duck: (f) => `SELECT deviceId, temperature * 1.8 + 32 AS fahrenheit, humidity FROM ${duck(f)} WHERE status <> 'ok' OR temperature > 30`,
        file: '1k',
    },
    {
        name: 'GROUP BY, 5 aggregates, 1 k groups',
        eddy: (f) => `SELECT deviceId, COUNT(*) AS n, SUM(temperature) AS s, AVG(humidity) AS h, MIN(temperature) AS lo, MAX(temperature) AS hi FROM read_json('${f}') GROUP BY deviceId`,
        duck: (f) => `SELECT deviceId, COUNT(*) AS n, SUM(temperature) AS s, AVG(humidity) AS h, MIN(temperature) AS lo, MAX(temperature) AS hi FROM ${duck(f)} GROUP BY deviceId`,
        file: '1k',
    },
    {
        name: 'GROUP BY, 5 aggregates, 1 M groups',
        eddy: (f) => `SELECT deviceId, COUNT(*) AS n, SUM(temperature) AS s, AVG(humidity) AS h, MIN(temperature) AS lo, MAX(temperature) AS hi FROM read_json('${f}') GROUP BY deviceId`,
        duck: (f) => `SELECT deviceId, COUNT(*) AS n, SUM(temperature) AS s, AVG(humidity) AS h, MIN(temperature) AS lo, MAX(temperature) AS hi FROM ${duck(f)} GROUP BY deviceId`,
        file: '1m',
    },
    {
        name: 'tumbling-window count (10 s)',
        eddy: (f) => `SELECT System.Timestamp() AS window_end, COUNT(*) AS n FROM read_json('${f}') TIMESTAMP BY ts GROUP BY TumblingWindow(second, 10)`,
        // ASA windows are end-inclusive, start-exclusive: (end - 10 s, end].
        duck: (f) => `SELECT time_bucket(INTERVAL 10 SECOND, ts - INTERVAL 1 MICROSECOND) + INTERVAL 10 SECOND AS window_end, COUNT(*) AS n FROM ${duck(f)} GROUP BY 1`,
        file: '1k',
    },
];

function best(fn) {
    let b = Infinity;
    for (let i = 0; i < repeat; i++) b = Math.min(b, fn());
    return b;
}

async function main() {
    note(`${threads} threads, best of ${repeat}, temp folder ${dir}`);
    const files = { '1k': generate('telemetry-1k.jsonl', 1000), '1m': generate('telemetry-1m.jsonl', 1_000_000) };
    const inst = await duckdb.DuckDBInstance.create(':memory:');
    const con = await inst.connect();
    await con.run(`SET threads = ${threads}`);
    const v = (await con.runAndReadAll('SELECT version()')).getRows()[0][0];
    // Warm the page cache for both.
    for (const f of Object.values(files)) execFileSync('cat', [f.file], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
    console.log('| benchmark | eddy | peer | peer result | eddy / peer |');
    console.log('|---|---|---|---|---|');
    for (const q of queries) {
        const f = files[q.file];
        const outE = path.join(dir, 'eddy.csv');
        const outD = path.join(dir, 'duck.csv');
        let eddyRows = -1;
        const te = best(() => {
            const t0 = process.hrtime.bigint();
            const r = spawnSync(eddy, ['query', '--format', 'csv', '--threads', String(threads), '--out', outE, q.eddy(f.file)],
                { stdio: ['ignore', 'ignore', 'pipe'] });
            const t = Number(process.hrtime.bigint() - t0) / 1e9;
            if (r.status !== 0) throw new Error(`eddy query failed: ${r.stderr}`);
            return t;
        });
        eddyRows = fs.readFileSync(outE, 'utf8').split('\n').filter((l) => l).length - 1;
        let td = Infinity;
        for (let i = 0; i < repeat; i++) {
            const t0 = process.hrtime.bigint();
            await con.run(`COPY (${q.duck(f.file)}) TO '${outD}' (FORMAT csv, HEADER)`);
            td = Math.min(td, Number(process.hrtime.bigint() - t0) / 1e9);
        }
        const duckRows = fs.readFileSync(outD, 'utf8').split('\n').filter((l) => l).length - 1;
        note(`${q.name}: eddy ${te.toFixed(3)} s (${eddyRows} rows), DuckDB ${td.toFixed(3)} s (${duckRows} rows)`);
        if (eddyRows !== duckRows) note(`  WARNING: row counts differ`);
        const er = events / te;
        const dr = events / td;
        console.log(`| SQL over NDJSON (${events} events, ${(f.size / 1e6).toFixed(0)} MB, ${threads} threads): ${q.name}, events/s | ${(er / 1e6).toFixed(2)} M/s | DuckDB ${v} | ${(dr / 1e6).toFixed(2)} M/s | ${(er / dr).toFixed(2)} |`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
    console.error(`bench_sql: ${e.message}`);
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(1);
});
