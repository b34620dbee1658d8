/**
 * Bundles the CLI into dist/bundle/ with esbuild, then fingerprints it for the output cache.
 *
 * Why a bundle: resolving and reading a few thousand files of node_modules is a large part of the
 * start-up of the parser and Modelina. Why code splitting: each lazy `import()` of the CLI becomes
 * a chunk of its own, so `--help` or a cache hit never parses the parser's code.
 *
 * The chunks sit in dist/bundle/, two levels below the package root like src/<stage>/ and
 * dist/<stage>/, so the paths the code builds from `import.meta.url` (templates/, package.json)
 * resolve the same from every build.
 *
 * It also compiles, once, the AsyncAPI JSON Schema that the parser checks every document against
 * (see src/spec/structure-rule.ts): Spectral would otherwise compile it with Ajv on every run.
 *
 *   node scripts/build.mjs                  bundle, precompile and fingerprint
 *   node scripts/build.mjs --fingerprint    only recompute the fingerprint (templates changed)
 *   node scripts/build.mjs --clean          bundle, and remove chunks of earlier builds at once (prepack)
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { writeCodeCache } from './code-cache.mjs';
import { lazySpecs } from './lazy-specs.mjs';
import { lazyWhatwgUrl } from './lazy-whatwg-url.mjs';
import { memoizeValidators } from './memo-validators.mjs';
import { precompiledFunctionSchemas, recordFunctionSchemas } from './ruleset-functions.mjs';
import { precompiledSchemaFunction } from './schema-function.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(ROOT, 'dist', 'bundle');
/** Beside dist/bundle/ and dist/spec/, so `../../dist/document-schemas/` finds it from src/, dist/ and the bundle. */
const DOCUMENT_SCHEMAS = path.join(ROOT, 'dist', 'document-schemas');
const requireHere = createRequire(import.meta.url);
/** Resolves as @asyncapi/parser does: the Spectral and Ajv it loads. */
const parserRequire = createRequire(requireHere.resolve('@asyncapi/parser'));

/**
 * Left as imports of node_modules: jiti loads a user's TypeScript config with its own resolver.
 * Its version goes into the cache key at run time.
 */
const EXTERNAL = ['jiti'];

/**
 * Packages whose files the generator reads at run time (Ajv's runtime helpers are copied into
 * validators.ts), so their installed versions shape the output like the bundled code does.
 */
const READ_AT_RUNTIME = ['ajv', 'ajv-formats', 'fast-uri', 'fast-deep-equal'];

/**
 * Modules only Modelina's other inputs (TypeScript, AsyncAPI through its own parsers, OpenAPI,
 * Swagger, XSD) and its JSON-binpack preset load. We hand Modelina plain JSON Schema, so these
 * would be loaded (typescript alone is 10 MB) and never used. Each becomes a stub that throws if
 * anything ever calls it.
 */
const STUBBED = ['typescript-json-schema', '@asyncapi/multi-parser', '@apidevtools/swagger-parser', 'fast-xml-parser', 'alterschema'];

/** A module whose every export throws a clear internal error when used (but not when imported). */
function stubSource(name) {
  return `
const fail = (what) => { throw new Error('internal: ' + what + ' was left out of the codegen bundle (Modelina reads only JSON Schema here); please report this'); };
const stub = new Proxy(function stub() { fail(${JSON.stringify(name)}); }, {
  get(target, key) {
    if (key === '__esModule' || key === 'default' || key === 'then' || typeof key === 'symbol') return key === 'default' ? stub : undefined;
    return function () { fail(${JSON.stringify(name)} + '.' + String(key)); };
  },
  apply() { fail(${JSON.stringify(name)}); },
  construct() { fail(${JSON.stringify(name)}); },
});
module.exports = stub;
`;
}

const stubs = {
  name: 'stub-unused-inputs',
  setup(build) {
    const filter = new RegExp(`^(${STUBBED.map((s) => s.replace(/[/.]/g, '\\$&')).join('|')})(/.*)?$`);
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'stub' }));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({ contents: stubSource(args.path), loader: 'js' }));
  },
};

/**
 * Spectral checks every ruleset definition against its JSON Schema with an Ajv (draft 2020-12,
 * custom keywords) that it compiles on every start: 140–270 ms of a small spec's cold run. The
 * only rulesets the CLI ever builds are the parser's and our two rule overrides, code that ships
 * with the build; `checkRulesets` runs Spectral's real check over both parsers once, here, and
 * fails the build if it fails, so the bundle's copy of that module accepts them without a compile.
 * Unbundled runs (the tests) keep the real check.
 */
