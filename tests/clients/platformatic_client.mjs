// @platformatic/kafka (1.x) driver for eddy's integration tests. This client
// speaks only flexible versions (Metadata v9+ with topic ids, Produce v9+,
// Fetch v12+ addressing topics by id).
//
//   create  --port P --topic T --partitions N        Admin.createTopics, then checks the metadata
//   produce --port P --topic T --set SET [--compression lz4|snappy|gzip|none] [--acks-out FILE]
//   read-fetch --port P --topic T --out DUMP
//           no group: the client's low-level Consumer.fetch() by topic id,
//           every partition from its start to the end offset seen at start
//   consume-group --port P --topic T --out DUMP [--group G]
//           a consumer GROUP stream (JoinGroup/SyncGroup/Heartbeat/
//           OffsetFetch/OffsetCommit), mode committed falling back to
//           earliest, until every partition reaches its end offset; then
//           checks the group's committed offsets (Admin.listConsumerGroupOffsets)

import { DEADLINE_MS, die, dumpLine, loadPackage, log, parseArgs, readSet, sleep, withDeadline, writeLines } from './jslib.mjs'

const pk = await loadPackage('@platformatic/kafka')
const { Admin, Producer, Consumer, ProduceAcks } = pk

const args = parseArgs(process.argv.slice(2))
const cmd = args._[0]
const topic = args.topic
if (!args.port || !topic) die('usage: platformatic_client.mjs CMD --port P --topic T ...')
const partitionsWanted = Number(args.partitions || 4)

const base = {
  clientId: `eddy-platformatic-${cmd}`,
  bootstrapBrokers: [`127.0.0.1:${args.port}`],
  // Generous: the hub may run under ASan on a slow machine.
  timeout: 60000,
  connectTimeout: 10000,
  retries: 10,
  retryDelay: 200,
  strict: true
}

async function topicMetadata (client) {
  const md = await client.metadata({ topics: [topic], forceUpdate: true })
  const t = md.topics.get(topic)
  if (!t) die(`no metadata for ${topic}`)
  return { md, t }
}

async function create () {
  const admin = new Admin(base)
  try {
    const created = await admin.createTopics({ topics: [topic], partitions: partitionsWanted, replicas: 1 })
    log(`createTopics: ${JSON.stringify(created, (k, v) => typeof v === 'bigint' ? String(v) : v)}`)
    const { t } = await topicMetadata(admin)
    if (t.partitionsCount !== partitionsWanted) die(`metadata: ${t.partitionsCount} partitions, expected ${partitionsWanted}`)
    if (!t.id || /^0{8}-/.test(t.id)) die(`metadata: topic id ${t.id} (zero or missing)`)
    log(`created ${topic}: ${t.partitionsCount} partitions, topic id ${t.id}`)
  } finally {
    await admin.close()
  }
}

async function produce () {
  const events = await readSet(args.set)
  const producer = new Producer({ ...base, compression: args.compression || 'lz4', acks: ProduceAcks.ALL })
  const acks = []
  try {
    const { t } = await topicMetadata(producer)
    const count = t.partitionsCount
    const chunk = 500
    for (let start = 0; start < events.length; start += chunk) {
      const slice = events.slice(start, start + chunk)
      const picked = []
      const messages = slice.map(ev => ({
        topic,
        key: ev.key,
        value: ev.value,
        headers: new Map(ev.headers.map(([n, v]) => [Buffer.from(n), v]))
      }))
      const res = await producer.send({
        messages,
        // the default partitioner, recording its choice (the client then takes it modulo the count)
        partitioner: (m, key) => {
          const p = pk.defaultPartitioner ? pk.defaultPartitioner(m, key) : null
          picked.push(p)
          return p
        }
      })
      const baseOffsets = new Map((res.offsets || []).map(o => [o.partition, BigInt(o.offset)]))
      if (picked.length === slice.length && picked.every(p => p !== null)) {
        const rank = new Map()
        picked.forEach((raw, j) => {
          const p = raw % count
          const n = rank.get(p) || 0n
          rank.set(p, n + 1n)
          if (baseOffsets.has(p)) acks.push(JSON.stringify({ i: start + j, p, o: Number(baseOffsets.get(p) + n) }))
        })
      }
    }
  } finally {
    await producer.close()
  }
  if (args['acks-out']) writeLines(args['acks-out'], acks.length === events.length ? acks : [])
  log(`produced ${events.length} events, compression ${args.compression || 'lz4'}` +
      (acks.length === events.length ? '' : ' (offsets per event unknown: no acks file)'))
}

function recordHeaders (hs) {
  const out = []
  for (const [k, v] of hs) out.push([Buffer.from(k).toString(), v === null || v === undefined ? null : v])
  return out
}

async function endOffsets (consumer) {
  const latest = await consumer.listOffsets({ topics: [topic] })
  const earliest = await consumer.listOffsets({ topics: [topic], timestamp: -2n })
  return { end: latest.get(topic).map(BigInt), start: earliest.get(topic).map(BigInt) }
}

