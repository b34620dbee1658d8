/**
 * Per-stage wall-clock durations of generation, printed to stderr by `codegen generate --timings`
 * (or `CODEGEN_DEBUG=timings` for any command), with the heap in use and the process's resident
 * memory when each stage ended. They are for finding where a slow run goes; no test asserts on
 * them. Stages that run side by side (models and validators) overlap.
 */

interface Span {
  readonly stage: string;
  readonly ms: number;
  readonly heapMb: number;
  readonly rssMb: number;
}

let enabled = (process.env.CODEGEN_DEBUG ?? '').split(',').some((s) => s.trim() === 'timings');
const spans: Span[] = [];

export function enableTimings(): void {
  enabled = true;
}

/** Runs `work`, recording how long it took under `stage` when timings are on. */
export async function timed<T>(stage: string, work: () => Promise<T> | T): Promise<T> {
  if (!enabled) return work();
  const started = performance.now();
  try {
    return await work();
  } finally {
    const memory = process.memoryUsage();
    spans.push({ stage, ms: performance.now() - started, heapMb: memory.heapUsed / 2 ** 20, rssMb: memory.rss / 2 ** 20 });
  }
}

/** Prints the spans recorded since the last call (one job), then forgets them. */
export function reportTimings(label: string, write: (text: string) => void = (t) => process.stderr.write(t)): void {
  if (!enabled || spans.length === 0) return;
  const width = Math.max(...spans.map((s) => s.stage.length));
  const lines = spans.map((s) => `  ${s.stage.padEnd(width)} ${s.ms.toFixed(0).padStart(6)} ms   heap ${s.heapMb.toFixed(0).padStart(4)} MiB, rss ${s.rssMb.toFixed(0).padStart(4)} MiB`);
  write(`timings for ${label} (models and validators run side by side; memory when each stage ended):\n${lines.join('\n')}\n`);
  spans.length = 0;
}
