/** The three ways `codegen diff` prints its findings: for a terminal, for a program, for a PR comment. */
import { countKinds, KINDS, type Change, type ChangeKind } from './change.js';

export type DiffFormat = 'text' | 'json' | 'markdown';

export const FORMATS: readonly DiffFormat[] = ['text', 'json', 'markdown'];

export interface DiffReport {
  /** The two files as the user named them, relative to the working directory. */
  readonly before: string;
  readonly after: string;
  readonly changes: readonly Change[];
}

export function formatDiff(report: DiffReport, format: DiffFormat): string {
  if (format === 'json') return formatJson(report);
  if (format === 'markdown') return formatMarkdown(report);
  return formatText(report);
}

/** `breaking      channels/a/address: changed from "a" to "b"`, grouped by kind, then a summary line. */
export function formatText({ before, after, changes }: DiffReport): string {
  if (changes.length === 0) return `no changes between ${before} and ${after}\n`;
  const width = Math.max(...KINDS.map((k) => k.length)) + 2;
  const lines = changes.map((c) => `${c.kind.padEnd(width)}${c.pointer.slice(1)}: ${c.message}`.replace(/\s*\n\s*/g, ' '));
  return `${lines.join('\n')}\n\n${summary(changes)} (${before} → ${after})\n`;
}

export function formatJson({ before, after, changes }: DiffReport): string {
  const out = {
    before,
    after,
    summary: countKinds(changes),
    changes: changes.map(({ kind, path, pointer, message }) => ({ kind, path, pointer, message })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

export function formatMarkdown({ before, after, changes }: DiffReport): string {
  const title = `### AsyncAPI changes: ${code(before)} → ${code(after)}`;
  if (changes.length === 0) return `${title}\n\nNo changes.\n`;
  const counts = countKinds(changes);
  const line = KINDS.map((k) => (k === 'breaking' && counts[k] > 0 ? `**${counts[k]} breaking**` : `${counts[k]} ${k}`)).join(', ');
  const rows = changes.map((c) => `| ${c.kind} | ${code(c.pointer.slice(1))} | ${cell(c.message)} |`);
  return [title, '', line, '', '| Kind | Where | Change |', '| --- | --- | --- |', ...rows, ''].join('\n');
}

/** `3 changes: 1 breaking, 2 non-breaking, 0 unclassified`. */
export function summary(changes: readonly Change[]): string {
  const counts: Record<ChangeKind, number> = countKinds(changes);
  return `${changes.length} change${changes.length === 1 ? '' : 's'}: ${KINDS.map((k) => `${counts[k]} ${k}`).join(', ')}`;
}

/** Table cells end at `|` and at a line break, even inside code spans. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence.length > 1 ? ' ' : ''}${cell(text)}${fence.length > 1 ? ' ' : ''}${fence}`;
}
