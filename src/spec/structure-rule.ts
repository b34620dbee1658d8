/**
 * The parser's two document-structure rules (`asyncapi-document-resolved` and
 * `asyncapi-document-unresolved`) checking against the AsyncAPI JSON Schema compiled once by the
 * build (scripts/build.mjs) instead of by Ajv on every run, which was about 44 % of the CPU on a
 * small spec. Ajv's errors then take the steps that Spectral's `schema` function and the parser's
 * `documentStructure` take, copied here step for step, so every diagnostic (message, path, and so
 * line) is the same: test/unit/structure-rule.test.ts runs both over broken and valid documents.
 * `codegen validate` keeps the parser's own rules.
 */
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import type { ParserOptions } from '@asyncapi/parser/esm/parser.js';
import { readCodeCache } from '../code-cache.js';
import { documentSchema, documentSchemaInputs, spectralRequire } from './document-schema.js';

interface AjvError {
  readonly keyword: string;
  instancePath: string;
  readonly params: Record<string, unknown>;
  message?: string;
}

type Validate = ((data: unknown) => boolean) & { errors?: AjvError[] | null };
type Path = ReadonlyArray<string | number>;

interface Result {
  message: string;
  readonly path: Path;
}

interface Context {
  readonly path: Path;
  readonly document?: { readonly formats?: ReadonlySet<unknown> | null };
}

type BetterAjvErrors = (schema: unknown, errors: AjvError[], options: { propertyPath: Path; targetValue: unknown }) => Array<{ error: string; path: string; suggestion?: string }>;

/** Beside dist/bundle/ and dist/spec/: the same relative URL from src/spec/, dist/spec/ and the bundle. */
const DIR = new URL('../../dist/document-schemas/', import.meta.url);

/**
 * One compiled schema as CommonJS, with the V8 code cache the build made of it after a few runs
 * (`<file>.v8cache`): about 1.3 MB of code for 3.x, which V8 would otherwise parse and compile on
 * every start. A cache made by another Node or V8 is rejected by V8, and the code compiles as usual;
 * a damaged one is not handed to V8 (src/code-cache.ts).
 */
function load(file: string): unknown {
  const source = readFileSync(file, 'utf8');
  const cachedData = readCodeCache(`${file}.v8cache`);
  const script = new Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as unknown };
  const init = script.runInThisContext() as (exports: unknown, require: NodeRequire, module: unknown, filename: string, dirname: string) => void;
  init.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}

/**
 * The ruleset to put over the parser's, or undefined when the build has not compiled the schemas.
 * Spectral merges a rule given as `given` and `then` into the parser's rule of the same name,
 * keeping its severity, message and formats; its types describe whole rules only, hence the cast.
 */
export function structureRules(): NonNullable<ParserOptions['ruleset']> | undefined {
  let files: Record<string, string> | undefined;
  try {
    const manifest = JSON.parse(readFileSync(new URL('manifest.json', DIR), 'utf8')) as { inputs?: string; files?: Record<string, string> };
    // Compiled from other versions of the schemas or of Ajv than those installed now: not used.
    if (manifest.inputs === documentSchemaInputs()) files = manifest.files;
  } catch {
    return undefined;
  }
  if (!files) return undefined;
  const found = files;
  const rule = (resolved: boolean) => ({ given: '$', then: { function: (target: unknown, _: unknown, context: Context) => documentStructure(found, target, resolved, context) } });
  return { rules: { 'asyncapi-document-resolved': rule(true), 'asyncapi-document-unresolved': rule(false) } } as unknown as NonNullable<ParserOptions['ruleset']>;
}

const validators = new Map<string, Validate>();

function validator(files: Record<string, string>, version: string, resolved: boolean): Validate | undefined {
  const key = `${version}/${resolved ? 'resolved' : 'unresolved'}`;
  const file = files[key];
  if (file === undefined) return undefined;
  let validate = validators.get(key);
  if (!validate) {
    validate = load(fileURLToPath(new URL(file, DIR))) as Validate;
    validators.set(key, validate);
  }
  return validate;
}

/** `3.0.0` for `3.0.2`: the version whose schema the parser picks (its `AsyncAPIFormats`). */
function schemaVersion(document: unknown): string | undefined {
  const declared = typeof document === 'object' && document !== null ? (document as { asyncapi?: unknown }).asyncapi : undefined;
  const match = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(String(declared));
  return match ? `${match[1]}.${match[2]}.0` : undefined;
}

