/**
 * Public AsyncAPI documents the generator was not written against (test/fixtures/corpus): each
 * must generate, keep every operation and message the official parser sees, compile under the
 * strictest settings, and run: validators answer true or false on the spec's own examples and
 * never throw; a payload that declares a JSON type is neither typed `unknown` nor validated as
 * anything; no model is a suffixed copy of another; an operation with a reply can request or respond.
 *
 * A document that fails today is listed in KNOWN_FAILING with the check it fails and why; the
 * test holds it to failing that check, so whoever fixes the cause must remove its row.
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSet } from '../src/emit/write.js';
import { generateFiles, type GeneratedSpec } from '../src/generate.js';
import { expectedDocument, type ExpectedDocument } from './support/corpus.js';
import { OUT, ROOT } from './support/specs.js';
import { STRICT } from './support/strict.js';

const run = promisify(execFile);
const CORPUS_DIR = path.join(ROOT, 'test', 'fixtures', 'corpus');
const DIR = path.join(OUT, 'corpus');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const CHECKS = ['generate', 'cover', 'compile', 'run', 'type', 'names', 'reply'] as const;
type Check = (typeof CHECKS)[number];

/**
 * Documents that fail a check today, by file name: the check and the root cause (see
 * test/fixtures/corpus/README.md for a minimal reproduction of each).
 */
const KNOWN_FAILING: Readonly<Record<string, { readonly check: Check; readonly reason: string }>> = {};

interface Row {
  readonly name: string;
  readonly file: string;
  readonly expected: ExpectedDocument;
  readonly generated?: GeneratedSpec;
  readonly error?: string;
}

const rows = new Map<string, Row>();
/** tsc errors per document folder, for each module resolution. */
const tscErrors = new Map<string, string[]>();

