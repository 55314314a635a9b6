// kafkajs 2.2.4 driver for eddy's integration tests.
//
//   create  --port P --topic T --partitions N        admin.createTopics, then checks the metadata
//   produce --port P --topic T --set SET [--compression gzip|none] [--acks-out FILE]
//           sends the set in chunks (one batch per partition per chunk) and
//           derives each event's offset from the partition's base offset
//   consume-group --port P --topic T --out DUMP --group G
//           a consumer GROUP member (JoinGroup/SyncGroup/Heartbeat/OffsetCommit)
//           subscribed from the beginning; reads until every partition reaches
//           the end offset seen at start, then checks the committed offsets
//           with admin.fetchOffsets (OffsetFetch).

import { appendFileSync } from 'node:fs'
import { DEADLINE_MS, die, dumpLine, loadPackage, log, parseArgs, readSet, sleep, withDeadline, writeLines } from './jslib.mjs'

const kafkajs = (await loadPackage('kafkajs')).default
const { Kafka, CompressionTypes, Partitioners, logLevel } = kafkajs

const args = parseArgs(process.argv.slice(2))
const cmd = args._[0]
const topic = args.topic
if (!args.port || !topic) die('usage: kafkajs_client.mjs CMD --port P --topic T ...')

const kafka = new Kafka({
  clientId: `eddy-kafkajs-${cmd}`,
  brokers: [`127.0.0.1:${args.port}`],
  logLevel: args.debug ? logLevel.DEBUG : logLevel.WARN,
  // Generous: the hub may run under ASan on a slow machine.
  connectionTimeout: 10000,
  requestTimeout: 60000,
  retry: { initialRetryTime: 200, retries: 10 }
})

async function create () {
  const admin = kafka.admin()
  await admin.connect()
  const created = await admin.createTopics({
    topics: [{ topic, numPartitions: Number(args.partitions || 4), replicationFactor: 1 }],
    waitForLeaders: true,
    timeout: 30000
  })
  if (!created) die(`createTopics returned false: ${topic} already existed`)
  const md = await admin.fetchTopicMetadata({ topics: [topic] })
  const parts = md.topics[0].partitions.map(p => p.partitionId).sort((a, b) => a - b)
  await admin.disconnect()
  const want = [...Array(Number(args.partitions || 4)).keys()]
  if (JSON.stringify(parts) !== JSON.stringify(want)) die(`metadata: partitions ${parts}, expected ${want}`)
  log(`created ${topic} with partitions ${parts}`)
}

async function produce () {
  const events = await readSet(args.set)
  // Remember which partition the default (murmur2) partitioner picked for each message.
  const picked = new WeakMap()
  const producer = kafka.producer({
    createPartitioner: () => {
      const p = Partitioners.DefaultPartitioner()
      return (a) => {
        const partition = p(a)
        picked.set(a.message, partition)
        return partition
      }
    },
    allowAutoTopicCreation: false,
    // Retries must not reorder a key's events.
    maxInFlightRequests: 1
  })
  await producer.connect()
  const compression = args.compression === 'none' ? CompressionTypes.None : CompressionTypes.GZIP
  const acks = []
  const chunk = 500
  for (let start = 0; start < events.length; start += chunk) {
    const slice = events.slice(start, start + chunk)
    const messages = slice.map(ev => ({
      key: ev.key,
      value: ev.value,
      headers: Object.fromEntries(ev.headers)
    }))
    const res = await producer.send({ topic, messages, acks: -1, timeout: 30000, compression })
    const base = new Map(res.map(r => [r.partition, BigInt(r.baseOffset)]))
    for (const r of res) {
      if (r.errorCode !== 0) die(`produce to partition ${r.partition}: error ${r.errorCode}`)
    }
    const rank = new Map()
    messages.forEach((m, j) => {
      const partition = picked.get(m)
      if (partition === undefined || !base.has(partition)) return
      const n = rank.get(partition) || 0n
      rank.set(partition, n + 1n)
      acks.push(JSON.stringify({ i: start + j, p: partition, o: Number(base.get(partition) + n) }))
    })
  }
  await producer.disconnect()
  if (args['acks-out']) writeLines(args['acks-out'], acks.length === events.length ? acks : [])
  log(`produced ${events.length} events, compression ${args.compression || 'gzip'}` +
      (acks.length === events.length ? '' : ' (offsets per event unknown: no acks file)'))
}

