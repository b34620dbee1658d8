/**
 * A short unified diff for `codegen check` (jsdiff's structured patch), a few lines of context,
 * capped so a regenerated validators file cannot flood a CI log.
 */
import { structuredPatch } from 'diff';

export interface DiffOptions {
  readonly fromLabel: string;
  readonly toLabel: string;
  readonly context?: number;
  /** Lines of hunks shown at most; the rest is counted. */
  readonly maxLines?: number;
}

/** The text with `\n` line ends and one final newline: line endings alone are reported apart. */
function normalised(text: string): string {
  const all = text.split(/\r?\n/);
  if (all[all.length - 1] === '') all.pop();
  return all.length === 0 ? '' : `${all.join('\n')}\n`;
}

/** A unified diff of `from` → `to`, or a one-line note when they differ only in line endings. */
export function unifiedDiff(from: string, to: string, options: DiffOptions): string {
  const maxLines = options.maxLines ?? 40;
  const a = normalised(from);
  const b = normalised(to);
  if (a === b) return from === to ? '' : '(only line endings or the final newline differ)';
  const patch = structuredPatch(options.fromLabel, options.toLabel, a, b, '', '', { context: options.context ?? 3 });
  const out = [`--- ${options.fromLabel}`, `+++ ${options.toLabel}`];
  let shown = 0;
  let hidden = 0;
  for (const hunk of patch.hunks) {
    for (const line of [`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, ...hunk.lines]) {
      if (shown < maxLines) {
        out.push(line);
        shown++;
      } else if (line.startsWith('-') || line.startsWith('+')) hidden++;
    }
  }
  if (hidden > 0) out.push(`… ${hidden} more changed line${hidden === 1 ? '' : 's'}`);
  return out.join('\n');
}
