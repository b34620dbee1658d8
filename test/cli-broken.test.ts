/**
 * Broken and hostile input, through the real binary: every case exits 1 with a message that names
 * the file and, where there is one, the line, column and JSON pointer, with a hint, no stack
 * trace, and the output folder exactly as it was.
 */
import { mkdir, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { OUT } from './support/specs.js';

const DIR = path.join(OUT, 'cli-broken');
const HEAD = 'asyncapi: 3.0.0\ninfo:\n  title: t\n  version: "1"\n';
const channelWith = (payload: string) => `${HEAD}channels:\n  a:\n    address: a\n    messages:\n      m:\n        payload:\n${payload}`;
const LAUGHS = [
  HEAD.trimEnd(),
  '  x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((c, i) => `  x-${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
  '',
].join('\n');

interface Case {
  /** Files to write into the case's folder; the first is the spec. Bytes for binary ones. */
  readonly given: Record<string, string | Uint8Array>;
  readonly args?: readonly string[];
  readonly want: RegExp;
}

const CASES: Array<[string, Case]> = [
  ['a missing file', { given: {}, args: ['missing.yaml'], want: /^missing\.yaml: error cannot read missing\.yaml: no such file \[spec-not-found\]\n  hint: check the path/ }],
  ['a folder', { given: { 'folder/x.yaml': HEAD }, args: ['folder'], want: /^folder: error folder is a folder, not an AsyncAPI document[^]*hint: name the \.yaml or \.json file inside it/ }],
  ['an empty file', { given: { 'empty.yaml': '' }, want: /^empty\.yaml:1:1: error empty\.yaml is empty[^]*hint: an AsyncAPI document starts with `asyncapi: 3\.0\.0`/ }],
  [
    'a binary file',
    {
      given: { 'image.yaml': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]) },
      want: /^image\.yaml: error image\.yaml is a binary file[^]*hint: give the path of a JSON or YAML file/,
    },
  ],
  ['a UTF-16 file', { given: { 'wide.yaml': new Uint8Array([0xff, 0xfe, 0x61, 0x00]) }, want: /^wide\.yaml: error wide\.yaml is UTF-16 text[^]*hint: save the file as UTF-8/ }],
  [
    'a file that is not UTF-8',
    {
      given: { 'latin1.yaml': new Uint8Array([...Buffer.from('asyncapi: 3.0.0\ninfo:\n  title: caf'), 0xe9, 0x0a]) },
      want: /^latin1\.yaml:3:13: error latin1\.yaml is not valid UTF-8[^]*hint: save the file as UTF-8/,
    },
  ],
  [
    "invalid JSON, with the syntax error alone, in JSON's words",
    { given: { 'broken.json': '{"asyncapi": "3.0.0", "info": {' }, want: /^broken\.json:1:32: error Expected property name or '\}' \[json-syntax\]\n  hint: fix the JSON syntax here[^\n]*\n$/ },
  ],
  [
    'a doubled comma in JSON, at its own line and column',
    {
      given: { 'doubled.json': '{\n  "asyncapi": "3.0.0",,\n  "info": { "title": "t", "version": "1" }\n}\n' },
      want: /^doubled\.json:2:23: error Expected double-quoted property name \[json-syntax\]\n  hint: fix the JSON syntax here \(no trailing or doubled commas, double-quoted keys and strings\)\n$/,
    },
  ],
  [
    'a missing comma in JSON text in a .yaml file',
    {
      given: { 'json.yaml': '{"asyncapi": "3.0.0" "info": {}}' },
      want: /^json\.yaml:1:22: error Expected ',' or '\}' after property value \[json-syntax\]\n  hint: fix the JSON syntax here[^\n]*\n$/,
    },
  ],
  [
    'text after the JSON document',
    {
      given: { 'after.json': '{\n  "asyncapi": "3.0.0",\n  "info": { "title": "t", "version": "1" }\n}\n}\n' },
      want: /^after\.json:5:1: error Unexpected non-whitespace character after JSON \[json-syntax\]\n  hint: fix the JSON syntax here[^\n]*\n$/,
    },
  ],
  [
    'YAML indented with a tab',
    {
      given: { 'tabs.yaml': `${HEAD}channels:\n  a:\n\taddress: a\n` },
      want: /^tabs\.yaml:7:1: error a tab is used for indentation; YAML indents with spaces only \[yaml-tab-indent\]\n  hint: replace the tab/,
    },
  ],
  ['YAML with bad indentation', { given: { 'indent.yaml': 'asyncapi: 3.0.0\ninfo:\n  title: t\n   version: "1"\n' }, want: /^indent\.yaml:4:11: error Bad indentation of a mapping entry \[parser\]/ }],
  [
    'an OpenAPI document',
    {
      given: { 'openapi.yaml': 'openapi: 3.0.0\ninfo: { title: t, version: "1" }\npaths: {}\n' },
      want: /^openapi\.yaml:1:1: error This is not an AsyncAPI document[^]*hint: an AsyncAPI document starts with `asyncapi: 3\.0\.0`; OpenAPI documents are not AsyncAPI/,
    },
  ],
  ['a JSON number', { given: { 'scalar.json': '42\n' }, want: /^scalar\.json:1:1: error This is not an AsyncAPI document/ }],
  [
    'an AsyncAPI version nobody has written yet',
    { given: { 'future.yaml': 'asyncapi: 9.0.0\ninfo:\n  title: t\n  version: "1"\n' }, want: /^future\.yaml:1:1: error Version "9\.0\.0" is not supported/ },
  ],
  [
    'an invalid AsyncAPI 2 document, at its place in the file as written',
    {
      given: { 'old.yaml': 'asyncapi: 2.6.0\ninfo:\n  title: t\nchannels: {}\n' },
      want: /^old\.yaml:2:6: error "info" property must have required property "version"[^]*hint: compare this part with the AsyncAPI 2\.6 specification/,
    },
  ],
  [
    'a missing required field',
    {
      given: { 'noreq.yaml': 'asyncapi: 3.0.0\ninfo:\n  version: "1"\n' },
      want: /^noreq\.yaml:2:6: error "info" property must have required property "title" \[asyncapi-document-resolved\]\n  at \/info\n  hint: compare this part with the AsyncAPI 3\.0 specification/,
    },
  ],
  [
    'an operation action that is neither send nor receive',
    {
      given: { 'action.yaml': `${HEAD}channels:\n  a:\n    address: a\noperations:\n  op:\n    action: publish\n    channel:\n      $ref: "#/channels/a"\n` },
      want: /^action\.yaml:10:13: error .*"send", "receive".*\n  at \/operations\/op\/action/,
    },
  ],
  [
    'an unresolved $ref',
    {
      given: { 'unresolved.yaml': channelWith('          $ref: "#/components/schemas/Nope"\n') },
      want: /^unresolved\.yaml:11:17: error '#\/components\/schemas\/Nope' does not exist \[invalid-ref\]\n  at \/channels\/a\/messages\/m\/payload\/\$ref\n  hint: the \$ref must point at an existing part/,
    },
  ],
  [
    'a $ref to a missing file beside the spec',
    {
      given: { 'missing-ref.yaml': channelWith('          $ref: "./schemas/order.yaml"\n') },
      want: /^missing-ref\.yaml:11:17: error .*no such file.*\[invalid-ref\]\n  at \/channels\/a\/messages\/m\/payload\/\$ref/,
    },
  ],
  [
    "a $ref to a file outside the spec's folder",
    {
      given: { 'spec/outside.yaml': channelWith('          $ref: "../secret.yaml#/x"\n'), 'secret.yaml': 'x: { type: string }\n' },
      args: ['spec/outside.yaml'],
      want: /^spec\/outside\.yaml:11:17: error \$ref "\.\.\/secret\.yaml#\/x" points outside the spec's folder \(spec\); such refs are not followed by default \[external-ref\]\n  at \/channels\/a\/messages\/m\/payload\/\$ref\n  hint: .*--allow-external-refs/,
    },
  ],
  [
    'a $ref to a URL',
    {
      given: { 'url.yaml': channelWith('          $ref: "https://schemas.example.com/order.json"\n') },
      want: /^url\.yaml:11:17: error \$ref "https:\/\/schemas\.example\.com\/order\.json" points at a URL; refs to URLs are not followed by default \[external-ref\]\n  at \/channels\/a\/messages\/m\/payload\/\$ref/,
    },
  ],
  [
    'a $ref to an absolute path',
    { given: { 'absolute.yaml': channelWith('          $ref: "/etc/passwd"\n') }, want: /^absolute\.yaml:11:17: error \$ref "\/etc\/passwd" points outside the spec's folder/ },
  ],
  [
    'nesting deeper than any spec needs',
    { given: { 'deep.json': `${'['.repeat(20_000)}${']'.repeat(20_000)}` }, want: /^deep\.json:1:257: error deep\.json nests deeper than 256 levels \[too-deep\]/ },
  ],
  [
    'YAML aliases that expand exponentially',
    { given: { 'laughs.yaml': LAUGHS }, want: /^laughs\.yaml: error laughs\.yaml uses YAML aliases \(\*name\) that expand to an excessive size \[yaml-alias-bomb\]\n  hint: .*use \$ref/ },
  ],
];