const files = (await readdir(CORPUS_DIR)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
const nameOf = (file: string) => path.parse(file).name;

async function tsc(resolution: string, options: Record<string, string>): Promise<void> {
  const config = path.join(DIR, `tsconfig.${resolution}.json`);
  await writeFile(config, JSON.stringify({ compilerOptions: { ...STRICT, ...options }, include: ['src/**/*.ts'] }, null, 2));
  const output = await run(process.execPath, [TSC, '-p', config], { cwd: DIR, maxBuffer: 64 * 1024 * 1024 }).then(
    () => '',
    (error: { stdout?: string }) => error.stdout ?? String(error),
  );
  for (const line of output.split('\n')) {
    const folder = /^src\/([^/]+)\//.exec(line)?.[1];
    if (folder) tscErrors.set(folder, [...(tscErrors.get(folder) ?? []), `${resolution}: ${line}`]);
    else if (line.trim() && !line.startsWith(' ')) tscErrors.set('', [...(tscErrors.get('') ?? []), `${resolution}: ${line}`]);
  }
}

beforeAll(async () => {
  await rm(DIR, { recursive: true, force: true });
  await mkdir(DIR, { recursive: true });
  await writeFile(path.join(DIR, 'package.json'), '{ "type": "module" }\n');
  const outcomes = new Map<string, { generated?: GeneratedSpec; error?: string }>();
  for (const file of files) {
    try {
      const generated = await generateFiles(path.join(CORPUS_DIR, file));
      await writeFileSet(path.join(DIR, 'src', nameOf(file)), generated.files);
      outcomes.set(file, { generated });
    } catch (error) {
      outcomes.set(file, { error: error instanceof Error ? error.message || (error.stack ?? error.name) : String(error) });
    }
  }
  // One compiler run per resolution over every output (a run per document would take minutes),
  // in child processes while this one reads the documents with the official parser.
  const compiled = Promise.all([tsc('NodeNext', { module: 'NodeNext', moduleResolution: 'NodeNext' }), tsc('bundler', { module: 'ESNext', moduleResolution: 'bundler' })]);
  for (const file of files) {
    const full = path.join(CORPUS_DIR, file);
    rows.set(file, { name: nameOf(file), file: full, expected: await expectedDocument(full), ...outcomes.get(file) });
  }
  await compiled;
}, 600_000);

type Problems = string[];

function cover(row: Row, { ir, files: out }: GeneratedSpec): Problems {
  const problems: Problems = [];
  const client = out.get('client.ts') ?? '';
  const channelOf = new Map(ir.channels.map((c) => [c.id, c]));
  const taken = new Set<string>();
  for (const op of row.expected.operations) {
    const found =
      ir.operations.find((o) => op.matchId !== undefined && o.id === op.matchId) ??
      ir.operations.find((o) => !taken.has(o.id) && o.action === op.action && channelOf.get(o.channel)?.address === op.address);
    if (!found) {
      problems.push(`operation "${op.id}" (${op.action} on ${op.address}) is missing from the IR`);
      continue;
    }
    taken.add(found.id);
    if (!client.includes(`readonly ${found.key}:`) && !client.includes(`readonly ${JSON.stringify(found.key)}:`)) problems.push(`operation "${op.id}" has no client member "${found.key}"`);
    const named = op.messages.filter((m) => !m.startsWith('<anonymous-message'));
    const missing = named.filter((m) => !found.messages.includes(m));
    if (missing.length > 0) problems.push(`operation "${op.id}" lost messages ${missing.join(', ')}`);
    if (row.expected.version.startsWith('3.')) {
      const extra = found.messages.filter((m) => !op.messages.includes(m));
      if (extra.length > 0) problems.push(`operation "${op.id}" carries messages it does not list: ${extra.join(', ')}`);
    } else if (found.messages.length !== op.messages.length) {
      problems.push(`operation "${op.id}" has ${op.messages.length} messages, the IR ${found.messages.length}`);
    }
    if (op.reply) {
      if (!found.reply) problems.push(`operation "${op.id}" lost its reply`);
      else {
        const lost = op.reply.messages.filter((m) => !found.reply?.messages.includes(m));
        if (lost.length > 0) problems.push(`reply of "${op.id}" lost messages ${lost.join(', ')}`);
      }
    }
  }
  for (const message of row.expected.messages.filter((m) => !m.anonymous)) {
    const found = ir.messages.find((m) => m.id === message.id);
    if (!found) problems.push(`message "${message.id}" is missing from the IR`);
    else if (!client.includes(`export const ${found.constName} = defineMessage`)) problems.push(`message "${message.id}" has no definition ${found.constName}`);
    else if (message.hasPayload && found.payloadValidator === undefined) problems.push(`message "${message.id}" has no payload validator`);
  }
  if (ir.messages.length < row.expected.messages.length) problems.push(`the parser sees ${row.expected.messages.length} messages, the IR ${ir.messages.length}`);
  return problems;
}

type Validator = (value: unknown) => unknown;

/** Calls a validator; a throw or a non-boolean answer is a problem. */
function probe(name: string, validate: Validator | undefined, values: readonly unknown[]): Problems {
  if (typeof validate !== 'function') return [`validator ${name} is not exported`];
  const problems: Problems = [];
  for (const value of values) {
    try {
      const answer = validate(value);
      if (typeof answer !== 'boolean') problems.push(`${name}(${JSON.stringify(value)?.slice(0, 80)}) returned ${typeof answer}`);
    } catch (error) {
      problems.push(`${name}(${JSON.stringify(value)?.slice(0, 80)}) threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
  }
  return problems;
}

async function load(row: Row) {
  const folder = path.join(DIR, 'src', row.name);
  const index = (await import(path.join(folder, 'index.ts'))) as Record<string, unknown>;
  const validators = (await import(path.join(folder, 'validators.ts'))) as Record<string, Validator>;
  const { MemoryTransport } = (await import(path.join(folder, 'runtime', 'memory.ts'))) as { MemoryTransport: new () => { close(): Promise<void> } };
  const factory = Object.entries(index).find(([k]) => /^create.*Client$/.test(k))?.[1] as ((t: unknown) => Record<string, unknown>) | undefined;
  return { validators, MemoryTransport, factory };
}

async function runs(row: Row, { ir }: GeneratedSpec): Promise<Problems> {
  const { validators, MemoryTransport, factory } = await load(row);
  const problems: Problems = [];
  // Every example of the document, `{}` and `null` go to every payload validator: whatever it
  // is given, a validator answers true or false.
  const everyExample = [...row.expected.messages.flatMap((m) => m.payloadExamples), ...row.expected.componentExamples, {}, null];
  for (const message of ir.messages) {
    const expected = row.expected.messages.find((m) => m.id === message.id);
    const payloads = [...(expected?.payloadExamples ?? []), ...message.examples, ...everyExample];
    if (message.payloadValidator) problems.push(...probe(message.payloadValidator, validators[message.payloadValidator], payloads));
    if (message.headersValidator) problems.push(...probe(message.headersValidator, validators[message.headersValidator], [...(expected?.headerExamples ?? []), {}]));
  }
  if (!factory) return [...problems, 'index.ts exports no create…Client'];
  const transport = new MemoryTransport();
  const client = factory(transport);
  for (const op of ir.operations) if (!(op.key in client)) problems.push(`the client object has no member "${op.key}"`);
  await transport.close();
  return problems;
}

/** A value of another JSON type than the one a payload declares: its validator must refuse it. */
const WRONG_TYPE: Readonly<Record<string, unknown>> = { object: 42, array: 42, string: 42, number: 'x', integer: 'x', boolean: 'x', null: 'x' };

/**
 * A payload that declares a JSON type keeps it: its model is not `unknown`, and its validator
 * refuses a value of another type (a schema the pipeline cannot read must not accept anything).
 */
async function types(row: Row, { ir, files: out }: GeneratedSpec): Promise<Problems> {
  const { validators } = await load(row);
  const models = out.get('models.ts') ?? '';
  const problems: Problems = [];
  for (const message of ir.messages) {
    const declared = row.expected.messages.find((m) => m.id === message.id)?.payloadType;
    if (declared === undefined || message.payload === undefined) continue;
    if (models.includes(`export type ${message.payload} = unknown;`)) problems.push(`payload of "${message.id}" is declared ${declared} but typed unknown`);
    const wrong = WRONG_TYPE[declared];
    const validate = message.payloadValidator ? validators[message.payloadValidator] : undefined;
    let accepts = false;
    try {
      accepts = typeof validate === 'function' && validate(wrong) === true;
    } catch {
      // A throw is the run check's to report.
    }
    if (wrong !== undefined && accepts) {
      problems.push(`${message.payloadValidator} accepts ${JSON.stringify(wrong)} though the payload is declared ${declared}`);
    }
  }
  return problems;
}

/** Each exported model of models.ts: its name and its declaration without the name and comments. */
function modelBodies(models: string): Map<string, string> {
  const out = new Map<string, string>();
  const declaration = /^export (?:interface|type) ([A-Za-z_$][\w$]*)([^]*?)^(?=\/\*\*|export |$(?![^]))/gm;
  for (const [, name, body] of models.matchAll(declaration)) if (name && body !== undefined) out.set(name, body.replace(/\/\*\*[^]*?\*\//g, '').trim());
  return out;
}

/** No needless suffix: `Name2` is a different model from `Name`, not a second copy of it. */
function names({ files: out }: GeneratedSpec): Problems {
  const bodies = modelBodies(out.get('models.ts') ?? '');
  const problems: Problems = [];
  for (const [name, body] of bodies) {
    const base = /^(.*\D)\d+$/.exec(name)?.[1];
    if (base !== undefined && bodies.get(base) === body) problems.push(`${name} is a copy of ${base}`);
  }
  return problems;
}

async function replies(row: Row, { ir }: GeneratedSpec): Promise<Problems> {
  const { MemoryTransport, factory } = await load(row);
  if (!factory) return ['index.ts exports no create…Client'];
  const transport = new MemoryTransport();
  const client = factory(transport);
  const channelOf = new Map(ir.channels.map((c) => [c.id, c]));
  const problems: Problems = [];
  for (const op of row.expected.operations.filter((o) => o.reply)) {
    const found = ir.operations.find((o) => op.matchId !== undefined && o.id === op.matchId) ?? ir.operations.find((o) => o.action === op.action && channelOf.get(o.channel)?.address === op.address);
    const member = found ? (client[found.key] as Record<string, unknown> | undefined) : undefined;
    if (typeof member?.['request'] !== 'function' && typeof member?.['respond'] !== 'function') problems.push(`operation "${op.id}" has a reply but no request() or respond()`);
  }
  await transport.close();
  return problems;
}

/** Every check of one document; a check after a failed `generate` fails as not generated. */
async function check(row: Row): Promise<Record<Check, Problems>> {
  const generated = row.generated;
  if (!generated) {
    const none = ['not generated'];
    return { generate: [row.error ?? 'failed'], cover: none, compile: none, run: none, type: none, names: none, reply: none };
  }
  const compile = tscErrors.get(row.name) ?? [];
  return {
    generate: [],
    cover: cover(row, generated),
    compile,
    run: await runs(row, generated).catch((error: unknown) => [`importing the output failed: ${String(error)}`]),
    names: names(generated),
    type: await types(row, generated).catch((error: unknown) => [`importing the output failed: ${String(error)}`]),
    reply: await replies(row, generated).catch((error: unknown) => [`importing the output failed: ${String(error)}`]),
  };
}

describe('public AsyncAPI corpus', () => {
  it('has one row per document and no stale known failure', () => {
    expect(files.length).toBeGreaterThanOrEqual(35);
    expect(Object.keys(KNOWN_FAILING).filter((f) => !files.includes(f))).toEqual([]);
    expect(tscErrors.get('') ?? []).toEqual([]);
  });

  it.each(files)('%s', async (file) => {
    const row = rows.get(file);
    if (!row) throw new Error(`${file} was not read`);
    const results = await check(row);
    const known = KNOWN_FAILING[file];
    if (known) {
      expect(results[known.check], `${file} now passes "${known.check}" (${known.reason}): remove its KNOWN_FAILING row`).not.toEqual([]);
      return;
    }
    expect(Object.fromEntries(CHECKS.map((c) => [c, results[c]]))).toEqual(Object.fromEntries(CHECKS.map((c) => [c, []])));
  });
});
