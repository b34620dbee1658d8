/**
 * Random valid AsyncAPI 3.0 documents whose names and text come from a hostile alphabet. The
 * structure is drawn with indices (which channel an operation uses, which component a `$ref`
 * points at) and resolved in `.map`, never with `chain`, so fast-check shrinks failures well.
 */
import fc from 'fast-check';

/** Text that breaks out of comments, string literals or template literals when pasted unescaped. */
export const PAYLOADS = [
  '*/ globalThis.__pwned = 1; /*',
  "'); globalThis.__pwned=1; ('",
  '"); globalThis.__pwned=1; ("',
  '`; globalThis.__pwned=1; `',
  '${globalThis.__pwned=1}',
  '\\',
  '\\u0022',
  '\u2028',
  '\u2029',
  '\r\n',
  '</script>',
  '__proto__',
  'hasOwnProperty',
  '@ts-ignore',
  '// @ts-nocheck',
];

const hostileText = fc.oneof(
  fc.constantFrom(...PAYLOADS),
  fc.array(fc.oneof(fc.constantFrom(...PAYLOADS), fc.string({ unit: 'grapheme', maxLength: 6 })), { maxLength: 4 }).map((p) => p.join(' ')),
);

/**
 * Names that are hard to turn into identifiers. `__proto__` and `hasOwnProperty` are never keys
 * (@asyncapi/parser 3.6.3 rejects them); `constructor` and `prototype` are never keys that a
 * `$ref` passes through, since the parser then leaves the `$ref` unresolved without a word.
 */
const RESERVED = ['class', 'delete', 'default', 'enum', 'new', 'await', 'yield', 'let', 'static', 'void', 'null', 'true', 'in', 'of', 'type', 'interface'];
const PROTOTYPE = ['toString', 'valueOf', 'then', 'isPrototypeOf', 'toLocaleString', '__defineGetter__', 'propertyIsEnumerable'];
const GLOBALS = ['Date', 'Promise', 'Error', 'Transport', 'MemoryTransport', 'Handler', 'checkWith', 'channels', 'acceptAnything'];
const COLLIDING = ['user-created', 'user_created', 'userCreated', 'UserCreated', 'user.created', 'user created', 'USER_CREATED'];
const FRAGMENTS = ['user', 'Created', 'a', 'x', '1', '9', '-', '_', '.', ' ', 'ü', 'Ω', 'ж', '中', 'ǅ', 'ﬁ', '²', '٣', '$', "'", '"', '`', '\\', '%', '~', '/', '*', '@'];
const BAD_KEYS = new Set(['__proto__', 'hasOwnProperty', 'constructor', 'prototype', '$ref']);

const NAME_ONLY = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...RESERVED, ...PROTOTYPE, ...GLOBALS, ...COLLIDING) },
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 5 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 5 }) },
);

/** An id or key; `forbid` lists characters the place it appears cannot hold. */
function nameArb(forbid = ''): fc.Arbitrary<string> {
  return NAME_ONLY.map((n) => [...n].filter((c) => !forbid.includes(c)).join('')).filter((n) => n.trim() !== '' && !BAD_KEYS.has(n));
}

/** Channel ids and addresses may hold neither a query nor a fragment; parameters no braces. */
const channelName = nameArb('#?');
const paramName = nameArb('#?{}/');
const keyName = nameArb('');

function uniqueNames(arb: fc.Arbitrary<string>, min: number, max: number): fc.Arbitrary<string[]> {
  return fc.uniqueArray(arb, { minLength: min, maxLength: max });
}