async function consumeGroup () {
  const group = args.group || `eddy-kafkajs-${topic}`
  const admin = kafka.admin()
  await admin.connect()
  const offsets = await admin.fetchTopicOffsets(topic)
  const end = new Map(offsets.map(o => [o.partition, BigInt(o.high)]))
  log('end offsets: ' + [...end].map(([p, o]) => `p${p} ${o}`).join(', '))

  const consumer = kafka.consumer({
    groupId: group,
    sessionTimeout: 30000,
    rebalanceTimeout: 60000,
    heartbeatInterval: 3000,
    maxWaitTimeInMs: 500,
    allowAutoTopicCreation: false
  })
  const joins = []
  consumer.on(consumer.events.GROUP_JOIN, e => joins.push(e.payload))
  // A crash (even one kafkajs would restart from) means the group protocol failed.
  consumer.on(consumer.events.CRASH, e => die(`consumer crashed (restart=${e.payload.restart})`, e.payload.error))
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  const lines = []
  const next = new Map([...end.keys()].map(p => [p, 0n]))
  let done
  const finished = new Promise(resolve => { done = resolve })
  const check = () => { if ([...end].every(([p, o]) => next.get(p) >= o)) done() }
  check()
  await consumer.run({
    autoCommit: true,
    eachMessage: async ({ partition, message }) => {
      const headers = []
      for (const [n, v] of Object.entries(message.headers || {})) {
        if (Array.isArray(v)) for (const x of v) headers.push([n, x])
        else headers.push([n, v])
      }
      lines.push(dumpLine(partition, message.offset, message.key, message.value, headers))
      const o = BigInt(message.offset) + 1n
      if (o > next.get(partition)) next.set(partition, o)
      check()
    }
  })
  try {
    await withDeadline(`group ${group} reading ${topic} to its end offsets`, DEADLINE_MS, () => finished)
  } catch (e) {
    die(`${e.message}; positions ${[...next].map(([p, o]) => `p${p} ${o}`).join(', ')}`)
  }
  await consumer.stop()
  await consumer.disconnect() // commits the resolved offsets, then LeaveGroup
  writeLines(args.out, lines)
  log(`consumed ${lines.length} events in group ${group} (${joins.length} join(s), ` +
      `protocol ${joins.length ? joins[joins.length - 1].groupProtocol : "?"})`)

  // The group's committed offsets must be the end offsets (OffsetCommit + OffsetFetch).
  let committed
  for (let i = 0; i < 20; i++) {
    committed = (await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0].partitions
    if (committed.every(c => BigInt(c.offset) === end.get(c.partition))) break
    await sleep(250)
  }
  await admin.disconnect()
  const bad = committed.filter(c => BigInt(c.offset) !== end.get(c.partition))
  if (bad.length || committed.length !== end.size) {
    die(`committed offsets ${JSON.stringify(committed)} differ from end offsets ` +
        [...end].map(([p, o]) => `p${p} ${o}`).join(', '))
  }
  log(`ok   committed offsets of group ${group} equal the end offsets`)
  if (args['offsets-out']) appendFileSync(args['offsets-out'], JSON.stringify(committed) + '\n')
}

const commands = { create, produce, 'consume-group': consumeGroup }
if (!commands[cmd]) die(`unknown command ${cmd}`)
try {
  await withDeadline(`kafkajs ${cmd}`, DEADLINE_MS + 30000, commands[cmd])
} catch (e) {
  die(`kafkajs ${cmd}`, e)
}
process.exit(0)
