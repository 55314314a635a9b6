// Randomized differential test of eddy's SQL engine against DuckDB.
//
// Generates a JSON-lines table with nulls and missing fields, then random
// queries from a grammar whose meaning is the same in both dialects
// (projections with arithmetic, comparisons, Kleene logic, CASE, LIKE, IN,
// BETWEEN, string and math functions; WHERE; GROUP BY with COUNT, COUNT
// DISTINCT, SUM, AVG, MIN, MAX, STDEV/STDEVP/VAR/VARP; HAVING; DISTINCT;
// ORDER BY with LIMIT; UNION [ALL]; self joins). Each query is rendered
// twice (eddy's spelling and DuckDB's) and both results are compared as
// sorted row lists (in order when the query orders totally), numbers within
// 1e-9 relative.
//
// Usage: node tests/sql/random_queries.mjs --eddy 'CMD ARGS' [--seed N] [--queries N] [--rows N]
// CMD reads the query on stdin and prints JSON lines, e.g.
//   'build/debug/eddy query --format jsonl --threads 2 -f -'
// Exit status 0 when every query agrees.
import { DuckDBInstance } from '@duckdb/node-api';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, v, i, a) => (i % 2 === 0 ? acc.concat([[v.replace(/^--/, ''), a[i + 1]]]) : acc), []),
);
const seed = Number(args.seed ?? 1);
const nqueries = Number(args.queries ?? 300);
const nrows = Number(args.rows ?? 400);
if (!args.eddy) {
  console.error('usage: node tests/sql/random_queries.mjs --eddy CMD [--seed N] [--queries N] [--rows N]');
  process.exit(2);
}
const eddyCmd = args.eddy.split(/\s+/);

// mulberry32: a small seeded generator
let state = seed >>> 0;
function rnd() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const chance = (p) => rnd() < p;

// ---- data ----
const words = ['alpha', 'beta', 'gamma', 'delta', 'Alpha', 'epsilon', 'b%c', 'x_y', ' pad '];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eddy-diff-'));
const lines = [];
for (let id = 1; id <= nrows; id++) {
  const o = { id, g: int(0, 7) };
  if (!chance(0.1)) o.h = int(0, 3);
  if (!chance(0.1)) o.a = int(-1000, 1000);
  if (!chance(0.1)) o.b = int(-100, 100) + pick([0.125, 0.25, 0.5, 0.75]);
  if (!chance(0.1)) o.s = pick(words);
  if (chance(0.05)) o.a = null; // an explicit null as well as missing keys
  lines.push(JSON.stringify(o));
}
fs.writeFileSync(path.join(dir, 'data.jsonl'), lines.join('\n') + '\n');

// ---- expressions: [eddy text, duck text] ----
const E = (e, d) => ({ e, d: d ?? e });
const bin = (op, x, y, dop) => E(`(${x.e} ${op} ${y.e})`, `(${x.d} ${dop ?? op} ${y.d})`);
const fn = (name, dname, ...xs) => E(`${name}(${xs.map((x) => x.e).join(', ')})`, `${dname}(${xs.map((x) => x.d).join(', ')})`);
const lit = (v) => E(String(v));
const str = (s) => E(`'${s.replace(/'/g, "''")}'`);

