/**
 * What the interop tests share: whether a peer tool written by others is installed (under CI=true
 * a missing one fails the file, otherwise the file skips and says why and how to install it, as
 * the broker tests do), running it with a time limit, and one user-session event in every shape
 * a peer sends or expects.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Peer {
  readonly available: boolean;
  /** A describe title that carries the skip reason, so a skipped suite says why. */
  readonly title: string;
}

/** `.ci/run` installs these Debian packages when a tool is missing; the skip message says the same. */
export const INSTALL = 'apt-get install -y mosquitto-clients amqp-tools python3-pika python3-websockets python3-avro libnats-dev gcc curl openssl kcat';

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Checks the tools once per file; `extra` reports anything else missing (a library, a module). */
export function peer(name: string, commands: readonly string[], extra: () => string | undefined = () => undefined): Peer {
  const missing = commands.filter((c) => !has(c));
  const reason = missing.length > 0 ? `${missing.join(', ')} not installed` : extra();
  if (reason !== undefined && process.env['CI'] === 'true') throw new Error(`CI=true and the ${name} peer cannot run: ${reason} (${INSTALL})`);
  if (reason !== undefined) console.warn(`skipping ${name} interop tests: ${reason} (install with: ${INSTALL})`);
  return { available: reason === undefined, title: reason === undefined ? name : `${name} (skipped: ${reason}; install with: ${INSTALL})` };
}

/** Debian's python3 (the one python3-pika installs into), whatever python3 comes first on PATH. */
export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export function pythonModule(module: string): () => string | undefined {
  return () => (spawnSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0 ? undefined : `the ${module} module of ${PYTHON} is missing`);
}

export interface StartOptions {
  readonly input?: string;
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** What the peer prints once it listens. Default a line `ready`. */
  readonly ready?: RegExp;
  /** Output that ends the run: the peer is stopped and what it printed so far is the result. */
  readonly until?: RegExp;
}

export interface Run {
  /** Resolves once the peer printed `ready` (a subscriber that is listening). */
  readonly ready: Promise<void>;
  /** Everything the peer printed, once it exited 0. */
  readonly output: Promise<string>;
}

/** Starts a peer; rejects with its stderr when it fails or outlives `timeoutMs`. */
export function start(command: string, args: readonly string[], options: StartOptions = {}): Run {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let ended = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    if ((options.ready ?? /^ready$/m).test(stdout)) markReady();
    if (options.until?.test(stdout) && !ended) {
      ended = true;
      child.kill('SIGTERM');
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin.end(options.input ?? '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const output = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      markReady();
      if (code === 0 || ended) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} ${signal ? `was killed (${signal}) after ${timeoutMs} ms` : `exited ${code}`}: ${stderr.trim()}`));
    });
  });
  output.catch(() => undefined); // awaited by the test; a failure before then must not count as unhandled
  return { ready: Promise.race([ready, output.then(() => undefined)]), output };
}

/** Runs a peer to its end and returns what it printed. */
export function run(command: string, args: readonly string[], options: StartOptions = {}): Promise<string> {
  return start(command, args, options).output;
}

/** Compiles the libnats peer once per source version, into the temp folder. */
export function natsPeerBinary(): string {
  const source = path.join(import.meta.dirname, 'nats-peer.c');
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 12);
  const dir = path.join(tmpdir(), 'codegen-interop');
  const binary = path.join(dir, `nats-peer-${hash}`);
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const built = spawnSync('gcc', ['-O0', '-o', `${binary}.${process.pid}`, source, '-lnats'], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`cannot compile the libnats peer: ${built.stderr}`);
  spawnSync('mv', ['-f', `${binary}.${process.pid}`, binary]);
  return binary;
}

/** Whether libnats and its header are there to compile against. */
export function libnats(): string | undefined {
  return existsSync('/usr/include/nats/nats.h') || spawnSync('pkg-config', ['--exists', 'libnats']).status === 0 ? undefined : 'libnats-dev (nats/nats.h) not installed';
}

/** One user-session begin event, as Qlik documents it. */
export const EVENT = {
  specversion: '1.0',
  id: 'evt-0001',
  source: 'com.qlik/edge-auth',
  type: 'com.qlik.user-session.begin',
  time: '2026-01-01T12:00:00.000Z',
  tenantid: 'TiQ8GPVr8qI714Lp5ChAAFFaU24MJy69',
  userid: '605a18af2ab08cdbfad09259',
  data: { idpId: '661d627cef218789bbd67cc9', source: 'com.qlik/edge-auth', subject: 'auth0\\foo', recovery: false },
} as const;

/** The attributes of EVENT (everything but data), as strings. */
export function attributes(): Array<[string, string]> {
  const { data: _data, ...rest } = EVENT;
  return Object.entries(rest);
}

export const STRUCTURED = 'application/cloudevents+json';
