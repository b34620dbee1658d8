/**
 * Ajv's error sites, written as calls. Ajv spells each error out where it happens: an object
 * literal with its instancePath, schemaPath, keyword, params and a message concatenated inline,
 * then the code that records it. Most of the validators' bytes were these. Each site here becomes
 * one call with the keyword and the params' values; the params object and the message are built
 * from the keyword by one shared table (KEYWORD_ERRORS) when an error happens.
 *
 * A site is rewritten only when the table provably builds the same error: its params have the
 * table's names in the table's order, and the table's message, worked out over the params' source
 * (a literal by its value, anything else as that expression), is the message Ajv wrote. Any other
 * site keeps its object (through `newError`, which takes the five fields as they are).
 */

/** Per keyword: the params' names, in Ajv's order, and the message over their values (JavaScript, emitted as it is). */
export const KEYWORD_ERRORS: Readonly<Record<string, readonly [names: readonly string[], message: string]>> = {
  type: [['type'], '(type) => "must be " + type'],
  required: [['missingProperty'], `(property) => "must have required property '" + property + "'"`],
  additionalProperties: [['additionalProperty'], '() => "must NOT have additional properties"'],
  unevaluatedProperties: [['unevaluatedProperty'], '() => "must NOT have unevaluated properties"'],
  enum: [['allowedValues'], '() => "must be equal to one of the allowed values"'],
  const: [['allowedValue'], '() => "must be equal to constant"'],
  format: [['format'], '(format) => "must match format \\"" + format + "\\""'],
  pattern: [['pattern'], '(pattern) => "must match pattern \\"" + pattern + "\\""'],
  minLength: [['limit'], '(limit) => "must NOT have fewer than " + limit + " characters"'],
  maxLength: [['limit'], '(limit) => "must NOT have more than " + limit + " characters"'],
  minItems: [['limit'], '(limit) => "must NOT have fewer than " + limit + " items"'],
  maxItems: [['limit'], '(limit) => "must NOT have more than " + limit + " items"'],
  additionalItems: [['limit'], '(limit) => "must NOT have more than " + limit + " items"'],
  items: [['limit'], '(limit) => "must NOT have more than " + limit + " items"'],
  unevaluatedItems: [['limit'], '(limit) => "must NOT have more than " + limit + " items"'],
  minProperties: [['limit'], '(limit) => "must NOT have fewer than " + limit + " properties"'],
  maxProperties: [['limit'], '(limit) => "must NOT have more than " + limit + " properties"'],
  minimum: [['comparison', 'limit'], '(comparison, limit) => "must be " + comparison + " " + limit'],
  maximum: [['comparison', 'limit'], '(comparison, limit) => "must be " + comparison + " " + limit'],
  exclusiveMinimum: [['comparison', 'limit'], '(comparison, limit) => "must be " + comparison + " " + limit'],
  exclusiveMaximum: [['comparison', 'limit'], '(comparison, limit) => "must be " + comparison + " " + limit'],
  multipleOf: [['multipleOf'], '(multipleOf) => "must be multiple of " + multipleOf'],
  uniqueItems: [['i', 'j'], '(i, j) => "must NOT have duplicate items (items ## " + j + " and " + i + " are identical)"'],
  anyOf: [[], '() => "must match a schema in anyOf"'],
  oneOf: [['passingSchemas'], '() => "must match exactly one schema in oneOf"'],
  not: [[], '() => "must NOT be valid"'],
  if: [['failingKeyword'], '(clause) => "must match \\"" + clause + "\\" schema"'],
  propertyNames: [['propertyName'], '() => "property name must be valid"'],
  'false schema': [[], '() => "boolean schema is false"'],
};

const ERROR_KEYS = ['instancePath', 'schemaPath', 'keyword', 'params', 'message'] as const;

