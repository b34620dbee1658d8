#!/usr/bin/env node
import module from 'node:module';
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

// V8 lets the heap grow to about four times what survived its last full collection before it
// collects again. A large spec's run is mostly short-lived garbage (the parser's copies, Ajv's
// code), so that limit was its peak memory: at 1,000 channels about 660 MB, of which about 110 MB
// lived. Once the heap passes 64 MB, it may grow to twice what lived instead (450 MB there, for
// no more CPU that could be measured); a small spec never gets there and collects as before. A
// value given to V8 by the user (node --heap-growing-percent, NODE_OPTIONS) is left alone.
if (![...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('heap-growing-percent'))) {
  const growth = new PerformanceObserver(() => {
    if (v8.getHeapStatistics().used_heap_size < 64 * 2 ** 20) return;
    v8.setFlagsFromString('--heap-growing-percent=100');
    growth.disconnect();
  });
  growth.observe({ entryTypes: ['gc'] });
}

// Node 22.1 and later keep V8's compiled code of the bundle on disk (the system's temporary
// folder, or NODE_COMPILE_CACHE): loading and compiling 5 MB of JavaScript is the largest part
// of a small spec's cold run. Older Node has no such call and compiles as before.
module.enableCompileCache?.();
const { main } = await import('../dist/bundle/codegen.js');

process.exitCode = await main(process.argv.slice(2));
