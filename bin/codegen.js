#!/usr/bin/env node
import module from 'node:module';

// Node 22.1 and later keep V8's compiled code of the bundle on disk (the system's temporary
// folder, or NODE_COMPILE_CACHE): loading and compiling 5 MB of JavaScript is the largest part
// of a small spec's cold run. Older Node has no such call and compiles as before.
module.enableCompileCache?.();
const { main } = await import('../dist/bundle/codegen.js');

process.exitCode = await main(process.argv.slice(2));
