/**
 * Deterministic synthetic AsyncAPI 3.0 specs for the generation benchmarks: N channels, each with
 * a `created` message (a CloudEvents-style envelope through `allOf` + `$ref`, as in the
 * user-sessions seed) and a `deleted` message (a plain object), about eight fields each, and one
 * send and one receive operation per channel. Same N, same bytes: a seeded generator, no clock.
 *
 * Run: npx tsx bench/synth.ts [sizes...]   (default 10 100 1000; writes bench/.cache/specs/)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CACHE = path.join(path.dirname(fileURLToPath(import.meta.url)), '.cache');
export const SPECS_DIR = path.join(CACHE, 'specs');

type Schema = Record<string, unknown>;

/** A tiny LCG: the same sequence on every machine and Node version. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const NOUNS = ['order', 'invoice', 'account', 'device', 'shipment', 'ticket', 'session', 'report', 'payment', 'profile'];
const FIELDS: ReadonlyArray<readonly [string, (r: () => number) => Schema]> = [
  ['name', () => ({ type: 'string', minLength: 1, description: 'Display name.' })],
  ['count', () => ({ type: 'integer', minimum: 0, description: 'How many.' })],
  ['amount', () => ({ type: 'number', description: 'Amount in the account currency.' })],
  ['active', () => ({ type: 'boolean', description: 'Whether it is in use.' })],
  ['status', (r) => ({ type: 'string', enum: ['new', 'open', r() < 0.5 ? 'closed' : 'archived'], description: 'Lifecycle state.' })],
  ['createdAt', () => ({ type: 'string', format: 'date-time', description: 'When it was created.' })],
  ['tags', () => ({ type: 'array', items: { type: 'string' }, description: 'Free-form labels.' })],
  ['owner', () => ({ type: 'object', required: ['id'], properties: { id: { type: 'string' }, email: { type: 'string', format: 'email' } } })],
  ['region', () => ({ type: 'string', pattern: '^[a-z]{2}-[a-z]+$', description: 'Deployment region.' })],
  ['priority', () => ({ type: 'integer', minimum: 1, maximum: 5 })],
];

/** Eight of the ten fields, chosen by the seed, with two of them required. */
function fields(r: () => number): { properties: Record<string, Schema>; required: string[] } {
  const picked = [...FIELDS].sort(() => r() - 0.5).slice(0, 8);
  const properties = Object.fromEntries(picked.map(([name, make]) => [name, make(r)]));
  return { properties, required: picked.slice(0, 2).map(([name]) => name) };
}

const ENVELOPE: Schema = {
  type: 'object',
  required: ['id', 'source', 'specversion', 'type'],
  properties: {
    id: { type: 'string', minLength: 1, description: 'Identifies the event.' },
    source: { type: 'string', format: 'uri-reference', minLength: 1, description: 'Where the event happened.' },
    specversion: { type: 'string', minLength: 1, description: 'CloudEvents version.' },
    type: { type: 'string', minLength: 1, description: 'The type of event.' },
    time: { type: 'string', format: 'date-time', description: 'When the occurrence happened.' },
  },
  description: 'CloudEvents context attributes, shared by every `created` message.',
};

export function synthesise(channels: number): object {
  const r = random(channels * 7919 + 17);
  const spec = {
    asyncapi: '3.0.0',
    info: { title: `bench ${channels} channels`, version: '1.0.0', description: 'Synthetic spec for the generation benchmarks.' },
    defaultContentType: 'application/json',
    channels: {} as Record<string, unknown>,
    operations: {} as Record<string, unknown>,
    components: { messages: {} as Record<string, unknown>, schemas: { cloudEventsEnvelope: ENVELOPE } as Record<string, unknown> },
  };
  for (let i = 0; i < channels; i++) {
    const noun = NOUNS[i % NOUNS.length] ?? 'item';
    const id = `${noun}${String(i).padStart(4, '0')}`;
    const created = `${id}Created`;
    const deleted = `${id}Deleted`;
    const type = `com.example.${noun}.${i}.created`;
    const data = fields(r);
    spec.components.messages[created] = {
      name: type,
      title: `${noun} ${i} created`,
      payload: {
        type: 'object',
        allOf: [
          { $ref: '#/components/schemas/cloudEventsEnvelope' },
          { type: 'object', required: ['type', 'data'], properties: { type: { type: 'string', default: type }, data: { type: 'object', ...data } } },
        ],
      },
    };
    const plain = fields(r);
    // A `type` with its own default on both messages lets receivers tell them apart, as in the seeds.
    plain.properties['type'] = { type: 'string', default: `com.example.${noun}.${i}.deleted` };
    spec.components.messages[deleted] = { name: `${noun}.${i}.deleted`, title: `${noun} ${i} deleted`, payload: { type: 'object', ...plain } };
    spec.channels[id] = {
      address: `bench.${noun}.${i}`,
      messages: { [created]: { $ref: `#/components/messages/${created}` }, [deleted]: { $ref: `#/components/messages/${deleted}` } },
    };
    const messages = [{ $ref: `#/channels/${id}/messages/${created}` }, { $ref: `#/channels/${id}/messages/${deleted}` }];
    spec.operations[`send${cap(id)}`] = { action: 'send', channel: { $ref: `#/channels/${id}` }, messages };
    spec.operations[`receive${cap(id)}`] = { action: 'receive', channel: { $ref: `#/channels/${id}` }, messages };
  }
  return spec;
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The spec file for `channels`, written only when missing or different. */
export async function synthSpec(channels: number): Promise<string> {
  const file = path.join(SPECS_DIR, `synth-${channels}.asyncapi.json`);
  const text = `${JSON.stringify(synthesise(channels), null, 2)}\n`;
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current !== text) {
    await mkdir(SPECS_DIR, { recursive: true });
    await writeFile(file, text);
  }
  return file;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const sizes = process.argv.slice(2).map(Number);
  for (const n of sizes.length > 0 ? sizes : [10, 100, 1000]) console.log(await synthSpec(n));
}