const RULESET_VALIDATOR = /[\\/]@stoplight[\\/]spectral-core[\\/]dist[\\/]ruleset[\\/]validation[\\/]ajv\.js$/;

const checkedRulesets = {
  name: 'rulesets-checked-at-build',
  setup(build) {
    build.onLoad({ filter: RULESET_VALIDATOR }, () => ({
      contents: 'const valid = () => true;\nvalid.errors = null;\nexports.createValidator = () => valid;\n',
      loader: 'js',
    }));
  },
};

async function checkRulesets() {
  const { createParser } = await import(path.join(ROOT, 'dist', 'spec', 'parse.js'));
  // Spectral throws (an AggregateError) for a ruleset that does not match its schema.
  await createParser(true);
  await createParser(false);
}

/** A file esbuild will treat as CommonJS: no `import`/`export` statement at the top level. */
async function isCommonJs(file) {
  if (file.endsWith('.cjs')) return true;
  if (file.endsWith('.mjs')) return false;
  return !/^\s*(import|export)\b/m.test(await readFile(file, 'utf8'));
}

/**
 * `const { Ajv } = await import('ajv')` works in Node, which finds the named exports of a CommonJS
 * module by scanning it; a split esbuild chunk of a CommonJS module exports only `default`. For a
 * CommonJS package imported dynamically, a small ES module re-exports its names (read by loading
 * it here, at build time) so the same source works bundled and unbundled.
 */
const cjsNamedExports = {
  name: 'cjs-named-exports',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData === 'real' || args.path.startsWith('node:')) return undefined;
      const real = await build.resolve(args.path, { kind: 'import-statement', importer: args.importer, resolveDir: args.resolveDir, pluginData: 'real' });
      if (real.errors.length > 0 || real.external || real.namespace !== 'file' || !(await isCommonJs(real.path))) return undefined;
      return { path: real.path, namespace: 'cjs-named' };
    });
    build.onLoad({ filter: /.*/, namespace: 'cjs-named' }, (args) => {
      const names = Object.keys(requireHere(args.path)).filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
      const file = JSON.stringify(args.path);
      const named = names.length > 0 ? `export const { ${names.join(', ')} } = m;` : '';
      return { contents: `import * as m from ${file};\nexport default m.default;\n${named}\n`, resolveDir: path.dirname(args.path), loader: 'js' };
    });
  },
};

/**
 * `generate` is built a second time as one self-contained CommonJS file, which the ES module
 * bundle loads through src/cli/load-commonjs.ts with a V8 code cache (see there for why). Its name
 * carries a hash of its content, so a cache is only ever read beside the very source it was made
 * from: V8 checks a cache against the source's length, not its text.
 */
const COMMONJS_ENTRIES = { generate: path.join(ROOT, 'src', 'cli', 'generate-commonjs.ts') };
const CLI_INDEX = path.join(ROOT, 'src', 'cli', 'index.ts');

/** In the CLI's ES module build, `import('./generate.js')` and `import('../timings.js')` load the CommonJS file instead. */
function commonJsCommands(file) {
  const loader = path.join(ROOT, 'src', 'cli', 'load-commonjs.ts');
  return {
    name: 'commonjs-commands',
    setup(build) {
      build.onResolve({ filter: /^(\.\/generate|\.\.\/timings)\.js$/ }, (args) =>
        args.kind === 'dynamic-import' && args.importer === CLI_INDEX ? { path: 'generate', namespace: 'commonjs-command' } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'commonjs-command' }, () => ({
        contents: `import { loadCommonJs } from ${JSON.stringify(loader)};\nconst m = loadCommonJs(new URL(${JSON.stringify(`./${file}`)}, import.meta.url));\nexport const { generateCommand, enableTimings } = m;\n`,
        resolveDir: ROOT,
        loader: 'js',
      }));
    },
  };
}

/**
 * `import()` in a vm.Script compiled from a V8 code cache fails on Node 20 ("A dynamic import
 * callback was not specified": the cache does not carry the script's host options), and a user's
 * codegen.config.mjs, jiti, prettier and eslint are loaded with it. So each `import(` of the file calls
 * `__codegenImport` instead, which src/cli/load-commonjs.ts passes in (its own import()). Exactly
 * the four known sites, or the build fails.
 */
