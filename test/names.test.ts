/**
 * Names a spec can never take from the output: what client.ts and index.ts import from the runtime
 * is read from the runtime's own exports, and schemas named like them (CloudEventEndpoint,
 * PayloadTooLargeError, ValidationError, Transport) get names of their own, compile and run.
 * And no needless suffixes: an unused component leaves its name free, an inline schema repeated
 * under one title is one model, and a real collision names both places.
 */
import { readFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSet } from '../src/emit/write.js';
import { generateFiles, type GeneratedSpec } from '../src/generate.js';
import { importedRuntimeFiles, runtimeNames } from '../src/ir/runtime-names.js';
import { FIXTURES_DIR, OUT, PUBLIC_DIR, ROOT, SEED_SPECS } from './support/specs.js';

const DIR = path.join(OUT, 'names');
const RUNTIME = path.join(ROOT, 'templates', 'runtime');

/** Names a module declares as exported, by TypeScript's own parser (the generator reads them with a regular expression). */
function exportsOf(source: string, dir?: string): string[] {
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.ES2022);
  const names: string[] = [];
  for (const statement of file.statements) {
    // `export * from './definitions.js'`: the names of that module, as TypeScript re-exports them.
    if (dir !== undefined && ts.isExportDeclaration(statement) && !statement.exportClause && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      const inner = path.join(dir, statement.moduleSpecifier.text.replace(/\.js$/, '.ts'));
      names.push(...exportsOf(readFileSync(inner, 'utf8'), dir));
      continue;
    }
    const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (exported && ts.isVariableStatement(statement)) for (const d of statement.declarationList.declarations) names.push(d.name.getText(file));
    else if (exported && 'name' in statement && statement.name && ts.isIdentifier(statement.name as ts.Node)) names.push((statement.name as ts.Identifier).text);
    else if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) names.push(...statement.exportClause.elements.map((e) => e.name.text));
  }
  return names.sort();
}

/** Every name a generated file imports from or re-exports of ./runtime/*. */
function runtimeNamesUsed(source: string): Array<{ name: string; file: string }> {
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.ES2022);
  const out: Array<{ name: string; file: string }> = [];
  for (const statement of file.statements) {
    const module =
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : '';
    const runtime = /(?:^|\/)runtime\/([^/]+)\.js$/.exec(module)?.[1];
    if (runtime === undefined) continue;
    const elements: Array<ts.ImportSpecifier | ts.ExportSpecifier> = [];
    const bindings = ts.isImportDeclaration(statement) ? statement.importClause?.namedBindings : undefined;
    const clause = ts.isExportDeclaration(statement) ? statement.exportClause : undefined;
    if (bindings && ts.isNamedImports(bindings)) elements.push(...bindings.elements);
    if (clause && ts.isNamedExports(clause)) elements.push(...clause.elements);
    for (const e of elements) out.push({ name: (e.propertyName ?? e.name).text, file: `${runtime}.ts` });
  }
  return out;
}

