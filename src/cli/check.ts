/** `codegen check`: regenerates in memory and compares with disk; exit 1 when anything would change. */
import path from 'node:path';
import { resolveJobs } from '../config/jobs.js';
import { isFresh, type Drift } from '../emit/check.js';
import { compareJob } from '../emit/runtime.js';
import type { GenerateOptions, GenerationOptions } from '../generate.js';
import { annotation, EXIT_FAILED, inGitHubActions, report } from './report.js';

export interface CheckCommandOptions {
  readonly spec: string | undefined;
  readonly output: string | undefined;
  readonly flags?: GenerationOptions | undefined;
  /** false: regenerate without the output cache (`--no-cache`). */
  readonly cache?: boolean | undefined;
  /** The command that brings the files up to date, for the closing hint. */
  readonly fix?: string | undefined;
}

function join(output: string, rel: string): string {
  return path.posix.join(output.split(path.sep).join('/'), rel);
}

function print(job: GenerateOptions, drift: Drift): void {
  const counts = [
    drift.stale.length > 0 ? `${drift.stale.length} stale` : '',
    drift.missing.length > 0 ? `${drift.missing.length} missing` : '',
    drift.extra.length > 0 ? `${drift.extra.length} extra` : '',
  ].filter((s) => s !== '');
  const lines = [`${job.spec} → ${job.output}: out of date (${counts.join(', ')})`];
  for (const f of drift.stale) lines.push(`  stale    ${join(job.output, f.path)}`);
  for (const f of drift.missing) lines.push(`  missing  ${join(job.output, f)}`);
  for (const f of drift.extra) lines.push(`  extra    ${join(job.output, f)} (generated earlier, no longer produced)`);
  for (const f of drift.stale) lines.push('', f.diff);
  process.stdout.write(`${lines.join('\n')}\n`);
  if (inGitHubActions()) {
    const notes: Array<[string, string]> = [
      ...drift.stale.map((f): [string, string] => [f.path, 'differs from what codegen generates']),
      ...drift.missing.map((f): [string, string] => [f, 'is missing']),
      ...drift.extra.map((f): [string, string] => [f, 'was generated earlier and is no longer produced']),
    ];
    for (const [rel, what] of notes) {
      const file = join(job.output, rel);
      process.stdout.write(`${annotation({ severity: 'error', code: 'stale-output', message: `${file} ${what} from ${job.spec}`, location: { file } })}\n`);
    }
  }
}

export async function checkCommand(options: CheckCommandOptions): Promise<number> {
  const { jobs } = await resolveJobs({ spec: options.spec, output: options.output, flags: options.flags });
  let outdated = 0;
  let failed = false;
  for (const job of jobs) {
    try {
      const cached = await (await import('../cache/index.js')).cachedFiles(job, { cache: options.cache });
      // The same formatter as generate, so a formatted output on disk compares equal.
      const files = await (await import('../emit/postprocess.js')).postProcess(cached.files, job);
      const drift = await compareJob(job.output, files, job.runtime);
      if (isFresh(drift)) process.stdout.write(`${job.spec} → ${job.output}: up to date (${drift.fresh} files)\n`);
      else {
        outdated++;
        print(job, drift);
      }
    } catch (error) {
      const code = report(error);
      if (code !== EXIT_FAILED) return code;
      failed = true;
    }
  }
  if (outdated > 0) {
    const specs = `${outdated} of ${jobs.length} spec${jobs.length === 1 ? '' : 's'}`;
    process.stdout.write(`\n${specs} out of date: run \`${options.fix ?? 'codegen generate'}\` and commit the result\n`);
  }
  return outdated > 0 || failed ? EXIT_FAILED : 0;
}
