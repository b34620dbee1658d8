/** Finds the field that tells a channel's messages apart, so receivers can route without guessing. */
import type { IrDiscriminator, JsonValue } from './types.js';
import { isSchemaObject } from './schemas.js';

type Pin = { readonly value: JsonValue; readonly source: IrDiscriminator['source'] };
const STRENGTH: Record<IrDiscriminator['source'], number> = { discriminator: 4, const: 3, enum: 2, default: 1 };

/** Top-level properties of a schema with a pinned value, looking through `allOf`. */
export function pins(schema: unknown, out = new Map<string, Pin>(), seen = new Set<object>()): Map<string, Pin> {
  if (!isSchemaObject(schema) || seen.has(schema)) return out;
  seen.add(schema);
  const props = schema.properties;
  if (isSchemaObject(props)) {
    for (const [name, sub] of Object.entries(props)) {
      if (!isSchemaObject(sub)) continue;
      const pin = pinOf(sub);
      const had = out.get(name);
      if (pin && (!had || STRENGTH[pin.source] > STRENGTH[had.source])) out.set(name, pin);
    }
  }
  if (Array.isArray(schema.allOf)) for (const part of schema.allOf) pins(part, out, seen);
  // A property every oneOf/anyOf branch pins to the same value is pinned for the whole schema.
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = schema[key];
    if (!Array.isArray(branches) || branches.length === 0) continue;
    const each = branches.map((b) => pins(b, new Map(), new Set(seen)));
    for (const [name, pin] of each[0] ?? []) {
      if (out.has(name)) continue;
      if (each.every((m) => m.has(name) && JSON.stringify(m.get(name)?.value) === JSON.stringify(pin.value))) out.set(name, pin);
    }
  }
  return out;
}

function pinOf(s: { [k: string]: unknown }): Pin | undefined {
  if ('const' in s) return { value: s.const as JsonValue, source: 'const' };
  if (Array.isArray(s.enum) && s.enum.length === 1) return { value: s.enum[0] as JsonValue, source: 'enum' };
  if ('default' in s && s.default !== undefined) return { value: s.default as JsonValue, source: 'default' };
  if (Array.isArray(s.allOf)) {
    for (const part of s.allOf)
      if (isSchemaObject(part)) {
        const p = pinOf(part);
        if (p) return p;
      }
  }
  return undefined;
}

function declared(schema: unknown, seen = new Set<object>()): string | undefined {
  if (!isSchemaObject(schema) || seen.has(schema)) return undefined;
  seen.add(schema);
  if (typeof schema.discriminator === 'string') return schema.discriminator;
  if (Array.isArray(schema.allOf))
    for (const part of schema.allOf) {
      const d = declared(part, seen);
      if (d) return d;
    }
  return undefined;
}

/** `messages`: id → dereferenced payload schema, in channel order. */
export function findDiscriminator(messages: ReadonlyArray<readonly [string, unknown]>): IrDiscriminator | undefined {
  if (messages.length < 2) return undefined;
  const perMessage = messages.map(([id, schema]) => [id, pins(schema), declared(schema)] as const);
  const first = perMessage[0];
  if (!first) return undefined;
  let best: { property: string; strength: number; source: IrDiscriminator['source']; distinct: number } | undefined;
  for (const property of first[1].keys()) {
    const values = perMessage.map(([, p]) => p.get(property));
    if (values.some((v) => v === undefined)) continue;
    // Messages that share a value are told apart by their schemas; distinct values narrow the choice.
    const keys = new Set(values.map((v) => JSON.stringify(v?.value)));
    if (keys.size < 2) continue;
    const allDeclared = perMessage.every(([, , d]) => d === property);
    const weakest = Math.min(...values.map((v) => STRENGTH[v?.source ?? 'default']));
    const strength = allDeclared ? STRENGTH.discriminator : weakest;
    const source = allDeclared ? 'discriminator' : ((Object.keys(STRENGTH) as IrDiscriminator['source'][]).find((k) => STRENGTH[k] === weakest) ?? 'default');
    // The property that separates the most messages wins; then the most firmly pinned.
    if (!best || keys.size > best.distinct || (keys.size === best.distinct && strength > best.strength)) best = { property, strength, source, distinct: keys.size };
  }
  if (!best) return undefined;
  const property = best.property;
  const values = new Map(perMessage.map(([id, p]) => [id, p.get(property)?.value ?? null] as const));
  return { property, values, source: best.source };
}

/** Whether two root schemas can never accept the same value, judged by their `type` alone. */
export function typesDisjoint(a: unknown, b: unknown): boolean {
  const ta = rootTypes(a);
  const tb = rootTypes(b);
  if (!ta || !tb) return false;
  return ![...ta].some((t) => tb.has(t) || (t === 'integer' && tb.has('number')) || (t === 'number' && tb.has('integer')));
}

function rootTypes(s: unknown): Set<string> | undefined {
  if (!isSchemaObject(s)) return undefined;
  if (typeof s.type === 'string') return new Set([s.type]);
  if (Array.isArray(s.type)) return new Set(s.type.filter((t): t is string => typeof t === 'string'));
  return undefined;
}
