// The DuckDB side of bench/bench_sql.sh: the same queries over the same
// values as bench/bench_sql.c (or over a JSON-lines file), 2 threads,
// results written as CSV to /dev/null, best of 3. Prints one line per query:
//   name seconds
// Usage: node bench/sql_duckdb.mjs memory ROWS
//        node bench/sql_duckdb.mjs file PATH.jsonl
import { DuckDBInstance } from '@duckdb/node-api';

const [mode, arg] = process.argv.slice(2);
const inst = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await inst.connect();
let from;
if (mode === 'memory') {
  const n = Number(arg);
  await con.run(`CREATE TABLE t AS SELECT i % 1000 AS k1k, (i * 7919) % 1000003 AS k1m,
      ((i * 2654435761) % 1000003) / 1000003.0 AS v1, ((i * 40503) % 1000003) / 1000003.0 AS v2,
      ((i * 2246822519) % 1000003) / 1000003.0 AS v3, ((i * 3266489917) % 1000003) / 1000003.0 AS v4,
      TIMESTAMP '2026-01-01 00:00:00' + i * INTERVAL '10 milliseconds' AS ts
    FROM range(${n}) r(i)`);
  from = 't';
} else {
  from = `read_json('${arg}', format = 'newline_delimited')`;
}
const queries = [
  ['filter_project', `SELECT k1k, v1 * 2 + v2 AS y FROM ${from} WHERE v3 > 0.5`],
  ['group_1k', `SELECT k1k, count(*) AS n, sum(v1) AS s, avg(v2) AS a, min(v3) AS lo, max(v4) AS hi FROM ${from} GROUP BY k1k`],
  ['group_1m', `SELECT k1m, count(*) AS n, sum(v1) AS s, avg(v2) AS a, min(v3) AS lo, max(v4) AS hi FROM ${from} GROUP BY k1m`],
  ['tumbling_count', `SELECT count(*) AS n, time_bucket(INTERVAL '10 seconds', CAST(ts AS TIMESTAMP)) + INTERVAL '10 seconds' AS e FROM ${from} GROUP BY e`],
];
for (const [name, q] of queries) {
  let best = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = process.hrtime.bigint();
    await con.run(`COPY (${q}) TO '/dev/null' (FORMAT csv)`);
    const t = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.min(best, t);
  }
  console.log(`${name} ${best.toFixed(4)}`);
}