/** The shared functions the rewritten sites call, with the table entries of the keywords used. */
export function errorHelpers({ keywords, generic, pushes, joins, stops, forwards }: Omit<RewrittenSites, 'code'>): string {
  const out: string[] = [];
  if (keywords.size > 0) {
    const entries = [...keywords].sort().map((k) => `  ${JSON.stringify(k)}: [${JSON.stringify(KEYWORD_ERRORS[k]?.[0] ?? [])}, ${KEYWORD_ERRORS[k]?.[1] ?? ''}],`);
    out.push(
      "// Ajv's errors by keyword: the names of its params and its message over their values (checked against every site when linked).",
      `const keywordErrors = {\n${entries.join('\n')}\n};`,
      "// The error object Ajv builds, with its keys in Ajv's order.",
      'function error(instancePath, schemaPath, keyword, ...values) {',
      '  const [names, message] = keywordErrors[keyword];',
      '  const params = {};',
      '  for (let i = 0; i < names.length; i++) params[names[i]] = values[i];',
      '  return { instancePath, schemaPath, keyword, params, message: message(...values) };',
      '}',
    );
  }
  if (stops)
    out.push(
      "// Ajv's `validate.errors = [error]; return false;` when it stops at an error.",
      'function fail(validate, ...site) {',
      '  validate.errors = [error(...site)];',
      '  return false;',
      '}',
      "// `fail` where the keyword is the schema path's last segment.",
      'function failAt(validate, instancePath, schemaPath, ...values) {',
      '  return fail(validate, instancePath, schemaPath, schemaPath.slice(schemaPath.lastIndexOf("/") + 1), ...values);',
      '}',
      '// `fail` at a property of the object: its instance path and its schema path under `properties`.',
      'function failIn(validate, instancePath, property, keyword, ...values) {',
      '  return fail(validate, instancePath + "/" + property, "#/properties/" + property + "/" + keyword, keyword, ...values);',
      '}',
    );
  if (forwards)
    out.push(
      "// A `$ref`'s first error as the caller's: `validate.errors = callee.errors; return false;`.",
      'function failFrom(validate, callee) {',
      '  validate.errors = callee.errors;',
      '  return false;',
      '}',
    );
  if (generic)
    out.push(
      "// An error whose message the table does not build, with its keys in Ajv's order.",
      'function newError(instancePath, schemaPath, keyword, params, message) {',
      '  return { instancePath, schemaPath, keyword, params, message };',
      '}',
    );
  if (pushes)
    out.push(
      "// Ajv's `if (vErrors === null) vErrors = [err]; else vErrors.push(err);`.",
      'function addError(list, error) {',
      '  if (list === null) return [error];',
      '  list.push(error);',
      '  return list;',
      '}',
    );
  if (joins) out.push("// Ajv's `vErrors = vErrors === null ? more : vErrors.concat(more);`.", 'function addErrors(list, more) {', '  return list === null ? more : list.concat(more);', '}');
  return out.join('\n');
}

export interface RewrittenSites {
  readonly code: string;
  /** Keywords whose table entries the code calls. */
  readonly keywords: ReadonlySet<string>;
  /** Whether any site calls `newError`. */
  readonly generic: boolean;
  /** Whether any site calls `fail` (Ajv stops at the first error). */
  readonly stops: boolean;
  /** Whether any site calls `addError`. */
  readonly pushes: boolean;
  /** Whether any call of a `$ref`'s function calls `addErrors`. */
  readonly joins: boolean;
  /** Whether any failed `$ref` call returns the callee's errors through `failFrom` (first-error.ts writes those). */
  readonly forwards: boolean;
}

/**
 * Rewrites the two shapes Ajv records an error in: `validateN.errors = [{…}];return false;` (it
 * stops at the first error) and `const errN = {…};if(vErrors === null){…}else {…}errors++;` (an
 * error inside `anyOf`, `oneOf`, `not` or `if`, kept until the alternatives are decided).
 */
