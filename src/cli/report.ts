import { formatDiagnostic, isCodegenError, type Diagnostic } from '../errors.js';

/** Exit codes of every command. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;

/** The one place that decides how a failure is shown: a user's mistake briefly, our bug with its stack. */
export function report(error: unknown): number {
  if (isCodegenError(error)) {
    for (const d of error.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    if (error.diagnostics.length > 1) process.stderr.write(`${error.message}\n`);
    return error.code === 'usage' ? EXIT_USAGE : EXIT_FAILED;
  }
  process.stderr.write(`codegen: internal error. Please report it with the spec that caused it.\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT_INTERNAL;
}

/** Running as a GitHub Actions step: diagnostics are also written as workflow annotations. */
export function inGitHubActions(): boolean {
  return process.env.GITHUB_ACTIONS === 'true';
}

const LEVELS = { error: 'error', warning: 'warning', info: 'notice' } as const;
const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** `::error file=a.yaml,line=3,col=5,title=code::message` — GitHub shows it on the line of the file. */
export function annotation(d: Diagnostic): string {
  const props: string[] = [];
  if (d.location?.file) props.push(`file=${escapeProperty(d.location.file)}`);
  if (d.location?.line !== undefined) props.push(`line=${d.location.line}`);
  if (d.location?.column !== undefined) props.push(`col=${d.location.column}`);
  if (d.code) props.push(`title=${escapeProperty(d.code)}`);
  const text = [d.message, d.location?.pointer ? `at ${d.location.pointer}` : '', d.hint ? `hint: ${d.hint}` : ''].filter((s) => s !== '').join('\n');
  return `::${LEVELS[d.severity]}${props.length > 0 ? ` ${props.join(',')}` : ''}::${escapeData(text)}`;
}