function numTree(depth) {
  const leaves = [() => E('a'), () => E('b'), () => E('id'), () => E('g'), () => lit(int(-20, 20))];
  if (depth <= 0) return pick(leaves)();
  switch (int(0, 10)) {
    case 0: return bin(pick(['+', '-']), numTree(depth - 1), numTree(depth - 1));
    case 1: return bin('*', numTree(depth - 1), lit(int(-9, 9)));
    case 2: return bin('/', numTree(depth - 1), lit(pick([2, 3, 4, -5, 7, 10])));
    case 3: return bin('%', pick([E('a'), E('id'), E('g')]), lit(pick([2, 3, 7, -4])));
    case 4: return fn('ABS', 'abs', numTree(depth - 1));
    case 5: {
      const c = cond(depth - 1), x = numTree(depth - 1), y = numTree(depth - 1);
      return E(`CASE WHEN ${c.e} THEN ${x.e} ELSE ${y.e} END`, `CASE WHEN ${c.d} THEN ${x.d} ELSE ${y.d} END`);
    }
    case 6: { const f = pick(['FLOOR', 'CEILING']); return fn(f, f.toLowerCase(), E('b')); }
    case 7: return fn('LEN', 'length', text(depth - 1));
    case 8: { const x = numTree(depth - 1); return E(`(-(${x.e}))`, `(-(${x.d}))`); }
    default: return pick(leaves)();
  }
}
function text(depth) {
  if (depth <= 0 || chance(0.4)) return pick([E('s'), str(pick(words))]);
  switch (int(0, 5)) {
    case 0: return fn('UPPER', 'upper', text(depth - 1));
    case 1: return fn('LOWER', 'lower', text(depth - 1));
    case 2: { const x = text(depth - 1), y = text(depth - 1); return E(`(${x.e} + ${y.e})`, `(${x.d} || ${y.d})`); }
    case 3: return fn('SUBSTRING', 'substring', text(depth - 1), lit(int(1, 3)), lit(int(0, 4)));
    case 4: return fn('REPLACE', 'replace', text(depth - 1), str(pick(['a', 'l', '%'])), str(pick(['', 'X', 'yy'])));
    default: return fn('TRIM', 'trim', text(depth - 1));
  }
}
function cond(depth) {
  const cmp = () => pick(['=', '<>', '<', '<=', '>', '>=']);
  if (depth <= 0) return bin(cmp(), numTree(0), numTree(0));
  switch (int(0, 9)) {
    case 0: return bin(cmp(), numTree(depth - 1), numTree(depth - 1));
    case 1: return bin(cmp(), text(depth - 1), text(depth - 1));
    case 2: return bin(pick(['AND', 'OR']), cond(depth - 1), cond(depth - 1));
    case 3: { const c = cond(depth - 1); return E(`(NOT ${c.e})`, `(NOT ${c.d})`); }
    case 4: { const x = numTree(depth - 1), n = chance(0.5) ? 'NOT ' : ''; return E(`(${x.e} IS ${n}NULL)`, `(${x.d} IS ${n}NULL)`); }
    case 5: {
      const x = numTree(depth - 1), lo = int(-50, 10), hi = lo + int(0, 60), n = chance(0.3) ? 'NOT ' : '';
      return E(`(${x.e} ${n}BETWEEN ${lo} AND ${hi})`, `(${x.d} ${n}BETWEEN ${lo} AND ${hi})`);
    }
    case 6: {
      const x = pick([E('g'), E('h'), E('a')]), n = chance(0.3) ? 'NOT ' : '';
      const list = Array.from({ length: int(1, 4) }, () => (chance(0.15) ? 'NULL' : String(int(0, 7))));
      return E(`(${x.e} ${n}IN (${list.join(', ')}))`, `(${x.d} ${n}IN (${list.join(', ')}))`);
    }
    case 7: {
      const x = text(depth - 1), p = pick(['a%', '%a', '%l%', '_e%', 'b!%c', '%', '__', 'x!_y', ' %']);
      const n = chance(0.3) ? 'NOT ' : '';
      const esc = p.includes('!') ? " ESCAPE '!'" : '';
      return E(`(${x.e} ${n}LIKE '${p}'${esc})`, `(${x.d} ${n}LIKE '${p}'${esc})`);
    }
    default: return bin(cmp(), numTree(depth - 1), lit(int(-100, 100)));
  }
}

const aggs = [
  () => E('COUNT(*)', 'count(*)'),
  () => E('COUNT(a)', 'count(a)'),
  () => E('COUNT(s)', 'count(s)'),
  () => E('COUNT(DISTINCT h)', 'count(DISTINCT h)'),
  () => E('SUM(a)', 'CAST(sum(a) AS DOUBLE)'),
  () => E('SUM(b)', 'sum(b)'),
  () => E('AVG(a)', 'avg(a)'),
  () => E('AVG(b)', 'avg(b)'),
  () => E('MIN(a)', 'min(a)'),
  () => E('MAX(b)', 'max(b)'),
  () => E('MIN(s)', 'min(s)'),
  () => E('MAX(s)', 'max(s)'),
  () => E('STDEV(b)', 'stddev_samp(b)'),
  () => E('STDEVP(a)', 'stddev_pop(a)'),
  () => E('VAR(a)', 'var_samp(a)'),
  () => E('VARP(b)', 'var_pop(b)'),
  () => { const x = numTree(1); return E(`SUM(${x.e})`, `CAST(sum(${x.d}) AS DOUBLE)`); },
  () => { const x = numTree(1); return E(`MAX(${x.e})`, `max(${x.d})`); },
];

