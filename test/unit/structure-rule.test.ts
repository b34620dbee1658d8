/**
 * The document-structure check with the AsyncAPI JSON Schema precompiled by the build
 * (src/spec/structure-rule.ts) says exactly what the parser's own rules say, compiled by Spectral at
 * run time: the same diagnostics (code, message, path, range, severity) in the same order, over
 * broken documents of every kind and over the valid fixtures, and the same user-facing errors.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Parser } from '@asyncapi/parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { isCodegenError } from '../../src/errors.js';
import { loadSpec } from '../../src/spec/load.js';
import { createParser, parseSpec } from '../../src/spec/parse.js';
import { FIXTURES_DIR, OUT, ROOT } from '../support/specs.js';

const DIR = path.join(OUT, 'structure-rule');
const HEAD = 'asyncapi: 3.0.0\ninfo:\n  title: t\n  version: "1"\n';
const channelWith = (payload: string) => `${HEAD}channels:\n  a:\n    address: a\n    messages:\n      m:\n        payload:\n${payload}`;

/** Broken documents: those of test/cli-broken.test.ts that reach the parser, and one per kind of schema error. */
const BROKEN: Array<[string, string]> = [
  ['invalid.json', '{"asyncapi": "3.0.0", "info": {'],
  ['doubled.json', '{\n  "asyncapi": "3.0.0",,\n  "info": { "title": "t", "version": "1" }\n}\n'],
  ['json.yaml', '{"asyncapi": "3.0.0" "info": {}}'],
  ['after.json', '{\n  "asyncapi": "3.0.0",\n  "info": { "title": "t", "version": "1" }\n}\n}\n'],
  ['trailing.json', '{\n  "asyncapi": "3.0.0",\n  "info": { "title": "t", "version": "1", },\n}\n'],
  ['indent.yaml', 'asyncapi: 3.0.0\ninfo:\n  title: t\n   version: "1"\n'],
  ['openapi.yaml', 'openapi: 3.0.0\ninfo: { title: t, version: "1" }\npaths: {}\n'],
  ['scalar.json', '42\n'],
  ['future.yaml', 'asyncapi: 9.0.0\ninfo:\n  title: t\n  version: "1"\n'],
  ['old.yaml', 'asyncapi: 2.6.0\ninfo:\n  title: t\nchannels: {}\n'],
  ['old-extra.yaml', 'asyncapi: 2.6.0\ninfo:\n  title: t\n  version: "1"\n  colour: red\nchannels:\n  a:\n    publish:\n      message:\n        payload: { type: 5 }\n'],
  ['noreq.yaml', 'asyncapi: 3.0.0\ninfo:\n  version: "1"\n'],
  ['action.yaml', `${HEAD}channels:\n  a:\n    address: a\noperations:\n  op:\n    action: publish\n    channel:\n      $ref: "#/channels/a"\n`],
  ['unresolved.yaml', channelWith('          $ref: "#/components/schemas/Nope"\n')],
  ['missing-ref.yaml', channelWith('          $ref: "./schemas/order.yaml"\n')],
  ['extra-property.yaml', `${HEAD}  colour: red\nchannels: {}\n`],
  ['wrong-types.yaml', `${HEAD}channels:\n  a:\n    address: 5\n    messages: []\n    description: [x]\n`],
  ['payload-type.yaml', channelWith('          type: objekt\n          properties: { a: { type: [strin] } }\n          required: yes\n')],
  ['servers.yaml', `${HEAD}servers:\n  s:\n    host: h\n    protocol: 5\n    security: {}\n  t: []\nchannels: {}\n`],
  ['tags.yaml', 'asyncapi: 3.0.0\ninfo:\n  title: t\n  version: "1"\n  tags: [{ name: 1 }, {}, x]\n  contact: { email: not-an-email, url: 3 }\n'],
  ['ref-not-allowed.yaml', `${HEAD}channels:\n  a:\n    address: a\noperations:\n  op:\n    action: send\n    channel:\n      $ref: "#/channels/a"\n    bindings:\n      $ref: "#/x"\nx: {}\n`],
  ['components.yaml', `${HEAD}components:\n  schemas:\n    "bad key!": { type: string }\n  messages:\n    m: { payload: 5, headers: { type: array } }\n`],
  ['v31.yaml', 'asyncapi: 3.1.0\ninfo:\n  title: t\n  version: 1\nchannels: { a: { address: [1] } }\n'],
  ['root-array.yaml', '- asyncapi: 3.0.0\n'],
  // One channel and message in several operations, broken and valid: the resolved document shares them, and each place is checked.
  [
    'shared.yaml',
    `${HEAD}channels:\n  good: { address: g, messages: { m: { payload: { type: string } } } }\n  bad: { address: b, messages: { m: { payload: { type: 5 } } } }\noperations:\n  a: { action: send, channel: { $ref: "#/channels/bad" }, messages: [{ $ref: "#/channels/bad/messages/m" }] }\n  b: { action: receive, channel: { $ref: "#/channels/bad" } }\n  c: { action: send, channel: { $ref: "#/channels/good" }, messages: [{ $ref: "#/channels/good/messages/m" }] }\n  d: { action: receive, channel: { $ref: "#/channels/good" } }\n`,
  ],
  ['no-info.json', '{"asyncapi": "3.0.0", "channels": {"a": {"messages": {"m": {"payload": {"oneOf": [1, {"type": "x"}]}}}}}}'],
];

