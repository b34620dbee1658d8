/**
 * Runtime micro-benchmarks, in one process: the generated user-sessions client's publish path
 * (validate + serialise, through a transport that costs nothing) and receive path (bytes in →
 * parse + validate + dispatch, by calling the handler the transport captured at subscribe time),
 * against bare JSON.stringify / JSON.parse and an Ajv validator compiled here from the same schema.
 *
 * Run: npx tsx bench/runtime.ts <generated-dir> <spec>   (prints JSON; bench/run.ts drives it)
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { AddressPattern } from '../templates/runtime/address.js';
import type { DeliveryHandler, IncomingMessage, OutgoingMessage, Transport, TransportSubscription } from '../templates/runtime/transport.js';
import { median } from './proc.js';
import { USER_SESSIONS, type MessageSample } from './samples.js';

// ajv-formats is CommonJS: its default export is the function itself.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const DONE = Promise.resolve();
const CLOSED: TransportSubscription = { close: () => DONE };

/** Keeps the last message and the handlers; no I/O, so only the client's own work is measured. */
class NoopTransport implements Transport {
  last: { readonly address: string; readonly message: OutgoingMessage } | undefined;
  readonly handlers: DeliveryHandler[] = [];
  publish(address: string, message: OutgoingMessage): Promise<void> {
    this.last = { address, message };
    return DONE;
  }
  subscribe(_pattern: AddressPattern, handler: DeliveryHandler): Promise<TransportSubscription> {
    this.handlers.push(handler);
    return Promise.resolve(CLOSED);
  }
  close(): Promise<void> {
    return DONE;
  }
}

interface Endpoint {
  publish(payload: unknown): Promise<void>;
  subscribe(handler: (payload: unknown) => void, options?: { onError?: (error: Error) => void }): Promise<unknown>;
}
type Client = Readonly<Record<string, Endpoint>>;
type Generated = { readonly [name: string]: unknown };

export interface RuntimeRow {
  readonly message: string;
  readonly path: 'publish' | 'receive';
  readonly generated: number;
  readonly bare: number;
  /** The same work with the generated validator instead of a fresh Ajv one: what the client adds on top. */
  readonly bareGeneratedValidator: number;
}

let sink = 0;
/** UTF-8 bytes of a string: Buffer.from (a Uint8Array) is Node's fastest, and what the runtime uses. */
const toBytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');
const ROUNDS = Number(process.env['BENCH_ROUNDS']) || 7;
const TARGET_NS = 150e6; // each case runs about this long per round

type Case = () => unknown;

/** ns/op of a sync or async operation: calibrated batch size, interleaved rounds, median. */
async function measure(cases: readonly Case[]): Promise<number[]> {
  const timeBatch = async (fn: Case, n: number): Promise<number> => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      const r = fn();
      if (r instanceof Promise) await r;
    }
    return Number(process.hrtime.bigint() - start);
  };
  const sizes: number[] = [];
  for (const fn of cases) {
    let n = 1000;
    while ((await timeBatch(fn, n)) < 20e6 && n < 1e7) n *= 4; // warm-up and calibration in one
    sizes.push(Math.max(1000, Math.round((n * TARGET_NS) / Math.max(1, await timeBatch(fn, n)))));
  }
  const samples = cases.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, fn] of cases.entries()) samples[i]?.push((await timeBatch(fn, sizes[i] ?? 1000)) / (sizes[i] ?? 1000));
  }
  return samples.map((s) => median(s));
}

