/**
 * A short unified diff for `codegen check`: Myers' algorithm over lines, a few lines of context,
 * capped so a regenerated validators file cannot flood a CI log.
 */

type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string };

/** Past this many edits the two versions are shown as replaced wholesale (still correct, just not minimal). */
const MAX_EDITS = 1000;

function myers(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // trace[d] holds v for diagonals -d-1 … d+1 as it was before step d: O(D²) memory, not O(D·(N+M)).
  const trace: Int32Array[] = [];
  let v = new Int32Array(3);
  for (let d = 0; d <= Math.min(n + m, MAX_EDITS); d++) {
    trace.push(v);
    const next = new Int32Array(2 * d + 5);
    const get = (k: number): number => v[k + d + 1] ?? 0;
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && get(k - 1) < get(k + 1)) ? get(k + 1) : get(k - 1) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[k + d + 2] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace);
    }
    v = next;
  }
  return [...a.map((line): Op => ({ kind: '-', line })), ...b.map((line): Op => ({ kind: '+', line }))];
}

function backtrack(a: readonly string[], b: readonly string[], trace: readonly Int32Array[]): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const v = trace[d] ?? new Int32Array(0);
    const get = (k: number): number => v[k + d + 1] ?? 0;
    const k = x - y;
    const prevK = k === -d || (k !== d && get(k - 1) < get(k + 1)) ? k + 1 : k - 1;
    const prevX = get(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ kind: ' ', line: a[x] ?? '' });
    }
    if (d > 0) ops.push(x === prevX ? { kind: '+', line: b[prevY] ?? '' } : { kind: '-', line: a[prevX] ?? '' });
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}

export interface DiffOptions {
  readonly fromLabel: string;
  readonly toLabel: string;
  readonly context?: number;
  /** Lines of hunks shown at most; the rest is counted. */
  readonly maxLines?: number;
}

function lines(text: string): string[] {
  const all = text.split(/\r?\n/);
  if (all[all.length - 1] === '') all.pop();
  return all;
}

/** A unified diff of `from` → `to`, or a one-line note when they differ only in line endings. */
export function unifiedDiff(from: string, to: string, options: DiffOptions): string {
  const context = options.context ?? 3;
  const maxLines = options.maxLines ?? 40;
  const a = lines(from);
  const b = lines(to);
  // Trimming the common ends first keeps Myers' work to the changed middle.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  if (start === endA && start === endB) return from === to ? '' : '(only line endings or the final newline differ)';
  const ops: Op[] = [
    ...a.slice(0, start).map((line): Op => ({ kind: ' ', line })),
    ...myers(a.slice(start, endA), b.slice(start, endB)),
    ...a.slice(endA).map((line): Op => ({ kind: ' ', line })),
  ];
  const out = [`--- ${options.fromLabel}`, `+++ ${options.toLabel}`];
  let shown = 0;
  let hidden = 0;
  let i = 0;
  let lineA = 1;
  let lineB = 1;
  while (i < ops.length) {
    if (ops[i]?.kind === ' ') {
      i++;
      lineA++;
      lineB++;
      continue;
    }
    // A hunk: back up `context` lines, then run until `2 * context` unchanged lines in a row.
    const first = Math.max(0, i - context);
    let last = i;
    for (let j = i, quiet = 0; j < ops.length && quiet <= 2 * context; j++) {
      quiet = ops[j]?.kind === ' ' ? quiet + 1 : 0;
      if (quiet === 0) last = j;
    }
    const end = Math.min(ops.length, last + 1 + context);
    const hunk = ops.slice(first, end);
    const startA = lineA - (i - first);
    const startB = lineB - (i - first);
    const countA = hunk.filter((op) => op.kind !== '+').length;
    const countB = hunk.filter((op) => op.kind !== '-').length;
    const body = [`@@ -${startA},${countA} +${startB},${countB} @@`, ...hunk.map((op) => `${op.kind}${op.line}`)];
    for (const line of body) {
      if (shown < maxLines) {
        out.push(line);
        shown++;
      } else if (line.startsWith('-') || line.startsWith('+')) hidden++;
    }
    lineA = startA + countA;
    lineB = startB + countB;
    i = end;
  }
  if (hidden > 0) out.push(`… ${hidden} more changed line${hidden === 1 ? '' : 's'}`);
  return out.join('\n');
}