async function specsIn(dir: string): Promise<string[]> {
  return (await readdir(dir))
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

const generated = new Map<string, GeneratedSpec>();

beforeAll(async () => {
  const specs = [
    ...SEED_SPECS.map(([, spec]) => path.join(ROOT, spec)),
    ...(await specsIn(FIXTURES_DIR)),
    ...(await specsIn(PUBLIC_DIR)),
    ...(await specsIn(path.join(ROOT, 'test', 'fixtures', 'springwolf'))),
  ];
  for (const spec of specs) generated.set(path.relative(ROOT, spec), await generateFiles(spec));
  const runtimeNamed = generated.get('test/fixtures/valid/runtime-names.yaml');
  if (!runtimeNamed) throw new Error('the runtime-names fixture is missing');
  await writeFileSet(path.join(DIR, 'runtime-names'), runtimeNamed.files);
});

describe('the runtime names the generator reserves', () => {
  it('are every export of each runtime file the templates import from, as TypeScript reads them', async () => {
    const reserved = runtimeNames();
    expect(importedRuntimeFiles()).toEqual(expect.arrayContaining(['client.ts', 'errors.ts', 'transport.ts', 'validation.ts']));
    for (const file of importedRuntimeFiles()) {
      const want = exportsOf(await readFile(path.join(RUNTIME, file), 'utf8'), RUNTIME);
      expect(
        reserved
          .filter((r) => r.file === file)
          .map((r) => r.name)
          .sort(),
        file,
      ).toEqual(want);
    }
  });

  it('cover every runtime name a generated client.ts or index.ts uses, for every fixture', () => {
    const reserved = new Set(runtimeNames().map((r) => `${r.file}:${r.name}`));
    const missing: string[] = [];
    for (const [spec, { files }] of generated) {
      for (const out of ['client.ts', 'index.ts']) {
        for (const used of runtimeNamesUsed(files.get(out) ?? '')) if (!reserved.has(`${used.file}:${used.name}`)) missing.push(`${spec} ${out}: ${used.name} from runtime/${used.file}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('are never declared by models.ts or client.ts, so nothing is shadowed or declared twice', () => {
    const reserved = new Set(runtimeNames().map((r) => r.name));
    const clashes: string[] = [];
    for (const [spec, { files }] of generated) {
      for (const out of ['models.ts', 'client.ts']) for (const name of exportsOf(files.get(out) ?? '')) if (reserved.has(name)) clashes.push(`${spec} ${out}: ${name}`);
    }
    expect(clashes).toEqual([]);
  });
});

describe('schemas named like runtime exports', () => {
  it.each([
    ['CloudEventEndpoint', 'client.ts'],
    ['Transport', 'transport.ts'],
    ['ValidationError', 'errors.ts'],
    ['PayloadTooLargeError', 'errors.ts'],
  ])('%s gets a name of its own, with a warning that says why', (name, file) => {
    const spec = generated.get('test/fixtures/valid/runtime-names.yaml');
    expect(spec?.ir.schemas.definitions.has(`${name}2`)).toBe(true);
    expect(spec?.diagnostics.map((d) => d.message)).toContain(`type name "${name}" of schema "${name}" is already used by the runtime (runtime/${file}); using "${name}2"`);
  });

  it("run: index.ts exports the runtime's error classes, and the CloudEvent endpoint fills and validates", async () => {
    const index = (await import(path.join(DIR, 'runtime-names', 'index.ts'))) as Record<string, unknown>;
    const errors = (await import(path.join(DIR, 'runtime-names', 'runtime', 'errors.ts'))) as Record<string, unknown>;
    expect(index.PayloadTooLargeError).toBe(errors.PayloadTooLargeError);
    expect(index.ValidationError).toBe(errors.ValidationError);
    const memory = (await import(path.join(DIR, 'runtime-names', 'runtime', 'memory.ts'))) as { MemoryTransport: new () => { idle(): Promise<void>; close(): Promise<void> } };
    const transport = new memory.MemoryTransport();
    type Endpoint = { publish(p: unknown): Promise<void>; subscribe(h: (p: unknown) => void): Promise<unknown>; event(init: object): unknown };
    const client = (index.createRuntimeNamesClient as (t: unknown) => Record<string, Endpoint>)(transport);
    const got: unknown[] = [];
    await client.publishAudit!.subscribe((p) => void got.push(p));
    await client.publishAudit!.publish(client.publishAudit!.event({ source: 'test', data: { kind: 'nats', error: { pointer: '/x' } } }));
    await expect(client.publishAudit!.publish(client.publishAudit!.event({ source: 'test', data: { kind: 'kafka' } }))).rejects.toBeInstanceOf(errors.ValidationError as new () => Error);
    await expect(client.publishLimit!.publish({ limitBytes: -1 })).rejects.toThrow(/\/limitBytes must be >= 0/);
    await transport.idle();
    expect(got).toMatchObject([{ type: 'com.example.audit', data: { kind: 'nats' } }]);
    await transport.close();
  });
});

describe('no needless suffix', () => {
  const names = () => [...(generated.get('test/fixtures/valid/springwolf-names.yaml')?.ir.schemas.definitions.keys() ?? [])];

  it('an unused component leaves its name to the message that uses it (java.lang.String)', () => {
    expect(names()).toContain('JavaLangString');
    expect(names()).not.toContain('JavaLangString2');
  });

  it('an inline schema repeated under one title in two messages is one model', () => {
    expect(names().filter((n) => n.startsWith('SubTypeA'))).toEqual(['SubTypeA', 'SubTypeA2']);
    const models = generated.get('test/fixtures/valid/springwolf-names.yaml')?.files.get('models.ts') ?? '';
    expect(models).toContain('export type FirstValue = SubTypeA | SubTypeB;');
    expect(models).toContain('export type SecondValue = SubTypeA | SubTypeC;');
  });

  it('a real collision names both places', () => {
    const warnings = generated
      .get('test/fixtures/valid/springwolf-names.yaml')
      ?.diagnostics.filter((d) => d.code === 'name-collision')
      .map((d) => d.message);
    expect(warnings).toEqual([
      'type name "SubTypeA" of the payload of message "third" at /properties/value/oneOf/0 is already used by the payload of message "first" at /properties/value/oneOf/0; using "SubTypeA2"',
    ]);
  });
});