export function rewriteErrorSites(code: string): RewrittenSites {
  const keywords = new Set<string>();
  let generic = false;
  let pushes = false;
  let stops = false;
  const out: string[] = [];
  let at = 0;
  for (const m of code.matchAll(/(?:(validate\d+)\.errors = \[|const (err\d+) = )\{/g)) {
    const start = m.index ?? 0;
    const open = start + m[0].length - 1;
    if (start < at) continue;
    const fields = objectFields(code, open);
    if (!fields) continue;
    let end: number;
    let record: (call: string, site: Site) => string;
    if (m[1] !== undefined) {
      const tail = '];return false;';
      if (!code.startsWith(tail, fields.end)) continue;
      end = fields.end + tail.length;
      record = (call, site) => {
        if (!call.startsWith('error(')) return `${m[1]}.errors = [${call}];return false;`;
        stops = true;
        return `return ${compactFail(m[1] ?? '', site) ?? `fail(${m[1]},${call.slice('error('.length)}`};`;
      };
    } else {
      const name = m[2] ?? '';
      const push = `;if(vErrors === null){vErrors = [${name}];}else {vErrors.push(${name});}errors++;`;
      // The error's name must be read nowhere else, since the call leaves it undeclared.
      if (!code.startsWith(push, fields.end) || mentions(code, name, start) !== 3) continue;
      end = fields.end + push.length;
      record = (call) => `vErrors = addError(vErrors, ${call});errors++;`;
      pushes = true;
    }
    const [instancePath = 'instancePath', schemaPath = '', keyword = '', params = '', message = ''] = fields.values.map((v, i) => v ?? ERROR_KEYS[i]);
    const values = tableValues(keyword, params, message);
    if (values) keywords.add(JSON.parse(keyword) as string);
    else generic = true;
    out.push(
      code.slice(at, start),
      record(values ? `error(${[instancePath, schemaPath, keyword, ...values].join(',')})` : `newError(${[instancePath, schemaPath, keyword, params, message].join(',')})`, {
        instancePath,
        schemaPath,
        keyword,
        values: values ?? [],
      }),
    );
    at = end;
  }
  out.push(code.slice(at));
  const before = out.join('');
  // A `$ref`'s errors joining the caller's: Ajv writes the null check out at every call.
  const joined = before.replace(/vErrors = vErrors === null \? (validate\d+)\.errors : vErrors\.concat\(\1\.errors\);/g, 'vErrors = addErrors(vErrors, $1.errors);');
  // A failed `$ref` call returning at once, as first-error.ts leaves it.
  const forwarded = joined.replace(/\{(validate\d+)\.errors = (validate\d+)\.errors;return false;\}/g, '{return failFrom($1,$2);}');
  return { code: forwarded, keywords, generic, pushes, stops, joins: joined !== before, forwards: forwarded !== joined };
}

interface Site {
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly keyword: string;
  readonly values: readonly string[];
}

/**
 * The shorter calls of `fail` (errorHelpers), where they build the same error: `failIn` for an error
 * at a property whose schema sits under the root's `properties` (instance path `instancePath+"/p"`,
 * schema path `#/properties/p/<keyword>`, the name as it is in both, so nothing escaped), `failAt`
 * where the schema path ends in the keyword. Most sites are the first kind; each saves the name and
 * the keyword written twice.
 */
function compactFail(validate: string, site: Site): string | undefined {
  const keyword = literal(site.keyword);
  const schemaPath = literal(site.schemaPath);
  if (typeof keyword !== 'string' || typeof schemaPath !== 'string' || !schemaPath.endsWith(`/${keyword}`) || keyword.includes('/')) return undefined;
  const at = /^instancePath\+"\/([A-Za-z0-9_$.-]+)"$/.exec(site.instancePath);
  if (at && schemaPath === `#/properties/${at[1]}/${keyword}`) return `failIn(${[validate, 'instancePath', JSON.stringify(at[1]), site.keyword, ...site.values].join(',')})`;
  return `failAt(${[validate, site.instancePath, site.schemaPath, ...site.values].join(',')})`;
}

/** How often `name` occurs in the function around `at` (Ajv numbers its errors per function). */
function mentions(code: string, name: string, at: number): number {
  const from = code.lastIndexOf('function validate', at);
  const next = code.indexOf('function validate', at);
  return code.slice(Math.max(from, 0), next < 0 ? code.length : next).match(new RegExp(`\\b${name}\\b`, 'g'))?.length ?? 0;
}

const messageOf = new Map<string, (...values: unknown[]) => string>();

/** The table's message function for a keyword, compiled from the very source the output carries. */
export function tableMessage(keyword: string): ((...values: unknown[]) => string) | undefined {
  const entry = KEYWORD_ERRORS[keyword];
  if (!entry) return undefined;
  let fn = messageOf.get(keyword);
  if (!fn) {
    fn = new Function(`return (${entry[1]});`)() as (...values: unknown[]) => string;
    messageOf.set(keyword, fn);
  }
  return fn;
}

/** The params' value sources when the table builds this error exactly, else undefined. */
function tableValues(keywordSource: string, params: string, message: string): string[] | undefined {
  const keyword = literal(keywordSource);
  if (typeof keyword !== 'string' || !Object.hasOwn(KEYWORD_ERRORS, keyword)) return undefined;
  const [names] = KEYWORD_ERRORS[keyword] ?? [[]];
  const pairs = params === '{}' ? [] : params.startsWith('{') && params.endsWith('}') ? splitTop(params.slice(1, -1), ',') : undefined;
  if (!pairs || pairs.length !== names.length) return undefined;
  const values: string[] = [];
  for (const [i, pair] of pairs.entries()) {
    const colon = pair.indexOf(':');
    if (colon < 0 || pair.slice(0, colon).trim() !== names[i]) return undefined;
    values.push(pair.slice(colon + 1).trim());
  }
  const built = tableMessage(keyword)?.(...values.map(symbolic));
  const parts = splitTop(message, '+');
  const written = parts?.map((p) => String(symbolic(p))).join('');
  return built !== undefined && built === written ? values : undefined;
}

/** A JSON literal's value; anything else stands for itself, marked so it equals only the same expression. */
function symbolic(source: string): unknown {
  const value = literal(source);
  return value === NOT_LITERAL ? `\u0001${source.trim()}\u0001` : value;
}

const NOT_LITERAL = Symbol('not a literal');

function literal(source: string): unknown {
  try {
    return JSON.parse(source);
  } catch {
    return NOT_LITERAL;
  }
}

/** `source` split at `separator` outside strings and brackets, or undefined when it has quotes other than `"`. */
function splitTop(source: string, separator: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '"') {
      for (i++; i < source.length && source[i] !== '"'; i++) if (source[i] === '\\') i++;
    } else if (c === "'" || c === '`') return undefined;
    else if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth--;
    else if (c === separator && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(source.slice(start));
  return parts;
}

/** The values of an error literal at `open` (undefined for the `instancePath` shorthand) and the index past its `}`. */
function objectFields(code: string, open: number): { values: Array<string | undefined>; end: number } | undefined {
  const parts: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < code.length; i++) {
    const c = code[i];
    if (c === '"') {
      for (i++; i < code.length && code[i] !== '"'; i++) if (code[i] === '\\') i++;
    } else if (c === "'" || c === '`' || c === '/') {
      return undefined;
    } else if (c === '{' || c === '(' || c === '[') {
      depth++;
    } else if (c === '}' || c === ')' || c === ']') {
      depth--;
      if (depth === 0) {
        parts.push(code.slice(start, i));
        if (parts.length !== ERROR_KEYS.length) return undefined;
        const values = parts.map((part, k) => {
          const key = ERROR_KEYS[k] ?? '';
          return part === key && k === 0 ? undefined : part.startsWith(`${key}:`) ? part.slice(key.length + 1) : null;
        });
        if (values.some((v) => v === null)) return undefined;
        return { values: values as Array<string | undefined>, end: i + 1 };
      }
    } else if (c === ',' && depth === 1) {
      parts.push(code.slice(start, i));
      start = i + 1;
    }
  }
  return undefined;
}
