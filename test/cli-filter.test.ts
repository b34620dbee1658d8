/**
 * The `filter` option through the real binary: what is kept (operations, channels, messages,
 * models), the errors for a pattern that matches nothing, the config key, and that `check` and the
 * output cache see the filter. The filtered output compiles strictly and runs.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type Run } from './support/cli.js';
import { OUT, ROOT } from './support/specs.js';
import { STRICT } from './support/strict.js';

const DIR = path.join(OUT, 'cli-filter');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const SPEC = 'specs/shop.yaml';

function codegen(args: readonly string[], cwd = DIR): Promise<Run> {
  return runCli(args, { cwd, env: { CODEGEN_CACHE: '' } });
}

/** The client's members (operations, then `channels.*`) and the models of an output folder. */
async function shape(folder: string): Promise<{ members: string[]; channels: string[]; models: string[] }> {
  const client = await readFile(path.join(DIR, folder, 'client.ts'), 'utf8');
  const models = await readFile(path.join(DIR, folder, 'models.ts'), 'utf8');
  const iface = /export interface ShopClient \{\n([\s\S]*?)\n\}/.exec(client)?.[1] ?? '';
  return {
    members: [...iface.matchAll(/^ {2}readonly (\w+)/gm)].map((m) => m[1] ?? '').filter((k) => k !== 'channels'),
    channels: [...iface.matchAll(/^ {4}readonly (\w+)/gm)].map((m) => m[1] ?? ''),
    models: [...models.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1] ?? ''),
  };
}

beforeAll(async () => {
  await rm(DIR, { recursive: true, force: true });
  await mkdir(path.join(DIR, 'specs'), { recursive: true });
  await cp(path.join(ROOT, 'test', 'fixtures', 'filter', 'shop.yaml'), path.join(DIR, SPEC));
});

interface Want {
  readonly members: readonly string[];
  readonly channels: readonly string[];
  readonly models: readonly string[];
}

const CASES: ReadonlyArray<[string, { readonly given: readonly string[]; readonly want: Want }]> = [
  [
    'no filter: everything',
    {
      given: [],
      want: {
        members: ['placeOrder', 'onOrderPlaced', 'requestPayment', 'dumpDebug'],
        channels: ['orders', 'payments', 'paymentReplies', 'debug', 'audit'],
        models: ['Order', 'Address', 'PaymentRequest', 'PaymentResult', 'DebugDump', 'AuditEntry'],
      },
    },
  ],
  ['an operation by id: its channel and the models its message reaches', { given: ['operation:placeOrder'], want: { members: ['placeOrder'], channels: ['orders'], models: ['Order', 'Address'] } }],
  [
    'a channel by address glob: the channel and every operation on it',
    { given: ['channel:shop/orders/*'], want: { members: ['placeOrder', 'onOrderPlaced'], channels: ['orders'], models: ['Order', 'Address'] } },
  ],
  [
    'a request: its reply channel and reply message come along',
    { given: ['requestPayment'], want: { members: ['requestPayment'], channels: ['payments', 'paymentReplies'], models: ['PaymentRequest', 'PaymentResult'] } },
  ],
  [
    'exclude only: channels under internal/ and their operations go',
    {
      given: ['!channel:internal/*'],
      want: { members: ['placeOrder', 'onOrderPlaced', 'requestPayment'], channels: ['orders', 'payments', 'paymentReplies'], models: ['Order', 'Address', 'PaymentRequest', 'PaymentResult'] },
    },
  ],
  ['exclude wins over include', { given: ['channel:shop/**', '!operation:on*', '!channel:payment*'], want: { members: ['placeOrder'], channels: ['orders'], models: ['Order', 'Address'] } }],
  [
    'excluding a reply channel drops the request that replies on it, and its channel that nothing else uses',
    { given: ['!channel:paymentReplies', '!channel:internal/**'], want: { members: ['placeOrder', 'onOrderPlaced'], channels: ['orders'], models: ['Order', 'Address'] } },
  ],
  [
    'a channel no operation uses, named by an include: kept with its all-messages endpoint',
    { given: ['channel:audit', 'operation:dumpDebug'], want: { members: ['dumpDebug'], channels: ['debug', 'audit'], models: ['DebugDump', 'AuditEntry'] } },
  ],
  [
    'excluding every operation of a channel drops the channel too',
    {
      given: ['!operation:dumpDebug'],
      want: {
        members: ['placeOrder', 'onOrderPlaced', 'requestPayment'],
        channels: ['orders', 'payments', 'paymentReplies', 'audit'],
        models: ['Order', 'Address', 'PaymentRequest', 'PaymentResult', 'AuditEntry'],
      },
    },
  ],
];

