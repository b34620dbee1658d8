import path from 'node:path';

/** Where in a spec a diagnostic points. Lines and columns are 1-based. */
export interface Location {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  /** JSON pointer into the document, e.g. `/channels/orders/address`. */
  readonly pointer?: string;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
  readonly location?: Location;
}

/** A mistake of the user's (spec, config, command line): printed compiler-style, exit 1. */
export class CodegenError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly location: Location | undefined;
  readonly diagnostics: readonly Diagnostic[];

  constructor(init: { code: string; message: string; hint?: string; location?: Location; diagnostics?: readonly Diagnostic[] }) {
    super(init.message);
    this.name = 'CodegenError';
    this.code = init.code;
    this.hint = init.hint;
    this.location = init.location;
    this.diagnostics = init.diagnostics ?? [{ severity: 'error', code: init.code, message: init.message, hint: init.hint, location: init.location }];
  }
}

export function isCodegenError(error: unknown): error is CodegenError {
  return error instanceof CodegenError;
}

/** `file:line:col error message [code]` then an indented hint, as compilers print them. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = formatLocation(d.location);
  const head = `${where ? `${where} ` : ''}${d.severity} ${d.message}${d.code ? ` [${d.code}]` : ''}`;
  const lines = [head];
  if (d.location?.pointer !== undefined && d.location.pointer !== '') lines.push(`  at ${d.location.pointer}`);
  if (d.hint) lines.push(`  hint: ${d.hint}`);
  return lines.join('\n');
}

function formatLocation(loc: Location | undefined): string {
  if (!loc) return '';
  if (loc.line === undefined) return `${loc.file}:`;
  return `${loc.file}:${loc.line}:${loc.column ?? 1}:`;
}

/** Paths print relative to where the user stands (`../specs/a.yaml`), never as machine paths when avoidable. */
export function shown(p: string, cwd: string = process.cwd()): string {
  const rel = path.relative(cwd, path.resolve(cwd, p));
  if (rel === '') return '.';
  return path.isAbsolute(rel) ? rel : rel.split(path.sep).join('/');
}
