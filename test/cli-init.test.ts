/**
 * `codegen init`, spawned as a user runs it: the scaffold installs and passes its own tests, every
 * transport's scaffold type-checks, the broker ones run against the shared brokers, and a folder
 * with something in it is never written to by accident.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amqpBroker, mqttBroker, natsBroker, uniqueName } from './brokers/support.js';
import { OUT, ROOT } from './support/specs.js';

const BIN = path.join(ROOT, 'bin', 'codegen.js');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const SESSIONS = path.join(ROOT, 'specs', 'user-sessions.asyncapi.json');
const IAM = path.join(ROOT, 'specs', 'iam-client-events.asyncapi.yaml');
const repo = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(command: string, args: readonly string[], cwd: string, timeout = 120_000): Promise<Run> {
  return promisify(execFile)(command, [...args], { cwd, timeout, maxBuffer: 32 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: typeof error.code === 'number' ? error.code : -1, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  );
}

const codegen = (args: readonly string[]): Promise<Run> => run(process.execPath, [BIN, ...args], OUT);
const npm = (args: readonly string[], cwd: string, timeout?: number): Promise<Run> => run(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, cwd, timeout);

async function listing(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'package-lock.json' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listing(full, base)));
    else out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}

/** A scaffold that borrows this repository's node_modules (every broker client is there), to skip installs. */
async function scaffold(name: string, spec: string, transport: string): Promise<string> {
  const dir = path.join(OUT, name);
  await rm(dir, { recursive: true, force: true });
  const result = await codegen(['init', name, '--spec', spec, '--transport', transport]);
  expect(result.stderr, result.stderr).not.toMatch(/error/);
  expect(result.code).toBe(0);
  await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'junction');
  return dir;
}

beforeAll(async () => {
  await mkdir(OUT, { recursive: true });
});