describe('codegen --filter', () => {
  it.each(CASES)('%s', async (_name, { given, want }) => {
    const folder = `out-${CASES.findIndex(([, c]) => c.given === given)}`;
    const run = await codegen(['generate', SPEC, '-o', folder, '--transport', 'memory', ...given.flatMap((p) => ['--filter', p])]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await shape(folder)).toEqual(want);
  });

  it('every filtered output compiles under tsc --strict', async () => {
    const config = path.join(DIR, 'tsconfig.json');
    await writeFile(config, JSON.stringify({ compilerOptions: { ...STRICT, module: 'NodeNext', moduleResolution: 'NodeNext' }, include: ['out-*/**/*.ts'] }));
    const result = await promisify(execFile)(process.execPath, [TSC, '-p', config], { cwd: DIR }).then(
      () => '',
      (e: { stdout?: string }) => e.stdout ?? String(e),
    );
    expect(result).toBe('');
  });

  it('the filtered client runs: a kept request gets its reply over the in-memory transport', async () => {
    const dir = path.join(DIR, `out-${CASES.findIndex(([name]) => name.startsWith('a request'))}`);
    const { createShopClient } = (await import(path.join(dir, 'index.ts'))) as {
      createShopClient: (t: unknown) => {
        requestPayment: { request(p: unknown, o?: unknown): Promise<unknown>; respond(h: (p: unknown) => unknown): Promise<{ close(): Promise<void> }> };
      };
    };
    const { MemoryTransport } = (await import(path.join(dir, 'runtime', 'memory.ts'))) as { MemoryTransport: new () => { close(): Promise<void> } };
    const transport = new MemoryTransport();
    const client = createShopClient(transport);
    const server = await client.requestPayment.respond((request) => ({ ok: (request as { amount: number }).amount < 100 }));
    expect(await client.requestPayment.request({ orderId: 'o-1', amount: 12 })).toEqual({ ok: true });
    await server.close();
    await transport.close();
  });

  it.each<[string, { readonly given: readonly string[]; readonly want: readonly RegExp[] }]>([
    [
      'a typo in an operation id: named, with the near names',
      { given: ['operation:placeOrdr'], want: [/error filter pattern "operation:placeOrdr" matches no operation of shop\.yaml \[filter-matches-nothing\]/, /hint: did you mean "placeOrder"\?/] },
    ],
    [
      'a glob that matches no channel: the channels are listed',
      { given: ['channel:warehouse/*'], want: [/filter pattern "channel:warehouse\/\*" matches no channel of shop\.yaml/, /hint: channel: orders, shop\/orders\/\{region\}, payments/] },
    ],
    [
      'two patterns that match nothing: both reported',
      { given: ['operation:nope', '!channel:nada'], want: [/2 filter patterns match nothing in shop\.yaml/, /"operation:nope" matches no operation/, /"!channel:nada" matches no channel/] },
    ],
    ['a filter that keeps nothing', { given: ['!**'], want: [/the filter "!\*\*" leaves no channel and no operation of shop\.yaml \[filter-keeps-nothing\]/] }],
  ])('%s', async (_name, { given, want }) => {
    const run = await codegen(['generate', SPEC, '-o', 'refused', ...given.flatMap((p) => ['--filter', p])]);
    expect(run.code).toBe(1);
    for (const re of want) expect(run.stderr).toMatch(re);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    await expect(readFile(path.join(DIR, 'refused', 'client.ts'))).rejects.toThrow();
  });

  it('an empty pattern is a usage error (exit 2)', async () => {
    const run = await codegen(['generate', SPEC, '--filter', 'channel:']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/filter pattern "channel:" has no name or glob/);
  });
});

describe('filter in codegen.config.json', () => {
  it('a wrong value is reported at its place in the config', async () => {
    const dir = path.join(DIR, 'bad-config');
    await mkdir(dir, { recursive: true });
    await cp(path.join(DIR, SPEC), path.join(dir, SPEC));
    await writeFile(path.join(dir, 'codegen.config.json'), `${JSON.stringify({ specs: [{ spec: SPEC, output: 'out', filter: ['operation:placeOrder', 7] }] }, null, 2)}\n`);
    const run = await codegen(['generate'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/codegen\.config\.json:\d+:\d+: error filter\[1\] must be a string, not 7 \[invalid-config\]\n {2}at \/specs\/0\/filter\/1\n/);
  });

  it('check compares with the filter of the config, and the cache keys on it', async () => {
    const dir = path.join(DIR, 'config');
    await mkdir(dir, { recursive: true });
    await cp(path.join(DIR, SPEC), path.join(dir, SPEC));
    const config = (filter: readonly string[]) =>
      writeFile(path.join(dir, 'codegen.config.json'), `${JSON.stringify({ options: { transports: [] }, specs: [{ spec: SPEC, output: 'out', filter }] }, null, 2)}\n`);
    await config(['operation:placeOrder']);
    expect((await codegen(['generate'], dir)).code).toBe(0);
    expect((await codegen(['check'], dir)).stdout).toMatch(/specs\/shop\.yaml → out: up to date/);
    // Another filter: generated files differ, so check fails, and a regenerate (cache on) writes the new ones.
    await config(['operation:requestPayment']);
    const stale = await codegen(['check'], dir);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(/stale {4}out\/client\.ts/);
    expect((await codegen(['generate'], dir)).code).toBe(0);
    expect(await readFile(path.join(dir, 'out', 'client.ts'), 'utf8')).toMatch(/readonly requestPayment:/);
    // Back to the first filter: a cache hit must give the first filter's files, not the last run's.
    await config(['operation:placeOrder']);
    expect((await codegen(['generate'], dir)).code).toBe(0);
    const client = await readFile(path.join(dir, 'out', 'client.ts'), 'utf8');
    expect(client).toMatch(/readonly placeOrder:/);
    expect(client).not.toMatch(/requestPayment/);
    // A flag wins over the config for check too.
    expect((await codegen(['check', '--filter', 'operation:requestPayment'], dir)).code).toBe(1);
  });
});