type Raw = Awaited<ReturnType<Parser['validate']>>;
const comparable = (diagnostics: Raw) => diagnostics.map(({ code, message, path: p, range, severity }) => ({ code, message, path: p, range, severity }));

let precompiled: Parser;
let compiled: Parser;
const inputs: string[] = [];

beforeAll(async () => {
  await rm(DIR, { recursive: true, force: true });
  await mkdir(DIR, { recursive: true });
  for (const [name, text] of BROKEN) await writeFile(path.join(DIR, name), text);
  const broken = path.join(ROOT, 'test', 'fixtures', 'broken');
  const listed = async (dir: string) =>
    (await readdir(dir))
      .filter((f) => /\.(ya?ml|json)$/.test(f))
      .sort()
      .map((f) => path.join(dir, f));
  inputs.push(...BROKEN.map(([name]) => path.join(DIR, name)), ...(await listed(broken)), ...(await listed(FIXTURES_DIR)), ...(await listed(path.join(ROOT, 'test', 'fixtures', 'v2'))));
  inputs.push(path.join(ROOT, 'specs', 'user-sessions.asyncapi.json'), path.join(ROOT, 'specs', 'iam-client-events.asyncapi.yaml'));
  [precompiled, compiled] = await Promise.all([createParser(true), createParser(false)]);
}, 60_000);

describe('the precompiled AsyncAPI schema check', () => {
  it('is in use: the build compiled the schemas', () => {
    expect(existsSync(path.join(ROOT, 'dist', 'document-schemas', 'manifest.json'))).toBe(true);
  });

  it('gives the parser diagnostics Spectral gives, for every broken and valid input', { timeout: 600_000 }, async () => {
    let withErrors = 0;
    for (const file of inputs) {
      const text = await readFile(file, 'utf8');
      const [fast, slow] = [await precompiled.validate(text, { source: file }), await compiled.validate(text, { source: file })];
      expect({ file, diagnostics: comparable(fast) }).toEqual({ file, diagnostics: comparable(slow) });
      if (slow.some((d) => String(d.code).startsWith('asyncapi-document'))) withErrors++;
    }
    // The comparison means something only if many inputs do break the schema.
    expect(withErrors).toBeGreaterThan(15);
  });

  it('gives the same errors and warnings through parseSpec, as the user sees them', { timeout: 600_000 }, async () => {
    const outcome = async (file: string, precompiledSchema: boolean) => {
      try {
        return { diagnostics: (await parseSpec(await loadSpec(file), { precompiledSchema })).diagnostics };
      } catch (error) {
        if (!isCodegenError(error)) throw error;
        return { error: error.message, diagnostics: error.diagnostics };
      }
    };
    for (const file of inputs.filter((f) => f.startsWith(DIR) || f.includes(`${path.sep}broken${path.sep}`))) {
      expect({ file, ...(await outcome(file, true)) }).toEqual({ file, ...(await outcome(file, false)) });
    }
  });
});