describe('codegen init, the in-memory scaffold of user-sessions', () => {
  const dir = path.join(OUT, 'init-sessions');
  beforeAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the project: spec, generated client, service, test, config and README', async () => {
    const result = await codegen(['init', 'init-sessions', '--spec', SESSIONS]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /→ init-sessions: 8 project files and a client of \d+ files in src\/generated\/user-sessions \(memory transport\) in \d+\.\d\d s\nnext: cd init-sessions && npm install && npm test\n$/,
    );
    const files = await listing(dir);
    expect(files.filter((f) => !f.startsWith('src/generated/'))).toEqual([
      '.gitignore',
      'README.md',
      'codegen.config.json',
      'package.json',
      'specs/user-sessions.asyncapi.json',
      'src/index.ts',
      'test/messages.test.ts',
      'tsconfig.json',
    ]);
    expect(files).toContain('src/generated/user-sessions/index.ts');
    expect(
      files.some((f) => /runtime\/(nats|mqtt|amqp|kafka|webhook)\.ts$/.test(f)),
      'no broker adapter for the in-memory transport',
    ).toBe(false);
    expect(await readFile(path.join(dir, 'specs', 'user-sessions.asyncapi.json'), 'utf8')).toBe(await readFile(SESSIONS, 'utf8'));
  });

  it("has a package.json with the scripts, no runtime dependency, and this repository's tool versions", async () => {
    const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({
      name: 'init-sessions',
      private: true,
      type: 'module',
      scripts: { build: 'tsc', start: 'tsx src/index.ts', test: 'tsx --test test/*.test.ts', generate: 'codegen generate' },
      dependencies: {},
      devDependencies: { typescript: repo.devDependencies['typescript'], tsx: repo.devDependencies['tsx'], '@types/node': repo.devDependencies['@types/node'] },
    });
    expect(JSON.parse(await readFile(path.join(dir, 'codegen.config.json'), 'utf8'))).toEqual({
      specs: [{ spec: 'specs/user-sessions.asyncapi.json', output: 'src/generated/user-sessions', transports: [] }],
    });
    expect(await readFile(path.join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\ndist/\n');
  });

  it('passes `npm install && npm test`, builds, starts, and regenerates to the same bytes', async () => {
    const install = await npm(['install', '--no-audit', '--no-fund'], dir, 300_000);
    expect(install.code, install.stderr).toBe(0);
    const test = await npm(['test'], dir);
    expect(test.code, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/^# pass 2$/m);
    expect(test.stdout).toMatch(/^# fail 0$/m);
    const build = await npm(['run', 'build'], dir);
    expect(build.code, build.stdout).toBe(0);
    const start = await npm(['start'], dir);
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toMatch(/received userSessionBegin on system-events\.user-session: \{"id":"A234-1234-1234"/);
    // What `npm run generate` would do, with the generator reached by path (it is not on npm).
    const check = await run(process.execPath, [BIN, 'check'], dir);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  }, 400_000);

  it('writes the same service and test every time', async () => {
    const again = path.join(OUT, 'init-sessions-again');
    await rm(again, { recursive: true, force: true });
    expect((await codegen(['init', 'init-sessions-again', '--spec', SESSIONS])).code).toBe(0);
    for (const file of ['src/index.ts', 'test/messages.test.ts', 'tsconfig.json', 'codegen.config.json']) {
      expect(await readFile(path.join(again, file), 'utf8'), file).toBe(await readFile(path.join(dir, file), 'utf8'));
    }
  });
});

const TRANSPORT_DEPENDENCIES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['memory', []],
  ['nats', ['@nats-io/jetstream', '@nats-io/transport-node']],
  ['mqtt', ['mqtt']],
  ['amqp', ['amqplib']],
  ['kafka', ['kafkajs']],
  ['webhook', []],
];

describe.concurrent('every transport and both seeds type-check (tsc --noEmit, strict)', () => {
  it.each(TRANSPORT_DEPENDENCIES.flatMap(([transport, deps]) => [['user-sessions', transport, SESSIONS, deps] as const, ['iam', transport, IAM, deps] as const]))(
    '%s over %s',
    async (name, transport, spec, deps) => {
      const dir = await scaffold(`init-${name}-${transport}`, spec, transport);
      const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
      expect(pkg.dependencies).toEqual(Object.fromEntries(deps.map((d) => [d, repo.devDependencies[d]])));
      const files = await listing(dir);
      if (transport !== 'memory') expect(files).toContain(`src/generated/${path.basename(spec).replace(/\.asyncapi\..*$/, '')}/runtime/${transport}.ts`);
      const tsc = await run(process.execPath, [TSC, '--noEmit', '-p', '.'], dir);
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(tsc.code).toBe(0);
    },
  );

  it("the IAM scaffold's test sends and receives all nine messages, from synthesised samples", async () => {
    const dir = await scaffold('init-iam-test', IAM, 'memory');
    const test = await run(process.execPath, ['--import', 'tsx', '--test', 'test/messages.test.ts'], dir);
    expect(test.code, test.stdout).toBe(0);
    expect(test.stdout).toMatch(/^# pass 9$/m);
    expect(await readFile(path.join(dir, 'test', 'messages.test.ts'), 'utf8')).toContain('const payload = { name: "clientCreated" } satisfies models.ClientCreated;');
  });
});

/** Runs a scaffold's service until it has received its own demo message, then stops it with SIGTERM. */
async function startAndStop(dir: string, env: Readonly<Record<string, string>>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], { cwd: dir, env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const end = Date.now() + 30_000;
  // "listening" is printed just before the signal handlers are installed, in the same tick.
  const done = (): boolean => /received userSessionBegin/.test(output) && /listening; Ctrl-C to stop/.test(output);
  while (!done() && child.exitCode === null && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGTERM');
  return { code: await exited, output };
}

const [nats, mqtt, amqp] = await Promise.all([natsBroker(), mqttBroker(), amqpBroker()]);

describe('a broker scaffold runs: it receives its own message and stops cleanly on SIGTERM', () => {
  const exchange = uniqueName('init-scaffold');
  afterAll(async () => {
    if (!amqp.available) return;
    const { connect } = await import('amqplib');
    const connection = await connect('amqp://guest:guest@127.0.0.1:5672');
    const channel = await connection.createChannel();
    await channel.deleteQueue(`${exchange}.dead-letter`);
    for (const x of [exchange, `${exchange}.dead-letter`]) await channel.deleteExchange(x);
    await connection.close();
  });

  const cases = [
    ['nats', nats, {}],
    ['mqtt', mqtt, {}],
    ['amqp', amqp, { AMQP_EXCHANGE: exchange }],
  ] as const;
  for (const [transport, broker, env] of cases) {
    it.skipIf(!broker.available)(`${transport}${broker.available ? '' : ` (skipped: ${broker.reason})`}`, async () => {
      const dir = await scaffold(`init-live-${transport}`, SESSIONS, transport);
      const { code, output } = await startAndStop(dir, env);
      expect(output).toMatch(/published userSessionBegin/);
      expect(output).toMatch(/received userSessionBegin on system-events\.user-session/);
      expect(code, output).toBe(0);
    });
  }

  it('webhook (a receiver on a free loopback port, a sender posting to it)', async () => {
    const dir = await scaffold('init-live-webhook', SESSIONS, 'webhook');
    // The scaffold has no built-in secret: it would refuse to start without one.
    const { code, output } = await startAndStop(dir, { PORT: '0', WEBHOOK_SECRET: 'a-secret-for-the-test-of-32-chars-or-more' });
    expect(output).toMatch(/received userSessionBegin on system-events\.user-session/);
    expect(code, output).toBe(0);
  });
});

describe('codegen init refuses what it should', () => {
  it('a folder with something in it: exit 1, a clear message, nothing written', async () => {
    const dir = path.join(OUT, 'init-taken');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'notes.txt'), 'mine');
    const result = await codegen(['init', 'init-taken', '--spec', SESSIONS]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^init-taken: error init-taken is not empty \(notes\.txt\); nothing was written \[target-not-empty\]\n {2}hint: .*--force/m);
    expect(await readdir(dir)).toEqual(['notes.txt']);
  });

  it('--force writes into it and leaves the other files alone', async () => {
    const result = await codegen(['init', 'init-taken', '--spec', SESSIONS, '--force']);
    expect(result.code, result.stderr).toBe(0);
    const dir = path.join(OUT, 'init-taken');
    expect(await readFile(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(await listing(dir)).toContain('test/messages.test.ts');
  });

  it.each([
    ['a spec that is not valid AsyncAPI', 1, ['init', 'init-bad', '--spec', path.join(ROOT, 'test', 'fixtures', 'public', 'README.md')], /error/],
    ['a spec that does not exist', 1, ['init', 'init-bad', '--spec', 'missing.yaml'], /missing\.yaml.*error cannot read/],
    [
      'an unknown transport',
      2,
      ['init', 'init-bad', '--spec', SESSIONS, '--transport', 'carrier-pigeon'],
      /unknown transport "carrier-pigeon".*\n.*hint: choose one of: memory, nats, mqtt, amqp, kafka, webhook/,
    ],
    ['no --spec', 2, ['init', 'init-bad'], /required option '--spec <file>' not specified\n\(run codegen init --help for usage\)/],
  ] as const)('%s: exit %i, and no folder is created', async (_name, code, args, message) => {
    await rm(path.join(OUT, 'init-bad'), { recursive: true, force: true });
    const result = await codegen(args);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(
      await readdir(path.join(OUT, 'init-bad')).then(
        () => true,
        () => false,
      ),
    ).toBe(false);
  });
});
