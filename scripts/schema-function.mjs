/**
 * Spectral's `schema` function creates two Ajv instances per document it lints (with ajv-formats,
 * ajv-errors and the draft-07 meta-schema compiled to check each schema) the first time a rule
 * calls it: 70–160 ms of every cold run, for the two rules of the parser's core ruleset that pass
 * it a fixed schema (`asyncapi-latest-version`, `asyncapi-servers`).
 *
 * `precompiledSchemaFunction` is an esbuild plugin that compiles the schemas those rules pass,
 * read from the parser's rulesets at build time, with Ajv standalone and the options of Spectral's
 * `createAjvInstance`, into a module of the bundle. The bundle's copy of spectral-functions'
 * schema/ajv.js hands out that validator for the same schema and error mode, and leaves every
 * other schema (message examples, defaults, the whole document for `codegen validate`) to Spectral's
 * instances, created then as before.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const AJV_JS = /[\\/]@stoplight[\\/]spectral-functions[\\/]dist[\\/]schema[\\/]ajv\.js$/;
const TABLE = 'codegen:schema-function-schemas';

/** createAjvInstance as installed; the build fails if it reads otherwise (its options are copied below). */
const CREATE = `    const ajv = new Ajv({
        allErrors,
        meta: true,
        messages: true,
        strict: false,
        allowUnionTypes: true,
        logger,
        unicodeRegExp: false,
    });
    (0, ajv_formats_1.default)(ajv);
    if (allErrors) {
        (0, ajv_errors_1.default)(ajv);
    }
    if (Ajv === ajv_1.default) {
        ajv.addSchema(draft4MetaSchema);
        ajv.addSchema(draft6MetaSchema);
    }`;

const WRAP = `
const precompiled = require(${JSON.stringify(TABLE)});
const keys = new WeakMap();
const createCompilers = exports.createAjvInstances;
/** Spectral's own, except for the fixed schemas of the parser's rules: precompiled by the build. */
exports.createAjvInstances = function createAjvInstances() {
    const compile = createCompilers();
    return function (schema, dialect, allErrors) {
        if (dialect !== "draft4" && dialect !== "draft2019-09" && dialect !== "draft2020-12" && typeof schema === "object" && schema !== null) {
            let key = keys.get(schema);
            if (key === undefined) keys.set(schema, (key = JSON.stringify(schema)));
            const found = (allErrors ? precompiled.allErrors : precompiled.default).get(key);
            if (found !== undefined) return found;
        }
        return compile(schema, dialect, allErrors);
    };
};
`;

/** `{ schema, allErrors }` of every rule of the parser's core rulesets that calls Spectral's `schema` with a fixed schema. */
function fixedSchemas(parserRequire) {
  const { schema } = parserRequire('@stoplight/spectral-functions');
  const rulesets = parserRequire('./ruleset/ruleset.js');
  const found = [];
  for (const ruleset of Object.values(rulesets)) {
    for (const rule of Object.values(ruleset?.rules ?? {})) {
      for (const then of [rule.then].flat()) {
        if (then?.function === schema && typeof then.functionOptions?.schema === 'object') found.push({ schema: then.functionOptions.schema, allErrors: then.functionOptions.allErrors === true });
      }
    }
  }
  if (found.length === 0) throw new Error('no rule of the parser passes a fixed schema to Spectral; scripts/schema-function.mjs needs updating');
  return found;
}

/** Standalone validators for the schemas of one error mode, as a Map from each schema's JSON. */
function standalone(req, schemas, allErrors) {
  const Ajv = req('ajv').default;
  const ajv = new Ajv({ allErrors, meta: true, messages: true, strict: false, allowUnionTypes: true, logger: false, unicodeRegExp: false, code: { source: true } });
  req('ajv-formats').default(ajv);
  if (allErrors) req('ajv-errors')(ajv);
  ajv.addSchema(req('./draft4.json'));
  ajv.addSchema(req('ajv/dist/refs/json-schema-draft-06.json'));
  const keys = [...new Set(schemas.map((s) => JSON.stringify(s)))];
  const names = {};
  keys.forEach((key, i) => {
    ajv.addSchema(JSON.parse(key), `codegen-schema-${i}`);
    names[`v${i}`] = `codegen-schema-${i}`;
  });
  const code = keys.length > 0 ? req('ajv/dist/standalone').default(ajv, names) : '';
  return `${code}\nmodule.exports = new Map([${keys.map((key, i) => `[${JSON.stringify(key)}, exports.v${i}]`).join(', ')}]);\n`;
}

export function precompiledSchemaFunction(parserRequire) {
  const file = path.join(path.dirname(parserRequire.resolve('@stoplight/spectral-functions')), 'schema', 'ajv.js');
  const req = createRequire(file);
  const schemas = fixedSchemas(parserRequire);
  const modes = ['default', 'allErrors'];
  return {
    name: 'precompiled-schema-function',
    setup(build) {
      build.onLoad({ filter: AJV_JS }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (path.resolve(args.path) !== path.resolve(file) || source.split(CREATE).length !== 2) {
          throw new Error(`${args.path}: not the schema/ajv.js whose instances scripts/schema-function.mjs mirrors; it needs updating`);
        }
        return { contents: `${source}${WRAP}`, loader: 'js', resolveDir: path.dirname(args.path) };
      });
      build.onResolve({ filter: new RegExp(`^${TABLE}(/.*)?$`) }, (args) => ({ path: args.path, namespace: 'codegen-schema-function' }));
      build.onLoad({ filter: /.*/, namespace: 'codegen-schema-function' }, (args) => {
        const mode = args.path.slice(TABLE.length + 1);
        if (modes.includes(mode)) {
          const picked = schemas.filter((s) => s.allErrors === (mode === 'allErrors')).map((s) => s.schema);
          return { contents: standalone(req, picked, mode === 'allErrors'), loader: 'js', resolveDir: path.dirname(file) };
        }
        return { contents: modes.map((m) => `exports[${JSON.stringify(m)}] = require(${JSON.stringify(`${TABLE}/${m}`)});`).join('\n'), loader: 'js' };
      });
    },
  };
}
