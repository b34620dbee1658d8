/**
 * Throughput of the generated client's Kafka adapter (kafkajs) against raw kafkajs and raw
 * @confluentinc/kafka-javascript (its KafkaJS-compatible API), on one librdkafka mock cluster.
 * The mock keeps records in memory on loopback, so these compare client overhead, not a broker.
 *
 *   node --import tsx test/support/kafka-mock-bench.ts [N]
 *
 * @confluentinc/kafka-javascript is not a dependency: set CKJS to a folder where it is installed
 * (built with CKJS_LINKING=dynamic); without it its rows are left out, saying so.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import * as sessions from '../__snapshots__/user-sessions/index.js';
import { connectKafka } from '../../templates/runtime/kafka.js';
import { EVENT } from '../interop/peers.js';
import { startKafkaMock } from './kafka-mock.js';

const N = Number(process.argv[2] ?? 5000);
const WINDOW = 100;
const mock = await startKafkaMock();
const brokers = mock.brokers;
const value = JSON.stringify(EVENT);
let topicNo = 0;
const topic = async (): Promise<string> => {
  const name = `bench-${process.pid}-${topicNo++}`;
  await mock.createTopics([name], 1);
  return name;
};

interface Row {
  readonly what: string;
  readonly client: string;
  readonly perSecond: number;
}
const rows: Row[] = [];
async function measure(what: string, client: string, body: () => Promise<void>, count = N): Promise<void> {
  const start = process.hrtime.bigint();
  await body();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  rows.push({ what, client, perSecond: Math.round(count / seconds) });
  console.error(`${what} | ${client} | ${Math.round(count / seconds)} msg/s`);
}

/** Runs `send(i)` for every i, `window` at a time. */
async function windowed(window: number, send: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < N; i += window) await Promise.all(Array.from({ length: Math.min(window, N - i) }, (_, j) => send(i + j)));
}

async function until(count: () => number, want = N): Promise<void> {
  while (count() < want) await new Promise((r) => setTimeout(r, 5));
}

// The generated client: validation, CloudEvents encoding and decoding, the adapter's per-record commit.
{
  const address = sessions.systemEventsUserSessionChannel.address;
  await mock.createTopics([address], 1);
  const publisher = await connectKafka({ brokers, clientId: 'bench' });
  const { id: _id, time: _time, specversion: _v, type: _type, ...init } = EVENT;
  const endpoint = sessions.createUserSessionsClient(publisher).userSessionBegin;
  for (const [what, window] of [
    ['publish, one at a time', 1],
    [`publish, ${WINDOW} in flight`, WINDOW],
  ] as const) {
    await measure(what, 'generated client (kafkajs)', () => windowed(window, () => endpoint.emit(init)));
  }
  // The 2N events just published, read from the start by a group of one.
  const subscriber = await connectKafka({ brokers, clientId: 'bench', maxWaitTimeMs: 100, fromBeginning: true });
  let got = 0;
  await measure(
    'consume, commit each',
    'generated client (kafkajs)',
    async () => {
      await sessions.createUserSessionsClient(subscriber).userSessionBegin.subscribe(async () => void got++, { group: 'bench' });
      await until(() => got, 2 * N);
    },
    2 * N,
  );
  await Promise.all([publisher.close(), subscriber.close()]);
}

// Raw kafkajs: the same records, no validation, no CloudEvents.
{
  const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  for (const [what, window] of [
    ['publish, one at a time', 1],
    [`publish, ${WINDOW} in flight`, WINDOW],
  ] as const) {
    const t = await topic();
    await measure(what, 'kafkajs', () => windowed(window, () => producer.send({ topic: t, messages: [{ value }] })));
  }
  const t = await topic();
  for (let i = 0; i < N; i += 500) await producer.send({ topic: t, messages: Array.from({ length: Math.min(500, N - i) }, () => ({ value })) });
  let got = 0;
  const consumer = kafka.consumer({ groupId: `bench-${t}`, maxWaitTimeInMs: 100 });
  await measure('consume, commit each', 'kafkajs', async () => {
    await consumer.connect();
    await consumer.subscribe({ topics: [t], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => void (got++, await consumer.commitOffsets([{ topic: t, partition, offset: String(Number(message.offset) + 1) }])),
    });
    await until(() => got);
  });
  await Promise.all([consumer.disconnect(), producer.disconnect()]);
}

// Raw @confluentinc/kafka-javascript through its KafkaJS-compatible API.
const ckjsDir = process.env['CKJS'];
let ckjs: { KafkaJS: { Kafka: new (config: object) => { producer(config?: object): RawProducer; consumer(config: object): RawConsumer } } } | undefined;
interface RawProducer {
  connect(): Promise<void>;
  send(record: object): Promise<unknown>;
  disconnect(): Promise<void>;
}
interface RawConsumer {
  connect(): Promise<void>;
  subscribe(options: object): Promise<void>;
  run(options: { eachMessage: (payload: { partition: number; message: { offset: string } }) => Promise<void> }): Promise<void>;
  commitOffsets(offsets: object[]): Promise<void>;
  disconnect(): Promise<void>;
}
try {
  ckjs = ckjsDir === undefined ? undefined : createRequire(path.join(ckjsDir, 'package.json'))('@confluentinc/kafka-javascript');
} catch (error) {
  console.error(`@confluentinc/kafka-javascript not loadable from ${ckjsDir}: ${String(error)}`);
}
if (ckjs === undefined) {
  console.error('@confluentinc/kafka-javascript rows left out (set CKJS to a folder where it is installed)');
} else {
  const kafka = new ckjs.KafkaJS.Kafka({ kafkaJS: { brokers, logLevel: 0 } });
  const producer = kafka.producer();
  await producer.connect();
  for (const [what, window] of [
    ['publish, one at a time', 1],
    [`publish, ${WINDOW} in flight`, WINDOW],
  ] as const) {
    const t = await topic();
    await measure(what, '@confluentinc/kafka-javascript', () => windowed(window, () => producer.send({ topic: t, messages: [{ value }] })));
  }
  // librdkafka waits linger.ms (5 ms) for a batch to fill: an awaited send one at a time pays it each time.
  const eager = kafka.producer({ 'linger.ms': 0 });
  await eager.connect();
  const e = await topic();
  await measure('publish, one at a time, linger.ms 0', '@confluentinc/kafka-javascript', () => windowed(1, () => eager.send({ topic: e, messages: [{ value }] })));
  await eager.disconnect();
  const t = await topic();
  for (let i = 0; i < N; i += 500) await producer.send({ topic: t, messages: Array.from({ length: Math.min(500, N - i) }, () => ({ value })) });
  let got = 0;
  const consumer = kafka.consumer({ kafkaJS: { groupId: `bench-${t}`, fromBeginning: true, autoCommit: false } });
  await measure('consume, commit each', '@confluentinc/kafka-javascript', async () => {
    await consumer.connect();
    await consumer.subscribe({ topics: [t] });
    await consumer.run({ eachMessage: async ({ partition, message }) => void (got++, await consumer.commitOffsets([{ topic: t, partition, offset: String(Number(message.offset) + 1) }])) });
    await until(() => got);
  });
  await Promise.all([consumer.disconnect(), producer.disconnect()]);
}

await mock.stop();
console.log(`| what (N = ${N}, ${value.length}-byte event) | client | msg/s |\n| --- | --- | ---: |`);
for (const r of rows) console.log(`| ${r.what} | ${r.client} | ${r.perSecond} |`);
process.exit(0);