function query() {
  const where = () => (chance(0.7) ? cond(2) : null);
  const W = (w, side) => (w ? ` WHERE ${w[side]}` : '');
  const from = { e: "'data.jsonl'", d: 't' };
  const shape = int(0, 7);
  if (shape <= 1) {
    const items = Array.from({ length: int(1, 4) }, () => (chance(0.3) ? cond(2) : chance(0.5) ? numTree(3) : text(2)));
    const w = where();
    const sel = (side) => items.map((x, i) => `${x[side]} AS c${i + 1}`).join(', ');
    return { e: `SELECT id, ${sel('e')} FROM ${from.e}${W(w, 'e')}`, d: `SELECT id, ${sel('d')} FROM ${from.d}${W(w, 'd')}` };
  }
  if (shape <= 3) {
    const keys = pick([['g'], ['g', 'h'], ['s'], []]);
    const list = Array.from({ length: int(1, 5) }, () => pick(aggs)());
    const w = where();
    const having = keys.length && chance(0.3) ? { e: 'COUNT(*) > 40', d: 'count(*) > 40' } : null;
    const sel = (side) => keys.concat(list.map((x, i) => `${x[side]} AS c${i + 1}`)).join(', ');
    const gb = keys.length ? ` GROUP BY ${keys.join(', ')}` : '';
    const hv = (side) => (having ? ` HAVING ${having[side]}` : '');
    return { e: `SELECT ${sel('e')} FROM ${from.e}${W(w, 'e')}${gb}${hv('e')}`, d: `SELECT ${sel('d')} FROM ${from.d}${W(w, 'd')}${gb}${hv('d')}` };
  }
  if (shape === 4) {
    const x = numTree(2), w = where(), k = int(1, 30), dir = pick(['ASC', 'DESC']);
    return {
      e: `SELECT id, ${x.e} AS c1 FROM ${from.e}${W(w, 'e')} ORDER BY c1 ${dir}, id LIMIT ${k}`,
      d: `SELECT id, ${x.d} AS c1 FROM ${from.d}${W(w, 'd')} ORDER BY c1 ${dir} NULLS ${dir === 'ASC' ? 'FIRST' : 'LAST'}, id LIMIT ${k}`,
      ordered: true,
    };
  }
  if (shape === 5) {
    const w = where();
    return { e: `SELECT DISTINCT g, s FROM ${from.e}${W(w, 'e')}`, d: `SELECT DISTINCT g, s FROM ${from.d}${W(w, 'd')}` };
  }
  if (shape === 6) {
    const w1 = cond(1), w2 = cond(1), op = pick(['UNION', 'UNION ALL']);
    return {
      e: `SELECT g, s FROM ${from.e} WHERE ${w1.e} ${op} SELECT h, s FROM ${from.e} WHERE ${w2.e}`,
      d: `SELECT g, s FROM ${from.d} WHERE ${w1.d} ${op} SELECT h, s FROM ${from.d} WHERE ${w2.d}`,
    };
  }
  const lim = int(900, 990);
  return {
    e: `SELECT x.id AS xid, y.id AS yid, y.s AS ys FROM ${from.e} x JOIN ${from.e} y ON x.g = y.g AND x.id < y.id WHERE x.a > ${lim} AND y.a > ${lim - 200}`,
    d: `SELECT x.id AS xid, y.id AS yid, y.s AS ys FROM ${from.d} x JOIN ${from.d} y ON x.g = y.g AND x.id < y.id WHERE x.a > ${lim} AND y.a > ${lim - 200}`,
  };
}

// ---- comparison ----
function norm(v) {
  if (typeof v === 'bigint') return Number(v);
  return v === undefined ? null : v;
}
function close(a, b) {
  a = norm(a); b = norm(b);
  if (typeof a === 'number' && typeof b === 'number') {
    return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  }
  return a === b;
}
const key = (row) => JSON.stringify(row.map((v) => {
  v = norm(v);
  return typeof v === 'number' ? Number(v.toPrecision(9)) : v;
}));

const inst = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await inst.connect();
await con.run(`CREATE TABLE t AS SELECT * FROM read_json('${path.join(dir, 'data.jsonl')}', columns = {id: 'BIGINT', g: 'BIGINT', h: 'BIGINT', a: 'BIGINT', b: 'DOUBLE', s: 'VARCHAR'})`);

let fails = 0, rows = 0, nonempty = 0;
for (let qi = 0; qi < nqueries; qi++) {
  const q = query();
  let duck;
  try {
    const r = await con.runAndReadAll(q.d);
    const cols = r.columnNames();
    duck = r.getRowsJS().map((row) => row.map(norm));
    q.cols = cols;
  } catch (err) {
    console.log(`duckdb refused query ${qi} (skipped): ${err.message}\n  ${q.d}`);
    continue;
  }
  const p = spawnSync(eddyCmd[0], eddyCmd.slice(1), { input: q.e, cwd: dir, encoding: 'utf8' });
  if (p.status !== 0) {
    console.log(`FAIL query ${qi}: eddy exit ${p.status}\n  ${q.e}\n  ${p.stderr}`);
    fails++;
    continue;
  }
  const ed = p.stdout.split('\n').filter((l) => l.trim()).map((l) => Object.values(JSON.parse(l)));
  let a = ed, b = duck;
  rows += duck.length;
  nonempty += duck.length > 0 ? 1 : 0;
  if (!q.ordered) {
    a = [...ed].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
    b = [...duck].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  }
  const same = a.length === b.length && a.every((row, i) => row.length === b[i].length && row.every((v, j) => close(v, b[i][j])));
  if (!same) {
    fails++;
    console.log(`FAIL query ${qi} (seed ${seed}):\n  eddy:   ${q.e}\n  duckdb: ${q.d}`);
    for (let i = 0; i < Math.max(a.length, b.length) && i < 8; i++) {
      console.log(`    ${JSON.stringify(a[i])}  |  ${JSON.stringify(b[i]?.map(norm))}`);
    }
    if (a.length !== b.length) console.log(`    ${a.length} rows vs ${b.length}`);
  }
}
if (!process.env.EDDY_DIFF_KEEP) fs.rmSync(dir, { recursive: true, force: true });
else console.log(`data kept in ${dir}`);
console.log(`${nqueries} random queries (${nonempty} with rows, ${rows} rows), ${fails} differ from DuckDB (seed ${seed})`);
process.exit(fails ? 1 : 0);
