/**
 * One valid, deterministic sample per message: the spec's own first example when it passes the
 * schema, otherwise one synthesised from the schema. Every sample is checked before it is handed
 * out, so a test that publishes it exercises the client, not the sample.
 */
import { CodegenError } from '../errors.js';
import type { IrMessage, IrSpec, JsonValue } from '../ir/types.js';
import { SchemaCheck } from './check.js';
import { candidates } from './synthesise.js';

export interface Sampler {
  /** A payload that the message's schema accepts (`null` for a message without a payload schema). */
  payload(message: IrMessage): unknown;
  /** Headers that the message's headers schema accepts, or undefined when it has none. */
  headers(message: IrMessage): Record<string, unknown> | undefined;
  /** Whether the message's payload schema accepts `value` (always, without a schema). */
  accepts(message: IrMessage, value: unknown): boolean;
}

const samplers = new WeakMap<IrSpec, Sampler>();

/** The sampler of a spec; built once per IR, samples cached per definition. */
export function sampler(spec: IrSpec): Sampler {
  let s = samplers.get(spec);
  if (!s) {
    s = createSampler(spec);
    samplers.set(spec, s);
  }
  return s;
}

export function samplePayload(message: IrMessage, spec: IrSpec): unknown {
  return sampler(spec).payload(message);
}

export function sampleHeaders(message: IrMessage, spec: IrSpec): Record<string, unknown> | undefined {
  return sampler(spec).headers(message);
}

function createSampler(spec: IrSpec): Sampler {
  const check = new SchemaCheck(spec.schemas);
  const definitions = Object.fromEntries(spec.schemas.definitions);
  const cache = new Map<string, unknown>();

  const synthesise = (message: IrMessage, part: 'payload' | 'headers', definition: string, preferred: readonly unknown[]): unknown => {
    const pinned = part === 'payload' ? discriminators(spec, message) : [];
    const key = `${part}\u0000${definition}\u0000${JSON.stringify(preferred[0]) ?? ''}\u0000${JSON.stringify(pinned)}`;
    if (cache.has(key)) return structuredClone(cache.get(key));
    let firstIssues: readonly string[] = [];
    // The example is taken as written or not at all; synthesised values get the routing values.
    const given = preferred.slice(0, 1).filter((example) => pinned.every(([property, value]) => isRecord(example) && sameJson(example[property], value)));
    for (const raw of tried(given, () => candidates(definition, definitions))) {
      if (part === 'headers' && !isRecord(raw)) continue;
      const candidate = isRecord(raw) && pinned.length > 0 ? { ...raw, ...Object.fromEntries(pinned) } : raw;
      const verdict = check.check(definition, candidate);
      if (verdict.ok) {
        cache.set(key, candidate);
        return structuredClone(candidate);
      }
      if (firstIssues.length === 0) firstIssues = verdict.issues;
    }
    throw new CodegenError({
      code: 'no-sample',
      message: `no valid sample ${part} for message "${message.id}" of ${spec.fileBase}: ${preferred.length > 0 ? 'its first example and ' : ''}every synthesised value fail the schema (${firstIssues.slice(0, 3).join('; ') || 'no value'})`,
      hint: `give the message a valid example, or check the ${part} schema ("${definition}") for constraints that cannot all hold`,
      location: { file: spec.file },
    });
  };

  return {
    payload(message) {
      if (message.payload === undefined) return message.examples.length > 0 ? structuredClone(message.examples[0]) : null;
      return synthesise(message, 'payload', message.payload, message.examples);
    },
    headers(message) {
      if (message.headers === undefined) return undefined;
      return synthesise(message, 'headers', message.headers, []) as Record<string, unknown>;
    },
    accepts(message, value) {
      return message.payload === undefined || check.check(message.payload, value).ok;
    },
  };
}

/**
 * The values that channels route this message by: a sample carries them, so that publishing it is
 * accepted and it arrives as itself (an example may show another event's `type`).
 */
function discriminators(spec: IrSpec, message: IrMessage): Array<[string, JsonValue]> {
  const out = new Map<string, JsonValue>();
  for (const channel of spec.channels) {
    const d = channel.discriminator;
    const value = d?.values.get(message.id);
    if (d && value !== undefined && channel.messages.includes(message.id) && !out.has(d.property)) out.set(d.property, value);
  }
  return [...out];
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The given values, then the synthesised ones: made only when the given ones did not pass. */
function* tried(first: readonly unknown[], more: () => Iterable<unknown>): Generator<unknown> {
  yield* first;
  yield* more();
}