beforeAll(async () => {
  await rm(DIR, { recursive: true, force: true });
});

async function listing(folder: string): Promise<string[]> {
  return (await readdir(folder, { recursive: true })).sort();
}

describe('codegen generate on broken input', () => {
  it.each(CASES)('exits 1 on %s, says where and how to fix it, and leaves the output as it was', async (name, { given, args, want }) => {
    const cwd = path.join(DIR, name.replace(/[^a-z0-9]+/gi, '-'));
    await mkdir(path.join(cwd, 'out'), { recursive: true });
    await writeFile(path.join(cwd, 'out', 'previous.ts'), 'export const previous = 1;\n');
    for (const [file, contents] of Object.entries(given)) {
      await mkdir(path.dirname(path.join(cwd, file)), { recursive: true });
      await writeFile(path.join(cwd, file), contents);
    }
    const before = await listing(cwd);
    const run = await runCli(['generate', ...(args ?? [Object.keys(given)[0] ?? '']), '-o', 'out'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(want);
    expect(run.stderr).not.toMatch(/\n\s+at .*\.[cm]?js:\d+/);
    expect(run.stdout).toBe('');
    expect(await listing(cwd)).toEqual(before);
    expect(await readFile(path.join(cwd, 'out', 'previous.ts'), 'utf8')).toBe('export const previous = 1;\n');
  });

  it('still reads JSON that is not strict JSON where the parser accepts it (a trailing comma)', async () => {
    const cwd = path.join(DIR, 'lenient-json');
    await mkdir(cwd, { recursive: true });
    await writeFile(path.join(cwd, 'trailing.json'), '{\n  "asyncapi": "3.0.0",\n  "info": { "title": "t", "version": "1", },\n}\n');
    const run = await runCli(['generate', 'trailing.json', '-o', 'out'], { cwd });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('refuses a spec over 64 MiB before reading it', async () => {
    const cwd = path.join(DIR, 'huge');
    await mkdir(cwd, { recursive: true });
    await writeFile(path.join(cwd, 'huge.yaml'), '');
    await truncate(path.join(cwd, 'huge.yaml'), 65 * 2 ** 20);
    const run = await runCli(['generate', 'huge.yaml', '-o', 'out'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^huge\.yaml: error huge\.yaml is 65 MiB; specs over 64 MiB are refused/);
    expect(await listing(cwd)).toEqual(['huge.yaml']);
  });

  it('follows a $ref outside the folder when allowed by --allow-external-refs, or by the config', async () => {
    const cwd = path.join(DIR, 'allowed');
    await mkdir(path.join(cwd, 'spec'), { recursive: true });
    await writeFile(path.join(cwd, 'shared.yaml'), 'Order:\n  type: object\n  properties:\n    id: { type: string }\n');
    await writeFile(path.join(cwd, 'spec', 'orders.yaml'), channelWith('          $ref: "../shared.yaml#/Order"\n'));
    const refused = await runCli(['generate', 'spec/orders.yaml', '-o', 'out'], { cwd });
    expect(refused.code).toBe(1);
    const flag = await runCli(['generate', 'spec/orders.yaml', '-o', 'out', '--allow-external-refs'], { cwd });
    expect(flag.stderr).toBe('');
    expect(flag.code).toBe(0);
    expect(await readFile(path.join(cwd, 'out', 'models.ts'), 'utf8')).toMatch(/id\?: string/);
    await writeFile(path.join(cwd, 'codegen.config.json'), JSON.stringify({ options: { allowExternalRefs: true }, specs: [{ spec: 'spec/orders.yaml', output: 'cfg-out' }] }));
    const config = await runCli([], { cwd });
    expect(config.code).toBe(0);
    expect(await readdir(path.join(cwd, 'cfg-out'))).toContain('models.ts');
  });
});
