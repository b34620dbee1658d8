/**
 * Validators compiled at generation time: Ajv's standalone code for every payload and headers
 * definition, linked with the few Ajv helpers it needs into one dependency-free module (link.ts).
 */
import { CodegenError, type Diagnostic } from '../errors.js';
import type { IrSpec } from '../ir/types.js';
import type { SpecSource } from '../spec/load.js';
import { compactNames } from './codegen-names.js';
import { FORMATS_MODULE, link, type LinkInput } from './link.js';
import { locatePatterns } from './locate.js';
import { PATTERNS_MODULE, patternEngine, portableDefinitions, type PortableDefinitions } from './portable.js';
import { simplifyCompiled } from './first-error.js';
import { sharedDefinitions } from './shared.js';

export const VALIDATORS_HEADER = '// @ts-nocheck: compiled by Ajv at generation time; typed through runtime/validation.ts';

/** Formats every Ajv build knows, plus the OpenAPI-style ones specs often carry; unknown ones are not checked. */
const LENIENT_FORMATS = ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password'];

interface Export {
  readonly name: string;
  readonly definition: string;
  readonly coerce: boolean;
}

/** What the validators are compiled from: the part of the IR a worker thread is sent. */
export type ValidatorInput = Pick<IrSpec, 'file' | 'messages' | 'schemas'>;

export function validatorExports(ir: ValidatorInput): Export[] {
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

/**
 * `source`: the spec as written, to point the warnings at it; without it they name the file only.
 * `simplify: false` keeps Ajv's first-error counting as Ajv wrote it (first-error.ts), for tests that compare the two.
 */
export async function compileValidators(ir: ValidatorInput, source?: SpecSource, { simplify = true }: { readonly simplify?: boolean } = {}): Promise<CompiledValidators> {
  const exports = validatorExports(ir);
  if (exports.length === 0) return { code: `${VALIDATORS_HEADER}\nexport {};\n`, diagnostics: [] };
  const ajvModule = await import('ajv');
  const { Ajv, _ } = ajvModule;
  // The same code with far less garbage: what set the peak memory of a large spec (codegen-names.ts).
  compactNames(ajvModule);
  // CommonJS modules whose default export is the function itself.
  const addFormats = (await import('ajv-formats')).default as unknown as typeof import('ajv-formats').default;
  const standaloneCode = (await import('ajv/dist/standalone/index.js')).default as unknown as typeof import('ajv/dist/standalone/index.js').default;
  const portable = portableDefinitions(ir.schemas.definitions);
  const { definitions, compiledAs } = sharedDefinitions(portable.definitions);
  const regExp = patternEngine(portable);
  const ownProperties = namesPrototypeMember(definitions);
  const sources: string[] = [];
  const entries: Array<LinkInput['exports'][number]> = [];
  // Headers arrive as strings, so their validator coerces ("5" → 5); payloads are checked as they are.
  for (const coerce of [false, true]) {
    const group = exports.filter((e) => e.coerce === coerce);
    if (group.length === 0) continue;
    const ajv = new Ajv({
      // CommonJS, linked by link.ts; the formats are reached through a module holding only those used.
      code: { source: true, formats: _`require(${FORMATS_MODULE})`, ...(regExp ? { regExp } : {}) },
      strict: false,
      // The first error only: received messages are untrusted, and with allErrors a hostile one
      // costs an error object per bad item (100,000 bad items: 100,000 errors, bench/README.md).
      allErrors: false,
      allowUnionTypes: true,
      // Own properties only where it changes a verdict (see namesPrototypeMember).
      ownProperties,
      coerceTypes: coerce,
      // Shared definitions (an envelope, a client) become one function each instead of a copy per message.
      inlineRefs: false,
      logger: false,
    });
    addFormats(ajv);
    for (const f of unknownFormats(definitions, ajv)) ajv.addFormat(f, true);
    try {
      ajv.addSchema({ definitions }, 'spec');
      // One Ajv export per definition compiled; the exports of definitions that validate alike share it.
      const compiled = new Map<string, string>();
      for (const e of group) {
        const definition = compiledAs.get(e.definition) ?? e.definition;
        if (!compiled.has(definition)) compiled.set(definition, ajvName(e.name, sources.length, compiled.size));
        entries.push({ name: e.name, part: sources.length, compiled: compiled.get(definition) ?? '' });
      }
      const refs = Object.fromEntries([...compiled].map(([definition, name]) => [name, `spec#/definitions/${definition}`]));
      if (simplify) simplifyCompiled(Object.values(refs).map((ref) => ajv.getSchema(ref)));
      sources.push(standaloneCode(ajv, refs));
    } catch (error) {
      throw new CodegenError({
        code: 'schema-not-compilable',
        message: `a schema in ${ir.file} cannot be compiled into a validator: ${error instanceof Error ? error.message : String(error)}`,
        hint: 'check `pattern` regular expressions and `$ref`s in the message schemas',
        location: { file: ir.file },
      });
    }
  }
  const code = link({ parts: sources, modules: { [PATTERNS_MODULE]: patternsModule(portable) }, prelude: GUARD_SOURCE, exports: entries, wrap: 'guarded' });
  return { code: `${VALIDATORS_HEADER}\n${code}`, diagnostics: droppedWarnings(ir, portable, source) };
}

/** Names every object inherits (`toString`, `constructor`, `__proto__`, …). */
const PROTOTYPE_MEMBERS = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * Whether a schema names a property that every object inherits. Only then does Ajv's
 * `ownProperties` change a verdict on parsed JSON: without it `data.toString !== undefined` holds
 * for every object, so `required: [toString]` would pass and `properties.toString` would check the
 * method. Otherwise `data.x !== undefined` is the same test as an own-property check (JSON.parse
 * makes own properties only), and it spares two `hasOwnProperty` calls per property on every
 * message (about 9 % of a user-sessions receive, bench/README.md). Any JSON string of the
 * definitions or key equal to such a name counts (an enum value too): a false alarm costs speed, never a
 * verdict.
 */
export function namesPrototypeMember(definitions: unknown): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [definitions];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') {
      if (PROTOTYPE_MEMBERS.has(value)) return true;
    } else if (typeof value === 'object' && value !== null && !seen.has(value)) {
      seen.add(value);
      if (Array.isArray(value)) stack.push(...value);
      else
        for (const [key, item] of Object.entries(value)) {
          if (PROTOTYPE_MEMBERS.has(key)) return true;
          stack.push(item);
        }
    }
  }
  return false;
}

/** The same engine as source for the output: a table of the translated patterns, nothing else. */
function patternsModule(portable: PortableDefinitions): string {
  const table = JSON.stringify([...portable.translated].map(([pattern, t]) => [pattern, [t.source, t.flags]]));
  return [
    '// Patterns written for other regex engines, as ECMAScript reads them (source, flags).',
    `const translated = new Map(${table});`,
    'exports.pattern = function pattern(source, flags) {',
    '  const t = translated.get(source);',
    '  return t ? new RegExp(t[0], t[1]) : new RegExp(source, flags);',
    '};',
    '',
  ].join('\n');
}

function droppedWarnings(ir: ValidatorInput, portable: PortableDefinitions, source: SpecSource | undefined): Diagnostic[] {
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

/**
 * A compiled validator can throw: a deeply nested value of a recursive schema overflows the stack.
 * Each export answers false instead, with one error saying so (worded as runtime/validation.ts
 * words it for a validator of its own), so even a caller that uses validators.ts directly gets a
 * verdict and never an exception.
 */
const GUARD_SOURCE = `
function guarded(validate) {
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
