/**
 * Checks specs/iam-client-events.asyncapi.yaml field by field against the page it
 * was written from: the rendered AccelByte documentation "IAM Service Client Events
 * 0.1.0" (seed 003_ff37c0d86e4063ab), which sits beside the repo checkout.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Parser } from '@asyncapi/parser';
import { Ajv } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { describe, it, expect } from 'vitest';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = Record<string, unknown>;

// ---------------------------------------------------------------------------
// The documentation page
// ---------------------------------------------------------------------------

const seedUrl = new URL('../../shared/seeds/003_ff37c0d86e4063ab.txt', import.meta.url);
if (!existsSync(seedUrl)) {
  throw new Error(`IAM documentation seed not found at ${fileURLToPath(seedUrl)}; ` + 'the shared/ folder is expected beside the repository checkout.');
}
const lines = readFileSync(seedUrl, 'utf8')
  .split(/\r?\n/)
  .map((l) => l.trimEnd());

interface Row {
  name: string;
  type: string;
  /** undefined when the page says "-" */
  description: string | undefined;
}

interface DocMessage {
  name: string;
  group: string;
  description: string;
  example: Json;
  /** tables after the example, keyed by their heading ("payload", "payload.client") */
  tables: Map<string, Row[]>;
}

const SCHEMA_TYPES = ['string (date-time)', 'string', 'integer', 'boolean', 'array', 'object'];
const PAYLOAD_TYPES = ['array<permissions>', 'clientThirdParty', 'client', ...SCHEMA_TYPES];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Rows are "name", "type" and "description" glued together: `clientIdstringclient id`. */
function parseRow(line: string, types: string[]): Row {
  const m = new RegExp(`^([A-Za-z_]\\w*?)(${types.map(escape).join('|')})(.+)$`).exec(line);
  if (!m) throw new Error(`cannot parse table row: ${JSON.stringify(line)}`);
  const [, name = '', type = '', description = ''] = m;
  return { name, type, description: description === '-' ? undefined : description };
}

/** Tables in lines[from, to): the heading is the non-empty line before "NameTypeDescription". */
function tablesIn(from: number, to: number, types: string[]): Map<string, Row[]> {
  const tables = new Map<string, Row[]>();
  for (let i = from; i < to; i++) {
    if (lines[i] !== 'NameTypeDescription') continue;
    let h = i - 1;
    while (h >= from && !lines[h]) h--;
    const heading = lines[h] ?? '';
    const rows: Row[] = [];
    // a table ends at a blank line or where the next table's heading starts
    for (let j = i + 1; j < to && lines[j] && lines[j + 1] !== 'NameTypeDescription'; j++) {
      rows.push(parseRow(lines[j] ?? '', types));
    }
    tables.set(heading, rows);
  }
  return tables;
}

const schemasAt = lines.indexOf('Schemas');
const exampleAts = lines.flatMap((l, i) => (l === 'Example value' ? [i] : []));

const docMessages: DocMessage[] = exampleAts.map((at, k) => {
  const before = lines.slice(0, at).filter((l) => l !== '');
  const description = before.at(-1) ?? '';
  const name = before.at(-2) ?? '';
  const group = /^Published Messages \((\w+)\)$/.exec(before.filter((l) => l.startsWith('Published Messages (')).at(-1) ?? '')?.[1];
  const end = lines.indexOf('payload', at);
  if (!/^\w+$/.test(name) || !group || end < 0) throw new Error(`unexpected page layout near line ${at + 1}`);
  const next = exampleAts[k + 1] ?? schemasAt;
  return {
    name,
    group,
    description,
    example: JSON.parse(lines.slice(at + 1, end).join('\n')) as Json,
    tables: tablesIn(end, next, PAYLOAD_TYPES),
  };
});

const docSchemas = tablesIn(schemasAt, lines.length, SCHEMA_TYPES);

