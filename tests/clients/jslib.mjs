// Shared helpers for the JavaScript test clients (Node 20, ESM).
//
// The npm packages come from $EDDY_SOURCE_DIR/node_modules (installed by
// `npm ci` from the committed package-lock.json; tools/install-deps.sh runs it).
// Event sets and dumps use the JSON-lines format of tests/clients/dataset.py.

import { createRequire } from 'node:module'
import { createReadStream, writeFileSync, existsSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const sourceDir = resolve(process.env.EDDY_SOURCE_DIR || join(here, '..', '..'))
const nodeModules = join(sourceDir, 'node_modules')
const require = createRequire(join(sourceDir, 'package.json'))

// Loads an npm package from $EDDY_SOURCE_DIR/node_modules, CommonJS or ESM.
export async function loadPackage (name) {
  if (!existsSync(join(nodeModules, name))) {
    throw new Error(`${name} is not installed in ${nodeModules}: run \`npm ci\` in ${sourceDir} ` +
      '(tools/install-deps.sh does it)')
  }
  const path = require.resolve(name)
  return import(pathToFileURL(path).href)
}

// Generous on purpose: the suite also runs the hub under ASan+UBSan on slow machines.
export const DEADLINE_MS = Number(process.env.EDDY_CLIENT_DEADLINE || 150) * 1000

// --name value pairs and bare --flags -> object; the first bare word is the command.
export function parseArgs (argv) {
  const out = { _: [] }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a.startsWith('--')) {
      const key = a.slice(2)
      if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out[key] = argv[++i]
      else out[key] = true
    } else {
      out._.push(a)
    }
  }
  return out
}

const hex = (b) => (b === null || b === undefined ? null : Buffer.from(b).toString('hex'))
const unhex = (s) => (s === null ? null : Buffer.from(s, 'hex'))

export async function readSet (path) {
  const events = []
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity })
  for await (const line of rl) {
    if (!line.trim()) continue
    const d = JSON.parse(line)
    events.push({ key: unhex(d.k), value: unhex(d.v), headers: d.h.map(([n, v]) => [n, unhex(v)]) })
  }
  return events
}

// key/value: Buffer or null; headers: [[name string, Buffer|null], ...]
export function dumpLine (partition, offset, key, value, headers) {
  return JSON.stringify({
    p: Number(partition),
    o: Number(offset),
    k: hex(key),
    v: hex(value),
    h: (headers || []).map(([n, v]) => [String(n), hex(v)])
  })
}

export function writeLines (path, lines) {
  writeFileSync(path, lines.length ? lines.join('\n') + '\n' : '')
}

export function log (...args) {
  console.log(...args)
}

export function die (msg, err) {
  console.error(`FAIL: ${msg}${err ? ': ' + (err.stack || err) : ''}`)
  if (err && err.errors) for (const e of err.errors) console.error('  cause:', e.stack || e)
  if (err && err.cause) console.error('  cause:', err.cause.stack || err.cause)
  process.exit(1)
}

export function sleep (ms) {
  return new Promise(resolve => setTimeout(resolve, ms))
}

// Runs fn with a deadline; rejects with `what` if it does not settle in time.
export async function withDeadline (what, ms, fn) {
  let timer
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000}s: ${what}`)), ms)
  })
  try {
    return await Promise.race([fn(), timeout])
  } finally {
    clearTimeout(timer)
  }
}
