/**
 * Types and validators agree. For every fixture and message, the values the compiled validator
 * accepts (the message's examples, the client's own sample, values made up with every optional
 * field) are written into a .ts file as `const x: Model = <json>;`, and the whole batch must
 * compile under the strictest settings in one tsc run. Beside them, values the validator always
 * rejects must not type-check (`@ts-expect-error`, which fails the run when the error is missing).
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateSync, type JsonSchema as FakerSchema } from 'json-schema-faker';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSet } from '../src/emit/write.js';
import { generateFiles } from '../src/generate.js';
import type { IrMessage, IrSpec } from '../src/ir/types.js';
import { sampler } from '../src/samples/index.js';
import { FIXTURES_DIR, OUT, PUBLIC_DIR, ROOT, SEED_SPECS } from './support/specs.js';
import { STRICT } from './support/strict.js';

const run = promisify(execFile);
const DIR = path.join(OUT, 'differential');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** Examples the spec gives that its own schema rejects: left out, by spec and message, with the reason. */
const REJECTED_EXAMPLES: ReadonlyArray<readonly [spec: string, message: string, reason: string]> = [
  ...[
    'clientCreated',
    'clientDeleted',
    'clientPermissionCreated',
    'clientPermissionDeleted',
    'clientPermissionUpdated',
    'clientThirdPartyCreated',
    'clientThirdPartyDeleted',
    'clientThirdPartyUpdated',
    'clientUpdated',
  ].map((m) => ['iam-client-events', m, "the examples are placeholders: their `name` is not the event's const"] as const),
  // Twice each: the message has two examples, and both fail.
  ...['public-spec-kraken-message-filter-in-reply', 'public-spec-kraken-multiple-channels'].flatMap((spec) =>
    [1, 2].map(
      () => [spec, 'subscriptionStatus', "the spec's examples give `pair` as a string where the schema says array, a `status` outside its enum, and one lacks the required `errorMessage`"] as const,
    ),
  ),
];

/**
 * Types whose values TypeScript cannot write as literals, though the validator accepts them: an
 * optional field named like an `Object.prototype` member (`toString?: string`) is present on
 * every object as the method, so a literal without it does not type-check.
 */
const PROTOTYPE_NAMED_FIELDS: ReadonlyArray<readonly [spec: string, type: string]> = [
  ['hostile', 'Prototype'],
  ['reserved', 'ReservedWords'],
];

/** Values the validator always rejects, which the models must not accept either. */
const MUST_NOT_TYPE_CHECK: ReadonlyArray<readonly [name: string, { spec: string; type: string; value: string }]> = [
  ['a value outside an enum', { spec: 'type-shapes', type: 'ShapeRemoved', value: `{ kind: 'removed', id: 's-1', reason: 'lost' }` }],
  ['a missing required field of the message', { spec: 'type-shapes', type: 'ShapeRemoved', value: `{ kind: 'removed', id: 's-1' }` }],
  ['a missing required field of the envelope it extends', { spec: 'type-shapes', type: 'ShapeRemoved', value: `{ kind: 'removed', reason: 'expired' }` }],
  ["another event's const over the envelope's string", { spec: 'type-shapes', type: 'ShapeRemoved', value: `{ kind: 'reported', id: 's-1', reason: 'expired' }` }],
  ['a map value of the wrong type beside named fields', { spec: 'type-shapes', type: 'ShapeReportedLabels', value: `{ primary: 'red', extra: 1 }` }],
  ['a closed tuple with one item too many', { spec: 'type-shapes', type: 'ShapeReported', value: `{ kind: 'reported', id: 's', labels: {}, point: [1, 2, 3] }` }],
  ['a closed tuple with one item too few (minItems)', { spec: 'type-shapes', type: 'ShapeReported', value: `{ kind: 'reported', id: 's', labels: {}, point: [1] }` }],
  ['an object where the schema says string, object keywords or not', { spec: 'type-shapes', type: 'ShapeReported', value: `{ kind: 'reported', id: 's', labels: {}, code: { ignored: 1 } }` }],
  ['a subtype field of the wrong type', { spec: 'polymorphism', type: 'Dog', value: `{ type: 'Dog', bark: 'x' }` }],
  ["a pet without the parent's required field", { spec: 'polymorphism', type: 'Pet', value: `{ bark: true }` }],
  ['a cat without its own required field', { spec: 'polymorphism', type: 'Cat', value: `{ type: 'Cat' }` }],
  ['a nullable enum value outside it', { spec: 'enums', type: 'Resolution', value: `'later'` }],
  ['a number outside an integer enum', { spec: 'enums', type: 'Priority', value: `4` }],
];

