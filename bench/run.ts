/**
 * `npm run bench`: runs the sections (all, or BENCH_ONLY=generate,runtime,nats), keeps each
 * section's latest result in bench/.cache/results.json and rewrites bench/RESULTS.md from it,
 * so a partial run refreshes its own section and leaves the others (with their dates) as they were.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchGenerate } from './generate.js';
import type { NatsResult } from './nats.js';
import { render, type Machine, type Sections, type Stamped } from './report.js';
import type { RuntimeRow } from './runtime.js';
import { CACHE, SPECS_DIR } from './synth.js';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
const RESULTS_JSON = path.join(CACHE, 'results.json');
const SECTIONS = ['generate', 'runtime', 'nats'] as const;
type Section = (typeof SECTIONS)[number];

const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    // The kernel's version without its build suffix, which names a machine image rather than the machine.
    os: `${os.type()} ${os.release().split(/[-+]/)[0] ?? ''}`,
    load: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / '),
  };
}

/** Runs a command; resolves with its stdout, rejects with the tail of its stderr. */
function exec(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${path.basename(args[args.length - 2] ?? command)} exited ${code}: ${stderr.trim().split('\n').slice(-4).join(' / ')}`)),
    );
  });
}

/** Generates a client into bench/.cache/gen/<name> (inside the project, so @nats-io/* resolves). */
async function generateClient(name: string, spec: string, transport: string): Promise<string> {
  const out = path.join(CACHE, 'gen', name);
  await rm(out, { recursive: true, force: true });
  await exec(process.execPath, [path.join(ROOT, 'bin', 'codegen.js'), 'generate', spec, '-o', out, '--transport', transport]);
  return out;
}

/** A tsx child that prints one JSON line: runtime and NATS each get a fresh process and heap. */
async function tsxJson<T>(script: string, args: readonly string[]): Promise<T> {
  const stdout = await exec(process.execPath, ['--import', 'tsx', path.join(BENCH, script), ...args]);
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as T;
}

async function section<T>(name: Section, work: () => Promise<T>): Promise<Stamped<T>> {
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const m = machine();
  log(`${name}: start`);
  try {
    return { date, machine: m, data: await work() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`${name}: FAILED: ${message}`);
    return { date, machine: m, data: undefined as T, error: message };
  }
}

async function main(): Promise<void> {
  const only = (process.env['BENCH_ONLY'] ?? SECTIONS.join(',')).split(',').map((t) => t.trim());
  const unknown = only.filter((t) => !(SECTIONS as readonly string[]).includes(t));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown section ${unknown.join(', ')} (use ${SECTIONS.join(', ')})`);
  const previous = JSON.parse(await readFile(RESULTS_JSON, 'utf8').catch(() => '{}')) as Sections;
  const sections: { -readonly [K in keyof Sections]: Sections[K] } = { ...previous };

  if (only.includes('generate')) sections.generate = await section('generate', () => benchGenerate(ROOT, log));
  if (only.includes('runtime')) {
    sections.runtime = await section('runtime', async () => {
      const spec = path.join(ROOT, 'specs', 'user-sessions.asyncapi.json');
      const dir = await generateClient('user-sessions', spec, 'memory');
      return tsxJson<{ rows: RuntimeRow[] }>('runtime.ts', [dir, spec]);
    });
  }
  if (only.includes('nats')) {
    sections.nats = await section('nats', async () => {
      // A copy of user-sessions on a subject of its own, so tests on the shared broker never see it.
      const spec = JSON.parse(await readFile(path.join(ROOT, 'specs', 'user-sessions.asyncapi.json'), 'utf8')) as { channels: Record<string, { address: string }> };
      const unique = `bench-${process.pid}-${Date.now().toString(36)}`;
      for (const channel of Object.values(spec.channels)) channel.address = `${unique}.${channel.address}`;
      await mkdir(SPECS_DIR, { recursive: true });
      const copy = path.join(SPECS_DIR, 'user-sessions-nats.asyncapi.json');
      await writeFile(copy, JSON.stringify(spec, null, 2));
      const dir = await generateClient('user-sessions-nats', copy, 'nats');
      return tsxJson<NatsResult>('nats.ts', [dir]);
    });
  }

  await mkdir(CACHE, { recursive: true });
  await writeFile(RESULTS_JSON, `${JSON.stringify(sections, null, 2)}\n`);
  await writeFile(path.join(BENCH, 'RESULTS.md'), render(sections, 'npm run bench'));
  log('wrote bench/RESULTS.md');
}

await main();
