// A consumer-group member for groups_scenario.py, with a JavaScript client:
//   node groups_worker.mjs kafkajs|platformatic BOOTSTRAP TOPIC GROUP NAME OUTDIR
// File protocol (NAME.assign, NAME.events, NAME.closed): see groups_scenario.py.
// The packages come from $EDDY_SOURCE_DIR/node_modules (`npm ci`).

import { createRequire } from 'node:module'
import { appendFileSync, existsSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const sourceDir = resolve(process.env.EDDY_SOURCE_DIR || join(here, '..', '..'))
const require = createRequire(join(sourceDir, 'package.json'))

async function load (name) {
  if (!existsSync(join(sourceDir, 'node_modules', name))) {
    console.error(`${name} is not installed: run \`npm ci\` in ${sourceDir}`)
    process.exit(77)
  }
  return import(pathToFileURL(require.resolve(name)).href)
}

const [client, bootstrap, topic, group, name, outdir] = process.argv.slice(2)
const eventsPath = join(outdir, `${name}.events`)
let lastAssign = null

function writeAssign (parts) {
  const s = JSON.stringify([...parts].sort((a, b) => a - b))
  if (s === lastAssign) return
  lastAssign = s
  const path = join(outdir, `${name}.assign`)
  writeFileSync(path + '.tmp', s)
  renameSync(path + '.tmp', path)
  appendFileSync(join(outdir, `${name}.history`), s + '\n')
}

function record (partition, offset, value) {
  appendFileSync(eventsPath, `${partition} ${offset} ${value}\n`)
}

async function runKafkajs () {
  const { Kafka, logLevel } = (await load('kafkajs')).default ?? (await load('kafkajs'))
  const kafka = new Kafka({ clientId: name, brokers: [bootstrap], logLevel: logLevel.WARN })
  const consumer = kafka.consumer({
    groupId: group,
    sessionTimeout: 6000,
    heartbeatInterval: 500,
    rebalanceTimeout: 20000
  })
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    writeAssign(e.payload.memberAssignment[topic] || [])
  })
  consumer.on(consumer.events.CRASH, (e) => console.error('crash', e.payload.error))
  await consumer.connect()
  await consumer.subscribe({ topics: [topic], fromBeginning: true })
  await consumer.run({
    autoCommitInterval: 300,
    autoCommitThreshold: 1,
    eachMessage: async ({ partition, message }) => {
      record(partition, message.offset, message.value.toString())
    }
  })
  return async () => consumer.disconnect() // commits and leaves
}

async function runPlatformatic () {
  const { Consumer, stringDeserializers } = await load('@platformatic/kafka')
  const consumer = new Consumer({
    clientId: name,
    groupId: group,
    bootstrapBrokers: [bootstrap],
    deserializers: stringDeserializers,
    sessionTimeout: 6000,
    heartbeatInterval: 500,
    rebalanceTimeout: 20000
  })
  const stream = await consumer.consume({
    topics: [topic],
    mode: 'committed',
    fallbackMode: 'earliest',
    autocommit: 300,
    sessionTimeout: 6000,
    heartbeatInterval: 500
  })
  const poll = setInterval(() => {
    const mine = (consumer.assignments || []).filter((a) => a.topic === topic)
    writeAssign(mine.flatMap((a) => a.partitions))
  }, 100)
  stream.on('data', (m) => record(m.partition, m.offset, m.value))
  stream.on('error', (e) => console.error('stream error', e))
  return async () => {
    clearInterval(poll)
    await stream.close()
    await consumer.close()
  }
}

writeAssign([])
const close = client === 'kafkajs' ? await runKafkajs() : await runPlatformatic()
let closing = false
process.on('SIGTERM', async () => {
  if (closing) return
  closing = true
  try {
    await close()
    writeFileSync(join(outdir, `${name}.closed`), '')
    process.exit(0)
  } catch (e) {
    console.error('close failed', e)
    process.exit(1)
  }
})
