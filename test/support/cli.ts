/** Runs the real `codegen` binary as a user would, and never throws: exit code and output come back. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './specs.js';

export const BIN = path.join(ROOT, 'bin', 'codegen.js');

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `GITHUB_ACTIONS` from the outer CI is dropped, so annotations appear only where a test asks for them. */
export function runCli(args: readonly string[], options: { readonly cwd: string; readonly env?: Record<string, string> | undefined }): Promise<Run> {
  const { GITHUB_ACTIONS: _, ...rest } = process.env;
  return promisify(execFile)(process.execPath, [BIN, ...args], { cwd: options.cwd, env: { ...rest, ...options.env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: typeof error.code === 'number' ? error.code : -1, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  );
}