// ---------------------------------------------------------------------------
// The spec
// ---------------------------------------------------------------------------

const specText = readFileSync(new URL('../specs/iam-client-events.asyncapi.yaml', import.meta.url), 'utf8');
const { document, diagnostics } = await new Parser().parse(specText);
if (!document) throw new Error(`spec did not parse: ${JSON.stringify(diagnostics, null, 2)}`);
const spec = document.json() as unknown as {
  channels: Record<string, { address: string; messages: Record<string, Schema> }>;
  operations: Record<string, { action: string; summary: string; channel: Schema; messages: Schema[] }>;
  components: {
    messages: Record<string, { name: string; description: string; payload: Schema; examples: { name: string; payload: Json }[] }>;
    schemas: Record<string, Schema>;
  };
};

const messageNames = [
  'clientCreated',
  'clientDeleted',
  'clientUpdated',
  'clientThirdPartyCreated',
  'clientThirdPartyDeleted',
  'clientThirdPartyUpdated',
  'clientPermissionCreated',
  'clientPermissionDeleted',
  'clientPermissionUpdated',
];

function specMessage(name: string) {
  const m = spec.components.messages[name];
  if (!m) throw new Error(`message ${name} missing from spec`);
  return m;
}

function props(s: Schema | undefined): Record<string, Schema> {
  return (s?.properties as Record<string, Schema> | undefined) ?? {};
}

/** A schema together with every schema reachable from it through allOf. */
function branches(s: Schema): Schema[] {
  return [s, ...((s.allOf as Schema[] | undefined) ?? []).flatMap(branches)];
}

/** The schemas that describe the value found at `path` (object keys or array indices). */
function schemasAtPath(root: Schema, path: (string | number)[]): Schema[] {
  let current = [root];
  for (const key of path) {
    current = current.flatMap(branches).flatMap((s) => {
      const next = typeof key === 'number' ? s.items : props(s)[key];
      return next ? [next as Schema] : [];
    });
  }
  return current;
}

function declaredTypes(schemas: Schema[]): unknown[] {
  return [...new Set(schemas.flatMap(branches).flatMap((s) => (s.type === undefined ? [] : [s.type])))];
}

