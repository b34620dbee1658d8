/**
 * Validators compiled at generation time: Ajv's standalone code for every payload and headers
 * definition, bundled with the few Ajv helpers it needs into one dependency-free module.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { CodegenError, type Diagnostic } from '../errors.js';
import type { IrSpec } from '../ir/types.js';
import type { SpecSource } from '../spec/load.js';
import { locatePatterns } from './locate.js';
import { PATTERNS_MODULE, patternEngine, portableDefinitions, type PortableDefinitions } from './portable.js';

const require = createRequire(import.meta.url);

export const VALIDATORS_HEADER = '// @ts-nocheck: compiled by Ajv at generation time; typed through runtime/validation.ts';

/** Formats every Ajv build knows, plus the OpenAPI-style ones specs often carry; unknown ones are not checked. */
const LENIENT_FORMATS = ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password'];

interface Export {
  readonly name: string;
  readonly definition: string;
  readonly coerce: boolean;
}

export function validatorExports(ir: IrSpec): Export[] {
  const out = new Map<string, Export>();
  for (const m of ir.messages) {
    if (m.payload && m.payloadValidator) out.set(m.payloadValidator, { name: m.payloadValidator, definition: m.payload, coerce: false });
    if (m.headers && m.headersValidator) out.set(m.headersValidator, { name: m.headersValidator, definition: m.headers, coerce: true });
  }
  return [...out.values()];
}

export interface CompiledValidators {
  /** The validators module. */
  readonly code: string;
  /** Patterns left out of it, one warning per place the spec writes them. */
  readonly diagnostics: readonly Diagnostic[];
}

/** `source`: the spec as written, to point the warnings at it; without it they name the file only. */
export async function compileValidators(ir: IrSpec, source?: SpecSource): Promise<CompiledValidators> {
  const exports = validatorExports(ir);
  if (exports.length === 0) return { code: `${VALIDATORS_HEADER}\nexport {};\n`, diagnostics: [] };
  const { Ajv } = await import('ajv');
  // CommonJS modules whose default export is the function itself.
  const addFormats = (await import('ajv-formats')).default as unknown as typeof import('ajv-formats').default;
  const standaloneCode = (await import('ajv/dist/standalone/index.js')).default as unknown as typeof import('ajv/dist/standalone/index.js').default;
  const portable = portableDefinitions(ir.schemas.definitions);
  const { definitions } = portable;
  const regExp = patternEngine(portable);
  const sources: string[] = [];
  const entries: string[] = [];
  // Headers arrive as strings, so their validator coerces ("5" → 5); payloads are checked as they are.
  for (const coerce of [false, true]) {
    const group = exports.filter((e) => e.coerce === coerce);
    if (group.length === 0) continue;
    const ajv = new Ajv({
      code: { source: true, esm: true, lines: true, ...(regExp ? { regExp } : {}) },
      strict: false,
      allErrors: true,
      allowUnionTypes: true,
      // A property named like an Object.prototype member (`valueOf`) is present only when the payload has it.
      ownProperties: true,
      coerceTypes: coerce,
      // Shared definitions (an envelope, a client) become one function each instead of a copy per message.
      inlineRefs: false,
      logger: false,
    });
    addFormats(ajv);
    for (const f of unknownFormats(definitions, ajv)) ajv.addFormat(f, true);
    try {
      ajv.addSchema({ definitions }, 'spec');
      const names = group.map((e, i) => [e.name, ajvName(e.name, sources.length, i)] as const);
      sources.push(standaloneCode(ajv, Object.fromEntries(names.map(([, compiled], i) => [compiled, `spec#/definitions/${group[i]?.definition ?? ''}`]))));
      entries.push(exportLine(sources.length - 1, names));
    } catch (error) {
      throw new CodegenError({
        code: 'schema-not-compilable',
        message: `a schema in ${ir.file} cannot be compiled into a validator: ${error instanceof Error ? error.message : String(error)}`,
        hint: 'check `pattern` regular expressions and `$ref`s in the message schemas',
        location: { file: ir.file },
      });
    }
  }
  return { code: `${VALIDATORS_HEADER}\n${await bundle(sources, entries, portable)}`, diagnostics: droppedWarnings(ir, portable, source) };
}

/** The same engine as source for the output: a table of the translated patterns, nothing else. */
function patternsModule(portable: PortableDefinitions): string {
  const table = JSON.stringify([...portable.translated].map(([pattern, t]) => [pattern, [t.source, t.flags]]));
  return [
    '// Patterns written for other regex engines, as ECMAScript reads them (source, flags).',
    `const translated = new Map(${table});`,
    'export function pattern(source, flags) {',
    '  const t = translated.get(source);',
    '  return t ? new RegExp(t[0], t[1]) : new RegExp(source, flags);',
    '}',
    '',
  ].join('\n');
}

