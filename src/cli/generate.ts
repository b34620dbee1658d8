import { heapForSpec } from './heap.js';
import { cachedFiles } from '../cache/index.js';
import { resolveJobs } from '../config/jobs.js';
import type { FileSet } from '../emit/fileset.js';
import { writeJob } from '../emit/runtime.js';
import type { WriteResult } from '../emit/write.js';
import { formatDiagnostic } from '../errors.js';
import type { GenerateOptions, GenerationOptions } from '../generate.js';
import { EXIT_FAILED, report } from './report.js';
import { reportTimings, timed } from '../timings.js';

export interface GenerateCommandOptions {
  readonly spec: string | undefined;
  readonly output: string | undefined;
  /** Generation options given as flags. */
  readonly flags?: GenerationOptions | undefined;
  /** false: do not use the output cache (`--no-cache`). */
  readonly cache?: boolean | undefined;
}

/** `specs/a.yaml → generated/a: 11 files (2 written, 9 unchanged) in 0.41 s` */
export function summary(job: GenerateOptions, result: WriteResult & { readonly files: FileSet }, started: number): string {
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const parts = [`${result.written.length} written`, `${result.unchanged.length} unchanged`];
  if (result.removed.length > 0) parts.push(`${result.removed.length} removed`);
  return `${job.spec} → ${job.output}: ${result.files.size} files (${parts.join(', ')}) in ${seconds} s`;
}

/**
 * Generates one job, printing its diagnostics and summary; returns the exit code of this job. A
 * cache hit prints the same: its files go through the same writer, its warnings are shown again.
 */
export async function generateJob(job: GenerateOptions, prefix: () => string = () => '', cache?: boolean): Promise<number> {
  const started = performance.now();
  heapForSpec(job.spec);
  try {
    const cached = await cachedFiles(job, { cache });
    const { diagnostics } = cached;
    const files = await timed('postProcess', async () => (await import('../emit/postprocess.js')).postProcess(cached.files, job));
    const result = await timed('write', () => writeJob(job.output, files, job.runtime));
    reportTimings(job.spec);
    for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    process.stdout.write(`${prefix()}${summary(job, { ...result, files }, started)}\n`);
    return 0;
  } catch (error) {
    return report(error);
  }
}

export async function generateCommand(options: GenerateCommandOptions): Promise<number> {
  const { jobs } = await resolveJobs({ spec: options.spec, output: options.output, flags: options.flags });
  let failed = false;
  for (const job of jobs) {
    const code = await generateJob(job, undefined, options.cache);
    if (code !== 0 && code !== EXIT_FAILED) return code;
    failed ||= code !== 0;
  }
  return failed ? EXIT_FAILED : 0;
}
