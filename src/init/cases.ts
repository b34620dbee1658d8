/**
 * The round trips the scaffold's test makes: every message of every channel, with its sample
 * payload, headers and address parameters, and the message a receiver will route it to.
 */
import type { IrChannel, IrMessage, IrSpec } from '../ir/types.js';
import type { Sampler } from '../samples/index.js';

export interface RoundTrip {
  readonly channel: IrChannel;
  readonly message: IrMessage;
  readonly payload: unknown;
  readonly headers: Record<string, unknown> | undefined;
  readonly parameters: Readonly<Record<string, string>>;
  /** The message the receiving side routes the sample to (another one when its schema accepts it first). */
  readonly routedTo: string;
  /** Why this round trip cannot run, when it cannot. */
  readonly skip?: string;
  /** Set when no valid sample could be made: the test is left for the user to write. */
  readonly todo?: string;
}

const SAFE_SEGMENT = /^[A-Za-z0-9_-]+$/;

/** Same rule as the generated runtime's codec: `application/json`, `text/json`, `…+json`. */
export function isJsonContentType(contentType: string): boolean {
  const base = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return base === 'application/json' || base === 'text/json' || base.endsWith('+json');
}

/** A value each parameter accepts: its default, first enum value or example, else a plain word. */
export function parameterValues(channel: IrChannel): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of channel.parameters) {
    const candidates = [p.default, ...(p.enum ?? []), ...p.examples].filter((v): v is string => typeof v === 'string' && SAFE_SEGMENT.test(v));
    const allowed = p.enum ? candidates.filter((v) => p.enum?.includes(v)) : candidates;
    out[p.name] = allowed[0] ?? p.enum?.[0] ?? 'sample';
  }
  return out;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Mirrors the client's routing: candidates by discriminator, then the first whose schema accepts the payload. */
function routeOf(ir: IrSpec, sampler: Sampler, channel: IrChannel, payload: unknown, own: string): string {
  const byId = new Map(ir.messages.map((m) => [m.id, m] as const));
  const d = channel.discriminator;
  const candidates = d ? channel.messages.filter((id) => isRecord(payload) && sameJson(d.values.get(id), payload[d.property])) : channel.messages;
  return (
    candidates.find((id) => {
      const m = byId.get(id);
      return m !== undefined && sampler.accepts(m, payload);
    }) ?? own
  );
}

export function roundTrips(ir: IrSpec, sampler: Sampler): RoundTrip[] {
  const byId = new Map(ir.messages.map((m) => [m.id, m] as const));
  const out: RoundTrip[] = [];
  for (const channel of ir.channels) {
    const parameters = parameterValues(channel);
    for (const id of channel.messages) {
      const message = byId.get(id);
      if (!message) continue;
      const base = { channel, message, parameters, routedTo: id };
      let payload: unknown;
      let headers: Record<string, unknown> | undefined;
      try {
        payload = sampler.payload(message);
        headers = sampler.headers(message);
      } catch (error) {
        out.push({ ...base, payload: null, headers: undefined, todo: `no valid sample could be made: ${error instanceof Error ? error.message : String(error)}` });
        continue;
      }
      const trip = { ...base, payload, headers, routedTo: routeOf(ir, sampler, channel, payload, id) };
      if (!isJsonContentType(message.contentType)) {
        out.push({ ...trip, skip: `content type ${message.contentType}: the generated client sends and receives JSON only` });
        continue;
      }
      const structured = Object.entries(headers ?? {}).find(([, v]) => typeof v === 'object' && v !== null);
      if (structured) {
        out.push({ ...trip, skip: `header "${structured[0]}" is ${Array.isArray(structured[1]) ? 'an array' : 'an object'}; headers travel as strings and only scalars come back typed` });
        continue;
      }
      out.push(trip);
    }
  }
  return out;
}