/** The parser's `documentStructure`, with the precompiled validator in place of Spectral's compile. */
function documentStructure(files: Record<string, string>, target: unknown, resolved: boolean, context: Context): Result[] | undefined {
  if (!context.document?.formats) return undefined;
  const version = schemaVersion(target);
  const schema = (): Record<string, unknown> | undefined => (version === undefined ? undefined : documentSchema(version, resolved));
  const validate = version === undefined ? undefined : validator(files, version, resolved);
  let errors: Result[];
  if (validate) {
    errors = schemaResults(validate, schema, target, context, resolved ? prepareResults : undefined);
  } else {
    // A version the build did not compile (node_modules changed since): Spectral's own function.
    const compiled = schema();
    if (!compiled) return undefined;
    const { schema: schemaFn } = spectralRequire('../index.js') as { schema: (t: unknown, o: unknown, c: Context) => Result[] | undefined };
    const results = schemaFn(target, { allErrors: true, schema: compiled, prepareResults: resolved ? prepareResults : undefined }, context);
    if (!Array.isArray(results)) return undefined;
    errors = results;
  }
  return filterRefErrors(errors, resolved);
}

// From here on, the steps of @stoplight/spectral-functions' `schema` (dist/schema/index.js).

function schemaResults(validate: Validate, schema: () => unknown, target: unknown, context: Context, prepare: ((errors: AjvError[]) => void) | undefined): Result[] {
  const { path } = context;
  if (target === undefined) return [{ path, message: '#{{print("property")}}must exist' }];
  const results: Result[] = [];
  try {
    if (validate(target) === false && Array.isArray(validate.errors)) {
      prepare?.(validate.errors);
      const unmatched = findUnmatchedCombinators(validate.errors);
      const better = spectralRequire('@stoplight/better-ajv-errors') as BetterAjvErrors;
      results.push(
        ...better(schema(), validate.errors, { propertyPath: path, targetValue: target }).map(({ suggestion, error, path: errorPath }) => ({
          message: describeCombinator(describeArrayItem(suggestion !== undefined ? `${error}. ${suggestion}` : error, errorPath), unmatched.get(errorPath)),
          path: [...path, ...(errorPath !== '' ? errorPath.replace(/^\//, '').split('/') : [])],
        })),
      );
    }
  } catch (error) {
    if (!(error instanceof Error)) throw new Error('Unexpected error');
    results.push({ message: error.message, path });
  }
  return results;
}

function describeArrayItem(message: string, errorPath: string): string {
  const index = errorPath.split('/').pop();
  if (index === undefined || !/^\d+$/.test(index)) return message;
  const typePrefix = `"${index}" property type`;
  if (message.startsWith(typePrefix)) return `Item at index ${index}${message.slice(typePrefix.length)}`;
  const prefix = `"${index}" property`;
  return message.startsWith(prefix) ? `Item at index ${index}${message.slice(prefix.length)}` : message;
}

function findUnmatchedCombinators(errors: readonly AjvError[]): Map<string, string> {
  const unmatched = new Map<string, string>();
  for (const { keyword, instancePath, params } of errors) {
    if ((keyword === 'oneOf' || keyword === 'anyOf') && !Array.isArray(params.passingSchemas)) unmatched.set(instancePath, keyword);
  }
  return unmatched;
}

function describeCombinator(message: string, keyword: string | undefined): string {
  return keyword !== undefined && message.endsWith(` in ${keyword}`) ? `${message}. None of the schemas matched, see the other errors reported for this value` : message;
}

// And those of @asyncapi/parser's `documentStructure` (ruleset/functions/documentStructure.js).

function shouldIgnoreError(error: AjvError): boolean {
  return error.keyword === 'oneOf' || (error.keyword === 'required' && error.params.missingProperty === '$ref');
}

function prepareResults(errors: AjvError[]): void {
  for (let i = 0; i < errors.length; i++) {
    const error = errors[i] as AjvError;
    if (error.keyword === 'additionalProperties') {
      error.instancePath = `${error.instancePath}/${String(error.params.additionalProperty)}`;
    } else if (error.keyword === 'required' && error.params.missingProperty === '$ref') {
      errors.splice(i, 1);
      i--;
    }
  }
  for (let i = 0; i < errors.length; i++) {
    const error = errors[i] as AjvError;
    if (i + 1 < errors.length && (errors[i + 1] as AjvError).instancePath === error.instancePath) {
      errors.splice(i + 1, 1);
      i--;
    } else if (i > 0 && shouldIgnoreError(error) && (errors[i - 1] as AjvError).instancePath.startsWith(error.instancePath)) {
      errors.splice(i, 1);
      i--;
    }
  }
}

const REF_ERROR = 'Property "$ref" is not expected to be here';

function filterRefErrors(errors: Result[], resolved: boolean): Result[] {
  if (resolved) return errors.filter((e) => e.message !== REF_ERROR);
  return errors
    .filter((e) => e.message === REF_ERROR)
    .map((e) => {
      e.message = 'Referencing in this place is not allowed';
      return e;
    });
}
