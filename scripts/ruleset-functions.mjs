/**
 * Spectral checks the input and options of every ruleset function (its own and the parser's) with
 * an Ajv that `@stoplight/spectral-core/dist/ruleset/function.js` creates when it loads, with
 * ajv-errors and ajv-formats, and compiles one validator per function as each module loads:
 * 100–200 ms of every start, for schemas that are code of the installed packages.
 *
 * At build time, `recordFunctionSchemas` notes every schema that Ajv compiles while the build loads
 * the parsers (scripts/build.mjs), and `precompiledFunctionSchemas` is an esbuild plugin that
 * compiles them with Ajv standalone, with the same options and plugins, into a module of the
 * bundle; the bundle's copy of function.js takes a validator from there by the schema's JSON, and
 * compiles with a real Ajv (created then, as before) any schema the build did not see.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { readFile } from 'node:fs/promises';

const FUNCTION_JS = /[\\/]@stoplight[\\/]spectral-core[\\/]dist[\\/]ruleset[\\/]function\.js$/;
const TABLE = 'codegen:ruleset-function-schemas';

/** The three lines of function.js that create its Ajv; the build fails if they read otherwise. */
const CREATE = `const ajv = new ajv_1.default({ allErrors: true, allowUnionTypes: true, strict: true, keywords: ['x-internal'] });
(0, ajv_errors_1.default)(ajv);
(0, ajv_formats_1.default)(ajv);`;
const OPTIONS = { allErrors: true, allowUnionTypes: true, strict: true, keywords: ['x-internal'] };

const LAZY = `const precompiled = require(${JSON.stringify(TABLE)});
let compiler;
const ajv = {
  compile(schema) {
    const found = precompiled.get(JSON.stringify(schema));
    if (found !== undefined) return found;
    if (compiler === undefined) {
      compiler = new ajv_1.default({ allErrors: true, allowUnionTypes: true, strict: true, keywords: ['x-internal'] });
      (0, ajv_errors_1.default)(compiler);
      (0, ajv_formats_1.default)(compiler);
    }
    return compiler.compile(schema);
  },
};`;

/** function.js as installed beside the parser, and a require() that resolves from it. */
function functionModule(parserRequire) {
  const file = path.join(path.dirname(parserRequire.resolve('@stoplight/spectral-core')), 'ruleset', 'function.js');
  return { file, require: createRequire(file) };
}

/**
 * Starts noting the schemas function.js's Ajv compiles (recognised by its `x-internal` keyword);
 * call before anything loads Spectral. The returned function stops and gives them, in order.
 */
export function recordFunctionSchemas(parserRequire) {
  const Ajv = functionModule(parserRequire).require('ajv').default;
  const compile = Ajv.prototype.compile;
  const seen = new Map();
  Ajv.prototype.compile = function record(schema, meta) {
    if (Array.isArray(this.opts.keywords) && this.opts.keywords.includes('x-internal')) seen.set(JSON.stringify(schema), schema);
    return compile.call(this, schema, meta);
  };
  return () => {
    Ajv.prototype.compile = compile;
    return seen;
  };
}

/** The table module: each recorded schema's JSON to its standalone validator. */
function tableSource(req, schemas) {
  const Ajv = req('ajv').default;
  const ajv = new Ajv({ ...OPTIONS, code: { source: true } });
  req('ajv-errors')(ajv);
  req('ajv-formats').default(ajv);
  const names = {};
  const keys = [...schemas.keys()];
  keys.forEach((key, i) => {
    ajv.addSchema(schemas.get(key), `codegen-function-schema-${i}`);
    names[`v${i}`] = `codegen-function-schema-${i}`;
  });
  const code = req('ajv/dist/standalone').default(ajv, names);
  return `${code}\nmodule.exports = new Map([${keys.map((key, i) => `[${JSON.stringify(key)}, exports.v${i}]`).join(', ')}]);\n`;
}

export function precompiledFunctionSchemas(parserRequire, schemas) {
  const { file, require: req } = functionModule(parserRequire);
  return {
    name: 'precompiled-ruleset-function-schemas',
    setup(build) {
      build.onLoad({ filter: FUNCTION_JS }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (path.resolve(args.path) !== path.resolve(file) || source.split(CREATE).length !== 2) {
          throw new Error(`${args.path}: not the function.js whose Ajv scripts/ruleset-functions.mjs replaces; it needs updating`);
        }
        return { contents: source.replace(CREATE, LAZY), loader: 'js', resolveDir: path.dirname(args.path) };
      });
      build.onResolve({ filter: new RegExp(`^${TABLE}$`) }, () => ({ path: TABLE, namespace: 'codegen-table' }));
      // The helpers the standalone code requires (formats, ajv-errors' none, string length) resolve from function.js's folder.
      build.onLoad({ filter: /.*/, namespace: 'codegen-table' }, () => ({ contents: tableSource(req, schemas), loader: 'js', resolveDir: path.dirname(file) }));
    },
  };
}