async function readFetch () {
  const consumer = new Consumer({ ...base, groupId: `eddy-platformatic-nogroup-${topic}` })
  const lines = []
  try {
    const { t } = await topicMetadata(consumer)
    const { start, end } = await endOffsets(consumer)
    log('offsets: ' + end.map((e, p) => `p${p} ${start[p]}..${e}`).join(', '))
    const deadline = Date.now() + DEADLINE_MS
    for (let p = 0; p < t.partitionsCount; p++) {
      let next = start[p]
      while (next < end[p]) {
        if (Date.now() > deadline) die(`timed out reading partition ${p} at ${next} (end ${end[p]})`)
        const res = await consumer.fetch({
          node: t.partitions[p].leader,
          maxWaitTime: 500,
          topics: [{
            topicId: t.id,
            partitions: [{ partition: p, currentLeaderEpoch: -1, fetchOffset: next, lastFetchedEpoch: -1, partitionMaxBytes: 1 << 20 }]
          }]
        })
        for (const tr of res.responses) {
          if (tr.topicId !== t.id) die(`fetch answered topic id ${tr.topicId}, asked ${t.id}`)
          for (const pr of tr.partitions) {
            if (pr.errorCode !== 0) die(`fetch partition ${pr.partitionIndex} at ${next}: error ${pr.errorCode}`)
            for (const batch of pr.records || []) {
              for (const r of batch.records) {
                const offset = batch.firstOffset + BigInt(r.offsetDelta)
                if (offset < next) continue
                lines.push(dumpLine(p, offset, r.key, r.value, recordHeaders(r.headers)))
              }
              const last = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n
              if (last > next) next = last
            }
          }
        }
      }
    }
  } finally {
    await consumer.close()
  }
  writeLines(args.out, lines)
  log(`read ${lines.length} events with Fetch by topic id`)
}

async function consumeGroup () {
  const group = args.group || `eddy-platformatic-${topic}`
  const consumer = new Consumer({
    ...base,
    groupId: group,
    sessionTimeout: 30000,
    rebalanceTimeout: 60000,
    heartbeatInterval: 3000,
    maxWaitTime: 500
  })
  const lines = []
  let joins = 0
  consumer.on('consumer:group:join', () => { joins++ })
  consumer.on('consumer:heartbeat:error', e => die('heartbeat failed', e.error))
  let stream
  try {
    const { t } = await topicMetadata(consumer)
    const { end } = await endOffsets(consumer)
    log('end offsets: ' + end.map((e, p) => `p${p} ${e}`).join(', '))
    const next = end.map(() => 0n)
    stream = await consumer.consume({ topics: [topic], mode: 'committed', fallbackMode: 'earliest', autocommit: true })
    let finished = false
    await withDeadline(`group ${group} reading ${topic} to its end offsets`, DEADLINE_MS, () => new Promise((resolve, reject) => {
      const done = () => { finished = true; stream.pause(); resolve() }
      stream.on('error', e => { if (!finished) reject(e) })
      if (next.every((n, p) => n >= end[p])) { done(); return }
      stream.on('data', m => {
        if (finished) return
        lines.push(dumpLine(m.partition, m.offset, m.key, m.value, recordHeaders(m.headers)))
        if (m.offset + 1n > next[m.partition]) next[m.partition] = m.offset + 1n
        if (next.every((n, p) => n >= end[p])) done()
      })
    })).catch(e => die(`${e.message}; positions ${next.map((n, p) => `p${p} ${n}`).join(', ')}`, e))
    // Commit explicitly what was read (autocommit runs on an interval), then check it.
    await consumer.commit({ offsets: end.map((o, p) => ({ topic, partition: p, offset: o, leaderEpoch: t.partitions[p].leaderEpoch ?? 0 })) })
    const committed = await consumer.listCommittedOffsets({ topics: [{ topic, partitions: end.map((_, p) => p) }] })
    const got = committed.get(topic).map(BigInt)
    if (got.some((o, p) => o !== end[p])) die(`committed offsets ${got} differ from end offsets ${end}`)
    log(`ok   committed offsets of group ${group} equal the end offsets`)
  } finally {
    if (stream) await stream.close().catch(() => {})
    await consumer.close(true).catch(() => {})
  }
  writeLines(args.out, lines)
  log(`consumed ${lines.length} events in group ${group} (${joins} join(s))`)
}

const commands = { create, produce, 'read-fetch': readFetch, 'consume-group': consumeGroup }
if (!commands[cmd]) die(`unknown command ${cmd}`)
try {
  await withDeadline(`platformatic ${cmd}`, DEADLINE_MS + 30000, commands[cmd])
} catch (e) {
  die(`platformatic ${cmd}`, e)
}
await sleep(0)
process.exit(0)
