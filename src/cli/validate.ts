/** `codegen validate`: diagnostics only, as text, GitHub annotations or stable JSON. Writes nothing. */
import { resolveJobs } from '../config/jobs.js';
import { formatDiagnostic, isCodegenError, type Diagnostic } from '../errors.js';
import { generateFiles, type GenerationOptions } from '../generate.js';
import { annotation, EXIT_FAILED, inGitHubActions, report } from './report.js';

export const FORMATS = ['text', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export interface ValidateCommandOptions {
  readonly spec: string | undefined;
  readonly flags?: GenerationOptions | undefined;
  readonly format: Format;
  /** Warnings fail too. */
  readonly strict: boolean;
}

/** The JSON shape tools read: every key always present, in this order. */
export interface JsonDiagnostic {
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
  readonly severity: Diagnostic['severity'];
  readonly code: string;
  readonly message: string;
  readonly pointer: string | null;
  readonly hint: string | null;
}

export function toJson(d: Diagnostic): JsonDiagnostic {
  return {
    file: d.location?.file ?? null,
    line: d.location?.line ?? null,
    column: d.location?.column ?? null,
    severity: d.severity,
    code: d.code,
    message: d.message,
    pointer: d.location?.pointer || null,
    hint: d.hint ?? null,
  };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The spec's diagnostics: the generator's warnings, or the errors that stopped it. */
async function diagnose(spec: string, options: GenerationOptions): Promise<readonly Diagnostic[]> {
  try {
    return (await generateFiles(spec, options)).diagnostics;
  } catch (error) {
    if (isCodegenError(error)) return error.diagnostics;
    throw error;
  }
}

export async function validateCommand(options: ValidateCommandOptions): Promise<number> {
  const { jobs } = await resolveJobs({ spec: options.spec, flags: options.flags });
  const all: Diagnostic[] = [];
  const text: string[] = [];
  for (const job of jobs) {
    let found: readonly Diagnostic[];
    try {
      found = await diagnose(job.spec, job);
    } catch (error) {
      return report(error);
    }
    all.push(...found);
    const errors = found.filter((d) => d.severity === 'error').length;
    const warnings = found.filter((d) => d.severity === 'warning').length;
    for (const d of found) text.push(formatDiagnostic(d));
    if (inGitHubActions()) for (const d of found) text.push(annotation(d));
    const verdict = errors > 0 || (options.strict && warnings > 0) ? 'invalid' : 'valid';
    const counts = [errors > 0 ? plural(errors, 'error') : '', warnings > 0 ? plural(warnings, 'warning') : ''].filter((s) => s !== '');
    text.push(`${job.spec}: ${verdict}${counts.length > 0 ? ` (${counts.join(', ')})` : ''}`);
  }
  const errors = all.filter((d) => d.severity === 'error').length;
  const warnings = all.filter((d) => d.severity === 'warning').length;
  const ok = errors === 0 && !(options.strict && warnings > 0);
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify({ ok, errors, warnings, diagnostics: all.map(toJson) }, null, 2)}\n`);
  } else {
    process.stdout.write(`${text.join('\n')}\n`);
    if (!ok && errors === 0) process.stdout.write('warnings fail the check because of --strict\n');
  }
  return ok ? 0 : EXIT_FAILED;
}
