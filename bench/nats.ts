/**
 * End-to-end throughput over core NATS: the generated client publishing N user-session events
 * while a generated subscriber (its own connection) receives them all, against the raw
 * @nats-io/transport-node client publishing the same bytes and headers to a raw subscriber.
 * Rounds interleave the contenders; messages per second is N over the time until the last arrives.
 * Two variants of each show what awaiting every publish costs: the NATS client flushes its buffer
 * in a microtask, so an `await` between publishes turns into one socket write per message.
 *
 * Run: npx tsx bench/nats.ts <generated-dir>   (prints JSON; bench/run.ts drives it)
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import type { Transport } from '../templates/runtime/transport.js';
import { median } from './proc.js';
import { USER_SESSIONS } from './samples.js';

const SERVERS = process.env['BENCH_NATS'] ?? '127.0.0.1:4222';
const MESSAGES = Number(process.env['BENCH_NATS_MESSAGES']) || 20_000;
const ROUNDS = Number(process.env['BENCH_NATS_ROUNDS']) || 5;
const WINDOW = 1000;
const ROUND_TIMEOUT_MS = 60_000;

interface Endpoint {
  publish(payload: unknown): Promise<void>;
  subscribe(handler: (payload: unknown) => void, options?: { onError?: (error: Error) => void }): Promise<{ close(): Promise<void> }>;
}
type ClosableTransport = Transport & { readonly connection: NatsConnection };

export interface NatsResult {
  readonly messages: number;
  readonly rounds: number;
  readonly window: number;
  /** In this order: generated awaiting each, generated windowed, raw loop, raw awaiting each, raw doing the same work. */
  readonly rows: ReadonlyArray<{ readonly name: string; readonly median: number; readonly rounds: readonly number[] }>;
}

