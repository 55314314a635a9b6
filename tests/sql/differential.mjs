// Randomized differential test: generated queries over generated JSON-lines
// data, run by `eddy query --format jsonl` and by DuckDB (npm
// @duckdb/node-api, in-process); the rows must be the same (as multisets;
// doubles within 1e-9 relative). Queries stay inside the part of the
// language where the two agree on semantics: projections, arithmetic on
// floats, comparisons, AND/OR/NOT with nulls (three-valued logic), IN,
// BETWEEN, LIKE, IS [NOT] NULL, CASE, string and math functions with the
// same meaning, GROUP BY with COUNT/SUM/MIN/MAX/AVG, HAVING, COUNT(DISTINCT),
// ORDER BY + LIMIT on unique keys.
//
// Usage: node tests/sql/differential.mjs EDDY [--queries N] [--seed S] [--rows N] [--duck-only]
// Exit 0 when every query agreed, 1 otherwise (each disagreement printed with
// its query, a reproduction seed and the first differing rows), 77 when
// `eddy query` cannot run file queries yet.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const eddy = args[0];
const opt = (name, def) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : def;
};
const NQ = opt('--queries', 300);
const SEED = opt('--seed', 20261124);
const NROWS = opt('--rows', 3000);

// Deterministic PRNG (mulberry32).
function rng(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
const R = rng(SEED);
const ri = (lo, hi) => lo + Math.floor(R() * (hi - lo + 1));
const pick = (a) => a[Math.floor(R() * a.length)];
const chance = (p) => R() < p;

// ---- data --------------------------------------------------------------
// Columns: k (string key, 20 values), g (int group 0..9), i (int, some null),
// x (float, some null), y (float), s (string, some null), b (bool).
const words = ['alpha', 'beta', 'gamma', 'delta', 'eps', 'zeta', 'eta', 'theta', 'Iota', 'kappa'];
function makeData(file) {
    const lines = [];
    for (let n = 0; n < NROWS; n++) {
        const row = {
            k: `key-${ri(0, 19)}`,
            g: ri(0, 9),
            i: chance(0.1) ? null : ri(-1000, 1000),
            x: chance(0.1) ? null : Math.round((R() * 200 - 100) * 1000) / 1000,
            y: Math.round(R() * 1e6) / 100,
            s: chance(0.1) ? null : `${pick(words)}${ri(0, 99)}`,
            b: chance(0.5),
            id: n,
        };
        // Some rows miss a field altogether (null for both engines).
        if (chance(0.05)) delete row.x;
        lines.push(JSON.stringify(row));
    }
    fs.writeFileSync(file, lines.join('\n') + '\n');
}

// ---- queries -------------------------------------------------------------
// Expressions are built as pairs of texts {e: eddy, d: duckdb} and a type.
const num = (v) => (Number.isInteger(v) ? String(v) : v.toFixed(3));
function intExpr(depth = 0) {
    const leaves = [
        () => ({ e: 'i', d: 'i' }),
        () => ({ e: 'g', d: 'g' }),
        () => { const v = ri(-50, 50); return { e: String(v), d: String(v) }; },
    ];
    if (depth > 1 || chance(0.5)) return pick(leaves)();
    const a = intExpr(depth + 1);
    const b = intExpr(depth + 1);
    const op = pick(['+', '-', '*']);
    return { e: `(${a.e} ${op} ${b.e})`, d: `(${a.d} ${op} ${b.d})` };
}
function floatExpr(depth = 0) {
    const leaves = [
        () => ({ e: 'x', d: 'x' }),
        () => ({ e: 'y', d: 'y' }),
        () => { const v = R() * 100 - 50; return { e: num(v), d: `CAST(${num(v)} AS DOUBLE)` }; },
        () => { const a = intExpr(depth + 1); return { e: `CAST(${a.e} AS float)`, d: `CAST(${a.d} AS DOUBLE)` }; },
    ];
    if (depth > 1 || chance(0.45)) return pick(leaves)();
    const kind = ri(0, 5);
    const a = floatExpr(depth + 1);
    if (kind === 0) return { e: `ABS(${a.e})`, d: `abs(${a.d})` };
    if (kind === 1) return { e: `FLOOR(${a.e})`, d: `floor(${a.d})` };
    if (kind === 2) return { e: `CEILING(${a.e})`, d: `ceil(${a.d})` };
    const b = floatExpr(depth + 1);
    const op = pick(['+', '-', '*']);
    return { e: `(${a.e} ${op} ${b.e})`, d: `(${a.d} ${op} ${b.d})` };
}
function strExpr() {
    const kind = ri(0, 5);
    if (kind === 0) return { e: 'UPPER(s)', d: 'upper(s)' };
    if (kind === 1) return { e: 'LOWER(k)', d: 'lower(k)' };
    if (kind === 2) { const n = ri(1, 4); return { e: `SUBSTRING(s, 1, ${n})`, d: `substring(s, 1, ${n})` }; }
    if (kind === 3) return { e: "CONCAT(k, '/', s)", d: "concat(k, '/', s)" };
    if (kind === 4) return { e: 's', d: 's' };
    return { e: 'k', d: 'k' };
}
function pred(depth = 0) {
    const kind = ri(0, depth > 1 ? 7 : 10);
    if (kind === 0) { const a = intExpr(); const c = pick(['=', '<>', '<', '<=', '>', '>=']); const v = ri(-100, 100); return { e: `${a.e} ${c} ${v}`, d: `${a.d} ${c} ${v}` }; }
    if (kind === 1) { const a = floatExpr(); const c = pick(['<', '<=', '>', '>=']); const v = num(R() * 100 - 50); return { e: `${a.e} ${c} ${v}`, d: `${a.d} ${c} CAST(${v} AS DOUBLE)` }; }
    if (kind === 2) { const v = `${pick(words)}${ri(0, 99)}`; const c = pick(['=', '<>', '<', '>']); return { e: `s ${c} '${v}'`, d: `s ${c} '${v}'` }; }
    if (kind === 3) { const n = pick(['', 'NOT ']); return { e: `${pick(['x', 'i', 's'])} IS ${n}NULL`, d: null }; }
    if (kind === 4) { const l = [ri(0, 9), ri(0, 9), ri(0, 9)].join(', '); const n = pick(['', 'NOT ']); return { e: `g ${n}IN (${l})`, d: `g ${n}IN (${l})` }; }
    if (kind === 5) { const lo = ri(-500, 0); const hi = ri(0, 500); const n = pick(['', 'NOT ']); return { e: `i ${n}BETWEEN ${lo} AND ${hi}`, d: `i ${n}BETWEEN ${lo} AND ${hi}` }; }
    if (kind === 6) { const p = pick(['a%', '%a', '%et%', '_eta%', 'k%', '%1']); const n = pick(['', 'NOT ']); return { e: `s ${n}LIKE '${p}'`, d: `s ${n}LIKE '${p}'` }; }
    if (kind === 7) return { e: pick(['b = 1', 'b = 0']), d: null };
    const a = pred(depth + 1);
    const b = pred(depth + 1);
    if (kind === 8) return { e: `(${a.e} AND ${b.e})`, d: `(${a.d ?? a.e} AND ${b.d ?? b.e})` };
    if (kind === 9) return { e: `(${a.e} OR ${b.e})`, d: `(${a.d ?? a.e} OR ${b.d ?? b.e})` };
    return { e: `NOT (${a.e})`, d: `NOT (${a.d ?? a.e})` };
}
const dpred = (p) => ({ e: p.e, d: (p.d ?? p.e).replace(/\bb = 1\b/g, 'b = true').replace(/\bb = 0\b/g, 'b = false') });

function genQuery(eddyFrom, duckFrom) {
    const shape = ri(0, 3);
    const where = chance(0.8) ? dpred(pred()) : null;
    const w = (side) => (where ? ` WHERE ${side === 'e' ? where.e : where.d}` : '');
    if (shape <= 1) {
        // projection + filter
        const items = [{ e: 'id', d: 'id' }];
        const n = ri(1, 4);
        for (let j = 0; j < n; j++) {
            const kind = ri(0, 3);
            const ex = kind === 0 ? intExpr() : kind === 1 ? floatExpr() : kind === 2 ? strExpr() : {
                e: `CASE WHEN ${pred().e} THEN 'yes' ELSE 'no' END`, d: null,
            };
            if (ex.d === null) {
                // CASE over a predicate: build the DuckDB side from the same predicate.
                const p = dpred(pred());
                items.push({ e: `CASE WHEN ${p.e} THEN 'yes' ELSE 'no' END`, d: `CASE WHEN ${p.d} THEN 'yes' ELSE 'no' END` });
            } else items.push(ex);
        }
        const sel = (side) => items.map((it, j) => `${side === 'e' ? it.e : it.d} AS c${j}`).join(', ');
        return { e: `SELECT ${sel('e')} FROM ${eddyFrom}${w('e')}`, d: `SELECT ${sel('d')} FROM ${duckFrom}${w('d')}` };
    }
    if (shape === 2) {
        // GROUP BY with aggregates
        const key = pick([{ e: 'k', d: 'k' }, { e: 'g', d: 'g' }, { e: 'b', d: 'b' }]);
        const aggs = [
            { e: 'COUNT(*)', d: 'count(*)' },
            { e: 'SUM(i)', d: 'sum(i)' },
            { e: 'MIN(x)', d: 'min(x)' },
            { e: 'MAX(s)', d: 'max(s)' },
            { e: 'AVG(y)', d: 'avg(y)' },
            { e: 'COUNT(x)', d: 'count(x)' },
            { e: 'COUNT(DISTINCT g)', d: 'count(DISTINCT g)' },
            { e: 'SUM(x * 2)', d: 'sum(x * 2)' },
        ];
        const chosen = aggs.filter(() => chance(0.5));
        if (chosen.length === 0) chosen.push(aggs[0]);
        const having = chance(0.3) ? { e: ' HAVING COUNT(*) > 100', d: ' HAVING count(*) > 100' } : { e: '', d: '' };
        const sel = (side) => [`${side === 'e' ? key.e : key.d} AS grp`, ...chosen.map((a, j) => `${side === 'e' ? a.e : a.d} AS a${j}`)].join(', ');
        return {
            e: `SELECT ${sel('e')} FROM ${eddyFrom}${w('e')} GROUP BY ${key.e}${having.e}`,
            d: `SELECT ${sel('d')} FROM ${duckFrom}${w('d')} GROUP BY ${key.d}${having.d}`,
        };
    }
    // ORDER BY a unique key + LIMIT (order compared exactly)
    const n = ri(1, 50);
    const dir = pick(['ASC', 'DESC']);
    return {
        e: `SELECT id, s, y FROM ${eddyFrom}${w('e')} ORDER BY id ${dir} LIMIT ${n}`,
        d: `SELECT id, s, y FROM ${duckFrom}${w('d')} ORDER BY id ${dir} LIMIT ${n}`,
        ordered: true,
    };
}

// ---- comparison ----------------------------------------------------------
function norm(v) {
    if (v === null || v === undefined) return null;
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'object' && 'toDouble' in v) return v.toDouble();
    if (typeof v === 'object' && 'width' in v && 'scale' in v) return Number(v.toString());
    return v;
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
function compare(eRows, dRows, ordered) {
    if (eRows.length !== dRows.length) return `row counts differ: eddy ${eRows.length}, DuckDB ${dRows.length}`;
    const a = ordered ? eRows : [...eRows].sort((p, q) => (key(p) < key(q) ? -1 : key(p) > key(q) ? 1 : 0));
    const b = ordered ? dRows : [...dRows].sort((p, q) => (key(p) < key(q) ? -1 : key(p) > key(q) ? 1 : 0));
    for (let r = 0; r < a.length; r++) {
        if (a[r].length !== b[r].length) return `row ${r}: ${a[r].length} vs ${b[r].length} columns`;
        for (let c = 0; c < a[r].length; c++) {
            if (!same(a[r][c], b[r][c])) return `row ${r} column ${c}: eddy ${JSON.stringify(a[r])} vs DuckDB ${JSON.stringify(b[r])}`;
        }
    }
    return null;
}

async function main() {
    if (!eddy) {
        console.error('usage: node tests/sql/differential.mjs EDDY [--queries N] [--seed S] [--rows N]');
        process.exit(2);
    }
    const duckdb = require('@duckdb/node-api');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eddy-diff-'));
    const file = path.join(dir, 'data.jsonl');
    makeData(file);
    // --duck-only: check the generator against DuckDB alone (every query must run).
    const duckOnly = args.includes('--duck-only');
    const probe = duckOnly ? { status: 0 } : spawnSync(eddy, ['query', '--format', 'jsonl', `SELECT COUNT(*) AS n FROM read_json('${file}')`], { encoding: 'utf8' });
    if (probe.status !== 0) {
        console.error(`eddy query cannot run a file query yet: ${probe.stderr.trim()}`);
        fs.rmSync(dir, { recursive: true, force: true });
        process.exit(77);
    }
    const inst = await duckdb.DuckDBInstance.create(':memory:');
    const con = await inst.connect();
    const cols = "{k: 'VARCHAR', g: 'BIGINT', i: 'BIGINT', x: 'DOUBLE', y: 'DOUBLE', s: 'VARCHAR', b: 'BOOLEAN', id: 'BIGINT'}";
    const duckFrom = `read_json('${file}', format = 'newline_delimited', columns = ${cols})`;
    const eddyFrom = `read_json('${file}')`;
    let bad = 0;
    let rowsSeen = 0;
    for (let q = 0; q < NQ; q++) {
        const query = genQuery(eddyFrom, duckFrom);
        const r = duckOnly ? { status: 0, stdout: '' } : spawnSync(eddy, ['query', '--format', 'jsonl', query.e], { encoding: 'utf8', maxBuffer: 1 << 28 });
        let why = null;
        let eRows = [];
        if (r.status !== 0) {
            why = `eddy failed (exit ${r.status}): ${r.stderr.trim()}`;
        } else {
            eRows = r.stdout.split('\n').filter((l) => l).map((l) => Object.values(JSON.parse(l)).map(norm));
        }
        let dRows = [];
        try {
            const res = await con.runAndReadAll(query.d);
            dRows = res.getRows().map((row) => row.map(norm));
        } catch (e) {
            why = why ?? `DuckDB failed: ${e.message}`;
        }
        if (!duckOnly) why = why ?? compare(eRows, dRows, query.ordered);
        rowsSeen += dRows.length;
        if (why) {
            bad++;
            if (bad <= 10) {
                console.log(`DIFFERENT (query ${q}, seed ${SEED}):\n  eddy:   ${query.e}\n  DuckDB: ${query.d}\n  ${why}`);
            }
        }
    }
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`${NQ} generated queries over ${NROWS} generated rows (seed ${SEED}): ${NQ - bad} agree, ${bad} differ; ${rowsSeen} result rows compared`);
    process.exit(bad ? 1 : 0);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
