/**
 * Whole-process measurements: wall time from our own clock (finer than `%e`), peak resident
 * memory from GNU time's `%M`, and the statistics the report needs.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const GNU_TIME = '/usr/bin/time';
export const HAS_GNU_TIME = existsSync(GNU_TIME);

export interface Sample {
  readonly seconds: number;
  /** Peak RSS in MB; NaN when GNU time is missing. */
  readonly peakMb: number;
}

export interface RunResult extends Sample {
  readonly code: number;
  readonly output: string;
}

export interface Command {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv | undefined;
}

export async function run(c: Command): Promise<RunResult> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'bench-time-'));
  const timeFile = path.join(scratch, 'time');
  const [command, args] = HAS_GNU_TIME ? [GNU_TIME, ['-f', '%e %M', '-o', timeFile, c.command, ...c.args]] : [c.command, [...c.args]];
  const start = process.hrtime.bigint();
  const { code, output } = await new Promise<{ code: number; output: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd: c.cwd, env: c.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => chunks.push(d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ code: status ?? 1, output: Buffer.concat(chunks).toString('utf8') }));
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  let peakMb = Number.NaN;
  if (HAS_GNU_TIME) {
    const text = await readFile(timeFile, 'utf8').catch(() => '');
    // The last line: GNU time writes "Command exited with non-zero status" before it on failure.
    const kb = Number(text.trim().split('\n').at(-1)?.split(' ')[1]);
    if (Number.isFinite(kb)) peakMb = kb / 1024;
  }
  await rm(scratch, { recursive: true, force: true });
  return { code, output, seconds, peakMb };
}

export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function summarise(samples: readonly Sample[]): Sample & { readonly min: number; readonly max: number; readonly runs: number } {
  const seconds = samples.map((s) => s.seconds);
  return {
    seconds: median(seconds),
    peakMb: median(samples.map((s) => s.peakMb)),
    min: Math.min(...seconds),
    max: Math.max(...seconds),
    runs: samples.length,
  };
}

export function envInt(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}