/** Resolves with the elapsed ms once `count()` reaches MESSAGES; rejects after the round timeout. */
function arrival(count: () => number, start: bigint): Promise<number> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + ROUND_TIMEOUT_MS;
    const poll = (): void => {
      if (count() >= MESSAGES) return resolve(Number(process.hrtime.bigint() - start) / 1e6);
      if (Date.now() > deadline) return reject(new Error(`only ${count()} of ${MESSAGES} messages arrived within ${ROUND_TIMEOUT_MS} ms`));
      setImmediate(poll);
    };
    poll();
  });
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: tsx bench/nats.ts <generated-dir>');
  const generated = (await import(pathToFileURL(path.join(dir, 'index.ts')).href)) as Record<string, unknown>;
  const nats = (await import(pathToFileURL(path.join(dir, 'runtime', 'nats.ts')).href)) as { connectNats(o: { servers: string }): Promise<ClosableTransport> };
  const create = Object.entries(generated).find(([name]) => /^create\w+Client$/.test(name))?.[1] as ((t: Transport) => Record<string, Endpoint>) | undefined;
  if (!create) throw new Error(`no create…Client export in ${dir}`);
  const sample = USER_SESSIONS[0];
  if (!sample) throw new Error('no sample');

  // What the generated publisher puts on the wire, captured once, so the raw client sends the same.
  let wire: { subject: string; payload: Uint8Array; headers: Record<string, string>; contentType?: string | undefined } | undefined;
  const capture = create({
    publish: async (subject, m) => void (wire = { subject, payload: m.payload, headers: { ...m.headers }, contentType: m.contentType }),
    subscribe: () => Promise.reject(new Error('not used')),
    close: () => Promise.resolve(),
  });
  await capture[sample.id]?.publish(sample.payload);
  if (!wire) throw new Error('nothing captured');
  const { subject, payload } = wire;
  const rawHeaders = natsHeaders();
  for (const [k, v] of Object.entries(wire.headers)) rawHeaders.set(k, v);
  if (wire.contentType !== undefined) rawHeaders.set('content-type', wire.contentType);

  /** One round of the generated client; `window` publishes go out before their promises are awaited. */
  const generatedRound = async (window: number): Promise<number> => {
    // Two transports (publisher, subscriber), as two services would have.
    const pubT = await nats.connectNats({ servers: SERVERS });
    const subT = await nats.connectNats({ servers: SERVERS });
    const pub = create(pubT)[sample.id];
    const sub = create(subT)[sample.id];
    if (!pub || !sub) throw new Error(`no endpoint ${sample.id}`);
    let received = 0;
    let errors = 0;
    await sub.subscribe(() => void received++, { onError: () => void errors++ });
    const start = process.hrtime.bigint();
    const done = arrival(() => received + errors, start);
    for (let i = 0; i < MESSAGES; i += window) {
      const batch: Promise<void>[] = [];
      for (let j = i; j < Math.min(MESSAGES, i + window); j++) batch.push(pub.publish(sample.payload));
      await Promise.all(batch);
    }
    const ms = await done;
    await pubT.close();
    await subT.close();
    if (errors > 0) throw new Error(`${errors} receive errors in a generated round`);
    return (MESSAGES / ms) * 1000;
  };
  /** One round of the raw client: the same bytes and headers, a callback subscriber that counts. */
  const rawRound = async (yieldEach: boolean): Promise<number> => {
    const pubC = await connect({ servers: SERVERS });
    const subC = await connect({ servers: SERVERS });
    let received = 0;
    subC.subscribe(subject, { callback: (error) => void (error ? undefined : received++) });
    await subC.flush();
    const start = process.hrtime.bigint();
    const done = arrival(() => received, start);
    for (let i = 0; i < MESSAGES; i++) {
      pubC.publish(subject, payload, { headers: rawHeaders });
      if (yieldEach) await undefined; // what an `await` between publishes does to the client's batching
    }
    const ms = await done;
    await pubC.drain();
    await subC.drain();
    return (MESSAGES / ms) * 1000;
  };

  /**
   * The raw client doing the work the generated one does, with the generated validator:
   * validate + JSON.stringify + UTF-8 per publish, UTF-8 + JSON.parse + validate per message
   * received. Against it, the generated client's rate shows the cost of its own machinery.
   */
  const validators = (await import(pathToFileURL(path.join(dir, 'validators.ts')).href)) as Record<string, unknown>;
  const validate = validators[`validate${sample.id.charAt(0).toUpperCase()}${sample.id.slice(1)}`] as ((v: unknown) => boolean) | undefined;
  if (!validate) throw new Error(`no validator for ${sample.id} in ${dir}`);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const sameWorkRound = async (): Promise<number> => {
    const pubC = await connect({ servers: SERVERS });
    const subC = await connect({ servers: SERVERS });
    let received = 0;
    subC.subscribe(subject, {
      callback: (error, msg) => {
        if (error) return;
        if (validate(JSON.parse(decoder.decode(msg.data)))) received++;
      },
    });
    await subC.flush();
    const start = process.hrtime.bigint();
    const done = arrival(() => received, start);
    for (let i = 0; i < MESSAGES; i++) {
      if (!validate(sample.payload)) throw new Error('invalid sample');
      pubC.publish(subject, Buffer.from(JSON.stringify(sample.payload), 'utf8'), { headers: rawHeaders });
    }
    const ms = await done;
    await pubC.drain();
    await subC.drain();
    return (MESSAGES / ms) * 1000;
  };

  const contenders: Array<{ readonly name: string; readonly run: () => Promise<number> }> = [
    { name: 'generated, `await publish()` per message', run: () => generatedRound(1) },
    { name: `generated, ${WINDOW} publishes in flight, then awaited`, run: () => generatedRound(WINDOW) },
    { name: 'raw, `nc.publish()` in a loop', run: () => rawRound(false) },
    { name: 'raw, `await` between publishes', run: () => rawRound(true) },
    { name: 'raw doing the same work (validate, JSON, UTF-8 both ways) in a loop', run: () => sameWorkRound() },
  ];
  const samples = contenders.map(() => [] as number[]);
  for (let round = 0; round <= ROUNDS; round++) {
    for (const [i, c] of contenders.entries()) {
      const rate = await c.run();
      if (round > 0) samples[i]?.push(rate); // round 0 is the warm-up
    }
  }
  const result: NatsResult = { messages: MESSAGES, rounds: ROUNDS, window: WINDOW, rows: contenders.map((c, i) => ({ name: c.name, median: median(samples[i] ?? []), rounds: samples[i] ?? [] })) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