function jsonType(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Every leaf and inner key path of a JSON value, with the value found there. */
function keyPaths(v: Json, path: (string | number)[] = []): [(string | number)[], Json][] {
  const here: [(string | number)[], Json][] = path.length ? [[path, v]] : [];
  if (Array.isArray(v)) return [...here, ...v.flatMap((item, i) => keyPaths(item, [...path, i]))];
  if (v !== null && typeof v === 'object') {
    return [...here, ...Object.entries(v).flatMap(([k, item]) => keyPaths(item, [...path, k]))];
  }
  return here;
}

const showPath = (p: (string | number)[]) =>
  p
    .map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`))
    .join('')
    .slice(1);

// ajv-formats is CommonJS: under NodeNext the default import is module.exports
const addFormats: FormatsPlugin = (addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin);
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

describe('IAM client events documentation page (seed)', () => {
  it('yields the 9 messages in the 3 groups and the 4 schema tables', () => {
    expect(docMessages.map((m) => m.name)).toEqual(messageNames);
    expect([...new Set(docMessages.map((m) => m.group))]).toEqual(['client', 'clientThirdParty', 'clientPermissions']);
    expect([...docSchemas.keys()]).toEqual(['client', 'permissions', 'clientThirdParty', 'event']);
  });
});

describe('specs/iam-client-events.asyncapi.yaml', () => {
  it('parses without error diagnostics', () => {
    expect(diagnostics.filter((d) => d.severity === 0)).toEqual([]);
    expect(document.info().title()).toBe('IAM Service Client Events');
    expect(document.info().version()).toBe('0.1.0');
    expect(document.defaultContentType()).toBe('application/json');
  });

  it('has exactly the documented messages', () => {
    expect(Object.keys(spec.components.messages)).toEqual(messageNames);
  });

  describe('messages', () => {
    it.each(docMessages.map((m) => [m.name, m] as const))('%s: name, description, channel and send operation', (name, doc) => {
      const msg = specMessage(name);
      expect(msg.name).toBe(name);
      expect(msg.description).toBe(doc.description);
      const channel = spec.channels[doc.group];
      expect(channel?.address).toBe(doc.group);
      expect(channel?.messages[name]?.name).toBe(name);
      const op = spec.operations[name];
      expect(op?.action).toBe('send');
      expect(op?.summary).toBe(doc.description);
      expect(op?.channel.address).toBe(doc.group);
      expect(op?.messages.map((m) => m.name)).toEqual([name]);
    });

    it.each(docMessages.map((m) => [m.name, m] as const))('%s: examples[0] is the doc example verbatim', (name, doc) => {
      const msg = specMessage(name);
      expect(msg.examples).toHaveLength(1);
      expect(msg.examples[0]?.name).toBe(name);
      expect(msg.examples[0]?.payload).toEqual(doc.example);
    });

    it.each(docMessages.map((m) => [m.name, m] as const))('%s: every key path of the doc example is in the payload schema with its type', (name, doc) => {
      const payload = specMessage(name).payload;
      const found = keyPaths(doc.example).map(([path]) => {
        const types = declaredTypes(schemasAtPath(payload, path));
        return [showPath(path), types.length === 1 ? types[0] : types];
      });
      const expected = keyPaths(doc.example).map(([path, value]) => [showPath(path), jsonType(value)]);
      expect(found).toEqual(expected);
    });

    it.each(docMessages.map((m) => [m.name, m] as const))('%s: payload properties match the doc payload table', (name, doc) => {
      const table = doc.tables.get('payload');
      expect(table, 'payload table').toBeDefined();
      const inner = schemasAtPath(specMessage(name).payload, ['payload']);
      expect(inner).toHaveLength(1);
      const innerProps = props(inner[0]);
      expect(Object.keys(innerProps)).toEqual(table?.map((r) => r.name));
      for (const row of table ?? []) {
        const s = innerProps[row.name] as Schema;
        expect(s.description, `${row.name} description`).toBe(row.description);
        if (row.type === 'client' || row.type === 'clientThirdParty') {
          expect(s, row.name).toEqual(spec.components.schemas[row.type]);
        } else if (row.type === 'array<permissions>') {
          expect(s.type).toBe('array');
          expect(s.items).toEqual(spec.components.schemas.permissions);
        } else {
          expect(row.type).toBe('object');
          // the doc expands this object in its own "payload.<name>" table
          const sub = doc.tables.get(`payload.${row.name}`) ?? [];
          expect(sub.length).toBeGreaterThan(0);
          expect(declaredTypes([s])).toEqual(['object']);
          const subProps = Object.assign({}, ...branches(s).map(props)) as Record<string, Schema>;
          expect(Object.keys(subProps)).toEqual(sub.map((r) => r.name));
          for (const r of sub) {
            expect([r.name, subProps[r.name]?.type, subProps[r.name]?.description]).toEqual([r.name, r.type, r.description]);
          }
        }
      }
    });

    it.each(messageNames)('%s: envelope name is a const equal to the message key', (name) => {
      const consts = schemasAtPath(specMessage(name).payload, ['name']).flatMap((s) => ('const' in s ? [s.const] : []));
      expect(consts).toEqual([name]);
    });

    // The page's examples are generator placeholders: every string is "string" and
    // every integer is 0. Two of those placeholders contradict the page itself: the
    // envelope `name` (routed by its const) and `SchedAction` ("between 1 to 15").
    // The examples stay verbatim; the schema must reject exactly those placeholders
    // and accept the example once they carry real values.
    const placeholderErrors = (name: string) => ['/name const', ...(name.startsWith('clientPermission') ? ['/payload/permissions/0/SchedAction minimum'] : [])];
    const realistic = (name: string, example: Json): Json => {
      const copy = structuredClone(example) as { name: string; payload: { permissions?: { SchedAction: number }[] } };
      copy.name = name;
      for (const p of copy.payload.permissions ?? []) p.SchedAction = 1;
      return copy as unknown as Json;
    };

    it.each(docMessages.map((m) => [m.name, m] as const))('%s: payload schema validates the doc example (placeholders filled in)', (name, doc) => {
      const validate = ajv.compile(specMessage(name).payload);
      expect(validate(realistic(name, doc.example)), ajv.errorsText(validate.errors)).toBe(true);
      expect(validate(doc.example)).toBe(false);
      expect((validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`).sort()).toEqual(placeholderErrors(name).sort());
    });

    it.each(messageNames.map((n) => [n, n === 'clientThirdPartyUpdated'] as const))('%s: deprecated is %s', (name, deprecated) => {
      const msg = specMessage(name);
      expect(msg.payload.deprecated === true).toBe(deprecated);
      expect(msg.description.startsWith('Deprecated.')).toBe(deprecated);
    });
  });

  describe('component schemas', () => {
    it.each([...docSchemas.keys()])('%s: has exactly the documented properties, in order', (schemaName) => {
      const schema = spec.components.schemas[schemaName];
      expect(schema?.type).toBe('object');
      expect(Object.keys(props(schema))).toEqual(docSchemas.get(schemaName)?.map((r) => r.name));
    });

    const rows = [...docSchemas].flatMap(([schemaName, rs]) => rs.map((r) => [`${schemaName}.${r.name}`, r.type, r.description ?? '-', schemaName, r] as const));
    it.each(rows)('%s: %s, %s', (_label, _type, _desc, schemaName, row) => {
      const p = props(spec.components.schemas[schemaName])[row.name];
      expect(p, `${schemaName}.${row.name}`).toBeDefined();
      const [type, format] = row.type === 'string (date-time)' ? ['string', 'date-time'] : [row.type, undefined];
      expect(p?.type).toBe(type);
      expect(p?.format).toBe(format);
      expect(p?.description).toBe(row.description);
      if (type === 'array') expect(p?.items).toEqual({ type: 'string', 'x-parser-schema-id': expect.any(String) });
    });

    // permissions' example carries the page's placeholder SchedAction 0 (see above)
    it.each([
      ['client', true],
      ['permissions', false],
      ['clientThirdParty', true],
      ['event', true],
    ] as const)('%s: its doc example validates against it: %s', (schemaName, valid) => {
      const schema = spec.components.schemas[schemaName] as Schema;
      const examples = (schema.examples as Json[] | undefined) ?? [];
      expect(examples).toHaveLength(1);
      const validate = ajv.compile(schema);
      expect(validate(examples[0]), ajv.errorsText(validate.errors)).toBe(valid);
      if (!valid) expect(validate.errors?.map((e) => `${e.instancePath} ${e.keyword}`)).toEqual(['/SchedAction minimum']);
    });

    it('keeps the page spelling of permissions.resoure', () => {
      expect(docSchemas.get('permissions')?.[0]).toEqual({ name: 'resoure', type: 'string', description: 'resource' });
      expect(Object.keys(props(spec.components.schemas.permissions))).toContain('resoure');
      expect(Object.keys(props(spec.components.schemas.permissions))).not.toContain('resource');
    });

    it('bounds SchedAction as the page says ("between 1 to 15")', () => {
      const p = props(spec.components.schemas.permissions).SchedAction;
      expect([p?.minimum, p?.maximum]).toEqual([1, 15]);
    });

    it.each(['client', 'clientThirdParty'])('%s.secret is marked x-sensitive', (schemaName) => {
      expect(props(spec.components.schemas[schemaName]).secret?.['x-sensitive']).toBe(true);
    });
  });
});