async function dynamicImportsThroughLoader(file) {
  const source = await readFile(file, 'utf8');
  const site = /(?<![\w$."'`])import\(/g;
  const count = source.match(site)?.length ?? 0;
  if (count !== 4) throw new Error(`${file}: expected 4 dynamic imports (the config, jiti, prettier, eslint), found ${count}; update dynamicImportsThroughLoader`);
  await writeFile(file, `const __codegenImport = module.codegenImport ?? ((specifier) => import(specifier));\n${source.replace(site, '__codegenImport(')}`);
}

/** Runs the CommonJS file over a sample spec in a child process and writes V8's cache of it, lazily compiled functions included. */
function writeBundleCodeCache(file) {
  execFileSync(process.execPath, [fileURLToPath(new URL('code-cache-bundle.mjs', import.meta.url)), file], { stdio: ['ignore', 'ignore', 'inherit'] });
}

async function bundle(functionSchemas) {
  const esbuild = await import('esbuild');
  const before = await readdir(OUT).catch(() => []);
  const common = {
    outdir: OUT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    // ES module builds first: jsonc-parser's UMD build hides its require() calls from esbuild.
    mainFields: ['module', 'main'],
    external: EXTERNAL,
    // Whitespace and syntax only: names stay (Modelina and Spectral read constructor and function names).
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  };
  const plugins = [stubs, checkedRulesets, lazySpecs, lazyWhatwgUrl, precompiledFunctionSchemas(parserRequire, functionSchemas), precompiledSchemaFunction(parserRequire), cjsNamedExports];
  const commonJs = await esbuild.build({
    ...common,
    entryPoints: COMMONJS_ENTRIES,
    entryNames: '[name]-[hash]',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    plugins,
    // The code reads `import.meta.url` for paths beside it (templates/, package.json): the same URL here.
    // A free `module` in an ES module file is undefined there, as in the ES module bundle: ono's
    // "CommonJS default export hack" would otherwise take the output file's module (CommonJS
    // files keep their own `module`, which esbuild binds and define leaves alone).
    define: { 'import.meta.url': '__codegenImportMetaUrl', module: 'undefined' },
    banner: { js: "const __codegenImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  const commonJsFile = path.basename(Object.keys(commonJs.metafile.outputs).find((f) => f.endsWith('.cjs')));
  await dynamicImportsThroughLoader(path.join(OUT, commonJsFile));
  const result = await esbuild.build({
    ...common,
    entryPoints: { codegen: CLI_INDEX },
    splitting: true,
    format: 'esm',
    plugins: [commonJsCommands(commonJsFile), ...plugins],
    // CommonJS packages inside an ES module bundle still call require() for node built-ins.
    banner: { js: "import { createRequire as __codegenRequire } from 'node:module'; const require = __codegenRequire(import.meta.url);" },
  });
  const metafile = { inputs: { ...commonJs.metafile.inputs, ...result.metafile.inputs }, outputs: { ...commonJs.metafile.outputs, ...result.metafile.outputs } };
  await writeFile(path.join(OUT, 'meta.json'), JSON.stringify(metafile));
  writeBundleCodeCache(path.join(OUT, commonJsFile));
  // Chunks of an earlier build go once no CLI still running could load them lazily: removing them
  // at once would break a `codegen` started just before this build (tests, watch).
  const current = new Set(Object.keys(metafile.outputs).map((f) => path.basename(f)));
  current.add(`${commonJsFile}.v8cache`);
  for (const name of before.filter((n) => /\.(js|cjs|v8cache)$/.test(n) && !current.has(n))) {
    const info = await stat(path.join(OUT, name)).catch(() => undefined);
    // `--clean` (before `npm pack`): no CLI runs from a package being packed, so they go at once.
    const keep = process.argv.includes('--clean') ? 0 : 60 * 60_000;
    if (info && Date.now() - info.mtimeMs >= keep) await rm(path.join(OUT, name), { force: true });
  }
}

/**
 * Ajv standalone code for the parser's document schema of every AsyncAPI version, resolved and as
 * written, with Spectral's Ajv options, formats and meta-schemas (src/spec/document-schema.ts, as
 * tsc built it), each bundled with the Ajv helpers it needs into one module. Skipped when the
 * schemas, the Ajv packages and that module are the ones the last build compiled.
 */
async function precompileDocumentSchemas() {
  const schemas = await import(path.join(ROOT, 'dist', 'spec', 'document-schema.js'));
  const { spectralRequire: sr } = schemas;
  const key = createHash('sha256')
    .update(schemas.documentSchemaInputs())
    .update(await readFile(path.join(ROOT, 'dist', 'spec', 'document-schema.js')))
    .update(await readFile(fileURLToPath(import.meta.url)))
    .update(await readFile(fileURLToPath(new URL('memo-validators.mjs', import.meta.url))))
    .update(await readFile(fileURLToPath(new URL('code-cache.mjs', import.meta.url))))
    // The code caches are V8's: made again for another Node.
    .update(`${process.version} ${process.arch}`)
    .digest('hex');
  const manifestFile = path.join(DOCUMENT_SCHEMAS, 'manifest.json');
  const previous = await readFile(manifestFile, 'utf8').then(JSON.parse, () => undefined);
  if (previous?.key === key) return;
  const esbuild = await import('esbuild');
  const Ajv = sr('ajv').default;
  const addFormats = sr('ajv-formats').default;
  const addErrors = sr('ajv-errors').default;
  const standaloneCode = sr('ajv/dist/standalone').default;
  await rm(DOCUMENT_SCHEMAS, { recursive: true, force: true });
  const files = {};
  for (const version of schemas.documentSchemaVersions()) {
    for (const resolved of [true, false]) {
      const ajv = new Ajv({ ...schemas.DOCUMENT_AJV_OPTIONS, logger: false, code: { source: true } });
      addFormats(ajv);
      addErrors(ajv);
      for (const meta of schemas.metaSchemas()) ajv.addSchema(meta);
      const validate = ajv.compile(schemas.documentSchema(version, resolved));
      const name = `${version}-${resolved ? 'resolved' : 'unresolved'}.cjs`;
      await esbuild.build({
        // The helpers (formats, string length, deep equal) resolve from Spectral's folder, as at run time.
        stdin: { contents: memoizeValidators(standaloneCode(ajv, validate)), loader: 'js', resolveDir: path.dirname(sr.resolve('ajv-formats')) },
        outfile: path.join(DOCUMENT_SCHEMAS, name),
        bundle: true,
        // CommonJS, so the rule loads the one it needs synchronously, when Spectral calls it.
        format: 'cjs',
        platform: 'node',
        target: 'node20',
        minify: true,
        legalComments: 'none',
        logLevel: 'warning',
      });
      await writeCodeCache(path.join(DOCUMENT_SCHEMAS, name), version);
      files[`${version}/${resolved ? 'resolved' : 'unresolved'}`] = name;
    }
  }
  // The run compares `inputs` with what is installed then, and checks as the parser alone does when they differ.
  await writeFile(manifestFile, `${JSON.stringify({ key, inputs: schemas.documentSchemaInputs(), files }, null, 2)}\n`);
}

async function filesUnder(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else out.push(full);
  }
  return out;
}

/** A hash of the bundled code and every template: a new build or an edited template gives a new one. */
async function fingerprint() {
  const hash = createHash('sha256');
  const meta = JSON.parse(await readFile(path.join(OUT, 'meta.json'), 'utf8'));
  // The CommonJS file's V8 cache is not among the outputs: it only saves compiling, and differs from build to build.
  const built = Object.keys(meta.outputs).map((f) => path.join(OUT, path.basename(f)));
  // The precompiled schemas shape diagnostics; a copy of the bundle without them checks as the parser alone does.
  // V8's code caches only save compiling: they shape nothing, and differ from build to build.
  const schemas = (await filesUnder(DOCUMENT_SCHEMAS).catch(() => [])).filter((f) => !f.endsWith('.v8cache'));
  const files = [...built, ...schemas, ...(await filesUnder(path.join(ROOT, 'templates')))];
  for (const file of files.map((f) => path.relative(ROOT, f).split(path.sep).join('/')).sort()) {
    hash
      .update(`${file}\0`)
      .update(await readFile(path.join(ROOT, file)))
      .update('\0');
  }
  const value = { fingerprint: hash.digest('hex'), readAtRuntime: READ_AT_RUNTIME.concat(EXTERNAL.filter((e) => !READ_AT_RUNTIME.includes(e))) };
  await writeFile(path.join(OUT, 'fingerprint.json'), `${JSON.stringify(value, null, 2)}\n`);
}

if (!process.argv.includes('--fingerprint')) {
  // Before anything loads Spectral: loading the parsers (both steps) compiles every function schema.
  const stop = recordFunctionSchemas(parserRequire);
  let functionSchemas;
  try {
    await precompileDocumentSchemas();
    await checkRulesets();
  } finally {
    functionSchemas = stop();
  }
  if (functionSchemas.size === 0) throw new Error('no ruleset function schema was compiled while loading the parsers; scripts/ruleset-functions.mjs needs updating');
  await bundle(functionSchemas);
}
await fingerprint();
