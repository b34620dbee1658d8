/**
 * A hostile but valid spec (test/fixtures/valid/hostile.yaml): every string in it that could run
 * if it leaked into code sets `globalThis.__codegenPwned`. The output compiles under strict
 * settings (test/compile.test.ts covers every fixture); here it is imported and used, and nothing
 * from the spec may run, while every wire name and value survives as written.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSet } from '../src/emit/write.js';
import { generateFiles, type GeneratedSpec } from '../src/generate.js';
import { FIXTURES_DIR, OUT } from './support/specs.js';

const DIR = path.join(OUT, 'hostile');
const SPEC = path.join(FIXTURES_DIR, 'hostile.yaml');
const pwned = () => (globalThis as { __codegenPwned?: unknown }).__codegenPwned;

interface Endpoint {
  publish(payload: unknown, options?: unknown): Promise<void>;
  subscribe(handler: (payload: unknown, ctx: { parameters: Record<string, string>; headers: Record<string, unknown> }) => void, options?: unknown): Promise<unknown>;
}

let generated: GeneratedSpec;

beforeAll(async () => {
  generated = await generateFiles(SPEC);
  await writeFileSet(DIR, generated.files);
});

async function client() {
  const index = (await import(path.join(DIR, 'index.ts'))) as Record<string, unknown>;
  const memory = (await import(path.join(DIR, 'runtime', 'memory.ts'))) as { MemoryTransport: new () => { idle(): Promise<void>; close(): Promise<void> } };
  const factory = Object.entries(index).find(([k]) => /^create.*Client$/.test(k))?.[1] as (t: unknown) => Record<string, Endpoint>;
  const transport = new memory.MemoryTransport();
  return { client: factory(transport), transport };
}

describe('a hostile spec', () => {
  it('runs nothing from the spec when its client is imported and used', async () => {
    expect(pwned()).toBeUndefined();
    const { client: c, transport } = await client();
    expect(Object.keys(c).sort()).toEqual(['channels', 'class', 'constructor_', 'orderPlaced', 'orderPlaced2', 'orderPlaced3']);
    await transport.close();
    expect(pwned()).toBeUndefined();
  });

  it('keeps every hostile string as data: enum values, const, keys and parameter values arrive as written', async () => {
    const { client: c, transport } = await client();
    const got: Array<{ payload: unknown; parameters: Record<string, string> }> = [];
    await c['class']!.subscribe((payload, ctx) => void got.push({ payload, parameters: ctx.parameters }));
    const statuses = [
      "*/ globalThis.__codegenPwned = 'enum comment'; /*",
      "`; globalThis.__codegenPwned = 'enum backtick'; `",
      "${globalThis.__codegenPwned = 'enum template'}",
      'back\\slash\\',
      'line\u2028separator\u2029paragraph',
    ];
    const order = (status: string) => ({
      status,
      'content-type': "application/json */ globalThis.__codegenPwned = 'const'; /*",
      "`${globalThis.__codegenPwned = 'key'}`": true,
      nested: { '</script>': '</script>' },
    });
    for (const status of statuses) await c['orderPlaced']!.publish(order(status), { parameters: { region: 'ap`south' } });
    await transport.idle();
    expect(got).toEqual(statuses.map((s) => ({ payload: order(s), parameters: { region: 'ap`south' } })));
    await transport.close();
    expect(pwned()).toBeUndefined();
  });

  it('still validates: a status outside the enum and a wrong const are refused by name', async () => {
    const { client: c, transport } = await client();
    // The validators stop at the first error, so each wrong value is sent alone.
    const status = "*/ globalThis.__codegenPwned = 'enum comment'; /*";
    const contentType = "application/json */ globalThis.__codegenPwned = 'const'; /*";
    await expect(c['orderPlaced']!.publish({ status: 'shipped', 'content-type': contentType }, { parameters: { region: "eu'west" } })).rejects.toThrow(/\/status .*allowed values/);
    await expect(c['orderPlaced']!.publish({ status, 'content-type': 'text/plain' }, { parameters: { region: "eu'west" } })).rejects.toThrow(/\/content-type .*constant/);
    await transport.close();
  });

  it('names each collision once, with the name it chose instead', () => {
    const collisions = generated.diagnostics.filter((d) => d.code === 'name-collision').map((d) => d.message);
    expect(collisions).toContain('client property name "orderPlaced" of operation "order_placed" is already used by operation "order-placed"; using "orderPlaced2"');
    expect(collisions).toContain('client property name "orderPlaced" of operation "orderPlaced" is already used by operation "order-placed"; using "orderPlaced3"');
    expect(new Set(collisions).size).toBe(collisions.length);
  });

  it('writes only the fixed file names, whatever the spec names things', async () => {
    expect(generated.files.paths().filter((p) => !p.startsWith('runtime/'))).toEqual(['client.ts', 'index.ts', 'models.ts', 'validators.ts']);
    expect((await readdir(path.join(DIR, 'runtime'))).every((f) => /^[a-z-]+\.ts$/.test(f))).toBe(true);
  });

  it('keeps spec text in literals and comments only: the TypeScript parser finds none of it as code', async () => {
    for (const file of ['client.ts', 'models.ts', 'validators.ts', 'index.ts']) {
      const text = await readFile(path.join(DIR, file), 'utf8');
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      const leaked: string[] = [];
      const visit = (node: ts.Node): void => {
        // A template with a substitution would be a place for `${…}` from the spec to run.
        if (ts.isTemplateExpression(node)) leaked.push(`template: ${node.getText().slice(0, 60)}`);
        if (ts.isIdentifier(node) && node.text === '__codegenPwned') leaked.push(`identifier at ${node.getStart()}`);
        ts.forEachChild(node, visit);
      };
      visit(source);
      expect(leaked, file).toEqual([]);
    }
    expect(await readFile(path.join(DIR, 'models.ts'), 'utf8')).toContain('__codegenPwned');
  });
});
