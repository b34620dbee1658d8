/**
 * Loads a self-contained CommonJS file of the bundle (dist/bundle/*.cjs, see scripts/build.mjs)
 * with the V8 code cache the build made of it after a sample run (`<file>.v8cache`).
 *
 * Why: parsing and compiling the generation's 5 MB of JavaScript was about 40 % of a small spec's
 * cold run, and Node 20's ES module loader takes no cached data; `vm.Script` does. A cache made by
 * another Node or V8 (or a damaged one) is rejected by V8, which then compiles as usual: the cache
 * only saves time, and nothing is printed either way. V8 checks a cache's version, flags and the
 * source's length, but in release builds not its bytes: a cache damaged on disk would crash the
 * process (V8_Fatal while deserialising), so the file starts with a SHA-256 of the rest, and one
 * that does not match is not handed to V8. Where `module.enableCompileCache()` is on
 * (Node 22.1+, bin/codegen.js), Node's own loader caches the file, so it is simply required.
 */
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { readCodeCache } from '../code-cache.js';

type Wrapper = (exports: unknown, require: NodeRequire, module: { exports: unknown }, filename: string, dirname: string) => void;

export function loadCommonJs(url: URL): unknown {
  const file = fileURLToPath(url);
  const require = createRequire(file);
  if ((Module as { getCompileCacheDir?: () => string | undefined }).getCompileCacheDir?.()) return require(file);
  const cachedData = readCodeCache(`${file}.v8cache`);
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as unknown, codegenImport: (specifier: string) => import(specifier) };
  (script.runInThisContext() as Wrapper).call(module.exports, module.exports, require, module, file, path.dirname(file));
  return module.exports;
}