type Validate = (value: unknown) => boolean;

interface Row {
  readonly spec: string;
  readonly message: string;
  readonly type: string;
  readonly source: string;
  readonly value: unknown;
}

async function specsIn(dir: string, prefix: string): Promise<Array<[string, string]>> {
  const files = (await readdir(dir)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  return files.map((f): [string, string] => [`${prefix}${f.replace(/\..*$/, '')}`, path.join(dir, f)]);
}

/** Values with every optional field filled, which the client's own samples leave out. */
function fullValues(definition: string, spec: IrSpec): unknown[] {
  const definitions = Object.fromEntries(spec.schemas.definitions);
  const out: unknown[] = [];
  for (const seed of [1, 2]) {
    try {
      out.push(
        generateSync({ $ref: `#/definitions/${definition}`, definitions } as FakerSchema, {
          seed,
          alwaysFakeOptionals: true,
          optionalsProbability: 1,
          maxDefaultItems: 2,
          maxDepth: 4,
          refResolver: (ref) => definitions[ref.replace('#/definitions/', '')] as FakerSchema,
        }),
      );
    } catch {
      // an unsatisfiable branch; the examples and the sample still stand
    }
  }
  return out;
}

/**
 * A made-up value with only the fields its schema declares. TypeScript's excess property check
 * refuses undeclared fields in a literal (structural typing accepts them anywhere else), and the
 * faker adds some where `additionalProperties` is left open; the examples are kept as written.
 */
function declaredOnly(value: unknown, schema: unknown, definitions: ReadonlyMap<string, unknown>, depth = 0): unknown {
  const parts: Array<Record<string, unknown>> = [];
  const collect = (s: unknown, d: number): void => {
    if (typeof s !== 'object' || s === null || Array.isArray(s) || d > 20) return;
    const o = s as Record<string, unknown>;
    if (typeof o.$ref === 'string') collect(definitions.get(o.$ref.replace('#/definitions/', '')), d + 1);
    parts.push(o);
    for (const k of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(o[k])) for (const m of o[k] as unknown[]) collect(m, d + 1);
  };
  collect(schema, 0);
  if (depth > 20) return value;
  if (Array.isArray(value)) {
    return value.map((item, i) => {
      const itemSchemas = parts.map((p) => (Array.isArray(p.items) ? (p.items[i] ?? p.additionalItems) : p.items)).filter((x) => x !== undefined);
      return declaredOnly(item, { anyOf: itemSchemas }, definitions, depth + 1);
    });
  }
  if (typeof value !== 'object' || value === null) return value;
  const open = parts.some((p) => (p.additionalProperties !== undefined && p.additionalProperties !== false) || p.patternProperties !== undefined);
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const fieldSchemas = parts.flatMap((p) => (typeof p.properties === 'object' && p.properties !== null && key in p.properties ? [(p.properties as Record<string, unknown>)[key]] : []));
    if (fieldSchemas.length === 0 && !open) continue;
    out[key] = declaredOnly(field, { anyOf: fieldSchemas }, definitions, depth + 1);
  }
  return out;
}

const rows: Row[] = [];
const rejected: Array<readonly [string, string]> = [];
const names: string[] = [];
/** The compiled validators of each spec, by export name. */
const compiled = new Map<string, Record<string, Validate>>();