async function main(): Promise<void> {
  const [dir, specFile] = process.argv.slice(2);
  if (!dir || !specFile) throw new Error('usage: tsx bench/runtime.ts <generated-dir> <spec>');
  const generated = (await import(pathToFileURL(path.join(dir, 'index.ts')).href)) as Generated;
  const validators = (await import(pathToFileURL(path.join(dir, 'validators.ts')).href)) as Generated;
  const create = Object.entries(generated).find(([name]) => /^create\w+Client$/.test(name))?.[1] as ((t: Transport) => Client) | undefined;
  if (!create) throw new Error(`no create…Client export in ${dir}`);

  const spec = JSON.parse(await readFile(specFile, 'utf8')) as object;
  const ajv = new Ajv({ strict: false, allErrors: false, logger: false });
  addFormats(ajv);
  ajv.addSchema(spec, 'spec');
  const decoder = new TextDecoder();

  const rows: RuntimeRow[] = [];
  for (const sample of USER_SESSIONS) {
    rows.push(...(await benchMessage(sample, create, validators, ajv, decoder)));
  }
  process.stdout.write(`${JSON.stringify({ rows, sink: sink % 2 })}\n`);
}

async function benchMessage(s: MessageSample, create: (t: Transport) => Client, validators: Generated, ajv: Ajv, decoder: InstanceType<typeof TextDecoder>): Promise<RuntimeRow[]> {
  const transport = new NoopTransport();
  const client = create(transport);
  const endpoint = client[s.id];
  const generatedValidate = validators[`validate${s.id.charAt(0).toUpperCase()}${s.id.slice(1)}`] as ((v: unknown) => boolean) | undefined;
  if (!endpoint || !generatedValidate) throw new Error(`the generated client has no endpoint or validator for "${s.id}"`);
  const validate = ajv.compile({ $ref: `spec#/components/messages/${s.componentKey.replace(/~/g, '~0').replace(/\//g, '~1')}/payload` });
  if (!validate(s.payload) || !generatedValidate(s.payload)) throw new Error(`sample of "${s.id}" is not valid: ${ajv.errorsText(validate.errors)}`);

  let errors = 0;
  await endpoint.subscribe((payload) => void (sink += payload === undefined ? 0 : 1), { onError: () => void errors++ });
  const handler = transport.handlers.at(-1);
  await endpoint.publish(s.payload);
  const sent = transport.last;
  if (!handler || !sent) throw new Error('the no-op transport captured no handler or message');
  const { address, message } = sent;
  const incoming: IncomingMessage = { address, payload: message.payload, headers: message.headers, contentType: message.contentType, deliveryAttempt: 1 };
  const before = sink;
  await handler(incoming);
  if (sink !== before + 1 || errors > 0) throw new Error(`the captured handler did not dispatch "${s.id}" (errors: ${errors})`);

  const handle = (value: unknown): void => void (sink += value === undefined ? 0 : 1);
  const [pubGenerated, pubBare, pubOwnValidator, recvGenerated, recvBare, recvOwnValidator] = await measure([
    () => endpoint.publish(s.payload),
    // A publish ends in bytes for the transport: both bare rows encode UTF-8 the fastest way Node has.
    () => {
      if (!validate(s.payload)) throw new Error('invalid');
      sink += toBytes(JSON.stringify(s.payload)).length;
    },
    () => {
      if (!generatedValidate(s.payload)) throw new Error('invalid');
      sink += toBytes(JSON.stringify(s.payload)).length;
    },
    () => handler(incoming),
    () => {
      const value: unknown = JSON.parse(decoder.decode(incoming.payload));
      if (!validate(value)) throw new Error('invalid');
      handle(value);
    },
    () => {
      const value: unknown = JSON.parse(decoder.decode(incoming.payload));
      if (!generatedValidate(value)) throw new Error('invalid');
      handle(value);
    },
  ]);
  if (errors > 0) throw new Error(`${errors} receive errors while measuring "${s.id}"`);
  return [
    { message: s.id, path: 'publish', generated: pubGenerated ?? NaN, bare: pubBare ?? NaN, bareGeneratedValidator: pubOwnValidator ?? NaN },
    { message: s.id, path: 'receive', generated: recvGenerated ?? NaN, bare: recvBare ?? NaN, bareGeneratedValidator: recvOwnValidator ?? NaN },
  ];
}

await main();
