// The DuckDB side of test_stream_until_end.sh: one query over a hub's events
// (JSON lines from `eddy consume --format json`) in DuckDB (npm
// @duckdb/node-api), compared with the CSV files eddy wrote for the same
// query. Every file must hold the same rows as DuckDB's answer, as multisets
// (doubles within 1e-9 relative, times as instants), under the same column
// names.
//
// Usage: node stream_duck.mjs SOURCE_DIR EVENTS.jsonl 'DUCKDB SQL' FILE.csv...
// The SQL reads the table ev: PartitionId, SequenceNumber,
// EventEnqueuedUtcTime (TIMESTAMP) and the telemetry body's fields
// (deviceId, ts, temperature, humidity, status, seq).
// Exit 0 when every file agrees with DuckDB, 1 otherwise, 77 when
// @duckdb/node-api is not installed.
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { createRequire } from 'node:module';

const [srcDir, events, sql, ...files] = process.argv.slice(2);
if (!srcDir || !events || !sql || files.length === 0) {
    console.error("usage: node stream_duck.mjs SOURCE_DIR EVENTS.jsonl 'SQL' FILE.csv...");
    process.exit(2);
}
let duckdb;
try {
    duckdb = createRequire(path.join(srcDir, 'node_modules') + '/')('@duckdb/node-api');
} catch (e) {
    console.error(`@duckdb/node-api is not installed in ${srcDir}/node_modules: ${e.message}`);
    process.exit(77);
}

// Values compared: numbers as numbers, times as microseconds since the epoch
// (eddy prints 2026-11-25T02:36:50.0000000Z; DuckDB returns an object).
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
function isoMicros(s) {
    const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(s);
    const frac = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
    return Date.parse(m[1] + 'Z') * 1000 + Number(frac);
}
function fromDuck(v) {
    if (v === null || v === undefined) return null;
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'object' && 'micros' in v) return Number(v.micros);
    if (typeof v === 'object' && 'toDouble' in v) return v.toDouble();
    return v;
}
function fromCsv(s) {
    if (s === '') return null;
    if (ISO.test(s)) return isoMicros(s);
    if (/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Number(s);
    return s;
}

// A CSV file as [header, rows]: RFC 4180 quoting, no embedded newlines
// needed here (the values are names, numbers and times).
function splitCsv(line) {
    const out = [];
    let cur = '', q = false;
    for (let i = 0; i < line.length; i++) {
        const ch = line[i];
        if (q) {
            if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
            else if (ch === '"') q = false;
            else cur += ch;
        } else if (ch === '"') q = true;
        else if (ch === ',') { out.push(cur); cur = ''; }
        else cur += ch;
    }
    out.push(cur);
    return out;
}
function readCsv(file) {
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
    if (lines.length === 0) return [null, []];
    return [splitCsv(lines[0]), lines.slice(1).map((l) => splitCsv(l).map(fromCsv))];
}

function same(a, b) {
    if (a === null || b === null) return a === b;
    if (typeof a === 'number' && typeof b === 'number') {
        if (a === b) return true;
        return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
    }
    return String(a) === String(b);
}
const key = (row) => JSON.stringify(row.map((v) => (typeof v === 'number' ? Number(v.toPrecision(9)) : v)));
const sorted = (rows) => [...rows].sort((p, q) => (key(p) < key(q) ? -1 : key(p) > key(q) ? 1 : 0));
function compare(a, b) {
    if (a.length !== b.length) return `${a.length} rows against DuckDB's ${b.length}`;
    const x = sorted(a), y = sorted(b);
    for (let r = 0; r < x.length; r++) {
        const differs = x[r].length !== y[r].length || x[r].some((v, c) => !same(v, y[r][c]));
        if (differs) return `sorted row ${r}: ${JSON.stringify(x[r])} against DuckDB's ${JSON.stringify(y[r])}`;
    }
    return null;
}

const inst = await duckdb.DuckDBInstance.create(':memory:');
const con = await inst.connect();
const body = "STRUCT(deviceId VARCHAR, ts VARCHAR, temperature DOUBLE, humidity DOUBLE, status VARCHAR, seq BIGINT)";
await con.run(`CREATE TABLE ev AS
    SELECT "partition" AS PartitionId, "offset" AS SequenceNumber,
           CAST(replace(enqueuedTime, 'Z', '') AS TIMESTAMP) AS EventEnqueuedUtcTime,
           body.deviceId AS deviceId, body.ts AS ts, body.temperature AS temperature,
           body.humidity AS humidity, body.status AS status, body.seq AS seq
    FROM read_json('${events.replaceAll("'", "''")}', format = 'newline_delimited',
        columns = {"partition": 'INTEGER', "offset": 'BIGINT', enqueuedTime: 'VARCHAR', body: '${body}'})`);
const res = await con.runAndReadAll(sql);
const names = res.columnNames();
const want = res.getRows().map((row) => row.map(fromDuck));
if (want.length === 0) {
    console.error('DuckDB gives no rows: nothing to compare');
    process.exit(1);
}
let bad = 0;
for (const f of files) {
    const [header, rows] = readCsv(f);
    const why = JSON.stringify(header) !== JSON.stringify(names)
        ? `columns ${JSON.stringify(header)} against DuckDB's ${JSON.stringify(names)}`
        : compare(rows, want);
    if (why) {
        console.error(`${path.basename(f)}: ${why}`);
        bad++;
    }
}
if (bad) process.exit(1);
console.log(`${want.length} rows, the same in ${files.map((f) => path.basename(f)).join(', ')} and DuckDB`);