beforeAll(async () => {
  await rm(DIR, { recursive: true, force: true });
  const specs = [
    ...SEED_SPECS.map(([name, spec]): [string, string] => [name, path.join(ROOT, spec)]),
    ...(await specsIn(FIXTURES_DIR, '')),
    ...(await specsIn(PUBLIC_DIR, 'public-')),
    ...(await specsIn(path.join(ROOT, 'test', 'fixtures', 'springwolf'), 'springwolf-')),
  ];
  for (const [name, file] of specs) {
    const { ir, files } = await generateFiles(file);
    names.push(name);
    const out = path.join(DIR, 'src', name);
    await writeFileSet(out, files);
    const validators = (await import(path.join(out, 'validators.ts'))) as Record<string, Validate>;
    compiled.set(name, validators);
    const samples = sampler(ir);
    const add = (m: IrMessage, part: 'payload' | 'headers', source: string, value: unknown): void => {
      const type = m[part];
      const validator = part === 'payload' ? m.payloadValidator : m.headersValidator;
      const validate = validator === undefined ? undefined : validators[validator];
      if (type === undefined || validate === undefined || value === undefined) return;
      if (PROTOTYPE_NAMED_FIELDS.some(([s, t]) => s === name && t === type)) return;
      const written = !source.startsWith('example') ? declaredOnly(value, { $ref: `#/definitions/${type}` }, ir.schemas.definitions) : value;
      if (validate(written)) rows.push({ spec: name, message: m.id, type, source, value: written });
      else if (source.startsWith('example')) rejected.push([name, m.id]);
    };
    for (const m of ir.messages) {
      m.examples.forEach((e, i) => add(m, 'payload', `example ${i + 1}`, e));
      try {
        add(m, 'payload', 'sample', samples.payload(m));
        add(m, 'headers', 'sample', samples.headers(m));
      } catch {
        // no valid sample: the examples and the full values below still stand
      }
      if (m.payload) fullValues(m.payload, ir).forEach((v, i) => add(m, 'payload', `full value ${i + 1}`, v));
      if (m.headers) fullValues(m.headers, ir).forEach((v, i) => add(m, 'headers', `full value ${i + 1}`, v));
    }
  }
}, 600_000);

/** One file per spec beside its models: every accepted value, typed with its model. */
function valuesFile(spec: string): string {
  const mine = rows.filter((r) => r.spec === spec);
  const types = [...new Set(mine.map((r) => r.type))].sort();
  const lines = mine.map((r, i) => `// ${JSON.stringify(r.message)}, ${r.source}\nexport const value${i}: ${r.type} = ${JSON.stringify(r.value)};`);
  return `${types.length > 0 ? `import type { ${types.join(', ')} } from './models.js';\n\n` : ''}${lines.join('\n')}\nexport {};\n`;
}

function negativeFile(spec: string): string | undefined {
  const mine = MUST_NOT_TYPE_CHECK.filter(([, c]) => c.spec === spec);
  if (mine.length === 0) return undefined;
  const types = [...new Set(mine.map(([, c]) => c.type))].sort();
  const lines = mine.map(([name, c], i) => `// @ts-expect-error: ${name}\nexport const wrong${i}: ${c.type} = ${c.value};`);
  return `import type { ${types.join(', ')} } from './models.js';\n\n${lines.join('\n')}\n`;
}

describe('types and validators agree', () => {
  it('every example the validator rejects is listed, with its reason, and every listed one is rejected', () => {
    expect(rejected.map(([s, m]) => `${s}: ${m}`).sort()).toEqual(REJECTED_EXAMPLES.map(([s, m]) => `${s}: ${m}`).sort());
  });

  it('what must not type-check is what the validator rejects, where the type has a validator of its own', () => {
    const accepted: string[] = [];
    for (const [name, c] of MUST_NOT_TYPE_CHECK) {
      const validate = compiled.get(c.spec)?.[`validate${c.type}`];
      if (validate === undefined) continue;
      const value: unknown = new Function(`return (${c.value});`)();
      if (validate(value)) accepted.push(name);
    }
    expect(accepted).toEqual([]);
  });

  it('accepted values were found for most messages', () => {
    expect(new Set(rows.map((r) => r.spec)).size).toBeGreaterThan(names.length - 3);
  });

  it('what the validator accepts type-checks, and what it always rejects does not, in one tsc run', async () => {
    const include: string[] = [];
    for (const spec of names) {
      await writeFile(path.join(DIR, 'src', spec, 'accepted.ts'), valuesFile(spec));
      include.push(`src/${spec}/accepted.ts`);
      const negative = negativeFile(spec);
      if (negative !== undefined) {
        await writeFile(path.join(DIR, 'src', spec, 'rejected.ts'), negative);
        include.push(`src/${spec}/rejected.ts`);
      }
    }
    await mkdir(DIR, { recursive: true });
    const config = path.join(DIR, 'tsconfig.json');
    await writeFile(config, JSON.stringify({ compilerOptions: { ...STRICT, module: 'NodeNext', moduleResolution: 'NodeNext' }, files: include }, null, 2));
    await writeFile(path.join(DIR, 'package.json'), '{ "type": "module" }\n');
    const result = await run(process.execPath, [TSC, '-p', config], { cwd: DIR, maxBuffer: 64 * 1024 * 1024 }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe('');
  }, 600_000);
});
