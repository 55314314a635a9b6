// The SQL executor alone against DuckDB: bench/bench_sql_exec.c runs eddy's
// engine over in-memory columns; here DuckDB runs the same queries over a
// table of the same values (built from range()), 2 threads, results written
// as CSV to /dev/null, best of 3. Reading files is left out on both sides
// (bench/bench_sql.mjs compares whole queries over NDJSON).
//
// Usage: node bench/bench_sql_exec.mjs BENCH_SQL_EXEC_BINARY
// Knobs: EDDY_BENCH_SQL_ROWS (default 10,000,000).
// Prints markdown rows `| benchmark | eddy | peer | peer result | eddy / peer |`
// (rows/s; > 1 means eddy is faster).
import { execFileSync } from 'node:child_process';
import process from 'node:process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const bin = process.argv[2];
if (!bin) {
    console.error('usage: node bench/bench_sql_exec.mjs BENCH_SQL_EXEC_BINARY');
    process.exit(2);
}
const rows = Number(process.env.EDDY_BENCH_SQL_ROWS || '10000000');
let duckdb;
try {
    duckdb = require('@duckdb/node-api');
} catch (e) {
    console.error('bench_sql_exec: @duckdb/node-api is not installed (npm ci)');
    process.exit(2);
}

const eddy = {};
const out = execFileSync(bin, ['2'], { env: { ...process.env, EDDY_BENCH_SQL_ROWS: String(rows) } }).toString();
for (const line of out.trim().split('\n')) {
    const [name, secs] = line.split(' ');
    eddy[name] = Number(secs);
}

const inst = await duckdb.DuckDBInstance.create(':memory:', { threads: '2' });
const con = await inst.connect();
await con.run(`CREATE TABLE t AS SELECT i % 1000 AS k1k, (i * 7919) % 1000003 AS k1m,
    ((i * 2654435761) % 1000003) / 1000003.0 AS v1, ((i * 40503) % 1000003) / 1000003.0 AS v2,
    ((i * 2246822519) % 1000003) / 1000003.0 AS v3, ((i * 3266489917) % 1000003) / 1000003.0 AS v4,
    TIMESTAMP '2026-01-01 00:00:00' + i * INTERVAL '10 milliseconds' AS ts
  FROM range(${rows}) r(i)`);
const queries = [
    ['filter_project', 'filter + project', 'SELECT k1k, v1 * 2 + v2 AS y FROM t WHERE v3 > 0.5'],
    ['group_1k', 'GROUP BY, 5 aggregates, 1 k groups', 'SELECT k1k, count(*) AS n, sum(v1) AS s, avg(v2) AS a, min(v3) AS lo, max(v4) AS hi FROM t GROUP BY k1k'],
    ['group_1m', 'GROUP BY, 5 aggregates, 1 M groups', 'SELECT k1m, count(*) AS n, sum(v1) AS s, avg(v2) AS a, min(v3) AS lo, max(v4) AS hi FROM t GROUP BY k1m'],
    ['tumbling_count', 'tumbling-window count (10 s)', "SELECT count(*) AS n, time_bucket(INTERVAL '10 seconds', ts) + INTERVAL '10 seconds' AS e FROM t GROUP BY e"],
];
const version = (await con.runAndReadAll('SELECT version() AS v')).getRowObjectsJson()[0].v;
for (const [key, name, q] of queries) {
    let best = Infinity;
    for (let rep = 0; rep < 3; rep++) {
        const t0 = process.hrtime.bigint();
        await con.run(`COPY (${q}) TO '/dev/null' (FORMAT csv)`);
        best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
    }
    const e = rows / eddy[key] / 1e6, d = rows / best / 1e6;
    process.stderr.write(`bench_sql_exec: ${name}: eddy ${eddy[key].toFixed(3)} s, DuckDB ${best.toFixed(3)} s\n`);
    console.log(`| SQL executor over in-memory columns (${rows} rows, 2 threads): ${name}, rows/s | ${e.toFixed(2)} M/s | DuckDB ${version} | ${d.toFixed(2)} M/s | ${(e / d).toFixed(2)} |`);
}
