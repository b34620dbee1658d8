/**
 * An esbuild plugin for the bundle: @asyncapi/specs' index `require`s the JSON Schema of every
 * AsyncAPI version, with and without `$id` (18 schemas, 2.3 MB of the parser's chunk), and the
 * parser requires that index whole, so every start parsed and built all of them to use one.
 * Here the index becomes one that holds each schema as a JSON string and parses it the first time
 * its version is read (JSON.parse of a string is several times cheaper than V8 compiling the same
 * object literal). The keys, their order and every value stay as the package has them.
 *
 * The parser reads the version list with `Object.entries(schemas)`, which would read every value;
 * that one expression is rewritten to the keys it uses, and the build fails if it is not found.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const SPECS_INDEX = /[\\/]@asyncapi[\\/]specs[\\/]index\.js$/;
const PARSER_FORMATS = /[\\/]@asyncapi[\\/]parser[\\/]esm[\\/]ruleset[\\/]formats\.js$/;
const ENTRIES = 'Object.entries(schemas).reverse().map(([version])';
const KEYS = 'Object.keys(schemas).map((version) => [version]).reverse().map(([version])';

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The index as CommonJS with the same exports, each schema parsed on first read and kept. */
function lazyIndexSource(file) {
  const specs = createRequire(file)(file);
  const lines = [
    '"use strict";',
    'function define(target, key, text) {',
    '  const set = (value) => Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });',
    '  Object.defineProperty(target, key, { enumerable: true, configurable: true, get() { const value = JSON.parse(text); set(value); return value; }, set });',
    '}',
  ];
  const names = [];
  for (const [name, byVersion] of Object.entries(specs)) {
    if (!isPlainObject(byVersion) || !Object.values(byVersion).every(isPlainObject)) {
      throw new Error(`${file}: export ${name} is not a map of schemas; the lazy index (scripts/lazy-specs.mjs) needs updating`);
    }
    lines.push(`const ${name} = {};`);
    for (const [version, schema] of Object.entries(byVersion)) lines.push(`define(${name}, ${JSON.stringify(version)}, ${JSON.stringify(JSON.stringify(schema))});`);
    names.push(name);
  }
  lines.push(`module.exports = { ${names.join(', ')} };`);
  return `${lines.join('\n')}\n`;
}

export const lazySpecs = {
  name: 'lazy-asyncapi-specs',
  setup(build) {
    build.onLoad({ filter: SPECS_INDEX }, (args) => ({ contents: lazyIndexSource(args.path), loader: 'js' }));
    build.onLoad({ filter: PARSER_FORMATS }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (source.split(ENTRIES).length !== 2) throw new Error(`${args.path}: expected one \`${ENTRIES}\`; the lazy specs index (scripts/lazy-specs.mjs) needs updating`);
      return { contents: source.replace(ENTRIES, KEYS), loader: 'js' };
    });
  },
};
