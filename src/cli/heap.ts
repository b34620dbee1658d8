/**
 * How far V8 lets the heap grow during a large spec's generation. V8 grows it to about four times
 * what survived its last full collection before it collects again, and a large spec's run is
 * mostly short-lived garbage (the parser's copies, Ajv's code), so that limit was its peak memory:
 * at 1,000 channels about 610 MB, of which about 110–140 MB lived. For a spec of 1 MB or more, the
 * heap may grow to twice what lived instead (about 450 MB there, for no CPU that could be
 * measured). A small spec keeps V8's default: from the start it would collect more often for
 * nothing (user-sessions +8 % CPU). Decided before the parse, since V8 sets its next limit at each
 * collection and the parse already collects; a GC observer would learn of the heap's size only
 * when the event loop runs, which the synchronous parse and compile do not let it do. A value
 * given to V8 by the user (node --heap-growing-percent, NODE_OPTIONS) is left alone. The CLI only:
 * the library's `generate()` runs in its caller's process and leaves V8 as it is.
 */
import { statSync } from 'node:fs';
import v8 from 'node:v8';

const LARGE_SPEC_BYTES = 2 ** 20;
let set = false;

export function heapForSpec(spec: string): void {
  if (set || [...process.execArgv, process.env['NODE_OPTIONS'] ?? ''].some((a) => a.includes('heap-growing-percent'))) return;
  let size: number;
  try {
    size = statSync(spec).size;
  } catch {
    return; // not a file (a URL, or missing): the load stage says what is wrong
  }
  if (size < LARGE_SPEC_BYTES) return;
  v8.setFlagsFromString('--heap-growing-percent=100');
  set = true;
}
