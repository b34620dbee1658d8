import { formatDiagnostic, isCodegenError } from '../errors.js';

/** The one place that decides how a failure is shown: a user's mistake briefly, our bug with its stack. */
export function report(error: unknown): number {
  if (isCodegenError(error)) {
    for (const d of error.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    if (error.diagnostics.length > 1) process.stderr.write(`${error.message}\n`);
    return 1;
  }
  process.stderr.write(`codegen: internal error. Please report it with the spec that caused it.\n${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  return 70;
}
