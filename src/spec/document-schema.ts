/**
 * The AsyncAPI JSON Schema that @asyncapi/parser checks a whole document against, and the Ajv that
 * Spectral compiles it with. One module for both the build, which compiles it once into standalone
 * validators (scripts/build.mjs), and the run, which uses them (structure-rule.ts), so the two
 * cannot drift apart.
 *
 * Everything is loaded from where the parser itself loads it (its own @asyncapi/specs, Spectral's
 * Ajv, ajv-formats and ajv-errors), so the schema and the formats are the ones it would use.
 */
import { createRequire } from 'node:module';

const here = createRequire(import.meta.url);
/** Resolves as @asyncapi/parser does (its CommonJS build, whose internals are plain files). */
const parserRequire = createRequire(here.resolve('@asyncapi/parser'));
/** Resolves as Spectral's `schema` function does: Ajv, ajv-formats and ajv-errors of its choosing. */
export const spectralRequire = createRequire(parserRequire.resolve('@stoplight/spectral-functions/dist/schema/ajv.js'));

type Schema = Record<string, unknown>;
type Format = (document: unknown) => boolean;

interface ParserInternals {
  readonly getSchema: (formats: Set<Format>, resolved: boolean) => Schema | undefined;
  readonly formats: ReadonlyMap<string, Format>;
}

let internals: ParserInternals | undefined;

function parserInternals(): ParserInternals {
  internals ??= {
    getSchema: (parserRequire('./ruleset/functions/documentStructure.js') as { getSchema: ParserInternals['getSchema'] }).getSchema,
    formats: (parserRequire('./ruleset/formats.js') as { AsyncAPIFormats: ReadonlyMap<string, Format> }).AsyncAPIFormats,
  };
  return internals;
}

/** `3.0.0`, `2.6.0`, …: the versions the parser validates a document as (1.x is converted before parsing). */
export function documentSchemaVersions(): string[] {
  return [...parserInternals().formats.keys()].filter((v) => !v.startsWith('1.')).sort();
}

/** The schema of `version` exactly as the parser prepares it: resolved (after `$ref`s) or as written. */
export function documentSchema(version: string, resolved: boolean): Schema | undefined {
  const { formats, getSchema } = parserInternals();
  const format = formats.get(version);
  return format ? getSchema(new Set([format]), resolved) : undefined;
}

/** The options of Spectral's `allErrors` Ajv (spectral-functions, `createAjvInstance`), which schema rules use. */
export const DOCUMENT_AJV_OPTIONS = {
  allErrors: true,
  meta: true,
  messages: true,
  strict: false,
  allowUnionTypes: true,
  unicodeRegExp: false,
} as const;

/** The draft-04 and draft-06 meta-schemas Spectral adds to its Ajv, which the 2.x schemas refer to. */
export function metaSchemas(): Schema[] {
  return [spectralRequire('./draft4.json') as Schema, spectralRequire('ajv/dist/refs/json-schema-draft-06.json') as Schema];
}

/** The packages that shape the compiled schema, with their versions: a build compiles again when one changes. */
export function documentSchemaInputs(): string {
  const version = (require: NodeRequire, name: string): string => `${name}@${(require(`${name}/package.json`) as { version: string }).version}`;
  return [version(parserRequire, '@asyncapi/specs'), ...['ajv', 'ajv-formats', 'ajv-errors'].map((n) => version(spectralRequire, n))].join(' ');
}