function droppedWarnings(ir: IrSpec, portable: PortableDefinitions, source: SpecSource | undefined): Diagnostic[] {
  if (portable.dropped.length === 0) return [];
  const places = source ? locatePatterns(source, new Set(portable.dropped.map((d) => d.pattern))) : new Map<string, never[]>();
  const warnings = new Map<string, Diagnostic>();
  for (const d of portable.dropped) {
    const inDefinition = `schema ${d.definition} at /${d.path.join('/')}`;
    for (const location of places.get(d.pattern) ?? [{ file: ir.file }]) {
      const where = location.pointer === undefined ? ` (${inDefinition})` : '';
      warnings.set(`${location.pointer ?? inDefinition}\u0000${d.pattern}`, {
        severity: 'warning',
        code: 'pattern-not-portable',
        message: `pattern ${JSON.stringify(d.pattern)}${where} is not an ECMAScript regular expression (${d.reason}); the generated validator does not check it${d.alsoLeftOut.map((k) => ` nor the ${k} beside it`).join('')}`,
        hint: 'write it in the syntax JSON Schema and ECMAScript share; a leading (?i) or (?s), \\A, \\z and (?P<name>) are translated, other inline flags, possessive quantifiers and \\Z have no exact equivalent',
        location,
      });
    }
  }
  return [...warnings.values()];
}

/** Ajv accepts only ASCII export names; a name such as `validateÜ` is compiled under a stand-in. */
function ajvName(name: string, part: number, index: number): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : `codegenValidator${part}_${index}`;
}

/** The bundle entry for one compiled part: each validator exported guarded, stand-ins under their real names. */
function exportLine(part: number, names: ReadonlyArray<readonly [string, string]>): string {
  const imports = names.map(([, compiled], i) => `${compiled} as raw${part}_${i}`).join(', ');
  return [`import { ${imports} } from 'part:${part}';`, ...names.map(([name], i) => `export const ${name} = guarded(raw${part}_${i});`)].join('\n');
}

/** The module that guards every exported validator. */
const GUARD_MODULE = 'codegen:guard';

/**
 * A compiled validator can throw: a deeply nested value of a recursive schema overflows the stack.
 * Each export answers false instead, with one error saying so (worded as runtime/validation.ts
 * words it for a validator of its own), so even a caller that uses validators.ts directly gets a
 * verdict and never an exception.
 */
const GUARD_SOURCE = `
export function guarded(validate) {
  const check = (data) => {
    try {
      const ok = validate(data);
      check.errors = validate.errors;
      return ok;
    } catch (error) {
      const reason = error instanceof Error ? error.name + ': ' + error.message : typeof error === 'string' ? error : 'a non-Error value';
      const short = reason.length > 120 ? reason.slice(0, 119) + '\u2026' : reason;
      check.errors = [{ instancePath: '', schemaPath: '#', keyword: 'validator', params: {}, message: 'could not be checked: the validator failed (' + short + ')' }];
      return false;
    }
  };
  check.errors = null;
  return check;
}
`;

function unknownFormats(definitions: object, ajv: { formats: Record<string, unknown> }): string[] {
  const found = new Set<string>(LENIENT_FORMATS);
  const seen = new Set<object>();
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    const format = (node as { format?: unknown }).format;
    if (typeof format === 'string') found.add(format);
    for (const v of Object.values(node)) walk(v);
  };
  walk(definitions);
  return [...found].filter((f) => !(f in ajv.formats)).sort();
}

/**
 * Ajv's standalone code `require`s a few helpers (string length, formats). esbuild inlines them;
 * they are loaded under stable names so the output does not depend on where node_modules is.
 */
async function bundle(sources: readonly string[], entries: readonly string[], portable: PortableDefinitions): Promise<string> {
  const esbuild = await import('esbuild');
  const entry = [`import { guarded } from '${GUARD_MODULE}';`, ...entries].join('\n');
  const result = await esbuild.build({
    stdin: { contents: entry, loader: 'js', resolveDir: '/' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    legalComments: 'none',
    charset: 'utf8',
    plugins: [
      {
        name: 'stable-paths',
        setup(build) {
          build.onResolve({ filter: /^part:\d+$/ }, (args) => ({ path: args.path.slice(5), namespace: 'part' }));
          build.onResolve({ filter: new RegExp(`^${GUARD_MODULE}$`) }, () => ({ path: GUARD_MODULE, namespace: 'guard' }));
          build.onLoad({ filter: /.*/, namespace: 'guard' }, () => ({ contents: GUARD_SOURCE, loader: 'js' }));
          build.onResolve({ filter: new RegExp(`^${PATTERNS_MODULE}$`) }, () => ({ path: PATTERNS_MODULE, namespace: 'patterns' }));
          build.onLoad({ filter: /.*/, namespace: 'patterns' }, () => ({ contents: patternsModule(portable), loader: 'js' }));
          build.onLoad({ filter: /.*/, namespace: 'part' }, (args) => ({ contents: sources[Number(args.path)] ?? '', loader: 'js', resolveDir: '/' }));
          build.onResolve({ filter: /^(ajv|ajv-formats|fast-uri|fast-deep-equal)(\/.*)?$/ }, (args) => ({ path: args.path, namespace: 'vendor' }));
          build.onResolve({ filter: /^\.\.?\// }, (args) => ({ path: path.posix.join(path.posix.dirname(args.importer), args.path), namespace: 'vendor' }));
          build.onLoad({ filter: /.*/, namespace: 'vendor' }, async (args) => ({
            contents: await readFile(require.resolve(args.path), 'utf8'),
            loader: 'js',
          }));
        },
      },
    ],
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('internal: esbuild produced no validator bundle');
  return file.text;
}