/** A JSON pointer segment inside a `$ref` (RFC 6901 escaping). */
export function pointer(...segments: string[]): string {
  return `#/${segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: Json };

/** A schema drawn before component names are known: `ref` nodes hold an index, resolved later. */
type Draft = { node: 'ref'; index: number } | { node: 'schema'; schema: Schema; children: Array<[string, Draft]>; kind: string };

const number = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -1, 1e21, 2 ** 53));
const enumValue: fc.Arbitrary<Json> = fc.oneof(hostileText, number, fc.boolean(), fc.constant(null));
const docs = fc.record({ description: hostileText, title: hostileText, examples: fc.array(enumValue, { maxLength: 2 }) }, { requiredKeys: [] });
const FORMATS = ['date-time', 'email', 'uuid', 'uri', 'password', 'int64', 'x-custom*/'];

const leaf = fc.oneof(
  fc.record(
    { type: fc.constant('string'), format: fc.constantFrom(...FORMATS), default: hostileText, pattern: fc.constantFrom('^[a-z]+$', '\\d{3}', '/\\*', '`\\$\\{x\\}`') },
    { requiredKeys: ['type'] },
  ),
  fc.record({ type: fc.constantFrom('integer', 'number'), minimum: fc.integer({ min: -5, max: 5 }) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constantFrom('boolean', 'null') }),
  fc.record({ type: fc.constant('string'), enum: fc.uniqueArray(hostileText, { minLength: 1, maxLength: 4 }) }),
  fc.record({ enum: fc.uniqueArray(enumValue, { minLength: 1, maxLength: 5, selector: (v) => JSON.stringify(v) }) }),
  fc.record({ type: fc.constant(['string', 'null']), enum: fc.uniqueArray(fc.oneof(hostileText, fc.constant(null)), { minLength: 1, maxLength: 3 }) }),
  fc.record({ const: enumValue }),
);

const leafDraft = fc.tuple(leaf, docs).map(([schema, d]): Draft => ({ node: 'schema', schema: { ...d, ...schema } as Schema, children: [], kind: 'leaf' }));

/** Depth-bounded schemas: objects with hostile keys, arrays, oneOf/anyOf/allOf and refs. */
const { schema: schemaArb } = fc.letrec<{ schema: Draft }>((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafDraft,
    fc.record({ node: fc.constant('ref' as const), index: fc.nat(9) }),
    fc
      .record({
        keys: uniqueNames(keyName, 0, 4),
        values: fc.array(tie('schema'), { minLength: 4, maxLength: 4 }),
        required: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        extra: fc.constantFrom(undefined, true, false),
        d: docs,
      })
      .map(({ keys, values, required, extra, d }): Draft => {
        const schema: Schema = { type: 'object', ...d };
        const req = keys.filter((_, i) => required[i]);
        if (req.length > 0) schema.required = req;
        if (extra !== undefined) schema.additionalProperties = extra;
        return { node: 'schema', schema, kind: 'object', children: keys.map((k, i): [string, Draft] => [`properties/${k}`, values[i] ?? { node: 'ref', index: 0 }]) };
      }),
    fc.record({ items: tie('schema'), d: docs }).map(({ items, d }): Draft => ({ node: 'schema', schema: { type: 'array', ...d }, kind: 'array', children: [['items', items]] })),
    fc
      .record({ of: fc.constantFrom('oneOf', 'anyOf', 'allOf'), parts: fc.array(tie('schema'), { minLength: 1, maxLength: 3 }) })
      .map(({ of, parts }): Draft => ({ node: 'schema', schema: {}, kind: of, children: parts.map((p, i): [string, Draft] => [`${of}/${i}`, p]) })),
  ),
}));

/** Turns a draft into JSON, pointing `ref` nodes at a component schema (or inlining a string). */
function resolveSchema(draft: Draft, components: readonly string[]): Schema {
  if (draft.node === 'ref') {
    const target = components[draft.index % Math.max(components.length, 1)];
    return target === undefined ? { type: 'string' } : { $ref: pointer('components', 'schemas', target) };
  }
  const out: Schema = { ...draft.schema };
  for (const [where, child] of draft.children) {
    const [keyword, key] = where.split(/\/(.*)/s) as [string, string];
    const value = resolveSchema(child, components);
    if (keyword === 'items') out.items = value;
    else if (keyword === 'properties') out.properties = { ...(out.properties as Schema | undefined), [key]: value };
    else out[keyword] = [...((out[keyword] as Json[] | undefined) ?? []), value];
  }
  return out;
}

const headersArb = fc
  .record({ keys: uniqueNames(keyName, 1, 3), types: fc.array(fc.constantFrom('string', 'integer', 'boolean'), { minLength: 3, maxLength: 3 }), d: docs })
  .map(({ keys, types, d }): Schema => ({ type: 'object', ...d, properties: Object.fromEntries(keys.map((k, i) => [k, { type: types[i] ?? 'string' }])) }));

const messageArb = fc.record(
  {
    name: hostileText,
    title: hostileText,
    summary: hostileText,
    description: hostileText,
    contentType: fc.constantFrom('application/json', 'application/cloudevents+json', 'text/json'),
    payload: schemaArb,
    headers: headersArb,
    examples: fc.array(enumValue, { maxLength: 2 }),
  },
  { requiredKeys: [] },
);
type MessageDraft = typeof messageArb extends fc.Arbitrary<infer T> ? T : never;

function resolveMessage(m: MessageDraft, components: readonly string[]): Schema {
  const { payload, examples, ...rest } = m;
  const out: Schema = { ...rest };
  if (payload) out.payload = resolveSchema(payload, components);
  if (examples && examples.length > 0) out.examples = examples.map((e) => ({ payload: e }));
  return out;
}

/** Address pieces: literal segments from the hostile alphabet, or a parameter. */
const segment = fc.oneof(
  channelName.map((s) => ({ literal: s.replace(/[{}]/g, '') })),
  paramName.map((p) => ({ param: p })),
);
const parameterArb = fc.record(
  { description: hostileText, enum: fc.uniqueArray(hostileText, { minLength: 1, maxLength: 3 }), useDefault: fc.boolean(), examples: fc.array(hostileText, { maxLength: 2 }) },
  { requiredKeys: [] },
);

const channelArb = fc.record({
  address: fc.oneof({ weight: 4, arbitrary: fc.array(segment, { minLength: 1, maxLength: 4 }) }, { weight: 1, arbitrary: fc.constantFrom(null, undefined) }),
  separator: fc.constantFrom('/', '.'),
  parameters: fc.array(parameterArb, { minLength: 4, maxLength: 4 }),
  messageKeys: uniqueNames(channelName, 0, 3),
  /** Per message: an index into components.messages, or an inline message. */
  messages: fc.array(fc.oneof(fc.nat(9), messageArb), { minLength: 3, maxLength: 3 }),
  d: fc.record({ title: hostileText, summary: hostileText, description: hostileText }, { requiredKeys: [] }),
});

const operationArb = fc.record({
  action: fc.constantFrom('send', 'receive'),
  channel: fc.nat(9),
  /** undefined: all messages of the channel; else indices into them (may be empty). */
  messages: fc.option(fc.uniqueArray(fc.nat(2), { maxLength: 3 }), { nil: undefined }),
  d: fc.record({ title: hostileText, summary: hostileText, description: hostileText }, { requiredKeys: [] }),
});

export const documentArb = fc
  .record({
    title: fc.oneof(hostileText, keyName),
    description: hostileText,
    schemaNames: uniqueNames(channelName, 0, 3),
    schemas: fc.array(schemaArb, { minLength: 3, maxLength: 3 }),
    messageNames: uniqueNames(channelName, 0, 3),
    messages: fc.array(messageArb, { minLength: 3, maxLength: 3 }),
    channelIds: uniqueNames(channelName, 1, 4),
    channels: fc.array(channelArb, { minLength: 4, maxLength: 4 }),
    operationIds: uniqueNames(channelName, 0, 4),
    operations: fc.array(operationArb, { minLength: 4, maxLength: 4 }),
  })
  .map((g) => {
    // A component refers only to earlier ones: no `A = B = A` loops without a shape (recursion has its own fixture).
    const schemas = Object.fromEntries(g.schemaNames.map((n, i) => [n, resolveSchema(g.schemas[i] ?? { node: 'ref', index: 0 }, g.schemaNames.slice(0, i))]));
    const messages = Object.fromEntries(g.messageNames.map((n, i) => [n, resolveMessage(g.messages[i] ?? {}, g.schemaNames)]));
    const channelMessageKeys: string[][] = [];
    const channels = Object.fromEntries(
      g.channelIds.map((id, i) => {
        const c = g.channels[i] ?? g.channels[0];
        if (!c) throw new Error('unreachable');
        const channel: Schema = { ...c.d };
        const params = [...new Set((c.address ?? []).flatMap((s) => ('param' in s ? [s.param] : [])))];
        if (c.address) channel.address = c.address.map((s) => ('param' in s ? `{${s.param}}` : s.literal)).join(c.separator);
        else if (c.address === null) channel.address = null;
        if (params.length > 0) {
          channel.parameters = Object.fromEntries(
            params.map((p, j) => {
              const { useDefault, ...raw } = c.parameters[j] ?? {};
              return [p, useDefault && raw.enum ? { ...raw, default: raw.enum[0] ?? '' } : raw];
            }),
          );
        }
        const keys = c.messageKeys;
        channelMessageKeys.push(keys);
        channel.messages = Object.fromEntries(
          keys.map((k, j) => {
            const m = c.messages[j] ?? {};
            const target = typeof m === 'number' ? g.messageNames[m % Math.max(g.messageNames.length, 1)] : undefined;
            return [k, target !== undefined ? { $ref: pointer('components', 'messages', target) } : resolveMessage(typeof m === 'number' ? {} : m, g.schemaNames)];
          }),
        );
        return [id, channel];
      }),
    );
    const operations = Object.fromEntries(
      g.operationIds.map((id, i) => {
        const o = g.operations[i] ?? g.operations[0];
        if (!o) throw new Error('unreachable');
        const c = o.channel % g.channelIds.length;
        const channelId = g.channelIds[c] ?? '';
        const keys = channelMessageKeys[c] ?? [];
        const op: Schema = { action: o.action, channel: { $ref: pointer('channels', channelId) }, ...o.d };
        if (o.messages) op.messages = [...new Set(o.messages.flatMap((j) => (keys[j] === undefined ? [] : [keys[j]])))].map((k) => ({ $ref: pointer('channels', channelId, 'messages', k) }));
        return [id, op];
      }),
    );
    const components: Schema = {};
    if (g.schemaNames.length > 0) components.schemas = schemas;
    if (g.messageNames.length > 0) components.messages = messages;
    return {
      asyncapi: '3.0.0',
      info: { title: g.title, version: '1.0.0', description: g.description },
      channels,
      operations,
      ...(Object.keys(components).length > 0 ? { components } : {}),
    } as Schema;
  });
